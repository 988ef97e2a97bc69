//! Data sets: a whole database as one human-editable TOML file
//! (docs/dataset.md). `import(export(db)) == db`.
//!
//! Reading checks every value with the input grammar and reports the file
//! line of the entry at fault; writing uses plain numbers in base units so
//! nothing is lost to rounding.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};
use crate::model::{
    Direction, Done, Goal, Indicator, Kind, Measure, Observation, PathShape, Retraction, Source,
    Target, TargetVersion,
};
use crate::parse;
use crate::period::Period;
use crate::store::now;

/// A number in the input grammar (`"$7bn"`, `"4,000"`) or a plain number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Quantity {
    Number(f64),
    Text(String),
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSet {
    pub version: u32,
    #[serde(default)]
    pub indicator: Vec<Spanned<IndicatorEntry>>,
    #[serde(default)]
    pub target: Vec<Spanned<TargetEntry>>,
    #[serde(default)]
    pub observation: Vec<Spanned<ObservationEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorEntry {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    pub unit: String,
    #[serde(default = "stock")]
    pub measure: String,
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn stock() -> String {
    "stock".into()
}

fn yes() -> bool {
    true
}

/// The fields of one version of a target. In a `[[target.revision]]`, a
/// field left out carries over from the version before.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct VersionFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_value: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waypoints: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gloss: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
}

// serde cannot deny unknown fields next to a flattened struct, so the
// entries keep what is left over in `unknown` and `read` refuses it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TargetEntry {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    #[serde(default = "level")]
    pub kind: String,
    #[serde(flatten)]
    pub fields: VersionFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revision: Vec<RevisionEntry>,
    #[serde(flatten, skip_serializing)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
}

fn level() -> String {
    "level".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevisionEntry {
    pub effective: String,
    #[serde(flatten)]
    pub fields: VersionFields,
    #[serde(flatten, skip_serializing)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub indicator: String,
    pub period: String,
    pub value: Quantity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retracted_why: Option<String>,
}

/// A data set read and checked, ready to store.
#[derive(Debug, Default)]
pub struct Contents {
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
    pub observations: Vec<Observation>,
}

/// Where in the file: 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses and checks a data set. `file` names it in errors.
pub fn read(text: &str, file: &str, known_indicators: &[Indicator]) -> Result<Contents> {
    let set: DataSet = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let line = line_of(text, span.start);
                let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                (line, Some(text[line_start..span.start].chars().count() + 1))
            }
            None => (1, None),
        };
        Error::in_file(file, line, column, e.message())
    })?;
    if set.version != 1 {
        return Err(Error::in_file(
            file,
            1,
            None,
            format!("data set version {} is not supported (1)", set.version),
        ));
    }
    let mut out = Contents::default();
    for entry in &set.indicator {
        let line = line_of(text, entry.span().start);
        let i = indicator(entry.get_ref()).map_err(|e| Error::in_file(file, line, None, e))?;
        if out.indicators.iter().any(|x| x.id == i.id) {
            return Err(Error::in_file(
                file,
                line,
                None,
                format!("indicator '{}' is defined twice", i.id),
            ));
        }
        out.indicators.push(i);
    }
    let unit_of = |id: &str, indicators: &[Indicator]| -> Result<Indicator> {
        indicators
            .iter()
            .chain(known_indicators)
            .find(|i| i.id == id)
            .cloned()
            .ok_or_else(|| Error::NotFound {
                kind: "indicator",
                id: id.to_string(),
                suggestion: crate::error::nearest(
                    id,
                    indicators
                        .iter()
                        .chain(known_indicators)
                        .map(|i| i.id.as_str()),
                ),
            })
    };
    for entry in &set.target {
        let line = line_of(text, entry.span().start);
        let e = entry.get_ref();
        let t = (|| {
            let ind = e
                .indicator
                .as_deref()
                .map(|id| unit_of(id, &out.indicators))
                .transpose()?;
            target(e, ind.as_ref())
        })()
        .map_err(|err| Error::in_file(file, line, None, format!("target '{}': {err}", e.id)))?;
        if out.targets.iter().any(|x| x.id == t.id) {
            return Err(Error::in_file(
                file,
                line,
                None,
                format!("target '{}' is defined twice", t.id),
            ));
        }
        out.targets.push(t);
    }
    for entry in &set.observation {
        let line = line_of(text, entry.span().start);
        let e = entry.get_ref();
        let o = (|| {
            let ind = unit_of(&e.indicator, &out.indicators)?;
            observation(e, &ind)
        })()
        .map_err(|err| {
            Error::in_file(
                file,
                line,
                None,
                format!("observation of '{}' {}: {err}", e.indicator, e.period),
            )
        })?;
        out.observations.push(o);
    }
    Ok(out)
}

