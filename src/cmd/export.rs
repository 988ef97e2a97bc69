//! `goalpost export`: the whole database as a data set.

use std::io::Write;

use super::{Ctx, emit};
use crate::cli::ExportArgs;
use crate::dataset;
use crate::error::Result;

pub fn run(ctx: &Ctx, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let text = ctx
        .open()?
        .read(|db| dataset::write(&db.indicators()?, &db.targets()?, &db.observations(None)?))?;
    emit(&text, a.output.as_deref(), out)
}
