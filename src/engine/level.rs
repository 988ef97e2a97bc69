//! Level targets (reach `T` by the deadline, stated as a value or as a
//! change from the baseline) and trend targets (a direction only):
//! methodology.md §3–§6.
//!
//! The assessment runs in the order the spec has: resolve the baseline
//! ([`resolve_baseline`]), the target value and the required path
//! ([`required_path`]), the latest value as judged at the deadline
//! ([`judged_value`]), the measures ([`measure`]), then the verdict
//! ([`verdict`]).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::measures::{self as m, SAME_INSTANT as EPS, at_least};
use super::method::{MeasureKind, Method, OpenSdg, Rules, Verdict};
use super::select::{self, Counting, Point, Use, Uses, counting_with};
use super::status::Status;
use super::{Assessment, Baseline, Options, RequiredPath, Trend, WindowUsed, date_of, direction};
use crate::model::{Change, Goal, Indicator, Kind, Measure, Observation, PathShape, TargetVersion};
use crate::period::{Period, year_fraction};

/// `uses`: whether the use of every observation is kept (see [`Uses`]).
pub fn assess(
    version: &TargetVersion,
    indicator: &Indicator,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
    options: Options,
    uses: Uses,
) -> Assessment {
    let stock = indicator.measure == Measure::Stock;
    let deadline = version.deadline;
    let same_length = (!stock).then_some(&deadline);
    let c: Counting = counting_with(observations, as_of, stock, same_length, uses);
    let d = direction(version, indicator);
    let kind = if version.goal == Goal::Direction {
        Kind::Trend
    } else {
        Kind::Level
    };
    let mut a = Assessment::empty(kind, method, version, Verdict::no_data(""));
    a.direction = Some(d);
    let mut notes = select::uncompared_notes(&c, &deadline_length(&deadline));
    a.uses = c.uses;
    a.points = c.points;
    let stated_value = match version.goal {
        Goal::Value(x) => Some(x),
        _ => None,
    };

    // 1. the baseline (§3)
    let t1 = year_fraction(deadline.end());
    let resolved = resolve_baseline(version, &a.points, stock, as_of);
    // an observed baseline at or after the deadline leaves nothing to
    // measure progress by; a value target is still judged on its deadline
    let too_late =
        version.baseline_value.is_none() && matches!(&resolved, Ok((b, _)) if b.t >= t1 - EPS);
    let baseline = match resolved {
        Ok((baseline, note)) if !too_late => {
            notes.extend(note);
            baseline
        }
        other => {
            let reason = match other {
                Err(reason) => reason,
                Ok((b, _)) => format!(
                    "no value before the deadline ({deadline}) to measure progress from: the first known is {}",
                    b.period
                ),
            };
            a.target_value = stated_value;
            let verdict = match stated_value {
                Some(target) => deadline_only(&mut a, &deadline, stock, as_of, target, reason),
                None => Verdict::no_data(reason),
            };
            return a.conclude(verdict, notes);
        }
    };
    let (b, t0) = (baseline.value, baseline.t);
    a.baseline = Some(baseline.clone());

    // 2. the target value, resolved against the baseline (§3)
    let target = match version.goal {
        Goal::Value(x) => Some(x),
        Goal::Change(Change::Relative(p)) => Some(b * (1.0 + p)),
        Goal::Change(Change::Absolute(delta) | Change::Points(delta)) => Some(b + delta),
        Goal::Direction | Goal::Milestone => None,
    };
    a.target_value = target;
    if let Some(target) = target
        && d.sign() * (target - b) < 0.0
    {
        a.met_at_baseline = true;
        notes.push(format!(
            "the target is already met at the baseline ({}): check the direction (--direction or --lower-is-better)",
            baseline.period
        ));
    }
    if t1 <= t0 {
        return a.conclude(
            Verdict::no_data(format!(
                "the baseline ({}) is not before the deadline ({deadline})",
                baseline.period
            )),
            notes,
        );
    }

    // 3. the required path (§4), known before any observation after the baseline
    a.path = target.map(|target| required_path(version, stock, (t0, b), (t1, target), &mut notes));

    // 4. the latest value, judged at the deadline (§6)
    let judged = judged_value(&a.points, &baseline, &deadline, stock, as_of);
    mark_after_deadline(&mut a, t1);
    if as_of > deadline.last_day() && a.points.iter().any(|p| p.t > t1 + EPS) {
        notes.push(format!(
            "observations after the deadline ({deadline}) are shown but do not change the verdict"
        ));
    }
    if judged.awaited && !judged.is_baseline {
        notes.push(format!(
            "the deadline value ({deadline}) is awaited; assessed on the latest earlier value ({})",
            judged.point.period
        ));
    }
    if judged.is_baseline {
        let upto = if as_of > deadline.last_day() {
            format!(" up to the deadline ({deadline})")
        } else {
            String::new()
        };
        notes.push(format!(
            "no observation after the baseline ({}){upto} known on {as_of}: the baseline is the latest value",
            baseline.period
        ));
    }
    let (x, t) = (judged.point.value, judged.point.t);
    a.latest = Some(judged.point.clone());

    // 5. the measures (§5)
    let d = d.sign();
    measure(
        &mut a,
        (t0, b),
        (t1, target),
        (t, x),
        judged.decides,
        &mut notes,
    );

    // the assessment window, where one is asked for (§6, eurostat)
    let window = match options.window {
        Some(n) if method.profile().window && !judged.is_baseline => {
            match assessment_window(&a.points, &judged.point, n, t1, target, stock) {
                Ok((w, note)) => {
                    notes.extend(note);
                    notes.push(format!(
                        "assessed over the {n}-year window: growth from {} to {}",
                        w.start.period, judged.point.period
                    ));
                    Some(w)
                }
                Err(reason) => {
                    notes.push(reason);
                    None
                }
            }
        }
        _ => None,
    };
    let window_failed = options.window.is_some() && method.profile().window && window.is_none();
    a.window = window;

    // 6. the verdict (§6)
    let Some(target) = target else {
        if window_failed {
            return a.conclude(Verdict::no_data(""), notes);
        }
        // a trend target: the method's no-target rule
        if judged.is_baseline && method.measure() != MeasureKind::Opensdg {
            return a.conclude(Verdict::no_data(""), notes);
        }
        let verdict = trend_verdict(method, d, &a, b, x, t - t0, indicator.limit);
        return a.conclude(verdict, notes);
    };
    let mut verdict = verdict(&a, &judged, indicator.limit, &mut notes);
    if window_failed && !matches!(verdict.status, Status::Achieved | Status::Missed) {
        verdict = Verdict::no_data("");
        verdict.method_label = method.no_data_label();
    }
    if verdict.status != Status::Achieved {
        a.projected_hit = a.trend.and_then(|tr| tr.reaches(target)).and_then(date_of);
    }
    a.conclude(verdict, notes)
}

