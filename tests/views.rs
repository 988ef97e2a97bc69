//! The views of one target: `show` in every format, the SVG chart and the
//! HTML pages, on the seed data set with a fixed as-of date.

mod common;

use common::Workdir;

const AS_OF: &str = "2026-11-28";

/// Runs with a UTF-8 locale, so that the terminal view is the Unicode one
/// whatever the machine's environment.
fn unicode(w: &Workdir, args: &[&str]) -> String {
    let out = w
        .cmd()
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The `recorded` time of each vintage is when this test imported it.
fn without_recorded(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("\"recorded\": \"") {
            Some(i) => format!("{}\"recorded\": \"[when imported]\",", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn show_in_every_format_for_two_seed_targets() {
    let w = Workdir::seeded();
    for id in ["agri-food-2025", "great-stone-residents-2021"] {
        insta::assert_snapshot!(
            format!("show_{id}_table"),
            unicode(&w, &["show", id, "--as-of", AS_OF])
        );
        insta::assert_snapshot!(
            format!("show_{id}_ascii"),
            w.ok(&["show", id, "--as-of", AS_OF, "--ascii"])
        );
        for format in ["markdown", "json", "csv", "html"] {
            insta::assert_snapshot!(
                format!("show_{id}_{format}"),
                without_recorded(&w.ok(&["show", id, "--as-of", AS_OF, "--format", format]))
            );
        }
    }
}

#[test]
fn the_svg_of_two_seed_targets() {
    let w = Workdir::seeded();
    for id in ["agri-food-2025", "great-stone-residents-2021"] {
        let svg = w.ok(&["plot", id, "--as-of", AS_OF, "-o", "-"]);
        roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        insta::assert_snapshot!(format!("plot_{id}_svg"), svg);
    }
}

#[test]
fn plot_writes_the_file_it_is_given() {
    let w = Workdir::seeded();
    let file = w.path("agri.svg");
    w.ok(&[
        "plot",
        "agri-food-2025",
        "--as-of",
        AS_OF,
        "-o",
        file.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<svg"), "{svg:.80}");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for wanted in [
        "Agri-food exports to $7bn in 2025",
        "required path",
        // no "projection" since the seed holds the deadline year: 2025 =
        // $10bn, published 2026-02-03, is known on AS_OF, so the projection
        // is that value (methodology.md §5) and the chart draws no trend line
        "observed (used)",
        "target $7.00bn",
        "deadline (2025)",
        "2021",
        "$7.00bn",
    ] {
        assert!(
            texts.contains(&wanted),
            "no '{wanted}' in the chart's text: {texts:?}"
        );
    }
}

#[test]
fn the_html_report_is_one_well_formed_self_contained_page() {
    let w = Workdir::seeded();
    let html = w.ok(&["report", "--as-of", AS_OF, "--format", "html"]);
    roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("src=\"http") && !html.contains("@import") && !html.contains("<link"),
        "nothing from the network"
    );
    // every target has its section, and the agri target its chart
    for id in [
        "agri-food-2025",
        "fez-minsk-jobs-2025",
        "eaeu-iran-fta-talks-2022",
    ] {
        assert!(
            html.contains(&format!("id=\"t-{id}\"")),
            "no section for {id}"
        );
    }
    assert!(html.matches("<svg").count() >= 2);
}

#[test]
fn user_text_is_escaped_in_html_and_svg() {
    let w = Workdir::new();
    let evil = "<script>alert(1)</script> & \"x\"";
    w.ok(&[
        "indicator",
        "add",
        "x",
        "--name",
        evil,
        "--unit",
        "USD",
        "--entity",
        evil,
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
        "2020=1bn",
        "--value",
        "2bn",
        "--deadline",
        "2025",
        "--title",
        evil,
        "--quote",
        evil,
        "--gloss",
        evil,
        "--source",
        evil,
        "--url",
        "javascript:alert(1)",
    ]);
    w.ok(&[
        "obs", "add", "x", "2021", "1.2bn", "--source", evil, "--url", evil, "--note", evil,
    ]);
    for args in [
        vec!["report", "--as-of", AS_OF, "--format", "html"],
        vec!["show", "t", "--as-of", AS_OF, "--format", "html"],
        vec!["plot", "t", "--as-of", AS_OF, "-o", "-"],
    ] {
        let out = w.ok(&args);
        assert!(!out.contains("<script>"), "{args:?} let a script through");
        assert!(
            !out.contains("href=\"javascript:"),
            "{args:?} made a javascript: link"
        );
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        // the text comes back whole once parsed: escaped, not dropped
        let text: String = roxmltree::Document::parse_with_options(&out, opts)
            .expect("well-formed")
            .descendants()
            .filter_map(|n| n.text())
            .collect();
        assert!(text.contains(evil), "{args:?} lost the title");
    }
}

/// A data set of `n` flow indicators, each with yearly values from 2015 and
/// one level target for 2030; every third falls instead of growing.
fn portfolio(n: usize) -> String {
    let mut s = String::from("version = 1\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "[[indicator]]\nid = \"ind{i:04}\"\nname = \"Indicator {i}\"\nunit = \"EUR\"\nmeasure = \"flow\"\n\n"
        ));
    }
    for i in 0..n {
        s.push_str(&format!(
            "[[target]]\nid = \"t{i:04}\"\nindicator = \"ind{i:04}\"\nvalue = {}\nbaseline = \"2020\"\nbaseline_value = 100\ndeadline = \"2030\"\ntitle = \"Target <{i}> & more\"\n\n",
            150 + i % 7
        ));
    }
    for i in 0..n {
        for (k, year) in (2015..2025).enumerate() {
            let step = if i % 3 == 0 {
                -1.0
            } else {
                1.0 + (i % 5) as f64
            };
            s.push_str(&format!(
                "[[observation]]\nindicator = \"ind{i:04}\"\nperiod = \"{year}\"\nvalue = {}\npublished = \"{}-03-01\"\n\n",
                100.0 + step * (k as f64 - 5.0),
                year + 1
            ));
        }
    }
    s
}

#[test]
fn a_large_html_report_lists_what_needs_attention_and_details_the_worst() {
    let w = Workdir::new();
    let data = w.file("portfolio.toml", portfolio(240));
    w.ok(&["import", data.to_str().unwrap()]);
    let html = w.ok(&["report", "--as-of", AS_OF, "--format", "html"]);
    roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    assert!(
        html.contains("A large report"),
        "the layout says what it is"
    );
    assert!(html.contains("240 targets"));
    // the 80 falling targets need attention: listed, each with its small chart
    let json: serde_json::Value =
        serde_json::from_str(&w.ok(&["report", "--as-of", AS_OF, "--format", "json"])).unwrap();
    let troubled: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            ["missed", "moving_away", "off_track", "at_risk", "overdue"]
                .contains(&t["status"].as_str().unwrap())
        })
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(troubled.len() >= 80, "{}", troubled.len());
    assert_eq!(html.matches("<svg class=\"spark\"").count(), troubled.len());
    // the first 25 of them, in the report's order, in detail; no others
    assert_eq!(html.matches("<section class=\"target\"").count(), 25);
    for id in &troubled[..25] {
        assert!(
            html.contains(&format!("id=\"t-{id}\"")),
            "no section for {id}"
        );
    }
    assert!(!html.contains(&format!("id=\"t-{}\"", troubled[25])));
    // user text escaped, and the page far smaller than every target in detail
    assert!(html.contains("Target &lt;0&gt; &amp; more"));
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
}

#[test]
fn a_report_of_up_to_200_targets_is_the_whole_report_in_detail() {
    let w = Workdir::new();
    let data = w.file("portfolio.toml", portfolio(200));
    w.ok(&["import", data.to_str().unwrap()]);
    let html = w.ok(&["report", "--as-of", AS_OF, "--format", "html"]);
    assert!(!html.contains("A large report"));
    assert!(!html.contains("<svg class=\"spark\""));
    assert_eq!(html.matches("<section class=\"target\"").count(), 200);
}
