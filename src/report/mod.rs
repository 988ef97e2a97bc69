//! Report structs: what each view shows, built from the engine's
//! assessments. Serialize gives the stable JSON interface of product.md;
//! the renderers format these fields and never compute.
//!
//! `report` (this file) is the row of every target; `lists` the list
//! commands; `show` the detail of one target.

mod compare;
mod diff;
mod history;
mod lists;
mod methods;
pub mod recorded;
pub mod rollup;
mod show;
mod strip;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{self, Assessment, Method, Status};
use crate::model::{DimFilter, Indicator, Kind, Observation, Qualifier, Target};
pub use compare::{Assessed, CompareRow, Comparison};
pub use diff::{Between, Cause, Change, Compared, Diff, Side, grade};
pub use history::{Event, History, HistoryRow};
pub use lists::{
    IndicatorList, ObservationFilter, ObservationList, ObservationRow, TargetFilter, TargetList,
    TargetRow,
};
pub use methods::{MethodList, MethodRow};
pub use rollup::{GroupBy, GroupSummary, LabelFilter, Rollup};
pub use show::{
    DerivedValue, Show, SourceRef, Statement, TimePoint, TrajectoryRow, UsedObservation,
};
pub use strip::{Span, Strip};

/// `{"period", "value"}`.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodValue {
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetValue {
    pub value: Option<f64>,
    pub deadline: String,
    /// The change as stated (`+25%`), when the target is one.
    pub change: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Latest {
    pub period: String,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// The sum of complete sub-periods, not an observed value
    /// (methodology §2 rule 4).
    pub derived: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Projected {
    pub value: f64,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub done_on: Option<String>,
    pub late: Option<bool>,
    pub days_left: i64,
}

/// One target on one date: the row of `report`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub title: Option<String>,
    pub entity: Option<String>,
    /// Where the target is filed: its programme, owner and tags.
    pub programme: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub indicator: Option<String>,
    /// The indicator's dimensions (`{"sex": "female"}`), when it has any.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub dims: std::collections::BTreeMap<String, String>,
    pub unit: Option<String>,
    pub kind: Kind,
    pub direction: Option<&'static str>,
    /// `linear`, `compound` or `waypoints`; none for trend and milestone
    /// targets, which have no required path.
    pub path: Option<&'static str>,
    pub baseline: Option<PeriodValue>,
    pub target: TargetValue,
    pub latest: Option<Latest>,
    pub progress: Option<f64>,
    pub time_elapsed: Option<f64>,
    pub actual_rate: Option<f64>,
    pub required_rate: Option<f64>,
    pub required_rate_from_now: Option<f64>,
    pub rate_ratio: Option<f64>,
    pub path_value: Option<f64>,
    pub deviation: Option<f64>,
    pub projected: Option<Projected>,
    pub anticipated_progress: Option<f64>,
    pub projected_hit: Option<String>,
    /// The first period whose value met the target.
    pub reached_in: Option<String>,
    pub gap: Option<f64>,
    pub gap_ratio: Option<f64>,
    pub status: Status,
    pub method_value: Option<f64>,
    pub method_label: Option<&'static str>,
    pub score: Option<f64>,
    pub notes: Vec<String>,
    pub milestone: Option<Milestone>,
    /// The assessment window in years (`--window N`), when one was used.
    pub window: Option<u32>,
    /// Where the window starts: the value its growth is measured from.
    pub window_start: Option<PeriodValue>,
    /// The growth over the window and the growth required from its start.
    pub window_rates: Option<WindowRates>,
}

/// `{"actual", "required"}`: the growth rates over an assessment window.
#[derive(Debug, Clone, Serialize)]
pub struct WindowRates {
    pub actual: Option<f64>,
    pub required: Option<f64>,
}

impl Row {
    pub fn new(target: &Target, indicator: Option<&Indicator>, a: &Assessment) -> Row {
        let v = &a.version;
        Row {
            id: target.id.clone(),
            title: v.title.clone(),
            entity: indicator.and_then(|i| i.entity.clone()),
            programme: target.labels.programme.clone(),
            owner: target.labels.owner.clone(),
            tags: target.labels.tags.clone(),
            indicator: indicator.map(|i| i.id.clone()),
            dims: indicator.map(|i| i.dims.clone()).unwrap_or_default(),
            unit: indicator.map(|i| i.unit.clone()),
            kind: target.kind,
            direction: a.direction.map(|d| d.name()),
            // the path as used: a compound path through a non-positive
            // value is followed linearly (§4)
            path: match (target.kind, &a.path) {
                (Kind::Trend | Kind::Milestone, _) => None,
                _ if !v.waypoints.is_empty() => Some("waypoints"),
                (_, Some(p)) => Some(p.shape.name()),
                (_, None) => Some(v.path.name()),
            },
            baseline: a.baseline.as_ref().map(|b| PeriodValue {
                period: b.period.text(),
                value: b.value,
            }),
            target: TargetValue {
                value: a.target_value,
                deadline: v.deadline.text(),
                change: match v.goal {
                    crate::model::Goal::Change(c) => Some(c.to_string()),
                    _ => None,
                },
            },
            latest: a.latest.as_ref().map(|p| Latest {
                period: p.period.text(),
                value: p.value,
                qualifier: p.qualifier,
                derived: p.is_derived(),
            }),
            progress: a.progress,
            time_elapsed: a.time_elapsed,
            actual_rate: a.actual_rate,
            required_rate: a.required_rate,
            required_rate_from_now: a.required_rate_from_now,
            rate_ratio: a.rate_ratio,
            path_value: a.path_value,
            deviation: a.deviation,
            projected: a.projected.map(|value| Projected {
                value,
                at: v.deadline.text(),
            }),
            anticipated_progress: a.anticipated_progress,
            projected_hit: a.projected_hit.map(crate::period::date_text),
            reached_in: a.reached_in.map(|p| p.text()),
            gap: a.gap,
            gap_ratio: a.gap_ratio,
            status: a.status(),
            method_value: a.verdict.method_value,
            method_label: a.verdict.method_label,
            score: a.verdict.score,
            notes: a.notes().to_vec(),
            milestone: a.milestone.as_ref().map(|m| Milestone {
                done_on: m.done_on.map(crate::period::date_text),
                late: m.late,
                days_left: m.days_left,
            }),
            window: a.window.as_ref().map(|w| w.years),
            window_start: a.window.as_ref().map(|w| PeriodValue {
                period: w.start.period.text(),
                value: w.start.value,
            }),
            window_rates: a.window.as_ref().map(|w| WindowRates {
                actual: w.actual_rate,
                required: w.required_rate,
            }),
        }
    }

    /// Whether the target states a number (not a trend or a milestone).
    pub fn is_quantified(&self) -> bool {
        self.target.value.is_some()
    }
}

/// What the small chart of a target's course on a large report page
/// shows, from its assessment: `(t, value)` pairs, `t` in fractional years.
#[derive(Debug, Clone, Default)]
pub struct Spark {
    pub id: String,
    /// The values that count (a cumulative target's running sum).
    pub observed: Vec<(f64, f64)>,
    /// The required path: baseline, waypoints, target.
    pub path: Vec<(f64, f64)>,
    /// From the latest value to the value projected at the deadline.
    pub projection: Vec<(f64, f64)>,
    pub target: Option<(f64, f64)>,
}

impl Spark {
    pub fn new(target: &Target, a: &Assessment) -> Spark {
        let mut sum = 0.0;
        let observed = a
            .points
            .iter()
            .map(|p| {
                if target.kind == Kind::Cumulative {
                    sum += p.value;
                    (p.t, sum)
                } else {
                    (p.t, p.value)
                }
            })
            .collect();
        let path: Vec<(f64, f64)> = a
            .path
            .as_ref()
            .map(|p| {
                std::iter::once(p.start)
                    .chain(p.waypoints.iter().copied())
                    .chain(std::iter::once(p.end))
                    .collect()
            })
            .unwrap_or_default();
        let end = a.path.as_ref().map(|p| p.end);
        let projection = match (&a.latest, a.projected, end) {
            (Some(l), Some(v), Some((t1, _))) if target.kind != Kind::Cumulative => {
                vec![(l.t, l.value), (t1, v)]
            }
            _ => Vec::new(),
        };
        Spark {
            id: target.id.clone(),
            observed,
            path,
            projection,
            target: end,
        }
    }
}

/// The `report` view: every target on one date by one method.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub as_of: String,
    pub method: Method,
    pub targets: Vec<Row>,
}

