//! How `report` uses every core: one lane per core, each a connection of
//! its own at the same snapshot of the database (store's [`Lane`]: the
//! first is the report's own connection), takes the next [`Slice`] of the
//! indicators, reads each indicator with its targets and vintages, unpacks,
//! assesses and renders them, and adds the rendered rows to the one
//! [`Writer`], which puts them in the report's order at the end. Rows come
//! in any order, so the output does not depend on which lane was first.
//!
//! An error is the one the report would meet reading alone: that of the
//! first slice, in order, that fails (a lane stops only the slices after
//! it), and within a slice the first in reading order.

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::engine::{self, Method, Options};
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Target};
use crate::render::report::{Rendered, Renderer, Writer};
use crate::report::{Filter, Row, Spark};
use crate::store::{Db, Slice, Unpacker, Vintages};

/// One indicator's targets and vintages, on their way to be assessed.
pub struct Group {
    pub indicator: Option<Indicator>,
    pub targets: Vec<Target>,
    pub vintages: Vintages,
}

/// How each target is assessed, and which rows are kept.
#[derive(Clone, Copy)]
pub struct Assessing<'a> {
    pub as_of: NaiveDate,
    pub method: Method,
    pub options: Options,
    pub filter: &'a Filter,
    /// Whether each row gets its small chart (the HTML page).
    pub sparks: bool,
}

/// Rendered bytes a lane keeps before it adds them to the writer: the
/// writer's lock is taken a few dozen times, not once per row.
const FLUSH: usize = 256 << 10;

/// The share of the targets in each slice, in the order the lanes take
/// them, for `lanes` lanes: halving, a lane's worth of slices at a time
/// (a quarter each for two lanes, then an eighth…) down to a 128th of the
/// targets, then what is left in equal slices. The last slices taken are
/// small, so the lanes finish close together: with eight slices alike
/// (four a lane), the lane that finished first waited about 2 ms for the
/// other at 30k targets, of some 85 ms; with these, about 1.
fn shares(lanes: usize) -> Vec<f64> {
    let mut shares = Vec::new();
    let mut left = 1.0;
    while left / (2 * lanes) as f64 >= 1.0 / 128.0 {
        shares.extend(std::iter::repeat_n(left / (2 * lanes) as f64, lanes));
        left /= 2.0;
    }
    shares.extend(std::iter::repeat_n(left / lanes as f64, lanes));
    shares
}

/// The lanes: one per core (at least one).
fn lanes() -> usize {
    crate::render::ordered::threads()
}

/// What the lanes share: the slices, the next one to take, the writer, and
/// the first failure.
struct Shared<'a, G> {
    slices: Vec<Slice>,
    next: AtomicUsize,
    writer: Mutex<Writer>,
    /// The failed slice that comes first, and its error.
    failed: Mutex<Option<(usize, Error)>>,
    /// The index of that slice (`usize::MAX` while none has failed): the
    /// slices after it are not read.
    first_failed: AtomicUsize,
    full: bool,
    how: Assessing<'a>,
    renderer: Renderer,
    group: &'a G,
}

/// Reads every indicator with its targets (whole rows with `full`), makes
/// each a [`Group`] with `group` (`None` leaves it out), and assesses and
/// renders every target of it into `writer`, which it returns.
pub fn assess_all<G>(
    db: &Db,
    full: bool,
    writer: Writer,
    how: Assessing,
    group: G,
) -> Result<Writer>
where
    G: Fn(Option<Indicator>, Vec<Target>, Vintages) -> Option<Group> + Sync,
{
    let more = db.lanes(lanes() - 1);
    let slices = if more.is_empty() {
        vec![Slice::All]
    } else {
        db.slices(&shares(more.len() + 1))?
    };
    let shared = Shared {
        slices,
        next: AtomicUsize::new(0),
        renderer: writer.renderer(),
        writer: Mutex::new(writer),
        failed: Mutex::new(None),
        first_failed: AtomicUsize::new(usize::MAX),
        full,
        how,
        group: &group,
    };
    std::thread::scope(|scope| {
        for lane in more {
            let shared = &shared;
            scope.spawn(move || run(&lane.db(), shared));
        }
        run(db, &shared);
    });
    let failed = shared
        .failed
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    if let Some((_, e)) = failed {
        return Err(e);
    }
    Ok(shared
        .writer
        .into_inner()
        .unwrap_or_else(|p| p.into_inner()))
}

