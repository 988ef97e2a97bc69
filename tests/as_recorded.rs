//! The second clock (`--as-recorded`): the database as it stood at the end
//! of a date, by its recording times. A value entered wrongly on
//! 2022-02-03 and retracted on 2022-08-10 (when the right value was
//! entered) was in the report printed in June 2022; `--as-of` alone ignores
//! it on every date.

mod common;

use common::Workdir;
use serde_json::Value;

const DATA: &str = r#"version = 1

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
value = 150
deadline = "2025"
recorded = "2022-01-10T09:00:00Z"

[[target]]
id = "later"
indicator = "x"
baseline = "2020"
baseline_value = 100
value = 120
deadline = "2025"
recorded = "2022-09-01T09:00:00Z"

# typed as 110 on 3 February, retracted on 10 August
[[observation]]
indicator = "x"
period = "2021"
value = 110
published = "2022-02-01"
recorded = "2022-02-03T10:00:00Z"
retracted = "2022-08-10T10:00:00Z"
retracted_why = "typed 110 for 101"

# the value as published, entered on 10 August
[[observation]]
indicator = "x"
period = "2021"
value = 101
published = "2022-02-01"
recorded = "2022-08-10T10:05:00Z"
"#;

fn setup() -> Workdir {
    let w = Workdir::new();
    let f = w.file("d.toml", DATA);
    w.ok(&["import", f.to_str().unwrap()]);
    w
}

fn row(w: &Workdir, args: &[&str]) -> Value {
    let v: Value = serde_json::from_str(&w.ok(args)).unwrap();
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "t")
        .unwrap()
        .clone()
}

#[test]
fn the_report_printed_on_a_date_is_reproduced() {
    let w = setup();
    // as of 2022-06-30, what could be known: the retracted entry is an
    // error on every date, the right value 101 was published in February
    let r = row(&w, &["report", "--as-of", "2022-06-30", "--format", "json"]);
    assert_eq!(r["latest"]["value"], 101.0);
    // as printed on 2022-06-30: 110, the only value then in the database
    // (progress 10/50 = 0.2; RR = 0.10/(1.5^(1/5) − 1) = 1.184 → on_track)
    let r = row(
        &w,
        &[
            "report",
            "--as-of",
            "2022-06-30",
            "--as-recorded",
            "--format",
            "json",
        ],
    );
    assert_eq!(r["latest"]["value"], 110.0);
    assert_eq!(r["status"], "on_track");
    // a target recorded in September is not in the June report
    let v: Value = serde_json::from_str(&w.ok(&[
        "report",
        "--as-of",
        "2022-06-30",
        "--as-recorded",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["targets"].as_array().unwrap().len(), 1);
    // after the retraction, both clocks agree: 101, RR = 0.01/0.08447 = 0.118 → off_track
    let a = row(&w, &["report", "--as-of", "2022-12-31", "--format", "json"]);
    let b = row(
        &w,
        &[
            "report",
            "--as-of",
            "2022-12-31",
            "--as-recorded",
            "--format",
            "json",
        ],
    );
    assert_eq!(a, b);
    assert_eq!(a["status"], "off_track");
    // show, on the second clock, sees what the report saw
    let s: Value = serde_json::from_str(&w.ok(&[
        "show",
        "t",
        "--as-of",
        "2022-06-30",
        "--as-recorded",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(s["target"]["latest"]["value"], 110.0);
}

#[test]
fn a_diff_across_a_retraction_names_it_and_lists_new_targets() {
    let w = setup();
    let d: Value = serde_json::from_str(&w.ok(&[
        "diff",
        "--from",
        "2022-06-30",
        "--to",
        "2022-12-31",
        "--as-recorded",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(d["as_recorded"], true);
    let changes = d["changes"].as_array().unwrap();
    let t = changes.iter().find(|c| c["id"] == "t").unwrap();
    assert_eq!(t["from"]["status"], "on_track");
    assert_eq!(t["to"]["status"], "off_track");
    let kinds: Vec<&str> = t["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    // in the order they happened (10:00 the retraction, 10:05 the entry)
    assert_eq!(kinds, vec!["retraction", "new_data"]);
    assert_eq!(
        t["causes"][0]["text"],
        "2021 = 110 t retracted: typed 110 for 101"
    );
    assert_eq!(t["causes"][1]["text"], "2021 = 101 t recorded");
    let later = changes.iter().find(|c| c["id"] == "later").unwrap();
    assert_eq!(later["direction"], "new");
    assert!(later["from"].is_null());
    // on the first clock the same two dates show no change at all
    let d: Value = serde_json::from_str(&w.ok(&[
        "diff",
        "--from",
        "2022-06-30",
        "--to",
        "2022-12-31",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(d["changes"].as_array().unwrap().len(), 0, "{d:#}");
}

#[test]
fn history_on_the_second_clock_shows_the_entry_and_its_retraction() {
    let w = setup();
    let h: Value = serde_json::from_str(&w.ok(&[
        "history",
        "t",
        "--until",
        "2022-12-31",
        "--as-recorded",
        "--format",
        "json",
    ]))
    .unwrap();
    let rows: Vec<(String, String, f64)> = h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["latest"]["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            // the target recorded: only its stated baseline
            ("2022-01-10".to_string(), "no_data".to_string(), 100.0),
            ("2022-02-03".to_string(), "on_track".to_string(), 110.0),
            ("2022-08-10".to_string(), "off_track".to_string(), 101.0),
        ]
    );
    let kinds: Vec<&str> = h["rows"][2]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["retracted", "recorded"]);
}
