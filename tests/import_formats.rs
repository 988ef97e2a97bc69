//! Issue 13, through the binary: data as it is published
//! (fixtures/import/README.md says where each file comes from).
//!
//! * Open SDG: Statistics Canada's repository imports into the indicators
//!   and targets its progress measure defines, and `report --method
//!   opensdg` gives every series the status, base and current value,
//!   progress value and score that sdg-build 2.4.0 published for the site
//!   (`indicator_calculation_components.yml`); a newer state of the same
//!   repository adds vintages and changes nothing else.
//! * SDMX-CSV, World Bank CSV and Eurostat TSV: series, `--map`,
//!   `--create`, unit multipliers, flags, forecasts left out,
//!   deletions retracted; and every error leaves the database as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{Workdir, fixtures};
use serde_json::Value;

fn import_fixture(name: &str) -> PathBuf {
    fixtures().join("import").join(name)
}

/// Copies a fixture folder to `to` (a repository is imported by its path,
/// and its folder's name is part of the citation).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// What sdg-build 2.4's progress measure gives each series of the sample
/// repository, computed by hand from its rules (docs/import.md): target,
/// status, base year and value, current year and value, progress value R
/// and score. With a target, `R = sign·d·g_a/|g_r|`, `g_a = (x/b)^(1/(t−t0)) − 1`,
/// `g_r = (T/b)^(1/(2030−t0)) − 1`, score `min(7.1429·R − 4.2857, 5)` from
/// R ≥ 0.6, else `max(4.1667·R − 2.5, −5)`; a met target scores 5. Without
/// one, `R = sign·d·g_a` against 1.5%/0.5%/0 times `C = 1 − (b/L)^4.44` for a
/// limit L, score `500·R/C − 5` (capped at 5), `250·R/C − 1.25` or
/// `max(125·R − 2.5, −5)` below 0.
type Expected = (
    &'static str,
    &'static str,
    Option<(&'static str, f64, &'static str, f64)>,
    Option<f64>,
    Option<f64>,
);