/// A value target without a baseline to measure progress from (none
/// stated, none known before the deadline): the promise can still be
/// judged. The deadline period's own value decides achieved or missed; a
/// value that meets the target is achieved; otherwise there is no data.
fn deadline_only(
    a: &mut Assessment,
    deadline: &Period,
    stock: bool,
    as_of: NaiveDate,
    target: f64,
    reason: String,
) -> Verdict {
    let start = Baseline {
        period: *deadline,
        value: f64::NAN,
        t: f64::NEG_INFINITY,
    };
    let judged = judged_value(&a.points, &start, deadline, stock, as_of);
    let method = a.method;
    let d = a.direction.map_or(1.0, |d| d.sign());
    if judged.is_baseline {
        return Verdict::no_data(reason);
    }
    let x = judged.point.value;
    mark_after_deadline(a, year_fraction(deadline.end()));
    a.latest = Some(judged.point.clone());
    a.gap = Some(d * (target - x) + 0.0);
    a.gap_ratio = (target != 0.0).then(|| d * (target - x) / target.abs() + 0.0);
    let mut v = if method.met(d, x, target) {
        let mut v = Verdict::fixed(Status::Achieved, method.met_label());
        v.score = method.met_score();
        v
    } else if judged.decides {
        Verdict::fixed(Status::Missed, method.missed_label())
    } else {
        let mut v = Verdict::no_data(reason);
        v.method_label = method.no_data_label();
        return v;
    };
    v.notes.push(format!(
        "{reason}; judged on the value of {} against the target alone",
        judged.point.period
    ));
    v
}