/// Checks an id: letters, digits, `-`, `_`, `.`; starting with a letter or digit.
pub fn check_id(kind: &str, id: &str) -> Result<()> {
    let ok = id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "invalid {kind} id '{id}': use letters, digits, '-', '_' or '.', starting with a letter or digit"
        )))
    }
}

fn indicator(e: &IndicatorEntry) -> Result<Indicator> {
    check_id("indicator", &e.id)?;
    Ok(Indicator {
        id: e.id.clone(),
        name: e.name.clone(),
        entity: e.entity.clone(),
        unit: e.unit.clone(),
        measure: Measure::from_name(&e.measure).ok_or_else(|| {
            Error::invalid(format!("invalid measure '{}': stock or flow", e.measure))
        })?,
        higher_is_better: e.higher_is_better,
        limit: e.limit,
        description: e.description.clone(),
    })
}

fn quantity(q: &Quantity, unit: &str) -> Result<f64> {
    match q {
        Quantity::Number(x) if x.is_finite() => Ok(*x),
        Quantity::Number(x) => Err(Error::invalid(format!(
            "invalid quantity '{x}': not finite"
        ))),
        Quantity::Text(s) => Ok(parse::value_for(s, unit)?),
    }
}

fn opt_date(s: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    Ok(s.map(parse::date).transpose()?)
}

/// Builds one version from `fields` on top of `prev` (a revision carries
/// over what it leaves out).
pub fn version(
    fields: &VersionFields,
    prev: Option<&TargetVersion>,
    kind: Kind,
    indicator: Option<&Indicator>,
    number: i64,
    effective: Option<chrono::NaiveDate>,
) -> Result<TargetVersion> {
    let unit = indicator.map_or("", |i| i.unit.as_str());
    let goal = match (&fields.value, &fields.change, kind) {
        (Some(_), Some(_), _) => {
            return Err(Error::invalid("give either value or change, not both"));
        }
        (Some(v), None, _) => Goal::Value(quantity(v, unit)?),
        (None, Some(c), _) => Goal::Change(parse::change(c, unit)?),
        (None, None, _) if prev.is_some() => prev.map(|p| p.goal).unwrap_or(Goal::Direction),
        (None, None, Kind::Milestone) => Goal::Milestone,
        (None, None, Kind::Trend) => Goal::Direction,
        (None, None, _) => {
            return Err(Error::invalid(format!(
                "a {} target needs a value or a change",
                kind.name()
            )));
        }
    };
    let period = |s: &Option<String>, old: Option<Period>| -> Result<Option<Period>> {
        match s {
            Some(s) => Ok(Some(parse::period(s)?)),
            None => Ok(old),
        }
    };
    let deadline = period(&fields.deadline, prev.map(|p| p.deadline))?
        .ok_or_else(|| Error::invalid("a target needs a deadline"))?;
    let baseline = period(&fields.baseline, prev.and_then(|p| p.baseline))?;
    let baseline_value = match &fields.baseline_value {
        Some(q) => Some(quantity(q, unit)?),
        None if fields.baseline.is_some() => None,
        None => prev.and_then(|p| p.baseline_value),
    };
    let waypoints = match &fields.waypoints {
        Some(list) => list
            .iter()
            .map(|w| {
                parse::period_value(w, unit, false)
                    .map(|(p, v)| (p, v.unwrap_or_default()))
                    .map_err(Error::from)
            })
            .collect::<Result<Vec<_>>>()?,
        None => prev.map(|p| p.waypoints.clone()).unwrap_or_default(),
    };
    let text = |new: &Option<String>, old: Option<&Option<String>>| {
        new.clone().or_else(|| old.cloned().flatten())
    };
    let v = TargetVersion {
        version: number,
        effective,
        goal,
        baseline,
        baseline_value,
        deadline,
        from: period(&fields.from, prev.and_then(|p| p.from))?,
        direction: match &fields.direction {
            Some(d) => Some(Direction::from_name(d).ok_or_else(|| {
                Error::invalid(format!("invalid direction '{d}': increase or decrease"))
            })?),
            None => prev.and_then(|p| p.direction),
        },
        path: match &fields.path {
            Some(p) => PathShape::from_name(p)
                .ok_or_else(|| Error::invalid(format!("invalid path '{p}': linear or compound")))?,
            None => prev.map_or(PathShape::Linear, |p| p.path),
        },
        waypoints,
        title: text(&fields.title, prev.map(|p| &p.title)),
        quote: text(&fields.quote, prev.map(|p| &p.quote)),
        gloss: text(&fields.gloss, prev.map(|p| &p.gloss)),
        source: Source {
            citation: text(&fields.source, prev.map(|p| &p.source.citation)),
            url: text(&fields.url, prev.map(|p| &p.source.url)),
        },
        note: text(&fields.note, prev.map(|p| &p.note)),
        recorded: fields.recorded.clone().unwrap_or_else(now),
    };
    check_version(&v, kind, indicator)?;
    Ok(v)
}

