//! Data sets: a whole database as one human-editable TOML file
//! (docs/dataset.md). `import(export(db)) == db`.
//!
//! Reading checks every value with the input grammar and reports the file
//! line of the entry at fault; writing uses plain numbers in base units so
//! nothing is lost to rounding.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};
use std::collections::BTreeMap;

use crate::model::{
    Change, Direction, Done, Flag, Flags, Goal, Indicator, Kind, Measure, NotDone, Observation,
    PathShape, Retraction, Source, Target, TargetVersion, Withdrawal, unknown_flag,
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
    /// Its dimensions: `dims = { sex = "female", age = "15-24" }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dims: BTreeMap<String, String>,
    /// The headline indicator it disaggregates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The month its year starts in, 1 to 12: 4 for fiscal years from
    /// April (left out: 1, the calendar year).
    #[serde(default = "january", skip_serializing_if = "is_january")]
    pub year_start: u32,
}

fn january() -> u32 {
    1
}

fn is_january(m: &u32) -> bool {
    *m == 1
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
    /// The programme it belongs to (roll-ups; of the target, not a version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// The body responsible for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub fields: VersionFields,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_url: Option<String>,
    /// Written by export: when the completion was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_recorded: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revision: Vec<RevisionEntry>,
    /// Withdrawn or repealed on this date (with why and where).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_why: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_url: Option<String>,
    /// Written by export: when the withdrawal was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_recorded: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_done: Vec<NotDoneEntry>,
    #[serde(flatten, skip_serializing)]
    pub unknown: std::collections::BTreeMap<String, toml::Value>,
}

/// A dated statement that a milestone was still not done (`[[target.not_done]]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotDoneEntry {
    pub as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Written by export: when the statement was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
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
    /// `flags = ["provisional", "break"]` (docs/dataset.md, "Flags").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
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
    /// Where each entry is in the file, for errors found while storing it
    /// (an id already in the database).
    pub places: Places,
}

/// The file of a data set and, per entry (in [`Contents`] order), the line
/// and column of its id, or its first line when it has no id.
#[derive(Debug, Default)]
pub struct Places {
    pub file: String,
    pub indicators: Vec<(usize, Option<usize>)>,
    pub targets: Vec<(usize, Option<usize>)>,
    pub observations: Vec<(usize, Option<usize>)>,
}

impl Places {
    /// `err` as found at a place (`None`: as it is).
    pub fn at(&self, place: Option<&(usize, Option<usize>)>, err: Error) -> Error {
        match place {
            Some(&(line, column)) => Error::in_file(&self.file, line, column, err),
            None => err,
        }
    }
}

/// Where in a text: the offsets at which its lines start, to find the
/// line of any offset by binary search (once per entry, in a file of any
/// length).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|s| *s <= offset)
    }

    /// The 1-based line and column of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, Option<usize>) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let line_start = self.starts[line - 1];
        (
            line,
            Some(self.text[line_start..offset].chars().count() + 1),
        )
    }
}

/// Where `value` is written as a TOML string within `text[range]`: the
/// line and column of its opening quote; else the line where the range
/// starts.
fn place_of(
    lines: &Lines,
    range: std::ops::Range<usize>,
    value: Option<&str>,
) -> (usize, Option<usize>) {
    let body = lines.text.get(range.clone()).unwrap_or_default();
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        for quoted in [format!("\"{v}\""), format!("'{v}'")] {
            if let Some(i) = body.find(&quoted) {
                return lines.line_column(range.start + i);
            }
        }
    }
    (lines.line_of(range.start), None)
}

