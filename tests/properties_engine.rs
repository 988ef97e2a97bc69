//! No panics by construction (issue 5, part 5): property tests of the
//! engine. Any data set the reader accepts — values of zero, of 1e300, of
//! opposite signs, periods of any grain from year 1 to 9999, any as-of
//! date — gives a report and a detail view without a panic, without a NaN
//! or an infinity anywhere, and with a note wherever a measure that has
//! its inputs comes out null. Every method; every kind of target.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use goalpost::dataset;
use goalpost::engine::{self, Assessment, Method, Options};
use goalpost::model::{Flag, Flags, Observation};
use goalpost::report::{Filter, Report, Show};
use proptest::prelude::*;

/// Values as people record them: zero, negatives, shares, billions.
fn everyday() -> BoxedStrategy<f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(100.0),
        6 => -1e4..1e4f64,
        6 => 0.1..1e10f64,
    ]
    .boxed()
}

/// Everyday values and the extremes an f64 holds: where arithmetic
/// overflows or underflows.
fn extreme() -> BoxedStrategy<f64> {
    prop_oneof![
        1 => Just(1e-300),
        1 => Just(-1e-300),
        1 => Just(1e300),
        1 => Just(-1e300),
        1 => Just(f64::MAX),
        1 => Just(f64::MIN_POSITIVE),
        8 => everyday(),
    ]
    .boxed()
}

fn year() -> impl Strategy<Value = i32> {
    prop_oneof![
        1 => Just(1),
        1 => Just(9999),
        1 => Just(9998),
        12 => 2015..2030i32,
    ]
}

/// The period of `grain` (0 year, 1 half, 2 quarter, 3 month, 4 day, 5 a
/// range of years) that starts year `y`, the `n`-th of its kind in it.
fn period_in(y: i32, grain: u8, n: u32) -> String {
    match grain {
        1 => format!("{y:04}-H{}", 1 + n % 2),
        2 => format!("{y:04}-Q{}", 1 + n % 4),
        3 => format!("{y:04}-{:02}", 1 + n % 12),
        4 => (NaiveDate::from_ymd_opt(y, 1, 1).unwrap() + chrono::Days::new(u64::from(n % 365)))
            .format("%Y-%m-%d")
            .to_string(),
        5 if y < 9999 => format!("{y:04}..{:04}", y + 1),
        _ => format!("{y:04}"),
    }
}

/// A period of any grain; ranges too.
fn period() -> impl Strategy<Value = String> {
    (year(), 0u8..6, 0u32..365).prop_map(|(y, grain, n)| period_in(y, grain, n))
}

fn date() -> impl Strategy<Value = String> {
    (year(), 0u32..365).prop_map(|(y, n)| period_in(y, 4, n))
}

#[derive(Debug, Clone)]
enum Goal {
    Value(f64),
    /// In percent, with two decimals, as people write them.
    Relative(i32),
    Absolute(f64),
    Points(f64),
    Trend(bool),
    Milestone(Option<String>),
    /// The total, and how many years before the deadline the window opens.
    Cumulative(f64, i32),
}

fn goal(value: fn() -> BoxedStrategy<f64>) -> impl Strategy<Value = Goal> {
    prop_oneof![
        3 => value().prop_map(Goal::Value),
        2 => (-9_999..50_000i32).prop_map(Goal::Relative),
        1 => value().prop_map(Goal::Absolute),
        1 => (-50.0..50.0f64).prop_map(Goal::Points),
        1 => any::<bool>().prop_map(Goal::Trend),
        1 => prop::option::of(date()).prop_map(Goal::Milestone),
        2 => (value(), 0..6i32).prop_map(|(v, back)| Goal::Cumulative(v, back)),
    ]
}

/// A target: its baseline year, how many years on its deadline falls, and
/// the grain of both.
#[derive(Debug, Clone)]
struct TargetSpec {
    goal: Goal,
    start: i32,
    years: i32,
    grain: u8,
    n: u32,
    baseline: Option<Option<f64>>,
    compound: bool,
    direction: Option<bool>,
    waypoint: Option<f64>,
    revision: Option<(String, f64, i32)>,
}