/// One lane: takes slices until there are none (or one before it failed),
/// and reads, assesses and renders each.
fn run<G>(db: &Db, shared: &Shared<G>)
where
    G: Fn(Option<Indicator>, Vec<Target>, Vintages) -> Option<Group> + Sync,
{
    let mut lane = Assessor {
        unpacker: Unpacker::default(),
        out: Rendered::default(),
    };
    // vectors of read vintages, to be filled again
    let spares: RefCell<Vec<Vec<Observation>>> = RefCell::new(Vec::new());
    loop {
        let i = shared.next.fetch_add(1, Ordering::Relaxed);
        if i >= shared.slices.len() || shared.first_failed.load(Ordering::Relaxed) < i {
            return;
        }
        let stopped = || Error::invalid("the report stopped reading");
        let read = db.each_indicator_with_vintages(
            shared.full,
            &shared.slices[i],
            || spares.borrow_mut().pop().unwrap_or_default(),
            |indicator, targets, vintages| {
                if shared.first_failed.load(Ordering::Relaxed) < i {
                    return Err(stopped());
                }
                let Some(g) = (shared.group)(indicator, targets, vintages) else {
                    return Ok(());
                };
                lane.assess(&g, shared.how, &shared.renderer)?;
                if let Vintages::Read(o) = g.vintages {
                    spares.borrow_mut().push(o);
                }
                if lane.out.len() >= FLUSH {
                    lane.flush(&shared.writer)?;
                }
                Ok(())
            },
        );
        if let Err(e) = read.and_then(|()| lane.flush(&shared.writer)) {
            fail(shared, i, e);
        }
    }
}

/// Notes that slice `i` failed with `e`, unless one before it did.
fn fail<G>(shared: &Shared<G>, i: usize, e: Error) {
    let mut failed = shared.failed.lock().unwrap_or_else(|p| p.into_inner());
    if failed.as_ref().is_none_or(|(j, _)| i < *j) {
        *failed = Some((i, e));
        shared.first_failed.store(i, Ordering::Relaxed);
    }
}

/// What a lane assesses and renders with, reused from one indicator to
/// the next.
struct Assessor {
    unpacker: Unpacker,
    out: Rendered,
}

impl Assessor {
    /// Assesses every target of `g` and renders the rows kept.
    fn assess(&mut self, g: &Group, how: Assessing, renderer: &Renderer) -> Result<()> {
        let indicator = g.indicator.as_ref();
        // a packed copy is of one indicator, and its rows do not say which
        let (observations, own) = match &g.vintages {
            Vintages::Read(o) => (o.as_slice(), None),
            Vintages::Packed(p) => {
                let own = indicator.filter(|i| i.id == p.indicator()).ok_or_else(|| {
                    Error::invalid(format!(
                        "the report read indicator '{}' for another's targets",
                        p.indicator()
                    ))
                })?;
                (self.unpacker.unpack(p)?, Some(own))
            }
        };
        for t in &g.targets {
            let (as_of, method, options) = (how.as_of, how.method, how.options);
            let a = match own {
                Some(i) => engine::assess_own(t, i, observations, as_of, method, options),
                None => engine::assess_with(t, indicator, observations, as_of, method, options),
            };
            let row = Row::new(t, indicator, &a);
            if how.filter.keeps(&row) {
                let spark = how.sparks.then(|| Spark::new(t, &a));
                renderer.render(
                    &row,
                    a.version.deadline.end(),
                    spark.as_ref(),
                    &mut self.out,
                )?;
            }
        }
        Ok(())
    }

    /// Adds what is rendered to the writer (and empties it).
    fn flush(&mut self, writer: &Mutex<Writer>) -> Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        writer
            .lock()
            .map_err(|_| Error::invalid("the report failed while assessing"))?
            .add(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn the_slices_halve_a_lane_s_worth_at_a_time_and_cover_every_target() {
        let two = shares(2);
        let expected: Vec<f64> = [4.0, 4.0, 8.0, 8.0, 16.0, 16.0, 32.0, 32.0]
            .into_iter()
            .chain([64.0, 64.0, 128.0, 128.0, 128.0, 128.0])
            .map(|d| 1.0 / d)
            .collect();
        assert_eq!(two, expected);
        for lanes in 1..=8 {
            let s = shares(lanes);
            assert!(
                (s.iter().sum::<f64>() - 1.0).abs() < 1e-12,
                "{lanes}: {s:?}"
            );
            assert!(s.is_sorted_by(|a, b| a >= b), "{lanes}: {s:?}");
            assert!(s.iter().all(|x| *x >= 1.0 / 256.0), "{lanes}: {s:?}");
        }
        // one lane: halves down to a 128th, then the rest
        assert_eq!(shares(1)[..2], [0.5, 0.25]);
    }
}
