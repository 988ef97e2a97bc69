//! `goalpost diff`: the stocktake between two reports, each cause
//! classified; `--fail-on` exit codes for scheduled jobs.

mod common;

use common::Workdir;
use serde_json::Value;

fn json(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

fn change<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no change for {id} in {d:#}"))
}

fn kinds(c: &Value) -> Vec<&str> {
    c["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect()
}

/// A flow target 100 (2020) → 150 (2025) with one value for 2021.
fn setup() -> Workdir {
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
        "2025",
    ]);
    // 110 after 1 of 5 years: RR = 0.10/(1.5^(1/5) − 1) = 1.184 → on_track
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "110",
        "--published",
        "2022-02-01",
        "--source",
        "first",
    ]);
    w
}

#[test]
fn revised_data_alone_is_named_as_the_cause() {
    let w = setup();
    // the 2021 value revised to 105: RR = 0.05/0.08447 = 0.592 → off_track
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "105",
        "--published",
        "2022-06-01",
        "--source",
        "second",
    ]);
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2022-03-01",
            "--to",
            "2022-12-31",
            "--format",
            "json",
        ],
    );
    let c = change(&d, "t");
    assert_eq!(
        (c["from"]["status"].as_str(), c["to"]["status"].as_str()),
        (Some("on_track"), Some("off_track"))
    );
    assert_eq!(c["direction"], "worse");
    assert_eq!(kinds(c), vec!["revised_data"]);
    assert_eq!(c["causes"][0]["text"], "2021 revised: 110 t → 105 t");
    assert_eq!(c["causes"][0]["source"], "second");
    assert_eq!(c["summary"], "revised data alone turned this off_track");
    let memo = w.ok(&[
        "diff",
        "--from",
        "2022-03-01",
        "--to",
        "2022-12-31",
        "--format",
        "markdown",
    ]);
    assert!(
        memo.starts_with("# Changes from 2022-03-01 to 2022-12-31 (eurostat)\n"),
        "{memo}"
    );
    assert!(
        memo.contains(
            "**on_track → off_track** (worse): revised data alone turned this off_track."
        ),
        "{memo}"
    );
    assert!(
        memo.contains("- 2022-06-01: 2021 revised: 110 t → 105 t (second)"),
        "{memo}"
    );
}

#[test]
fn new_data_a_target_revision_and_the_deadline_are_each_a_cause() {
    let w = setup();
    // new data: 2022 = 140, RR = (1.4^(1/2) − 1)/0.08447 = 2.175, on_track
    w.ok(&[
        "obs",
        "add",
        "x",
        "2022",
        "140",
        "--published",
        "2023-02-01",
    ]);
    // the target raised to 200: RR = 0.18322/(2^(1/5) − 1) = 1.225, on_track
    w.ok(&[
        "target",
        "revise",
        "t",
        "--value",
        "200",
        "--source",
        "Decree 2",
        "--effective",
        "2023-06-01",
    ]);
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2022-03-01",
            "--to",
            "2023-12-31",
            "--format",
            "json",
        ],
    );
    let c = change(&d, "t");
    assert_eq!(c["direction"], "same");
    assert_eq!(kinds(c), vec!["new_data", "target_revised"]);
    assert_eq!(c["to"]["target"], 200.0);
    assert_eq!(c["summary"], "still on_track; its numbers changed");
    // the deadline passing with the 2025 value not yet known changes no
    // number of a level target (it is assessed on its latest value, the
    // deadline value awaited) ...
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2025-06-30",
            "--to",
            "2026-06-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(d["changes"].as_array().unwrap().len(), 0, "{d:#}");
    // ... but it turns a pending milestone overdue
    w.ok(&["target", "add", "m", "--milestone", "--deadline", "2025-10"]);
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2025-10-15",
            "--to",
            "2025-11-15",
            "--format",
            "json",
        ],
    );
    let c = change(&d, "m");
    assert_eq!(kinds(c), vec!["deadline_passed"]);
    assert_eq!(c["summary"], "the deadline passed: now overdue");
    assert_eq!(c["direction"], "worse");
    // nothing changed between two dates with no event: no change listed
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2024-01-01",
            "--to",
            "2024-06-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(d["changes"].as_array().unwrap().len(), 0);
    assert_eq!(d["unchanged"], 2);
}