fn deadline_length(p: &Period) -> String {
    match p.months() {
        Some(12) => "a year".into(),
        Some(1) => "a month".into(),
        Some(n) => format!("{n} months"),
        None => format!("{} days", (p.end() - p.start()).num_days()),
    }
}

/// The baseline (§3): the stated value; else the observation for the
/// baseline period known on the as-of date. Without one, a target stated
/// as a value (or a direction) takes the next later observation (the Open
/// SDG rule, with a note), but a target stated as a change has no
/// fallback: "−55% versus 1990" is not "−55% versus 2005". Without a
/// baseline period, the first observation (with a note).
fn resolve_baseline(
    version: &TargetVersion,
    points: &[Point],
    stock: bool,
    as_of: NaiveDate,
) -> Result<(Baseline, Option<String>), String> {
    let from_point = |p: &Point| Baseline {
        period: p.period,
        value: p.value,
        t: p.t,
    };
    match (version.baseline, version.baseline_value) {
        (Some(period), Some(value)) => Ok((
            Baseline {
                period,
                value,
                t: period.instant(stock),
            },
            None,
        )),
        (Some(period), None) => {
            if let Some(p) = baseline_observation(points, &period, stock) {
                return Ok((from_point(p), None));
            }
            if let Goal::Change(change) = version.goal {
                return Err(format!(
                    "the target is {change} of the {period} value, which is not known on {as_of}: record it, or state it with --baseline {period}=VALUE"
                ));
            }
            let t0 = period.instant(stock);
            let p = points.iter().find(|p| p.t > t0 + EPS).ok_or_else(|| {
                format!("no value for the baseline {period} (nor later) known on {as_of}")
            })?;
            let note = format!(
                "no value for the baseline {period}: the next later observation ({}) is used",
                p.period
            );
            Ok((from_point(p), Some(note)))
        }
        (None, _) => {
            let p = points
                .first()
                .ok_or_else(|| format!("no observation known on {as_of}"))?;
            let note = format!(
                "no baseline stated: the first observation ({}) is used",
                p.period
            );
            Ok((from_point(p), Some(note)))
        }
    }
}

/// The value for the baseline period: a flow's value for that period (or
/// the same instant); a stock's latest value inside the period.
fn baseline_observation<'a>(
    points: &'a [Point],
    period: &Period,
    stock: bool,
) -> Option<&'a Point> {
    if !stock {
        // a flow's value for exactly that period (2020-Q4 is not 2020)
        return points.iter().find(|p| p.period.bounds() == period.bounds());
    }
    let t0 = period.instant(stock);
    let at_t0 = points.iter().find(|p| (p.t - t0).abs() <= EPS);
    if at_t0.is_some() {
        return at_t0;
    }
    let start = year_fraction(period.start());
    points
        .iter()
        .rfind(|p| p.t > start + EPS && p.t <= t0 + EPS)
}

/// The required path (§4): linear, compound (which needs every corner
/// positive, else linear with a note) or through the waypoints, linear
/// between points (Beeminder's road).
fn required_path(
    version: &TargetVersion,
    stock: bool,
    start: (f64, f64),
    end: (f64, f64),
    notes: &mut Vec<String>,
) -> RequiredPath {
    let waypoints: Vec<(f64, f64)> = version
        .waypoints
        .iter()
        .map(|(p, v)| (p.instant(stock), *v))
        .collect();
    let mut shape = if waypoints.is_empty() {
        version.path
    } else {
        PathShape::Linear
    };
    if shape == PathShape::Compound && !m::compound_possible(start.1, end.1, &waypoints) {
        shape = PathShape::Linear;
        notes.push(
            "a compound path needs a positive baseline and target: the linear path is used".into(),
        );
    }
    RequiredPath {
        shape,
        start,
        end,
        waypoints,
    }
}

/// The value a target is judged on (§3, §6).
struct Judged {
    point: Point,
    /// The deadline period's own value, which alone decides achieved or
    /// missed: a flow's value for exactly that period; a stock's latest
    /// value inside it, once the period has ended.
    decides: bool,
    /// The deadline has passed and its value is not known yet: the latest
    /// earlier value is assessed as usual.
    awaited: bool,
    /// Nothing after the baseline is known: the baseline itself.
    is_baseline: bool,
}

