//! Reading one database on every core. A report shares its indicators
//! out in [`Slice`]s, in their order, to as many lanes as there are cores:
//! the connection it began with, and more connections to the same file
//! ([`Lane`]), each reading at that connection's snapshot (SQLite's
//! snapshot interface), so that every lane reads the database as it stood
//! when the report began, whatever another process commits meanwhile.
//!
//! Where the lanes cannot be made sure to read the same (a database in
//! memory; a commit made since the report began, on a WAL that held
//! nothing to take a snapshot of; see [`Db::lanes`]), there are no more
//! lanes: the report reads on one connection.

use std::ffi::CStr;

use rusqlite::{Connection, OpenFlags, ToSql, ffi};

use super::Db;
use crate::error::{Context, Result};

/// Statements kept prepared on a reading connection: each slice's queries
/// come in four shapes (no bounds, a lower, an upper, both), and re-preparing
/// them for every slice would cost more than reading a small one.
const STATEMENTS: usize = 64;

const MAIN: &CStr = c"main";

/// The page cache of a reading connection, in KiB (SQLite's default is
/// 2 MiB). A report reads each page once, in order, so a small cache
/// serves it as well; and its pages are then memory already touched: on
/// the machine measured, a fresh page cost more than reading one.
const PASS_CACHE_KIB: i64 = 256;

/// A connection of its own, in a read transaction at the snapshot of the
/// connection it was opened beside.
pub struct Lane {
    conn: Connection,
}

impl Lane {
    pub fn db(&self) -> Db<'_> {
        Db(&self.conn)
    }
}

/// The targets a lane reads at once: those of the indicators in a range of
/// ids, or those without an indicator. Slices in order cover every target
/// once (SQLite orders every non-null value, numbers before text before
/// blobs, so the ranges leave none out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slice {
    /// Every target.
    All,
    /// The targets without an indicator (milestones).
    NoIndicator,
    /// The targets of indicators with ids from `from` (inclusive) to `to`
    /// (exclusive), either end open.
    Ids {
        from: Option<String>,
        to: Option<String>,
    },
}

impl Slice {
    /// The `WHERE` clause that keeps the slice's rows by the indicator id
    /// in `column` (with `:from` and `:to`, see [`Slice::params`]).
    pub(super) fn clause(&self, column: &str) -> String {
        match self {
            Slice::All => String::new(),
            Slice::NoIndicator => format!("WHERE {column} IS NULL"),
            Slice::Ids { from, to } => {
                let mut parts = Vec::new();
                if from.is_some() {
                    parts.push(format!("{column} >= :from"));
                }
                if to.is_some() {
                    parts.push(format!("{column} < :to"));
                }
                if parts.is_empty() {
                    parts.push(format!("{column} IS NOT NULL"));
                }
                format!("WHERE {}", parts.join(" AND "))
            }
        }
    }

    /// The parameters [`Slice::clause`] names.
    pub(super) fn params(&self) -> Vec<(&str, &dyn ToSql)> {
        let mut params: Vec<(&str, &dyn ToSql)> = Vec::new();
        if let Slice::Ids { from, to } = self {
            if let Some(from) = from {
                params.push((":from", from));
            }
            if let Some(to) = to {
                params.push((":to", to));
            }
        }
        params
    }
}

/// Targets sampled to find where slices begin: enough that the smallest
/// slice asked for (a 128th of the targets, see [`Db::slices`]) holds
/// about the share it was asked to.
const SAMPLES: i64 = 256;

