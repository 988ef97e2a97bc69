//! Report structs: what each view shows, built from the engine's
//! assessments. Serialize gives the stable JSON interface of product.md;
//! the renderers format these fields and never compute.

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{self, Assessment, Method, Status};
use crate::model::{Indicator, Kind, Observation, Qualifier, Target};

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
    pub indicator: Option<String>,
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
}

impl Row {
    pub fn new(target: &Target, indicator: Option<&Indicator>, a: &Assessment) -> Row {
        let v = &a.version;
        Row {
            id: target.id.clone(),
            title: v.title.clone(),
            entity: indicator.and_then(|i| i.entity.clone()),
            indicator: indicator.map(|i| i.id.clone()),
            unit: indicator.map(|i| i.unit.clone()),
            kind: target.kind,
            direction: a.direction.map(|d| d.name()),
            path: match target.kind {
                Kind::Trend | Kind::Milestone => None,
                _ if v.waypoints.is_empty() => Some(v.path.name()),
                _ => Some("waypoints"),
            },
            baseline: a.baseline.as_ref().map(|b| PeriodValue {
                period: b.period.to_string(),
                value: b.value,
            }),
            target: TargetValue {
                value: a.target_value,
                deadline: v.deadline.to_string(),
                change: match v.goal {
                    crate::model::Goal::Change(c) => Some(c.to_string()),
                    _ => None,
                },
            },
            latest: a.latest.as_ref().map(|p| Latest {
                period: p.period.to_string(),
                value: p.value,
                qualifier: p.qualifier,
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
                at: v.deadline.to_string(),
            }),
            anticipated_progress: a.anticipated_progress,
            projected_hit: a.projected_hit.map(|d| d.to_string()),
            reached_in: a.reached_in.map(|p| p.to_string()),
            gap: a.gap,
            gap_ratio: a.gap_ratio,
            status: a.status(),
            method_value: a.verdict.method_value,
            method_label: a.verdict.method_label,
            score: a.verdict.score,
            notes: a.notes().to_vec(),
            milestone: a.milestone.as_ref().map(|m| Milestone {
                done_on: m.done_on.map(|d| d.to_string()),
                late: m.late,
                days_left: m.days_left,
            }),
        }
    }

    /// Whether the target states a number (not a trend or a milestone).
    pub fn is_quantified(&self) -> bool {
        self.target.value.is_some()
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
}

impl Filter {
    fn keeps(&self, row: &Row) -> bool {
        (self.entities.is_empty()
            || row.entity.as_deref().is_some_and(|e| {
                self.entities
                    .iter()
                    .any(|want| e.to_lowercase().contains(&want.to_lowercase()))
            }))
            && (self.statuses.is_empty() || self.statuses.contains(&row.status))
            && (self.kinds.is_empty() || self.kinds.contains(&row.kind))
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
        let mut rows: Vec<(Row, NaiveDate)> = targets
            .iter()
            .map(|t| {
                let indicator = t
                    .indicator
                    .as_ref()
                    .and_then(|id| indicators.iter().find(|i| &i.id == id));
                let a = engine::assess(t, indicator, observations, as_of, method);
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
    pub value: f64,
    pub qualifier: Option<Qualifier>,
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
        let mut rows: Vec<(ObservationRow, crate::period::Period)> = observations
            .iter()
            .map(|o| {
                let superseded = o.retracted.is_none()
                    && observations.iter().any(|other| {
                        other.id != o.id
                            && other.indicator == o.indicator
                            && other.period == o.period
                            && other.retracted.is_none()
                            && (engine::select::known_from(other), other.id)
                                > (engine::select::known_from(o), o.id)
                    });
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
                        value: o.value,
                        qualifier: o.qualifier,
                        source: o.source.citation.clone(),
                        url: o.source.url.clone(),
                        published: o.published.map(|d| d.to_string()),
                        note: o.note.clone(),
                        recorded: o.recorded.clone(),
                        retracted: o.retracted.clone(),
                        superseded,
                    },
                    o.period,
                )
            })
            .filter(|(r, _)| history || (!r.superseded && r.retracted.is_none()))
            .collect();
        rows.sort_by(|(a, pa), (b, pb)| (&a.indicator, pa, a.id).cmp(&(&b.indicator, pb, b.id)));
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
        use crate::model::Goal;
        let mut rows = Vec::new();
        for t in targets {
            let versions: Vec<&crate::model::TargetVersion> = if history {
                t.versions.iter().collect()
            } else {
                vec![t.current()]
            };
            for v in versions {
                let (value, change) = match v.goal {
                    Goal::Value(x) => (Some(x), None),
                    Goal::Change(c) => (None, Some(c.to_string())),
                    Goal::Direction | Goal::Milestone => (None, None),
                };
                rows.push(TargetRow {
                    id: t.id.clone(),
                    indicator: t.indicator.clone(),
                    unit: t
                        .indicator
                        .as_ref()
                        .and_then(|id| indicators.iter().find(|i| &i.id == id))
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
                });
            }
        }
        TargetList {
            version: 1,
            targets: rows,
        }
    }
}

/// The promise as stated: quote, gloss, source.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub quote: Option<String>,
    pub gloss: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    /// The number of the statement's source in `sources`.
    pub source_ref: Option<usize>,
}