/// The latest counting value after the baseline, up to and including the
/// deadline period; the baseline itself when there is none (so a target
/// met at its baseline is achieved under every method).
fn judged_value(
    points: &[Point],
    baseline: &Baseline,
    deadline: &Period,
    stock: bool,
    as_of: NaiveDate,
) -> Judged {
    let (t0, t1) = (baseline.t, year_fraction(deadline.end()));
    let ended = as_of > deadline.last_day();
    let latest = points.iter().rfind(|p| p.t > t0 + EPS && p.t <= t1 + EPS);
    let Some(latest) = latest else {
        return Judged {
            point: Point {
                obs_id: 0,
                period: baseline.period,
                value: baseline.value,
                qualifier: points
                    .iter()
                    .find(|p| (p.t - t0).abs() <= EPS)
                    .and_then(|p| p.qualifier),
                t: t0,
                parts: Vec::new(),
            },
            decides: false,
            awaited: ended,
            is_baseline: true,
        };
    };
    let decides = if stock {
        // inside the deadline period: after its start (a value at the start
        // instant is the previous period's end), once the period has ended
        ended && latest.t > year_fraction(deadline.start()) + EPS
    } else {
        latest.period.bounds() == deadline.bounds()
    };
    Judged {
        point: latest.clone(),
        decides,
        awaited: ended && !decides,
        is_baseline: false,
    }
}

/// Observations after the deadline are shown but never change the verdict.
fn mark_after_deadline(a: &mut Assessment, t1: f64) {
    // (none to mark when the uses were dropped)
    if a.uses.is_empty() {
        return;
    }
    let after: HashSet<i64> = a
        .points
        .iter()
        .filter(|p| p.t > t1 + EPS)
        .flat_map(|p| p.ids().collect::<Vec<_>>())
        .collect();
    for (id, u) in a.uses.iter_mut() {
        if after.contains(id) {
            *u = Use::AfterDeadline;
        }
    }
}

/// The core measures of §5 from `(t0, b)`, `(t1, T)` and the latest `(t, x)`.
/// Every distance ratio is signed by the direction `d` (§3).
fn measure(
    a: &mut Assessment,
    (t0, b): (f64, f64),
    (t1, target): (f64, Option<f64>),
    (t, x): (f64, f64),
    at_deadline: bool,
    notes: &mut Vec<String>,
) {
    let d = a.direction.map_or(1.0, |d| d.sign());
    let elapsed = t > t0 + EPS;
    a.time_elapsed = m::time_share(t0, t1, t);
    if elapsed {
        a.actual_rate = m::cagr(b, x, t - t0);
        if a.actual_rate.is_none() {
            notes.push(
                "no compound growth rate: the baseline or the latest value is zero or negative"
                    .into(),
            );
        }
    }
    let Some(target) = target else {
        return;
    };
    a.progress = m::progress(d, b, target, x);
    if target == b {
        notes.push(
            "the target equals the baseline: no distance to cover, only met or not met can be said"
                .into(),
        );
    }
    a.required_rate = m::cagr(b, target, t1 - t0);
    if a.required_rate.is_none() {
        notes.push(
            "no required growth rate: the baseline and the target must both be positive".into(),
        );
    }
    if t < t1 - EPS {
        a.required_rate_from_now = m::cagr(x, target, t1 - t);
        if a.required_rate_from_now.is_none() && a.required_rate.is_some() {
            notes.push(
                "no growth rate from the latest value: it and the target must both be positive"
                    .into(),
            );
        }
    }
    a.rate_ratio = m::rate_ratio(d, a.actual_rate, a.required_rate);
    a.path_value = a.path.as_ref().and_then(|p| p.at(t));
    // (+ 0.0: never a negative zero)
    a.deviation = a.path_value.map(|p| d * (x - p) + 0.0);
    a.gap = Some(d * (target - x) + 0.0);
    a.gap_ratio = (target != 0.0).then(|| d * (target - x) / target.abs() + 0.0);
    a.reached_in = a
        .points
        .iter()
        .find(|p| p.t > t0 + EPS && p.t <= t1 + EPS && at_least(d * p.value, d * target))
        .map(|p| p.period);
    if !elapsed {
        return;
    }
    // the trend carried forward: compound where the values allow, linear
    // otherwise
    a.trend = match (a.actual_rate, m::slope(b, x, t - t0)) {
        (Some(g), _) => Some(Trend::Compound { x, t, g }),
        (None, Some(slope)) => {
            notes.push("projected linearly (no compound growth rate)".into());
            Some(Trend::Linear { x, t, slope })
        }
        (None, None) => None,
    };
    a.projected = if at_deadline {
        Some(x)
    } else {
        a.trend.and_then(|tr| tr.at(t1))
    };
    a.anticipated_progress = a.projected.and_then(|p| m::progress(d, b, target, p));
}