const SAMPLE: [Expected; 15] = [
    // 12.5 ≤ 70: met; g_a = 1.25^(1/4) − 1 = 5.737%, g_r = 7^(1/15) − 1 = 13.85%
    (
        "3-1-1",
        "achieved",
        Some(("2015", 10.0, "2019", 12.5)),
        Some(-0.414_179_370_578_533_77),
        Some(5.0),
    ),
    // (83/80)^(1/6) − 1 = 0.6155%; C = 1 − 0.8^4.44 = 0.6287: 0.5·C ≤ R < 1.5·C
    (
        "1-3-1",
        "at_risk",
        Some(("2015", 80.0, "2021", 83.0)),
        Some(0.006_154_523_919_029_264),
        Some(1.197_303_430_383_617),
    ),
    // base 2015 absent: 2017; (94/95)^(1/4) − 1 < 0: 125·R − 2.5
    (
        "1-3-1.2",
        "moving_away",
        Some(("2017", 95.0, "2021", 94.0)),
        Some(-0.002_642_031_009_086_443),
        Some(-2.830_253_876_135_805_6),
    ),
    // one year only: not available
    (
        "1-3-1.3",
        "no_data",
        Some(("2021", 60.0, "2021", 60.0)),
        None,
        None,
    ),
    // the Progress column: 2019 has none, so the current year is 2018 (0 ≤ 0.5)
    (
        "2-c-1",
        "achieved",
        Some(("2015", 0.8, "2018", 0.0)),
        Some(32.417_258_267_064_77),
        Some(5.0),
    ),
    (
        "9-c-1",
        "at_risk",
        Some(("2016", 99.0, "2022", 99.2)),
        Some(0.000_336_417_268_307_132),
        Some(0.677_119_204_463_956_5),
    ),
    (
        "9-c-1.2",
        "on_track",
        Some(("2016", 96.0, "2022", 99.0)),
        Some(0.005_141_783_608_435_757),
        Some(5.0),
    ),
    (
        "9-c-1.3",
        "on_track",
        Some(("2016", 80.0, "2022", 96.0)),
        Some(0.030_853_320_886_444_546),
        Some(5.0),
    ),
    (
        "9-c-1.4",
        "on_track",
        Some(("2020", 50.0, "2022", 90.0)),
        Some(0.341_640_786_499_873_84),
        Some(5.0),
    ),
    // base year 2014; the option's `_Physical assault` and the cells are translated alike
    (
        "16-3-1",
        "moving_away",
        Some(("2014", 40.0, "2019", 37.0)),
        Some(-0.262_494_799_656_754_15),
        Some(-3.593_737_081_729_797),
    ),
    (
        "16-3-1.2",
        "off_track",
        Some(("2014", 42.0, "2019", 46.0)),
        Some(0.329_546_789_698_838_6),
        Some(-1.126_877_391_361_849_3),
    ),
    (
        "17-2-1",
        "at_risk",
        Some(("2015", 0.3, "2023", 0.4)),
        Some(0.630_066_519_316_619_4),
        Some(0.214_802_140_826_680_7),
    ),
    // base 2015 absent: 2019
    (
        "17-2-1.2",
        "on_track",
        Some(("2019", 0.1, "2022", 0.12)),
        Some(0.963_368_998_307_589),
        Some(2.595_548_418_011_277),
    ),
    // no row has Recipient country = Small island developing States
    ("17-2-1.3", "no_data", None, None, None),
    // sample-md: target 0 becomes 0.001; 0 ≤ 0.001 in 2021 (Year 2021-22)
    (
        "16-1-2",
        "achieved",
        Some(("2015", 0.15, "2021", 0.0)),
        Some(3.521_417_598_493_971_7),
        Some(5.0),
    ),
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Imports the sample repositories, then the report as of 2026-03-10.
fn sample_report(w: &Workdir) -> Vec<Value> {
    let repo = w.path("sdg-data");
    copy_dir(&import_fixture("opensdg/sample"), &repo);
    let out = w.ok(&[
        "import",
        "--format",
        "opensdg",
        s(&repo),
        "--published",
        "2026-03-10",
    ]);
    assert!(
        out.starts_with(&format!(
            "imported {} (opensdg) as batch 1: 14 indicators created, 14 targets created, 34 observations added\n",
            repo.display()
        )),
        "{out}"
    );
    assert!(out.contains("not assessed: 1-1-1, 1-2-2"), "{out}");
    let md = w.path("sdg-data-md");
    copy_dir(&import_fixture("opensdg/sample-md"), &md);
    w.ok(&["import", "--format", "opensdg", s(&md)]);
    let report = json(&w.ok(&[
        "report",
        "--method",
        "opensdg",
        "--format",
        "json",
        "--as-of",
        "2026-03-10",
    ]));
    report["targets"].as_array().unwrap().clone()
}

fn check_target(t: &Value, expected: &Expected) {
    let (id, status, values, r, score) = *expected;
    assert_eq!(t["status"], status, "{id}: {t}");
    if let Some((base_year, base, year, latest)) = values {
        assert_eq!(t["baseline"]["period"], base_year, "{id} base year");
        assert!(
            close(t["baseline"]["value"].as_f64().unwrap(), base),
            "{id} base value"
        );
        assert_eq!(t["latest"]["period"], year, "{id} current year");
        assert!(
            close(t["latest"]["value"].as_f64().unwrap(), latest),
            "{id} current value"
        );
    } else {
        assert!(t["latest"].is_null(), "{id}: {}", t["latest"]);
    }
    match r {
        Some(r) => assert!(
            close(t["method_value"].as_f64().expect("R"), r),
            "{id}: R = {}",
            t["method_value"]
        ),
        None => assert!(t["method_value"].is_null(), "{id}: {}", t["method_value"]),
    }
    match score {
        Some(x) => assert!(
            close(t["score"].as_f64().expect("a score"), x),
            "{id}: score {}",
            t["score"]
        ),
        None => assert!(t["score"].is_null(), "{id}: {}", t["score"]),
    }
}

#[test]
fn opensdg_statuses_are_sdg_build_2_4_computed_by_hand() {
    let w = Workdir::new();
    let targets = sample_report(&w);
    assert_eq!(targets.len(), SAMPLE.len());
    for e in &SAMPLE {
        let t = targets
            .iter()
            .find(|t| t["id"] == e.0)
            .unwrap_or_else(|| panic!("no target {}", e.0));
        check_target(t, e);
    }
}

/// Open SDG's status names and goalpost's (methodology §6).
fn mapped(status: &str) -> &'static str {
    match status {
        "substantial_progress" => "on_track",
        "moderate_progress" => "at_risk",
        "limited_progress" => "off_track",
        "deterioration" => "moving_away",
        "target_achieved" => "achieved",
        "not_available" => "no_data",
        other => panic!("unknown Open SDG status {other}"),
    }
}

/// The tag sdg-build files a series' components under, as goalpost's
/// indicator records its selection (`selection: Series = X; Sex = Y`):
/// the Open SDG id, then each selected value, ` / ` between; a value left
/// empty is `None`, as Python writes it.
fn tag_of(open_sdg_id: &str, indicator: &Value) -> String {
    let description = indicator["description"].as_str().unwrap_or_default();
    let selection = description
        .split("selection: ")
        .nth(1)
        .and_then(|s| s.lines().next())
        .expect("an imported indicator records its selection");
    let mut parts = vec![open_sdg_id.to_string()];
    if selection != "headline" {
        for p in selection.split("; ") {
            parts.push(p.split_once(" = ").map_or("None", |(_, v)| v).to_string());
        }
    }
    parts.join(" / ")
}

/// Whether a published tag is ours: sdg-build 2.4.0 cuts a tag longer than
/// 122 characters by shortening its longest parts to a common width, each
/// ending in `...`.
fn same_tag(published: &str, ours: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        published.split(" / ").collect(),
        ours.split(" / ").collect(),
    );
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(p, o)| p == o || p.strip_suffix("...").is_some_and(|cut| o.starts_with(cut)))
}

