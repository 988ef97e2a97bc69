//! Each indicator's targets packed beside its vintages (`series.targets`),
//! so that a report reads one row per indicator instead of its targets,
//! their versions and the indicator from three tables (a third of a
//! report's work went on that).
//!
//! As with the packed vintages (series.rs), the copy is never the record:
//! the rows of `indicator`, `indicator_dim`, `target`, `target_version`,
//! `waypoint`, `target_tag`, `milestone_done`, `milestone_not_done`,
//! `target_withdrawal` and `source` are. Triggers on every one of them
//! mark the copies they touch stale (`targets` NULL) in the same statement
//! as any insert, update or delete, whoever makes it; a stale or missing
//! copy is never read, its indicator's rows are read instead; and every
//! write transaction packs its stale copies again before it commits
//! ([`Db::refresh_targets`]). A data set's import marks the copies of the
//! targets it adds itself (triggers.rs's `ByHand`).
//!
//! A copy holds the indicator and its targets as a report reads them (the
//! versions without what a report never shows, [`Versions::Assessed`]).
//! It is stored only if it reads back as exactly what it was packed from
//! (compared whole, bit for bit in its numbers); otherwise it is stored
//! empty, and its indicator is always read from the rows. Which
//! indicators a report reads is never the copies' to say: that is the
//! targets' own index, so an indicator whose copy is missing is read row
//! by row, not left out.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Row;

use super::series::{Reader, bytes, varint};
use super::{Ahead, Days, Db, INDICATOR_ROWS, Packed, Slice, Targets, Versions, Vintages};
use crate::error::{Context, Error, Result};
use crate::model::{
    Change, Direction, Done, Goal, Indicator, Kind, Labels, Measure, NotDone, Observation,
    PathShape, Source, Target, TargetVersion, Withdrawal,
};
use crate::period::{Period, day_number};

/// An indicator's packed copies, as read: its vintages and its targets
/// (each `None` when stale or empty).
struct Copies {
    indicator: String,
    rows: Option<Vec<u8>>,
    targets: Option<Vec<u8>>,
}

/// The first byte of a packed copy: its layout's version.
const LAYOUT: u8 = 1;

