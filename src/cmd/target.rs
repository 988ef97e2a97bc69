//! `goalpost target add|revise|done|list`.

use std::io::Write;

use super::{Ctx, as_of, date_or_today, warn, with_output_as, write_out};
use crate::cli::{
    DirectionArg, KindArg, PathArg, TargetAdd, TargetCommand, TargetDone, TargetEdit, TargetFields,
    TargetListArgs, TargetNotDone, TargetRevise, TargetWithdraw,
};
use crate::dataset::{self, VersionFields, check_id};
use crate::engine::{self, Method};
use crate::error::{Error, Result};
use crate::model::{Change, Correction, Done, Goal, Kind, NotDone, Source, Target, Withdrawal};
use crate::parse;
use crate::render::stream::Out;
use crate::render::{human, lists};
use crate::report::{TargetFilter, TargetRow};
use crate::store::Db;

pub fn run(ctx: &Ctx, command: TargetCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        TargetCommand::Add(a) => add(ctx, a, out),
        TargetCommand::Revise(a) => revise(ctx, a, out),
        TargetCommand::Done(a) => done(ctx, a, out),
        TargetCommand::NotDone(a) => not_done(ctx, a, out),
        TargetCommand::Edit(a) => edit(ctx, a, out),
        TargetCommand::Withdraw(a) => withdraw(ctx, a, out),
        TargetCommand::List(a) => list(ctx, a, out),
    }
}

/// The command-line fields in the data set's terms, so that both doors
/// check a target by the same rules.
fn fields(f: &TargetFields, source: Option<&str>) -> VersionFields {
    let (baseline, baseline_value) = match f.baseline.as_deref().map(|b| b.split_once('=')) {
        Some(Some((p, v))) => (
            Some(p.to_string()),
            Some(dataset::Quantity::Text(v.to_string())),
        ),
        Some(None) => (f.baseline.clone(), None),
        None => (None, None),
    };
    VersionFields {
        value: f.value.clone().map(dataset::Quantity::Text),
        change: f.change.clone(),
        baseline,
        baseline_value,
        deadline: f.deadline.clone(),
        from: f.from.clone(),
        direction: f.direction.map(|d| match d {
            DirectionArg::Increase => "increase".into(),
            DirectionArg::Decrease => "decrease".into(),
        }),
        path: f.path.map(|p| match p {
            PathArg::Linear => "linear".into(),
            PathArg::Compound => "compound".into(),
        }),
        waypoints: (!f.waypoints.is_empty()).then(|| f.waypoints.clone()),
        title: f.title.clone(),
        quote: f.quote.clone(),
        gloss: f.gloss.clone(),
        source: source.map(String::from),
        url: f.url.clone(),
        note: f.note.clone(),
        recorded: None,
    }
}

