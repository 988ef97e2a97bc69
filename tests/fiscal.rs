//! Fiscal years (issue 11 point 14): an indicator's year can start in
//! another month, and `2009/10`, `FY2010` (and, on that indicator, plain
//! `2010`) mean that year wherever periods are read and printed.
//!
//! Hand-checked values: with the year from April, FY2010 = 2009/10 =
//! 2009-04-01 to 2010-03-31; twelve months from April 2022 to March 2023
//! add up to 2022/23; a value without a publication date is known from
//! the last day of its fiscal year.

mod common;

use common::Workdir;
use serde_json::Value;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A flow indicator `spend` in GBP whose year starts in April.
fn fiscal() -> Workdir {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "spend",
        "--name",
        "Spending",
        "--unit",
        "GBP",
        "--measure",
        "flow",
        "--year-start",
        "04",
    ]);
    w
}

#[test]
fn a_fiscal_indicator_reads_every_notation_of_its_year_and_prints_one() {
    let w = fiscal();
    for (written, printed) in [
        ("2009/10", "2009/10"),
        ("FY2011", "2010/11"),
        ("2012", "2011/12"),
        ("fy2012/13", "2012/13"),
        ("2013/2014", "2013/14"),
        ("FY2015-Q1", "2014/15-Q1"),
        ("2014-Q2", "2014-Q2"),
    ] {
        let out = w.ok(&["obs", "add", "spend", written, "1bn"]);
        assert!(
            out.contains(&format!(" spend {printed} = ")),
            "{written}: {out}"
        );
    }
    let list = json(&w.ok(&["obs", "list", "--history", "--format", "json"]));
    let rows: Vec<(String, String, String)> = list["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap().to_string();
            (s("period"), s("period_start"), s("period_end"))
        })
        .collect();
    let row = |p: &str, a: &str, b: &str| (p.to_string(), a.to_string(), b.to_string());
    assert_eq!(
        rows,
        vec![
            row("2009/10", "2009-04-01", "2010-04-01"),
            row("2010/11", "2010-04-01", "2011-04-01"),
            row("2011/12", "2011-04-01", "2012-04-01"),
            row("2012/13", "2012-04-01", "2013-04-01"),
            row("2013/14", "2013-04-01", "2014-04-01"),
            // the calendar's second quarter and the fiscal first are the
            // same days, printed as each was written, in entry order
            row("2014/15-Q1", "2014-04-01", "2014-07-01"),
            row("2014-Q2", "2014-04-01", "2014-07-01"),
        ]
    );
    let csv = w.ok(&["obs", "list", "--format", "csv"]);
    assert!(csv.contains("\nspend,2009/10,1000000000,"), "{csv}");
    // the indicator says which year it counts in
    let table = w.ok(&["indicator", "list"]);
    assert!(table.contains("Apr-Mar"), "{table}");
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    assert_eq!(list["indicators"][0]["year_start"], 4);
    // `2009-10` stays October 2009, with a word about the look-alike
    let out = w.run(&["obs", "add", "spend", "2009-10", "1bn"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: 2009-10 is read as a month, October 2009; the fiscal year is written 2009/10 (or FY2010)"
        ),
        "{stderr}"
    );
}

/// `spend` with annual values for 2020/21 and 2021/22, and the twelve
/// months of 2022/23 (10 each, March 2023 20: 130 in all); a target of 160
/// by FY2025 from the baseline 2021 (= 2020/21) at 100.
fn with_target() -> Workdir {
    let w = fiscal();
    w.ok(&["obs", "add", "spend", "2020/21", "100"]);
    w.ok(&["obs", "add", "spend", "FY2022", "110"]);
    for m in ["04", "05", "06", "07", "08", "09", "10", "11", "12"] {
        w.ok(&["obs", "add", "spend", &format!("2022-{m}"), "10"]);
    }
    w.ok(&["obs", "add", "spend", "2023-01", "10"]);
    w.ok(&["obs", "add", "spend", "2023-02", "10"]);
    w.ok(&["obs", "add", "spend", "2023-03", "20"]);
    w.ok(&[
        "target",
        "add",
        "spend-2025",
        "--indicator",
        "spend",
        "--baseline",
        "2021=100",
        "--value",
        "160",
        "--deadline",
        "FY2025",
    ]);
    w
}

fn report(w: &Workdir, as_of: &str) -> Value {
    let r = json(&w.ok(&["report", "--as-of", as_of, "--format", "json"]));
    r["targets"][0].clone()
}

