//! No panics by construction (issue 5, part 5): property tests of the
//! input grammar, the data set reader and the CSV import. Whatever the
//! text, the answer is a value or an error, never a panic; what is
//! accepted is finite and reads back as written.

mod common;

use chrono::{Datelike, NaiveDate};
use goalpost::{dataset, parse};
use proptest::prelude::*;

const UNITS: [&str; 6] = ["USD", "BYN", "%", "jobs", "EUR", ""];

/// Text built from the pieces the grammar is made of, so that the parsers'
/// deeper branches are reached, not only their first "not a number".
fn grammar_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("-"),
        Just("+"),
        Just("−"),
        Just("$"),
        Just("€"),
        Just("£"),
        Just("₽"),
        Just("0"),
        Just("1"),
        Just("7"),
        Just("9"),
        Just("2021"),
        Just("0000"),
        Just("9999"),
        Just("."),
        Just(","),
        Just("_"),
        Just("e"),
        Just("E"),
        Just("e-"),
        Just("k"),
        Just("m"),
        Just("mn"),
        Just("bn"),
        Just("tn"),
        Just("pp"),
        Just("%"),
        Just("="),
        Just(".."),
        Just("-H"),
        Just("-Q"),
        Just("-0"),
        Just("-1"),
        Just("-12"),
        Just("-31"),
        Just(" "),
        Just("\u{feff}"),
        Just("é"),
        Just("🏭"),
        Just("\n"),
        Just("NaN"),
        Just("inf"),
        Just("400"),
        Just("e400"),
        Just("about"),
        Just(">="),
        Just("≤"),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), grammar_soup(), "[ -~]{0,24}"]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_text_makes_a_parser_panic(s in any_text()) {
        let _ = parse::quantity(&s);
        let _ = parse::period(&s);
        let _ = parse::period_in(&s, 4);
        let _ = parse::year_start(&s);
        let _ = parse::date(&s);
        let _ = parse::qualifier(&s);
        for unit in UNITS {
            let _ = parse::value_for(&s, unit);
            let _ = parse::change(&s, unit);
            let _ = parse::period_value(&s, unit, true, 1);
            let _ = parse::period_value(&s, unit, false, 4);
        }
    }

    #[test]
    fn an_accepted_quantity_is_finite(s in any_text()) {
        if let Ok(q) = parse::quantity(&s) {
            prop_assert!(q.value.is_finite(), "{s:?} gave {}", q.value);
        }
        for unit in UNITS {
            if let Ok(goalpost::model::Change::Relative(x)
                | goalpost::model::Change::Absolute(x)
                | goalpost::model::Change::Points(x)) = parse::change(&s, unit)
            {
                prop_assert!(x.is_finite(), "{s:?} gave {x}");
            }
        }
    }

    #[test]
    fn an_error_quotes_the_offending_input(s in any_text()) {
        if let Err(e) = parse::quantity(&s) {
            let quoted = format!("'{s}'");
            prop_assert!(e.to_string().contains(&quoted));
        }
        if let Err(e) = parse::period(&s) {
            prop_assert!(e.to_string().starts_with("invalid period '"));
        }
        if let Err(e) = parse::period_in(&s, 7) {
            prop_assert!(e.to_string().starts_with("invalid period '"));
        }
    }

    #[test]
    fn every_fiscal_period_prints_and_reads_back(year in 2i32..=9999, year_start in 2u32..=12, grain in 0u8..3, n in 0u32..4, form in 0usize..4) {
        // FY{year} in each of its notations, and its halves and quarters
        let names = [
            format!("{year:04}"),
            format!("FY{year:04}"),
            format!("{:04}/{:02}", year - 1, year % 100),
            format!("fy{:04}/{year:04}", year - 1),
        ];
        let part = match grain {
            0 => String::new(),
            1 => format!("-H{}", 1 + n % 2),
            _ => format!("-Q{}", 1 + n % 4),
        };
        let written = format!("{}{part}", names[form]);
        let p = parse::period_in(&written, year_start)
            .map_err(|e| TestCaseError::fail(format!("{written}: {e}")))?;
        prop_assert!(p.start() < p.end());
        let canonical = p.to_string();
        prop_assert_eq!(parse::period_in(&canonical, year_start).unwrap(), p, "{} printed {}", written, canonical);
        // kept as grain and day numbers, it reads back as itself
        let day = goalpost::period::day_number;
        prop_assert_eq!(goalpost::period::Period::from_days(p.first().code(), day(p.start()), day(p.end())), Some(p));
        // a plain year with a part is a calendar half or quarter; the rest
        // lie in FY{year}, which ends in `year` (the first day after it is
        // the first of month M of `year`), and mean nothing in calendar years
        if form != 0 || grain == 0 {
            let fy = parse::period_in(&names[1], year_start).unwrap();
            prop_assert_eq!((fy.end().year(), fy.end().month(), fy.end().day()), (year, year_start, 1));
            prop_assert!(p.start() >= fy.start() && p.end() <= fy.end());
            prop_assert!(parse::period(&canonical).is_err());
        }
    }

    #[test]
    fn every_finite_number_reads_back_exactly(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
        // `{:e}` is how export writes waypoints; `{}` is plain decimal
        for text in [format!("{x:e}"), format!("{x}"), format!("{x:E}")] {
            let q = parse::quantity(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(q.value, x, "{}", text);
        }
    }

    #[test]
    fn thousands_separators_and_scales_read_as_written(n in 0u64..1_000_000_000_000, neg in any::<bool>()) {
        let digits = n.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if neg { "-" } else { "" };
        let want = if neg { -(n as f64) } else { n as f64 };
        prop_assert_eq!(parse::quantity(&format!("{sign}{grouped}")).unwrap().value, want);
        prop_assert_eq!(parse::quantity(&format!("{sign}{}", grouped.replace(',', "_"))).unwrap().value, want);
        prop_assert_eq!(parse::value_for(&format!("{sign}${grouped}"), "USD").unwrap(), want);
        prop_assert_eq!(parse::quantity(&format!("{sign}{n}k")).unwrap().value, want * 1e3);
        let wrong_currency = format!("{sign}${grouped}");
        prop_assert!(parse::value_for(&wrong_currency, "BYN").is_err());
    }

    #[test]
    fn every_period_prints_and_reads_back(year in 1i32..=9999, grain in 0u8..5, n in 0u32..366, len in 0u32..30) {
        let text = period_text(year, grain, n);
        let p = parse::period(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(p.to_string(), text.clone());
        prop_assert!(p.start() < p.end());
        // a range of the same grain
        let last = match grain {
            0 => format!("{:04}", (year + len as i32).min(9999)),
            _ => text.clone(),
        };
        let range = format!("{text}..{last}");
        let r = parse::period(&range).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.start() == p.start() && r.end() >= p.end());
        if last != text {
            let backwards = format!("{last}..{text}");
            prop_assert!(parse::period(&backwards).is_err());
        }
    }

    #[test]
    fn every_date_reads_back(days in 0i64..3_652_058) {
        let d = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days as u64);
        prop_assume!(d.year() <= 9999);
        let text = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse::date(&text).unwrap(), d);
        prop_assert_eq!(parse::period(&text).unwrap().to_string(), text);
    }
}

