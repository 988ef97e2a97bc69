//! Edge cases found in an independent review of the engine against
//! methodology.md, each through the binary with its hand calculation.

mod common;

use common::Workdir;
use serde_json::Value;

fn with(toml: &str) -> Workdir {
    let w = Workdir::new();
    let f = w.file("d.toml", format!("version = 1\n{toml}"));
    w.ok(&["import", f.to_str().unwrap()]);
    w
}

fn json(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

fn row(w: &Workdir, method: &str, as_of: &str, id: &str) -> Value {
    let v = json(
        w,
        &[
            "report", "--as-of", as_of, "--method", method, "--format", "json",
        ],
    );
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone()
}

const FLOW: &str = "[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\nmeasure = \"flow\"\n";

/// §3, §6: a value target whose only known value is the deadline's is
/// judged on it (the fallback baseline moves only the progress measures,
/// never the promise): 10bn ≥ 7bn achieved, 6bn missed.
#[test]
fn a_value_target_known_only_at_its_deadline_is_judged_on_it() {
    for (value, status) in [("10bn", "achieved"), ("6bn", "missed")] {
        let w = with(&format!(
            "{FLOW}[[target]]\nid = \"t\"\nindicator = \"x\"\nvalue = \"$7bn\"\nbaseline = \"2020\"\ndeadline = \"2025\"\n\
             [[observation]]\nindicator = \"x\"\nperiod = \"2025\"\nvalue = \"{value}\"\npublished = \"2026-02-03\"\n"
        ));
        for method in ["eurostat", "opensdg", "unsd", "pace"] {
            let r = row(&w, method, "2026-03-01", "t");
            assert_eq!(r["status"], status, "{method} {value}: {r:#}");
            assert!(r["baseline"].is_null());
            assert!(r["progress"].is_null());
            let notes = r["notes"].to_string();
            assert!(!notes.contains("already met at the baseline"), "{notes}");
            assert!(
                notes.contains("judged on the value of 2025 against the target alone"),
                "{notes}"
            );
        }
    }
}

/// §3: a flow's baseline is the value of exactly its period: a 2020 annual
/// value is not the 2020-Q4 value, and a change stated from 2020-Q4 waits
/// for that value rather than silently using the year's.
#[test]
fn a_flow_baseline_of_another_length_is_not_swapped_for_the_year() {
    let w = with(&format!(
        "{FLOW}[[target]]\nid = \"t\"\nindicator = \"x\"\nchange = \"+50%\"\nbaseline = \"2020-Q4\"\ndeadline = \"2025\"\n\
         [[observation]]\nindicator = \"x\"\nperiod = \"2020\"\nvalue = 400\n\
         [[observation]]\nindicator = \"x\"\nperiod = \"2020-Q4\"\nvalue = 100\n\
         [[observation]]\nindicator = \"x\"\nperiod = \"2021\"\nvalue = 450\n"
    ));
    let r = row(&w, "eurostat", "2022-06-30", "t");
    assert_eq!(r["status"], "no_data");
    assert!(r["target"]["value"].is_null(), "{r:#}");
}

/// §1, §6: a stock's value on 2026-01-01 is the end-of-2025 level, the
/// deadline value of a 2025 target; diff names it as the cause.
#[test]
fn a_stock_day_value_at_the_deadline_instant_is_a_cause_in_diff() {
    let w = with(
        "[[indicator]]\nid = \"res\"\nname = \"R\"\nunit = \"residents\"\nmeasure = \"stock\"\n\
         [[target]]\nid = \"t\"\nindicator = \"res\"\nvalue = 85\nbaseline = \"2020\"\nbaseline_value = 68\ndeadline = \"2025\"\n\
         [[observation]]\nindicator = \"res\"\nperiod = \"2024\"\nvalue = 80\npublished = \"2025-02-01\"\n\
         [[observation]]\nindicator = \"res\"\nperiod = \"2026-01-01\"\nvalue = 90\npublished = \"2026-02-10\"\n",
    );
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2026-01-15",
            "--to",
            "2026-03-01",
            "--format",
            "json",
        ],
    );
    let c = &d["changes"][0];
    assert_eq!(c["to"]["status"], "achieved");
    assert_eq!(c["causes"][0]["kind"], "new_data");
    assert_eq!(c["causes"][0]["date"], "2026-02-10");
    assert_eq!(c["summary"], "new data turned this achieved");
}