fn add(ctx: &Ctx, a: TargetAdd, out: &mut dyn Write) -> Result<()> {
    check_id("target", &a.id)?;
    let f = &a.fields;
    let kind = match (a.milestone, a.kind) {
        (true, _) => Kind::Milestone,
        (false, Some(KindArg::Cumulative)) => Kind::Cumulative,
        (false, Some(KindArg::Level)) => Kind::Level,
        (false, None) if f.value.is_some() || f.change.is_some() => Kind::Level,
        (false, None) if f.direction.is_some() => Kind::Trend,
        (false, None) => {
            return Err(Error::usage(
                "say what is promised: --value, --change, --direction (a trend) or --milestone",
            ));
        }
    };
    if f.deadline.is_none() {
        return Err(Error::usage("a target needs --deadline PERIOD"));
    }
    if kind != Kind::Milestone && a.indicator.is_none() {
        return Err(Error::usage(format!(
            "a {} target needs --indicator ID",
            kind.name()
        )));
    }
    let today = super::today();
    let labels = dataset::labels(
        a.labels.programme.as_deref(),
        a.labels.owner.as_deref(),
        &a.labels.tags,
    )?;
    let mut store = ctx.open_for_write()?;
    let (met_at_baseline, relative_on_percent, target_version) = store.write(|db| {
        let indicator = a
            .indicator
            .as_deref()
            .map(|id| db.indicator(id))
            .transpose()?;
        let version = dataset::version(
            &fields(f, a.source.as_deref()),
            None,
            kind,
            indicator.as_ref(),
            1,
            None,
        )?;
        let mut target = Target {
            id: a.id.clone(),
            indicator: indicator.as_ref().map(|i| i.id.clone()),
            kind,
            versions: vec![version],
            done: None,
            not_done: Vec::new(),
            withdrawn: None,
            labels,
        };
        db.add_target(&target)?;
        // +5% on a share is easily meant as +5pp: say which it is
        let relative_on_percent = match (&indicator, target.versions[0].goal) {
            (Some(i), Goal::Change(Change::Relative(p))) if i.unit == "%" => {
                Some((p, target.versions[0].baseline_value))
            }
            _ => None,
        };
        let met = met_at_baseline(db, &target, today)?;
        Ok((met, relative_on_percent, target.versions.swap_remove(0)))
    })?;
    if let Some((p, baseline)) = relative_on_percent {
        let written = f.change.as_deref().unwrap_or_default();
        let example = baseline.map_or(String::new(), |b| {
            format!(
                " ({} becomes {})",
                human::value(b, "%"),
                human::value(b * (1.0 + p), "%")
            )
        });
        warn(&format!(
            "target {}: {written} on a % indicator is a relative change{example}; for percentage points write {}pp",
            a.id,
            written.trim_end_matches('%')
        ));
    }
    let v = &target_version;
    if v.path == crate::model::PathShape::Compound
        && (matches!(v.goal, Goal::Value(x) if x <= 0.0)
            || v.baseline_value.is_some_and(|b| b <= 0.0))
    {
        warn(&format!(
            "target {}: a compound path needs a positive baseline and target; the linear path will be used",
            a.id
        ));
    }
    if met_at_baseline {
        warn(&format!(
            "target {} is already met at its baseline: check its direction (--direction, or the indicator's --lower-is-better)",
            a.id
        ));
    }
    write_out(out, &format!("added {} target {}\n", kind.name(), a.id))
}

/// Whether the target lies on the wrong side of its baseline (§3).
fn met_at_baseline(db: &Db, target: &Target, today: chrono::NaiveDate) -> Result<bool> {
    let Some(id) = &target.indicator else {
        return Ok(false);
    };
    let indicator = db.indicator(id)?;
    let observations = db.observations(Some(id))?;
    let a = engine::assess(
        target,
        Some(&indicator),
        &observations,
        today,
        Method::Eurostat,
    );
    Ok(a.met_at_baseline)
}

fn revise(ctx: &Ctx, a: TargetRevise, out: &mut dyn Write) -> Result<()> {
    let effective = date_or_today(a.effective.as_deref())?;
    if a.source.trim().is_empty() {
        return Err(Error::invalid(
            "say where the revision comes from with --source",
        ));
    }
    let f = &a.fields;
    let changes_something = f.value.is_some()
        || f.change.is_some()
        || f.direction.is_some()
        || f.baseline.is_some()
        || f.deadline.is_some()
        || f.from.is_some()
        || f.path.is_some()
        || !f.waypoints.is_empty()
        || f.title.is_some()
        || f.quote.is_some()
        || f.gloss.is_some()
        || f.url.is_some()
        || f.note.is_some();
    if !changes_something {
        return Err(Error::usage(
            "nothing to revise: pass what changes (--value, --change, --deadline, --baseline, --path, --waypoint, --title, …)",
        ));
    }
    let mut store = ctx.open_for_write()?;
    let number = store.write(|db| {
        let target = db.target(&a.id)?;
        let prev = target.current();
        if let Some(e) = prev.effective
            && e >= effective
        {
            return Err(Error::invalid(format!(
                "the revision takes effect on {effective}, not after version {} ({e})",
                prev.version
            )));
        }
        let indicator = target
            .indicator
            .as_deref()
            .map(|id| db.indicator(id))
            .transpose()?;
        let number = prev.version + 1;
        let v = dataset::version(
            &fields(&a.fields, Some(&a.source)),
            Some(prev),
            target.kind,
            indicator.as_ref(),
            number,
            Some(effective),
        )?;
        db.add_version(&target.id, &v)?;
        Ok(number)
    })?;
    write_out(
        out,
        &format!(
            "revised target {}: version {number} in force from {effective}\n",
            a.id
        ),
    )
}