fn target(value: fn() -> BoxedStrategy<f64>) -> impl Strategy<Value = TargetSpec> {
    (
        goal(value),
        (year(), 1..12i32, 0u8..6, 0u32..365),
        prop::option::of(prop::option::of(value())),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        prop::option::of(value()),
        prop::option::of((date(), value(), 0..4i32)),
    )
        .prop_map(
            |(
                goal,
                (start, years, grain, n),
                baseline,
                compound,
                direction,
                waypoint,
                revision,
            )| {
                TargetSpec {
                    goal,
                    start,
                    years,
                    grain,
                    n,
                    baseline,
                    compound,
                    direction,
                    waypoint,
                    revision,
                }
            },
        )
}

/// Period, value, qualifier, days after the period's start it was
/// published, retracted.
type ObservationSpec = (String, f64, Option<&'static str>, Option<u32>, bool);

#[derive(Debug, Clone)]
struct World {
    unit: &'static str,
    flow: bool,
    higher_is_better: bool,
    limit: Option<f64>,
    targets: Vec<TargetSpec>,
    observations: Vec<ObservationSpec>,
    as_of: Vec<String>,
}

fn world(value: fn() -> BoxedStrategy<f64>) -> impl Strategy<Value = World> {
    let qualifier = prop::option::of(prop::sample::select(vec![
        "about",
        "more_than",
        "less_than",
        "at_least",
        "at_most",
    ]));
    (
        prop::sample::select(vec!["USD", "%", "jobs"]),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(value()),
        prop::collection::vec(target(value), 1..4),
        prop::collection::vec(
            (
                period(),
                value(),
                qualifier,
                prop::option::of(0u32..2000),
                prop::bool::weighted(0.1),
            ),
            0..12,
        ),
        prop::collection::vec(date(), 1..4),
    )
        .prop_map(
            |(unit, flow, higher_is_better, limit, targets, observations, as_of)| {
                // a natural limit is the best a value can be: no observed
                // value lies beyond it (the reader refuses one that does)
                let limit = limit.map(|l| {
                    let values = observations.iter().map(|o| o.1);
                    if higher_is_better {
                        values.fold(l, f64::max)
                    } else {
                        values.fold(l, f64::min)
                    }
                });
                World {
                    unit,
                    flow,
                    higher_is_better,
                    limit,
                    targets,
                    observations,
                    as_of,
                }
            },
        )
}

/// A TOML float that reads back as the same f64.
fn num(x: f64) -> String {
    format!("{x:e}")
}

/// The world as a data set file.
fn data_set(w: &World) -> String {
    let mut s = String::from("version = 1\n\n[[indicator]]\nid = \"x\"\nname = \"X\"\n");
    writeln!(s, "unit = \"{}\"", w.unit).unwrap();
    writeln!(s, "measure = \"{}\"", if w.flow { "flow" } else { "stock" }).unwrap();
    writeln!(s, "higher_is_better = {}", w.higher_is_better).unwrap();
    if let Some(l) = w.limit {
        writeln!(s, "limit = {}", num(l)).unwrap();
    }
    for (i, t) in w.targets.iter().enumerate() {
        write!(s, "\n[[target]]\nid = \"t{i}\"\n").unwrap();
        let end_year = (t.start + t.years).min(9999);
        let deadline = period_in(end_year, t.grain, t.n);
        let mut kind = "level";
        let mut positive = true;
        match &t.goal {
            Goal::Value(v) => {
                positive = *v > 0.0;
                writeln!(s, "value = {}", num(*v)).unwrap();
            }
            Goal::Relative(p) => {
                let (sign, p) = (if *p < 0 { '-' } else { '+' }, p.abs());
                writeln!(s, "change = \"{sign}{}.{:02}%\"", p / 100, p % 100).unwrap();
            }
            Goal::Absolute(d) => writeln!(s, "change = \"{d:+}\"").unwrap(),
            Goal::Points(d) if w.unit == "%" => writeln!(s, "change = \"{d:+}pp\"").unwrap(),
            Goal::Points(d) => writeln!(s, "change = \"{d:+}\"").unwrap(),
            Goal::Trend(_) => kind = "trend",
            Goal::Milestone(done) => {
                kind = "milestone";
                if let Some(d) = done {
                    writeln!(s, "done_on = \"{d}\"").unwrap();
                }
            }
            Goal::Cumulative(v, back) => {
                kind = "cumulative";
                positive = *v > 0.0;
                let from = period_in((end_year - back).max(1), t.grain, 0);
                writeln!(s, "value = {}\nfrom = \"{from}\"", num(*v)).unwrap();
            }
        }
        writeln!(s, "kind = \"{kind}\"").unwrap();
        if kind != "milestone" {
            writeln!(s, "indicator = \"x\"").unwrap();
        }
        if let Goal::Trend(up) = t.goal {
            let d = if up { "increase" } else { "decrease" };
            writeln!(s, "direction = \"{d}\"").unwrap();
        } else if let Some(up) = t.direction {
            let d = if up { "increase" } else { "decrease" };
            writeln!(s, "direction = \"{d}\"").unwrap();
        }
        if let Some(v) = &t.baseline {
            writeln!(s, "baseline = \"{}\"", period_in(t.start, t.grain, t.n)).unwrap();
            if let Some(v) = v {
                positive &= *v > 0.0;
                writeln!(s, "baseline_value = {}", num(*v)).unwrap();
            }
        }
        writeln!(s, "deadline = \"{deadline}\"").unwrap();
        if t.compound && positive {
            writeln!(s, "path = \"compound\"").unwrap();
        }
        if let Some(v) = t.waypoint.filter(|_| t.years >= 2 && t.grain == 0) {
            writeln!(s, "waypoints = [\"{:04}={}\"]", t.start + 1, num(v)).unwrap();
        }
        if let Some((effective, v, more)) = &t.revision {
            let deadline = period_in((end_year + more).min(9999), t.grain, t.n);
            write!(
                s,
                "\n[[target.revision]]\neffective = \"{effective}\"\ndeadline = \"{deadline}\"\n"
            )
            .unwrap();
            if matches!(t.goal, Goal::Value(_) | Goal::Cumulative(..)) && (*v > 0.0 || !t.compound)
            {
                writeln!(s, "value = {}", num(*v)).unwrap();
            }
        }
    }
    for (i, (period, v, q, published, retracted)) in w.observations.iter().enumerate() {
        write!(
            s,
            "\n[[observation]]\nid = {}\nindicator = \"x\"\nperiod = \"{period}\"\nvalue = {}\n",
            i + 1,
            num(*v)
        )
        .unwrap();
        if let Some(q) = q {
            writeln!(s, "qualifier = \"{q}\"").unwrap();
        }
        if let Some(days) = published {
            let start = goalpost::parse::period(period).unwrap().start();
            let published = start.checked_add_days(chrono::Days::new(u64::from(*days)));
            if let Some(d) = published.filter(|d| d.year() <= 9999) {
                writeln!(s, "published = \"{d}\"").unwrap();
            }
        }
        if *retracted {
            writeln!(
                s,
                "retracted = \"2026-01-01T00:00:00Z\"\nretracted_why = \"typo\""
            )
            .unwrap();
        }
    }
    s
}

/// `inf`, `-inf` or `NaN` as a Debug-printed f64, not inside a word.
fn non_finite_in(debug: &str) -> Option<usize> {
    let bytes = debug.as_bytes();
    for token in ["NaN", "inf"] {
        for (i, _) in debug.match_indices(token) {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + token.len()).copied();
            let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !word(before) && !word(after) {
                return Some(i);
            }
        }
    }
    None
}

