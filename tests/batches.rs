//! Corrections without rewriting history (issue 11, points 10 and 11),
//! through the binary: importing the same rows again stores nothing; every
//! import is a batch that `obs list --batch` shows and `obs retract
//! --batch` undoes; `obs retract` takes several ids, all or none.

mod common;

use common::{Workdir, fixtures};
use serde_json::Value;

fn json(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

/// An indicator `x` (USD, flow) with a level target, and a CSV of three
/// rows for it.
fn setup() -> (Workdir, std::path::PathBuf) {
    let w = Workdir::new();
    w.flow_indicator("x", "USD");
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "x",
        "--baseline",
        "2020",
        "--value",
        "200",
        "--deadline",
        "2030",
    ]);
    let csv = w.file(
        "obs.csv",
        "indicator,period,value,source,url,published,note\n\
         x,2020,100,Ministry,https://example.org,2021-02-01,\n\
         x,2021,110,Ministry,https://example.org,2022-02-01,\n\
         x,2022,130,Ministry,https://example.org,2023-02-01,provisional\n",
    );
    (w, csv)
}

fn ids(list: &Value) -> Vec<i64> {
    list["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_row_identical_to_a_stored_vintage_is_skipped_and_counted() {
    let (w, csv) = setup();
    let path = csv.to_str().unwrap();
    assert_eq!(
        w.ok(&["obs", "import", path]),
        format!("imported 3 observations from {path} as batch 1\n")
    );
    let before = w.dump();
    assert_eq!(
        w.ok(&["obs", "import", path]),
        format!("imported 0 observations from {path} (3 unchanged)\n")
    );
    assert_eq!(
        w.ok(&["obs", "import", path, "--dry-run"]),
        format!("would import 0 observations from {path} (3 unchanged)\n")
    );
    assert_eq!(w.dump(), before, "a re-import changes nothing");
    // any field that differs is a new vintage: the value, the note, the
    // source's address, the publication date
    let changed = w.file(
        "changed.csv",
        "indicator,period,value,source,url,published,note\n\
         x,2020,100,Ministry,https://example.org,2021-02-01,\n\
         x,2021,111,Ministry,https://example.org,2022-02-01,\n\
         x,2022,130,Ministry,https://example.org,2023-02-01,final\n\
         x,2020,100,Ministry,https://example.org/v2,2021-02-01,\n\
         x,2020,100,Ministry,https://example.org,2021-03-01,\n",
    );
    let out = w.ok(&["obs", "import", changed.to_str().unwrap()]);
    assert!(
        out.ends_with("as batch 2 (2 unchanged)\n") && out.starts_with("imported 3 observations"),
        "{out}"
    );
    // (the first row is as stored; the last restates, published later,
    // what was in force then). The same with a row published after the
    // vintage it repeats superseded another:
    let later = w.file(
        "later.csv",
        "indicator,period,value,source,url,published,note\n\
         x,2022,130,Ministry,https://example.org,2023-06-01,final\n",
    );
    let out = w.ok(&["obs", "import", later.to_str().unwrap()]);
    assert!(out.ends_with("(1 unchanged)\n"), "{out}");
    // a value that goes back to an earlier one is a change, not a repeat
    let back = w.file(
        "back.csv",
        "indicator,period,value,source,url,published,note\n\
         x,2021,110,Ministry,https://example.org,2022-06-01,\n",
    );
    let out = w.ok(&["obs", "import", back.to_str().unwrap()]);
    assert!(out.starts_with("imported 1 observation from"), "{out}");
    let history = json(&w, &["obs", "list", "--history", "--format", "json"]);
    assert_eq!(history["observations"].as_array().unwrap().len(), 7);
    // a retracted vintage does not count: the same rows again are stored
    w.ok(&["obs", "retract", "--batch", "1", "--why", "wrong file"]);
    let out = w.ok(&["obs", "import", csv.to_str().unwrap()]);
    assert!(out.starts_with("imported 3 observations from"), "{out}");
}

#[test]
fn the_published_formats_skip_and_count_unchanged_rows_too() {
    let w = Workdir::new();
    w.ok(&["init"]);
    let file = fixtures().join("import/sdmx-csv/v2.csv");
    let args = [
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        "--create",
        file.to_str().unwrap(),
    ];
    let out = w.ok(&args);
    assert!(
        out.contains("(sdmx-csv) as batch 1: 3 indicators created"),
        "{out}"
    );
    let before = w.dump();
    let out = w.ok(&args);
    assert!(
        out.contains(
            "(sdmx-csv): 0 indicators created, 0 targets created, 0 observations added (6 unchanged"
        ),
        "{out}"
    );
    assert_eq!(w.dump(), before);
    let batches = json(&w, &["obs", "batches", "--format", "json"]);
    assert_eq!(batches["batches"].as_array().unwrap().len(), 1);
    assert_eq!(batches["batches"][0]["format"], "sdmx-csv");
    assert_eq!(batches["batches"][0]["added"], 6);
}

#[test]
fn every_import_is_a_batch_listed_with_its_counts() {
    let (w, csv) = setup();
    let path = csv.to_str().unwrap();
    // one at a time is not a batch
    w.ok(&["obs", "add", "x", "2019", "95"]);
    assert_eq!(
        json(&w, &["obs", "batches", "--format", "json"])["batches"],
        Value::Array(vec![])
    );
    // a dry run records none
    w.ok(&["obs", "import", path, "--dry-run"]);
    assert_eq!(
        w.ok(&["obs", "batches", "--format", "csv"]),
        "batch,recorded,input,format,added,unchanged,retracted\n"
    );
    w.ok(&["obs", "import", path]);
    let data = w.file(
        "d.toml",
        "version = 1\n[[observation]]\nindicator = \"x\"\nperiod = \"2023\"\nvalue = 150\n",
    );
    assert_eq!(
        w.ok(&["import", data.to_str().unwrap()]),
        "imported 0 indicators, 0 targets, 1 observations as batch 2\n"
    );
    let batches = json(&w, &["obs", "batches", "--format", "json"]);
    let b = batches["batches"].as_array().unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0]["id"], 1);
    assert_eq!(b[0]["input"], path);
    assert_eq!(b[0]["format"], "csv");
    assert_eq!(b[0]["added"], 3);
    assert_eq!(b[0]["unchanged"], 0);
    assert_eq!(b[0]["retracted"], 0);
    assert_eq!(b[1]["format"], "dataset");
    assert_eq!(b[1]["added"], 1);
    let table = w.ok(&["obs", "batches"]);
    assert!(table.contains("│ batch │ recorded"), "{table}");
    // obs list --batch: that batch's rows alone, superseded or not
    let list = json(&w, &["obs", "list", "--batch", "1", "--format", "json"]);
    assert_eq!(ids(&list), vec![2, 3, 4]);
    let one = json(
        &w,
        &["obs", "list", "x", "--batch", "2", "--format", "json"],
    );
    assert_eq!(ids(&one), vec![5]);
    w.refuses(1, &["obs", "list", "--batch", "9"], "no import batch '9'");
    w.refuses(
        1,
        &["obs", "list", "--batch", "x"],
        "invalid import batch id 'x': a positive number",
    );
}

