//! Schema versions and the database's own checks (issue 5, part 3).
//!
//! schema.sql is version 1 and one section per later version. Tested here:
//! an empty file (version 0) brought to the current version, and the
//! upgrade to version 5 (integer periods) on a file made as version 4 had it,
//! and the upgrade that gives indicators their year start (fiscal years).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Workdir, bin, check_refusal};

fn goalpost(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GOALPOST_DB")
        .output()
        .unwrap()
}

/// Every command that opens the database.
fn every_command(dir: &Path) -> Vec<Vec<String>> {
    let data = dir.join("d.toml");
    std::fs::write(&data, "version = 1\n").unwrap();
    let csv = dir.join("o.csv");
    std::fs::write(&csv, "indicator,period,value\n").unwrap();
    let backup = dir.join("copy.db");
    let commands: &[&[&str]] = &[
        &["init"],
        &["indicator", "add", "x", "--name", "X", "--unit", "USD"],
        &["indicator", "list"],
        &["target", "add", "t", "--milestone", "--deadline", "2025"],
        &["target", "list"],
        &["obs", "add", "x", "2021", "5"],
        &["obs", "list"],
        &["obs", "retract", "1", "--why", "typo"],
        &["obs", "import", csv.to_str().unwrap()],
        &["import", data.to_str().unwrap()],
        &["export"],
        &["report"],
        &["show", "t"],
        &["db", "check"],
        &["db", "backup", backup.to_str().unwrap()],
    ];
    commands
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn newer_database(path: &Path, wal: bool) {
    let c = rusqlite::Connection::open(path).unwrap();
    if wal {
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    c.execute_batch(
        "CREATE TABLE observation (id INTEGER PRIMARY KEY, shape_of_the_future BLOB);
         INSERT INTO observation VALUES (1, x'00ff');
         PRAGMA user_version = 99;",
    )
    .unwrap();
}

#[test]
fn a_database_from_a_newer_goalpost_is_refused_by_every_command_and_left_untouched() {
    for wal in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("future.db");
        newer_database(&db, wal);
        let before = std::fs::read(&db).unwrap();
        for args in every_command(dir.path()) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = goalpost(&db, &args);
            let line = check_refusal(
                &out,
                1,
                &format!("{args:?}"),
                &format!(
                    "schema version 99 is newer than this goalpost understands ({})",
                    goalpost::store::SCHEMA_VERSION
                ),
            );
            assert!(line.contains("future.db"), "{line}");
            assert!(
                std::fs::read(&db).unwrap() == before,
                "{args:?} changed the file (WAL: {wal})"
            );
        }
        assert!(!dir.path().join("copy.db").exists());
        let c = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
    }
}

#[test]
fn an_empty_file_is_brought_to_the_current_schema_version() {
    let w = Workdir::new();
    std::fs::write(&w.db, b"").unwrap();
    w.ok(&["init"]);
    let c = rusqlite::Connection::open(&w.db).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, goalpost::store::SCHEMA_VERSION);
    assert_eq!(
        common::UNDO.last().map(|(n, _)| *n),
        Some(v),
        "every migration has its undo in tests/common"
    );
    let journal: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn the_schema_file_ends_at_the_version_the_program_writes() {
    // version 1, then one "-- @migration N: what" section per later version,
    // numbered in order
    let schema = goalpost::store::SCHEMA;
    let marks: Vec<i64> = schema
        .lines()
        .filter_map(|l| l.strip_prefix("-- @migration "))
        .map(|l| l.split(':').next().unwrap().parse().unwrap())
        .collect();
    let expected: Vec<i64> = (2..=goalpost::store::SCHEMA_VERSION).collect();
    assert_eq!(
        marks, expected,
        "schema.sql's migrations are not 2..=SCHEMA_VERSION"
    );
}

fn seeded() -> Workdir {
    let w = Workdir::new();
    let seed = common::fixtures().join("seed.toml");
    w.ok(&["import", seed.to_str().unwrap()]);
    w
}

#[test]
fn db_check_passes_a_sound_database() {
    let w = seeded();
    let out = w.ok(&["db", "check"]);
    assert_eq!(out, format!("{}: ok\n", w.db.display()));
}

