//! `goalpost history`: the verdict's timeline. It replays the report at
//! each event date, so it agrees with `report --as-of` on every date; each
//! event class gets a row of its own, checked by hand.

mod common;

use std::collections::{BTreeSet, HashMap};

use common::Workdir;
use serde_json::Value;

fn json<S: AsRef<str>>(w: &Workdir, args: &[S]) -> Value {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    serde_json::from_str(&w.ok(&args)).unwrap()
}

/// Every row of every target's history equals the report as of that date.
fn agrees_with_report(w: &Workdir, until: &str) {
    agrees_on_clock(w, until, &[]);
}

/// As [`agrees_with_report`], with `clock` (`--as-recorded`) given to both.
fn agrees_on_clock(w: &Workdir, until: &str, clock: &[&str]) {
    let with = |args: &[&str]| -> Vec<String> {
        args.iter().chain(clock).map(|a| a.to_string()).collect()
    };
    let report = json(w, &with(&["report", "--as-of", until, "--format", "json"]));
    let ids: Vec<String> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    let mut histories = HashMap::new();
    let mut dates = BTreeSet::new();
    for id in &ids {
        let h = json(
            w,
            &with(&["history", id, "--until", until, "--format", "json"]),
        );
        for r in h["rows"].as_array().unwrap() {
            dates.insert(r["date"].as_str().unwrap().to_string());
        }
        histories.insert(id.clone(), h);
    }
    // and every day on which a value was published, recorded or retracted:
    // a date whose row was folded must read as the row before it
    let all = json(w, &["obs", "list", "--history", "--format", "json"]);
    for o in all["observations"].as_array().unwrap() {
        for day in [&o["published"], &o["recorded"], &o["retracted"]["at"]] {
            if let Some(d) = day.as_str() {
                dates.insert(d[..10].to_string());
            }
        }
    }
    let mut checked = 0;
    for date in dates.iter().filter(|d| d.as_str() <= until) {
        let r = json(w, &with(&["report", "--as-of", date, "--format", "json"]));
        for t in r["targets"].as_array().unwrap() {
            let h = &histories[t["id"].as_str().unwrap()];
            // the row in force on the date: the last one on or before it
            let Some(row) = h["rows"]
                .as_array()
                .unwrap()
                .iter()
                .rev()
                .find(|x| x["date"].as_str().unwrap() <= date.as_str())
            else {
                continue;
            };
            for key in [
                "status",
                "progress",
                "method_value",
                "method_label",
                "latest",
            ] {
                assert_eq!(row[key], t[key], "{} on {date}: {key}", t["id"]);
            }
            checked += 1;
        }
    }
    assert!(checked >= ids.len(), "only {checked} rows checked");
}

#[test]
fn the_seed_history_agrees_with_the_report_on_every_date() {
    agrees_with_report(&Workdir::seeded(), "2026-11-28");
}

#[test]
fn a_generated_history_agrees_with_the_report_on_every_date() {
    // 12 yearly values with revised vintages, a stock and a flow, targets
    // of every kind of path
    let mut toml = String::from(
        "version = 1\n\
         [[indicator]]\nid = \"f\"\nname = \"F\"\nunit = \"t\"\nmeasure = \"flow\"\n\n\
         [[indicator]]\nid = \"s\"\nname = \"S\"\nunit = \"t\"\nmeasure = \"stock\"\nhigher_is_better = false\n\n\
         [[target]]\nid = \"f-lin\"\nindicator = \"f\"\nbaseline = \"2012\"\nvalue = 300\ndeadline = \"2022\"\n\n\
         [[target]]\nid = \"f-cmp\"\nindicator = \"f\"\nbaseline = \"2012\"\nchange = \"+50%\"\ndeadline = \"2025\"\npath = \"compound\"\n\n\
         [[target]]\nid = \"s-down\"\nindicator = \"s\"\nbaseline = \"2012\"\nvalue = 40\ndeadline = \"2024\"\n\n\
         [[target]]\nid = \"s-trend\"\nindicator = \"s\"\nkind = \"trend\"\ndirection = \"decrease\"\nbaseline = \"2012\"\ndeadline = \"2030\"\n",
    );
    let mut x: u64 = 7;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as f64 / (1u64 << 31) as f64
    };
    for y in 2012..2024 {
        for (ind, base, growth) in [("f", 200.0, 0.04), ("s", 100.0, -0.05)] {
            let v: f64 = base * (1.0f64 + growth).powi(y - 2012) * (0.95 + 0.1 * next());
            toml.push_str(&format!(
                "\n[[observation]]\nindicator = \"{ind}\"\nperiod = \"{y}\"\nvalue = {v:.3}\npublished = \"{}-03-01\"\n",
                y + 1
            ));
            if next() < 0.4 {
                toml.push_str(&format!(
                    "\n[[observation]]\nindicator = \"{ind}\"\nperiod = \"{y}\"\nvalue = {:.3}\npublished = \"{}-09-15\"\n",
                    v * (0.97 + 0.06 * next()),
                    y + 1
                ));
            }
        }
    }
    let w = Workdir::new();
    let f = w.file("gen.toml", toml);
    w.ok(&["import", f.to_str().unwrap()]);
    agrees_with_report(&w, "2026-06-30");
}