#[test]
fn milestone_events_withdrawals_and_methods() {
    let w = setup();
    w.ok(&["target", "add", "m", "--milestone", "--deadline", "2022-10"]);
    w.ok(&[
        "target",
        "done",
        "m",
        "--on",
        "2023-02-01",
        "--source",
        "Agency",
    ]);
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2022-12-01",
            "--to",
            "2023-03-01",
            "--format",
            "json",
        ],
    );
    let c = change(&d, "m");
    assert_eq!(
        (c["from"]["status"].as_str(), c["to"]["status"].as_str()),
        (Some("overdue"), Some("achieved"))
    );
    assert_eq!(c["direction"], "better");
    assert_eq!(kinds(c), vec!["milestone"]);
    w.ok(&[
        "target",
        "withdraw",
        "t",
        "--on",
        "2023-05-01",
        "--source",
        "Decree 9",
        "--why",
        "repealed",
    ]);
    let d = json(
        &w,
        &[
            "diff",
            "--from",
            "2023-03-01",
            "--to",
            "2023-06-01",
            "--format",
            "json",
        ],
    );
    let c = change(&d, "t");
    assert_eq!(c["to"]["status"], "withdrawn");
    assert_eq!(kinds(c), vec!["withdrawn"]);
    // two methods on one date: only a different status is a change
    let d = json(
        &w,
        &[
            "diff",
            "--method-from",
            "eurostat",
            "--method",
            "opensdg",
            "--to",
            "2022-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(d["method_from"], "eurostat");
    assert_eq!(d["method"], "opensdg");
    assert_eq!(d["changes"].as_array().unwrap().len(), 0, "{d:#}");
}

/// The exit codes a scheduled job relies on, in a shell script.
#[test]
fn fail_on_exits_3_in_a_shell_script() {
    let w = setup();
    w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "105",
        "--published",
        "2022-06-01",
    ]);
    let script = format!(
        r#"set -u
g() {{ "{bin}" --db "{db}" "$@" >/dev/null 2>&1; }}
g report --as-of 2022-03-01 --fail-on off_track,moving_away; a=$?
g report --as-of 2022-12-31 --fail-on off_track,moving_away; b=$?
g diff --from 2022-03-01 --to 2022-12-31 --fail-on worse; c=$?
g diff --from 2022-06-02 --to 2022-12-31 --fail-on worse; d=$?
g report --as-of 2022-12-31 --fail-on nonsense; e=$?
echo "$a $b $c $d $e"
"#,
        bin = common::bin().display(),
        db = w.db.display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0 3 3 0 2\n");
    // the report is still written before the exit code says it matched
    let out = w.run(&["report", "--as-of", "2022-12-31", "--fail-on", "off_track"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 off_track"));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "goalpost: --fail-on off_track: 1 target (t)\n"
    );
}

/// The two reports are read in lockstep one indicator at a time; the
/// changes still come in the later report's order (status severity,
/// deadline, id), whatever their indicators' order, with the counts.
#[test]
fn changes_come_in_the_later_reports_order_across_indicators() {
    let w = Workdir::new();
    for (indicator, value) in [("a", "110"), ("z", "90")] {
        w.flow_indicator(indicator, "t");
        let id = format!("{indicator}-t");
        w.ok(&[
            "target",
            "add",
            &id,
            "--indicator",
            indicator,
            "--baseline",
            "2020=100",
            "--value",
            "150",
            "--deadline",
            "2025",
        ]);
        w.ok(&[
            "obs",
            "add",
            indicator,
            "2021",
            value,
            "--published",
            "2022-02-01",
        ]);
    }
    w.ok(&["target", "add", "m", "--milestone", "--deadline", "2030"]);
    let args = ["diff", "--from", "2022-01-01", "--to", "2022-06-01"];
    let d = json(&w, &[&args[..], &["--format", "json"]].concat());
    let order: Vec<(&str, &str)> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["to"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(order, [("z-t", "moving_away"), ("a-t", "on_track")]);
    assert_eq!(d["unchanged"], 1);
    let table = w.ok(&args);
    assert!(
        table.find("z-t").unwrap() < table.find("a-t").unwrap(),
        "{table}"
    );
    assert!(
        table.ends_with("\n2 targets changed, 1 unchanged\n"),
        "{table}"
    );
}
