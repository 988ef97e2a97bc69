//! Plain data: indicators, observations, targets and their versions.
//! No behaviour beyond naming; the engine computes, the store persists.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A level at an instant (residents, a share, a stock of jobs).
    Stock,
    /// An amount per period (exports per year).
    Flow,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Stock => "stock",
            Measure::Flow => "flow",
        }
    }

    pub fn from_name(s: &str) -> Option<Measure> {
        match s {
            "stock" => Some(Measure::Stock),
            "flow" => Some(Measure::Flow),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub entity: Option<String>,
    pub unit: String,
    pub measure: Measure,
    pub higher_is_better: bool,
    /// A natural limit (100 for a share), used by Open SDG.
    pub limit: Option<f64>,
    pub description: Option<String>,
    /// What part of a whole it measures (`sex = female`, `age = 15-24`):
    /// keys compared in any case, one value each.
    pub dims: BTreeMap<String, String>,
    /// The headline indicator this one disaggregates.
    pub parent: Option<String>,
    /// The month (1 to 12) in which its year starts: 1 for the calendar
    /// year, 4 for a fiscal year from April (its `2010` is FY2010, April
    /// 2009 to March 2010).
    pub year_start: u32,
}

impl Indicator {
    /// The value of dimension `key` (in any case), if it has one: what
    /// `report --group-by dim:KEY` groups a target by, through its indicator.
    pub fn dim(&self, key: &str) -> Option<&str> {
        dim_in(&self.dims, key)
    }

    /// [`Indicator::check_limit`] for an observation that stands: a value
    /// retracted (an entry error kept for the record) may be any value.
    pub fn check_standing(&self, o: &Observation) -> Result<(), String> {
        match o.retracted {
            Some(_) => Ok(()),
            None => self.check_limit(o.value, o.qualifier),
        }
    }

    /// A value beyond the natural limit on its impossible side is refused:
    /// the limit is the best a value can be (100 for a share where higher
    /// is better, 0 for a count where lower is better), so a value above
    /// it (or below it, when lower is better) cannot have been observed.
    /// A qualifier bounds the value from the possible side or not: `< 101`
    /// and `≤ 100.5` fit a limit of 100, `> 100` does not.
    pub fn check_limit(&self, value: f64, qualifier: Option<Qualifier>) -> Result<(), String> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        use Qualifier::*;
        // the values the observation allows, seen from the limit's side
        let (beyond, side, towards, strictly_towards) = if self.higher_is_better {
            (value > limit, "above", AtMost, LessThan)
        } else {
            (value < limit, "below", AtLeast, MoreThan)
        };
        let impossible = match qualifier {
            // "less than 101": some value under the limit fits
            Some(q) if q == towards || q == strictly_towards => false,
            // "more than 100": every value it allows is beyond
            Some(MoreThan) if self.higher_is_better => value >= limit,
            Some(LessThan) if !self.higher_is_better => value <= limit,
            _ => beyond,
        };
        if impossible {
            let shown = crate::render::human::qualified(value, qualifier, &self.unit);
            return Err(format!(
                "{shown} is {side} the natural limit {} of indicator {}, beyond which no value can be",
                crate::render::human::value(limit, &self.unit),
                self.id
            ));
        }
        Ok(())
    }
}

/// The value of dimension `key` (in any case) among `dims`.
pub fn dim_in<'a>(dims: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    dims.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// `--dim KEY=VALUE` (that value) or `--dim KEY` (any value of that key):
/// which indicators a list or a report keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimFilter {
    pub key: String,
    pub value: Option<String>,
}

impl DimFilter {
    /// Whether `indicator` has the dimension (keys and values in any case).
    pub fn matches(&self, indicator: &Indicator) -> bool {
        self.matches_dims(&indicator.dims)
    }

    /// Whether the dimensions `dims` (an indicator's) have it.
    pub fn matches_dims(&self, dims: &BTreeMap<String, String>) -> bool {
        dim_in(dims, &self.key).is_some_and(|v| {
            self.value
                .as_deref()
                .is_none_or(|want| want.to_lowercase() == v.to_lowercase())
        })
    }
}