/// One target through every event class: published, revised, target
/// revised, deadline passed, and for a milestone not done, completed and
/// withdrawn.
#[test]
fn each_event_class_is_a_row_with_its_assessment() {
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
        "2023",
    ]);
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "110",
        "--published",
        "2022-02-01",
        "--source",
        "A",
    ]);
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "120",
        "--published",
        "2022-05-01",
        "--source",
        "B",
    ]);
    w.ok(&[
        "target",
        "revise",
        "t",
        "--value",
        "130",
        "--source",
        "Decree 2",
        "--effective",
        "2022-07-01",
    ]);
    let h = json(
        &w,
        &["history", "t", "--until", "2024-06-30", "--format", "json"],
    );
    let rows = h["rows"].as_array().unwrap();
    let brief: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                r["events"][0]["kind"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        brief,
        vec![
            // 110 after 1 of 3 years: RR = 0.10/(1.5^(1/3) − 1) = 0.6954 → at_risk
            s("2022-02-01", "published", "at_risk"),
            // 120: RR = 0.20/0.14471 = 1.382 → on_track
            s("2022-05-01", "revised", "on_track"),
            // T = 130: RR = 0.20/(1.3^(1/3) − 1) = 2.199 → on_track
            s("2022-07-01", "target_revised", "on_track"),
            // no 2023 value after the deadline: assessed on 2021, awaited
            s("2024-01-01", "deadline_passed", "on_track"),
        ]
    );
    assert_eq!(rows[1]["events"][0]["text"], "2021 revised: 110 t → 120 t");
    assert_eq!(rows[1]["events"][0]["source"], "B");
    assert!(
        (rows[0]["method_value"].as_f64().unwrap() - 0.1 / (1.5f64.powf(1.0 / 3.0) - 1.0)).abs()
            < 1e-9
    );
    assert!(
        (rows[2]["method_value"].as_f64().unwrap() - 0.2 / (1.3f64.powf(1.0 / 3.0) - 1.0)).abs()
            < 1e-9
    );

    // a milestone: overdue, not done (missed), completed late, withdrawn
    w.ok(&["target", "add", "m", "--milestone", "--deadline", "2022-10"]);
    w.ok(&[
        "target",
        "not-done",
        "m",
        "--as-of",
        "2023-05-01",
        "--source",
        "Minister",
    ]);
    w.ok(&[
        "target",
        "done",
        "m",
        "--on",
        "2024-02-01",
        "--source",
        "Agency",
    ]);
    w.ok(&[
        "target",
        "withdraw",
        "m",
        "--on",
        "2025-01-01",
        "--source",
        "Decree 3",
        "--why",
        "superseded",
    ]);
    let h = json(
        &w,
        &["history", "m", "--until", "2025-06-30", "--format", "json"],
    );
    let brief: Vec<(String, String, String)> = h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                r["events"][0]["kind"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        brief,
        vec![
            s("2022-11-01", "deadline_passed", "overdue"),
            s("2023-05-01", "not_done", "missed"),
            s("2024-02-01", "completed", "achieved"),
            s("2025-01-01", "withdrawn", "withdrawn"),
        ]
    );
    // --since opens with the assessment on that date; --until ends it
    let h = json(
        &w,
        &[
            "history",
            "m",
            "--since",
            "2022-06-01",
            "--until",
            "2023-12-31",
            "--format",
            "json",
        ],
    );
    let dates: Vec<&str> = h["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, vec!["2022-06-01", "2022-11-01", "2023-05-01"]);
    assert_eq!(h["rows"][0]["status"], "pending");
}

/// Rows where nothing the reader sees changed are folded and counted.
#[test]
fn unchanged_rows_are_folded() {
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
        "2030",
    ]);
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "110",
        "--published",
        "2022-02-01",
    ]);
    // the same value again, from another source: nothing a reader sees changes
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "110",
        "--published",
        "2022-03-01",
        "--source",
        "again",
    ]);
    let h = json(
        &w,
        &["history", "t", "--until", "2022-12-31", "--format", "json"],
    );
    assert_eq!(h["rows"].as_array().unwrap().len(), 1);
    assert_eq!(h["folded"], 1);
    let table = w.ok(&["history", "t", "--until", "2022-12-31"]);
    assert!(
        table.contains("1 event date with no change a reader would see folded"),
        "{table}"
    );
}