#[test]
fn a_batch_is_retracted_in_one_go_and_its_times_serve_the_second_clock() {
    let (w, csv) = setup();
    w.ok(&["obs", "add", "x", "2023", "140"]);
    w.ok(&["obs", "import", csv.to_str().unwrap()]);
    let recorded = |w: &Workdir| -> Vec<(i64, String, Value)> {
        json(w, &["obs", "list", "--history", "--format", "json"])["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["id"].as_i64().unwrap(),
                    o["recorded"].as_str().unwrap().to_string(),
                    o["retracted"].clone(),
                )
            })
            .collect()
    };
    let before = recorded(&w);
    let out = w.ok(&["obs", "retract", "--batch", "1", "--why", "wrong file"]);
    assert!(
        out.starts_with(&format!(
            "retracted 3 observations of batch 1 ({}, imported ",
            csv.display()
        )),
        "{out}"
    );
    let after = recorded(&w);
    for ((id, was, _), (_, is, retracted)) in before.iter().zip(&after) {
        // the time of entry is kept; the retraction has its own
        assert_eq!(was, is);
        if *id == 1 {
            assert_eq!(*retracted, Value::Null);
        } else {
            assert_eq!(retracted["why"], "wrong file");
            assert!(retracted["at"].as_str().unwrap() >= is.as_str());
        }
    }
    // only observation 1 (added alone) still counts
    assert_eq!(
        ids(&json(&w, &["obs", "list", "--format", "json"])),
        vec![1]
    );
    let report = |args: &[&str]| -> Value {
        let mut all = vec!["report", "--format", "json"];
        all.extend_from_slice(args);
        json(&w, &all)["targets"][0].clone()
    };
    // nothing left to retract
    w.refuses(
        1,
        &["obs", "retract", "--batch", "1", "--why", "again"],
        "import batch 1 has nothing left to retract: its 3 observations are retracted already",
    );
    w.refuses(
        1,
        &["obs", "retract", "--batch", "7", "--why", "x"],
        "no import batch '7'",
    );
    // the second clock: with the target and the rows entered in 2023 and
    // the batch retracted in August 2024, a report printed in June 2024
    // had the batch's values
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch(
            "UPDATE target_version SET recorded = '2023-01-10T09:00:00Z';
             UPDATE observation SET recorded = '2023-03-01T09:00:00Z';
             UPDATE observation SET retracted = '2024-08-10T10:00:00Z' WHERE retracted IS NOT NULL;",
        )
        .unwrap();
    }
    let then = report(&["--as-of", "2024-06-30", "--as-recorded"]);
    assert_eq!(then["latest"]["value"], 140.0);
    assert_eq!(then["baseline"]["value"], 100.0);
    assert_eq!(then["baseline"]["period"], "2020");
    // without the batch, the baseline falls to the next later value, 2023
    let now = report(&["--as-of", "2024-06-30"]);
    assert_eq!(now["baseline"]["period"], "2023", "{now}");
    let later = report(&["--as-of", "2024-12-31", "--as-recorded"]);
    assert_eq!(later["baseline"]["period"], "2023", "{later}");
}