/// Where `key = …` is written within `text[range]`: its line and column;
/// else the line where the range starts.
fn key_place(lines: &Lines, range: std::ops::Range<usize>, key: &str) -> (usize, Option<usize>) {
    let mut offset = range.start;
    for line in lines
        .text
        .get(range.clone())
        .unwrap_or_default()
        .split_inclusive('\n')
    {
        let trimmed = line.trim_start();
        let is_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if is_key {
            return lines.line_column(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    (lines.line_of(range.start), None)
}

/// The value an error is about, to find it in the file.
fn offending(err: &Error) -> Option<&str> {
    match err {
        Error::Parse(p) => Some(p.input.as_str()),
        Error::NotFound { id, .. } | Error::Exists { id, .. } => Some(id.as_str()),
        _ => None,
    }
}

/// Parses and checks a data set. `file` names it in errors; targets and
/// observations may refer to the `known_indicators` as well as to the
/// file's own.
pub fn read(text: &str, file: &str, known_indicators: &[Indicator]) -> Result<Contents> {
    let known: std::collections::HashMap<&str, &Indicator> = known_indicators
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    read_with(
        text,
        file,
        &|id| Ok(known.get(id).map(|i| (*i).clone())),
        &|id| crate::error::nearest(id, known_indicators.iter().map(|i| i.id.as_str())),
    )
}

/// As [`read`], with the indicators outside the file looked up one by one
/// by `known` (and the nearest id for an error found by `nearest`).
pub fn read_with(
    text: &str,
    file: &str,
    known: &dyn Fn(&str) -> Result<Option<Indicator>>,
    nearest: &dyn Fn(&str) -> Option<String>,
) -> Result<Contents> {
    let lines = Lines::new(text);
    let set: DataSet = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => lines.line_column(span.start),
            None => (1, None),
        };
        Error::in_file(file, line, column, e.message())
    })?;
    if set.version != 1 {
        let (line, column) = key_place(&lines, 0..text.len(), "version");
        return Err(Error::in_file(
            file,
            line,
            column,
            format!("data set version {} is not supported (1)", set.version),
        ));
    }
    let mut out = Contents::default();
    out.places.file = file.to_string();
    // Each entry's text runs from its start to the next entry's start.
    let mut starts: Vec<usize> = (set.indicator.iter().map(|e| e.span().start))
        .chain(set.target.iter().map(|e| e.span().start))
        .chain(set.observation.iter().map(|e| e.span().start))
        .collect();
    starts.sort_unstable();
    let range = |start: usize| {
        let next = starts.partition_point(|s| *s <= start);
        start..starts.get(next).copied().unwrap_or(text.len())
    };
    // An error inside the entry at `start`, placed at the value it is
    // about, worded with `what` the entry is.
    let at = |start: usize, what: &str, err: Error| {
        let (line, column) = place_of(&lines, range(start), offending(&err));
        Error::in_file(file, line, column, format!("{what}{err}"))
    };
    let mut ids = std::collections::HashSet::new();
    for entry in &set.indicator {
        let start = entry.span().start;
        let line = lines.line_of(start);
        let i = indicator(entry.get_ref()).map_err(|e| at(start, "", e))?;
        out.places
            .indicators
            .push(key_place(&lines, range(start), "id"));
        if !ids.insert(i.id.clone()) {
            return Err(Error::in_file(
                file,
                line,
                None,
                format!("indicator '{}' is defined twice", i.id),
            ));
        }
        out.indicators.push(i);
    }
    // the file's own indicators by id; the others looked up once each
    let own: std::collections::HashMap<&str, usize> = out
        .indicators
        .iter()
        .enumerate()
        .map(|(n, i)| (i.id.as_str(), n))
        .collect();
    for (n, entry) in set.indicator.iter().enumerate() {
        let mut find = |id: &str| match own.get(id) {
            Some(&m) => Ok(Some(out.indicators[m].clone())),
            None => known(id),
        };
        check_parent(&out.indicators[n], &mut find).map_err(|e| {
            at(
                entry.span().start,
                &format!("indicator '{}': ", entry.get_ref().id),
                e,
            )
        })?;
    }
    let mut others: std::collections::HashMap<String, Indicator> = Default::default();
    let mut unit_of = |id: &str| -> Result<Indicator> {
        if let Some(&n) = own.get(id) {
            return Ok(out.indicators[n].clone());
        }
        if let Some(i) = others.get(id) {
            return Ok(i.clone());
        }
        match known(id)? {
            Some(i) => {
                others.insert(id.to_string(), i.clone());
                Ok(i)
            }
            None => Err(Error::NotFound {
                kind: "indicator",
                id: id.to_string(),
                suggestion: crate::error::nearest(
                    id,
                    out.indicators
                        .iter()
                        .map(|i| i.id.as_str())
                        .chain(nearest(id).as_deref()),
                ),
            }),
        }
    };
    let mut targets = Vec::with_capacity(set.target.len());
    let mut target_places = Vec::with_capacity(set.target.len());
    let mut ids = std::collections::HashSet::new();
    for entry in &set.target {
        let start = entry.span().start;
        let line = lines.line_of(start);
        let e = entry.get_ref();
        let t = (|| {
            let ind = e.indicator.as_deref().map(&mut unit_of).transpose()?;
            target(e, ind.as_ref())
        })()
        .map_err(|err| at(start, &format!("target '{}': ", e.id), err))?;
        if !ids.insert(t.id.clone()) {
            return Err(Error::in_file(
                file,
                line,
                None,
                format!("target '{}' is defined twice", t.id),
            ));
        }
        target_places.push(key_place(&lines, range(start), "id"));
        targets.push(t);
    }
    let mut observations = Vec::with_capacity(set.observation.len());
    let mut observation_places = Vec::with_capacity(set.observation.len());
    let mut ids = std::collections::HashSet::new();
    for entry in &set.observation {
        let start = entry.span().start;
        let e = entry.get_ref();
        let what = format!("observation of '{}' {}: ", e.indicator, e.period);
        let o = (|| {
            let ind = unit_of(&e.indicator)?;
            observation(e, &ind)
        })()
        .map_err(|err| at(start, &what, err))?;
        let place = key_place(&lines, range(start), "id");
        if o.id > 0 && !ids.insert(o.id) {
            return Err(Error::in_file(
                file,
                place.0,
                place.1,
                format!("{what}observation id {} is used twice", o.id),
            ));
        }
        observation_places.push(place);
        observations.push(o);
    }
    out.targets = targets;
    out.places.targets = target_places;
    out.observations = observations;
    out.places.observations = observation_places;
    Ok(out)
}

/// Where a data set is stored, one entry at a time (the store, inside the
/// caller's transaction).
pub trait Sink {
    fn indicator(&mut self, i: &Indicator) -> Result<()>;
    fn target(&mut self, t: &Target) -> Result<()>;
    fn observation(&mut self, o: &Observation) -> Result<()>;
}

/// How many entries of each kind a data set had.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub indicators: usize,
    pub targets: usize,
    pub observations: usize,
}

/// Stores read contents through `sink`; an error (an id already stored)
/// names the entry's place in the file.
pub fn store(c: &Contents, sink: &mut dyn Sink) -> Result<Counts> {
    let p = &c.places;
    for (n, i) in c.indicators.iter().enumerate() {
        sink.indicator(i)
            .map_err(|e| p.at(p.indicators.get(n), e))?;
    }
    for (n, t) in c.targets.iter().enumerate() {
        sink.target(t).map_err(|e| p.at(p.targets.get(n), e))?;
    }
    for (n, o) in c.observations.iter().enumerate() {
        sink.observation(o)
            .map_err(|e| p.at(p.observations.get(n), e))?;
    }
    Ok(Counts {
        indicators: c.indicators.len(),
        targets: c.targets.len(),
        observations: c.observations.len(),
    })
}

