//! The engine held to a second, independent statement of the spec.
//!
//! `model` below restates, from methodology.md alone and without calling
//! goalpost's library, what a report says about a level target on an
//! annual flow indicator: §1 time points (period Y sits at t = Y + 1.0),
//! §2 which observations count (known on the as-of date, only up to the
//! deadline period), §3 baseline (stated), target value (a value, or
//! `b·(1 + p)` for a relative change), direction and signed progress, §5
//! the core measures, and §6 the statuses by `eurostat`, `unsd` and `pace`
//! (linear and compound paths, no waypoints), "met" checked first, the
//! deadline period's own value deciding after the deadline.
//!
//! Each case is one data set of many random targets, imported once and
//! reported by each of the three methods through the real binary; every
//! measure of every target is compared with the model (1e-9 relative, or
//! 1e-12 absolute near 0). Cases within 1e-6 of a threshold or of "met"
//! are skipped, so float noise cannot decide a status. On a mismatch the
//! message carries the target's TOML.
//!
//! 24 cases unless `PROPTEST_CASES` asks for another number.

mod common;

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};
use common::Workdir;
use proptest::prelude::*;
use serde_json::Value;

const TARGETS_PER_CASE: usize = 20;

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 24;
    }
    // every case runs the binary four times: keep shrinking short
    c.max_shrink_iters = 64;
    c.failure_persistence = None;
    c
}

// ------------------------------------------------------------------ input

/// What is promised.
#[derive(Debug, Clone, Copy)]
enum Promise {
    /// A value `T`.
    Value(f64),
    /// A relative change in hundredths of a percent (2537 is +25.37%).
    Change(i32),
}

/// One annual observation: its year, value, and how many days after the
/// period's last day it was published (`None`: no publication date, so it
/// counts as published on that last day, §2 rule 1).
#[derive(Debug, Clone, Copy)]
struct Obs {
    year: i32,
    value: f64,
    published_after: Option<u64>,
}

/// One level target with its own flow indicator and observations.
#[derive(Debug, Clone)]
struct Target {
    higher_is_better: bool,
    /// The target's explicit direction, +1 or −1.
    explicit: Option<f64>,
    baseline_year: i32,
    b: f64,
    promise: Promise,
    deadline_year: i32,
    compound: bool,
    /// In year order, years distinct.
    obs: Vec<Obs>,
    /// A later vintage of the last observation, published after the as-of
    /// date: invisible (§2 rule 1).
    unpublished: Option<f64>,
}

#[derive(Clone)]
struct Case {
    as_of: NaiveDate,
    targets: Vec<Target>,
}

/// A case shows as its data set and as-of date: what a reader needs to
/// replay it with `goalpost import` and `report --as-of`.
impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "as of {}:", self.as_of)?;
        for (i, t) in self.targets.iter().enumerate() {
            f.write_str(&toml(i, t, self.as_of))?;
        }
        Ok(())
    }
}

/// The raw draw of one target; [`realise`] fits it to the as-of year.
type Raw = (
    (bool, Option<bool>, i32, f64, i32),
    (u8, f64, i32),
    (bool, bool, Vec<(u32, f64, Option<u64>)>, Option<f64>),
);

fn arb_raw() -> impl Strategy<Value = Raw> {
    (
        (
            any::<bool>(),
            prop::option::of(any::<bool>()),
            2010i32..=2020,
            1.0..1000.0f64,
            2025i32..=2035,
        ),
        (
            // 0..5 a value (4 of them away from b), 5 a value equal to b,
            // 6..9 a relative change
            0u8..10,
            0.3..3.0f64,
            prop_oneof![-7000i32..=-100, 100i32..=20000],
        ),
        (
            any::<bool>(),
            // a value for the deadline period itself, where the as-of date
            // allows it
            prop::bool::weighted(0.3),
            // each value's place between b and T: b·(T/b)^q
            prop::collection::vec(
                (any::<u32>(), -0.5..1.5f64, prop::option::of(0u64..500)),
                1..=6,
            ),
            prop::option::of(-0.5..1.5f64),
        ),
    )
}

