//! The methods and target kinds of methodology.md, end to end through the
//! command line (`report --format json`), against hand calculations: the
//! worked examples of §9 under all four methods, the edge cases the
//! methodology names, and the cumulative, milestone, trend, waypoint and
//! revised targets of §7–§8. Numbers are checked to 1e-9 relative.
//!
//! Time (§1): a year period sits at its exclusive end, so a baseline 2020 is
//! t0 = 2021.0, a deadline 2025 is t1 = 2026.0 and an observation for 2021
//! is t = 2022.0.

mod common;

use common::Workdir;
use serde_json::Value;

// ---------------------------------------------------------------- helpers

/// `report --method M --as-of D --format json`: every row.
fn report(w: &Workdir, method: &str, as_of: &str) -> Vec<Value> {
    let out = w.ok(&[
        "report", "--method", method, "--as-of", as_of, "--format", "json",
    ]);
    let v: Value = serde_json::from_str(&out).expect("report JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["method"], method);
    assert_eq!(v["as_of"], as_of);
    v["targets"].as_array().expect("targets").clone()
}

/// The report row of target `id`.
fn row(w: &Workdir, method: &str, as_of: &str, id: &str) -> Value {
    report(w, method, as_of)
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// `actual` is a number within 1e-9 relative of `expected`.
#[track_caller]
fn close(actual: &Value, expected: f64, what: &str) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected {expected}, got {actual}"));
    assert!(
        a == expected
            || (a - expected).abs() <= 1e-9 * expected.abs()
            || (a - expected).abs() < 1e-15,
        "{what}: got {a}, expected {expected} (1e-9 relative)"
    );
}

#[track_caller]
fn null(actual: &Value, what: &str) {
    assert!(actual.is_null(), "{what}: expected null, got {actual}");
}

#[track_caller]
fn status(r: &Value, expected: &str) {
    assert_eq!(
        r["status"], expected,
        "status of {} ({}); row: {r:#}",
        r["id"], expected
    );
}

/// Some note of the row contains `needle` (case-insensitive).
#[track_caller]
fn has_note(r: &Value, needle: &str) {
    let notes: Vec<String> = r["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().unwrap().to_lowercase())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains(&needle.to_lowercase())),
        "no note containing '{needle}' in {notes:?}"
    );
}

#[track_caller]
fn no_note(r: &Value, needle: &str) {
    let hit = r["notes"].as_array().expect("notes").iter().any(|n| {
        n.as_str()
            .unwrap()
            .to_lowercase()
            .contains(&needle.to_lowercase())
    });
    assert!(
        !hit,
        "unexpected note containing '{needle}': {}",
        r["notes"]
    );
}

/// The id printed by `obs add`: "added observation 3: …".
fn obs_id(out: &str) -> String {
    out.trim()
        .strip_prefix("added observation ")
        .and_then(|s| s.split(':').next())
        .unwrap_or_else(|| panic!("unexpected obs add output: {out}"))
        .to_string()
}

/// A database with one indicator.
fn with_indicator(id: &str, unit: &str, measure: &str, extra: &[&str]) -> Workdir {
    let w = Workdir::new();
    w.ok(&["init"]);
    let mut args = vec![
        "indicator",
        "add",
        id,
        "--name",
        id,
        "--unit",
        unit,
        "--measure",
        measure,
    ];
    args.extend_from_slice(extra);
    w.ok(&args);
    w
}

/// The agri-food exports series of §9: a flow in USD.
fn agri() -> Workdir {
    with_indicator("agri", "USD", "flow", &[])
}

/// Adds `target add ID --indicator IND ARGS…` and returns its stderr.
fn target(w: &Workdir, id: &str, indicator: &str, args: &[&str]) -> String {
    let mut all = vec!["target", "add", id, "--indicator", indicator];
    all.extend_from_slice(args);
    let out = w.run(&all);
    assert!(
        out.status.success(),
        "target add {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// The date of a fractional year, to the day (methodology §1, inverted):
/// `year + floor(fraction · days_in_year)` days.
fn date_at(t: f64) -> String {
    let year = t.floor() as i32;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = if leap { 366.0 } else { 365.0 };
    let day = ((t - year as f64) * days).floor() as i64;
    let jan1 = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    (jan1 + chrono::Duration::days(day)).to_string()
}

// ------------------------------------------- §9 level, compound, increase

/// Agri-food exports: baseline 2020 = $5.8bn, target $7bn in 2025 on a
/// compound path, observed 2021 = $6.7bn. t0 = 2021.0, t1 = 2026.0,
/// t = 2022.0.
fn agri_food() -> Workdir {
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "$7bn",
            "--deadline",
            "2025",
            "--path",
            "compound",
        ],
    );
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "6.7bn",
        "--published",
        "2022-02-11",
    ]);
    w
}

#[test]
fn agri_food_compound_increase_under_every_method() {
    let w = agri_food();
    // progress = (6.7 − 5.8)/(7 − 5.8) = 0.9/1.2 = 0.75
    // time elapsed = (2022 − 2021)/(2026 − 2021) = 0.2
    // g_a = (6.7/5.8)^(1/1) − 1 = 15.517 %
    // g_r = (7/5.8)^(1/5) − 1 = 3.833 %
    // RR = g_a/g_r = 4.049
    // path = 5.8·(7/5.8)^0.2 = $6.022bn; deviation = 6.7 − 6.022 = +$0.678bn
    // from now = (7/6.7)^(1/4) − 1 = 1.101 %
    // projected 2025 = 6.7·1.15517^4 = $11.93bn
    // anticipated progress = (11.93 − 5.8)/1.2 = 5.109
    // the trend reaches 7bn at 2022 + ln(7/6.7)/ln(1.15517) = 2022.3037 → 2022-04-21
    // gap = 7 − 6.7 = $0.3bn, over |T|: 0.3/7 = 0.042857
    let g_a = 6.7 / 5.8 - 1.0;
    let g_r = (7.0f64 / 5.8).powf(0.2) - 1.0;
    let rr = g_a / g_r;
    let path = 5.8e9 * (7.0f64 / 5.8).powf(0.2);
    let projected = 6.7e9 * (1.0 + g_a).powi(4);
    let hit = 2022.0 + (7.0f64 / 6.7).ln() / (1.0 + g_a).ln();
    assert!((rr - 4.049).abs() < 1e-3);
    assert!((path / 1e9 - 6.022).abs() < 1e-3);
    assert!((projected / 1e9 - 11.93).abs() < 5e-3);
    assert_eq!(date_at(hit), "2022-04-21");

    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2022-06-30", "agri-2025");
        assert_eq!(r["kind"], "level");
        assert_eq!(r["direction"], "increase");
        assert_eq!(r["path"], "compound");
        assert_eq!(r["baseline"]["period"], "2020");
        close(&r["baseline"]["value"], 5.8e9, "baseline");
        close(&r["target"]["value"], 7e9, "target");
        assert_eq!(r["target"]["deadline"], "2025");
        assert_eq!(r["latest"]["period"], "2021");
        close(&r["latest"]["value"], 6.7e9, "latest");
        close(&r["progress"], 0.75, "progress");
        close(&r["time_elapsed"], 0.2, "time elapsed");
        close(&r["actual_rate"], g_a, "actual rate");
        close(&r["required_rate"], g_r, "required rate");
        close(
            &r["required_rate_from_now"],
            (7.0f64 / 6.7).powf(0.25) - 1.0,
            "required from now",
        );
        close(&r["rate_ratio"], rr, "rate ratio");
        close(&r["path_value"], path, "path value");
        close(&r["deviation"], 6.7e9 - path, "deviation");
        close(&r["projected"]["value"], projected, "projected");
        assert_eq!(r["projected"]["at"], "2025");
        close(
            &r["anticipated_progress"],
            (projected - 5.8e9) / 1.2e9,
            "anticipated progress",
        );
        assert_eq!(r["projected_hit"], "2022-04-21");
        close(&r["gap"], 0.3e9, "gap");
        close(&r["gap_ratio"], 0.3 / 7.0, "gap ratio");
        // not yet achieved: 6.7 < 7
        status(&r, "on_track");
        match method {
            "eurostat" => {
                // RR = 4.049 ≥ 0.95: significant progress
                close(&r["method_value"], rr, "eurostat RR");
                assert_eq!(r["method_label"], "significant progress");
            }
            "unsd" => {
                // CR = anticipated progress 5.109 ≥ 0.95
                close(&r["method_value"], (projected - 5.8e9) / 1.2e9, "unsd CR");
                assert_eq!(r["method_label"], "on track");
            }
            "pace" => {
                // compound path, in log space: ln(6.7/5.8)/ln(path/5.8)
                // = 0.14425/(0.2·0.18805) = 3.835
                let pace = (6.7f64 / 5.8).ln() / (path / 5.8e9).ln();
                assert!((pace - 3.835).abs() < 1e-3);
                close(&r["method_value"], pace, "pace");
                assert_eq!(r["method_label"], "on trajectory");
            }
            "opensdg" => {
                // R = sign·d·g_a/|g_r| = 4.049 ≥ 0.95 → substantial;
                // score min(7.1429·4.049 − 4.2857, 5) = 5
                close(&r["method_value"], rr, "Open SDG R");
                assert_eq!(r["method_label"], "substantial_progress");
                close(&r["score"], 5.0, "score");
            }
            _ => unreachable!(),
        }
    }
}

// --------------------------------------------- §9 level, linear, decrease

