//! `goalpost report`: every target on one date by one method.

use std::io::Write;

use super::{Ctx, as_of, with_output_as};
use crate::cli::{AnyKindArg, LabelFilterArgs, ReportArgs, StatusArg};
use crate::engine::Status;
use crate::error::Result;
use crate::model::{Indicator, Kind, Observation, Target};
use crate::render::Format;
use crate::render::report::Writer;
use crate::report::{Filter, LabelFilter, Show, recorded};
use crate::store::{Store, Vintages};

mod pipeline;

use pipeline::{Assessing, Group};

pub fn run(ctx: &Ctx, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    report(ctx, &mut ctx.open()?, a, out)
}

/// Builds and prints the report on `store` (shared with `demo`): one
/// indicator at a time, each target assessed and its row rendered as it
/// comes; the rows are put in order at the end.
pub fn report(ctx: &Ctx, store: &mut Store, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    report_of(ctx, store, a, Vec::new(), out)
}

/// [`report`] of only the targets `ids` (all when empty).
pub fn report_of(
    ctx: &Ctx,
    store: &mut Store,
    a: ReportArgs,
    ids: Vec<String>,
    out: &mut dyn Write,
) -> Result<()> {
    let format = super::format(&a.format)?;
    let look = ctx.look(a.format.output.as_deref());
    if a.method.contains(',') || a.method.trim() == "all" {
        return compare(store, a, format, &look, out);
    }
    let as_of = as_of(a.as_of.as_deref())?;
    let filter = filter(&a, ids);
    let html = format == Format::Html;
    let group_by = a.group_by;
    let shown = store.read(|db| {
        let method = super::method::resolve_one(db, &a.method)?;
        let options = crate::engine::Options {
            window: super::method::check_window(db, method, a.window)?,
        };
        // --as-recorded: the database as it stood at the end of the as-of
        // date, applied as each indicator comes (its rows need their times
        // of entry: read whole)
        let corrections = if a.as_recorded {
            Some(db.all_corrections()?)
        } else {
            None
        };
        let as_recorded =
            |targets: Vec<Target>, indicator: Option<Indicator>, observations: Vec<Observation>| {
                match &corrections {
                    None => (targets, indicator, observations),
                    Some(c) => {
                        let (targets, mut indicators, observations) = recorded::database(
                            targets,
                            indicator.into_iter().collect(),
                            observations,
                            c,
                            as_of,
                        );
                        (targets, indicators.pop(), observations)
                    }
                }
            };
        let full = a.as_recorded;
        let mut writer = Writer::new(format, as_of, method, look);
        if let Some(by) = group_by {
            writer = writer.grouped(by, a.summary);
        }
        let assessing = Assessing {
            as_of,
            method,
            options,
            filter: &filter,
            sparks: html,
        };
        let writer = pipeline::assess_all(
            db,
            full,
            writer,
            assessing,
            |indicator, targets, vintages| {
                let (targets, indicator, vintages) = match vintages {
                    Vintages::Read(o) => {
                        let (t, i, o) = as_recorded(targets, indicator, o);
                        (t, i, Vintages::Read(o))
                    }
                    packed => (targets, indicator, packed),
                };
                filter.keeps_indicator(indicator.as_ref()).then_some(Group {
                    indicator,
                    targets,
                    vintages,
                })
            },
        )?;
        // the page shows some targets in detail: each read again by itself
        let mut detail = |id: &str| -> Result<Show> {
            let t = db.target(id)?;
            let indicator = match &t.indicator {
                Some(i) => db.find_indicator(i)?,
                None => None,
            };
            let observations = match &indicator {
                Some(i) => db.observations(Some(&i.id))?,
                None => Vec::new(),
            };
            let (targets, indicator, observations) = as_recorded(vec![t], indicator, observations);
            let t = targets
                .first()
                .ok_or_else(|| crate::error::Error::invalid(format!("no target '{id}' then")))?;
            Ok(Show::build_with(
                t,
                indicator.as_ref(),
                &observations,
                as_of,
                method,
                options,
            ))
        };
        with_output_as(&a.format, out, |out| writer.finish(out, &mut detail))
    })?;
    fail_on(&shown, &a.fail_on)
}

