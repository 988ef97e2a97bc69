//! The packed copy of each indicator's vintages (schema migrations 10 and 11,
//! src/store/series.rs): a report reads one row per indicator, and gives
//! exactly what it gives reading the observation rows themselves; a copy
//! is never read stale, whoever changed the rows; a damaged copy is an
//! error that `db check` finds, never a silent verdict.

mod common;

use common::{Workdir, downgrade};

fn sql(w: &Workdir, statements: &str) {
    let c = rusqlite::Connection::open(&w.db).unwrap();
    c.execute_batch(statements).unwrap();
}

fn count(w: &Workdir, query: &str) -> i64 {
    let c = rusqlite::Connection::open(&w.db).unwrap();
    c.query_row(query, [], |r| r.get(0)).unwrap()
}

/// The seed, plus vintages of every kind a copy packs: qualifiers, flags,
/// a retraction with its reason, a value published after the report's
/// date, an unpublished one, months and quarters beside years, a fiscal
/// year, a revision of the same period, and a value of several thousand
/// million (eight bytes of a float, whole).
fn varied() -> Workdir {
    let w = Workdir::seeded();
    w.flow_indicator("x", "USD");
    w.ok(&[
        "target",
        "add",
        "tx",
        "--indicator",
        "x",
        "--baseline",
        "2019=100",
        "--value",
        "160",
        "--deadline",
        "2026",
    ]);
    for args in [
        &[
            "obs",
            "add",
            "x",
            "2019",
            "100",
            "--published",
            "2020-02-01",
        ][..],
        &[
            "obs",
            "add",
            "x",
            "2020",
            "104.25",
            "--qualifier",
            "about",
            "--published",
            "2021-02-01",
        ],
        &[
            "obs",
            "add",
            "x",
            "2021",
            "111",
            "--flag",
            "provisional",
            "--published",
            "2022-01-15",
        ],
        &[
            "obs",
            "add",
            "x",
            "2021",
            "112.5",
            "--flag",
            "break",
            "--flag",
            "estimated",
            "--published",
            "2022-06-30",
        ],
        &[
            "obs",
            "add",
            "x",
            "2022",
            "9.87654321e9",
            "--qualifier",
            "more_than",
            "--published",
            "2023-03-01",
        ],
        &[
            "obs",
            "add",
            "x",
            "2023-01..2023-06",
            "61",
            "--published",
            "2023-08-01",
        ],
        &["obs", "add", "x", "2023-Q3", "33"],
        &[
            "obs",
            "add",
            "x",
            "2023-Q4",
            "34",
            "--published",
            "2026-10-01",
        ],
        &[
            "obs",
            "add",
            "x",
            "2024",
            "150",
            "--published",
            "2030-01-01",
        ],
    ] {
        w.ok(args);
    }
    let id = count(
        &w,
        "SELECT max(id) FROM observation WHERE indicator_id = 'x' AND period = '2022'",
    );
    w.ok(&[
        "obs",
        "retract",
        &id.to_string(),
        "--why",
        "a typo: 9.88bn for 98.8",
    ]);
    w.ok(&[
        "obs",
        "add",
        "x",
        "2022",
        "128.8",
        "--published",
        "2023-03-02",
    ]);
    w.ok(&[
        "indicator",
        "add",
        "fy",
        "--name",
        "FY",
        "--unit",
        "GBP",
        "--measure",
        "flow",
        "--year-start",
        "04",
    ]);
    w.ok(&[
        "target",
        "add",
        "tfy",
        "--indicator",
        "fy",
        "--baseline",
        "FY2019=800",
        "--value",
        "900",
        "--deadline",
        "FY2025",
    ]);
    w.ok(&[
        "obs",
        "add",
        "fy",
        "2019/20",
        "812",
        "--published",
        "2020-06-01",
    ]);
    w.ok(&[
        "obs",
        "add",
        "fy",
        "FY2022",
        "851.5",
        "--published",
        "2022-06-01",
    ]);
    w
}

/// Target tx's row in a JSON report.
fn tx_of(json: &str) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    let targets = report["targets"].as_array().unwrap();
    targets.iter().find(|t| t["id"] == "tx").unwrap().clone()
}