/// 100 in 2010, target 60 in 2030 (lower is better), observed 85 in 2020.
/// t0 = 2011.0, t1 = 2031.0, t = 2021.0.
fn linear_decrease() -> Workdir {
    let w = with_indicator("series", "t", "stock", &["--lower-is-better"]);
    w.ok(&["obs", "add", "series", "2010", "100"]);
    w.ok(&["obs", "add", "series", "2020", "85"]);
    target(
        &w,
        "cut",
        "series",
        &[
            "--baseline",
            "2010",
            "--value",
            "60",
            "--deadline",
            "2030",
            "--path",
            "linear",
        ],
    );
    w
}

#[test]
fn linear_decrease_under_every_method() {
    let w = linear_decrease();
    // d = −1; progress = (85 − 100)/(60 − 100) = 15/40 = 0.375
    // time elapsed = 10/20 = 0.5
    // g_a = 0.85^(1/10) − 1 = −1.612 %; g_r = 0.6^(1/20) − 1 = −2.522 %
    // RR = 0.639 (eurostat at_risk)
    // path = 100 + (60 − 100)·0.5 = 80; deviation = −1·(85 − 80) = −5
    // projected 2030 = 85·(1 − 0.01612)^10 = 85·0.85 = 72.25
    // anticipated = (72.25 − 100)/(60 − 100) = 0.694 (unsd at_risk)
    // pace = 0.375/0.5 = 0.75 (pace at_risk)
    // gap = −1·(60 − 85) = 25, over |T| = 25/60
    // from now = (60/85)^(1/10) − 1 = −3.423 %
    // the trend reaches 60 at 2021 + 10·ln(60/85)/ln(0.85) = 2042.43 → 2042-06-07
    let g_a = 0.85f64.powf(0.1) - 1.0;
    let g_r = 0.6f64.powf(1.0 / 20.0) - 1.0;
    let rr = g_a / g_r;
    let projected = 85.0 * (1.0 + g_a).powi(10);
    let anticipated = (projected - 100.0) / (60.0 - 100.0);
    assert!((g_a + 0.01612).abs() < 1e-5 && (g_r + 0.02522).abs() < 1e-5);
    assert!((rr - 0.639).abs() < 1e-3);
    assert!((projected - 72.25).abs() < 1e-9);
    assert!((anticipated - 0.694).abs() < 1e-3);
    let hit = 2021.0 + (60.0f64 / 85.0).ln() / (1.0 + g_a).ln();
    assert_eq!(date_at(hit), "2042-06-07");

    let expected = [
        ("eurostat", rr, "moderate progress"),
        ("unsd", anticipated, "needs acceleration"),
        ("pace", 0.75, "slightly behind"),
        // R = sign·d·g_a/|g_r| = 1·(−1)·(−0.01612)/0.02522 = 0.639
        ("opensdg", rr, "moderate_progress"),
    ];
    for (method, value, label) in expected {
        let r = row(&w, method, "2021-06-30", "cut");
        assert_eq!(r["direction"], "decrease");
        assert_eq!(r["path"], "linear");
        close(&r["baseline"]["value"], 100.0, "baseline");
        close(&r["progress"], 0.375, "progress");
        close(&r["time_elapsed"], 0.5, "time elapsed");
        close(&r["actual_rate"], g_a, "actual rate");
        close(&r["required_rate"], g_r, "required rate");
        close(&r["rate_ratio"], rr, "rate ratio");
        close(&r["path_value"], 80.0, "path value");
        close(&r["deviation"], -5.0, "deviation");
        close(&r["projected"]["value"], projected, "projected");
        close(&r["anticipated_progress"], anticipated, "anticipated");
        close(&r["gap"], 25.0, "gap");
        close(&r["gap_ratio"], 25.0 / 60.0, "gap ratio");
        close(
            &r["required_rate_from_now"],
            (60.0f64 / 85.0).powf(0.1) - 1.0,
            "from now",
        );
        assert_eq!(r["projected_hit"], "2042-06-07");
        status(&r, "at_risk");
        close(&r["method_value"], value, method);
        assert_eq!(r["method_label"], label, "{method}");
        if method == "opensdg" {
            // score 7.1429·0.639 − 4.2857 = 0.2804
            close(&r["score"], 7.1429 * rr - 4.2857, "Open SDG score");
        } else {
            null(&r["score"], "score");
        }
    }
}

// ------------------------------------------------- §9 Open SDG examples

/// Statistics Canada 1-2-1: base 2015 = 14.5, latest 2023 = 10.2, target
/// 7.25 in 2030, lower is better. t0 = 2016, t = 2024, t1 = 2031.
#[test]
fn opensdg_with_a_target_statistics_canada_1_2_1() {
    let w = with_indicator("poverty", "%", "stock", &["--lower-is-better"]);
    w.ok(&["obs", "add", "poverty", "2015", "14.5"]);
    w.ok(&["obs", "add", "poverty", "2023", "10.2"]);
    target(
        &w,
        "halve",
        "poverty",
        &[
            "--baseline",
            "2015",
            "--value",
            "7.25",
            "--deadline",
            "2030",
        ],
    );
    // g_a = (10.2/14.5)^(1/8) − 1 = −4.3017 %; g_r = (7.25/14.5)^(1/15) − 1
    // = −4.516 %; R = 1·(−1)·g_a/|g_r| = 0.95259 → substantial_progress;
    // score 7.1429·0.95259 − 4.2857 = 2.5186
    let g_a = (10.2f64 / 14.5).powf(1.0 / 8.0) - 1.0;
    let g_r = 0.5f64.powf(1.0 / 15.0) - 1.0;
    let big_r = -g_a / g_r.abs();
    assert!((g_a + 0.043017).abs() < 1e-6 && (g_r + 0.045158).abs() < 1e-6);
    assert!((big_r - 0.95259).abs() < 1e-5);
    assert!((7.1429 * big_r - 4.2857 - 2.5186).abs() < 1e-4);
    let r = row(&w, "opensdg", "2024-06-30", "halve");
    status(&r, "on_track");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["method_value"], big_r, "R");
    close(&r["score"], 7.1429 * big_r - 4.2857, "score");
    // the same numbers under the other methods
    // eurostat: RR = g_a/g_r = 0.95259 ≥ 0.95 → on_track
    let r = row(&w, "eurostat", "2024-06-30", "halve");
    close(&r["rate_ratio"], g_a / g_r, "RR");
    status(&r, "on_track");
    // unsd: projected 2030 = 10.2·(1 + g_a)^7 = 7.4977;
    // CR = (7.4977 − 14.5)/(7.25 − 14.5) = 0.9658 → on_track
    let projected = 10.2 * (1.0 + g_a).powi(7);
    let cr = (projected - 14.5) / (7.25 - 14.5);
    assert!((cr - 0.9658).abs() < 1e-4);
    let r = row(&w, "unsd", "2024-06-30", "halve");
    close(&r["projected"]["value"], projected, "projected");
    close(&r["method_value"], cr, "CR");
    status(&r, "on_track");
    // pace (linear path): path = 14.5 − 7.25·8/15 = 10.6333;
    // (10.2 − 14.5)/(10.6333 − 14.5) = 1.1121 → on_track
    let path = 14.5 - 7.25 * 8.0 / 15.0;
    let r = row(&w, "pace", "2024-06-30", "halve");
    close(&r["path_value"], path, "path");
    close(&r["method_value"], (10.2 - 14.5) / (path - 14.5), "pace");
    status(&r, "on_track");
}

/// Statistics Canada 1-3-1: children covered, base 2015 = 90.0, latest
/// 2021 = 93.2, higher is better, natural limit 100, no target.
#[test]
fn opensdg_without_a_target_natural_limit_1_3_1() {
    let w = with_indicator("covered", "%", "stock", &["--limit", "100"]);
    w.ok(&["obs", "add", "covered", "2015", "90.0"]);
    w.ok(&["obs", "add", "covered", "2021", "93.2"]);
    target(
        &w,
        "more",
        "covered",
        &[
            "--direction",
            "increase",
            "--baseline",
            "2015",
            "--deadline",
            "2030",
        ],
    );
    // R = g_a = (93.2/90)^(1/6) − 1 = 0.58400 %; C = 1 − 0.9^4.44 = 0.37363;
    // thresholds 0.015·C = 0.5604 %, 0.005·C = 0.1868 % → substantial;
    // score 500·R/C − 5 = 2.8154
    let g_a = (93.2f64 / 90.0).powf(1.0 / 6.0) - 1.0;
    let c = 1.0 - 0.9f64.powf(4.44);
    assert!((g_a - 0.0058400).abs() < 1e-7 && (c - 0.37363).abs() < 1e-5);
    assert!((500.0 * g_a / c - 5.0 - 2.8154).abs() < 1e-4);
    let r = row(&w, "opensdg", "2022-06-30", "more");
    status(&r, "on_track");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["method_value"], g_a, "R");
    close(&r["score"], 500.0 * g_a / c - 5.0, "score");
    // eurostat: d·g_a = 0.584 % in 0–1 % → at_risk (moderate progress)
    let r = row(&w, "eurostat", "2022-06-30", "more");
    close(&r["method_value"], g_a, "d·g_a");
    status(&r, "at_risk");
    assert_eq!(r["method_label"], "moderate progress");
    // unsd: 0.5 % ≤ 0.584 % < 2 % → at_risk
    let r = row(&w, "unsd", "2022-06-30", "more");
    status(&r, "at_risk");
    // pace has no quantified target: Eurostat's no-target rule, noted
    let r = row(&w, "pace", "2022-06-30", "more");
    status(&r, "at_risk");
    has_note(&r, "no-target rule");
}

