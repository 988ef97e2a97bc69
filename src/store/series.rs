//! Each indicator's vintages packed into one row (`series`), so that a
//! report reads one row per indicator instead of one per vintage.
//!
//! The packed row is a copy, never the record: the `observation` rows are.
//! Triggers on `observation` mark an indicator's copy stale (its `rows`
//! NULL) in the same statement as any insert, update or delete, whoever
//! makes it (goalpost or another SQLite client); a stale or missing copy
//! is never read, its indicator's rows are read instead. Every write
//! transaction packs its stale copies again before it commits
//! ([`Db::refresh_series`]), so a reader normally finds them fresh.
//!
//! The packing holds what an assessment reads (see
//! [`Db::assessment_observations`]), in id order. A copy that cannot hold
//! its rows exactly (a row the schema could not number, a hand-edited
//! value) is stored empty: its indicator is always read row by row, and
//! the row path reports what is wrong with it.
//!
//! A bulk import takes over the insert triggers' work (triggers.rs's `ByHand`): a
//! trigger on every row costs each insert its own statement journal, and
//! the import knows which indicators it wrote.

use rusqlite::types::ValueRef;

use super::{Days, Db, Holds, stored_flags};
use crate::error::{Context, Error, Result};
use crate::model::{Observation, Qualifier, Retraction};
use crate::period::{Period, from_day_number};

/// The first byte of a packed copy: the layout's version (2: values as
/// scaled integers where that is exact, schema migration 11).
const LAYOUT: u8 = 2;

/// The columns packed, in the order [`pack`] reads them.
pub(super) const PACKED_COLUMNS: &str = "SELECT id, grain, start_day, end_day, value, qualifier, published_day, retracted, retracted_why, flags
     FROM observation WHERE indicator_id = ?1 ORDER BY id";

// bits of a row's tag byte, beside its qualifier (0: none, 1 + its index)
const PUBLISHED: u8 = 1 << 3;
const RETRACTED: u8 = 1 << 4;
const FLAGGED: u8 = 1 << 5;
/// The value is packed as a scaled integer ([`scaled`]), not as 8 bytes.
const SCALED: u8 = 1 << 6;

/// The powers of ten a value is scaled by, each exact as a float.
const POW10: [f64; 10] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// The value of a scaled integer `m`: its last decimal digit is the
/// number of places `k`, the rest the digits `n`, and the value `n / 10^k`.
fn unscaled(m: i64) -> f64 {
    let (n, k) = (m.div_euclid(10), m.rem_euclid(10));
    n as f64 / POW10[k as usize]
}

/// `value` as a scaled integer when [`unscaled`] gives it back exactly,
/// bit for bit (a value parsed from a decimal of up to nine places, such
/// as 324.6674, packs in 4 bytes instead of 8); else `None`, and the value
/// is packed whole.
fn scaled(value: f64) -> Option<i64> {
    // beyond 2^53 a float's integers are no longer all exact
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    (0..POW10.len()).find_map(|k| {
        let n = (value * POW10[k]).round();
        if !n.is_finite() || n.abs() >= LIMIT {
            return None;
        }
        let m = n as i64 * 10 + k as i64;
        (unscaled(m).to_bits() == value.to_bits()).then_some(m)
    })
}