/// The measures that are null only for a reason the notes must give.
const MEASURES: [&str; 5] = [
    "progress",
    "required_rate",
    "actual_rate",
    "rate_ratio",
    "gap",
];

/// Builds every report and detail view of the world on each of its as-of
/// dates by each method, and checks them with `check`.
fn assess_world(
    w: &World,
    check: impl Fn(&str, &serde_json::Value, &str) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let text = data_set(w);
    let Ok(contents) = dataset::read(&text, "world.toml", &[]) else {
        // refused by the reader: the engine never sees it
        return Ok(());
    };
    for as_of in &w.as_of {
        let as_of = goalpost::parse::date(as_of).unwrap();
        for method in Method::BUILTIN {
            let report = Report::build(
                &contents.targets,
                &contents.indicators,
                &contents.observations,
                as_of,
                method,
                &Filter::default(),
            );
            let json = serde_json::to_value(&report).unwrap();
            check(&format!("{report:?}"), &json, &text)?;
            for t in &contents.targets {
                let show = Show::build(
                    t,
                    contents.indicators.first(),
                    &contents.observations,
                    as_of,
                    method,
                );
                let json = serde_json::to_value(&show).unwrap();
                check(&format!("{show:?}"), &json, &text)?;
            }
        }
    }
    Ok(())
}