#[test]
fn months_add_up_to_a_fiscal_year_known_at_its_end() {
    let w = with_target();
    let t = report(&w, "2023-06-01");
    assert_eq!(t["baseline"]["period"], "2020/21");
    assert_eq!(t["target"]["deadline"], "2024/25");
    assert_eq!(t["latest"]["period"], "2022/23");
    assert_eq!(t["latest"]["value"], 130.0);
    assert_eq!(t["latest"]["derived"], true);
    // (130 − 100) / (160 − 100); and 2 of the 4 years from the end of
    // 2020/21 (2021-04-01) to the end of 2024/25 (2025-04-01), all three
    // 1 April in years of 365 days
    assert_eq!(t["progress"], 0.5);
    let elapsed = t["time_elapsed"].as_f64().unwrap();
    assert!((elapsed - 0.5).abs() < 1e-12, "{elapsed}");
    let notes = t["notes"].to_string();
    assert!(
        notes.contains(
            "years are fiscal years from April: the deadline 2024/25 runs from April 2024 to March 2025"
        ),
        "{notes}"
    );
    // the March value counts from 31 March 2023, the last day of its
    // period: the day before, 2022/23 is not complete
    let t = report(&w, "2023-03-30");
    assert_eq!(t["latest"]["period"], "2021/22");
    assert_eq!(t["latest"]["value"], 110.0);
    let t = report(&w, "2023-03-31");
    assert_eq!(t["latest"]["period"], "2022/23");
    // show lists the parts of the derived fiscal year, and the year
    let show = w.ok(&["show", "spend-2025", "--as-of", "2023-06-01"]);
    assert!(
        show.contains("Spending (spend, GBP, flow, Apr-Mar years)"),
        "{show}"
    );
    assert!(show.contains("2022/23 = "), "{show}");
    assert!(show.contains("by 2024/25"), "{show}");
}

#[test]
fn a_fiscal_deadline_ends_on_the_last_day_of_its_year() {
    let w = with_target();
    // the value for 2024/25, published on no given date: known from
    // 31 March 2025, the deadline's last day
    w.ok(&["obs", "add", "spend", "2024/25", "170"]);
    let t = report(&w, "2025-03-30");
    assert_eq!(t["latest"]["period"], "2022/23");
    assert_ne!(t["status"], "achieved");
    let t = report(&w, "2025-03-31");
    assert_eq!(t["latest"]["period"], "2024/25");
    assert_eq!(t["latest"]["value"], 170.0);
    assert_eq!(t["status"], "achieved");
    // lists print the deadline as the fiscal year it is
    let list = json(&w.ok(&["target", "list", "--format", "json"]));
    assert_eq!(list["targets"][0]["deadline"], "2024/25");
}

#[test]
fn wrong_fiscal_periods_are_refused_naming_them() {
    let w = fiscal();
    w.ok(&[
        "indicator",
        "add",
        "cal",
        "--name",
        "Calendar",
        "--unit",
        "GBP",
    ]);
    w.ok(&["obs", "add", "spend", "2009/10", "5"]);
    let before = w.dump();
    w.refuses(
        1,
        &["obs", "add", "spend", "2009/11", "5"],
        "invalid period '2009/11': a fiscal year spans two consecutive years, such as 2009/10 (found 2009/11)",
    );
    w.refuses(
        1,
        &["obs", "add", "cal", "2009/10", "5"],
        "invalid period '2009/10': '2009/10' is a fiscal year, but here years are calendar years",
    );
    w.refuses(
        1,
        &["obs", "add", "cal", "FY2010", "5"],
        "indicator add --year-start MM",
    );
    w.refuses(
        1,
        &[
            "target",
            "add",
            "t",
            "--indicator",
            "cal",
            "--value",
            "9",
            "--deadline",
            "2024/25",
        ],
        "invalid period '2024/25'",
    );
    w.refuses(
        1,
        &[
            "indicator",
            "add",
            "x",
            "--name",
            "X",
            "--unit",
            "GBP",
            "--year-start",
            "13",
        ],
        "invalid year start '13': expected the month the year starts in, 01 to 12",
    );
    // the year's start is no entry error once periods were read in it
    w.refuses(
        1,
        &["indicator", "edit", "spend", "--year-start", "07"],
        "indicator spend has observations or targets read in years from April: its year start cannot change",
    );
    assert_eq!(w.dump(), before);
    // a calendar year from another format has no place among fiscal years
    let sdmx = common::fixtures().join("import/sdmx-csv/eurostat-v1.csv");
    w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            sdmx.to_str().unwrap(),
            "--map",
            "A...AT=spend",
        ],
        "the period 2019 is no period of indicator spend, whose years are fiscal years from April (2009/10 is April 2009 to March 2010)",
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn the_year_start_of_an_indicator_without_periods_is_corrected_and_logged() {
    let w = Workdir::new();
    w.flow_indicator("x", "GBP");
    let out = w.ok(&["indicator", "edit", "x", "--year-start", "7"]);
    assert_eq!(out, "corrected year_start of indicator x (logged)\n");
    let out = w.ok(&["obs", "add", "x", "2010", "5"]);
    assert_eq!(out, "added observation 1: x 2009/10 = £5\n");
    let list = json(&w.ok(&["obs", "list", "--format", "json"]));
    assert_eq!(list["observations"][0]["period_start"], "2009-07-01");
    assert_eq!(list["observations"][0]["period_end"], "2010-07-01");
}