/// The verdict on a quantified target (§6): the deadline value decides;
/// else "met" first; a target equal to its baseline and not met is moving
/// away; nothing after the baseline is no data; else the method's.
fn verdict(
    a: &Assessment,
    judged: &Judged,
    limit: Option<f64>,
    notes: &mut Vec<String>,
) -> Verdict {
    let (Some(base), Some(target)) = (&a.baseline, a.target_value) else {
        return Verdict::no_data("no baseline or target to compare");
    };
    let (b, x) = (base.value, judged.point.value);
    let d = a.direction.map_or(1.0, |d| d.sign());
    let method = a.method;
    let opensdg = method.measure() == MeasureKind::Opensdg;
    // "met" is checked first and overrides the trend, by the method's own
    // test (Open SDG: exactly, with its substitution of a zero target)
    let met = method.met(d, x, target);
    let mut v = if judged.is_baseline {
        if opensdg {
            // Open SDG assesses a single point too: met, or not available
            opensdg_verdict(method, opensdg_input(a, b, x, 0.0, target, limit))
        } else {
            Verdict::no_data("")
        }
    } else if target == b {
        Verdict::fixed(Status::MovingAway, method.away_label())
    } else {
        method_verdict(a, limit, notes)
    };
    if met {
        v.status = Status::Achieved;
        v.method_label = Some(method.met_label());
        if let Some(score) = method.met_score() {
            v.score = Some(score);
        }
    } else if judged.decides {
        v.status = Status::Missed;
        v.method_label = Some(method.missed_label());
    } else if judged.is_baseline {
        v.status = Status::NoData;
        v.method_label = method.no_data_label();
        v.score = None;
    }
    v
}

fn opensdg_input(
    a: &Assessment,
    b: f64,
    x: f64,
    years: f64,
    target: f64,
    limit: Option<f64>,
) -> OpenSdg {
    let t0 = a.baseline.as_ref().map_or(0.0, |b| b.t);
    let t1 = a.path.as_ref().map_or(t0, |p| p.end.0);
    OpenSdg {
        base: b,
        latest: x,
        years,
        a_year_apart: years > 0.0
            && a.latest
                .as_ref()
                .is_some_and(|l| super::method::a_year_apart(t0, l.t)),
        target: Some((target, t1 - t0)),
        direction: a.direction.map_or(1.0, |d| d.sign()),
        limit,
    }
}

/// A method whose measure is Open SDG's: its number, or not available, then
/// the profile's bands (with a target; without one, bounds scaled by `C`).
fn opensdg_verdict(method: Method, i: OpenSdg) -> Verdict {
    let zero = method.profile().zero.unwrap_or(0.001);
    let (r, mut notes) = i.measure(zero);
    let met = i
        .target
        .is_some_and(|(t, _)| method.met(i.direction, i.latest, t));
    let mut v = match r {
        Ok(r) => match i.target {
            Some(_) => method.classify(Rules::WithTarget, r, i.c()),
            None => method.classify(Rules::WithoutTarget, r, i.c()),
        },
        Err(why) => {
            // a met target needs no growth rate: it is met, checked first
            if !met {
                notes.push(why);
            }
            let mut v = Verdict::no_data("");
            v.method_label = method.no_data_label();
            v
        }
    };
    if met {
        // still report Open SDG's number, as sdg-build does
        v.method_value = i.value_if_any(zero);
    }
    notes.append(&mut v.notes);
    v.notes = notes;
    v
}

