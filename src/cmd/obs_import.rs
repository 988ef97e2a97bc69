//! `goalpost obs import FILE` of goalpost's own CSV (the published formats
//! are read in `published.rs`): its dialect (delimiter, decimal comma), its
//! header, and its rows streamed into one transaction. Every bad line is
//! reported, not only the first; a row already stored is skipped as
//! unchanged; the rows stored form one import batch.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::input::Input;
use super::obs::{Fields, observation};
use super::{Ctx, write_out};
use crate::batch::{self, Recorder};
use crate::cli::{ObsFormat, ObsImport};
use crate::error::{BadLines, Error, ParseError, Result};
use crate::model::{Indicator, Observation, Retraction};
use crate::render::lists::OBSERVATION_CSV_HEADER as HEADER;
use crate::store::{Db, now};

/// The columns an import reads: the first nine of `obs list --format
/// csv`'s header.
pub const COLUMNS: usize = 9;
/// The export's columns that an import uses: a row retracted where it was
/// exported is stored retracted, with its reason. The others (`id`,
/// `recorded`, `state`) belong to the exporting database and are skipped.
const RETRACTED: usize = 12;
const RETRACTED_WHY: usize = 13;

pub fn import(ctx: &Ctx, a: ObsImport, out: &mut dyn Write) -> Result<()> {
    if a.format != ObsFormat::Csv {
        if a.delimiter.is_some() || a.decimal_comma || a.ignore_columns {
            return Err(Error::usage(
                "--delimiter, --decimal-comma and --ignore-columns go with goalpost's CSV (--format csv); a published format is read as it is published",
            ));
        }
        return super::published::obs(ctx, a, out);
    }
    if !a.maps.is_empty() || a.create || a.published.is_some() {
        return Err(Error::usage(
            "--map, --create and --published go with --format sdmx-csv, wdi or eurostat-tsv (goalpost's CSV names each row's indicator and publication date)",
        ));
    }
    let input = Input::open(&a.file)?;
    let name = input.name();
    let dialect = Dialect::of(&a, &input)?;
    // the whole file is checked (UTF-8, quotes) before any row is read, as
    // when it was read whole; then rows stream into the transaction
    precheck(input.path(), name, dialect.delimiter)?;
    let mut store = ctx.open_for_write()?;
    let progress = Progress::new(input.path(), a.quiet);
    let work = |db: &Db| {
        let mut csv = CsvRows::open(input.path(), name, dialect.delimiter, a.ignore_columns)?;
        let mut rows = Rows {
            db,
            name,
            dialect: &dialect,
            index: csv.index,
            // rows stored before this import, to find those it would store
            // again (rows of this very file are further vintages, in order)
            stored_up_to: db.last_observation_id()?,
            recorded: now(),
            last: None,
        };
        let mut batch = Recorder::new(name, "csv");
        let mut bad = BadLines::default();
        let (mut done, mut seen) = (Done::default(), 0usize);
        while let Some((line, row)) = csv.next_row()? {
            let o = row.and_then(|row| rows.observation(line, row));
            match o {
                Err(e) => bad.push(e),
                // after a bad line nothing is stored: only the checks go on
                Ok(_) if !bad.is_empty() => {}
                Ok((o, had_rows)) => {
                    if had_rows && db.unchanged(&o, rows.stored_up_to)? {
                        done.unchanged += 1;
                    } else {
                        batch
                            .add(db, &o)
                            .map_err(|e| Error::in_file(name, line, None, e))?;
                        done.added += 1;
                        done.retracted += usize::from(o.retracted.is_some());
                    }
                }
            }
            seen += 1;
            if seen % 1024 == 0 {
                progress.at(csv.offset());
            }
        }
        bad.result(name)?;
        done.batch = batch.finish(db, done.added, done.unchanged)?;
        done.ignored = csv.ignored;
        Ok(done)
    };
    // a dry run adds every row, so that it meets every check, then rolls back
    let done = if a.dry_run {
        store.rehearse(work)
    } else {
        store.write(work)
    };
    progress.finish();
    let done = done?;
    write_out(out, &done.summary(name, a.dry_run))
}

