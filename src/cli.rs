//! The command line (product.md "Command line"): clap types only. Each
//! command's work is in `src/cmd/<name>.rs`.

use std::path::PathBuf;

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};

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

    /// Colour the statuses: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces
    /// it), always, never. Never in a file written with -o
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorWhen,

    /// Fit tables and text to N columns (0: no limit) [default: COLUMNS, else the terminal's
    /// width; output into a pipe or a file is not cut]
    #[arg(long, global = true, value_name = "N")]
    pub width: Option<usize>,

    /// Plain ASCII lines and signs instead of Unicode (also under TERM=dumb or a locale that is
    /// not UTF-8)
    #[arg(long, global = true)]
    pub ascii: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database
    Init,
    /// Add or list indicators (measured series)
    #[command(subcommand)]
    Indicator(Later<IndicatorCommand>),
    /// Add, revise, complete or list targets
    #[command(subcommand)]
    Target(Later<TargetCommand>),
    /// Add, list, retract or import observations
    #[command(subcommand)]
    Obs(Later<ObsCommand>),
    /// Add an observation (same as `obs add`)
    Record(Later<ObsAdd>),
    /// Import a whole data set (TOML, docs/dataset.md)
    #[command(after_help = "Examples:
  goalpost import fixtures/seed.toml
  goalpost import --dry-run mydata.toml      check every line, store nothing
  goalpost export -o backup.toml && goalpost --db copy.db import backup.toml")]
    Import(Later<ImportArgs>),
    /// Export the whole database as a data set
    Export(Later<ExportArgs>),
    /// Report every target: progress, rates, projection, status
    #[command(after_help = "Examples:
  goalpost report                                  as of today, by Eurostat's method
  goalpost report --as-of 2024                     what was known on 2024-12-31
  goalpost report --status off_track --status moving_away --entity Belarus
  goalpost report --method pace --kind cumulative
  goalpost report --group-by programme --summary   per programme: targets in each status
  goalpost report --tag exports --group-by owner
  goalpost report -o report.html                   a page (the extension chooses the format)
  goalpost report --format csv | sqlite-utils insert data.db report - --csv")]
    Report(Later<ReportArgs>),
    /// One target in detail: measures, trajectory, chart, every vintage, revisions, sources
    #[command(after_help = "Examples:
  goalpost show agri-2025
  goalpost show agri-2025 --as-of 2022-06      the view as known at the end of June 2022
  goalpost show agri-2025 -o agri-2025.md      Markdown, for a note or an issue
  goalpost show agri-2025 --format json | jq .target.status")]
    Show(Later<ShowArgs>),
    /// An SVG chart of one target: path, observations, projection, target, deadline
    #[command(after_help = "Examples:
  goalpost plot agri-2025 -o agri-2025.svg
  goalpost plot agri-2025 --as-of 2023 -o - > then.svg")]
    Plot(Later<PlotArgs>),
    /// Load the built-in seed data set into a throw-away database and report on it
    Demo(Later<DemoArgs>),
    /// Check or back up the database file
    #[command(subcommand)]
    Db(Later<DbCommand>),
    /// Add, list, show or remove method profiles (an office's own variant of a method)
    #[command(subcommand)]
    Method(Later<MethodCommand>),
    /// How one target's verdict evolved as the data came in: one row per change
    History(Later<HistoryArgs>),
    /// What changed between two reports, and why (the stocktake)
    Diff(Later<DiffArgs>),
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish
    #[command(after_help = "Examples:
  goalpost completions bash > ~/.local/share/bash-completion/completions/goalpost
  goalpost completions zsh > ~/.zfunc/_goalpost
  goalpost completions fish > ~/.config/fish/completions/goalpost.fish")]
    Completions(Later<CompletionsArgs>),
    /// Print the manual page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:
  goalpost man | man -l -
  goalpost man --dir ~/.local/share/man/man1")]
    Man(Later<ManArgs>),
}

/// A command's arguments (or its own commands), added to its clap command
/// only when that command is the one parsed: a run builds its own
/// command's arguments rather than every command's (building them all was
/// most of clap's part in starting up, about a seventh of the instructions of
/// `goalpost obs add`). What looks at every command at once (completions,
/// the manual) builds them all first: [`whole_command`].
#[derive(Debug)]
pub struct Later<T>(pub T);