/// The method's verdict on a quantified target that is not (yet) met,
/// with a distance to cover and a value after the baseline.
fn method_verdict(a: &Assessment, limit: Option<f64>, notes: &mut Vec<String>) -> Verdict {
    let (Some(base), Some(latest), Some(target), Some(path)) =
        (&a.baseline, &a.latest, a.target_value, &a.path)
    else {
        return Verdict::no_data("no baseline, latest value or target to compare");
    };
    let (b, x) = (base.value, latest.value);
    let d = a.direction.map_or(1.0, |d| d.sign());
    let method = a.method;
    let name = method.name();
    // the linear pace: signed progress over the time share
    let linear_pace = match (a.progress, a.time_elapsed) {
        (Some(p), Some(s)) if s > 0.0 => Some(p / s),
        _ => None,
    };
    // the natural-limit coefficient, for bands a profile scales by it
    let c = limit.map_or(1.0, |l| super::method::limit_coefficient(b, l));
    if let Some(w) = &a.window {
        // growth over the window, against the growth required from its start
        return match m::rate_ratio(d, w.actual_rate, w.required_rate) {
            Some(rr) => method.classify(Rules::WithTarget, rr, c),
            None => Verdict::no_data(format!(
                "{}: no growth ratio over the {}-year window (zero or negative values)",
                display_name(name),
                w.years
            )),
        };
    }
    // a profile's substitute for a zero base or target (Open SDG: 0.001)
    let zero_rr = method.profile().zero.and_then(|z| {
        let sub = |v: f64| if v == 0.0 { z } else { v };
        let (t0, t1) = (base.t, path.end.0);
        m::rate_ratio(
            d,
            m::cagr(sub(b), x, latest.t - t0),
            m::cagr(sub(b), sub(target), t1 - t0),
        )
    });
    match method.measure() {
        MeasureKind::RateRatio => match (a.rate_ratio.or(zero_rr), linear_pace) {
            (Some(rr), _) => method.classify(Rules::WithTarget, rr, c),
            (None, Some(p)) => {
                notes.push(format!(
                    "{}: no compound growth rate, so the linear pace (progress / time share) is classified",
                    display_name(name)
                ));
                method.classify(Rules::WithTarget, p, c)
            }
            _ => Verdict::no_data(format!(
                "{}: neither a growth ratio nor a linear pace can be formed",
                display_name(name)
            )),
        },
        MeasureKind::Anticipated => match a.anticipated_progress {
            Some(cr) => method.classify(Rules::WithTarget, cr, c),
            None => Verdict::no_data(format!(
                "{}: no projection to the deadline can be formed",
                display_name(name)
            )),
        },
        MeasureKind::Pace => pace_verdict(
            method,
            d,
            b,
            x,
            path.shape,
            a.path_value,
            linear_pace,
            notes,
        ),
        MeasureKind::Opensdg => opensdg_verdict(
            method,
            opensdg_input(a, b, x, latest.t - base.t, target, limit),
        ),
    }
}

/// How notes name a method: the built-ins by their institutions' names.
fn display_name(name: &str) -> &str {
    match name {
        "eurostat" => "Eurostat",
        "unsd" => "UNSD",
        "opensdg" => "Open SDG",
        other => other,
    }
}

