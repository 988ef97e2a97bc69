//! Level targets (reach `T` by the deadline, stated as a value or as a
//! change from the baseline) and trend targets (a direction only):
//! methodology.md §3–§6.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::measures::{self as m, at_least};
use super::select::{Point, counting};
use super::status::{self, Method, OpenSdg, Status, Verdict};
use super::{Assessment, Baseline, RequiredPath, Trend, date_of, direction};
use crate::model::{Change, Goal, Indicator, Measure, Observation, PathShape, TargetVersion};
use crate::period::year_fraction;

pub fn assess(
    version: &TargetVersion,
    indicator: &Indicator,
    observations: &[Observation],
    as_of: NaiveDate,
    method: Method,
) -> Assessment {
    let stock = indicator.measure == Measure::Stock;
    let deadline = version.deadline;
    let (points, uses) = counting(observations, as_of, stock, (!stock).then_some(&deadline));
    let d = direction(version, indicator);
    let sign = d.sign();
    let mut notes = Vec::new();
    let kind = if version.goal == Goal::Direction {
        crate::model::Kind::Trend
    } else {
        crate::model::Kind::Level
    };
    let mut a = Assessment::empty(kind, method, version, Verdict::no_data(""));
    a.direction = Some(d);
    a.uses = uses;
    a.points = points.clone();
    let other_ids: HashSet<i64> = a
        .uses
        .iter()
        .filter(|(_, u)| *u == super::Use::OtherLength)
        .map(|(id, _)| *id)
        .collect();
    let other_length: Vec<String> = observations
        .iter()
        .filter(|o| other_ids.contains(&o.id))
        .map(|o| o.period.to_string())
        .collect();
    if !other_length.is_empty() {
        notes.push(format!(
            "{} not compared: the target is assessed on periods of {}",
            other_length.join(", "),
            deadline_length(&deadline)
        ));
    }

    let t1 = year_fraction(deadline.end());
    let after_deadline = as_of > deadline.last_day();
    let Some(baseline) = resolve_baseline(version, &points, stock, &mut notes) else {
        let reason = match version.baseline {
            Some(p) => format!("no value for the baseline {p} (nor later) known on {as_of}"),
            None => format!("no observation known on {as_of}"),
        };
        a.target_value = match version.goal {
            Goal::Value(x) => Some(x),
            _ => None,
        };
        return a.conclude(Verdict::no_data(reason), notes);
    };
    let (b, t0) = (baseline.value, baseline.t);
    a.baseline = Some(baseline.clone());

    let target = match version.goal {
        Goal::Value(x) => Some(x),
        Goal::Change(Change::Relative(p)) => Some(b * (1.0 + p)),
        Goal::Change(Change::Absolute(delta) | Change::Points(delta)) => Some(b + delta),
        Goal::Direction | Goal::Milestone => None,
    };
    a.target_value = target;
    if let Some(target) = target
        && sign * (target - b) < 0.0
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

    // the required path (§4), known before any observation after the baseline
    if let Some(target) = target {
        let waypoints: Vec<(f64, f64)> = version
            .waypoints
            .iter()
            .map(|(p, v)| (p.instant(stock), *v))
            .collect();
        // through waypoints the path is linear between points (§4, Beeminder)
        let mut shape = if waypoints.is_empty() {
            version.path
        } else {
            PathShape::Linear
        };
        if shape == PathShape::Compound && !m::compound_possible(b, target, &waypoints) {
            shape = PathShape::Linear;
            notes.push("a compound path needs positive values: the linear path is used".into());
        }
        let path = RequiredPath {
            shape,
            start: (t0, b),
            end: (t1, target),
            waypoints,
        };
        a.path = Some(path);
    }

    // the latest counting value after the baseline, up to the deadline
    let eps = m::SAME_INSTANT;
    let latest = points
        .iter()
        .rfind(|p| p.t > t0 + eps && p.t <= t1 + eps)
        .cloned();
    let after: HashSet<i64> = points
        .iter()
        .filter(|p| p.t > t1 + eps)
        .map(|p| p.obs_id)
        .collect();
    for (id, u) in a.uses.iter_mut() {
        if after.contains(id) {
            *u = super::Use::AfterDeadline;
        }
    }
    if after_deadline && points.iter().any(|p| p.t > t1 + eps) {
        notes.push(format!(
            "observations after the deadline ({deadline}) are shown but do not change the verdict"
        ));
    }
    let Some(latest) = latest else {
        let reason = if after_deadline {
            format!(
                "no value after the baseline ({}) up to the end of the deadline period ({deadline}) known on {as_of}",
                baseline.period
            )
        } else {
            format!(
                "no observation after the baseline ({}) known on {as_of}",
                baseline.period
            )
        };
        if method == Method::Opensdg {
            // Open SDG assesses a single point too: met, or not available
            let mut verdict = status::opensdg(OpenSdg {
                base: b,
                latest: b,
                years: 0.0,
                target: target.map(|t| (t, t1 - t0)),
                direction: sign,
                limit: indicator.limit,
            });
            verdict.notes.push(reason);
            return a.conclude(verdict, notes);
        }
        return a.conclude(Verdict::no_data(reason), notes);
    };
    let (x, t) = (latest.value, latest.t);
    a.latest = Some(latest.clone());
    let at_deadline = (t - t1).abs() <= eps;
    // the deadline period's own value decides (§6): a flow's is the value of
    // that period; a stock's, once the period is over, its latest value
    // inside it (a count on 2025-12-31 is the 2025 value)
    let deadline_value =
        at_deadline || (stock && after_deadline && t >= year_fraction(deadline.start()) - eps);
    if after_deadline && !deadline_value {
        notes.push(format!(
            "the deadline value ({deadline}) is awaited; assessed on the latest earlier value ({})",
            latest.period
        ));
    }

    // growth: compound where the values allow, linear otherwise
    a.actual_rate = m::cagr(b, x, t - t0);
    let slope = m::slope(b, x, t - t0);
    if a.actual_rate.is_none() {
        notes.push(
            "no compound growth rate: the baseline or the latest value is zero or negative".into(),
        );
    }
    a.time_elapsed = m::time_share(t0, t1, t);

    let Some(target) = target else {
        // a trend target: the method's no-target rule (§6)
        let verdict = trend_verdict(method, d.sign(), &a, b, x, t - t0, indicator.limit);
        return a.conclude(verdict, notes);
    };

    a.progress = m::progress(b, target, x);
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
    if t < t1 - eps {
        a.required_rate_from_now = m::cagr(x, target, t1 - t);
        if a.required_rate_from_now.is_none() && a.required_rate.is_some() {
            notes.push(
                "no growth rate from now: the latest value and the target must both be positive"
                    .into(),
            );
        }
    }
    a.rate_ratio = match (a.actual_rate, a.required_rate) {
        (Some(ga), Some(gr)) if gr != 0.0 => Some(ga / gr),
        _ => None,
    };
    a.path_value = a.path.as_ref().and_then(|p| p.at(t));
    a.deviation = a.path_value.map(|p| sign * (x - p));

    // the trend carried forward to the deadline: compound where the values
    // allow, linear otherwise (§5)
    a.trend = match (a.actual_rate, slope) {
        (Some(g), _) => Some(Trend::Compound { x, t, g }),
        (None, Some(slope)) => {
            notes.push("projected linearly (no compound growth rate)".into());
            Some(Trend::Linear { x, t, slope })
        }
        (None, None) => None,
    };
    let (projected, hit) = match a.trend {
        _ if at_deadline => (Some(x), None),
        Some(trend) => (trend.at(t1), trend.reaches(target)),
        None => (None, None),
    };
    a.projected = projected;
    a.anticipated_progress = projected.and_then(|p| m::progress(b, target, p));
    a.gap = Some(sign * (target - x));
    a.gap_ratio = (target != 0.0).then(|| sign * (target - x) / target.abs());

    a.reached_in = points
        .iter()
        .find(|p| p.t > t0 + eps && p.t <= t1 + eps && at_least(sign * p.value, sign * target))
        .map(|p| p.period);
    let mut verdict = method_verdict(&a, indicator.limit, &mut notes);
    // "met" is checked first and overrides the trend (§6); Open SDG decides
    // it itself, exactly and with its own substitutions
    let met = match method {
        Method::Opensdg => verdict.status == Status::Achieved,
        _ => at_least(sign * x, sign * target),
    };
    if met {
        verdict.status = Status::Achieved;
        if method != Method::Opensdg {
            verdict.method_label = Some("target met");
        }
    } else {
        a.projected_hit = hit.and_then(date_of);
        if deadline_value {
            verdict.status = Status::Missed;
            verdict.method_label = Some(if method == Method::Opensdg {
                "target_missed"
            } else {
                "target missed"
            });
        }
    }
    a.conclude(verdict, notes)
}

