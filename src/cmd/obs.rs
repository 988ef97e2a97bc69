//! `goalpost obs add|list|retract|import` (and `goalpost record`).

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{Ctx, emit, warn, with_output, write_out};
use crate::cli::{ObsAdd, ObsCommand, ObsFormat, ObsImport, ObsList, ObsRetract};
use crate::dataset::check_published;
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Source};
use crate::parse;
use crate::render::stream::Out;
use crate::render::{human, lists};
use crate::report::{ObservationFilter, ObservationList};
use crate::store::{Db, now};

pub fn run(ctx: &Ctx, command: ObsCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        ObsCommand::Add(a) => add(ctx, a, out),
        ObsCommand::List(a) => list(ctx, a, out),
        ObsCommand::Retract(a) => retract(ctx, a, out),
        ObsCommand::Import(a) => import(ctx, a, out),
    }
}

/// The raw fields of one observation, from the command line or a CSV row.
struct Fields<'a> {
    period: &'a str,
    value: &'a str,
    qualifier: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    published: Option<&'a str>,
    note: Option<&'a str>,
}

/// Checks the fields against the grammar and the indicator's unit. An
/// error comes with the field it is in (an index into [`COLUMNS`]), so that
/// a CSV import can name the column.
fn observation(
    indicator: &Indicator,
    f: &Fields,
    recorded: &str,
) -> Result<Observation, (usize, Error)> {
    let at = |field: usize| move |e: crate::error::ParseError| (field, Error::from(e));
    let period = parse::period(f.period).map_err(at(1))?;
    let value = parse::value_for(f.value, &indicator.unit).map_err(at(2))?;
    let qualifier = f
        .qualifier
        .map(parse::qualifier)
        .transpose()
        .map_err(at(3))?;
    let published = f.published.map(parse::date).transpose().map_err(at(6))?;
    check_published(&period, published).map_err(|e| (6, e))?;
    let some = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    Ok(Observation {
        id: 0,
        indicator: indicator.id.clone(),
        period,
        value,
        qualifier,
        source: Source {
            citation: some(f.source),
            url: some(f.url),
        },
        published,
        note: some(f.note),
        recorded: recorded.to_string(),
        retracted: None,
    })
}

pub fn add(ctx: &Ctx, a: ObsAdd, out: &mut dyn Write) -> Result<()> {
    let mut store = ctx.open_for_write()?;
    let (id, o, unit) = store.write(|db| {
        let indicator = db.indicator(&a.indicator)?;
        let o = observation(
            &indicator,
            &Fields {
                period: &a.period,
                value: &a.value,
                qualifier: a.qualifier.as_deref(),
                source: a.source.as_deref(),
                url: a.url.as_deref(),
                published: a.published.as_deref(),
                note: a.note.as_deref(),
            },
            &now(),
        )
        .map_err(|(_, e)| e)?;
        Ok((db.add_observation(&o)?, o, indicator.unit))
    })?;
    write_out(
        out,
        &format!(
            "added observation {id}: {} {} = {}\n",
            o.indicator,
            o.period,
            human::qualified(o.value, o.qualifier, &unit)
        ),
    )
}

/// One indicator at a time, each row written as it comes (a terminal
/// table waits for its widths in a spool).
fn list(ctx: &Ctx, a: ObsList, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let filter = ObservationFilter {
        since: a.since.as_deref().map(parse::period).transpose()?,
        until: a.until.as_deref().map(parse::period).transpose()?,
        source: a.source.clone(),
        entities: a.entity.clone(),
    };
    let look = ctx.look(a.format.output.as_deref());
    if format == crate::render::Format::Table && look.fits() {
        // a table fitted to the terminal needs every row's width
        let (observations, indicators) = ctx.open()?.read(|db| {
            if let Some(id) = &a.indicator {
                db.indicator(id)?;
            }
            Ok((db.observations(a.indicator.as_deref())?, db.indicators()?))
        })?;
        let list = ObservationList::filtered(&observations, &indicators, a.history, &filter);
        let text = lists::observations(&list, format, &look)?;
        return emit(&text, a.format.output.as_deref(), out);
    }
    ctx.open()?.read(|db| {
        if let Some(id) = &a.indicator {
            db.indicator(id)?;
        }
        with_output(a.format.output.as_deref(), out, |out| {
            let mut out = Out(out);
            let mut writer = lists::ListWriter::observations(format, &mut out)?;
            db.each_indicators_observations(a.indicator.as_deref(), |id, group| {
                let indicator: Vec<Indicator> = db.find_indicator(id)?.into_iter().collect();
                let list = ObservationList::filtered(group, &indicator, a.history, &filter);
                for row in &list.observations {
                    writer.observation(row, &mut out)?;
                }
                Ok(())
            })?;
            writer.finish(&mut out)
        })
    })
}

