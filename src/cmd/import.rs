//! `goalpost import FILE`: a whole data set, all or nothing.

use std::io::Write;

use super::{Ctx, write_out};
use crate::batch::{self, Recorder};
use crate::cli::{ImportArgs, ImportFormat};
use crate::dataset::{self, Contents};
use crate::error::{Error, Result};
use crate::import::Format;
use crate::store::Db;

pub fn run(ctx: &Ctx, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    if a.format == ImportFormat::Opensdg {
        if super::input::is_stdin(&a.file) {
            return Err(Error::usage(
                "--format opensdg reads a folder (an Open SDG data repository), not standard input: name the folder",
            ));
        }
        let options = crate::import::Options {
            lang: a.lang.clone(),
            published: super::published::date(a.published.as_deref())?,
            ..Default::default()
        };
        return super::published::run(ctx, Format::OpenSdg, &a.file, &options, a.dry_run, out);
    }
    if a.lang.is_some() || a.published.is_some() {
        return Err(Error::usage(
            "--lang and --published go with --format opensdg (a data set carries its own dates)",
        ));
    }
    let (text, name) = super::input::read_text(&a.file)?;
    // method profiles first: the rest may be assessed by them
    let (text, methods) = dataset::split_methods(&text, &name)?;
    let mut store = ctx.open_for_write()?;
    let import = |db: &Db| {
        for p in &methods {
            db.add_method(&p.name, &p.to_toml())?;
        }
        let mut sink = Store(db, Recorder::new(&name, "dataset"));
        let counts = dataset::import(
            &text,
            &name,
            &|id| db.find_indicator(id),
            &|id| db.nearest_indicator(id).ok().flatten(),
            &mut sink,
        )?;
        let batch = sink.1.finish(db, counts.observations, 0)?;
        let mut summary = describe(counts);
        if !a.dry_run {
            summary.push_str(&batch::named(batch));
        }
        if !methods.is_empty() {
            summary.push_str(&format!(", {} method profiles", methods.len()));
        }
        Ok(summary)
    };
    // a dry run stores everything, so that it meets every check, then rolls back
    let summary = if a.dry_run {
        store.rehearse(import)?
    } else {
        store.write(import)?
    };
    let verb = if a.dry_run {
        "would import"
    } else {
        "imported"
    };
    write_out(out, &format!("{verb} {summary}\n"))
}

fn describe(c: dataset::Counts) -> String {
    format!(
        "{} indicators, {} targets, {} observations",
        c.indicators, c.targets, c.observations
    )
}

/// The database as where a data set goes, its observations in one import
/// batch.
struct Store<'a, 'b>(&'a Db<'b>, Recorder<'a>);

impl dataset::Sink for Store<'_, '_> {
    fn indicator(&mut self, i: &crate::model::Indicator) -> Result<()> {
        self.0.add_indicator(i)
    }

    fn target(&mut self, t: &crate::model::Target) -> Result<()> {
        self.1.add_target(self.0, t)
    }

    fn observation(&mut self, o: &crate::model::Observation) -> Result<()> {
        self.1.add(self.0, o).map(|_| ())
    }
}

/// Stores a checked data set (inside the caller's transaction). An error
/// (an id already in the database) names the entry's place in the file.
pub fn store_all(db: &Db, c: &Contents) -> Result<()> {
    let mut sink = Store(db, Recorder::new("the data set", "dataset"));
    let counts = dataset::store(c, &mut sink)?;
    sink.1.finish(db, counts.observations, 0)?;
    Ok(())
}
