//! `goalpost report`: every target on one date by one method.

use std::io::Write;

use super::{Ctx, as_of, with_output_as};
use crate::cli::{AnyKindArg, LabelFilterArgs, ReportArgs, StatusArg};
use crate::engine::{self, Status};
use crate::error::{Error, Result};
use crate::model::{Indicator, Kind, Observation, Target};
use crate::render::Format;
use crate::render::report::{Rendered, Writer};
use crate::report::{Filter, LabelFilter, Row, Show, Spark, recorded};
use crate::store::{Store, Unpacker, Vintages};

pub fn run(ctx: &Ctx, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    report(ctx, &mut ctx.open()?, a, out)
}

/// The threads that assess and render: one per core beside the one that
/// reads (at least one).
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

/// Observations and targets read before a batch goes to be assessed.
const BATCH: usize = 8192;

/// One indicator's targets and vintages, on their way to be assessed.
struct Group {
    indicator: Option<Indicator>,
    targets: Vec<Target>,
    vintages: Vintages,
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
    let wanted = filter.clone();
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
        // the store reads on this thread while others assess and render
        // what it has read, and one more puts the rendered rows together:
        // the work overlaps, and the assessing takes every core there is
        let mut writer = Writer::new(format, as_of, method, look);
        if let Some(by) = group_by {
            writer = writer.grouped(by, a.summary);
        }
        let renderer = writer.renderer();
        // in batches: a hand-over per indicator would cost more than it saves
        let (to_workers, batches) = std::sync::mpsc::sync_channel::<Vec<Group>>(2);
        let batches = std::sync::Mutex::new(batches);
        let writer = std::thread::scope(|scope| -> Result<Writer> {
            let (to_writer, rendered) = std::sync::mpsc::sync_channel::<Result<Rendered>>(2);
            // what the workers are done with goes back to be dropped or
            // reused where it was made: memory freed by the thread that
            // allocated it is reused at once, not left to the allocator
            let (to_reader, done_with) = std::sync::mpsc::channel::<Vec<Group>>();
            let collector = scope.spawn(move || -> Result<Writer> {
                let mut writer = writer;
                for batch in rendered {
                    writer.add(batch?)?;
                }
                Ok(writer)
            });
            let filter = &filter;
            for _ in 0..workers() {
                let (batches, to_writer, to_reader) =
                    (&batches, to_writer.clone(), to_reader.clone());
                scope.spawn(move || {
                    let mut unpacker = Unpacker::default();
                    let mut unpacked = Vec::new();
                    loop {
                        let next = batches.lock().map(|b| b.recv());
                        let Ok(Ok(batch)) = next else {
                            return;
                        };
                        let mut out = Rendered::default();
                        let mut done = Ok(());
                        for g in &batch {
                            let observations = match &g.vintages {
                                Vintages::Read(o) => o,
                                Vintages::Packed(p) => match unpacker.unpack(p, &mut unpacked) {
                                    Ok(()) => &unpacked,
                                    Err(e) => {
                                        done = Err(e);
                                        break;
                                    }
                                },
                            };
                            for t in &g.targets {
                                let indicator = g.indicator.as_ref();
                                let a = engine::assess_with(
                                    t,
                                    indicator,
                                    observations,
                                    as_of,
                                    method,
                                    options,
                                );
                                let row = Row::new(t, indicator, &a);
                                if filter.keeps(&row) {
                                    let spark = html.then(|| Spark::new(t, &a));
                                    if let Err(e) = renderer.render(
                                        &row,
                                        a.version.deadline.end(),
                                        spark.as_ref(),
                                        &mut out,
                                    ) {
                                        done = Err(e);
                                    }
                                }
                            }
                        }
                        let _ = to_reader.send(batch);
                        if to_writer.send(done.map(|()| out)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop((to_writer, to_reader));
            let mut batch = Vec::new();
            let mut size = 0;
            let stopped = || Error::invalid("the report stopped assessing");
            // vectors of read vintages handed back, to be filled again
            let spares = std::cell::RefCell::new(Vec::new());
            let read = db
                .each_indicator_with_vintages(
                    full,
                    || spares.borrow_mut().pop().unwrap_or_default(),
                    |indicator, targets, vintages| {
                        for old in done_with.try_iter().flatten() {
                            if let Vintages::Read(o) = old.vintages {
                                spares.borrow_mut().push(o);
                            }
                        }
                        let (targets, indicator, vintages) = match vintages {
                            Vintages::Read(o) => {
                                let (t, i, o) = as_recorded(targets, indicator, o);
                                (t, i, Vintages::Read(o))
                            }
                            packed => (targets, indicator, packed),
                        };
                        if !wanted.keeps_indicator(indicator.as_ref()) {
                            return Ok(());
                        }
                        size += targets.len()
                            + match &vintages {
                                Vintages::Read(o) => o.len(),
                                // a row packs in about 16 bytes
                                Vintages::Packed(p) => p.len() / 16,
                            };
                        batch.push(Group {
                            indicator,
                            targets,
                            vintages,
                        });
                        if size >= BATCH {
                            to_workers
                                .send(std::mem::take(&mut batch))
                                .map_err(|_| stopped())?;
                            size = 0;
                        }
                        Ok(())
                    },
                )
                .and_then(|()| to_workers.send(batch).map_err(|_| stopped()));
            drop(to_workers);
            let written = collector
                .join()
                .map_err(|_| Error::invalid("the report failed while assessing"))?;
            // the workers' own error first: the reader's then only says it stopped
            let writer = written?;
            read?;
            Ok(writer)
        })?;
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
