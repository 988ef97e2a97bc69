//! `goalpost diff --from DATE [--to DATE]`: what changed between two
//! reports, and why.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::DiffArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::report::{Catalog, Diff, Filter};

pub fn run(ctx: &Ctx, a: DiffArgs, out: &mut dyn Write) -> Result<()> {
    let to = as_of(a.to.as_deref())?;
    let from = match &a.from {
        Some(d) => as_of(Some(d))?,
        None => to,
    };
    if a.method_from.is_none() && from > to {
        return Err(Error::invalid(format!("--from {from} is after --to {to}")));
    }
    let filter = Filter {
        entities: a.entity.clone(),
        statuses: Vec::new(),
        kinds: a.kind.iter().map(|k| super::report::kind(*k)).collect(),
    };
    let diff = ctx.open()?.read(|db| {
        let method = super::method::resolve_one(db, &a.method)?;
        // two methods on one date, or one method on two dates
        let (method_from, from) = match &a.method_from {
            Some(m) => (super::method::resolve_one(db, m)?, to),
            None => (method, from),
        };
        let (targets, indicators) = (db.targets()?, db.indicators()?);
        let observations = db.observations(None)?;
        let catalog = Catalog::new(&indicators, &observations);
        Ok(Diff::build(
            &targets,
            &catalog,
            from,
            to,
            method_from,
            method,
            &filter,
        ))
    })?;
    emit(
        &render::diff::render(&diff, a.format.format)?,
        a.format.output.as_deref(),
        out,
    )?;
    if a.fail_on.is_some() && diff.any_worse() {
        let worse: Vec<&str> = diff
            .changes
            .iter()
            .filter(|c| c.direction == "worse")
            .map(|c| c.id.as_str())
            .collect();
        return Err(Error::Matched(format!(
            "--fail-on worse: {} target{} got worse ({})",
            worse.len(),
            if worse.len() == 1 { "" } else { "s" },
            worse.join(", ")
        )));
    }
    Ok(())
}
