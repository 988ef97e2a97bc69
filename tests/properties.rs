//! Property tests of the engine through the library API
//! (`goalpost::engine::assess` on `goalpost::model` values built with
//! `goalpost::parse`): no panic on any finite input, "achieved" exactly
//! when the target is met, projections monotone in the latest value,
//! cumulative sums that never count a day twice, and reports as of a date
//! that ignore what was published later.
//!
//! That no measure is infinite or NaN is not checked here: `assess` itself
//! turns every non-finite measure into `None` (`drop_overflows`), and the
//! JSON writer prints a non-finite number as `null`, so such a check could
//! not fail. properties_engine.rs checks the whole report and detail view
//! (points, paths, trajectories too) and that every null measure carries a
//! note; spec_model.rs checks the values themselves.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use goalpost::engine::{Assessment, Method, Status, assess};
use goalpost::model::{
    Change, Direction, Done, Goal, Indicator, Kind, Measure, Observation, PathShape, Retraction,
    Source, Target, TargetVersion,
};
use goalpost::parse;
use goalpost::period::Period;
use goalpost::report::{Filter, Report};
use proptest::prelude::*;

/// 256 cases a property, unless `PROPTEST_CASES` asks for another number.
fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 256;
    }
    c
}

// ---------------------------------------------------------------- builders

fn period(text: &str) -> Period {
    parse::period(text).unwrap_or_else(|e| panic!("period {text}: {e:?}"))
}

fn indicator(measure: Measure, higher_is_better: bool, limit: Option<f64>) -> Indicator {
    Indicator {
        id: "ind".into(),
        name: "indicator".into(),
        entity: None,
        unit: "count".into(),
        measure,
        higher_is_better,
        limit,
        description: None,
        year_start: 1,
        dims: Default::default(),
        parent: None,
    }
}

fn observation(
    id: i64,
    period_text: &str,
    value: f64,
    published: Option<NaiveDate>,
) -> Observation {
    Observation {
        id,
        indicator: "ind".into(),
        period: period(period_text),
        value,
        qualifier: None,
        source: Source::default(),
        published,
        note: None,
        flags: Default::default(),
        recorded: String::new(),
        retracted: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn version(
    number: i64,
    effective: Option<NaiveDate>,
    goal: Goal,
    baseline: Option<Period>,
    baseline_value: Option<f64>,
    deadline: Period,
    from: Option<Period>,
    direction: Option<Direction>,
    path: PathShape,
    waypoints: Vec<(Period, f64)>,
) -> TargetVersion {
    TargetVersion {
        version: number,
        effective,
        goal,
        baseline,
        baseline_value,
        deadline,
        from,
        direction,
        path,
        waypoints,
        title: None,
        quote: None,
        gloss: None,
        source: Source::default(),
        note: None,
        recorded: String::new(),
    }
}

fn target(kind: Kind, versions: Vec<TargetVersion>, done: Option<NaiveDate>) -> Target {
    Target {
        id: "t".into(),
        indicator: (kind != Kind::Milestone).then(|| "ind".to_string()),
        kind,
        versions,
        done: done.map(|on| Done {
            on,
            source: Source::default(),
            recorded: String::new(),
        }),
        not_done: Vec::new(),
        withdrawn: None,
        labels: Default::default(),
    }
}

fn date(y: i32, ordinal0: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(ordinal0 as u64))
        .unwrap()
}

// -------------------------------------------------------------- strategies

/// A period in any notation of the grammar, 2014–2032.
fn arb_period() -> impl Strategy<Value = String> {
    let year = 2014i32..2033;
    prop_oneof![
        year.clone().prop_map(|y| y.to_string()),
        (year.clone(), 1u8..=2).prop_map(|(y, h)| format!("{y}-H{h}")),
        (year.clone(), 1u8..=4).prop_map(|(y, q)| format!("{y}-Q{q}")),
        (year.clone(), 1u8..=12).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (year.clone(), 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (year.clone(), 1i32..4).prop_map(|(y, k)| format!("{y}..{}", y + k)),
        (year, 1u32..=12, 1u32..20).prop_map(|(y, m, len)| {
            let last = m - 1 + len; // months after January of y, 0-based
            format!(
                "{y}-{m:02}..{}-{:02}",
                y + (last / 12) as i32,
                last % 12 + 1
            )
        }),
    ]
}

/// Any finite value: zero, negatives, tiny and huge magnitudes included.
fn arb_any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        -1e6..1e6f64,
        (-1000i32..1000).prop_map(f64::from),
        1e-300..1e-290f64,
        1e290..1e300f64,
        -1e300..-1e290f64,
        prop::num::f64::NORMAL,
    ]
}

