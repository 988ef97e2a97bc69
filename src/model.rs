//! Plain data: indicators, observations, targets and their versions.
//! No behaviour beyond naming; the engine computes, the store persists.

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
    /// When it was entered (RFC 3339, UTC).
    pub recorded: String,
    pub retracted: Option<Retraction>,
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
