//! Verdicts at the edges (methodology §2–§7), each reproduced through the
//! binary: the cases that were wrong before the signed measures, the
//! deadline rules and the sub-period sums. Every expected number is
//! computed by hand in the comment beside it.

mod common;

use common::Workdir;
use serde_json::Value;

/// A work folder holding the data set `toml`.
fn with(toml: &str) -> Workdir {
    let w = Workdir::new();
    let f = w.file("data.toml", format!("version = 1\n\n{toml}"));
    w.ok(&["import", f.to_str().unwrap()]);
    w
}

fn row(w: &Workdir, method: &str, as_of: &str, id: &str) -> Value {
    let out = w.ok(&[
        "report", "--as-of", as_of, "--method", method, "--format", "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
        .clone()
}

#[track_caller]
fn close(actual: &Value, expected: f64, what: &str) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected {expected}, got {actual}"));
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1e-6),
        "{what}: got {a}, expected {expected}"
    );
}

#[track_caller]
fn has_note(r: &Value, needle: &str) {
    let notes: Vec<&str> = r["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains(needle)),
        "no note containing {needle:?} in {notes:#?}"
    );
}

const GHG: &str = r#"
[[indicator]]
id = "ghg"
name = "Emissions"
unit = "t"
measure = "flow"
higher_is_better = false

[[target]]
id = "ghg-55"
indicator = "ghg"
change = "-55%"
baseline = "1990"
deadline = "2030"

[[observation]]
indicator = "ghg"
period = "2005"
value = 80

[[observation]]
indicator = "ghg"
period = "2023"
value = 60
published = "2024-04-15"
"#;

/// §3: "−55% versus 1990" is not "−55% versus 2005": without a known 1990
/// value the target is no_data, saying what to record.
#[test]
fn a_change_from_an_unknown_baseline_is_no_data_not_rebased() {
    let w = with(GHG);
    for method in ["eurostat", "opensdg", "unsd", "pace"] {
        let r = row(&w, method, "2026-01-01", "ghg-55");
        assert_eq!(r["status"], "no_data", "{method}");
        assert!(r["target"]["value"].is_null(), "{method}: {r:#}");
        assert!(r["baseline"].is_null(), "{method}");
        has_note(
            &r,
            "the target is -55% of the 1990 value, which is not known on 2026-01-01: record it, or state it with --baseline 1990=VALUE",
        );
    }
    // the 1990 value, published in March 2026: not known on 1 January
    w.ok(&[
        "obs",
        "add",
        "ghg",
        "1990",
        "100",
        "--published",
        "2026-03-01",
    ]);
    assert_eq!(
        row(&w, "eurostat", "2026-01-01", "ghg-55")["status"],
        "no_data"
    );
    // known from March: T = 100·(1 − 0.55) = 45; progress −1·(60 − 100)/|45 − 100|
    // = 40/55 = 0.727273; g_a = 0.6^(1/33) − 1 = −1.5360%, g_r = 0.45^(1/40) − 1
    // = −1.9763%; RR = −1·g_a/|g_r| = 0.77722 → at_risk
    let r = row(&w, "eurostat", "2026-06-30", "ghg-55");
    close(&r["target"]["value"], 45.0, "T");
    close(&r["progress"], 40.0 / 55.0, "progress");
    let ga = 0.6f64.powf(1.0 / 33.0) - 1.0;
    let gr = 0.45f64.powf(1.0 / 40.0) - 1.0;
    close(&r["rate_ratio"], -ga / gr.abs(), "RR");
    assert!((r["rate_ratio"].as_f64().unwrap() - 0.77722).abs() < 1e-4);
    assert_eq!(r["status"], "at_risk");
    // the same target stated as a value still falls back (Open SDG rule)
    let w = with(&GHG.replace("change = \"-55%\"", "value = 45"));
    let r = row(&w, "eurostat", "2026-01-01", "ghg-55");
    assert_eq!(r["baseline"]["period"], "2005");
    has_note(
        &r,
        "no value for the baseline 1990: the next later observation (2005) is used",
    );
}

const STOCK: &str = r#"
[[indicator]]
id = "res"
name = "Residents"
unit = "residents"
measure = "stock"

[[target]]
id = "res-nov"
indicator = "res"
baseline = "2020"
baseline_value = 100
value = 150
deadline = "2025-11"

[[observation]]
indicator = "res"
period = "2024"
value = 120

[[observation]]
indicator = "res"
period = "2025-10"
value = 130
"#;