#[test]
fn db_check_reports_a_broken_foreign_key() {
    let w = seeded();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.pragma_update(None, "foreign_keys", false).unwrap();
        c.execute(
            "INSERT INTO observation (indicator_id, period, period_start, period_end, value, recorded)
             VALUES ('no-such-indicator', '2021', '2021-01-01', '2022-01-01', 1, '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let out = w.run(&["db", "check"]);
    check_refusal(&out, 1, "db check", "1 problem(s) found");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("foreign key: observation row") && stdout.contains("indicator"),
        "{stdout}"
    );
}

#[test]
fn db_check_reports_a_damaged_index() {
    let w = seeded();
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        // Make the index disagree with its table, as a torn write might.
        c.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master
                SET sql = 'CREATE INDEX observation_by_indicator ON observation (indicator_id, value, period_end)'
              WHERE name = 'observation_by_indicator';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    }
    let out = w.run(&["db", "check"]);
    check_refusal(&out, 1, "db check", "problem(s) found");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("integrity: "), "{stdout}");
}

#[test]
fn db_backup_makes_a_consistent_copy_even_while_another_process_writes() {
    let w = seeded();
    // an uncommitted write in progress elsewhere
    let other = rusqlite::Connection::open(&w.db).unwrap();
    other
        .execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM observation;",
        )
        .unwrap();
    let copy = w.path("copy.db");
    let out = w.ok(&["db", "backup", copy.to_str().unwrap()]);
    assert_eq!(out, format!("backed up to {}\n", copy.display()));
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    // the copy is a sound goalpost database with the same rows
    let check = goalpost(&copy, &["db", "check"]);
    assert!(check.status.success());
    let original = w.dump();
    let mut s = goalpost::store::Store::open(&copy, false).unwrap();
    assert_eq!(s.read(|db| db.dump()).unwrap(), original);
    assert!(original.contains("observation: "));
    // and a report from it is the same
    let args = ["report", "--as-of", "2024-06-30", "--format", "json"];
    assert_eq!(goalpost(&copy, &args).stdout, w.ok(&args).into_bytes());
}

#[test]
fn db_backup_never_overwrites_a_file() {
    let w = seeded();
    let existing = w.file("copy.db", "an older backup");
    w.refuses(
        1,
        &["db", "backup", existing.to_str().unwrap()],
        "copy.db already exists",
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"an older backup");
}

