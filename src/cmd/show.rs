//! `goalpost show TARGET`: one target in detail.

use std::io::Write;

use super::{Ctx, as_of, emit_as};
use chrono::NaiveDate;

use crate::cli::ShowArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::report::{Show, recorded};

pub fn run(ctx: &Ctx, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let look = ctx.look(a.format.output.as_deref());
    let as_of = as_of(a.as_of.as_deref())?;
    let show = build(ctx, &a.target, as_of, &a.method, a.as_recorded, a.window)?;
    let text = render::show::render(&show, format, &look)?;
    emit_as(&text, &a.format, out)
}

/// The detail of one target (shared with `plot`).
pub fn build(
    ctx: &Ctx,
    id: &str,
    as_of: NaiveDate,
    method: &str,
    as_recorded: bool,
    window: Option<u32>,
) -> Result<Show> {
    ctx.open()?.read(|db| {
        let method = super::method::resolve_one(db, method)?;
        let options = crate::engine::Options {
            window: super::method::check_window(db, method, window)?,
        };
        let mut target = db.target(id)?;
        let mut indicator = target
            .indicator
            .as_deref()
            .map(|id| db.indicator(id))
            .transpose()?;
        let mut observations = match &indicator {
            Some(i) => db.observations(Some(&i.id))?,
            None => Vec::new(),
        };
        if as_recorded {
            let (t, i, o) = recorded::database(
                vec![target],
                indicator.into_iter().collect(),
                observations,
                &db.all_corrections()?,
                as_of,
            );
            target = t.into_iter().next().ok_or_else(|| {
                Error::invalid(format!("target {id} was not recorded yet on {as_of}"))
            })?;
            indicator = i.into_iter().next();
            observations = o;
        }
        let mut show = Show::build_with(
            &target,
            indicator.as_ref(),
            &observations,
            as_of,
            method,
            options,
        );
        show.corrections = db.corrections("target", Some(&target.id))?;
        if let Some(i) = &indicator {
            show.corrections
                .extend(db.corrections("indicator", Some(&i.id))?);
            show.corrections.sort_by(|a, b| a.recorded.cmp(&b.recorded));
        }
        Ok(show)
    })
}