/// Open SDG assesses a latest value of 0 (only opposite signs are "not
/// available"; sdg-build `calculate_progress_value`): g_a = (0/b)^(1/n) − 1
/// = −1. methodology.md §6: "base and latest of opposite signs … → not
/// available"; 0 has no sign to oppose.
#[test]
fn opensdg_assesses_a_latest_value_of_zero() {
    // no target, lower is better: 5 in 2015, 0 in 2020.
    // R = sign·d·g_a = 1·(−1)·(−1) = 1 ≥ 0.015 → substantial_progress;
    // score min(500·1/1 − 5, 5) = 5
    let w = with_indicator("cases", "count", "stock", &["--lower-is-better"]);
    w.ok(&["obs", "add", "cases", "2015", "5"]);
    w.ok(&["obs", "add", "cases", "2020", "0"]);
    target(
        &w,
        "fewer",
        "cases",
        &[
            "--direction",
            "decrease",
            "--baseline",
            "2015",
            "--deadline",
            "2030",
        ],
    );
    let r = row(&w, "opensdg", "2021-06-30", "fewer");
    assert_eq!(r["method_label"], "substantial_progress", "{r:#}");
    status(&r, "on_track");
    close(&r["method_value"], 1.0, "R");
    close(&r["score"], 5.0, "score");

    // with a target, higher is better: 5 in 2015, 0 in 2020, target 10 in 2030.
    // g_r = 2^(1/15) − 1 = 4.729 %; R = 1·1·(−1)/0.04729 = −21.15 →
    // deterioration; score max(4.1667·R − 2.5, −5) = −5
    let w = with_indicator("jobs", "count", "stock", &[]);
    w.ok(&["obs", "add", "jobs", "2015", "5"]);
    w.ok(&["obs", "add", "jobs", "2020", "0"]);
    target(
        &w,
        "double",
        "jobs",
        &["--baseline", "2015", "--value", "10", "--deadline", "2030"],
    );
    let r = row(&w, "opensdg", "2021-06-30", "double");
    assert_eq!(r["method_label"], "deterioration", "{r:#}");
    status(&r, "moving_away");
    close(
        &r["method_value"],
        -1.0 / (2.0f64.powf(1.0 / 15.0) - 1.0),
        "R",
    );
    close(&r["score"], -5.0, "score");
}

/// methodology.md §6: Open SDG "compares exactly (no tolerance) to match
/// the published figures": a value a hair short of the target is not
/// target_achieved, whatever goalpost's 1e-9 tolerance says elsewhere.
#[test]
fn opensdg_target_met_is_compared_exactly() {
    // lower is better: 14.5 in 2015, 7.2500000001 in 2023, target 7.25 by 2030.
    // 7.2500000001 > 7.25: not met in Open SDG. g_a = (7.2500000001/14.5)^(1/8) − 1
    // = −8.300 %; g_r = 0.5^(1/15) − 1 = −4.516 %; R = 1.838 → substantial,
    // score min(7.1429·1.838 − 4.2857, 5) = 5 → on_track, not achieved
    let w = with_indicator("poverty", "%", "stock", &["--lower-is-better"]);
    w.ok(&["obs", "add", "poverty", "2015", "14.5"]);
    w.ok(&["obs", "add", "poverty", "2023", "7.2500000001"]);
    target(
        &w,
        "halve",
        "poverty",
        &[
            "--baseline",
            "2015",
            "--value",
            "7.25",
            "--deadline",
            "2030",
        ],
    );
    let g_a = (7.2500000001f64 / 14.5).powf(1.0 / 8.0) - 1.0;
    let g_r = 0.5f64.powf(1.0 / 15.0) - 1.0;
    let r = row(&w, "opensdg", "2024-06-30", "halve");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["method_value"], -g_a / g_r.abs(), "R");
    status(&r, "on_track");
    // eurostat keeps its tolerance: within 1e-9 relative of 7.25 is met
    status(&row(&w, "eurostat", "2024-06-30", "halve"), "achieved");
}

// ------------------------------------------------------------- edge cases

/// A zero base: no compound rate. Eurostat classifies the linear pace,
/// the projection is linear; Open SDG replaces the base by 0.001.
#[test]
fn a_zero_baseline() {
    let w = with_indicator("firms", "count", "stock", &[]);
    w.ok(&["obs", "add", "firms", "2020", "0"]);
    w.ok(&["obs", "add", "firms", "2022", "30"]);
    target(
        &w,
        "firms-100",
        "firms",
        &["--baseline", "2020", "--value", "100", "--deadline", "2025"],
    );
    // t0 = 2021, t = 2023, t1 = 2026
    // progress = 30/100 = 0.3; time = 2/5 = 0.4; linear pace = 0.75
    // slope = 30/2 = 15 a year; projected = 30 + 15·3 = 75; CR = 0.75
    // linear path = 100·0.4 = 40; deviation = 30 − 40 = −10; pace = 30/40
    // gap 70, 0.7 of |T|; hit at 2023 + 70/15 = 2027.667
    for (method, value, label, st) in [
        ("eurostat", 0.75, "moderate progress", "at_risk"),
        ("unsd", 0.75, "needs acceleration", "at_risk"),
        ("pace", 0.75, "slightly behind", "at_risk"),
    ] {
        let r = row(&w, method, "2023-06-30", "firms-100");
        null(&r["actual_rate"], "actual rate");
        null(&r["required_rate"], "required rate");
        null(&r["rate_ratio"], "rate ratio");
        close(&r["progress"], 0.3, "progress");
        close(&r["time_elapsed"], 0.4, "time");
        close(&r["path_value"], 40.0, "path");
        close(&r["deviation"], -10.0, "deviation");
        close(&r["projected"]["value"], 75.0, "projected");
        close(&r["anticipated_progress"], 0.75, "anticipated");
        close(&r["gap"], 70.0, "gap");
        close(&r["gap_ratio"], 0.7, "gap ratio");
        assert_eq!(r["projected_hit"], date_at(2023.0 + 70.0 / 15.0));
        has_note(&r, "zero or negative");
        status(&r, st);
        close(&r["method_value"], value, method);
        assert_eq!(r["method_label"], label);
        if method == "eurostat" {
            has_note(&r, "linear pace");
        }
    }
    // Open SDG: base 0 → 0.001; g_a = (30/0.001)^(1/2) − 1 = 172.2;
    // g_r = (100/0.001)^(1/5) − 1 = 9; R = 19.13 → substantial, score 5
    let r = row(&w, "opensdg", "2023-06-30", "firms-100");
    let big_r = ((30.0f64 / 0.001).powf(0.5) - 1.0) / ((100.0f64 / 0.001).powf(0.2) - 1.0);
    assert!((big_r - 19.134).abs() < 1e-3);
    status(&r, "on_track");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["method_value"], big_r, "Open SDG R");
    close(&r["score"], 5.0, "score");
    has_note(&r, "0.001");
}

/// Negative values (a trade deficit): no compound rate; the linear
/// measures still work; Open SDG's sign factor flips the ratio.
#[test]
fn a_negative_baseline_and_target() {
    let w = with_indicator("balance", "USD", "flow", &[]);
    w.ok(&["obs", "add", "balance", "2020", "-2bn"]);
    w.ok(&["obs", "add", "balance", "2022", "-1bn"]);
    target(
        &w,
        "deficit",
        "balance",
        &[
            "--baseline",
            "2020",
            "--value",
            "-0.5bn",
            "--deadline",
            "2025",
        ],
    );
    // b = −2bn (t0 2021), x = −1bn (t 2023), T = −0.5bn (t1 2026), d = +1
    // progress = (−1 + 2)/(−0.5 + 2) = 2/3; time 0.4; linear pace = 5/3
    // slope = 0.5bn a year; projected = −1 + 0.5·3 = +0.5bn;
    // CR = (0.5 + 2)/1.5 = 5/3; path = −2 + 1.5·0.4 = −1.4bn;
    // deviation = −1 + 1.4 = +0.4bn; gap = −0.5 + 1 = 0.5bn, 1.0 of |T|;
    // hit at 2023 + 0.5/0.5 = 2024.0
    for (method, value, label) in [
        ("eurostat", 5.0 / 3.0, "significant progress"),
        ("unsd", 5.0 / 3.0, "on track"),
        ("pace", 5.0 / 3.0, "on trajectory"),
    ] {
        let r = row(&w, method, "2023-06-30", "deficit");
        null(&r["actual_rate"], "actual rate");
        null(&r["rate_ratio"], "rate ratio");
        close(&r["progress"], 2.0 / 3.0, "progress");
        close(&r["path_value"], -1.4e9, "path");
        close(&r["deviation"], 0.4e9, "deviation");
        close(&r["projected"]["value"], 0.5e9, "projected");
        close(&r["anticipated_progress"], 5.0 / 3.0, "anticipated");
        close(&r["gap"], 0.5e9, "gap");
        close(&r["gap_ratio"], 1.0, "gap ratio");
        assert_eq!(r["projected_hit"], "2024-01-01");
        status(&r, "on_track");
        close(&r["method_value"], value, method);
        assert_eq!(r["method_label"], label);
    }
    // Open SDG: sign = −1 (negative base); g_a = (−1/−2)^(1/2) − 1 = −0.29289;
    // g_r = (−0.5/−2)^(1/5) − 1 = −0.24214; R = (−1)(+1)(−0.29289)/0.24214
    // = 1.2096 → substantial; score 7.1429·1.2096 − 4.2857 = 4.354
    let g_a = 0.5f64.powf(0.5) - 1.0;
    let g_r = 0.25f64.powf(0.2) - 1.0;
    let big_r = -g_a / g_r.abs();
    assert!((big_r - 1.2096).abs() < 1e-4);
    let r = row(&w, "opensdg", "2023-06-30", "deficit");
    status(&r, "on_track");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["method_value"], big_r, "Open SDG R");
    close(&r["score"], 7.1429 * big_r - 4.2857, "score");
}