fn retract(ctx: &Ctx, a: ObsRetract, out: &mut dyn Write) -> Result<()> {
    let id: i64 = a.id.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        Error::invalid(format!(
            "invalid observation id '{}': a positive number",
            a.id
        ))
    })?;
    if a.why.trim().is_empty() {
        return Err(Error::invalid(
            "say why with --why: the reason is kept with the observation",
        ));
    }
    ctx.open()?.write(|db| db.retract(id, a.why.trim()))?;
    write_out(out, &format!("retracted observation {id}\n"))
}

const COLUMNS: [&str; 8] = [
    "indicator",
    "period",
    "value",
    "qualifier",
    "source",
    "url",
    "published",
    "note",
];

fn import(ctx: &Ctx, a: ObsImport, out: &mut dyn Write) -> Result<()> {
    if a.format != ObsFormat::Csv {
        return super::published::obs(ctx, a, out);
    }
    if !a.maps.is_empty() || a.create || a.published.is_some() {
        return Err(Error::usage(
            "--map, --create and --published go with --format sdmx-csv, wdi or eurostat-tsv (goalpost's CSV names each row's indicator and publication date)",
        ));
    }
    let name = a.file.display().to_string();
    // the whole file is checked (UTF-8, quotes) before any row is read, as
    // when it was read whole; then rows stream into the transaction
    precheck(&a.file, &name)?;
    let mut store = ctx.open_for_write()?;
    let progress = Progress::new(&a.file, a.quiet);
    let work = |db: &Db| {
        let mut csv = CsvRows::open(&a.file, &name)?;
        let columns = csv.index;
        // the 1-based CSV column of field `f`, for errors
        let column = |f: usize| columns[f].map(|c| c + 1);
        // rows stored before this import, to notice a file imported twice
        // (rows of this very file are further vintages, not repeats)
        let stored_up_to = db.last_observation_id()?;
        let recorded = now();
        // the last indicator met, and whether it had rows before (CSV files
        // come grouped by indicator: one lookup per group)
        let mut last: Option<(Indicator, bool)> = None;
        let (mut rows, mut repeats) = (0, 0);
        while let Some((line, row)) = csv.next_row()? {
            let cell = |c: usize| row[c].as_deref();
            let at = |field: usize, e: Error| Error::in_file(&name, line, column(field), e);
            let Some(id) = cell(0) else {
                return Err(at(0, Error::invalid("no indicator given")));
            };
            if last.as_ref().is_none_or(|(i, _)| i.id != id) {
                let indicator = db.indicator(id).map_err(|e| at(0, e))?;
                let had_rows = db.has_observations_up_to(id, stored_up_to)?;
                last = Some((indicator, had_rows));
            }
            let Some((indicator, had_rows)) = &last else {
                continue;
            };
            let o = observation(
                indicator,
                &Fields {
                    period: cell(1).unwrap_or_default(),
                    value: cell(2).unwrap_or_default(),
                    qualifier: cell(3),
                    source: cell(4),
                    url: cell(5),
                    published: cell(6),
                    note: cell(7),
                },
                &recorded,
            )
            .map_err(|(field, e)| at(field, e))?;
            if *had_rows && db.repeats_stored(&o, stored_up_to)? {
                repeats += 1;
            }
            db.add_observation(&o)
                .map_err(|e| Error::in_file(&name, line, None, e))?;
            rows += 1;
            if rows % 1024 == 0 {
                progress.at(csv.offset());
            }
        }
        Ok((rows, repeats))
    };
    // a dry run adds every row, so that it meets every check, then rolls back
    let done = if a.dry_run {
        store.rehearse(work)
    } else {
        store.write(work)
    };
    progress.finish();
    let (n, repeats) = done?;
    if repeats > 0 {
        warn(&format!(
            "{repeats} of the rows repeat an observation already stored (same indicator, period, value, qualifier, publication date and source); each is kept as a further vintage: was the file imported before?"
        ));
    }
    let verb = if a.dry_run {
        "would import"
    } else {
        "imported"
    };
    let plural = if n == 1 { "" } else { "s" };
    write_out(
        out,
        &format!("{verb} {n} observation{plural} from {name}\n"),
    )
}

