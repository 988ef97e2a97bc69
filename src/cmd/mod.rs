//! One file per command (as xsv and zoxide do): each parses its arguments,
//! calls the store and the engine, and hands a report to a renderer.
//! `main.rs` only dispatches here.

mod completions;
mod db;
mod demo;
mod diff;
mod export;
mod history;
mod import;
mod indicator;
mod init;
mod input;
mod lanes;
mod man;
mod method;
mod obs;
mod obs_import;
mod plot;
mod published;
mod report;
mod show;
mod target;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::cli::{Cli, Command, FormatArgs, Later};
use crate::error::{Error, Result};
use crate::parse;
use crate::render::{Format, Look};
use crate::store::Store;
use crate::terminal::{self, Asked, Env};

/// What every command needs: where the database is, and what the output
/// should look like where it goes.
pub struct Ctx {
    db: Option<PathBuf>,
    asked: Asked,
    env: Env,
}

impl Ctx {
    fn path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(p) => Ok(p.clone()),
            None => Store::default_path(),
        }
    }

    /// Opens the database to write to it, creating it on first write.
    fn open_for_write(&self) -> Result<Store> {
        Store::open(&self.path()?, true)
    }

    /// Opens an existing database.
    fn open(&self) -> Result<Store> {
        Store::open(&self.path()?, false)
    }

    /// The look of text written to `output` (`-o FILE`; none or `-` is
    /// standard output).
    fn look(&self, output: Option<&Path>) -> Look {
        let to_file = output.is_some_and(|p| p != Path::new("-"));
        terminal::look(&self.env, self.asked, to_file)
    }
}

/// The format an output command writes: `--format`, else the one the
/// output file's extension names (`.csv .md .json .html .txt`), else a
/// table. A `--format` that contradicts the extension, or an extension
/// for a format the command does not write (`.svg`, `.png`), is a usage
/// error naming both.
fn format(f: &FormatArgs) -> Result<Format> {
    let format = format_named(f)?;
    if f.bom && format != Format::Csv {
        return Err(Error::usage(format!(
            "--bom goes with CSV output (--format csv or -o FILE.csv), not {}",
            format.name()
        )));
    }
    Ok(format)
}

/// The format `--format` and `-o FILE` name (see [`format`]).
fn format_named(f: &FormatArgs) -> Result<Format> {
    let file = f.output.as_deref().filter(|p| *p != Path::new("-"));
    let extension = file
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let named = |e: &str| -> Option<Option<Format>> {
        Some(match e {
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "html" | "htm" => Some(Format::Html),
            // any text: a table unless --format says otherwise
            "txt" | "text" => None,
            _ => return None,
        })
    };
    let shown = |p: &Path| p.display().to_string();
    match (f.format, extension.as_deref()) {
        (given, Some(e)) if OTHER_FORMATS.contains(&e) => Err(Error::usage(format!(
            "-o {} names a .{e} file, which this command does not write{}: it writes {}; for a chart, goalpost plot TARGET -o FILE.svg",
            shown(file.unwrap_or(Path::new(""))),
            given
                .map(|g| format!(" (and --format {} was given)", g.name()))
                .unwrap_or_default(),
            Format::NAMES,
        ))),
        (Some(given), Some(e)) => match named(e) {
            Some(Some(implied)) if implied != given => Err(Error::usage(format!(
                "--format {} contradicts -o {} (a .{e} file is {}): give one of them, or make them agree",
                given.name(),
                shown(file.unwrap_or(Path::new(""))),
                implied.name()
            ))),
            _ => Ok(given),
        },
        (Some(given), None) => Ok(given),
        (None, Some(e)) => Ok(named(e).flatten().unwrap_or(Format::Table)),
        (None, None) => Ok(Format::Table),
    }
}

/// Extensions of formats no list or report command writes.
const OTHER_FORMATS: [&str; 11] = [
    "svg", "png", "jpg", "jpeg", "gif", "webp", "pdf", "eps", "ps", "tif", "tiff",
];

/// Whether `command` reads or writes a whole portfolio (or a file of any
/// size): it allocates with mimalloc, the others with the system's
/// allocator, which starts and ends sooner (see alloc.rs). Not the lists:
/// under mimalloc `obs list` kept more memory the longer the list (60 MiB
/// at 1.2 million lines, 30 MiB under the system's allocator).
fn reads_or_writes_a_portfolio(command: &Command) -> bool {
    use crate::cli::ObsCommand;
    matches!(
        command,
        Command::Import(_)
            | Command::Export(_)
            | Command::Report(_)
            | Command::Demo(_)
            | Command::Db(_)
            | Command::History(_)
            | Command::Diff(_)
            | Command::Obs(Later(ObsCommand::Import(_)))
    )
}