/// What the comparison found.
#[derive(Default, Debug)]
struct Agreement {
    /// Series compared, then those agreeing in each field.
    compared: usize,
    status: usize,
    score: usize,
    progress_value: usize,
    base: usize,
    current: usize,
    /// Targets whose published tag a later entry's series overwrote.
    overwritten: Vec<String>,
    /// Targets whose data file the checkout lacks (a shallow or partial copy).
    no_data_file: Vec<String>,
    /// Every disagreement, one line each.
    disagreements: Vec<String>,
}

/// Imports an Open SDG data repository whose build committed
/// `indicator_calculation_components.yml` (sdg-build 2.4.0's progress of
/// every series) and compares `report --method opensdg` with it, series by
/// series: status, score, progress value, base and current year and value.
fn compare_with_published_components(repo: &Path) -> Agreement {
    let w = Workdir::new();
    w.ok(&["import", "--format", "opensdg", s(repo)]);
    let report = json(&w.ok(&[
        "report",
        "--method",
        "opensdg",
        "--format",
        "json",
        "--as-of",
        "2100-01-01",
    ]));
    let indicators = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let components: serde_yaml_ng::Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(repo.join("indicator_calculation_components.yml"))
            .expect("indicator_calculation_components.yml"),
    )
    .expect("YAML");
    // in entry order (1-3-1, 1-3-1.2, … 1-3-1.10): a later series of the
    // same tag overwrites an earlier one in the published file
    let mut targets: Vec<&Value> = report["targets"].as_array().unwrap().iter().collect();
    let entry = |t: &Value| {
        let id = t["id"].as_str().unwrap();
        match id.split_once('.') {
            Some((i, n)) => (i.to_string(), n.parse::<usize>().unwrap()),
            None => (id.to_string(), 1),
        }
    };
    targets.sort_by_key(|t| entry(t));
    let mut found: Vec<(&Value, String, String)> = Vec::new();
    for t in &targets {
        let (open_sdg_id, _) = entry(t);
        let indicator = indicators["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == t["indicator"])
            .expect("the target's indicator");
        let ours = tag_of(&open_sdg_id, indicator);
        let published: Vec<String> = components[open_sdg_id.as_str()]
            .as_mapping()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.is_mapping())
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .filter(|k| same_tag(k, &ours))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            published.len(),
            1,
            "{}: tag {ours} published as {published:?}",
            t["id"]
        );
        found.push((t, open_sdg_id, published[0].clone()));
    }
    let mut a = Agreement::default();
    for (n, (t, open_sdg_id, tag)) in found.iter().enumerate() {
        let id = t["id"].as_str().unwrap().to_string();
        if found[n + 1..]
            .iter()
            .any(|(_, i, g)| i == open_sdg_id && g == tag)
        {
            a.overwritten.push(id);
            continue;
        }
        if !repo
            .join(format!("data/indicator_{open_sdg_id}.csv"))
            .is_file()
        {
            a.no_data_file.push(id);
            continue;
        }
        let p = &components[open_sdg_id.as_str()][tag.as_str()];
        let agree = |ours: Option<f64>, theirs: Option<f64>| match (ours, theirs) {
            (Some(x), Some(y)) => close(x, y),
            (x, y) => x.is_none() && y.is_none(),
        };
        let year = |v: &serde_yaml_ng::Value| v.as_f64().map(|y| format!("{y:.0}"));
        let point = |ours: &Value, value: &str, at: &str| match p[value].as_f64() {
            Some(v) => {
                agree(ours["value"].as_f64(), Some(v))
                    && ours["period"].as_str() == year(&p[at]).as_deref()
            }
            None => t["latest"].is_null(),
        };
        let fields = [
            (
                "status",
                t["status"] == mapped(p["status"].as_str().unwrap()),
            ),
            ("score", agree(t["score"].as_f64(), p["score"].as_f64())),
            (
                "progress value",
                agree(t["method_value"].as_f64(), p["progress_value"].as_f64()),
            ),
            ("base", point(&t["baseline"], "base_value", "base_year")),
            (
                "current",
                point(&t["latest"], "current_value", "current_year"),
            ),
        ];
        a.compared += 1;
        a.status += fields[0].1 as usize;
        a.score += fields[1].1 as usize;
        a.progress_value += fields[2].1 as usize;
        a.base += fields[3].1 as usize;
        a.current += fields[4].1 as usize;
        let wrong: Vec<&str> = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
        if !wrong.is_empty() {
            a.disagreements.push(format!(
                "{id} ({tag}): {} differ; goalpost {} {} R={} score={}; published {p:?}",
                wrong.join(", "),
                t["status"],
                t["baseline"],
                t["method_value"],
                t["score"]
            ));
        }
    }
    eprintln!("{}: {a:#?}", repo.display());
    a
}

