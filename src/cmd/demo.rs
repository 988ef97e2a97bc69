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
    // in words, the design card's three targets open the demo
    if super::format(&a.report.format)? == crate::render::Format::Table
        && a.report.format.output.is_none()
    {
        let card: Vec<String> = CARD.iter().map(|s| s.to_string()).collect();
        super::write_out(out, "The design card's three targets:\n\n")?;
        super::report::report_of(ctx, &mut store, a.report.clone(), card, out)?;
        super::write_out(out, "\nEvery target of the seed data set:\n\n")?;
    }
    super::report::report(ctx, &mut store, a.report, out)
}

/// Agri-food exports to $7bn by 2025, +25% EAEU exports to third countries,
/// 4,000 additional jobs in FEZ Minsk.
const CARD: [&str; 3] = [
    "agri-food-2025",
    "eaeu-exports-third-countries-2025",
    "fez-minsk-jobs-2025",
];
