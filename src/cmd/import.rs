//! `goalpost import FILE`: a whole data set, all or nothing.

use std::io::Write;

use super::{Ctx, write_out};
use crate::cli::ImportArgs;
use crate::dataset::{self, Contents};
use crate::error::{Error, Result};
use crate::store::Db;

pub fn run(ctx: &Ctx, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let text = std::fs::read(&a.file).map_err(|source| Error::Io {
        path: a.file.clone(),
        source,
    })?;
    let name = a.file.display().to_string();
    let text = String::from_utf8(text)
        .map_err(|e| Error::in_file(&name, 1, None, format!("not UTF-8 text ({e})")))?;
    let mut store = ctx.open_for_write()?;
    let summary = store.write(|db| {
        let contents = dataset::read(&text, &name, &db.indicators()?)?;
        let summary = describe(&contents);
        if a.dry_run {
            return Ok(summary);
        }
        store_all(db, &contents)?;
        Ok(summary)
    })?;
    let verb = if a.dry_run {
        "would import"
    } else {
        "imported"
    };
    write_out(out, &format!("{verb} {summary}\n"))
}

fn describe(c: &Contents) -> String {
    format!(
        "{} indicators, {} targets, {} observations",
        c.indicators.len(),
        c.targets.len(),
        c.observations.len()
    )
}

/// Stores a checked data set (inside the caller's transaction).
pub fn store_all(db: &Db, c: &Contents) -> Result<()> {
    for i in &c.indicators {
        db.add_indicator(i)?;
    }
    for t in &c.targets {
        db.add_target(t)?;
    }
    for o in &c.observations {
        db.add_observation(o)?;
    }
    Ok(())
}