impl std::str::FromStr for DimFilter {
    type Err = String;

    fn from_str(s: &str) -> Result<DimFilter, String> {
        let (key, value) = match s.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (s.trim(), None),
        };
        if key.is_empty() || value.is_some_and(str::is_empty) {
            return Err(format!(
                "'{s}': write KEY=VALUE (sex=female) or KEY alone (any value)"
            ));
        }
        Ok(DimFilter {
            key: key.to_string(),
            value: value.map(String::from),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    About,
    MoreThan,
    LessThan,
    AtLeast,
    AtMost,
}

impl Qualifier {
    pub const ALL: [Qualifier; 5] = [
        Qualifier::About,
        Qualifier::MoreThan,
        Qualifier::LessThan,
        Qualifier::AtLeast,
        Qualifier::AtMost,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Qualifier::About => "about",
            Qualifier::MoreThan => "more_than",
            Qualifier::LessThan => "less_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
        }
    }

    /// The sign printed before a qualified number: `≈`, `>`, `<`, `≥`, `≤`.
    pub fn symbol(self) -> &'static str {
        match self {
            Qualifier::About => "≈",
            Qualifier::MoreThan => ">",
            Qualifier::LessThan => "<",
            Qualifier::AtLeast => "≥",
            Qualifier::AtMost => "≤",
        }
    }

    pub fn from_name(s: &str) -> Option<Qualifier> {
        Qualifier::ALL.into_iter().find(|q| q.name() == s)
    }
}

/// Where a number or a promise comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    pub citation: Option<String>,
    pub url: Option<String>,
}

impl Source {
    pub fn is_empty(&self) -> bool {
        self.citation.is_none() && self.url.is_none()
    }
}

/// One vintage of a value of an indicator for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub id: i64,
    pub indicator: String,
    pub period: Period,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    pub source: Source,
    /// When the value was published; `None` counts as the period's last day.
    pub published: Option<NaiveDate>,
    pub note: Option<String>,
    /// What the publisher says of the value: provisional, estimated, a
    /// break in series…
    pub flags: Flags,
    /// When it was entered (RFC 3339, UTC).
    pub recorded: String,
    pub retracted: Option<Retraction>,
}

/// What a publisher says of one value (SDMX `OBS_STATUS`, Eurostat's
/// letters), in goalpost's words: docs/dataset.md lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Provisional,
    Estimated,
    Forecast,
    Break,
    DefinitionDiffers,
    Confidential,
    Unreliable,
    NotSignificant,
    Revised,
    Imputed,
    Experimental,
    Unvalidated,
    Derogation,
    SpecialEvent,
    IncludesOther,
    IncludedElsewhere,
    NotApplicable,
    Missing,
}

impl Flag {
    /// In the order a list of flags is written.
    pub const ALL: [Flag; 18] = [
        Flag::Provisional,
        Flag::Estimated,
        Flag::Forecast,
        Flag::Break,
        Flag::DefinitionDiffers,
        Flag::Confidential,
        Flag::Unreliable,
        Flag::NotSignificant,
        Flag::Revised,
        Flag::Imputed,
        Flag::Experimental,
        Flag::Unvalidated,
        Flag::Derogation,
        Flag::SpecialEvent,
        Flag::IncludesOther,
        Flag::IncludedElsewhere,
        Flag::NotApplicable,
        Flag::Missing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Flag::Provisional => "provisional",
            Flag::Estimated => "estimated",
            Flag::Forecast => "forecast",
            Flag::Break => "break",
            Flag::DefinitionDiffers => "definition_differs",
            Flag::Confidential => "confidential",
            Flag::Unreliable => "unreliable",
            Flag::NotSignificant => "not_significant",
            Flag::Revised => "revised",
            Flag::Imputed => "imputed",
            Flag::Experimental => "experimental",
            Flag::Unvalidated => "unvalidated",
            Flag::Derogation => "derogation",
            Flag::SpecialEvent => "special_event",
            Flag::IncludesOther => "includes_other",
            Flag::IncludedElsewhere => "included_elsewhere",
            Flag::NotApplicable => "not_applicable",
            Flag::Missing => "missing",
        }
    }

    /// The flag named `s` (in any case; `-` and space count as `_`).
    pub fn from_name(s: &str) -> Option<Flag> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Flag::ALL.into_iter().find(|f| f.name() == s)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of flags, written in [`Flag::ALL`] order, comma-separated
