//! Every status of methodology.md §6 under every method, on a fixture of
//! round numbers (fixtures/statuses.toml) reported as of 2026-06-30: for
//! each target and method, the status, the method's own number
//! (`method_value`, to 1e-6) and its label, each with the hand calculation
//! beside it; Open SDG's score where §6 defines it. Then the milestone
//! statuses that only a dated "not done" statement gives (§7), and a
//! snapshot of the whole report by each method for review.
//!
//! Unless a test says otherwise: b = 100 at t0 = 2021.0 (2020), T = 150 at
//! t1 = 2031.0 (2030), x at t = 2026.0 (2025); time share 0.5; g_r =
//! 1.5^(1/10) − 1 = 4.137974 %; the linear path at t is p(t) = 125.
//!
//! Labels: §6 names eurostat's four ("significant progress", "moderate
//! progress", "insufficient progress", "movement away"), three of unsd's
//! ("needs acceleration", "stagnation", "regression") and every Open SDG
//! label (`substantial_progress`, `moderate_progress`, `limited_progress`,
//! `deterioration`, `target_achieved`, `not_available`). It names none for
//! pace, for unsd's on_track, for a met or missed target outside Open SDG,
//! or for milestones: there the label is not asserted (`Label::NotInSpec`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use common::{Workdir, fixtures};
use serde_json::Value;

const AS_OF: &str = "2026-06-30";
const METHODS: [&str; 4] = ["eurostat", "opensdg", "unsd", "pace"];

/// A work folder with the fixture imported.
fn fixture() -> Workdir {
    let w = Workdir::new();
    let path = fixtures().join("statuses.toml");
    w.ok(&["import", path.to_str().expect("a UTF-8 path")]);
    w
}

fn report_text(w: &Workdir, method: &str, as_of: &str) -> String {
    w.ok(&[
        "report", "--format", "json", "--as-of", as_of, "--method", method,
    ])
}

/// The fixture's report by each method, made once for every test.
fn reports() -> &'static BTreeMap<&'static str, Value> {
    static REPORTS: OnceLock<BTreeMap<&'static str, Value>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        let w = fixture();
        METHODS
            .iter()
            .map(|m| {
                let json = serde_json::from_str(&report_text(&w, m, AS_OF)).expect("JSON");
                (*m, json)
            })
            .collect()
    })
}

fn row(method: &str, id: &str) -> &'static Value {
    reports()[method]["targets"]
        .as_array()
        .expect("a targets array")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no target {id} in the {method} report"))
}

