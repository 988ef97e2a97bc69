//! `goalpost diff --from DATE [--to DATE]`: what changed between two
//! reports, and why.

use std::io::Write;

use super::{Ctx, as_of, with_output_as};
use crate::cli::DiffArgs;
use crate::engine;
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Target};
use crate::render::diff::Writer;
use crate::report::{Between, Compared, Filter, Row, recorded};
use crate::store::Db;

/// Both reports in lockstep, one indicator at a time in the store's order:
/// each target is assessed on both sides and compared as it comes, its
/// change rendered at once; the changes are put in the later report's
/// order at the end.
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
        dims: a.dims.clone(),
    };
    let format = super::format(&a.format)?;
    let look = ctx.look(a.format.output.as_deref());
    let worse = ctx.open()?.read(|db| {
        let method = super::method::resolve_one(db, &a.method)?;
        // two methods on one date, or one method on two dates
        let (method_from, from) = match &a.method_from {
            Some(m) => (super::method::resolve_one(db, m)?, to),
            None => (method, from),
        };
        let between = Between {
            from,
            to,
            method_from,
            method,
            as_recorded: a.as_recorded,
        };
        // each report on the database as it stood at the end of its date
        let corrections = if a.as_recorded {
            Some(db.all_corrections()?)
        } else {
            None
        };
        let mut writer = Writer::new(format, look, between);
        // whole rows as recorded (their times of entry); else the rows an
        // assessment reads, and the whole rows, which the causes cite the
        // sources of, only for an indicator with a target that changed
        let full = a.as_recorded;
        db.each_indicator_with_targets(full, |indicator, targets, observations| {
            let Some(corrections) = &corrections else {
                let old = rows(
                    &targets,
                    indicator.as_ref(),
                    &observations,
                    from,
                    method_from,
                );
                let whole = Whole::Later {
                    db,
                    indicator: indicator.as_ref().map(|i| i.id.as_str()),
                    rows: None,
                };
                return compare(
                    &mut writer,
                    &between,
                    &filter,
                    old,
                    &targets,
                    indicator.as_ref(),
                    &observations,
                    whole,
                );
            };
            let as_on = |day| {
                recorded::database(
                    targets.clone(),
                    indicator.clone().into_iter().collect(),
                    observations.clone(),
                    corrections,
                    day,
                )
            };
            let (t, mut i, o) = as_on(from);
            let old = rows(&t, i.pop().as_ref(), &o, from, method_from);
            // the later report, and the causes: as recorded by the later date
            let (t, mut i, o) = as_on(to);
            compare(
                &mut writer,
                &between,
                &filter,
                old,
                &t,
                i.pop().as_ref(),
                &o,
                Whole::Read(&o),
            )
        })?;
        with_output_as(&a.format, out, |out| writer.finish(out))
    })?;
    if a.fail_on.is_some() && !worse.is_empty() {
        return Err(Error::Matched(format!(
            "--fail-on worse: {} target{} got worse ({})",
            worse.len(),
            if worse.len() == 1 { "" } else { "s" },
            worse.join(", ")
        )));
    }
    Ok(())
}

/// The earlier report's rows of one indicator's targets, by id.
fn rows(
    targets: &[Target],
    indicator: Option<&Indicator>,
    observations: &[Observation],
    day: chrono::NaiveDate,
    method: engine::Method,
) -> Vec<Row> {
    targets
        .iter()
        .map(|t| {
            let a = engine::assess(t, indicator, observations, day, method);
            Row::new(t, indicator, &a)
        })
        .collect()
}

/// An indicator's whole rows, which the causes of a change cite the
/// sources of: read already, or read when a target first needs them (and
/// kept for the indicator's other targets).
enum Whole<'a> {
    Read(&'a [Observation]),
    Later {
        db: &'a Db<'a>,
        indicator: Option<&'a str>,
        rows: Option<Vec<Observation>>,
    },
}

impl Whole<'_> {
    fn rows(&mut self) -> Result<&[Observation]> {
        match self {
            Whole::Read(rows) => Ok(rows),
            Whole::Later {
                db,
                indicator,
                rows,
            } => {
                if rows.is_none() {
                    let read = match indicator {
                        Some(id) => db.observations(Some(id))?,
                        None => Vec::new(),
                    };
                    *rows = Some(read);
                }
                Ok(rows.get_or_insert_with(Vec::new))
            }
        }
    }
}

/// Compares the later report's rows of one indicator's `targets` (those
/// `filter` keeps), assessed on `observations`, with the earlier report's
/// `old`; the causes of a change come from the `whole` rows.
#[allow(clippy::too_many_arguments)]
fn compare(
    writer: &mut Writer,
    between: &Between,
    filter: &Filter,
    old: Vec<Row>,
    targets: &[Target],
    indicator: Option<&Indicator>,
    observations: &[Observation],
    mut whole: Whole,
) -> Result<()> {
    for t in targets {
        let a = engine::assess(t, indicator, observations, between.to, between.method);
        let new = Row::new(t, indicator, &a);
        if !filter.keeps(&new) {
            continue;
        }
        // both in id order
        let before = old
            .binary_search_by(|r| r.id.as_str().cmp(&t.id))
            .ok()
            .map(|i| &old[i]);
        if !between.differs(before, &new) {
            if before.is_some() {
                writer.unchanged();
            }
            continue;
        }
        match between.compare(before, &new, t, indicator, whole.rows()?) {
            Compared::Changed(c) => writer.push(&c, new.status, a.version.deadline.end())?,
            Compared::Unchanged => writer.unchanged(),
            Compared::Absent => {}
        }
    }
    Ok(())
}
