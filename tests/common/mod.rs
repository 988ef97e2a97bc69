//! Shared by the integration tests: an isolated folder per test with its own
//! database, and the real binary run in it (as xsv's tests/workdir.rs does).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub struct Workdir {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Workdir {
    pub fn new() -> Workdir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("goalpost.db");
        Workdir { dir, db }
    }

    /// A work folder whose database holds the seed data set.
    pub fn seeded() -> Workdir {
        let w = Workdir::new();
        let seed = fixtures().join("seed.toml");
        w.ok(&["import", seed.to_str().expect("a UTF-8 path")]);
        w
    }

    /// Adds a flow indicator whose name is its id in capitals (`x` → `X`).
    pub fn flow_indicator(&self, id: &str, unit: &str) {
        let name = id.to_uppercase();
        self.ok(&[
            "indicator",
            "add",
            id,
            "--name",
            &name,
            "--unit",
            unit,
            "--measure",
            "flow",
        ]);
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file in the work folder and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("writing a test file");
        p
    }

    /// The binary with `--db` set to this folder's database, in the same
    /// environment on every machine: a UTF-8 locale, an ordinary terminal
    /// type, and none of the variables that set the width or the colour
    /// (a test that wants one sets it).
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("goalpost").expect("the goalpost binary");
        c.arg("--db").arg(&self.db).env_remove("GOALPOST_DB");
        for var in [
            "COLUMNS",
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "LC_ALL",
            "LC_CTYPE",
        ] {
            c.env_remove(var);
        }
        c.env("LANG", "C.UTF-8").env("TERM", "xterm");
        c
    }

    /// Runs `goalpost ARGS…` and returns its output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("running goalpost")
    }

    /// Runs and asserts success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "goalpost {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs and asserts failure with `code` and one `error:` line; returns
    /// standard error.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "goalpost {args:?}: {stderr}");
        assert!(stderr.starts_with("error:"), "goalpost {args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked"),
            "goalpost {args:?} panicked: {stderr}"
        );
        stderr
    }

    /// Every row of the database, to prove a failed command changed nothing.
    pub fn dump(&self) -> String {
        if !self.db.exists() {
            return String::new();
        }
        let mut s =
            goalpost::store::Store::open(&self.db, false).expect("opening the test database");
        s.read(|db| db.dump()).expect("dumping")
    }
}

/// The fixtures folder of the repository.
pub fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

// ---- added for issue 5 (never lose data, never accept bad data silently) ----

/// The goalpost binary cargo built for the tests.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("goalpost")
}

impl Workdir {
    /// The database file's bytes (empty when there is none): a failed
    /// command must leave them exactly as they were.
    pub fn db_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.db).unwrap_or_default()
    }

    /// Runs `goalpost ARGS…` expecting failure with `code`, and checks the
    /// error contract: no panic, no backtrace, standard error starting with
    /// one `error:` line that contains `needle` (for exit code 1 that line
    /// is all there is; clap's usage text may follow it for code 2).
    /// Returns the error line.
    pub fn refuses(&self, code: i32, args: &[&str], needle: &str) -> String {
        check_refusal(&self.run(args), code, &format!("{args:?}"), needle)
    }
}