/// The integer period columns of every observation, as the program wrote
/// them (or the migration filled them).
fn period_numbers(db: &Path) -> Vec<(i64, i64, i64, i64, Option<i64>)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT id, grain, start_day, end_day, published_day FROM observation ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn a_version_4_file_gains_integer_periods_that_match_what_the_program_writes() {
    let w = seeded();
    // periods of every form the seed has: years, months, days, ranges
    w.ok(&["obs", "add", "great-stone-residents", "2021-Q3", "100"]);
    w.ok(&[
        "obs",
        "add",
        "great-stone-residents",
        "2021-H2",
        "100",
        "--published",
        "2022-01-05",
    ]);
    w.ok(&[
        "obs",
        "add",
        "great-stone-residents",
        "2021-07..2021-09",
        "100",
    ]);
    let written = period_numbers(&w.db);
    let report = |w: &Workdir| w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    // version 4 knew no programmes, owners or tags
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch(
            "UPDATE target SET programme = NULL, owner = NULL; DELETE FROM target_tag;",
        )
        .unwrap();
    }
    let before = report(&w);
    // the file as version 4 had it: no integer columns, no indexes for
    // them (nor what migration 6 adds)
    common::downgrade(&w.db, 4);
    assert_eq!(report(&w), before, "the upgraded file reports the same");
    assert_eq!(period_numbers(&w.db), written);
    assert!(written.iter().any(|r| r.1 == 2) && written.iter().any(|r| r.1 == 4));
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_file_from_before_fiscal_years_keeps_calendar_years_and_takes_fiscal_ones() {
    let w = seeded();
    // the report as it reads without what later migrations add (the
    // downgrade drops programmes, owners and tags)
    let report = |w: &Workdir| {
        let mut r: serde_json::Value =
            serde_json::from_str(&w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]))
                .unwrap();
        for t in r["targets"].as_array_mut().unwrap() {
            let t = t.as_object_mut().unwrap();
            for later in ["programme", "owner", "tags"] {
                t.remove(later);
            }
        }
        r
    };
    let before = report(&w);
    let indicators = w.ok(&["indicator", "list", "--format", "json"]);
    assert!(indicators.contains("\"year_start\": 1"), "{indicators}");
    // the file as it was before fiscal years: no year_start column
    common::downgrade(&w.db, 5);
    assert_eq!(report(&w), before, "the upgraded file reports the same");
    assert_eq!(w.ok(&["indicator", "list", "--format", "json"]), indicators);
    let c = rusqlite::Connection::open(&w.db).unwrap();
    let (v, all, calendar): (i64, i64, i64) = (
        c.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap(),
        c.query_row("SELECT count(*) FROM indicator", [], |r| r.get(0))
            .unwrap(),
        c.query_row(
            "SELECT count(*) FROM indicator WHERE year_start = 1",
            [],
            |r| r.get(0),
        )
        .unwrap(),
    );
    assert_eq!(v, goalpost::store::SCHEMA_VERSION);
    assert!(all > 0);
    assert_eq!(calendar, all);
    // and the upgraded file takes an indicator counted in fiscal years
    w.ok(&[
        "indicator",
        "add",
        "fy",
        "--name",
        "FY",
        "--unit",
        "GBP",
        "--year-start",
        "04",
    ]);
    let out = w.ok(&["obs", "add", "fy", "FY2010", "5"]);
    assert!(out.contains("fy 2009/10"), "{out}");
    let grain: i64 = c
        .query_row(
            "SELECT grain FROM observation WHERE indicator_id = 'fy'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(grain, 40, "a fiscal year from April");
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_file_from_before_roll_ups_gains_programmes_owners_and_tags_left_empty() {
    let w = seeded();
    w.ok(&[
        "target",
        "edit",
        "agri-food-2025",
        "--programme",
        "",
        "--untag",
        "exports",
    ]);
    let before = w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    // the file as it was before programmes, owners and tags
    common::downgrade(&w.db, 8);
    // every other target of the seed had a programme, owner or tag: the
    // upgraded file has none, and agri-food-2025 reads as before
    let after = w.ok(&["report", "--as-of", "2026-11-28", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&after).unwrap();
    for t in json["targets"].as_array().unwrap() {
        assert_eq!(t["programme"], serde_json::Value::Null);
        assert_eq!(t["owner"], serde_json::Value::Null);
        assert_eq!(t["tags"], serde_json::json!([]));
    }
    let agri = |text: &str| {
        let j: serde_json::Value = serde_json::from_str(text).unwrap();
        j["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "agri-food-2025")
            .cloned()
    };
    assert_eq!(agri(&after), agri(&before));
    let c = rusqlite::Connection::open(&w.db).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, goalpost::store::SCHEMA_VERSION);
    // and the upgraded file files targets
    w.ok(&[
        "target",
        "edit",
        "agri-food-2025",
        "--programme",
        "P",
        "--tag",
        "t",
    ]);
    assert!(
        w.ok(&["target", "list", "--tag", "t", "--format", "csv"])
            .contains("agri-food-2025")
    );
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn a_file_that_keeps_its_text_in_utf16_is_refused_and_left_untouched() {
    // goalpost's merges of ordered reads rely on SQLite ordering text as
    // UTF-8 bytes, as Rust does; a UTF-16 file orders it otherwise
    let w = Workdir::new();
    let c = rusqlite::Connection::open(&w.db).unwrap();
    c.execute_batch("PRAGMA encoding = 'UTF-16le'; CREATE TABLE t (a); DROP TABLE t;")
        .unwrap();
    drop(c);
    let before = std::fs::read(&w.db).unwrap();
    for args in [
        &["init"][..],
        &["import", "fixtures/seed.toml"],
        &["report"],
    ] {
        let out = w.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("error: ") && err.contains("keeps its text in UTF-16le"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read(&w.db).unwrap(), before);
}