/// Moderate values: zero, negatives and positives of everyday sizes.
fn arb_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        -1e4..1e4f64,
        (-100i32..100).prop_map(f64::from),
        0.01..1e6f64,
    ]
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (2013i32..2036, 0u32..365).prop_map(|(y, d)| date(y, d))
}

fn arb_method() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::BUILTIN.to_vec())
}

fn arb_goal(kind: Kind) -> BoxedStrategy<Goal> {
    match kind {
        Kind::Level => prop_oneof![
            arb_any_value().prop_map(Goal::Value),
            (-0.99..5.0f64).prop_map(|p| Goal::Change(Change::Relative(p))),
            arb_any_value().prop_map(|d| Goal::Change(Change::Absolute(d))),
            (-50.0..50.0f64).prop_map(|d| Goal::Change(Change::Points(d))),
        ]
        .boxed(),
        Kind::Cumulative => arb_any_value().prop_map(Goal::Value).boxed(),
        Kind::Trend => Just(Goal::Direction).boxed(),
        Kind::Milestone => Just(Goal::Milestone).boxed(),
    }
}

/// One version of a target of `kind`, with random everything.
fn arb_version(kind: Kind, values: BoxedStrategy<f64>) -> BoxedStrategy<TargetVersion> {
    (
        arb_goal(kind),
        prop::option::of((arb_period(), prop::option::of(values.clone()))),
        arb_period(),
        prop::option::of(arb_period()),
        prop::option::of(prop::sample::select(vec![
            Direction::Increase,
            Direction::Decrease,
        ])),
        prop::sample::select(vec![PathShape::Linear, PathShape::Compound]),
        prop::collection::vec((arb_period(), values), 0..3),
    )
        .prop_map(
            move |(goal, baseline, deadline, from, direction, path, waypoints)| {
                version(
                    1,
                    None,
                    goal,
                    baseline.as_ref().map(|(p, _)| period(p)),
                    baseline.and_then(|(_, v)| v),
                    period(&deadline),
                    from.map(|p| period(&p)),
                    direction,
                    path,
                    waypoints.iter().map(|(p, v)| (period(p), *v)).collect(),
                )
            },
        )
        .boxed()
}

/// A whole input: target (with maybe a revision), indicator, observations.
#[derive(Debug, Clone)]
struct Input {
    target: Target,
    indicator: Indicator,
    observations: Vec<Observation>,
    /// A report date that suits the input, if it has one.
    as_of: Option<NaiveDate>,
}

fn arb_input(values: BoxedStrategy<f64>) -> impl Strategy<Value = Input> {
    let kind = prop::sample::select(Kind::ALL.to_vec());
    kind.prop_flat_map(move |kind| {
        (
            arb_version(kind, values.clone()),
            prop::option::of((arb_date(), arb_version(kind, values.clone()))),
            prop::option::of(arb_date()),
            prop::bool::ANY,
            prop::bool::ANY,
            prop::option::of(values.clone()),
            prop::collection::vec(
                (
                    arb_period(),
                    values.clone(),
                    prop::option::of(0u64..900),
                    prop::bool::weighted(0.1),
                ),
                0..8,
            ),
        )
            .prop_map(move |(first, revision, done, stock, higher, limit, obs)| {
                let mut versions = vec![first];
                if let Some((effective, mut second)) = revision {
                    second.version = 2;
                    second.effective = Some(effective);
                    versions.push(second);
                }
                let observations = obs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, v, published, retracted))| {
                        let mut o = observation(i as i64 + 1, &p, v, None);
                        o.published =
                            published.map(|d| o.period.last_day() + Days::new(d) - Days::new(60));
                        if retracted {
                            o.retracted = Some(Retraction {
                                at: String::new(),
                                why: "test".into(),
                            });
                        }
                        o
                    })
                    .collect();
                Input {
                    target: target(kind, versions, done),
                    indicator: indicator(
                        if stock { Measure::Stock } else { Measure::Flow },
                        higher,
                        limit,
                    ),
                    observations,
                    as_of: None,
                }
            })
    })
}