/// Reads, checks and stores a data set as [`read_with`] then [`store`]
/// do, with the same errors in the same order, but one entry at a time:
/// the file is cut at its top-level `[[indicator]]`, `[[target]]` and
/// `[[observation]]` headers and each piece is parsed alone (so memory
/// holds the text, the indicators and one entry, not the parsed whole).
/// A file this cannot cut with certainty (multi-line strings, other
/// headers), or a piece that does not parse, goes the whole-file way,
/// which reports the error as it always did.
pub fn import(
    text: &str,
    file: &str,
    known: &dyn Fn(&str) -> Result<Option<Indicator>>,
    nearest: &dyn Fn(&str) -> Option<String>,
    sink: &mut dyn Sink,
) -> Result<Counts> {
    let whole = |sink: &mut dyn Sink| store(&read_with(text, file, known, nearest)?, sink);
    let Some(pieces) = cut(text) else {
        return whole(sink);
    };
    let Ok(preamble) = toml::from_str::<Preamble>(&text[..pieces.preamble_end]) else {
        return whole(sink);
    };
    if !(preamble.indicator.is_empty()
        && preamble.target.is_empty()
        && preamble.observation.is_empty())
    {
        return whole(sink);
    }
    // Every piece parses, or the whole-file way says why not (a syntax
    // error anywhere comes first); the indicators are checked on the way
    // (the first error kept until every piece has parsed). The entries'
    // starts are the whole file's.
    let lines = Lines::new(text);
    let mut starts = Vec::with_capacity(pieces.entries.len());
    let mut indicators: Vec<(Indicator, usize)> = Vec::new();
    let mut own: std::collections::HashMap<String, usize> = Default::default();
    // the first indicator found wrong: its start and error, placed once
    // every start is known
    let mut first_error: Option<(usize, Error)> = None;
    // each piece's kind: the later passes parse again only the pieces of
    // their kind
    let mut kinds: Vec<PieceKind> = Vec::with_capacity(pieces.entries.len());
    for piece in &pieces.entries {
        let Some(entry) = parse_piece(text, piece) else {
            return whole(sink);
        };
        starts.push(entry.start());
        kinds.push(entry.kind());
        if let (Piece::Indicator(start, e), None) = (entry, &first_error) {
            match indicator(&e) {
                Err(err) => first_error = Some((start, err)),
                Ok(i) if own.contains_key(&i.id) => {
                    let twice = Error::in_file(
                        file,
                        lines.line_of(start),
                        None,
                        format!("indicator '{}' is defined twice", i.id),
                    );
                    first_error = Some((usize::MAX, twice));
                }
                Ok(i) => {
                    own.insert(i.id.clone(), indicators.len());
                    indicators.push((i, start));
                }
            }
        }
    }
    if preamble.version != 1 {
        let (line, column) = key_place(&lines, 0..text.len(), "version");
        return Err(Error::in_file(
            file,
            line,
            column,
            format!("data set version {} is not supported (1)", preamble.version),
        ));
    }
    starts.sort_unstable();
    let range = |start: usize| {
        let next = starts.partition_point(|s| *s <= start);
        start..starts.get(next).copied().unwrap_or(text.len())
    };
    let at = |start: usize, what: &str, err: Error| {
        let (line, column) = place_of(&lines, range(start), offending(&err));
        Error::in_file(file, line, column, format!("{what}{err}"))
    };
    if let Some((start, err)) = first_error {
        return Err(if start == usize::MAX {
            err
        } else {
            at(start, "", err)
        });
    }
    for (i, start) in &indicators {
        let mut find = |id: &str| match own.get(id) {
            Some(&m) => Ok(Some(indicators[m].0.clone())),
            None => known(id),
        };
        check_parent(i, &mut find)
            .map_err(|e| at(*start, &format!("indicator '{}': ", i.id), e))?;
    }
    let entries = |kind: PieceKind| {
        pieces
            .entries
            .iter()
            .zip(&kinds)
            .filter(move |(_, k)| **k == kind)
            .filter_map(|(piece, _)| parse_piece(text, piece))
    };
    let mut others: std::collections::HashMap<String, Indicator> = Default::default();
    let mut unit_of = |id: &str| -> Result<Indicator> {
        if let Some(&n) = own.get(id) {
            return Ok(indicators[n].0.clone());
        }
        if let Some(i) = others.get(id) {
            return Ok(i.clone());
        }
        match known(id)? {
            Some(i) => {
                others.insert(id.to_string(), i.clone());
                Ok(i)
            }
            None => Err(Error::NotFound {
                kind: "indicator",
                id: id.to_string(),
                suggestion: crate::error::nearest(
                    id,
                    indicators
                        .iter()
                        .map(|(i, _)| i.id.as_str())
                        .chain(nearest(id).as_deref()),
                ),
            }),
        }
    };
    // Then as the whole-file way: every target checked, then every
    // observation, then everything stored. Here each is stored once
    // checked, and the first error in storing is kept: a later entry's
    // check still comes before it, as it did. (All of it is one
    // transaction: an error rolls back what was stored.)
    let placed =
        |place: (usize, Option<usize>), err: Error| Error::in_file(file, place.0, place.1, err);
    let mut stored: Result<()> = Ok(());
    for (i, start) in &indicators {
        if stored.is_ok() {
            stored = sink
                .indicator(i)
                .map_err(|e| placed(key_place(&lines, range(*start), "id"), e));
        }
    }
    let mut counts = Counts {
        indicators: indicators.len(),
        ..Counts::default()
    };
    let mut ids = std::collections::HashSet::new();
    for entry in entries(PieceKind::Target) {
        let Piece::Target(start, e) = entry else {
            continue;
        };
        let t = (|| {
            let ind = e.indicator.as_deref().map(&mut unit_of).transpose()?;
            target(&e, ind.as_ref())
        })()
        .map_err(|err| at(start, &format!("target '{}': ", e.id), err))?;
        if !ids.insert(t.id.clone()) {
            return Err(Error::in_file(
                file,
                lines.line_of(start),
                None,
                format!("target '{}' is defined twice", t.id),
            ));
        }
        if stored.is_ok() {
            stored = sink
                .target(&t)
                .map_err(|err| placed(key_place(&lines, range(start), "id"), err));
        }
        counts.targets += 1;
    }
    let mut ids = std::collections::HashSet::new();
    for entry in entries(PieceKind::Observation) {
        let Piece::Observation(start, e) = entry else {
            continue;
        };
        let what = format!("observation of '{}' {}: ", e.indicator, e.period);
        let o = (|| {
            let ind = unit_of(&e.indicator)?;
            observation(&e, &ind)
        })()
        .map_err(|err| at(start, &what, err))?;
        let place = key_place(&lines, range(start), "id");
        if o.id > 0 && !ids.insert(o.id) {
            return Err(Error::in_file(
                file,
                place.0,
                place.1,
                format!("{what}observation id {} is used twice", o.id),
            ));
        }
        if stored.is_ok() {
            stored = sink.observation(&o).map_err(|err| placed(place, err));
        }
        counts.observations += 1;
    }
    stored.map(|()| counts)
}

