//! Method profiles (methodology §6): the EUSTAT variant declared in
//! `fixtures/methods/eustat.toml` reproduces the rules the spec gives for
//! it, on cases computed by hand; `method add|list|show|remove` validate
//! and keep the database unchanged on error; the assessment window gives
//! Eurostat's short-term assessment.

mod common;

use common::{Workdir, fixtures};
use goalpost::engine::{Method, Options, Status, assess_with};
use serde_json::Value;

fn eustat() -> String {
    fixtures()
        .join("methods/eustat.toml")
        .to_str()
        .unwrap()
        .to_string()
}

/// A work folder with the data set `toml` and the EUSTAT profile added.
fn with(toml: &str) -> Workdir {
    let w = Workdir::new();
    let f = w.file("data.toml", format!("version = 1\n\n{toml}"));
    w.ok(&["import", f.to_str().unwrap()]);
    w.ok(&["method", "add", &eustat()]);
    w
}

fn row(w: &Workdir, method: &str, as_of: &str, id: &str) -> Value {
    let out = w.ok(&[
        "report", "--as-of", as_of, "--method", method, "--format", "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["method"], method);
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
        (a - expected).abs() <= 1e-9 * expected.abs().max(1e-3),
        "{what}: got {a}, expected {expected}"
    );
}

#[track_caller]
fn verdict(r: &Value, status: &str, label: &str) {
    assert_eq!(
        (
            r["status"].as_str().unwrap(),
            r["method_label"].as_str().unwrap()
        ),
        (status, label),
        "{r:#}"
    );
}

/// One flow indicator `x` (with `extra` fields), a target on it and the
/// observations `(year, value)`.
fn case(extra: &str, target: &str, obs: &[(i32, f64)]) -> String {
    let mut t = format!(
        "[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"%\"\nmeasure = \"flow\"\n{extra}\n\n[[target]]\nid = \"t\"\nindicator = \"x\"\n{target}\n"
    );
    for (y, v) in obs {
        t.push_str(&format!(
            "\n[[observation]]\nindicator = \"x\"\nperiod = \"{y}\"\nvalue = {v}\n"
        ));
    }
    t
}

const WITH_TARGET: &str =
    "baseline = \"2015\"\nbaseline_value = 100\nvalue = 150\ndeadline = \"2030\"";

/// With a target: R = g_a/|g_r|, Eurostat-style bands, EUSTAT's score.
#[test]
fn eustat_with_a_target_reproduces_the_rules_by_hand() {
    let gr = 1.5f64.powf(1.0 / 15.0) - 1.0; // 2.7399 %
    // 110 in 2020: g_a = 1.1^(1/5) − 1 = 1.9245 %; R = 0.70238 ≥ 0.6 →
    // at_risk moderate_progress; score (5/0.7)·(R − 0.6) = 0.73126
    let w = with(&case("", WITH_TARGET, &[(2020, 110.0)]));
    let r = row(&w, "eustat", "2021-06-30", "t");
    let rr = (1.1f64.powf(0.2) - 1.0) / gr;
    close(&r["method_value"], rr, "R");
    verdict(&r, "at_risk", "moderate_progress");
    close(&r["score"], 5.0 / 0.7 * (rr - 0.6), "score");
    assert!((r["score"].as_f64().unwrap() - 0.73126).abs() < 1e-5);
    // 130: g_a = 5.3874 %, R = 1.9662 > 1.3 → on_track, score 5
    let w = with(&case("", WITH_TARGET, &[(2020, 130.0)]));
    let r = row(&w, "eustat", "2021-06-30", "t");
    verdict(&r, "on_track", "significant_progress");
    close(&r["score"], 5.0, "score");
    // 95: g_a = −1.0206 %, R = −0.37249 → moving_away; score
    // (5/1.2)·(R + 0.6) − 5 = −4.05206
    let w = with(&case("", WITH_TARGET, &[(2020, 95.0)]));
    let r = row(&w, "eustat", "2021-06-30", "t");
    let rr = (0.95f64.powf(0.2) - 1.0) / gr;
    verdict(&r, "moving_away", "significant_deterioration");
    close(&r["score"], 5.0 / 1.2 * (rr + 0.6) - 5.0, "score");
    assert!((r["score"].as_f64().unwrap() + 4.05206).abs() < 1e-5);
    // 150 met: achieved, labelled significant_progress, score 5
    let w = with(&case("", WITH_TARGET, &[(2020, 151.0)]));
    let r = row(&w, "eustat", "2021-06-30", "t");
    verdict(&r, "achieved", "significant_progress");
    close(&r["score"], 5.0, "score");
    // a zero base is replaced by 0.001: g_a = (5/0.001)^(1/5) − 1, g_r =
    // (10/0.001)^(1/15) − 1, R = 5.3 → on_track, with a note
    let w = with(&case(
        "",
        "baseline = \"2015\"\nbaseline_value = 0\nvalue = 10\ndeadline = \"2030\"",
        &[(2020, 5.0)],
    ));
    let r = row(&w, "eustat", "2021-06-30", "t");
    let rr = (5000.0f64.powf(0.2) - 1.0) / (10000.0f64.powf(1.0 / 15.0) - 1.0);
    close(&r["method_value"], rr, "R");
    verdict(&r, "on_track", "significant_progress");
    assert!(
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "Open SDG: base 0 replaced by 0.001"),
        "{r:#}"
    );
}