/// (`provisional,break`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Flags(u32);

impl Flags {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, f: Flag) -> bool {
        self.0 & f.bit() != 0
    }

    pub fn insert(&mut self, f: Flag) {
        self.0 |= f.bit();
    }

    /// The flags, in [`Flag::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// The names, in order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Flag::name).collect()
    }

    /// The flags of a list of words separated by commas, semicolons or
    /// spaces (`provisional, break`); an unknown word is an error naming it.
    pub fn parse(text: &str) -> Result<Flags, String> {
        let mut out = Flags::default();
        for word in text
            .split([',', ';', ' ', '\t'])
            .filter(|w| !w.trim().is_empty())
        {
            out.insert(Flag::from_name(word).ok_or_else(|| unknown_flag(word))?);
        }
        Ok(out)
    }
}

/// The error of a word that is no flag.
pub fn unknown_flag(word: &str) -> String {
    format!(
        "'{}' is not a flag (one of: {})",
        word.trim(),
        Flag::ALL.map(Flag::name).join(", ")
    )
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Flags {
        let mut out = Flags::default();
        for f in iter {
            out.insert(f);
        }
        out
    }
}

/// `provisional,break`; empty for none.
impl std::fmt::Display for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

impl Serialize for Flags {
    /// A list of names: `["provisional", "break"]`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retraction {
    pub at: String,
    pub why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Level,
    Cumulative,
    Trend,
    Milestone,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Level, Kind::Cumulative, Kind::Trend, Kind::Milestone];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Level => "level",
            Kind::Cumulative => "cumulative",
            Kind::Trend => "trend",
            Kind::Milestone => "milestone",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// A change from the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// `+25%` → 0.25: `T = b·(1 + p)`.
    Relative(f64),
    /// `+1000`: `T = b + Δ`.
    Absolute(f64),
    /// `+2pp`: `T = b + Δ`, for indicators in %.
    Points(f64),
}

/// Prints a change in the input grammar: `+25%`, `-30%`, `+1000`, `+2pp`.
impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.sign() < 0.0 { "-" } else { "+" };
        match *self {
            Change::Relative(p) => write!(f, "{sign}{}%", plain((p * 100.0).abs())),
            Change::Absolute(d) => write!(f, "{sign}{}", plain(d.abs())),
            Change::Points(d) => write!(f, "{sign}{}pp", plain(d.abs())),
        }
    }
}

/// A number without float noise (`0.3 × 100` → `30`, not `30.000000000000004`).
fn plain(x: f64) -> String {
    let s = format!("{x:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Change {
    pub fn sign(self) -> f64 {
        let x = match self {
            Change::Relative(x) | Change::Absolute(x) | Change::Points(x) => x,
        };
        if x < 0.0 { -1.0 } else { 1.0 }
    }
}

/// What is promised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    Value(f64),
    Change(Change),
    /// A direction without a number (trend targets).
    Direction,
    /// An event by the deadline.
    Milestone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathShape {
    Linear,
    Compound,
}

impl PathShape {
    pub fn name(self) -> &'static str {
        match self {
            PathShape::Linear => "linear",
            PathShape::Compound => "compound",
        }
    }

    pub fn from_name(s: &str) -> Option<PathShape> {
        match s {
            "linear" => Some(PathShape::Linear),
            "compound" => Some(PathShape::Compound),
            _ => None,
        }
    }
}

/// Higher is better (+1) or lower is better (−1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    pub fn sign(self) -> f64 {
        match self {
            Direction::Increase => 1.0,
            Direction::Decrease => -1.0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }

    pub fn from_name(s: &str) -> Option<Direction> {
        match s {
            "increase" => Some(Direction::Increase),
            "decrease" => Some(Direction::Decrease),
            _ => None,
        }
    }
}

