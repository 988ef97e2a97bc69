//! Issue 13 points 4 and 5, through the binary: observation flags (from
//! SDMX-CSV and Eurostat TSV, `obs add --flag`, the CSV `flags` column,
//! data sets; a forecast is never an observation, a break in series between
//! baseline and latest is noted) and indicator dimensions with a headline
//! parent (`--dim`, `--parent`, the Open SDG importer, `indicator list
//! --dim`, `report --dim`). The expected rows are worked out by hand from
//! the fixtures, in the comments beside them.

mod common;

use std::path::{Path, PathBuf};

use common::{Workdir, fixtures};
use serde_json::{Value, json};

fn import_fixture(name: &str) -> PathBuf {
    fixtures().join("import").join(name)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The ids of the rows of a JSON list under `key`, in order.
fn ids(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The notes of target `id` in a JSON report.
fn notes(report: &Value, id: &str) -> Vec<String> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id}"))["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

/// The Eurostat TSV fixture imported with --create: its EU27_2020 GDP
/// series reads 2019 30000, 2020 28320 b, 2021 29860 e, 2022 30860 p,
/// 2023 31000, 2024 31400 f.
fn eurostat() -> (Workdir, &'static str) {
    let w = Workdir::new();
    let f = import_fixture("eurostat-tsv/sdg_08_10.tsv");
    w.ok(&[
        "obs",
        "import",
        "--format",
        "eurostat-tsv",
        s(&f),
        "--create",
    ]);
    (w, "a.clv10_eur_hab.b1gq.eu27_2020")
}

#[test]
fn eurostat_flags_are_fields_a_forecast_is_not_counted_and_a_break_is_noted() {
    let (w, gdp) = eurostat();
    let obs = parse(&w.ok(&["obs", "list", gdp, "--format", "json"]));
    let rows: Vec<(String, Value)> = obs["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["period"].as_str().unwrap().to_string(),
                o["flags"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2019".to_string(), json!([])),
            ("2020".to_string(), json!(["break"])),
            ("2021".to_string(), json!(["estimated"])),
            ("2022".to_string(), json!(["provisional"])),
            ("2023".to_string(), json!([])),
        ],
        "the 2024 forecast is not stored"
    );
    // a CSV list has the flags column
    let csv = w.ok(&["obs", "list", gdp, "--format", "csv"]);
    assert!(
        csv.starts_with("indicator,period,value,qualifier,source,url,published,note,flags,"),
        "{csv}"
    );
    assert!(csv.contains(",2020,28320,,Eurostat "), "{csv}");
    assert!(csv.contains("sdg_08_10.tsv,,,,break,"), "{csv}");

    // from 2019: the break (2020) is between the baseline and the latest (2023)
    w.ok(&[
        "target",
        "add",
        "from-2019",
        "--indicator",
        gdp,
        "--baseline",
        "2019",
        "--value",
        "33000",
        "--deadline",
        "2030",
    ]);
    // from 2020: the break is the baseline itself, the new series' first value
    w.ok(&[
        "target",
        "add",
        "from-2020",
        "--indicator",
        gdp,
        "--baseline",
        "2020",
        "--value",
        "33000",
        "--deadline",
        "2030",
    ]);
    let report = parse(&w.ok(&["report", "--as-of", "2026-06-30", "--format", "json"]));
    for t in report["targets"].as_array().unwrap() {
        // the forecast of 2024 does not count: the latest is 2023's 31000
        assert_eq!(t["latest"]["period"], "2023", "{}", t["id"]);
        assert_eq!(t["latest"]["value"], 31000.0, "{}", t["id"]);
    }
    assert!(
        notes(&report, "from-2019").contains(
            &"break in series between the baseline (2019) and the latest value (2023): 2020 flagged as the start of a new series; the change may be partly the break's, not progress".to_string()
        ),
        "{:?}",
        notes(&report, "from-2019")
    );
    assert!(
        !notes(&report, "from-2020")
            .iter()
            .any(|n| n.contains("break")),
        "{:?}",
        notes(&report, "from-2020")
    );
    // before 2020 was known (as of 2020-06-30 the latest is 2019): no break yet
    let early = parse(&w.ok(&["report", "--as-of", "2020-06-30", "--format", "json"]));
    assert!(
        !notes(&early, "from-2019")
            .iter()
            .any(|n| n.contains("break"))
    );

    // show: the latest value's flags, and a flags column of every vintage
    let show = w.ok(&["show", "from-2019", "--as-of", "2023-06-30", "--width", "0"]);
    assert!(
        show.contains("- latest 30,860 CLV10_EUR_HAB (2022, provisional), "),
        "{show}"
    );
    let vintages = &show[show.find("Observations (every vintage)").unwrap()..];
    assert!(vintages.contains("│ flags "), "{vintages}");
    assert!(vintages.contains("│ estimated "), "{vintages}");
    let json_show = parse(&w.ok(&[
        "show",
        "from-2019",
        "--as-of",
        "2023-06-30",
        "--format",
        "json",
    ]));
    assert_eq!(json_show["latest_flags"], json!(["provisional"]));
}

#[test]
fn sdmx_status_codes_become_flags() {
    let w = Workdir::new();
    let f = import_fixture("sdmx-csv/eurostat-v1.csv");
    w.ok(&["obs", "import", "--format", "sdmx-csv", s(&f), "--create"]);
    // OBS_FLAG p, e, f: the EU27_2020 series keeps 2021 e and 2022 p, and
    // not the 2023 forecast
    let obs = parse(&w.ok(&[
        "obs",
        "list",
        "a.clv10_eur_hab.b1gq.eu27_2020",
        "--format",
        "json",
    ]));
    let flags: Vec<Value> = obs["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["flags"].clone())
        .collect();
    assert_eq!(
        flags,
        [
            json!([]),
            json!([]),
            json!(["estimated"]),
            json!(["provisional"])
        ]
    );
}

#[test]
fn flags_by_hand_and_in_csv_and_a_forecast_refused() {
    let w = Workdir::new();
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "%"]);
    let out = w.ok(&[
        "obs",
        "add",
        "x",
        "2021",
        "5",
        "--flag",
        "provisional",
        "--flag",
        "Estimated",
    ]);
    assert_eq!(
        out,
        "added observation 1: x 2021 = 5.0% (provisional, estimated)\n"
    );
    let before = w.dump();
    w.refuses(
        1,
        &["obs", "add", "x", "2030", "9", "--flag", "forecast"],
        "a forecast is never recorded as an observation",
    );
    w.refuses(
        1,
        &["obs", "add", "x", "2022", "6", "--flag", "prelim"],
        "'prelim' is not a flag (one of: provisional, estimated,",
    );
    assert_eq!(w.dump(), before, "refused: nothing stored");
    let csv = w.file(
        "x.csv",
        "indicator,period,value,flags,note\nx,2022,6,\"break, revised\",new method\nx,2023,7,,\n",
    );
    w.ok(&["obs", "import", s(&csv)]);
    let obs = parse(&w.ok(&["obs", "list", "x", "--format", "json"]));
    let rows = obs["observations"].as_array().unwrap();
    assert_eq!(rows[1]["flags"], json!(["break", "revised"]));
    assert_eq!(rows[1]["note"], "new method");
    assert_eq!(rows[2]["flags"], json!([]));
    let bad = w.file(
        "bad.csv",
        "indicator,period,value,flags\nx,2024,8,provisional\nx,2025,9,f\n",
    );
    let before = w.dump();
    w.refuses(
        1,
        &["obs", "import", s(&bad)],
        "bad.csv:3:4: 'f' is not a flag",
    );
    assert_eq!(w.dump(), before, "all or nothing");
}

