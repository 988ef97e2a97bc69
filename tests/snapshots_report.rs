//! The seed report in every format, pinned: a change in any number or in
//! the formatting shows up as a diff in review (as hyperfine does).
//!
//! The numbers were checked by hand against methodology.md, e.g. as of
//! 2026-11-28:
//! - agri-food-2025: b = 5.8bn (2020, t0 = 2021.0), T = 7bn (t1 = 2026.0),
//!   x = 10bn (2025, the deadline value, published 2026-02-03; t = 2026.0).
//!   progress 4.2/1.2 = 3.5; time 5/5 = 1; actual (10/5.8)^(1/5) − 1 =
//!   11.510%; required (7/5.8)^(1/5) − 1 = 3.833%; RR = 3.003; path = T =
//!   7bn; deviation +3bn; projected = the 2025 value, 10bn; gap −3bn;
//!   achieved (reached in 2022 with 8.3bn; the deadline value meets it).
//! - agri-food-2021: T = 5.8·1.043 = 6.0494bn, x = 6.7bn (2021 = deadline):
//!   progress 0.9/0.2494 = 3.6087; achieved.
//! - great-stone-iskra-2021 (by 2021-Q1, last day 2021-03-31): 1,826 days
//!   to 2026-03-31 plus 242 to 2026-11-28 = 2,068 days overdue.

mod common;

use common::Workdir;

fn report(w: &Workdir, as_of: &str, format: &str) -> String {
    w.ok(&["report", "--as-of", as_of, "--format", format])
}

#[test]
fn seed_report_as_of_end_of_2021_in_every_format() {
    let w = Workdir::seeded();
    for format in ["table", "markdown", "csv", "json"] {
        insta::assert_snapshot!(
            format!("report_2021-12-31_{format}"),
            report(&w, "2021-12-31", format)
        );
    }
}

#[test]
fn seed_report_as_of_2026_11_28_in_every_format() {
    let w = Workdir::seeded();
    for format in ["table", "markdown", "csv", "json"] {
        insta::assert_snapshot!(
            format!("report_2026-11-28_{format}"),
            report(&w, "2026-11-28", format)
        );
    }
}

#[test]
fn demo_prints_the_same_report_as_an_imported_seed() {
    let w = Workdir::seeded();
    let demo = w.ok(&["demo", "--as-of", "2026-11-28", "--format", "json"]);
    assert_eq!(demo, report(&w, "2026-11-28", "json"));
}

#[test]
fn seed_report_as_html_is_pinned_whole() {
    // the page of a small report: every target in detail with its chart
    let w = Workdir::seeded();
    insta::assert_snapshot!("report_2026-11-28_html", report(&w, "2026-11-28", "html"));
}