/// Fits a raw draw to a report on `as_of`: observation years after the
/// baseline and before the as-of year, the first of them up to the
/// deadline and without a publication date, so that one value at least
/// counts. Values lie around the way from `b` to `T` (`b·(T/b)^q`, q from
/// −0.5 to 1.5: behind, on the way, past it), so that every status occurs.
fn realise(raw: &Raw, as_of: NaiveDate) -> Target {
    let ((higher, explicit, y0, b, y1), (kind, r, pct), (compound, at_deadline, obs, unpublished)) =
        raw.clone();
    let promise = match kind {
        0..=4 => Promise::Value(b * r),
        5 => Promise::Value(b),
        _ => Promise::Change(pct),
    };
    let target = match promise {
        Promise::Value(v) => v,
        Promise::Change(h) => b * (1.0 + f64::from(h) / 10_000.0),
    };
    // with T = b there is no way to lie on: spread the values around b
    let ratio = if target == b { 1.5 } else { target / b };
    let value = |q: f64| b * ratio.powf(q);
    let last_year = as_of.year() - 1; // its Dec 31 is before the as-of date
    let mut years: Vec<i32> = Vec::new();
    let mut out: Vec<Obs> = Vec::new();
    if at_deadline && y1 <= last_year {
        years.push(y1);
        out.push(Obs {
            year: y1,
            value: value(obs[0].1),
            published_after: None,
        });
    }
    for (i, (seed, q, published_after)) in obs.iter().enumerate() {
        let hi = if i == 0 { last_year.min(y1) } else { last_year };
        let span = (hi - y0) as u32; // ≥ 1: y0 ≤ 2020 < 2021 ≤ hi
        let year = y0 + 1 + (seed % span) as i32;
        if years.contains(&year) {
            continue;
        }
        years.push(year);
        out.push(Obs {
            year,
            value: value(*q),
            published_after: if i == 0 { None } else { *published_after },
        });
    }
    out.sort_by_key(|o| o.year);
    Target {
        higher_is_better: higher,
        explicit: explicit.map(|up| if up { 1.0 } else { -1.0 }),
        baseline_year: y0,
        b,
        promise,
        deadline_year: y1,
        compound,
        obs: out,
        unpublished: unpublished.map(value),
    }
}

fn arb_case() -> impl Strategy<Value = Case> {
    (
        (2022i32..=2038, 0u64..=360),
        prop::collection::vec(arb_raw(), TARGETS_PER_CASE),
    )
        .prop_map(|((year, day), raws)| {
            // day 0..=360: never the last day of a year, where "after the
            // deadline" would turn on the day itself
            let as_of = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Days::new(day);
            let targets = raws.iter().map(|r| realise(r, as_of)).collect();
            Case { as_of, targets }
        })
}

// ------------------------------------------------------------------ TOML

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap()
}

fn published(o: &Obs) -> NaiveDate {
    last_day(o.year) + Days::new(o.published_after.unwrap_or(0))
}