/// What an import did.
#[derive(Default)]
struct Done {
    added: usize,
    /// Rows already stored, skipped.
    unchanged: usize,
    /// Of the rows added, those retracted in the file.
    retracted: usize,
    batch: Option<i64>,
    /// Columns skipped under `--ignore-columns`.
    ignored: Vec<String>,
}

impl Done {
    /// `imported 402 observations from obs.csv as batch 3 (11 unchanged)`.
    fn summary(&self, name: &str, dry_run: bool) -> String {
        let verb = if dry_run { "would import" } else { "imported" };
        let n = self.added;
        let plural = if n == 1 { "" } else { "s" };
        let mut details = Vec::new();
        if self.unchanged > 0 {
            details.push(format!("{} unchanged", self.unchanged));
        }
        if self.retracted > 0 {
            details.push(format!(
                "{} of them retracted, as in the file",
                self.retracted
            ));
        }
        if !self.ignored.is_empty() {
            details.push(format!("columns ignored: {}", self.ignored.join(", ")));
        }
        let details = if details.is_empty() {
            String::new()
        } else {
            format!(" ({})", details.join("; "))
        };
        let batch = if dry_run {
            String::new()
        } else {
            batch::named(self.batch)
        };
        format!("{verb} {n} observation{plural} from {name}{batch}{details}\n")
    }
}

/// How a file writes its cells.
struct Dialect {
    delimiter: u8,
    /// `7,5` is 7.5 (`--decimal-comma`).
    decimal_comma: bool,
}

impl Dialect {
    /// `--delimiter`, else a tab for a `.tsv` file, else the delimiter its
    /// header line uses; a decimal comma needs another delimiter.
    fn of(a: &ObsImport, input: &Input) -> Result<Dialect> {
        let tsv = a
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
        let delimiter = match a.delimiter {
            Some(d) => d,
            None if tsv => b'\t',
            None => sniff(input.path())?,
        };
        if a.decimal_comma && delimiter == b',' {
            let why = "--decimal-comma needs ';' or tab between the cells: with commas, 7,5 would be two cells";
            return Err(if a.delimiter.is_some() {
                Error::usage(why)
            } else {
                Error::in_file(
                    input.name(),
                    1,
                    None,
                    format!("the header is comma-separated, and {why}"),
                )
            });
        }
        Ok(Dialect {
            delimiter,
            decimal_comma: a.decimal_comma,
        })
    }

    /// A value as the grammar reads it: `7,5` and `1.234,5` under a
    /// decimal comma are `7.5` and `1,234.5`.
    fn value(&self, cell: &str) -> String {
        if self.decimal_comma {
            cell.chars()
                .map(|c| match c {
                    ',' => '.',
                    '.' => ',',
                    c => c,
                })
                .collect()
        } else {
            cell.to_string()
        }
    }

    /// A value that does not read, named as written: under a decimal
    /// comma, with its rule; a comma in a cell that a semicolon or a tab
    /// delimits, with the hint of `--decimal-comma`.
    fn value_error(&self, e: ParseError, written: Option<&str>) -> ParseError {
        let written = written.unwrap_or_default();
        let about_marks = e.reason.contains("'.'") || e.reason.contains("','");
        if self.decimal_comma {
            let reason = if about_marks || written.contains('.') {
                "under --decimal-comma a number is written 7,5 or 1.234,5 (',' marks the decimals, '.' separates thousands in groups of three)".to_string()
            } else {
                e.reason
            };
            return ParseError::new(e.what, written, reason);
        }
        if about_marks && self.delimiter != b',' && written.contains(',') {
            let reason = format!(
                "{}; if ',' marks the decimals here, pass --decimal-comma",
                e.reason
            );
            return ParseError::new(e.what, written, reason);
        }
        e
    }
}