/// A plausible input: baseline year before the deadline, yearly or
/// quarterly observations around them, so that most assessments get past
/// "no data" and exercise the measures and methods.
fn arb_plausible_input(values: BoxedStrategy<f64>) -> impl Strategy<Value = Input> {
    let kind = prop::sample::select(vec![
        Kind::Level,
        Kind::Level,
        Kind::Trend,
        Kind::Cumulative,
    ]);
    (
        kind,
        2015i32..2023,
        1i32..10,
        prop::bool::ANY,
        prop::option::of(values.clone()),
        prop::collection::vec((0i32..14, prop::option::of(1u8..=4), values.clone()), 1..10),
        prop::bool::ANY,
        prop::bool::ANY,
        prop::option::of(values.clone()),
        prop::sample::select(vec![PathShape::Linear, PathShape::Compound]),
        prop::option::of(prop::sample::select(vec![
            Direction::Increase,
            Direction::Decrease,
        ])),
        (0i32..13, 0u32..365),
    )
        .prop_flat_map(
            move |(kind, y0, span, stated, b, obs, stock, higher, limit, path, direction, when)| {
                (
                    arb_goal(kind),
                    Just((
                        kind, y0, span, stated, b, obs, stock, higher, limit, path, direction, when,
                    )),
                )
            },
        )
        .prop_map(
            |(
                goal,
                (kind, y0, span, stated, b, obs, stock, higher, limit, path, direction, when),
            )| {
                let deadline = period(&(y0 + span).to_string());
                let v = version(
                    1,
                    None,
                    goal,
                    Some(period(&y0.to_string())),
                    if stated { b } else { None },
                    deadline,
                    Some(period(&(y0 + 1).to_string())),
                    direction.or(if kind == Kind::Trend {
                        Some(Direction::Increase)
                    } else {
                        None
                    }),
                    path,
                    Vec::new(),
                );
                let observations = obs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (dy, q, x))| {
                        // the first at the baseline year, the others up to two
                        // years past the deadline
                        let (dy, q) = if i == 0 {
                            (1, None)
                        } else {
                            (dy % (span + 3), q)
                        };
                        let y = y0 - 1 + dy;
                        let text = match q {
                            Some(q) => format!("{y}-Q{q}"),
                            None => y.to_string(),
                        };
                        observation(i as i64 + 1, &text, x, None)
                    })
                    .collect();
                Input {
                    target: target(kind, vec![v], None),
                    indicator: indicator(
                        if stock { Measure::Stock } else { Measure::Flow },
                        higher,
                        limit,
                    ),
                    observations,
                    as_of: Some(date(y0 + 1 + when.0.min(span + 2), when.1)),
                }
            },
        )
}

// -------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    /// Any finite input, any method, any date: an assessment, never a panic;
    /// and the report built on it serializes.
    #[test]
    fn never_panics_on_any_finite_input(
        input in prop_oneof![
            arb_input(arb_any_value().boxed()),
            arb_plausible_input(arb_any_value().boxed()),
        ],
        as_of in arb_date(),
        method in arb_method(),
    ) {
        let as_of = input.as_of.unwrap_or(as_of);
        let a = assess(
            &input.target,
            Some(&input.indicator),
            &input.observations,
            as_of,
            method,
        );
        // a reason when there is no data
        if a.status() == Status::NoData {
            prop_assert!(!a.notes().is_empty(), "no_data without a reason");
        }
        let report = Report::build(
            std::slice::from_ref(&input.target),
            std::slice::from_ref(&input.indicator),
            &input.observations,
            as_of,
            method,
            &Filter::default(),
        );
        // the stable machine interface carries the assessment's verdict
        let json = serde_json::to_value(&report).expect("a report serializes");
        let rows = json["targets"].as_array().expect("a targets array");
        prop_assert_eq!(rows.len(), 1);
        prop_assert_eq!(rows[0]["status"].as_str(), Some(a.status().name()));
        prop_assert_eq!(rows[0]["notes"].as_array().map(Vec::len), Some(a.notes().len()));
    }

    /// Observations published after the as-of date, and retracted ones,
    /// change nothing (methodology.md §2 rules 1 and 3).
    #[test]
    fn later_publications_and_retractions_change_nothing(
        input in prop_oneof![
            arb_input(arb_value().boxed()),
            arb_plausible_input(arb_value().boxed()),
        ],
        as_of in arb_date(),
        method in arb_method(),
        extra in (arb_period(), arb_value(), 1u64..1000, prop::bool::ANY),
    ) {
        let as_of = input.as_of.unwrap_or(as_of);
        let base = assess(&input.target, Some(&input.indicator), &input.observations, as_of, method);
        let (p, v, after, retract) = extra;
        let mut o = observation(1000, &p, v, None);
        if retract {
            o.retracted = Some(Retraction { at: String::new(), why: "test".into() });
        } else {
            o.published = Some(as_of + Days::new(after));
        }
        let mut more = input.observations.clone();
        more.push(o);
        let with = assess(&input.target, Some(&input.indicator), &more, as_of, method);
        let strip = |mut a: Assessment| { a.uses.clear(); a };
        let (base, with) = (strip(base), strip(with));
        // NaN never equals itself: compare the debug text
        prop_assert_eq!(format!("{base:?}"), format!("{with:?}"));
    }
}