/// Which targets a report shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entities: Vec<String>,
    pub statuses: Vec<Status>,
    pub kinds: Vec<Kind>,
    pub labels: LabelFilter,
    /// Only these targets (none: all).
    pub ids: Vec<String>,
    /// Only targets whose indicator has all these dimensions.
    pub dims: Vec<DimFilter>,
}

impl Filter {
    /// Whether a target of `indicator` may be kept, by its dimensions:
    /// decided once per indicator, before any target of it is assessed.
    pub fn keeps_indicator(&self, indicator: Option<&Indicator>) -> bool {
        self.dims.is_empty() || indicator.is_some_and(|i| self.dims.iter().all(|d| d.matches(i)))
    }

    pub fn keeps(&self, row: &Row) -> bool {
        (self.entities.is_empty()
            || row.entity.as_deref().is_some_and(|e| {
                self.entities
                    .iter()
                    .any(|want| e.to_lowercase().contains(&want.to_lowercase()))
            }))
            && (self.statuses.is_empty() || self.statuses.contains(&row.status))
            && (self.kinds.is_empty() || self.kinds.contains(&row.kind))
            && self
                .labels
                .keeps_parts(row.programme.as_deref(), row.owner.as_deref(), &row.tags)
            && (self.ids.is_empty() || self.ids.contains(&row.id))
            && self.dims.iter().all(|d| d.matches_dims(&row.dims))
    }
}

