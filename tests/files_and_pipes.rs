//! Files and pipes (issue 11, points 6 to 8), through the binary: `-` for
//! standard input wherever a file is read, the CSV dialects (delimiter,
//! decimal comma, unknown columns), every bad line reported, `obs list
//! --format csv` imported again as it is, and `--bom`.

mod common;

use common::{Workdir, fixtures};
use serde_json::Value;

/// A database with a flow in USD (`x`) and a share in % (`p`).
fn setup() -> Workdir {
    let w = Workdir::new();
    w.flow_indicator("x", "USD");
    w.ok(&["indicator", "add", "p", "--name", "P", "--unit", "%"]);
    w
}

fn json(w: &Workdir, args: &[&str]) -> Value {
    serde_json::from_str(&w.ok(args)).unwrap()
}

/// `goalpost ARGS…` with `input` on standard input.
fn piped(w: &Workdir, args: &[&str], input: &[u8]) -> std::process::Output {
    w.cmd()
        .args(args)
        .write_stdin(input.to_vec())
        .output()
        .unwrap()
}

/// (indicator, period, value) of every vintage, in list order.
fn values(w: &Workdir) -> Vec<(String, String, f64)> {
    json(w, &["obs", "list", "--history", "--format", "json"])["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["indicator"].as_str().unwrap().to_string(),
                o["period"].as_str().unwrap().to_string(),
                o["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn text(out: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_dash_reads_standard_input_for_goalpost_csv_and_names_it_stdin() {
    let w = setup();
    let out = piped(
        &w,
        &["obs", "import", "-"],
        b"indicator,period,value\nx,2021,6.7bn\np,2021,38%\n",
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "imported 2 observations from stdin as batch 1\n");
    assert_eq!(
        values(&w),
        vec![
            ("p".into(), "2021".into(), 38.0),
            ("x".into(), "2021".into(), 6.7e9)
        ]
    );
    // an error names standard input, its line and column
    let before = w.dump();
    let out = piped(
        &w,
        &["obs", "import", "-"],
        b"indicator,period,value\nx,2022,lots\n",
    );
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.starts_with("error: stdin:2:3: invalid quantity 'lots'"),
        "{stderr}"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn a_dash_reads_standard_input_for_the_published_formats_and_data_sets() {
    let w = Workdir::new();
    w.ok(&["init"]);
    let sdmx = std::fs::read(fixtures().join("import/sdmx-csv/v2.csv")).unwrap();
    let out = piped(
        &w,
        &["obs", "import", "--format", "sdmx-csv", "--create", "-"],
        &sdmx,
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.starts_with("imported stdin (sdmx-csv) as batch 1: 3 indicators created"),
        "{stdout}"
    );
    // a data set
    let seed = std::fs::read(fixtures().join("seed.toml")).unwrap();
    let fresh = Workdir::new();
    let out = piped(&fresh, &["import", "-"], &seed);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("imported "), "{stdout}");
    assert!(stdout.ends_with("observations as batch 1\n"), "{stdout}");
    // a data set's error names standard input and the line
    let out = piped(&Workdir::new(), &["import", "-"], b"version = 1\nx\n");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.starts_with("error: stdin:2"), "{stderr}");
    // an Open SDG repository is a folder: standard input is a usage error
    let out = piped(&w, &["import", "--format", "opensdg", "-"], b"");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("--format opensdg reads a folder"),
        "{stderr}"
    );
}

#[test]
fn the_delimiter_is_sniffed_from_the_header_or_given() {
    let expected = vec![
        ("p".to_string(), "2021".to_string(), 7.5),
        ("x".to_string(), "2021".to_string(), 4.1e9),
    ];
    for (name, body, flags) in [
        (
            "semi.csv",
            "indicator;period;value;note\nx;2021;4.1bn;\"a; b\"\np;2021;7.5;\n",
            &[][..],
        ),
        (
            "tab.csv",
            "indicator\tperiod\tvalue\nx\t2021\t4.1bn\np\t2021\t7.5\n",
            &[][..],
        ),
        // .tsv means tab, even where a comma is more frequent in the header
        (
            "t.tsv",
            "indicator\tperiod\tvalue\tnote\nx\t2021\t4.1bn\ta,b,c\np\t2021\t7.5\t\n",
            &[][..],
        ),
        (
            "given.txt",
            "indicator;period;value\nx;2021;4.1bn\np;2021;7.5\n",
            &["--delimiter", ";"][..],
        ),
        // --delimiter wins over the extension
        (
            "given.tsv",
            "indicator,period,value\nx,2021,4.1bn\np,2021,7.5\n",
            &["--delimiter", ","][..],
        ),
    ] {
        let w = setup();
        let f = w.file(name, body);
        let mut args = vec!["obs", "import", f.to_str().unwrap()];
        args.extend_from_slice(flags);
        w.ok(&args);
        assert_eq!(values(&w), expected, "{name}");
    }
    // a delimiter goalpost does not read is a usage error
    let w = setup();
    let f = w.file("a.csv", "indicator,period,value\n");
    w.refuses(
        2,
        &["obs", "import", f.to_str().unwrap(), "--delimiter", "|"],
        "'|' is not a delimiter goalpost reads",
    );
}

