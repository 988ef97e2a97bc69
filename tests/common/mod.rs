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

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file in the work folder and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("writing a test file");
        p
    }

    /// The binary with `--db` set to this folder's database.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("goalpost").expect("the goalpost binary");
        c.arg("--db").arg(&self.db).env_remove("GOALPOST_DB");
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
