//! Atomicity (issue 5, part 1): every command is one transaction; an import
//! takes all its rows or none, even when the process is killed half-way;
//! a failed import leaves the database byte for byte as it was. And
//! nothing is ever overwritten.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Workdir, bin};

/// Opens the database as SQLite would after a crash (replaying or
/// discarding the write-ahead log), checks it, and counts observations.
fn checked_count(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("the database opens");
    let integrity: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign key problems");
    c.query_row("SELECT count(*) FROM observation", [], |r| r.get(0))
        .unwrap()
}

fn wal_of(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-wal");
    PathBuf::from(p)
}

/// A CSV of `rows` valid observations of indicator `x`.
fn csv(rows: usize) -> String {
    let mut s = String::with_capacity(rows * 48);
    s.push_str("indicator,period,value,source,note\n");
    for i in 0..rows {
        writeln!(
            s,
            "x,{}-{:02},{i}.5,source {},row {i}",
            2001 + i % 24,
            1 + i % 12,
            i % 7
        )
        .unwrap();
    }
    s
}

fn with_indicator() -> Workdir {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.flow_indicator("x", "USD");
    w.ok(&["obs", "add", "x", "2000", "1"]);
    w
}

/// When to kill the import.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// After a fixed time: while the CSV is still being read.
    After(Duration),
    /// Once the open transaction has spilled this many bytes of pages into
    /// the write-ahead log: in the middle of writing, long before commit.
    WalBytes(u64),
}