/// Runs the command; what it prints goes to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Ctx {
        db: cli.db,
        asked: Asked {
            color: cli.color,
            width: cli.width,
            ascii: cli.ascii,
        },
        env: Env::current(),
    };
    if reads_or_writes_a_portfolio(&cli.command) {
        crate::alloc::bulk();
    }
    match cli.command {
        Command::Init => init::run(&ctx, out),
        Command::Indicator(Later(c)) => indicator::run(&ctx, c, out),
        Command::Target(Later(c)) => target::run(&ctx, c, out),
        Command::Obs(Later(c)) => obs::run(&ctx, c, out),
        Command::Record(Later(a)) => obs::add(&ctx, a, out),
        Command::Import(Later(a)) => import::run(&ctx, a, out),
        Command::Export(Later(a)) => export::run(&ctx, a, out),
        Command::Report(Later(a)) => report::run(&ctx, a, out),
        Command::Show(Later(a)) => show::run(&ctx, a, out),
        Command::Plot(Later(a)) => plot::run(&ctx, a, out),
        Command::Demo(Later(a)) => demo::run(&ctx, a, out),
        Command::Db(Later(c)) => db::run(&ctx, c, out),
        Command::Method(Later(c)) => method::run(&ctx, c, out),
        Command::History(Later(a)) => history::run(&ctx, a, out),
        Command::Diff(Later(a)) => diff::run(&ctx, a, out),
        Command::Completions(Later(a)) => completions::run(a, out),
        Command::Man(Later(a)) => man::run(a, out),
    }
}

/// Today, on the local calendar.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The as-of date: the one given (`today`, `yesterday`, a date, or a
/// period's last day: `2024`, `2024-06`, `2024-Q2`), or today.
fn as_of(given: Option<&str>) -> Result<NaiveDate> {
    match given {
        Some(d) => Ok(parse::as_of(d, today())?),
        None => Ok(today()),
    }
}

/// The first day a `--since` means: `today`, `yesterday`, a date, or a
/// period's first day (`2024` is 2024-01-01).
fn since(given: &str) -> Result<NaiveDate> {
    Ok(parse::first_day(given, today())?)
}

/// A date given as `YYYY-MM-DD`, or today.
fn date_or_today(given: Option<&str>) -> Result<NaiveDate> {
    match given {
        Some(d) => Ok(parse::date(d)?),
        None => Ok(today()),
    }
}

/// Writes `text` to FILE (`-o FILE`) or to `out`.
fn emit(text: &str, file: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    match file {
        Some(path) if path != Path::new("-") => {
            refuse_database(path)?;
            std::fs::write(path, text).map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })
        }
        _ => write_out(out, text),
    }
}

/// The UTF-8 byte-order mark that `--bom` puts before CSV output.
const BOM: &str = "\u{feff}";

/// [`emit`] to where `f` says (`-o FILE`), after a byte-order mark under
/// `--bom`.
fn emit_as(text: &str, f: &FormatArgs, out: &mut dyn Write) -> Result<()> {
    if f.bom {
        emit(&format!("{BOM}{text}"), f.output.as_deref(), out)
    } else {
        emit(text, f.output.as_deref(), out)
    }
}

/// [`with_output`] to where `f` says (`-o FILE`), after a byte-order mark
/// under `--bom`.
fn with_output_as<T>(
    f: &FormatArgs,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    with_output(f.output.as_deref(), out, |out| {
        if f.bom {
            write_out(out, BOM)?;
        }
        write(out)
    })
}

/// Runs `write` on FILE (`-o FILE`) or on `out`: for output written as it
/// is made. A file is written beside its place and moved there only when
/// all of it is written: a failure leaves no half-written file.
fn with_output<T>(
    file: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match file {
        Some(path) if path != Path::new("-") => {
            refuse_database(path)?;
            let io = |source| Error::Io {
                path: path.to_path_buf(),
                source,
            };
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            // made as a plain new file would be (0666 less the umask), not
            // with a temporary file's private 0600
            let mut builder = tempfile::Builder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            let file = builder.tempfile_in(folder).map_err(io)?;
            let mut f = std::io::BufWriter::new(file);
            let done = write(&mut f)?;
            let file = f.into_inner().map_err(|e| io(e.into_error()))?;
            file.persist(path).map_err(|e| io(e.error))?;
            Ok(done)
        }
        _ => {
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
            let done = write(&mut buffered)?;
            buffered.flush().map_err(|source| Error::Io {
                path: PathBuf::from("<stdout>"),
                source,
            })?;
            Ok(done)
        }
    }
}

/// An output file must never replace a database (the one being read, or
/// any other) or the journal files beside one: a mistyped `-o` would
/// otherwise destroy the data it reports on.
fn refuse_database(path: &Path) -> Result<()> {
    let is_database = |p: &Path| -> bool {
        let mut header = [0u8; 16];
        std::fs::File::open(p)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok_and(|()| &header == b"SQLite format 3\0")
    };
    let name = path.to_string_lossy();
    let sidecar = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .is_some_and(|db| is_database(Path::new(db)));
    if is_database(path) || sidecar {
        return Err(Error::invalid(format!(
            "{} is a SQLite database (or one of its journal files): goalpost will not write output over it; choose another file with -o",
            path.display()
        )));
    }
    Ok(())
}

/// Writes to standard output; a broken pipe is the reader's choice, not an
/// error, and is handled in main.
fn write_out(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(|source| Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    })
}

/// Prints a warning on standard error.
fn warn(message: &str) {
    eprintln!("warning: {message}");
}
