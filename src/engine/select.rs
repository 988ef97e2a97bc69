//! Which observations count (methodology.md §2).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Observation, Qualifier};
use crate::period::Period;

/// A counting observation at its instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub obs_id: i64,
    pub period: Period,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// The time point, in fractional years (§1).
    pub t: f64,
}

/// Why an observation is or is not used in an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    /// Counts: the latest vintage known on the as-of date.
    Counted,
    /// An entry error, ignored whatever the date (rule 3).
    Retracted,
    /// Published after the as-of date (rule 1).
    NotYetPublished,
    /// A later vintage of the same period wins (rule 2).
    Superseded,
    /// A flow over a period of another length than the deadline's (rule 4).
    OtherLength,
    /// Inside a longer period that counts for the same span (rule 5).
    Overlapped,
    /// After the deadline: shown, but the promise is judged at the
    /// deadline (§6).
    AfterDeadline,
    /// Outside a cumulative target's window, or across its edges (§7).
    OutsideWindow,
}

impl Use {
    pub fn describe(self) -> &'static str {
        match self {
            Use::Counted => "counted",
            Use::Retracted => "retracted",
            Use::NotYetPublished => "published after the as-of date",
            Use::Superseded => "superseded by a later vintage",
            Use::OtherLength => "partial or other-length period",
            Use::Overlapped => "covered by a longer period",
            Use::AfterDeadline => "after the deadline",
            Use::OutsideWindow => "outside the target's window",
        }
    }
}

/// When an observation counts as known: its publication date, or else the
/// last day of its period (rule 1).
pub fn known_from(o: &Observation) -> NaiveDate {
    o.published.unwrap_or_else(|| o.period.last_day())
}