/// Whether [`Later`] adds what it holds at once (see [`whole_command`]).
static WHOLE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The command line with every command's arguments and commands added at
/// once, as completions and the manual need them (their help subcommand
/// lists the commands below each command; a command added later would be
/// missing from it).
pub fn whole_command() -> clap::Command {
    use clap::CommandFactory;
    WHOLE.store(true, std::sync::atomic::Ordering::Relaxed);
    Cli::command()
}

/// `cmd` with `add` applied now if every command is being built at once,
/// else `deferred` (`add` keeping the command's words) when clap builds it.
fn later(
    cmd: clap::Command,
    add: fn(clap::Command) -> clap::Command,
    deferred: fn(clap::Command) -> clap::Command,
) -> clap::Command {
    if WHOLE.load(std::sync::atomic::Ordering::Relaxed) {
        add(cmd)
    } else {
        cmd.defer(deferred)
    }
}

/// `add` applied to `cmd`, keeping the about and long about that the
/// command's own doc comment gave it: `add` (a struct's doc comment, a
/// flattened struct's) would replace them, where applied first it was
/// overridden by them.
fn keeping_words(cmd: clap::Command, add: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = add(cmd);
    let cmd = match about {
        Some(about) => cmd.about(about),
        None => cmd.about(None::<&str>),
    };
    match long_about {
        Some(long_about) => cmd.long_about(long_about),
        None => cmd.long_about(None::<&str>),
    }
}

fn args_later<T: Args>(cmd: clap::Command) -> clap::Command {
    keeping_words(cmd, T::augment_args)
}

fn args_for_update_later<T: Args>(cmd: clap::Command) -> clap::Command {
    keeping_words(cmd, T::augment_args_for_update)
}

fn commands_later<T: Subcommand>(cmd: clap::Command) -> clap::Command {
    keeping_words(cmd, T::augment_subcommands)
}

fn commands_for_update_later<T: Subcommand>(cmd: clap::Command) -> clap::Command {
    keeping_words(cmd, T::augment_subcommands_for_update)
}

impl<T: Args> Args for Later<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        later(cmd, T::augment_args, args_later::<T>)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        later(cmd, T::augment_args_for_update, args_for_update_later::<T>)
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: Subcommand> Subcommand for Later<T> {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        later(cmd, T::augment_subcommands, commands_later::<T>)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        later(
            cmd,
            T::augment_subcommands_for_update,
            commands_for_update_later::<T>,
        )
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

impl<T: FromArgMatches> FromArgMatches for Later<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Later)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Later)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report's date (or --method-from): YYYY-MM-DD, today, yesterday, or a period
    /// for its last day
    #[arg(long, value_name = "DATE", required_unless_present = "method_from")]
    pub from: Option<String>,
    /// The later report's date, in the same forms [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The method of both reports (or of the later one, with --method-from)
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
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
    #[command(flatten)]
    pub labels: LabelFilterArgs,
    /// Only targets whose indicator has this dimension: KEY=VALUE, or KEY for any value
    /// (repeatable: all must match; in any case)
    #[arg(long = "dim", value_name = "KEY[=VALUE]")]
    pub dims: Vec<crate::model::DimFilter>,
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
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
    pub method: String,
    /// Start on this date (its assessment opens the history): YYYY-MM-DD, today, yesterday, or a
    /// period for its first day (2024 is 2024-01-01)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End on this date: YYYY-MM-DD, today, yesterday, or a period for its last day
    /// [default: today]
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

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write goalpost.1 and a page per command (goalpost-report.1, …) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
    #[command(after_help = "Examples:
  goalpost indicator add agri --name 'Agri-food exports' --unit USD --measure flow --entity Belarus
  goalpost indicator add uk-spend --name 'Public spending' --unit GBP --measure flow --year-start 04
      (fiscal years from April: its 2010, FY2010 and 2009/10 are April 2009 to March 2010)")]
    Add(IndicatorAdd),
    /// List indicators
    List(IndicatorListArgs),
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
    /// The month its year starts in (only while it has no observation or target)
    #[arg(long, value_name = "MM")]
    pub year_start: Option<String>,
    /// Set a dimension, KEY=VALUE; KEY= removes it (repeatable)
    #[arg(long = "dim", value_name = "KEY=VALUE")]
    pub dims: Vec<String>,
    /// The headline indicator this one disaggregates ('none' to remove it)
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndicatorListArgs {
    /// Only indicators with this dimension: KEY=VALUE, or KEY for any value (repeatable: all
    /// must match; in any case)
    #[arg(long = "dim", value_name = "KEY[=VALUE]")]
    pub dims: Vec<crate::model::DimFilter>,
    #[command(flatten)]
    pub format: FormatArgs,
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
    /// The month its year starts in: 04 for fiscal years from April, whose
    /// 2010 (also FY2010, 2009/10) is April 2009 to March 2010
    #[arg(long, value_name = "MM", default_value = "01")]
    pub year_start: String,
    /// A dimension of what it measures, KEY=VALUE: sex=female, age=15-24, geo=BY-MI (repeatable)
    #[arg(long = "dim", value_name = "KEY=VALUE")]
    pub dims: Vec<String>,
    /// The headline indicator this one disaggregates
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
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
    #[command(after_help = "Examples:
  goalpost target add agri-2025 --indicator agri --baseline 2020=5.8bn --value '$7bn' \\
      --deadline 2025 --path compound --title 'Agri-food exports to $7bn by 2025'
  goalpost target add exports-3rd --indicator eaeu-exports --baseline 2020 --change +25% --deadline 2025
  goalpost target add jobs --indicator fez-jobs --kind cumulative --from 2021 --value 4000 --deadline 2025
  goalpost target add stadium --milestone --deadline 2023 --title 'National stadium completed'")]
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
    #[command(flatten)]
    pub labels: LabelArgs,
}

