//! `goalpost obs add|list|retract|import` (and `goalpost record`).

use std::io::Write;
use std::path::Path;

use super::{Ctx, write_out};
use crate::cli::{ObsAdd, ObsCommand, ObsImport, ObsList, ObsRetract};
use crate::dataset::check_published;
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Source};
use crate::parse;
use crate::render::{human, lists};
use crate::report::ObservationList;
use crate::store::now;

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

/// Checks the fields against the grammar and the indicator's unit.
fn observation(indicator: &Indicator, f: &Fields) -> Result<Observation> {
    let period = parse::period(f.period)?;
    let published = f.published.map(parse::date).transpose()?;
    check_published(&period, published)?;
    let some = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    Ok(Observation {
        id: 0,
        indicator: indicator.id.clone(),
        period,
        value: parse::value_for(f.value, &indicator.unit)?,
        qualifier: f.qualifier.map(parse::qualifier).transpose()?,
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
        )?;
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
    let (observations, indicators) = ctx.open()?.read(|db| {
        if let Some(id) = &a.indicator {
            db.indicator(id)?;
        }
        Ok((db.observations(a.indicator.as_deref())?, db.indicators()?))
    })?;
    let list = ObservationList::build(&observations, &indicators, a.history);
    write_out(out, &lists::observations(&list, a.format.format)?)
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
    let name = a.file.display().to_string();
    let rows = read_csv(&a.file, &name)?;
    let mut store = ctx.open_for_write()?;
    let n = store.write(|db| {
        let indicators = db.indicators()?;
        for (line, row) in &rows {
            let cell = |c: usize| row[c].as_deref();
            let at = |e: Error| Error::in_file(&name, *line, None, e);
            let id = cell(0).unwrap_or_default();
            let indicator = indicators.iter().find(|i| i.id == id).ok_or_else(|| {
                at(Error::NotFound {
                    kind: "indicator",
                    id: id.to_string(),
                    suggestion: crate::error::nearest(id, indicators.iter().map(|i| i.id.as_str())),
                })
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
            .map_err(at)?;
            if !a.dry_run {
                db.add_observation(&o).map_err(at)?;
            }
        }
        Ok(rows.len())
    })?;
    let verb = if a.dry_run {
        "would import"
    } else {
        "imported"
    };
    write_out(out, &format!("{verb} {n} observations from {name}\n"))
}

/// Reads the CSV into rows of the known columns (by header name), with
/// their line numbers. A BOM, CRLF line ends and blank lines are fine.
#[allow(clippy::type_complexity)]
fn read_csv(path: &Path, name: &str) -> Result<Vec<(usize, Vec<Option<String>>)>> {
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::in_file(name, 1, None, e))?
        .clone();
    let mut index = [None; 8];
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
            let line = e.position().map_or(0, |p| p.line() as usize);
            Error::in_file(name, line, None, csv_reason(&e))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
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
    Ok(rows)
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => e.to_string(),
    }
}
