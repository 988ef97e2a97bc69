//! The status strip: a target's status as it evolved, as spans of
//! calendar time, from its history (the report replayed at every event
//! date, [`super::History`]). Drawn along the time axis under the chart:
//! at each date, the status a report as of that date gave.

use chrono::NaiveDate;
use serde::Serialize;

use super::History;
use crate::engine::Status;

/// From `from` on (until the next span, or the strip's end), `status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub from: String,
    pub status: Status,
    #[serde(skip)]
    pub day: NaiveDate,
}

/// `{"until", "spans": [{"from", "status"}]}`: no span before the first
/// event the target has, none after `until` (the view's as-of date).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strip {
    pub until: String,
    #[serde(skip)]
    pub until_day: NaiveDate,
    pub spans: Vec<Span>,
}

impl Strip {
    /// The spans of `history`, one per change of status.
    pub fn new(history: &History, until: NaiveDate) -> Strip {
        let mut spans: Vec<Span> = Vec::new();
        for r in &history.rows {
            let Ok(day) = NaiveDate::parse_from_str(&r.date, "%Y-%m-%d") else {
                continue;
            };
            if day > until || spans.last().is_some_and(|s| s.status == r.status) {
                continue;
            }
            spans.push(Span {
                from: r.date.clone(),
                status: r.status,
                day,
            });
        }
        Strip {
            until: until.to_string(),
            until_day: until,
            spans,
        }
    }

    /// The status on `day`: none before the first span or after the end.
    pub fn status_on(&self, day: NaiveDate) -> Option<Status> {
        if day > self.until_day {
            return None;
        }
        self.spans
            .iter()
            .take_while(|s| s.day <= day)
            .last()
            .map(|s| s.status)
    }

    /// The spans as `(start, end, status)` dates, the last ending on the
    /// strip's end.
    pub fn ranges(&self) -> Vec<(NaiveDate, NaiveDate, Status)> {
        self.spans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let end = self.spans.get(i + 1).map_or(self.until_day, |n| n.day);
                (s.day, end, s.status)
            })
            .collect()
    }

    /// The statuses the strip shows, each once, in the order they came.
    pub fn statuses(&self) -> Vec<Status> {
        let mut out: Vec<Status> = Vec::new();
        for s in &self.spans {
            if !out.contains(&s.status) {
                out.push(s.status);
            }
        }
        out
    }
}