#[test]
fn a_decimal_comma_is_read_under_another_delimiter_and_refused_with_commas() {
    let w = setup();
    let f = w.file(
        "dc.csv",
        "\u{feff}indicator;period;value\r\nx;2021;1.234,5\r\np;2021;7,5\r\np;2022;\"38,25%\"\r\n",
    );
    let path = f.to_str().unwrap();
    // without the flag, the hint names it
    let before = w.dump();
    let err = w.run(&["obs", "import", path]);
    let (_, stderr) = text(&err);
    assert_eq!(err.status.code(), Some(1));
    assert!(
        stderr.starts_with(&format!("error: {path}:2:3: invalid quantity '1.234,5'")),
        "{stderr}"
    );
    assert!(stderr.contains("pass --decimal-comma"), "{stderr}");
    assert_eq!(w.dump(), before);
    w.ok(&["obs", "import", path, "--decimal-comma"]);
    assert_eq!(
        values(&w),
        vec![
            ("p".into(), "2021".into(), 7.5),
            ("p".into(), "2022".into(), 38.25),
            ("x".into(), "2021".into(), 1234.5)
        ]
    );
    // a point is a thousands separator under a decimal comma: 7.5 is wrong
    let f = w.file("dot.tsv", "indicator\tperiod\tvalue\nx\t2023\t7.5\n");
    w.refuses(
        1,
        &["obs", "import", f.to_str().unwrap(), "--decimal-comma"],
        "invalid quantity '7.5': under --decimal-comma a number is written 7,5 or 1.234,5",
    );
    // with a comma delimiter, 7,5 would be two cells
    let f = w.file("comma.csv", "indicator,period,value\nx,2023,\"7,5\"\n");
    w.refuses(
        1,
        &["obs", "import", f.to_str().unwrap(), "--decimal-comma"],
        "comma.csv:1: the header is comma-separated, and --decimal-comma needs ';' or tab",
    );
    w.refuses(
        2,
        &[
            "obs",
            "import",
            f.to_str().unwrap(),
            "--decimal-comma",
            "--delimiter",
            ",",
        ],
        "--decimal-comma needs ';' or tab between the cells",
    );
    assert_eq!(w.dump().matches("observation: ").count(), 3);
}

#[test]
fn unknown_columns_are_named_unless_ignored_and_the_summary_says_so() {
    let w = setup();
    let f = w.file(
        "extra.csv",
        "indicator,period,Region,value,comment\nx,2021,Minsk,6.7bn,checked\n",
    );
    let path = f.to_str().unwrap();
    w.refuses(
        1,
        &["obs", "import", path],
        "extra.csv:1:3: unknown columns 'Region', 'comment' (expected indicator,period,value,qualifier,source,url,published,note,flags; --ignore-columns skips the others)",
    );
    let out = w.ok(&["obs", "import", path, "--ignore-columns"]);
    assert_eq!(
        out,
        format!(
            "imported 1 observation from {path} as batch 1 (columns ignored: Region, comment)\n"
        )
    );
    assert_eq!(values(&w), vec![("x".into(), "2021".into(), 6.7e9)]);
    // the dialect flags are for goalpost's CSV alone
    w.refuses(
        2,
        &["obs", "import", path, "--format", "wdi", "--ignore-columns"],
        "go with goalpost's CSV",
    );
}

/// A file with 25 bad lines among good ones.
fn many_bad_lines(w: &Workdir) -> std::path::PathBuf {
    let mut body = String::from("indicator,period,value\n");
    for i in 0..30 {
        if i % 6 == 5 {
            body.push_str(&format!("x,{},6bn\n", 2000 + i));
        } else {
            body.push_str(&format!("x,{},oops{i}\n", 2000 + i));
        }
    }
    w.file("bad.csv", body)
}