/// §6 Open SDG: one calendar year apart is assessed even across a leap
/// day (2020-07-01 → 2021-07-01 is 0.9986 fractional years).
#[test]
fn opensdg_assesses_one_calendar_year_across_a_leap_day() {
    let w = with(
        "[[indicator]]\nid = \"m\"\nname = \"M\"\nunit = \"count\"\nmeasure = \"stock\"\n\
         [[target]]\nid = \"t\"\nindicator = \"m\"\nvalue = 200\nbaseline = \"2020-06\"\ndeadline = \"2025-06\"\n\
         [[observation]]\nindicator = \"m\"\nperiod = \"2020-06\"\nvalue = 100\n\
         [[observation]]\nindicator = \"m\"\nperiod = \"2021-06\"\nvalue = 110\n",
    );
    let r = row(&w, "opensdg", "2022-01-01", "t");
    assert_eq!(r["method_label"], "moderate_progress", "{r:#}");
    // 364 days apart stays not available
    let w = with(
        "[[indicator]]\nid = \"m\"\nname = \"M\"\nunit = \"count\"\nmeasure = \"stock\"\n\
         [[target]]\nid = \"t\"\nindicator = \"m\"\nvalue = 200\nbaseline = \"2021-07-01\"\ndeadline = \"2026-06\"\n\
         [[observation]]\nindicator = \"m\"\nperiod = \"2021-07-01\"\nvalue = 100\n\
         [[observation]]\nindicator = \"m\"\nperiod = \"2022-06-30\"\nvalue = 110\n",
    );
    let r = row(&w, "opensdg", "2022-12-31", "t");
    assert_eq!(r["method_label"], "not_available", "{r:#}");
}