/// The replay hands the engine only the latest known vintage of each
/// period; this data set has what could make that differ from the full
/// set: monthly and quarterly parts that add up, a straddling period, a
/// retracted entry, and vintages entered in another order than they were
/// published (an older entry published after a newer one).
#[test]
fn a_history_of_parts_and_out_of_order_vintages_agrees_with_the_report() {
    let mut toml = String::from(
        "version = 1\n\
         [[indicator]]\nid = \"m\"\nname = \"M\"\nunit = \"t\"\nmeasure = \"flow\"\n\n\
         [[target]]\nid = \"m-year\"\nindicator = \"m\"\nbaseline = \"2019\"\nbaseline_value = 120\nvalue = 200\ndeadline = \"2024\"\n\n\
         [[target]]\nid = \"m-cum\"\nindicator = \"m\"\nkind = \"cumulative\"\nfrom = \"2020\"\nvalue = 700\ndeadline = \"2024\"\n",
    );
    let mut obs = |period: &str, value: f64, published: &str| {
        toml.push_str(&format!(
            "\n[[observation]]\nindicator = \"m\"\nperiod = \"{period}\"\nvalue = {value}\npublished = \"{published}\"\n"
        ));
    };
    // 2020 as twelve months, entered late in the year's order, and revised
    // by an entry made before them but published after
    obs("2020-Q4", 40.0, "2021-08-01");
    for m in 1..=12 {
        obs(&format!("2020-{m:02}"), 10.0 + m as f64, "2021-02-01");
    }
    // 2021 as four quarters, one of them later revised twice (out of order)
    obs("2021-Q3", 44.0, "2022-06-01");
    for (q, v) in [(1, 30.0), (2, 35.0), (3, 41.0), (4, 38.0)] {
        obs(&format!("2021-Q{q}"), v, "2022-02-01");
    }
    obs("2021-Q3", 43.0, "2022-04-01");
    // a straddling period and whole years with vintages
    obs("2021-07..2022-06", 150.0, "2022-08-01");
    obs("2022", 170.0, "2023-03-01");
    obs("2022", 168.0, "2023-01-15");
    obs("2023", 185.0, "2024-03-01");
    obs("2023", 190.0, "2024-09-01");
    let w = Workdir::new();
    let f = w.file("parts.toml", toml);
    w.ok(&["import", f.to_str().unwrap()]);
    // a wrong entry, retracted: ignored on every date
    w.ok(&[
        "obs",
        "add",
        "m",
        "2023",
        "999",
        "--published",
        "2024-05-01",
    ]);
    let list = w.ok(&["obs", "list", "m", "--history", "--format", "json"]);
    let list: Value = serde_json::from_str(&list).unwrap();
    let wrong = list["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["value"] == 999.0)
        .unwrap()["id"]
        .to_string();
    w.ok(&["obs", "retract", &wrong, "--why", "typed wrong"]);
    agrees_with_report(&w, "2026-06-30");
}

/// On the second clock too: entries recorded late, retractions recorded
/// after the value had counted for a while, a retraction recorded before
/// the value was published.
#[test]
fn an_as_recorded_history_agrees_with_the_as_recorded_report() {
    let mut toml = String::from(
        "version = 1\n\
         [[indicator]]\nid = \"s\"\nname = \"S\"\nunit = \"t\"\n\n\
         [[target]]\nid = \"s-up\"\nindicator = \"s\"\nbaseline = \"2015\"\nvalue = 160\ndeadline = \"2026\"\nrecorded = \"2016-01-05T09:00:00Z\"\n",
    );
    for y in 2015..2024 {
        let v = 100.0 + 5.0 * (y - 2015) as f64;
        // published in March, recorded in May of the next year
        toml.push_str(&format!(
            "\n[[observation]]\nindicator = \"s\"\nperiod = \"{y}\"\nvalue = {v}\npublished = \"{n}-03-01\"\nrecorded = \"{n}-05-02T10:00:00Z\"\n",
            n = y + 1
        ));
        if y % 3 == 0 {
            // a wrong entry recorded first, retracted in the autumn
            toml.push_str(&format!(
                "\n[[observation]]\nindicator = \"s\"\nperiod = \"{y}\"\nvalue = {}\npublished = \"{n}-03-01\"\nrecorded = \"{n}-04-01T10:00:00Z\"\nretracted = \"{n}-10-01T10:00:00Z\"\nretracted_why = \"typo\"\n",
                v * 3.0,
                n = y + 1
            ));
        }
        if y % 3 == 1 {
            // entered before its publication date, retracted after it: it
            // counts from its publication until the retraction
            toml.push_str(&format!(
                "\n[[observation]]\nindicator = \"s\"\nperiod = \"{y}\"\nvalue = {}\npublished = \"{n}-06-01\"\nrecorded = \"{n}-01-10T10:00:00Z\"\nretracted = \"{n}-11-01T10:00:00Z\"\nretracted_why = \"wrong series\"\n",
                v * 2.0,
                n = y + 1
            ));
        }
        if y % 4 == 1 {
            // retracted before its publication date: never counts
            toml.push_str(&format!(
                "\n[[observation]]\nindicator = \"s\"\nperiod = \"{y}\"\nvalue = 1\npublished = \"{n}-12-01\"\nrecorded = \"{n}-01-10T10:00:00Z\"\nretracted = \"{n}-02-10T10:00:00Z\"\nretracted_why = \"wrong file\"\n",
                n = y + 1
            ));
        }
    }
    let w = Workdir::new();
    let f = w.file("recorded.toml", toml);
    w.ok(&["import", f.to_str().unwrap()]);
    agrees_on_clock(&w, "2026-06-30", &["--as-recorded"]);
}