/// §6: a stock value dated before the deadline period (`2025-10` for a
/// `2025-11` deadline) is an earlier value, not the deadline value: not
/// missed, but assessed as usual with the deadline value awaited.
#[test]
fn a_stock_value_before_the_deadline_period_does_not_decide() {
    let w = with(STOCK);
    let r = row(&w, "eurostat", "2026-01-01", "res-nov");
    // t0 = 2021.0; x = 130 at 2025-11-01 = 2025 + 304/365; t1 = 2025-12-01
    // = 2025 + 334/365. g_a = 1.3^(1/(t − t0)) − 1, g_r = 1.5^(1/(t1 − t0)) − 1
    let t = 2025.0 + 304.0 / 365.0;
    let t1 = 2025.0 + 334.0 / 365.0;
    let ga = 1.3f64.powf(1.0 / (t - 2021.0)) - 1.0;
    let gr = 1.5f64.powf(1.0 / (t1 - 2021.0)) - 1.0;
    assert_eq!(r["latest"]["period"], "2025-10");
    close(&r["rate_ratio"], ga / gr, "RR");
    // RR = 0.6593 → at_risk, not missed
    assert_eq!(r["status"], "at_risk");
    has_note(
        &r,
        "the deadline value (2025-11) is awaited; assessed on the latest earlier value (2025-10)",
    );
    // a value inside November decides once November is over
    w.ok(&["obs", "add", "res", "2025-11-20", "140"]);
    assert_eq!(
        row(&w, "eurostat", "2025-11-25", "res-nov")["status"],
        "at_risk"
    );
    let r = row(&w, "eurostat", "2026-01-01", "res-nov");
    assert_eq!(r["status"], "missed");
    assert_eq!(r["latest"]["period"], "2025-11-20");
}