/// Against a real repository: a checkout of Statistics Canada's Open SDG
/// data repository (`sdg-data-canada-odd-donnees/sdg-data-donnees-odd`,
/// checked at f89e601, 2026-03-10), whose `indicator_calculation_components.yml`
/// is what sdg-build 2.4.0 computed for the site. Every series it published
/// is compared. Its files are not copied here (fixtures/import/README.md
/// says why); run with
/// `GOALPOST_STATCAN_REPO=DIR cargo test --test import_formats -- --ignored`.
#[test]
#[ignore = "needs a checkout of Statistics Canada's data repository in GOALPOST_STATCAN_REPO"]
fn opensdg_statuses_are_those_sdg_build_published_for_statistics_canada() {
    let repo =
        PathBuf::from(std::env::var("GOALPOST_STATCAN_REPO").expect("GOALPOST_STATCAN_REPO"));
    let a = compare_with_published_components(&repo);
    assert!(a.disagreements.is_empty(), "{:#?}", a.disagreements);
    // 247 series published at f89e601: all but 8-5-1 when the checkout lacks its data
    assert!(a.compared + a.no_data_file.len() >= 247, "{a:#?}");
}

/// The same comparison on any Open SDG data repository whose build commits
/// `indicator_calculation_components.yml` (Statistics Canada's Canadian
/// Indicator Framework, `sdg-data-canada-odd-donnees/cif-data-donnees-cic`,
/// was checked at d38e805, 2026-07-23); run with
/// `GOALPOST_OPENSDG_REPO=DIR cargo test --test import_formats -- --ignored`.
#[test]
#[ignore = "needs a checkout of an Open SDG data repository with published components in GOALPOST_OPENSDG_REPO"]
fn opensdg_statuses_are_those_sdg_build_published_for_any_repository() {
    let repo =
        PathBuf::from(std::env::var("GOALPOST_OPENSDG_REPO").expect("GOALPOST_OPENSDG_REPO"));
    let a = compare_with_published_components(&repo);
    assert!(a.disagreements.is_empty(), "{:#?}", a.disagreements);
    assert!(a.compared > 0, "{a:#?}");
}