impl Db<'_> {
    /// Packs again every stale copy (inside the caller's transaction): the
    /// targets of the stale indicators in one pass, in index order.
    pub fn refresh_targets(&self) -> Result<()> {
        let what = "packing the targets";
        let stale: Vec<String> = self
            .0
            .prepare_cached(
                "SELECT indicator_id FROM series WHERE targets IS NULL ORDER BY indicator_id",
            )
            .context(what)?
            .query_map([], |r| r.get(0))
            .context(what)?
            .collect::<rusqlite::Result<_>>()
            .context(what)?;
        if stale.is_empty() {
            return Ok(());
        }
        // in one pass; should a stale indicator's rows not read (edited by
        // hand), one by one, with an empty copy for those that do not: the
        // rows are read, and the report meets their error, but a write
        // that could mend them is not stopped
        let packs = match self.pack_in_one_pass(&stale) {
            Ok(packs) => packs,
            Err(_) => {
                let mut days = Days::default();
                let mut packs = Vec::with_capacity(stale.len());
                for id in &stale {
                    let bytes = match self.own_targets(id) {
                        Ok((Some(indicator), targets)) => {
                            exact_pack(&indicator, &targets, &mut days)
                        }
                        _ => Vec::new(),
                    };
                    packs.push((id.as_str(), bytes));
                }
                packs
            }
        };
        let mut update = self
            .0
            .prepare_cached("UPDATE series SET targets = ?2 WHERE indicator_id = ?1")
            .context(what)?;
        for (id, bytes) in packs {
            update.execute(rusqlite::params![id, bytes]).context(what)?;
        }
        Ok(())
    }

    /// The copies of the `stale` indicators (in id order), packed in one
    /// pass over their targets.
    fn pack_in_one_pass<'s>(&self, stale: &'s [String]) -> Result<Vec<(&'s str, Vec<u8>)>> {
        let what = "packing the targets";
        let mut stmt = self
            .0
            .prepare_cached(&format!(
                "{INDICATOR_ROWS} WHERE id IN (SELECT indicator_id FROM series WHERE targets IS NULL) ORDER BY id"
            ))
            .context(what)?;
        let mut indicators = Ahead::new(stmt.query([]).context(what)?);
        // packed in memory first: the scan reads the stale copies'
        // index, which the updates would change under it
        let mut packs: Vec<(&str, Vec<u8>)> = Vec::with_capacity(stale.len());
        let mut next = stale.iter().peekable();
        let mut days = Days::default();
        // every stale copy up to `upto` (all with `None`): the targets
        // in `group` are of `upto`, the others have none
        let mut pack_up_to = |upto: Option<&str>, group: &mut Vec<Target>| -> Result<()> {
            while let Some(id) = next.next_if(|id| upto.is_none_or(|u| id.as_str() <= u)) {
                let targets = match upto == Some(id.as_str()) {
                    true => std::mem::take(group),
                    false => Vec::new(),
                };
                let bytes = match indicators.take(id)? {
                    Some(indicator) => exact_pack(&indicator, &targets, &mut days),
                    None => Vec::new(),
                };
                packs.push((id.as_str(), bytes));
            }
            group.clear();
            Ok(())
        };
        let mut group: Vec<Target> = Vec::new();
        self.each_target_with(Targets::Stale, None, Versions::Assessed, |t| {
            if group.first().is_some_and(|g| g.indicator != t.indicator) {
                let of = group[0].indicator.clone();
                pack_up_to(of.as_deref(), &mut group)?;
            }
            group.push(t);
            Ok(())
        })?;
        let of = group.first().and_then(|g| g.indicator.clone());
        if of.is_some() {
            pack_up_to(of.as_deref(), &mut group)?;
        }
        pack_up_to(None, &mut group)?;
        Ok(packs)
    }

    /// [`Db::each_indicator_with_vintages`] of a slice of indicator ids,
    /// not `full`: the indicators with targets, from the targets' index,
    /// each read from its packed copies where they are fresh, else from
    /// its rows.
    pub(super) fn each_packed(
        &self,
        slice: &Slice,
        mut spare: impl FnMut() -> Vec<Observation>,
        mut f: impl FnMut(Option<Indicator>, Vec<Target>, Vintages) -> Result<()>,
    ) -> Result<()> {
        let what = "reading indicators";
        let mut days = Days::default();
        let mut ids = self
            .0
            .prepare_cached(&format!(
                "SELECT DISTINCT indicator_id FROM target {} ORDER BY indicator_id",
                slice.clause("indicator_id")
            ))
            .context(what)?;
        let mut ids = ids.query(&*slice.params()).context(what)?;
        let mut copies = self
            .0
            .prepare_cached(&format!(
                "SELECT indicator_id, rows, targets FROM series {} ORDER BY indicator_id",
                slice.clause("indicator_id")
            ))
            .context(what)?;
        let mut copies = copies.query(&*slice.params()).context(what)?;
        let blob = |r: &Row, i: usize| -> Result<Option<Vec<u8>>> {
            Ok(match r.get_ref(i).context(what)? {
                rusqlite::types::ValueRef::Blob(b) if !b.is_empty() => Some(b.to_vec()),
                _ => None,
            })
        };
        // the copy the cursor is at
        let mut copy: Option<Copies> = None;
        while let Some(r) = ids.next().context(what)? {
            let id: String = r.get(0).context(what)?;
            // the copies up to this indicator's (each asked for once)
            let mine = loop {
                match &copy {
                    Some(c) if c.indicator.as_str() > id.as_str() => break None,
                    Some(c) if c.indicator == id => break copy.take(),
                    _ => match copies.next().context(what)? {
                        Some(c) => {
                            copy = Some(Copies {
                                indicator: c.get(0).context(what)?,
                                rows: blob(c, 1)?,
                                targets: blob(c, 2)?,
                            })
                        }
                        None => break None,
                    },
                }
            };
            let (rows, packed) = mine.map_or((None, None), |c| (c.rows, c.targets));
            let (indicator, targets) = match packed {
                Some(bytes) => {
                    let (i, t) = unpack(&id, &bytes, &mut days).ok_or_else(|| damaged(&id))?;
                    // the index says it has targets: a copy of none is
                    // not believed (the rows are read)
                    match t.is_empty() {
                        false => (Some(i), t),
                        true => self.own_targets(&id)?,
                    }
                }
                None => self.own_targets(&id)?,
            };
            if targets.is_empty() {
                continue;
            }
            let vintages = match (&indicator, rows) {
                (Some(_), Some(bytes)) => Vintages::Packed(Packed {
                    indicator: id,
                    bytes,
                }),
                (Some(_), None) => {
                    let mut observations = spare();
                    self.rows_one_by_one(&id, &mut observations, &mut days)?;
                    Vintages::Read(observations)
                }
                (None, _) => {
                    let mut observations = spare();
                    observations.clear();
                    Vintages::Read(observations)
                }
            };
            f(indicator, targets, vintages)?;
        }
        Ok(())
    }

    /// Indicator `id` and its targets as a report reads them, from the
    /// rows: what its copy holds when fresh.
    fn own_targets(&self, id: &str) -> Result<(Option<Indicator>, Vec<Target>)> {
        let indicator = self.find_indicator(id)?;
        let year = indicator.as_ref().map_or(1, |i| i.year_start);
        let mut targets = Vec::new();
        let mut year_start = |_: &str| Ok(year);
        self.each_target_with(
            Targets::OfIndicator(id),
            Some(&mut year_start),
            Versions::Assessed,
            |t| {
                targets.push(t);
                Ok(())
            },
        )?;
        Ok((indicator, targets))
    }

    /// Every fresh copy that does not read back as its rows, by indicator
    /// id: what `db check` reports.
    pub fn targets_out_of_step(&self) -> Result<Vec<String>> {
        let what = "checking the packed targets";
        let mut stmt = self
            .0
            .prepare(
                "SELECT indicator_id, targets FROM series
                 WHERE targets IS NOT NULL AND length(targets) > 0 ORDER BY indicator_id",
            )
            .context(what)?;
        let copies: Vec<(String, Vec<u8>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context(what)?
            .collect::<rusqlite::Result<_>>()
            .context(what)?;
        let mut days = Days::default();
        let mut wrong = Vec::new();
        for (id, bytes) in copies {
            let (indicator, targets) = self.own_targets(&id)?;
            let in_step = match (indicator, unpack(&id, &bytes, &mut days)) {
                (Some(i), Some((packed_i, packed_t))) => packed_i == i && packed_t == targets,
                _ => false,
            };
            if !in_step {
                wrong.push(id);
            }
        }
        Ok(wrong)
    }
}