/// Level target, stated baseline 2020 = `b`, deadline 2030, observations
/// for 2021..=2021+n, reported before the deadline.
fn level(
    b: f64,
    target_value: f64,
    direction: Option<Direction>,
    higher_is_better: bool,
    values: &[f64],
    path: PathShape,
) -> (Target, Indicator, Vec<Observation>) {
    let v = version(
        1,
        None,
        Goal::Value(target_value),
        Some(period("2020")),
        Some(b),
        period("2030"),
        None,
        direction,
        path,
        Vec::new(),
    );
    let observations = values
        .iter()
        .enumerate()
        .map(|(i, x)| observation(i as i64 + 1, &(2021 + i).to_string(), *x, None))
        .collect();
    (
        target(Kind::Level, vec![v], None),
        indicator(Measure::Stock, higher_is_better, None),
        observations,
    )
}

fn arb_level_value() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), (-100i32..100).prop_map(f64::from), -1e4..1e4f64,]
}

proptest! {
    #![proptest_config(config())]

    /// `achieved` exactly when the latest value meets the target:
    /// d·(x − T) ≥ 0, within 1e-9 relative (methodology.md §3, §6), for a
    /// level target with a latest value before the deadline.
    #[test]
    fn achieved_iff_the_target_is_met(
        b in arb_level_value(),
        t in arb_level_value(),
        mut values in prop::collection::vec(arb_level_value(), 1..6),
        hit_exactly in prop::bool::weighted(0.2),
        direction in prop::option::of(prop::sample::select(vec![Direction::Increase, Direction::Decrease])),
        higher in prop::bool::ANY,
        method in arb_method(),
        path in prop::sample::select(vec![PathShape::Linear, PathShape::Compound]),
    ) {
        if hit_exactly {
            *values.last_mut().unwrap() = t;
        }
        let x = *values.last().unwrap();
        let d = match direction {
            Some(d) => d.sign(),
            None if higher => 1.0,
            None => -1.0,
        };
        let margin = 1e-8 * t.abs().max(1.0);
        let met = d * (x - t) >= 0.0;
        let clearly_not_met = d * (x - t) < -margin;
        // Open SDG replaces a target of 0 by 0.001 and then compares exactly
        prop_assume!(!(method == Method::Opensdg && t == 0.0));
        prop_assume!(met || clearly_not_met);
        let (target, ind, obs) = level(b, t, direction, higher, &values, path);
        // every value is known by 2028, the deadline (2030) is ahead
        let a = assess(&target, Some(&ind), &obs, date(2028, 100), method);
        prop_assert_eq!(a.latest.as_ref().map(|p| p.value), Some(x));
        prop_assert_eq!(
            a.status() == Status::Achieved,
            met,
            "b {} T {} x {} d {} → {:?} ({:?})", b, t, x, d, a.status(), a.notes()
        );
    }

    /// The compound projection `x·(1 + g_a)^(t1 − t)` grows with the latest
    /// value `x` (positive values).
    #[test]
    fn projections_are_monotone_in_the_latest_value(
        b in 0.1..1e4f64,
        t in 0.1..1e4f64,
        x1 in 0.1..1e4f64,
        x2 in 0.1..1e4f64,
        earlier in 0.1..1e4f64,
        years in 1usize..10,
        method in arb_method(),
    ) {
        let (lo, hi) = if x1 <= x2 { (x1, x2) } else { (x2, x1) };
        let project = |x: f64| {
            // the observation for 2020 + years sits at t = 2021 + years; the
            // values before it are `earlier`, which the CAGR from b to x
            // must not see
            let mut values = vec![earlier; years];
            values[years - 1] = x;
            let (target, ind, obs) = level(b, t, Some(Direction::Increase), true, &values, PathShape::Compound);
            assess(&target, Some(&ind), &obs, date(2030, 180), method).projected
        };
        let (p_lo, p_hi) = (project(lo).unwrap(), project(hi).unwrap());
        prop_assert!(p_lo <= p_hi * (1.0 + 1e-12), "x {lo} → {p_lo}, x {hi} → {p_hi}");
        // and the projection is the compound formula: elapsed `years`,
        // `10 − years` to go to the end of 2030
        let remaining = 10.0 - years as f64;
        let g = (hi / b).powf(1.0 / years as f64) - 1.0;
        let expected = hi * (1.0 + g).powf(remaining);
        prop_assert!(
            (p_hi - expected).abs() <= 1e-9 * expected.abs(),
            "projected {p_hi}, expected {expected}"
        );
    }
}

