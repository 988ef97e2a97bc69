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
