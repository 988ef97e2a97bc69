//! The command line end to end on a temporary database.

mod common;

use common::Workdir;

#[test]
fn the_worked_example_through_the_command_line() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&[
        "indicator",
        "add",
        "agri",
        "--name",
        "Agri-food exports",
        "--unit",
        "USD",
        "--measure",
        "flow",
    ]);
    w.ok(&[
        "target",
        "add",
        "agri-2025",
        "--indicator",
        "agri",
        "--baseline",
        "2020=5.8bn",
        "--value",
        "$7bn",
        "--deadline",
        "2025",
        "--path",
        "compound",
    ]);
    w.ok(&[
        "obs",
        "add",
        "agri",
        "2021",
        "6.7bn",
        "--published",
        "2022-02-11",
    ]);
    let json = w.ok(&["report", "--as-of", "2022-06-30", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let t = &v["targets"][0];
    // methodology.md §9: progress 0.9/1.2 = 0.75; RR = 15.517%/3.833% = 4.049
    assert!((t["progress"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert!((t["rate_ratio"].as_f64().unwrap() - 4.049).abs() < 1e-3);
    assert_eq!(t["status"], "on_track");
}

#[test]
fn export_then_import_gives_back_the_same_database() {
    // the seed plus a revision, a retraction and a completed milestone:
    // every kind of row a data set carries
    let a = Workdir::seeded();
    a.ok(&[
        "target",
        "revise",
        "agri-food-2025",
        "--value",
        "$9bn",
        "--effective",
        "2024-04-16",
        "--source",
        "Lukashenko sets a $9bn goal",
    ]);
    a.ok(&["obs", "retract", "1", "--why", "typo"]);
    a.ok(&[
        "target",
        "done",
        "stadium-2023",
        "--on",
        "2024-01-15",
        "--source",
        "test",
    ]);
    let first = a.ok(&["export"]);

    let b = Workdir::new();
    let file = b.file("set.toml", &first);
    b.ok(&["import", file.to_str().unwrap()]);
    let second = b.ok(&["export"]);
    assert_eq!(
        first, second,
        "export(import(export(db))) differs from export(db)"
    );
    // and the two databases report the same, to the last digit
    for as_of in ["2023-06-30", "2026-11-28"] {
        assert_eq!(
            a.ok(&["report", "--as-of", as_of, "--format", "json"]),
            b.ok(&["report", "--as-of", as_of, "--format", "json"])
        );
    }
    // observation ids survive, so 'obs retract ID' means the same row in both
    assert_eq!(
        a.ok(&["obs", "list", "--history", "--format", "json"]),
        b.ok(&["obs", "list", "--history", "--format", "json"])
    );
}

#[test]
fn a_revision_applies_from_its_effective_date_and_the_history_keeps_both() {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "x",
        "--name",
        "X",
        "--unit",
        "USD",
        "--measure",
        "flow",
    ]);
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "x",
        "--baseline",
        "2020=5.8bn",
        "--value",
        "7bn",
        "--deadline",
        "2025",
    ]);
    w.ok(&[
        "obs",
        "add",
        "x",
        "2022",
        "8.3bn",
        "--published",
        "2023-03-01",
    ]);
    w.ok(&[
        "target",
        "revise",
        "t",
        "--value",
        "9bn",
        "--effective",
        "2024-04-16",
        "--source",
        "new goal",
    ]);
    let target_at = |as_of: &str| -> serde_json::Value {
        let v: serde_json::Value =
            serde_json::from_str(&w.ok(&["report", "--as-of", as_of, "--format", "json"])).unwrap();
        v["targets"][0].clone()
    };
    // before the revision: 8.3bn meets 7bn; after it, 8.3bn is short of 9bn
    assert_eq!(target_at("2024-04-15")["target"]["value"], 7e9);
    assert_eq!(target_at("2024-04-15")["status"], "achieved");
    assert_eq!(target_at("2024-04-16")["target"]["value"], 9e9);
    assert_ne!(target_at("2024-04-16")["status"], "achieved");
    let history: serde_json::Value =
        serde_json::from_str(&w.ok(&["target", "list", "--history", "--format", "json"])).unwrap();
    let versions: Vec<i64> = history["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![1, 2]);
}

#[test]
fn the_command_line_definition_is_consistent() {
    // clap checks every subcommand's arguments (names in conflicts, groups…)
    use clap::CommandFactory;
    goalpost::cli::Cli::command().debug_assert();
}

#[test]
fn every_output_command_writes_to_the_file_given_with_o() {
    let w = Workdir::seeded();
    for (args, name) in [
        (vec!["indicator", "list"], "indicators.txt"),
        (vec!["target", "list", "--format", "json"], "targets.json"),
        (vec!["obs", "list", "--format", "csv"], "observations.csv"),
        (
            vec!["report", "--as-of", "2026-11-28", "--format", "markdown"],
            "report.md",
        ),
        (
            vec!["show", "agri-food-2025", "--as-of", "2026-11-28"],
            "show.txt",
        ),
        (vec!["export"], "export.toml"),
    ] {
        let path = w.path(name);
        let mut full = args.clone();
        full.extend(["-o", path.to_str().unwrap()]);
        let printed = w.ok(&full);
        assert_eq!(printed, "", "{args:?} printed to stdout as well");
        let written = std::fs::read_to_string(&path).unwrap();
        // the same text as without -o
        assert_eq!(written, w.ok(&args), "{args:?}");
    }
}