impl Report {
    /// Assesses every target and orders the rows by status severity, then
    /// deadline, then id.
    pub fn build(
        targets: &[Target],
        indicators: &[Indicator],
        observations: &[Observation],
        as_of: NaiveDate,
        method: Method,
        filter: &Filter,
    ) -> Report {
        Report::from_catalog(
            targets,
            &Catalog::new(indicators, observations),
            as_of,
            method,
            filter,
        )
    }

    /// As [`Report::build`], on observations already grouped by indicator.
    pub fn from_catalog(
        targets: &[Target],
        catalog: &Catalog,
        as_of: NaiveDate,
        method: Method,
        filter: &Filter,
    ) -> Report {
        let mut rows: Vec<(Row, NaiveDate)> = targets
            .iter()
            .filter(|t| filter.keeps_indicator(catalog.of(t).0))
            .map(|t| {
                let (indicator, mine) = catalog.of(t);
                let a = engine::assess(t, indicator, mine, as_of, method);
                let deadline_end = a.version.deadline.end();
                (Row::new(t, indicator, &a), deadline_end)
            })
            .filter(|(row, _)| filter.keeps(row))
            .collect();
        rows.sort_by(|(a, da), (b, db)| (a.status, da, &a.id).cmp(&(b.status, db, &b.id)));
        Report {
            version: 1,
            as_of: as_of.to_string(),
            method,
            targets: rows.into_iter().map(|(r, _)| r).collect(),
        }
    }

    /// Counts per status, in severity order, for the summary line.
    pub fn summary(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .into_iter()
            .map(|s| (s, self.targets.iter().filter(|r| r.status == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// The indicators and their observations, found per target in constant
/// time (a report looks them up for every target).
pub struct Catalog<'a> {
    indicators: HashMap<&'a str, &'a Indicator>,
    observations: HashMap<&'a str, Vec<Observation>>,
}

impl<'a> Catalog<'a> {
    pub fn new(indicators: &'a [Indicator], observations: &'a [Observation]) -> Catalog<'a> {
        let mut groups: HashMap<&str, Vec<Observation>> = HashMap::new();
        for o in observations {
            groups
                .entry(o.indicator.as_str())
                .or_default()
                .push(o.clone());
        }
        Catalog {
            indicators: indicators.iter().map(|i| (i.id.as_str(), i)).collect(),
            observations: groups,
        }
    }

    /// A target's indicator and every vintage of it.
    pub fn of(&self, target: &Target) -> (Option<&'a Indicator>, &[Observation]) {
        let indicator = target
            .indicator
            .as_ref()
            .and_then(|id| self.indicators.get(id.as_str()).copied());
        let observations = indicator
            .and_then(|i| self.observations.get(i.id.as_str()))
            .map_or(&[][..], Vec::as_slice);
        (indicator, observations)
    }
}