/// `goalpost ARGS…` on a copy of the database without packed copies:
/// every indicator read row by row.
fn row_by_row(w: &Workdir, args: &[&str]) -> String {
    let copy = w.path("copy.db");
    let _ = std::fs::remove_file(&copy);
    w.ok(&["db", "backup", copy.to_str().unwrap()]);
    let c = rusqlite::Connection::open(&copy).unwrap();
    c.execute_batch("DELETE FROM series").unwrap();
    drop(c);
    let out = std::process::Command::new(common::bin())
        .arg("--db")
        .arg(&copy)
        .args(args)
        .env_remove("GOALPOST_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What every reader of the vintages shows, on dates before, between and
/// after the publications, by every method.
fn views(w: &Workdir) -> Vec<String> {
    let mut out = Vec::new();
    for as_of in ["2021-06-30", "2022-03-01", "2023-12-31", "2026-11-28"] {
        out.push(w.ok(&["report", "--as-of", as_of, "--format", "json"]));
        out.push(w.ok(&[
            "report", "--as-of", as_of, "--method", "all", "--format", "json",
        ]));
        out.push(w.ok(&[
            "report",
            "--as-of",
            as_of,
            "--format",
            "csv",
            "--group-by",
            "programme",
        ]));
        out.push(w.ok(&[
            "target", "list", "--as-of", as_of, "--status", "on_track", "--format", "json",
        ]));
    }
    out.push(w.ok(&["show", "tx", "--as-of", "2026-11-28", "--format", "json"]));
    out
}

#[test]
fn a_report_from_the_packed_copies_is_the_report_from_the_rows() {
    let w = varied();
    let indicators = count(&w, "SELECT count(DISTINCT indicator_id) FROM observation");
    assert_eq!(
        count(&w, "SELECT count(*) FROM series WHERE length(rows) > 1"),
        indicators,
        "every indicator with observations has a fresh copy after the writes"
    );
    let packed = views(&w);
    // no copy at all: every indicator is read row by row
    sql(&w, "DELETE FROM series");
    let read = views(&w);
    for (p, r) in packed.iter().zip(&read) {
        assert_eq!(p, r);
    }
    // the numbers are the ones stored, the retraction and the break kept
    let report: serde_json::Value = serde_json::from_str(&packed[12]).unwrap();
    let tx = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "tx")
        .unwrap();
    // the first half, Q3 and Q4 of 2023 tile the year (Q4 published in
    // October 2026): 61 + 33 + 34 = 128, a derived value
    assert_eq!(tx["latest"]["period"], "2023");
    assert_eq!(tx["latest"]["derived"], true);
    assert_eq!(tx["latest"]["value"], 128.0);
    // progress (128 − 100) / (160 − 100)
    assert!((tx["progress"].as_f64().unwrap() - 28.0 / 60.0).abs() < 1e-12);
    // the later vintage of 2021 is in force, and flags a break
    assert!(tx["notes"][0].as_str().unwrap().starts_with(
        "break in series between the baseline (2019) and the latest value (2023): 2021 flagged"
    ));
    // on 2023-12-31 the retracted 9.88bn is not counted: 2022 is its
    // restatement, 128.8, and the 2023 quarters are not all published
    let then: serde_json::Value = serde_json::from_str(&packed[8]).unwrap();
    let tx = then["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "tx")
        .unwrap();
    assert_eq!(tx["latest"]["period"], "2022");
    assert_eq!(tx["latest"]["value"], 128.8);
}

#[test]
fn a_change_by_another_sqlite_client_is_read_at_once() {
    let w = varied();
    let before = w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(tx_of(&before)["latest"]["value"], 128.0);
    // the shell edits a value: the copy is marked stale by the trigger
    sql(
        &w,
        "UPDATE observation SET value = 39 WHERE indicator_id = 'x' AND period = '2023-Q3'",
    );
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM series WHERE indicator_id = 'x' AND rows IS NULL"
        ),
        1
    );
    let after = w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    let tx = tx_of(&after);
    // 61 + 39 + 34 = 134; progress (134 − 100) / (160 − 100)
    assert_eq!(tx["latest"]["value"], 134.0);
    assert!((tx["progress"].as_f64().unwrap() - 34.0 / 60.0).abs() < 1e-12);
    // a deleted row and an inserted one, likewise
    sql(
        &w,
        "DELETE FROM observation WHERE indicator_id = 'fy' AND value = 851.5",
    );
    assert_eq!(
        count(&w, "SELECT count(*) FROM series WHERE rows IS NULL"),
        2
    );
    // goalpost's next write packs the stale copies again
    w.ok(&["indicator", "add", "z", "--name", "Z", "--unit", "t"]);
    assert_eq!(
        count(&w, "SELECT count(*) FROM series WHERE rows IS NULL"),
        0
    );
    assert_eq!(
        w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]),
        row_by_row(&w, &["report", "--as-of", "2026-11-28", "--format", "json"])
    );
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_damaged_copy_is_an_error_and_db_check_names_it() {
    let w = varied();
    sql(
        &w,
        "UPDATE series SET rows = X'01FF' WHERE indicator_id = 'x'",
    );
    let err = w.fails(1, &["report", "--as-of", "2026-11-28"]);
    assert!(
        err.contains("damaged packed copy of indicator 'x'"),
        "{err}"
    );
    let out = w.run(&["db", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "series: the packed copy of indicator 'x' differs from its observations\n"
    );
    // a copy that unpacks but holds another value is found too
    sql(&w, "UPDATE series SET rows = NULL WHERE indicator_id = 'x'");
    w.ok(&["indicator", "add", "z", "--name", "Z", "--unit", "t"]);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
    let fy: Vec<u8> = {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.query_row(
            "SELECT rows FROM series WHERE indicator_id = 'fy'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let c = rusqlite::Connection::open(&w.db).unwrap();
    c.execute("UPDATE series SET rows = ?1 WHERE indicator_id = 'x'", [fy])
        .unwrap();
    drop(c);
    let out = w.run(&["db", "check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "series: the packed copy of indicator 'x' differs from its observations\n"
    );
}

#[test]
fn the_upgrade_packs_the_copies_of_a_version_9_file() {
    let w = varied();
    let before = views(&w);
    downgrade(&w.db, 9);
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM sqlite_master WHERE name = 'series'"
        ),
        0
    );
    // the first command, a read, upgrades the file and packs every copy
    let after = views(&w);
    assert_eq!(
        count(&w, "PRAGMA user_version"),
        goalpost::store::SCHEMA_VERSION
    );
    assert_eq!(
        count(&w, "SELECT count(*) FROM series WHERE rows IS NULL"),
        0
    );
    assert_eq!(
        count(&w, "SELECT count(*) FROM series"),
        count(&w, "SELECT count(*) FROM indicator")
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
}

#[test]
fn the_upgrade_to_version_12_puts_what_a_report_reads_of_a_target_in_its_index() {
    let w = varied();
    let before = views(&w);
    downgrade(&w.db, 11);
    let columns = |w: &Workdir| {
        count(
            w,
            "SELECT count(*) FROM pragma_index_info('target_by_indicator')",
        )
    };
    assert_eq!(columns(&w), 2);
    let after = views(&w);
    assert_eq!(
        count(&w, "PRAGMA user_version"),
        goalpost::store::SCHEMA_VERSION
    );
    assert_eq!(columns(&w), 5);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
}

#[test]
fn the_upgrade_to_version_11_packs_every_copy_again_in_the_new_layout() {
    let w = varied();
    let before = views(&w);
    // a version 10 file: its copies in layout 1, which this goalpost does
    // not read (a layout-1 copy read as layout 2 would be damage)
    downgrade(&w.db, 10);
    sql(&w, "UPDATE series SET rows = X'01' || randomblob(40)");
    let after = views(&w);
    assert_eq!(
        count(&w, "PRAGMA user_version"),
        goalpost::store::SCHEMA_VERSION
    );
    // every copy packed again, first byte the layout
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM series WHERE rows IS NULL OR substr(rows, 1, 1) <> X'02'"
        ),
        0
    );
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_dry_run_and_a_failed_import_leave_the_copies_as_they_were() {
    let w = varied();
    let before = copies(&w);
    let csv = w.file("o.csv", "indicator,period,value\nx,2025,155\nx,2026,oops\n");
    w.fails(1, &["obs", "import", csv.to_str().unwrap()]);
    assert_eq!(copies(&w), before);
    let good = w.file("g.csv", "indicator,period,value\nx,2025,155\n");
    w.ok(&["obs", "import", good.to_str().unwrap(), "--dry-run"]);
    assert_eq!(copies(&w), before);
    w.ok(&["obs", "import", good.to_str().unwrap()]);
    assert_ne!(copies(&w), before);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_damaged_copy_stops_a_report_of_many_batches_with_its_error() {
    // twelve indicators of 10,500 daily values each: a batch each (a batch
    // holds about 8,192 vintages), more than the workers and the channel
    // between them hold at once
    let w = Workdir::new();
    let mut csv = String::from("indicator,period,value\n");
    for i in 1..=12 {
        w.ok(&[
            "indicator",
            "add",
            &format!("d{i}"),
            "--name",
            "D",
            "--unit",
            "t",
        ]);
        w.ok(&[
            "target",
            "add",
            &format!("t{i}"),
            "--indicator",
            &format!("d{i}"),
            "--baseline",
            "2000-01-01=1",
            "--value",
            "9",
            "--deadline",
            "2030",
        ]);
        let mut day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        for n in 0..10_500 {
            csv.push_str(&format!("d{i},{day},{}\n", 1 + n % 7));
            day = day.succ_opt().unwrap();
        }
    }
    let path = w.file("days.csv", csv);
    w.ok(&["obs", "import", path.to_str().unwrap(), "--quiet"]);
    w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    sql(
        &w,
        "UPDATE series SET rows = X'01FF' WHERE indicator_id = 'd1'",
    );
    let out = w
        .cmd()
        .args(["report", "--as-of", "2026-11-28", "--format", "json"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: the database holds a damaged packed copy of indicator 'd1'"),
        "{err}"
    );
}

/// The packed copies, by indicator.
fn copies(w: &Workdir) -> Vec<(String, Option<Vec<u8>>)> {
    let c = rusqlite::Connection::open(&w.db).unwrap();
    let mut s = c
        .prepare("SELECT indicator_id, rows FROM series ORDER BY 1")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
}

/// The insert triggers there are (two: before and after).
fn insert_trigger(w: &Workdir) -> i64 {
    count(
        w,
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
         AND name IN ('series_after_insert', 'series_before_insert')",
    )
}

/// After a write: the insert trigger is there, `db check` finds nothing,
/// and the views read the same through the copies as from the rows.
fn assert_in_step(w: &Workdir) {
    assert_eq!(insert_trigger(w), 2);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
    assert_copies_read_as_rows(w);
}

/// The report's latest value of `x` is the 2025 vintage the test added,
/// 158.5.
fn assert_latest_is_the_added_2025(w: &Workdir) {
    let tx = tx_of(&w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]));
    assert_eq!(tx["latest"]["period"], "2025");
    assert_eq!(tx["latest"]["value"], 158.5);
}

/// The views of [`views`] read through the copies, then from the rows.
fn assert_copies_read_as_rows(w: &Workdir) {
    let packed = views(w);
    let read = Workdir::new();
    w.ok(&["db", "backup", read.db.to_str().unwrap()]);
    sql(&read, "DELETE FROM series");
    for (p, r) in packed.iter().zip(&views(&read)) {
        assert_eq!(p, r);
    }
}

#[test]
fn a_bulk_import_marks_the_copies_it_changes_and_keeps_the_trigger() {
    let w = varied();
    let other: String = rusqlite::Connection::open(&w.db)
        .unwrap()
        .query_row(
            "SELECT indicator_id FROM observation WHERE indicator_id <> 'x' ORDER BY 1 LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let before = copies(&w);
    // an import drops the insert trigger for its transaction and marks
    // the indicators it wrote itself: x and one other, not the rest
    let csv = w.file(
        "o.csv",
        format!(
            "indicator,period,value,published\nx,2024,150,2025-03-01\n{other},2030,1,2031-01-01\n"
        ),
    );
    w.ok(&["obs", "import", csv.to_str().unwrap()]);
    assert_eq!(insert_trigger(&w), 2);
    let after = copies(&w);
    assert_eq!(after.len(), before.len());
    for ((id, b), (_, a)) in before.iter().zip(&after) {
        if id == "x" || *id == other {
            assert_ne!(a, b, "{id}'s copy is packed again with its new row");
        } else {
            assert_eq!(a, b, "{id} was not written");
        }
    }
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
    assert_copies_read_as_rows(&w);
    // a data set's observations go through the same import batch
    let set = w.file(
        "set.toml",
        "version = 1\n\n[[observation]]\nindicator = \"x\"\nperiod = \"2025\"\nvalue = 158.5\npublished = \"2026-01-15\"\n",
    );
    w.ok(&["import", set.to_str().unwrap()]);
    assert_in_step(&w);
    assert_latest_is_the_added_2025(&w);
}

#[test]
fn a_write_puts_back_an_insert_trigger_another_client_dropped() {
    let w = varied();
    // another client drops the trigger and inserts a row: nothing marks
    // x's copy stale
    sql(
        &w,
        "DROP TRIGGER series_after_insert;
         INSERT INTO observation (indicator_id, period, period_start, period_end, value, published,
                                  recorded, grain, start_day, end_day, published_day)
         SELECT indicator_id, '2025', '2025-01-01', '2026-01-01', 158.5, '2025-01-15', recorded,
                grain, 739252, 739617, 739266
         FROM observation WHERE indicator_id = 'x' AND period = '2019'",
    );
    // goalpost's next write, of anything, packs every copy again and
    // creates the trigger again
    w.flow_indicator("y", "USD");
    assert_in_step(&w);
    assert_latest_is_the_added_2025(&w);
}

#[test]
fn a_vintage_replaced_by_another_indicator_s_is_marked_on_both() {
    let w = varied();
    // an INSERT OR REPLACE deletes the row it makes room for without its
    // delete trigger (as the sqlite3 shell does it, without foreign keys):
    // x's 2019 vintage becomes one of fy
    let (id, fy_before) = {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        let id: i64 = c
            .query_row(
                "SELECT id FROM observation WHERE indicator_id = 'x' AND period = '2019'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM observation WHERE indicator_id = 'fy'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        (id, n)
    };
    sql(
        &w,
        &format!(
            "PRAGMA foreign_keys = OFF;
             INSERT OR REPLACE INTO observation (id, indicator_id, period, period_start, period_end,
                                                 value, recorded, grain, start_day, end_day)
             SELECT {id}, 'fy', period, period_start, period_end, value, recorded, grain,
                    start_day, end_day
             FROM observation WHERE indicator_id = 'fy' ORDER BY id LIMIT 1"
        ),
    );
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM observation WHERE indicator_id = 'fy'"
        ),
        fy_before + 1
    );
    let stale: Vec<(String, Option<Vec<u8>>)> = copies(&w)
        .into_iter()
        .filter(|(_, rows)| rows.is_none())
        .collect();
    let ids: Vec<&str> = stale.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["fy", "x"]);
    // read at once from the rows, and packed again by the next write
    assert_copies_read_as_rows(&w);
    w.flow_indicator("y", "USD");
    assert_in_step(&w);
}

#[test]
fn a_published_format_import_and_its_retractions_keep_the_copies_in_step() {
    let w = varied();
    let file = |name: &str| {
        common::fixtures()
            .join("import/sdmx-csv")
            .join(name)
            .to_str()
            .unwrap()
            .to_string()
    };
    // new indicators and their rows, through the import's own marking
    w.ok(&[
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        &file("v2.csv"),
        "--create",
    ]);
    assert_in_step(&w);
    let before = copies(&w);
    // a revision: new vintages, and a row deleted in the file retracted
    // (an update, which its own trigger marks)
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        &file("v2-revised.csv"),
        "--map",
        "SERIES=SI_POV_DAY1,REF_AREA=BY=a.by.si_pov_day1",
        "--published",
        "2023-02-01",
    ]);
    assert!(out.contains("retracted: 1 observation"), "{out}");
    assert_eq!(insert_trigger(&w), 2);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
    let after = copies(&w);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert_eq!(changed, ["a.by.si_pov_day1"]);
    assert_copies_read_as_rows(&w);
}