/// What comes before the first entry: the version, and an empty array for
/// each kind without entries (as export writes it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Preamble {
    version: u32,
    #[serde(default)]
    indicator: Vec<toml::Value>,
    #[serde(default)]
    target: Vec<toml::Value>,
    #[serde(default)]
    observation: Vec<toml::Value>,
}

/// One piece of a data set as parsed alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PieceSet {
    #[serde(default)]
    indicator: Vec<Spanned<IndicatorEntry>>,
    #[serde(default)]
    target: Vec<Spanned<TargetEntry>>,
    #[serde(default)]
    observation: Vec<Spanned<ObservationEntry>>,
}

/// One entry, with where it starts in the whole file.
enum Piece {
    Indicator(usize, IndicatorEntry),
    Target(usize, Box<TargetEntry>),
    Observation(usize, ObservationEntry),
}

/// What a [`Piece`] holds, without its entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Indicator,
    Target,
    Observation,
}

impl Piece {
    fn kind(&self) -> PieceKind {
        match self {
            Piece::Indicator(..) => PieceKind::Indicator,
            Piece::Target(..) => PieceKind::Target,
            Piece::Observation(..) => PieceKind::Observation,
        }
    }

    fn start(&self) -> usize {
        match self {
            Piece::Indicator(s, _) | Piece::Target(s, _) | Piece::Observation(s, _) => *s,
        }
    }
}

/// The entry of the piece at `range` of `text`, if it parses as exactly one.
fn parse_piece(text: &str, range: &std::ops::Range<usize>) -> Option<Piece> {
    let mut set: PieceSet = toml::from_str(text.get(range.clone())?).ok()?;
    let at = |span: std::ops::Range<usize>| range.start + span.start;
    match (set.indicator.len(), set.target.len(), set.observation.len()) {
        (1, 0, 0) => {
            let e = set.indicator.pop()?;
            Some(Piece::Indicator(at(e.span()), e.into_inner()))
        }
        (0, 1, 0) => {
            let e = set.target.pop()?;
            Some(Piece::Target(at(e.span()), Box::new(e.into_inner())))
        }
        (0, 0, 1) => {
            let e = set.observation.pop()?;
            Some(Piece::Observation(at(e.span()), e.into_inner()))
        }
        _ => None,
    }
}

/// A data set cut at its top-level entries: where the preamble ends, and
/// each entry's text.
struct Pieces {
    preamble_end: usize,
    entries: Vec<std::ops::Range<usize>>,
}

/// Cuts a data set at the line of each `[[indicator]]`, `[[target]]` and
/// `[[observation]]` header (a target's `[[target.revision]]` and
/// `[[target.not_done]]` stay with it); `None` when the file has anything
/// that makes such a cut uncertain: a multi-line string, or any other line
/// that starts with `[`.
fn cut(text: &str) -> Option<Pieces> {
    if text.contains("\"\"\"") || text.contains("'''") {
        return None;
    }
    let mut entries = Vec::new();
    // the entry being read: whether it is a target, and where it starts
    let mut current: Option<(bool, usize)> = None;
    let mut preamble_end = text.len();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            match t {
                "[[indicator]]" | "[[target]]" | "[[observation]]" => {
                    match current {
                        Some((_, start)) => entries.push(start..offset),
                        None => preamble_end = offset,
                    }
                    current = Some((t == "[[target]]", offset));
                }
                "[[target.revision]]" | "[[target.not_done]]" => {
                    if !matches!(current, Some((true, _))) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        offset += line.len();
    }
    if let Some((_, start)) = current {
        entries.push(start..text.len());
    }
    Some(Pieces {
        preamble_end,
        entries,
    })
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

/// A target's programme, owner and tags, checked: none of them blank
/// (an empty programme or owner is none), tags trimmed, sorted and
/// without repeats. Both doors (the command line and data sets) file
/// targets by these rules.
pub fn labels(
    programme: Option<&str>,
    owner: Option<&str>,
    tags: &[String],
) -> Result<crate::model::Labels> {
    let text = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let mut checked = Vec::with_capacity(tags.len());
    for t in tags {
        checked.push(tag(t)?);
    }
    checked.sort();
    checked.dedup();
    Ok(crate::model::Labels {
        programme: text(programme),
        owner: text(owner),
        tags: checked,
    })
}

/// One tag, trimmed; refused when blank.
pub fn tag(t: &str) -> Result<String> {
    let t = t.trim();
    if t.is_empty() {
        return Err(Error::invalid("an empty tag: give it a name, e.g. exports"));
    }
    Ok(t.to_string())
}

fn indicator(e: &IndicatorEntry) -> Result<Indicator> {
    check_id("indicator", &e.id)?;
    if e.unit.trim().is_empty() {
        return Err(Error::invalid(format!(
            "indicator '{}' has an empty unit: give one, e.g. unit = \"USD\"",
            e.id
        )));
    }
    if let Some(l) = e.limit.filter(|l| !l.is_finite()) {
        return Err(Error::invalid(format!("invalid limit '{l}': not finite")));
    }
    let year_start = parse::year_start(&e.year_start.to_string())?;
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
        year_start,
        dims: check_dims(&e.dims)?,
        parent: e.parent.clone(),
    })
}

/// Checks dimensions: keys and values not empty, without control
/// characters, `=` or `,` in keys, and each key once in any case.
pub fn check_dims(dims: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (key, value) in dims {
        let (key, value) = (key.trim(), value.trim());
        let bad = |s: &str| s.is_empty() || s.chars().any(char::is_control);
        if bad(key) || key.contains(['=', ',']) {
            return Err(Error::invalid(format!(
                "invalid dimension key '{key}': a word such as sex or age (no '=', ',' or control characters)"
            )));
        }
        if bad(value) {
            return Err(Error::invalid(format!(
                "invalid value '{value}' of dimension {key}: not empty, without control characters"
            )));
        }
        if out.keys().any(|k: &String| k.eq_ignore_ascii_case(key)) {
            return Err(Error::invalid(format!(
                "dimension '{key}' is given twice (keys are compared in any case)"
            )));
        }
        out.insert(key.to_string(), value.to_string());
    }
    Ok(out)
}

