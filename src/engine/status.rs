//! Statuses and the recognised methods that assign them (methodology.md §6).

use serde::Serialize;

use super::measures::at_least;

/// The shared vocabulary of statuses, in order of severity (worst first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Missed,
    MovingAway,
    OffTrack,
    AtRisk,
    /// A milestone past its deadline with no completion recorded: not known
    /// to be missed (§7).
    Overdue,
    NoData,
    Pending,
    OnTrack,
    Achieved,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Missed,
        Status::MovingAway,
        Status::OffTrack,
        Status::AtRisk,
        Status::Overdue,
        Status::NoData,
        Status::Pending,
        Status::OnTrack,
        Status::Achieved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::Missed => "missed",
            Status::MovingAway => "moving_away",
            Status::OffTrack => "off_track",
            Status::AtRisk => "at_risk",
            Status::Overdue => "overdue",
            Status::NoData => "no_data",
            Status::Pending => "pending",
            Status::OnTrack => "on_track",
            Status::Achieved => "achieved",
        }
    }

    pub fn from_name(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// A method of §6, chosen with `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Eurostat,
    Opensdg,
    Unsd,
    Pace,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::Eurostat,
        Method::Opensdg,
        Method::Unsd,
        Method::Pace,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::Eurostat => "eurostat",
            Method::Opensdg => "opensdg",
            Method::Unsd => "unsd",
            Method::Pace => "pace",
        }
    }

    pub fn from_name(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// What a method says: the status, the number it classified, its own label
/// and, where it defines one, a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    pub method_value: Option<f64>,
    pub method_label: Option<&'static str>,
    pub score: Option<f64>,
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn no_data(reason: impl Into<String>) -> Verdict {
        Verdict {
            status: Status::NoData,
            method_value: None,
            method_label: None,
            score: None,
            notes: vec![reason.into()],
        }
    }

    /// Not met, with no distance to cover (`T = b`): the value has moved
    /// the wrong way (§3).
    pub fn moving_away(label: &'static str) -> Verdict {
        Verdict {
            status: Status::MovingAway,
            method_value: None,
            method_label: Some(label),
            score: None,
            notes: Vec::new(),
        }
    }

    fn new(status: Status, value: f64, label: &'static str) -> Verdict {
        Verdict {
            status,
            method_value: Some(value),
            method_label: Some(label),
            score: None,
            notes: Vec::new(),
        }
    }
}

/// Classifies `value` by three descending thresholds `(top, middle, bottom)`
/// with the tolerance of §6: at or above a threshold is above it.
fn band(value: f64, (top, middle, bottom): (f64, f64, f64)) -> usize {
    if at_least(value, top) {
        0
    } else if at_least(value, middle) {
        1
    } else if at_least(value, bottom) {
        2
    } else {
        3
    }
}

const BANDS: [Status; 4] = [
    Status::OnTrack,
    Status::AtRisk,
    Status::OffTrack,
    Status::MovingAway,
];

/// Eurostat, quantified target: `RR = g_a / g_r`; 0.95 / 0.6 / 0.
pub fn eurostat_ratio(rr: f64) -> Verdict {
    const LABELS: [&str; 4] = [
        "significant progress",
        "moderate progress",
        "insufficient progress",
        "movement away",
    ];
    let i = band(rr, (0.95, 0.6, 0.0));
    Verdict::new(BANDS[i], rr, LABELS[i])
}

/// Eurostat, no quantified target: the direction-adjusted growth `d·g_a`;
/// 1% / 0 / −1%.
pub fn eurostat_trend(dg: f64) -> Verdict {
    const LABELS: [&str; 4] = [
        "significant progress",
        "moderate progress",
        "moderate movement away",
        "significant movement away",
    ];
    // 'on_track' needs more than 1% (beyond the tolerance): exactly 1% is
    // moderate progress
    let i = if !at_least(0.01, dg) {
        0
    } else if at_least(dg, 0.0) {
        1
    } else if at_least(dg, -0.01) {
        2
    } else {
        3
    };
    Verdict::new(BANDS[i], dg, LABELS[i])
}

