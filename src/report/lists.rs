//! The list views: indicators, observations, targets.

use std::collections::HashMap;

use chrono::NaiveDate;

use serde::Serialize;

use super::PeriodValue;
use crate::engine::{self, Method, Status};
use crate::model::{Flags, Indicator, Kind, Observation, Qualifier, Target};
use crate::period::Period;

/// Whether `entity` contains one of `wanted` in any case (all when none
/// is wanted), as `report --entity` matches.
fn entity_matches(entity: Option<&str>, wanted: &[String]) -> bool {
    wanted.is_empty()
        || entity.is_some_and(|e| {
            let e = e.to_lowercase();
            wanted.iter().any(|w| e.contains(&w.to_lowercase()))
        })
}

/// Which observations `obs list` shows.
#[derive(Debug, Clone, Default)]
pub struct ObservationFilter {
    /// Periods that start on or after this one's start.
    pub since: Option<Period>,
    /// Periods that end on or before this one's end.
    pub until: Option<Period>,
    /// Part of the citation or the address, in any case.
    pub source: Option<String>,
    /// Part of the indicator's entity, in any case (any of them).
    pub entities: Vec<String>,
    /// Only these observations (the rows of an import batch).
    pub ids: Option<std::collections::HashSet<i64>>,
}

impl ObservationFilter {
    fn keeps(&self, o: &Observation, indicator: Option<&Indicator>) -> bool {
        let source = self.source.as_ref().map(|s| s.to_lowercase());
        self.since.is_none_or(|p| o.period.start() >= p.start())
            && self.until.is_none_or(|p| o.period.end() <= p.end())
            && source.is_none_or(|want| {
                [&o.source.citation, &o.source.url]
                    .into_iter()
                    .flatten()
                    .any(|s| s.to_lowercase().contains(&want))
            })
            && entity_matches(indicator.and_then(|i| i.entity.as_deref()), &self.entities)
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&o.id))
    }
}

/// Which targets `target list` shows.
#[derive(Debug, Clone)]
pub struct TargetFilter {
    /// Part of the indicator's entity, in any case (any of them).
    pub entities: Vec<String>,
    pub kinds: Vec<Kind>,
    pub labels: super::LabelFilter,
    /// Statuses on `as_of` by `method` (any of them).
    pub statuses: Vec<Status>,
    pub as_of: NaiveDate,
    pub method: Method,
}

impl TargetFilter {
    /// Whether the status is asked about, and so the observations needed.
    pub fn needs_observations(&self) -> bool {
        !self.statuses.is_empty()
    }

    /// Whether `target` is kept; `observations` are its indicator's (only
    /// looked at for a status).
    pub fn keeps(
        &self,
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
    ) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&target.kind))
            && self.labels.keeps(&target.labels)
            && entity_matches(indicator.and_then(|i| i.entity.as_deref()), &self.entities)
            && (self.statuses.is_empty() || {
                let a = engine::assess(target, indicator, observations, self.as_of, self.method);
                self.statuses.contains(&a.status())
            })
    }
}

/// When a vintage was published and its entry id: the later one wins.
type Vintage = (NaiveDate, i64);

/// The `indicator list` view.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorList {
    pub version: u32,
    pub indicators: Vec<Indicator>,
}

/// One observation vintage as lists and exports show it.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationRow {
    pub id: i64,
    pub indicator: String,
    pub unit: String,
    pub period: String,
    /// The period's first day, and the first day after it (`2009/10` from
    /// April: 2009-04-01 and 2010-04-01).
    pub period_start: String,
    pub period_end: String,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// What the publisher says of the value: `["provisional"]`.
    pub flags: Flags,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub note: Option<String>,
    pub recorded: String,
    pub retracted: Option<crate::model::Retraction>,
    /// Whether a later vintage of the same period supersedes it.
    pub superseded: bool,
}

/// The `obs list` view.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationList {
    pub version: u32,
    pub observations: Vec<ObservationRow>,
}

impl ObservationList {
    /// Every vintage with `history`; else the value that counts today for
    /// each indicator and period (latest vintage, retractions left out).
    /// Ordered by indicator, period, then entry.
    pub fn build(
        observations: &[Observation],
        indicators: &[Indicator],
        history: bool,
    ) -> ObservationList {
        ObservationList::filtered(
            observations,
            indicators,
            history,
            &ObservationFilter::default(),
        )
    }

