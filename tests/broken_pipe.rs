//! A broken pipe ends quietly (issue 5, part 5): `goalpost report | head -1`
//! exits 0 with nothing on standard error, whatever the output command.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{Workdir, bin};

/// A database whose every view is far larger than a pipe's buffer (64 KiB),
/// so the writer meets the closed pipe mid-way.
fn large() -> Workdir {
    let w = Workdir::new();
    let seed = common::fixtures().join("seed.toml");
    w.ok(&["import", seed.to_str().unwrap()]);
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    w.ok(&["indicator", "add", "y", "--name", "Y", "--unit", "USD"]);
    w.ok(&["obs", "add", "y", "2020", "900"]);
    let mut csv = String::from("indicator,period,value,note\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "x,{}-{:02},{i},a note long enough to fill the pipe quickly\n",
            1900 + i / 12,
            1 + i % 12
        ));
    }
    let file = w.file("o.csv", csv);
    w.ok(&["obs", "import", file.to_str().unwrap()]);
    let mut data = String::from("version = 1\n");
    for i in 0..400 {
        data.push_str(&format!(
            "[[target]]\nid = \"x-{i}\"\nindicator = \"y\"\nbaseline = \"2020\"\nvalue = {}\ndeadline = \"{}\"\ntitle = \"Target number {i}\"\n",
            1000 + i,
            2030 + i % 20
        ));
    }
    let file = w.file("t.toml", data);
    w.ok(&["import", file.to_str().unwrap()]);
    for args in VIEWS {
        let size = w.ok(args).len();
        assert!(size > 1 << 16, "{args:?}: only {size} bytes");
    }
    w
}

const VIEWS: [&[&str]; 8] = [
    &["report", "--as-of", "2024-06-30"],
    &["report", "--as-of", "2024-06-30", "--format", "json"],
    &["report", "--as-of", "2024-06-30", "--format", "csv"],
    &["report", "--as-of", "2024-06-30", "--format", "markdown"],
    &["obs", "list", "--history"],
    &["obs", "list", "--history", "--format", "json"],
    &["export"],
    &["target", "list", "--history"],
];

#[test]
fn a_reader_that_stops_after_one_line_gets_a_quiet_exit_0() {
    let w = large();
    for args in VIEWS {
        let mut child = Command::new(bin())
            .arg("--db")
            .arg(&w.db)
            .args(args)
            .env_remove("GOALPOST_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // the reader is gone (as `head -1` would be)
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_shell_pipeline_into_head_ends_quietly() {
    let w = large();
    let goalpost = bin();
    for args in VIEWS {
        // the status of goalpost itself, not of head
        let script = format!(
            "{{ '{}' --db '{}' {} 2>err; echo $? >status; }} | head -1 >first",
            goalpost.display(),
            w.db.display(),
            args.join(" ")
        );
        let ok = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(w.dir.path())
            .env_remove("GOALPOST_DB")
            .status()
            .unwrap();
        assert!(ok.success(), "{script}");
        let read = |name: &str| std::fs::read_to_string(w.path(name)).unwrap();
        assert_eq!(read("status").trim(), "0", "{args:?}");
        assert_eq!(read("err"), "", "{args:?}");
        assert_eq!(read("first").lines().count(), 1, "{args:?}");
    }
}

#[test]
fn help_into_a_closed_pipe_ends_quietly_too() {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' --help | head -c 1 >/dev/null; '{}' target add --help | head -c 1 >/dev/null",
            bin().display(),
            bin().display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
