//! `goalpost obs add|list|retract|import` (and `goalpost record`).

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;

use super::{Ctx, emit, warn, write_out};
use crate::cli::{ObsAdd, ObsCommand, ObsFormat, ObsImport, ObsList, ObsRetract};
use crate::dataset::check_published;
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Source};
use crate::parse;
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
fn observation(indicator: &Indicator, f: &Fields) -> Result<Observation, (usize, Error)> {
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
        recorded: now(),
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

fn list(ctx: &Ctx, a: ObsList, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let filter = ObservationFilter {
        since: a.since.as_deref().map(parse::period).transpose()?,
        until: a.until.as_deref().map(parse::period).transpose()?,
        source: a.source.clone(),
        entities: a.entity.clone(),
    };
    let (observations, indicators) = ctx.open()?.read(|db| {
        if let Some(id) = &a.indicator {
            db.indicator(id)?;
        }
        Ok((db.observations(a.indicator.as_deref())?, db.indicators()?))
    })?;
    let list = ObservationList::filtered(&observations, &indicators, a.history, &filter);
    let look = ctx.look(a.format.output.as_deref());
    let text = lists::observations(&list, format, &look)?;
    emit(&text, a.format.output.as_deref(), out)
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

/// What makes two observations the same entry: indicator, period as
/// written, value (bits), qualifier, publication date and source.
type Repeat = (
    String,
    String,
    u64,
    Option<&'static str>,
    Option<NaiveDate>,
    Source,
);

fn repeat_key(o: &Observation) -> Repeat {
    (
        o.indicator.clone(),
        o.period.to_string(),
        o.value.to_bits(),
        o.qualifier.map(|q| q.name()),
        o.published,
        o.source.clone(),
    )
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
    let (columns, rows) = read_csv(&a.file, &name)?;
    // the 1-based CSV column of field `f`, for errors
    let column = |f: usize| columns[f].map(|c| c + 1);
    let mut store = ctx.open_for_write()?;
    let work = |db: &Db| {
        let indicators = db.indicators()?;
        // what is already stored, to notice a file imported twice (a set:
        // one lookup a row, however many vintages a period has)
        let stored: HashSet<Repeat> = db.observations(None)?.iter().map(repeat_key).collect();
        let mut repeats = 0;
        for (line, row) in &rows {
            let cell = |c: usize| row[c].as_deref();
            let at = |field: usize, e: Error| Error::in_file(&name, *line, column(field), e);
            let Some(id) = cell(0) else {
                return Err(at(0, Error::invalid("no indicator given")));
            };
            let indicator = indicators.iter().find(|i| i.id == id).ok_or_else(|| {
                at(
                    0,
                    Error::NotFound {
                        kind: "indicator",
                        id: id.to_string(),
                        suggestion: crate::error::nearest(
                            id,
                            indicators.iter().map(|i| i.id.as_str()),
                        ),
                    },
                )
            })?;
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
            )
            .map_err(|(field, e)| at(field, e))?;
            if stored.contains(&repeat_key(&o)) {
                repeats += 1;
            }
            db.add_observation(&o)
                .map_err(|e| Error::in_file(&name, *line, None, e))?;
        }
        Ok((rows.len(), repeats))
    };
    // a dry run adds every row, so that it meets every check, then rolls back
    let (n, repeats) = if a.dry_run {
        store.rehearse(work)?
    } else {
        store.write(work)?
    };
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

/// The CSV column (0-based) of each of [`COLUMNS`], where present.
type ColumnIndex = [Option<usize>; 8];

/// One data row: its line in the file and its cells in [`COLUMNS`] order
/// (`None` when absent or blank).
type CsvRow = (usize, Vec<Option<String>>);

/// Reads the CSV into rows of the known columns (by header name), with
/// their line numbers. A BOM, CRLF line ends and blank lines are fine; text
/// that is not UTF-8, an unknown or repeated column, a row of the wrong
/// length and a quote that is never closed are errors naming the line.
fn read_csv(path: &Path, name: &str) -> Result<(ColumnIndex, Vec<CsvRow>)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::in_file(name, line, None, "not UTF-8 text")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
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
    if let Some(line) = unclosed_quote(text) {
        return Err(Error::in_file(
            name,
            line,
            None,
            "a quoted field opened here is never closed (a missing '\"')",
        ));
    }
    let mut lines = LineCounter::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
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
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| lines.at(p.byte()));
            Error::in_file(name, line, None, csv_reason(&e))
        })?;
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = index
            .iter()
            .map(|c| {
                c.and_then(|c| record.get(c))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            })
            .collect();
        rows.push((line, row));
    }
    Ok((index, rows))
}

/// Turns byte offsets into 1-based line numbers, for offsets that only grow
/// (the csv crate's own line count skips blank lines).
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn new(text: &str) -> LineCounter<'_> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first character at or after `byte` that is not a
    /// line end: the csv crate puts the start of a record before the line
    /// ends (and blank lines) that precede it.
    fn at(&mut self, byte: u64) -> usize {
        let bytes = self.text.as_bytes();
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte < self.offset {
            *self = LineCounter::new(self.text);
        }
        let skipped = &bytes[self.offset..byte];
        self.line += skipped.iter().filter(|b| **b == b'\n').count();
        self.offset = byte;
        self.line
    }
}

/// The line on which a quoted field opens and is never closed, if any. The
/// csv crate would silently read such a field to the end of the file.
fn unclosed_quote(text: &str) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut opened) = (1, 1);
    for b in text.bytes() {
        state = match (state, b) {
            (State::FieldStart, b'"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b',' | b'\n' | b'\r') => State::FieldStart,
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
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

    #[test]
    fn an_unclosed_quote_is_found_on_its_line() {
        assert_eq!(unclosed_quote("a,b\nx,\"y\n1,2\n"), Some(2));
        assert_eq!(unclosed_quote("a,b\nx,\"y\"\"z\"\n"), None);
        assert_eq!(unclosed_quote("a,b\nx,5\" screen\n"), None);
        assert_eq!(unclosed_quote("a,b\r\n\"x,\ny\",1\r\n"), None);
    }

    #[test]
    fn lines_count_blank_lines_too() {
        let text = "h\n\nrow\n\r\nrow\n";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.at(0), 1);
        assert_eq!(lines.at(2), 3);
        assert_eq!(lines.at(6), 5);
        assert_eq!(lines.at(0), 1);
    }
}
