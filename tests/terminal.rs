//! Habits of terminal programs, through the binary (issue 11): tables fit
//! the width they are given and a pipe gets them whole, statuses in colour
//! only when asked or on a terminal, ASCII tables, `--as-of` words and
//! periods, the format from `-o FILE`'s extension, list filters,
//! completions and a man page, case-insensitive suggestions.

mod common;

use common::Workdir;

const AS_OF: &str = "2026-11-28";

/// The widest line of `text`, in characters (the tables' signs are all one
/// column wide).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn with_env(w: &Workdir, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut c = w.cmd();
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_report_fits_columns_and_says_what_it_left_out() {
    let w = Workdir::seeded();
    for columns in ["80", "100", "120"] {
        let text = with_env(&w, &[("COLUMNS", columns)], &["report", "--as-of", AS_OF]);
        let n: usize = columns.parse().unwrap();
        assert!(
            widest(&text) <= n,
            "{columns}: {} wide\n{text}",
            widest(&text)
        );
        // what matters stays: every id, in full, and every status
        for id in [
            "agri-food-2025",
            "great-stone-iskra-2021",
            "covenant-ghg-2030",
        ] {
            let joined: String = text.split_whitespace().collect();
            assert!(
                joined.contains(id) || text.contains(id),
                "{columns}: no {id}"
            );
        }
        assert!(text.contains("achieved") && text.contains("overdue"));
        assert!(text.contains("left out to fit"), "{columns}: {text}");
    }
    // --width wins over COLUMNS
    let text = with_env(
        &w,
        &[("COLUMNS", "200")],
        &["report", "--as-of", AS_OF, "--width", "90"],
    );
    assert!(widest(&text) <= 90, "{text}");
}

#[test]
fn piped_output_is_full_width_and_width_0_undoes_columns() {
    let w = Workdir::seeded();
    let piped = w.ok(&["report", "--as-of", AS_OF]);
    assert!(widest(&piped) > 200, "a pipe gets the whole table");
    assert!(!piped.contains("left out"));
    // a title in full, not cut to fit anything
    assert!(piped.contains("Great Stone: launch the Iskra R&D programme in Q1 2021"));
    let unlimited = with_env(
        &w,
        &[("COLUMNS", "80")],
        &["report", "--as-of", AS_OF, "--width", "0"],
    );
    assert_eq!(unlimited, piped);
}

#[test]
fn show_fits_its_tables_chart_and_notes_to_80_columns() {
    let w = Workdir::seeded();
    for id in ["agri-food-2025", "great-stone-residents-2021"] {
        let text = with_env(&w, &[("COLUMNS", "80")], &["show", id, "--as-of", AS_OF]);
        for line in text.lines() {
            // an address alone on its line may be longer than the width
            if line.trim_start().starts_with("http") {
                continue;
            }
            assert!(line.chars().count() <= 80, "{id}: {line:?}");
        }
        // notes wrap at word boundaries, with a hanging indent
        assert!(!text.contains("2026-11-\n"), "no date cut in two");
        assert!(
            text.lines()
                .any(|l| l.starts_with("  ") && !l.starts_with("   "))
        );
    }
}

#[test]
fn lists_fit_too() {
    let w = Workdir::seeded();
    for args in [
        &["target", "list"][..],
        &["obs", "list"][..],
        &["indicator", "list"][..],
    ] {
        let text = with_env(&w, &[("COLUMNS", "80")], args);
        assert!(
            widest(&text) <= 80,
            "{args:?}: {} wide\n{text}",
            widest(&text)
        );
    }
}