/// One row of the trajectory.
#[derive(Debug, Clone, Serialize)]
pub struct TrajectoryRow {
    pub period: String,
    /// The period's time point in fractional years (methodology.md §1).
    pub t: f64,
    pub path: Option<f64>,
    pub observed: Option<f64>,
    /// The period of the observed value, when it is not the row's own
    /// (a stock's latest value inside the period, a cumulative's last period).
    pub observed_period: Option<String>,
    pub qualifier: Option<Qualifier>,
    pub projected: Option<f64>,
    pub deviation: Option<f64>,
    /// `observed / path`.
    pub of_path: Option<f64>,
}

/// One vintage, as `show` lists it: used in the assessment or not, and why.
#[derive(Debug, Clone, Serialize)]
pub struct UsedObservation {
    #[serde(flatten)]
    pub observation: ObservationRow,
    pub used: bool,
    /// The observation's time point in fractional years.
    pub t: f64,
    /// counted, superseded, retracted, not_yet_published, other_length, overlapped
    #[serde(rename = "use")]
    pub use_: engine::Use,
    pub source_ref: Option<usize>,
}

/// A numbered source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    pub n: usize,
    pub citation: Option<String>,
    pub url: Option<String>,
}

/// The `show` view: one target in detail.
#[derive(Debug, Clone, Serialize)]
pub struct Show {
    pub version: u32,
    pub as_of: String,
    pub method: Method,
    pub target: Row,
    pub statement: Statement,
    pub indicator_name: Option<String>,
    pub measure: Option<&'static str>,
    pub trajectory: Vec<TrajectoryRow>,
    pub revisions: Vec<TargetRow>,
    pub observations: Vec<UsedObservation>,
    pub sources: Vec<SourceRef>,
}

impl Show {
    pub fn build(
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
        as_of: NaiveDate,
        method: Method,
    ) -> Show {
        let a = engine::assess(target, indicator, observations, as_of, method);
        let row = Row::new(target, indicator, &a);
        let mut sources: Vec<SourceRef> = Vec::new();
        let mut cite = |s: &crate::model::Source| -> Option<usize> {
            if s.is_empty() {
                return None;
            }
            if let Some(found) = sources
                .iter()
                .find(|r| r.citation == s.citation && r.url == s.url)
            {
                return Some(found.n);
            }
            let n = sources.len() + 1;
            sources.push(SourceRef {
                n,
                citation: s.citation.clone(),
                url: s.url.clone(),
            });
            Some(n)
        };
        let v = &a.version;
        let statement = Statement {
            quote: v.quote.clone(),
            gloss: v.gloss.clone(),
            source: v.source.citation.clone(),
            url: v.source.url.clone(),
            note: v.note.clone(),
            source_ref: cite(&v.source),
        };
        let revisions = TargetList::build(
            std::slice::from_ref(target),
            indicator.map(std::slice::from_ref).unwrap_or_default(),
            true,
        )
        .targets;
        for version in &target.versions {
            cite(&version.source);
        }
        if let Some(done) = &target.done {
            cite(&done.source);
        }
        let mine: Vec<Observation> = indicator
            .map(|i| {
                observations
                    .iter()
                    .filter(|o| o.indicator == i.id)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let listed = ObservationList::build(
            &mine,
            indicator.map(std::slice::from_ref).unwrap_or_default(),
            true,
        );
        let stock = indicator.is_some_and(|i| i.measure == crate::model::Measure::Stock)
            && target.kind != Kind::Cumulative;
        let instant = |id: i64| {
            mine.iter()
                .find(|o| o.id == id)
                .map_or(f64::NAN, |o| o.period.instant(stock))
        };
        let used_observations = listed
            .observations
            .into_iter()
            .map(|o| {
                let use_ = a
                    .uses
                    .iter()
                    .find(|(id, _)| *id == o.id)
                    .map_or(engine::Use::Counted, |(_, u)| *u);
                let source_ref = cite(&crate::model::Source {
                    citation: o.source.clone(),
                    url: o.url.clone(),
                });
                UsedObservation {
                    t: instant(o.id),
                    observation: o,
                    used: use_ == engine::Use::Counted,
                    use_,
                    source_ref,
                }
            })
            .collect();
        let trajectory = engine::trajectory::trajectory(indicator, &a)
            .into_iter()
            .map(|r| TrajectoryRow {
                period: r.period.to_string(),
                t: r.period.instant(stock),
                path: r.path,
                observed_period: r
                    .observed
                    .as_ref()
                    .filter(|o| o.period != r.period)
                    .map(|o| o.period.to_string()),
                observed: r.observed.as_ref().map(|o| o.value),
                qualifier: r.observed.as_ref().and_then(|o| o.qualifier),
                projected: r.projected,
                deviation: r.deviation,
                of_path: r.of_path,
            })
            .collect();
        Show {
            version: 1,
            as_of: as_of.to_string(),
            method,
            target: row,
            statement,
            indicator_name: indicator.map(|i| i.name.clone()),
            measure: indicator.map(|i| i.measure.name()),
            trajectory,
            revisions,
            observations: used_observations,
            sources,
        }
    }
}