/// Where a target is filed for roll-ups (`target add`, `target edit`).
#[derive(Debug, Args, Default)]
pub struct LabelArgs {
    /// The programme it belongs to, e.g. "EAEU Strategy 2025" (edit: '' removes it)
    #[arg(long)]
    pub programme: Option<String>,
    /// The body responsible for it, e.g. "Ministry of Agriculture" (edit: '' removes it)
    #[arg(long)]
    pub owner: Option<String>,
    /// A tag, e.g. exports (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// Only targets filed so (`report`, `target list`; each repeatable, any
/// of its values; '(none)' for targets without one).
#[derive(Debug, Args, Default, Clone)]
pub struct LabelFilterArgs {
    /// Only targets of this programme (matches part of the name)
    #[arg(long = "programme", value_name = "PROGRAMME")]
    pub programmes: Vec<String>,
    /// Only targets of this owner (matches part of the name)
    #[arg(long = "owner", value_name = "OWNER")]
    pub owners: Vec<String>,
    /// Only targets with this tag
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
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
    #[command(flatten)]
    pub labels: LabelArgs,
    /// Take a tag off (repeatable)
    #[arg(long = "untag", value_name = "TAG")]
    pub untag: Vec<String>,
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
    /// The date on which it was still not done (past the deadline: missed): YYYY-MM-DD, today,
    /// yesterday, or a period for its last day
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
    /// Only targets of this entity (repeatable; matches part of the name)
    #[arg(long)]
    pub entity: Vec<String>,
    /// Only targets of this kind (repeatable)
    #[arg(long, value_enum)]
    pub kind: Vec<AnyKindArg>,
    #[command(flatten)]
    pub labels: LabelFilterArgs,
    /// Only targets with this status on the --as-of date (repeatable)
    #[arg(long, value_enum)]
    pub status: Vec<StatusArg>,
    /// The date --status is judged on: today, yesterday, YYYY-MM-DD or a period for its last
    /// day [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The method --status is judged by: eurostat, opensdg, unsd, pace, or a profile
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
    pub method: String,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Subcommand)]
pub enum ObsCommand {
    /// Add an observation (a new vintage if the period already has one)
    #[command(after_help = "Examples:
  goalpost obs add agri 2021 6.7bn --published 2022-02-11 --source 'Minister I. Brylo, 11 Feb 2022'
  goalpost obs add agri 2022-01..2022-08 5.168bn --note 'eight months'
  goalpost obs add fez-jobs 2021 1000 --qualifier more_than
  goalpost obs add uk-spend 2009/10 £812bn           (an indicator with --year-start 04: FY2010)
  goalpost record agri 2023 7.5bn --qualifier less_than          (record is obs add)")]
    Add(ObsAdd),
    /// List observations: the current value per period, or --history
    List(ObsList),
    /// Retract entry errors (kept, with the reason, never counted): ids, or a whole import batch
    #[command(after_help = "Examples:
  goalpost obs retract 12 --why 'typed 110 for 101'
  goalpost obs retract 12 13 14 --why 'the ministry withdrew these figures'
  goalpost obs retract --batch 3 --why 'imported the wrong file'   (see goalpost obs batches)")]
    Retract(ObsRetract),
    /// Import observations from CSV ('-' for standard input): all rows or none
    #[command(after_help = "Examples:
  goalpost obs import actuals.csv --dry-run     check every row, store nothing
  goalpost obs import actuals.csv               again: a no-op (rows already stored are unchanged)
  goalpost obs import export.tsv --decimal-comma --ignore-columns
  goalpost obs list --format csv | goalpost --db copy.db obs import -
A file:
  indicator,period,value,qualifier,source,published
  agri,2023,7.5bn,less_than,President's speech,2024-04-16")]
    Import(ObsImport),
    /// List the import batches: when, what file, how many rows (undo one with obs retract --batch N)
    Batches(FormatArgs),
}

