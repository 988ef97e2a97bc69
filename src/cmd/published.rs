//! `goalpost import --format opensdg DIR` and `goalpost obs import --format
//! sdmx-csv|wdi|eurostat-tsv FILE`: data as it is published. The reading
//! and storing are in `src/import/`; this only wires the flags to it and
//! prints what was done.

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use super::{Ctx, warn, write_out};
use crate::cli::{ObsFormat, ObsImport};
use crate::error::Result;
use crate::import::{self, Format, Options};
use crate::parse;

/// `--published DATE`.
pub fn date(given: Option<&str>) -> Result<Option<NaiveDate>> {
    Ok(given.map(parse::date).transpose()?)
}

/// `obs import --format …`.
pub fn obs(ctx: &Ctx, a: ObsImport, out: &mut dyn Write) -> Result<()> {
    let format = match a.format {
        ObsFormat::SdmxCsv => Format::SdmxCsv,
        ObsFormat::Wdi => Format::Wdi,
        ObsFormat::EurostatTsv => Format::EurostatTsv,
        ObsFormat::Csv => unreachable!("goalpost's CSV is read in obs.rs"),
    };
    // a file, or standard input copied into one
    let input = super::input::Input::open(&a.file)?;
    let options = Options {
        maps: a.maps,
        create: a.create,
        published: date(a.published.as_deref())?,
        lang: None,
        name: Some(input.name().to_string()),
    };
    run(ctx, format, input.path(), &options, a.dry_run, out)
}

/// Imports `path` in one transaction (a dry run rolls back), then says
/// what was created, added, skipped and retracted.
pub fn run(
    ctx: &Ctx,
    format: Format,
    path: &Path,
    options: &Options,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let mut store = ctx.open_for_write()?;
    let summary = import::import(&mut store, format, path, options, dry_run)?;
    for w in &summary.warnings {
        warn(w);
    }
    let verb = if dry_run { "would import" } else { "imported" };
    let what = format!("{} ({})", options.name_of(path), format.name());
    let mut text = summary.lines(verb, &what).join("\n");
    text.push('\n');
    write_out(out, &text)
}
