//! The status strip (issue 12 point 1): the status as it evolved, along
//! the time axis under the chart, in the terminal and in SVG/HTML, through
//! the binary on the seed. Every position below is worked out by hand from
//! the dates of the seed's events.

mod common;

use common::Workdir;
use serde_json::{Value, json};

const AS_OF: &str = "2026-11-28";

fn strip_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with("status ") || l.contains("status as known"))
        .collect()
}

#[test]
fn under_the_terminal_chart_each_column_is_the_status_on_its_date() {
    let w = Workdir::seeded();
    // agri-food-2025: cells of 5 columns, each period's centre at the end of
    // the period (2020 → 2021-01-01 at column 2); no_data until
    // 2022-02-11 (column 2 + 5 × 1.11 = 7.6: from column 8), on_track
    // until 2023-03-31 (2 + 5 × 2.25 = 13.2: from column 14), achieved to
    // 2026-11-28 (2 + 5 × 5.9 = 31.5: through column 31)
    for width in ["80", "120"] {
        let out = w.ok(&["show", "agri-food-2025", "--as-of", AS_OF, "--width", width]);
        assert_eq!(
            strip_lines(&out),
            [
                " status  NNNNNNNNOOOOOOAAAAAAAAAAAAAAAAAA",
                "         status as known on each date: N no_data   O on_track   A achieved",
            ],
            "{out}"
        );
        // the strip starts where the plot does, under the time axis
        let axis = out
            .find("         2020 2021 2022 2023 2024 2025\n")
            .unwrap();
        assert!(out[axis..].starts_with("         2020 2021 2022 2023 2024 2025\n status  N"));
    }
    // in ASCII the same letters; in colour each run on its status's colour
    let ascii = w.ok(&["show", "agri-food-2025", "--as-of", AS_OF, "--ascii"]);
    assert!(ascii.contains("\n status  NNNNNNNNOOOOOOAAAAAAAAAAAAAAAAAA\n"));
    let colour = w.ok(&[
        "show",
        "agri-food-2025",
        "--as-of",
        AS_OF,
        "--color",
        "always",
    ]);
    assert!(
        colour.contains(
            " status  \x1b[7;2mNNNNNNNN\x1b[0m\x1b[7;32mOOOOOO\x1b[0m\x1b[7;1;32mAAAAAAAAAAAAAAAAAA\x1b[0m\n"
        ),
        "{colour}"
    );
    // as known at the end of 2022: the strip stops there (column 12 is
    // 2023-01-01)
    let then = w.ok(&["show", "agri-food-2025", "--as-of", "2022-12-31"]);
    assert!(then.contains("\n status  NNNNNNNNOOOO\n"), "{then}");
}

#[test]
fn a_milestone_has_the_strip_on_its_own_time_axis() {
    let w = Workdir::seeded();
    // the stadium: pending from 2023-01-01 (its timeline's start), overdue
    // when its 2023 deadline passed, achieved when it opened on 2025-06-07;
    // 72 columns over 2023-01-01 .. 2026-11-28 (3.907 years): overdue from
    // column 18 (1 / 3.907 × 72 − 0.5 = 17.9), achieved from 45 (2.430 /
    // 3.907 × 72 − 0.5 = 44.3)
    let out = w.ok(&["show", "stadium-2023", "--as-of", AS_OF, "--width", "80"]);
    let expected = format!(
        "\nStatus over time\nstatus  {}{}{}\n",
        "P".repeat(18),
        "D".repeat(27),
        "A".repeat(27)
    );
    assert!(out.contains(&expected), "{out}");
    assert!(
        out.contains(
            "\n        from 2023-01-01 to 2026-11-28: P pending   D overdue   A achieved\n"
        ),
        "{out}"
    );
    let json: Value = serde_json::from_str(&w.ok(&[
        "show",
        "stadium-2023",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        json["status_strip"],
        json!({
            "until": AS_OF,
            "spans": [
                {"from": "2023-01-01", "status": "pending"},
                {"from": "2024-01-01", "status": "overdue"},
                {"from": "2025-06-07", "status": "achieved"},
            ]
        })
    );
}

#[test]
fn history_prints_the_strip_under_its_table() {
    let w = Workdir::seeded();
    let out = w.ok(&[
        "history",
        "agri-food-2025",
        "--until",
        AS_OF,
        "--width",
        "80",
    ]);
    // from the first event (2017-02-28) to 2026-11-28 in 72 columns:
    // on_track from 2022-02-11, achieved from 2023-03-31
    let line = out
        .lines()
        .find(|l| l.starts_with("status  "))
        .expect("a strip");
    let letters = line.trim_start_matches("status  ");
    assert_eq!(letters.len(), 72);
    let n = letters.chars().take_while(|c| *c == 'N').count();
    let o = letters[n..].chars().take_while(|c| *c == 'O').count();
    assert_eq!((n, o, 72 - n - o), (37, 8, 27), "{line}");
    assert!(letters[n + o..].chars().all(|c| c == 'A'));
    assert!(out.contains("from 2017-02-28 to 2026-11-28: N no_data   O on_track   A achieved"));
}

/// The bars of the strip in an SVG: `(x, width, fill)`, left to right.
fn bars(svg: &str) -> Vec<(f64, f64, String)> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let mut out: Vec<(f64, f64, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("20"))
        .map(|n| {
            let num = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
            (
                num("x"),
                num("width"),
                n.attribute("fill").unwrap().to_lowercase(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

#[test]
fn in_svg_a_bar_per_status_in_its_colour_named_inside() {
    let w = Workdir::seeded();
    let svg = w.ok(&["plot", "stadium-2023", "--as-of", AS_OF, "-o", "-"]);
    let b = bars(&svg);
    let fills: Vec<&str> = b.iter().map(|(_, _, f)| f.as_str()).collect();
    assert_eq!(fills, ["#4393c3", "#e08214", "#1b7837"]);
    // the bars touch, and their widths are the spans' lengths: 1 year
    // pending, 1.43 overdue, 1.48 achieved
    assert_eq!(b[0].0 + b[0].1, b[1].0);
    assert_eq!(b[1].0 + b[1].1, b[2].0);
    let ratio = |i: usize| b[i].1 / b[0].1;
    assert!((ratio(1) - 1.43).abs() < 0.02, "{b:?}");
    assert!((ratio(2) - 1.477).abs() < 0.02, "{b:?}");
    // readable without colour: each bar named, and a legend
    for text in [
        "pending",
        "overdue",
        "achieved",
        "status as known on each date:",
        "P pending",
        "D overdue",
        "A achieved",
    ] {
        assert!(svg.contains(&format!("\n{text}\n</text>")), "{text}");
    }
    // on the page of show, and of history
    let page = w.ok(&["show", "stadium-2023", "--as-of", AS_OF, "--format", "html"]);
    assert_eq!(
        bars(&page[page.find("<svg").unwrap()..page.find("</svg>").unwrap() + 6]).len(),
        3
    );
    let history = w.ok(&[
        "history",
        "agri-food-2025",
        "--until",
        AS_OF,
        "--format",
        "html",
    ]);
    let svg = &history[history.find("<svg").unwrap()..history.find("</svg>").unwrap() + 6];
    let fills: Vec<String> = bars(svg).into_iter().map(|(_, _, f)| f).collect();
    assert_eq!(fills, ["#878787", "#5aae61", "#1b7837"]);
}
