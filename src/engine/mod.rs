//! The engine: pure functions from a target, its indicator and its
//! observations to an [`Assessment`], as methodology.md specifies. No
//! database, no formatting.

mod cumulative;
mod level;
pub mod measures;
pub mod method;
mod milestone;
pub mod select;
pub mod status;
pub mod trajectory;

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::model::{
    Direction, Flag, Goal, Indicator, Kind, Observation, PathShape, Target, TargetVersion,
};
use crate::period::Period;
pub use method::{Method, Profile, Verdict};
pub use select::{Point, Use, Uses};
pub use status::Status;

/// A baseline as resolved for an assessment (methodology.md §3).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub period: Period,
    pub value: f64,
    pub t: f64,
}

/// The required path of a target (methodology.md §4), as used.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredPath {
    pub shape: PathShape,
    /// `(t0, b)`.
    pub start: (f64, f64),
    /// `(t1, T)`.
    pub end: (f64, f64),
    /// Intermediate `(t, value)` corners.
    pub waypoints: Vec<(f64, f64)>,
}

impl RequiredPath {
    /// `p(τ)` between the baseline and the deadline; `None` outside.
    pub fn at(&self, tau: f64) -> Option<f64> {
        if tau < self.start.0 - measures::SAME_INSTANT || tau > self.end.0 + measures::SAME_INSTANT
        {
            return None;
        }
        measures::path_value(self.shape, self.start, self.end, &self.waypoints, tau)
    }
}

/// The trend carried forward from the latest value (methodology.md §5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trend {
    /// `x·(1 + g)^(τ − t)`.
    Compound { x: f64, t: f64, g: f64 },
    /// `x + slope·(τ − t)`.
    Linear { x: f64, t: f64, slope: f64 },
}

impl Trend {
    /// The trend's value at `tau`.
    pub fn at(&self, tau: f64) -> Option<f64> {
        match *self {
            Trend::Compound { x, t, g } => measures::project_compound(x, g, t, tau),
            Trend::Linear { x, t, slope } => measures::project_linear(x, slope, t, tau),
        }
    }

    /// When the trend reaches `target`, if it ever does.
    pub fn reaches(&self, target: f64) -> Option<f64> {
        match *self {
            Trend::Compound { x, t, g } => measures::hit_compound(x, g, t, target),
            Trend::Linear { x, t, slope } => measures::hit_linear(x, slope, t, target),
        }
    }
}

/// A milestone's state (methodology.md §7).
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneState {
    pub done_on: Option<NaiveDate>,
    pub late: Option<bool>,
    /// The deadline's last day − the as-of date; negative when overdue.
    pub days_left: i64,
}

/// Everything the engine says about one target on one date. A measure that
/// cannot be computed is `None`, and `notes` says why.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub kind: Kind,
    /// The method the status was assessed by.
    pub method: Method,
    /// The version of the target in force on the as-of date.
    pub version: TargetVersion,
    /// The resolved direction `d` (none for milestones).
    pub direction: Option<Direction>,
    pub baseline: Option<Baseline>,
    /// The resolved target value `T`.
    pub target_value: Option<f64>,
    pub latest: Option<Point>,
    pub progress: Option<f64>,
    pub time_elapsed: Option<f64>,
    pub actual_rate: Option<f64>,
    pub required_rate: Option<f64>,
    pub required_rate_from_now: Option<f64>,
    pub rate_ratio: Option<f64>,
    pub path_value: Option<f64>,
    pub deviation: Option<f64>,
    /// The value projected at the deadline.
    pub projected: Option<f64>,
    pub anticipated_progress: Option<f64>,
    pub projected_hit: Option<NaiveDate>,
    /// The first period whose value met the target.
    pub reached_in: Option<Period>,
    pub gap: Option<f64>,
    pub gap_ratio: Option<f64>,
    pub verdict: Verdict,
    /// The target lies on the wrong side of the baseline for its direction.
    pub met_at_baseline: bool,
    pub milestone: Option<MilestoneState>,
    /// How every observation of the indicator was used.
    pub uses: Vec<(i64, Use)>,
    /// The counting points the assessment rests on, in time order.
    pub points: Vec<Point>,
    /// The required path, where there is one.
    pub path: Option<RequiredPath>,
    /// The trend from the latest value, where one can be formed.
    pub trend: Option<Trend>,
    /// The assessment window, when one was asked for and could be formed.
    pub window: Option<WindowUsed>,
}

