//! Roll-ups (issue 12 point 5): targets filed by programme, owner and
//! tags, `report --group-by` with its counts, the filters, the logged
//! corrections and the data set, through the binary.

mod common;

use common::Workdir;
use serde_json::{Value, json};

const AS_OF: &str = "2022-06-30";

/// Five targets, hand-checked on 2022-06-30:
/// t1 on_track (P1, Ministry A, tags x y), t2 missed (P1, Ministry A, x),
/// t3 no_data (P2, Ministry B, entity Beta), t4 pending (no programme, y),
/// t5 withdrawn (P2, x).
fn portfolio() -> Workdir {
    let w = Workdir::new();
    w.flow_indicator("a", "USD");
    w.ok(&[
        "indicator",
        "add",
        "b",
        "--name",
        "B",
        "--unit",
        "USD",
        "--measure",
        "flow",
        "--entity",
        "Beta",
    ]);
    let level = |id: &str, ind: &str, base: &str, value: &str, deadline: &str, more: &[&str]| {
        let mut args = vec![
            "target",
            "add",
            id,
            "--indicator",
            ind,
            "--baseline",
            base,
            "--value",
            value,
            "--deadline",
            deadline,
        ];
        args.extend_from_slice(more);
        w.ok(&args);
    };
    level(
        "t1",
        "a",
        "2020=5",
        "10",
        "2025",
        &[
            "--programme",
            "P1",
            "--owner",
            "Ministry A",
            "--tag",
            "y",
            "--tag",
            "x",
        ],
    );
    level(
        "t2",
        "a",
        "2020=5",
        "10",
        "2021",
        &["--programme", "P1", "--owner", "Ministry A", "--tag", "x"],
    );
    level(
        "t3",
        "b",
        "2020=50",
        "100",
        "2025",
        &["--programme", "P2", "--owner", "Ministry B"],
    );
    w.ok(&[
        "target",
        "add",
        "t4",
        "--milestone",
        "--deadline",
        "2030",
        "--tag",
        "y",
    ]);
    w.ok(&[
        "target",
        "add",
        "t5",
        "--milestone",
        "--deadline",
        "2021",
        "--programme",
        "P2",
        "--tag",
        "x",
    ]);
    w.ok(&[
        "target",
        "withdraw",
        "t5",
        "--on",
        "2022-01-01",
        "--source",
        "Decree 9",
        "--why",
        "repealed",
    ]);
    w.ok(&["obs", "add", "a", "2021", "9", "--published", "2022-01-15"]);
    w
}

