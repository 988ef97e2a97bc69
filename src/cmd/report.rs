//! `goalpost report`: every target on one date by one method.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::{MethodArg, ReportArgs};
use crate::engine::{Method, Status};
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::render::{self, Format};
use crate::report::{Filter, Report, Show};
use crate::store::Store;

pub fn run(ctx: &Ctx, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    report(&mut ctx.open()?, a, out)
}

/// Builds and prints the report on `store` (shared with `demo`).
pub fn report(store: &mut Store, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    let as_of = as_of(a.as_of.as_deref())?;
    let filter = Filter {
        entities: a.entity.clone(),
        statuses: a
            .status
            .iter()
            .map(|s| {
                Status::from_name(s).ok_or_else(|| {
                    Error::invalid(format!(
                        "invalid status '{s}': one of {}",
                        Status::ALL.map(|x| x.name()).join(", ")
                    ))
                })
            })
            .collect::<Result<_>>()?,
        kinds: a
            .kind
            .iter()
            .map(|k| {
                Kind::from_name(k).ok_or_else(|| {
                    Error::invalid(format!(
                        "invalid kind '{k}': one of level, cumulative, trend, milestone"
                    ))
                })
            })
            .collect::<Result<_>>()?,
    };
    let method = method(a.method);
    let format = a.format.format;
    let (report, shows) = store.read(|db| {
        let (targets, indicators) = (db.targets()?, db.indicators()?);
        let observations = db.observations(None)?;
        let report = Report::build(&targets, &indicators, &observations, as_of, method, &filter);
        // the HTML page carries every target in detail, in the report's order
        let shows = if format == Format::Html {
            report
                .targets
                .iter()
                .filter_map(|row| targets.iter().find(|t| t.id == row.id))
                .map(|t| {
                    let indicator = t
                        .indicator
                        .as_ref()
                        .and_then(|id| indicators.iter().find(|i| &i.id == id));
                    Show::build(t, indicator, &observations, as_of, method)
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok((report, shows))
    })?;
    let text = render::report::render(&report, &shows, format)?;
    emit(&text, a.format.output.as_deref(), out)
}

pub fn method(m: MethodArg) -> Method {
    match m {
        MethodArg::Eurostat => Method::Eurostat,
        MethodArg::Opensdg => Method::Opensdg,
        MethodArg::Unsd => Method::Unsd,
        MethodArg::Pace => Method::Pace,
    }
}