#[test]
fn a_file_with_flags_in_its_notes_is_upgraded_into_flags() {
    let w = Workdir::new();
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "%"]);
    for (period, value) in [("2019", "1"), ("2020", "2"), ("2021", "3"), ("2022", "4")] {
        w.ok(&["obs", "add", "x", period, value]);
    }
    // the file as the version before flags had a field (6) had it, with
    // the notes the importers wrote then
    {
        let c = rusqlite::Connection::open(&w.db).unwrap();
        c.execute_batch(
            "UPDATE observation SET note = 'flags: b (break in time series), e (estimated)' WHERE period = '2019';
             UPDATE observation SET note = 'flags: P (provisional); COMMENT_OBS: preliminary; see annex' WHERE period = '2020';
             UPDATE observation SET note = 'flags: x (unknown flag), p (provisional)' WHERE period = '2021';
             UPDATE observation SET note = 'flagship programme' WHERE period = '2022';",
        )
        .unwrap();
    }
    common::downgrade(&w.db, 6);
    let obs = parse(&w.ok(&["obs", "list", "x", "--format", "json"]));
    let rows: Vec<(Value, Value)> = obs["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["flags"].clone(), o["note"].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            // in the vocabulary's order, the note emptied
            (json!(["estimated", "break"]), Value::Null),
            // the free text after "; " stays, all of it
            (
                json!(["provisional"]),
                json!("COMMENT_OBS: preliminary; see annex")
            ),
            // a code without a known meaning: the note is kept whole
            (
                json!(["provisional"]),
                json!("flags: x (unknown flag), p (provisional)")
            ),
            (json!([]), json!("flagship programme")),
        ]
    );
    let c = rusqlite::Connection::open(&w.db).unwrap();
    let v: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, goalpost::store::SCHEMA_VERSION);
    assert!(w.ok(&["db", "check"]).ends_with(": ok\n"));
}