/// The copy of `indicator` and its `targets`, if it reads back as exactly
/// them; else empty (read the rows). Its numbers are packed bit for bit;
/// what the comparison holds it to is its periods and dates, made again
/// from their day numbers (and it tells a copy of a value that is no
/// number, NaN, from its rows: such a copy is not kept).
fn exact_pack(indicator: &Indicator, targets: &[Target], days: &mut Days) -> Vec<u8> {
    let bytes = pack(indicator, targets);
    match unpack(&indicator.id, &bytes, days) {
        Some((i, t)) if i == *indicator && t == targets => bytes,
        _ => Vec::new(),
    }
}

/// Damage to a copy: an error, as for any other value edited by hand.
fn damaged(indicator: &str) -> Error {
    Error::invalid(format!(
        "the database holds a damaged packed copy of the targets of indicator '{indicator}' \
         (was it edited by hand? 'goalpost db check' lists every one)"
    ))
}

/// Writes a copy.
struct Packer(Vec<u8>);

impl Packer {
    fn int(&mut self, n: i64) {
        varint(&mut self.0, n);
    }

    fn count(&mut self, n: usize) {
        self.int(n as i64);
    }

    fn flag(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    fn float(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        bytes(&mut self.0, s.as_bytes());
    }

    /// Absent or present, then what is present.
    fn some<T>(&mut self, x: Option<T>, put: impl FnOnce(&mut Packer, T)) {
        self.flag(x.is_some());
        if let Some(x) = x {
            put(self, x);
        }
    }

    fn some_text(&mut self, s: Option<&str>) {
        self.some(s, Packer::text);
    }

    fn date(&mut self, d: NaiveDate) {
        self.int(day_number(d));
    }

    /// Its grain's code and its days, as the store keeps a period.
    fn period(&mut self, p: Period) {
        let start = day_number(p.start());
        self.int(p.first().code());
        self.int(start);
        self.int(day_number(p.end()) - start);
    }

    fn source(&mut self, s: &Source) {
        self.some_text(s.citation.as_deref());
        self.some_text(s.url.as_deref());
    }
}

/// The copy of `indicator` and its targets.
fn pack(indicator: &Indicator, targets: &[Target]) -> Vec<u8> {
    let mut p = Packer(vec![LAYOUT]);
    let i = indicator;
    p.text(&i.name);
    p.some_text(i.entity.as_deref());
    p.text(&i.unit);
    p.flag(i.measure == Measure::Flow);
    p.flag(i.higher_is_better);
    p.some(i.limit, Packer::float);
    p.some_text(i.description.as_deref());
    p.some_text(i.parent.as_deref());
    p.int(i64::from(i.year_start));
    p.count(i.dims.len());
    for (k, v) in &i.dims {
        p.text(k);
        p.text(v);
    }
    p.count(targets.len());
    for t in targets {
        p.text(&t.id);
        p.some_text(t.indicator.as_deref());
        p.count(Kind::ALL.iter().position(|k| *k == t.kind).unwrap_or(0));
        p.some_text(t.labels.programme.as_deref());
        p.some_text(t.labels.owner.as_deref());
        p.count(t.labels.tags.len());
        for tag in &t.labels.tags {
            p.text(tag);
        }
        p.some(t.done.as_ref(), |p, d| {
            p.date(d.on);
            p.source(&d.source);
            p.text(&d.recorded);
        });
        p.count(t.not_done.len());
        for n in &t.not_done {
            p.date(n.as_of);
            p.source(&n.source);
            p.text(&n.recorded);
        }
        p.some(t.withdrawn.as_ref(), |p, w| {
            p.date(w.on);
            p.source(&w.source);
            p.text(&w.why);
            p.text(&w.recorded);
        });
        p.count(t.versions.len());
        for v in &t.versions {
            p.int(v.version);
            p.some(v.effective, Packer::date);
            let (goal, x) = match v.goal {
                Goal::Value(x) => (0, Some(x)),
                Goal::Change(Change::Relative(x)) => (1, Some(x)),
                Goal::Change(Change::Absolute(x)) => (2, Some(x)),
                Goal::Change(Change::Points(x)) => (3, Some(x)),
                Goal::Direction => (4, None),
                Goal::Milestone => (5, None),
            };
            p.count(goal);
            if let Some(x) = x {
                p.float(x);
            }
            p.some(v.baseline, Packer::period);
            p.some(v.baseline_value, Packer::float);
            p.period(v.deadline);
            p.some(v.from, Packer::period);
            p.some(v.direction, |p, d| p.flag(d == Direction::Increase));
            p.flag(v.path == PathShape::Compound);
            p.count(v.waypoints.len());
            for (period, x) in &v.waypoints {
                p.period(*period);
                p.float(*x);
            }
            p.some_text(v.title.as_deref());
            p.some_text(v.quote.as_deref());
            p.some_text(v.gloss.as_deref());
            p.source(&v.source);
            p.some_text(v.note.as_deref());
            p.text(&v.recorded);
        }
    }
    p.0
}

/// Reads a copy.
struct Unpacking<'a, 'd> {
    r: Reader<'a>,
    days: &'d mut Days,
}

impl Unpacking<'_, '_> {
    fn int(&mut self) -> Option<i64> {
        self.r.varint()
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.int()?).ok()
    }

