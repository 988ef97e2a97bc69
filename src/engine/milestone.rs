//! Milestones: an event by a date (methodology.md §7).

use chrono::NaiveDate;

use super::status::{Method, Status, Verdict};
use super::{Assessment, MilestoneState};
use crate::model::{Target, TargetVersion};

/// `achieved` (done by the deadline's last day), `achieved` with `late`,
/// `pending` (open, deadline ahead) or `missed` (open, deadline passed).
/// A completion dated after the as-of date is not yet known.
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
        (None, _) => (
            Status::Missed,
            "overdue",
            format!(
                "no completion recorded as of {as_of}; {} days overdue",
                -days_left
            ),
        ),
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
            }),
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
    fn open_after_the_deadline_is_missed_with_days_overdue() {
        let a = run(None, "2022-11-28");
        assert_eq!(a.status(), Status::Missed);
        assert_eq!(a.milestone.unwrap().days_left, -28);
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