#[derive(Debug, Args)]
pub struct ObsAdd {
    /// The indicator's id
    pub indicator: String,
    /// 2021, 2021-Q3, 2021-07-15, 2022-01..2022-08, …; fiscal years: 2009/10, FY2010
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
    /// What the publisher says of the value: provisional, estimated, break, … (repeatable;
    /// docs/dataset.md lists them)
    #[arg(long, value_name = "WORD")]
    pub flag: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ObsList {
    /// Only this indicator's observations
    pub indicator: Option<String>,
    /// Every vintage, superseded and retracted ones included
    #[arg(long)]
    pub history: bool,
    /// Only periods from this one on (a period or a date: 2021, 2021-07, 2021-07-15)
    #[arg(long, value_name = "PERIOD")]
    pub since: Option<String>,
    /// Only periods up to the end of this one (a period or a date)
    #[arg(long, value_name = "PERIOD")]
    pub until: Option<String>,
    /// Only observations whose source (citation or address) contains TEXT, in any case
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Only indicators of this entity (repeatable; matches part of the name)
    #[arg(long)]
    pub entity: Vec<String>,
    /// Only the rows import batch N stored, superseded and retracted ones included (obs batches)
    #[arg(long, value_name = "N")]
    pub batch: Option<String>,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct ObsRetract {
    /// The observations' ids (see obs list --history): all are retracted, or none
    #[arg(
        value_name = "ID",
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub ids: Vec<String>,
    /// Retract every row of import batch N not yet retracted (obs batches)
    #[arg(long, value_name = "N")]
    pub batch: Option<String>,
    /// Why it is wrong
    #[arg(long)]
    pub why: String,
}

#[derive(Debug, Args)]
pub struct ObsImport {
    /// CSV with header indicator,period,value[,qualifier,source,url,published,note,flags];
    /// or a file as published (--format, docs/import.md); '-' for standard input
    pub file: PathBuf,
    /// Check every row as the import would, then store nothing
    #[arg(long)]
    pub dry_run: bool,
    /// No progress bar (there is none when standard error is not a terminal)
    #[arg(long, short)]
    pub quiet: bool,
    /// The file's format: goalpost's own CSV, or as published
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ObsFormat,
    /// Assign a series to an existing indicator: a dotted key (A.BY.SI_POV_DAY1)
    /// or dimension pairs (SERIES=SI_POV_DAY1,REF_AREA=BY), then =INDICATOR (repeatable)
    #[arg(long = "map", value_name = "KEY=INDICATOR")]
    pub maps: Vec<crate::import::Map>,
    /// Create an indicator, named from its key, for every series not mapped
    #[arg(long)]
    pub create: bool,
    /// When what this file brings was published [default: each value counts as published at its period's end]
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// goalpost's CSV: the delimiter, ',' ';' or tab ('\t') [default: tab for .tsv, else the one
    /// the header line uses]
    #[arg(long, value_name = "CHAR", value_parser = delimiter)]
    pub delimiter: Option<u8>,
    /// goalpost's CSV: values are written 7,5 (and 1.234,5); not with a comma delimiter
    #[arg(long)]
    pub decimal_comma: bool,
    /// goalpost's CSV: skip columns it does not know (else an error naming them)
    #[arg(long)]
    pub ignore_columns: bool,
}

/// `--delimiter`: `,` `;` or a tab (`\t`, `tab`).
fn delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\\t" | "\t" | "tab" => Ok(b'\t'),
        _ => Err(format!(
            "'{s}' is not a delimiter goalpost reads: ',', ';' or tab ('\\t')"
        )),
    }
}

