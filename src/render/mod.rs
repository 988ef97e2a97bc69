//! Renderers: formatting only. Each view becomes a [`Grid`] of cells (plus
//! notes) for `table`, `markdown` and `csv`, or is serialized as is for
//! `json`.

pub mod chart;
pub mod diff;
pub mod history;
pub mod html;
pub mod human;
pub mod lists;
pub mod report;
pub mod show;
pub mod spool;
pub mod stream;
pub mod svg;

use serde::Serialize;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::style::HorizontalLine;
use tabled::settings::{Alignment, Style};

use crate::error::{Error, Result};

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

/// Rows of text cells with a header; numeric columns are right-aligned.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column indexes to right-align (numbers).
    pub numeric: Vec<usize>,
}

impl Grid {
    pub fn new(header: &[&str], numeric: &[usize]) -> Grid {
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            numeric: numeric.to_vec(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// A terminal table with box-drawing lines.
    pub fn table(&self) -> String {
        self.table_styled(false)
    }

    /// A terminal table, in plain ASCII when `ascii`.
    pub fn table_styled(&self, ascii: bool) -> String {
        let mut b = Builder::default();
        b.push_record(self.header.clone());
        for row in &self.rows {
            b.push_record(row.clone());
        }
        let mut t = b.build();
        if ascii {
            // ASCII lines, with a rule under the header only
            let rule = HorizontalLine::inherit(Style::ascii());
            t.with(Style::ascii().remove_horizontal().horizontals([(1, rule)]));
        } else {
            t.with(Style::sharp());
        }
        for &c in &self.numeric {
            t.modify(Columns::one(c), Alignment::right());
        }
        format!("{t}\n")
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
