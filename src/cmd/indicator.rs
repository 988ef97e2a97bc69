//! `goalpost indicator add|list`.

use std::io::Write;

use super::{Ctx, emit, with_output, write_out};
use crate::cli::{FormatArgs, IndicatorAdd, IndicatorCommand, IndicatorEdit, MeasureArg};
use crate::dataset::check_id;
use crate::error::{Error, Result};
use crate::model::{Correction, Indicator, Measure};
use crate::parse;
use crate::render::stream::Out;
use crate::render::{Format, lists};
use crate::report::IndicatorList;

pub fn run(ctx: &Ctx, command: IndicatorCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        IndicatorCommand::Add(a) => add(ctx, a, out),
        IndicatorCommand::List(f) => list(ctx, f, out),
        IndicatorCommand::Edit(a) => edit(ctx, a, out),
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

/// One indicator at a time, in id order, each row written as it comes (a
/// table fitted to the terminal is laid out whole).
fn list(ctx: &Ctx, f: FormatArgs, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&f)?;
    let look = ctx.look(f.output.as_deref());
    let mut store = ctx.open()?;
    if format == Format::Table && look.fits() {
        let indicators = store.read(|db| db.indicators())?;
        let list = IndicatorList {
            version: 1,
            indicators,
        };
        return emit(
            &lists::indicators(&list, format, &look)?,
            f.output.as_deref(),
            out,
        );
    }
    store.read(|db| {
        with_output(f.output.as_deref(), out, |out| {
            let mut out = Out(out);
            let mut writer = lists::ListWriter::indicators(format, &mut out)?;
            db.each_indicator(|i| writer.indicator(&i, &mut out))?;
            writer.finish(&mut out)
        })
    })
}

/// One field of an edit: its name, its value before, and the value asked
/// for (`None`: not asked; `Some(None)`: cleared).
type Edit<'a> = (&'a str, Option<String>, Option<Option<String>>);

/// Corrects entry errors in an indicator: each changed field is set in
/// place and logged (shown by `show`), never a new version. The unit may
/// change only while no observation is stored in it.
fn edit(ctx: &Ctx, a: IndicatorEdit, out: &mut dyn Write) -> Result<()> {
    let mut store = ctx.open_for_write()?;
    let changed = store.write(|db| {
        let old = db.indicator(&a.id)?;
        if let Some(unit) = &a.unit
            && unit != &old.unit
        {
            if unit.trim().is_empty() {
                return Err(Error::invalid("the unit is empty: give one, e.g. --unit USD"));
            }
            if db.has_observations(&a.id)? {
                return Err(Error::invalid(format!(
                    "indicator {} has observations in {}: its unit cannot change (add a new indicator instead)",
                    a.id, old.unit
                )));
            }
        }
        let unit = a.unit.clone().unwrap_or_else(|| old.unit.clone());
        let limit = match a.limit.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(l) => Some(Some(parse::value_for(l, &unit)?)),
        };
        let text = |x: Option<f64>| x.map(|v| v.to_string());
        // (field, value before, value asked for: None = not asked, Some(None) = cleared)
        let fields: [Edit; 5] = [
            ("name", Some(old.name.clone()), a.name.clone().map(Some)),
            ("entity", old.entity.clone(), a.entity.clone().map(|e| Some(e).filter(|e| !e.is_empty()))),
            ("description", old.description.clone(), a.description.clone().map(|d| Some(d).filter(|d| !d.is_empty()))),
            ("limit", text(old.limit), limit.map(text)),
            ("unit", Some(old.unit.clone()), a.unit.clone().map(Some)),
        ];
        let mut changed = Vec::new();
        for (field, before, after) in fields {
            let Some(after) = after else { continue };
            if after == before {
                continue;
            }
            if field == "name" && after.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(Error::invalid("the name is empty"));
            }
            db.set_indicator_field(&a.id, field, after.as_deref())?;
            db.add_correction(&Correction {
                kind: "indicator",
                id: a.id.clone(),
                version: None,
                field: field.to_string(),
                old: before,
                new: after,
                recorded: crate::store::now(),
            })?;
            changed.push(field);
        }
        Ok(changed)
    })?;
    let message = if changed.is_empty() {
        format!("indicator {}: nothing to change\n", a.id)
    } else {
        format!(
            "corrected {} of indicator {} (logged)\n",
            changed.join(", "),
            a.id
        )
    };
    write_out(out, &message)
}
