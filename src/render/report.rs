//! The `report` view in every format, written as the rows come: each row
//! is rendered once into a [`Spool`], in whatever order the targets are
//! assessed, and [`Writer::finish`] writes them in the report's order
//! (status severity, then deadline, then id) with what comes at the end
//! (the summary line and the notes). Memory holds one small sort key per
//! target, not the rows, in every format: a terminal table too, fitted to
//! its width or not (see [`super::table`]). JSON rows wait packed, their
//! field names by number ([`super::packed`]), and are unpacked as they
//! are written.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::packed::{self, Names, Packer};
use super::spool::{Piece, Spool};
use super::stream::{JsonArray, Out, csv_line, decode_cells, encode_cells, markdown_line};
use super::table::{Drawn, Measure, Spooled, Widths};
use super::{Format, Grid, Look, cell, color, human, text};
use crate::engine::{Method, Status};
use crate::error::Result;
use crate::model::Kind;
use crate::report::{GroupBy, GroupSummary, Report, Rollup, Row, Show, Spark, rollup};

/// Where one row is, and where it goes.
struct Entry {
    status: Status,
    deadline_end: NaiveDate,
    id: String,
    /// The first eight bytes of the id, padded with zeros (see [`id_start`]).
    id_start: u64,
    /// The row as its format writes it.
    main: Piece,
    /// Its notes as the footer lists them, a line each (table, markdown);
    /// for HTML, its small chart.
    extra: Piece,
    /// `--group-by`: its group (in `Grouping::names`), and whether this is
    /// the target's first entry (a target with several tags has one per tag).
    group: u32,
    first: bool,
    /// Its place as it came.
    seq: u32,
}

/// `report --group-by`: the groups and their counts, as the rows come.
struct Grouping {
    by: GroupBy,
    /// The group table alone (`--summary`): no rows are kept.
    summary: bool,
    rollup: Rollup,
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Grouping {
    fn id(&mut self, name: String) -> u32 {
        if let Some(i) = self.index.get(&name) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.clone(), i);
        self.names.push(name);
        i
    }
}

/// Writes a report whose rows come one at a time, in any order.
pub struct Writer {
    format: Format,
    as_of: NaiveDate,
    method: Method,
    spool: Spool,
    entries: Vec<Entry>,
    counts: BTreeMap<Status, usize>,
    /// Table: the terminal it is fitted to.
    look: Look,
    /// Table: its columns, without rows.
    columns: Grid,
    /// Table: the natural width of each column so far; grouped and fitted
    /// to the terminal, one per group (each group's table is fitted on its
    /// own), else one for all (the groups' tables line up).
    widths: Vec<Widths>,
    /// Table: what each group's rows make drawn as they are (by group).
    drawn: Vec<Drawn>,
    grouping: Option<Grouping>,
    /// JSON: the names its rows are packed with while they wait.
    names: Arc<Mutex<Names>>,
}

pub(super) const HUMAN_HEADER: [&str; 11] = [
    "id",
    "entity",
    "title",
    "baseline",
    "latest",
    "target",
    "progress",
    "required / actual",
    "projected",
    "gap",
    "status",
];
pub(super) const HUMAN_NUMERIC: [usize; 7] = [3, 4, 5, 6, 7, 8, 9];

impl Writer {
    pub fn new(format: Format, as_of: NaiveDate, method: Method, look: Look) -> Writer {
        Writer {
            format,
            as_of,
            method,
            spool: Spool::new(),
            entries: Vec::new(),
            counts: BTreeMap::new(),
            look,
            columns: human_grid(),
            widths: Vec::new(),
            drawn: Vec::new(),
            grouping: None,
            names: Names::shared(),
        }
    }

    /// Rolls the rows up by `by` (`report --group-by`); with `summary`,
    /// the group table alone.
    pub fn grouped(mut self, by: GroupBy, summary: bool) -> Writer {
        self.grouping = Some(Grouping {
            by,
            summary,
            rollup: Rollup::default(),
            names: Vec::new(),
            index: HashMap::new(),
        });
        self
    }

    /// What renders rows for this writer, on any thread (see [`Rendered`]).
    pub fn renderer(&self) -> Renderer {
        Renderer {
            format: self.format,
            by: self.grouping.as_ref().map(|g| g.by),
            rows_shown: self.grouping.as_ref().is_none_or(|g| !g.summary),
            ascii: self.look.ascii,
            names: self.names.clone(),
        }
    }

