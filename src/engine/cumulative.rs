//! Cumulative targets: the sum of a flow over a window reaches `T`
//! ("4,000 additional jobs in 2021–2025"), methodology.md §7 and §2 rule 5.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::measures::{SAME_INSTANT, at_least};
use super::method::{Method, Rules, Verdict};
use super::select::{Point, Use, Uses, counting_with};
use super::status::Status;
use super::{Assessment, Baseline, RequiredPath, Trend, date_of, direction};
use crate::model::{Goal, Indicator, Kind, Observation, PathShape, TargetVersion};
use crate::period::{Grain, Period, Span, year_fraction};

/// `b = 0` at the window start; `x` = the sum so far; rates per year
/// (`x/(t − t0)` vs `T/(t1 − t0)`); projection `x / time share`; status by
/// pace whatever the method. `kept`: whether the use of every
/// observation is kept (see [`Uses`]).
pub fn assess(
    version: &TargetVersion,
    indicator: &Indicator,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
    kept: Uses,
) -> Assessment {
    let mut a = Assessment::empty(Kind::Cumulative, method, version, Verdict::no_data(""));
    let d = direction(version, indicator);
    a.direction = Some(d);
    let mut notes = Vec::new();
    let Some(window) = window(version) else {
        return a.conclude(
            Verdict::no_data("a cumulative target needs a window start (--from)"),
            notes,
        );
    };
    let Goal::Value(target) = version.goal else {
        return a.conclude(
            Verdict::no_data("a cumulative target needs a total (--value)"),
            notes,
        );
    };
    a.target_value = Some(target);
    let (t0, t1) = (year_fraction(window.start()), year_fraction(window.end()));
    a.baseline = Some(Baseline {
        period: window,
        value: 0.0,
        t: t0,
    });
    // the required path of a cumulative target is linear in time (§7)
    a.path = Some(RequiredPath {
        shape: PathShape::Linear,
        start: (t0, 0.0),
        end: (t1, target),
        waypoints: Vec::new(),
    });

    let counted_now = counting_with(observations, as_of, false, None, kept);
    let (points, mut uses) = (counted_now.points, counted_now.uses);
    let (counted, covered_elsewhere, outside) = sum_without_overlap(&points, &window);
    let covered_elsewhere: HashSet<i64> = covered_elsewhere.into_iter().collect();
    let in_sum: HashSet<i64> = counted.iter().map(|p| p.obs_id).collect();
    for (id, u) in uses.iter_mut() {
        if covered_elsewhere.contains(id) {
            *u = Use::Overlapped;
        } else if *u == Use::Counted && !in_sum.contains(id) {
            *u = Use::OutsideWindow;
        }
    }
    a.uses = uses;
    if outside > 0 {
        notes.push(format!(
            "{outside} observation{} outside the window {window} or across its edges not counted",
            if outside == 1 { "" } else { "s" }
        ));
    }
    let Some(last) = counted.iter().max_by_key(|p| p.period.end()) else {
        let reason = format!("no observation inside the window {window} known on {as_of}");
        return a.conclude(Verdict::no_data(reason), notes);
    };
    let x: f64 = counted.iter().map(|p| p.value).sum();
    let t = last.t;
    let uncovered = uncovered_days(&counted, window.start(), last.period.end());
    if uncovered > 0 {
        notes.push(format!(
            "{uncovered} day(s) between {} and {} have no observation and count as nothing",
            window.start(),
            last.period.last_day()
        ));
    }
    a.points = counted.clone();
    a.latest = Some(Point {
        obs_id: last.obs_id,
        period: last.period,
        value: x,
        qualifier: None,
        t,
        parts: Vec::new(),
    });
    let share = (t - t0) / (t1 - t0);
    a.time_elapsed = Some(share);
    // signed by the direction, as every distance ratio (§3)
    a.progress = (target != 0.0).then(|| d.sign() * x / target.abs());
    a.actual_rate = Some(x / (t - t0));
    a.trend = Some(Trend::Linear {
        x,
        t,
        slope: x / (t - t0),
    });
    a.required_rate = Some(target / (t1 - t0));
    a.rate_ratio = (target != 0.0).then(|| d.sign() * (x / (t - t0)) / (target / (t1 - t0)).abs());
    if t < t1 {
        a.required_rate_from_now = Some((target - x) / (t1 - t));
    }
    a.path_value = Some(target * share);
    a.deviation = Some(d.sign() * (x - target * share));
    a.projected = Some(x / share);
    a.anticipated_progress = (target != 0.0).then(|| d.sign() * x / share / target.abs());
    a.gap = Some(d.sign() * (target - x));
    a.gap_ratio = (target != 0.0).then(|| d.sign() * (target - x) / target.abs());

    let met = at_least(d.sign() * x, d.sign() * target);
    // the first period through which the running sum met the total
    let mut running = 0.0;
    a.reached_in = counted
        .iter()
        .find(|p| {
            running += p.value;
            at_least(d.sign() * running, d.sign() * target)
        })
        .map(|p| p.period);
    let complete = (t - t1).abs() < SAME_INSTANT && uncovered == 0;
    let mut verdict = match a.progress {
        Some(p) => Method::Pace.classify(Rules::WithTarget, p / share, 1.0),
        None => Verdict::no_data("a total of zero cannot be paced"),
    };
    if method != Method::Pace {
        notes.push("cumulative targets are assessed by pace, whatever the method".to_string());
    }
    if met {
        verdict.status = Status::Achieved;
        verdict.method_label = Some("target met");
    } else if complete {
        verdict.status = Status::Missed;
        verdict.method_label = Some("target missed");
    } else if as_of > window.last_day() {
        // the window has closed with periods unknown: the pace on what is
        // known, and no projected date (§7)
        let (known, all) = periods_known(&counted, &window, &version.deadline);
        notes.push(format!(
            "window closed on {}; {known} of {all} periods known, values for the rest are awaited",
            window.last_day()
        ));
        // the pace on what is known: the sum against the share of the
        // window its values cover (an unknown period is not a zero)
        let days = (window.end() - window.start()).num_days() as f64;
        let covered = days - uncovered_days(&counted, window.start(), window.end()) as f64;
        if let Some(p) = a.progress
            && covered > 0.0
        {
            verdict = Method::Pace.classify(Rules::WithTarget, p / (covered / days), 1.0);
            verdict.notes.push(format!(
                "paced on the {:.0}% of the window its known values cover",
                100.0 * covered / days
            ));
        }
    } else {
        a.projected_hit = a.trend.and_then(|tr| tr.reaches(target)).and_then(date_of);
    }
    a.conclude(verdict, notes)
}