const TREND: &str =
    "kind = \"trend\"\ndirection = \"increase\"\nbaseline = \"2015\"\ndeadline = \"2030\"";

/// Without a target, at a natural limit: R = g_a against bounds scaled by
/// C = 1 − (90/100)^4.44 = 0.37363, a stagnation band, EUSTAT's score.
#[test]
fn eustat_without_a_target_at_a_limit_and_in_the_stagnation_band() {
    let c = 1.0 - 0.9f64.powf(4.44);
    let g = |x: f64| (x / 90.0f64).powf(0.2) - 1.0;
    let run = |x: f64| {
        let w = with(&case("limit = 100", TREND, &[(2015, 90.0), (2020, x)]));
        row(&w, "eustat", "2021-06-30", "t")
    };
    // 92: R = 0.4405 % ≥ 0.01·C = 0.3736 % → on_track; ≤ 0.02·C, so the
    // score is 5·R/(0.02·C) = 2.9478
    let r = run(92.0);
    close(&r["method_value"], g(92.0), "R");
    verdict(&r, "on_track", "significant_progress");
    close(&r["score"], 250.0 * g(92.0) / c, "score");
    // 90.1: R = 0.0222 %, below 0.001·C = 0.0374 % and above −0.1 % →
    // stalled, no_progress; score 5·R/(0.02·C) = 0.1487
    let r = run(90.1);
    verdict(&r, "stalled", "no_progress");
    close(&r["score"], 250.0 * g(90.1) / c, "score");
    assert!((r["score"].as_f64().unwrap() - 0.1487).abs() < 1e-4);
    // 89.5: R = −0.1114 %, below −0.1 %, above −0.01·C = −0.3736 % →
    // off_track moderate_deterioration; score 5·R/0.02 = −0.2784
    let r = run(89.5);
    verdict(&r, "off_track", "moderate_deterioration");
    close(&r["score"], 250.0 * g(89.5), "score");
    // 85: R = −1.1366 % → moving_away; score 5·R/0.02 = −2.8416
    let r = run(85.0);
    verdict(&r, "moving_away", "significant_deterioration");
    close(&r["score"], 250.0 * g(85.0), "score");
    // stalled is a status of its own in every view: filtered, counted
    let w = with(&case("limit = 100", TREND, &[(2015, 90.0), (2020, 90.1)]));
    let table = w.ok(&[
        "report",
        "--as-of",
        "2021-06-30",
        "--method",
        "eustat",
        "--status",
        "stalled",
    ]);
    assert!(table.contains("1 stalled"), "{table}");
}