    /// As [`ObservationList::build`], only the rows `filter` keeps (which
    /// vintage supersedes which is decided on every row first).
    pub fn filtered(
        observations: &[Observation],
        indicators: &[Indicator],
        history: bool,
        filter: &ObservationFilter,
    ) -> ObservationList {
        let indicator_of = |id: &str| indicators.iter().find(|i| i.id == id);
        // the latest vintage of each indicator and period (retractions aside)
        let vintage = |o: &Observation| (engine::select::known_from(o), o.id);
        let mut newest: HashMap<(&str, (NaiveDate, NaiveDate)), Vintage> = HashMap::new();
        for o in observations.iter().filter(|o| o.retracted.is_none()) {
            let entry = newest
                .entry((o.indicator.as_str(), o.period.bounds()))
                .or_insert(vintage(o));
            *entry = (*entry).max(vintage(o));
        }
        let mut rows: Vec<(ObservationRow, crate::period::Period)> = observations
            .iter()
            .filter(|o| filter.keeps(o, indicator_of(&o.indicator)))
            .map(|o| {
                let superseded = o.retracted.is_none()
                    && newest.get(&(o.indicator.as_str(), o.period.bounds())) != Some(&vintage(o));
                (
                    ObservationRow {
                        id: o.id,
                        indicator: o.indicator.clone(),
                        unit: indicators
                            .iter()
                            .find(|i| i.id == o.indicator)
                            .map(|i| i.unit.clone())
                            .unwrap_or_default(),
                        period: o.period.to_string(),
                        period_start: o.period.start().to_string(),
                        period_end: o.period.end().to_string(),
                        value: o.value,
                        qualifier: o.qualifier,
                        source: o.source.citation.clone(),
                        url: o.source.url.clone(),
                        published: o.published.map(|d| d.to_string()),
                        note: o.note.clone(),
                        flags: o.flags,
                        recorded: o.recorded.clone(),
                        retracted: o.retracted.clone(),
                        superseded,
                    },
                    o.period,
                )
            })
            .filter(|(r, _)| history || (!r.superseded && r.retracted.is_none()))
            .collect();
        // chronological, and the vintages of the same days (however each
        // is written: 2021-Q3, 2021-07..2021-09) in entry order, so that a
        // CSV list imported again keeps which of them is the later entry
        rows.sort_by(|(a, pa), (b, pb)| {
            (&a.indicator, pa.bounds(), a.id).cmp(&(&b.indicator, pb.bounds(), b.id))
        });
        ObservationList {
            version: 1,
            observations: rows.into_iter().map(|(r, _)| r).collect(),
        }
    }
}

/// One version of a target as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub id: String,
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub kind: Kind,
    pub version: i64,
    pub effective: Option<String>,
    pub title: Option<String>,
    /// The promised value in base units (value targets).
    pub value: Option<f64>,
    /// The promised change as written: `+25%`, `-30%`, `+1000`, `+2pp`.
    pub change: Option<String>,
    pub direction: Option<&'static str>,
    pub baseline: Option<String>,
    pub baseline_value: Option<f64>,
    pub deadline: String,
    pub from: Option<String>,
    pub path: &'static str,
    pub waypoints: Vec<PeriodValue>,
    pub quote: Option<String>,
    pub gloss: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub done_on: Option<String>,
    pub versions: usize,
    /// Where the target is filed (the same in every version).
    pub programme: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
}

/// The `target list` view.
#[derive(Debug, Clone, Serialize)]
pub struct TargetList {
    pub version: u32,
    pub targets: Vec<TargetRow>,
}

impl TargetList {
    /// The current version of each target; every version with `history`.
    pub fn build(targets: &[Target], indicators: &[Indicator], history: bool) -> TargetList {
        let by_id: HashMap<&str, &Indicator> =
            indicators.iter().map(|i| (i.id.as_str(), i)).collect();
        let mut rows = Vec::new();
        for t in targets {
            let indicator = t.indicator.as_deref().and_then(|id| by_id.get(id).copied());
            rows.extend(TargetRow::of(t, indicator, history));
        }
        TargetList {
            version: 1,
            targets: rows,
        }
    }
}

impl TargetRow {
    /// The rows of one target (of `indicator`): its current version, or
    /// every version with `history`.
    pub fn of(t: &Target, indicator: Option<&Indicator>, history: bool) -> Vec<TargetRow> {
        use crate::model::Goal;
        let versions: Vec<&crate::model::TargetVersion> = if history {
            t.versions.iter().collect()
        } else {
            vec![t.current()]
        };
        versions
            .into_iter()
            .map(|v| {
                let (value, change) = match v.goal {
                    Goal::Value(x) => (Some(x), None),
                    Goal::Change(c) => (None, Some(c.to_string())),
                    Goal::Direction | Goal::Milestone => (None, None),
                };
                TargetRow {
                    id: t.id.clone(),
                    indicator: t.indicator.clone(),
                    unit: indicator
                        .filter(|i| t.indicator.as_ref() == Some(&i.id))
                        .map(|i| i.unit.clone()),
                    kind: t.kind,
                    version: v.version,
                    effective: v.effective.map(|d| d.to_string()),
                    title: v.title.clone(),
                    value,
                    change,
                    direction: v.direction.map(|d| d.name()),
                    baseline: v.baseline.map(|p| p.to_string()),
                    baseline_value: v.baseline_value,
                    deadline: v.deadline.to_string(),
                    from: v.from.map(|p| p.to_string()),
                    path: v.path.name(),
                    waypoints: v
                        .waypoints
                        .iter()
                        .map(|(p, x)| PeriodValue {
                            period: p.to_string(),
                            value: *x,
                        })
                        .collect(),
                    quote: v.quote.clone(),
                    gloss: v.gloss.clone(),
                    source: v.source.citation.clone(),
                    url: v.source.url.clone(),
                    note: v.note.clone(),
                    done_on: t.done.as_ref().map(|d| d.on.to_string()),
                    versions: t.versions.len(),
                    programme: t.labels.programme.clone(),
                    owner: t.labels.owner.clone(),
                    tags: t.labels.tags.clone(),
                }
            })
            .collect()
    }
}
