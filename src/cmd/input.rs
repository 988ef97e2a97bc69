//! An input named on the command line: a file, or standard input for `-`
//! (named `stdin` in messages). A reader that needs a file (to read it
//! twice, or to know its length) gets standard input spooled to a
//! temporary file.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What messages call standard input.
pub const STDIN: &str = "stdin";

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// A file to read, or standard input copied into one.
pub struct Input {
    path: PathBuf,
    name: String,
    /// The copy of standard input, removed when the input is dropped.
    _spool: Option<tempfile::TempPath>,
}

impl Input {
    /// `path`, or for `-` standard input spooled to a temporary file.
    pub fn open(path: &Path) -> Result<Input> {
        if !is_stdin(path) {
            return Ok(Input {
                path: path.to_path_buf(),
                name: path.display().to_string(),
                _spool: None,
            });
        }
        let io = |source| Error::Io {
            path: PathBuf::from(STDIN),
            source,
        };
        let mut file = tempfile::NamedTempFile::new().map_err(io)?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file).map_err(io)?;
        let spool = file.into_temp_path();
        Ok(Input {
            path: spool.to_path_buf(),
            name: STDIN.to_string(),
            _spool: Some(spool),
        })
    }

    /// Where to read it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How messages name it: the path as given, or `stdin`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The bytes of `path`, or of standard input for `-`, with the name
/// messages give it.
pub fn read(path: &Path) -> Result<(Vec<u8>, String)> {
    let (name, shown) = if is_stdin(path) {
        (STDIN.to_string(), PathBuf::from(STDIN))
    } else {
        (path.display().to_string(), path.to_path_buf())
    };
    let io = |source| Error::Io {
        path: shown,
        source,
    };
    let bytes = if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        std::fs::read(path)
    }
    .map_err(io)?;
    Ok((bytes, name))
}

/// The text of `path`, or of standard input for `-`, with the name
/// messages give it; text that is not UTF-8 is an error naming its line.
pub fn read_text(path: &Path) -> Result<(String, String)> {
    let (bytes, name) = read(path)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        Error::in_file(&name, line, None, "not UTF-8 text")
    })?;
    Ok((text, name))
}