fn done(ctx: &Ctx, a: TargetDone, out: &mut dyn Write) -> Result<()> {
    let on = parse::date(&a.on)?;
    let mut store = ctx.open_for_write()?;
    store.write(|db| {
        let target = db.target(&a.id)?;
        if target.kind != Kind::Milestone {
            return Err(Error::invalid(format!(
                "target {} is a {} target, not a milestone: record observations instead",
                a.id,
                target.kind.name()
            )));
        }
        if let Some(d) = &target.done {
            return Err(Error::invalid(format!(
                "target {} was already marked done on {}",
                a.id, d.on
            )));
        }
        db.set_done(
            &a.id,
            &Done {
                on,
                source: Source {
                    citation: a.source.clone(),
                    url: a.url.clone(),
                },
                recorded: String::new(),
            },
        )
    })?;
    write_out(out, &format!("marked {} done on {on}\n", a.id))
}

fn not_done(ctx: &Ctx, a: TargetNotDone, out: &mut dyn Write) -> Result<()> {
    let as_of = as_of(Some(&a.as_of))?;
    let mut store = ctx.open_for_write()?;
    let deadline = store.write(|db| {
        let target = db.target(&a.id)?;
        if target.kind != Kind::Milestone {
            return Err(Error::invalid(format!(
                "target {} is a {} target, not a milestone: only milestones are done or not done",
                a.id,
                target.kind.name()
            )));
        }
        if let Some(d) = target.done.as_ref().filter(|d| d.on <= as_of) {
            return Err(Error::invalid(format!(
                "target {} is recorded as done on {}, before {as_of}",
                a.id, d.on
            )));
        }
        db.add_not_done(
            &a.id,
            &NotDone {
                as_of,
                source: Source {
                    citation: Some(a.source.clone()),
                    url: a.url.clone(),
                },
                recorded: String::new(),
            },
        )?;
        Ok(target.current().deadline)
    })?;
    let effect = if as_of > deadline.last_day() {
        format!("missed: still not done after its deadline ({deadline})")
    } else {
        format!("its deadline ({deadline}) is still ahead of that date")
    };
    write_out(
        out,
        &format!("recorded that {} was not done on {as_of}; {effect}\n", a.id),
    )
}

/// Corrects entry errors in a target's text (title, quote, gloss, source,
/// URL, note) in the version in force now: set in place and logged, so
/// that `show` lists the correction with its time, and never a new version
/// that would read as a moved goalpost. Where the target is filed
/// (programme, owner, tags) is of the target, not of a version: changed
/// and logged likewise.
fn edit(ctx: &Ctx, a: TargetEdit, out: &mut dyn Write) -> Result<()> {
    let added: Vec<String> = a
        .labels
        .tags
        .iter()
        .map(|t| dataset::tag(t))
        .collect::<Result<_>>()?;
    let removed: Vec<String> = a
        .untag
        .iter()
        .map(|t| dataset::tag(t))
        .collect::<Result<_>>()?;
    if let Some(t) = added.iter().find(|t| removed.contains(t)) {
        return Err(Error::usage(format!("--tag {t} and --untag {t} together")));
    }
    let mut store = ctx.open_for_write()?;
    let changed = store.write(|db| {
        let target = db.target(&a.id)?;
        let v = target.current();
        let mut changed = Vec::new();
        let mut log = |field: &str,
                       version: Option<i64>,
                       old: Option<String>,
                       new: Option<String>|
         -> Result<()> {
            db.add_correction(&Correction {
                kind: "target",
                id: a.id.clone(),
                version,
                field: field.to_string(),
                old,
                new,
                recorded: crate::store::now(),
            })?;
            if !changed.iter().any(|c| c == field) {
                changed.push(field.to_string());
            }
            Ok(())
        };
        let labels = &target.labels;
        for (field, old, new) in [
            ("programme", &labels.programme, &a.labels.programme),
            ("owner", &labels.owner, &a.labels.owner),
        ] {
            let Some(new) = new else { continue };
            let new = Some(new.trim().to_string()).filter(|n| !n.is_empty());
            if &new == old {
                continue;
            }
            db.set_label(&a.id, field, new.as_deref())?;
            log(field, None, old.clone(), new)?;
        }
        // a tag added is logged from none, one taken off to none
        for t in &added {
            if !labels.tags.contains(t) {
                db.tag(&a.id, t, true)?;
                log("tag", None, None, Some(t.clone()))?;
            }
        }
        for t in &removed {
            if labels.tags.contains(t) {
                db.tag(&a.id, t, false)?;
                log("tag", None, Some(t.clone()), None)?;
            }
        }
        let texts = [
            ("title", &v.title, &a.title),
            ("quote", &v.quote, &a.quote),
            ("gloss", &v.gloss, &a.gloss),
            ("note", &v.note, &a.note),
        ];
        for (field, old, new) in texts {
            let Some(new) = new else { continue };
            let new = Some(new.clone()).filter(|n| !n.trim().is_empty());
            if &new == old {
                continue;
            }
            db.set_version_field(&a.id, v.version, field, new.as_deref())?;
            log(field, Some(v.version), old.clone(), new)?;
        }
        if a.source.is_some() || a.url.is_some() {
            let keep = |new: &Option<String>, old: &Option<String>| match new {
                Some(n) if n.trim().is_empty() => None,
                Some(n) => Some(n.clone()),
                None => old.clone(),
            };
            let source = Source {
                citation: keep(&a.source, &v.source.citation),
                url: keep(&a.url, &v.source.url),
            };
            if source != v.source {
                db.set_version_source(&a.id, v.version, &source)?;
                if source.citation != v.source.citation {
                    log(
                        "source",
                        Some(v.version),
                        v.source.citation.clone(),
                        source.citation.clone(),
                    )?;
                }
                if source.url != v.source.url {
                    log(
                        "url",
                        Some(v.version),
                        v.source.url.clone(),
                        source.url.clone(),
                    )?;
                }
            }
        }
        Ok(changed)
    })?;
    let message = if changed.is_empty() {
        format!("target {}: nothing to change\n", a.id)
    } else {
        format!(
            "corrected {} of target {} (logged; not a revision)\n",
            changed.join(", "),
            a.id
        )
    };
    write_out(out, &message)
}

