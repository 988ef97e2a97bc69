//! Errors a user can act on: each names the offending value, id or file line.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A value that does not fit the input grammar (parse.rs).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid {what} '{input}': {reason}")]
pub struct ParseError {
    pub what: &'static str,
    pub input: String,
    pub reason: String,
}

impl ParseError {
    pub fn new(what: &'static str, input: &str, reason: impl Into<String>) -> ParseError {
        ParseError {
            what,
            input: input.to_string(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Parse(#[from] ParseError),

    /// An id that does not exist, with the nearest existing one if any.
    #[error("no {kind} '{id}'{}", suggestion.as_ref().map(|s| format!("; did you mean '{s}'?")).unwrap_or_default())]
    NotFound {
        kind: &'static str,
        id: String,
        suggestion: Option<String>,
    },

    #[error("{kind} '{id}' already exists")]
    Exists { kind: &'static str, id: String },

    /// Input that parses but does not make sense (a deadline before the
    /// baseline, a `pp` change on a non-percent unit).
    #[error("{0}")]
    Invalid(String),

    /// A command line that lacks or mixes flags in a way clap cannot see
    /// (nothing promised, nothing to revise): exit code 2, like clap's own.
    #[error("{0}")]
    Usage(String),

    /// An error inside a file, with its position.
    #[error("{file}:{line}{}: {message}", column.map(|c| format!(":{c}")).unwrap_or_default())]
    InFile {
        file: String,
        line: usize,
        column: Option<usize>,
        message: String,
    },

    /// Several errors in one input (its bad lines, the first few), then a
    /// line that sums them up: printed one `error:` line each.
    #[error("{}", lines.join("\n"))]
    Several { lines: Vec<String> },

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("database {}: {message}", path.display())]
    Database { path: PathBuf, message: String },

    /// `--fail-on` matched: the command did its work, and says so with exit
    /// code 3 so that a scheduled job can alert.
    #[error("{0}")]
    Matched(String),

    #[error("{context}: {source}")]
    Sqlite {
        context: String,
        source: rusqlite::Error,
    },
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Invalid(message.into())
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    /// The exit code: 2 for a usage error, 3 when `--fail-on` matched, 1
    /// for anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Matched(_) => 3,
            _ => 1,
        }
    }

    /// The message, a line each (several for [`Error::Several`]).
    pub fn lines(&self) -> Vec<String> {
        match self {
            Error::Several { lines } => lines.clone(),
            other => vec![other.to_string()],
        }
    }

    /// Wraps an error as one found at `file:line[:column]`.
    pub fn in_file(file: &str, line: usize, column: Option<usize>, err: impl ToString) -> Error {
        Error::InFile {
            file: file.to_string(),
            line,
            column,
            message: err.to_string(),
        }
    }
}

/// The bad lines of one input, collected so that all of them are
/// reported at once, not only the first: each counted, the first
/// [`BadLines::SHOWN`] kept to be listed.
#[derive(Default)]
pub struct BadLines {
    shown: Vec<Error>,
    count: usize,
}

impl BadLines {
    /// How many are listed; the rest are counted.
    pub const SHOWN: usize = 20;

    pub fn push(&mut self, e: Error) {
        if self.shown.len() < Self::SHOWN {
            self.shown.push(e);
        }
        self.count += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// None: `Ok`; one: that error alone; more: each listed, then how many
    /// more and a line naming `input` that says nothing was stored.
    pub fn result(self, input: &str) -> Result<()> {
        match self.count {
            0 => Ok(()),
            1 => Err(self.shown.into_iter().next().expect("one error")),
            n => {
                let mut lines: Vec<String> = self.shown.iter().map(|e| e.to_string()).collect();
                if n > lines.len() {
                    lines.push(format!("… and {} more bad lines", n - lines.len()));
                }
                lines.push(format!("{input}: {n} bad lines; nothing was imported"));
                Err(Error::Several { lines })
            }
        }
    }
}

/// Adds what was being done to a SQLite error ("reading observations").
pub trait Context<T> {
    fn context(self, what: &str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, rusqlite::Error> {
    fn context(self, what: &str) -> Result<T> {
        self.map_err(|source| Error::Sqlite {
            context: what.to_string(),
            source,
        })
    }
}

/// The existing id closest to `wanted`, if close enough to be a plausible
/// typo. Case is no typo's measure: an id that differs only in case wins,
/// then the nearest by edit distance between the lower-case forms (so
/// `RES-2030` finds `res-2030`, not `emp-2030`), ties going to the one
/// whose case is nearer, then to the first in order.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let folded = edit_distance(&lower, &c.to_lowercase());
            (folded, edit_distance(wanted, c), c)
        })
        .filter(|(d, _, c)| {
            *d <= 3.max(c.chars().count() / 4) && *d < c.chars().count().max(lower.chars().count())
        })
        .min()
        .map(|(_, _, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_id() {
        let ids = ["agri-exports", "eaeu-exports", "fez-minsk-jobs"];
        assert_eq!(nearest("agri-export", ids).as_deref(), Some("agri-exports"));
        assert_eq!(nearest("zzz", ids), None);
    }

    #[test]
    fn suggests_case_insensitively_first() {
        let ids = ["emp-2030", "res-2030", "agri-2025"];
        assert_eq!(nearest("RES-2030", ids).as_deref(), Some("res-2030"));
        assert_eq!(nearest("Agri-2025", ids).as_deref(), Some("agri-2025"));
        // a typo in capitals is still found
        assert_eq!(nearest("RES-2031", ids).as_deref(), Some("res-2030"));
        // of two that differ only in case, the nearer case wins
        assert_eq!(
            nearest("Res-2030", ["RES-2030", "res-2030"]).as_deref(),
            Some("res-2030")
        );
    }
}