/// A disaggregation whose `value:` is left empty (YAML null) selects the
/// rows where that column is empty, as the sdg-build 2.4.0 release does
/// (Statistics Canada's CIF repository, 12-2-1, publishes such series).
#[test]
fn opensdg_an_empty_disaggregation_value_selects_the_empty_cells() {
    let w = Workdir::new();
    let repo = w.path("repo");
    std::fs::create_dir_all(repo.join("data")).unwrap();
    std::fs::create_dir_all(repo.join("indicator-config")).unwrap();
    std::fs::write(
        repo.join("data/indicator_12-2-1.csv"),
        "Year,Geography,Practices,Activities,Value\n\
         2018,Canada,,Total,90.3\n2023,Canada,,Total,86.4\n\
         2018,Canada,Reported,,40.7\n2023,Canada,Reported,,36.5\n\
         2018,Canada,Reported,Total,5\n2023,Canada,Reported,Total,6\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("indicator-config/12-2-1.yml"),
        "auto_progress_calculation: true\nprogress_calculation_options:\n\
         - direction: positive\n  disaggregation:\n  - field: Geography\n    value: Canada\n\
         \x20 - field: Practices\n    value:\n  - field: Activities\n    value: Total\n\
         - direction: positive\n  disaggregation:\n  - field: Geography\n    value: Canada\n\
         \x20 - field: Practices\n    value: Reported\n\
         \x20 - field: Activities\n    value:\n",
    )
    .unwrap();
    let out = w.ok(&["import", "--format", "opensdg", s(&repo)]);
    assert!(
        out.contains("2 indicators created, 2 targets created, 4 observations added"),
        "{out}"
    );
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let description = |id: &str| {
        list["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        description("12-2-1")
            .ends_with("selection: Geography = Canada; Practices empty; Activities = Total"),
        "{}",
        description("12-2-1")
    );
    assert!(
        description("12-2-1.2")
            .ends_with("selection: Geography = Canada; Practices = Reported; Activities empty"),
        "{}",
        description("12-2-1.2")
    );
    let report = json(&w.ok(&[
        "report",
        "--method",
        "opensdg",
        "--format",
        "json",
        "--as-of",
        "2026-03-10",
    ]));
    let targets = report["targets"].as_array().unwrap();
    let get = |id: &str| targets.iter().find(|t| t["id"] == id).unwrap();
    // R = (86.4/90.3)^(1/5) − 1, score max(125·R − 2.5, −5)
    check_target(
        get("12-2-1"),
        &(
            "12-2-1",
            "moving_away",
            Some(("2018", 90.3, "2023", 86.4)),
            Some(-0.008_791_087_342_664_095),
            Some(-3.598_885_917_833_012),
        ),
    );
    // R = (36.5/40.7)^(1/5) − 1 = −0.0215: the score is floored at −5
    check_target(
        get("12-2-1.2"),
        &(
            "12-2-1.2",
            "moving_away",
            Some(("2018", 40.7, "2023", 36.5)),
            Some(-0.021_547_626_571_052_58),
            Some(-5.0),
        ),
    );
}

#[test]
fn opensdg_indicators_carry_their_selection_names_units_and_limits() {
    let w = Workdir::new();
    sample_report(&w);
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let get = |id: &str| {
        list["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no indicator {id}"))
            .clone()
    };
    let children = get("1-3-1");
    assert_eq!(children["name"], "Proportion of children covered");
    assert_eq!(children["unit"], "%");
    assert_eq!(children["limit"], 100.0);
    assert_eq!(children["higher_is_better"], true);
    assert_eq!(children["entity"], "Canada");
    let d = children["description"].as_str().unwrap();
    assert!(
        d.ends_with("selection: Series = Proportion of children covered"),
        "{d}"
    );
    // the option's value `_Physical assault` is translated, as in the site's English build
    assert_eq!(
        get("16-3-1")["name"],
        "Physical violence — Physical assault"
    );
    let maternal = get("3-1-1");
    assert_eq!(maternal["name"], "Maternal mortality ratio");
    assert_eq!(maternal["unit"], "Maternal deaths per 100,000 live births");
    assert_eq!(maternal["higher_is_better"], false);
    // sample-md: metadata from the front matter; a name still a translation key falls back to graph_title
    let md = get("16-1-2");
    assert_eq!(md["name"], "Conflict-related deaths per 100,000 population");
    assert_eq!(md["unit"], "Rate per 100,000 population");
    assert_eq!(md["entity"], "United Kingdom");
    let obs = json(&w.ok(&["obs", "list", "16-1-2", "--format", "json"]));
    assert_eq!(
        obs["observations"][0]["note"],
        "Year as published: 2014-15; Observation status: Definition differs; Unit multiplier: Units; Unit measure: Rate per 100,000 population"
    );
    // 2-c-1's values are its Progress column; the published Value is in the note
    let obs = json(&w.ok(&["obs", "list", "2-c-1", "--format", "json"]));
    let rows = obs["observations"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "2019 has no Progress value");
    assert_eq!(rows[1]["value"], 0.0);
    let note = rows[1]["note"].as_str().unwrap();
    assert!(note.starts_with("Value as published: -1.2"), "{note}");
    let obs = json(&w.ok(&["obs", "list", "17-2-1", "--format", "json"]));
    assert_eq!(obs["observations"][2]["note"], "COMMENT_OBS: preliminary");
    let targets = json(&w.ok(&["target", "list", "--format", "json"]));
    let target = |id: &str| {
        targets["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()
            .clone()
    };
    let t = target("17-2-1.2");
    assert_eq!(t["indicator"], "17-2-1.2");
    assert_eq!(t["kind"], "level");
    assert_eq!(t["deadline"], "2030");
    assert_eq!(t["baseline"], "2015");
    assert_eq!(t["value"], 0.2);
    let t = target("9-c-1.4");
    assert_eq!(t["kind"], "trend");
    assert_eq!(t["direction"], "increase");
    assert_eq!(target("16-3-1")["baseline"], "2014");
}

#[test]
fn opensdg_a_newer_state_of_the_repository_adds_vintages_and_changes_nothing_else() {
    let w = Workdir::new();
    let repo = w.path("sdg-data");
    copy_dir(&import_fixture("opensdg/sample-2025"), &repo);
    let out = w.ok(&[
        "import",
        "--format",
        "opensdg",
        s(&repo),
        "--published",
        "2025-09-30",
    ]);
    assert!(
        out.contains("1 indicator created, 1 target created, 4 observations added"),
        "{out}"
    );
    let before = json(&w.ok(&["target", "list", "--format", "json"]));
    let indicator_before = json(&w.ok(&["indicator", "list", "--format", "json"]));
    // the repository as it is now: the same folder, newer files
    std::fs::remove_dir_all(&repo).unwrap();
    copy_dir(&import_fixture("opensdg/sample"), &repo);
    let out = w.ok(&[
        "import",
        "--format",
        "opensdg",
        s(&repo),
        "--published",
        "2026-03-10",
    ]);
    // 3-1-1: 2016 revised, 2019 new; 2015, 2017 and 2018 as stored
    assert!(
        out.contains(
            "31 observations added (3 unchanged; 1 indicator and 1 target already stored, left as they were)"
        ),
        "{out}"
    );
    let history = json(&w.ok(&["obs", "list", "3-1-1", "--history", "--format", "json"]));
    let rows = history["observations"].as_array().unwrap();
    let vintages = |period: &str| rows.iter().filter(|o| o["period"] == period).count();
    assert_eq!(vintages("2016"), 2);
    assert_eq!(vintages("2019"), 1);
    assert_eq!(vintages("2015"), 1);
    assert_eq!(rows.len(), 6);
    let one = |list: &Value, key: &str| {
        list[key]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "3-1-1")
            .cloned()
            .unwrap()
    };
    let after = json(&w.ok(&["target", "list", "--format", "json"]));
    assert_eq!(
        one(&before, "targets"),
        one(&after, "targets"),
        "the target is left as it was"
    );
    let indicator_after = json(&w.ok(&["indicator", "list", "--format", "json"]));
    assert_eq!(
        one(&indicator_before, "indicators"),
        one(&indicator_after, "indicators")
    );
    // what was known when: the new values count from their publication
    let latest = |as_of: &str| {
        let r = json(&w.ok(&[
            "report", "--method", "opensdg", "--format", "json", "--as-of", as_of,
        ]));
        let t = one(&r, "targets");
        t["latest"].clone()
    };
    assert_eq!(latest("2025-12-31")["period"], "2018");
    assert_eq!(latest("2026-03-10")["period"], "2019");
    // the same state once more: nothing new
    let out = w.ok(&[
        "import",
        "--format",
        "opensdg",
        s(&repo),
        "--published",
        "2026-03-10",
    ]);
    // no batch: nothing was stored
    assert!(
        out.contains(
            "(opensdg): 0 indicators created, 0 targets created, 0 observations added (34 unchanged;"
        ),
        "{out}"
    );
}