/// Every day in `[start, end)`.
fn days(p: &Period) -> Vec<NaiveDate> {
    p.start().iter_days().take_while(|d| *d < p.end()).collect()
}

/// A period inside or around the window 2021..2025, in calendar grains or
/// ranges of months (which overlap the calendar grains partially).
fn arb_flow_period() -> impl Strategy<Value = String> {
    let year = 2020i32..2027;
    prop_oneof![
        year.clone().prop_map(|y| y.to_string()),
        (year.clone(), 1u8..=2).prop_map(|(y, h)| format!("{y}-H{h}")),
        (year.clone(), 1u8..=4).prop_map(|(y, q)| format!("{y}-Q{q}")),
        (year.clone(), 1u8..=12).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (year.clone(), 1i32..3).prop_map(|(y, k)| format!("{y}..{}", y + k)),
        (year, 1u32..=12, 1u32..14).prop_map(|(y, m, len)| {
            let last = m - 1 + len;
            format!(
                "{y}-{m:02}..{}-{:02}",
                y + (last / 12) as i32,
                last % 12 + 1
            )
        }),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// A cumulative target sums each day at most once: the longest period
    /// wins, a shorter one counts only where nothing longer covers any of
    /// it (methodology.md §2 rule 5). Checked against a day-by-day
    /// assignment, longest first (earliest first among equals).
    #[test]
    fn cumulative_sums_never_count_a_day_twice(
        raw in prop::collection::vec((arb_flow_period(), 0u32..10_000), 1..12),
        method in arb_method(),
    ) {
        // one observation per span (two notations of the same days would
        // make the winner a matter of entry order)
        let mut seen = HashSet::new();
        let mut observations = Vec::new();
        for (text, v) in raw {
            let p = period(&text);
            if seen.insert((p.start(), p.end())) {
                observations.push(observation(observations.len() as i64 + 1, &text, f64::from(v), None));
            }
        }
        let v = version(
            1,
            None,
            Goal::Value(4000.0),
            None,
            None,
            period("2025"),
            Some(period("2021")),
            None,
            PathShape::Linear,
            Vec::new(),
        );
        let target = target(Kind::Cumulative, vec![v], None);
        let ind = indicator(Measure::Flow, true, None);
        let a = assess(&target, Some(&ind), &observations, date(2030, 0), method);

        // brute force: inside the window, longest first, a period counts
        // only if none of its days is taken yet
        let (w0, w1) = (period("2021").start(), period("2025").end());
        let mut inside: Vec<&Observation> = observations
            .iter()
            .filter(|o| o.period.start() >= w0 && o.period.end() <= w1)
            .collect();
        inside.sort_by_key(|o| (std::cmp::Reverse(o.period.end() - o.period.start()), o.period.start()));
        let mut taken: HashSet<NaiveDate> = HashSet::new();
        let mut sum = 0.0;
        let mut counted = 0;
        for o in inside {
            let ds = days(&o.period);
            if ds.iter().all(|d| !taken.contains(d)) {
                taken.extend(ds);
                sum += o.value;
                counted += 1;
            }
        }
        match &a.latest {
            None => prop_assert_eq!(counted, 0, "nothing counted, but {} periods fit", counted),
            Some(latest) => {
                prop_assert!(counted > 0);
                prop_assert_eq!(latest.value, sum, "notes {:?}", a.notes());
            }
        }
        // the points the sum rests on never share a day
        let mut days_used = HashSet::new();
        for p in &a.points {
            for d in days(&p.period) {
                prop_assert!(days_used.insert(d), "{} counted twice ({})", d, p.period);
            }
        }
        if let Some(latest) = &a.latest {
            let total: f64 = a.points.iter().map(|p| p.value).sum();
            prop_assert_eq!(total, latest.value);
        }
    }
}