/// `--method a,b,…` or `all`: the methods side by side, one status column
/// each, and whether they disagree.
fn compare(
    store: &mut Store,
    a: ReportArgs,
    format: Format,
    look: &crate::render::Look,
    out: &mut dyn Write,
) -> Result<()> {
    if a.window.is_some() {
        return Err(crate::error::Error::usage(
            "--window assesses by one method: leave it out when comparing methods",
        ));
    }
    if a.group_by.is_some() {
        return Err(crate::error::Error::usage(
            "--group-by rolls up one method's statuses: leave it out when comparing methods",
        ));
    }
    let as_of = as_of(a.as_of.as_deref())?;
    let filter = filter(&a, Vec::new());
    let comparison = store.read(|db| {
        let methods = super::method::resolve(db, &a.method)?;
        let (mut targets, mut indicators) = (db.targets()?, db.indicators()?);
        let mut observations = db.observations(None)?;
        if a.as_recorded {
            (targets, indicators, observations) = recorded::database(
                targets,
                indicators,
                observations,
                &db.all_corrections()?,
                as_of,
            );
        }
        let catalog = crate::report::Catalog::new(&indicators, &observations);
        Ok(crate::report::Comparison::build(
            &targets, &catalog, as_of, &methods, &filter,
        ))
    })?;
    super::emit_as(
        &crate::render::compare::render(&comparison, format, look)?,
        &a.format,
        out,
    )
}

/// `--fail-on STATUS,…`: exit code 3 (after the report is written) when any
/// target shown (`shown`: id and status, in the report's order) has one of
/// the statuses.
fn fail_on(shown: &[(String, Status)], wanted: &[StatusArg]) -> Result<()> {
    let wanted: Vec<Status> = wanted.iter().map(|s| status(*s)).collect();
    let hit: Vec<&str> = shown
        .iter()
        .filter(|(_, s)| wanted.contains(s))
        .map(|(id, _)| id.as_str())
        .collect();
    if hit.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = wanted.iter().map(|s| s.name()).collect();
    Err(crate::error::Error::Matched(format!(
        "--fail-on {}: {} target{} ({})",
        names.join(","),
        hit.len(),
        if hit.len() == 1 { "" } else { "s" },
        hit.join(", ")
    )))
}

/// The targets the report's flags keep (of `ids` alone, when given).
fn filter(a: &ReportArgs, ids: Vec<String>) -> Filter {
    Filter {
        entities: a.entity.clone(),
        statuses: a.status.iter().map(|s| status(*s)).collect(),
        kinds: a.kind.iter().map(|k| kind(*k)).collect(),
        labels: labels(&a.labels),
        ids,
        dims: a.dims.clone(),
    }
}

/// `--programme`, `--owner`, `--tag` as a filter.
pub fn labels(a: &LabelFilterArgs) -> LabelFilter {
    LabelFilter {
        programmes: a.programmes.clone(),
        owners: a.owners.clone(),
        tags: a.tags.clone(),
    }
}

pub fn status(s: StatusArg) -> Status {
    match s {
        StatusArg::Missed => Status::Missed,
        StatusArg::MovingAway => Status::MovingAway,
        StatusArg::OffTrack => Status::OffTrack,
        StatusArg::Stalled => Status::Stalled,
        StatusArg::AtRisk => Status::AtRisk,
        StatusArg::Overdue => Status::Overdue,
        StatusArg::NoData => Status::NoData,
        StatusArg::Pending => Status::Pending,
        StatusArg::OnTrack => Status::OnTrack,
        StatusArg::Achieved => Status::Achieved,
        StatusArg::Withdrawn => Status::Withdrawn,
    }
}

pub fn kind(k: AnyKindArg) -> Kind {
    match k {
        AnyKindArg::Level => Kind::Level,
        AnyKindArg::Cumulative => Kind::Cumulative,
        AnyKindArg::Trend => Kind::Trend,
        AnyKindArg::Milestone => Kind::Milestone,
    }
}