    /// Adds rows rendered by [`Writer::renderer`], in any order, and
    /// empties `batch`, to be filled again: its bytes are kept as they
    /// are, not copied (see [`Spool::adopt`]), and it gets an empty buffer
    /// as large.
    pub fn add(&mut self, batch: &mut Rendered) -> Result<()> {
        let capacity = batch.bytes.capacity();
        let bytes = std::mem::replace(&mut batch.bytes, Vec::with_capacity(capacity));
        let block = self.spool.adopt(bytes)?;
        let (mut at, mut cell) = (0, 0);
        for r in batch.rows.drain(..) {
            let main = block.piece(at, r.main);
            let extra = block.piece(at + r.main, r.extra);
            let measures = &batch.measures[cell..cell + r.cells];
            at += r.main + r.extra;
            cell += r.cells;
            self.add_row(r, main, extra, measures)?;
        }
        batch.measures.clear();
        Ok(())
    }

    fn add_row(
        &mut self,
        r: RenderedRow,
        main: Piece,
        extra: Piece,
        measures: &[Measure],
    ) -> Result<()> {
        *self.counts.entry(r.status).or_default() += 1;
        let groups: Vec<u32> = match &mut self.grouping {
            None => vec![0],
            Some(g) => {
                for k in &r.keys {
                    g.rollup.add(k, r.status);
                }
                r.keys.into_iter().map(|k| g.id(k)).collect()
            }
        };
        if self.format == Format::Table && !main.is_empty() {
            // measured where it was rendered
            for &g in &groups {
                self.widths_of(g).add_measured(measures);
                self.drawn_of(g).add(measures, r.tall);
            }
        }
        for (i, group) in groups.into_iter().enumerate() {
            self.entries.push(Entry {
                status: r.status,
                deadline_end: r.deadline_end,
                id_start: id_start(&r.id),
                id: r.id.clone(),
                main,
                extra,
                group,
                first: i == 0,
                seq: self.entries.len() as u32,
            });
        }
        Ok(())
    }

    /// The natural widths of group `group`'s table (of the one table,
    /// unless each group's is fitted on its own).
    fn widths_of(&mut self, group: u32) -> &mut Widths {
        let slot = self.slot(group);
        while self.widths.len() <= slot {
            self.widths.push(Widths::new(&self.columns, &self.look));
        }
        &mut self.widths[slot]
    }

    /// What group `group`'s rows make drawn as they are.
    fn drawn_of(&mut self, group: u32) -> &mut Drawn {
        let g = group as usize;
        if self.drawn.len() <= g {
            self.drawn.resize_with(g + 1, Drawn::default);
        }
        &mut self.drawn[g]
    }

    fn slot(&self, group: u32) -> usize {
        if self.look.fits() { group as usize } else { 0 }
    }
}