    fn flag(&mut self) -> Option<bool> {
        match self.r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn float(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.r.take(8)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        self.r.text()
    }

    fn some<T>(&mut self, get: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        Some(match self.flag()? {
            true => Some(get(self)?),
            false => None,
        })
    }

    fn some_text(&mut self) -> Option<Option<String>> {
        self.some(Self::text)
    }

    fn date(&mut self) -> Option<NaiveDate> {
        let d = self.int()?;
        self.days.date(d)
    }

    fn period(&mut self) -> Option<Period> {
        let code = self.int()?;
        let start = self.int()?;
        let end = start.checked_add(self.int()?)?;
        self.days.period(code, start, end)
    }

    fn source(&mut self) -> Option<Source> {
        Some(Source {
            citation: self.some_text()?,
            url: self.some_text()?,
        })
    }

    /// At most what is left to read, of whatever holds at least a byte:
    /// a damaged count reserves no more than the copy could hold.
    fn list<T>(&mut self) -> Option<(usize, Vec<T>)> {
        let n = self.count()?;
        Some((n, Vec::with_capacity(n.min(self.r.rest.len()))))
    }
}

/// Indicator `id` and its targets from its copy; `None` when it does not
/// read back (damage).
fn unpack(id: &str, bytes: &[u8], days: &mut Days) -> Option<(Indicator, Vec<Target>)> {
    let mut u = Unpacking {
        r: Reader { rest: bytes },
        days,
    };
    if u.r.byte()? != LAYOUT {
        return None;
    }
    let indicator = Indicator {
        id: id.to_string(),
        name: u.text()?,
        entity: u.some_text()?,
        unit: u.text()?,
        measure: match u.flag()? {
            true => Measure::Flow,
            false => Measure::Stock,
        },
        higher_is_better: u.flag()?,
        limit: u.some(Unpacking::float)?,
        description: u.some_text()?,
        parent: u.some_text()?,
        year_start: u32::try_from(u.int()?).ok()?,
        dims: {
            let n = u.count()?;
            let mut dims = BTreeMap::new();
            for _ in 0..n {
                dims.insert(u.text()?, u.text()?);
            }
            dims
        },
    };
    let (n, mut targets) = u.list()?;
    for _ in 0..n {
        let id = u.text()?;
        let indicator = u.some_text()?;
        let kind = *Kind::ALL.get(u.count()?)?;
        let programme = u.some_text()?;
        let owner = u.some_text()?;
        let (k, mut tags) = u.list()?;
        for _ in 0..k {
            tags.push(u.text()?);
        }
        let done = u.some(|u| {
            Some(Done {
                on: u.date()?,
                source: u.source()?,
                recorded: u.text()?,
            })
        })?;
        let (k, mut not_done) = u.list()?;
        for _ in 0..k {
            not_done.push(NotDone {
                as_of: u.date()?,
                source: u.source()?,
                recorded: u.text()?,
            });
        }
        let withdrawn = u.some(|u| {
            Some(Withdrawal {
                on: u.date()?,
                source: u.source()?,
                why: u.text()?,
                recorded: u.text()?,
            })
        })?;
        let (k, mut versions) = u.list()?;
        if k == 0 {
            // every target has a version
            return None;
        }
        for _ in 0..k {
            let version = u.int()?;
            let effective = u.some(Unpacking::date)?;
            let goal = match u.count()? {
                0 => Goal::Value(u.float()?),
                1 => Goal::Change(Change::Relative(u.float()?)),
                2 => Goal::Change(Change::Absolute(u.float()?)),
                3 => Goal::Change(Change::Points(u.float()?)),
                4 => Goal::Direction,
                5 => Goal::Milestone,
                _ => return None,
            };
            let baseline = u.some(Unpacking::period)?;
            let baseline_value = u.some(Unpacking::float)?;
            let deadline = u.period()?;
            let from = u.some(Unpacking::period)?;
            let direction = u.some(|u| {
                Some(match u.flag()? {
                    true => Direction::Increase,
                    false => Direction::Decrease,
                })
            })?;
            let path = match u.flag()? {
                true => PathShape::Compound,
                false => PathShape::Linear,
            };
            let (w, mut waypoints) = u.list()?;
            for _ in 0..w {
                waypoints.push((u.period()?, u.float()?));
            }
            versions.push(TargetVersion {
                version,
                effective,
                goal,
                baseline,
                baseline_value,
                deadline,
                from,
                direction,
                path,
                waypoints,
                title: u.some_text()?,
                quote: u.some_text()?,
                gloss: u.some_text()?,
                source: u.source()?,
                note: u.some_text()?,
                recorded: u.text()?,
            });
        }
        targets.push(Target {
            id,
            indicator,
            kind,
            versions,
            done,
            not_done,
            withdrawn,
            labels: Labels {
                programme,
                owner,
                tags,
            },
        });
    }
    u.r.rest.is_empty().then_some((indicator, targets))
}
