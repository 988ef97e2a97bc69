//! The `diff` view: the stocktake. Two reports (two as-of dates by one
//! method, or one date by two methods), and for every target whose status,
//! verdict-relevant number or target changed, the old and new status and
//! each cause, classified from the target's events between the dates.

use chrono::NaiveDate;
use serde::Serialize;

use super::Row;
use super::history::{Event, events};
use crate::engine::{Method, Status};
use crate::model::{Indicator, Observation, Target};

/// One cause of a change.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    /// `new_data`, `revised_data`, `target_revised`, `deadline_passed`,
    /// `milestone`, `withdrawn`, `method`.
    pub kind: &'static str,
    pub date: Option<String>,
    pub text: String,
    pub source: Option<String>,
}

/// One changed target.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: String,
    pub title: Option<String>,
    /// `None` for a target recorded between the two dates (`--as-recorded`).
    pub from: Option<Side>,
    pub to: Side,
    /// `worse`, `better`, `same` (the status is graded the same),
    /// `changed` (from or to a status that is no grade) or `new`.
    pub direction: &'static str,
    pub causes: Vec<Cause>,
    /// "revised data alone turned this at_risk" and the like.
    pub summary: String,
}

/// A target's verdict on one side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub status: Status,
    pub method_value: Option<f64>,
    pub progress: Option<f64>,
    pub target: Option<f64>,
    pub deadline: String,
}

impl Side {
    fn of(r: &Row) -> Side {
        Side {
            status: r.status,
            method_value: r.method_value,
            progress: r.progress,
            target: r.target.value,
            deadline: r.target.deadline.clone(),
        }
    }
}

/// `{"version": 1, "from", "to", "method_from", "method", "changes": [...],
/// "unchanged"}`.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub version: u32,
    pub from: String,
    pub to: String,
    pub method_from: Method,
    pub method: Method,
    /// Both reports as recorded on their dates.
    pub as_recorded: bool,
    pub changes: Vec<Change>,
    /// Targets compared whose verdict did not change.
    pub unchanged: usize,
}

/// How good a status is, for "worse" and "better": `None` for statuses
/// that are not a grade (no data, withdrawn).
pub fn grade(s: Status) -> Option<u8> {
    Some(match s {
        Status::Achieved => 0,
        Status::OnTrack | Status::Pending => 1,
        Status::AtRisk => 2,
        Status::Stalled => 3,
        Status::OffTrack | Status::Overdue => 4,
        Status::MovingAway => 5,
        Status::Missed => 6,
        Status::NoData | Status::Withdrawn => return None,
    })
}

/// What a diff compares: two dates by one method, or one date by two
/// methods, on one clock or as recorded on each date.
#[derive(Debug, Clone, Copy)]
pub struct Between {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub method_from: Method,
    pub method: Method,
    /// The two reports are the database as recorded on each date, so that
    /// a retraction recorded in between is a cause and a target recorded
    /// in between is new.
    pub as_recorded: bool,
}

/// One target of the later report, compared.
#[derive(Debug, Clone)]
pub enum Compared {
    Changed(Box<Change>),
    Unchanged,
    /// Not in the earlier report, and not new (on one clock).
    Absent,
}

impl Between {
    /// The diff of no changes: what comes before and after them.
    pub fn head(&self, unchanged: usize) -> Diff {
        Diff {
            version: 1,
            from: self.from.to_string(),
            to: self.to.to_string(),
            method_from: self.method_from,
            method: self.method,
            as_recorded: self.as_recorded,
            changes: Vec::new(),
            unchanged,
        }
    }

    /// Whether [`Between::compare`] finds a change: what it decides before
    /// it looks for causes (which need the observations' sources).
    pub fn differs(&self, old: Option<&Row>, new: &Row) -> bool {
        match old {
            None => self.as_recorded,
            Some(before) => self.changed(&Side::of(before), &Side::of(new)),
        }
    }

    /// A different status, or, by one method, different numbers.
    fn changed(&self, a: &Side, b: &Side) -> bool {
        // two methods always classify different numbers: then only a
        // different status is a difference
        let numbers = self.method_from == self.method
            && (a.method_value != b.method_value
                || a.progress != b.progress
                || a.target != b.target
                || a.deadline != b.deadline);
        a.status != b.status || numbers
    }

