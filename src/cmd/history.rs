//! `goalpost history TARGET`: the verdict's timeline, replayed at every
//! event date.

use std::io::Write;

use super::{Ctx, as_of, emit_as};
use crate::cli::HistoryArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::report::History;

pub fn run(ctx: &Ctx, a: HistoryArgs, out: &mut dyn Write) -> Result<()> {
    let until = as_of(a.until.as_deref())?;
    let since = a.since.as_deref().map(super::since).transpose()?;
    if let Some(s) = since
        && s > until
    {
        return Err(Error::invalid(format!(
            "--since {s} is after --until {until}"
        )));
    }
    let history = ctx.open()?.read(|db| {
        let method = super::method::resolve_one(db, &a.method)?;
        let target = db.target(&a.target)?;
        let indicator = target
            .indicator
            .as_deref()
            .map(|id| db.indicator(id))
            .transpose()?;
        let observations = match &indicator {
            Some(i) => db.observations(Some(&i.id))?,
            None => Vec::new(),
        };
        if a.as_recorded {
            let mut corrections = db.corrections("target", Some(&target.id))?;
            if let Some(i) = &indicator {
                corrections.extend(db.corrections("indicator", Some(&i.id))?);
                corrections.sort_by(|a, b| a.recorded.cmp(&b.recorded));
            }
            return Ok(History::as_recorded(
                &target,
                indicator.as_ref(),
                &observations,
                &corrections,
                method,
                since,
                until,
            ));
        }
        Ok(History::build(
            &target,
            indicator.as_ref(),
            &observations,
            method,
            since,
            until,
        ))
    })?;
    emit_as(
        &render::history::render(
            &history,
            super::format(&a.format)?,
            &ctx.look(a.format.output.as_deref()),
        )?,
        &a.format,
        out,
    )
}