#[test]
fn an_import_killed_midway_leaves_a_sound_database_with_none_of_its_rows() {
    const ROWS: usize = 300_000;
    let w = with_indicator();
    let file = w.file("big.csv", csv(ROWS));
    let wal = wal_of(&w.db);
    let mut killed_while_writing = 0;
    for at in [
        KillAt::After(Duration::from_millis(150)),
        KillAt::WalBytes(1),
        KillAt::WalBytes(6 << 20),
    ] {
        let before = checked_count(&w.db);
        let mut child = Command::new(bin())
            .arg("--db")
            .arg(&w.db)
            .arg("obs")
            .arg("import")
            .arg(&file)
            .env_remove("GOALPOST_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut wal_seen = 0;
        while child.try_wait().unwrap().is_none() {
            wal_seen = std::fs::metadata(&wal).map_or(0, |m| m.len());
            let now = match at {
                KillAt::After(d) => start.elapsed() >= d,
                KillAt::WalBytes(n) => wal_seen >= n,
            };
            if now {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{at:?}: too slow"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let running = child.try_wait().unwrap().is_none();
        eprintln!(
            "{at:?}: running {running} after {:?}, WAL {wal_seen} bytes",
            start.elapsed()
        );
        child.kill().unwrap_or(()); // SIGKILL on Unix; no chance to clean up
        child.wait().unwrap();
        let after = checked_count(&w.db);
        assert!(
            after == before || after == before + ROWS as i64,
            "{at:?}: {before} rows before, {after} after: a partial import"
        );
        if running && matches!(at, KillAt::WalBytes(_)) {
            assert!(wal_seen > 0);
            assert_eq!(after, before, "{at:?}: killed while writing, yet committed");
            killed_while_writing += 1;
        }
        // goalpost agrees, and goes on working
        assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
    }
    assert!(
        killed_while_writing >= 1,
        "no kill landed while the import was writing"
    );
    w.ok(&["obs", "add", "x", "2000-02", "2"]);
    assert_eq!(checked_count(&w.db), 2);
}

#[test]
fn a_bad_last_row_of_a_large_csv_leaves_the_database_byte_for_byte_unchanged() {
    const ROWS: usize = 20_000;
    let w = with_indicator();
    let mut text = csv(ROWS);
    text.push_str("x,2030,12 apples,,\n");
    let file = w.file("big.csv", text);
    let (bytes, dump) = (w.db_bytes(), w.dump());
    // the 20,000 rows before it were written inside the transaction, then
    // rolled back
    w.refuses(
        1,
        &["obs", "import", file.to_str().unwrap()],
        &format!("big.csv:{}:3: invalid quantity '12 apples'", ROWS + 2),
    );
    assert!(w.db_bytes() == bytes, "the database file changed");
    assert_eq!(w.dump(), dump);
    assert!(!wal_of(&w.db).exists() || checked_count(&w.db) == 1);
}

#[test]
fn a_large_import_takes_every_row() {
    const ROWS: usize = 20_000;
    let w = with_indicator();
    let file = w.file("big.csv", csv(ROWS));
    let out = w.ok(&["obs", "import", file.to_str().unwrap()]);
    assert!(out.starts_with("imported 20000 observations"), "{out}");
    assert_eq!(checked_count(&w.db), 1 + ROWS as i64);
}

#[test]
fn a_data_set_failing_while_it_is_stored_leaves_the_database_byte_for_byte_unchanged() {
    let w = with_indicator();
    let mut data = String::from("version = 1\n");
    for i in 0..3 {
        write!(
            data,
            "[[indicator]]\nid = \"new{i}\"\nname = \"New {i}\"\nunit = \"USD\"\n\n"
        )
        .unwrap();
    }
    data.push_str(
        "[[target]]\nid = \"t-new\"\nindicator = \"new0\"\nvalue = \"7bn\"\ndeadline = \"2030\"\n\n",
    );
    for i in 0..500 {
        write!(
            data,
            "[[observation]]\nindicator = \"new{}\"\nperiod = \"{}\"\nvalue = \"{i}m\"\n\n",
            i % 3,
            1900 + i / 3
        )
        .unwrap();
    }
    // valid on its own, but observation 1 is already in the database: the
    // store finds it after everything above was written
    data.push_str("[[observation]]\nid = 1\nindicator = \"x\"\nperiod = \"2001\"\nvalue = 5\n");
    let line = data.lines().count() - 3;
    let file = w.file("d.toml", &data);
    let (bytes, dump) = (w.db_bytes(), w.dump());
    w.refuses(
        1,
        &["import", file.to_str().unwrap()],
        &format!("d.toml:{line}:1: observation '1' already exists"),
    );
    assert!(w.db_bytes() == bytes, "the database file changed");
    assert_eq!(w.dump(), dump);
    // without the clash it all goes in
    let fixed = data.replace("id = 1\n", "");
    let file = w.file("d.toml", fixed);
    w.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(checked_count(&w.db), 502);
}

#[test]
fn nothing_is_ever_overwritten() {
    let w = with_indicator();
    // a new value for the same period is a new vintage
    w.ok(&["obs", "add", "x", "2000", "2", "--published", "2001-03-01"]);
    w.ok(&["obs", "retract", "1", "--why", "typo"]);
    let json: serde_json::Value =
        serde_json::from_str(&w.ok(&["obs", "list", "--history", "--format", "json"])).unwrap();
    let obs = json["observations"].as_array().unwrap();
    assert_eq!(obs.len(), 2, "{json}");
    assert_eq!(obs[0]["value"], 1.0);
    assert!(!obs[0]["retracted"].is_null(), "{json}");
    assert_eq!(obs[1]["value"], 2.0);
    // a revised target keeps its first version
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
    w.ok(&[
        "target",
        "revise",
        "t",
        "--value",
        "9bn",
        "--source",
        "decree 2",
        "--effective",
        "2023-01-01",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&w.ok(&["target", "list", "--history", "--format", "json"])).unwrap();
    let values: Vec<f64> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [7e9, 9e9]);
    // an import never replaces what is there
    let dump = w.dump();
    let clash = w.file(
        "d.toml",
        "version = 1\n[[indicator]]\nid = \"x\"\nname = \"Other\"\nunit = \"EUR\"\n",
    );
    w.refuses(
        1,
        &["import", clash.to_str().unwrap()],
        "indicator 'x' already exists",
    );
    assert_eq!(w.dump(), dump);
    // a backup never replaces a file
    let existing = w.file("backup.db", "precious");
    w.refuses(
        1,
        &["db", "backup", existing.to_str().unwrap()],
        "already exists",
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"precious");
}