/// The window `[from, deadline end)` as a period.
fn window(version: &TargetVersion) -> Option<Period> {
    let from = version.from?;
    let last = version.deadline.last();
    if from.first().grain == last.grain && from.first().start <= last.start {
        Some(Period::new(from.first(), last))
    } else if from.start() < version.deadline.end() {
        // different grains: a range of days from the first to the last day
        let day = |start| Span::calendar(Grain::Day, start);
        Some(Period::new(
            day(from.start()),
            day(version.deadline.last_day()),
        ))
    } else {
        None
    }
}

/// The points inside `window` to sum: the longest period wins; a shorter one
/// counts only where no longer one covers any of it (§2 rule 5). Returns the
/// counted points, the ids left out for overlap, and how many fell outside.
pub fn sum_without_overlap(points: &[Point], window: &Period) -> (Vec<Point>, Vec<i64>, usize) {
    let mut inside: Vec<&Point> = points
        .iter()
        .filter(|p| p.period.start() >= window.start() && p.period.end() <= window.end())
        .collect();
    let outside = points.len() - inside.len();
    inside.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.period.end() - p.period.start()),
            p.period.start(),
        )
    });
    let mut counted: Vec<Point> = Vec::new();
    let mut overlapped = Vec::new();
    for p in inside {
        let clash = counted
            .iter()
            .any(|c| p.period.start() < c.period.end() && c.period.start() < p.period.end());
        if clash {
            overlapped.push(p.obs_id);
        } else {
            counted.push(p.clone());
        }
    }
    counted.sort_by_key(|p| p.period.start());
    (counted, overlapped, outside)
}

/// How many periods of the deadline's length in the window are wholly
/// covered by counted values, and how many there are.
fn periods_known(counted: &[Point], window: &Period, deadline: &Period) -> (usize, usize) {
    let mut periods = Vec::new();
    let mut k = 0;
    while let Some(p) = deadline.shifted(-k) {
        if p.start() < window.start() || k > 1000 {
            break;
        }
        periods.push(p);
        k += 1;
    }
    let known = periods
        .iter()
        .filter(|p| uncovered_days(counted, p.start(), p.end()) == 0)
        .count();
    (known, periods.len())
}

/// Days in `[from, to)` that no counted period covers.
fn uncovered_days(counted: &[Point], from: NaiveDate, to: NaiveDate) -> i64 {
    let covered: i64 = counted
        .iter()
        .map(|p| {
            (p.period.end().min(to) - p.period.start().max(from))
                .num_days()
                .max(0)
        })
        .sum();
    (to - from).num_days() - covered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::period;

    fn point(id: i64, p: &str, v: f64) -> Point {
        let period = period(p).unwrap();
        Point {
            obs_id: id,
            period,
            value: v,
            qualifier: None,
            t: period.instant(false),
            parts: Vec::new(),
        }
    }

    #[test]
    fn the_longest_period_wins_and_no_day_counts_twice() {
        let window = period("2021..2025").unwrap();
        let points = [
            point(1, "2021", 900.0),
            point(2, "2021-Q1", 200.0), // inside 2021: left out
            point(3, "2022-H1", 400.0), // nothing longer covers it: counted
            point(4, "2022-07", 50.0),  // counted
            point(5, "2022-01", 80.0),  // inside 2022-H1: left out
            point(6, "2020", 1000.0),   // before the window
        ];
        let (counted, overlapped, outside) = sum_without_overlap(&points, &window);
        let ids: Vec<i64> = counted.iter().map(|p| p.obs_id).collect();
        assert_eq!(ids, vec![1, 3, 4]);
        assert_eq!(overlapped, vec![2, 5]);
        assert_eq!(outside, 1);
        // 900 + 400 + 50
        assert_eq!(counted.iter().map(|p| p.value).sum::<f64>(), 1350.0);
        // 2022-08-01..2023-01-01 is not covered: 153 days
        assert_eq!(
            uncovered_days(&counted, window.start(), period("2022").unwrap().end()),
            153
        );
    }
}
