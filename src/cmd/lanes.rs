//! Work on every core, for the commands that go through every indicator
//! (`report`, `diff`): one lane per core, each a connection of its own at
//! the same snapshot of the database (store's [`Lane`]: the first is the
//! command's own connection), takes the next [`Slice`] of the indicators
//! and does the command's work on it.
//!
//! An error is the one the command would meet reading alone: that of the
//! first slice, in order, that fails (a lane stops only the slices after
//! it), and within a slice the first in reading order.
//!
//! [`Lane`]: crate::store::Lane

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};
use crate::store::{Db, Slice};

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

/// Tells work on a slice whether a slice before it has failed: what it
/// would do next is then never seen, and it may stop.
pub struct Stop<'a> {
    first_failed: &'a AtomicUsize,
    slice: usize,
}

impl Stop<'_> {
    /// Whether to stop.
    pub fn now(&self) -> bool {
        self.first_failed.load(Ordering::Relaxed) < self.slice
    }

    /// The error a stopped slice ends with (never the one reported).
    pub fn stopped() -> Error {
        Error::invalid("stopped reading: a slice before this one failed")
    }
}

/// Runs `work` on every slice of the indicators of `db`, on every lane:
/// each lane with a state of its own, made by `lane`, which it gets back
/// at the end (in no particular order). The error is that of the first
/// slice that failed.
pub fn each_slice<L, N, W>(db: &Db, lane: N, work: W) -> Result<Vec<L>>
where
    L: Send,
    N: Fn() -> L + Sync,
    W: Fn(&mut L, &Db, &Slice, &Stop) -> Result<()> + Sync,
{
    let more = db.lanes(lanes() - 1);
    let slices = if more.is_empty() {
        vec![Slice::All]
    } else {
        db.slices(&shares(more.len() + 1))?
    };
    let next = AtomicUsize::new(0);
    // the failed slice that comes first, and its error; and its index
    // (`usize::MAX` while none has failed): the slices after it are not read
    let failed: Mutex<Option<(usize, Error)>> = Mutex::new(None);
    let first_failed = AtomicUsize::new(usize::MAX);
    let run = |db: &Db| -> L {
        let mut state = lane();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= slices.len() || first_failed.load(Ordering::Relaxed) < i {
                return state;
            }
            let stop = Stop {
                first_failed: &first_failed,
                slice: i,
            };
            if let Err(e) = work(&mut state, db, &slices[i], &stop) {
                let mut failed = failed.lock().unwrap_or_else(|p| p.into_inner());
                if failed.as_ref().is_none_or(|(j, _)| i < *j) {
                    *failed = Some((i, e));
                    first_failed.store(i, Ordering::Relaxed);
                }
            }
        }
    };
    let states = std::thread::scope(|scope| {
        let others: Vec<_> = more
            .into_iter()
            .map(|lane| {
                let run = &run;
                scope.spawn(move || run(&lane.db()))
            })
            .collect();
        let mut states = vec![run(db)];
        for other in others {
            match other.join() {
                Ok(state) => states.push(state),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        states
    });
    if let Some((_, e)) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(states)
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