/// C = 0 (the base at its limit): EUSTAT scores 5 first of all.
#[test]
fn eustat_at_the_limit_scores_5() {
    let w = with(&case("limit = 100", TREND, &[(2015, 100.0), (2020, 99.0)]));
    let r = row(&w, "eustat", "2021-06-30", "t");
    // every bound scaled by C is 0: R = −0.2008 % is below −0.1 % and below
    // 0 → moving_away; the score is 5 at C = 0
    verdict(&r, "moving_away", "significant_deterioration");
    close(&r["score"], 5.0, "score");
}

#[test]
fn method_list_show_and_remove() {
    let w = with(&case("", WITH_TARGET, &[(2020, 110.0)]));
    let v: Value = serde_json::from_str(&w.ok(&["method", "list", "--format", "json"])).unwrap();
    assert_eq!(v["version"], 1);
    let names: Vec<(&str, bool)> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap(), m["builtin"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("eurostat", true),
            ("opensdg", true),
            ("unsd", true),
            ("pace", true),
            ("eustat", false)
        ]
    );
    // a built-in prints as the TOML it is loaded from, and can be added back
    // under another name
    let text = w.ok(&["method", "show", "eurostat"]);
    assert!(text.contains("measure = \"rate_ratio\""), "{text}");
    let copy = w.file(
        "mine.toml",
        text.replace("name = \"eurostat\"", "name = \"mine\""),
    );
    w.ok(&["method", "add", copy.to_str().unwrap()]);
    // the copy gives the same verdict as the original
    let a = row(&w, "eurostat", "2021-06-30", "t");
    let b = row(&w, "mine", "2021-06-30", "t");
    assert_eq!(a["method_value"], b["method_value"]);
    assert_eq!(a["status"], b["status"]);
    w.ok(&["method", "remove", "mine"]);
    w.refuses(1, &["report", "--method", "mine"], "no method 'mine'");
    w.refuses(1, &["method", "remove", "opensdg"], "built-in");
}

/// Every mistake in a profile is one clear error, and nothing is stored.
#[test]
fn a_bad_profile_is_refused_with_one_error_and_changes_nothing() {
    let w = with(&case("", WITH_TARGET, &[(2020, 110.0)]));
    let good = std::fs::read_to_string(eustat()).unwrap();
    let cases = [
        (
            good.replace("name = \"eustat\"", "name = \"opensdg\""),
            "'opensdg' is a built-in method",
        ),
        (
            good.replace("zero = 0.001", "zero = 0.001\nthreshold = 3"),
            "unknown field `threshold`",
        ),
        (
            good.replacen(
                "from = 0.6\nstatus = \"at_risk\"",
                "from = 0.99\nstatus = \"at_risk\"",
                1,
            ),
            "bounds go from the highest down (0.99 after 0.95)",
        ),
        (
            good.replace("status = \"stalled\"", "status = \"stagnant\""),
            "'stagnant' is not a status",
        ),
        (
            good.replacen("status = \"on_track\"", "status = \"achieved\"", 1),
            "'achieved' is not a band's status (a band is one of: on_track, at_risk, stalled, off_track, moving_away)",
        ),
        (
            good.replacen("intercept = 5.0", "intercept = nan", 1),
            "intercept = NaN: not a finite number",
        ),
        (
            good.replace("measure = \"opensdg\"", "measure = \"ratio\""),
            "unknown variant `ratio`",
        ),
    ];
    let before = w.dump();
    for (i, (text, needle)) in cases.iter().enumerate() {
        let f = w.file(&format!("bad{i}.toml"), text);
        w.refuses(1, &["method", "add", f.to_str().unwrap()], needle);
    }
    assert_eq!(w.dump(), before);
}