/// The Open SDG fixture with a headline and two disaggregations.
fn open_sdg() -> Workdir {
    let w = Workdir::new();
    let repo = import_fixture("opensdg/sample-dims");
    let out = w.ok(&["import", "--format", "opensdg", s(&repo)]);
    assert!(
        out.contains("3 indicators created, 3 targets created, 6 observations added"),
        "{out}"
    );
    w
}

#[test]
fn open_sdg_disaggregations_are_dimensions_of_the_headline() {
    let w = open_sdg();
    let list = parse(&w.ok(&["indicator", "list", "--format", "json"]));
    let got: Vec<(Value, Value, Value)> = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].clone(), i["dims"].clone(), i["parent"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (json!("8-5-2"), json!({}), Value::Null),
            (json!("8-5-2.2"), json!({"Sex": "Female"}), json!("8-5-2")),
            (
                json!("8-5-2.3"),
                json!({"Sex": "Male", "Age": "15-24"}),
                json!("8-5-2")
            ),
        ]
    );
    let csv = w.ok(&["indicator", "list", "--format", "csv"]);
    assert!(
        csv.contains("\n8-5-2.3,\"Unemployment rate — Male, 15-24\",Canada,%,stock,lower,,Jan-Dec,\"Age=15-24, Sex=Male\",8-5-2\n"),
        "{csv}"
    );
    let show = w.ok(&["show", "8-5-2.2", "--as-of", "2023-06-30", "--width", "0"]);
    assert!(
        show.contains("Unemployment rate — Female (8-5-2.2, %, stock) [Sex=Female; part of 8-5-2]"),
        "{show}"
    );
}

#[test]
fn dim_filters_keep_the_indicators_and_targets_that_have_every_dimension() {
    let w = open_sdg();
    // `command` in JSON, with `--dim D` for each of `dims`
    let run = |command: &[&str], dims: &[&str]| {
        let mut args = command.to_vec();
        args.extend(["--format", "json"]);
        for d in dims {
            args.extend(["--dim", d]);
        }
        parse(&w.ok(&args))
    };
    let list = |dims: &[&str]| ids(&run(&["indicator", "list"], dims), "indicators");
    // keys and values in any case
    assert_eq!(list(&["sex=female"]), ["8-5-2.2"]);
    assert_eq!(list(&["SEX=FEMALE"]), ["8-5-2.2"]);
    // a key alone: any value of it
    assert_eq!(list(&["sex"]), ["8-5-2.2", "8-5-2.3"]);
    assert_eq!(list(&["age"]), ["8-5-2.3"]);
    // repeated: all must match
    assert_eq!(list(&["sex=male", "age=15-24"]), ["8-5-2.3"]);
    assert!(list(&["sex=female", "age=15-24"]).is_empty());
    assert!(list(&["geo"]).is_empty());
    assert_eq!(list(&[]), ["8-5-2", "8-5-2.2", "8-5-2.3"]);

    let report = |dims: &[&str]| run(&["report", "--as-of", "2023-06-30"], dims);
    let female = report(&["sex=female"]);
    assert_eq!(ids(&female, "targets"), ["8-5-2.2"]);
    // 8-5-2.2's series: 2015 9, 2022 6.5 (the Female rows with Age empty)
    assert_eq!(female["targets"][0]["baseline"]["value"], 9.0);
    assert_eq!(female["targets"][0]["latest"]["value"], 6.5);
    let mut both = ids(&report(&["sex"]), "targets");
    both.sort();
    assert_eq!(both, ["8-5-2.2", "8-5-2.3"]);
    let young = report(&["Sex=Male", "age=15-24"]);
    assert_eq!(ids(&young, "targets"), ["8-5-2.3"]);
    assert_eq!(young["targets"][0]["latest"]["value"], 11.0);
    assert!(ids(&report(&["sex=other"]), "targets").is_empty());
    // the methods side by side filter the same way
    let compared = w.ok(&[
        "report",
        "--as-of",
        "2023-06-30",
        "--method",
        "eurostat,pace",
        "--dim",
        "sex=female",
        "--format",
        "csv",
    ]);
    assert_eq!(compared.lines().count(), 2, "{compared}");
    assert!(
        compared.lines().nth(1).unwrap().starts_with("8-5-2.2,"),
        "{compared}"
    );
    w.refuses(2, &["report", "--dim", "=x"], "write KEY=VALUE");
}

