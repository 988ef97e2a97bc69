//! Tables fitted to a terminal, pinned whole: the report, the lists and the
//! diff at 80 and 120 columns, in colour and in ASCII, on the seed data set
//! with two more targets (a title of wide characters and an emoji, one of a
//! single accented letter). Each pins what fitting does to a cell: wrapped
//! onto several lines, shortened with `…`, its column left out (and named
//! under the table), coloured by status.

mod common;

use common::Workdir;

const AS_OF: &str = "2026-11-28";

fn portfolio() -> Workdir {
    let w = Workdir::seeded();
    w.ok(&[
        "target",
        "add",
        "wide-2030",
        "--indicator",
        "agri-food-exports",
        "--value",
        "$12bn",
        "--baseline",
        "2020",
        "--deadline",
        "2030",
        "--title",
        "輸出を倍増する目標 🎯 to $12bn",
        "--programme",
        "Экспорт 2030",
        "--tag",
        "exports",
        "--tag",
        "中国",
    ]);
    w.ok(&[
        "target",
        "add",
        "tiny",
        "--milestone",
        "--deadline",
        "2027",
        "--title",
        "é",
        "--tag",
        "exports",
    ]);
    w
}

/// Standard output at `columns`, the escapes of colour made visible.
fn at(w: &Workdir, columns: &str, args: &[&str]) -> String {
    let out = w.cmd().env("COLUMNS", columns).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().replace('\x1b', "␛")
}

#[test]
fn the_report_fitted_to_80_and_120_columns_in_colour_and_ascii() {
    let w = portfolio();
    let report = ["report", "--as-of", AS_OF, "--tag", "exports"];
    let colour = [&report[..], &["--color", "always"]].concat();
    insta::assert_snapshot!("report_80_colour", at(&w, "80", &colour));
    insta::assert_snapshot!("report_120_colour", at(&w, "120", &colour));
    let ascii = [&report[..], &["--ascii"]].concat();
    insta::assert_snapshot!("report_80_ascii", at(&w, "80", &ascii));
}

#[test]
fn the_report_grouped_fits_each_group_s_table() {
    let w = portfolio();
    let args = [
        "report",
        "--as-of",
        AS_OF,
        "--tag",
        "exports",
        "--group-by",
        "programme",
        "--color",
        "always",
    ];
    insta::assert_snapshot!("report_grouped_100_colour", at(&w, "100", &args));
}

#[test]
fn target_and_indicator_lists_fitted() {
    let w = portfolio();
    let targets = ["target", "list", "--tag", "exports"];
    insta::assert_snapshot!("target_list_80", at(&w, "80", &targets));
    insta::assert_snapshot!("target_list_120", at(&w, "120", &targets));
    insta::assert_snapshot!(
        "indicator_list_120_ascii",
        at(&w, "120", &["indicator", "list", "--ascii"])
    );
}

#[test]
fn the_diff_fitted_to_80_columns_in_colour() {
    let w = portfolio();
    let args = [
        "diff",
        "--from",
        "2021-12-31",
        "--to",
        AS_OF,
        "--color",
        "always",
    ];
    insta::assert_snapshot!("diff_80_colour", at(&w, "80", &args));
}