/// A period of `grain` (year, half, quarter, month, day) in `year`.
fn period_text(year: i32, grain: u8, n: u32) -> String {
    match grain {
        0 => format!("{year:04}"),
        1 => format!("{year:04}-H{}", 1 + n % 2),
        2 => format!("{year:04}-Q{}", 1 + n % 4),
        3 => format!("{year:04}-{:02}", 1 + n % 12),
        _ => {
            let d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
                + chrono::Days::new(u64::from(n % 365));
            d.format("%Y-%m-%d").to_string()
        }
    }
}

/// Data set text assembled from keys and values, valid and not.
fn data_set_soup() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("version = 1\n".to_string()),
        Just("version = 2\n".to_string()),
        Just(String::new()),
    ];
    let table = prop_oneof![
        Just("[[indicator]]"),
        Just("[[target]]"),
        Just("[[observation]]"),
        Just("[[target.revision]]"),
        Just("[indicator]"),
        Just("[[nonsense]]"),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("name"),
        Just("unit"),
        Just("measure"),
        Just("indicator"),
        Just("period"),
        Just("value"),
        Just("change"),
        Just("baseline"),
        Just("baseline_value"),
        Just("deadline"),
        Just("from"),
        Just("kind"),
        Just("path"),
        Just("direction"),
        Just("waypoints"),
        Just("qualifier"),
        Just("published"),
        Just("effective"),
        Just("done_on"),
        Just("recorded"),
        Just("retracted"),
        Just("retracted_why"),
        Just("limit"),
        Just("higher_is_better"),
        Just("colour"),
    ];
    let value = prop_oneof![
        grammar_soup().prop_map(|s| format!("{s:?}")),
        Just("\"x\"".to_string()),
        Just("\"USD\"".to_string()),
        Just("\"%\"".to_string()),
        Just("\"2021\"".to_string()),
        Just("\"2025\"".to_string()),
        Just("\"2020=5\"".to_string()),
        Just("[\"2022=6\"]".to_string()),
        Just("true".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("1e308".to_string()),
        Just("-0.0".to_string()),
        Just("7".to_string()),
        Just("-3".to_string()),
        Just("0".to_string()),
        Just("\"level\"".to_string()),
        Just("\"cumulative\"".to_string()),
        Just("\"trend\"".to_string()),
        Just("\"milestone\"".to_string()),
        Just("\"flow\"".to_string()),
        Just("\"increase\"".to_string()),
        Just("\"compound\"".to_string()),
        Just("\"2026-11-28T01:02:03Z\"".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("\"\"\"multi\nline\"\"\"".to_string()),
    ];
    let line = prop_oneof![
        3 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => table.prop_map(String::from),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
    ];
    (header, prop::collection::vec(line, 0..40)).prop_map(|(h, lines)| h + &lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_text_makes_the_data_set_reader_panic(text in prop_oneof![any::<String>(), data_set_soup()]) {
        let known = [goalpost::model::Indicator {
            id: "x".into(),
            name: "X".into(),
            entity: None,
            unit: "USD".into(),
            measure: goalpost::model::Measure::Flow,
            higher_is_better: true,
            limit: None,
            description: None,
            year_start: 1,
            dims: Default::default(),
            parent: None,
        }];
        match dataset::read(&text, "d.toml", &known) {
            Ok(c) => {
                // what is accepted is written back and read again unchanged
                let mut observations = c.observations.clone();
                for (i, o) in observations.iter_mut().enumerate() {
                    o.id = i as i64 + 1;
                }
                let mut indicators = c.indicators.clone();
                indicators.extend(known.iter().cloned());
                let written = dataset::write(&indicators, &c.targets, &observations)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let again = dataset::read(&written, "export.toml", &[])
                    .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
                prop_assert_eq!(&again.indicators, &indicators);
                prop_assert_eq!(&again.targets, &c.targets);
                prop_assert_eq!(&again.observations, &observations);
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(message.starts_with("d.toml:"), "{}", message);
            }
        }
    }
}

/// The CSV import through the real binary: every outcome is all rows or an
/// error naming the file, and an error changes nothing.
mod csv_import {
    use super::*;
    use common::{Workdir, refusal_problem};

    fn cell() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"x".to_vec()),
            Just(b"nope".to_vec()),
            Just(b"2021".to_vec()),
            Just(b"2021-Q5".to_vec()),
            Just(b"5".to_vec()),
            Just(b"\"4,000\"".to_vec()),
            Just(b"$5".to_vec()),
            Just(b"about".to_vec()),
            Just(b"2022-02-11".to_vec()),
            Just(b"\"a \"\"quoted\"\" note, with a comma\"".to_vec()),
            Just(b"\"two\nlines\"".to_vec()),
            Just(b"\"unclosed".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(Vec::new()),
            Just(b" ".to_vec()),
            Just("Ünïcödé ✓".as_bytes().to_vec()),
        ]
    }

    /// The cells of a row that the header `indicator,period,value,…,note`
    /// accepts (its first three fit the header `indicator,period,value`).
    fn good_row() -> impl Strategy<Value = Vec<Vec<u8>>> {
        let period = prop_oneof![
            Just("2021"),
            Just("2021-Q3"),
            Just("2016..2020"),
            Just("2022-07-15")
        ];
        let value = prop_oneof![
            Just("5"),
            Just("\"4,000\""),
            Just("-3.5bn"),
            Just("$7bn"),
            Just("5.2e9")
        ];
        let note = prop_oneof![
            Just(""),
            Just("\"a, b\""),
            Just("\"two\nlines\""),
            Just("Ünïcödé ✓")
        ];
        (period, value, note).prop_map(|(p, v, n)| {
            ["x", p, v, "about", "src", "", "2023-01-01", n]
                .map(|c| c.as_bytes().to_vec())
                .to_vec()
        })
    }

    /// A CSV file: one of several headers, then rows that mostly fit it.
    fn csv() -> impl Strategy<Value = Vec<u8>> {
        let header = prop_oneof![
            3 => Just((b"\xef\xbb\xbfindicator,period,value,qualifier,source,url,published,note".to_vec(), 8)),
            2 => Just((b"indicator,period,value".to_vec(), 3)),
            1 => Just((b"value,period,indicator,note".to_vec(), 4)),
            1 => Just((b"indicator,period".to_vec(), 2)),
            1 => Just((b"x,2021,5".to_vec(), 3)),
            1 => Just((Vec::new(), 0)),
        ];
        let junk = prop::collection::vec(cell(), 0..9);
        let row = prop_oneof![4 => good_row(), 1 => junk, 1 => Just(Vec::new())];
        let end = prop_oneof![Just(b"\n".to_vec()), Just(b"\r\n".to_vec())];
        (header, prop::collection::vec((row, end.clone()), 0..8), end).prop_map(
            |((h, columns), rows, e)| {
                let mut out = h;
                out.extend(e);
                for (mut cells, e) in rows {
                    if cells.len() == 8 && columns > 0 {
                        cells.truncate(columns);
                    }
                    out.extend(cells.join(&b","[..]));
                    out.extend(e);
                }
                out
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

        #[test]
        fn a_csv_import_takes_all_rows_or_none(body in csv()) {
            let w = Workdir::new();
            w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
            let file = w.file("in.csv", &body);
            let before = (w.db_bytes(), w.dump());
            let out = w.run(&["obs", "import", file.to_str().unwrap()]);
            match out.status.code() {
                Some(0) => {
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let n: usize = stdout
                        .strip_prefix("imported ")
                        .and_then(|s| s.split(' ').next())
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| TestCaseError::fail(stdout.to_string()))?;
                    prop_assert_eq!(w.dump().matches("\nobservation: ").count()
                        + usize::from(w.dump().starts_with("observation: ")), n);
                }
                _ => {
                    if let Some(problem) = refusal_problem(&out, 1, "in.csv") {
                        return Err(TestCaseError::fail(problem));
                    }
                    prop_assert!(w.db_bytes() == before.0);
                    prop_assert_eq!(w.dump(), before.1);
                }
            }
        }
    }
}

/// The CSV dialects (issue 11): the same rows written with commas, with
/// semicolons and decimal commas, or with tabs import as the same
/// observations.
mod csv_dialects {
    use super::*;
    use common::Workdir;

    /// A row: period, a value as digits with a fraction, and a note that
    /// holds each delimiter.
    fn row() -> impl Strategy<Value = (String, u64, u32, String)> {
        let period = prop_oneof![
            Just("2021"),
            Just("2021-Q3"),
            Just("2016..2020"),
            Just("2022-07-15")
        ];
        let note = prop_oneof![Just(""), Just("a, b; c\td"), Just("Ünïcödé ✓")];
        (period, 0..10_000_000u64, 0..1000u32, note)
            .prop_map(|(p, int, frac, n)| (p.to_string(), int, frac, n.to_string()))
    }

    /// The rows as a file: `delimiter`, and a decimal comma (with points
    /// between thousands) or a decimal point.
    fn file(rows: &[(String, u64, u32, String)], delimiter: char, decimal_comma: bool) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let header = ["indicator", "period", "value", "note"];
        let mut out = header.join(&delimiter.to_string());
        out.push('\n');
        for (period, int, frac, note) in rows {
            let digits = int.to_string();
            let value = if decimal_comma {
                // 1234567 -> 1.234.567
                let mut grouped = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push('.');
                    }
                    grouped.push(c);
                }
                format!("{grouped},{frac:03}")
            } else {
                format!("{digits}.{frac:03}")
            };
            let cells = ["x".to_string(), period.clone(), quote(&value), quote(note)];
            out.push_str(&cells.join(&delimiter.to_string()));
            out.push_str(if int % 2 == 0 { "\n" } else { "\r\n" });
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 16,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn every_dialect_imports_the_same_observations(rows in prop::collection::vec(row(), 1..6)) {
            let mut seen = Vec::new();
            for (delimiter, decimal_comma) in [(',', false), (';', true), ('\t', false), ('\t', true), (';', false)] {
                let w = Workdir::new();
                w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "USD"]);
                let f = w.file("in.txt", file(&rows, delimiter, decimal_comma));
                let mut args = vec!["obs", "import", f.to_str().unwrap()];
                if decimal_comma {
                    args.push("--decimal-comma");
                }
                w.ok(&args);
                let list: serde_json::Value = serde_json::from_str(
                    &w.ok(&["obs", "list", "--history", "--format", "json"]),
                ).unwrap();
                let got: Vec<(String, f64, String)> = list["observations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| (
                        o["period"].as_str().unwrap().to_string(),
                        o["value"].as_f64().unwrap(),
                        o["note"].as_str().unwrap_or_default().to_string(),
                    ))
                    .collect();
                prop_assert_eq!(got.len(), rows.len());
                seen.push(got);
            }
            for other in &seen[1..] {
                prop_assert_eq!(other, &seen[0]);
            }
            // and the value is the decimal written
            let (_, int, frac, _) = &rows[0];
            let want: f64 = format!("{int}.{frac:03}").parse().unwrap();
            prop_assert!(seen[0].iter().any(|(_, v, _)| *v == want));
        }
    }
}