/// UNSD Progress Chart, with a target: `CR = (x̂(t1) − b)/(T − b)`;
/// 0.95 / 0.10 / 0.
pub fn unsd_ratio(cr: f64) -> Verdict {
    const LABELS: [&str; 4] = ["on track", "needs acceleration", "stagnation", "regression"];
    let i = band(cr, (0.95, 0.10, 0.0));
    Verdict::new(BANDS[i], cr, LABELS[i])
}

/// UNSD without a target: `d·g_a`; 2% / 0.5% / 0.
pub fn unsd_trend(dg: f64) -> Verdict {
    const LABELS: [&str; 4] = [
        "substantial progress",
        "moderate progress",
        "stagnation",
        "regression",
    ];
    let i = band(dg, (0.02, 0.005, 0.0));
    Verdict::new(BANDS[i], dg, LABELS[i])
}

const PACE_LABELS: [&str; 4] = [
    "on trajectory",
    "slightly behind",
    "well behind",
    "going backwards",
];

/// Delivery pace: the distance covered over the distance the path required;
/// thresholds as Eurostat's.
pub fn pace(p: f64) -> Verdict {
    let i = band(p, (0.95, 0.6, 0.0));
    Verdict::new(BANDS[i], p, PACE_LABELS[i])
}

/// A pace verdict without a pace value (the path had not moved: the
/// deviation decided), with the label of `status`.
pub fn pace_status(status: Status) -> Verdict {
    let i = BANDS.iter().position(|s| *s == status).unwrap_or(3);
    Verdict {
        status: BANDS[i],
        method_value: None,
        method_label: Some(PACE_LABELS[i]),
        score: None,
        notes: Vec::new(),
    }
}

/// The inputs of the Open SDG 2.4 progress measure.
#[derive(Debug, Clone, Copy)]
pub struct OpenSdg {
    pub base: f64,
    pub latest: f64,
    /// Years from base to latest.
    pub years: f64,
    /// With a target: its value and the years from base to the target year.
    pub target: Option<(f64, f64)>,
    /// +1 higher is better, −1 lower is better.
    pub direction: f64,
    /// The indicator's natural limit, if any.
    pub limit: Option<f64>,
}

/// Open SDG's own test of a met target: `d·(x − T) ≥ 0`, exactly, with a
/// target of 0 replaced by 0.001.
pub fn opensdg_met(direction: f64, latest: f64, target: f64) -> bool {
    let t = if target == 0.0 { 0.001 } else { target };
    direction * (latest - t) >= 0.0
}

