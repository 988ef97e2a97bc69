//! The `show` view: one target in detail.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::{ObservationList, ObservationRow, Row, TargetList, TargetRow};
use crate::engine::{self, Method};
use crate::model::{Flags, Indicator, Kind, Observation, Qualifier, Target};

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
    /// The time point of the observed value (fractional years).
    pub observed_t: Option<f64>,
    pub qualifier: Option<Qualifier>,
    /// The observed value is the sum of complete sub-periods.
    pub derived: bool,
    pub projected: Option<f64>,
    pub deviation: Option<f64>,
    /// `observed / path`.
    pub of_path: Option<f64>,
}

/// A value derived from complete sub-periods (methodology §2 rule 4), with
/// the observations it adds up.
#[derive(Debug, Clone, Serialize)]
pub struct DerivedValue {
    pub period: String,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    pub derived: bool,
    /// The ids of the observations summed, in time order.
    pub parts: Vec<i64>,
}

/// A value at a time point (fractional years).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TimePoint {
    pub t: f64,
    pub value: f64,
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
    /// The month the indicator's year starts in (1: the calendar year).
    pub year_start: Option<u32>,
    /// The indicator's dimensions (`{"sex": "female"}`) and headline parent.
    pub dims: BTreeMap<String, String>,
    pub parent: Option<String>,
    /// The flags of the latest value (of its parts, for a derived one):
    /// provisional, estimated…
    pub latest_flags: Flags,
    /// Where the required path starts: the baseline (or a cumulative
    /// window's start, at 0) as `{"t", "value"}`.
    pub path_start: Option<TimePoint>,
    pub trajectory: Vec<TrajectoryRow>,
    pub revisions: Vec<TargetRow>,
    pub observations: Vec<UsedObservation>,
    /// The values derived from sub-periods that the assessment counts.
    pub derived: Vec<DerivedValue>,
    /// Corrections of entry errors in the target and its indicator, oldest
    /// first (filled in by the caller, which reads them).
    pub corrections: Vec<crate::model::Correction>,
    /// The status as it evolved up to the as-of date, from the target's
    /// history (filled in by the caller, which replays it).
    pub status_strip: Option<super::Strip>,
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
        Show::build_with(
            target,
            indicator,
            observations,
            as_of,
            method,
            engine::Options::default(),
        )
    }

    /// [`Show::build`], with options (an assessment window).
    pub fn build_with(
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
        as_of: NaiveDate,
        method: Method,
        options: engine::Options,
    ) -> Show {
        let a = engine::assess_with(target, indicator, observations, as_of, method, options);
        let row = Row::new(target, indicator, &a);
        let mut sources: Vec<SourceRef> = Vec::new();
        let mut numbers: HashMap<(Option<String>, Option<String>), usize> = HashMap::new();
        let mut cite = |s: &crate::model::Source| -> Option<usize> {
            if s.is_empty() {
                return None;
            }
            let key = (s.citation.clone(), s.url.clone());
            let n = *numbers.entry(key).or_insert_with(|| {
                sources.push(SourceRef {
                    n: sources.len() + 1,
                    citation: s.citation.clone(),
                    url: s.url.clone(),
                });
                sources.len()
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
        // what was known on the as-of date: the versions in force by then,
        // a completion dated by then
        let known = |v: &crate::model::TargetVersion| v.effective.is_none_or(|e| e <= as_of);
        let revisions: Vec<TargetRow> = TargetList::build(
            std::slice::from_ref(target),
            indicator.map(std::slice::from_ref).unwrap_or_default(),
            true,
        )
        .targets
        .into_iter()
        .zip(&target.versions)
        .filter(|(_, v)| known(v))
        .map(|(row, _)| row)
        .collect();
        for version in target.versions.iter().filter(|v| known(v)) {
            cite(&version.source);
        }
        if let Some(done) = target.done.as_ref().filter(|d| d.on <= as_of) {
            cite(&done.source);
        }
        for n in target.not_done.iter().filter(|n| n.as_of <= as_of) {
            cite(&n.source);
        }
        if let Some(w) = target.withdrawn.as_ref().filter(|w| w.on <= as_of) {
            cite(&w.source);
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
        let instants: HashMap<i64, f64> = mine
            .iter()
            .map(|o| (o.id, o.period.instant(stock)))
            .collect();
        let uses: HashMap<i64, engine::Use> = a.uses.iter().copied().collect();
        let latest_flags: Flags = a
            .latest
            .iter()
            .flat_map(|p| p.ids())
            .filter_map(|id| mine.iter().find(|o| o.id == id))
            .flat_map(|o| o.flags.iter())
            .collect();
        let used_observations = listed
            .observations
            .into_iter()
            .map(|o| {
                let use_ = uses.get(&o.id).copied().unwrap_or(engine::Use::Counted);
                let source_ref = cite(&crate::model::Source {
                    citation: o.source.clone(),
                    url: o.url.clone(),
                });
                UsedObservation {
                    t: instants.get(&o.id).copied().unwrap_or(f64::NAN),
                    observation: o,
                    used: matches!(use_, engine::Use::Counted | engine::Use::Summed),
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
                observed_t: r.observed.as_ref().map(|o| o.t),
                qualifier: r.observed.as_ref().and_then(|o| o.qualifier),
                derived: r.observed.as_ref().is_some_and(|o| o.is_derived()),
                projected: r.projected,
                deviation: r.deviation,
                of_path: r.of_path,
            })
            .collect();
        let derived = a
            .points
            .iter()
            .filter(|p| p.is_derived())
            .map(|p| DerivedValue {
                period: p.period.to_string(),
                value: p.value,
                qualifier: p.qualifier,
                derived: true,
                parts: p.parts.clone(),
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
            year_start: indicator.map(|i| i.year_start),
            dims: indicator.map(|i| i.dims.clone()).unwrap_or_default(),
            parent: indicator.and_then(|i| i.parent.clone()),
            latest_flags,
            path_start: a.path.as_ref().map(|p| TimePoint {
                t: p.start.0,
                value: p.start.1,
            }),
            trajectory,
            revisions,
            observations: used_observations,
            derived,
            corrections: Vec::new(),
            status_strip: None,
            sources,
        }
    }
}