/// Target `i` as a data set fragment: its indicator, itself, its values.
fn toml(i: usize, t: &Target, as_of: NaiveDate) -> String {
    let mut s = String::new();
    writeln!(
        s,
        "[[indicator]]\nid = \"i{i}\"\nname = \"I{i}\"\nunit = \"count\"\nmeasure = \"flow\"\nhigher_is_better = {}\n",
        t.higher_is_better
    )
    .unwrap();
    writeln!(
        s,
        "[[target]]\nid = \"t{i}\"\nindicator = \"i{i}\"\nbaseline = \"{}\"\nbaseline_value = {:e}\ndeadline = \"{}\"\npath = \"{}\"",
        t.baseline_year,
        t.b,
        t.deadline_year,
        if t.compound { "compound" } else { "linear" }
    )
    .unwrap();
    match t.promise {
        Promise::Value(v) => writeln!(s, "value = {v:e}").unwrap(),
        Promise::Change(h) => {
            let sign = if h < 0 { '-' } else { '+' };
            let h = h.abs();
            writeln!(s, "change = \"{sign}{}.{:02}%\"", h / 100, h % 100).unwrap();
        }
    }
    if let Some(d) = t.explicit {
        let word = if d > 0.0 { "increase" } else { "decrease" };
        writeln!(s, "direction = \"{word}\"").unwrap();
    }
    for o in &t.obs {
        write!(
            s,
            "\n[[observation]]\nindicator = \"i{i}\"\nperiod = \"{}\"\nvalue = {:e}\n",
            o.year, o.value
        )
        .unwrap();
        if let Some(days) = o.published_after {
            writeln!(s, "published = \"{}\"", last_day(o.year) + Days::new(days)).unwrap();
        }
    }
    if let (Some(v), Some(last)) = (t.unpublished, t.obs.last()) {
        write!(
            s,
            "\n[[observation]]\nindicator = \"i{i}\"\nperiod = \"{}\"\nvalue = {v:e}\npublished = \"{}\"\n",
            last.year,
            as_of + Days::new(1)
        )
        .unwrap();
    }
    s.push('\n');
    s
}

// ------------------------------------------------------------------ model

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Eurostat,
    Unsd,
    Pace,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Eurostat => "eurostat",
            Method::Unsd => "unsd",
            Method::Pace => "pace",
        }
    }

    /// §6: (top, middle, bottom) thresholds.
    fn thresholds(self) -> [f64; 3] {
        match self {
            Method::Eurostat | Method::Pace => [0.95, 0.6, 0.0],
            Method::Unsd => [0.95, 0.10, 0.0],
        }
    }
}

/// What the spec says a report prints for one target.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    b: f64,
    target: f64,
    latest: (i32, f64),
    progress: Option<f64>,
    time_elapsed: f64,
    actual_rate: f64,
    required_rate: f64,
    required_rate_from_now: Option<f64>,
    rate_ratio: Option<f64>,
    projected: f64,
    anticipated_progress: Option<f64>,
    gap: f64,
    method_value: Option<f64>,
    status: &'static str,
    /// The numbers whose place against a boundary decides the status, with
    /// that boundary: a case within 1e-6 of one is skipped.
    edges: Vec<(f64, f64)>,
}

/// `a ≥ b` with the tolerance of §6 (1e-9, relative to the threshold).
fn at_least(a: f64, b: f64) -> bool {
    a >= b - 1e-9 * b.abs().max(1.0)
}

