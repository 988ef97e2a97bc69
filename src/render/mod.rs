//! Renderers: formatting only. Each view becomes a [`Grid`] of cells (plus
//! notes) for `table`, `markdown` and `csv`, or is serialized as is for
//! `json`; the views of a whole portfolio write their rows as they come
//! (see [`stream`] and [`table`]).

pub mod chart;
pub mod color;
pub mod compare;
pub mod diff;
pub mod fit;
pub mod history;
pub mod html;
pub mod human;
pub mod lists;
pub mod ordered;
pub mod packed;
pub mod pretty;
pub mod report;
pub mod rollup;
pub mod show;
pub mod spool;
pub mod stream;
pub mod strip;
pub mod svg;
pub mod table;

use serde::Serialize;

use crate::error::{Error, Result};
use fit::Step;
use stream::Out;

/// How text output should look where it is going: decided by the command
/// from the flags, the environment and whether it is a terminal;
/// renderers only follow it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// The width to fit tables and text to; `None`: as wide as they are.
    pub width: Option<usize>,
    /// Colour the statuses (ANSI escapes).
    pub color: bool,
    /// Plain ASCII instead of Unicode lines and signs.
    pub ascii: bool,
}

impl Look {
    /// Whether a table is fitted to a terminal (a width, colour or ASCII
    /// to fit), rather than written as wide as its contents for a pipe or
    /// a file.
    pub fn fits(&self) -> bool {
        self.width.is_some() || self.color || self.ascii
    }
}

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
    /// A self-contained page (report, show, lists).
    Html,
}

impl Format {
    /// Every format, as `--format` takes them, for messages.
    pub const NAMES: &str = "table, markdown, csv, json or html";

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
        }
    }
}

/// Rows of text cells with a header; numeric columns are right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column indexes to right-align (numbers).
    pub numeric: Vec<usize>,
    /// How the table gives way in a narrow terminal, step by step.
    pub steps: Vec<Step>,
    /// Columns that wrap onto further lines instead of being shortened.
    pub wrapping: Vec<usize>,
    /// The column whose cells begin with a status name, to colour.
    pub status: Option<usize>,
    /// Shorter headers for columns narrower than their header.
    pub abbreviations: Vec<(usize, &'static str)>,
}

impl Grid {
    pub fn new(header: &[&str], numeric: &[usize]) -> Grid {
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: numeric.to_vec(),
            steps: Vec::new(),
            wrapping: Vec::new(),
            status: None,
            abbreviations: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Next step in a narrow terminal: column `column` shrinks to `min`.
    pub fn shrink(mut self, column: usize, min: usize) -> Grid {
        self.steps.push(Step::Shrink(column, min));
        self
    }

    /// Next step in a narrow terminal: column `column` is left out.
    pub fn drop(mut self, column: usize) -> Grid {
        self.steps.push(Step::Drop(column));
        self
    }

    /// Column `column`, when narrower than its text, wraps onto further
    /// lines (at spaces and hyphens) instead of ending in `…`.
    pub fn wraps(mut self, column: usize) -> Grid {
        self.wrapping.push(column);
        self
    }

    /// A shorter header for column `column`, used when the column is
    /// narrower than its header.
    pub fn abbreviate(mut self, column: usize, short: &'static str) -> Grid {
        self.abbreviations.push((column, short));
        self
    }

    /// Marks the column whose cells start with a status, to colour.
    pub fn status_column(mut self, column: usize) -> Grid {
        self.status = Some(column);
        self
    }

    /// A terminal table as `look` asks: in plain ASCII, fitted to a width
    /// (columns shortened, wrapped or left out, in the grid's order, and
    /// a line saying which were left out), statuses coloured.
    pub fn table_for(&self, look: &Look) -> String {
        let mut natural = table::Widths::new(self, look);
        for r in &self.rows {
            natural.add(r);
        }
        let mut text = Vec::new();
        // into memory, from memory: nothing to fail
        let _ = table::write(
            self,
            look,
            &natural,
            None,
            &mut self.rows.as_slice(),
            &mut Out(&mut text),
        );
        String::from_utf8_lossy(&text).into_owned()
    }

    /// A Markdown table; numeric columns get a `---:` divider.
    pub fn markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = format!(
            "| {} |\n|",
            self.header
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        for i in 0..self.header.len() {
            out.push_str(if self.numeric.contains(&i) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }

    /// RFC 4180 CSV with a header line.
    pub fn csv(&self) -> Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| Error::invalid(format!("writing CSV: {e}"));
        w.write_record(&self.header).map_err(fail)?;
        for row in &self.rows {
            w.write_record(row).map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::invalid(format!("writing CSV: {e}")))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// Text for a terminal that shows only ASCII: the typographic signs of the
/// views become their plain equivalents (data such as quotes keep their
/// letters).
pub fn to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '—' | '–' | '─' => out.push('-'),
            '≈' => out.push('~'),
            '≥' => out.push_str(">="),
            '≤' => out.push_str("<="),
            '·' => out.push('|'),
            '→' => out.push_str("->"),
            '“' | '”' => out.push('"'),
            '‘' | '’' => out.push('\''),
            '…' => out.push_str("..."),
            'Σ' => out.push_str("sum"),
            c => out.push(c),
        }
    }
    out
}

/// Pretty JSON ending with a newline.
pub fn json<T: Serialize>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value)
        .map_err(|e| Error::invalid(format!("writing JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// An optional number as a CSV cell: empty when unknown.
pub fn cell(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// An optional text as a cell.
pub fn text(x: Option<&str>) -> String {
    x.unwrap_or_default().to_string()
}
