//! Renderers: formatting only. Each view becomes a [`Grid`] of cells (plus
//! notes) for `table`, `markdown` and `csv`, or is serialized as is for
//! `json`.

pub mod chart;
pub mod color;
pub mod compare;
pub mod diff;
pub mod fit;
pub mod history;
pub mod html;
pub mod human;
pub mod lists;
pub mod report;
pub mod rollup;
pub mod show;
pub mod spool;
pub mod stream;
pub mod strip;
pub mod svg;

use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::formatting::AlignmentStrategy;
use tabled::settings::object::Columns;
use tabled::settings::style::HorizontalLine;
use tabled::settings::{Alignment, Color, Style};

use crate::error::{Error, Result};
use fit::Step;

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
    /// to fit): then it is laid out whole, else it streams.
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

    /// A terminal table with box-drawing lines, as wide as its contents.
    pub fn table(&self) -> String {
        self.table_for(&Look::default())
    }

    /// A terminal table as `look` asks: in plain ASCII, fitted to a width
    /// (columns shortened, wrapped or left out, in the grid's order, and
    /// a line saying which were left out), statuses coloured.
    pub fn table_for(&self, look: &Look) -> String {
        let ascii = |s: &String| {
            if look.ascii { to_ascii(s) } else { s.clone() }
        };
        let header: Vec<String> = self.header.iter().map(ascii).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(ascii).collect())
            .collect();
        let natural: Vec<usize> = (0..header.len())
            .map(|c| {
                rows.iter()
                    .map(|r| r.get(c).map_or(0, |x| fit::width(x)))
                    .chain([fit::width(&header[c])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let layout = match look.width {
            Some(limit) => fit::layout(&natural, &self.steps, limit),
            None => fit::Layout {
                kept: (0..header.len()).collect(),
                widths: natural.clone(),
                dropped: Vec::new(),
            },
        };
        let ellipsis = if look.ascii { "..." } else { "…" };
        let shape = |c: usize, k: usize, text: &str, is_header: bool| -> String {
            let w = layout.widths[k];
            if fit::width(text) <= w {
                return text.to_string();
            }
            if is_header || self.wrapping.contains(&c) {
                fit::wrap(text, w)
            } else {
                fit::shorten(text, w, ellipsis)
            }
        };
        let header_of = |k: usize, c: usize| -> String {
            let short = self
                .abbreviations
                .iter()
                .find(|(i, _)| *i == c)
                .map(|(_, s)| s.to_string())
                .filter(|_| fit::width(&header[c]) > layout.widths[k]);
            shape(c, k, short.as_deref().unwrap_or(&header[c]), true)
        };
        let header_row: Vec<String> = (0..layout.kept.len())
            .map(|k| header_of(k, layout.kept[k]))
            .collect();
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                layout
                    .kept
                    .iter()
                    .enumerate()
                    .map(|(k, &c)| shape(c, k, row.get(c).map_or("", String::as_str), false))
                    .collect()
            })
            .collect();
        // rows of several lines get a rule between them, to be told apart
        let tall = body.iter().flatten().any(|c| c.contains('\n'));
        let mut b = Builder::default();
        b.push_record(header_row);
        for row in body {
            b.push_record(row);
        }
        let mut t = b.build();
        match (look.ascii, tall) {
            (true, true) => {
                t.with(Style::ascii());
            }
            (true, false) => {
                // ASCII lines, with a rule under the header only
                let rule = HorizontalLine::inherit(Style::ascii());
                t.with(Style::ascii().remove_horizontal().horizontals([(1, rule)]));
            }
            (false, true) => {
                t.with(Style::modern());
            }
            (false, false) => {
                t.with(Style::sharp());
            }
        }
        for (k, c) in layout.kept.iter().enumerate() {
            if self.numeric.contains(c) {
                // each line of a wrapped number on the right, not the block
                t.modify(Columns::one(k), Alignment::right());
                t.modify(Columns::one(k), AlignmentStrategy::PerLine);
            }
        }
        if look.color
            && let Some(k) = self
                .status
                .and_then(|s| layout.kept.iter().position(|c| *c == s))
        {
            for (i, row) in self.rows.iter().enumerate() {
                let status = self
                    .status
                    .and_then(|s| row.get(s))
                    .map_or("", |x| x.split([' ', '\n']).next().unwrap_or_default());
                if let Some(sgr) = color::status(status) {
                    t.modify((i + 1, k), Color::new(color::start(sgr), color::RESET));
                }
            }
        }
        let mut out = format!("{t}\n");
        if !layout.dropped.is_empty() {
            let mut dropped = layout.dropped.clone();
            dropped.sort();
            let names: Vec<&str> = dropped.iter().map(|&c| self.header[c].as_str()).collect();
            let width = look.width.unwrap_or_default();
            let line = format!(
                "(left out to fit {width} columns: {}; --width 0 shows them)",
                names.join(", ")
            );
            out.push_str(&fit::wrap_hanging(&line, width, " "));
            out.push('\n');
        }
        out
    }

    /// A terminal table, in plain ASCII when `ascii`.
    pub fn table_styled(&self, ascii: bool) -> String {
        self.table_for(&Look {
            ascii,
            ..Look::default()
        })
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