#[test]
fn several_ids_are_retracted_all_or_none() {
    let (w, csv) = setup();
    w.ok(&["obs", "import", csv.to_str().unwrap()]);
    let before = w.dump();
    w.refuses(
        1,
        &["obs", "retract", "1", "9", "2", "--why", "typo"],
        "no observation '9'",
    );
    w.refuses(
        1,
        &["obs", "retract", "1", "x2", "--why", "typo"],
        "invalid observation id 'x2'",
    );
    assert_eq!(w.dump(), before, "nothing retracted when one id is wrong");
    assert_eq!(
        w.ok(&["obs", "retract", "1", "3", "1", "--why", "typo"]),
        "retracted observations 1, 3\n"
    );
    w.refuses(
        1,
        &["obs", "retract", "2", "3", "--why", "typo"],
        "observation 3 was already retracted at",
    );
    assert_eq!(
        w.ok(&["obs", "retract", "2", "--why", "typo"]),
        "retracted observation 2\n"
    );
    w.refuses(2, &["obs", "retract", "--why", "typo"], "<ID>");
    w.refuses(
        2,
        &["obs", "retract", "2", "--batch", "1", "--why", "typo"],
        "cannot be used with",
    );
}

#[test]
fn a_file_from_before_batches_is_upgraded_and_its_observations_belong_to_no_batch() {
    let (w, csv) = setup();
    w.ok(&["obs", "add", "x", "2019", "95"]);
    // the file as it was before batches were recorded
    common::downgrade(&w.db, 7);
    let out = w.ok(&["obs", "import", csv.to_str().unwrap()]);
    assert!(out.ends_with("as batch 1\n"), "{out}");
    assert_eq!(
        ids(&json(
            &w,
            &["obs", "list", "--batch", "1", "--format", "json"]
        )),
        vec![2, 3, 4]
    );
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}