impl Db<'_> {
    /// Packs again every stale copy (inside the caller's transaction).
    pub fn refresh_series(&self) -> Result<()> {
        let what = "packing the series";
        let mut stale = self
            .0
            .prepare_cached("SELECT indicator_id FROM series WHERE rows IS NULL")
            .context(what)?;
        let ids: Vec<String> = stale
            .query_map([], |r| r.get(0))
            .context(what)?
            .collect::<rusqlite::Result<_>>()
            .context(what)?;
        let mut update = self
            .0
            .prepare_cached("UPDATE series SET rows = ?2 WHERE indicator_id = ?1")
            .context(what)?;
        for id in ids {
            let packed = self.pack(&id)?;
            update
                .execute(rusqlite::params![id, packed])
                .context(what)?;
        }
        Ok(())
    }

    /// The packed copy of `indicator`'s rows; empty when they cannot be
    /// packed exactly.
    fn pack(&self, indicator: &str) -> Result<Vec<u8>> {
        let what = "packing the series";
        let mut stmt = self.0.prepare_cached(PACKED_COLUMNS).context(what)?;
        let mut rows = stmt.query([indicator]).context(what)?;
        let mut out = vec![LAYOUT];
        let mut last = Last::default();
        while let Some(r) = rows.next().context(what)? {
            let columns: Vec<ValueRef> = (0..10)
                .map(|i| r.get_ref(i))
                .collect::<rusqlite::Result<_>>()
                .context(what)?;
            if pack_row(&columns, &mut last, &mut out).is_none() {
                return Ok(Vec::new());
            }
        }
        Ok(out)
    }

    /// Every packed copy that differs from its rows, by indicator id: what
    /// `db check` reports (a copy is only ever read when fresh, so a
    /// difference is damage to the file, or a bug).
    pub fn series_out_of_step(&self) -> Result<Vec<String>> {
        let what = "checking the series";
        let mut stmt = self
            .0
            .prepare("SELECT indicator_id, rows FROM series WHERE rows IS NOT NULL ORDER BY indicator_id")
            .context(what)?;
        let copies: Vec<(String, Vec<u8>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context(what)?
            .collect::<rusqlite::Result<_>>()
            .context(what)?;
        let mut wrong = Vec::new();
        for (id, rows) in copies {
            if rows != self.pack(&id)? {
                wrong.push(id);
            }
        }
        Ok(wrong)
    }
}

/// What the previous row held: each number is packed as its difference
/// from it.
#[derive(Default)]
struct Last {
    id: i64,
    start: i64,
}

/// Appends one row (the columns of [`PACKED_COLUMNS`]); `None` when it
/// cannot be packed exactly.
fn pack_row(c: &[ValueRef], last: &mut Last, out: &mut Vec<u8>) -> Option<()> {
    let int = |v: ValueRef| match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    };
    let text = |v: ValueRef<'_>| -> Option<Option<String>> {
        match v {
            ValueRef::Null => Some(None),
            ValueRef::Text(t) => Some(Some(std::str::from_utf8(t).ok()?.to_string())),
            _ => None,
        }
    };
    let id = int(c[0])?;
    let (grain, start, end) = (int(c[1])?, int(c[2])?, int(c[3])?);
    Period::from_days(grain, start, end)?;
    let ValueRef::Real(value) = c[4] else {
        return None;
    };
    let qualifier = match text(c[5])? {
        None => 0,
        Some(q) => {
            let q = Qualifier::from_name(&q)?;
            1 + Qualifier::ALL.iter().position(|x| *x == q)? as u8
        }
    };
    let published = match c[6] {
        ValueRef::Null => None,
        v => {
            let d = int(v)?;
            from_day_number(d)?;
            Some(d)
        }
    };
    let retracted = text(c[7])?;
    let why = text(c[8])?;
    let flags = text(c[9])?;
    if let Some(f) = &flags {
        stored_flags(Some(f)).ok()?;
    }
    let mut tag = qualifier;
    if published.is_some() {
        tag |= PUBLISHED;
    }
    if retracted.is_some() {
        tag |= RETRACTED;
    }
    if flags.is_some() {
        tag |= FLAGGED;
    }
    let scaled = scaled(value);
    if scaled.is_some() {
        tag |= SCALED;
    }
    out.push(tag);
    varint(out, id - last.id);
    out.push(u8::try_from(grain).ok()?);
    varint(out, start - last.start);
    varint(out, end - start);
    match scaled {
        Some(m) => varint(out, m),
        None => out.extend_from_slice(&value.to_le_bytes()),
    }
    if let Some(d) = published {
        varint(out, d - end);
    }
    if let Some(at) = retracted {
        bytes(out, at.as_bytes());
        bytes(out, why.unwrap_or_default().as_bytes());
    }
    if let Some(f) = flags {
        bytes(out, f.as_bytes());
    }
    *last = Last { id, start };
    Some(())
}