fn deadline_length(p: &crate::period::Period) -> String {
    match p.months() {
        Some(12) => "a year".into(),
        Some(1) => "a month".into(),
        Some(n) => format!("{n} months"),
        None => format!("{} days", (p.end() - p.start()).num_days()),
    }
}

/// The baseline (§3): the stated value, else the observation for the
/// baseline period, else the next later one (with a note); without a
/// baseline period, the first observation (with a note).
fn resolve_baseline(
    version: &TargetVersion,
    points: &[Point],
    stock: bool,
    notes: &mut Vec<String>,
) -> Option<Baseline> {
    match (version.baseline, version.baseline_value) {
        (Some(period), Some(value)) => Some(Baseline {
            period,
            value,
            t: period.instant(stock),
        }),
        (Some(period), None) => {
            let t0 = period.instant(stock);
            let p = points.iter().find(|p| p.t >= t0 - m::SAME_INSTANT)?;
            if p.period != period && (p.t - t0).abs() > m::SAME_INSTANT {
                notes.push(format!(
                    "no value for the baseline {period}: the next later observation ({}) is used",
                    p.period
                ));
            }
            Some(Baseline {
                period: p.period,
                value: p.value,
                t: p.t,
            })
        }
        (None, _) => {
            let p = points.first()?;
            notes.push(format!(
                "no baseline stated: the first observation ({}) is used",
                p.period
            ));
            Some(Baseline {
                period: p.period,
                value: p.value,
                t: p.t,
            })
        }
    }
}