#[test]
fn dimensions_and_parents_by_hand_are_checked_and_corrections_logged() {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "emp",
        "--name",
        "Employment",
        "--unit",
        "%",
    ]);
    w.ok(&[
        "indicator",
        "add",
        "emp-f",
        "--name",
        "Employment, women",
        "--unit",
        "%",
        "--dim",
        "sex=female",
        "--dim",
        "age=15-24",
        "--parent",
        "emp",
    ]);
    let before = w.dump();
    w.refuses(
        1,
        &[
            "indicator",
            "add",
            "x",
            "--name",
            "X",
            "--unit",
            "%",
            "--parent",
            "emq",
        ],
        "no indicator 'emq'; did you mean 'emp'?",
    );
    w.refuses(
        1,
        &[
            "indicator",
            "add",
            "x",
            "--name",
            "X",
            "--unit",
            "%",
            "--dim",
            "sex=f",
            "--dim",
            "SEX=m",
        ],
        "given twice",
    );
    w.refuses(
        1,
        &["indicator", "edit", "emp", "--parent", "emp-f"],
        "indicator 'emp' cannot be its own parent",
    );
    assert_eq!(w.dump(), before, "refused: nothing changed");
    let out = w.ok(&[
        "indicator",
        "edit",
        "emp-f",
        "--dim",
        "SEX=male",
        "--dim",
        "age=",
        "--dim",
        "geo=BY-MI",
        "--parent",
        "none",
    ]);
    assert_eq!(
        out,
        "corrected parent, dim:sex, dim:age, dim:geo of indicator emp-f (logged)\n"
    );
    let list = parse(&w.ok(&["indicator", "list", "--format", "json"]));
    assert_eq!(
        list["indicators"][1]["dims"],
        json!({"sex": "male", "geo": "BY-MI"})
    );
    assert_eq!(list["indicators"][1]["parent"], Value::Null);
    w.ok(&["obs", "add", "emp-f", "2020", "40"]);
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "emp-f",
        "--baseline",
        "2020",
        "--value",
        "50",
        "--deadline",
        "2030",
    ]);
    let show = parse(&w.ok(&["show", "t", "--format", "json"]));
    let fields: Vec<(Value, Value, Value)> = show["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].clone(), c["old"].clone(), c["new"].clone()))
        .collect();
    assert_eq!(
        fields,
        [
            (json!("parent"), json!("emp"), Value::Null),
            (json!("dim:sex"), json!("female"), json!("male")),
            (json!("dim:age"), json!("15-24"), Value::Null),
            (json!("dim:geo"), Value::Null, json!("BY-MI")),
        ]
    );
}

#[test]
fn a_data_set_keeps_dimensions_parents_and_flags() {
    let w = Workdir::new();
    let set = w.file(
        "set.toml",
        r#"version = 1

[[indicator]]
id = "emp-f"
name = "Employment, women"
unit = "%"
parent = "emp"
dims = { sex = "female", "age group" = "15-24" }

[[indicator]]
id = "emp"
name = "Employment"
unit = "%"

[[observation]]
indicator = "emp-f"
period = "2021"
value = 47
flags = ["provisional", "break"]
"#,
    );
    w.ok(&["import", s(&set)]);
    let first = w.ok(&["export"]);
    // dimensions on one line of the entry; flags in the vocabulary's order
    assert!(
        first
            .contains("parent = \"emp\"\ndims = { \"age group\" = \"15-24\", sex = \"female\" }\n"),
        "{first}"
    );
    assert!(
        first.contains("flags = [\"provisional\", \"break\"]\n"),
        "{first}"
    );
    let again = Workdir::new();
    let exported = again.file("export.toml", &first);
    again.ok(&["import", s(&exported)]);
    assert_eq!(again.ok(&["export"]), first, "import(export(db)) == db");

    // errors name the file, line and value
    let bad = w.file(
        "bad.toml",
        "version = 1\n\n[[indicator]]\nid = \"y\"\nname = \"Y\"\nunit = \"%\"\nparent = \"nope\"\n",
    );
    w.refuses(
        1,
        &["import", s(&bad)],
        "bad.toml:7:10: indicator 'y': no indicator 'nope'",
    );
    let bad = w.file(
        "flags.toml",
        "version = 1\n\n[[observation]]\nindicator = \"emp\"\nperiod = \"2022\"\nvalue = 1\nflags = [\"forecast\"]\n",
    );
    w.refuses(
        1,
        &["import", s(&bad)],
        "a forecast is never recorded as an observation",
    );
}