fn model(t: &Target, as_of: NaiveDate, method: Method) -> Expected {
    let b = t.b;
    // §3 direction: explicit, else the sign of a change, else the polarity
    let d = match (t.explicit, t.promise) {
        (Some(d), _) => d,
        (None, Promise::Change(h)) => {
            if h < 0 {
                -1.0
            } else {
                1.0
            }
        }
        (None, Promise::Value(_)) => {
            if t.higher_is_better {
                1.0
            } else {
                -1.0
            }
        }
    };
    // §3 target value: a relative change resolves against the baseline
    let target = match t.promise {
        Promise::Value(v) => v,
        Promise::Change(h) => b * (1.0 + f64::from(h) / 10_000.0),
    };
    // §1: annual period Y sits at t = Y + 1.0
    let t0 = f64::from(t.baseline_year) + 1.0;
    let t1 = f64::from(t.deadline_year) + 1.0;
    // §2: known on the as-of date, and only up to the deadline period
    let latest = t
        .obs
        .iter()
        .filter(|o| published(o) <= as_of && o.year <= t.deadline_year)
        .max_by_key(|o| o.year)
        .expect("realise keeps one counting value");
    let (x, tx) = (latest.value, f64::from(latest.year) + 1.0);
    let after_deadline = as_of > last_day(t.deadline_year);
    let deadline_value = latest.year == t.deadline_year;

    // §3 signed distance; §5 core measures
    let distance = (target - b).abs();
    let progress = (target != b).then(|| d * (x - b) / distance);
    let time_elapsed = (tx - t0) / (t1 - t0);
    let actual_rate = (x / b).powf(1.0 / (tx - t0)) - 1.0;
    let required_rate = (target / b).powf(1.0 / (t1 - t0)) - 1.0;
    let required_rate_from_now = (tx < t1).then(|| (target / x).powf(1.0 / (t1 - tx)) - 1.0);
    let rate_ratio = (required_rate != 0.0).then(|| d * actual_rate / required_rate.abs());
    let projected = x * (1.0 + actual_rate).powf(t1 - tx);
    let anticipated_progress = (target != b).then(|| d * (projected - b) / distance);
    let gap = d * (target - x);

    // §6 pace: distance covered over the distance the path required by t
    let pace = if t.compound {
        let p = b * (target / b).powf(time_elapsed);
        (p != b).then(|| d * (x / b).ln() / (p / b).ln().abs())
    } else {
        let p = b + (target - b) * time_elapsed;
        (p != b).then(|| d * (x - b) / (p - b).abs())
    };
    let method_value = match method {
        Method::Eurostat => rate_ratio,
        Method::Unsd => anticipated_progress,
        Method::Pace => pace,
    };

    // §6 status: the deadline value decides after the deadline; otherwise
    // "met" first, T = b is moving_away when not met, then the bands
    let met = at_least(d * x, d * target);
    let mut edges = vec![(d * x, d * target)];
    let status = if after_deadline && deadline_value {
        if met { "achieved" } else { "missed" }
    } else if met {
        "achieved"
    } else {
        match method_value {
            None => "moving_away",
            Some(v) => {
                let [top, middle, bottom] = method.thresholds();
                edges.extend([(v, top), (v, middle), (v, bottom)]);
                if at_least(v, top) {
                    "on_track"
                } else if at_least(v, middle) {
                    "at_risk"
                } else if at_least(v, bottom) {
                    "off_track"
                } else {
                    "moving_away"
                }
            }
        }
    };
    Expected {
        b,
        target,
        latest: (latest.year, x),
        progress,
        time_elapsed,
        actual_rate,
        required_rate,
        required_rate_from_now,
        rate_ratio,
        projected,
        anticipated_progress,
        gap,
        method_value,
        status,
        edges,
    }
}

/// Within 1e-6 (relative to the boundary) of a boundary that decides the
/// status.
fn knife_edge(e: &Expected) -> bool {
    e.edges
        .iter()
        .any(|(v, edge)| (v - edge).abs() <= 1e-6 * edge.abs().max(1.0))
}

// ------------------------------------------------------------ comparison

fn close(actual: f64, expected: f64) -> bool {
    let diff = (actual - expected).abs();
    diff <= 1e-12 || diff <= 1e-9 * expected.abs()
}