/// The verdict of the assessment's method on a quantified target that is
/// not (yet) met, from the baseline, latest value, target and path already
/// resolved in `a`.
fn method_verdict(a: &Assessment, limit: Option<f64>, notes: &mut Vec<String>) -> Verdict {
    let (Some(base), Some(latest), Some(target), Some(path)) =
        (&a.baseline, &a.latest, a.target_value, &a.path)
    else {
        return Verdict::no_data("no baseline, latest value or target to compare");
    };
    let (b, x) = (base.value, latest.value);
    let d = a.direction.map_or(1.0, |d| d.sign());
    if target == b && a.method != Method::Opensdg {
        // not met, with nothing to cover: the value has moved the wrong way
        let mut v = Verdict::no_data("");
        v.status = Status::MovingAway;
        v.method_label = Some("movement away");
        return v;
    }
    let linear_pace = match (a.progress, a.time_elapsed) {
        (Some(p), Some(s)) if s > 0.0 => Some(p / s),
        _ => None,
    };
    match a.method {
        Method::Eurostat => match (a.rate_ratio, linear_pace) {
            (Some(rr), _) => status::eurostat_ratio(rr),
            (None, Some(p)) => {
                notes.push(
                    "Eurostat: no compound growth rate, so the linear pace (progress / time share) is classified"
                        .into(),
                );
                status::eurostat_ratio(p)
            }
            _ => {
                Verdict::no_data("Eurostat: neither a growth ratio nor a linear pace can be formed")
            }
        },
        Method::Unsd => match a.anticipated_progress {
            Some(cr) => status::unsd_ratio(cr),
            None => Verdict::no_data("UNSD: no projection to the deadline can be formed"),
        },
        Method::Pace => {
            // progress along the target's own path: in log space for a
            // compound path, where the values allow it
            let along_path = match (path.shape, a.path_value) {
                (PathShape::Compound, Some(p)) if x > 0.0 && p > 0.0 && p != b => {
                    Some((x / b).ln() / (p / b).ln())
                }
                (PathShape::Linear, Some(p)) if p != b => Some((x - b) / (p - b)),
                _ => None,
            };
            match (along_path, linear_pace) {
                (Some(p), _) => status::pace(p),
                (None, Some(p)) => {
                    notes.push(
                        "pace: the compound path cannot be followed in log space (zero or negative value), so the linear pace (progress / time share) is classified"
                            .into(),
                    );
                    status::pace(p)
                }
                (None, None) => {
                    Verdict::no_data("pace: no required movement yet at the latest observation")
                }
            }
        }
        Method::Opensdg => status::opensdg(OpenSdg {
            base: b,
            latest: x,
            years: latest.t - base.t,
            target: Some((target, path.end.0 - base.t)),
            direction: d,
            limit,
        }),
    }
}

/// The verdict of `method` on a trend target (no quantified target).
fn trend_verdict(
    method: Method,
    d: f64,
    a: &Assessment,
    b: f64,
    x: f64,
    years: f64,
    limit: Option<f64>,
) -> Verdict {
    if method == Method::Opensdg {
        return status::opensdg(OpenSdg {
            base: b,
            latest: x,
            years,
            target: None,
            direction: d,
            limit,
        });
    }
    let Some(g) = a.actual_rate else {
        return Verdict::no_data("no growth rate can be formed for a trend target");
    };
    match method {
        Method::Unsd => status::unsd_trend(d * g),
        Method::Pace => {
            let mut v = status::eurostat_trend(d * g);
            v.notes
                .push("pace needs a quantified target: Eurostat's no-target rule is used".into());
            v
        }
        _ => status::eurostat_trend(d * g),
    }
}