impl Assessment {
    fn empty(kind: Kind, method: Method, version: &TargetVersion, verdict: Verdict) -> Assessment {
        Assessment {
            kind,
            method,
            version: version.clone(),
            direction: None,
            baseline: None,
            target_value: None,
            latest: None,
            progress: None,
            time_elapsed: None,
            actual_rate: None,
            required_rate: None,
            required_rate_from_now: None,
            rate_ratio: None,
            path_value: None,
            deviation: None,
            projected: None,
            anticipated_progress: None,
            projected_hit: None,
            reached_in: None,
            gap: None,
            gap_ratio: None,
            verdict,
            met_at_baseline: false,
            milestone: None,
            uses: Vec::new(),
            points: Vec::new(),
            path: None,
            trend: None,
            window: None,
        }
    }

    /// A measure that overflowed or divided by (nearly) zero is unknown,
    /// never infinite or NaN: it becomes `None`, and a note names it.
    fn drop_overflows(&mut self) {
        let mut dropped = Vec::new();
        let mut check = |name: &'static str, x: &mut Option<f64>| {
            if x.is_some_and(|v| !v.is_finite()) {
                *x = None;
                dropped.push(name);
            }
        };
        check("target value", &mut self.target_value);
        check("progress", &mut self.progress);
        check("time elapsed", &mut self.time_elapsed);
        check("actual rate", &mut self.actual_rate);
        check("required rate", &mut self.required_rate);
        check("required rate from now", &mut self.required_rate_from_now);
        check("rate ratio", &mut self.rate_ratio);
        check("path value", &mut self.path_value);
        check("deviation", &mut self.deviation);
        check("projected value", &mut self.projected);
        check("anticipated progress", &mut self.anticipated_progress);
        check("gap", &mut self.gap);
        check("gap ratio", &mut self.gap_ratio);
        check("method value", &mut self.verdict.method_value);
        check("score", &mut self.verdict.score);
        if self.latest.as_ref().is_some_and(|p| !p.value.is_finite()) {
            self.latest = None;
            dropped.push("latest value");
        }
        // a status resting on a number that does not exist is no status
        let unfounded = dropped.contains(&"method value") || dropped.contains(&"latest value");
        if unfounded && !matches!(self.verdict.status, Status::Achieved | Status::Missed) {
            self.verdict.status = Status::NoData;
        }
        if !dropped.is_empty() {
            self.verdict.notes.push(format!(
                "not computable (overflow or division by zero): {}",
                dropped.join(", ")
            ));
        }
    }

    /// Sets the verdict, with the assessment's own `notes` first and the
    /// method's after them.
    fn conclude(mut self, mut verdict: Verdict, mut notes: Vec<String>) -> Assessment {
        if verdict.status == Status::NoData
            && verdict.method_label.is_none()
            && self.kind != Kind::Cumulative
        {
            // the method's own word for it (Open SDG: not_available)
            verdict.method_label = self.method.no_data_label();
        }
        notes.append(&mut verdict.notes);
        notes.retain(|n| !n.is_empty());
        verdict.notes = notes;
        self.verdict = verdict;
        self
    }

    pub fn status(&self) -> Status {
        self.verdict.status
    }

    pub fn notes(&self) -> &[String] {
        &self.verdict.notes
    }
}

/// How an assessment is made, beyond its method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// An assessment window of this many years (`--window N`, methods whose
    /// profile has `window = true`): the growth is measured over the last
    /// N years instead of from the baseline (§6).
    pub window: Option<u32>,
}

/// The assessment window as used (§6, "Assessment window").
#[derive(Debug, Clone, PartialEq)]
pub struct WindowUsed {
    pub years: u32,
    /// `t0' = t − N`.
    pub t0: f64,
    /// The value the window starts from, `b'`.
    pub start: Point,
    /// `g_a` from `b'` to `x`.
    pub actual_rate: Option<f64>,
    /// `g_r` from `b'` to `T` at `t1` (none for a trend target).
    pub required_rate: Option<f64>,
}

/// Assesses `target` as known on `as_of` by `method`. `observations` are
/// every vintage of the target's indicator (others are ignored).
pub fn assess(
    target: &Target,
    indicator: Option<&Indicator>,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
) -> Assessment {
    assess_with(
        target,
        indicator,
        observations,
        as_of,
        method,
        Options::default(),
    )
}