/// One version of a target (methodology.md §8: targets are revised, every
/// version is kept).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetVersion {
    /// 1 for the original statement.
    pub version: i64,
    /// In force from this date; `None` for the original (always in force
    /// until the first revision).
    pub effective: Option<NaiveDate>,
    pub goal: Goal,
    pub baseline: Option<Period>,
    pub baseline_value: Option<f64>,
    pub deadline: Period,
    /// Cumulative targets: the window's first period.
    pub from: Option<Period>,
    pub direction: Option<Direction>,
    pub path: PathShape,
    pub waypoints: Vec<(Period, f64)>,
    pub title: Option<String>,
    pub quote: Option<String>,
    pub gloss: Option<String>,
    pub source: Source,
    pub note: Option<String>,
    pub recorded: String,
}

/// A milestone's completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub on: NaiveDate,
    pub source: Source,
    /// When it was entered (RFC 3339, UTC); empty before it is stored.
    pub recorded: String,
}

/// A dated, sourced statement that a milestone was still not done on a
/// date (methodology.md §7): once that date is past the deadline, the
/// milestone is `missed`, not merely `overdue`.
#[derive(Debug, Clone, PartialEq)]
pub struct NotDone {
    /// The date on which it was still not done.
    pub as_of: NaiveDate,
    pub source: Source,
    /// When it was entered (RFC 3339, UTC); empty before it is stored.
    pub recorded: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    /// `None` only for milestones, which need no measured series.
    pub indicator: Option<String>,
    pub kind: Kind,
    /// Oldest first; never empty.
    pub versions: Vec<TargetVersion>,
    pub done: Option<Done>,
    /// Statements that it was not done, oldest first (milestones).
    pub not_done: Vec<NotDone>,
    /// Its withdrawal or repeal, if it was withdrawn.
    pub withdrawn: Option<Withdrawal>,
    /// How the tracker files it (programme, owner, tags): the same for
    /// every version.
    pub labels: Labels,
}

/// Where a target is filed for roll-ups (`report --group-by`): the
/// programme it belongs to, the body that owns it and free tags. Of the
/// target, not of a version: a correction changes them, never a revision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub programme: Option<String>,
    pub owner: Option<String>,
    /// Sorted, without repeats.
    pub tags: Vec<String>,
}

/// A target withdrawn or repealed: from `on`, it is no longer assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    pub on: NaiveDate,
    pub source: Source,
    pub why: String,
    /// When it was entered (RFC 3339, UTC); empty before it is stored.
    pub recorded: String,
}

/// A logged correction of an entry error (not a revision of the policy).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    /// `target` or `indicator`.
    pub kind: &'static str,
    pub id: String,
    /// The target version corrected.
    pub version: Option<i64>,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// When it was made (RFC 3339, UTC).
    pub recorded: String,
}

/// One import, as recorded (`obs batches`): what was read, when, and what
/// came of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportBatch {
    pub id: i64,
    /// When it was imported (RFC 3339, UTC).
    pub recorded: String,
    /// The file as named on the command line, or `stdin`.
    pub input: String,
    /// `csv`, `sdmx-csv`, `wdi`, `eurostat-tsv`, `opensdg` or `dataset`.
    pub format: String,
    /// Observations it stored.
    pub added: i64,
    /// Rows it skipped as identical to what was stored.
    pub unchanged: i64,
    /// Of its observations, how many are retracted now.
    pub retracted: i64,
}

impl Target {
    /// The version in force on `date`: the latest whose effective date is on
    /// or before it (the original when none is).
    pub fn version_on(&self, date: NaiveDate) -> &TargetVersion {
        self.versions
            .iter()
            .rev()
            .find(|v| v.effective.is_none_or(|e| e <= date))
            .unwrap_or(&self.versions[0])
    }

    pub fn current(&self) -> &TargetVersion {
        self.versions
            .last()
            .expect("a target has at least one version")
    }
}
