//! `goalpost demo`: the built-in seed data set in a throw-away database,
//! then its report.

use std::io::Write;

use super::import::store_all;
use crate::cli::DemoArgs;
use crate::dataset;
use crate::error::Result;
use crate::store::Store;

/// The seed data set (fixtures/seed.toml), embedded in the binary.
pub const SEED: &str = include_str!("../../fixtures/seed.toml");

pub fn run(ctx: &super::Ctx, a: DemoArgs, out: &mut dyn Write) -> Result<()> {
    let mut store = Store::memory()?;
    store.write(|db| {
        let contents = dataset::read(SEED, "fixtures/seed.toml", &[])?;
        store_all(db, &contents)
    })?;
    super::report::report(ctx, &mut store, a.report, out)
}