/// The differences between a report row and the model, one line each.
fn differences(row: &Value, e: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    let mut number = |name: &str, actual: &Value, expected: Option<f64>| {
        let ok = match (actual.as_f64(), expected) {
            (Some(a), Some(x)) => close(a, x),
            (None, None) => actual.is_null(),
            _ => false,
        };
        if !ok {
            out.push(format!("{name}: report {actual}, spec {expected:?}"));
        }
    };
    number("baseline.value", &row["baseline"]["value"], Some(e.b));
    number("target.value", &row["target"]["value"], Some(e.target));
    number("latest.value", &row["latest"]["value"], Some(e.latest.1));
    number("progress", &row["progress"], e.progress);
    number("time_elapsed", &row["time_elapsed"], Some(e.time_elapsed));
    number("actual_rate", &row["actual_rate"], Some(e.actual_rate));
    number(
        "required_rate",
        &row["required_rate"],
        Some(e.required_rate),
    );
    number(
        "required_rate_from_now",
        &row["required_rate_from_now"],
        e.required_rate_from_now,
    );
    number("rate_ratio", &row["rate_ratio"], e.rate_ratio);
    number(
        "projected.value",
        &row["projected"]["value"],
        Some(e.projected),
    );
    number(
        "anticipated_progress",
        &row["anticipated_progress"],
        e.anticipated_progress,
    );
    number("gap", &row["gap"], Some(e.gap));
    number("method_value", &row["method_value"], e.method_value);
    if row["latest"]["period"] != e.latest.0.to_string().as_str() {
        out.push(format!(
            "latest.period: report {}, spec {}",
            row["latest"]["period"], e.latest.0
        ));
    }
    if row["status"] != e.status {
        out.push(format!(
            "status: report {}, spec {}",
            row["status"], e.status
        ));
    }
    out
}

