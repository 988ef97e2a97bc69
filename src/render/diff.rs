//! The `diff` view in every format; the Markdown is a memo one can paste
//! into an email.

use std::io::Write;

use chrono::NaiveDate;

use super::spool::{Piece, Spool};
use super::stream::{JsonArray, Out, csv_line, encode_cells};
use super::table::{Spooled, Widths};
use super::{Format, Grid, Look, cell, human};
use crate::engine::Status;
use crate::error::Result;
use crate::report::{Between, Change, Diff};

/// Writes a diff whose changes come one at a time, in any order: each is
/// rendered once into a [`Spool`] and written in the later report's order
/// (status severity, then deadline, then id) by [`Writer::finish`], with
/// the counts. Memory holds one small sort key per change.
pub struct Writer {
    format: Format,
    look: Look,
    between: Between,
    spool: Spool,
    entries: Vec<Entry>,
    unchanged: usize,
    /// Table: the natural width of each column so far.
    widths: Widths,
}

/// Where one change is, and where it goes.
struct Entry {
    status: Status,
    deadline_end: NaiveDate,
    id: String,
    direction: &'static str,
    piece: Piece,
}

const HEADER: [&str; 5] = ["id", "from", "to", "change", "why"];

const RAW_HEADER: [&str; 10] = [
    "id",
    "from_status",
    "to_status",
    "direction",
    "from_method_value",
    "to_method_value",
    "from_progress",
    "to_progress",
    "summary",
    "causes",
];

impl Writer {
    pub fn new(format: Format, look: Look, between: Between) -> Writer {
        Writer {
            format,
            look,
            between,
            spool: Spool::new(),
            entries: Vec::new(),
            unchanged: 0,
            widths: Widths::new(&grid(), &look),
        }
    }

    /// Counts `n` more targets whose verdict did not change.
    pub fn unchanged_more(&mut self, n: usize) {
        self.unchanged += n;
    }

    /// Adds one change; `status` and `deadline_end` are its target's in the
    /// later report (its sort keys).
    pub fn push(&mut self, c: &Change, status: Status, deadline_end: NaiveDate) -> Result<()> {
        let piece = match self.format {
            Format::Json => self.spool.put(JsonArray::item_text(c)?.as_bytes())?,
            Format::Csv => self.spool.put(&csv_line(&raw_cells(c))?)?,
            Format::Markdown => self.spool.put(memo_section(c).as_bytes())?,
            Format::Html => self
                .spool
                .put(super::html::list_row(&[], &grid_cells(c)).as_bytes())?,
            Format::Table => {
                let cells = grid_cells(c);
                self.widths.add(&cells);
                self.spool.put(&encode_cells(&cells))?
            }
        };
        self.entries.push(Entry {
            status,
            deadline_end,
            id: c.id.clone(),
            direction: c.direction,
            piece,
        });
        Ok(())
    }

    /// Writes the diff in its order to `out`; returns the ids of the
    /// targets that got worse, in that order.
    pub fn finish(mut self, out: &mut dyn Write) -> Result<Vec<String>> {
        self.entries.sort_by(|a, b| {
            (a.status, a.deadline_end, &a.id).cmp(&(b.status, b.deadline_end, &b.id))
        });
        let mut out = Out(out);
        let head = self.between.head(self.unchanged);
        let (changed, unchanged) = (self.entries.len(), self.unchanged);
        let pieces: Vec<Piece> = self.entries.iter().map(|e| e.piece).collect();
        let mut buf = Vec::new();
        match self.format {
            Format::Json => {
                let mut array = JsonArray::start_at(&head, "changes", &mut out)?;
                for p in pieces {
                    self.spool.get(p, &mut buf)?;
                    array.item(&buf, &mut out)?;
                }
                array.finish(&mut out)?;
            }
            Format::Csv | Format::Markdown | Format::Html => {
                out.text(&match self.format {
                    Format::Csv => {
                        String::from_utf8_lossy(&csv_line(&RAW_HEADER.map(String::from))?)
                            .into_owned()
                    }
                    Format::Markdown => memo_head(&head, changed),
                    _ => super::html::list_start(&grid()),
                })?;
                for p in pieces {
                    self.spool.get(p, &mut buf)?;
                    out.bytes(&buf)?;
                }
                if self.format == Format::Html {
                    out.text(super::html::list_end())?;
                }
            }
            Format::Table if changed == 0 => {
                out.text(&format!("{}\n{}", title(&head), footer(changed, unchanged)))?;
            }
            Format::Table => {
                out.text(&format!("{}\n", title(&head)))?;
                super::table::write(
                    &grid(),
                    &self.look,
                    &self.widths,
                    None,
                    &mut Spooled {
                        spool: &mut self.spool,
                        pieces: pieces.into_iter(),
                    },
                    &mut out,
                )?;
                out.text(&footer(changed, unchanged))?;
            }
        }
        Ok(self
            .entries
            .into_iter()
            .filter(|e| e.direction == "worse")
            .map(|e| e.id)
            .collect())
    }
}

