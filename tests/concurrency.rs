//! Concurrency (issue 5, part 2): several processes writing to one database
//! at the same time all succeed (WAL, a busy timeout, immediate
//! transactions, a bounded retry), and readers never wait for writers.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{Workdir, bin};

fn goalpost(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GOALPOST_DB")
        .output()
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn four_writers_of_fifty_observations_each_all_succeed() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.flow_indicator("x", "USD");
    let before = count(&w.db, "SELECT count(*) FROM observation");
    let db = w.db.clone();
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    let period = format!("{}-{:02}", 2001 + writer, 1 + i % 12);
                    let value = format!("{}", writer * 1000 + i);
                    let source = format!("writer {writer}");
                    let out = goalpost(
                        &db,
                        &["obs", "add", "x", &period, &value, "--source", &source],
                    );
                    assert!(
                        out.status.success(),
                        "writer {writer}, observation {i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    // a reader all the while
    let reader = {
        let db = db.clone();
        std::thread::spawn(move || {
            for _ in 0..20 {
                let out = goalpost(&db, &["obs", "list", "--history", "--format", "json"]);
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("whole JSON");
            }
        })
    };
    for t in writers {
        t.join().expect("a writer failed");
    }
    reader.join().expect("the reader failed");
    assert_eq!(
        count(&w.db, "SELECT count(*) FROM observation") - before,
        200
    );
    for writer in 0..4 {
        let n = count(
            &w.db,
            &format!(
                "SELECT count(*) FROM observation o JOIN source s ON s.id = o.source_id
                 WHERE s.citation = 'writer {writer}'"
            ),
        );
        assert_eq!(n, 50, "writer {writer}");
    }
    assert_eq!(count(&w.db, "SELECT count(*) FROM source"), 4);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

#[test]
fn four_processes_creating_one_new_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sub").join("new.db");
    let children: Vec<_> = (0..4)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || {
                let id = format!("i{i}");
                goalpost(
                    &db,
                    &["indicator", "add", &id, "--name", "I", "--unit", "t"],
                )
            })
        })
        .collect();
    for c in children {
        let out = c.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        count(&db, "PRAGMA user_version"),
        goalpost::store::SCHEMA_VERSION
    );
    assert_eq!(count(&db, "SELECT count(*) FROM indicator"), 4);
    let out = goalpost(&db, &["db", "check"]);
    assert!(out.status.success());
}

/// Holds a write transaction open on `db` (as another writer mid-import
/// would) with one uncommitted observation, until dropped.
struct HeldWrite(rusqlite::Connection);

impl HeldWrite {
    fn new(db: &Path) -> HeldWrite {
        let c = rusqlite::Connection::open(db).unwrap();
        c.execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO observation (indicator_id, period, period_start, period_end, value, recorded)
             VALUES ('x', '1999', '1999-01-01', '2000-01-01', 99, '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        HeldWrite(c)
    }

    fn commit(self) {
        self.0.execute_batch("COMMIT").unwrap();
    }
}

#[test]
fn readers_never_wait_for_a_writer() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "x",
        "--value",
        "7bn",
        "--deadline",
        "2025",
    ]);
    w.ok(&["obs", "add", "x", "2021", "5bn"]);
    let held = HeldWrite::new(&w.db);
    for args in [
        &["obs", "list", "--history", "--format", "json"][..],
        &["report", "--as-of", "2022-01-01"],
        &["export"],
        &["indicator", "list"],
        &["db", "check"],
    ] {
        let start = Instant::now();
        let out = goalpost(&w.db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // the busy timeout is 10 s: a reader that waited would show it
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{args:?} waited {:?}",
            start.elapsed()
        );
        // and it sees the last committed state, not the writer's work
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("1999"),
            "{args:?} saw an uncommitted row"
        );
    }
    held.commit();
    assert!(w.ok(&["obs", "list", "--history"]).contains("1999"));
}

#[test]
fn a_writer_waits_for_another_writer_then_succeeds() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    let held = HeldWrite::new(&w.db);
    let db = w.db.clone();
    let start = Instant::now();
    let writer = std::thread::spawn(move || goalpost(&db, &["obs", "add", "x", "2021", "5"]));
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        !writer.is_finished(),
        "the writer did not wait for the lock"
    );
    held.commit();
    let out = writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(start.elapsed() >= Duration::from_millis(700));
    assert_eq!(count(&w.db, "SELECT count(*) FROM observation"), 2);
}

#[test]
fn concurrent_imports_each_take_all_their_rows() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    let files: Vec<_> = (0..4)
        .map(|k| {
            let mut csv = String::from("indicator,period,value,source\n");
            for i in 0..50 {
                csv.push_str(&format!("x,{},{i},import {k}\n", 1950 + i));
            }
            w.file(&format!("o{k}.csv"), csv)
        })
        .collect();
    let imports: Vec<_> = files
        .into_iter()
        .map(|f| {
            let db = w.db.clone();
            std::thread::spawn(move || goalpost(&db, &["obs", "import", f.to_str().unwrap()]))
        })
        .collect();
    for i in imports {
        let out = i.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(count(&w.db, "SELECT count(*) FROM observation"), 200);
}
