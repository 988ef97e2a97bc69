//! Milestones: an event by a date (methodology.md §7).

use chrono::NaiveDate;

use super::method::{Method, Verdict};
use super::status::Status;
use super::{Assessment, MilestoneState};
use crate::model::{Target, TargetVersion};

/// `achieved` (done by the deadline's last day), `achieved` with `late`,
/// `pending` (open, deadline ahead), `overdue` (open, deadline passed, no
/// completion recorded) or `missed` (a sourced statement that it was still
/// not done on a date after the deadline). A completion or a statement
/// dated after the as-of date is not yet known.
pub fn assess(
    target: &Target,
    version: &TargetVersion,
    as_of: NaiveDate,
    method: Method,
) -> Assessment {
    let last = version.deadline.last_day();
    let days_left = (last - as_of).num_days();
    let done_on = target.done.as_ref().map(|d| d.on).filter(|on| *on <= as_of);
    let late = done_on.map(|on| on > last);
    // the latest statement known on the as-of date that it was not done
    // after the deadline
    let not_done = target
        .not_done
        .iter()
        .filter(|n| n.as_of > last && n.as_of <= as_of)
        .max_by_key(|n| n.as_of);
    let (status, label, note) = match (done_on, late) {
        (Some(on), Some(true)) => (
            Status::Achieved,
            "done late",
            format!(
                "done on {on}, {} days after the deadline",
                (on - last).num_days()
            ),
        ),
        (Some(on), _) => (Status::Achieved, "done", format!("done on {on}")),
        (None, _) if days_left >= 0 => (
            Status::Pending,
            "open",
            format!("no completion recorded as of {as_of}; {days_left} days left"),
        ),
        (None, _) => match not_done {
            Some(n) => (
                Status::Missed,
                "not done",
                format!(
                    "still not done on {} ({}), {} days after the deadline",
                    n.as_of,
                    n.source
                        .citation
                        .as_deref()
                        .or(n.source.url.as_deref())
                        .unwrap_or("source not named"),
                    (n.as_of - last).num_days()
                ),
            ),
            None => (
                Status::Overdue,
                "overdue",
                format!(
                    "no completion recorded as of {as_of}, {} days after the deadline",
                    -days_left
                ),
            ),
        },
    };
    let mut a = Assessment::empty(
        target.kind,
        method,
        version,
        Verdict {
            status,
            method_value: None,
            method_label: Some(label),
            score: None,
            notes: vec![note],
        },
    );
    a.milestone = Some(MilestoneState {
        done_on,
        late,
        days_left,
    });
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Done, Goal, Kind, PathShape, Source};
    use crate::parse::{date, period};

    fn iran_talks(done: Option<&str>) -> Target {
        Target {
            id: "iran-fta".into(),
            indicator: None,
            kind: Kind::Milestone,
            versions: vec![TargetVersion {
                version: 1,
                effective: None,
                goal: Goal::Milestone,
                baseline: None,
                baseline_value: None,
                deadline: period("2022-10").unwrap(),
                from: None,
                direction: None,
                path: PathShape::Linear,
                waypoints: vec![],
                title: None,
                quote: None,
                gloss: None,
                source: Source::default(),
                note: None,
                recorded: String::new(),
            }],
            done: done.map(|d| Done {
                on: date(d).unwrap(),
                source: Source::default(),
                recorded: String::new(),
            }),
            not_done: vec![],
            withdrawn: None,
            labels: Default::default(),
        }
    }

    fn run(done: Option<&str>, as_of: &str) -> Assessment {
        let t = iran_talks(done);
        assess(&t, &t.versions[0], date(as_of).unwrap(), Method::Eurostat)
    }

    #[test]
    fn open_before_the_deadline_is_pending_with_days_left() {
        // 2022-10 ends on 31 October: from 1 October, 30 days left
        let a = run(None, "2022-10-01");
        assert_eq!(a.status(), Status::Pending);
        assert_eq!(a.milestone.unwrap().days_left, 30);
        // on the last day itself, still pending with 0 days left
        assert_eq!(run(None, "2022-10-31").status(), Status::Pending);
    }

    #[test]
    fn open_after_the_deadline_is_overdue_not_missed() {
        let a = run(None, "2022-11-28");
        assert_eq!(a.status(), Status::Overdue);
        assert_eq!(a.milestone.unwrap().days_left, -28);
    }

    fn not_done(t: &mut Target, on: &str) {
        t.not_done.push(crate::model::NotDone {
            as_of: date(on).unwrap(),
            source: Source {
                citation: Some("minister".into()),
                url: None,
            },
            recorded: String::new(),
        });
    }

    #[test]
    fn a_statement_after_the_deadline_that_it_was_not_done_makes_it_missed() {
        let mut t = iran_talks(None);
        // still not done on 2022-09-01: the deadline (31 October) is ahead
        not_done(&mut t, "2022-09-01");
        let on = |d: &str| assess(&t, &t.versions[0], date(d).unwrap(), Method::Eurostat).status();
        assert_eq!(on("2022-10-15"), Status::Pending);
        assert_eq!(on("2022-12-01"), Status::Overdue);
        // still not done on 2024-04-23: missed from that date on, not before
        not_done(&mut t, "2024-04-23");
        let on = |d: &str| assess(&t, &t.versions[0], date(d).unwrap(), Method::Eurostat).status();
        assert_eq!(on("2024-04-22"), Status::Overdue);
        assert_eq!(on("2024-04-23"), Status::Missed);
        // a completion recorded later still wins: done late
        t.done = Some(Done {
            on: date("2025-06-07").unwrap(),
            source: Source::default(),
            recorded: String::new(),
        });
        let a = assess(
            &t,
            &t.versions[0],
            date("2025-07-01").unwrap(),
            Method::Eurostat,
        );
        assert_eq!(
            (a.status(), a.milestone.unwrap().late),
            (Status::Achieved, Some(true))
        );
    }

    #[test]
    fn done_on_the_last_day_is_on_time_and_after_it_late() {
        let a = run(Some("2022-10-31"), "2023-01-01");
        assert_eq!(
            (a.status(), a.milestone.unwrap().late),
            (Status::Achieved, Some(false))
        );
        let a = run(Some("2022-11-02"), "2023-01-01");
        assert_eq!(
            (a.status(), a.milestone.unwrap().late),
            (Status::Achieved, Some(true))
        );
    }

    #[test]
    fn a_completion_after_the_as_of_date_is_not_yet_known() {
        let a = run(Some("2022-10-20"), "2022-10-10");
        assert_eq!(a.status(), Status::Pending);
        assert_eq!(a.milestone.unwrap().done_on, None);
    }
}
