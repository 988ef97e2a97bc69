//! `goalpost indicator add|list|edit`.

use std::io::Write;

use super::{Ctx, with_output_as, write_out};
use crate::cli::{IndicatorAdd, IndicatorCommand, IndicatorEdit, IndicatorListArgs, MeasureArg};
use crate::dataset::{check_dims, check_id, check_parent};
use crate::error::{Error, Result};
use crate::model::{Correction, Indicator, Measure};
use crate::parse;
use crate::render::stream::Out;
use crate::render::{human, lists};

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
    let year_start = parse::year_start(&a.year_start)?;
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
        year_start,
        dims: {
            let mut dims = std::collections::BTreeMap::new();
            for (key, value) in dim_pairs(&a.dims)? {
                let value = value.ok_or_else(|| {
                    Error::invalid(format!("--dim {key}=: give the dimension's value"))
                })?;
                if dims.insert(key.clone(), value).is_some() {
                    return Err(Error::invalid(format!("--dim {key} is given twice")));
                }
            }
            check_dims(&dims)?
        },
        parent: a.parent,
    };
    ctx.open_for_write()?.write(|db| {
        if let Some(p) = &indicator.parent {
            db.indicator(p)?;
            check_parent(&indicator, &mut |id| db.find_indicator(id))?;
        }
        db.add_indicator(&indicator)
    })?;
    write_out(out, &format!("added indicator {}\n", indicator.id))
}

/// `KEY=VALUE` pairs of `--dim`, as written; `KEY=` gives no value.
fn dim_pairs(written: &[String]) -> Result<Vec<(String, Option<String>)>> {
    written
        .iter()
        .map(|d| {
            let (key, value) = d.split_once('=').ok_or_else(|| {
                Error::invalid(format!("--dim '{d}': write KEY=VALUE, e.g. sex=female"))
            })?;
            let value = value.trim();
            Ok((
                key.trim().to_string(),
                (!value.is_empty()).then(|| value.to_string()),
            ))
        })
        .collect()
}

/// One indicator at a time, in id order, each row written as it comes.
fn list(ctx: &Ctx, a: IndicatorListArgs, out: &mut dyn Write) -> Result<()> {
    let f = a.format;
    let format = super::format(&f)?;
    let look = ctx.look(f.output.as_deref());
    let mut store = ctx.open()?;
    store.read(|db| {
        with_output_as(&f, out, |out| {
            let mut out = Out(out);
            let mut writer = lists::ListWriter::indicators(format, &look, &mut out)?;
            db.each_indicator(|i| {
                if a.dims.iter().all(|d| d.matches(&i)) {
                    writer.indicator(&i, &mut out)
                } else {
                    Ok(())
                }
            })?;
            writer.finish(&mut out)
        })
    })
}

/// One field of an edit: its name, its value before, and the value asked
/// for (`None`: not asked; `Some(None)`: cleared).
type Edit<'a> = (&'a str, Option<String>, Option<Option<String>>);

/// Corrects entry errors in an indicator: each changed field is set in
/// place and logged (shown by `show`), never a new version. The unit may
/// change only while no observation is stored in it, the year's start
/// month only while it has no observation and no target either (their
/// periods were read in its year).
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
        let year_start = a.year_start.as_deref().map(parse::year_start).transpose()?;
        if year_start.is_some_and(|m| m != old.year_start)
            && (db.has_observations(&a.id)? || db.has_targets(&a.id)?)
        {
            return Err(Error::invalid(format!(
                "indicator {} has observations or targets read in years from {}: its year start cannot change (add a new indicator instead)",
                a.id,
                crate::period::month_name(old.year_start)
            )));
        }
        let unit = a.unit.clone().unwrap_or_else(|| old.unit.clone());
        let limit = match a.limit.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(l) => Some(Some(parse::value_for(l, &unit)?)),
        };
        if let Some(Some(l)) = limit {
            let bounded = Indicator {
                limit: Some(l),
                ..old.clone()
            };
            let stored = db.values_at_or_beyond(&a.id, l, old.higher_is_better)?;
            if let Some((period, v, q)) = stored
                .into_iter()
                .find(|(_, v, q)| bounded.check_limit(*v, *q).is_err())
            {
                return Err(Error::invalid(format!(
                    "cannot set the natural limit of {} to {}: its value for {period} is {}, beyond it (retract or correct that value first)",
                    a.id,
                    human::value(l, &unit),
                    human::qualified(v, q, &unit)
                )));
            }
        }
        let text = |x: Option<f64>| x.map(|v| v.to_string());
        // (field, value before, value asked for: None = not asked, Some(None) = cleared)
        let month = |m: u32| Some(format!("{m:02}"));
        let fields: [Edit; 6] = [
            ("name", Some(old.name.clone()), a.name.clone().map(Some)),
            ("entity", old.entity.clone(), a.entity.clone().map(|e| Some(e).filter(|e| !e.is_empty()))),
            ("description", old.description.clone(), a.description.clone().map(|d| Some(d).filter(|d| !d.is_empty()))),
            ("limit", text(old.limit), limit.map(text)),
            ("unit", Some(old.unit.clone()), a.unit.clone().map(Some)),
            ("year_start", month(old.year_start), year_start.map(month)),
        ];
        let mut changed: Vec<String> = Vec::new();
        let log = |field: &str, old: Option<String>, new: Option<String>| {
            db.add_correction(&Correction {
                kind: "indicator",
                id: a.id.clone(),
                version: None,
                field: field.to_string(),
                old,
                new,
                recorded: crate::store::now(),
            })
        };
        for (field, before, after) in fields {
            let Some(after) = after else { continue };
            if after == before {
                continue;
            }
            if field == "name" && after.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(Error::invalid("the name is empty"));
            }
            db.set_indicator_field(&a.id, field, after.as_deref())?;
            log(field, before, after)?;
            changed.push(field.to_string());
        }
        if let Some(p) = &a.parent {
            let after = Some(p.trim()).filter(|p| !p.is_empty() && *p != "none");
            if after != old.parent.as_deref() {
                if let Some(p) = after {
                    db.indicator(p)?;
                    let moved = Indicator {
                        parent: Some(p.to_string()),
                        ..old.clone()
                    };
                    check_parent(&moved, &mut |id| db.find_indicator(id))?;
                }
                db.set_indicator_field(&a.id, "parent", after)?;
                log("parent", old.parent.clone(), after.map(String::from))?;
                changed.push("parent".into());
            }
        }
        let mut dims = old.dims.clone();
        for (key, value) in dim_pairs(&a.dims)? {
            let before = old.dim(&key).map(String::from);
            if value == before {
                continue;
            }
            dims.retain(|k, _| !k.eq_ignore_ascii_case(&key));
            if let Some(v) = &value {
                dims.insert(key.clone(), v.clone());
            }
            check_dims(&dims)?;
            // under the key as stored, so that a later edit finds it
            let stored = old
                .dims
                .keys()
                .find(|k| k.eq_ignore_ascii_case(&key))
                .cloned()
                .unwrap_or(key);
            db.set_indicator_dim(&a.id, &stored, value.as_deref())?;
            let field = format!("dim:{stored}");
            log(&field, before, value)?;
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