impl Db<'_> {
    /// Up to `n` more connections reading the database as this one does;
    /// none where that cannot be made sure of, and fewer where one more
    /// cannot open (each is only a way to go faster: the report reads what
    /// the others do not). This connection and each lane get the small
    /// page cache of a single pass (`PASS_CACHE_KIB`).
    ///
    /// This connection is in a read transaction. Where its snapshot can be
    /// had, each lane opens at it. SQLite has none to give when nothing has
    /// been written to the WAL since it was made: this connection then
    /// reads the database file alone, which no checkpoint can change while
    /// it reads, and a lane that also finds nothing in the WAL reads that
    /// same file; a lane that finds something (committed since) is closed.
    /// Outside WAL mode there is no snapshot either, and no writer can
    /// commit while this connection reads: the lanes read the same.
    pub fn lanes(&self, n: usize) -> Vec<Lane> {
        let _ = self.0.pragma_update(None, "cache_size", -PASS_CACHE_KIB);
        if n == 0 {
            return Vec::new();
        }
        let Some(path) = self.0.path().filter(|p| !p.is_empty()).map(str::to_string) else {
            return Vec::new();
        };
        // the read transaction begins with its first read
        if self
            .0
            .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .is_err()
        {
            return Vec::new();
        }
        let at = match Snapshot::of(self.0) {
            Ok(snapshot) => Some(snapshot),
            Err(ffi::SQLITE_ERROR) => None,
            Err(_) => return Vec::new(),
        };
        let mut lanes = Vec::with_capacity(n);
        while lanes.len() < n {
            match Lane::open(&path, at.as_ref()) {
                Some(lane) => lanes.push(lane),
                None => break,
            }
        }
        lanes
    }

    /// Slices of the targets, in the order a report reads them (see
    /// [`Slice`]): the targets without an indicator, then ranges of
    /// indicator ids that hold about the share of the targets each of
    /// `shares` says (fractions of the whole, in order; found from a sample
    /// of the targets by row id: a few hundred index lookups, whatever the
    /// database's size). One slice of everything for fewer than two shares.
    pub fn slices(&self, shares: &[f64]) -> Result<Vec<Slice>> {
        let what = "sharing out the indicators";
        if shares.len() <= 1 {
            return Ok(vec![Slice::All]);
        }
        let (first, last): (Option<i64>, Option<i64>) = self
            .0
            .query_row(
                // each a seek to one end: SQLite takes min() and max() of
                // one query together by scanning every row
                "SELECT (SELECT min(rowid) FROM target), (SELECT max(rowid) FROM target)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .context(what)?;
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(vec![Slice::All]);
        };
        let samples = SAMPLES;
        let mut stmt = self
            .0
            .prepare_cached(
                // the target at or after a row id, whatever it is: one
                // lookup (skipping milestones here could scan a long run)
                "SELECT indicator_id FROM target WHERE rowid >= ?1 ORDER BY rowid LIMIT 1",
            )
            .context(what)?;
        let mut ids: Vec<rusqlite::types::Value> = Vec::new();
        for k in 0..samples {
            let rowid = first + ((last - first) as i128 * k as i128 / samples as i128) as i64;
            let mut rows = stmt.query([rowid]).context(what)?;
            if let Some(r) = rows.next().context(what)? {
                ids.push(r.get(0).context(what)?);
            }
        }
        // only text bounds: milestones (no id) are a slice of their own,
        // and ids of another type (edited by hand) fall in the slices
        // around them, as SQLite orders them
        let mut ids: Vec<String> = ids
            .into_iter()
            .filter_map(|v| match v {
                rusqlite::types::Value::Text(s) => Some(s),
                _ => None,
            })
            .collect();
        // bytewise, as SQLite's BINARY collation of the ids orders them (so
        // the bounds are in SQLite's order too, and the ranges do not overlap)
        ids.sort_unstable();
        // each slice's end at the sample its share so far reaches
        let mut reached = 0.0;
        let mut bounds: Vec<String> = shares[..shares.len() - 1]
            .iter()
            .filter_map(|share| {
                reached += share;
                ids.get((reached * ids.len() as f64) as usize).cloned()
            })
            .collect();
        bounds.dedup();
        let mut slices = vec![Slice::NoIndicator];
        let mut from = None;
        for to in bounds {
            slices.push(Slice::Ids {
                from: from.replace(to.clone()),
                to: Some(to),
            });
        }
        slices.push(Slice::Ids { from, to: None });
        Ok(slices)
    }
}

impl Lane {
    /// A read-only connection to `path`, in a read transaction at
    /// `snapshot`, or with none, at a WAL with nothing written to it (see
    /// [`Db::lanes`]); `None` if it cannot be had.
    fn open(path: &str, snapshot: Option<&Snapshot>) -> Option<Lane> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).ok()?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        // the plans the first connection uses (see Store::prepare)
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .ok()?;
        conn.pragma_update(None, "cache_size", -PASS_CACHE_KIB)
            .ok()?;
        conn.execute_batch("BEGIN").ok()?;
        let same = match snapshot {
            Some(s) => s.open_on(&conn),
            None => {
                conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                    .ok()?;
                matches!(Snapshot::of(&conn), Err(ffi::SQLITE_ERROR))
            }
        };
        same.then_some(Lane { conn })
    }
}

/// A connection's read snapshot (`sqlite3_snapshot`), freed when dropped.
struct Snapshot(*mut ffi::sqlite3_snapshot);

impl Snapshot {
    /// The snapshot `conn` reads at, in its read transaction; else SQLite's
    /// code: `SQLITE_ERROR` when it has none to give (nothing written to
    /// the WAL since it was made, or not in WAL mode).
    fn of(conn: &Connection) -> std::result::Result<Snapshot, std::ffi::c_int> {
        let mut snapshot = std::ptr::null_mut();
        // SAFETY: the handle is `conn`'s own, open for the whole call; on
        // success SQLite hands over a snapshot that this value frees.
        let rc = unsafe { ffi::sqlite3_snapshot_get(conn.handle(), MAIN.as_ptr(), &mut snapshot) };
        match rc {
            ffi::SQLITE_OK if !snapshot.is_null() => Ok(Snapshot(snapshot)),
            ffi::SQLITE_OK => Err(ffi::SQLITE_INTERNAL),
            rc => Err(rc),
        }
    }

    /// Puts `conn`'s transaction, begun but not read in yet, at this
    /// snapshot: whether it could.
    fn open_on(&self, conn: &Connection) -> bool {
        // SAFETY: the handle is `conn`'s own and the snapshot is alive
        // (SQLite copies what it needs of it).
        unsafe {
            ffi::sqlite3_snapshot_open(conn.handle(), MAIN.as_ptr(), self.0) == ffi::SQLITE_OK
        }
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        // SAFETY: made by sqlite3_snapshot_get, freed once, here.
        unsafe { ffi::sqlite3_snapshot_free(self.0) }
    }
}