/// A base and a latest value of opposite signs: Open SDG says not
/// available; the linear measures still classify.
#[test]
fn opposite_signs() {
    let w = with_indicator("balance", "USD", "flow", &[]);
    w.ok(&["obs", "add", "balance", "2020", "-2bn"]);
    w.ok(&["obs", "add", "balance", "2022", "0.2bn"]);
    target(
        &w,
        "surplus",
        "balance",
        &["--baseline", "2020", "--value", "1bn", "--deadline", "2025"],
    );
    let r = row(&w, "opensdg", "2023-06-30", "surplus");
    status(&r, "no_data");
    assert_eq!(r["method_label"], "not_available");
    null(&r["method_value"], "R");
    // eurostat: progress 2.2/3 = 0.7333, time 0.4, linear pace 1.8333
    let r = row(&w, "eurostat", "2023-06-30", "surplus");
    close(&r["progress"], 2.2 / 3.0, "progress");
    close(&r["method_value"], 2.2 / 3.0 / 0.4, "linear pace");
    status(&r, "on_track");
}

/// §3: "reduce to 50" for a value at 60 on an indicator whose
/// `--lower-is-better` was forgotten: d = +1 and T lies below b, so the
/// target is met at the baseline. `target add` warns; the report notes it.
#[test]
fn a_target_met_at_the_baseline_warns_and_is_noted() {
    let w = with_indicator("emissions", "t", "stock", &[]);
    w.ok(&["obs", "add", "emissions", "2020", "60"]);
    let stderr = target(
        &w,
        "reduce",
        "emissions",
        &["--baseline", "2020", "--value", "50", "--deadline", "2025"],
    );
    assert!(stderr.starts_with("warning:"), "{stderr}");
    assert!(stderr.contains("already met"), "{stderr}");
    assert!(stderr.contains("reduce"), "names the target: {stderr}");
    w.ok(&["obs", "add", "emissions", "2022", "58"]);
    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2023-06-30", "reduce");
        // d·(x − T) = 58 − 50 ≥ 0: met
        status(&r, "achieved");
        has_note(&r, "already met at the baseline");
    }

    // the same with the baseline value stated and no observation at all
    let w = with_indicator("emissions", "t", "stock", &[]);
    let stderr = target(
        &w,
        "reduce",
        "emissions",
        &[
            "--baseline",
            "2020=60",
            "--value",
            "50",
            "--deadline",
            "2025",
        ],
    );
    assert!(stderr.contains("already met"), "{stderr}");

    // the intended target (lower is better) does not warn
    let w = with_indicator("emissions", "t", "stock", &["--lower-is-better"]);
    w.ok(&["obs", "add", "emissions", "2020", "60"]);
    let stderr = target(
        &w,
        "reduce",
        "emissions",
        &["--baseline", "2020", "--value", "50", "--deadline", "2025"],
    );
    assert!(stderr.is_empty(), "{stderr}");
    w.ok(&["obs", "add", "emissions", "2022", "58"]);
    let r = row(&w, "eurostat", "2023-06-30", "reduce");
    no_note(&r, "already met");
    // progress (58 − 60)/(50 − 60) = 0.2, time 0.4; g_a = (58/60)^(1/2) − 1
    // = −1.681%, g_r = (50/60)^(1/5) − 1 = −3.581%, RR = −1·g_a/|g_r| =
    // 0.4694 → off_track
    close(&r["progress"], 0.2, "progress");
    status(&r, "off_track");
}

/// Base equal to target (hold the line): progress and the rate ratio
/// cannot be formed; met or not met is all that can be said.
#[test]
fn base_equal_to_target() {
    let w = with_indicator("share", "%", "stock", &[]);
    w.ok(&["obs", "add", "share", "2020", "50"]);
    w.ok(&["obs", "add", "share", "2022", "52"]);
    let stderr = target(
        &w,
        "hold",
        "share",
        &["--baseline", "2020", "--value", "50", "--deadline", "2025"],
    );
    // T = b is not on the wrong side of b: no warning
    assert!(stderr.is_empty(), "{stderr}");
    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2023-06-30", "hold");
        // 52 ≥ 50: met
        status(&r, "achieved");
        null(&r["progress"], "progress");
    }
    w.ok(&["obs", "add", "share", "2023", "48"]);
    let labels = [
        ("eurostat", "movement away"),
        ("unsd", "regression"),
        ("pace", "going backwards"),
        ("opensdg", "deterioration"),
    ];
    for (method, label) in labels {
        let r = row(&w, method, "2024-06-30", "hold");
        // 48 < 50: not met, with no distance to cover: moving away under
        // every method (§3); no progress share (T − b = 0), g_r = 0 so no RR
        status(&r, "moving_away");
        assert_eq!(r["method_label"], label, "{method}");
        null(&r["progress"], "progress");
        null(&r["rate_ratio"], "rate ratio");
        close(&r["required_rate"], 0.0, "required rate");
        close(&r["gap"], 2.0, "gap");
    }
}

/// A single point: the baseline and nothing after it.
#[test]
fn a_single_point_is_no_data_with_a_reason() {
    let w = agri();
    w.ok(&["obs", "add", "agri", "2020", "5.8bn"]);
    target(
        &w,
        "agri-2025",
        "agri",
        &["--baseline", "2020", "--value", "7bn", "--deadline", "2025"],
    );
    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2021-06-30", "agri-2025");
        status(&r, "no_data");
        close(&r["baseline"]["value"], 5.8e9, "baseline");
        // latest = the baseline itself when nothing later is known (§3)
        assert_eq!(r["latest"]["period"], "2020");
        close(&r["latest"]["value"], 5.8e9, "latest");
        close(&r["progress"], 0.0, "progress");
        close(&r["time_elapsed"], 0.0, "time elapsed");
        null(&r["actual_rate"], "actual rate");
        null(&r["projected"], "projected");
        has_note(
            &r,
            "no observation after the baseline (2020) known on 2021-06-30",
        );
    }
    // and with no observation at all
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &["--baseline", "2020", "--value", "7bn", "--deadline", "2025"],
    );
    let r = row(&w, "eurostat", "2021-06-30", "agri-2025");
    status(&r, "no_data");
    null(&r["baseline"], "baseline");
    close(&r["target"]["value"], 7e9, "target");
}

/// §3: no value for the baseline period: the next later observation is
/// used (the Open SDG rule) and a note says so.
#[test]
fn a_missing_baseline_year_uses_the_next_later_one() {
    let w = with_indicator("share", "%", "stock", &[]);
    w.ok(&["obs", "add", "share", "2016", "80"]);
    w.ok(&["obs", "add", "share", "2018", "85"]);
    w.ok(&["obs", "add", "share", "2021", "90"]);
    target(
        &w,
        "share-100",
        "share",
        &["--baseline", "2015", "--value", "100", "--deadline", "2030"],
    );
    let r = row(&w, "eurostat", "2022-06-30", "share-100");
    assert_eq!(r["baseline"]["period"], "2016");
    close(&r["baseline"]["value"], 80.0, "baseline");
    has_note(&r, "next later observation (2016)");
    // t0 = 2017, t = 2022, t1 = 2031: g_a = (90/80)^(1/5) − 1 = 2.384 %,
    // g_r = (100/80)^(1/14) − 1 = 1.607 %, RR = 1.4836 → on_track
    let g_a = (90.0f64 / 80.0).powf(0.2) - 1.0;
    let g_r = (100.0f64 / 80.0).powf(1.0 / 14.0) - 1.0;
    close(&r["actual_rate"], g_a, "g_a");
    close(&r["required_rate"], g_r, "g_r");
    close(&r["rate_ratio"], g_a / g_r, "RR");
    close(&r["time_elapsed"], 5.0 / 14.0, "time");
    status(&r, "on_track");
    // a baseline observation present: no note
    w.ok(&["obs", "add", "share", "2015", "78"]);
    let r = row(&w, "eurostat", "2022-06-30", "share-100");
    assert_eq!(r["baseline"]["period"], "2015");
    no_note(&r, "next later");
}