fn json_of(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

/// `(group, count, statuses, assessed, share, ids)` of a grouped JSON report.
fn groups(v: &Value) -> Vec<(String, u64, Value, u64, Value, Vec<String>)> {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_string(),
                g["count"].as_u64().unwrap(),
                g["statuses"].clone(),
                g["assessed"].as_u64().unwrap(),
                g["share_assessed"].clone(),
                g["targets"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|t| t["id"].as_str().unwrap().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn groups_by_programme_count_each_status_and_the_share_assessed() {
    let w = portfolio();
    let v = json_of(
        &w,
        &[
            "report",
            "--as-of",
            AS_OF,
            "--group-by",
            "programme",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["group_by"], "programme");
    assert_eq!(
        groups(&v),
        vec![
            (
                "P1".into(),
                2,
                json!({"missed": 1, "on_track": 1}),
                2,
                json!(1.0),
                ids(&["t2", "t1"])
            ),
            // withdrawn targets are left out of the share: 0 of 1
            (
                "P2".into(),
                2,
                json!({"no_data": 1, "withdrawn": 1}),
                0,
                json!(0.0),
                ids(&["t3", "t5"])
            ),
            (
                "(none)".into(),
                1,
                json!({"pending": 1}),
                1,
                json!(1.0),
                ids(&["t4"])
            ),
        ]
    );
}

#[test]
fn groups_by_tag_overlap_and_by_owner_and_entity_have_a_none_group() {
    let w = portfolio();
    let by = |g: &str| {
        groups(&json_of(
            &w,
            &[
                "report",
                "--as-of",
                AS_OF,
                "--group-by",
                g,
                "--format",
                "json",
            ],
        ))
        .into_iter()
        .map(|(name, n, _, assessed, _, ids)| (name, n, assessed, ids))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        by("tag"),
        vec![
            ("x".into(), 3, 2, ids(&["t2", "t1", "t5"])),
            ("y".into(), 2, 2, ids(&["t4", "t1"])),
            ("(none)".into(), 1, 0, ids(&["t3"])),
        ]
    );
    assert_eq!(
        by("owner"),
        vec![
            ("Ministry A".into(), 2, 2, ids(&["t2", "t1"])),
            ("Ministry B".into(), 1, 0, ids(&["t3"])),
            ("(none)".into(), 2, 1, ids(&["t4", "t5"])),
        ]
    );
    assert_eq!(
        by("entity"),
        vec![
            ("Beta".into(), 1, 0, ids(&["t3"])),
            ("(none)".into(), 4, 3, ids(&["t2", "t4", "t1", "t5"])),
        ]
    );
    // the table says that tag groups overlap
    let table = w.ok(&["report", "--as-of", AS_OF, "--group-by", "tag"]);
    assert!(
        table.contains(
            "The groups overlap: a target with several tags is counted under each \
             (6 in the groups, 5 targets in all)."
        ),
        "{table}"
    );
    // the summary line counts each target once
    assert!(
        table.contains(
            "4 targets as of 2022-06-30 (eurostat): 1 missed, 1 no_data, 1 pending, 1 on_track; \
             and 1 withdrawn"
        ),
        "{table}"
    );
}

#[test]
fn the_group_table_in_a_terminal_and_the_summary_alone() {
    let w = portfolio();
    let summary = w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "programme",
        "--summary",
        "--width",
        "80",
    ]);
    assert_eq!(
        summary,
        "\
┌───────────┬─────────┬────────┬──────┬─────────┬───────┬───────────┬──────────┐
│ programme │ targets │ missed │   no │ pending │    on │ withdrawn │ assessed │
│           │         │        │ data │         │ track │           │          │
├───────────┼─────────┼────────┼──────┼─────────┼───────┼───────────┼──────────┤
│ P1        │       2 │      1 │      │         │     1 │           │     100% │
│ P2        │       2 │        │    1 │         │       │         1 │       0% │
│ (none)    │       1 │        │      │       1 │       │           │     100% │
└───────────┴─────────┴────────┴──────┴─────────┴───────┴───────────┴──────────┘
assessed: the share of the group's targets with a verdict (every status but
  no_data; withdrawn targets, no longer assessed, left out)

4 targets as of 2022-06-30 (eurostat): 1 missed, 1 no_data, 1 pending, 1
  on_track; and 1 withdrawn
"
    );
    // with rows: a heading per group, then its rows
    let table = w.ok(&["report", "--as-of", AS_OF, "--group-by", "programme"]);
    let p1 = table.find("\nprogramme: P1 · 2 targets\n").expect(&table);
    let p2 = table.find("\nprogramme: P2 · 2 targets\n").expect(&table);
    let none = table
        .find("\nprogramme: (none) · 1 target\n")
        .expect(&table);
    assert!(p1 < p2 && p2 < none);
    let row = |id: &str| table.find(&format!("│ {id} ")).expect(id);
    assert!(p1 < row("t2") && row("t2") < row("t1") && row("t1") < p2);
    assert!(p2 < row("t3") && row("t3") < row("t5") && row("t5") < none);
    assert!(none < row("t4"));
    // --summary needs --group-by
    w.fails(2, &["report", "--summary"]);
}

#[test]
fn grouped_csv_has_a_group_column_and_the_summary_every_status() {
    let w = portfolio();
    let csv = w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "tag",
        "--format",
        "csv",
    ]);
    let rows: Vec<(String, String)> = csv
        .lines()
        .map(|l| {
            let mut cells = l.split(',');
            (
                cells.next().unwrap().to_string(),
                cells.next().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("group", "id"),
            ("x", "t2"),
            ("x", "t1"),
            ("x", "t5"),
            ("y", "t4"),
            ("y", "t1"),
            ("(none)", "t3")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let summary = w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "tag",
        "--summary",
        "--format",
        "csv",
    ]);
    assert_eq!(
        summary,
        "tag,targets,missed,moving_away,off_track,stalled,at_risk,overdue,no_data,pending,on_track,achieved,withdrawn,assessed,share_assessed\n\
         x,3,1,0,0,0,0,0,0,0,1,0,1,2,1\n\
         y,2,0,0,0,0,0,0,0,1,1,0,0,2,1\n\
         (none),1,0,0,0,0,0,0,1,0,0,0,0,0,0\n"
    );
}