/// [`assess`], with options (an assessment window).
pub fn assess_with(
    target: &Target,
    indicator: Option<&Indicator>,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
    options: Options,
) -> Assessment {
    let rows = Rows::Any(observations);
    assess_rows(target, indicator, rows, as_of, method, options, Uses::Kept)
}

/// [`assess_with`], for a report's row: the caller knows that every one
/// of `observations` is of `indicator` (a report's, unpacked from the
/// indicator's own copy, whose rows leave their `indicator` empty), so
/// they are not looked through to find out, as they are for each target
/// in [`assess_with`] (debug builds check that none says another); and
/// the use of each observation is dropped (`Assessment::uses` is empty)
/// unless a break note needs it, as a report's row shows none. What is
/// assessed is the same.
pub fn assess_own(
    target: &Target,
    indicator: &Indicator,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
    options: Options,
) -> Assessment {
    let rows = Rows::Own(observations);
    let uses = Uses::Dropped;
    assess_rows(target, Some(indicator), rows, as_of, method, options, uses)
}

/// The vintages an assessment is given: of any indicator, or all of the
/// target's own.
enum Rows<'a> {
    Any(&'a [Observation]),
    Own(&'a [Observation]),
}

/// The assessment of [`assess_with`] and [`assess_own`]; `uses`: whether
/// the use of every observation is kept (it is whenever a break note may
/// read it).
fn assess_rows(
    target: &Target,
    indicator: Option<&Indicator>,
    observations: Rows,
    as_of: NaiveDate,
    method: Method,
    options: Options,
    uses: Uses,
) -> Assessment {
    let version = target.version_on(as_of);
    if let Some(w) = target.withdrawn.as_ref().filter(|w| w.on <= as_of) {
        // withdrawn or repealed: no longer assessed (§6)
        let source = w
            .source
            .citation
            .as_deref()
            .or(w.source.url.as_deref())
            .unwrap_or("source not named");
        let mut verdict = Verdict::fixed(Status::Withdrawn, "withdrawn");
        verdict
            .notes
            .push(format!("withdrawn on {} ({source}): {}", w.on, w.why));
        let mut a = Assessment::empty(target.kind, method, version, verdict);
        // the promise as stated, for the reader; no measure
        a.target_value = match version.goal {
            Goal::Value(x) => Some(x),
            _ => None,
        };
        return a;
    }
    if target.kind == Kind::Milestone || version.goal == Goal::Milestone {
        return milestone::assess(target, version, as_of, method);
    }
    let Some(indicator) = indicator else {
        return Assessment::empty(
            target.kind,
            method,
            version,
            Verdict::no_data("the target has no indicator to measure it"),
        );
    };
    // callers usually pass the indicator's own observations already
    let own = |o: &Observation| o.indicator == indicator.id;
    let mine: Cow<[Observation]> = match observations {
        Rows::Own(observations) => {
            debug_assert!(
                observations
                    .iter()
                    .all(|o| o.indicator.is_empty() || own(o))
            );
            Cow::Borrowed(observations)
        }
        Rows::Any(observations) if observations.iter().all(own) => Cow::Borrowed(observations),
        Rows::Any(observations) => {
            Cow::Owned(observations.iter().filter(|o| own(o)).cloned().collect())
        }
    };
    // a break note reads which observations were counted
    let uses = match uses {
        Uses::Dropped if mine.iter().any(|o| o.flags.contains(Flag::Break)) => Uses::Kept,
        uses => uses,
    };
    let mut a = match target.kind {
        Kind::Cumulative => cumulative::assess(version, indicator, &mine, as_of, method, uses),
        _ => level::assess(version, indicator, &mine, as_of, method, options, uses),
    };
    a.verdict.notes.extend(break_note(&a, &mine));
    if version.version > 1 {
        a.verdict.notes.push(format!(
            "version {} of the target, in force since {}",
            version.version,
            version.effective.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    if indicator.year_start != 1 {
        a.verdict
            .notes
            .push(fiscal_note(indicator.year_start, &version.deadline));
    }
    a.drop_overflows();
    a
}

/// What the years of a fiscal indicator are (§1), shown on the deadline
/// when it is one of them: "years are fiscal years from April: the
/// deadline 2024/25 runs from April 2024 to March 2025".
fn fiscal_note(year_start: u32, deadline: &Period) -> String {
    let from = crate::period::month_name(year_start);
    let (start, last) = (deadline.start(), deadline.last_day());
    let month = |d: NaiveDate| crate::period::month_name(chrono::Datelike::month(&d));
    let year = |d: NaiveDate| chrono::Datelike::year(&d);
    format!(
        "years are fiscal years from {from}: the deadline {deadline} runs from {} {} to {} {}",
        month(start),
        year(start),
        month(last),
        year(last)
    )
}

/// A break in series between the baseline and the latest value: a value
/// counted that starts after the baseline's start and before the latest
/// value's end (a part of a derived latest value too), flagged `break`
/// (the publisher's mark on the first value of a new series). The change
/// measured across it may be partly the break's.
fn break_note(a: &Assessment, observations: &[Observation]) -> Option<String> {
    let (baseline, latest) = (a.baseline.as_ref()?, a.latest.as_ref()?);
    if !observations.iter().any(|o| o.flags.contains(Flag::Break)) {
        return None;
    }
    let counted: std::collections::HashSet<i64> = a
        .uses
        .iter()
        .filter(|(_, u)| matches!(u, Use::Counted | Use::Summed))
        .map(|(id, _)| *id)
        .collect();
    let mut breaks: Vec<Period> = observations
        .iter()
        .filter(|o| {
            o.flags.contains(Flag::Break)
                && counted.contains(&o.id)
                && o.period.start() > baseline.period.start()
                && o.period.start() < latest.period.end()
        })
        .map(|o| o.period)
        .collect();
    breaks.sort();
    breaks.dedup();
    if breaks.is_empty() {
        return None;
    }
    let periods: Vec<String> = breaks.iter().map(Period::to_string).collect();
    Some(format!(
        "break in series between the baseline ({}) and the latest value ({}): {} flagged as the start of a new series; the change may be partly the break's, not progress",
        baseline.period,
        latest.period,
        periods.join(", ")
    ))
}

/// The direction `d` (§3): the target's own, else the sign of its change,
/// else the indicator's polarity.
pub fn direction(version: &TargetVersion, indicator: &Indicator) -> Direction {
    if let Some(d) = version.direction {
        return d;
    }
    match version.goal {
        Goal::Change(c) if c.sign() < 0.0 => Direction::Decrease,
        Goal::Change(_) => Direction::Increase,
        _ if indicator.higher_is_better => Direction::Increase,
        _ => Direction::Decrease,
    }
}

/// Renders a fractional-year instant as the date it falls on.
fn date_of(t: f64) -> Option<NaiveDate> {
    crate::period::date_at(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Measure, Source};
    use crate::parse::{date, period};

    #[test]
    fn an_overflowing_measure_is_null_with_a_note_never_infinite() {
        // a cumulative total of 1e-308: progress x/T = 5/1e-308 overflows
        let indicator = Indicator {
            id: "i".into(),
            name: "I".into(),
            entity: None,
            unit: "count".into(),
            measure: Measure::Flow,
            higher_is_better: true,
            limit: None,
            description: None,
            year_start: 1,
            dims: Default::default(),
            parent: None,
        };
        let target = Target {
            id: "t".into(),
            indicator: Some("i".into()),
            kind: Kind::Cumulative,
            versions: vec![TargetVersion {
                version: 1,
                effective: None,
                goal: Goal::Value(1e-308),
                baseline: None,
                baseline_value: None,
                deadline: period("2025").unwrap(),
                from: Some(period("2021").unwrap()),
                direction: None,
                path: PathShape::Linear,
                waypoints: vec![],
                title: None,
                quote: None,
                gloss: None,
                source: Source::default(),
                note: None,
                recorded: String::new(),
            }],
            done: None,
            not_done: vec![],
            withdrawn: None,
            labels: Default::default(),
        };
        let obs = Observation {
            id: 1,
            indicator: "i".into(),
            period: period("2021").unwrap(),
            value: 5.0,
            qualifier: None,
            source: Source::default(),
            published: None,
            note: None,
            flags: Default::default(),
            recorded: String::new(),
            retracted: None,
        };
        let a = assess(
            &target,
            Some(&indicator),
            &[obs],
            date("2022-06-30").unwrap(),
            Method::Pace,
        );
        assert_eq!(a.progress, None);
        assert!(
            a.notes().iter().any(|n| n.contains("progress")),
            "{:?}",
            a.notes()
        );
        // 5 ≥ 1e-308: met all the same
        assert_eq!(a.status(), Status::Achieved);
    }
}
