//! Text is data (issue 5, part 6): every SQL statement binds its
//! parameters, so names that look like SQL are stored and read back as
//! written, and nothing they say is executed. And text quoted in an error
//! never breaks the one-line error or reaches the terminal as a control
//! sequence.

mod common;

use common::Workdir;

const HOSTILE: [&str; 8] = [
    "x'); DROP TABLE observation; --",
    "\"; DELETE FROM indicator; --",
    "' OR '1'='1",
    "Robert'); DROP TABLE target;--",
    "1; UPDATE observation SET value = 0",
    "%s %d {} {{}} $1 ?1 :name @p",
    "ʼ՚＇‘’ unicode quotes ＂；",
    "back\\slash and a\ttab",
];

fn counts(w: &Workdir) -> Vec<i64> {
    let c = rusqlite::Connection::open(&w.db).unwrap();
    [
        "indicator",
        "target",
        "target_version",
        "observation",
        "source",
    ]
    .iter()
    .map(|t| {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    })
    .collect()
}

fn json(w: &Workdir, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

#[test]
fn names_that_look_like_sql_are_stored_and_read_back_as_written() {
    let w = Workdir::new();
    for (i, text) in HOSTILE.iter().enumerate() {
        let id = format!("i{i}");
        let target = format!("t{i}");
        w.ok(&[
            "indicator",
            "add",
            &id,
            "--name",
            text,
            "--entity",
            text,
            "--unit",
            text,
            "--description",
            text,
        ]);
        w.ok(&[
            "target",
            "add",
            &target,
            "--indicator",
            &id,
            "--value",
            "5",
            "--deadline",
            "2025",
            "--title",
            text,
            "--quote",
            text,
            "--gloss",
            text,
            "--source",
            text,
            "--url",
            text,
            "--note",
            text,
        ]);
        w.ok(&[
            "obs", "add", &id, "2021", "4", "--source", text, "--url", text, "--note", text,
        ]);
    }
    w.ok(&["obs", "retract", "1", "--why", HOSTILE[0]]);
    w.ok(&[
        "target",
        "add",
        "m",
        "--milestone",
        "--deadline",
        "2025",
        "--title",
        HOSTILE[3],
    ]);
    w.ok(&[
        "target",
        "done",
        "m",
        "--on",
        "2024-01-01",
        "--source",
        HOSTILE[1],
    ]);
    let n = HOSTILE.len() as i64;
    assert_eq!(counts(&w), [n, n + 1, n + 1, n, n + 1]);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));

    let indicators = json(&w, &["indicator", "list", "--format", "json"]);
    let targets = json(&w, &["target", "list", "--format", "json"]);
    let observations = json(&w, &["obs", "list", "--history", "--format", "json"]);
    for (i, text) in HOSTILE.iter().enumerate() {
        let ind = &indicators["indicators"][i];
        for key in ["name", "entity", "unit", "description"] {
            assert_eq!(ind[key], *text, "indicator {key}");
        }
        let t = targets["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == format!("t{i}"))
            .unwrap();
        for key in ["title", "quote", "gloss", "source", "url", "note"] {
            assert_eq!(t[key], *text, "target {key}");
        }
        let o = &observations["observations"][i];
        for key in ["source", "url", "note"] {
            assert_eq!(o[key], *text, "observation {key}");
        }
    }
    let retracted = observations["observations"][0]["retracted"].to_string();
    assert!(retracted.contains("DROP TABLE observation"), "{retracted}");

    // the export carries them too, and imports into a new database unchanged
    let exported = w.ok(&["export"]);
    let copy = Workdir::new();
    let file = copy.file("export.toml", &exported);
    copy.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export"]), exported);
    assert_eq!(counts(&copy), counts(&w));
}

#[test]
fn text_from_files_is_data_too_even_with_a_nul_or_line_breaks() {
    let w = Workdir::new();
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    let csv = w.file(
        "o.csv",
        "indicator,period,value,source,note\n\
         x,2021,1,\"x'); DROP TABLE observation; --\",\"line one\nline two; DELETE FROM source\"\n",
    );
    w.ok(&["obs", "import", csv.to_str().unwrap()]);
    let data = w.file(
        "d.toml",
        "version = 1\n[[observation]]\nindicator = \"x\"\nperiod = \"2022\"\nvalue = 2\n\
         note = \"nul \\u0000 inside; DROP TABLE indicator\"\n",
    );
    w.ok(&["import", data.to_str().unwrap()]);
    let o = json(&w, &["obs", "list", "--history", "--format", "json"]);
    assert_eq!(
        o["observations"][0]["source"],
        "x'); DROP TABLE observation; --"
    );
    assert_eq!(
        o["observations"][0]["note"],
        "line one\nline two; DELETE FROM source"
    );
    assert_eq!(
        o["observations"][1]["note"],
        "nul \u{0} inside; DROP TABLE indicator"
    );
    assert_eq!(counts(&w), [1, 0, 0, 2, 1]);
}

#[test]
fn an_error_quoting_control_characters_stays_one_plain_line() {
    let w = Workdir::new();
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
    let line = w.refuses(
        1,
        &[
            "obs",
            "add",
            "x",
            "2021",
            "\u{1b}[31mred\u{1b}[0m\r\nerror: fake",
        ],
        "invalid quantity",
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.contains("\\u{1b}[31mred"), "{line}");
    let csv = w.file("o.csv", "indicator,period,value\nx,2021,\"5\r\n6\"\n");
    let line = w.refuses(
        1,
        &["obs", "import", csv.to_str().unwrap()],
        "o.csv:2:3: invalid quantity '5\\r\\n6'",
    );
    assert!(!line.chars().any(char::is_control), "{line:?}");
}