/// The delimiter of the header line: the one of `,` `;` and tab that it
/// uses most outside quotes (a comma when it uses none).
fn sniff(path: &Path) -> Result<u8> {
    use std::io::{BufRead, Read};
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .take(1 << 20)
        .read_until(b'\n', &mut line)
        .map_err(io)?;
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
            c.1 += 1;
        }
    }
    // the most used; on a tie the first of comma, semicolon, tab
    let best = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d);
    Ok(best)
}

/// Turns a file's rows into observations, one indexed lookup of the
/// indicator per run of rows of the same indicator.
struct Rows<'a, 'db> {
    db: &'a Db<'db>,
    name: &'a str,
    dialect: &'a Dialect,
    index: ColumnIndex,
    stored_up_to: i64,
    recorded: String,
    /// The last indicator met: found (and whether it had rows before the
    /// import) or the error that naming it gave. CSV files come grouped by
    /// indicator.
    last: Option<(String, Found)>,
}

/// An indicator looked up: itself and whether it had rows before the
/// import, or the error message that naming it gives.
type Found = std::result::Result<(Indicator, bool), String>;

impl Rows<'_, '_> {
    /// The observation of one row, and whether its indicator had rows
    /// before the import; an error names the line and column.
    fn observation(&mut self, line: usize, row: &[Option<String>]) -> Result<(Observation, bool)> {
        let cell = |c: usize| row[c].as_deref();
        let index = self.index;
        let name = self.name;
        let at =
            |field: usize, e: Error| Error::in_file(name, line, index[field].map(|c| c + 1), e);
        let Some(id) = cell(0) else {
            return Err(at(0, Error::invalid("no indicator given")));
        };
        if self.last.as_ref().is_none_or(|(last, _)| last != id) {
            let found = match self.db.find_indicator(id)? {
                Some(i) => Ok((i, self.db.has_observations_up_to(id, self.stored_up_to)?)),
                None => Err(self
                    .db
                    .indicator(id)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()),
            };
            self.last = Some((id.to_string(), found));
        }
        let Some((_, found)) = &self.last else {
            unreachable!("set above");
        };
        let (indicator, had_rows) = match found {
            Ok(found) => found,
            Err(message) => return Err(at(0, Error::invalid(message.clone()))),
        };
        let value = self.dialect.value(cell(2).unwrap_or_default());
        let mut o = observation(
            indicator,
            &Fields {
                period: cell(1).unwrap_or_default(),
                value: &value,
                qualifier: cell(3),
                source: cell(4),
                url: cell(5),
                published: cell(6),
                note: cell(7),
                flags: cell(8),
            },
            &self.recorded,
        )
        .map_err(|(field, e)| match e {
            Error::Parse(e) if field == 2 => at(field, self.dialect.value_error(e, cell(2)).into()),
            e => at(field, e),
        })?;
        if cell(RETRACTED).is_some() {
            o.retracted = Some(Retraction {
                at: self.recorded.clone(),
                why: cell(RETRACTED_WHY)
                    .unwrap_or("retracted in the file it was imported from")
                    .to_string(),
            });
        }
        indicator
            .check_standing(&o)
            .map_err(|e| at(2, Error::invalid(e)))?;
        Ok((o, *had_rows))
    }
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

/// The CSV column (0-based) of each column of [`HEADER`], where present.
type ColumnIndex = [Option<usize>; HEADER.len()];

/// One data row: its line in the file and its cells in [`HEADER`] order
/// (`None` when absent or blank), or what is wrong with it.
type CsvRow<'a> = (usize, Result<&'a [Option<String>]>);

/// Checks the whole file before any row is read, in one pass of constant
/// memory: text that is not UTF-8 (naming the line), an empty file, and a
/// quoted field that is never closed.
fn precheck(path: &Path, name: &str, delimiter: u8) -> Result<()> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut quotes = QuoteState::new(delimiter);
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
                HEADER[..COLUMNS].join(",")
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

