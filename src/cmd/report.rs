//! `goalpost report`: every target on one date by one method.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::{MethodArg, ReportArgs};
use crate::engine::{Method, Status};
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::render;
use crate::report::{Filter, Report};
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
    let report = store.read(|db| {
        Ok(Report::build(
            &db.targets()?,
            &db.indicators()?,
            &db.observations(None)?,
            as_of,
            method,
            &filter,
        ))
    })?;
    let text = render::report::render(&report, a.format.format)?;
    emit(&text, a.output.as_deref(), out)
}

pub fn method(m: MethodArg) -> Method {
    match m {
        MethodArg::Eurostat => Method::Eurostat,
        MethodArg::Opensdg => Method::Opensdg,
        MethodArg::Unsd => Method::Unsd,
        MethodArg::Pace => Method::Pace,
    }
}