/// The label a verdict must carry, where §6 names one.
enum Label {
    Is(&'static str),
    NotInSpec,
}
use Label::{Is, NotInSpec};

/// `value` within 1e-6 (absolute, or relative above 1) of `expected`.
#[track_caller]
fn close(value: &Value, expected: f64, what: &str) {
    let a = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected {expected}, got {value}"));
    assert!(
        (a - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "{what}: got {a}, expected {expected}"
    );
}

/// Status, `method_value` (`None`: null) and label of `id` by `method`.
#[track_caller]
fn verdict(method: &str, id: &str, status: &str, value: Option<f64>, label: Label) {
    let r = row(method, id);
    let what = format!("{id} by {method}");
    assert_eq!(
        r["status"], status,
        "{what}: status; notes {}; method_value {}",
        r["notes"], r["method_value"]
    );
    match value {
        Some(v) => close(&r["method_value"], v, &format!("{what}: method_value")),
        None => assert!(
            r["method_value"].is_null(),
            "{what}: method_value {}, expected null",
            r["method_value"]
        ),
    }
    if let Is(label) = label {
        assert_eq!(r["method_label"], label, "{what}: method_label");
    }
}

/// Open SDG's score of `id` (§6: `min(7.1429·R − 4.2857, 5)` if R ≥ 0.6,
/// else `max(4.1667·R − 2.5, −5)`; 5 when met).
#[track_caller]
fn score(id: &str, expected: f64) {
    close(
        &row("opensdg", id)["score"],
        expected,
        &format!("{id}: Open SDG score"),
    );
}

/// Some note of `id` by `method` contains `needle`.
#[track_caller]
fn noted(method: &str, id: &str, needle: &str) {
    let notes = &row(method, id)["notes"];
    assert!(
        notes
            .as_array()
            .is_some_and(|n| n.iter().any(|n| n.as_str().unwrap().contains(needle))),
        "{id} by {method}: no note containing {needle:?} in {notes}"
    );
}

// ------------------------------------------------------------- coverage

#[test]
fn every_status_of_section_6_occurs_under_every_method() {
    let all: BTreeSet<&str> = [
        "achieved",
        "missed",
        "on_track",
        "at_risk",
        "off_track",
        "moving_away",
        "no_data",
        "pending",
        "overdue",
    ]
    .into();
    for method in METHODS {
        let seen: BTreeSet<&str> = reports()[method]["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(seen, all, "{method}");
    }
}

// ------------------------------------------------ the four bands (§6)

#[test]
fn a_target_well_ahead_is_on_track_by_every_method() {
    // x = 140: g_a = 1.4^(1/5) − 1 = 6.961038 %; RR = 6.961038/4.137974 =
    // 1.682233 ≥ 0.95 → on_track
    verdict(
        "eurostat",
        "on-track",
        "on_track",
        Some(1.682233),
        Is("significant progress"),
    );
    // R = 1.682233 → substantial_progress; score min(7.1429·1.682 − 4.2857, 5) = 5
    verdict(
        "opensdg",
        "on-track",
        "on_track",
        Some(1.682233),
        Is("substantial_progress"),
    );
    score("on-track", 5.0);
    // x̂(t1) = 140·1.4 = 196; CR = (196 − 100)/50 = 1.92 ≥ 0.95 → on_track
    verdict("unsd", "on-track", "on_track", Some(1.92), NotInSpec);
    // pace = (140 − 100)/(125 − 100) = 1.6 → on_track
    verdict("pace", "on-track", "on_track", Some(1.6), NotInSpec);
}

#[test]
fn a_target_somewhat_behind_is_at_risk_by_every_method() {
    // stated as +50%: T = 100·1.5 = 150
    close(&row("eurostat", "at-risk")["target"]["value"], 150.0, "T");
    // x = 120: g_a = 1.2^(1/5) − 1 = 3.713729 %; RR = 0.897475 → at_risk
    verdict(
        "eurostat",
        "at-risk",
        "at_risk",
        Some(0.897475),
        Is("moderate progress"),
    );
    // R = 0.897475; score 7.1429·0.897475 − 4.2857 = 2.124875
    verdict(
        "opensdg",
        "at-risk",
        "at_risk",
        Some(0.897475),
        Is("moderate_progress"),
    );
    score("at-risk", 2.124875);
    // x̂ = 120·1.2 = 144; CR = 44/50 = 0.88 → at_risk
    verdict(
        "unsd",
        "at-risk",
        "at_risk",
        Some(0.88),
        Is("needs acceleration"),
    );
    // pace = 20/25 = 0.8 → at_risk
    verdict("pace", "at-risk", "at_risk", Some(0.8), NotInSpec);
}

#[test]
fn on_a_compound_path_pace_is_measured_in_log_space() {
    // p(t) = 100·1.5^0.5 = 122.474487; pace = ln(1.2)/ln(1.224745) =
    // 0.182322/0.202733 = 0.899321 → at_risk
    verdict(
        "pace",
        "at-risk-compound",
        "at_risk",
        Some(0.899321),
        NotInSpec,
    );
    // the other methods do not depend on the path: as at-risk
    verdict(
        "eurostat",
        "at-risk-compound",
        "at_risk",
        Some(0.897475),
        Is("moderate progress"),
    );
    verdict(
        "opensdg",
        "at-risk-compound",
        "at_risk",
        Some(0.897475),
        Is("moderate_progress"),
    );
    verdict(
        "unsd",
        "at-risk-compound",
        "at_risk",
        Some(0.88),
        Is("needs acceleration"),
    );
}

#[test]
fn a_target_barely_moving_is_off_track_by_every_method() {
    // x = 102: g_a = 1.02^(1/5) − 1 = 0.396838 %; RR = 0.095901 → off_track
    verdict(
        "eurostat",
        "off-track",
        "off_track",
        Some(0.095901),
        Is("insufficient progress"),
    );
    // R = 0.095901; score 4.1667·0.095901 − 2.5 = −2.100407
    verdict(
        "opensdg",
        "off-track",
        "off_track",
        Some(0.095901),
        Is("limited_progress"),
    );
    score("off-track", -2.100407);
    // x̂ = 102·1.02 = 104.04; CR = 4.04/50 = 0.0808 < 0.10 → off_track
    verdict(
        "unsd",
        "off-track",
        "off_track",
        Some(0.0808),
        Is("stagnation"),
    );
    // pace = 2/25 = 0.08 → off_track
    verdict("pace", "off-track", "off_track", Some(0.08), NotInSpec);
}

#[test]
fn a_target_going_down_is_moving_away_by_every_method() {
    // x = 90: g_a = 0.9^(1/5) − 1 = −2.085164 %; RR = −0.503909 → moving_away
    verdict(
        "eurostat",
        "moving-away",
        "moving_away",
        Some(-0.503909),
        Is("movement away"),
    );
    // R = −0.503909; score max(4.1667·R − 2.5, −5) = −4.599639
    verdict(
        "opensdg",
        "moving-away",
        "moving_away",
        Some(-0.503909),
        Is("deterioration"),
    );
    score("moving-away", -4.599639);
    // x̂ = 90·0.9 = 81; CR = −19/50 = −0.38 → moving_away
    verdict(
        "unsd",
        "moving-away",
        "moving_away",
        Some(-0.38),
        Is("regression"),
    );
    // pace = −10/25 = −0.4 → moving_away
    verdict("pace", "moving-away", "moving_away", Some(-0.4), NotInSpec);
}

// ---------------------------------------------------- met, missed (§6)

#[test]
fn a_met_target_is_achieved_by_every_method_beside_its_method_value() {
    // 160 ≥ 150: met, checked first. The method's number is still reported:
    // g_a = 1.6^(1/5) − 1 = 9.856054 %; RR = 2.381855
    verdict(
        "eurostat",
        "achieved",
        "achieved",
        Some(2.381855),
        NotInSpec,
    );
    // Open SDG: target_achieved, score 5, its R still reported (as sdg-build)
    verdict(
        "opensdg",
        "achieved",
        "achieved",
        Some(2.381855),
        Is("target_achieved"),
    );
    score("achieved", 5.0);
    // x̂ = 160·1.6 = 256; CR = 156/50 = 3.12
    verdict("unsd", "achieved", "achieved", Some(3.12), NotInSpec);
    // pace = 60/25 = 2.4
    verdict("pace", "achieved", "achieved", Some(2.4), NotInSpec);
}

#[test]
fn a_deadline_value_short_of_the_target_is_missed_by_every_method() {
    // b = 100 (2015, t0 = 2016.0), T = 150 by 2025 (t1 = 2026.0), the 2025
    // value 130 < 150 decides: missed. g_a = 1.3^(1/10) − 1 = 2.658363 %;
    // g_r = 4.137974 %; RR = 0.642431
    verdict("eurostat", "missed", "missed", Some(0.642431), NotInSpec);
    verdict("opensdg", "missed", "missed", Some(0.642431), NotInSpec);
    // at the deadline the projection is the value: CR = 30/50 = 0.6
    verdict("unsd", "missed", "missed", Some(0.6), NotInSpec);
    // p(t1) = T: pace = 30/50 = 0.6
    verdict("pace", "missed", "missed", Some(0.6), NotInSpec);
    for method in METHODS {
        assert!(row(method, "missed")["required_rate_from_now"].is_null());
    }
}

#[test]
fn without_its_deadline_value_a_target_is_assessed_on_the_latest_earlier_one() {
    // T = 150 by 2025, b = 100 (2015, t0 = 2016.0); on 2026-06-30 only 2024
    // = 145 is known (t = 2025.0, t1 = 2026.0): assessed as usual, time
    // share 0.9. g_a = 1.45^(1/9) − 1 = 4.214891 %; RR = 1.018588 → on_track
    verdict(
        "eurostat",
        "awaited",
        "on_track",
        Some(1.018588),
        Is("significant progress"),
    );
    // score 7.1429·1.018588 − 4.2857 = 2.989972
    verdict(
        "opensdg",
        "awaited",
        "on_track",
        Some(1.018588),
        Is("substantial_progress"),
    );
    score("awaited", 2.989972);
    // x̂ = 145·1.0421489 = 151.111592; CR = 51.111592/50 = 1.022232
    verdict("unsd", "awaited", "on_track", Some(1.022232), NotInSpec);
    // p(t) = 100 + 50·0.9 = 145; pace = 45/45 = 1
    verdict("pace", "awaited", "on_track", Some(1.0), NotInSpec);
    for method in METHODS {
        noted(method, "awaited", "awaited");
    }
}

#[test]
fn a_stock_value_dated_before_the_deadline_period_is_not_its_deadline_value() {
    // a stock: 2020 = 100 at t0 = 2021.0; 150 by 2025 (t1 = 2026.0); the
    // 2024 value 130 sits at 2025.0, the start of the deadline period, but
    // is dated before it (§6): the 2025 value is awaited, the 2024 one
    // assessed as usual, time share 0.8. g_a = 1.3^(1/4) − 1 = 6.778997 %;
    // g_r = 1.5^(1/5) − 1 = 8.447177 %; RR = 0.802516 → at_risk
    verdict(
        "eurostat",
        "stock-awaited",
        "at_risk",
        Some(0.802516),
        Is("moderate progress"),
    );
    // score 7.1429·0.802516 − 4.2857 = 1.446594
    verdict(
        "opensdg",
        "stock-awaited",
        "at_risk",
        Some(0.802516),
        Is("moderate_progress"),
    );
    score("stock-awaited", 1.446594);
    // x̂ = 130·1.06779 = 138.812696; CR = 38.812696/50 = 0.776254
    verdict(
        "unsd",
        "stock-awaited",
        "at_risk",
        Some(0.776254),
        Is("needs acceleration"),
    );
    // p(t) = 100 + 50·0.8 = 140; pace = 30/40 = 0.75
    verdict("pace", "stock-awaited", "at_risk", Some(0.75), NotInSpec);
    for method in METHODS {
        noted(method, "stock-awaited", "awaited");
    }
}

// ------------------------------------------------- no data, baselines (§3)

#[test]
fn a_target_with_nothing_known_is_no_data_by_every_method() {
    for method in METHODS {
        // no stated baseline value, no observation
        let label = if method == "opensdg" {
            Is("not_available")
        } else {
            NotInSpec
        };
        verdict(method, "no-data", "no_data", None, label);
        assert!(
            !row(method, "no-data")["notes"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{method}: no_data says why"
        );
    }
}

#[test]
fn a_target_met_at_its_stated_baseline_with_nothing_since_is_achieved_by_every_method() {
    // lower is better, b = 1.16 stated, T = 1.2, no observation: the latest
    // value is the baseline itself (§3); −(1.16 − 1.2) ≥ 0, met. No time has
    // elapsed, so no growth rate and no method number.
    for method in METHODS {
        let label = if method == "opensdg" {
            Is("target_achieved")
        } else {
            NotInSpec
        };
        verdict(method, "met-at-baseline", "achieved", None, label);
        let r = row(method, "met-at-baseline");
        assert_eq!(r["latest"]["period"], "2020", "{method}: latest");
        close(&r["latest"]["value"], 1.16, "latest value");
        // progress −1·(1.16 − 1.16)/|1.2 − 1.16| = 0
        close(&r["progress"], 0.0, "progress");
    }
    score("met-at-baseline", 5.0);
}

#[test]
fn a_change_whose_baseline_value_is_not_known_is_no_data_without_a_fallback() {
    // −55% versus 2018; 2018 has no value (2019 has): "−55% versus 2018" is
    // not "−55% versus 2019" (§3), so no_data with the note telling how to
    // state it
    for method in METHODS {
        verdict(
            method,
            "change-without-baseline",
            "no_data",
            None,
            NotInSpec,
        );
        noted(method, "change-without-baseline", "--baseline 2018=VALUE");
        assert!(row(method, "change-without-baseline")["progress"].is_null());
    }
}

#[test]
fn a_value_target_falls_back_to_the_next_later_observation_for_its_baseline() {
    // 150 by 2030 from 2018, unknown: the 2019 value is used (Open SDG rule),
    // b = 100 at t0 = 2020.0, t1 = 2031.0, x = 120 at t = 2026.0; time share
    // 6/11. g_a = 1.2^(1/6) − 1 = 3.085332 %; g_r = 1.5^(1/11) − 1 =
    // 3.754824 %; RR = 0.821698 → at_risk
    verdict(
        "eurostat",
        "value-with-later-baseline",
        "at_risk",
        Some(0.821698),
        Is("moderate progress"),
    );
    // score 7.1429·0.821698 − 4.2857 = 1.583609
    verdict(
        "opensdg",
        "value-with-later-baseline",
        "at_risk",
        Some(0.821698),
        Is("moderate_progress"),
    );
    score("value-with-later-baseline", 1.583609);
    // x̂ = 120·1.03085332^5 = 139.690097; CR = 39.690097/50 = 0.793802
    verdict(
        "unsd",
        "value-with-later-baseline",
        "at_risk",
        Some(0.793802),
        Is("needs acceleration"),
    );
    // p(t) = 100 + 50·6/11 = 127.272727; pace = 20/27.272727 = 0.733333
    verdict(
        "pace",
        "value-with-later-baseline",
        "at_risk",
        Some(0.733333),
        NotInSpec,
    );
    for method in METHODS {
        let r = row(method, "value-with-later-baseline");
        assert_eq!(r["baseline"]["period"], "2019", "{method}");
        noted(method, "value-with-later-baseline", "2019");
    }
}

#[test]
fn a_target_met_at_the_baseline_then_lost_is_moving_away_by_every_method() {
    // lower is better (d = −1), b = 1.16, T = 1.2 (met at the baseline),
    // x = 1.3 in 2025: not met, −(1.3 − 1.2) < 0.
    // progress = −1·(1.3 − 1.16)/|1.2 − 1.16| = −3.5
    // g_a = (1.3/1.16)^(1/5) − 1 = 2.305050 %; g_r = (1.2/1.16)^(1/10) − 1 =
    // 0.339591 %; RR = −1·g_a/|g_r| = −6.787728 < 0 → moving_away
    verdict(
        "eurostat",
        "lost-at-baseline",
        "moving_away",
        Some(-6.787728),
        Is("movement away"),
    );
    // R = sign·d·g_a/|g_r| = −6.787728; score max(4.1667·R − 2.5, −5) = −5
    verdict(
        "opensdg",
        "lost-at-baseline",
        "moving_away",
        Some(-6.787728),
        Is("deterioration"),
    );
    score("lost-at-baseline", -5.0);
    // x̂ = 1.3·(1.3/1.16) = 1.456897; CR = −(1.456897 − 1.16)/0.04 = −7.422414
    verdict(
        "unsd",
        "lost-at-baseline",
        "moving_away",
        Some(-7.422414),
        Is("regression"),
    );
    // p(t) = 1.16 + 0.04·0.5 = 1.18; pace = −0.14/0.02 = −7
    verdict(
        "pace",
        "lost-at-baseline",
        "moving_away",
        Some(-7.0),
        NotInSpec,
    );
    for method in METHODS {
        close(
            &row(method, "lost-at-baseline")["progress"],
            -3.5,
            "progress",
        );
    }
}

#[test]
fn a_target_equal_to_its_baseline_and_not_met_is_moving_away_with_no_ratio() {
    // T = b = 100, x = 95 < 100: progress, RR, CR and pace divide by
    // |T − b| = 0 (or g_r = 0): null; not met → moving_away (§3), every
    // method
    for method in METHODS {
        verdict(method, "hold-lost", "moving_away", None, NotInSpec);
        let r = row(method, "hold-lost");
        assert!(r["progress"].is_null(), "{method}: progress");
        close(&r["required_rate"], 0.0, "required rate");
        // gap = 1·(100 − 95) = 5
        close(&r["gap"], 5.0, "gap");
    }
}

// ---------------------------------------------------------- cumulative (§7)

#[test]
fn a_cumulative_target_is_assessed_by_pace_whatever_the_method() {
    // 1,000 jobs in 2021–2030: b = 0 at 2021.0, x = 5·100 = 500 at 2026.0,
    // t1 = 2031.0; progress 0.5, time share 0.5, pace 1.0 → on_track
    for method in METHODS {
        verdict(method, "jobs-on-pace", "on_track", Some(1.0), NotInSpec);
        let r = row(method, "jobs-on-pace");
        close(&r["latest"]["value"], 500.0, "the running sum");
        close(&r["progress"], 0.5, "progress");
        // projection x/(time share) = 1,000
        close(&r["projected"]["value"], 1000.0, "projected");
    }
}

// ---------------------------------------------------------- milestones (§7)

/// The milestone state of `id` (method-independent): status, done_on, late,
/// days_left; no method number.
#[track_caller]
fn milestone(id: &str, status: &str, done_on: Option<&str>, late: Option<bool>, days_left: i64) {
    for method in METHODS {
        verdict(method, id, status, None, NotInSpec);
        let m = &row(method, id)["milestone"];
        assert_eq!(m["done_on"].as_str(), done_on, "{id} by {method}: done_on");
        assert_eq!(m["late"].as_bool(), late, "{id} by {method}: late");
        assert_eq!(
            m["days_left"].as_i64(),
            Some(days_left),
            "{id} by {method}: days_left"
        );
    }
}

#[test]
fn an_open_milestone_before_its_deadline_is_pending() {
    // by 2027: last day 2027-12-31, 549 days after 2026-06-30
    milestone("pending", "pending", None, None, 549);
}

#[test]
fn an_open_milestone_past_its_deadline_is_overdue_not_missed() {
    // by 2025-10: last day 2025-10-31, 242 days before 2026-06-30; no
    // completion and no "not done" statement: overdue
    milestone("overdue", "overdue", None, None, -242);
}

#[test]
fn a_milestone_done_by_its_deadline_is_achieved() {
    // by 2025 (last day 2025-12-31, 181 days before the as-of date), done
    // 2025-06-01
    milestone("done", "achieved", Some("2025-06-01"), Some(false), -181);
}

#[test]
fn a_milestone_done_after_its_deadline_is_achieved_late() {
    // by 2024 (last day 2024-12-31, 546 days before), done 2025-03-15
    milestone(
        "done-late",
        "achieved",
        Some("2025-03-15"),
        Some(true),
        -546,
    );
}

#[test]
fn a_completion_dated_after_the_as_of_date_is_not_yet_known() {
    // by 2027, done 2026-09-01: on 2026-06-30 still open, 549 days left
    milestone("done-after-as-of", "pending", None, None, 549);
}

// --------------------------------------------- "not done" statements (§7)

/// A milestone "talks" by March 2024 (last day 2024-03-31), nothing else.
fn talks() -> Workdir {
    let w = Workdir::new();
    let file = w.file(
        "talks.toml",
        "version = 1\n\n[[target]]\nid = \"talks\"\nkind = \"milestone\"\ntitle = \"Start the talks by March 2024\"\ndeadline = \"2024-03\"\n",
    );
    w.ok(&["import", file.to_str().unwrap()]);
    w
}

fn status_of(w: &Workdir, id: &str, as_of: &str) -> Value {
    let report: Value = serde_json::from_str(&report_text(w, "eurostat", as_of)).unwrap();
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no target {id}"))["status"]
        .clone()
}

#[test]
fn a_not_done_statement_dated_after_the_deadline_makes_a_milestone_missed() {
    let w = talks();
    w.ok(&[
        "target",
        "not-done",
        "talks",
        "--as-of",
        "2024-04-23",
        "--source",
        "The talks have still not begun",
        "--url",
        "https://example.org/still-not-begun",
    ]);
    // the last day 2024-03-31 is not yet past: pending
    assert_eq!(status_of(&w, "talks", "2024-03-31"), "pending");
    // past it, before the statement: no evidence yet, overdue
    assert_eq!(status_of(&w, "talks", "2024-04-22"), "overdue");
    // from the statement's date (after the last day, on or before the as-of
    // date) on: missed
    assert_eq!(status_of(&w, "talks", "2024-04-23"), "missed");
    assert_eq!(status_of(&w, "talks", AS_OF), "missed");
}

#[test]
fn a_not_done_statement_dated_on_or_before_the_deadline_leaves_a_milestone_overdue() {
    // "still not done" on 2024-03-15 or on 2024-03-31 says nothing about the
    // deadline's end: only a statement dated after 2024-03-31 decides missed
    for date in ["2024-03-15", "2024-03-31"] {
        let w = talks();
        w.ok(&[
            "target", "not-done", "talks", "--as-of", date, "--source", "Not yet",
        ]);
        assert_eq!(status_of(&w, "talks", AS_OF), "overdue", "stated {date}");
    }
}

#[test]
fn a_not_done_table_in_a_data_set_makes_a_milestone_missed_and_survives_export() {
    let w = Workdir::new();
    let file = w.file(
        "talks.toml",
        r#"version = 1

[[target]]
id = "talks"
kind = "milestone"
title = "Start the talks by March 2024"
deadline = "2024-03"

  [[target.not_done]]
  as_of = "2024-04-23"
  source = "The talks have still not begun"
  url = "https://example.org/still-not-begun"
"#,
    );
    w.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(status_of(&w, "talks", "2024-04-22"), "overdue");
    assert_eq!(status_of(&w, "talks", AS_OF), "missed");
    // import(export(db)) == db: the statement comes back, and with it the verdict
    let exported = w.ok(&["export"]);
    assert!(exported.contains("[[target.not_done]]"), "{exported}");
    let again = Workdir::new();
    let file = again.file("export.toml", &exported);
    again.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        report_text(&again, "eurostat", AS_OF),
        report_text(&w, "eurostat", AS_OF)
    );
}

// ------------------------------------------------------------- snapshots

// The whole report by each method, for review against the engine. Not
// accepted here: a new snapshot is written as a .snap.new file for review.

#[test]
fn the_fixture_report_by_eurostat_is_pinned() {
    insta::assert_snapshot!(
        "statuses_report_eurostat",
        report_text(&fixture(), "eurostat", AS_OF)
    );
}

#[test]
fn the_fixture_report_by_opensdg_is_pinned() {
    insta::assert_snapshot!(
        "statuses_report_opensdg",
        report_text(&fixture(), "opensdg", AS_OF)
    );
}

#[test]
fn the_fixture_report_by_unsd_is_pinned() {
    insta::assert_snapshot!(
        "statuses_report_unsd",
        report_text(&fixture(), "unsd", AS_OF)
    );
}

#[test]
fn the_fixture_report_by_pace_is_pinned() {
    insta::assert_snapshot!(
        "statuses_report_pace",
        report_text(&fixture(), "pace", AS_OF)
    );
}