/// The rules every version obeys, wherever it comes from.
pub fn check_version(v: &TargetVersion, kind: Kind, indicator: Option<&Indicator>) -> Result<()> {
    if let Some(b) = v.baseline
        && b.end() >= v.deadline.end()
    {
        return Err(Error::invalid(format!(
            "the deadline {} is not after the baseline {b}",
            v.deadline
        )));
    }
    if let Some(from) = v.from
        && from.start() >= v.deadline.end()
    {
        return Err(Error::invalid(format!(
            "the window starts ({from}) after the deadline {}",
            v.deadline
        )));
    }
    for (p, _) in &v.waypoints {
        let after_base = v.baseline.is_none_or(|b| p.end() > b.end());
        if !after_base || p.end() >= v.deadline.end() {
            return Err(Error::invalid(format!(
                "waypoint {p} is not between the baseline and the deadline {}",
                v.deadline
            )));
        }
    }
    match kind {
        Kind::Cumulative if v.from.is_none() => {
            return Err(Error::invalid(
                "a cumulative target needs a window start (from)",
            ));
        }
        Kind::Cumulative if !matches!(v.goal, Goal::Value(_)) => {
            return Err(Error::invalid("a cumulative target needs a total value"));
        }
        Kind::Milestone if v.goal != Goal::Milestone => {
            return Err(Error::invalid("a milestone takes no value or change"));
        }
        Kind::Trend if v.goal != Goal::Direction => {
            return Err(Error::invalid("a trend target takes no value or change"));
        }
        Kind::Level if matches!(v.goal, Goal::Direction | Goal::Milestone) => {
            return Err(Error::invalid("a level target needs a value or a change"));
        }
        _ => {}
    }
    if kind == Kind::Trend && v.direction.is_none() {
        return Err(Error::invalid(
            "a trend target needs a direction (increase or decrease)",
        ));
    }
    if kind != Kind::Milestone && indicator.is_none() {
        return Err(Error::invalid(format!(
            "a {} target needs an indicator",
            kind.name()
        )));
    }
    if v.path == PathShape::Compound {
        let bad = matches!(v.goal, Goal::Value(x) if x <= 0.0)
            || v.baseline_value.is_some_and(|b| b <= 0.0);
        if bad {
            return Err(Error::invalid(
                "a compound path needs positive baseline and target values",
            ));
        }
    }
    Ok(())
}

fn target(e: &TargetEntry, indicator: Option<&Indicator>) -> Result<Target> {
    check_id("target", &e.id)?;
    let unknown = e
        .unknown
        .keys()
        .chain(e.revision.iter().flat_map(|r| r.unknown.keys()));
    if let Some(key) = unknown.into_iter().next() {
        return Err(Error::invalid(format!(
            "unknown field '{key}' (see docs/dataset.md)"
        )));
    }
    let kind = Kind::from_name(&e.kind).ok_or_else(|| {
        Error::invalid(format!(
            "invalid kind '{}': level, cumulative, trend or milestone",
            e.kind
        ))
    })?;
    let mut versions = vec![version(&e.fields, None, kind, indicator, 1, None)?];
    for (i, r) in e.revision.iter().enumerate() {
        let effective = parse::date(&r.effective)?;
        let prev = versions.last();
        if prev
            .and_then(|p| p.effective)
            .is_some_and(|d| d >= effective)
        {
            return Err(Error::invalid(format!(
                "revision {} takes effect ({effective}) before the one it revises",
                i + 2
            )));
        }
        let v = version(
            &r.fields,
            prev,
            kind,
            indicator,
            i as i64 + 2,
            Some(effective),
        )?;
        versions.push(v);
    }
    let done = match &e.done_on {
        Some(d) if kind == Kind::Milestone => Some(Done {
            on: parse::date(d)?,
            source: Source {
                citation: e.done_source.clone(),
                url: e.done_url.clone(),
            },
        }),
        Some(_) => return Err(Error::invalid("only milestones are marked done")),
        None => None,
    };
    Ok(Target {
        id: e.id.clone(),
        indicator: indicator.map(|i| i.id.clone()),
        kind,
        versions,
        done,
    })
}