#[test]
fn grouped_markdown_and_html_show_the_group_table_then_the_groups() {
    let w = portfolio();
    let md = w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "owner",
        "--format",
        "markdown",
    ]);
    assert!(md.starts_with(
        "| owner | targets | missed | no data | pending | on track | withdrawn | assessed |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n\
         | Ministry A | 2 | 1 |  |  | 1 |  | 100% |\n"
    ));
    assert!(
        md.contains("\n### owner: Ministry B · 1 target\n\n| id |"),
        "{md}"
    );
    let html = w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "owner",
        "--format",
        "html",
    ]);
    let doc = roxmltree::Document::parse_with_options(
        html.trim_start_matches("<!DOCTYPE html>\n"),
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    let headings: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.attribute("class") == Some("group"))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect()
        })
        .collect();
    assert_eq!(
        headings,
        [
            "owner: Ministry A · 2 targets",
            "owner: Ministry B · 1 target",
            "owner: (none) · 2 targets"
        ]
    );
    // each target in detail once
    assert_eq!(html.matches("<section class=\"target\"").count(), 5);
}

#[test]
fn filters_by_programme_owner_and_tag_on_report_and_target_list() {
    let w = portfolio();
    let report = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["report", "--as-of", AS_OF, "--format", "json"];
        all.extend_from_slice(args);
        json_of(&w, &all)["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(report(&["--programme", "p1"]), ids(&["t2", "t1"]));
    assert_eq!(report(&["--tag", "Y"]), ids(&["t4", "t1"]));
    assert_eq!(report(&["--owner", "(none)"]), ids(&["t4", "t5"]));
    assert_eq!(report(&["--owner", "ministry"]), ids(&["t2", "t3", "t1"]));
    assert_eq!(
        report(&["--programme", "P2", "--tag", "x"]),
        ids(&["t5"]),
        "filters of different kinds all apply"
    );
    assert_eq!(report(&["--tag", "x", "--tag", "(none)"]).len(), 4);
    let list = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["target", "list", "--format", "json"];
        all.extend_from_slice(args);
        json_of(&w, &all)["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(list(&["--programme", "P2"]), ids(&["t3", "t5"]));
    assert_eq!(list(&["--tag", "y"]), ids(&["t1", "t4"]));
    let t1 = &json_of(&w, &["target", "list", "--format", "json"])["targets"][0];
    assert_eq!(
        (&t1["programme"], &t1["owner"], &t1["tags"]),
        (&json!("P1"), &json!("Ministry A"), &json!(["x", "y"]))
    );
    // grouped and filtered: only the targets kept are counted
    let v = json_of(
        &w,
        &[
            "report",
            "--as-of",
            AS_OF,
            "--group-by",
            "programme",
            "--tag",
            "x",
            "--summary",
            "--format",
            "json",
        ],
    );
    let g = groups(&v);
    assert_eq!(
        g.iter()
            .map(|(n, c, ..)| (n.as_str(), *c))
            .collect::<Vec<_>>(),
        [("P1", 2), ("P2", 1)]
    );
    assert!(g.iter().all(|(.., rows)| rows.is_empty()));
}

#[test]
fn a_target_in_several_groups_fails_once() {
    let w = portfolio();
    let out = w.run(&[
        "report",
        "--as-of",
        AS_OF,
        "--group-by",
        "tag",
        "--fail-on",
        "on_track",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 target (t1)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn editing_where_a_target_is_filed_is_a_logged_correction() {
    let w = Workdir::new();
    // a target recorded long ago, so that the second clock sees it before the edit
    let set = w.file(
        "set.toml",
        "version = 1\n\
         [[target]]\nid = \"m\"\nkind = \"milestone\"\ndeadline = \"2030\"\n\
         programme = \"Old programme\"\ntags = [\"b\", \"a\", \"b\"]\n\
         recorded = \"2020-01-01T00:00:00Z\"\n",
    );
    w.ok(&["import", set.to_str().unwrap()]);
    let filed = |args: &[&str]| {
        let mut all = vec!["report", "--format", "json"];
        all.extend_from_slice(if args.is_empty() {
            &["--as-of", "2026-01-01"]
        } else {
            args
        });
        let t = json_of(&w, &all)["targets"][0].clone();
        (
            t["programme"].clone(),
            t["owner"].clone(),
            t["tags"].clone(),
        )
    };
    assert_eq!(
        filed(&[]),
        (json!("Old programme"), json!(null), json!(["a", "b"]))
    );
    let out = w.ok(&[
        "target",
        "edit",
        "m",
        "--programme",
        "New programme",
        "--owner",
        "Ministry C",
        "--tag",
        "c",
        "--untag",
        "a",
        "--untag",
        "zzz",
    ]);
    assert_eq!(
        out,
        "corrected programme, owner, tag of target m (logged; not a revision)\n"
    );
    assert_eq!(
        filed(&[]),
        (
            json!("New programme"),
            json!("Ministry C"),
            json!(["b", "c"])
        )
    );
    // not a revision: still one version; the log is in show
    let show = json_of(&w, &["show", "m", "--format", "json"]);
    assert_eq!(show["revisions"].as_array().unwrap().len(), 1);
    let log: Vec<(Value, Value, Value)> = show["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].clone(), c["old"].clone(), c["new"].clone()))
        .collect();
    assert_eq!(
        log,
        vec![
            (
                json!("programme"),
                json!("Old programme"),
                json!("New programme")
            ),
            (json!("owner"), json!(null), json!("Ministry C")),
            (json!("tag"), json!(null), json!("c")),
            (json!("tag"), json!("a"), json!(null)),
        ]
    );
    // the report printed before the edit is reproduced: the edit undone
    assert_eq!(
        filed(&["--as-recorded", "--as-of", "2021-01-01"]),
        (json!("Old programme"), json!(null), json!(["a", "b"]))
    );
    // an empty programme removes it; nothing to change says so
    w.ok(&["target", "edit", "m", "--programme", ""]);
    assert_eq!(filed(&[]).0, json!(null));
    assert_eq!(
        w.ok(&["target", "edit", "m", "--owner", "Ministry C"]),
        "target m: nothing to change\n"
    );
    // a blank tag is refused, the database unchanged
    let before = w.dump();
    let err = w.fails(1, &["target", "edit", "m", "--tag", " "]);
    assert!(err.contains("an empty tag"), "{err}");
    w.fails(2, &["target", "edit", "m", "--tag", "b", "--untag", "b"]);
    assert_eq!(w.dump(), before);
}

#[test]
fn programmes_owners_and_tags_travel_with_the_data_set() {
    let w = portfolio();
    let first = w.ok(&["export"]);
    assert!(
        first.contains(
            "id = \"t1\"\nindicator = \"a\"\nkind = \"level\"\nprogramme = \"P1\"\nowner = \"Ministry A\"\ntags = [\"x\", \"y\"]\n"
        ),
        "{first}"
    );
    let copy = Workdir::new();
    let file = copy.file("set.toml", &first);
    copy.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export"]), first);
    assert_eq!(
        copy.ok(&[
            "report",
            "--as-of",
            AS_OF,
            "--group-by",
            "tag",
            "--format",
            "json"
        ]),
        w.ok(&[
            "report",
            "--as-of",
            AS_OF,
            "--group-by",
            "tag",
            "--format",
            "json"
        ])
    );
    // a revision does not take them; a blank tag names its line
    let bad = copy.file(
        "bad.toml",
        "version = 1\n[[target]]\nid = \"z\"\nkind = \"milestone\"\ndeadline = \"2030\"\n\
         [[target.revision]]\neffective = \"2024-01-01\"\nsource = \"s\"\nprogramme = \"P\"\n",
    );
    let err = copy.fails(1, &["import", bad.to_str().unwrap()]);
    assert!(err.contains("unknown field 'programme'"), "{err}");
    let blank = copy.file(
        "blank.toml",
        "version = 1\n[[target]]\nid = \"z\"\nkind = \"milestone\"\ndeadline = \"2030\"\ntags = [\"\"]\n",
    );
    let err = copy.fails(1, &["import", blank.to_str().unwrap()]);
    assert!(
        err.contains("blank.toml:2: target 'z'") && err.contains("empty tag"),
        "{err}"
    );
}

#[test]
fn the_seed_is_filed_by_the_programmes_its_document_names() {
    let w = Workdir::seeded();
    let v = json_of(
        &w,
        &[
            "report",
            "--as-of",
            "2026-11-28",
            "--group-by",
            "programme",
            "--format",
            "json",
        ],
    );
    let g: Vec<(String, Vec<String>)> = groups(&v)
        .into_iter()
        .map(|(name, .., ids)| (name, ids))
        .collect();
    let find = |name: &str| {
        let mut ids = g.iter().find(|(n, _)| n == name).unwrap().1.clone();
        ids.sort();
        ids
    };
    assert_eq!(
        find("EAEU Strategy 2025"),
        ids(&[
            "eaeu-exports-third-countries-2025",
            "eaeu-strategy-legal-acts-2025",
            "eaeu-strategy-measures-2025",
            "eaeu-strategy-treaties-2025",
            "eaeu-strategy-treaty-amendments-2025",
        ])
    );
    assert_eq!(
        find("State Programme \"Agrarian Business\" 2021-2025"),
        ids(&["agri-food-2021", "agri-food-2025"])
    );
    assert_eq!(
        find("Covenant of Mayors for Climate & Energy"),
        ids(&["covenant-ghg-2030"])
    );
    assert_eq!(find("(none)").len(), 16);
}