/// Checks a finished command against the error contract (see
/// [`Workdir::refuses`]); `what` names the command in failure messages.
pub fn check_refusal(out: &Output, code: i32, what: &str, needle: &str) -> String {
    if let Some(problem) = refusal_problem(out, code, needle) {
        panic!("{what}: {problem}");
    }
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whether `stderr` lists several bad lines of one input, one `error:`
/// line each, then the line that counts them (the one case where exit code
/// 1 has more than one line).
pub fn bad_lines_listed(stderr: &str) -> bool {
    let lines: Vec<&str> = stderr.lines().collect();
    lines.len() > 2
        && lines.iter().all(|l| l.starts_with("error: "))
        && lines
            .last()
            .is_some_and(|l| l.ends_with(" bad lines; nothing was imported"))
}

/// What is wrong with a refusal, if anything: the exit code, a panic or
/// backtrace, more than one line (for exit code 1), a first line not
/// starting with `error: `, or no `needle` in it (in the whole message for
/// a usage error, whose first line is clap's). Several bad lines of a file
/// are listed one `error:` line each ([`bad_lines_listed`]).
pub fn refusal_problem(out: &Output, code: i32, needle: &str) -> Option<String> {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let first = stderr.lines().next().unwrap_or_default();
    let problem = if out.status.code() != Some(code) {
        format!("exit code {:?}, not {code}", out.status.code())
    } else if let Some(bad) = [
        "panicked",
        "RUST_BACKTRACE",
        "internal error",
        "stack backtrace",
    ]
    .into_iter()
    .find(|bad| stderr.contains(bad))
    {
        format!("'{bad}' in the error")
    } else if !first.starts_with("error: ") {
        "the first line is not 'error: …'".to_string()
    } else if code == 1 && stderr.lines().count() != 1 && !bad_lines_listed(&stderr) {
        "more than one line".to_string()
    } else if !(if code == 1 { first } else { &stderr }).contains(needle) {
        format!("the error does not name {needle:?}")
    } else {
        return None;
    };
    Some(format!("{problem}: {stderr}"))
}

/// What undoes each migration from 5 on (schema.sql's `-- @migration N`
/// sections), so that an upgrade test can bring a file back to the version
/// it starts from, whatever migrations came later. A new migration adds
/// its undo here (`downgrade` refuses to go past one that has none).
pub const UNDO: &[(i64, &str)] = &[
    (
        5,
        "DROP INDEX observation_for_assessment;
         DROP INDEX target_by_indicator;
         ALTER TABLE observation DROP COLUMN grain;
         ALTER TABLE observation DROP COLUMN start_day;
         ALTER TABLE observation DROP COLUMN end_day;
         ALTER TABLE observation DROP COLUMN published_day;",
    ),
    (6, "ALTER TABLE indicator DROP COLUMN year_start;"),
    (
        7,
        "DROP INDEX observation_for_assessment;
         DROP TABLE indicator_dim;
         ALTER TABLE indicator DROP COLUMN parent;
         ALTER TABLE observation DROP COLUMN flags;
         CREATE INDEX observation_for_assessment ON observation
             (indicator_id, id, grain, start_day, end_day, value, qualifier, published_day, retracted, retracted_why);",
    ),
    (
        8,
        "DROP INDEX observation_by_batch;
         ALTER TABLE observation DROP COLUMN batch_id;
         DROP TABLE batch;",
    ),
    (
        9,
        "DROP TABLE target_tag;
         ALTER TABLE target DROP COLUMN programme;
         ALTER TABLE target DROP COLUMN owner;",
    ),
    (
        10,
        "DROP TRIGGER series_of_a_new_indicator;
         DROP TRIGGER series_after_insert;
         DROP TRIGGER series_after_update;
         DROP TRIGGER series_after_delete;
         DROP TABLE series;",
    ),
    // copies of layout 2 are not version 10's: stale, they are read as rows
    (11, "UPDATE series SET rows = NULL;"),
    (
        12,
        "DROP INDEX target_by_indicator;
         CREATE INDEX target_by_indicator ON target (indicator_id, id);",
    ),
    (
        13,
        "DROP INDEX series_targets_stale;
         DROP INDEX milestone_done_by_source;
         DROP INDEX milestone_not_done_by_source;
         DROP INDEX target_withdrawal_by_source;
         DROP TRIGGER targets_after_target_insert;
         DROP TRIGGER targets_after_target_update;
         DROP TRIGGER targets_after_target_delete;
         DROP TRIGGER targets_after_version_insert;
         DROP TRIGGER targets_after_version_update;
         DROP TRIGGER targets_after_version_delete;
         DROP TRIGGER targets_after_waypoint_insert;
         DROP TRIGGER targets_after_waypoint_update;
         DROP TRIGGER targets_after_waypoint_delete;
         DROP TRIGGER targets_after_tag_insert;
         DROP TRIGGER targets_after_tag_update;
         DROP TRIGGER targets_after_tag_delete;
         DROP TRIGGER targets_after_done_insert;
         DROP TRIGGER targets_after_done_update;
         DROP TRIGGER targets_after_done_delete;
         DROP TRIGGER targets_after_not_done_insert;
         DROP TRIGGER targets_after_not_done_update;
         DROP TRIGGER targets_after_not_done_delete;
         DROP TRIGGER targets_after_withdrawal_insert;
         DROP TRIGGER targets_after_withdrawal_update;
         DROP TRIGGER targets_after_withdrawal_delete;
         DROP TRIGGER targets_after_indicator_update;
         DROP TRIGGER targets_after_indicator_delete;
         DROP TRIGGER targets_after_dim_insert;
         DROP TRIGGER targets_after_dim_update;
         DROP TRIGGER targets_after_dim_delete;
         DROP TRIGGER targets_after_source_update;
         DROP TRIGGER targets_after_source_delete;
         DROP TRIGGER targets_before_target_insert;
         DROP TRIGGER targets_before_target_update;
         DROP TRIGGER targets_before_not_done_insert;
         DROP TRIGGER targets_before_not_done_update;
         DROP TRIGGER series_before_insert;
         DROP TRIGGER series_before_update;
         DROP TRIGGER targets_before_target_insert_at;
         DROP TRIGGER targets_before_target_renumber;
         DROP TRIGGER targets_before_version_insert_at;
         DROP TRIGGER targets_before_version_renumber;
         DROP TRIGGER targets_before_waypoint_insert_at;
         DROP TRIGGER targets_before_waypoint_renumber;
         DROP TRIGGER targets_before_tag_insert_at;
         DROP TRIGGER targets_before_tag_renumber;
         DROP TRIGGER targets_before_done_insert_at;
         DROP TRIGGER targets_before_done_renumber;
         DROP TRIGGER targets_before_withdrawal_insert_at;
         DROP TRIGGER targets_before_withdrawal_renumber;
         DROP TRIGGER targets_before_indicator_insert_at;
         DROP TRIGGER targets_before_indicator_renumber;
         DROP TRIGGER targets_before_dim_insert_at;
         DROP TRIGGER targets_before_dim_renumber;
         DROP TRIGGER targets_before_source_insert;
         DROP TRIGGER targets_after_source_insert;
         ALTER TABLE series DROP COLUMN targets;",
    ),
];

/// Brings the database file at `db` back to schema `version` (at least 4)
/// by undoing the later migrations, newest first.
pub fn downgrade(db: &Path, version: i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let current: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    for n in (version + 1..=current).rev() {
        let (_, sql) = UNDO
            .iter()
            .find(|(m, _)| *m == n)
            .unwrap_or_else(|| panic!("no undo for migration {n} in tests/common UNDO"));
        c.execute_batch(sql)
            .unwrap_or_else(|e| panic!("undoing migration {n}: {e}"));
    }
    c.pragma_update(None, "user_version", version).unwrap();
}