/// The first eight bytes of `id`, padded with zeros, as a number: ids
/// whose numbers differ are ordered as the ids are (bytewise), without
/// reading them.
fn id_start(id: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = id.len().min(8);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// How a [`Writer`] renders its rows: a copy that any thread can use.
#[derive(Debug, Clone)]
pub struct Renderer {
    format: Format,
    by: Option<GroupBy>,
    rows_shown: bool,
    /// Table: measured as an ASCII terminal shows it.
    ascii: bool,
    /// JSON: the writer's table of packed names.
    names: Arc<Mutex<Names>>,
}

/// Rows as their format writes them, one after another in one buffer,
/// with their sort keys and groups: made by a [`Renderer`] (the costly
/// half of adding a row, which any thread can do), then added to the
/// [`Writer`] with [`Writer::add`].
#[derive(Default)]
pub struct Rendered {
    bytes: Vec<u8>,
    rows: Vec<RenderedRow>,
    /// Table: each row's cells measured, one after another.
    measures: Vec<Measure>,
    /// JSON: how its rows are packed (made at the first row).
    packer: Option<Packer>,
}

impl Rendered {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The bytes rendered so far.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
}

/// One row of [`Rendered`]: its main text, then its extra text (notes, or
/// an HTML row's small chart), are the next `main` and `extra` bytes.
struct RenderedRow {
    status: Status,
    deadline_end: NaiveDate,
    id: String,
    /// `--group-by`: the groups it counts in.
    keys: Vec<String>,
    main: usize,
    extra: usize,
    /// Table: its cells' measures (the next `cells` of `measures`), and
    /// whether any cell takes several lines.
    cells: usize,
    tall: bool,
}

impl Renderer {
    /// Renders `row` onto the end of `into`.
    pub fn render(
        &self,
        row: &Row,
        deadline_end: NaiveDate,
        spark: Option<&Spark>,
        into: &mut Rendered,
    ) -> Result<()> {
        let start = into.bytes.len();
        let bytes = &mut into.bytes;
        let mut extra = Vec::new();
        let (mut cells, mut tall) = (0, false);
        match self.format {
            // the group table alone: nothing of the row is kept
            _ if !self.rows_shown => {}
            Format::Json => {
                let packer = into
                    .packer
                    .get_or_insert_with(|| Packer::new(self.names.clone()));
                JsonArray::packed_item_into(row, bytes, packer)?
            }
            Format::Csv => bytes.extend_from_slice(&csv_line(&raw_row(row))?),
            Format::Markdown => {
                bytes.extend_from_slice(markdown_line(&human_row(row, false)).as_bytes());
                extra = notes(row, "- ", "`");
            }
            Format::Table => {
                let row_cells = human_row(row, false);
                bytes.extend_from_slice(&encode_cells(&row_cells));
                tall = super::table::measure(&row_cells, self.ascii, &mut into.measures);
                cells = row_cells.len();
                extra = notes(row, "", "");
            }
            Format::Html => {
                let cells = super::html::summary_cells(row, &human_row(row, false));
                bytes.extend_from_slice(cells.as_bytes());
                if let Some(s) = spark.filter(|_| super::html::needs_attention(row.status)) {
                    extra = super::html::sparkline(s).into_bytes();
                }
            }
        }
        let main = bytes.len() - start;
        bytes.extend_from_slice(&extra);
        into.rows.push(RenderedRow {
            status: row.status,
            deadline_end,
            id: row.id.clone(),
            keys: self.by.map(|by| by.keys(row)).unwrap_or_default(),
            main,
            extra: extra.len(),
            cells,
            tall,
        });
        Ok(())
    }
}

/// A row's notes, a line each (as the footer lists them, unwrapped).
fn notes(row: &Row, bullet: &str, code: &str) -> Vec<u8> {
    let lines: Vec<String> = row
        .notes
        .iter()
        .map(|n| format!("{bullet}{code}{}{code}: {n}", row.id))
        .collect();
    encode_cells(&lines)
}

impl Writer {
    /// Writes the report in its order to `out`. For HTML, `detail` builds
    /// the full view of a target (by id) that the page shows in detail.
    /// Returns each row's id and status, in the report's order.
    pub fn finish(
        mut self,
        out: &mut dyn Write,
        detail: &mut dyn FnMut(&str) -> Result<Show>,
    ) -> Result<Vec<(String, Status)>> {
        // by group (in the roll-up's order), then as the report orders
        let rank: Vec<usize> = match &self.grouping {
            None => vec![0],
            Some(g) => {
                let mut order: Vec<usize> = (0..g.names.len()).collect();
                order.sort_by_key(|&i| rollup::order(&g.names[i]));
                let mut rank = vec![0; order.len()];
                for (r, i) in order.into_iter().enumerate() {
                    rank[i] = r;
                }
                rank
            }
        };
        // in place: a stable sort's scratch space would be fresh memory,
        // slow to fault in; no two entries alike (the place they came in
        // breaks a tie), so the order is the stable one
        self.entries.sort_unstable_by(|a, b| {
            (rank[a.group as usize], a.status, a.deadline_end, a.id_start)
                .cmp(&(rank[b.group as usize], b.status, b.deadline_end, b.id_start))
                .then_with(|| (&a.id, a.seq).cmp(&(&b.id, b.seq)))
        });
        let mut out = Out(out);
        match self.grouping.take() {
            None => self.write(&mut out, detail)?,
            Some(g) => self.write_grouped(&mut out, &g, detail)?,
        }
        Ok(self
            .entries
            .into_iter()
            .filter(|e| e.first)
            .map(|e| (e.id, e.status))
            .collect())
    }

    fn write(&mut self, out: &mut Out, detail: &mut dyn FnMut(&str) -> Result<Show>) -> Result<()> {
        match self.format {
            Format::Json => self.finish_json(out),
            Format::Csv => self.finish_csv(out),
            Format::Markdown if self.entries.is_empty() => {
                out.text(self.summary(&Look::default()).trim_start())
            }
            Format::Markdown => self.finish_markdown(out),
            Format::Table => self.finish_table(out),
            Format::Html => self.finish_html(out, detail),
        }
    }

    fn finish_json(&mut self, out: &mut Out) -> Result<()> {
        let empty = Report {
            version: 1,
            as_of: self.as_of.to_string(),
            method: self.method,
            targets: Vec::new(),
        };
        let mut array = JsonArray::start(&empty, out)?;
        self.each_packed(out, &mut array)?;
        array.finish(out)
    }

    /// Writes each entry's main piece, packed JSON (see [`packed`]), in
    /// order, unpacked a chunk of rows at a time on every core.
    fn each_packed(&mut self, out: &mut Out, array: &mut JsonArray) -> Result<()> {
        /// Rows a chunk: about 350 KB of text.
        const CHUNK: usize = 256;
        if self.entries.is_empty() {
            return Ok(());
        }
        self.spool.written()?;
        let names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        let (spool, entries) = (&self.spool, &self.entries);
        let first = array.before_item();
        array.add_items(entries.len() - 1);
        super::ordered::write(
            entries.len(),
            CHUNK,
            super::ordered::threads(),
            |range, text| {
                let mut read = Vec::new();
                for i in range {
                    text.extend_from_slice(if i == 0 { first } else { b",\n" });
                    packed::unpack(spool.read(entries[i].main, &mut read)?, &names, text)?;
                }
                Ok(())
            },
            out,
        )
    }

    fn finish_csv(&mut self, out: &mut Out) -> Result<()> {
        out.bytes(&csv_line(&RAW_HEADER.map(String::from))?)?;
        self.each_main(out, || b"")
    }

    /// Writes each entry's main piece, in order, after what `before` gives
    /// for it. The pieces in the spool's memory go out from there in
    /// batches of slices (copying 14 MB into the output's buffer was most
    /// of the 10k JSON report's last 4 ms); one in the file is read first.
    fn each_main(
        &mut self,
        out: &mut Out,
        mut before: impl FnMut() -> &'static [u8],
    ) -> Result<()> {
        const BATCH: usize = 512;
        let mut buf = Vec::new();
        let mut next = 0;
        while next < self.entries.len() {
            {
                let mut slices = Vec::with_capacity(2 * BATCH);
                for e in self.entries[next..].iter().take(BATCH) {
                    let Some(piece) = self.spool.in_memory(e.main) else {
                        break;
                    };
                    slices.push(std::io::IoSlice::new(before()));
                    slices.push(std::io::IoSlice::new(piece));
                }
                next += slices.len() / 2;
                out.slices(&mut slices)?;
            }
            if let Some(e) = self
                .entries
                .get(next)
                .filter(|e| self.spool.in_memory(e.main).is_none())
            {
                out.bytes(before())?;
                out.bytes(self.spool.piece(e.main, &mut buf)?)?;
                next += 1;
            }
        }
        Ok(())
    }

    fn finish_markdown(&mut self, out: &mut Out) -> Result<()> {
        let mut head = Grid::new(&HUMAN_HEADER, &HUMAN_NUMERIC).markdown();
        if head.is_empty() {
            head.push('\n');
        }
        out.text(&head)?;
        self.each_main(out, || b"")?;
        self.write_footer(out, &Look::default())
    }

    /// The table fitted to the terminal (`Look`), with its coloured
    /// summary line and the notes wrapped to the width.
    fn finish_table(&mut self, out: &mut Out) -> Result<()> {
        if self.entries.is_empty() {
            // no table at all rather than an empty one: the summary says it
            return out.text(self.summary(&self.look).trim_start());
        }
        self.write_table(out, 0, 0..self.entries.len())?;
        let look = self.look;
        self.write_footer(out, &look)
    }

    /// The table of the entries in `range`, all of group `group`.
    fn write_table(
        &mut self,
        out: &mut Out,
        group: u32,
        range: std::ops::Range<usize>,
    ) -> Result<()> {
        self.widths_of(group);
        let slot = self.slot(group);
        super::table::write(
            &self.columns,
            &self.look,
            &self.widths[slot],
            self.drawn.get(group as usize),
            &mut Spooled {
                spool: &mut self.spool,
                pieces: self.entries[range].iter().map(|e| e.main),
            },
            out,
        )
    }

    /// The summary line: the number of targets, per status (withdrawn
    /// targets are no longer assessed: counted apart), `sep` between each
    /// count and its status.
    fn summary_with(&self, sep: char) -> String {
        let withdrawn = self.counts.get(&Status::Withdrawn).copied().unwrap_or(0);
        let counts: Vec<String> = Status::ALL
            .iter()
            .chain(self.counts.keys().filter(|s| !Status::ALL.contains(s)))
            .filter(|s| **s != Status::Withdrawn)
            .filter_map(|s| self.counts.get(s).map(|n| format!("{n}{sep}{}", s.name())))
            .collect();
        let assessed = self.counts.values().sum::<usize>() - withdrawn;
        format!(
            "\n{assessed} target{} as of {} ({}): {}{}\n",
            if assessed == 1 { "" } else { "s" },
            self.as_of,
            self.method.name(),
            if counts.is_empty() {
                "none".to_string()
            } else {
                counts.join(", ")
            },
            if withdrawn > 0 {
                format!("; and {withdrawn} withdrawn")
            } else {
                String::new()
            }
        )
    }

    /// The summary line wrapped to the width of `look` (a count never
    /// parted from its status: they are joined by a no-break space until
    /// the line is wrapped), each count coloured by its status as `look`
    /// asks.
    fn summary(&self, look: &Look) -> String {
        let mut out = self.summary_with('\u{a0}');
        if let Some(w) = look.width {
            out = format!("\n{}\n", super::fit::wrap_hanging(out.trim(), w, "  "));
        }
        for (status, n) in &self.counts {
            let name = status.name();
            out = out.replace(
                &format!("{n}\u{a0}{name}"),
                &color::paint(&format!("{n} {name}"), name, look.color),
            );
        }
        out
    }

    /// The summary line and every note, by target in the report's order,
    /// wrapped to the width of `look`.
    fn write_footer(&mut self, out: &mut Out, look: &Look) -> Result<()> {
        out.text(&self.summary(look))?;
        let mut buf = Vec::new();
        let mut first = true;
        for e in &self.entries {
            if e.extra.is_empty() || !e.first {
                continue;
            }
            if first {
                out.text("\nNotes:\n")?;
                first = false;
            }
            self.spool.get(e.extra, &mut buf)?;
            for line in decode_cells(&buf) {
                let line = match look.width {
                    Some(w) => super::fit::wrap_hanging(&line, w, "  "),
                    None => line,
                };
                out.text(&line)?;
                out.text("\n")?;
            }
        }
        Ok(())
    }

    /// The roll-up: the group table, what it means, then (unless
    /// `--summary`) each group's rows under its heading, and the summary
    /// line.
    fn write_grouped(
        &mut self,
        out: &mut Out,
        g: &Grouping,
        detail: &mut dyn FnMut(&str) -> Result<Show>,
    ) -> Result<()> {
        let groups = g.rollup.summaries();
        let targets: usize = self.counts.values().sum();
        let notes = super::rollup::notes(g.by, &groups, targets);
        // each group's entries: a run, in the groups' order
        let mut runs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        let mut start = 0;
        for (k, group) in groups.iter().enumerate() {
            let end = start
                + self.entries[start..]
                    .iter()
                    .take_while(|e| g.names[e.group as usize] == group.group)
                    .count();
            runs.push((k, start..end));
            start = end;
        }
        let rows = !g.summary;
        match self.format {
            Format::Json => {
                out.text(&super::rollup::json_head(
                    &self.as_of.to_string(),
                    self.method,
                    g.by,
                )?)?;
                let (mut buf, mut text) = (Vec::new(), Vec::new());
                let names = self.names.lock().unwrap_or_else(|p| p.into_inner());
                for (k, range) in runs {
                    out.text(if k == 0 { "\n" } else { ",\n" })?;
                    out.text(&super::rollup::json_group(&groups[k], rows)?)?;
                    if !rows {
                        continue;
                    }
                    for (i, e) in self.entries[range].iter().enumerate() {
                        self.spool.get(e.main, &mut buf)?;
                        text.clear();
                        packed::unpack(&buf, &names, &mut text)?;
                        out.text(if i == 0 { "\n" } else { ",\n" })?;
                        out.text(&super::rollup::indent(&String::from_utf8_lossy(&text), 4))?;
                    }
                    out.text("\n      ]\n    }")?;
                }
                out.text(if groups.is_empty() {
                    "]\n}\n"
                } else {
                    "\n  ]\n}\n"
                })
            }
            Format::Csv if !rows => out.text(&super::rollup::raw(g.by, &groups).csv()?),
            Format::Csv => {
                let mut header = vec!["group".to_string()];
                header.extend(RAW_HEADER.map(String::from));
                out.bytes(&csv_line(&header)?)?;
                let mut buf = Vec::new();
                for (k, range) in runs {
                    let name = csv_line(std::slice::from_ref(&groups[k].group))?;
                    let name = name.strip_suffix(b"\n").unwrap_or(&name);
                    for e in &self.entries[range] {
                        self.spool.get(e.main, &mut buf)?;
                        out.bytes(name)?;
                        out.bytes(b",")?;
                        out.bytes(&buf)?;
                    }
                }
                Ok(())
            }
            Format::Markdown => {
                out.text(&super::rollup::grid(g.by, &groups).markdown())?;
                out.text(&format!("\n{}\n", notes.join("\n\n")))?;
                if rows {
                    let mut buf = Vec::new();
                    let head = Grid::new(&HUMAN_HEADER, &HUMAN_NUMERIC).markdown();
                    for (k, range) in runs {
                        out.text(&format!(
                            "\n### {}\n\n{head}",
                            super::rollup::heading(g.by, &groups[k])
                        ))?;
                        for e in &self.entries[range] {
                            self.spool.get(e.main, &mut buf)?;
                            out.bytes(&buf)?;
                        }
                    }
                }
                self.write_footer(out, &Look::default())
            }
            Format::Table => {
                let look = self.look;
                out.text(&super::rollup::grid(g.by, &groups).table_for(&look))?;
                for n in &notes {
                    out.text(&match look.width {
                        Some(w) => format!("{}\n", super::fit::wrap_hanging(n, w, "  ")),
                        None => format!("{n}\n"),
                    })?;
                }
                if !rows {
                    // no rows: the counts are the summary line's, no notes
                    let mut summary = self.summary_with(' ');
                    if let Some(w) = look.width {
                        summary =
                            format!("\n{}\n", super::fit::wrap_hanging(summary.trim(), w, "  "));
                    }
                    return out.text(&summary);
                }
                for (k, range) in runs {
                    out.text(&format!("\n{}\n", super::rollup::heading(g.by, &groups[k])))?;
                    let group = g.index.get(&groups[k].group).copied().unwrap_or_default();
                    self.write_table(out, group, range)?;
                }
                self.write_footer(out, &look)
            }
            Format::Html => {
                let html = super::html::rollup(g.by, &groups, &notes);
                if !rows {
                    let summary: Vec<(Status, usize)> = Status::ALL
                        .iter()
                        .filter_map(|s| self.counts.get(s).map(|n| (*s, *n)))
                        .collect();
                    let as_of = self.as_of.to_string();
                    let page = super::html::ReportPage::new(&as_of, self.method, targets, &summary);
                    return out.text(&page.summary_page(&html));
                }
                self.finish_html_with(out, detail, Some((html, &g.names, &groups, g.by)))
            }
        }
    }

    fn finish_html(
        &mut self,
        out: &mut Out,
        detail: &mut dyn FnMut(&str) -> Result<Show>,
    ) -> Result<()> {
        self.finish_html_with(out, detail, None)
    }

    /// The page; grouped, with the group table `rollup` before the rows
    /// and a heading row before each group's.
    fn finish_html_with(
        &mut self,
        out: &mut Out,
        detail: &mut dyn FnMut(&str) -> Result<Show>,
        grouped: Option<(String, &[String], &[GroupSummary], GroupBy)>,
    ) -> Result<()> {
        let summary: Vec<(Status, usize)> = Status::ALL
            .iter()
            .filter_map(|s| self.counts.get(s).map(|n| (*s, *n)))
            .collect();
        let as_of = self.as_of.to_string();
        let targets: usize = self.counts.values().sum();
        let mut page = super::html::ReportPage::new(&as_of, self.method, targets, &summary);
        let mut buf = Vec::new();
        let mut chart = Vec::new();
        let rows: Vec<(usize, Status)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.status))
            .collect();
        let mut plan = page.plan(&rows);
        // a target in several groups is shown in detail once
        let mut detailed_ids = std::collections::HashSet::new();
        plan.detailed
            .retain(|&i| detailed_ids.insert(self.entries[i].id.clone()));
        if let Some((html, ..)) = &grouped {
            page.rollup = Some(html.clone());
        }
        out.text(&page.start())?;
        let mut last_group = None;
        for &i in &plan.listed {
            let e = &self.entries[i];
            if let Some((_, names, groups, by)) = &grouped
                && last_group != Some(e.group)
            {
                last_group = Some(e.group);
                let name = &names[e.group as usize];
                if let Some(g) = groups.iter().find(|g| &g.group == name) {
                    out.text(&page.group_row(&super::rollup::heading(*by, g)))?;
                }
            }
            self.spool.get(e.main, &mut buf)?;
            self.spool.get(e.extra, &mut chart)?;
            out.text(&page.row(
                &e.id,
                detailed_ids.contains(&e.id),
                &String::from_utf8_lossy(&buf),
                &String::from_utf8_lossy(&chart),
            ))?;
        }
        out.text(&page.after_rows())?;
        for &i in &plan.detailed {
            let show = detail(&self.entries[i].id)?;
            out.text(&page.section(&show)?)?;
        }
        out.text(page.end())
    }
}

