//! `goalpost indicator add|list`.

use std::io::Write;

use super::{Ctx, emit, write_out};
use crate::cli::{FormatArgs, IndicatorAdd, IndicatorCommand, MeasureArg};
use crate::dataset::check_id;
use crate::error::{Error, Result};
use crate::model::{Indicator, Measure};
use crate::parse;
use crate::render::lists;
use crate::report::IndicatorList;

pub fn run(ctx: &Ctx, command: IndicatorCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        IndicatorCommand::Add(a) => add(ctx, a, out),
        IndicatorCommand::List(f) => list(ctx, f, out),
    }
}

fn add(ctx: &Ctx, a: IndicatorAdd, out: &mut dyn Write) -> Result<()> {
    check_id("indicator", &a.id)?;
    if a.unit.trim().is_empty() {
        return Err(Error::invalid(
            "the unit is empty: give one, e.g. --unit USD",
        ));
    }
    let limit = a
        .limit
        .as_deref()
        .map(|l| parse::value_for(l, &a.unit))
        .transpose()?;
    let indicator = Indicator {
        id: a.id,
        name: a.name,
        entity: a.entity,
        unit: a.unit,
        measure: match a.measure {
            MeasureArg::Stock => Measure::Stock,
            MeasureArg::Flow => Measure::Flow,
        },
        higher_is_better: !a.lower_is_better,
        limit,
        description: a.description,
    };
    ctx.open_for_write()?
        .write(|db| db.add_indicator(&indicator))?;
    write_out(out, &format!("added indicator {}\n", indicator.id))
}

fn list(ctx: &Ctx, f: FormatArgs, out: &mut dyn Write) -> Result<()> {
    let indicators = ctx.open()?.read(|db| db.indicators())?;
    let text = lists::indicators(
        &IndicatorList {
            version: 1,
            indicators,
        },
        f.format,
    )?;
    emit(&text, f.output.as_deref(), out)
}