#[test]
fn every_bad_line_is_reported_up_to_twenty_in_a_dry_run_and_a_real_import() {
    let w = setup();
    let f = many_bad_lines(&w);
    let path = f.to_str().unwrap();
    let before = (w.db_bytes(), w.dump());
    for dry in [true, false] {
        let mut args = vec!["obs", "import", path];
        if dry {
            args.push("--dry-run");
        }
        let out = w.run(&args);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stdout, "");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 22, "{stderr}");
        assert_eq!(
            lines[0],
            format!("error: {path}:2:3: invalid quantity 'oops0': not a number")
        );
        // line 7 (i = 5) is good: the second bad line is line 8
        assert!(
            lines[5].starts_with(&format!("error: {path}:8:3:")),
            "{stderr}"
        );
        assert_eq!(lines[20], "error: … and 5 more bad lines");
        assert_eq!(
            lines[21],
            format!("error: {path}: 25 bad lines; nothing was imported")
        );
        assert!(common::bad_lines_listed(&stderr));
        assert_eq!((w.db_bytes(), w.dump()), before);
    }
}

#[test]
fn the_csv_list_imports_again_as_it_is_and_round_trips() {
    let w = setup();
    let tricky = w.file(
        "in.csv",
        "indicator,period,value,qualifier,source,url,published,note\n\
         x,2021,6.7bn,about,\"Ministry, table 3\",https://example.org/a?b=1,2022-02-11,\"two\nlines, \"\"quoted\"\"\"\n\
         x,2021,6.70000000001bn,,Ministry,,2022-05-01,revised\n\
         x,2022-01..2022-08,-5.168bn,,,,,eight months\n\
         p,2021-Q3,33.333333333333336%,at_least,,,,\n\
         p,2020,0.1,,,,,\n\
         p,2019,1e-7,,,,,Ünïcödé ✓\n",
    );
    w.ok(&["obs", "import", tricky.to_str().unwrap()]);
    w.ok(&["obs", "retract", "5", "--why", "typed 0.1 for 1"]);
    for history in [false, true] {
        let mut list = vec!["obs", "list", "--format", "csv"];
        if history {
            list.push("--history");
        }
        let first = w.ok(&list);
        assert!(
            first.starts_with(
                "indicator,period,value,qualifier,source,url,published,note,flags,id,recorded,state,retracted,retracted_why\n"
            ),
            "{first}"
        );
        // values in base units at full precision
        assert!(first.contains(",6700000000.01,,Ministry,"), "{first}");
        assert_eq!(first.contains(",6700000000,about,"), history, "{first}");
        assert!(first.contains(",0.0000001,"), "{first}");
        let fresh = setup();
        let f = fresh.file("export.csv", &first);
        let out = fresh.ok(&["obs", "import", f.to_str().unwrap()]);
        assert!(out.starts_with("imported "), "{out}");
        let again = fresh.ok(&list);
        // the same, but for the ids and the times of entry (and retraction)
        let strip = |csv: &str| -> Vec<Vec<String>> {
            let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
            r.records()
                .map(|rec| {
                    let rec = rec.unwrap();
                    rec.iter()
                        .enumerate()
                        .filter(|(i, _)| ![9, 10, 12].contains(i))
                        .map(|(_, c)| c.to_string())
                        .collect()
                })
                .collect()
        };
        assert_eq!(strip(&again), strip(&first), "history: {history}");
        if history {
            assert!(again.contains(",retracted,"), "{again}");
            assert!(again.contains("typed 0.1 for 1"), "{again}");
            assert!(again.contains(",superseded,"), "{again}");
        }
        // and into the database it came from: nothing new
        let out = w.ok(&[
            "obs",
            "import",
            w.file("back.csv", &first).to_str().unwrap(),
        ]);
        assert!(out.starts_with("imported 0 observations from"), "{out}");
    }
}

