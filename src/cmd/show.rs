//! `goalpost show TARGET`: one target in detail.

use std::io::Write;

use super::{Ctx, as_of, emit_as};
use chrono::{Datelike, NaiveDate};

use crate::cli::ShowArgs;
use crate::error::{Error, Result};
use crate::render;
use crate::report::{History, Show, recorded};

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
        // the status as it evolved up to the as-of date: the history, replayed
        // on the same clock as the view, from where the chart's time axis
        // starts
        let since = strip_start(&show, as_of);
        let history = if as_recorded {
            History::as_recorded(
                &target,
                indicator.as_ref(),
                &observations,
                &show.corrections,
                method,
                since,
                as_of,
            )
        } else {
            History::build(
                &target,
                indicator.as_ref(),
                &observations,
                method,
                since,
                as_of,
            )
        };
        show.status_strip = Some(history.strip());
        Ok(show)
    })
}

/// Where the status strip starts: the chart's first time point (the
/// baseline, the first period of the trajectory or the first value); for a milestone, the
/// 1 January of the year before its deadline, as its timeline.
fn strip_start(show: &Show, as_of: NaiveDate) -> Option<NaiveDate> {
    use crate::period::date_at;
    let first = show
        .trajectory
        .iter()
        .map(|r| r.t)
        .chain(show.path_start.map(|p| p.t))
        .chain(show.observations.iter().map(|o| o.t))
        .filter(|t| t.is_finite())
        .fold(f64::INFINITY, f64::min);
    if first.is_finite() {
        return date_at(first).map(|d| d.min(as_of));
    }
    let deadline = crate::parse::period(&show.target.target.deadline).ok()?;
    let year = deadline.end().min(as_of).year() - 1;
    NaiveDate::from_ymd_opt(year, 1, 1)
}