/// The rows of an observation CSV, one at a time: cells in [`HEADER`]
/// order (`None` when absent or blank) with their line in the file. A BOM,
/// CRLF line ends and blank lines are fine. An unknown column (unless
/// ignored) or one given twice is an error; a row of the wrong length or
/// that is not UTF-8 is a bad line.
struct CsvRows<'a> {
    reader: csv::Reader<LineEnds<std::io::BufReader<std::fs::File>>>,
    name: &'a str,
    index: ColumnIndex,
    /// The header's length.
    width: usize,
    /// The unknown columns skipped (`--ignore-columns`).
    ignored: Vec<String>,
    record: csv::ByteRecord,
    row: Vec<Option<String>>,
}

impl<'a> CsvRows<'a> {
    fn open(path: &Path, name: &'a str, delimiter: u8, ignore: bool) -> Result<CsvRows<'a>> {
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
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineEnds::new(file));
        let header = reader
            .headers()
            .map_err(|e| Error::in_file(name, 1, None, e))?
            .clone();
        let mut index: ColumnIndex = [None; HEADER.len()];
        let (mut unknown, mut ignored) = (Vec::new(), Vec::new());
        for (col, h) in header.iter().enumerate() {
            let h = h.trim();
            let Some(known) = HEADER.iter().position(|c| c.eq_ignore_ascii_case(h)) else {
                unknown.push((col, h.to_string()));
                continue;
            };
            if index[known].replace(col).is_some() {
                return Err(Error::in_file(
                    name,
                    1,
                    Some(col + 1),
                    format!("column '{h}' appears twice"),
                ));
            }
        }
        if let Some((col, _)) = unknown.first() {
            let names: Vec<String> = unknown.iter().map(|(_, h)| format!("'{h}'")).collect();
            let none_known = index.iter().all(Option::is_none);
            if !ignore || none_known {
                let hint = if none_known {
                    "the first line must be the header".to_string()
                } else {
                    "--ignore-columns skips the others".to_string()
                };
                return Err(Error::in_file(
                    name,
                    1,
                    Some(col + 1),
                    format!(
                        "unknown column{} {} (expected {}; {hint})",
                        if names.len() == 1 { "" } else { "s" },
                        names.join(", "),
                        HEADER[..COLUMNS].join(","),
                    ),
                ));
            }
            ignored = unknown.into_iter().map(|(_, h)| h).collect();
        }
        if let Some(missing) = (0..3).find(|&i| index[i].is_none()) {
            return Err(Error::in_file(
                name,
                1,
                None,
                format!(
                    "no '{}' column: the header must name indicator,period,value[,qualifier,source,url,published,note]",
                    HEADER[missing]
                ),
            ));
        }
        Ok(CsvRows {
            reader,
            name,
            index,
            width: header.len(),
            ignored,
            record: csv::ByteRecord::new(),
            row: vec![None; HEADER.len()],
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
                    Error::in_file(self.name, line, None, e)
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
            if self.record.len() != self.width {
                let e = format!(
                    "{} fields where the header has {}",
                    self.record.len(),
                    self.width
                );
                return Ok(Some((line, Err(Error::in_file(self.name, line, None, e)))));
            }
            for (slot, c) in self.row.iter_mut().zip(self.index) {
                *slot = match c.and_then(|c| self.record.get(c)) {
                    Some(bytes) => match std::str::from_utf8(bytes) {
                        Ok(text) => {
                            let text = text.trim();
                            (!text.is_empty()).then(|| text.to_string())
                        }
                        Err(_) => {
                            let e = Error::in_file(self.name, line, None, "not UTF-8 text");
                            return Ok(Some((line, Err(e))));
                        }
                    },
                    None => None,
                };
            }
            return Ok(Some((line, Ok(&self.row))));
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
    delimiter: u8,
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

impl QuoteState {
    fn new(delimiter: u8) -> QuoteState {
        QuoteState {
            delimiter,
            state: Quote::FieldStart,
            line: 1,
            opened: 1,
        }
    }

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
                (_, b'\n' | b'\r') => Quote::FieldStart,
                (_, b) if b == self.delimiter => Quote::FieldStart,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed_quote(text: &str) -> Option<usize> {
        let mut q = QuoteState::new(b',');
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
