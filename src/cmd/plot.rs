//! `goalpost plot TARGET -o FILE.svg`: an SVG chart of one target.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::PlotArgs;
use crate::error::{Error, Result};
use crate::render::svg;

pub fn run(ctx: &Ctx, a: PlotArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(e) = a
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| e != "svg" && NOT_SVG.contains(&e.as_str()))
    {
        return Err(Error::usage(format!(
            "plot writes SVG, and -o {} names a .{e} file: name it .svg (or use show --format html for a page)",
            a.output.display()
        )));
    }
    let as_of = as_of(a.as_of.as_deref())?;
    let show = super::show::build(ctx, &a.target, as_of, &a.method, false, None)?;
    emit(&svg::svg(&show)?, Some(&a.output), out)
}

/// Extensions of other formats: a chart written under one of these names
/// would be an SVG file that says it is something else.
const NOT_SVG: [&str; 17] = [
    "png", "jpg", "jpeg", "gif", "webp", "pdf", "eps", "ps", "tif", "tiff", "bmp", "csv", "md",
    "json", "html", "htm", "txt",
];
