//! Data as it is published (issue 13): Open SDG data repositories,
//! SDMX-CSV, World Bank WDI CSV and Eurostat TSV.
//!
//! One file per format, each behind one trait ([`Importer`]), the way
//! hyperfine keeps one exporter per format: a new format is one new file.
//! Every importer turns its input into the same plain rows, a [`Batch`]:
//! indicators and targets to create, observations (period, value,
//! qualifier, flags, source, publication date) and retractions; the
//! indicators with the dimensions the file gives them. Reading is pure (files in, rows out); errors name the
//! file, the line and, where there is one, the column. [`store`] writes a
//! batch inside the caller's transaction through the store's own calls,
//! and [`import`] does both in one transaction: all or nothing.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Target, TargetVersion};
use crate::period::Period;
use crate::store::{Db, Store};

pub mod eurostat_tsv;
mod flags;
pub mod opensdg;
pub mod sdmx;
mod series;
mod text;
pub mod wdi;

pub use series::Map;

/// The published formats, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Open SDG data repository (a folder): `import --format opensdg`.
    OpenSdg,
    /// SDMX-CSV, version 1 or 2: `obs import --format sdmx-csv`.
    SdmxCsv,
    /// World Bank WDI / Data360 CSV, wide or long: `obs import --format wdi`.
    Wdi,
    /// Eurostat's tab-separated bulk files: `obs import --format eurostat-tsv`.
    EurostatTsv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::OpenSdg => "opensdg",
            Format::SdmxCsv => "sdmx-csv",
            Format::Wdi => "wdi",
            Format::EurostatTsv => "eurostat-tsv",
        }
    }

    /// The importer of this format.
    pub fn importer(self) -> &'static dyn Importer {
        match self {
            Format::OpenSdg => &opensdg::OpenSdg,
            Format::SdmxCsv => &sdmx::SdmxCsv,
            Format::Wdi => &wdi::Wdi,
            Format::EurostatTsv => &eurostat_tsv::EurostatTsv,
        }
    }
}

/// One format's reader.
pub trait Importer {
    /// Reads `path` (a file, or for Open SDG a folder) into rows. Pure: it
    /// reads files and nothing else; `known` are the indicators already
    /// stored, for `--map`.
    fn read(&self, path: &Path, options: &Options, known: &[Indicator]) -> Result<Batch>;
}

/// What the command line asks of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--map KEY=INDICATOR`: series keys assigned to existing indicators.
    pub maps: Vec<Map>,
    /// `--create`: an indicator for every series not mapped, named from its key.
    pub create: bool,
    /// `--published DATE`: the publication date of everything this import
    /// brings (else each value counts as published at its period's end).
    pub published: Option<NaiveDate>,
    /// `--lang CODE` (Open SDG): the translations to apply.
    pub lang: Option<String>,
    /// How messages and the import's batch name the input (`stdin`) when
    /// not by its path.
    pub name: Option<String>,
}

impl Options {
    /// The name of the input at `path` in messages: [`Options::name`], else
    /// the path.
    pub fn name_of(&self, path: &Path) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| path.display().to_string())
    }
}

/// Where an entry comes from: a file, a line and perhaps a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: Option<usize>,
}

impl Place {
    pub fn new(file: &str, line: usize, column: Option<usize>) -> Place {
        Place {
            file: file.to_string(),
            line,
            column,
        }
    }

    /// An error found here.
    pub fn error(&self, message: impl ToString) -> Error {
        Error::in_file(&self.file, self.line, self.column, message)
    }
}

/// An indicator to create (or to find already stored, on a re-import).
#[derive(Debug, Clone)]
pub struct NewIndicator {
    pub indicator: Indicator,
    pub place: Place,
}

/// A target to create (kept as stored when it already exists).
#[derive(Debug, Clone)]
pub struct NewTarget {
    pub target: Target,
    pub place: Place,
}

/// One observation to add.
#[derive(Debug, Clone)]
pub struct Row {
    pub observation: Observation,
    pub place: Place,
}

/// A published deletion (SDMX `ACTION=D`): the stored vintages of this
/// indicator and period (and value, when the row gives one) are retracted.
#[derive(Debug, Clone)]
pub struct Deletion {
    pub indicator: String,
    pub period: Period,
    pub value: Option<f64>,
    pub place: Place,
}