fn observation(e: &ObservationEntry, indicator: &Indicator) -> Result<Observation> {
    let period = parse::period(&e.period)?;
    let published = opt_date(e.published.as_deref())?;
    check_published(&period, published)?;
    let retracted = match (&e.retracted, &e.retracted_why) {
        (Some(at), Some(why)) => Some(Retraction {
            at: at.clone(),
            why: why.clone(),
        }),
        (None, None) => None,
        _ => return Err(Error::invalid("retracted and retracted_why go together")),
    };
    Ok(Observation {
        id: e.id.unwrap_or(0),
        indicator: indicator.id.clone(),
        period,
        value: quantity(&e.value, &indicator.unit)?,
        qualifier: e.qualifier.as_deref().map(parse::qualifier).transpose()?,
        source: Source {
            citation: e.source.clone(),
            url: e.url.clone(),
        },
        published,
        note: e.note.clone(),
        recorded: e.recorded.clone().unwrap_or_else(now),
        retracted,
    })
}

/// A value cannot be published before its period begins.
pub fn check_published(period: &Period, published: Option<chrono::NaiveDate>) -> Result<()> {
    match published {
        Some(d) if d < period.start() => Err(Error::invalid(format!(
            "published {d}, before the period {period} began"
        ))),
        _ => Ok(()),
    }
}

/// Writes the whole database as a data set.
pub fn write(
    indicators: &[Indicator],
    targets: &[Target],
    observations: &[Observation],
) -> Result<String> {
    let fields = |v: &TargetVersion| VersionFields {
        value: match v.goal {
            Goal::Value(x) => Some(Quantity::Number(x)),
            _ => None,
        },
        change: match v.goal {
            Goal::Change(c) => Some(c.to_string()),
            _ => None,
        },
        baseline: v.baseline.map(|p| p.to_string()),
        baseline_value: v.baseline_value.map(Quantity::Number),
        deadline: Some(v.deadline.to_string()),
        from: v.from.map(|p| p.to_string()),
        direction: v.direction.map(|d| d.name().to_string()),
        path: Some(v.path.name().to_string()),
        waypoints: (!v.waypoints.is_empty()).then(|| {
            v.waypoints
                .iter()
                .map(|(p, x)| format!("{p}={x:e}"))
                .collect()
        }),
        title: v.title.clone(),
        quote: v.quote.clone(),
        gloss: v.gloss.clone(),
        source: v.source.citation.clone(),
        url: v.source.url.clone(),
        note: v.note.clone(),
        recorded: Some(v.recorded.clone()),
    };
    let set = DataSet {
        version: 1,
        indicator: indicators
            .iter()
            .map(|i| {
                Spanned::new(
                    0..0,
                    IndicatorEntry {
                        id: i.id.clone(),
                        name: i.name.clone(),
                        entity: i.entity.clone(),
                        unit: i.unit.clone(),
                        measure: i.measure.name().into(),
                        higher_is_better: i.higher_is_better,
                        limit: i.limit,
                        description: i.description.clone(),
                    },
                )
            })
            .collect(),
        target: targets
            .iter()
            .map(|t| {
                let first = &t.versions[0];
                Spanned::new(
                    0..0,
                    TargetEntry {
                        id: t.id.clone(),
                        indicator: t.indicator.clone(),
                        kind: t.kind.name().into(),
                        fields: fields(first),
                        done_on: t.done.as_ref().map(|d| d.on.to_string()),
                        done_source: t.done.as_ref().and_then(|d| d.source.citation.clone()),
                        done_url: t.done.as_ref().and_then(|d| d.source.url.clone()),
                        revision: t.versions[1..]
                            .iter()
                            .map(|v| RevisionEntry {
                                effective: v.effective.map(|d| d.to_string()).unwrap_or_default(),
                                fields: fields(v),
                                unknown: Default::default(),
                            })
                            .collect(),
                        unknown: Default::default(),
                    },
                )
            })
            .collect(),
        observation: observations
            .iter()
            .map(|o| {
                Spanned::new(
                    0..0,
                    ObservationEntry {
                        id: Some(o.id),
                        indicator: o.indicator.clone(),
                        period: o.period.to_string(),
                        value: Quantity::Number(o.value),
                        qualifier: o.qualifier.map(|q| q.name().to_string()),
                        source: o.source.citation.clone(),
                        url: o.source.url.clone(),
                        published: o.published.map(|d| d.to_string()),
                        note: o.note.clone(),
                        recorded: Some(o.recorded.clone()),
                        retracted: o.retracted.as_ref().map(|r| r.at.clone()),
                        retracted_why: o.retracted.as_ref().map(|r| r.why.clone()),
                    },
                )
            })
            .collect(),
    };
    let body =
        toml::to_string(&set).map_err(|e| Error::invalid(format!("writing the data set: {e}")))?;
    Ok(format!(
        "# goalpost data set (docs/dataset.md): values in base units\n{body}"
    ))
}