/// Every number is finite: no NaN, no infinity.
fn only_finite_numbers(
    debug: &str,
    _: &serde_json::Value,
    text: &str,
) -> Result<(), TestCaseError> {
    if let Some(i) = non_finite_in(debug) {
        let around = &debug[i.saturating_sub(160)..(i + 20).min(debug.len())];
        return Err(TestCaseError::fail(format!(
            "a non-finite number: …{around}…\n{text}"
        )));
    }
    Ok(())
}

/// A measure that has its inputs (a latest value and a target value) but
/// is null says why in a note.
fn null_with_a_note(_: &str, json: &serde_json::Value, text: &str) -> Result<(), TestCaseError> {
    let rows = match json.get("targets") {
        Some(rows) => rows.as_array().unwrap().clone(),
        None => vec![json["target"].clone()],
    };
    for row in rows {
        let has_inputs = !row["latest"].is_null() && !row["target"]["value"].is_null();
        let nulls: Vec<&str> = MEASURES
            .iter()
            .copied()
            .filter(|m| row[m].is_null())
            .collect();
        if has_inputs && !nulls.is_empty() {
            let notes = row["notes"].as_array().unwrap();
            prop_assert!(
                !notes.is_empty(),
                "{:?} null without a note: {}\n{}",
                nulls,
                row,
                text
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_never_panics_on_any_accepted_input(w in world(extreme)) {
        assess_world(&w, |_, _, _| Ok(()))?;
    }

    #[test]
    fn the_engine_gives_only_finite_numbers_at_everyday_magnitudes(w in world(everyday)) {
        assess_world(&w, only_finite_numbers)?;
    }

    #[test]
    fn every_null_measure_says_why_in_a_note(w in world(everyday)) {
        assess_world(&w, null_with_a_note)?;
    }

    #[test]
    fn a_report_has_only_finite_numbers_even_at_extreme_magnitudes(w in world(extreme)) {
        assess_world(&w, |debug, json, text| match json.get("trajectory") {
            Some(_) => Ok(()),
            None => only_finite_numbers(debug, json, text),
        })?;
    }

    #[test]
    fn a_detail_view_has_only_finite_numbers_even_at_extreme_magnitudes(w in world(extreme)) {
        assess_world(&w, |debug, json, text| match json.get("trajectory") {
            Some(_) => only_finite_numbers(debug, json, text),
            None => Ok(()),
        })?;
    }

    /// A report assesses each row with `assess_own`, which drops the use
    /// of every observation unless a break note needs it: all else is what
    /// the full assessment gives, with breaks in the series or without.
    #[test]
    fn a_report_s_assessment_is_the_full_one_without_its_uses(
        w in world(everyday),
        breaks in any::<bool>(),
    ) {
        let Ok(c) = dataset::read(&data_set(&w), "world.toml", &[]) else {
            return Ok(());
        };
        let Some(indicator) = c.indicators.first() else {
            return Ok(());
        };
        let mut observations = c.observations.clone();
        if breaks {
            for o in observations.iter_mut().step_by(2) {
                o.flags = Flags::parse("break").unwrap();
            }
        }
        // as a report unpacks them: the indicator's own, not saying whose
        let own: Vec<Observation> = observations
            .iter()
            .filter(|o| o.indicator == indicator.id)
            .map(|o| Observation { indicator: String::new(), ..o.clone() })
            .collect();
        let kept = own.iter().any(|o| o.flags.contains(Flag::Break));
        let theirs = c.targets.iter().filter(|t| t.indicator.as_ref() == Some(&indicator.id));
        for t in theirs {
            for as_of in &w.as_of {
                let as_of = goalpost::parse::date(as_of).unwrap();
                for method in Method::BUILTIN {
                    let options = Options::default();
                    let full = engine::assess_with(t, Some(indicator), &observations, as_of, method, options);
                    let report = engine::assess_own(t, indicator, &own, as_of, method, options);
                    let expected = if kept { full } else { Assessment { uses: Vec::new(), ..full } };
                    prop_assert_eq!(report, expected);
                }
            }
        }
    }

    #[test]
    fn what_the_reader_accepts_is_exported_and_read_back_unchanged(w in world(extreme)) {
        let Ok(c) = dataset::read(&data_set(&w), "world.toml", &[]) else {
            return Ok(());
        };
        let written = dataset::write(&c.indicators, &c.targets, &c.observations)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = dataset::read(&written, "export.toml", &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert_eq!(&again.indicators, &c.indicators);
        prop_assert_eq!(&again.targets, &c.targets);
        prop_assert_eq!(&again.observations, &c.observations);
    }
}

/// The notes of target `id` in a report on `as_of` by `method`.
fn notes_of(text: &str, id: &str, as_of: &str, method: Method) -> serde_json::Value {
    let c = dataset::read(text, "case.toml", &[]).unwrap();
    let as_of = goalpost::parse::date(as_of).unwrap();
    let r = Report::build(
        &c.targets,
        &c.indicators,
        &c.observations,
        as_of,
        method,
        &Filter::default(),
    );
    let json = serde_json::to_value(&r).unwrap();
    json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn every_method_says_why_a_target_of_zero_has_no_required_rate() {
    let text = "version = 1
[[indicator]]
id = \"x\"
name = \"Emissions\"
unit = \"t\"
higher_is_better = false
[[target]]
id = \"zero\"
indicator = \"x\"
baseline = \"2016\"
baseline_value = 100
value = 0
deadline = \"2022\"
[[observation]]
indicator = \"x\"
period = \"2017\"
value = 60
";
    for method in Method::BUILTIN {
        let row = notes_of(text, "zero", "2018-06-30", method);
        assert!(row["required_rate"].is_null());
        assert!(
            row["notes"].as_array().is_some_and(|n| !n.is_empty()),
            "{method:?}: {row}"
        );
    }
}

#[test]
fn every_method_says_why_a_target_equal_to_its_baseline_has_no_progress() {
    let text = "version = 1
[[indicator]]
id = \"x\"
name = \"Share\"
unit = \"%\"
[[target]]
id = \"same\"
indicator = \"x\"
baseline = \"2020\"
baseline_value = 40
value = 40
deadline = \"2030\"
[[observation]]
indicator = \"x\"
period = \"2021\"
value = 45
";
    for method in Method::BUILTIN {
        let row = notes_of(text, "same", "2022-06-30", method);
        assert!(row["progress"].is_null());
        assert!(
            row["notes"].as_array().is_some_and(|n| !n.is_empty()),
            "{method:?}: {row}"
        );
    }
}

#[test]
fn the_generated_worlds_are_mostly_accepted_by_the_reader() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = world(extreme);
    let n = 300;
    let accepted = (0..n)
        .filter(|_| {
            let w = strategy.new_tree(&mut runner).unwrap().current();
            dataset::read(&data_set(&w), "world.toml", &[]).is_ok()
        })
        .count();
    // otherwise the properties above test little
    assert!(accepted * 4 >= n * 3, "only {accepted} of {n} accepted");
}