/// The formats of `obs import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObsFormat {
    /// goalpost's CSV: indicator,period,value[,…]
    Csv,
    /// SDMX-CSV, version 1 or 2
    SdmxCsv,
    /// World Bank WDI / Data360 CSV, wide or long
    Wdi,
    /// Eurostat TSV (freq,unit,geo\TIME_PERIOD)
    EurostatTsv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The data set file (TOML, docs/dataset.md; '-' for standard input); with
    /// --format opensdg, an Open SDG data repository (a folder)
    pub file: PathBuf,
    /// Check the data set without storing it
    #[arg(long)]
    pub dry_run: bool,
    /// What FILE is: a goalpost data set, or an Open SDG data repository
    #[arg(long, value_enum, default_value = "dataset")]
    pub format: ImportFormat,
    /// Open SDG: the language whose translations apply (translations/CODE/)
    /// [default: the first of config_data.yml's languages, else en]
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,
    /// Open SDG: when this state of the repository was published
    /// [default: each value counts as published at its period's end]
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

/// The formats of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// goalpost's data set (TOML)
    Dataset,
    /// An Open SDG data repository (data/, indicator-config/, meta/)
    Opensdg,
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
    /// The output format [default: the one -o FILE's extension names (.csv .md .json .html
    /// .txt), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output ('-' for standard output); its extension
    /// chooses the format unless --format is given
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// CSV: begin with a UTF-8 byte-order mark, for spreadsheets (Excel) that otherwise read
    /// the text as another encoding
    #[arg(long)]
    pub bom: bool,
}

/// `--help` of `--method`: what each method means, one line each.
pub const METHOD_HELP: &str = "The method that assigns the status (methodology.md §6):
  eurostat  actual over required growth: 0.95+ on track, 0.6+ at risk
  opensdg   Open SDG 2.4: as eurostat, its conventions, scores -5 to 5
  unsd      UNSD: the share of the distance projected by the deadline
  pace      distance covered over what the target's own path needed
  NAME      a profile added with `goalpost method add`";

#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// The date the report is as of, what was known then: today, yesterday, YYYY-MM-DD, or a
    /// period for its last day (2024, 2024-Q2, 2024-06) [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The database as it stood at the end of the as-of date, by its recording
    /// times: reproduces the report printed that day
    #[arg(long)]
    pub as_recorded: bool,
    /// Eurostat's assessment window: the growth of the last N years against
    /// the growth required from the window's start (5: the short-term, 15:
    /// the long-term assessment); methods whose profile has a window
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub window: Option<u32>,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
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
    /// Only targets whose indicator has this dimension: KEY=VALUE, or KEY for any value
    /// (repeatable: all must match; in any case)
    #[arg(long = "dim", value_name = "KEY[=VALUE]")]
    pub dims: Vec<crate::model::DimFilter>,
    #[command(flatten)]
    pub labels: LabelFilterArgs,
    /// Roll the targets up: per group, the count in each status and the share assessed,
    /// then the group's rows
    /// (programme, owner, entity, tag: a target with several tags is in each of their groups;
    /// dim:KEY: the value of a dimension of the target's indicator, e.g. dim:sex)
    #[arg(long, value_name = "BY")]
    pub group_by: Option<crate::report::GroupBy>,
    /// With --group-by: the group table alone, without the rows
    #[arg(long, requires = "group_by")]
    pub summary: bool,
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
    /// The date the view is as of, what was known then: today, yesterday, YYYY-MM-DD, or a
    /// period for its last day (2024, 2024-Q2, 2024-06) [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The database as it stood at the end of the as-of date, by its recording
    /// times: reproduces the report printed that day
    #[arg(long)]
    pub as_recorded: bool,
    /// Eurostat's assessment window: the growth of the last N years against
    /// the growth required from the window's start (5: the short-term, 15:
    /// the long-term assessment); methods whose profile has a window
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub window: Option<u32>,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
    pub method: String,
    #[command(flatten)]
    pub format: FormatArgs,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// The target's id
    pub target: String,
    /// The SVG file to write ('-' for standard output)
    #[arg(short, long, value_name = "FILE.svg")]
    pub output: PathBuf,
    /// The date the chart is as of: today, yesterday, YYYY-MM-DD, or a period for its last
    /// day (2024, 2024-Q2, 2024-06) [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The method: eurostat (Eurostat's growth ratio), opensdg (Open SDG 2.4),
    /// unsd (UNSD's anticipated progress), pace (delivery pace), or a
    /// profile added with `method add`
    #[arg(long, value_name = "METHOD", default_value = "eurostat", long_help = METHOD_HELP)]
    pub method: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub report: ReportArgs,
}