/// Checks that `i`'s parent is another indicator, found by `find`, and
/// that following parents from it never comes back to `i`.
pub fn check_parent(
    i: &Indicator,
    find: &mut dyn FnMut(&str) -> Result<Option<Indicator>>,
) -> Result<()> {
    let mut at = i.parent.clone();
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = at {
        if id == i.id {
            return Err(Error::invalid(format!(
                "indicator '{}' cannot be its own parent (through '{}')",
                i.id,
                i.parent.as_deref().unwrap_or_default()
            )));
        }
        if !seen.insert(id.clone()) {
            break;
        }
        match find(&id)? {
            Some(p) => at = p.parent,
            None if seen.len() == 1 => {
                return Err(Error::NotFound {
                    kind: "indicator",
                    id,
                    suggestion: None,
                });
            }
            None => break,
        }
    }
    Ok(())
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

/// A `recorded` or `retracted` time as export writes it: RFC 3339
/// (`2026-11-28T01:02:03Z`). Kept as written.
fn timestamp(what: &'static str, s: &str) -> Result<String> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|_| s.trim().to_string())
        .map_err(|_| {
            Error::from(crate::error::ParseError::new(
                what,
                s,
                "expected an RFC 3339 time such as 2026-11-28T01:02:03Z",
            ))
        })
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
    let year = indicator.map_or(1, |i| i.year_start);
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
            Some(s) => Ok(Some(parse::period_in(s, year)?)),
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
                parse::period_value(w, unit, false, year)
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
        // a new source brings its own URL, or none: never the old one's
        source: match &fields.source {
            Some(citation) => Source {
                citation: Some(citation.clone()),
                url: fields.url.clone(),
            },
            None => Source {
                citation: prev.and_then(|p| p.source.citation.clone()),
                url: text(&fields.url, prev.map(|p| &p.source.url)),
            },
        },
        note: text(&fields.note, prev.map(|p| &p.note)),
        recorded: match &fields.recorded {
            Some(r) => timestamp("recorded time", r)?,
            None => now(),
        },
    };
    check_version(&v, kind, indicator)?;
    Ok(v)
}

/// The rules every version obeys, wherever it comes from.
pub fn check_version(v: &TargetVersion, kind: Kind, indicator: Option<&Indicator>) -> Result<()> {
    if v.baseline.is_none()
        && let Some(value) = v.baseline_value
    {
        return Err(Error::invalid(format!(
            "a baseline value ({value}) needs its baseline period: write baseline = \"PERIOD\" (or --baseline PERIOD={value})"
        )));
    }
    for (i, (p, _)) in v.waypoints.iter().enumerate() {
        if v.waypoints[..i]
            .iter()
            .any(|(q, _)| q.bounds() == p.bounds())
        {
            return Err(Error::invalid(format!(
                "waypoint {p} is given twice: give one value per period"
            )));
        }
    }
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
                "a cumulative target needs a window start (--from PERIOD; from = in a data set)",
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
    // a compound path with a zero or negative end is not refused: the
    // engine follows the linear path instead and says so (§4)
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
            recorded: match &e.done_recorded {
                Some(r) => timestamp("recorded time", r)?,
                None => String::new(),
            },
        }),
        Some(_) => return Err(Error::invalid("only milestones are marked done")),
        None => None,
    };
    if kind != Kind::Milestone && !e.not_done.is_empty() {
        return Err(Error::invalid("only milestones take not_done statements"));
    }
    let mut not_done = Vec::with_capacity(e.not_done.len());
    for n in &e.not_done {
        if n.source.is_none() && n.url.is_none() {
            return Err(Error::invalid(format!(
                "the not_done statement of {} must name its source",
                n.as_of
            )));
        }
        not_done.push(NotDone {
            as_of: parse::date(&n.as_of)?,
            source: Source {
                citation: n.source.clone(),
                url: n.url.clone(),
            },
            recorded: match &n.recorded {
                Some(r) => timestamp("recorded time", r)?,
                None => String::new(),
            },
        });
    }
    not_done.sort_by_key(|n| n.as_of);
    let withdrawn = match (&e.withdrawn_on, &e.withdrawn_why) {
        (None, None) if e.withdrawn_source.is_none() && e.withdrawn_url.is_none() => None,
        (Some(on), Some(why)) if !why.trim().is_empty() => {
            if e.withdrawn_source.is_none() && e.withdrawn_url.is_none() {
                return Err(Error::invalid(
                    "a withdrawal names its source: withdrawn_source or withdrawn_url",
                ));
            }
            Some(Withdrawal {
                on: parse::date(on)?,
                source: Source {
                    citation: e.withdrawn_source.clone(),
                    url: e.withdrawn_url.clone(),
                },
                why: why.clone(),
                recorded: match &e.withdrawn_recorded {
                    Some(r) => timestamp("recorded time", r)?,
                    None => String::new(),
                },
            })
        }
        _ => {
            return Err(Error::invalid(
                "a withdrawal needs withdrawn_on and withdrawn_why (and its source)",
            ));
        }
    };
    Ok(Target {
        id: e.id.clone(),
        indicator: indicator.map(|i| i.id.clone()),
        kind,
        versions,
        done,
        not_done,
        withdrawn,
        labels: labels(e.programme.as_deref(), e.owner.as_deref(), &e.tags)?,
    })
}

fn observation(e: &ObservationEntry, indicator: &Indicator) -> Result<Observation> {
    let period = parse::period_in(&e.period, indicator.year_start)?;
    let published = opt_date(e.published.as_deref())?;
    check_published(&period, published)?;
    if let Some(id) = e.id.filter(|id| *id <= 0) {
        return Err(Error::invalid(format!(
            "invalid observation id {id}: a positive number (or leave it out)"
        )));
    }
    let retracted = match (&e.retracted, &e.retracted_why) {
        (Some(_), Some(why)) if why.trim().is_empty() => {
            return Err(Error::invalid(
                "retracted_why is empty: say why the value was retracted",
            ));
        }
        (Some(at), Some(why)) => Some(Retraction {
            at: timestamp("retracted time", at)?,
            why: why.clone(),
        }),
        (None, None) => None,
        _ => return Err(Error::invalid("retracted and retracted_why go together")),
    };
    let o = Observation {
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
        flags: flags_of(&e.flags)?,
        recorded: match &e.recorded {
            Some(r) => timestamp("recorded time", r)?,
            None => now(),
        },
        retracted,
    };
    indicator.check_standing(&o).map_err(Error::invalid)?;
    Ok(o)
}