#[test]
fn opensdg_errors_are_clear_and_change_nothing() {
    let w = Workdir::new();
    w.ok(&["init"]);
    let before = w.dump();
    let not_repo = w.path("empty");
    std::fs::create_dir(&not_repo).unwrap();
    w.refuses(
        1,
        &["import", "--format", "opensdg", s(&not_repo)],
        "is not an Open SDG data repository",
    );
    let repo = w.path("repo");
    copy_dir(&import_fixture("opensdg/sample"), &repo);
    w.refuses(
        1,
        &["import", "--format", "opensdg", s(&repo), "--lang", "xx"],
        "no translations/xx/ folder",
    );
    // a value that is not a number, in a row the progress measure uses
    let data = repo.join("data/indicator_3-1-1.csv");
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&data, text.replace("12.5", "12.5.1")).unwrap();
    let e = w.refuses(
        1,
        &["import", "--format", "opensdg", s(&repo)],
        "is not a number",
    );
    assert!(e.contains("indicator_3-1-1.csv:6:2:"), "{e}");
    std::fs::write(&data, text).unwrap();
    // YAML that does not parse names its line
    let config = repo.join("indicator-config/2-c-1.yml");
    std::fs::write(
        &config,
        "auto_progress_calculation: true\nprogress_calculation_options: [\n",
    )
    .unwrap();
    w.refuses(
        1,
        &["import", "--format", "opensdg", s(&repo)],
        "2-c-1.yml:",
    );
    assert_eq!(w.dump(), before);
    w.refuses(2, &["import", "--lang", "en", "x.toml"], "--format opensdg");
}

#[test]
fn sdmx_csv_series_created_scaled_flagged_and_forecasts_left_out() {
    let w = Workdir::new();
    let v2 = import_fixture("sdmx-csv/v2.csv");
    // nothing says where the series go
    w.refuses(
        2,
        &["obs", "import", "--format", "sdmx-csv", s(&v2)],
        "--map",
    );
    let out = w.ok(&["obs", "import", "--format", "sdmx-csv", s(&v2), "--create"]);
    assert!(
        out.contains("3 indicators created, 0 targets created, 6 observations added"),
        "{out}"
    );
    assert!(
        out.contains("skipped: 1 forecast (a forecast is never stored as an observation)"),
        "{out}"
    );
    let obs = json(&w.ok(&["obs", "list", "--format", "json"]));
    let rows = obs["observations"].as_array().unwrap();
    let find = |indicator: &str, period: &str| {
        rows.iter()
            .find(|o| o["indicator"] == indicator && o["period"] == period)
            .unwrap_or_else(|| panic!("no {indicator} {period}"))
            .clone()
    };
    // UNIT_MULT 6: millions of tonnes, stored in tonnes
    assert_eq!(find("a.by.en_atm_co2", "2019")["value"], 58_200_000.0);
    assert_eq!(find("q.by.en_atm_co2", "2021-Q3")["value"], 14_100_000.0);
    // OBS_STATUS E and P are flags; A (normal) is none; the note stays empty
    assert_eq!(
        find("a.by.si_pov_day1", "2020")["flags"],
        serde_json::json!(["estimated"])
    );
    assert_eq!(
        find("a.by.si_pov_day1", "2021")["flags"],
        serde_json::json!(["provisional"])
    );
    assert_eq!(
        find("a.by.si_pov_day1", "2019")["flags"],
        serde_json::json!([])
    );
    for period in ["2019", "2020", "2021"] {
        assert!(find("a.by.si_pov_day1", period)["note"].is_null());
    }
    assert!(
        !rows.iter().any(|o| o["period"] == "2030"),
        "the forecast is not stored"
    );
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let pov = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "a.by.si_pov_day1")
        .unwrap()
        .clone();
    assert_eq!(pov["unit"], "%");
    assert_eq!(pov["entity"], "BY");
    // --create: the series key's dimensions, as the file names them
    assert_eq!(
        pov["dims"],
        serde_json::json!({"FREQ": "A", "REF_AREA": "BY", "SERIES": "SI_POV_DAY1"})
    );
    // the revision deletes 2021 and sends its replacement
    let revised = import_fixture("sdmx-csv/v2-revised.csv");
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        s(&revised),
        "--map",
        "SERIES=SI_POV_DAY1,REF_AREA=BY=a.by.si_pov_day1",
        "--published",
        "2023-02-01",
    ]);
    assert!(out.contains("2 observations added"), "{out}");
    assert!(
        out.contains("retracted: 1 observation (deleted in the file)"),
        "{out}"
    );
    let history = json(&w.ok(&[
        "obs",
        "list",
        "a.by.si_pov_day1",
        "--history",
        "--format",
        "json",
    ]));
    let retracted: Vec<&Value> = history["observations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["retracted"].is_null())
        .collect();
    assert_eq!(retracted.len(), 1);
    assert_eq!(retracted[0]["value"], 0.3);
    let why = retracted[0]["retracted"].to_string();
    assert!(why.contains("v2-revised.csv line 2 (ACTION=D)"), "{why}");
    // the same revision again changes nothing: its deletion leaves alone
    // the replacement the file sends again, and no batch is recorded
    let batches = w.ok(&["obs", "batches", "--format", "json"]);
    let again = w.ok(&[
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        s(&revised),
        "--map",
        "SERIES=SI_POV_DAY1,REF_AREA=BY=a.by.si_pov_day1",
        "--published",
        "2023-02-01",
    ]);
    assert!(
        again.contains("0 observations added (2 unchanged)"),
        "{again}"
    );
    assert!(!again.contains("retracted"), "{again}");
    assert_eq!(w.ok(&["obs", "batches", "--format", "json"]), batches);
    let after = json(&w.ok(&[
        "obs",
        "list",
        "a.by.si_pov_day1",
        "--history",
        "--format",
        "json",
    ]));
    assert_eq!(after, history);
}