/// §1: a bare date of a stock is an instant, the start of that day, and
/// durations are fractional years: Great Stone residents, 68 on
/// 1 January 2021 (= end of 2020), 93 on 10 October 2022.
#[test]
fn a_stock_counts_at_its_instant() {
    let w = with_indicator("residents", "residents", "stock", &[]);
    w.ok(&["obs", "add", "residents", "2021-01-01", "68"]);
    w.ok(&["obs", "add", "residents", "2022-10-10", "93"]);
    target(
        &w,
        "res-150",
        "residents",
        &["--baseline", "2020", "--value", "150", "--deadline", "2025"],
    );
    let r = row(&w, "eurostat", "2023-01-15", "res-150");
    // the baseline 2020 ends at 2021.0, the instant of 2021-01-01: no
    // "next later observation" note
    assert_eq!(r["baseline"]["period"], "2021-01-01");
    close(&r["baseline"]["value"], 68.0, "baseline");
    no_note(&r, "next later");
    // t = 2022 + 282/365 (10 October is day 283); t0 = 2021, t1 = 2026
    let t: f64 = 2022.0 + 282.0 / 365.0;
    let g_a = (93.0f64 / 68.0).powf(1.0 / (t - 2021.0)) - 1.0;
    let g_r = (150.0f64 / 68.0).powf(1.0 / 5.0) - 1.0;
    close(&r["time_elapsed"], (t - 2021.0) / 5.0, "time share");
    close(&r["actual_rate"], g_a, "g_a");
    close(&r["required_rate"], g_r, "g_r");
    close(&r["rate_ratio"], g_a / g_r, "RR");
    close(&r["progress"], 25.0 / 82.0, "progress (93 − 68)/(150 − 68)");
    close(
        &r["projected"]["value"],
        93.0 * (1.0 + g_a).powf(2026.0 - t),
        "projected",
    );
    // "end of 2020" and "1 January 2021" are one instant: a later
    // publication for "2020" is a new vintage of the same value
    w.ok(&[
        "obs",
        "add",
        "residents",
        "2020",
        "70",
        "--published",
        "2023-01-10",
    ]);
    let r = row(&w, "eurostat", "2023-01-15", "res-150");
    close(&r["baseline"]["value"], 70.0, "the latest vintage wins");
    // as of before that publication, 68 still stands
    let r = row(&w, "eurostat", "2023-01-09", "res-150");
    close(&r["baseline"]["value"], 68.0, "the earlier vintage");
}

/// §6: thresholds are compared with a tolerance of 1e-9, so a value that
/// equals a threshold in decimal meets it.
#[test]
fn eurostat_threshold_boundaries() {
    let w = with_indicator("x", "count", "stock", &[]);
    w.ok(&["obs", "add", "x", "2020", "100"]);
    w.ok(&["obs", "add", "x", "2021", "109.5"]);
    // b = 100 (t0 2021), T = 121 by 2022 (t1 2023): g_r = 1.21^(1/2) − 1
    // = 0.1; x = 109.5 after one year: g_a = 0.095; RR = 0.95 in decimal,
    // 0.9499999999999988 in binary → on_track by the tolerance
    target(
        &w,
        "t95",
        "x",
        &["--baseline", "2020", "--value", "121", "--deadline", "2022"],
    );
    let rr = (109.5 / 100.0 - 1.0) / (1.21f64.powf(0.5) - 1.0);
    assert!(rr < 0.95 && (rr - 0.95).abs() < 1e-12);
    let r = row(&w, "eurostat", "2022-06-30", "t95");
    close(&r["method_value"], 0.95, "RR");
    status(&r, "on_track");
    assert_eq!(r["method_label"], "significant progress");

    // RR = 0.6 in decimal: T = 156.25 (g_r = 0.25), x = 115 (g_a = 0.15)
    let w = with_indicator("x", "count", "stock", &[]);
    w.ok(&["obs", "add", "x", "2020", "100"]);
    w.ok(&["obs", "add", "x", "2021", "115"]);
    target(
        &w,
        "t60",
        "x",
        &[
            "--baseline",
            "2020",
            "--value",
            "156.25",
            "--deadline",
            "2022",
        ],
    );
    let r = row(&w, "eurostat", "2022-06-30", "t60");
    close(&r["method_value"], 0.6, "RR");
    status(&r, "at_risk");
    assert_eq!(r["method_label"], "moderate progress");

    // RR = 0 (no change): off_track, not moving away
    let w = with_indicator("x", "count", "stock", &[]);
    w.ok(&["obs", "add", "x", "2020", "100"]);
    w.ok(&["obs", "add", "x", "2021", "100"]);
    target(
        &w,
        "t0",
        "x",
        &["--baseline", "2020", "--value", "121", "--deadline", "2022"],
    );
    let r = row(&w, "eurostat", "2022-06-30", "t0");
    close(&r["method_value"], 0.0, "RR");
    status(&r, "off_track");
    assert_eq!(r["method_label"], "insufficient progress");
    // a fall: RR < 0, moving away
    w.ok(&["obs", "add", "x", "2021", "99", "--published", "2022-03-01"]);
    let r = row(&w, "eurostat", "2022-06-30", "t0");
    status(&r, "moving_away");
    assert_eq!(r["method_label"], "movement away");
}

/// §3: a change is resolved against the baseline at report time
/// (`T = b·(1 + p)`, `T = b + Δ`); without `--direction` its sign gives d.
#[test]
fn changes_resolve_against_the_baseline() {
    let w = with_indicator("exports", "USD", "flow", &[]);
    w.ok(&["obs", "add", "exports", "2020", "4bn"]);
    w.ok(&["obs", "add", "exports", "2021", "4.4bn"]);
    target(
        &w,
        "plus25",
        "exports",
        &[
            "--baseline",
            "2020",
            "--change",
            "+25%",
            "--deadline",
            "2025",
        ],
    );
    target(
        &w,
        "plus1bn",
        "exports",
        &[
            "--baseline",
            "2020",
            "--change",
            "+1bn",
            "--deadline",
            "2025",
        ],
    );
    // the sign of the change makes it a decrease on a higher-is-better series
    target(
        &w,
        "minus30",
        "exports",
        &[
            "--baseline",
            "2020",
            "--change",
            "-30%",
            "--deadline",
            "2025",
        ],
    );
    let rows = report(&w, "eurostat", "2022-06-30");
    let get = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    // T = 4bn·1.25 = 5bn; progress (4.4 − 4)/(5 − 4) = 0.4
    let r = get("plus25");
    close(&r["target"]["value"], 5e9, "4bn + 25%");
    assert_eq!(r["target"]["change"], "+25%");
    assert_eq!(r["direction"], "increase");
    close(&r["progress"], 0.4, "progress");
    // T = 4bn + 1bn = 5bn
    close(&get("plus1bn")["target"]["value"], 5e9, "4bn + 1bn");
    // T = 4bn·0.7 = 2.8bn, d = −1; the series rose: progress (4.4 − 4)/(2.8 − 4)
    // = −1/3, RR = g_a/g_r = 0.1/(0.7^(1/5) − 1) < 0 → moving_away
    let r = get("minus30");
    close(&r["target"]["value"], 2.8e9, "4bn − 30%");
    assert_eq!(r["direction"], "decrease");
    close(&r["progress"], -1.0 / 3.0, "progress");
    close(&r["rate_ratio"], 0.1 / (0.7f64.powf(0.2) - 1.0), "RR");
    status(&r, "moving_away");
    null(
        &r["projected_hit"],
        "a trend away from the target never reaches it",
    );

    // percentage points on a share: 38 % + 2pp = 40 %
    let w = with_indicator("share", "%", "stock", &[]);
    w.ok(&["obs", "add", "share", "2020", "38"]);
    w.ok(&["obs", "add", "share", "2021", "39"]);
    target(
        &w,
        "plus2pp",
        "share",
        &[
            "--baseline",
            "2020",
            "--change",
            "+2pp",
            "--deadline",
            "2025",
        ],
    );
    let r = row(&w, "eurostat", "2022-06-30", "plus2pp");
    close(&r["target"]["value"], 40.0, "38 + 2pp");
    close(&r["progress"], 0.5, "progress (39 − 38)/2");
}

/// §3: a revised baseline moves a relative target, as the policy intends.
#[test]
fn a_revised_baseline_moves_a_relative_target() {
    let w = Workdir::new();
    w.ok(&["init"]);
    let file = w.file(
        "rebased.toml",
        r#"version = 1

[[indicator]]
id = "exports"
name = "exports"
unit = "USD"
measure = "flow"

[[target]]
id = "plus25"
indicator = "exports"
change = "+25%"
baseline = "2020"
baseline_value = "4bn"
deadline = "2025"

  [[target.revision]]
  effective = "2023-01-01"
  source = "statistics revised"
  baseline_value = "4.4bn"

[[observation]]
indicator = "exports"
period = "2021"
value = "4.6bn"
"#,
    );
    w.ok(&["import", file.to_str().unwrap()]);
    // before: T = 4·1.25 = 5bn; after: T = 4.4·1.25 = 5.5bn
    close(
        &row(&w, "eurostat", "2022-06-30", "plus25")["target"]["value"],
        5e9,
        "against 4bn",
    );
    let r = row(&w, "eurostat", "2023-06-30", "plus25");
    close(&r["target"]["value"], 5.5e9, "against 4.4bn");
    close(&r["baseline"]["value"], 4.4e9, "the revised baseline");
    // progress (4.6 − 4.4)/(5.5 − 4.4) = 0.18182
    close(&r["progress"], 0.2 / 1.1, "progress");
}

// ---------------------------------------------------- deadline passed (§6)

/// Agri-food with a deadline value (or none) reported after the deadline.
fn agri_after_deadline(values: &[(&str, &str)]) -> Workdir {
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "7bn",
            "--deadline",
            "2025",
            "--path",
            "compound",
        ],
    );
    for (p, v) in values {
        w.ok(&["obs", "add", "agri", p, v]);
    }
    w
}