/// Open SDG 2.4 (sdg-build `progress_measure`), reproduced exactly: no
/// tolerance, 0.001 for a zero base or target, the sign factor, the
/// natural-limit coefficient and the score.
pub fn opensdg(i: OpenSdg) -> Verdict {
    let mut notes = Vec::new();
    let labelled = |status: Status,
                    label: &'static str,
                    r: Option<f64>,
                    score: Option<f64>,
                    notes: Vec<String>| Verdict {
        status,
        method_value: r,
        method_label: Some(label),
        score,
        notes,
    };
    let target = i.target.map(|(t, years)| {
        if t == 0.0 {
            notes.push("Open SDG: target 0 replaced by 0.001".to_string());
            (0.001, years)
        } else {
            (t, years)
        }
    });
    let base = if i.base == 0.0 {
        notes.push("Open SDG: base 0 replaced by 0.001".to_string());
        0.001
    } else {
        i.base
    };
    // the growth, where Open SDG can form it: two points at least a year
    // apart, not of opposite signs (0 has no sign)
    let opposite = (base < 0.0 && i.latest > 0.0) || (base > 0.0 && i.latest < 0.0);
    let g_a = (i.years >= 1.0 && !opposite).then(|| (i.latest / base).powf(1.0 / i.years) - 1.0);
    let sign = if base < 0.0 { -1.0 } else { 1.0 };
    let required = |(t, years): (f64, f64)| {
        Some((t / base).powf(1.0 / years) - 1.0).filter(|g| *g != 0.0 && g.is_finite())
    };
    // target met (by direction) first, compared exactly; its progress value
    // is still reported, as sdg-build does
    if let Some((t, years)) = target
        && opensdg_met(i.direction, i.latest, t)
    {
        let r = g_a
            .zip(required((t, years)))
            .map(|(ga, gr)| sign * i.direction * ga / gr.abs());
        return labelled(Status::Achieved, "target_achieved", r, Some(5.0), notes);
    }
    let Some(g_a) = g_a else {
        notes.push(if opposite {
            "Open SDG: base and latest value of opposite signs".to_string()
        } else {
            "Open SDG: fewer than 2 years of data (base and latest value less than a year apart)"
                .to_string()
        });
        return labelled(Status::NoData, "not_available", None, None, notes);
    };
    if let Some((t, _)) = target
        && (t < 0.0) != (base < 0.0)
    {
        notes.push("Open SDG: the target and the base are of opposite signs".to_string());
        return labelled(Status::NoData, "not_available", None, None, notes);
    }
    match target {
        Some((t, years)) => {
            let Some(g_r) = required((t, years)) else {
                notes.push("Open SDG: the required growth is zero or undefined".to_string());
                return labelled(Status::NoData, "not_available", None, None, notes);
            };
            let r = sign * i.direction * g_a / g_r.abs();
            let score = if r >= 0.6 {
                (7.1429 * r - 4.2857).min(5.0)
            } else {
                (4.1667 * r - 2.5).max(-5.0)
            };
            let (status, label) = if r >= 0.95 {
                (Status::OnTrack, "substantial_progress")
            } else if r >= 0.6 {
                (Status::AtRisk, "moderate_progress")
            } else if r >= 0.0 {
                (Status::OffTrack, "limited_progress")
            } else {
                (Status::MovingAway, "deterioration")
            };
            labelled(status, label, Some(r), Some(score), notes)
        }
        None => {
            let r = sign * i.direction * g_a;
            let c = i.limit.map_or(1.0, |l| limit_coefficient(i.base, l));
            let (high, med) = (0.015 * c, 0.005 * c);
            let (status, label) = if r < 0.0 {
                (Status::MovingAway, "deterioration")
            } else if c == 0.0 || r >= high {
                (Status::OnTrack, "substantial_progress")
            } else if r >= med {
                (Status::AtRisk, "moderate_progress")
            } else {
                (Status::OffTrack, "limited_progress")
            };
            let score = if r < 0.0 {
                (125.0 * r - 2.5).max(-5.0)
            } else if c == 0.0 {
                5.0
            } else if r >= high {
                (500.0 * r / c - 5.0).min(5.0)
            } else if r >= med {
                250.0 * r / c - 1.25
            } else {
                500.0 * r / c - 2.5
            };
            labelled(status, label, Some(r), Some(score), notes)
        }
    }
}

