//! The command line (product.md "Command line"): clap types only. Each
//! command's work is in `src/cmd/<name>.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;

#[derive(Debug, Parser)]
#[command(
    name = "goalpost",
    version,
    about = "Track stated policy targets against what was observed.",
    long_about = "Track stated policy targets against what was observed: progress, the growth \
                  needed, the projection at the deadline and a status by a recognised method, \
                  as known on any date. One SQLite file holds everything."
)]
pub struct Cli {
    /// The database file [default: goalpost/goalpost.db in the platform data directory]
    #[arg(long, global = true, env = "GOALPOST_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database
    Init,
    /// Add or list indicators (measured series)
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Add, revise, complete or list targets
    #[command(subcommand)]
    Target(TargetCommand),
    /// Add, list, retract or import observations
    #[command(subcommand)]
    Obs(ObsCommand),
    /// Add an observation (same as `obs add`)
    Record(ObsAdd),
    /// Import a whole data set (TOML, docs/dataset.md)
    Import(ImportArgs),
    /// Export the whole database as a data set
    Export(ExportArgs),
    /// Report every target: progress, rates, projection, status
    Report(ReportArgs),
    /// One target in detail: measures, trajectory, chart, every vintage, revisions, sources
    Show(ShowArgs),
    /// An SVG chart of one target: path, observations, projection, target, deadline
    Plot(PlotArgs),
    /// Load the built-in seed data set into a throw-away database and report on it
    Demo(DemoArgs),
    /// Check or back up the database file
    #[command(subcommand)]
    Db(DbCommand),
    /// Add, list, show or remove method profiles (an office's own variant of a method)
    #[command(subcommand)]
    Method(MethodCommand),
    /// How one target's verdict evolved as the data came in: one row per change
    History(HistoryArgs),
    /// What changed between two reports, and why (the stocktake)
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report's date (or --method-from)
    #[arg(long, value_name = "DATE", required_unless_present = "method_from")]
    pub from: Option<String>,
    /// The later report's date [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The method of both reports (or of the later one, with --method-from)
    #[arg(long, value_name = "METHOD", default_value = "eurostat")]
    pub method: String,
    /// Compare another method's report on the same date (--to) instead
    #[arg(long, value_name = "METHOD")]
    pub method_from: Option<String>,
    /// Only targets of this entity (repeatable; matches part of the name)
    #[arg(long)]
    pub entity: Vec<String>,
    /// Only targets of this kind (repeatable)
    #[arg(long, value_enum)]
    pub kind: Vec<AnyKindArg>,
    /// Compare the reports as printed on each date: the database as it stood
    /// then, by recording times (retractions and targets added in between
    /// become causes)
    #[arg(long)]
    pub as_recorded: bool,
    /// Exit with code 3 when any status got worse (for scheduled jobs)
    #[arg(long, value_name = "worse")]
    pub fail_on: Option<FailOnDiff>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOnDiff {
    /// any status that got worse
    Worse,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The target's id
    pub target: String,
    /// The method: eurostat, opensdg, unsd, pace, or a profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat")]
    pub method: String,
    /// Start on this date (its assessment opens the history)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End on this date [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Replay the database as recorded on each date (retractions, corrections
    /// and entries appear on the day they were recorded)
    #[arg(long)]
    pub as_recorded: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum MethodCommand {
    /// Add a method profile from a TOML file (docs/methods.md)
    Add(MethodAdd),
    /// List the methods: the built-in ones and the profiles added
    List(MethodListArgs),
    /// Print a method's profile as TOML (built-ins too: a start for your own)
    Show(MethodShow),
    /// Remove a profile that was added (built-in methods stay)
    Remove(MethodShow),
}

#[derive(Debug, Args)]
pub struct MethodAdd {
    /// The profile, a TOML file ('-' for standard input)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct MethodShow {
    /// The method's name
    pub name: String,
}

#[derive(Debug, Args)]
pub struct MethodListArgs {
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Run SQLite's integrity and foreign-key checks
    Check,
    /// Copy the database with SQLite's online backup (safe while in use)
    Backup(DbBackup),
}

#[derive(Debug, Args)]
pub struct DbBackup {
    /// The new file to write
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Add an indicator
    Add(IndicatorAdd),
    /// List indicators
    List(FormatArgs),
    /// Correct an entry error in an indicator (logged; the unit only while it has no observations)
    Edit(IndicatorEdit),
}

#[derive(Debug, Args)]
pub struct IndicatorEdit {
    /// The indicator's id
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub entity: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// A natural limit, e.g. 100 for a share ('none' to remove it)
    #[arg(long, allow_hyphen_values = true)]
    pub limit: Option<String>,
    /// Only while the indicator has no observation
    #[arg(long)]
    pub unit: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndicatorAdd {
    /// Its id, e.g. agri-exports
    pub id: String,
    /// Its name in reports
    #[arg(long)]
    pub name: String,
    /// USD, BYN, EUR, %, jobs, residents, t, count, …
    #[arg(long)]
    pub unit: String,
    /// Who or what it measures: a country, a zone, a company
    #[arg(long)]
    pub entity: Option<String>,
    /// stock: a level at an instant; flow: an amount per period
    #[arg(long, value_enum, default_value = "stock")]
    pub measure: MeasureArg,
    /// Lower values are better (emissions, poverty)
    #[arg(long)]
    pub lower_is_better: bool,
    /// A natural limit, e.g. 100 for a share (Open SDG)
    #[arg(long, allow_hyphen_values = true)]
    pub limit: Option<String>,
    /// What is measured, and how
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MeasureArg {
    Stock,
    Flow,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Level,
    Cumulative,
}

/// A status, as `report --status` takes it.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum StatusArg {
    Missed,
    MovingAway,
    OffTrack,
    Stalled,
    AtRisk,
    Overdue,
    NoData,
    Pending,
    OnTrack,
    Achieved,
    Withdrawn,
}

/// A target kind, as `report --kind` takes it.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AnyKindArg {
    Level,
    Cumulative,
    Trend,
    Milestone,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    Increase,
    Decrease,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PathArg {
    Linear,
    Compound,
}

#[derive(Debug, Subcommand)]
pub enum TargetCommand {
    /// Add a target
    Add(TargetAdd),
    /// Revise a target: a new version in force from --effective; the old one is kept
    Revise(TargetRevise),
    /// Mark a milestone done
    Done(TargetDone),
    /// Record a dated, sourced statement that a milestone was still not done
    #[command(name = "not-done")]
    NotDone(TargetNotDone),
    /// Correct an entry error in a target's text (logged; not a revision)
    Edit(TargetEdit),
    /// Record that a target was withdrawn or repealed (from that date: withdrawn)
    Withdraw(TargetWithdraw),
    /// List targets
    List(TargetListArgs),
}

/// The fields a target states (shared by `add` and `revise`).
#[derive(Debug, Args, Default)]
pub struct TargetFields {
    /// The promised value: 7bn, $7bn, 4,000
    #[arg(long, allow_hyphen_values = true, conflicts_with = "change")]
    pub value: Option<String>,
    /// The promised change from the baseline: +25%, -30%, +1000, +2pp
    #[arg(long, allow_hyphen_values = true)]
    pub change: Option<String>,
    /// The direction; alone, a trend target without a number
    #[arg(long, value_enum)]
    pub direction: Option<DirectionArg>,
    /// The baseline period, with its value if the policy states one: 2020 or 2020=5.8bn
    #[arg(long, allow_hyphen_values = true, value_name = "PERIOD[=QTY]")]
    pub baseline: Option<String>,
    /// The deadline period: 2025, 2022-10, 2021-H1
    #[arg(long, value_name = "PERIOD")]
    pub deadline: Option<String>,
    /// Cumulative targets: the window's first period
    #[arg(long, value_name = "PERIOD")]
    pub from: Option<String>,
    /// The required path's shape
    #[arg(long, value_enum)]
    pub path: Option<PathArg>,
    /// An intermediate point of the path, PERIOD=QTY (repeatable)
    #[arg(
        long = "waypoint",
        allow_hyphen_values = true,
        value_name = "PERIOD=QTY"
    )]
    pub waypoints: Vec<String>,
    /// A short title for reports
    #[arg(long)]
    pub title: Option<String>,
    /// The promise in the source's words
    #[arg(long)]
    pub quote: Option<String>,
    /// An English gloss of the quote
    #[arg(long)]
    pub gloss: Option<String>,
    /// The source's address
    #[arg(long)]
    pub url: Option<String>,
    /// A note kept with the target
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct TargetAdd {
    /// Its id, e.g. agri-2025
    pub id: String,
    /// The indicator that measures it (not needed for milestones)
    #[arg(long)]
    pub indicator: Option<String>,
    /// An event by the deadline, without a number
    #[arg(long, conflicts_with_all = ["value", "change", "kind"])]
    pub milestone: bool,
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Where the promise was made
    #[arg(long)]
    pub source: Option<String>,
    #[command(flatten)]
    pub fields: TargetFields,
}

#[derive(Debug, Args)]
pub struct TargetRevise {
    /// The target's id
    pub id: String,
    /// Why and where it was revised (required)
    #[arg(long)]
    pub source: String,
    /// The date from which the new version is in force [default: today]
    #[arg(long, value_name = "DATE")]
    pub effective: Option<String>,
    #[command(flatten)]
    pub fields: TargetFields,
}

#[derive(Debug, Args)]
pub struct TargetDone {
    /// The milestone's id
    pub id: String,
    /// The completion date
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// Where the completion is reported
    #[arg(long)]
    pub source: Option<String>,
    /// The completion source's address
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct TargetEdit {
    /// The target's id
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    /// The promise as the source words it
    #[arg(long)]
    pub quote: Option<String>,
    /// An English gloss of the quote
    #[arg(long)]
    pub gloss: Option<String>,
    /// The citation of the target's source
    #[arg(long)]
    pub source: Option<String>,
    /// The source's address
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct TargetWithdraw {
    /// The target's id
    pub id: String,
    /// The date from which it no longer applies
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// Where the withdrawal or repeal is recorded
    #[arg(long)]
    pub source: String,
    /// The withdrawal's address
    #[arg(long)]
    pub url: Option<String>,
    /// Why it was withdrawn (in a few words)
    #[arg(long)]
    pub why: String,
}

#[derive(Debug, Args)]
pub struct TargetNotDone {
    /// The milestone's id
    pub id: String,
    /// The date on which it was still not done (past the deadline: missed)
    #[arg(long = "as-of", value_name = "DATE")]
    pub as_of: String,
    /// Who says so: a statement must name its source
    #[arg(long)]
    pub source: String,
    /// The statement's address
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct TargetListArgs {
    /// Every version, not only the current one
    #[arg(long)]
    pub history: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum ObsCommand {
    /// Add an observation (a new vintage if the period already has one)
    Add(ObsAdd),
    /// List observations: the current value per period, or --history
    List(ObsList),
    /// Retract an entry error (kept, with the reason, never counted)
    Retract(ObsRetract),
    /// Import observations from CSV: all rows or none
    Import(ObsImport),
}

#[derive(Debug, Args)]
pub struct ObsAdd {
    /// The indicator's id
    pub indicator: String,
    /// 2021, 2021-Q3, 2021-07-15, 2022-01..2022-08, …
    pub period: String,
    /// 6.7bn, $6.7bn, 4,000, -3.5bn
    #[arg(allow_hyphen_values = true)]
    pub value: String,
    /// about, more_than, less_than, at_least, at_most
    #[arg(long)]
    pub qualifier: Option<String>,
    /// Where the value comes from: the citation
    #[arg(long)]
    pub source: Option<String>,
    /// The source's address
    #[arg(long)]
    pub url: Option<String>,
    /// When it was published [default: counts as the period's last day]
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// A note kept with the value
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ObsList {
    pub indicator: Option<String>,
    /// Every vintage, superseded and retracted ones included
    #[arg(long)]
    pub history: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct ObsRetract {
    /// The observation's id (see obs list --history)
    pub id: String,
    /// Why it is wrong
    #[arg(long)]
    pub why: String,
}

#[derive(Debug, Args)]
pub struct ObsImport {
    /// CSV with header indicator,period,value[,qualifier,source,url,published,note]
    pub file: PathBuf,
    /// Check every row as the import would, then store nothing
    #[arg(long)]
    pub dry_run: bool,
    /// No progress bar (there is none when standard error is not a terminal)
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The data set file (TOML, docs/dataset.md)
    pub file: PathBuf,
    /// Check the data set without storing it
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to FILE instead of standard output ('-' for standard output)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Where and how an output command prints.
#[derive(Debug, Args, Clone)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to FILE instead of standard output ('-' for standard output)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// The date the report is as of: what was known then [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The database as it stood at the end of the as-of date, by its recording
    /// times: reproduces the report printed that day
    #[arg(long)]
    pub as_recorded: bool,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat")]
    pub method: String,
    /// Only targets of this entity (repeatable; matches part of the name)
    #[arg(long)]
    pub entity: Vec<String>,
    /// Only targets with this status (repeatable)
    #[arg(long, value_enum)]
    pub status: Vec<StatusArg>,
    /// Only targets of this kind (repeatable)
    #[arg(long, value_enum)]
    pub kind: Vec<AnyKindArg>,
    /// Exit with code 3 when any target has one of these statuses (for scheduled jobs)
    #[arg(long, value_name = "STATUS,…", value_delimiter = ',', value_enum)]
    pub fail_on: Vec<StatusArg>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The target's id
    pub target: String,
    /// The date the view is as of: what was known then [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The database as it stood at the end of the as-of date, by its recording
    /// times: reproduces the report printed that day
    #[arg(long)]
    pub as_recorded: bool,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat")]
    pub method: String,
    #[command(flatten)]
    pub format: FormatArgs,
    /// Plain ASCII instead of Unicode lines and symbols
    #[arg(long)]
    pub ascii: bool,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// The target's id
    pub target: String,
    /// The SVG file to write ('-' for standard output)
    #[arg(short, long, value_name = "FILE.svg")]
    pub output: PathBuf,
    /// The date the chart is as of [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat")]
    pub method: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub report: ReportArgs,
}