#[test]
fn after_the_deadline_its_value_alone_decides() {
    // the deadline value misses: missed, whatever the method
    let w = agri_after_deadline(&[("2021", "6.7bn"), ("2025", "6.9bn")]);
    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2026-06-30", "agri-2025");
        assert_eq!(r["latest"]["period"], "2025");
        status(&r, "missed");
        close(&r["gap"], 0.1e9, "gap");
        // at the deadline the projection is the value itself
        close(&r["projected"]["value"], 6.9e9, "projected");
        close(&r["time_elapsed"], 1.0, "time");
    }
    // the deadline value meets it: achieved
    let w = agri_after_deadline(&[("2021", "6.7bn"), ("2025", "7.1bn")]);
    for method in ["eurostat", "unsd", "pace", "opensdg"] {
        let r = row(&w, method, "2026-06-30", "agri-2025");
        status(&r, "achieved");
        // the gap turns negative once the target is passed: 7 − 7.1
        close(&r["gap"], -0.1e9, "gap");
        null(&r["projected_hit"], "no hit date once achieved");
    }
    // exactly the target: met (d·(x − T) = 0 ≥ 0)
    let w = agri_after_deadline(&[("2021", "6.7bn"), ("2025", "7bn")]);
    status(&row(&w, "eurostat", "2026-06-30", "agri-2025"), "achieved");
}

#[test]
fn after_the_deadline_later_values_never_change_the_verdict() {
    let w = agri_after_deadline(&[("2021", "6.7bn"), ("2025", "6.9bn"), ("2026", "9bn")]);
    let r = row(&w, "eurostat", "2027-06-30", "agri-2025");
    assert_eq!(r["latest"]["period"], "2025");
    status(&r, "missed");
    has_note(&r, "after the deadline");
}

#[test]
fn after_the_deadline_without_its_value_the_latest_is_assessed_and_awaited() {
    let w = agri_after_deadline(&[("2021", "6.7bn"), ("2024", "6.9bn")]);
    // as of 2026-03-01 the 2025 value is not yet known: assess 2024 (t = 2025)
    // g_a = (6.9/5.8)^(1/4) − 1; g_r = (7/5.8)^(1/5) − 1
    let r = row(&w, "eurostat", "2026-03-01", "agri-2025");
    assert_eq!(r["latest"]["period"], "2024");
    let g_a = (6.9f64 / 5.8).powf(0.25) - 1.0;
    let g_r = (7.0f64 / 5.8).powf(0.2) - 1.0;
    close(&r["rate_ratio"], g_a / g_r, "RR");
    close(&r["time_elapsed"], 0.8, "time");
    // RR = 0.04435/0.03833 = 1.157 → on_track, not missed
    status(&r, "on_track");
    has_note(&r, "awaited");
    // a 2026 value alone does not stand in for the deadline's
    w.ok(&["obs", "add", "agri", "2026", "9bn"]);
    let r = row(&w, "eurostat", "2027-06-30", "agri-2025");
    assert_eq!(r["latest"]["period"], "2024");
    status(&r, "on_track");
    has_note(&r, "awaited");
}

// ------------------------------------------- which observations count (§2)

/// Rule 4: a partial period of a flow is stored and shown, never compared
/// with an annual target.
#[test]
fn partial_periods_of_a_flow_are_never_compared_with_an_annual_target() {
    let w = agri_food();
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2022-01..2022-08",
        "5.168bn",
        "--published",
        "2022-10-01",
    ]);
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2022-Q3",
        "2bn",
        "--published",
        "2022-11-01",
    ]);
    let r = row(&w, "eurostat", "2022-12-01", "agri-2025");
    assert_eq!(r["latest"]["period"], "2021");
    close(&r["latest"]["value"], 6.7e9, "latest");
    // one short note for the year: the eight months and Q3 (which overlap
    // in July and August) leave October to December, 3 of 12 months,
    // without a value, and do not tile the year: no sum
    has_note(
        &r,
        "not compared, incomplete: 2022 (3 of 12 months without a value); the target is assessed on periods of a year",
    );
    status(&r, "on_track");

    // only a partial period after the baseline: nothing to compare
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "7bn",
            "--deadline",
            "2025",
        ],
    );
    w.ok(&["obs", "add", "agri", "2021-01..2021-08", "5bn"]);
    let r = row(&w, "eurostat", "2022-06-30", "agri-2025");
    status(&r, "no_data");
    // nothing after the baseline: the (stated) baseline is the latest value
    assert_eq!(r["latest"]["period"], "2020");
    has_note(&r, "2021 (4 of 12 months without a value)");
}

/// Rules 1–2: a report as of a past date uses only what was published by
/// then; the latest vintage known then wins.
#[test]
fn vintages_and_as_of() {
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "7bn",
            "--deadline",
            "2025",
        ],
    );
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "6.5bn",
        "--published",
        "2022-01-20",
    ]);
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "6.7bn",
        "--published",
        "2022-02-11",
    ]);
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2022",
        "8.3bn",
        "--published",
        "2023-02-28",
    ]);

    // without a publication date a value counts from its period's last day
    w.ok(&["obs", "add", "agri", "2023", "9bn"]);
    assert_eq!(
        row(&w, "eurostat", "2023-12-30", "agri-2025")["latest"]["period"],
        "2022"
    );
    assert_eq!(
        row(&w, "eurostat", "2023-12-31", "agri-2025")["latest"]["period"],
        "2023"
    );
    // before the first publication: nothing known after the baseline, so
    // the baseline is the latest value
    let r = row(&w, "eurostat", "2022-01-19", "agri-2025");
    status(&r, "no_data");
    assert_eq!(r["latest"]["period"], "2020");
    // the first vintage: progress (6.5 − 5.8)/1.2 = 0.58333
    let r = row(&w, "eurostat", "2022-01-31", "agri-2025");
    close(&r["latest"]["value"], 6.5e9, "first vintage");
    close(&r["progress"], 0.7 / 1.2, "progress");
    // the revision: 6.7
    let r = row(&w, "eurostat", "2022-12-31", "agri-2025");
    assert_eq!(r["latest"]["period"], "2021");
    close(&r["latest"]["value"], 6.7e9, "second vintage");
    close(&r["progress"], 0.75, "progress");
    status(&r, "on_track");
    // once 2022 is out: 8.3 ≥ 7, achieved
    let r = row(&w, "eurostat", "2023-03-01", "agri-2025");
    assert_eq!(r["latest"]["period"], "2022");
    status(&r, "achieved");
    // the past report is reproduced exactly, byte for byte
    let a = w.ok(&["report", "--as-of", "2022-12-31", "--format", "json"]);
    let b = w.ok(&["report", "--as-of", "2022-12-31", "--format", "json"]);
    assert_eq!(a, b);
}

/// Rule 3: a retracted observation is ignored by every report, whatever the
/// as-of date, and stays in the history.
#[test]
fn retracted_observations_never_count() {
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "7bn",
            "--deadline",
            "2025",
        ],
    );
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "6.7bn",
        "--published",
        "2022-02-10",
    ]);
    // a typo, entered as a later vintage
    let out = w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "67bn",
        "--published",
        "2022-02-11",
    ]);
    let typo = obs_id(&out);
    status(&row(&w, "eurostat", "2022-06-30", "agri-2025"), "achieved");
    w.ok(&["obs", "retract", &typo, "--why", "typo: 6.7bn"]);
    for as_of in ["2022-02-11", "2022-06-30", "2030-01-01"] {
        let r = row(&w, "eurostat", as_of, "agri-2025");
        close(&r["latest"]["value"], 6.7e9, "the earlier vintage");
    }
    status(&row(&w, "eurostat", "2022-06-30", "agri-2025"), "on_track");
    // kept in the history with its reason
    let list: Value =
        serde_json::from_str(&w.ok(&["obs", "list", "agri", "--history", "--format", "json"]))
            .unwrap();
    let kept = list["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"].as_i64() == typo.parse::<i64>().ok())
        .expect("the retracted observation is kept");
    assert_eq!(kept["retracted"]["why"], "typo: 6.7bn");
}

// ------------------------------------------------- cumulative targets (§7)

/// "4,000 additional jobs in 2021–2025": the window 2021..2025,
/// t0 = 2021.0, t1 = 2026.0.
fn jobs() -> Workdir {
    let w = with_indicator("jobs", "jobs", "flow", &[]);
    target(
        &w,
        "jobs-4000",
        "jobs",
        &[
            "--kind",
            "cumulative",
            "--from",
            "2021",
            "--value",
            "4000",
            "--deadline",
            "2025",
        ],
    );
    w
}