/// The flags of a list of words; a forecast is refused (it is never an
/// observation).
pub fn flags_of<S: AsRef<str>>(words: &[S]) -> Result<Flags> {
    let mut out = Flags::default();
    for w in words {
        out.insert(
            Flag::from_name(w.as_ref()).ok_or_else(|| Error::invalid(unknown_flag(w.as_ref())))?,
        );
    }
    not_a_forecast(out)
}

/// `flags`, unless they make the value a forecast.
pub fn not_a_forecast(flags: Flags) -> Result<Flags> {
    if flags.contains(Flag::Forecast) {
        return Err(Error::invalid(
            "flag 'forecast': a forecast is never recorded as an observation (goalpost compares targets with what was observed)",
        ));
    }
    Ok(flags)
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

/// A change in the input grammar that reads back as exactly `c`
/// (`import(export(db)) == db`): the plain form (`+25%`) when it does, else
/// with every digit it takes (`-9.324914916670819e0`).
fn change_text(c: Change) -> String {
    let unit = if matches!(c, Change::Points(_)) {
        "%"
    } else {
        ""
    };
    let exact = |s: &String| parse::change(s, unit).ok() == Some(c);
    let plain = c.to_string();
    if exact(&plain) {
        return plain;
    }
    let sign = if c.sign() < 0.0 { "-" } else { "+" };
    let candidates = match c {
        Change::Absolute(d) => vec![format!("{sign}{:e}", d.abs())],
        Change::Points(d) => vec![format!("{sign}{:e}pp", d.abs())],
        // p·100 may not divide back to p exactly; a neighbour often does
        Change::Relative(p) => {
            let mut y = (p * 100.0).abs();
            let mut near = vec![y];
            for _ in 0..3 {
                y = y.next_up();
                near.push(y);
            }
            let mut y = (p * 100.0).abs();
            for _ in 0..3 {
                y = y.next_down();
                near.push(y);
            }
            near.into_iter().map(|y| format!("{sign}{y}%")).collect()
        }
    };
    candidates.into_iter().find(exact).unwrap_or(plain)
}

fn version_fields(v: &TargetVersion) -> VersionFields {
    VersionFields {
        value: match v.goal {
            Goal::Value(x) => Some(Quantity::Number(x)),
            _ => None,
        },
        change: match v.goal {
            Goal::Change(c) => Some(change_text(c)),
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
    }
}

fn indicator_entry(i: &Indicator) -> IndicatorEntry {
    IndicatorEntry {
        id: i.id.clone(),
        name: i.name.clone(),
        entity: i.entity.clone(),
        unit: i.unit.clone(),
        measure: i.measure.name().into(),
        higher_is_better: i.higher_is_better,
        limit: i.limit,
        description: i.description.clone(),
        year_start: i.year_start,
        dims: i.dims.clone(),
        parent: i.parent.clone(),
    }
}

fn target_entry(t: &Target) -> TargetEntry {
    TargetEntry {
        id: t.id.clone(),
        indicator: t.indicator.clone(),
        kind: t.kind.name().into(),
        programme: t.labels.programme.clone(),
        owner: t.labels.owner.clone(),
        tags: t.labels.tags.clone(),
        fields: version_fields(&t.versions[0]),
        done_on: t.done.as_ref().map(|d| d.on.to_string()),
        done_source: t.done.as_ref().and_then(|d| d.source.citation.clone()),
        done_url: t.done.as_ref().and_then(|d| d.source.url.clone()),
        done_recorded: t
            .done
            .as_ref()
            .map(|d| d.recorded.clone())
            .filter(|r| !r.is_empty()),
        revision: t.versions[1..]
            .iter()
            .map(|v| RevisionEntry {
                effective: v.effective.map(|d| d.to_string()).unwrap_or_default(),
                fields: version_fields(v),
                unknown: Default::default(),
            })
            .collect(),
        withdrawn_on: t.withdrawn.as_ref().map(|w| w.on.to_string()),
        withdrawn_why: t.withdrawn.as_ref().map(|w| w.why.clone()),
        withdrawn_source: t.withdrawn.as_ref().and_then(|w| w.source.citation.clone()),
        withdrawn_url: t.withdrawn.as_ref().and_then(|w| w.source.url.clone()),
        withdrawn_recorded: t
            .withdrawn
            .as_ref()
            .map(|w| w.recorded.clone())
            .filter(|r| !r.is_empty()),
        not_done: t
            .not_done
            .iter()
            .map(|n| NotDoneEntry {
                as_of: n.as_of.to_string(),
                source: n.source.citation.clone(),
                url: n.source.url.clone(),
                recorded: Some(n.recorded.clone()).filter(|r| !r.is_empty()),
            })
            .collect(),
        unknown: Default::default(),
    }
}

fn observation_entry(o: &Observation) -> ObservationEntry {
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
        flags: o.flags.names().into_iter().map(String::from).collect(),
        recorded: Some(o.recorded.clone()),
        retracted: o.retracted.as_ref().map(|r| r.at.clone()),
        retracted_why: o.retracted.as_ref().map(|r| r.why.clone()),
    }
}

/// Writes the whole database as a data set.
pub fn write(
    indicators: &[Indicator],
    targets: &[Target],
    observations: &[Observation],
) -> Result<String> {
    let mut out = Vec::new();
    let mut w = Writer::start(
        &mut out,
        !indicators.is_empty(),
        !targets.is_empty(),
        !observations.is_empty(),
    )?;
    for i in indicators {
        w.indicator(i)?;
    }
    for t in targets {
        w.target(t)?;
    }
    for o in observations {
        w.observation(o)?;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A data set written one entry at a time, in the order of
/// [`DataSet`]'s fields (indicators, then targets, then observations): the
/// same text as serializing the whole set at once, in the memory of one
/// entry.
pub struct Writer<'a> {
    out: &'a mut dyn std::io::Write,
}

#[derive(Serialize)]
struct OneIndicator<'a> {
    indicator: [&'a IndicatorEntry; 1],
}

#[derive(Serialize)]
struct OneTarget<'a> {
    target: [&'a TargetEntry; 1],
}

#[derive(Serialize)]
struct OneObservation<'a> {
    observation: [&'a ObservationEntry; 1],
}

impl<'a> Writer<'a> {
    /// Writes the head of the set; which kinds of entries will follow
    /// decides it (a kind with none is written as an empty array there).
    pub fn start(
        out: &'a mut dyn std::io::Write,
        indicators: bool,
        targets: bool,
        observations: bool,
    ) -> Result<Writer<'a>> {
        let mut head = String::from(
            "# goalpost data set (docs/dataset.md): values in base units\nversion = 1\n",
        );
        for (name, any) in [
            ("indicator", indicators),
            ("target", targets),
            ("observation", observations),
        ] {
            if !any {
                head.push_str(&format!("{name} = []\n"));
            }
        }
        let mut w = Writer { out };
        w.put(&head)?;
        Ok(w)
    }

    fn put(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .map_err(|source| Error::Io {
                path: std::path::PathBuf::from("<stdout>"),
                source,
            })
    }

    fn entry<T: Serialize>(&mut self, one: &T) -> Result<()> {
        let text = toml::to_string(one)
            .map_err(|e| Error::invalid(format!("writing the data set: {e}")))?;
        self.put("\n")?;
        self.put(&text)
    }

    /// An indicator; its dimensions as an inline table on the entry's
    /// last line (`dims = { sex = "female" }`), not a `[indicator.dims]`
    /// section.
    pub fn indicator(&mut self, i: &Indicator) -> Result<()> {
        let mut entry = indicator_entry(i);
        let dims = std::mem::take(&mut entry.dims);
        self.entry(&OneIndicator {
            indicator: [&entry],
        })?;
        if dims.is_empty() {
            return Ok(());
        }
        let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
        let key = |k: &str| {
            let bare = k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if bare { k.to_string() } else { quoted(k) }
        };
        let pairs: Vec<String> = dims
            .iter()
            .map(|(k, v)| format!("{} = {}", key(k), quoted(v)))
            .collect();
        self.put(&format!("dims = {{ {} }}\n", pairs.join(", ")))
    }

    pub fn target(&mut self, t: &Target) -> Result<()> {
        self.entry(&OneTarget {
            target: [&target_entry(t)],
        })
    }

    pub fn observation(&mut self, o: &Observation) -> Result<()> {
        self.entry(&OneObservation {
            observation: [&observation_entry(o)],
        })
    }
}

/// The `[[method]]` entries of a data set (method profiles, docs/methods.md):
/// taken out of `text` before the rest is read, their lines left blank so
/// that every other line keeps its number. Returns the text without them
/// and the profiles, validated (errors name the file and the line).
pub fn split_methods(text: &str, file: &str) -> Result<(String, Vec<crate::engine::Profile>)> {
    let mut rest = String::with_capacity(text.len());
    let mut section = String::new();
    let mut inside = false;
    let mut first_line = 0;
    let mut starts: Vec<usize> = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let head = line.trim();
        if head.starts_with('[') {
            let name = head.trim_start_matches('[').trim_end_matches(']').trim();
            inside = name == "method" || name.starts_with("method.");
            if head == "[[method]]" {
                if starts.is_empty() {
                    first_line = n + 1;
                }
                starts.push(n + 1);
            }
        }
        if inside {
            section.push_str(line);
            rest.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            rest.push_str(line);
        }
    }
    if starts.is_empty() {
        return Ok((rest, Vec::new()));
    }
    #[derive(serde::Deserialize)]
    struct Methods {
        method: Vec<toml::Value>,
    }
    let parsed: Methods = toml::from_str(&section).map_err(|e| {
        let line = e.span().map_or(0, |sp| {
            section[..sp.start.min(section.len())].matches('\n').count()
        });
        Error::in_file(file, first_line + line, None, e.message())
    })?;
    let mut out = Vec::new();
    for (i, v) in parsed.method.iter().enumerate() {
        let text = toml::to_string(v).map_err(|e| Error::invalid(e.to_string()))?;
        let p = crate::engine::Profile::from_toml(&text, "method")
            .map_err(|e| Error::in_file(file, starts[i], None, e.trim_start_matches("method: ")))?;
        if crate::engine::Method::from_name(&p.name).is_some() {
            return Err(Error::in_file(
                file,
                starts[i],
                None,
                format!(
                    "'{}' is a built-in method: a profile takes another name",
                    p.name
                ),
            ));
        }
        out.push(p);
    }
    Ok((rest, out))
}

