//! The second clock (methodology §2 rule 3, `--as-recorded`): the database
//! as it stood at the end of a date by its recording timestamps. Whatever
//! was recorded after that day (observations, retractions, corrections,
//! target versions, completions, "not done" statements, withdrawals,
//! changes of programme, owner and tags) is
//! invisible, and a retraction counts only from the day it was recorded;
//! the as-of rules then apply on top unchanged. It reproduces the report
//! that was printed on that date.
//!
//! Each function filters one kind of row, so that a view reading one
//! indicator at a time applies them as it goes.

use chrono::NaiveDate;

use crate::model::{Correction, Indicator, Observation, Target};

/// Recorded on or before the end of `day` (RFC 3339 UTC; a time without
/// one, as in data made by hand, counts as always there).
pub fn by(recorded: &str, day: NaiveDate) -> bool {
    day_of(recorded).is_none_or(|d| d <= day)
}

/// The day of an RFC 3339 recording time (`2022-08-10T10:00:00Z`).
pub fn day_of(recorded: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(recorded.get(..10)?, "%Y-%m-%d").ok()
}

/// The observations recorded by the end of `day`, with the retractions
/// recorded by then.
pub fn observations(all: Vec<Observation>, day: NaiveDate) -> Vec<Observation> {
    all.into_iter()
        .filter(|o| by(&o.recorded, day))
        .map(|mut o| {
            if o.retracted.as_ref().is_some_and(|r| !by(&r.at, day)) {
                o.retracted = None;
            }
            o
        })
        .collect()
}

/// The target as recorded by the end of `day`: its versions,
/// completion, statements and withdrawal recorded by then; `None` when not
/// even its first version was.
pub fn target(mut t: Target, day: NaiveDate) -> Option<Target> {
    t.versions.retain(|v| by(&v.recorded, day));
    if t.versions.is_empty() {
        return None;
    }
    if t.done.as_ref().is_some_and(|d| !by(&d.recorded, day)) {
        t.done = None;
    }
    t.not_done.retain(|n| by(&n.recorded, day));
    if t.withdrawn.as_ref().is_some_and(|w| !by(&w.recorded, day)) {
        t.withdrawn = None;
    }
    Some(t)
}

/// Undoes the corrections recorded after `day`, newest first, on the
/// target (its versions' text) or the indicator they concern.
pub fn undo_corrections(
    targets: &mut [Target],
    indicators: &mut [Indicator],
    corrections: &[Correction],
    day: NaiveDate,
) {
    for c in corrections.iter().rev().filter(|c| !by(&c.recorded, day)) {
        match c.kind {
            "target" => {
                for t in targets.iter_mut().filter(|t| t.id == c.id) {
                    // where it is filed: of the target, not of a version
                    let labels = &mut t.labels;
                    match c.field.as_str() {
                        "programme" => labels.programme = c.old.clone(),
                        "owner" => labels.owner = c.old.clone(),
                        "tag" => {
                            if let Some(added) = &c.new {
                                labels.tags.retain(|t| t != added);
                            }
                            if let Some(removed) = &c.old
                                && !labels.tags.contains(removed)
                            {
                                labels.tags.push(removed.clone());
                                labels.tags.sort();
                            }
                        }
                        _ => {}
                    }
                    for v in t
                        .versions
                        .iter_mut()
                        .filter(|v| c.version.is_none_or(|n| n == v.version))
                    {
                        let old = c.old.clone();
                        match c.field.as_str() {
                            "title" => v.title = old,
                            "quote" => v.quote = old,
                            "gloss" => v.gloss = old,
                            "note" => v.note = old,
                            "source" => v.source.citation = old,
                            "url" => v.source.url = old,
                            _ => {}
                        }
                    }
                }
            }
            "indicator" => {
                for i in indicators.iter_mut().filter(|i| i.id == c.id) {
                    match c.field.as_str() {
                        "name" => i.name = c.old.clone().unwrap_or_default(),
                        "entity" => i.entity = c.old.clone(),
                        "description" => i.description = c.old.clone(),
                        "unit" => i.unit = c.old.clone().unwrap_or_default(),
                        "limit" => i.limit = c.old.as_deref().and_then(|l| l.parse().ok()),
                        "parent" => i.parent = c.old.clone(),
                        field => {
                            if let Some(key) = field.strip_prefix("dim:") {
                                i.dims.retain(|k, _| !k.eq_ignore_ascii_case(key));
                                if let Some(old) = &c.old {
                                    i.dims.insert(key.to_string(), old.clone());
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The whole database as recorded by the end of `day`.
pub fn database(
    targets: Vec<Target>,
    mut indicators: Vec<Indicator>,
    observations: Vec<Observation>,
    corrections: &[Correction],
    day: NaiveDate,
) -> (Vec<Target>, Vec<Indicator>, Vec<Observation>) {
    let mut targets: Vec<Target> = targets.into_iter().filter_map(|t| target(t, day)).collect();
    undo_corrections(&mut targets, &mut indicators, corrections, day);
    (targets, indicators, self::observations(observations, day))
}