#[test]
fn sdmx_csv_maps_are_checked() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&[
        "indicator",
        "add",
        "gdp-at",
        "--name",
        "GDP per head, Austria",
        "--unit",
        "EUR",
    ]);
    let before = w.dump();
    let f = import_fixture("sdmx-csv/eurostat-v1.csv");
    w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            s(&f),
            "--map",
            "A.CLV10_EUR_HAB.B1GQ.DE=gdp-at",
        ],
        "no series of",
    );
    w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            s(&f),
            "--map",
            "A...AT=gdp-au",
        ],
        "no indicator 'gdp-au'; did you mean 'gdp-at'?",
    );
    w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            s(&f),
            "--map",
            "freq=A=gdp-at",
        ],
        "2 series",
    );
    w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            s(&f),
            "--map",
            "COUNTRY=AT=gdp-at",
        ],
        "no dimension 'COUNTRY'",
    );
    w.refuses(
        2,
        &[
            "obs",
            "import",
            "--format",
            "sdmx-csv",
            s(&f),
            "--map",
            "nothing",
        ],
        "KEY=INDICATOR",
    );
    assert_eq!(w.dump(), before);
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "sdmx-csv",
        s(&f),
        "--map",
        "A...AT=gdp-at",
    ]);
    assert!(out.contains("4 observations added"), "{out}");
    assert!(out.contains("skipped: 1 cell without a value"), "{out}");
    assert!(
        out.contains("skipped: 1 series not mapped (A.CLV10_EUR_HAB.B1GQ.EU27_2020)"),
        "{out}"
    );
    let obs = json(&w.ok(&["obs", "list", "gdp-at", "--format", "json"]));
    assert_eq!(
        obs["observations"][3]["flags"],
        serde_json::json!(["provisional"])
    );
    assert!(obs["observations"][3]["note"].is_null());
    assert_eq!(
        obs["observations"][0]["source"],
        format!("SDMX-CSV {} (ESTAT:SDG_08_10(1.0))", f.display())
    );
}

#[test]
fn world_bank_wide_databank_and_data360() {
    let w = Workdir::new();
    let wide = import_fixture("wdi/API_EG.ELC.ACCS.ZS_DS2_en_csv_v2.csv");
    let out = w.ok(&["obs", "import", "--format", "wdi", s(&wide), "--create"]);
    assert!(
        out.contains("2 indicators created, 0 targets created, 12 observations added"),
        "{out}"
    );
    assert!(out.contains("skipped: 2 cells without a value"), "{out}");
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let blr = &list["indicators"][0];
    assert_eq!(blr["id"], "blr.eg.elc.accs.zs");
    assert_eq!(
        blr["name"],
        "Access to electricity (% of population) (Belarus)"
    );
    assert_eq!(blr["unit"], "%");
    let obs = json(&w.ok(&["obs", "list", "blr.eg.elc.accs.zs", "--format", "json"]));
    assert_eq!(
        obs["observations"][0]["source"],
        format!(
            "World Development Indicators, last updated 2025-07-01 ({})",
            wide.display()
        )
    );
    let databank = import_fixture("wdi/databank.csv");
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&[
        "indicator",
        "add",
        "blr-gdp",
        "--name",
        "GDP",
        "--unit",
        "USD",
    ]);
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "wdi",
        s(&databank),
        "--map",
        "Country Code=BLR,Series Code=NY.GDP.MKTP.CD=blr-gdp",
    ]);
    assert!(out.contains("4 observations added"), "{out}");
    assert!(out.contains("skipped: 1 cell without a value"), "{out}");
    let obs = json(&w.ok(&["obs", "list", "blr-gdp", "--format", "json"]));
    assert_eq!(obs["observations"][3]["value"], 72_790_000_000.0);
    let data360 = import_fixture("wdi/data360.csv");
    let out = w.ok(&["obs", "import", "--format", "wdi", s(&data360), "--create"]);
    assert!(
        out.contains("1 indicator created, 0 targets created, 2 observations added"),
        "{out}"
    );
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let account = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["unit"] == "%")
        .unwrap()
        .clone();
    assert_eq!(account["name"], "Account (% age 15+) (Belarus)");
    assert_eq!(account["entity"], "Belarus");
}