/// What a reader brings: the same plain rows whatever the format.
#[derive(Debug, Default)]
pub struct Batch {
    pub indicators: Vec<NewIndicator>,
    pub targets: Vec<NewTarget>,
    pub rows: Vec<Row>,
    pub deletions: Vec<Deletion>,
    /// Forecasts in the file: never stored as observations.
    pub forecasts: usize,
    /// Cells or rows without a value (`:`, `..`, empty).
    pub missing: usize,
    /// Series keys that no `--map` assigned (without `--create`).
    pub unmapped: Vec<String>,
    /// Open SDG indicators not assessed (`auto_progress_calculation` false
    /// or absent): nothing is created for them.
    pub not_assessed: Vec<String>,
    /// Things worth saying that do not stop the import.
    pub warnings: Vec<String>,
}

/// What storing a batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub indicators_created: usize,
    /// Indicators already stored (a re-import): used as they are.
    pub indicators_kept: usize,
    pub targets_created: usize,
    /// Targets already stored: kept as they are.
    pub targets_kept: usize,
    pub added: usize,
    /// Rows that would store nothing new (docs/import.md, "Unchanged
    /// rows"): skipped.
    pub unchanged: usize,
    /// The import batch the rows added form (none when nothing was added,
    /// or in a dry run).
    pub batch: Option<i64>,
    pub retracted: usize,
    /// Deletions that matched no stored vintage.
    pub nothing_to_retract: usize,
    pub forecasts: usize,
    pub missing: usize,
    pub unmapped: Vec<String>,
    pub not_assessed: Vec<String>,
    pub warnings: Vec<String>,
}

impl Summary {
    /// The summary as the command prints it: one line, then one line for
    /// each kind of row skipped.
    pub fn lines(&self, verb: &str, what: &str) -> Vec<String> {
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        let mut first = format!(
            "{verb} {what}{}: {} created, {} created, {} added",
            crate::batch::named(self.batch),
            n(self.indicators_created, "indicator", "indicators"),
            n(self.targets_created, "target", "targets"),
            n(self.added, "observation", "observations"),
        );
        let kept: Vec<String> = [
            (self.indicators_kept, "indicator", "indicators"),
            (self.targets_kept, "target", "targets"),
        ]
        .iter()
        .filter(|(c, _, _)| *c > 0)
        .map(|(c, one, many)| n(*c, one, many))
        .collect();
        let mut details = Vec::new();
        if self.unchanged > 0 {
            details.push(format!("{} unchanged", self.unchanged));
        }
        if !kept.is_empty() {
            details.push(format!(
                "{} already stored, left as they were",
                kept.join(" and ")
            ));
        }
        if !details.is_empty() {
            first.push_str(&format!(" ({})", details.join("; ")));
        }
        let mut out = vec![first];
        if self.retracted > 0 || self.nothing_to_retract > 0 {
            out.push(format!(
                "  retracted: {} (deleted in the file){}",
                n(self.retracted, "observation", "observations"),
                if self.nothing_to_retract > 0 {
                    format!(
                        "; {} matched nothing stored",
                        n(self.nothing_to_retract, "deletion", "deletions")
                    )
                } else {
                    String::new()
                }
            ));
        }
        if self.forecasts > 0 {
            out.push(format!(
                "  skipped: {} (a forecast is never stored as an observation)",
                n(self.forecasts, "forecast", "forecasts")
            ));
        }
        if self.missing > 0 {
            out.push(format!(
                "  skipped: {} without a value",
                n(self.missing, "cell", "cells")
            ));
        }
        if !self.unmapped.is_empty() {
            out.push(format!(
                "  skipped: {} not mapped ({}): assign them with --map KEY=INDICATOR, or create them with --create",
                n(self.unmapped.len(), "series", "series"),
                examples(&self.unmapped)
            ));
        }
        if !self.not_assessed.is_empty() {
            out.push(format!(
                "  not assessed: {} (auto_progress_calculation false or absent: nothing created)",
                examples(&self.not_assessed)
            ));
        }
        out
    }
}