/// A progress bar on standard error for an import that takes more than a
/// second, when standard error is a terminal and `--quiet` is not given.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl Progress {
    fn new(file: &Path, quiet: bool) -> Progress {
        let shown = !quiet && std::io::stderr().is_terminal();
        let bar = shown.then(|| {
            let len = std::fs::metadata(file).map_or(0, |m| m.len());
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "importing {bar:40} {bytes}/{total_bytes} ({eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            started: std::time::Instant::now(),
        }
    }

    /// `bytes` of the file are read.
    fn at(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() > std::time::Duration::from_secs(1) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_position(bytes);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The CSV column (0-based) of each of [`COLUMNS`], where present.
type ColumnIndex = [Option<usize>; 8];

/// One data row: its line in the file and its cells in [`COLUMNS`] order
/// (`None` when absent or blank).
type CsvRow<'a> = (usize, &'a [Option<String>]);

/// Checks the whole file before any row is read, in one pass of constant
/// memory: text that is not UTF-8 (naming the line), an empty file, and a
/// quoted field that is never closed.
fn precheck(path: &Path, name: &str) -> Result<()> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut quotes = QuoteState::default();
    let mut buf = vec![0u8; 1 << 16];
    // bytes of a character cut by the end of the last chunk
    let mut carry: Vec<u8> = Vec::new();
    let (mut line, mut first, mut blank) = (1, true, true);
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        let mut chunk = std::mem::take(&mut carry);
        chunk.extend_from_slice(&buf[..n]);
        let mut body: &[u8] = &chunk;
        if first {
            body = body
                .strip_prefix(b"\xef\xbb\xbf".as_slice())
                .unwrap_or(body);
            first = false;
        }
        let text = match std::str::from_utf8(body) {
            Ok(t) => t,
            Err(e) if e.error_len().is_none() => {
                // a character continues in the next chunk
                carry = body[e.valid_up_to()..].to_vec();
                std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => {
                let before = &body[..e.valid_up_to()];
                let line = line + before.iter().filter(|b| **b == b'\n').count();
                return Err(Error::in_file(name, line, None, "not UTF-8 text"));
            }
        };
        blank = blank && text.trim().is_empty();
        quotes.feed(text.as_bytes());
        line += text.bytes().filter(|b| *b == b'\n').count();
    }
    if !carry.is_empty() {
        return Err(Error::in_file(name, line, None, "not UTF-8 text"));
    }
    if blank {
        return Err(Error::in_file(
            name,
            1,
            None,
            format!(
                "the file is empty: its first line must be the header {}",
                COLUMNS.join(",")
            ),
        ));
    }
    if let Some(line) = quotes.unclosed() {
        return Err(Error::in_file(
            name,
            line,
            None,
            "a quoted field opened here is never closed (a missing '\"')",
        ));
    }
    Ok(())
}

/// The rows of an observation CSV, one at a time: cells in [`COLUMNS`]
/// order (`None` when absent or blank) with their line in the file. A BOM,
/// CRLF line ends and blank lines are fine; an unknown or repeated column,
/// a row of the wrong length and text that is not UTF-8 are errors naming
/// the line.
struct CsvRows<'a> {
    reader: csv::Reader<LineEnds<std::io::BufReader<std::fs::File>>>,
    name: &'a str,
    index: ColumnIndex,
    record: csv::ByteRecord,
    row: Vec<Option<String>>,
}

impl<'a> CsvRows<'a> {
    fn open(path: &Path, name: &'a str) -> Result<CsvRows<'a>> {
        use std::io::BufRead;
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        if file.fill_buf().map_err(io)?.starts_with(b"\xef\xbb\xbf") {
            file.consume(3);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(LineEnds::new(file));
        let header = reader
            .headers()
            .map_err(|e| Error::in_file(name, 1, None, e))?
            .clone();
        let mut index: ColumnIndex = [None; 8];
        for (col, h) in header.iter().enumerate() {
            let h = h.trim();
            let known = COLUMNS
                .iter()
                .position(|c| c.eq_ignore_ascii_case(h))
                .ok_or_else(|| {
                    Error::in_file(
                        name,
                        1,
                        Some(col + 1),
                        format!("unknown column '{h}' (expected {})", COLUMNS.join(",")),
                    )
                })?;
            if index[known].replace(col).is_some() {
                return Err(Error::in_file(
                    name,
                    1,
                    Some(col + 1),
                    format!("column '{h}' appears twice"),
                ));
            }
        }
        if let Some(missing) = (0..3).find(|&i| index[i].is_none()) {
            return Err(Error::in_file(
                name,
                1,
                None,
                format!(
                    "no '{}' column: the header must name indicator,period,value[,qualifier,source,url,published,note]",
                    COLUMNS[missing]
                ),
            ));
        }
        Ok(CsvRows {
            reader,
            name,
            index,
            record: csv::ByteRecord::new(),
            row: vec![None; 8],
        })
    }

    /// How far into the file the reader is, in bytes.
    fn offset(&mut self) -> u64 {
        self.reader.get_ref().offset
    }

    /// The next row that is not blank, with its line.
    fn next_row(&mut self) -> Result<Option<CsvRow<'_>>> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| {
                    let line = e
                        .position()
                        .map_or(0, |p| self.reader.get_mut().line_at(p.byte()));
                    Error::in_file(self.name, line, None, csv_reason(&e))
                })?;
            if !more {
                return Ok(None);
            }
            let line = self
                .record
                .position()
                .map_or(0, |p| self.reader.get_mut().line_at(p.byte()));
            if self.record.iter().all(|c| c.trim_ascii().is_empty()) {
                continue;
            }
            for (slot, c) in self.row.iter_mut().zip(self.index) {
                *slot = match c.and_then(|c| self.record.get(c)) {
                    Some(bytes) => {
                        let text = std::str::from_utf8(bytes)
                            .map_err(|_| Error::in_file(self.name, line, None, "not UTF-8 text"))?
                            .trim();
                        (!text.is_empty()).then(|| text.to_string())
                    }
                    None => None,
                };
            }
            return Ok(Some((line, &self.row)));
        }
    }
}

