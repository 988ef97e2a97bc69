//! One file per command (as xsv and zoxide do): each parses its arguments,
//! calls the store and the engine, and hands a report to a renderer.
//! `main.rs` only dispatches here.

mod db;
mod demo;
mod diff;
mod export;
mod history;
mod import;
mod indicator;
mod init;
mod method;
mod obs;
mod plot;
mod report;
mod show;
mod target;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::parse;
use crate::store::Store;

/// What every command needs: where the database is.
pub struct Ctx {
    db: Option<PathBuf>,
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
}

/// Runs the command; what it prints goes to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Ctx { db: cli.db };
    match cli.command {
        Command::Init => init::run(&ctx, out),
        Command::Indicator(c) => indicator::run(&ctx, c, out),
        Command::Target(c) => target::run(&ctx, c, out),
        Command::Obs(c) => obs::run(&ctx, c, out),
        Command::Record(a) => obs::add(&ctx, a, out),
        Command::Import(a) => import::run(&ctx, a, out),
        Command::Export(a) => export::run(&ctx, a, out),
        Command::Report(a) => report::run(&ctx, a, out),
        Command::Show(a) => show::run(&ctx, a, out),
        Command::Plot(a) => plot::run(&ctx, a, out),
        Command::Demo(a) => demo::run(a, out),
        Command::Db(c) => db::run(&ctx, c, out),
        Command::Method(c) => method::run(&ctx, c, out),
        Command::History(a) => history::run(&ctx, a, out),
        Command::Diff(a) => diff::run(&ctx, a, out),
    }
}

/// The as-of date: the one given, or today.
fn as_of(given: Option<&str>) -> Result<NaiveDate> {
    match given {
        Some(d) => Ok(parse::date(d)?),
        None => Ok(chrono::Local::now().date_naive()),
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
            let file = tempfile::NamedTempFile::new_in(folder).map_err(io)?;
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