#[test]
fn cumulative_sums_yearly_and_quarterly_values_without_double_counting() {
    let w = jobs();
    w.ok(&["obs", "add", "jobs", "2021", "900"]);
    w.ok(&["obs", "add", "jobs", "2021-Q1", "100"]); // inside 2021: not counted
    w.ok(&["obs", "add", "jobs", "2022-Q1", "200"]); // inside 2022-H1: not counted
    w.ok(&["obs", "add", "jobs", "2022-Q2", "250"]); // inside 2022-H1: not counted
    w.ok(&["obs", "add", "jobs", "2022-H1", "500"]);
    w.ok(&["obs", "add", "jobs", "2022-Q3", "300"]);
    w.ok(&["obs", "add", "jobs", "2020", "1000"]); // before the window
    // x = 900 + 500 + 300 = 1700, up to the end of 2022-Q3 (2022-10-01):
    // t = 2022 + 273/365; time share = (t − 2021)/5 = 0.349589
    // progress = 1700/4000 = 0.425; pace = 0.425/0.349589 = 1.2157 → on_track
    // rates: actual 1700/(t − 2021) = 972.6 a year vs 4000/5 = 800 a year
    // projection x/share = 4862.9; path 4000·share = 1398.4; deviation +301.6
    // gap 2300 (0.575 of T); from now 2300/(2026 − t) = 707.3 a year
    // 4000 reached at 2021 + 4000/972.6 = 2025.113
    let t: f64 = 2022.0 + 273.0 / 365.0;
    let share = (t - 2021.0) / 5.0;
    let per_year = 1700.0 / (t - 2021.0);
    assert!((share - 0.349589).abs() < 1e-6);
    assert!((0.425 / share - 1.2157).abs() < 1e-4);
    for method in ["pace", "eurostat", "unsd", "opensdg"] {
        let r = row(&w, method, "2022-12-31", "jobs-4000");
        assert_eq!(r["kind"], "cumulative");
        close(&r["latest"]["value"], 1700.0, "running sum");
        assert_eq!(r["latest"]["period"], "2022-Q3");
        close(&r["baseline"]["value"], 0.0, "b = 0");
        close(&r["time_elapsed"], share, "time share");
        close(&r["progress"], 0.425, "progress");
        close(&r["actual_rate"], per_year, "per year so far");
        close(&r["required_rate"], 800.0, "per year required");
        close(&r["rate_ratio"], per_year / 800.0, "rate ratio");
        close(
            &r["required_rate_from_now"],
            2300.0 / (2026.0 - t),
            "from now",
        );
        close(&r["path_value"], 4000.0 * share, "path");
        close(&r["deviation"], 1700.0 - 4000.0 * share, "deviation");
        close(&r["projected"]["value"], 1700.0 / share, "projected");
        close(
            &r["anticipated_progress"],
            1700.0 / share / 4000.0,
            "anticipated",
        );
        close(&r["gap"], 2300.0, "gap");
        close(&r["gap_ratio"], 0.575, "gap ratio");
        assert_eq!(r["projected_hit"], date_at(2021.0 + 4000.0 / per_year));
        // status by pace whatever the method
        status(&r, "on_track");
        close(&r["method_value"], 0.425 / share, "pace");
        assert_eq!(r["method_label"], "on trajectory");
        if method != "pace" {
            has_note(&r, "assessed by pace");
        }
    }
}

#[test]
fn cumulative_quarters_alone_are_summed_and_a_longer_period_wins() {
    let w = jobs();
    for (q, v) in [
        ("2021-Q1", "100"),
        ("2021-Q2", "150"),
        ("2021-Q3", "200"),
        ("2021-Q4", "250"),
    ] {
        w.ok(&["obs", "add", "jobs", q, v]);
    }
    // four quarters: 700 at t = 2022.0, share 0.2, pace 0.175/0.2 = 0.875
    let r = row(&w, "pace", "2022-06-30", "jobs-4000");
    close(&r["latest"]["value"], 700.0, "sum of quarters");
    close(&r["method_value"], 0.875, "pace");
    status(&r, "at_risk");
    // an annual figure for 2021 replaces the quarters: 900, not 1600
    w.ok(&["obs", "add", "jobs", "2021", "900"]);
    let r = row(&w, "pace", "2022-06-30", "jobs-4000");
    close(&r["latest"]["value"], 900.0, "the year wins");
    close(&r["method_value"], 0.225 / 0.2, "pace");
    status(&r, "on_track");
}

#[test]
fn cumulative_met_missed_and_moving() {
    // every year 700: 3500 < 4000 when the window is complete → missed
    let w = jobs();
    for y in ["2021", "2022", "2023", "2024", "2025"] {
        w.ok(&["obs", "add", "jobs", y, "700"]);
    }
    let r = row(&w, "pace", "2026-06-30", "jobs-4000");
    close(&r["latest"]["value"], 3500.0, "sum");
    close(&r["time_elapsed"], 1.0, "share");
    status(&r, "missed");
    // one more vintage for 2025 brings it to 4000: achieved
    w.ok(&[
        "obs",
        "add",
        "jobs",
        "2025",
        "1200",
        "--published",
        "2026-07-01",
    ]);
    let r = row(&w, "pace", "2026-12-31", "jobs-4000");
    close(&r["latest"]["value"], 4000.0, "sum");
    status(&r, "achieved");
    // the earlier report is unchanged
    status(&row(&w, "pace", "2026-06-30", "jobs-4000"), "missed");

    // slow: 2021 = 400 → pace (400/4000)/0.2 = 0.5 → off_track
    let w = jobs();
    w.ok(&["obs", "add", "jobs", "2021", "400"]);
    let r = row(&w, "pace", "2022-06-30", "jobs-4000");
    close(&r["method_value"], 0.5, "pace");
    status(&r, "off_track");
    close(&r["projected"]["value"], 2000.0, "projected 400/0.2");
}

// ---------------------------------------------------------- milestones (§7)

#[test]
fn milestones_pending_achieved_late_overdue_and_missed() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&[
        "target",
        "add",
        "iran-fta",
        "--milestone",
        "--deadline",
        "2022-10",
    ]);
    w.ok(&[
        "target",
        "add",
        "late-one",
        "--milestone",
        "--deadline",
        "2022-10",
    ]);
    w.ok(&[
        "target",
        "add",
        "never",
        "--milestone",
        "--deadline",
        "2022-10",
    ]);
    // pending: 2022-10 ends on 31 October; from 1 October, 30 days left
    let r = row(&w, "eurostat", "2022-10-01", "iran-fta");
    assert_eq!(r["kind"], "milestone");
    status(&r, "pending");
    assert_eq!(r["milestone"]["days_left"], 30);
    null(&r["milestone"]["done_on"], "done_on");
    // on the last day: still pending, 0 days left
    let r = row(&w, "eurostat", "2022-10-31", "iran-fta");
    status(&r, "pending");
    assert_eq!(r["milestone"]["days_left"], 0);

    w.ok(&["target", "done", "iran-fta", "--on", "2022-10-20"]);
    w.ok(&["target", "done", "late-one", "--on", "2022-11-02"]);
    // done on time
    let r = row(&w, "eurostat", "2022-12-01", "iran-fta");
    status(&r, "achieved");
    assert_eq!(r["milestone"]["done_on"], "2022-10-20");
    assert_eq!(r["milestone"]["late"], false);
    assert_eq!(r["milestone"]["days_left"], -31);
    // done late: achieved with late: true
    let r = row(&w, "eurostat", "2022-12-01", "late-one");
    status(&r, "achieved");
    assert_eq!(r["milestone"]["late"], true);
    assert_eq!(r["milestone"]["done_on"], "2022-11-02");
    // never done, nothing recorded: overdue (not known to be missed), 28
    // days after the deadline on 28 November
    let r = row(&w, "eurostat", "2022-11-28", "never");
    status(&r, "overdue");
    assert_eq!(r["milestone"]["days_left"], -28);
    // a completion dated after the as-of date is not yet known
    let r = row(&w, "eurostat", "2022-10-10", "iran-fta");
    status(&r, "pending");
    null(&r["milestone"]["done_on"], "done_on");
    // late-one as of 2022-11-01: past the deadline, not yet done → overdue
    let r = row(&w, "eurostat", "2022-11-01", "late-one");
    status(&r, "overdue");
    assert_eq!(r["milestone"]["days_left"], -1);
    // a sourced statement that it was still not done after the deadline:
    // missed from that statement's date on
    w.ok(&[
        "target",
        "not-done",
        "never",
        "--as-of",
        "2024-04-23",
        "--source",
        "Ministry statement",
    ]);
    status(&row(&w, "eurostat", "2024-04-22", "never"), "overdue");
    let r = row(&w, "eurostat", "2024-04-23", "never");
    status(&r, "missed");
    assert_eq!(r["method_label"], "not done");
    // every method says the same
    for method in ["unsd", "pace", "opensdg"] {
        status(&row(&w, method, "2022-12-01", "late-one"), "achieved");
        status(&row(&w, method, "2022-10-01", "never"), "pending");
    }
}

// ------------------------------------------------------ trend targets (§7)

/// A direction only: eurostat classifies d·g_a by 1 % / 0 / −1 %
/// (`> 1%` on_track, `0–1%` at_risk, `−1%–0` off_track, `< −1%`
/// moving_away); no gap, no projection.
#[test]
fn trend_targets_by_eurostat_thresholds() {
    let cases = [
        // (latest after 100, direction, d·g_a, status, label)
        ("102", "increase", 0.02, "on_track", "significant progress"),
        ("101", "increase", 0.01, "at_risk", "moderate progress"), // exactly 1 %
        ("100.5", "increase", 0.005, "at_risk", "moderate progress"),
        ("100", "increase", 0.0, "at_risk", "moderate progress"),
        (
            "99.5",
            "increase",
            -0.005,
            "off_track",
            "moderate movement away",
        ),
        (
            "99",
            "increase",
            -0.01,
            "off_track",
            "moderate movement away",
        ), // exactly −1 %
        (
            "98",
            "increase",
            -0.02,
            "moving_away",
            "significant movement away",
        ),
        ("98", "decrease", 0.02, "on_track", "significant progress"),
        (
            "101.5",
            "decrease",
            -0.015,
            "moving_away",
            "significant movement away",
        ),
    ];
    for (x, dir, dg, st, label) in cases {
        let w = with_indicator("hitech", "USD", "flow", &[]);
        w.ok(&["obs", "add", "hitech", "2020", "100"]);
        w.ok(&["obs", "add", "hitech", "2021", x]);
        target(
            &w,
            "more",
            "hitech",
            &[
                "--direction",
                dir,
                "--baseline",
                "2020",
                "--deadline",
                "2025",
            ],
        );
        let r = row(&w, "eurostat", "2022-06-30", "more");
        assert_eq!(r["kind"], "trend", "{x} {dir}");
        assert_eq!(r["direction"], dir);
        null(&r["target"]["value"], "target value");
        // one year: g_a = x/100 − 1
        let x: f64 = x.parse().unwrap();
        close(&r["actual_rate"], x / 100.0 - 1.0, "g_a");
        close(&r["method_value"], dg, &format!("d·g_a for {x} {dir}"));
        assert_eq!(r["status"], st, "{x} {dir}: {r:#}");
        assert_eq!(r["method_label"], label, "{x} {dir}");
        null(&r["gap"], "gap");
        null(&r["projected"], "projected");
        null(&r["progress"], "progress");
    }
}