/// The report's terminal table in words and human-scaled numbers: its
/// columns, and how they give way in a narrow terminal.
fn human_grid() -> Grid {
    Grid::new(&HUMAN_HEADER, &HUMAN_NUMERIC)
        // in a narrow terminal: the long texts shorten, the columns of least
        // use go, then what is left wraps; id, latest, target, progress and
        // status stay
        .wraps(0)
        .wraps(4)
        .wraps(5)
        .wraps(10)
        .shrink(2, 40)
        .shrink(1, 16)
        .drop(3)
        .shrink(2, 28)
        .drop(8)
        .drop(9)
        .drop(1)
        .shrink(0, 31)
        .shrink(5, 20)
        .shrink(2, 20)
        .drop(7)
        .drop(2)
        .shrink(5, 16)
        .shrink(4, 15)
        .shrink(0, 26)
        .shrink(5, 14)
        .shrink(10, 14)
        .abbreviate(6, "prog.")
        .shrink(6, 5)
        .shrink(0, 20)
        .shrink(4, 13)
        .shrink(0, 18)
        .shrink(10, 9)
        .status_column(10)
}

/// One report row in words and human-scaled numbers; `narrow` shortens the
/// long text columns to fit a terminal.
pub(super) fn human_row(r: &Row, narrow: bool) -> Vec<String> {
    let unit = r.unit.as_deref().unwrap_or("");
    let dash = || "—".to_string();
    // (joined onto the value, not through the formatting machinery)
    let at = |value: String, period: &str| [&value, " (", period, ")"].concat();
    let baseline = match (&r.baseline, r.kind) {
        (_, Kind::Milestone | Kind::Cumulative) | (None, _) => dash(),
        (Some(b), _) => at(human::value(b.value, unit), &b.period),
    };
    let latest = r.latest.as_ref().map_or_else(dash, |l| {
        at(human::qualified(l.value, l.qualifier, unit), &l.period)
    });
    let target = match (r.kind, r.target.value) {
        (Kind::Milestone, _) => format!("by {}", r.target.deadline),
        (Kind::Cumulative, Some(t)) => {
            let from = r
                .baseline
                .as_ref()
                .map_or(String::new(), |b| b.period.clone());
            format!("Σ {} in {from}", human::value(t, unit))
        }
        (_, Some(t)) => [&human::value(t, unit), " by ", &r.target.deadline].concat(),
        (_, None) if r.target.change.is_some() => format!(
            "{} by {}",
            r.target.change.as_deref().unwrap_or_default(),
            r.target.deadline
        ),
        (_, None) => format!(
            "{} by {}",
            r.direction.unwrap_or("direction"),
            r.target.deadline
        ),
    };
    let rates = match (r.kind, r.required_rate, r.actual_rate) {
        (Kind::Cumulative, Some(req), Some(act)) => format!(
            "{} / {} a year",
            human::value(req, unit),
            human::value(act, unit)
        ),
        (_, Some(req), Some(act)) => [human::rate(req), human::rate(act)].join(" / "),
        (_, Some(req), None) => format!("{} / —", human::rate(req)),
        (_, None, Some(act)) => format!("— / {}", human::rate(act)),
        _ => dash(),
    };
    vec![
        r.id.clone(),
        truncate(
            r.entity.as_deref().unwrap_or(""),
            if narrow { 20 } else { usize::MAX },
        ),
        truncate(
            r.title.as_deref().unwrap_or(""),
            if narrow { 32 } else { usize::MAX },
        ),
        baseline,
        latest,
        target,
        r.progress.map_or_else(dash, human::share),
        rates,
        r.projected
            .as_ref()
            .map_or_else(dash, |p| human::value(p.value, unit)),
        r.gap.map_or_else(dash, |g| human::difference(g, unit)),
        status_cell(r),
    ]
}