/// A signed number in as few bytes as it needs (zigzag, then 7 bits a byte).
pub(super) fn varint(out: &mut Vec<u8>, n: i64) {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    while z >= 0x80 {
        out.push((z as u8) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

/// Text, after its length.
pub(super) fn bytes(out: &mut Vec<u8>, b: &[u8]) {
    varint(out, b.len() as i64);
    out.extend_from_slice(b);
}

/// Reads a packed copy back.
pub(super) struct Reader<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    /// At most ten bytes (64 bits, 7 a byte); most are one byte, read
    /// without the loop.
    #[inline(always)]
    pub(super) fn varint(&mut self) -> Option<i64> {
        let zigzag = |z: u64| (z >> 1) as i64 ^ -((z & 1) as i64);
        let b = self.byte()?;
        if b < 0x80 {
            return Some(zigzag(u64::from(b)));
        }
        let mut z = u64::from(b & 0x7f);
        let mut shift = 7;
        while shift < 64 {
            let b = self.byte()?;
            z |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(zigzag(z));
            }
            shift += 7;
        }
        None
    }

    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (b, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(b)
    }

    pub(super) fn text(&mut self) -> Option<String> {
        let n = usize::try_from(self.varint()?).ok()?;
        Some(std::str::from_utf8(self.take(n)?).ok()?.to_string())
    }
}

/// An indicator's vintages as a report reads them: read already, or still
/// packed, to be unpacked by whichever thread assesses them.
pub enum Vintages {
    Read(Vec<Observation>),
    Packed(Packed),
}

/// An indicator's fresh packed copy.
pub struct Packed {
    pub(super) indicator: String,
    pub(super) bytes: Vec<u8>,
}

impl Packed {
    /// The indicator every row of it is of.
    pub fn indicator(&self) -> &str {
        &self.indicator
    }

    /// Its size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Unpacks copies, remembering the periods and dates it has made.
#[derive(Default)]
pub struct Unpacker {
    days: Days,
    /// The rows of the last copy unpacked, reused for the next.
    rows: Vec<Observation>,
}

impl Unpacker {
    /// Unpacks `p`, as [`Db::assessment_observations`] would read it, into
    /// rows of its own, reused from one copy to the next. Every row is of
    /// `p.indicator()`, and none says so: its `indicator` is left empty,
    /// as are its source, note and time of entry, which an assessment does
    /// not read either (copying the id into every row was a tenth of
    /// unpacking them). Whoever assesses them holds the indicator beside
    /// them ([`crate::engine::assess_own`]).
    pub fn unpack(&mut self, p: &Packed) -> Result<&[Observation]> {
        unpack_rows(&p.bytes, &mut self.rows, &mut self.days, Holds::Nothing)
            .ok_or_else(|| damaged(&p.indicator))?;
        Ok(&self.rows)
    }

    /// Unpacks `p` into `out` (its rows reused).
    pub fn unpack_into(&mut self, p: &Packed, out: &mut Vec<Observation>) -> Result<()> {
        unpack(&p.bytes, &p.indicator, out, &mut self.days)
    }
}

/// Unpacks `packed` (a copy of `indicator`) into `out`, its rows reused.
/// A copy that does not unpack was not written by goalpost: an error, as
/// for any other value edited by hand.
pub(super) fn unpack(
    packed: &[u8],
    indicator: &str,
    out: &mut Vec<Observation>,
    days: &mut Days,
) -> Result<()> {
    unpack_rows(packed, out, days, Holds::Id(indicator)).ok_or_else(|| damaged(indicator))
}

fn damaged(indicator: &str) -> Error {
    Error::invalid(format!(
        "the database holds a damaged packed copy of indicator '{indicator}' \
         (was it edited by hand? 'goalpost db check' lists every one)"
    ))
}

/// [`unpack`]; `holds`: what goes in each row's `indicator`.
fn unpack_rows(
    packed: &[u8],
    out: &mut Vec<Observation>,
    days: &mut Days,
    holds: Holds,
) -> Option<()> {
    let mut r = Reader { rest: packed };
    if r.byte()? != LAYOUT {
        return None;
    }
    let mut last = Last::default();
    let mut n = 0;
    while !r.rest.is_empty() {
        let tag = r.byte()?;
        let id = last.id.checked_add(r.varint()?)?;
        let grain = i64::from(r.byte()?);
        let start = last.start.checked_add(r.varint()?)?;
        let end = start.checked_add(r.varint()?)?;
        let value = match tag & SCALED {
            0 => f64::from_le_bytes(r.take(8)?.try_into().ok()?),
            _ => unscaled(r.varint()?),
        };
        let qualifier = match tag & 0b111 {
            0 => None,
            q => Some(*Qualifier::ALL.get(usize::from(q - 1))?),
        };
        let published = match tag & PUBLISHED {
            0 => None,
            _ => Some(days.date(end.checked_add(r.varint()?)?)?),
        };
        let retracted = match tag & RETRACTED {
            0 => None,
            _ => Some(Retraction {
                at: r.text()?,
                why: r.text()?,
            }),
        };
        let flags = match tag & FLAGGED {
            0 => Default::default(),
            _ => stored_flags(Some(&r.text()?)).ok()?,
        };
        let period = days.period(grain, start, end)?;
        last = Last { id, start };
        super::Assessed {
            id,
            period,
            value,
            qualifier,
            published,
            flags,
            retracted,
        }
        .put(out, n, holds);
        n += 1;
    }
    out.truncate(n);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::{Reader, scaled, unscaled, varint};

    #[test]
    fn a_varint_reads_back_as_written_and_an_overlong_or_cut_one_does_not() {
        let mut numbers = vec![
            0,
            1,
            -1,
            63,
            -64,
            64,
            -65,
            8191,
            -8192,
            8192,
            i64::MAX,
            i64::MIN,
        ];
        for k in 1..63 {
            numbers.extend([1i64 << k, -(1i64 << k), (1i64 << k) - 1]);
        }
        let mut out = Vec::new();
        for n in &numbers {
            varint(&mut out, *n);
        }
        let mut r = Reader { rest: &out };
        for n in &numbers {
            assert_eq!(r.varint(), Some(*n), "{n}");
        }
        assert!(r.rest.is_empty());
        // one byte a number up to 63 either way, ten for the widest
        for (n, len) in [(63, 1), (-64, 1), (64, 2), (i64::MIN, 10), (i64::MAX, 10)] {
            let mut one = Vec::new();
            varint(&mut one, n);
            assert_eq!(one.len(), len, "{n}");
        }
        // eleven bytes, each saying one more follows, is no number; nor
        // is one cut short
        let overlong = [0x80u8; 11];
        assert_eq!(Reader { rest: &overlong }.varint(), None);
        assert_eq!(
            Reader {
                rest: &[0x80, 0x80]
            }
            .varint(),
            None
        );
        assert_eq!(Reader { rest: &[] }.varint(), None);
    }

    #[test]
    fn a_value_packs_scaled_only_when_it_comes_back_bit_for_bit() {
        // decimals of up to nine places, whole numbers, negatives
        for (v, m) in [
            (324.6674, 3_246_674 * 10 + 4),
            (104.25, 10_425 * 10 + 2),
            (5.0, 50),
            (-0.5, -5 * 10 + 1),
            (9_880_000_000.0, 98_800_000_000),
            (0.1, 11),
            (0.0, 0),
        ] {
            assert_eq!(scaled(v), Some(m), "{v}");
            assert_eq!(unscaled(m).to_bits(), f64::to_bits(v), "{v}");
        }
        // what no scaled integer gives back exactly stays whole: minus
        // zero, a third, ten places, beyond 2^53, and no number at all
        for v in [
            -0.0,
            1.0 / 3.0,
            0.123_456_789_1,
            1e17,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(scaled(v), None, "{v}");
        }
    }
}