/// The observations of one indicator that count on `as_of`, latest vintage
/// per period, as points sorted by time; and the use of every observation.
///
/// `same_length_as`: for a flow, only periods of this length count
/// (rule 4); `None` for a stock, whose every observation counts at its
/// instant.
pub fn counting(
    observations: &[Observation],
    as_of: NaiveDate,
    stock: bool,
    same_length_as: Option<&Period>,
) -> (Vec<Point>, Vec<(i64, Use)>) {
    // vintages of one another: the same span of time however it is written
    // (2021, 2021-01..2021-12), or for a stock the same instant ("end of
    // 2020" is "2021-01-01")
    #[derive(PartialEq, Eq, Hash)]
    enum Slot {
        Span(NaiveDate, NaiveDate),
        Instant(u64),
    }
    let slot_of = |o: &Observation| {
        if stock {
            Slot::Instant(o.period.instant(true).to_bits())
        } else {
            let (start, end) = o.period.bounds();
            Slot::Span(start, end)
        }
    };
    let mut uses = Vec::with_capacity(observations.len());
    let mut latest: Vec<&Observation> = Vec::new();
    let mut slots: HashMap<Slot, usize> = HashMap::new();
    for o in observations {
        let why = if o.retracted.is_some() {
            Some(Use::Retracted)
        } else if known_from(o) > as_of {
            Some(Use::NotYetPublished)
        } else if same_length_as.is_some_and(|p| !o.period.same_length(p)) {
            Some(Use::OtherLength)
        } else {
            None
        };
        if let Some(why) = why {
            uses.push((o.id, why));
            continue;
        }
        match slots.get(&slot_of(o)) {
            Some(&i) => {
                // latest publication wins; on a tie, the later entry
                let slot = &mut latest[i];
                let newer = (known_from(o), o.id) > (known_from(slot), slot.id);
                let loser = if newer { std::mem::replace(slot, o) } else { o };
                uses.push((loser.id, Use::Superseded));
            }
            None => {
                slots.insert(slot_of(o), latest.len());
                latest.push(o);
            }
        }
    }
    let mut points: Vec<Point> = latest
        .into_iter()
        .map(|o| {
            uses.push((o.id, Use::Counted));
            Point {
                obs_id: o.id,
                period: o.period,
                value: o.value,
                qualifier: o.qualifier,
                t: o.period.instant(stock),
            }
        })
        .collect();
    points.sort_by(|a, b| a.t.total_cmp(&b.t).then(a.period.cmp(&b.period)));
    uses.sort_by_key(|(id, _)| *id);
    (points, uses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Retraction, Source};
    use crate::parse::{date, period};

    fn obs(id: i64, p: &str, value: f64, published: Option<&str>) -> Observation {
        Observation {
            id,
            indicator: "x".into(),
            period: period(p).unwrap(),
            value,
            qualifier: None,
            source: Source::default(),
            published: published.map(|d| date(d).unwrap()),
            note: None,
            recorded: String::new(),
            retracted: None,
        }
    }

    #[test]
    fn only_what_was_published_by_the_as_of_date_counts() {
        let all = [
            obs(1, "2021", 6.7, Some("2022-02-11")),
            obs(2, "2022", 8.3, Some("2023-02-28")),
        ];
        let (points, uses) = counting(&all, date("2022-12-31").unwrap(), false, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 6.7);
        assert_eq!(uses, vec![(1, Use::Counted), (2, Use::NotYetPublished)]);
    }

    #[test]
    fn without_a_publication_date_a_value_is_known_at_its_periods_end() {
        let all = [obs(1, "2021", 6.7, None)];
        assert!(
            counting(&all, date("2021-12-30").unwrap(), false, None)
                .0
                .is_empty()
        );
        assert_eq!(
            counting(&all, date("2021-12-31").unwrap(), false, None)
                .0
                .len(),
            1
        );
    }

    #[test]
    fn the_latest_vintage_wins_and_ties_go_to_the_later_entry() {
        let all = [
            obs(1, "2021", 6.5, Some("2022-01-20")),
            obs(2, "2021", 6.7, Some("2022-02-11")),
            obs(3, "2021", 6.6, Some("2022-02-11")),
            obs(4, "2021", 9.9, Some("2021-12-01")),
        ];
        let (points, uses) = counting(&all, date("2023-01-01").unwrap(), false, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].obs_id, 3);
        assert_eq!(
            uses,
            vec![
                (1, Use::Superseded),
                (2, Use::Superseded),
                (3, Use::Counted),
                (4, Use::Superseded)
            ]
        );
        // as of an earlier date, the first vintage was all there was
        let (points, _) = counting(&all, date("2022-01-31").unwrap(), false, None);
        assert_eq!(points[0].obs_id, 1);
    }

    #[test]
    fn one_year_written_two_ways_is_one_period_and_the_latest_vintage_wins() {
        // 2021 and 2021-01..2021-12 cover the same days: vintages of each other
        let all = [
            obs(1, "2021", 6.5, Some("2022-01-20")),
            obs(2, "2021-01..2021-12", 6.0, Some("2021-12-31")),
            obs(3, "2021", 6.7, Some("2022-02-11")),
        ];
        let year = period("2025").unwrap();
        let (points, uses) = counting(&all, date("2022-12-31").unwrap(), false, Some(&year));
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 6.7);
        assert_eq!(
            uses,
            vec![
                (1, Use::Superseded),
                (2, Use::Superseded),
                (3, Use::Counted)
            ]
        );
    }

    #[test]
    fn a_retracted_value_never_counts() {
        let mut o = obs(1, "2021", 67.0, Some("2022-02-11"));
        o.retracted = Some(Retraction {
            at: "2022-03-01T00:00:00Z".into(),
            why: "typo".into(),
        });
        let (points, uses) = counting(&[o], date("2022-01-01").unwrap(), false, None);
        assert!(points.is_empty());
        assert_eq!(uses, vec![(1, Use::Retracted)]);
    }

    #[test]
    fn a_partial_period_never_stands_in_for_a_full_one() {
        let year = period("2025").unwrap();
        let all = [
            obs(1, "2021", 6.7, Some("2022-02-11")),
            obs(2, "2022-01..2022-08", 5.168, Some("2022-10-01")),
        ];
        let (points, uses) = counting(&all, date("2022-12-31").unwrap(), false, Some(&year));
        assert_eq!(points.len(), 1);
        assert_eq!(uses[1], (2, Use::OtherLength));
    }

    #[test]
    fn stocks_count_at_their_instants_in_time_order() {
        let all = [
            obs(1, "2022-10-10", 93.0, None),
            obs(2, "2021-01-01", 68.0, None),
            obs(3, "2021", 80.0, None),
        ];
        let (points, _) = counting(&all, date("2023-01-01").unwrap(), true, None);
        let ts: Vec<f64> = points.iter().map(|p| p.t).collect();
        // 2021-01-01 is 2021.0; the year 2021 ends at 2022.0
        assert_eq!(ts[0], 2021.0);
        assert_eq!(ts[1], 2022.0);
        assert!(ts[2] > 2022.7);
    }

    #[test]
    fn a_stock_at_the_same_instant_is_a_vintage_whatever_its_notation() {
        // "end of 2020" and "1 January 2021" are one instant: the later entry wins
        let all = [obs(1, "2020", 68.0, None), obs(2, "2021-01-01", 69.0, None)];
        let (points, uses) = counting(&all, date("2023-01-01").unwrap(), true, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 69.0);
        assert_eq!(uses, vec![(1, Use::Superseded), (2, Use::Counted)]);
    }
}