fn status_cell(r: &Row) -> String {
    match (&r.milestone, r.status.name()) {
        (Some(m), s) if m.late == Some(true) => format!("{s} (late)"),
        (Some(m), s) if m.done_on.is_none() && m.days_left < 0 => {
            format!("{s} ({} d late)", -m.days_left)
        }
        (Some(m), s) if m.done_on.is_none() => format!("{s} ({} d left)", m.days_left),
        (_, s) => s.to_string(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// Raw numbers in base units and fractions, for spreadsheets.
const RAW_HEADER: [&str; 35] = [
    "id",
    "entity",
    "title",
    "indicator",
    "unit",
    "kind",
    "direction",
    "path",
    "baseline_period",
    "baseline_value",
    "latest_period",
    "latest_value",
    "latest_qualifier",
    "target_value",
    "deadline",
    "progress",
    "time_elapsed",
    "actual_rate",
    "required_rate",
    "required_rate_from_now",
    "rate_ratio",
    "path_value",
    "deviation",
    "projected_value",
    "anticipated_progress",
    "projected_hit",
    "gap",
    "gap_ratio",
    "status",
    "method_value",
    "method_label",
    "score",
    "done_on",
    "days_left",
    "notes",
];

fn raw_row(r: &Row) -> Vec<String> {
    vec![
        r.id.clone(),
        text(r.entity.as_deref()),
        text(r.title.as_deref()),
        text(r.indicator.as_deref()),
        text(r.unit.as_deref()),
        r.kind.name().to_string(),
        text(r.direction),
        text(r.path),
        r.baseline
            .as_ref()
            .map(|b| b.period.clone())
            .unwrap_or_default(),
        cell(r.baseline.as_ref().map(|b| b.value)),
        r.latest
            .as_ref()
            .map(|l| l.period.clone())
            .unwrap_or_default(),
        cell(r.latest.as_ref().map(|l| l.value)),
        text(
            r.latest
                .as_ref()
                .and_then(|l| l.qualifier)
                .map(|q| q.name()),
        ),
        cell(r.target.value),
        r.target.deadline.clone(),
        cell(r.progress),
        cell(r.time_elapsed),
        cell(r.actual_rate),
        cell(r.required_rate),
        cell(r.required_rate_from_now),
        cell(r.rate_ratio),
        cell(r.path_value),
        cell(r.deviation),
        cell(r.projected.as_ref().map(|p| p.value)),
        cell(r.anticipated_progress),
        text(r.projected_hit.as_deref()),
        cell(r.gap),
        cell(r.gap_ratio),
        r.status.name().to_string(),
        cell(r.method_value),
        text(r.method_label),
        cell(r.score),
        text(r.milestone.as_ref().and_then(|m| m.done_on.as_deref())),
        r.milestone
            .as_ref()
            .map(|m| m.days_left.to_string())
            .unwrap_or_default(),
        r.notes.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spooled_cells_read_back_whole() {
        let cells = vec!["".to_string(), "a\nb".to_string(), "—".to_string()];
        let bytes = encode_cells(&cells);
        assert_eq!(super::super::stream::decode_cells(&bytes), cells);
    }

    #[test]
    fn cells_read_into_the_same_strings_are_each_row_s_own() {
        let rows: Vec<Vec<String>> = [
            &["t1", "a longer cell", "x"][..],
            &["t2"],
            &[],
            &["t3", "é"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let mut cells = Vec::new();
        for row in &rows {
            super::super::stream::decode_cells_into(&encode_cells(row), &mut cells);
            assert_eq!(&cells, row);
        }
    }

    proptest::proptest! {
        /// Ordered by their first eight bytes, then whole, ids are in the
        /// order of the ids themselves (bytewise, as Rust orders strings).
        #[test]
        fn ids_by_their_start_then_whole_are_in_the_order_of_the_ids(
            mut ids in proptest::collection::vec("[a-c\\x00é]{0,10}", 0..40)
        ) {
            let mut by_start = ids.clone();
            by_start.sort_by(|a, b| (id_start(a), a).cmp(&(id_start(b), b)));
            ids.sort();
            proptest::prop_assert_eq!(by_start, ids);
        }
    }
}
