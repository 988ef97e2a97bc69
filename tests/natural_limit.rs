//! A value beyond its indicator's natural limit, on the side no value can
//! be (above 100 for a share where higher is better, below 0 for a count
//! where lower is better), is refused wherever values come in, and a limit
//! that would exclude a stored value is refused too (issue 11, point 15).

mod common;

use common::Workdir;

fn setup() -> Workdir {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "share",
        "--name",
        "Share",
        "--unit",
        "%",
        "--limit",
        "100",
    ]);
    w.ok(&[
        "indicator",
        "add",
        "deaths",
        "--name",
        "Road deaths",
        "--unit",
        "count",
        "--lower-is-better",
        "--limit",
        "0",
    ]);
    w
}

#[test]
fn obs_add_refuses_a_share_above_100_and_a_count_below_0() {
    let w = setup();
    let before = w.db_bytes();
    let e = w.refuses(1, &["obs", "add", "share", "2024", "150%"], "150.0%");
    assert_eq!(
        e,
        "error: 150.0% is above the natural limit 100.0% of indicator share, beyond which no value can be"
    );
    let e = w.refuses(1, &["obs", "add", "deaths", "2024", "-3"], "-3");
    assert_eq!(
        e,
        "error: -3 is below the natural limit 0 of indicator deaths, beyond which no value can be"
    );
    assert_eq!(w.db_bytes(), before);
    // the limit itself, and the other side, are values that can be
    w.ok(&["obs", "add", "share", "2024", "100%"]);
    w.ok(&["obs", "add", "share", "2023", "0%"]);
    w.ok(&["obs", "add", "deaths", "2024", "0"]);
    w.ok(&["obs", "add", "deaths", "2023", "1200"]);
}

#[test]
fn csv_and_data_set_imports_name_the_line_and_store_nothing() {
    let w = setup();
    let before = w.db_bytes();
    let csv = w.file(
        "o.csv",
        "indicator,period,value\nshare,2022,50\nshare,2023,100.5\n",
    );
    let e = w.refuses(1, &["obs", "import", csv.to_str().unwrap()], "o.csv:3:3");
    assert!(e.ends_with("100.5% is above the natural limit 100.0% of indicator share, beyond which no value can be"), "{e}");
    let toml = w.file(
        "d.toml",
        "version = 1\n[[observation]]\nindicator = \"deaths\"\nperiod = \"2022\"\nvalue = -1\n",
    );
    w.refuses(
        1,
        &["import", toml.to_str().unwrap()],
        "-1 is below the natural limit 0 of indicator deaths",
    );
    assert_eq!(w.db_bytes(), before);
}

#[test]
fn a_limit_that_would_exclude_a_stored_value_is_refused() {
    let w = setup();
    w.ok(&["obs", "add", "share", "2024", "99.5%"]);
    let before = w.db_bytes();
    let e = w.refuses(1, &["indicator", "edit", "share", "--limit", "99"], "2024");
    assert_eq!(
        e,
        "error: cannot set the natural limit of share to 99.0%: its value for 2024 is 99.5%, beyond it (retract or correct that value first)"
    );
    assert_eq!(w.db_bytes(), before);
    // a retracted value no longer stands in the way
    w.ok(&["obs", "retract", "1", "--why", "typed 99.5 for 95.9"]);
    w.ok(&["indicator", "edit", "share", "--limit", "99"]);
}

/// A qualifier bounds a value from one side: `< 101%` and `≤ 100.5%` fit a
/// share limited to 100, `> 100%` does not; mirrored for a lower limit.
#[test]
fn a_qualifier_that_reaches_inside_the_limit_fits() {
    let w = setup();
    w.ok(&[
        "obs",
        "add",
        "share",
        "2020",
        "101",
        "--qualifier",
        "less_than",
    ]);
    w.ok(&[
        "obs",
        "add",
        "share",
        "2021",
        "100.5",
        "--qualifier",
        "at_most",
    ]);
    w.ok(&[
        "obs",
        "add",
        "share",
        "2022",
        "100",
        "--qualifier",
        "at_least",
    ]);
    let e = w.refuses(
        1,
        &[
            "obs",
            "add",
            "share",
            "2023",
            "100",
            "--qualifier",
            "more_than",
        ],
        "natural limit",
    );
    assert_eq!(
        e,
        "error: >100.0% is above the natural limit 100.0% of indicator share, beyond which no value can be"
    );
    w.ok(&[
        "obs",
        "add",
        "deaths",
        "2020",
        "-0.5",
        "--qualifier",
        "more_than",
    ]);
    w.refuses(
        1,
        &[
            "obs",
            "add",
            "deaths",
            "2021",
            "0",
            "--qualifier",
            "less_than",
        ],
        "below the natural limit 0",
    );
    // about 101%: still a value beyond the limit
    w.refuses(
        1,
        &["obs", "add", "share", "2024", "101", "--qualifier", "about"],
        "above the natural limit",
    );
}

/// A retracted value may be any value: the database that holds one is
/// exported and read back, and its CSV list imports again.
#[test]
fn a_retracted_value_beyond_the_limit_round_trips() {
    let w = Workdir::new();
    w.ok(&["indicator", "add", "sh", "--name", "Share", "--unit", "%"]);
    w.ok(&["obs", "add", "sh", "2020", "150"]);
    w.ok(&["obs", "retract", "1", "--why", "typed 150 for 50"]);
    w.ok(&["obs", "add", "sh", "2020", "50"]);
    w.ok(&["indicator", "edit", "sh", "--limit", "100"]);
    let exported = w.ok(&["export"]);
    let copy = Workdir::new();
    let f = copy.file("copy.toml", &exported);
    copy.ok(&["import", f.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export"]), exported);
    let csv = w.ok(&["obs", "list", "--history", "--format", "csv"]);
    let other = Workdir::new();
    other.ok(&[
        "indicator",
        "add",
        "sh",
        "--name",
        "Share",
        "--unit",
        "%",
        "--limit",
        "100",
    ]);
    let f = other.file("list.csv", &csv);
    other.ok(&["obs", "import", f.to_str().unwrap()]);
}