/// §4: a compound path through a negative baseline is not refused: the
/// linear path is used, with a warning and a note, as for an observed one.
#[test]
fn a_compound_path_with_a_negative_baseline_falls_back_to_linear() {
    let w = Workdir::new();
    w.flow_indicator("bal", "USD");
    let out = w.run(&[
        "target",
        "add",
        "t",
        "--indicator",
        "bal",
        "--direction",
        "decrease",
        "--baseline",
        "2017=-2148.49",
        "--value=-2516.84",
        "--deadline",
        "2025",
        "--path",
        "compound",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the linear path will be used"), "{stderr}");
    w.ok(&["obs", "add", "bal", "2021", "--", "-2300"]);
    let r = row(&w, "pace", "2022-06-30", "t");
    has_note(
        &r,
        "a compound path needs a positive baseline and target: the linear path is used",
    );
    // d = −1 (lower is better: the balance is to fall to −2516.84); linear path at 2022.0: −2148.49 + (−368.35)·4/8 = −2332.665;
    // pace = −1·(−2300 + 2148.49)/|−2332.665 + 2148.49| = 151.51/184.175
    close(&r["path_value"], -2148.49 - 368.35 * 0.5, "path value");
    close(&r["method_value"], 151.51 / 184.175, "pace");
}

/// The input grammar scales decimal digits exactly: `8.3bn` is 8300000000,
/// so a target equal to it is equal, not "already met" by a rounding error.
#[test]
fn a_scaled_quantity_is_exact() {
    let w = Workdir::new();
    w.flow_indicator("agri", "USD");
    let out = w.run(&[
        "target",
        "add",
        "hold",
        "--indicator",
        "agri",
        "--baseline",
        "2020=8.3bn",
        "--value",
        "8300000000",
        "--deadline",
        "2025",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no warning");
    let r = row(&w, "eurostat", "2021-06-30", "hold");
    assert_eq!(r["baseline"]["value"], 8_300_000_000.0);
    assert!(r["progress"].is_null(), "T = b: no progress share");
    // latest = the baseline, which meets T = b
    assert_eq!(r["status"], "achieved");
}

/// §2 rule 4: twelve monthly values of 2021 add up to a derived 2021
/// value, compared with the annual target and marked as derived.
#[test]
fn twelve_monthly_values_add_up_to_the_annual_value() {
    let mut toml = String::from(
        r#"
[[indicator]]
id = "x"
name = "Exports"
unit = "USD"
measure = "flow"

[[target]]
id = "x-2025"
indicator = "x"
baseline = "2020"
baseline_value = 1000
value = 1500
deadline = "2025"
"#,
    );
    for m in 1..=12 {
        toml.push_str(&format!(
            "\n[[observation]]\nindicator = \"x\"\nperiod = \"2021-{m:02}\"\nvalue = {}\npublished = \"2022-0{}-15\"\n",
            90 + m,
            if m == 12 { 2 } else { 1 }
        ));
    }
    let w = with(&toml);
    // 91 + … + 102 = 1158, known from the December part's publication
    let r = row(&w, "eurostat", "2022-03-01", "x-2025");
    assert_eq!(r["latest"]["period"], "2021");
    close(&r["latest"]["value"], 1158.0, "derived value");
    assert_eq!(r["latest"]["derived"], true);
    // progress 158/500 = 0.316; g_a = 15.8%, g_r = 1.5^(1/5) − 1 = 8.4472%
    close(&r["progress"], 0.316, "progress");
    close(&r["rate_ratio"], 0.158 / (1.5f64.powf(0.2) - 1.0), "RR");
    // before the December value: 11 of 12 months, one short note
    let r = row(&w, "eurostat", "2022-01-31", "x-2025");
    assert_eq!(r["latest"]["period"], "2020");
    has_note(
        &r,
        "not compared, incomplete: 2021 (1 of 12 months without a value); the target is assessed on periods of a year",
    );
    // show lists the derived value with its parts
    let show: Value = serde_json::from_str(&w.ok(&[
        "show",
        "x-2025",
        "--as-of",
        "2022-03-01",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(show["derived"][0]["period"], "2021");
    assert_eq!(show["derived"][0]["parts"].as_array().unwrap().len(), 12);
    assert_eq!(show["observations"][0]["use"], "summed");
    assert_eq!(show["observations"][0]["used"], true);
    let text = w.ok(&["show", "x-2025", "--as-of", "2022-03-01"]);
    assert!(
        text.contains("2021 = $1,158: the sum of observations 1, 2,"),
        "{text}"
    );
}

/// §2 rule 4: however many rows are uncompared, the notes stay short: one
/// per period, at most three named.
#[test]
fn notes_stay_short_over_many_daily_rows() {
    let w = Workdir::new();
    w.flow_indicator("x", "USD");
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "x",
        "--baseline",
        "2009=1000",
        "--value",
        "2000",
        "--deadline",
        "2030",
    ]);
    // 300 daily values in each of 2010-2017: 8 incomplete years
    let mut csv = String::from("indicator,period,value\n");
    for y in 2010..2018 {
        let start = chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        for d in 0..300 {
            csv.push_str(&format!("x,{},3\n", start + chrono::Days::new(d)));
        }
    }
    let f = w.file("days.csv", csv);
    w.ok(&["obs", "import", f.to_str().unwrap()]);
    let r = row(&w, "eurostat", "2020-01-01", "t");
    let notes = r["notes"].as_array().unwrap();
    let total: usize = notes.iter().map(|n| n.as_str().unwrap().len()).sum();
    assert!(total < 600, "{total} characters of notes: {notes:#?}");
    has_note(&r, "2010 (65 of 365 days without a value)");
    has_note(&r, "and 5 more period(s)");
}

const JOBS: &str = r#"
[[indicator]]
id = "jobs"
name = "Jobs"
unit = "jobs"
measure = "flow"

[[target]]
id = "jobs-2025"
indicator = "jobs"
kind = "cumulative"
from = "2021"
deadline = "2025"
value = 4000

[[observation]]
indicator = "jobs"
period = "2021"
value = 600

[[observation]]
indicator = "jobs"
period = "2022"
value = 700

[[observation]]
indicator = "jobs"
period = "2024"
value = 500
"#;

/// §7: a cumulative window that closed with periods unknown is assessed by
/// the pace on what is known, with no projected date after the window.
#[test]
fn a_closed_cumulative_window_with_gaps_has_no_projected_date() {
    let w = with(JOBS);
    // before the window closes: 1800 of 4000 after 4 of 5 years (to 2025.0):
    // pace 0.45/0.8 = 0.5625 → off_track; the trend reaches 4000 at
    // 2021 + 4000/450 = 2029.89
    let r = row(&w, "pace", "2025-06-30", "jobs-2025");
    close(&r["method_value"], 0.45 / 0.8, "pace");
    assert_eq!(r["status"], "off_track");
    assert!(
        r["projected_hit"].as_str().unwrap().starts_with("2029-11"),
        "{r:#}"
    );
    // closed, 2023 and 2025 unknown: the pace on what is known (an unknown
    // year is not a year of no jobs): 1800/4000 over the 1096 of 1826 days
    // its three years cover = 0.7497 → at_risk; no date
    let r = row(&w, "pace", "2026-06-30", "jobs-2025");
    close(&r["method_value"], 0.45 * 1826.0 / 1096.0, "pace");
    assert_eq!(r["status"], "at_risk");
    assert!(r["projected_hit"].is_null(), "{r:#}");
    has_note(&r, "window closed on 2025-12-31; 3 of 5 periods known");
}

/// §6 pace: where a waypoint path has not moved from the baseline by the
/// latest value, pace is null and the deviation decides.
#[test]
fn pace_on_a_path_that_starts_flat_falls_back_to_the_deviation() {
    let w = with(
        r#"
[[indicator]]
id = "x"
name = "X"
unit = "t"
measure = "flow"

[[target]]
id = "flat"
indicator = "x"
baseline = "2020"
baseline_value = 100
value = 150
deadline = "2025"
waypoints = ["2022=100"]

[[observation]]
indicator = "x"
period = "2021"
value = 101
"#,
    );
    // p(2022.0) = 100 = b: pace null; deviation +1 ≥ 0 → on_track
    let r = row(&w, "pace", "2022-06-30", "flat");
    assert!(r["method_value"].is_null());
    close(&r["deviation"], 1.0, "deviation");
    assert_eq!(r["status"], "on_track");
    has_note(&r, "the deviation from it decides");
    // 99: deviation −1 → at_risk
    w.ok(&["obs", "add", "x", "2021", "99", "--published", "2022-07-01"]);
    let r = row(&w, "pace", "2022-07-31", "flat");
    close(&r["deviation"], -1.0, "deviation");
    assert_eq!(r["status"], "at_risk");
}

/// §5: the rate needed from the latest value is null once the latest value
/// is at the deadline; the projected date may fall after the deadline.
#[test]
fn from_now_is_null_at_the_deadline_and_a_projected_date_may_be_late() {
    let w = with(
        r#"
[[indicator]]
id = "x"
name = "X"
unit = "t"
measure = "flow"

[[target]]
id = "t"
indicator = "x"
baseline = "2020"
baseline_value = 100
value = 200
deadline = "2025"

[[observation]]
indicator = "x"
period = "2022"
value = 110
"#,
    );
    // g_a = 1.1^(1/2) − 1 = 4.881%: 200 is reached at 2023 + ln(200/110)/
    // ln(1.04881) = 2023 + 12.546 = 2035.55, ten years after the deadline
    let r = row(&w, "eurostat", "2023-06-30", "t");
    assert!(
        r["projected_hit"].as_str().unwrap().starts_with("2035-07"),
        "{r:#}"
    );
    close(
        &r["required_rate_from_now"],
        (200.0f64 / 110.0).powf(1.0 / 3.0) - 1.0,
        "from now",
    );
    w.ok(&["obs", "add", "x", "2025", "150"]);
    let r = row(&w, "eurostat", "2026-06-30", "t");
    assert!(r["required_rate_from_now"].is_null(), "{r:#}");
    assert_eq!(r["status"], "missed");
}

/// §6 Open SDG: points one year apart are assessed; a target of the
/// opposite sign to the base is not available.
#[test]
fn opensdg_one_year_apart_and_a_target_of_the_opposite_sign() {
    let w = with(
        r#"
[[indicator]]
id = "x"
name = "X"
unit = "t"
measure = "flow"

[[target]]
id = "one-year"
indicator = "x"
baseline = "2020"
baseline_value = 100
value = 150
deadline = "2030"

[[target]]
id = "opposite"
indicator = "x"
baseline = "2020"
baseline_value = 100
value = -50
deadline = "2030"
direction = "decrease"

[[observation]]
indicator = "x"
period = "2021"
value = 104
"#,
    );
    // one year: g_a = 4%, g_r = 1.5^(1/10) − 1 = 4.1380%; R = 0.96665 →
    // substantial_progress, score 7.1429·R − 4.2857
    let r = row(&w, "opensdg", "2022-06-30", "one-year");
    let rr = 0.04 / (1.5f64.powf(0.1) - 1.0);
    close(&r["method_value"], rr, "R");
    assert_eq!(r["method_label"], "substantial_progress");
    close(&r["score"], 7.1429 * rr - 4.2857, "score");
    let r = row(&w, "opensdg", "2022-06-30", "opposite");
    assert_eq!(r["status"], "no_data");
    assert_eq!(r["method_label"], "not_available");
    has_note(
        &r,
        "Open SDG: the target and the base are of opposite signs",
    );
}