/// `--window 5` (Eurostat's short-term assessment): the growth of the last
/// five years against the growth required from their start, through the
/// engine. Flow values 2010 = 100, +4 % a year to 2015, then +0.5 % a year
/// to 2020; the target 150 by 2030 from the 2010 baseline.
#[test]
fn a_five_year_window_gives_the_short_term_assessment() {
    let mut toml = String::from(
        "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"t\"\nmeasure = \"flow\"\n\n\
         [[target]]\nid = \"t\"\nindicator = \"x\"\nbaseline = \"2010\"\nbaseline_value = 100\nvalue = 150\ndeadline = \"2030\"\n",
    );
    let value = |y: i32| {
        if y <= 2015 {
            100.0 * 1.04f64.powi(y - 2010)
        } else {
            100.0 * 1.04f64.powi(5) * 1.005f64.powi(y - 2015)
        }
    };
    for y in 2010..=2020 {
        toml.push_str(&format!(
            "\n[[observation]]\nindicator = \"x\"\nperiod = \"{y}\"\nvalue = {}\n",
            value(y)
        ));
    }
    let c = goalpost::dataset::read(&toml, "w.toml", &[]).unwrap();
    let as_of = goalpost::parse::date("2021-06-30").unwrap();
    let run = |window| {
        assess_with(
            &c.targets[0],
            Some(&c.indicators[0]),
            &c.observations,
            as_of,
            Method::Eurostat,
            Options { window },
        )
    };
    // from the baseline: g_a = (124.73/100)^(1/10) − 1 = 2.2347 %, g_r =
    // 1.5^(1/20) − 1 = 2.0479 %: RR = 1.0912 → on_track
    let a = run(None);
    let rr = ((value(2020) / 100.0).powf(0.1) - 1.0) / (1.5f64.powf(0.05) - 1.0);
    assert!((a.verdict.method_value.unwrap() - rr).abs() < 1e-12);
    assert_eq!(a.status(), Status::OnTrack);
    // the 5-year window from 2015 (121.665): g_a = 0.5 %, g_r =
    // (150/121.665)^(1/15) − 1 = 1.4055 %: RR = 0.3557 → off_track
    let a = run(Some(5));
    let w = a.window.as_ref().expect("a window");
    assert_eq!(w.start.period.to_string(), "2015");
    assert!((w.actual_rate.unwrap() - 0.005).abs() < 1e-12);
    let gr = (150.0 / value(2015)).powf(1.0 / 15.0) - 1.0;
    assert!((w.required_rate.unwrap() - gr).abs() < 1e-12);
    let rr = 0.005 / gr;
    assert!((a.verdict.method_value.unwrap() - rr).abs() < 1e-9);
    assert!((rr - 0.3557).abs() < 1e-4);
    assert_eq!(a.status(), Status::OffTrack);
    // 15 years reach back before the first value: fewer than two values
    // in the window from 2005 on → the next later value (2010) starts it
    let a = run(Some(15));
    assert_eq!(a.window.as_ref().unwrap().start.period.to_string(), "2010");
    assert!(
        a.notes()
            .iter()
            .any(|n| n
                == "no value for 2005: the 15-year window starts at the next later value (2010)"),
        "{:?}",
        a.notes()
    );
}

/// `--window 5` through the command line: the JSON names the window, its
/// start and rates; show says it in words; a method without a window is a
/// usage error naming those with one.
#[test]
fn the_window_through_the_command_line() {
    let mut toml = String::from(
        "[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"t\"\nmeasure = \"flow\"\n\n\
         [[target]]\nid = \"t\"\nindicator = \"x\"\nbaseline = \"2010\"\nbaseline_value = 100\nvalue = 150\ndeadline = \"2030\"\n",
    );
    let value = |y: i32| {
        if y <= 2015 {
            100.0 * 1.04f64.powi(y - 2010)
        } else {
            100.0 * 1.04f64.powi(5) * 1.005f64.powi(y - 2015)
        }
    };
    for y in 2010..=2020 {
        toml.push_str(&format!(
            "\n[[observation]]\nindicator = \"x\"\nperiod = \"{y}\"\nvalue = {}\n",
            value(y)
        ));
    }
    let w = with(&toml);
    let v: Value = serde_json::from_str(&w.ok(&[
        "report",
        "--as-of",
        "2021-06-30",
        "--window",
        "5",
        "--format",
        "json",
    ]))
    .unwrap();
    let r = &v["targets"][0];
    assert_eq!(r["window"], 5);
    assert_eq!(r["window_start"]["period"], "2015");
    close(&r["window_rates"]["actual"], 0.005, "g_a over the window");
    let gr = (150.0 / value(2015)).powf(1.0 / 15.0) - 1.0;
    close(
        &r["window_rates"]["required"],
        gr,
        "g_r from the window's start",
    );
    close(&r["method_value"], 0.005 / gr, "RR");
    assert_eq!(r["status"], "off_track");
    // without a window: from the baseline, on track
    let v: Value =
        serde_json::from_str(&w.ok(&["report", "--as-of", "2021-06-30", "--format", "json"]))
            .unwrap();
    assert_eq!(v["targets"][0]["status"], "on_track");
    assert!(v["targets"][0]["window"].is_null());
    let text = w.ok(&["show", "t", "--as-of", "2021-06-30", "--window", "5"]);
    assert!(text.contains("over the 5-year window from 2015"), "{text}");
    w.refuses(
        2,
        &["report", "--method", "unsd", "--window", "5"],
        "--window 5: the method unsd has no assessment window; the methods with one are eurostat",
    );
}