#[test]
fn the_seed_data_sets_list_imports_into_a_database_with_its_indicators() {
    let w = Workdir::seeded();
    let list = w.ok(&["obs", "list", "--history", "--format", "csv"]);
    // a database with the same indicators and targets but no observation
    let exported = w.ok(&["export"]);
    let without: Vec<&str> = exported
        .split("\n[[")
        .filter(|block| !block.starts_with("observation]]"))
        .collect();
    let fresh = Workdir::new();
    let data = fresh.file("no-obs.toml", without.join("\n[["));
    fresh.ok(&["import", data.to_str().unwrap()]);
    let f = fresh.file("list.csv", &list);
    let rows = list.lines().count() - 1;
    let out = fresh.ok(&["obs", "import", f.to_str().unwrap()]);
    assert!(
        out.starts_with(&format!("imported {rows} observations from")),
        "{out}"
    );
    let report = |w: &Workdir| w.ok(&["report", "--as-of", "2026-06-30", "--format", "json"]);
    assert_eq!(report(&fresh), report(&w));
}

#[test]
fn bom_goes_before_csv_output_and_the_import_reads_it() {
    let w = setup();
    w.ok(&["obs", "add", "p", "2021", "38%", "--note", "Ünïcödé"]);
    let out = w
        .cmd()
        .args(["obs", "list", "--format", "csv", "--bom"])
        .output()
        .unwrap();
    assert!(out.stdout.starts_with(b"\xef\xbb\xbfindicator,period,"));
    let file = w.path("r.csv");
    w.ok(&["indicator", "list", "--bom", "-o", file.to_str().unwrap()]);
    assert!(
        std::fs::read(&file)
            .unwrap()
            .starts_with(b"\xef\xbb\xbfid,name,")
    );
    let report = w.path("report.csv");
    w.ok(&["report", "--bom", "-o", report.to_str().unwrap()]);
    assert!(std::fs::read(&report).unwrap().starts_with(b"\xef\xbb\xbf"));
    w.refuses(2, &["obs", "list", "--bom"], "--bom goes with CSV output");
    w.refuses(
        2,
        &["target", "list", "--bom", "--format", "json"],
        "--bom goes with CSV output (--format csv or -o FILE.csv), not json",
    );
    // a file written for a spreadsheet imports again
    let fresh = setup();
    let piped = piped(&fresh, &["obs", "import", "-"], &out.stdout);
    assert!(piped.status.success(), "{}", text(&piped).1);
    assert_eq!(values(&fresh), vec![("p".into(), "2021".into(), 38.0)]);
}

/// A file written with `-o` as it is made (a streamed report) gets the
/// permissions of any new file (0666 less the umask), as one written
/// whole does, not a temporary file's private 0600.
#[cfg(unix)]
#[test]
fn a_streamed_output_file_has_the_permissions_of_a_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let w = Workdir::seeded();
    let plain = w.file("plain.txt", "x");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let report = w.path("report.csv");
    w.ok(&[
        "report",
        "--as-of",
        "2026-06-30",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(mode(&report), mode(&plain));
}

/// Two vintages of the same days written differently (`2021-07..2021-09`,
/// then `2021-Q3`) are listed in entry order, so that the CSV list imported
/// elsewhere keeps the later entry in force: 2021-Q3 = 10 is the latest,
/// progress (10 − 10)/(40 − 10) = 0, off track, on both sides.
#[test]
fn vintages_of_the_same_days_keep_their_entry_order_through_the_csv_list() {
    let setup = || {
        let w = Workdir::new();
        w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "count"]);
        w.ok(&[
            "target",
            "add",
            "xt",
            "--indicator",
            "x",
            "--baseline",
            "2021-Q2=10",
            "--value",
            "40",
            "--deadline",
            "2022-Q4",
        ]);
        w
    };
    let w = setup();
    w.ok(&["obs", "add", "x", "2021-07..2021-09", "20"]);
    w.ok(&["obs", "add", "x", "2021-Q3", "10"]);
    let csv = w.ok(&["obs", "list", "--history", "--format", "csv"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows[0].starts_with("x,2021-07..2021-09,20,"), "{csv}");
    assert!(rows[1].starts_with("x,2021-Q3,10,"), "{csv}");
    let other = setup();
    let f = other.file("list.csv", &csv);
    other.ok(&["obs", "import", f.to_str().unwrap()]);
    let latest = |w: &Workdir| {
        let r: serde_json::Value =
            serde_json::from_str(&w.ok(&["report", "--as-of", "2022-01-15", "--format", "json"]))
                .unwrap();
        (
            r["targets"][0]["latest"]["value"].clone(),
            r["targets"][0]["status"].clone(),
        )
    };
    assert_eq!(latest(&w), latest(&other));
    assert_eq!(latest(&w).0, serde_json::json!(10.0));
}