#[test]
fn a_data_set_keeps_the_year_start_and_fiscal_periods_through_a_round_trip() {
    let w = with_target();
    let exported = w.ok(&["export"]);
    assert!(exported.contains("\nyear_start = 4\n"), "{exported}");
    assert!(exported.contains("deadline = \"2024/25\""), "{exported}");
    assert!(exported.contains("period = \"2021/22\""), "{exported}");
    let file = w.file("fiscal.toml", &exported);
    let other = Workdir::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.ok(&["export"]), exported);
    let as_of = ["report", "--as-of", "2023-06-01", "--format", "json"];
    assert_eq!(other.ok(&as_of), w.ok(&as_of));
    // written by hand: plain years are the indicator's years
    let hand = w.file(
        "hand.toml",
        "version = 1\n\n[[indicator]]\nid = \"au\"\nname = \"AU\"\nunit = \"AUD\"\nmeasure = \"flow\"\nyear_start = 7\n\n\
         [[observation]]\nindicator = \"au\"\nperiod = \"2010\"\nvalue = 5\n\n\
         [[observation]]\nindicator = \"au\"\nperiod = \"FY2011-H1\"\nvalue = 3\n",
    );
    let third = Workdir::new();
    third.ok(&["import", hand.to_str().unwrap()]);
    let list = json(&third.ok(&["obs", "list", "--format", "json"]));
    let periods: Vec<(&str, &str)> = list["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["period"].as_str().unwrap(),
                o["period_start"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        periods,
        vec![("2009/10", "2009-07-01"), ("2010/11-H1", "2010-07-01")]
    );
    // a year start that is no month names its line
    let bad = w.file(
        "bad.toml",
        "version = 1\n\n[[indicator]]\nid = \"b\"\nname = \"B\"\nunit = \"x\"\nyear_start = 13\n",
    );
    third.refuses(
        1,
        &["import", bad.to_str().unwrap()],
        "bad.toml:3: invalid year start '13'",
    );
}

/// A report reads each target's year start from its own indicator, read
/// beside the targets in id order: indicators of other year starts, and
/// indicators without targets, between and after them, change nothing.
/// Hand-checked: a value for 2022 without a publication date is known
/// from the last day of the year it means. On 1 May 2022 that is known
/// only where the year starts in April (2021/22 ended on 31 March 2022),
/// not in July (it ends on 30 June 2022) nor in January.
#[test]
fn each_target_in_a_report_reads_its_own_indicators_year() {
    let w = Workdir::new();
    // id order: a calendar year, July and April ones with targets (a, c,
    // e), and indicators without targets before, between and after them
    for (id, start) in [
        ("0", Some("10")),
        ("a", None),
        ("b", Some("04")),
        ("b2", Some("04")),
        ("c", Some("07")),
        ("d", None),
        ("e", Some("04")),
        ("f", Some("10")),
    ] {
        let mut args = vec!["indicator", "add", id, "--name", id, "--unit", "GBP"];
        if let Some(s) = start {
            args.extend(["--year-start", s]);
        }
        w.ok(&args);
    }
    for id in ["a", "c", "e"] {
        w.ok(&["obs", "add", id, "2021", "100"]);
        w.ok(&["obs", "add", id, "2022", "110"]);
        w.ok(&[
            "target",
            "add",
            &format!("{id}-2025"),
            "--indicator",
            id,
            "--baseline",
            "2021=100",
            "--value",
            "160",
            "--deadline",
            "2025",
        ]);
    }
    let r = json(&w.ok(&["report", "--as-of", "2022-05-01", "--format", "json"]));
    let mut seen: Vec<[String; 4]> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("{t}")).to_string();
            // each target read with its own indicator
            assert_eq!(s(&t["indicator"]), s(&t["id"])[..1], "{t}");
            [
                s(&t["id"]),
                s(&t["baseline"]["period"]),
                s(&t["latest"]["period"]),
                s(&t["target"]["deadline"]),
            ]
        })
        .collect();
    seen.sort();
    let row = |a: &str, b: &str, c: &str, d: &str| [a, b, c, d].map(String::from);
    assert_eq!(
        seen,
        [
            row("a-2025", "2021", "2021", "2025"),
            // plain years on a fiscal indicator are its fiscal years, the
            // one ending in that year
            row("c-2025", "2020/21", "2020/21", "2024/25"),
            row("e-2025", "2020/21", "2021/22", "2024/25"),
        ]
    );
    // and each deadline is read in its own indicator's year, as its note
    // says: from July for c, April for e, none for a calendar year
    let r = json(&w.ok(&["report", "--as-of", "2025-05-01", "--format", "json"]));
    let mut notes: Vec<(String, Vec<String>)> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let notes = t["notes"].as_array().unwrap().iter();
            let fiscal = notes
                .filter_map(|n| n.as_str().filter(|n| n.starts_with("years are")))
                .map(String::from)
                .collect();
            (t["id"].as_str().unwrap().to_string(), fiscal)
        })
        .collect();
    notes.sort();
    let note = |from: &str, to: &str| {
        vec![format!(
            "years are fiscal years from {from}: the deadline 2024/25 runs from {from} 2024 to {to} 2025"
        )]
    };
    assert_eq!(
        notes,
        [
            ("a-2025".to_string(), Vec::new()),
            ("c-2025".to_string(), note("July", "June")),
            ("e-2025".to_string(), note("April", "March")),
        ]
    );
}