/// The first few of a list, then how many more.
fn examples(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

/// Reads `path` in `format` and stores it in one transaction: all or
/// nothing. A dry run does everything, checks included, then rolls back.
pub fn import(
    store: &mut Store,
    format: Format,
    path: &Path,
    options: &Options,
    dry_run: bool,
) -> Result<Summary> {
    let name = options.name_of(path);
    let work = |db: &Db| {
        let known = db.indicators()?;
        let batch = format.importer().read(path, options, &known)?;
        let mut recorder = crate::batch::Recorder::new(&name, format.name());
        let mut summary = self::store(db, &batch, &mut recorder)?;
        summary.batch = recorder.finish(db, summary.added, summary.unchanged)?;
        Ok(summary)
    };
    if dry_run {
        store.rehearse(work).map(|s| Summary { batch: None, ..s })
    } else {
        store.write(work)
    }
}

/// Stores a batch inside the caller's transaction, its rows in import
/// batch `recorder`. An indicator or target already stored is used as it
/// is (a re-import adds new vintages and changes nothing else); a row that
/// would store nothing new ([`Db::unchanged`]) is skipped and counted.
pub fn store(db: &Db, batch: &Batch, recorder: &mut crate::batch::Recorder) -> Result<Summary> {
    let mut summary = Summary {
        forecasts: batch.forecasts,
        missing: batch.missing,
        unmapped: batch.unmapped.clone(),
        not_assessed: batch.not_assessed.clone(),
        warnings: batch.warnings.clone(),
        ..Summary::default()
    };
    let stored: HashMap<String, Indicator> = db
        .indicators()?
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    for new in &batch.indicators {
        let i = &new.indicator;
        match stored.get(&i.id) {
            Some(old) if old.unit != i.unit => {
                return Err(new.place.error(format!(
                    "indicator '{}' is stored with unit '{}', but this file gives its values in '{}': map the series to another indicator",
                    i.id, old.unit, i.unit
                )));
            }
            Some(old) if selection(old) != selection(i) => {
                return Err(new.place.error(format!(
                    "indicator '{}' was imported for {}, but now stands for {}: was the order of progress_calculation_options changed?",
                    i.id,
                    selection(old).unwrap_or("another series"),
                    selection(i).unwrap_or("another series")
                )));
            }
            Some(_) => summary.indicators_kept += 1,
            None => {
                db.add_indicator(i).map_err(|e| new.place.error(e))?;
                summary.indicators_created += 1;
            }
        }
    }
    if !batch.targets.is_empty() {
        let targets: HashMap<String, Target> = db
            .targets()?
            .into_iter()
            .map(|t| (t.id.clone(), t))
            .collect();
        for new in &batch.targets {
            let t = &new.target;
            match targets.get(&t.id) {
                Some(old) => {
                    summary.targets_kept += 1;
                    if !same_promise(old.current(), &t.versions[0]) || old.indicator != t.indicator
                    {
                        summary.warnings.push(format!(
                            "{}: target '{}' is stored with other terms than the file now gives; it is left as it was (record a new version with `goalpost target revise {}`)",
                            new.place.file, t.id, t.id
                        ));
                    }
                }
                None => {
                    db.add_target(t).map_err(|e| new.place.error(e))?;
                    summary.targets_created += 1;
                }
            }
        }
    }
    // every stored vintage of the indicators touched, by indicator
    let mut vintages: HashMap<String, Vec<Observation>> = HashMap::new();
    // the rows of the file by indicator and days: a deletion leaves alone
    // a stored vintage that the same file sends again (its replacement,
    // stored by an earlier import of this file), so that importing the
    // file again changes nothing
    let mut sent: HashMap<(&str, (NaiveDate, NaiveDate)), Vec<&Observation>> = HashMap::new();
    if !batch.deletions.is_empty() {
        for row in &batch.rows {
            let o = &row.observation;
            sent.entry((o.indicator.as_str(), o.period.bounds()))
                .or_default()
                .push(o);
        }
    }
    let restated = |o: &Observation| {
        sent.get(&(o.indicator.as_str(), o.period.bounds()))
            .is_some_and(|rows| rows.iter().any(|r| same_entry(r, o)))
    };
    for d in &batch.deletions {
        let (matching, kept): (Vec<&Observation>, Vec<&Observation>) =
            vintages_of(db, &mut vintages, &d.indicator)?
                .iter()
                .filter(|o| {
                    o.retracted.is_none()
                        && o.period.bounds() == d.period.bounds()
                        && d.value.is_none_or(|v| v.to_bits() == o.value.to_bits())
                })
                .partition(|o| !restated(o));
        let matching: Vec<i64> = matching.into_iter().map(|o| o.id).collect();
        if matching.is_empty() && !kept.is_empty() {
            continue; // the file sends again what it would delete
        }
        if matching.is_empty() {
            summary.nothing_to_retract += 1;
            summary.warnings.push(format!(
                "{}:{}: deletion of {} {}: nothing stored to retract",
                d.place.file, d.place.line, d.indicator, d.period
            ));
        }
        for id in matching {
            let why = format!(
                "deleted in {} line {} (ACTION=D)",
                d.place.file, d.place.line
            );
            db.retract(id, &why).map_err(|e| d.place.error(e))?;
            summary.retracted += 1;
            if let Some(list) = vintages.get_mut(&d.indicator)
                && let Some(o) = list.iter_mut().find(|o| o.id == id)
            {
                o.retracted = Some(crate::model::Retraction {
                    at: String::new(),
                    why,
                });
            }
        }
    }
    // rows stored before this import (rows of the file itself are its
    // vintages, in order)
    let stored_up_to = db.last_observation_id()?;
    // the indicator of each row, stored or new, for its natural limit
    let mut of: HashMap<&str, &Indicator> = batch
        .indicators
        .iter()
        .map(|n| (n.indicator.id.as_str(), &n.indicator))
        .collect();
    of.extend(stored.iter().map(|(id, i)| (id.as_str(), i)));
    for row in &batch.rows {
        let o = &row.observation;
        if let Some(i) = of.get(o.indicator.as_str()) {
            i.check_standing(o).map_err(|e| row.place.error(e))?;
        }
        if db.unchanged(o, stored_up_to)? {
            summary.unchanged += 1;
            continue;
        }
        recorder.add(db, o).map_err(|e| row.place.error(e))?;
        summary.added += 1;
    }
    Ok(summary)
}

/// Two vintages say the same: period (as written: `Period` keeps its
/// form), value, qualifier, flags, source, publication date and note.
fn same_entry(a: &Observation, b: &Observation) -> bool {
    a.indicator == b.indicator
        && a.period == b.period
        && a.value.to_bits() == b.value.to_bits()
        && a.qualifier == b.qualifier
        && a.flags == b.flags
        && a.source == b.source
        && a.published == b.published
        && a.note == b.note
}

/// The stored vintages of indicator `id`, read once.
fn vintages_of<'a>(
    db: &Db,
    cache: &'a mut HashMap<String, Vec<Observation>>,
    id: &str,
) -> Result<&'a mut Vec<Observation>> {
    if !cache.contains_key(id) {
        cache.insert(id.to_string(), db.observations(Some(id))?);
    }
    Ok(cache.get_mut(id).expect("inserted above"))
}

/// The series an imported indicator stands for, as its description
/// records it (`…; selection: Series = X`), if it says.
fn selection(i: &Indicator) -> Option<&str> {
    let d = i.description.as_deref()?;
    let at = d.find(SELECTION)?;
    Some(d[at + SELECTION.len()..].lines().next().unwrap_or_default())
}

/// How an importer's description introduces the series it selected.
const SELECTION: &str = "selection: ";

/// The terms of a promise: what, from when, by when, which way.
fn same_promise(a: &TargetVersion, b: &TargetVersion) -> bool {
    a.goal == b.goal
        && a.baseline.map(|p| p.bounds()) == b.baseline.map(|p| p.bounds())
        && a.deadline.bounds() == b.deadline.bounds()
        && a.direction == b.direction
}

/// A value cannot be published before its period begins.
fn check_published(place: &Place, period: &Period, published: Option<NaiveDate>) -> Result<()> {
    match published {
        Some(d) if d < period.start() => Err(place.error(format!(
            "published {d} (--published), before the period {period} began"
        ))),
        _ => Ok(()),
    }
}
