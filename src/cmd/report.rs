//! `goalpost report`: every target on one date by one method.

use std::io::Write;

use super::{Ctx, as_of, emit};
use crate::cli::{AnyKindArg, ReportArgs, StatusArg};
use crate::engine::Status;
use crate::error::Result;
use crate::model::Kind;
use crate::render::{self, Format};
use crate::report::{Catalog, Filter, Report, Show, recorded};
use crate::store::Store;

pub fn run(ctx: &Ctx, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    report(ctx, &mut ctx.open()?, a, out)
}

/// Builds and prints the report on `store` (shared with `demo`).
pub fn report(ctx: &Ctx, store: &mut Store, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let look = ctx.look(a.format.output.as_deref());
    let as_of = as_of(a.as_of.as_deref())?;
    let filter = Filter {
        entities: a.entity.clone(),
        statuses: a.status.iter().map(|s| status(*s)).collect(),
        kinds: a.kind.iter().map(|k| kind(*k)).collect(),
    };
    let (report, shows) = store.read(|db| {
        let method = super::method::resolve_one(db, &a.method)?;
        let (mut targets, mut indicators) = (db.targets()?, db.indicators()?);
        let mut observations = db.observations(None)?;
        if a.as_recorded {
            (targets, indicators, observations) = recorded::database(
                targets,
                indicators,
                observations,
                &db.all_corrections()?,
                as_of,
            );
        }
        let catalog = Catalog::new(&indicators, &observations);
        let report = Report::from_catalog(&targets, &catalog, as_of, method, &filter);
        // the HTML page carries every target in detail, in the report's order
        let shows = if format == Format::Html {
            report
                .targets
                .iter()
                .filter_map(|row| targets.iter().find(|t| t.id == row.id))
                .map(|t| {
                    let (indicator, mine) = catalog.of(t);
                    Show::build(t, indicator, mine, as_of, method)
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok((report, shows))
    })?;
    let text = render::report::render(&report, &shows, format, &look)?;
    emit(&text, a.format.output.as_deref(), out)?;
    fail_on(&report, &a.fail_on)
}

/// `--fail-on STATUS,…`: exit code 3 (after the report is written) when any
/// target shown has one of the statuses.
fn fail_on(report: &Report, wanted: &[StatusArg]) -> Result<()> {
    let wanted: Vec<Status> = wanted.iter().map(|s| status(*s)).collect();
    let hit: Vec<&str> = report
        .targets
        .iter()
        .filter(|r| wanted.contains(&r.status))
        .map(|r| r.id.as_str())
        .collect();
    if hit.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = wanted.iter().map(|s| s.name()).collect();
    Err(crate::error::Error::Matched(format!(
        "--fail-on {}: {} target{} ({})",
        names.join(","),
        hit.len(),
        if hit.len() == 1 { "" } else { "s" },
        hit.join(", ")
    )))
}

pub fn status(s: StatusArg) -> Status {
    match s {
        StatusArg::Missed => Status::Missed,
        StatusArg::MovingAway => Status::MovingAway,
        StatusArg::OffTrack => Status::OffTrack,
        StatusArg::Stalled => Status::Stalled,
        StatusArg::AtRisk => Status::AtRisk,
        StatusArg::Overdue => Status::Overdue,
        StatusArg::NoData => Status::NoData,
        StatusArg::Pending => Status::Pending,
        StatusArg::OnTrack => Status::OnTrack,
        StatusArg::Achieved => Status::Achieved,
        StatusArg::Withdrawn => Status::Withdrawn,
    }
}

pub fn kind(k: AnyKindArg) -> Kind {
    match k {
        AnyKindArg::Level => Kind::Level,
        AnyKindArg::Cumulative => Kind::Cumulative,
        AnyKindArg::Trend => Kind::Trend,
        AnyKindArg::Milestone => Kind::Milestone,
    }
}