/// Method profiles as data-set entries (`[[method]]`), for export.
pub fn methods_text(profiles: &[crate::engine::Profile]) -> Result<String> {
    #[derive(serde::Serialize)]
    struct Methods<'a> {
        method: &'a [crate::engine::Profile],
    }
    if profiles.is_empty() {
        return Ok(String::new());
    }
    let text = toml::to_string(&Methods { method: profiles })
        .map_err(|e| Error::invalid(format!("writing the method profiles: {e}")))?;
    Ok(format!("\n# method profiles (docs/methods.md)\n{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set serialized whole, as export did before it streamed.
    fn whole(c: &Contents) -> String {
        let set = DataSet {
            version: 1,
            indicator: c
                .indicators
                .iter()
                .map(|i| Spanned::new(0..0, indicator_entry(i)))
                .collect(),
            target: c
                .targets
                .iter()
                .map(|t| Spanned::new(0..0, target_entry(t)))
                .collect(),
            observation: c
                .observations
                .iter()
                .map(|o| Spanned::new(0..0, observation_entry(o)))
                .collect(),
        };
        format!(
            "# goalpost data set (docs/dataset.md): values in base units\n{}",
            toml::to_string(&set).unwrap()
        )
    }

    /// What a sink was given, in order.
    #[derive(Default)]
    struct Record(Vec<String>, Option<String>);

    impl Sink for Record {
        fn indicator(&mut self, i: &Indicator) -> Result<()> {
            self.0.push(format!("{i:?}"));
            self.refuse(&i.id)
        }
        fn target(&mut self, t: &Target) -> Result<()> {
            // `recorded` is the time of reading when the file has none
            let mut t = t.clone();
            t.versions.iter_mut().for_each(|v| v.recorded.clear());
            self.0.push(format!("{t:?}"));
            self.refuse(&t.id)
        }
        fn observation(&mut self, o: &Observation) -> Result<()> {
            let mut o = o.clone();
            o.recorded.clear();
            self.0.push(format!("{o:?}"));
            self.refuse(&o.indicator)
        }
    }

    impl Record {
        /// A store that already has the id `self.1`.
        fn refuse(&self, id: &str) -> Result<()> {
            match &self.1 {
                Some(taken) if taken == id => Err(Error::Exists {
                    kind: "entry",
                    id: id.to_string(),
                }),
                _ => Ok(()),
            }
        }
    }

    /// Both ways of importing: entry by entry, and the whole file read first.
    fn both(text: &str, taken: Option<&str>) -> [(Result<Counts, String>, Vec<String>); 2] {
        let known = |id: &str| {
            Ok((id == "stored").then(|| Indicator {
                id: "stored".into(),
                name: "Stored".into(),
                entity: None,
                unit: "USD".into(),
                measure: Measure::Flow,
                higher_is_better: true,
                limit: None,
                description: None,
                year_start: 1,
                dims: Default::default(),
                parent: None,
            }))
        };
        let nearest = |id: &str| crate::error::nearest(id, ["stored"]);
        let mut a = Record(Vec::new(), taken.map(String::from));
        let streamed = import(text, "d.toml", &known, &nearest, &mut a).map_err(|e| e.to_string());
        let mut b = Record(Vec::new(), taken.map(String::from));
        let whole = read_with(text, "d.toml", &known, &nearest)
            .and_then(|c| store(&c, &mut b))
            .map_err(|e| e.to_string());
        [(streamed, a.0), (whole, b.0)]
    }

    #[test]
    fn a_set_imported_entry_by_entry_is_the_set_read_whole() {
        let seed = include_str!("../fixtures/seed.toml");
        assert!(cut(seed).is_some(), "the seed is read entry by entry");
        let ok = "version = 1\n[[observation]]\nindicator = \"x\"\nperiod = \"2021\"\nvalue = 5\n\n[[target]]\nid = \"t\"\nindicator = \"x\"\nvalue = 9\nbaseline = \"2020\"\nbaseline_value = 4\ndeadline = \"2030\"\n[[target.revision]]\neffective = \"2023-01-01\"\nvalue = 10\n\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n\n[[observation]]\nindicator = \"stored\"\nperiod = \"2021\"\nvalue = 5\n";
        assert!(cut(ok).is_some());
        let cases: Vec<(&str, Option<&str>)> = vec![
            (seed, None),
            (seed, Some("agri-food-2025")),
            (seed, Some("agri-food-exports")),
            (ok, None),
            (ok, Some("x")),
            (ok, Some("t")),
            (ok, Some("stored")),
            // errors of every stage, and two at once: the first one wins
            (
                "version = 2\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n",
                None,
            ),
            (
                "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"\"\n[[target]]\nid = \"t\"\nindicator = \"nope\"\nvalue = 1\ndeadline = \"2030\"\n",
                None,
            ),
            (
                "version = 1\n[[observation]]\nindicator = \"nope\"\nperiod = \"2021\"\nvalue = 5\n[[target]]\nid = \"t\"\nindicator = \"stord\"\nvalue = 1\ndeadline = \"2030\"\n",
                None,
            ),
            (
                "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n",
                None,
            ),
            (
                "version = 1\n[[observation]]\nid = 3\nindicator = \"stored\"\nperiod = \"2021\"\nvalue = 5\n[[observation]]\nid = 3\nindicator = \"stored\"\nperiod = \"2022\"\nvalue = 5\n",
                None,
            ),
            (
                "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"\"\n[[target]]\nid = \"t\"\nvalue = = 1\n",
                None,
            ),
            (
                "version = 1\n[[target]]\nid = \"t\"\nindicator = \"stored\"\nvalue = 1\ndeadline = \"2030\"\ncolour = 1\n",
                None,
            ),
            (
                "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\ncolour = 1\n",
                None,
            ),
            ("version = 1\n[indicator]\nid = \"x\"\n", None),
            (
                "version = 1\nindicator = []\ntarget = []\n[[observation]]\nindicator = \"stored\"\nperiod = \"2021\"\nvalue = 5\n",
                None,
            ),
            ("", None),
        ];
        for (text, taken) in cases {
            let [(streamed, calls), (whole, whole_calls)] = both(text, taken);
            assert_eq!(streamed, whole, "{text}");
            // what was stored: the same, up to an error (which rolls back
            // what came before it)
            if streamed.is_ok() {
                assert_eq!(calls, whole_calls, "{text}");
            } else {
                assert!(calls.starts_with(&whole_calls), "{text}");
            }
        }
    }

    #[test]
    fn a_set_written_entry_by_entry_is_the_set_serialized_whole() {
        let seed = read(include_str!("../fixtures/seed.toml"), "seed.toml", &[]).unwrap();
        let extra = r#"
version = 1

[[indicator]]
id = "x"
name = "X"
unit = "%"

[[target]]
id = "revised"
indicator = "x"
value = 40
baseline = "2020"
baseline_value = 30
deadline = "2030"
waypoints = ["2025=35"]
title = "With a revision"

[[target.revision]]
effective = "2023-05-01"
value = 45
source = "A decree"
url = "https://example.org/d"

[[target]]
id = "late"
kind = "milestone"
deadline = "2022"

[[target.not_done]]
as_of = "2023-01-10"
source = "A report"
"#;
        let extra = read(extra, "extra.toml", &[]).unwrap();
        for c in [&seed, &extra] {
            assert_eq!(
                write(&c.indicators, &c.targets, &c.observations).unwrap(),
                whole(c)
            );
        }
        // a set with some kinds empty: each an empty array at the top
        let only_targets = Contents {
            targets: extra.targets.clone(),
            indicators: extra.indicators.clone(),
            ..Default::default()
        };
        assert_eq!(
            write(&only_targets.indicators, &only_targets.targets, &[]).unwrap(),
            whole(&only_targets)
        );
        assert_eq!(write(&[], &[], &[]).unwrap(), whole(&Contents::default()));
    }
}