#[test]
fn statuses_are_coloured_when_asked_and_never_in_a_pipe_or_file() {
    let w = Workdir::seeded();
    let plain = w.ok(&["report", "--as-of", AS_OF]);
    assert!(!plain.contains('\x1b'), "no colour into a pipe");
    let always = w.ok(&["report", "--as-of", AS_OF, "--color", "always"]);
    assert!(
        always.contains("\x1b[1;32machieved"),
        "achieved in bold green"
    );
    assert!(always.contains("\x1b[33moverdue"), "overdue in yellow");
    let forced = with_env(
        &w,
        &[("CLICOLOR_FORCE", "1")],
        &["report", "--as-of", AS_OF],
    );
    assert!(forced.contains("\x1b[2mno_data"), "no_data dim");
    let refused = with_env(
        &w,
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &["report", "--as-of", AS_OF],
    );
    assert!(
        !refused.contains('\x1b'),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    let never = with_env(
        &w,
        &[("CLICOLOR_FORCE", "1")],
        &["report", "--as-of", AS_OF, "--color", "never"],
    );
    assert!(!never.contains('\x1b'));
    // the colour does not change the layout: without the escapes, the same
    let stripped = strip_escapes(&always);
    assert_eq!(stripped, plain);
    // show colours its status line
    let show = w.ok(&[
        "show",
        "agri-food-2025",
        "--as-of",
        AS_OF,
        "--color",
        "always",
    ]);
    assert!(show.contains("\x1b[1;32machieved\x1b[0m as of"));
    // a file never
    let file = w.path("r.txt");
    w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--color",
        "always",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(!std::fs::read_to_string(&file).unwrap().contains('\x1b'));
}

fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn report_and_lists_in_ascii_under_the_flag_or_a_dumb_terminal() {
    let w = Workdir::seeded();
    let flag = w.ok(&["report", "--as-of", AS_OF, "--ascii"]);
    let dumb = with_env(&w, &[("TERM", "dumb")], &["report", "--as-of", AS_OF]);
    assert_eq!(flag, dumb);
    assert!(
        flag.is_ascii(),
        "{}",
        flag.lines().find(|l| !l.is_ascii()).unwrap_or("")
    );
    assert!(flag.starts_with("+---"));
    assert!(flag.contains("sum 4,000 jobs in 2021..2025"), "Σ in ASCII");
    let list = with_env(&w, &[("TERM", "dumb")], &["target", "list"]);
    assert!(list.is_ascii());
}

#[test]
fn as_of_takes_words_and_periods() {
    let w = Workdir::seeded();
    let day = w.ok(&["report", "--as-of", "2024-06-30", "--format", "json"]);
    assert_eq!(
        w.ok(&["report", "--as-of", "2024-06", "--format", "json"]),
        day
    );
    assert_eq!(
        w.ok(&["report", "--as-of", "2024-Q2", "--format", "json"]),
        day
    );
    assert_eq!(
        w.ok(&["report", "--as-of", "2024-H1", "--format", "json"]),
        day
    );
    let year = w.ok(&[
        "show",
        "agri-food-2025",
        "--as-of",
        "2024",
        "--format",
        "json",
    ]);
    assert!(year.contains("\"as_of\": \"2024-12-31\""));
    let today = chrono::Local::now().date_naive();
    let shown = w.ok(&["report", "--as-of", "today", "--format", "json"]);
    assert!(shown.contains(&format!("\"as_of\": \"{today}\"")));
    let yesterday = today.pred_opt().unwrap();
    let shown = w.ok(&["report", "--as-of", "yesterday", "--format", "json"]);
    assert!(shown.contains(&format!("\"as_of\": \"{yesterday}\"")));
    w.refuses(1, &["report", "--as-of", "tomorrow"], "today, yesterday");
}

#[test]
fn the_output_file_s_extension_chooses_the_format() {
    let w = Workdir::seeded();
    let json = w.ok(&["report", "--as-of", AS_OF, "--format", "json"]);
    let csv = w.ok(&["report", "--as-of", AS_OF, "--format", "csv"]);
    let md = w.ok(&["report", "--as-of", AS_OF, "--format", "markdown"]);
    let table = w.ok(&["report", "--as-of", AS_OF]);
    for (name, wanted) in [
        ("r.json", &json),
        ("r.csv", &csv),
        ("r.md", &md),
        ("r.txt", &table),
        ("r.out", &table),
    ] {
        let file = w.path(name);
        w.ok(&["report", "--as-of", AS_OF, "-o", file.to_str().unwrap()]);
        assert_eq!(&std::fs::read_to_string(&file).unwrap(), wanted, "{name}");
    }
    let page = w.path("r.html");
    w.ok(&["report", "--as-of", AS_OF, "-o", page.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    // --format wins where there is nothing to contradict
    let file = w.path("r.txt");
    w.ok(&[
        "report",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
    // the lists and show too
    let file = w.path("t.json");
    w.ok(&["target", "list", "-o", file.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with('{'));
    let file = w.path("s.md");
    w.ok(&[
        "show",
        "agri-food-2025",
        "--as-of",
        AS_OF,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("# "));
}

#[test]
fn a_contradicting_extension_is_a_usage_error_naming_both() {
    let w = Workdir::seeded();
    let json = w.path("r.json");
    let e = w.refuses(
        2,
        &["report", "--format", "csv", "-o", json.to_str().unwrap()],
        "--format csv",
    );
    assert!(e.contains("r.json"), "{e}");
    assert!(!json.exists());
    let png = w.path("x.png");
    let e = w.refuses(
        2,
        &["plot", "agri-food-2025", "-o", png.to_str().unwrap()],
        "x.png",
    );
    assert!(e.contains("SVG"), "{e}");
    assert!(!png.exists());
    let svg = w.path("r.svg");
    let e = w.refuses(2, &["report", "-o", svg.to_str().unwrap()], "r.svg");
    assert!(e.contains("plot"), "{e}");
}

#[test]
fn obs_list_filters_by_period_source_and_entity() {
    let w = Workdir::seeded();
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["obs", "list", "--format", "json"];
        all.extend_from_slice(args);
        let j: serde_json::Value = serde_json::from_str(&w.ok(&all)).unwrap();
        j["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    let periods = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["obs", "list", "agri-food-exports", "--format", "json"];
        all.extend_from_slice(args);
        let j: serde_json::Value = serde_json::from_str(&w.ok(&all)).unwrap();
        j["observations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["period"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        periods(&["--since", "2021", "--until", "2023"]),
        ["2021", "2022-01..2022-08", "2022", "2023"]
    );
    assert_eq!(periods(&["--since", "2024"]), ["2024", "2025"]);
    assert_eq!(periods(&["--until", "2016"]), ["2016"]);
    // a filter does not make a superseded vintage current
    assert_eq!(periods(&["--source", "Grakun"]), Vec::<String>::new());
    assert_eq!(periods(&["--source", "grakun", "--history"]), ["2024"]);
    let all = ids(&[]);
    let minsk = ids(&["--entity", "fez minsk"]);
    assert!(!minsk.is_empty() && minsk.len() < all.len());
    assert!(ids(&["--entity", "nowhere"]).is_empty());
    w.refuses(1, &["obs", "list", "--since", "2021-13"], "'2021-13'");
}

#[test]
fn target_list_filters_by_entity_kind_and_status_on_a_date() {
    let w = Workdir::seeded();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["target", "list", "--format", "json"];
        all.extend_from_slice(args);
        let j: serde_json::Value = serde_json::from_str(&w.ok(&all)).unwrap();
        j["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&["--status", "achieved", "--kind", "level", "--as-of", AS_OF]),
        ["agri-food-2021", "agri-food-2025"]
    );
    // and the milestones the seed records as done
    let done = ids(&[
        "--status",
        "achieved",
        "--kind",
        "milestone",
        "--as-of",
        AS_OF,
    ]);
    assert!(done.contains(&"stadium-2023".to_string()), "{done:?}");
    // as of the end of 2021, agri-food-2025 was not yet achieved
    assert_eq!(
        ids(&["--status", "achieved", "--kind", "level", "--as-of", "2021"]),
        Vec::<String>::new()
    );
    let milestones = ids(&["--kind", "milestone", "--entity", "EAEU"]);
    assert_eq!(
        milestones,
        [
            "eaeu-egypt-india-fta-talks-2021",
            "eaeu-iran-fta-talks-2022"
        ]
    );
    let cumulative = ids(&["--kind", "cumulative"]);
    assert!(cumulative.contains(&"fez-minsk-jobs-2025".to_string()));
    assert!(!cumulative.contains(&"agri-food-2025".to_string()));
}

#[test]
fn completions_and_a_man_page() {
    let w = Workdir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = w.ok(&["completions", shell]);
        assert!(script.contains("goalpost"), "{shell}");
        assert!(script.contains("report"), "{shell}: no subcommand");
    }
    let man = w.ok(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH goalpost"),
        "{man:.200}"
    );
    assert!(man.contains("report"));
    let dir = w.path("man1");
    w.ok(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(dir.join("goalpost.1").exists());
    assert!(dir.join("goalpost-report.1").exists());
}

#[test]
fn help_shows_examples_and_what_each_method_means() {
    let w = Workdir::new();
    let report = w.ok(&["report", "--help"]);
    assert!(report.contains("Examples:"), "{report}");
    assert!(report.contains("goalpost report --as-of 2024"));
    for method in ["eurostat", "opensdg", "unsd", "pace"] {
        let line = report
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{method} ")))
            .unwrap_or_else(|| panic!("no line for {method}: {report}"));
        assert!(line.len() > method.len() + 10, "{line}");
    }
    for args in [
        &["show", "--help"][..],
        &["target", "add", "--help"][..],
        &["obs", "add", "--help"][..],
        &["obs", "import", "--help"][..],
        &["import", "--help"][..],
        &["plot", "--help"][..],
    ] {
        let text = w.ok(args);
        assert!(text.contains("Examples:"), "{args:?}: {text}");
        assert!(text.contains("  goalpost "), "{args:?}");
    }
}

#[test]
fn did_you_mean_ignores_case_first() {
    let w = Workdir::new();
    w.flow_indicator("emp", "jobs");
    w.flow_indicator("res", "count");
    for (id, indicator) in [("emp-2030", "emp"), ("res-2030", "res")] {
        w.ok(&[
            "target",
            "add",
            id,
            "--indicator",
            indicator,
            "--value",
            "100",
            "--deadline",
            "2030",
        ]);
    }
    let e = w.refuses(1, &["show", "RES-2030"], "no target 'RES-2030'");
    assert!(e.contains("did you mean 'res-2030'?"), "{e}");
}

/// The README's session: agri-2025 with two observations.
fn readme_session() -> Workdir {
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
        "--entity",
        "Belarus",
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
    w
}

#[test]
fn needs_is_from_the_latest_value_and_a_crossing_is_a_month_in_every_text_format() {
    let w = readme_session();
    for format in ["table", "markdown", "html"] {
        let text = w.ok(&[
            "show",
            "agri-2025",
            "--as-of",
            "2022-12-31",
            "--format",
            format,
        ]);
        assert!(
            text.contains("needs +1.1% a year from the 2021 value"),
            "{format}: {text}"
        );
        assert!(text.contains("reached around 2022-04"), "{format}");
        assert!(
            !text.contains("2022-04-21"),
            "{format}: no day-exact projection in words"
        );
    }
    let json = w.ok(&[
        "show",
        "agri-2025",
        "--as-of",
        "2022-12-31",
        "--format",
        "json",
    ]);
    assert!(
        json.contains("\"projected_hit\": \"2022-04-21\""),
        "JSON keeps the date"
    );
}

/// The texts of an SVG document, trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn the_chart_labels_every_year_from_before_the_baseline_to_the_deadline() {
    let w = Workdir::seeded();
    let svg = w.ok(&["plot", "agri-food-2025", "--as-of", AS_OF, "-o", "-"]);
    let texts = svg_texts(&svg);
    // observations from 2016, baseline 2020, deadline 2025: every year,
    // 2018 too, which has no value
    for year in 2016..=2025 {
        assert!(texts.contains(&year.to_string()), "no {year}: {texts:?}");
    }
    let svg = w.ok(&[
        "plot",
        "great-stone-residents-2021",
        "--as-of",
        AS_OF,
        "-o",
        "-",
    ]);
    let texts = svg_texts(&svg);
    assert!(texts.contains(&"2020".to_string()) && texts.contains(&"2021".to_string()));
}

#[test]
fn the_legend_is_under_the_plot_not_on_it() {
    let w = Workdir::seeded();
    let svg = w.ok(&["plot", "agri-food-2025", "--as-of", AS_OF, "-o", "-"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let y_of = |wanted: &str| -> f64 {
        doc.descendants()
            .find(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == wanted))
            .and_then(|n| n.attribute("y"))
            .and_then(|y| y.parse().ok())
            .unwrap_or_else(|| panic!("no text {wanted}"))
    };
    // the axis title is the lowest text of the plot; the legend is below it
    let axis = y_of("period (each value at the end of its period)");
    for entry in ["required path", "observed (used)", "target $7.00bn"] {
        assert!(y_of(entry) > axis, "{entry} is on the plot");
    }
}

#[test]
fn a_milestone_is_charted_done_or_not() {
    let w = Workdir::seeded();
    // the seed records the stadium done on 2025-06-07, late
    let svg = w.ok(&["plot", "stadium-2023", "--as-of", AS_OF, "-o", "-"]);
    let texts = svg_texts(&svg);
    assert!(
        !texts.iter().any(|t| t.contains("nothing to chart")),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"done on 2025-06-07".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"deadline (end of 2023)".to_string()));
    let svg = w.ok(&[
        "plot",
        "great-stone-iskra-2021",
        "--as-of",
        AS_OF,
        "-o",
        "-",
    ]);
    let texts = svg_texts(&svg);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("not recorded as done by 2026-11-28")),
        "{texts:?}"
    );
}

#[test]
fn html_pages_show_the_revisions_and_keep_ids_whole_in_print() {
    let w = Workdir::seeded();
    w.ok(&[
        "target",
        "revise",
        "agri-food-2025",
        "--value",
        "8bn",
        "--source",
        "a new programme",
        "--effective",
        "2023-01-01",
    ]);
    for args in [
        &[
            "show",
            "agri-food-2025",
            "--as-of",
            AS_OF,
            "--format",
            "html",
        ][..],
        &["report", "--as-of", AS_OF, "--format", "html"][..],
    ] {
        let html = w.ok(args);
        assert!(html.contains("<h3>Revisions</h3>"), "{args:?}");
        assert!(
            html.contains("<td>2023-01-01</td><td>$8.00bn</td>"),
            "{args:?}"
        );
        assert!(!html.contains("a.id{white-space:normal}"), "ids never wrap");
        assert!(html.contains("h1,h2,h3{break-after:avoid"));
    }
}