fn title(d: &Diff) -> String {
    let clock = if d.as_recorded { ", as recorded" } else { "" };
    if d.method_from == d.method {
        format!(
            "Changes from {} to {} ({}{clock})",
            d.from,
            d.to,
            d.method.name()
        )
    } else {
        format!(
            "{} against {} on {}",
            d.method.name(),
            d.method_from.name(),
            d.to
        )
    }
}

fn footer(changed: usize, unchanged: usize) -> String {
    format!(
        "\n{} target{} changed, {} unchanged\n",
        changed,
        if changed == 1 { "" } else { "s" },
        unchanged
    )
}

/// The earlier status, or `new` for a target recorded in between.
fn from_status(c: &Change) -> String {
    c.from
        .as_ref()
        .map_or("new".to_string(), |f| f.status.name().to_string())
}

fn why(c: &Change) -> String {
    c.causes
        .iter()
        .map(|x| match &x.date {
            Some(date) => format!("{date} {}", x.text),
            None => x.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The terminal table's grid, without rows.
fn grid() -> Grid {
    // in a narrow terminal the explanation wraps, then the id
    Grid::new(&HEADER, &[])
        .wraps(0)
        .wraps(4)
        .shrink(4, 24)
        .shrink(0, 20)
        .shrink(4, 16)
        .status_column(2)
}

fn grid_cells(c: &Change) -> Vec<String> {
    // the summary says it all when only the deadline passed
    let causes = if c.causes.iter().all(|x| x.kind == "deadline_passed") {
        String::new()
    } else {
        why(c)
    };
    vec![
        c.id.clone(),
        from_status(c),
        c.to.status.name().to_string(),
        c.direction.to_string(),
        if causes.is_empty() {
            c.summary.clone()
        } else {
            format!("{}: {causes}", c.summary)
        },
    ]
}

fn raw_cells(c: &Change) -> Vec<String> {
    vec![
        c.id.clone(),
        from_status(c),
        c.to.status.name().to_string(),
        c.direction.to_string(),
        cell(c.from.as_ref().and_then(|f| f.method_value)),
        cell(c.to.method_value),
        cell(c.from.as_ref().and_then(|f| f.progress)),
        cell(c.to.progress),
        c.summary.clone(),
        why(c),
    ]
}

/// A memo: a heading, the count, then one short section per change.
fn memo_head(d: &Diff, changed: usize) -> String {
    let mut out = format!("# {}\n\n", title(d));
    out.push_str(&format!(
        "{} target{} changed; {} unchanged.\n",
        changed,
        if changed == 1 { "" } else { "s" },
        d.unchanged
    ));
    out
}

/// The memo's section of one change.
fn memo_section(c: &Change) -> String {
    let mut out = format!(
        "\n## {}{}\n\n**{} → {}** ({}): {}.\n",
        c.id,
        c.title
            .as_deref()
            .map(|t| format!(" — {t}"))
            .unwrap_or_default(),
        from_status(c),
        c.to.status.name(),
        c.direction,
        c.summary
    );
    if let (Some(a), Some(b)) = (c.from.as_ref().and_then(|f| f.progress), c.to.progress) {
        out.push_str(&format!(
            "Progress {} → {}.\n",
            human::share(a),
            human::share(b)
        ));
    }
    if !c.causes.is_empty() {
        out.push('\n');
    }
    for x in &c.causes {
        out.push_str(&format!(
            "- {}{}{}\n",
            x.date
                .as_deref()
                .map(|d| format!("{d}: "))
                .unwrap_or_default(),
            x.text,
            x.source
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ));
    }
    out
}
