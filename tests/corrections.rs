//! Corrections are not revisions, and withdrawals are statuses of their own
//! (issue: "corrections without rewriting history"): `target edit`,
//! `indicator edit` and `target withdraw` through the binary.

mod common;

use common::Workdir;
use serde_json::Value;

fn setup() -> Workdir {
    let w = Workdir::new();
    w.flow_indicator("agri", "USD");
    w.ok(&[
        "target",
        "add",
        "agri-2025",
        "--indicator",
        "agri",
        "--baseline",
        "2020=5.8bn",
        "--value",
        "7bn",
        "--deadline",
        "2025",
        "--title",
        "Agri exports to $7bn by 2052",
        "--source",
        "Decree 1",
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
    w
}

fn json(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

#[test]
fn a_corrected_title_is_logged_and_is_not_a_revision() {
    let w = setup();
    let out = w.ok(&[
        "target",
        "edit",
        "agri-2025",
        "--title",
        "Agri exports to $7bn by 2025",
        "--url",
        "https://example.org/decree-1",
    ]);
    assert_eq!(
        out,
        "corrected title, url of target agri-2025 (logged; not a revision)\n"
    );
    // the text is corrected in place: still one version
    let list = json(&w, &["target", "list", "--history", "--format", "json"]);
    assert_eq!(list["targets"].as_array().unwrap().len(), 1);
    assert_eq!(list["targets"][0]["title"], "Agri exports to $7bn by 2025");
    // and show lists the correction with its time, old and new
    let show = json(
        &w,
        &[
            "show",
            "agri-2025",
            "--as-of",
            "2022-12-31",
            "--format",
            "json",
        ],
    );
    let c = show["corrections"].as_array().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0]["field"], "title");
    assert_eq!(c[0]["old"], "Agri exports to $7bn by 2052");
    assert_eq!(c[0]["new"], "Agri exports to $7bn by 2025");
    assert_eq!(c[1]["field"], "url");
    assert!(c[1]["old"].is_null());
    assert!(c[0]["recorded"].as_str().unwrap().ends_with('Z'));
    let text = w.ok(&["show", "agri-2025", "--as-of", "2022-12-31"]);
    assert!(
        text.contains("Corrections (entry errors fixed; not revisions)"),
        "{text}"
    );
    assert!(
        text.contains("target agri-2025.title: “Agri exports to $7bn by 2052” → “Agri exports to $7bn by 2025”"),
        "{text}"
    );
    // the same value again changes nothing and logs nothing
    let out = w.ok(&[
        "target",
        "edit",
        "agri-2025",
        "--title",
        "Agri exports to $7bn by 2025",
    ]);
    assert_eq!(out, "target agri-2025: nothing to change\n");
}

#[test]
fn an_indicator_unit_changes_only_while_it_has_no_observations() {
    let w = setup();
    let before = w.dump();
    w.refuses(
        1,
        &["indicator", "edit", "agri", "--unit", "EUR"],
        "indicator agri has observations in USD: its unit cannot change",
    );
    assert_eq!(w.dump(), before);
    w.ok(&[
        "indicator",
        "edit",
        "agri",
        "--name",
        "Agri-food exports",
        "--limit",
        "10bn",
    ]);
    let list = json(&w, &["indicator", "list", "--format", "json"]);
    assert_eq!(list["indicators"][0]["name"], "Agri-food exports");
    assert_eq!(list["indicators"][0]["limit"], 1e10);
    // a fresh indicator's unit can still be fixed
    w.flow_indicator("new", "USD");
    w.ok(&["indicator", "edit", "new", "--unit", "EUR"]);
    let list = json(&w, &["indicator", "list", "--format", "json"]);
    let new = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "new")
        .unwrap()
        .clone();
    assert_eq!(new["unit"], "EUR");
}

#[test]
fn a_withdrawn_target_is_withdrawn_from_its_date_and_counted_apart() {
    let w = setup();
    w.ok(&[
        "target",
        "withdraw",
        "agri-2025",
        "--on",
        "2023-03-01",
        "--source",
        "Decree 9",
        "--why",
        "replaced by the 2030 programme",
    ]);
    // before the date: assessed as usual
    let r = json(&w, &["report", "--as-of", "2023-02-28", "--format", "json"]);
    assert_eq!(r["targets"][0]["status"], "on_track");
    // from it: withdrawn, with its source and reason, no measures
    let r = json(&w, &["report", "--as-of", "2023-03-01", "--format", "json"]);
    let row = &r["targets"][0];
    assert_eq!(row["status"], "withdrawn");
    assert!(row["progress"].is_null());
    assert_eq!(
        row["notes"][0],
        "withdrawn on 2023-03-01 (Decree 9): replaced by the 2030 programme"
    );
    let table = w.ok(&["report", "--as-of", "2023-03-01"]);
    assert!(
        table.contains("0 targets as of 2023-03-01 (eurostat): none; and 1 withdrawn"),
        "{table}"
    );
    // a status of its own for --status
    let r = json(
        &w,
        &[
            "report",
            "--as-of",
            "2024-01-01",
            "--status",
            "withdrawn",
            "--format",
            "json",
        ],
    );
    assert_eq!(r["targets"].as_array().unwrap().len(), 1);
    // kept in the data set
    let exported = w.ok(&["export"]);
    assert!(
        exported.contains("withdrawn_on = \"2023-03-01\""),
        "{exported}"
    );
    let again = Workdir::new();
    let f = again.file("x.toml", &exported);
    again.ok(&["import", f.to_str().unwrap()]);
    assert_eq!(
        again.ok(&["report", "--as-of", "2023-03-01", "--format", "json"]),
        w.ok(&["report", "--as-of", "2023-03-01", "--format", "json"])
    );
    // once only
    w.refuses(
        1,
        &[
            "target",
            "withdraw",
            "agri-2025",
            "--on",
            "2024-01-01",
            "--source",
            "x",
            "--why",
            "y",
        ],
        "already withdrawn on 2023-03-01",
    );
}