/// Pace (§6): `d·(x − b)/|p(t) − b|`, the distance covered over the distance
/// the target's own path required by `t`; in log space on a compound path.
/// Where the path has not moved yet (`p(t) = b`), the deviation decides.
#[allow(clippy::too_many_arguments)]
fn pace_verdict(
    method: Method,
    d: f64,
    b: f64,
    x: f64,
    shape: PathShape,
    path_value: Option<f64>,
    linear_pace: Option<f64>,
    notes: &mut Vec<String>,
) -> Verdict {
    let Some(p) = path_value else {
        return Verdict::no_data("pace: the path has no value at the latest observation");
    };
    if (p - b).abs() <= m::TOLERANCE * b.abs().max(p.abs()).max(1.0) {
        let status = if d * (x - p) >= 0.0 {
            Status::OnTrack
        } else {
            Status::AtRisk
        };
        let mut v = method.labelled(Rules::WithTarget, status);
        v.notes.push(
            "pace: the path had not moved from the baseline by the latest observation, so the deviation from it decides"
                .into(),
        );
        return v;
    }
    let pace = match shape {
        PathShape::Compound if x > 0.0 => d * (x / b).ln() / (p / b).ln().abs(),
        PathShape::Compound => match linear_pace {
            Some(pace) => {
                notes.push(
                    "pace: the compound path cannot be followed in log space (zero or negative value), so the linear pace (progress / time share) is classified"
                        .into(),
                );
                pace
            }
            None => return Verdict::no_data("pace: no linear pace can be formed"),
        },
        PathShape::Linear => d * (x - b) / (p - b).abs(),
    };
    method.classify(Rules::WithTarget, pace, 1.0)
}

/// The verdict of `method` on a trend target (no quantified target): the
/// direction-adjusted growth `d·g_a` by the no-target bands (Open SDG's
/// `sign·d·g_a`, bounds scaled by `C`).
fn trend_verdict(
    method: Method,
    d: f64,
    a: &Assessment,
    b: f64,
    x: f64,
    years: f64,
    limit: Option<f64>,
) -> Verdict {
    if method.measure() == MeasureKind::Opensdg {
        return opensdg_verdict(
            method,
            OpenSdg {
                base: b,
                latest: x,
                years,
                a_year_apart: years > 0.0
                    && a.baseline
                        .as_ref()
                        .zip(a.latest.as_ref())
                        .is_some_and(|(base, l)| super::method::a_year_apart(base.t, l.t)),
                target: None,
                direction: d,
                limit,
            },
        );
    }
    let g = match &a.window {
        Some(w) => w.actual_rate,
        None => a.actual_rate,
    };
    let Some(g) = g else {
        return Verdict::no_data("no growth rate can be formed for a trend target");
    };
    let c = limit.map_or(1.0, |l| super::method::limit_coefficient(b, l));
    method.classify(Rules::WithoutTarget, d * g, c)
}

/// The assessment window (§6, eurostat): it starts `n` years before the
/// latest value, at the counting value of the period `n` years earlier
/// (or, if that is missing, the next later one inside the window, with a
/// note). `g_a` runs from there to the latest value, `g_r` from there to
/// the target at the deadline.
fn assessment_window(
    points: &[Point],
    latest: &Point,
    n: u32,
    t1: f64,
    target: Option<f64>,
    stock: bool,
) -> Result<(WindowUsed, Option<String>), String> {
    let t0 = latest.t - f64::from(n);
    let earlier = years_before(&latest.period, n);
    let exact = earlier.and_then(|p| {
        points.iter().find(|q| {
            if stock {
                (q.t - p.instant(true)).abs() <= EPS
            } else {
                q.period.bounds() == p.bounds()
            }
        })
    });
    let from_label = earlier.map_or_else(|| format!("{n} years earlier"), |p| p.to_string());
    let (start, note) = match exact {
        Some(p) => (p, None),
        None => {
            let later = points
                .iter()
                .find(|q| q.t > t0 + EPS && q.t < latest.t - EPS)
                .ok_or_else(|| {
                    format!(
                        "fewer than two values in the {n}-year window ending {}: no value for {from_label} or later",
                        latest.period
                    )
                })?;
            let note = format!(
                "no value for {from_label}: the {n}-year window starts at the next later value ({})",
                later.period
            );
            (later, Some(note))
        }
    };
    let years = latest.t - start.t;
    Ok((
        WindowUsed {
            years: n,
            t0,
            start: start.clone(),
            actual_rate: m::cagr(start.value, latest.value, years),
            required_rate: target.and_then(|t| m::cagr(start.value, t, t1 - start.t)),
        },
        note,
    ))
}

/// The period of the same form `n` years before `p`.
fn years_before(p: &Period, n: u32) -> Option<Period> {
    let back = |span: crate::period::Span| {
        span.start
            .checked_sub_months(chrono::Months::new(12 * n))
            .map(|start| crate::period::Span { start, ..span })
    };
    Some(Period::new(back(p.first())?, back(p.last())?))
}
