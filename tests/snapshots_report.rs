//! The seed report in every format, pinned: a change in any number or in
//! the formatting shows up as a diff in review (as hyperfine does).
//! Every number here was checked by hand against methodology.md; see the
//! comments in tests/seed_numbers.rs for the calculations.

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