fn run_case(case: &Case) -> Result<(), TestCaseError> {
    let methods = [Method::Eurostat, Method::Unsd, Method::Pace];
    let expected: Vec<Vec<Expected>> = case
        .targets
        .iter()
        .map(|t| methods.iter().map(|m| model(t, case.as_of, *m)).collect())
        .collect();
    prop_assume!(!expected.iter().flatten().any(knife_edge));

    let fragments: Vec<String> = case
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| toml(i, t, case.as_of))
        .collect();
    let w = Workdir::new();
    let file = w.file(
        "case.toml",
        format!("version = 1\n\n{}", fragments.concat()),
    );
    w.ok(&["import", file.to_str().unwrap()]);
    let as_of = case.as_of.to_string();
    for (m, method) in methods.iter().enumerate() {
        let text = w.ok(&[
            "report",
            "--format",
            "json",
            "--as-of",
            &as_of,
            "--method",
            method.name(),
        ]);
        let report: Value = serde_json::from_str(&text).expect("the report is JSON");
        let rows = report["targets"].as_array().expect("a targets array");
        prop_assert_eq!(rows.len(), case.targets.len());
        for (i, e) in expected.iter().enumerate() {
            let id = format!("t{i}");
            let row = rows
                .iter()
                .find(|r| r["id"] == id.as_str())
                .unwrap_or_else(|| panic!("no row {id}"));
            let diff = differences(row, &e[m]);
            prop_assert!(
                diff.is_empty(),
                "{id} as of {as_of} by {}:\n  {}\nnotes: {}\n--- the target ---\n{}",
                method.name(),
                diff.join("\n  "),
                row["notes"],
                fragments[i]
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Every measure and status of a level target on an annual flow, by
    /// eurostat, unsd and pace, is the one methodology.md §1–§6 gives.
    #[test]
    fn level_targets_report_the_measures_and_statuses_the_spec_gives(case in arb_case()) {
        run_case(&case)?;
    }
}

// ------------------------------------------------- the model checked by hand

/// The model itself against methodology.md §9's second worked example
/// (level, linear path, decrease), so a slip in the model cannot pass for
/// the spec: b = 100 (2010), T = 60 (2030), x = 85 (2020), lower is better.
#[test]
fn the_model_reproduces_the_worked_example_of_a_linear_decrease() {
    let t = Target {
        higher_is_better: false,
        explicit: None,
        baseline_year: 2010,
        b: 100.0,
        promise: Promise::Value(60.0),
        deadline_year: 2030,
        compound: false,
        obs: vec![Obs {
            year: 2020,
            value: 85.0,
            published_after: None,
        }],
        unpublished: None,
    };
    let as_of = NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
    let e = model(&t, as_of, Method::Eurostat);
    // progress 15/40; time 0.5; g_a = 0.85^(1/10) − 1 = −1.612%;
    // g_r = 0.6^(1/20) − 1 = −2.522%; RR = 0.639 → at_risk
    assert!((e.progress.unwrap() - 0.375).abs() < 1e-12);
    assert!((e.time_elapsed - 0.5).abs() < 1e-12);
    assert!((e.actual_rate - -0.01612).abs() < 1e-5);
    assert!((e.required_rate - -0.02522).abs() < 1e-5);
    assert!((e.rate_ratio.unwrap() - 0.639).abs() < 1e-3);
    assert_eq!(e.status, "at_risk");
    // projected 85·(1 − 0.01612)^10 = 72.25; anticipated (72.25 − 100)/(60 −
    // 100) = 0.694 → unsd at_risk; gap −1·(60 − 85) = 25
    assert!((e.projected - 72.25).abs() < 1e-9);
    assert!((e.anticipated_progress.unwrap() - 0.694).abs() < 1e-3);
    assert!((e.gap - 25.0).abs() < 1e-12);
    assert_eq!(model(&t, as_of, Method::Unsd).status, "at_risk");
    // pace = 0.375/0.5 = 0.75 → at_risk
    let p = model(&t, as_of, Method::Pace);
    assert!((p.method_value.unwrap() - 0.75).abs() < 1e-12);
    assert_eq!(p.status, "at_risk");
}

/// The model on the first worked example (compound path, increase):
/// b = 5.8 (2020), T = 7 (2025), x = 6.7 (2021), RR = 4.049 → on_track.
#[test]
fn the_model_reproduces_the_worked_example_of_a_compound_increase() {
    let t = Target {
        higher_is_better: true,
        explicit: None,
        baseline_year: 2020,
        b: 5.8,
        promise: Promise::Value(7.0),
        deadline_year: 2025,
        compound: true,
        obs: vec![Obs {
            year: 2021,
            value: 6.7,
            published_after: Some(42),
        }],
        unpublished: None,
    };
    let as_of = NaiveDate::from_ymd_opt(2022, 6, 30).unwrap();
    let e = model(&t, as_of, Method::Eurostat);
    assert!((e.progress.unwrap() - 0.75).abs() < 1e-12);
    assert!((e.time_elapsed - 0.2).abs() < 1e-12);
    assert!((e.actual_rate - 0.15517).abs() < 1e-5);
    assert!((e.required_rate - 0.03833).abs() < 1e-5);
    assert!((e.rate_ratio.unwrap() - 4.049).abs() < 1e-3);
    assert!((e.required_rate_from_now.unwrap() - 0.01101).abs() < 1e-5);
    assert!((e.projected - 11.93).abs() < 1e-2);
    assert_eq!(e.status, "on_track");
}

/// The model on the met-at-baseline-then-lost case: lower is better,
/// b = 1.16, T = 1.2 (met at the baseline), latest 1.3. Every ratio is
/// negative (§3 signed distance) → moving_away by every method.
#[test]
fn the_model_signs_every_ratio_by_the_direction() {
    let t = Target {
        higher_is_better: false,
        explicit: None,
        baseline_year: 2020,
        b: 1.16,
        promise: Promise::Value(1.2),
        deadline_year: 2030,
        compound: false,
        obs: vec![Obs {
            year: 2025,
            value: 1.3,
            published_after: None,
        }],
        unpublished: None,
    };
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    for m in [Method::Eurostat, Method::Unsd, Method::Pace] {
        let e = model(&t, as_of, m);
        // progress −1·(1.3 − 1.16)/|1.2 − 1.16| = −3.5
        assert!((e.progress.unwrap() - -3.5).abs() < 1e-9);
        assert!(e.method_value.unwrap() < 0.0, "{m:?}");
        assert_eq!(e.status, "moving_away", "{m:?}");
    }
    // pace: p(t) = 1.16 + 0.04·0.5 = 1.18; −0.14/0.02 = −7
    let p = model(&t, as_of, Method::Pace).method_value.unwrap();
    assert!((p - -7.0).abs() < 1e-9);
}
