//! `goalpost plot TARGET -o FILE.svg`: an SVG chart of one target.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::PlotArgs;
use crate::error::Result;
use crate::render::svg;

pub fn run(ctx: &Ctx, a: PlotArgs, out: &mut dyn Write) -> Result<()> {
    let as_of = as_of(a.as_of.as_deref())?;
    let show = super::show::build(ctx, &a.target, as_of, &a.method, false)?;
    emit(&svg::svg(&show)?, Some(&a.output), out)
}