/// `report --group-by dim:KEY` rolls the targets up by one dimension of
/// their indicators: the key in any case, a target whose indicator lacks
/// it in `(none)`. Progress by hand from 70 (2020) towards 80 (2030):
/// women 78 → 80%, on track; men 69 → −10%, moving away; all 73 → 30%.
/// Employment, its women and its men (`sex`, and `age` for men), a target
/// of 80% by 2030 on each from 70 in 2020; 2024: 73, 78, 69.
fn employment() -> Workdir {
    let w = Workdir::new();
    for (id, dims) in [
        ("emp", vec![]),
        ("emp-f", vec!["--dim", "sex=female"]),
        ("emp-m", vec!["--dim", "Sex=male", "--dim", "age=15-64"]),
    ] {
        let mut args = vec!["indicator", "add", id, "--name", id, "--unit", "%"];
        args.extend(dims);
        w.ok(&args);
        let t = format!("{id}-2030");
        w.ok(&[
            "target",
            "add",
            &t,
            "--indicator",
            id,
            "--baseline",
            "2020",
            "--value",
            "80",
            "--deadline",
            "2030",
        ]);
        w.ok(&["obs", "add", id, "2020", "70"]);
    }
    w.ok(&["obs", "add", "emp-f", "2024", "78"]);
    w.ok(&["obs", "add", "emp-m", "2024", "69"]);
    w.ok(&["obs", "add", "emp", "2024", "73"]);
    w
}

#[test]
fn a_report_rolls_up_by_one_dimension() {
    let w = employment();
    let r = parse(&w.ok(&[
        "report",
        "--as-of",
        "2025-06-30",
        "--group-by",
        "dim:SEX",
        "--format",
        "json",
    ]));
    assert_eq!(r["group_by"], "dim:SEX");
    let groups: Vec<(Value, Value, Value)> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let t = &g["targets"][0];
            (g["group"].clone(), t["id"].clone(), t["status"].clone())
        })
        .collect();
    assert_eq!(
        groups,
        [
            (json!("female"), json!("emp-f-2030"), json!("on_track")),
            (json!("male"), json!("emp-m-2030"), json!("moving_away")),
            (json!("(none)"), json!("emp-2030"), json!("at_risk")),
        ]
    );
    let women = &r["groups"][0]["targets"][0];
    assert_eq!(women["progress"], json!(0.8));
    assert_eq!(women["dims"], json!({"sex": "female"}));
    let summary = w.ok(&[
        "report",
        "--as-of",
        "2025-06-30",
        "--group-by",
        "dim:age",
        "--summary",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines[0].starts_with("age,targets,"), "{summary}");
    assert!(lines[1].starts_with("15-64,1,"), "{summary}");
    assert!(lines[2].starts_with("(none),2,"), "{summary}");
    w.refuses(
        2,
        &["report", "--group-by", "dim:"],
        "group by programme, owner, entity, tag or dim:KEY",
    );
}

/// A break flagged on a part of the latest derived value (June of a year
/// of twelve months) is between the baseline and the latest value too.
#[test]
fn a_break_inside_the_latest_derived_value_is_noted() {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "b",
        "--name",
        "B",
        "--unit",
        "t",
        "--measure",
        "flow",
    ]);
    w.ok(&[
        "target",
        "add",
        "tb",
        "--indicator",
        "b",
        "--baseline",
        "2019=100",
        "--value",
        "200",
        "--deadline",
        "2030",
    ]);
    for m in 1..=12 {
        let period = format!("2020-{m:02}");
        let mut args = vec!["obs", "add", "b", &period, "10"];
        if m == 6 {
            args.extend(["--flag", "break"]);
        }
        w.ok(&args);
    }
    let r = parse(&w.ok(&["report", "--as-of", "2022-01-01", "--format", "json"]));
    let t = &r["targets"][0];
    assert_eq!(t["latest"]["value"], json!(120.0));
    let notes: Vec<&str> = t["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with(
            "break in series between the baseline (2019) and the latest value (2020): 2020-06 flagged"
        )),
        "{notes:?}"
    );
}

/// `diff --dim` keeps the targets whose indicator has the dimension.
#[test]
fn a_diff_keeps_the_targets_of_a_dimension() {
    let w = employment();
    let d = parse(&w.ok(&[
        "diff",
        "--from",
        "2024-06-30",
        "--to",
        "2025-06-30",
        "--dim",
        "sex=female",
        "--format",
        "json",
    ]));
    let ids: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["emp-f-2030"], "{d:#}");
}