/// Records that a target was withdrawn or repealed: from that date it is
/// `withdrawn`, no longer assessed.
fn withdraw(ctx: &Ctx, a: TargetWithdraw, out: &mut dyn Write) -> Result<()> {
    let on = parse::date(&a.on)?;
    if a.source.trim().is_empty() {
        return Err(Error::invalid(
            "say where the withdrawal is recorded with --source",
        ));
    }
    if a.why.trim().is_empty() {
        return Err(Error::invalid("say why it was withdrawn with --why"));
    }
    let mut store = ctx.open_for_write()?;
    store.write(|db| {
        let target = db.target(&a.id)?;
        if let Some(w) = &target.withdrawn {
            return Err(Error::invalid(format!(
                "target {} was already withdrawn on {}",
                a.id, w.on
            )));
        }
        db.withdraw(
            &a.id,
            &Withdrawal {
                on,
                source: Source {
                    citation: Some(a.source.clone()),
                    url: a.url.clone(),
                },
                why: a.why.clone(),
                recorded: String::new(),
            },
        )
    })?;
    write_out(out, &format!("withdrew {} from {on}\n", a.id))
}

/// One target at a time, in id order, each row written as it comes (a
/// table fitted to the terminal is laid out whole).
fn list(ctx: &Ctx, a: TargetListArgs, out: &mut dyn Write) -> Result<()> {
    let format = super::format(&a.format)?;
    let as_of = as_of(a.as_of.as_deref())?;
    let look = ctx.look(a.format.output.as_deref());
    ctx.open()?.read(|db| {
        let filter = TargetFilter {
            entities: a.entity.clone(),
            kinds: a.kind.iter().map(|k| super::report::kind(*k)).collect(),
            labels: super::report::labels(&a.labels),
            statuses: a.status.iter().map(|s| super::report::status(*s)).collect(),
            as_of,
            method: super::method::resolve_one(db, &a.method)?,
        };
        // the rows of each target kept, with its indicator (and, when a
        // status is asked about, its observations)
        let each_row = |f: &mut dyn FnMut(TargetRow) -> Result<()>| -> Result<()> {
            let mut observations = Vec::new();
            db.each_target_by_id(|t| {
                let indicator = match &t.indicator {
                    Some(id) => db.find_indicator(id)?,
                    None => None,
                };
                match &indicator {
                    Some(i) if filter.needs_observations() => {
                        db.assessment_observations(&i.id, &mut observations)?
                    }
                    _ => observations.clear(),
                }
                if filter.keeps(&t, indicator.as_ref(), &observations) {
                    for row in TargetRow::of(&t, indicator.as_ref(), a.history) {
                        f(row)?;
                    }
                }
                Ok(())
            })
        };
        with_output_as(&a.format, out, |out| {
            let mut out = Out(out);
            let mut writer = lists::ListWriter::targets(format, &look, &mut out)?;
            each_row(&mut |row| writer.target(&row, &mut out))?;
            writer.finish(&mut out)
        })
    })
}
