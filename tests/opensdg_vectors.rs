//! The Open SDG 2.4 conformance vectors (fixtures/opensdg-vectors.json, the
//! project's copy of them: fixtures/README.md says where they come from),
//! each run through the command
//! line: one stock indicator, one observation per year, one target, then
//! `report --method opensdg --format json`, compared with the vector's
//! `expected_classbased_2_4_0_dev` block (methodology.md §6 `opensdg`).
//!
//! How a vector becomes goalpost input:
//! * direction: the expected block's effective `direction` (a missing
//!   `direction` in the config means lower is better in Open SDG):
//!   `--lower-is-better` on the indicator when it is −1;
//! * natural limit: the config's `limit` becomes `--limit`;
//! * base year: the config's `base_year`, else the effective default, else
//!   2015 (Open SDG's default). `--baseline YEAR` without a value uses that
//!   year's observation or the next later one, which is Open SDG's rule;
//! * target year: the config's `target_year`, else the expected block's
//!   (2030 by default), as `--deadline YEAR`;
//! * target: `--value` (a target of 0 as `--value 0`; Open SDG replaces it
//!   by 0.001 itself), else a trend target with `--direction`.
//!
//! Year periods of a stock sit at the year's end (2015 → t = 2016.0), so
//! every span of years is the same as in Open SDG.
//!
//! Each vector gets two tests: `status` (the status mapping, the score, the
//! baseline and latest values used) and `label_value` (the Open SDG label,
//! the progress value and the notes).

mod common;

use common::Workdir;
use serde_json::Value;

/// The vectors, read at test time from the repository's copy.
fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/opensdg-vectors.json");
    let text = std::fs::read_to_string(path).expect("fixtures/opensdg-vectors.json");
    let v: Value = serde_json::from_str(&text).expect("the vectors are JSON");
    v["vectors"].as_array().expect("a vectors array").clone()
}

fn vector(id: &str) -> Value {
    vectors()
        .into_iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id} in the fixture"))
}

/// Open SDG's status names and goalpost's shared vocabulary (§6).
fn mapped(status: &str) -> &'static str {
    match status {
        "substantial_progress" => "on_track",
        "moderate_progress" => "at_risk",
        "limited_progress" => "off_track",
        "deterioration" => "moving_away",
        "target_achieved" => "achieved",
        "not_available" => "no_data",
        other => panic!("unknown Open SDG status {other}"),
    }
}

fn close(actual: &Value, expected: &Value, what: &str, id: &str) {
    match (actual.as_f64(), expected.as_f64()) {
        (None, None) => {
            assert!(
                actual.is_null() && expected.is_null(),
                "{id}: {what}: {actual} vs {expected}"
            );
        }
        (Some(a), Some(e)) => assert!(
            (a - e).abs() <= 1e-9 * e.abs().max(f64::MIN_POSITIVE) || a == e,
            "{id}: {what}: got {a}, expected {e} (1e-9 relative)"
        ),
        _ => panic!("{id}: {what}: got {actual}, expected {expected}"),
    }
}

/// What the vector asks for, read from its config and effective defaults.
struct Setup {
    years: Vec<i64>,
    values: Vec<f64>,
    direction: i64,
    limit: Option<f64>,
    target: Option<f64>,
    base_year: i64,
    target_year: i64,
}