#[test]
fn eurostat_tsv_flags_missing_cells_and_forecasts() {
    let w = Workdir::new();
    let f = import_fixture("eurostat-tsv/sdg_08_10.tsv");
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "eurostat-tsv",
        s(&f),
        "--create",
        "--dry-run",
    ]);
    assert!(out.starts_with("would import"), "{out}");
    let none = json(&w.ok(&["indicator", "list", "--format", "json"]));
    assert_eq!(
        none["indicators"].as_array().unwrap().len(),
        0,
        "a dry run stores nothing"
    );
    let out = w.ok(&[
        "obs",
        "import",
        "--format",
        "eurostat-tsv",
        s(&f),
        "--create",
    ]);
    assert!(
        out.contains("3 indicators created, 0 targets created, 14 observations added"),
        "{out}"
    );
    assert!(out.contains("skipped: 1 forecast"), "{out}");
    assert!(out.contains("skipped: 3 cells without a value"), "{out}");
    let obs = json(&w.ok(&[
        "obs",
        "list",
        "a.clv10_eur_hab.b1gq.eu27_2020",
        "--format",
        "json",
    ]));
    let rows = obs["observations"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    // 2020 "28320 b", 2021 "29860 e", 2022 "30860 p"
    assert_eq!(rows[1]["flags"], serde_json::json!(["break"]));
    assert_eq!(rows[2]["flags"], serde_json::json!(["estimated"]));
    assert_eq!(rows[3]["flags"], serde_json::json!(["provisional"]));
    assert_eq!(rows[0]["flags"], serde_json::json!([]));
    assert!(rows.iter().all(|r| r["note"].is_null()));
    let list = json(&w.ok(&["indicator", "list", "--format", "json"]));
    let growth = list["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "a.pch_pre_hab.b1gq.eu27_2020")
        .unwrap()
        .clone();
    assert_eq!(growth["unit"], "%");
    assert_eq!(
        growth["dims"],
        serde_json::json!({"freq": "A", "unit": "PCH_PRE_HAB", "na_item": "B1GQ", "geo": "EU27_2020"})
    );
}

#[test]
fn a_bad_row_anywhere_refuses_the_whole_file_and_changes_nothing() {
    let w = Workdir::new();
    w.ok(&["init"]);
    w.ok(&["indicator", "add", "x", "--name", "X", "--unit", "%"]);
    w.ok(&["obs", "add", "x", "2019", "1"]);
    let before = w.db_bytes();
    let mut text = std::fs::read_to_string(import_fixture("sdmx-csv/v2.csv")).unwrap();
    text.push_str("dataflow,UNSD:DF_SDG_GLH(1.0),I,A,BY,SI_POV_DAY1,2022,n/a,PT,0,A\n");
    let bad = w.file("bad.csv", text);
    let e = w.refuses(
        1,
        &["obs", "import", "--format", "sdmx-csv", s(&bad), "--create"],
        "not a number",
    );
    assert!(
        e.contains("bad.csv:9:8: OBS_VALUE 'n/a' is not a number"),
        "{e}"
    );
    let tsv = w.file(
        "bad.tsv",
        "freq,geo\\TIME_PERIOD\t2021 \t2022 \nA,AT\t1 \t2 x1\n",
    );
    let e = w.refuses(
        1,
        &[
            "obs",
            "import",
            "--format",
            "eurostat-tsv",
            s(&tsv),
            "--create",
        ],
        "bad.tsv:2:3:",
    );
    assert!(e.contains("not a value with flags"), "{e}");
    let latin1 = w.file("latin1.csv", b"\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2020\"\n\"C\xf4te d'Ivoire\",\"CIV\",\"X\",\"X.Y\",\"1\"\n");
    let e = w.refuses(
        1,
        &["obs", "import", "--format", "wdi", s(&latin1), "--create"],
        "not UTF-8",
    );
    assert!(e.contains("latin1.csv:2:3:"), "{e}");
    w.refuses(2, &["obs", "import", s(&bad), "--create"], "--format");
    assert_eq!(w.db_bytes(), before);
}