    /// Compares a target's row in the later report (`new`) with its row in
    /// the earlier one (`old`, `None` when it is not there); the causes
    /// come from the events of `target` with its `indicator` and
    /// `observations` (the later report's data) between the dates.
    pub fn compare(
        &self,
        old: Option<&Row>,
        new: &Row,
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
    ) -> Compared {
        let Between {
            from,
            to,
            method_from,
            method,
            as_recorded,
        } = *self;
        let b = Side::of(new);
        let Some(before) = old else {
            if !as_recorded {
                return Compared::Absent;
            }
            return Compared::Changed(Box::new(Change {
                id: new.id.clone(),
                title: new.title.clone(),
                from: None,
                to: b,
                direction: "new",
                causes: Vec::new(),
                summary: format!("new target, recorded after {from}"),
            }));
        };
        let a = Side::of(before);
        if !self.changed(&a, &b) {
            return Compared::Unchanged;
        }
        let mut causes = Vec::new();
        if method_from != method {
            causes.push(Cause {
                kind: "method",
                date: None,
                text: format!("{} → {}", method_from.name(), method.name()),
                source: None,
            });
        }
        // what the verdict rests on: no value after the deadline, no
        // re-statement of a known value
        let deadline_end = target.version_on(to).deadline.end();
        for (date, happened) in events(target, indicator, observations) {
            if date <= from || date > to {
                continue;
            }
            causes.extend(
                happened
                    .into_iter()
                    .filter(|e| e.kind != "confirmed")
                    .filter(|e| e.period_end.is_none_or(|end| end <= deadline_end))
                    .map(|e| cause(date, e)),
            );
        }
        if as_recorded {
            let stock = indicator.is_some_and(|i| i.measure == crate::model::Measure::Stock);
            causes.extend(recorded_causes(
                observations,
                from,
                to,
                deadline_end,
                stock,
                indicator.map_or("", |i| i.unit.as_str()),
            ));
            // completions, statements, withdrawals on the day they were
            // recorded
            for (date, e) in super::history::recording_events(target, indicator, &[]) {
                if date > from
                    && date <= to
                    && matches!(e.kind, "completed" | "not_done" | "withdrawn")
                {
                    causes.push(cause(date, e));
                }
            }
        }
        let direction = match (grade(a.status), grade(b.status)) {
            (Some(x), Some(y)) if y > x => "worse",
            (Some(x), Some(y)) if y < x => "better",
            _ if a.status == b.status => "same",
            _ => "changed",
        };
        let summary = summary(&a, &b, &causes);
        Compared::Changed(Box::new(Change {
            id: new.id.clone(),
            title: new.title.clone(),
            from: Some(a),
            to: b,
            direction,
            causes,
            summary,
        }))
    }
}

/// On the second clock: observations and retractions recorded between the
/// dates, as causes.
fn recorded_causes(
    observations: &[Observation],
    from: NaiveDate,
    to: NaiveDate,
    deadline_end: NaiveDate,
    stock: bool,
    unit: &str,
) -> Vec<Cause> {
    let day = super::recorded::day_of;
    let between = |d: NaiveDate| d > from && d <= to;
    let mut out = Vec::new();
    for o in observations {
        let value = crate::render::human::qualified(o.value, o.qualifier, unit);
        // entered in between, about a period published before: a new cause
        // the other clock does not see
        if let Some(d) = day(&o.recorded)
            && between(d)
            && crate::engine::select::known_from(o) <= from
            && super::history::instant_day(o, stock) <= deadline_end
        {
            out.push(Cause {
                kind: "new_data",
                date: Some(d.to_string()),
                text: format!("{} = {value} recorded", o.period),
                source: o.source.citation.clone(),
            });
        }
        if let Some(r) = &o.retracted
            && let Some(d) = day(&r.at)
            && between(d)
        {
            out.push(Cause {
                kind: "retraction",
                date: Some(d.to_string()),
                text: format!("{} = {value} retracted: {}", o.period, r.why),
                source: o.source.citation.clone(),
            });
        }
    }
    out
}

fn cause(date: NaiveDate, e: Event) -> Cause {
    let kind = match e.kind {
        "published" => "new_data",
        "revised" => "revised_data",
        "completed" | "not_done" => "milestone",
        other => other,
    };
    Cause {
        kind,
        date: Some(date.to_string()),
        text: e.text,
        source: e.source,
    }
}

/// One line saying what changed and why, plainly.
fn summary(a: &Side, b: &Side, causes: &[Cause]) -> String {
    if a.status == b.status {
        return format!("still {}; its numbers changed", b.status.name());
    }
    let kinds: Vec<&str> = {
        let mut k: Vec<&str> = causes.iter().map(|c| c.kind).collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    match kinds.as_slice() {
        ["revised_data"] => format!("revised data alone turned this {}", b.status.name()),
        ["retraction"] => format!("a retraction alone turned this {}", b.status.name()),
        ["new_data"] => format!("new data turned this {}", b.status.name()),
        ["method"] => format!("the method alone makes this {}", b.status.name()),
        ["deadline_passed"] => format!("the deadline passed: now {}", b.status.name()),
        [] => format!(
            "{} → {}: nothing new was recorded; time alone moved the verdict",
            a.status.name(),
            b.status.name()
        ),
        _ => format!("{} → {}", a.status.name(), b.status.name()),
    }
}