fn setup(v: &Value) -> Setup {
    let config = &v["config"];
    let defaults = &v["effective_defaults"];
    let expected = &v["expected_classbased_2_4_0_dev"];
    let years: Vec<i64> = v["input"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    let values: Vec<f64> = v["input"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(years.len(), values.len());
    // the effective direction: the config's, or Open SDG's default (negative)
    let direction = expected["direction"].as_i64().expect("direction ±1");
    let stated = match config["direction"].as_str() {
        Some("positive") => 1,
        Some("negative") => -1,
        None => -1, // "direction missing means lower is better in Open SDG"
        Some(other) => panic!("direction {other}"),
    };
    assert_eq!(direction, stated, "{}: effective direction", v["id"]);
    let base_year = config["base_year"]
        .as_i64()
        .or_else(|| defaults["base_year"].as_i64())
        .unwrap_or(2015);
    let target_year = config["target_year"]
        .as_i64()
        .or_else(|| expected["target_year"].as_i64())
        .or_else(|| defaults["target_year"].as_i64())
        .unwrap_or(2030);
    Setup {
        years,
        values,
        direction,
        limit: config["limit"].as_f64(),
        target: config["target"].as_f64(),
        base_year,
        target_year,
    }
}

/// Runs one vector through the command line; returns the report row.
fn run(v: &Value) -> Value {
    let s = setup(v);
    let w = Workdir::new();
    w.ok(&["init"]);
    let limit = s.limit.map(|l| l.to_string());
    let mut args = vec![
        "indicator",
        "add",
        "ind",
        "--name",
        "Open SDG vector",
        "--unit",
        "count",
        "--measure",
        "stock",
    ];
    if s.direction < 0 {
        args.push("--lower-is-better");
    }
    if let Some(l) = &limit {
        args.extend(["--limit", l]);
    }
    w.ok(&args);
    for (y, x) in s.years.iter().zip(&s.values) {
        // Display prints the shortest text that reads back as the same f64
        w.ok(&["obs", "add", "ind", &y.to_string(), &x.to_string()]);
    }
    let base = s.base_year.to_string();
    let deadline = s.target_year.to_string();
    let target = s.target.map(|t| t.to_string());
    let mut args = vec![
        "target",
        "add",
        "t",
        "--indicator",
        "ind",
        "--baseline",
        &base,
        "--deadline",
        &deadline,
    ];
    match &target {
        Some(t) => args.extend(["--value", t]),
        None => args.extend([
            "--direction",
            if s.direction < 0 {
                "decrease"
            } else {
                "increase"
            },
        ]),
    }
    w.ok(&args);
    let as_of = format!("{}-06-30", s.years.iter().max().unwrap() + 1);
    let out = w.ok(&[
        "report", "--method", "opensdg", "--as-of", &as_of, "--format", "json",
    ]);
    let report: Value = serde_json::from_str(&out).expect("report JSON");
    assert_eq!(report["method"], "opensdg");
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    targets[0].clone()
}

/// Status, score, and the base and latest values Open SDG uses.
fn check_status(id: &str) {
    let v = vector(id);
    let e = &v["expected_classbased_2_4_0_dev"];
    let row = run(&v);
    let status = e["status"].as_str().unwrap();
    assert_eq!(
        row["status"],
        mapped(status),
        "{id}: status (Open SDG {status}); row: {row:#}"
    );
    close(&row["score"], &e["score"], "score", id);
    // the base year: the configured one, or the next later year with data
    assert_eq!(
        row["baseline"]["period"],
        e["base_year"].to_string(),
        "{id}: base year"
    );
    close(
        &row["baseline"]["value"],
        &e["base_value"],
        "base value",
        id,
    );
    if e["current_year"] != e["base_year"] {
        assert_eq!(
            row["latest"]["period"],
            e["current_year"].to_string(),
            "{id}: current year"
        );
        close(
            &row["latest"]["value"],
            &e["current_value"],
            "current value",
            id,
        );
    }
    let direction = if e["direction"] == -1 {
        "decrease"
    } else {
        "increase"
    };
    assert_eq!(row["direction"], direction, "{id}: direction");
}

/// The Open SDG label, the progress value and the notes.
fn check_label_value(id: &str) {
    let v = vector(id);
    let e = &v["expected_classbased_2_4_0_dev"];
    let row = run(&v);
    assert_eq!(
        row["method_label"], e["status"],
        "{id}: method_label; row: {row:#}"
    );
    close(
        &row["method_value"],
        &e["progress_value"],
        "progress_value",
        id,
    );
    let notes: Vec<String> = row["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_lowercase())
        .collect();
    for n in e["notes"].as_array().unwrap() {
        let n = n.as_str().unwrap().to_lowercase();
        assert!(
            notes.iter().any(|have| have.contains(&n)),
            "{id}: no note saying '{n}' in {notes:?}"
        );
    }
}

macro_rules! vectors {
    ($( $name:ident = $id:literal $(, $ignore:literal)? ;)*) => {
        mod status {
            $(
                #[test]
                fn $name() {
                    super::check_status($id);
                }
            )*
        }
        mod label_value {
            $(
                #[test]
                $( #[ignore = $ignore] )?
                fn $name() {
                    super::check_label_value($id);
                }
            )*
        }
        /// Every vector in the fixture has its tests.
        #[test]
        fn every_vector_is_tested() {
            let mut listed = vec![$($id),*];
            let mut present: Vec<String> = vectors()
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_string())
                .collect();
            listed.sort();
            present.sort();
            assert_eq!(listed, present);
        }
    };
}

vectors! {
    fixture_1_1_1 = "opensdg-fixture-1-1-1";
    fixture_3_3_3 = "opensdg-fixture-3-3-3";
    fixture_1_2_1 = "opensdg-fixture-1-2-1";
    fixture_1_a_2 = "opensdg-fixture-1-a-2";
    fixture_3_1_1 = "opensdg-fixture-3-1-1";
    fixture_3_2_1 = "opensdg-fixture-3-2-1";
    fixture_3_2_2 = "opensdg-fixture-3-2-2";
    fixture_3_3_1 = "opensdg-fixture-3-3-1";
    fixture_17_8_1 = "opensdg-fixture-17-8-1";
    target_achieved_lower_better = "synthetic-target-achieved-lower-better";
    target_achieved_higher_better = "synthetic-target-achieved-higher-better";
    on_track_exact_path = "synthetic-on-track-exact-path";
    ratio_0_95_boundary = "synthetic-ratio-0.95-boundary";
    moderate_ratio_0_6 = "synthetic-moderate-ratio-0.6";
    wrong_direction = "synthetic-wrong-direction";
    target_zero_lower_better = "synthetic-target-zero-lower-better";
    no_target_higher_better_2pct = "synthetic-no-target-higher-better-2pct";
    no_target_lower_better_rising = "synthetic-no-target-lower-better-rising";
    no_target_default_direction_negative = "synthetic-no-target-default-direction-negative";
    base_year_missing_use_next = "synthetic-base-year-missing-use-next";
    single_point = "synthetic-single-point";
    negative_values_lower_better = "synthetic-negative-values-lower-better";
    limit_near_max = "synthetic-limit-near-max";
    limit_at_max = "synthetic-limit-at-max";
    target_overshot_at_base_direction_mismatch = "synthetic-target-overshot-at-base-direction-mismatch";
}

/// The repository's own copy of the vectors (fixtures/README.md says where
/// it came from) is well formed: 25 vectors with distinct ids, 9 from the
/// upstream project's test fixtures (repository and commit named) and 16
/// synthetic edge cases, each with years and values of the same length,
/// years increasing, and an `expected_classbased_2_4_0_dev` block whose
/// years and values are those of the input, whose direction is ±1, whose
/// status is one of Open SDG's, and whose score lies in [−5, 5].
#[test]
fn the_fixture_holds_the_25_conformance_vectors_well_formed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/opensdg-vectors.json");
    let text = std::fs::read_to_string(path).expect("fixtures/opensdg-vectors.json");
    let file: Value = serde_json::from_str(&text).expect("the vectors are JSON");
    assert_eq!(file["generated_by"], "_harness_opensdg.py");
    let vectors = file["vectors"].as_array().expect("a vectors array");
    assert_eq!(vectors.len(), 25);
    let mut ids: Vec<&str> = vectors.iter().map(|v| v["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 25, "the ids are distinct");
    let kind = |k: &str| vectors.iter().filter(|v| v["kind"] == k).count();
    assert_eq!(kind("upstream_fixture"), 9);
    assert_eq!(kind("synthetic_edge_case"), 16);
    for v in vectors {
        let id = v["id"].as_str().unwrap();
        if v["kind"] == "upstream_fixture" {
            assert_eq!(v["source"]["repo"], "open-sdg/sdg-build", "{id}");
            let commit = v["source"]["commit"].as_str().unwrap_or_default();
            assert!(
                commit.len() == 40 && commit.bytes().all(|c| c.is_ascii_hexdigit()),
                "{id}: commit {commit:?}"
            );
        }
        let years: Vec<i64> = v["input"]["years"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: input.years"))
            .iter()
            .map(|y| y.as_i64().unwrap_or_else(|| panic!("{id}: year {y}")))
            .collect();
        let values: Vec<f64> = v["input"]["values"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: input.values"))
            .iter()
            .map(|x| x.as_f64().unwrap_or_else(|| panic!("{id}: value {x}")))
            .collect();
        assert!(!years.is_empty(), "{id}: no input");
        assert_eq!(years.len(), values.len(), "{id}: years and values");
        assert!(
            years.windows(2).all(|w| w[0] < w[1]),
            "{id}: years in order"
        );
        let e = &v["expected_classbased_2_4_0_dev"];
        assert!(e.is_object(), "{id}: no expected_classbased_2_4_0_dev");
        let value_of = |year: &Value| {
            let at = years.iter().position(|y| Some(*y) == year.as_i64());
            values[at.unwrap_or_else(|| panic!("{id}: year {year} not in the input"))]
        };
        assert_eq!(
            e["base_value"].as_f64(),
            Some(value_of(&e["base_year"])),
            "{id}"
        );
        assert_eq!(
            e["current_value"].as_f64(),
            Some(value_of(&e["current_year"])),
            "{id}"
        );
        assert!(e["target_year"].is_i64(), "{id}: target_year");
        assert!(
            e["direction"] == 1 || e["direction"] == -1,
            "{id}: direction {}",
            e["direction"]
        );
        assert!(e["target"].is_null() || e["target"].is_number(), "{id}");
        // mapped() panics on a status outside Open SDG's vocabulary
        let status = e["status"]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: status"));
        mapped(status);
        match e["score"].as_f64() {
            Some(score) => assert!((-5.0..=5.0).contains(&score), "{id}: score {score}"),
            None => assert_eq!(status, "not_available", "{id}: a score is missing"),
        }
        assert!(
            e["progress_value"].is_number() || status == "not_available",
            "{id}: progress_value"
        );
        assert!(e["notes"].is_array(), "{id}: notes");
    }
}