/// No negative zero in any number: lower is better, nothing moved.
#[test]
fn nothing_moved_is_zero_not_minus_zero() {
    let w = with(
        "[[indicator]]\nid = \"e\"\nname = \"E\"\nunit = \"t\"\nmeasure = \"flow\"\nhigher_is_better = false\n\
         [[target]]\nid = \"t\"\nindicator = \"e\"\nvalue = 60\nbaseline = \"2020\"\nbaseline_value = 100\ndeadline = \"2030\"\n\
         [[observation]]\nindicator = \"e\"\nperiod = \"2025\"\nvalue = 100\n",
    );
    fn negative_zeros(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Number(n) if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) => {
                out.push(path.to_string())
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| negative_zeros(x, &format!("{path}[{i}]"), out)),
            Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| negative_zeros(x, &format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    negative_zeros(
        &json(&w, &["report", "--as-of", "2026-06-30", "--format", "json"]),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "negative zeros at {found:?}");
    let r = row(&w, "eurostat", "2026-06-30", "t");
    assert_eq!(r["rate_ratio"], 0.0);
    assert_eq!(r["status"], "off_track");
}

/// Method profiles: a with-target band scaled by C, and `zero` for the
/// rate ratio, are applied as declared.
#[test]
fn a_profile_scales_with_target_bands_by_c_and_substitutes_zero() {
    let w = with(
        "[[indicator]]\nid = \"share\"\nname = \"S\"\nunit = \"%\"\nmeasure = \"stock\"\nlimit = 100\n\
         [[target]]\nid = \"s\"\nindicator = \"share\"\nvalue = 95\nbaseline = \"2020\"\ndeadline = \"2030\"\n\
         [[observation]]\nindicator = \"share\"\nperiod = \"2020\"\nvalue = 90\n\
         [[observation]]\nindicator = \"share\"\nperiod = \"2025\"\nvalue = 91.2\n\
         [[indicator]]\nid = \"z\"\nname = \"Z\"\nunit = \"count\"\nmeasure = \"stock\"\n\
         [[target]]\nid = \"z\"\nindicator = \"z\"\nvalue = 100\nbaseline = \"2020\"\ndeadline = \"2030\"\n\
         [[observation]]\nindicator = \"z\"\nperiod = \"2020\"\nvalue = 0\n\
         [[observation]]\nindicator = \"z\"\nperiod = \"2025\"\nvalue = 10\n",
    );
    let p = w.file(
        "p.toml",
        "name = \"zero-rr\"\nmeasure = \"rate_ratio\"\nzero = 0.001\n[met]\nlabel = \"met\"\n[missed]\nlabel = \"missed\"\n\
         [[with_target.band]]\nfrom = 0.95\nscaled = true\nstatus = \"on_track\"\nlabel = \"ok\"\n\
         [[with_target.band]]\nstatus = \"off_track\"\nlabel = \"bad\"\n\
         [[without_target.band]]\nstatus = \"off_track\"\nlabel = \"x\"\n",
    );
    w.ok(&["method", "add", p.to_str().unwrap()]);
    // RR = ((91.2/90)^(1/5) − 1)/((95/90)^(1/10) − 1) = 0.4893 ≥ 0.95·C =
    // 0.95·(1 − 0.9^4.44) = 0.3549 → on_track
    let r = row(&w, "zero-rr", "2026-06-30", "s");
    let rr = ((91.2f64 / 90.0).powf(0.2) - 1.0) / ((95.0f64 / 90.0).powf(0.1) - 1.0);
    assert!(
        (r["method_value"].as_f64().unwrap() - rr).abs() < 1e-9,
        "{r:#}"
    );
    assert_eq!(r["status"], "on_track");
    // 0 → 10: g_a = (10/0.001)^(1/5) − 1, g_r = (100/0.001)^(1/10) − 1, RR = 2.456
    let r = row(&w, "zero-rr", "2026-06-30", "z");
    let rr = (10_000.0f64.powf(0.2) - 1.0) / (100_000.0f64.powf(0.1) - 1.0);
    assert!(
        (r["method_value"].as_f64().unwrap() - rr).abs() < 1e-9,
        "{r:#}"
    );
    assert_eq!(r["status"], "on_track");
}

/// §7 on the second clock: a completion, a not-done statement and a
/// withdrawal appear in history and diff on the day they were recorded.
#[test]
fn milestone_news_appears_on_the_day_it_was_recorded() {
    let w = with(
        "[[target]]\nid = \"m\"\nkind = \"milestone\"\ndeadline = \"2022-10\"\nrecorded = \"2022-01-01T00:00:00Z\"\n\
         done_on = \"2022-09-01\"\ndone_source = \"Agency\"\ndone_recorded = \"2023-02-01T10:00:00Z\"\n",
    );
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2023-01-15",
            "--to",
            "2023-03-15",
            "--as-recorded",
            "--format",
            "json",
        ],
    );
    let c = &d["changes"][0];
    assert_eq!(
        (c["from"]["status"].as_str(), c["to"]["status"].as_str()),
        (Some("overdue"), Some("achieved"))
    );
    assert_eq!(c["causes"][0]["kind"], "milestone");
    assert_eq!(c["causes"][0]["date"], "2023-02-01");
    let h = json(
        &w,
        &[
            "history",
            "m",
            "--until",
            "2023-06-30",
            "--as-recorded",
            "--format",
            "json",
        ],
    );
    let last = h["rows"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["date"].as_str(), last["status"].as_str()),
        (Some("2023-02-01"), Some("achieved"))
    );
}

/// history: the deadline of a superseded version does not pass.
#[test]
fn only_the_deadline_in_force_passes_in_history() {
    let w = Workdir::new();
    w.flow_indicator("x", "t");
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "x",
        "--baseline",
        "2020=100",
        "--value",
        "150",
        "--deadline",
        "2025",
    ]);
    w.ok(&[
        "target",
        "revise",
        "t",
        "--deadline",
        "2027",
        "--source",
        "Decree",
        "--effective",
        "2024-06-01",
    ]);
    let h = json(
        &w,
        &["history", "t", "--until", "2028-06-30", "--format", "json"],
    );
    let texts: Vec<String> = h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["text"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        !texts.iter().any(|t| t == "the deadline (2025) passed"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "the deadline (2027) passed"),
        "{texts:?}"
    );
}