/// `report --method eurostat,unsd,pace` (or `all`): one status per method,
/// and the targets on which they disagree flagged.
#[test]
fn methods_side_by_side_flag_disagreement() {
    // 100 (2020) → 112 (2025), target 150 by 2030: eurostat RR =
    // (1.12^(1/5) − 1)/(1.5^(1/10) − 1) = 0.5535 → off_track; pace (linear)
    // 0.24/0.5 = 0.48 → off_track; unsd: 112·1.0229^5 = 125.4, CR = 0.509 → at_risk
    let w = with(&case(
        "",
        "baseline = \"2020\"\nbaseline_value = 100\nvalue = 150\ndeadline = \"2030\"",
        &[(2025, 112.0)],
    ));
    let v: Value = serde_json::from_str(&w.ok(&[
        "report",
        "--as-of",
        "2026-06-30",
        "--method",
        "eurostat,unsd,pace",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        v["methods"],
        serde_json::json!(["eurostat", "unsd", "pace"])
    );
    let t = &v["targets"][0];
    assert_eq!(t["assessments"]["eurostat"]["status"], "off_track");
    assert_eq!(t["assessments"]["unsd"]["status"], "at_risk");
    assert_eq!(t["assessments"]["pace"]["status"], "off_track");
    assert_eq!(t["disagree"], true);
    assert_eq!(v["disagreements"], 1);
    let table = w.ok(&["report", "--as-of", "2026-06-30", "--method", "all"]);
    assert!(
        table.contains("by eurostat, opensdg, unsd, pace, eustat: the methods disagree on 1"),
        "{table}"
    );
}

/// Profiles travel with the data set: export writes them as `[[method]]`,
/// import reads them back (validated, errors at their line).
#[test]
fn profiles_are_exported_and_imported_with_the_data_set() {
    let w = with(&case("limit = 100", TREND, &[(2015, 90.0), (2020, 90.1)]));
    let exported = w.ok(&["export"]);
    assert!(
        exported.contains("[[method]]\nname = \"eustat\""),
        "{exported}"
    );
    let again = Workdir::new();
    let f = again.file("x.toml", &exported);
    let out = again.ok(&["import", f.to_str().unwrap()]);
    assert!(
        out.ends_with("2 observations as batch 1, 1 method profiles\n"),
        "{out}"
    );
    let args = [
        "report",
        "--as-of",
        "2021-06-30",
        "--method",
        "eustat",
        "--format",
        "json",
    ];
    assert_eq!(again.ok(&args), w.ok(&args));
    // a bad profile in a data set: its line, nothing stored
    let bad = exported.replace("status = \"stalled\"", "status = \"stagnant\"");
    let line = bad
        .lines()
        .position(|l| l == "[[method]]")
        .map(|i| i + 1)
        .unwrap();
    let third = Workdir::new();
    let f = third.file("bad.toml", &bad);
    third.refuses(
        1,
        &["import", f.to_str().unwrap()],
        &format!("bad.toml:{line}: without_target band 3: 'stagnant' is not a status"),
    );
}
