//! `goalpost diff --from DATE [--to DATE]`: what changed between two
//! reports, and why.

use std::io::Write;
use std::sync::Mutex;

use chrono::NaiveDate;

use super::lanes::{self, Stop};
use super::{Ctx, as_of, with_output_as};
use crate::cli::DiffArgs;
use crate::engine;
use crate::engine::Status;
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Target};
use crate::render::diff::Writer;
use crate::report::{Between, Change, Compared, Filter, Row, recorded};
use crate::store::{Db, Unpacker, Vintages};

/// Both reports in lockstep, one indicator at a time, on every core (see
/// [`lanes`]): each target is assessed on both sides and compared as it
/// comes, its change rendered at once; the changes are put in the later
/// report's order at the end, so the output does not depend on which lane
/// was first.
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
        let writer = Mutex::new(Writer::new(format, look, between));
        // whole rows as recorded (their times of entry); else the rows an
        // assessment reads, and the whole rows, which the causes cite the
        // sources of, only for an indicator with a target that changed
        let full = a.as_recorded;
        let lane = || Lane {
            unpacker: Unpacker::default(),
            found: Found::default(),
            unpacked: Vec::new(),
            read: Vec::new(),
        };
        let lanes = lanes::each_slice(db, lane, |lane, db, slice, stop| {
            db.each_indicator_with_vintages(
                full,
                slice,
                Vec::new,
                |indicator, targets, vintages| {
                    if stop.now() {
                        return Err(Stop::stopped());
                    }
                    let Lane {
                        unpacker,
                        found,
                        unpacked,
                        read,
                    } = &mut *lane;
                    // a packed copy holds its indicator's own vintages only
                    let (observations, own) = match vintages {
                        Vintages::Read(o) => {
                            *read = o;
                            (read.as_slice(), false)
                        }
                        Vintages::Packed(p) => {
                            unpacker.unpack_into(&p, unpacked)?;
                            (unpacked.as_slice(), true)
                        }
                    };
                    let Some(corrections) = &corrections else {
                        let on = VintagesOf {
                            indicator: indicator.as_ref(),
                            observations,
                            own,
                        };
                        let old = rows(&targets, &on, from, method_from);
                        let whole = Whole::Later {
                            db,
                            indicator: indicator.as_ref().map(|i| i.id.as_str()),
                            rows: None,
                        };
                        compare(found, &between, &filter, old, &targets, &on, whole)?;
                        return found.add_to(&writer);
                    };
                    let as_on = |day| {
                        recorded::database(
                            targets.clone(),
                            indicator.clone().into_iter().collect(),
                            observations.to_vec(),
                            corrections,
                            day,
                        )
                    };
                    let (t, mut i, o) = as_on(from);
                    let i = i.pop();
                    let on = VintagesOf {
                        indicator: i.as_ref(),
                        observations: &o,
                        own: false,
                    };
                    let old = rows(&t, &on, from, method_from);
                    // the later report, and the causes: as recorded by the later date
                    let (t, mut i, o) = as_on(to);
                    let i = i.pop();
                    let on = VintagesOf {
                        indicator: i.as_ref(),
                        observations: &o,
                        own: false,
                    };
                    compare(found, &between, &filter, old, &t, &on, Whole::Read(&o))?;
                    found.add_to(&writer)
                },
            )
        })?;
        let mut writer = writer.into_inner().unwrap_or_else(|p| p.into_inner());
        for lane in lanes {
            writer.unchanged_more(lane.found.unchanged);
        }
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

/// One indicator and the vintages its targets are assessed on; `own`:
/// all of them are of that indicator (unpacked from its own copy).
struct VintagesOf<'a> {
    indicator: Option<&'a Indicator>,
    observations: &'a [Observation],
    own: bool,
}

impl VintagesOf<'_> {
    /// Target `t`'s assessment on `day`: as a report's row reads it, the
    /// use of each vintage left out when they are the indicator's own (see
    /// [`engine::assess_own`]: a row shows none); what is assessed is the
    /// same.
    fn assess(&self, t: &Target, day: NaiveDate, method: engine::Method) -> engine::Assessment {
        let options = engine::Options::default();
        match self.indicator.filter(|_| self.own) {
            Some(i) => engine::assess_own(t, i, self.observations, day, method, options),
            None => engine::assess_with(t, self.indicator, self.observations, day, method, options),
        }
    }
}

/// The earlier report's rows of one indicator's targets, by id.
fn rows(targets: &[Target], on: &VintagesOf, day: NaiveDate, method: engine::Method) -> Vec<Row> {
    targets
        .iter()
        .map(|t| Row::new(t, on.indicator, &on.assess(t, day, method)))
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

/// What a lane works with, reused from one indicator to the next: the
/// vintages unpacked last (their rows filled again) and read last.
struct Lane {
    unpacker: Unpacker,
    found: Found,
    unpacked: Vec<Observation>,
    read: Vec<Observation>,
}

/// What a lane has found of one indicator's targets, on its way to the
/// writer; and the targets it found unchanged, counted.
#[derive(Default)]
struct Found {
    changes: Vec<(Box<Change>, Status, NaiveDate)>,
    unchanged: usize,
}

impl Found {
    /// Renders the changes found into the writer (and lets go of them).
    fn add_to(&mut self, writer: &Mutex<Writer>) -> Result<()> {
        if self.changes.is_empty() {
            return Ok(());
        }
        let mut writer = writer
            .lock()
            .map_err(|_| Error::invalid("the diff failed while comparing"))?;
        for (c, status, deadline_end) in self.changes.drain(..) {
            writer.push(&c, status, deadline_end)?;
        }
        Ok(())
    }
}

/// Compares the later report's rows of one indicator's `targets` (those
/// `filter` keeps), assessed `on` its vintages, with the earlier report's
/// `old`; the causes of a change come from the `whole` rows.
fn compare(
    found: &mut Found,
    between: &Between,
    filter: &Filter,
    old: Vec<Row>,
    targets: &[Target],
    on: &VintagesOf,
    mut whole: Whole,
) -> Result<()> {
    let indicator = on.indicator;
    for t in targets {
        let a = on.assess(t, between.to, between.method);
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
                found.unchanged += 1;
            }
            continue;
        }
        match between.compare(before, &new, t, indicator, whole.rows()?) {
            Compared::Changed(c) => found
                .changes
                .push((c, new.status, a.version.deadline.end())),
            Compared::Unchanged => found.unchanged += 1,
            Compared::Absent => {}
        }
    }
    Ok(())
}