/// UNSD's no-target thresholds: d·g_a ≥ 2 % / 0.5 % / 0.
#[test]
fn trend_targets_by_unsd_thresholds() {
    for (x, st) in [
        ("103", "on_track"),
        ("102", "on_track"),
        ("101", "at_risk"),
        ("100.5", "at_risk"),
        ("100.2", "off_track"),
        ("99", "moving_away"),
    ] {
        let w = with_indicator("hitech", "USD", "flow", &[]);
        w.ok(&["obs", "add", "hitech", "2020", "100"]);
        w.ok(&["obs", "add", "hitech", "2021", x]);
        target(
            &w,
            "more",
            "hitech",
            &[
                "--direction",
                "increase",
                "--baseline",
                "2020",
                "--deadline",
                "2025",
            ],
        );
        let r = row(&w, "unsd", "2022-06-30", "more");
        assert_eq!(r["status"], st, "{x}: {r:#}");
    }
}

// ----------------------------------------------------------- waypoints (§4)

#[test]
fn waypoints_make_a_piecewise_linear_path() {
    let w = agri();
    target(
        &w,
        "agri-2025",
        "agri",
        &[
            "--baseline",
            "2020=5.8bn",
            "--value",
            "7bn",
            "--deadline",
            "2025",
            "--waypoint",
            "2021=6.05bn",
        ],
    );
    w.ok(&["obs", "add", "agri", "2021", "6.7bn"]);
    // corners (2021.0, 5.8), (2022.0, 6.05), (2026.0, 7)
    // at t = 2022.0 (the 2021 value) the path is the waypoint: 6.05bn
    let r = row(&w, "eurostat", "2022-06-30", "agri-2025");
    assert_eq!(r["path"], "waypoints");
    close(&r["path_value"], 6.05e9, "path at the waypoint");
    close(&r["deviation"], 0.65e9, "deviation");
    // pace along the path: (6.7 − 5.8)/(6.05 − 5.8) = 3.6
    close(
        &row(&w, "pace", "2022-06-30", "agri-2025")["method_value"],
        3.6,
        "pace",
    );
    // at t = 2024.0 (the 2023 value), halfway from the waypoint to the target:
    // 6.05 + (7 − 6.05)·2/4 = 6.525bn
    w.ok(&["obs", "add", "agri", "2023", "6.4bn"]);
    let r = row(&w, "eurostat", "2024-06-30", "agri-2025");
    close(&r["path_value"], 6.525e9, "path between corners");
    close(&r["deviation"], 6.4e9 - 6.525e9, "deviation");
    // pace: (6.4 − 5.8)/(6.525 − 5.8) = 0.8276 → at_risk
    let r = row(&w, "pace", "2024-06-30", "agri-2025");
    close(&r["method_value"], 0.6 / 0.725, "pace");
    status(&r, "at_risk");
    // the waypoint is listed with the target
    let list: Value = serde_json::from_str(&w.ok(&["target", "list", "--format", "json"])).unwrap();
    let t = &list["targets"][0];
    assert_eq!(t["waypoints"][0]["period"], "2021");
    close(&t["waypoints"][0]["value"], 6.05e9, "waypoint value");
}

// ----------------------------------------------------- revisions (§8)

/// The agri-food target revised to 8bn from 2023-01-01, checked the same
/// way whichever door the revision came in by.
fn check_revised_to_8bn(w: &Workdir) {
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2022",
        "7.5bn",
        "--published",
        "2023-02-28",
    ]);
    // before the effective date: version 1, 7bn
    let r = row(w, "eurostat", "2022-12-31", "agri-2025");
    close(&r["target"]["value"], 7e9, "the original target");
    close(&r["progress"], 0.75, "progress against 7bn");
    no_note(&r, "version 2");
    // on and after it: version 2, 8bn; 7.5bn meets 7bn but not 8bn
    let r = row(w, "eurostat", "2023-06-30", "agri-2025");
    close(&r["target"]["value"], 8e9, "the revised target");
    // progress (7.5 − 5.8)/(8 − 5.8) = 0.77273
    close(&r["progress"], 1.7 / 2.2, "progress against 8bn");
    // g_a = (7.5/5.8)^(1/2) − 1; g_r = (8/5.8)^(1/5) − 1
    let rr = ((7.5f64 / 5.8).powf(0.5) - 1.0) / ((8.0f64 / 5.8).powf(0.2) - 1.0);
    close(&r["rate_ratio"], rr, "RR against 8bn");
    // RR = 13.715%/6.643% = 2.0645 → on_track (not achieved: 7.5bn < 8bn)
    status(&r, "on_track");
    has_note(&r, "version 2");
    // on the effective date itself the new version is in force
    let r = row(w, "eurostat", "2023-01-01", "agri-2025");
    close(&r["target"]["value"], 8e9, "in force on its date");

    // the history lists both versions; the plain list the current one
    let list: Value =
        serde_json::from_str(&w.ok(&["target", "list", "--history", "--format", "json"])).unwrap();
    let rows = list["targets"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{list:#}");
    assert_eq!(rows[0]["version"], 1);
    null(&rows[0]["effective"], "the original has no effective date");
    close(&rows[0]["value"], 7e9, "version 1");
    assert_eq!(rows[1]["version"], 2);
    assert_eq!(rows[1]["effective"], "2023-01-01");
    close(&rows[1]["value"], 8e9, "version 2");
    assert_eq!(rows[1]["source"], "Programme 2021-2025, amended");
    // unchanged fields carry over
    assert_eq!(rows[1]["baseline"], "2020");
    close(&rows[1]["baseline_value"], 5.8e9, "baseline carried over");
    assert_eq!(rows[1]["deadline"], "2025");
    let list: Value = serde_json::from_str(&w.ok(&["target", "list", "--format", "json"])).unwrap();
    let rows = list["targets"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["version"], 2);
    assert_eq!(rows[0]["versions"], 2);
}

#[test]
fn a_revised_target_applies_from_its_effective_date() {
    let w = agri_food();
    w.ok(&[
        "target",
        "revise",
        "agri-2025",
        "--value",
        "8bn",
        "--effective",
        "2023-01-01",
        "--source",
        "Programme 2021-2025, amended",
    ]);
    check_revised_to_8bn(&w);
}

/// The same revision through the other door, a data set's
/// `[[target.revision]]`, so §8 stays checked while `target revise` panics.
#[test]
fn a_revision_imported_from_a_data_set_applies_from_its_effective_date() {
    let w = Workdir::new();
    w.ok(&["init"]);
    let file = w.file(
        "revised.toml",
        r#"version = 1

[[indicator]]
id = "agri"
name = "agri"
unit = "USD"
measure = "flow"

[[target]]
id = "agri-2025"
indicator = "agri"
value = "7bn"
baseline = "2020"
baseline_value = "5.8bn"
deadline = "2025"
path = "compound"

  [[target.revision]]
  effective = "2023-01-01"
  source = "Programme 2021-2025, amended"
  value = "8bn"

[[observation]]
indicator = "agri"
period = "2021"
value = "6.7bn"
published = "2022-02-11"
"#,
    );
    w.ok(&["import", file.to_str().unwrap()]);
    check_revised_to_8bn(&w);
}

#[test]
fn a_revised_deadline_moves_the_goalposts() {
    let w = agri_food();
    w.ok(&[
        "target",
        "revise",
        "agri-2025",
        "--deadline",
        "2027",
        "--effective",
        "2024-01-01",
        "--source",
        "postponed",
    ]);
    w.ok(&["obs", "add", "agri", "2025", "6.9bn"]);
    // as of 2026-06-30 version 2 is in force: deadline 2027 (t1 = 2028),
    // so 6.9bn for 2025 is not the deadline value: not missed
    let r = row(&w, "eurostat", "2026-06-30", "agri-2025");
    assert_eq!(r["target"]["deadline"], "2027");
    close(&r["time_elapsed"], 5.0 / 7.0, "time share to 2027");
    // g_a = (6.9/5.8)^(1/5) − 1 = 3.534%; g_r = (7/5.8)^(1/7) − 1 = 2.723%;
    // RR = 1.298 → on_track
    status(&r, "on_track");
    // a revision never takes effect before the one it follows
    w.fails(
        1,
        &[
            "target",
            "revise",
            "agri-2025",
            "--value",
            "9bn",
            "--effective",
            "2023-06-01",
            "--source",
            "x",
        ],
    );
}