/// Open SDG's natural-limit coefficient `C`: 1 when `|b| ≥ 2|L|`;
/// `1 − (|b|/|L|)^4.44` when `|b| ≤ |L|`; else `1 − ((2|L| − |b|)/|L|)^4.44`.
pub fn limit_coefficient(base: f64, limit: f64) -> f64 {
    let (b, l) = (base.abs(), limit.abs());
    if l == 0.0 || b >= 2.0 * l {
        1.0
    } else if b <= l {
        1.0 - (b / l).powf(4.44)
    } else {
        1.0 - ((2.0 * l - b) / l).powf(4.44)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eurostat_thresholds_with_tolerance() {
        // worked example: RR = 0.15517/0.03833 = 4.049 → significant progress
        assert_eq!(eurostat_ratio(4.049).status, Status::OnTrack);
        assert_eq!(eurostat_ratio(0.95).status, Status::OnTrack);
        assert_eq!(eurostat_ratio(0.95 - 1e-12).status, Status::OnTrack);
        assert_eq!(eurostat_ratio(0.9499).status, Status::AtRisk);
        // decrease example: −1.612%/−2.522% = 0.639 → moderate progress
        let v = eurostat_ratio(0.639);
        assert_eq!(
            (v.status, v.method_label),
            (Status::AtRisk, Some("moderate progress"))
        );
        assert_eq!(eurostat_ratio(0.6).status, Status::AtRisk);
        assert_eq!(eurostat_ratio(0.59).status, Status::OffTrack);
        assert_eq!(eurostat_ratio(0.0).status, Status::OffTrack);
        assert_eq!(eurostat_ratio(-0.01).status, Status::MovingAway);
    }

    #[test]
    fn eurostat_without_a_target_uses_direction_adjusted_growth() {
        assert_eq!(eurostat_trend(0.02).status, Status::OnTrack);
        assert_eq!(eurostat_trend(0.01).status, Status::AtRisk);
        assert_eq!(eurostat_trend(0.0).status, Status::AtRisk);
        assert_eq!(eurostat_trend(-0.005).status, Status::OffTrack);
        assert_eq!(eurostat_trend(-0.01).status, Status::OffTrack);
        assert_eq!(eurostat_trend(-0.02).status, Status::MovingAway);
    }

    #[test]
    fn unsd_and_pace_thresholds() {
        // decrease example: anticipated progress 0.694 → needs acceleration
        assert_eq!(unsd_ratio(0.694).status, Status::AtRisk);
        assert_eq!(unsd_ratio(0.10).status, Status::AtRisk);
        assert_eq!(unsd_ratio(0.05).status, Status::OffTrack);
        assert_eq!(unsd_ratio(-0.05).status, Status::MovingAway);
        assert_eq!(unsd_trend(0.02).status, Status::OnTrack);
        assert_eq!(unsd_trend(0.004).status, Status::OffTrack);
        // decrease example: pace 0.375/0.5 = 0.75 → at risk
        assert_eq!(pace(0.75).status, Status::AtRisk);
    }

    #[test]
    fn opensdg_with_a_target_statistics_canada_1_2_1() {
        // g_a = (10.2/14.5)^(1/8) − 1 = −4.303%; g_r = (7.25/14.5)^(1/15) − 1
        // = −4.516%; R = 1·(−1)·g_a/|g_r| = 0.95259; score 7.1429R − 4.2857
        let v = opensdg(OpenSdg {
            base: 14.5,
            latest: 10.2,
            years: 8.0,
            target: Some((7.25, 15.0)),
            direction: -1.0,
            limit: None,
        });
        assert_eq!(v.method_label, Some("substantial_progress"));
        assert_eq!(v.status, Status::OnTrack);
        assert!((v.method_value.unwrap() - 0.95259).abs() < 1e-5);
        assert!((v.score.unwrap() - 2.5186).abs() < 1e-4);
    }

    #[test]
    fn opensdg_natural_limit_statistics_canada_1_3_1() {
        // R = (93.2/90)^(1/6) − 1 = 0.58400%; C = 1 − 0.9^4.44 = 0.37363;
        // high = 0.015·C = 0.5604% → substantial; score 500R/C − 5 = 2.8154
        let v = opensdg(OpenSdg {
            base: 90.0,
            latest: 93.2,
            years: 6.0,
            target: None,
            direction: 1.0,
            limit: Some(100.0),
        });
        assert!((limit_coefficient(90.0, 100.0) - 0.37363).abs() < 1e-5);
        assert_eq!(v.method_label, Some("substantial_progress"));
        assert!((v.method_value.unwrap() - 0.0058400).abs() < 1e-7);
        assert!((v.score.unwrap() - 2.8154).abs() < 1e-4);
    }

    #[test]
    fn opensdg_compares_exactly() {
        // 0.9499999999999994 is moderate in Open SDG (no tolerance)
        let base = 100.0f64;
        let g_r = (50.0f64 / base).powf(1.0 / 15.0) - 1.0;
        let latest = base * (1.0 + 0.95 * g_r).powf(5.0);
        let v = opensdg(OpenSdg {
            base,
            latest,
            years: 5.0,
            target: Some((50.0, 15.0)),
            direction: -1.0,
            limit: None,
        });
        let r = v.method_value.unwrap();
        assert_eq!(
            v.status,
            if r >= 0.95 {
                Status::OnTrack
            } else {
                Status::AtRisk
            }
        );
    }
}
