//! `goalpost diff --from DATE [--to DATE]`: what changed between two
//! reports, and why.

use std::io::Write;

use super::{Ctx, as_of, emit_as};
use crate::cli::DiffArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::report::{Catalog, Diff, Filter, Report, recorded};

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
        labels: super::report::labels(&a.labels),
        ids: Vec::new(),
        dims: Vec::new(),
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
        if !a.as_recorded {
            let catalog = Catalog::new(&indicators, &observations);
            return Ok(Diff::build(
                &targets,
                &catalog,
                from,
                to,
                method_from,
                method,
                &filter,
            ));
        }
        // each report on the database as it stood at the end of its date
        let corrections = db.all_corrections()?;
        let side = |day, method, filter: &Filter| {
            let (t, i, o) = recorded::database(
                targets.clone(),
                indicators.clone(),
                observations.clone(),
                &corrections,
                day,
            );
            let catalog = Catalog::new(&i, &o);
            Report::from_catalog(&t, &catalog, day, method, filter)
        };
        let old = side(from, method_from, &Filter::default());
        let new = side(to, method, &filter);
        // the causes: the events as recorded by the later date
        let (t, i, o) = recorded::database(
            targets.clone(),
            indicators.clone(),
            observations.clone(),
            &corrections,
            to,
        );
        let catalog = Catalog::new(&i, &o);
        Ok(Diff::between(&old, &new, &t, &catalog, true))
    })?;
    emit_as(
        &render::diff::render(
            &diff,
            super::format(&a.format)?,
            &ctx.look(a.format.output.as_deref()),
        )?,
        &a.format,
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
