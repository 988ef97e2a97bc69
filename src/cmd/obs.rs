//! `goalpost obs add|list|retract|batches` (and `goalpost record`); `obs
//! import` is in `obs_import.rs`.

use std::io::Write;

use super::{Ctx, emit_as, warn, with_output_as, write_out};
use crate::cli::{FormatArgs, ObsAdd, ObsCommand, ObsList, ObsRetract};
use crate::dataset::{check_published, not_a_forecast};
use crate::error::{Error, Result};
use crate::model::{Flags, Indicator, Observation, Source};
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
        ObsCommand::Import(a) => super::obs_import::import(ctx, a, out),
        ObsCommand::Batches(f) => batches(ctx, f, out),
    }
}

/// The raw fields of one observation, from the command line or a CSV row.
pub(super) struct Fields<'a> {
    pub period: &'a str,
    pub value: &'a str,
    pub qualifier: Option<&'a str>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub published: Option<&'a str>,
    pub note: Option<&'a str>,
    /// Flag words, separated by commas, semicolons or spaces.
    pub flags: Option<&'a str>,
}

/// Checks the fields against the grammar and the indicator's unit. An
/// error comes with the field it is in (an index into the CSV header,
/// `obs_import::COLUMNS`), so that a CSV import can name the column.
pub(super) fn observation(
    indicator: &Indicator,
    f: &Fields,
    recorded: &str,
) -> Result<Observation, (usize, Error)> {
    let at = |field: usize| move |e: crate::error::ParseError| (field, Error::from(e));
    let period = parse::period_in(f.period, indicator.year_start).map_err(at(1))?;
    let value = parse::value_for(f.value, &indicator.unit).map_err(at(2))?;
    let qualifier = f
        .qualifier
        .map(parse::qualifier)
        .transpose()
        .map_err(at(3))?;
    let published = f.published.map(parse::date).transpose().map_err(at(6))?;
    check_published(&period, published).map_err(|e| (6, e))?;
    let flags = Flags::parse(f.flags.unwrap_or_default())
        .map_err(Error::invalid)
        .and_then(not_a_forecast)
        .map_err(|e| (8, e))?;
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
        flags,
        recorded: recorded.to_string(),
        retracted: None,
    })
}

pub fn add(ctx: &Ctx, a: ObsAdd, out: &mut dyn Write) -> Result<()> {
    let mut store = ctx.open_for_write()?;
    let (id, o, indicator) = store.write(|db| {
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
                flags: Some(&a.flag.join(",")),
            },
            &now(),
        )
        .map_err(|(_, e)| e)?;
        indicator.check_standing(&o).map_err(Error::invalid)?;
        Ok((db.add_observation(&o)?, o, indicator))
    })?;
    if let Some(w) = parse::fiscal_lookalike(&o.period, indicator.year_start) {
        warn(&w);
    }
    write_out(
        out,
        &format!(
            "added observation {id}: {} {} = {}{}\n",
            o.indicator,
            o.period,
            human::qualified(o.value, o.qualifier, &indicator.unit),
            if o.flags.is_empty() {
                String::new()
            } else {
                format!(" ({})", o.flags.names().join(", "))
            }
        ),
    )
}

/// One indicator at a time, each row written as it comes (a terminal
/// table waits for its widths in a spool). With `--batch`, only the
/// indicators of the batch are read, and only its rows are shown.
fn list(ctx: &Ctx, a: ObsList, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let batch = a
        .batch
        .as_deref()
        .map(|b| positive_id(b, "import batch"))
        .transpose()?;
    let mut filter = ObservationFilter {
        since: a.since.as_deref().map(parse::period).transpose()?,
        until: a.until.as_deref().map(parse::period).transpose()?,
        source: a.source.clone(),
        entities: a.entity.clone(),
        ids: None,
    };
    // a batch's rows are all shown, superseded and retracted ones included
    let history = a.history || batch.is_some();
    let mut store = ctx.open()?;
    // the indicators to read, in id order: None for all
    let indicators: Option<Vec<String>> = store.read(|db| {
        if let Some(id) = &a.indicator {
            db.indicator(id)?;
        }
        let Some(n) = batch else {
            return Ok(a.indicator.clone().map(|id| vec![id]));
        };
        db.batch(n)?;
        let (ids, mut of) = db.batch_contents(n)?;
        filter.ids = Some(ids.into_iter().collect());
        if let Some(id) = &a.indicator {
            of.retain(|i| i == id);
        }
        Ok(Some(of))
    })?;
    let each = |db: &Db, f: &mut dyn FnMut(&str, &[Observation]) -> Result<()>| match &indicators {
        None => db.each_indicators_observations(None, f),
        Some(ids) => ids
            .iter()
            .try_for_each(|id| db.each_indicators_observations(Some(id), &mut *f)),
    };
    let look = ctx.look(a.format.output.as_deref());
    store.read(|db| {
        with_output_as(&a.format, out, |out| {
            let mut out = Out(out);
            let mut writer = lists::ListWriter::observations(format, &look, &mut out)?;
            each(db, &mut |id, group| {
                let indicator: Vec<Indicator> = db.find_indicator(id)?.into_iter().collect();
                let list = ObservationList::filtered(group, &indicator, history, &filter);
                for row in &list.observations {
                    writer.observation(row, &mut out)?;
                }
                Ok(())
            })?;
            writer.finish(&mut out)
        })
    })
}

/// An id given on the command line: a positive number.
fn positive_id(text: &str, what: &str) -> Result<i64> {
    text.trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid(format!("invalid {what} id '{text}': a positive number")))
}

/// `obs retract ID… --why` or `obs retract --batch N --why`: in one
/// transaction, all or none.
fn retract(ctx: &Ctx, a: ObsRetract, out: &mut dyn Write) -> Result<()> {
    let why = a.why.trim();
    if why.is_empty() {
        return Err(Error::invalid(
            "say why with --why: the reason is kept with the observation",
        ));
    }
    if let Some(b) = &a.batch {
        let n = positive_id(b, "import batch")?;
        let (retracted, batch) = ctx.open()?.write(|db| {
            let batch = db.batch(n)?;
            match db.retract_batch(n, why)? {
                0 => Err(Error::invalid(format!(
                    "import batch {n} has nothing left to retract: its {} are retracted already",
                    observations(batch.added as usize)
                ))),
                k => Ok((k, batch)),
            }
        })?;
        let before = if batch.retracted > 0 {
            format!("; {} retracted before", batch.retracted)
        } else {
            String::new()
        };
        return write_out(
            out,
            &format!(
                "retracted {} of batch {n} ({}, imported {}){before}\n",
                observations(retracted),
                batch.input,
                batch.recorded
            ),
        );
    }
    let mut ids: Vec<i64> = Vec::new();
    for text in &a.ids {
        let id = positive_id(text, "observation")?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ctx.open()?
        .write(|db| ids.iter().try_for_each(|&id| db.retract(id, why)))?;
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let noun = if ids.len() == 1 {
        "observation"
    } else {
        "observations"
    };
    write_out(out, &format!("retracted {noun} {}\n", list.join(", ")))
}

/// "1 observation", "3 observations".
fn observations(n: usize) -> String {
    format!("{n} observation{}", if n == 1 { "" } else { "s" })
}

/// `obs batches`: every import batch, oldest first.
fn batches(ctx: &Ctx, f: FormatArgs, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&f)?;
    let batches = ctx.open()?.read(|db| db.batches())?;
    let text = lists::batches(&batches, format, &ctx.look(f.output.as_deref()))?;
    emit_as(&text, &f, out)
}