/// A reader that notes where line ends are in what passes through it, to
/// turn the byte offsets the csv crate gives into 1-based line numbers
/// (its own line count skips blank lines). Only the line ends read but not
/// yet asked about are kept: constant memory.
struct LineEnds<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes not yet passed, in order.
    ends: std::collections::VecDeque<(u64, u8)>,
    /// Lines begun before the first of `ends`.
    line: usize,
}

impl<R> LineEnds<R> {
    fn new(inner: R) -> LineEnds<R> {
        LineEnds {
            inner,
            offset: 0,
            ends: Default::default(),
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a
    /// line end: the csv crate puts the start of a record before the line
    /// ends (and blank lines) that precede it. Offsets only grow.
    fn line_at(&mut self, byte: u64) -> usize {
        let mut at = byte;
        while let Some(&(offset, b)) = self.ends.front() {
            if offset > at {
                break;
            }
            if offset == at {
                at += 1;
            }
            if b == b'\n' {
                self.line += 1;
            }
            self.ends.pop_front();
        }
        self.line
    }
}

impl<R: std::io::Read> std::io::Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                self.ends.push_back((self.offset + i as u64, *b));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Finds a quoted field that is opened and never closed, fed the file in
/// pieces. The csv crate would silently read such a field to the end of
/// the file.
struct QuoteState {
    state: Quote,
    line: usize,
    opened: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    FieldStart,
    Unquoted,
    Quoted,
    ClosedOrEscaped,
}

impl Default for QuoteState {
    fn default() -> QuoteState {
        QuoteState {
            state: Quote::FieldStart,
            line: 1,
            opened: 1,
        }
    }
}

impl QuoteState {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (Quote::FieldStart, b'"') => {
                    self.opened = self.line;
                    Quote::Quoted
                }
                (Quote::Quoted, b'"') => Quote::ClosedOrEscaped,
                (Quote::Quoted, _) => Quote::Quoted,
                (Quote::ClosedOrEscaped, b'"') => Quote::Quoted,
                (_, b',' | b'\n' | b'\r') => Quote::FieldStart,
                _ => Quote::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    /// The line on which the field still open at the end was opened.
    fn unclosed(&self) -> Option<usize> {
        (self.state == Quote::Quoted).then_some(self.opened)
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed_quote(text: &str) -> Option<usize> {
        let mut q = QuoteState::default();
        // in pieces, as the file is read
        for piece in text.as_bytes().chunks(3) {
            q.feed(piece);
        }
        q.unclosed()
    }

    #[test]
    fn an_unclosed_quote_is_found_on_its_line() {
        assert_eq!(unclosed_quote("a,b\nx,\"y\n1,2\n"), Some(2));
        assert_eq!(unclosed_quote("a,b\nx,\"y\"\"z\"\n"), None);
        assert_eq!(unclosed_quote("a,b\nx,5\" screen\n"), None);
        assert_eq!(unclosed_quote("a,b\r\n\"x,\ny\",1\r\n"), None);
    }

    #[test]
    fn lines_count_blank_lines_too() {
        use std::io::Read;
        let text = "h\n\nrow\n\r\nrow\n";
        let mut lines = LineEnds::new(text.as_bytes());
        let mut sink = Vec::new();
        lines.read_to_end(&mut sink).unwrap();
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 3);
        assert_eq!(lines.line_at(6), 5);
    }
}
