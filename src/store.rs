//! SQLite storage: the only module with SQL.
//!
//! Opening does, in order (as taskchampion does): create the parent folder,
//! open, foreign keys on, WAL, busy timeout, upgrade the schema in a
//! transaction (refusing a newer file). Every command then runs in one
//! transaction: [`Store::write`] (immediate, retried while busy) or
//! [`Store::read`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};

use crate::error::{Context, Error, Result, nearest};
use crate::model::{
    Change, Correction, DimFilter, Direction, Done, Flags, Goal, ImportBatch, Indicator, Kind,
    Measure, NotDone, Observation, PathShape, Qualifier, Retraction, Source, Target, TargetVersion,
    Withdrawal,
};
use crate::parse;
use crate::period::{Period, day_number, from_day_number};

mod lanes;
mod series;
mod targets;
mod triggers;
pub use lanes::{Lane, Slice};
pub use series::{Packed, Unpacker, Vintages};
pub use triggers::{ByHand, CopyOf};

/// The schema, version [`SCHEMA_VERSION`]: version 1, then one
/// `-- @migration N: what` section per later version.
pub const SCHEMA: &str = include_str!("../schema.sql");
/// The `PRAGMA user_version` this goalpost writes and understands.
pub const SCHEMA_VERSION: i64 = 13;

const MIGRATION_MARK: &str = "\n-- @migration ";

/// Upgrades from version `i` to `i + 1`, in order (version 0 is an empty
/// file): the sections of `schema.sql`, each with what it does.
fn migrations() -> Vec<(String, String)> {
    let mut parts = SCHEMA.split(MIGRATION_MARK);
    let mut out = vec![(
        "creating the schema".to_string(),
        parts.next().unwrap_or_default().to_string(),
    )];
    for part in parts {
        let what = part
            .lines()
            .next()
            .and_then(|l| l.split_once(": "))
            .map_or("upgrading the schema", |(_, w)| w);
        // the marker's own line stays a comment
        out.push((
            format!("upgrading the schema: {what}"),
            format!("-- {part}"),
        ));
    }
    out
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// The default database: `goalpost/goalpost.db` in the platform data
    /// directory.
    pub fn default_path() -> Result<PathBuf> {
        dirs::data_dir()
            .map(|d| d.join("goalpost").join("goalpost.db"))
            .ok_or_else(|| Error::invalid("no data directory on this platform: pass --db PATH"))
    }

    /// Opens the database at `path`; with `create`, makes it (and its folder)
    /// if it does not exist yet.
    pub fn open(path: &Path, create: bool) -> Result<Store> {
        let db_error = |message: String| Error::Database {
            path: path.to_path_buf(),
            message,
        };
        if path.is_dir() {
            return Err(db_error("is a directory, not a database file".into()));
        }
        if !path.exists() {
            if !create {
                return Err(db_error(
                    "does not exist (create it with 'goalpost init', or pass --db)".into(),
                ));
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                if parent.exists() && !parent.is_dir() {
                    return Err(db_error(format!(
                        "cannot be created: {} is a file, not a folder",
                        parent.display()
                    )));
                }
                std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(e.to_string()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.prepare(true).map_err(|e| match e {
            Error::Sqlite { source, .. } => db_error(source.to_string()),
            other => other,
        })?;
        Ok(store)
    }

    /// A throw-away database in memory (`goalpost demo`, tests).
    pub fn memory() -> Result<Store> {
        let conn = Connection::open_in_memory().context("opening an in-memory database")?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.prepare(false)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn prepare(&mut self, wal: bool) -> Result<()> {
        self.conn
            .busy_timeout(Duration::from_secs(10))
            .context("setting the busy timeout")?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .context("turning on foreign keys")?;
        // a report reads each slice of its indicators with a few statements
        // of a few shapes (see lanes.rs): kept prepared, not made again
        self.conn.set_prepared_statement_cache_capacity(64);
        // One plan per statement whatever its parameters: otherwise SQLite
        // may prepare a cached statement again on every new binding (a
        // report binds each indicator's id in turn).
        self.conn
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .context("fixing query plans")?;
        // refuse a newer or a foreign file before anything writes to it
        // (WAL changes its header)
        let (version, tables) = schema_state(&self.conn).context("reading the schema version")?;
        check_schema(&self.path, version, tables)?;
        // text ordered as Rust orders it (the merges of store.rs and
        // lanes.rs, which SQLite's order of UTF-16 text would break)
        let encoding: String = self
            .conn
            .pragma_query_value(None, "encoding", |r| r.get(0))
            .context("reading the text encoding")?;
        if encoding != "UTF-8" {
            return Err(Error::Database {
                path: self.path.clone(),
                message: format!(
                    "keeps its text in {encoding}; goalpost keeps it in UTF-8: make a new file with `goalpost init`"
                ),
            });
        }
        if wal {
            // Fails harmlessly on a read-only medium; WAL is a speed and
            // concurrency choice, not a correctness one.
            let _ = self.conn.pragma_update(None, "journal_mode", "WAL");
        }
        self.upgrade(version)
    }

    fn upgrade(&mut self, version: i64) -> Result<()> {
        let mut upgraded = false;
        for (i, (what, sql)) in migrations().iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .context(what)?;
            // Another process may have upgraded while we waited for the lock.
            let (now, tables) = schema_state(&tx).context(what)?;
            check_schema(&self.path, now, tables)?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql).context(what)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .context(what)?;
            tx.commit().context(what)?;
            upgraded = true;
        }
        if upgraded {
            // an upgrade may have marked copies stale (or made the table)
            self.write(|_| Ok(()))?;
        }
        Ok(())
    }

    /// Runs `f` in one immediate (write) transaction, committed only if `f`
    /// succeeds. A busy database is retried a few times beyond the busy
    /// timeout.
    pub fn write<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        self.write_and(true, f)
    }

    /// Runs `f` as [`Store::write`] does, then rolls everything back: a dry
    /// run meets every check a real write would (ids already taken, …).
    pub fn rehearse<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        self.write_and(false, f)
    }

    fn write_and<T>(&mut self, commit: bool, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        let tx = loop {
            match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
            {
                Ok(tx) => break tx,
                Err(e) if is_busy(&e) && attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(50 * attempt));
                }
                Err(e) => return Err(e).context("starting a write transaction"),
            }
        };
        let out = f(&Db(&tx))?;
        if commit {
            Db(&tx).restore_triggers()?;
            Db(&tx).refresh_series()?;
            Db(&tx).refresh_targets()?;
            tx.commit().context("committing")?;
        }
        Ok(out)
    }

    /// Runs `f` in one read transaction: a consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .context("starting a read transaction")?;
        f(&Db(&tx))
    }
}

impl Store {
    /// SQLite's own checks: `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check`. Returns the problems found (none: empty).
    pub fn check(&mut self) -> Result<Vec<String>> {
        let mut problems = self.sqlite_checks()?;
        // in one read transaction: each copy against its rows as they stood
        // then, whoever writes meanwhile (a file too damaged to read them
        // has its problems listed already)
        match self.read(|db| db.series_out_of_step()) {
            Ok(differ) => problems.extend(differ.into_iter().map(|id| {
                format!("series: the packed copy of indicator '{id}' differs from its observations")
            })),
            Err(e) if !problems.is_empty() => problems.push(format!("series: {e}")),
            Err(e) => return Err(e),
        }
        match self.read(|db| db.targets_out_of_step()) {
            Ok(differ) => problems.extend(differ.into_iter().map(|id| {
                format!("targets: the packed copy of indicator '{id}' differs from its targets")
            })),
            Err(e) if !problems.is_empty() => problems.push(format!("targets: {e}")),
            Err(e) => return Err(e),
        }
        Ok(problems)
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
    fn sqlite_checks(&mut self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .context("checking integrity")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .context("checking integrity")?;
        for row in rows {
            let row = row.context("checking integrity")?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
        let mut stmt = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .context("checking foreign keys")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "foreign key: {} row {} refers to a missing {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                    r.get::<_, String>(2)?
                ))
            })
            .context("checking foreign keys")?;
        for row in rows {
            problems.push(row.context("checking foreign keys")?);
        }
        Ok(problems)
    }

    /// Copies the database to `dest` with SQLite's online backup, which
    /// gives a consistent copy while other processes read and write.
    /// Refuses to overwrite an existing file.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(format!(
                "{} already exists: choose a new file for the backup",
                dest.display()
            )));
        }
        self.conn
            .backup(
                rusqlite::MAIN_DB,
                dest,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| Error::Database {
                path: dest.to_path_buf(),
                message: format!("backup failed: {e}"),
            })
    }
}

/// Refuses a file this goalpost must not write to: one made by a newer
/// goalpost, or another program's database (tables, but no version).
fn check_schema(path: &Path, version: i64, tables: i64) -> Result<()> {
    let refuse = |message: String| {
        Err(Error::Database {
            path: path.to_path_buf(),
            message,
        })
    };
    if version > SCHEMA_VERSION {
        return refuse(format!(
            "schema version {version} is newer than this goalpost understands ({SCHEMA_VERSION}); upgrade goalpost"
        ));
    }
    if version < 0 {
        return refuse(format!(
            "has schema version {version}, which no goalpost writes: choose another file"
        ));
    }
    if version == 0 && tables > 0 {
        return refuse(
            "is not a goalpost database (it has tables but no goalpost schema version): choose another file"
                .into(),
        );
    }
    Ok(())
}

/// The schema version and the number of schema objects, read in one
/// statement so that both come from the same snapshot.
fn schema_state(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A recording time carried in (from a data set), or now.
fn recorded_or_now(r: &str) -> String {
    if r.is_empty() { now() } else { r.to_string() }
}

/// The current time, for `recorded` columns (RFC 3339, UTC, seconds).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A connection inside a transaction: every query of goalpost.
pub struct Db<'a>(&'a Connection);

impl Db<'_> {
    /// `Connection::execute` through the statement cache: a bulk import
    /// runs the same few statements hundreds of thousands of times.
    fn execute(&self, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
        self.0.prepare_cached(sql)?.execute(params)
    }

    /// `Connection::query_row` through the statement cache.
    fn query_row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&Row) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.0.prepare_cached(sql)?.query_row(params, f)
    }

    // ---- sources ----

    /// The id of a source, created if new; `None` for no source at all.
    fn source_id(&self, source: &Source) -> Result<Option<i64>> {
        if source.is_empty() {
            return Ok(None);
        }
        let found: Option<i64> = self
            .query_row(
                "SELECT id FROM source WHERE citation IS ?1 AND url IS ?2",
                params![source.citation, source.url],
                |r| r.get(0),
            )
            .optional()
            .context("looking up a source")?;
        if let Some(id) = found {
            return Ok(Some(id));
        }
        self.execute(
            "INSERT INTO source (citation, url) VALUES (?1, ?2)",
            params![source.citation, source.url],
        )
        .context("adding a source")?;
        Ok(Some(self.0.last_insert_rowid()))
    }

    // ---- indicators ----

    pub fn add_indicator(&self, i: &Indicator) -> Result<()> {
        if self.indicator_exists(&i.id)? {
            return Err(Error::Exists {
                kind: "indicator",
                id: i.id.clone(),
            });
        }
        self.execute(
                "INSERT INTO indicator (id, name, entity, unit, measure, higher_is_better, natural_limit, description, year_start, parent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    i.id,
                    i.name,
                    i.entity,
                    i.unit,
                    i.measure.name(),
                    i.higher_is_better,
                    i.limit,
                    i.description,
                    i.year_start,
                    i.parent
                ],
            )
            .context("adding an indicator")?;
        for (key, value) in &i.dims {
            self.set_indicator_dim(&i.id, key, Some(value))?;
        }
        Ok(())
    }

    /// Sets (or with `None` removes) dimension `key` of indicator `id`.
    pub fn set_indicator_dim(&self, id: &str, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.execute(
                "INSERT INTO indicator_dim (indicator_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (indicator_id, key) DO UPDATE SET key = excluded.key, value = excluded.value",
                params![id, key, v],
            ),
            None => self.execute(
                "DELETE FROM indicator_dim WHERE indicator_id = ?1 AND key = ?2",
                params![id, key],
            ),
        }
        .context("setting a dimension")?;
        Ok(())
    }

    /// The indicators that have every dimension of `dims`, in id order:
    /// one indexed lookup per indicator and dimension.
    pub fn indicators_with(&self, dims: &[DimFilter]) -> Result<Vec<Indicator>> {
        let mut sql = format!("{INDICATOR_ROWS} WHERE 1");
        let mut values: Vec<&str> = Vec::new();
        for d in dims {
            values.push(&d.key);
            let n = values.len();
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM indicator_dim d WHERE d.indicator_id = indicator.id AND d.key = ?{n}"
            ));
            if let Some(v) = &d.value {
                values.push(v);
                sql.push_str(&format!(" AND d.value = ?{}", values.len()));
            }
            sql.push(')');
        }
        sql.push_str(" ORDER BY id");
        let what = "reading indicators";
        let mut stmt = self.0.prepare(&sql).context(what)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), indicator_row)
            .context(what)?;
        rows.collect::<Result<_, _>>().context(what)
    }

    fn indicator_exists(&self, id: &str) -> Result<bool> {
        self.query_row("SELECT 1 FROM indicator WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .context("looking up an indicator")
            .map(|r| r.is_some())
    }

    pub fn indicators(&self) -> Result<Vec<Indicator>> {
        let mut stmt = self
            .0
            .prepare(&format!("{INDICATOR_ROWS} ORDER BY id"))
            .context("reading indicators")?;
        let rows = stmt
            .query_map([], indicator_row)
            .context("reading indicators")?;
        rows.collect::<Result<_, _>>().context("reading indicators")
    }

    /// Calls `f` with every indicator, in id order, one at a time.
    pub fn each_indicator(&self, mut f: impl FnMut(Indicator) -> Result<()>) -> Result<()> {
        let mut stmt = self
            .0
            .prepare(&format!("{INDICATOR_ROWS} ORDER BY id"))
            .context("reading indicators")?;
        let mut rows = stmt.query([]).context("reading indicators")?;
        while let Some(r) = rows.next().context("reading indicators")? {
            f(indicator_row(r).context("reading indicators")?)?;
        }
        Ok(())
    }

    /// Whether there are any indicators, targets and observations.
    pub fn kinds_present(&self) -> Result<(bool, bool, bool)> {
        self.query_row(
            "SELECT EXISTS (SELECT 1 FROM indicator), EXISTS (SELECT 1 FROM target),
                    EXISTS (SELECT 1 FROM observation)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .context("reading the database")
    }

    /// The indicator `id`, if there is one: one indexed lookup.
    pub fn find_indicator(&self, id: &str) -> Result<Option<Indicator>> {
        self.query_row(
            &format!("{INDICATOR_ROWS} WHERE id = ?1"),
            [id],
            indicator_row,
        )
        .optional()
        .context("looking up an indicator")
    }

    /// The indicator `id`, or an error suggesting the nearest id.
    pub fn indicator(&self, id: &str) -> Result<Indicator> {
        match self.find_indicator(id)? {
            Some(i) => Ok(i),
            None => Err(Error::NotFound {
                kind: "indicator",
                id: id.to_string(),
                suggestion: self.nearest_id("indicator", id)?,
            }),
        }
    }

    /// The stored indicator id nearest to `id`, for an error message.
    pub fn nearest_indicator(&self, id: &str) -> Result<Option<String>> {
        self.nearest_id("indicator", id)
    }

    /// The stored id of `table` nearest to `id`, for an error message.
    fn nearest_id(&self, table: &str, id: &str) -> Result<Option<String>> {
        let mut stmt = self
            .0
            .prepare(&format!("SELECT id FROM {table}"))
            .context("looking up ids")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .context("looking up ids")?
            .collect::<Result<Vec<_>, _>>()
            .context("looking up ids")?;
        Ok(nearest(id, ids.iter().map(String::as_str)))
    }

    // ---- observations ----

    /// Adds one vintage and returns its id. `o.id` is used when positive
    /// (a data set import keeps ids); otherwise the next id is taken.
    pub fn add_observation(&self, o: &Observation) -> Result<i64> {
        self.add_observation_to(o, None)
    }

    /// As [`Db::add_observation`], the row belonging to import batch
    /// `batch` (see [`Db::add_batch`]).
    pub fn add_observation_to(&self, o: &Observation, batch: Option<i64>) -> Result<i64> {
        let year_start: Option<u32> = self
            .query_row(
                "SELECT year_start FROM indicator WHERE id = ?1",
                [&o.indicator],
                |r| r.get(0),
            )
            .optional()
            .context("looking up an indicator")?;
        if let Some(m) = year_start.filter(|m| !o.period.fits_year(*m)) {
            return Err(Error::invalid(format!(
                "the period {} is no period of indicator {}, whose years {}",
                o.period,
                o.indicator,
                crate::period::year_words(m)
            )));
        }
        let source_id = self.source_id(&o.source)?;
        let id = (o.id > 0).then_some(o.id);
        if let Some(id) = id {
            let taken = self
                .query_row("SELECT 1 FROM observation WHERE id = ?1", [id], |_| Ok(()))
                .optional()
                .context("looking up an observation")?
                .is_some();
            if taken {
                return Err(Error::Exists {
                    kind: "observation",
                    id: id.to_string(),
                });
            }
        }
        self.execute(
                "INSERT INTO observation (id, indicator_id, period, period_start, period_end, value, qualifier,
                     source_id, published, note, recorded, retracted, retracted_why,
                     grain, start_day, end_day, published_day, flags, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                params![
                    id,
                    o.indicator,
                    o.period.to_string(),
                    o.period.start().to_string(),
                    o.period.end().to_string(),
                    o.value,
                    o.qualifier.map(Qualifier::name),
                    source_id,
                    o.published.map(|d| d.to_string()),
                    o.note,
                    o.recorded,
                    o.retracted.as_ref().map(|r| r.at.clone()),
                    o.retracted.as_ref().map(|r| r.why.clone()),
                    o.period.first().code(),
                    day_number(o.period.start()),
                    day_number(o.period.end()),
                    o.published.map(day_number),
                    flags_text(o.flags),
                    batch,
                ],
            )
            .context("adding an observation")?;
        Ok(self.0.last_insert_rowid())
    }

    /// Every vintage, of one indicator or of all, in id order.
    pub fn observations(&self, indicator: Option<&str>) -> Result<Vec<Observation>> {
        let mut out = Vec::new();
        self.each_observation(indicator, |o| {
            out.push(o);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with every vintage, of one indicator (by its index) or of
    /// all, in id order, one at a time.
    pub fn each_observation(
        &self,
        indicator: Option<&str>,
        mut f: impl FnMut(Observation) -> Result<()>,
    ) -> Result<()> {
        let sql = match indicator {
            Some(_) => format!("{OBSERVATION_ROWS} WHERE o.indicator_id = ?1 ORDER BY o.id"),
            None => format!("{OBSERVATION_ROWS} ORDER BY o.id"),
        };
        let mut stmt = self
            .0
            .prepare_cached(&sql)
            .context("reading observations")?;
        let mut rows = match indicator {
            Some(id) => stmt.query([id]),
            None => stmt.query([]),
        }
        .context("reading observations")?;
        while let Some(row) = rows.next().context("reading observations")? {
            f(observation_row(row).context("reading observations")??)?;
        }
        Ok(())
    }

    /// Calls `f` with every vintage of one indicator at a time, in id
    /// order, the indicators in id order (of `indicator` alone, if given):
    /// memory for the largest indicator, not for the database.
    pub fn each_indicators_observations(
        &self,
        indicator: Option<&str>,
        mut f: impl FnMut(&str, &[Observation]) -> Result<()>,
    ) -> Result<()> {
        let what = "reading observations";
        let sql = match indicator {
            Some(_) => format!("{OBSERVATION_ROWS} WHERE o.indicator_id = ?1 ORDER BY o.id"),
            None => format!("{OBSERVATION_ROWS} ORDER BY o.indicator_id, o.id"),
        };
        let mut stmt = self.0.prepare(&sql).context(what)?;
        let mut rows = match indicator {
            Some(id) => stmt.query([id]),
            None => stmt.query([]),
        }
        .context(what)?;
        let mut group: Vec<Observation> = Vec::new();
        while let Some(row) = rows.next().context(what)? {
            let o = observation_row(row).context(what)??;
            if group.first().is_some_and(|g| g.indicator != o.indicator) {
                f(&group[0].indicator.clone(), &group)?;
                group.clear();
            }
            group.push(o);
        }
        if let Some(first) = group.first() {
            f(&first.indicator.clone(), &group)?;
        }
        Ok(())
    }

    /// Every vintage of `indicator` as an assessment reads it, in id order,
    /// from one index alone (`observation_for_assessment`): what is not
    /// assessed (source, note, times of entry) is left empty. `out` is
    /// refilled, its rows reused.
    pub fn assessment_observations(
        &self,
        indicator: &str,
        out: &mut Vec<Observation>,
    ) -> Result<()> {
        self.assessment_rows(indicator, out, &mut Days::default())
    }

    /// [`Db::assessment_observations`], with the periods and dates already
    /// made from their day numbers in `days`.
    fn assessment_rows(
        &self,
        indicator: &str,
        out: &mut Vec<Observation>,
        days: &mut Days,
    ) -> Result<()> {
        let what = "reading observations";
        // the packed copy when it is fresh (series.rs), else the rows
        let unpacked = self
            .0
            .prepare_cached("SELECT rows FROM series WHERE indicator_id = ?1")
            .and_then(|mut s| {
                s.query_row([indicator], |r| {
                    Ok(match r.get_ref(0)? {
                        rusqlite::types::ValueRef::Blob(b) if !b.is_empty() => {
                            Some(series::unpack(b, indicator, out, days))
                        }
                        _ => None,
                    })
                })
                .optional()
            })
            .context(what)?;
        match unpacked.flatten() {
            Some(done) => done,
            None => self.rows_one_by_one(indicator, out, days),
        }
    }

    /// [`Db::assessment_rows`] from the observation rows themselves.
    fn rows_one_by_one(
        &self,
        indicator: &str,
        out: &mut Vec<Observation>,
        days: &mut Days,
    ) -> Result<()> {
        let what = "reading observations";
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT id, grain, start_day, end_day, value, qualifier, published_day, retracted, flags
                 FROM observation WHERE indicator_id = ?1 ORDER BY id",
            )
            .context(what)?;
        let mut rows = stmt.query([indicator]).context(what)?;
        let mut n = 0;
        use rusqlite::types::ValueRef;
        let int = |v: ValueRef| match v {
            ValueRef::Integer(i) => Some(i),
            _ => None,
        };
        let text = |v: ValueRef| match v {
            ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
            _ => None,
        };
        while let Some(r) = rows.next().context(what)? {
            let column = |i: usize| r.get_ref(i).context(what);
            let Some(id) = int(column(0)?) else {
                return Err(corrupt("observation id", &format!("{:?}", column(0)?)));
            };
            let period = match (int(column(1)?), int(column(2)?), int(column(3)?)) {
                (Some(g), Some(s), Some(e)) => days.period(g, s, e),
                _ => None,
            };
            let period = match period {
                Some(p) => p,
                // a row the migration could not number: read its text
                None => self.stored_period_of(id)?,
            };
            let qualifier = match column(5)? {
                ValueRef::Null => None,
                ValueRef::Text(q) => Some(
                    std::str::from_utf8(q)
                        .ok()
                        .and_then(Qualifier::from_name)
                        .ok_or_else(|| corrupt("qualifier", &String::from_utf8_lossy(q)))?,
                ),
                _ => None,
            };
            let published = match int(column(6)?) {
                Some(d) => Some(
                    days.date(d)
                        .ok_or_else(|| corrupt("date", &d.to_string()))?,
                ),
                None => None,
            };
            // why, for the few retracted rows: a column less on every other
            let retracted = match text(column(7)?) {
                Some(at) => Some(Retraction {
                    at,
                    why: self.retracted_why(id)?,
                }),
                None => None,
            };
            let value: f64 = match column(4)? {
                ValueRef::Real(v) => v,
                _ => r.get(4).context(what)?,
            };
            let flags = stored_flags(text(column(8)?).as_deref())?;
            Assessed {
                id,
                period,
                value,
                qualifier,
                published,
                flags,
                retracted,
            }
            .put(out, n, Holds::Id(indicator));
            n += 1;
        }
        out.truncate(n);
        Ok(())
    }

    fn retracted_why(&self, id: i64) -> Result<String> {
        let why: Option<String> = self
            .query_row(
                "SELECT retracted_why FROM observation WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .context("reading a retraction")?;
        Ok(why.unwrap_or_default())
    }

    fn stored_period_of(&self, id: i64) -> Result<Period> {
        let (text, year_start): (String, u32) = self
            .query_row(
                "SELECT o.period, coalesce(i.year_start, 1) FROM observation o
                 LEFT JOIN indicator i ON i.id = o.indicator_id WHERE o.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .context("reading an observation's period")?;
        stored_period(&text, year_start)
    }

    /// The highest observation id so far (0 for none): rows added later in
    /// the same transaction have higher ones.
    pub fn last_observation_id(&self) -> Result<i64> {
        self.query_row("SELECT coalesce(max(id), 0) FROM observation", [], |r| {
            r.get(0)
        })
        .context("reading observations")
    }

    /// Whether indicator `id` has observations with ids up to `up_to`.
    pub fn has_observations_up_to(&self, id: &str, up_to: i64) -> Result<bool> {
        self.query_row(
            "SELECT 1 FROM observation WHERE indicator_id = ?1 AND id <= ?2 LIMIT 1",
            params![id, up_to],
            |_| Ok(()),
        )
        .optional()
        .context("looking up observations")
        .map(|r| r.is_some())
    }

    /// Whether storing `o` would add nothing (the rule of docs/import.md,
    /// "Unchanged rows"), judged against the vintages with ids up to
    /// `up_to` (those stored before the import began) of the same
    /// indicator and period: one of them is identical to `o` (period as
    /// written, value, qualifier, source, publication date and note; not
    /// retracted, unless `o` is), or the vintage in force on the day `o`
    /// became known says the same, known earlier. One indexed lookup.
    pub fn unchanged(&self, o: &Observation, up_to: i64) -> Result<bool> {
        let what = "looking for unchanged observations";
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT o.id, o.period, o.value, o.qualifier, o.published, s.citation, s.url,
                        o.note, o.retracted IS NOT NULL, o.flags
                 FROM observation o LEFT JOIN source s ON s.id = o.source_id
                 WHERE o.indicator_id = ?1 AND o.period_start = ?2 AND o.period_end = ?3
                   AND o.id <= ?4",
            )
            .context(what)?;
        let (start, end) = o.period.bounds();
        let mut rows = stmt
            .query(params![
                o.indicator,
                start.to_string(),
                end.to_string(),
                up_to
            ])
            .context(what)?;
        let period = o.period.to_string();
        let known = |p: Option<NaiveDate>| p.unwrap_or_else(|| o.period.last_day());
        let mine = known(o.published);
        // the vintage in force on `mine`: latest known, then latest entered
        let mut in_force: Option<((NaiveDate, i64), bool)> = None;
        while let Some(r) = rows.next().context(what)? {
            let published = r
                .get::<_, Option<String>>(4)
                .context(what)?
                .as_deref()
                .map(stored_date)
                .transpose()?;
            let qualifier: Option<String> = r.get(3).context(what)?;
            let source = Source {
                citation: r.get(5).context(what)?,
                url: r.get(6).context(what)?,
            };
            let same = r.get::<_, String>(1).context(what)? == period
                && r.get::<_, f64>(2).context(what)?.to_bits() == o.value.to_bits()
                && r.get::<_, Option<String>>(9).context(what)? == flags_text(o.flags)
                && qualifier.as_deref() == o.qualifier.map(Qualifier::name)
                && source == o.source
                && r.get::<_, Option<String>>(7).context(what)? == o.note;
            let retracted: bool = r.get(8).context(what)?;
            if same && published == o.published && (!retracted || o.retracted.is_some()) {
                return Ok(true);
            }
            let at = (known(published), r.get::<_, i64>(0).context(what)?);
            if !retracted && at.0 <= mine && in_force.is_none_or(|(best, _)| at > best) {
                in_force = Some((at, same));
            }
        }
        Ok(in_force.is_some_and(|(_, same)| same))
    }

    pub fn retract(&self, id: i64, why: &str) -> Result<()> {
        let state: Option<Option<String>> = self
            .query_row(
                "SELECT retracted FROM observation WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .context("looking up an observation")?;
        match state {
            None => Err(Error::NotFound {
                kind: "observation",
                id: id.to_string(),
                suggestion: None,
            }),
            Some(Some(at)) => Err(Error::invalid(format!(
                "observation {id} was already retracted at {at}"
            ))),
            Some(None) => {
                self.execute(
                    "UPDATE observation SET retracted = ?2, retracted_why = ?3 WHERE id = ?1",
                    params![id, now(), why],
                )
                .context("retracting an observation")?;
                Ok(())
            }
        }
    }

    // ---- import batches ----

    /// Records an import batch (its counts set by [`Db::set_batch_counts`]
    /// when it is done) and returns its id.
    pub fn add_batch(&self, input: &str, format: &str) -> Result<i64> {
        self.execute(
            "INSERT INTO batch (recorded, input, format, added, unchanged) VALUES (?1, ?2, ?3, 0, 0)",
            params![now(), input, format],
        )
        .context("recording an import batch")?;
        Ok(self.0.last_insert_rowid())
    }

    pub fn set_batch_counts(&self, id: i64, added: usize, unchanged: usize) -> Result<()> {
        self.execute(
            "UPDATE batch SET added = ?2, unchanged = ?3 WHERE id = ?1",
            params![id, added as i64, unchanged as i64],
        )
        .context("recording an import batch")?;
        Ok(())
    }

    /// Every import batch, oldest first.
    pub fn batches(&self) -> Result<Vec<ImportBatch>> {
        self.batch_rows(None)
    }

    /// Import batch `id`, or an error naming it.
    pub fn batch(&self, id: i64) -> Result<ImportBatch> {
        self.batch_rows(Some(id))?
            .pop()
            .ok_or_else(|| Error::NotFound {
                kind: "import batch",
                id: id.to_string(),
                suggestion: None,
            })
    }

    fn batch_rows(&self, id: Option<i64>) -> Result<Vec<ImportBatch>> {
        let what = "reading import batches";
        let mut stmt = self
            .0
            .prepare_cached(
                "SELECT b.id, b.recorded, b.input, b.format, b.added, b.unchanged,
                        (SELECT count(*) FROM observation o
                         WHERE o.batch_id = b.id AND o.retracted IS NOT NULL)
                 FROM batch b WHERE ?1 IS NULL OR b.id = ?1 ORDER BY b.id",
            )
            .context(what)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(ImportBatch {
                    id: r.get(0)?,
                    recorded: r.get(1)?,
                    input: r.get(2)?,
                    format: r.get(3)?,
                    added: r.get(4)?,
                    unchanged: r.get(5)?,
                    retracted: r.get(6)?,
                })
            })
            .context(what)?
            .collect::<Result<Vec<_>, _>>()
            .context(what)?;
        Ok(rows)
    }

    /// The ids of batch `id`'s observations, and the indicators they are
    /// of (in id order).
    pub fn batch_contents(&self, id: i64) -> Result<(Vec<i64>, Vec<String>)> {
        let what = "reading an import batch";
        let mut stmt = self
            .0
            .prepare_cached("SELECT id, indicator_id FROM observation WHERE batch_id = ?1")
            .context(what)?;
        let mut rows = stmt.query([id]).context(what)?;
        let (mut ids, mut indicators) = (Vec::new(), std::collections::BTreeSet::new());
        while let Some(r) = rows.next().context(what)? {
            ids.push(r.get::<_, i64>(0).context(what)?);
            indicators.insert(r.get::<_, String>(1).context(what)?);
        }
        Ok((ids, indicators.into_iter().collect()))
    }

    /// Retracts every observation of batch `id` not yet retracted, with
    /// the same time and reason; how many.
    pub fn retract_batch(&self, id: i64, why: &str) -> Result<usize> {
        self.execute(
            "UPDATE observation SET retracted = ?2, retracted_why = ?3
             WHERE batch_id = ?1 AND retracted IS NULL",
            params![id, now(), why],
        )
        .context("retracting an import batch")
    }

    // ---- targets ----

    pub fn add_target(&self, t: &Target) -> Result<()> {
        let exists = self
            .query_row("SELECT 1 FROM target WHERE id = ?1", [&t.id], |_| Ok(()))
            .optional()
            .context("looking up a target")?
            .is_some();
        if exists {
            return Err(Error::Exists {
                kind: "target",
                id: t.id.clone(),
            });
        }
        self.execute(
            "INSERT INTO target (id, indicator_id, kind, programme, owner) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![t.id, t.indicator, t.kind.name(), t.labels.programme, t.labels.owner],
        )
        .context("adding a target")?;
        for tag in &t.labels.tags {
            self.tag(&t.id, tag, true)?;
        }
        for v in &t.versions {
            self.add_version(&t.id, v)?;
        }
        if let Some(done) = &t.done {
            self.set_done(&t.id, done)?;
        }
        for n in &t.not_done {
            self.add_not_done(&t.id, n)?;
        }
        if let Some(w) = &t.withdrawn {
            self.withdraw(&t.id, w)?;
        }
        Ok(())
    }

    /// Records that target `id` was withdrawn or repealed.
    pub fn withdraw(&self, id: &str, w: &Withdrawal) -> Result<()> {
        let source_id = self.source_id(&w.source)?;
        self.execute(
            "INSERT INTO target_withdrawal (target_id, withdrawn_on, source_id, why, recorded)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                w.on.to_string(),
                source_id,
                w.why,
                recorded_or_now(&w.recorded)
            ],
        )
        .context("withdrawing a target")?;
        Ok(())
    }

    /// Logs a correction.
    pub fn add_correction(&self, c: &Correction) -> Result<()> {
        self.execute(
            "INSERT INTO correction (kind, entity_id, version, field, old, new, recorded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.kind, c.id, c.version, c.field, c.old, c.new, c.recorded],
        )
        .context("logging a correction")?;
        Ok(())
    }

    /// The corrections of one target or indicator (`kind`), oldest first;
    /// every correction when `id` is `None`.
    pub fn corrections(&self, kind: &'static str, id: Option<&str>) -> Result<Vec<Correction>> {
        // one entity's by the index: "entity_id = ?2 OR ?2 IS NULL" would
        // have SQLite read every correction
        let sql = match id {
            Some(_) => {
                "SELECT entity_id, version, field, old, new, recorded FROM correction
                 WHERE kind = ?1 AND entity_id = ?2 ORDER BY id"
            }
            None => {
                "SELECT entity_id, version, field, old, new, recorded FROM correction
                 WHERE kind = ?1 AND ?2 IS NULL ORDER BY id"
            }
        };
        let mut stmt = self.0.prepare_cached(sql).context("reading corrections")?;
        let rows = stmt
            .query_map(params![kind, id], |r| {
                Ok(Correction {
                    kind,
                    id: r.get(0)?,
                    version: r.get(1)?,
                    field: r.get(2)?,
                    old: r.get(3)?,
                    new: r.get(4)?,
                    recorded: r.get(5)?,
                })
            })
            .context("reading corrections")?
            .collect::<Result<Vec<_>, _>>()
            .context("reading corrections")?;
        Ok(rows)
    }

    /// Every correction, of targets and indicators, oldest first.
    pub fn all_corrections(&self) -> Result<Vec<Correction>> {
        let mut all = self.corrections("target", None)?;
        all.extend(self.corrections("indicator", None)?);
        all.sort_by(|a, b| a.recorded.cmp(&b.recorded));
        Ok(all)
    }

    /// Sets target `id`'s programme or owner (a correction: the caller
    /// logs it).
    pub fn set_label(&self, id: &str, field: &str, value: Option<&str>) -> Result<()> {
        let column = match field {
            "programme" | "owner" => field,
            other => return Err(Error::invalid(format!("cannot file by '{other}'"))),
        };
        self.execute(
            &format!("UPDATE target SET {column} = ?1 WHERE id = ?2"),
            params![value, id],
        )
        .context("correcting a target")?;
        Ok(())
    }

    /// Tags target `id` with `tag` (`on`), or takes the tag off.
    pub fn tag(&self, id: &str, tag: &str, on: bool) -> Result<()> {
        let sql = if on {
            "INSERT OR IGNORE INTO target_tag (target_id, tag) VALUES (?1, ?2)"
        } else {
            "DELETE FROM target_tag WHERE target_id = ?1 AND tag = ?2"
        };
        self.execute(sql, params![id, tag])
            .context("tagging a target")?;
        Ok(())
    }

    /// Sets one text field of target `id`'s version `version` (a
    /// correction: the caller logs it).
    pub fn set_version_field(
        &self,
        id: &str,
        version: i64,
        field: &str,
        value: Option<&str>,
    ) -> Result<()> {
        let column = match field {
            "title" | "quote" | "gloss" | "note" => field,
            other => {
                return Err(Error::invalid(format!(
                    "cannot correct the field '{other}'"
                )));
            }
        };
        self.execute(
            &format!(
                "UPDATE target_version SET {column} = ?1 WHERE target_id = ?2 AND version = ?3"
            ),
            params![value, id, version],
        )
        .context("correcting a target")?;
        Ok(())
    }

    /// Points target `id`'s version `version` at another source.
    pub fn set_version_source(&self, id: &str, version: i64, source: &Source) -> Result<()> {
        let source_id = self.source_id(source)?;
        self.execute(
            "UPDATE target_version SET source_id = ?1 WHERE target_id = ?2 AND version = ?3",
            params![source_id, id, version],
        )
        .context("correcting a target's source")?;
        Ok(())
    }

    /// Sets one field of indicator `id` (a correction: the caller logs it).
    pub fn set_indicator_field(&self, id: &str, field: &str, value: Option<&str>) -> Result<()> {
        let column = match field {
            "name" | "entity" | "description" | "unit" | "year_start" | "parent" => field,
            "limit" => "natural_limit",
            other => {
                return Err(Error::invalid(format!(
                    "cannot correct the field '{other}'"
                )));
            }
        };
        let changed = if column == "natural_limit" {
            let limit: Option<f64> = value.map(|v| v.parse().unwrap_or(f64::NAN));
            self.execute(
                "UPDATE indicator SET natural_limit = ?1 WHERE id = ?2",
                params![limit, id],
            )
        } else {
            self.execute(
                &format!("UPDATE indicator SET {column} = ?1 WHERE id = ?2"),
                params![value, id],
            )
        }
        .context("correcting an indicator")?;
        if changed == 0 {
            return Err(Error::NotFound {
                kind: "indicator",
                id: id.to_string(),
                suggestion: None,
            });
        }
        Ok(())
    }

    /// Whether indicator `id` has any observation.
    pub fn has_observations(&self, id: &str) -> Result<bool> {
        self.has_rows("observation", id)
    }

    /// Whether indicator `id` has any target.
    pub fn has_targets(&self, id: &str) -> Result<bool> {
        self.has_rows("target", id)
    }

    fn has_rows(&self, table: &str, id: &str) -> Result<bool> {
        Ok(self
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE indicator_id = ?1 LIMIT 1"),
                [id],
                |_| Ok(()),
            )
            .optional()
            .context("looking up an indicator's rows")?
            .is_some())
    }

    /// The values of indicator `id` not retracted that lie beyond `limit`
    /// (above it when `higher`, else below it, or on it), with their
    /// period and qualifier: what a new natural limit must allow.
    pub fn values_at_or_beyond(
        &self,
        id: &str,
        limit: f64,
        higher: bool,
    ) -> Result<Vec<(String, f64, Option<Qualifier>)>> {
        let what = "looking up observations";
        let side = if higher { ">=" } else { "<=" };
        let mut stmt = self
            .0
            .prepare(&format!(
                "SELECT period, value, qualifier FROM observation
                 WHERE indicator_id = ?1 AND retracted IS NULL AND value {side} ?2 ORDER BY id"
            ))
            .context(what)?;
        let rows = stmt
            .query_map(params![id, limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .context(what)?;
        let mut out = Vec::new();
        for row in rows {
            let (period, value, q) = row.context(what)?;
            let qualifier = q.as_deref().and_then(Qualifier::from_name);
            out.push((period, value, qualifier));
        }
        Ok(out)
    }

    /// Adds a version (a revision) of target `id`.
    pub fn add_version(&self, id: &str, v: &TargetVersion) -> Result<()> {
        let (goal, goal_value) = match v.goal {
            Goal::Value(x) => ("value", Some(x)),
            Goal::Change(Change::Relative(p)) => ("relative", Some(p)),
            Goal::Change(Change::Absolute(d)) => ("absolute", Some(d)),
            Goal::Change(Change::Points(d)) => ("points", Some(d)),
            Goal::Direction => ("direction", None),
            Goal::Milestone => ("milestone", None),
        };
        let source_id = self.source_id(&v.source)?;
        self.execute(
                "INSERT INTO target_version (target_id, version, effective, goal, goal_value, baseline,
                     baseline_value, deadline, window_from, direction, path, title, quote, gloss,
                     source_id, note, recorded)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    id,
                    v.version,
                    v.effective.map(|d| d.to_string()),
                    goal,
                    goal_value,
                    v.baseline.map(|p| p.to_string()),
                    v.baseline_value,
                    v.deadline.to_string(),
                    v.from.map(|p| p.to_string()),
                    v.direction.map(Direction::name),
                    v.path.name(),
                    v.title,
                    v.quote,
                    v.gloss,
                    source_id,
                    v.note,
                    v.recorded,
                ],
            )
            .context("adding a target version")?;
        for (period, value) in &v.waypoints {
            self.execute(
                "INSERT INTO waypoint (target_id, version, period, value) VALUES (?1, ?2, ?3, ?4)",
                params![id, v.version, period.to_string(), value],
            )
            .context("adding a waypoint")?;
        }
        Ok(())
    }

    pub fn set_done(&self, id: &str, done: &Done) -> Result<()> {
        let source_id = self.source_id(&done.source)?;
        self.execute(
                "INSERT INTO milestone_done (target_id, done_on, source_id, recorded) VALUES (?1, ?2, ?3, ?4)",
                params![id, done.on.to_string(), source_id, recorded_or_now(&done.recorded)],
            )
            .context("marking a milestone done")?;
        Ok(())
    }

    /// Records that milestone `id` was still not done on `n.as_of`.
    pub fn add_not_done(&self, id: &str, n: &NotDone) -> Result<()> {
        let source_id = self.source_id(&n.source)?;
        self.execute(
            "INSERT INTO milestone_not_done (target_id, as_of, source_id, recorded) VALUES (?1, ?2, ?3, ?4)",
            params![id, n.as_of.to_string(), source_id, recorded_or_now(&n.recorded)],
        )
        .context("recording that a milestone was not done")?;
        Ok(())
    }

    /// Stores a method profile (its TOML text) under `name`.
    pub fn add_method(&self, name: &str, profile: &str) -> Result<()> {
        let exists = self
            .query_row(
                "SELECT 1 FROM method_profile WHERE name = ?1",
                [name],
                |_| Ok(()),
            )
            .optional()
            .context("looking up a method")?
            .is_some();
        if exists {
            return Err(Error::Exists {
                kind: "method",
                id: name.to_string(),
            });
        }
        self.execute(
            "INSERT INTO method_profile (name, profile, recorded) VALUES (?1, ?2, ?3)",
            params![name, profile, now()],
        )
        .context("adding a method")?;
        Ok(())
    }

    /// The stored profiles, `(name, TOML)`, by name.
    pub fn methods(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .0
            .prepare("SELECT name, profile FROM method_profile ORDER BY name")
            .context("reading methods")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .context("reading methods")?
            .collect::<Result<Vec<_>, _>>()
            .context("reading methods")?;
        Ok(rows)
    }

    /// The stored profile `name`, if there is one.
    pub fn method(&self, name: &str) -> Result<Option<String>> {
        self.query_row(
            "SELECT profile FROM method_profile WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()
        .context("reading a method")
    }

    /// Removes the stored profile `name`; whether there was one.
    pub fn remove_method(&self, name: &str) -> Result<bool> {
        let n = self
            .execute("DELETE FROM method_profile WHERE name = ?1", [name])
            .context("removing a method")?;
        Ok(n > 0)
    }

    /// Every target, in id order.
    pub fn targets(&self) -> Result<Vec<Target>> {
        let mut out = Vec::new();
        self.each_target(Targets::ById, |t| {
            out.push(t);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with every target, in id order, one at a time.
    pub fn each_target_by_id(&self, f: impl FnMut(Target) -> Result<()>) -> Result<()> {
        self.each_target(Targets::ById, f)
    }

    /// The target `id`, or an error suggesting the nearest id: its own rows
    /// alone, by their indexes.
    pub fn target(&self, id: &str) -> Result<Target> {
        let mut found = None;
        self.each_target(Targets::One(id), |t| {
            found = Some(t);
            Ok(())
        })?;
        match found {
            Some(t) => Ok(t),
            None => Err(Error::NotFound {
                kind: "target",
                id: id.to_string(),
                suggestion: self.nearest_id("target", id)?,
            }),
        }
    }

    /// Calls `f` once per indicator of `slice` that has targets (and once
    /// for the targets without an indicator, with `None`, if the slice
    /// holds them), with its targets in id order and every vintage of it
    /// as an assessment reads it (see [`Db::assessment_observations`]),
    /// each target's versions too (see [`Versions::Assessed`]); whole rows
    /// with `full`: what a report needs, one indicator at a time, in index
    /// order. Each indicator's vintages come still packed when its copy is
    /// fresh (see [`Vintages`]: a report unpacks them where it assesses
    /// them), else read into a vector from `spare` (a caller may hand back
    /// vectors it is done with). Unless `full`, each indicator and its
    /// targets come from their packed copy where it is fresh (targets.rs);
    /// no copy is read while a trigger that keeps them in step is missing
    /// (triggers.rs).
    pub fn each_indicator_with_vintages(
        &self,
        full: bool,
        slice: &Slice,
        mut spare: impl FnMut() -> Vec<Observation>,
        mut f: impl FnMut(Option<Indicator>, Vec<Target>, Vintages) -> Result<()>,
    ) -> Result<()> {
        match slice {
            _ if full => self.each_by_rows(true, false, slice, spare, f),
            // a trigger that keeps them in step is missing (triggers.rs)
            _ if !self.copies_trusted()? => self.each_by_rows(false, false, slice, spare, f),
            Slice::NoIndicator => self.each_by_rows(false, true, slice, spare, f),
            Slice::All => {
                // the targets without an indicator first, as SQLite orders them
                self.each_by_rows(false, true, &Slice::NoIndicator, &mut spare, &mut f)?;
                let every = Slice::Ids {
                    from: None,
                    to: None,
                };
                self.each_packed(&every, spare, f)
            }
            Slice::Ids { .. } => self.each_packed(slice, spare, f),
        }
    }

    /// [`Db::each_indicator_with_vintages`] with the targets read from
    /// their rows, and the vintages from their packed copies where fresh
    /// if `packs` (never with `full`).
    fn each_by_rows(
        &self,
        full: bool,
        packs: bool,
        slice: &Slice,
        mut spare: impl FnMut() -> Vec<Observation>,
        mut f: impl FnMut(Option<Indicator>, Vec<Target>, Vintages) -> Result<()>,
    ) -> Result<()> {
        let what = "reading indicators";
        let mut group: Vec<Target> = Vec::new();
        let mut days = Days::default();
        // the indicators read beside the targets, in the same order
        let mut stmt = self
            .0
            .prepare_cached(&format!(
                "{INDICATOR_ROWS} {} ORDER BY id",
                slice.clause("id")
            ))
            .context(what)?;
        let indicators =
            std::cell::RefCell::new(Ahead::new(stmt.query(&*slice.params()).context(what)?));
        // and their packed copies (series.rs), in the same order
        let mut copies = self
            .0
            .prepare_cached(&format!(
                "SELECT indicator_id, rows FROM series {} ORDER BY indicator_id",
                slice.clause("indicator_id")
            ))
            .context(what)?;
        let mut copies = copies.query(&*slice.params()).context(what)?;
        // the copy the cursor is at: its indicator, and its packed rows
        // (empty when stale, or packed already)
        let mut copy: Option<(String, Vec<u8>)> = None;
        let mut packed = |id: &str| -> Result<Option<Packed>> {
            loop {
                match &copy {
                    Some((c, _)) if c.as_str() > id => return Ok(None),
                    Some((c, _)) if c == id => {
                        // taken: each indicator's copy is asked for once
                        let (indicator, bytes) = copy.take().unwrap_or_default();
                        return Ok((!bytes.is_empty()).then_some(Packed { indicator, bytes }));
                    }
                    _ => match copies.next().context(what)? {
                        Some(r) => {
                            let bytes = match r.get_ref(1).context(what)? {
                                rusqlite::types::ValueRef::Blob(b) => b.to_vec(),
                                _ => Vec::new(),
                            };
                            copy = Some((r.get(0).context(what)?, bytes));
                        }
                        None => return Ok(None),
                    },
                }
            }
        };
        let indicator_of = |id: &str| indicators.borrow_mut().take(id);
        let mut flush = |group: &mut Vec<Target>| -> Result<()> {
            let Some(first) = group.first() else {
                return Ok(());
            };
            let indicator = match &first.indicator {
                Some(id) => indicator_of(id)?,
                None => None,
            };
            if let Some(i) = indicator.as_ref().filter(|_| packs)
                && let Some(p) = packed(&i.id)?
            {
                return f(indicator, std::mem::take(group), Vintages::Packed(p));
            }
            let mut observations = spare();
            match &indicator {
                Some(i) if full => observations = self.observations(Some(&i.id))?,
                Some(i) => self.rows_one_by_one(&i.id, &mut observations, &mut days)?,
                None => observations.clear(),
            }
            f(
                indicator,
                std::mem::take(group),
                Vintages::Read(observations),
            )
        };
        let mut year_start = |id: &str| indicators.borrow_mut().year_start(id);
        let versions = if full {
            Versions::Whole
        } else {
            Versions::Assessed
        };
        let which = Targets::ByIndicator(slice);
        self.each_target_with(which, Some(&mut year_start), versions, |t| {
            if group.first().is_some_and(|g| g.indicator != t.indicator) {
                flush(&mut group)?;
            }
            group.push(t);
            Ok(())
        })?;
        flush(&mut group)
    }

    /// Reads targets whole (versions, waypoints, completion, not-done
    /// statements) one at a time: three queries in the same order, merged.
    fn each_target(&self, which: Targets, f: impl FnMut(Target) -> Result<()>) -> Result<()> {
        self.each_target_with(which, None, Versions::Whole, f)
    }

    /// [`Db::each_target`]; `year_start`, when given, tells the month each
    /// target's indicator starts its year in (by its id), in place of a
    /// join on `indicator` for every target: the caller reads the
    /// indicators beside the targets anyway. `versions`: what is read of
    /// each version.
    fn each_target_with(
        &self,
        which: Targets,
        mut year_start: Option<YearStartOf>,
        versions: Versions,
        mut f: impl FnMut(Target) -> Result<()>,
    ) -> Result<()> {
        let what = "reading targets";
        let (filter, order) = match which {
            Targets::One(_) => ("WHERE t.id = ?1".to_string(), "t.id"),
            Targets::ById => (String::new(), "t.id"),
            Targets::ByIndicator(slice) => (slice.clause("t.indicator_id"), "t.indicator_id, t.id"),
            Targets::OfIndicator(_) => (
                "WHERE t.indicator_id = ?1".to_string(),
                "t.indicator_id, t.id",
            ),
            Targets::Stale => (
                "WHERE t.indicator_id IN (SELECT indicator_id FROM series WHERE targets IS NULL)"
                    .to_string(),
                "t.indicator_id, t.id",
            ),
        };
        let by_indicator = !matches!(which, Targets::One(_) | Targets::ById);
        // A table with no rows is left out (a portfolio often has no
        // completions or withdrawals, no waypoints, statements or tags): a
        // join looks each target up in it, one seek a target for nothing.
        // Asked once, in the same read transaction.
        let has_rows = |table: &str| -> Result<bool> {
            self.0
                .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table})"))
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .context(what)
        };
        let (done, done_join) = if has_rows("milestone_done")? {
            (
                "d.done_on, ds.citation, ds.url, d.recorded",
                "LEFT JOIN milestone_done d ON d.target_id = t.id
                 LEFT JOIN source ds ON ds.id = d.source_id",
            )
        } else {
            ("NULL, NULL, NULL, NULL", "")
        };
        let (withdrawn, withdrawn_join) = if has_rows("target_withdrawal")? {
            (
                "w.withdrawn_on, w.why, ws.citation, ws.url, w.recorded",
                "LEFT JOIN target_withdrawal w ON w.target_id = t.id
                 LEFT JOIN source ws ON ws.id = w.source_id",
            )
        } else {
            ("NULL, NULL, NULL, NULL, NULL", "")
        };
        let (year, year_join) = match year_start {
            Some(_) => ("NULL", ""),
            None => (
                "coalesce(i.year_start, 1)",
                "LEFT JOIN indicator i ON i.id = t.indicator_id",
            ),
        };
        let (statement, statement_join) = match versions {
            Versions::Whole => (
                "v.quote, v.gloss, s.citation, s.url, v.note, v.recorded",
                "LEFT JOIN source s ON s.id = v.source_id",
            ),
            Versions::Assessed => ("NULL, NULL, NULL, NULL, NULL, ''", ""),
        };
        let mut versions = self
            .0
            .prepare_cached(&format!(
                "SELECT t.id, v.version, v.effective, v.goal, v.goal_value, v.baseline,
                        v.baseline_value, v.deadline, v.window_from, v.direction, v.path, v.title,
                        {statement},
                        t.indicator_id, t.kind, {done}, {withdrawn},
                        {year}, t.programme, t.owner
                 FROM target t LEFT JOIN target_version v ON v.target_id = t.id
                 {year_join}
                 {statement_join}
                 {done_join} {withdrawn_join}
                 {filter} ORDER BY {order}"
            ))
            .context(what)?;
        // the other tables beside it, each read only if it has rows: the
        // condition on an empty one is a constant, which SQLite tests once,
        // before the scan (`EXISTS (SELECT 1 FROM table)` was tested at
        // each target of the scan: three scans of the targets for nothing)
        let only_if_any = |table: &str| -> Result<String> {
            let and = if filter.is_empty() { "WHERE" } else { "AND" };
            Ok(if has_rows(table)? {
                filter.clone()
            } else {
                format!("{filter} {and} 0")
            })
        };
        let mut waypoints = self
            .0
            .prepare_cached(&format!(
                "SELECT t.id, t.indicator_id, w.version, w.period, w.value,
                        coalesce(i.year_start, 1)
                 FROM target t JOIN waypoint w ON w.target_id = t.id
                 LEFT JOIN indicator i ON i.id = t.indicator_id
                 {} ORDER BY {order}",
                only_if_any("waypoint")?
            ))
            .context("reading waypoints")?;
        let mut not_done = self
            .0
            .prepare_cached(&format!(
                "SELECT t.id, t.indicator_id, n.as_of, s.citation, s.url, n.recorded
                 FROM target t JOIN milestone_not_done n ON n.target_id = t.id
                 LEFT JOIN source s ON s.id = n.source_id
                 {} ORDER BY {order}, n.as_of, n.id",
                only_if_any("milestone_not_done")?
            ))
            .context("reading not-done statements")?;
        let mut tags = self
            .0
            .prepare_cached(&format!(
                "SELECT t.id, t.indicator_id, g.tag
                 FROM target t JOIN target_tag g ON g.target_id = t.id
                 {} ORDER BY {order}, g.tag",
                only_if_any("target_tag")?
            ))
            .context("reading tags")?;
        // the merge key: (indicator, id) by indicator, else the id alone
        let key = move |r: &Row| -> rusqlite::Result<TargetKey> {
            Ok((if by_indicator { r.get(1)? } else { None }, r.get(0)?))
        };
        let mut waypoints = Side::new(
            which.query(&mut waypoints).context("reading waypoints")?,
            |r| {
                Ok((
                    key(r)?,
                    (
                        r.get::<_, i64>(2)?,
                        (r.get::<_, String>(3)?, r.get::<_, u32>(5)?),
                        r.get::<_, f64>(4)?,
                    ),
                ))
            },
        )?;
        let mut not_done = Side::new(
            which
                .query(&mut not_done)
                .context("reading not-done statements")?,
            |r| {
                Ok((
                    key(r)?,
                    (
                        r.get::<_, String>(2)?,
                        Source {
                            citation: r.get(3)?,
                            url: r.get(4)?,
                        },
                        r.get::<_, String>(5)?,
                    ),
                ))
            },
        )?;
        let mut tags = Side::new(which.query(&mut tags).context("reading tags")?, |r| {
            Ok((key(r)?, r.get::<_, String>(2)?))
        })?;
        let mut rows = which.query(&mut versions).context(what)?;
        let mut current: Option<Target> = None;
        let mut periods = PeriodMemo::default();
        let mut finish = |mut t: Target| -> Result<()> {
            // a target's rows come together, its versions in any order (an
            // ORDER BY on the version too would sort every row again)
            t.versions.sort_by_key(|v| v.version);
            // (most often, nothing is beside the targets, or nothing more)
            if waypoints.is_done() && not_done.is_done() && tags.is_done() {
                return f(t);
            }
            let k = (
                if by_indicator {
                    t.indicator.clone()
                } else {
                    None
                },
                t.id.clone(),
            );
            let mut points = Vec::new();
            waypoints.take(&k, &mut points)?;
            for v in &mut t.versions {
                let mut mine = Vec::new();
                for (_, (p, year), x) in points.iter().filter(|(n, _, _)| *n == v.version) {
                    mine.push((stored_period(p, *year)?, *x));
                }
                mine.sort_by_key(|p| p.0);
                v.waypoints = mine;
            }
            let mut statements = Vec::new();
            not_done.take(&k, &mut statements)?;
            tags.take(&k, &mut t.labels.tags)?;
            for (as_of, source, recorded) in statements {
                t.not_done.push(NotDone {
                    as_of: stored_date(&as_of)?,
                    source,
                    recorded,
                });
            }
            f(t)
        };
        while let Some(r) = rows.next().context(what)? {
            let id = text(r, 0).context(what)?;
            if current.as_ref().is_some_and(|t| t.id != id) {
                finish(current.take().expect("a current target"))?;
            }
            if r.get_ref(1).context(what)? == rusqlite::types::ValueRef::Null {
                return Err(corrupt("target without versions", id));
            }
            let year = match &mut year_start {
                Some(of) => match text_ref(r, 18).context(what)? {
                    Some(indicator) => of(indicator)?,
                    None => 1,
                },
                None => r.get(29).context(what)?,
            };
            let version = version_row(r, id, year, &mut periods).context(what)??;
            match &mut current {
                Some(t) => t.versions.push(version),
                None => {
                    let kind = text(r, 19).context(what)?;
                    let done_on: Option<String> = r.get(20).context(what)?;
                    current = Some(Target {
                        indicator: r.get(18).context(what)?,
                        kind: Kind::from_name(kind).ok_or_else(|| corrupt("target kind", kind))?,
                        versions: vec![version],
                        done: match done_on {
                            Some(d) => Some(Done {
                                on: stored_date(&d)?,
                                source: Source {
                                    citation: r.get(21).context(what)?,
                                    url: r.get(22).context(what)?,
                                },
                                recorded: r
                                    .get::<_, Option<String>>(23)
                                    .context(what)?
                                    .unwrap_or_default(),
                            }),
                            None => None,
                        },
                        not_done: Vec::new(),
                        withdrawn: match r.get::<_, Option<String>>(24).context(what)? {
                            Some(on) => Some(Withdrawal {
                                on: stored_date(&on)?,
                                why: r.get(25).context(what)?,
                                source: Source {
                                    citation: r.get(26).context(what)?,
                                    url: r.get(27).context(what)?,
                                },
                                recorded: r.get(28).context(what)?,
                            }),
                            None => None,
                        },
                        labels: crate::model::Labels {
                            programme: r.get(30).context(what)?,
                            owner: r.get(31).context(what)?,
                            tags: Vec::new(),
                        },
                        id: id.to_string(),
                    });
                }
            }
        }
        if let Some(t) = current {
            finish(t)?;
        }
        Ok(())
    }

    /// Every row of every table, as text, in a fixed order: used to prove
    /// that a failed command changed nothing.
    pub fn dump(&self) -> Result<String> {
        let mut out = String::new();
        for table in [
            "source",
            "indicator",
            "indicator_dim",
            "observation",
            "target",
            "target_version",
            "waypoint",
            "milestone_done",
            "milestone_not_done",
            "method_profile",
            "target_withdrawal",
            "correction",
            "batch",
            "target_tag",
        ] {
            let mut stmt = self
                .0
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                .context("dumping")?;
            let n = stmt.column_count();
            let mut rows = stmt.query([]).context("dumping")?;
            while let Some(row) = rows.next().context("dumping")? {
                let values: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", row.get_ref(i).ok()))
                    .collect();
                out.push_str(&format!("{table}: {}\n", values.join("|")));
            }
        }
        Ok(out)
    }
}

/// Which targets [`Db::each_target`] reads, in which order.
#[derive(Clone, Copy)]
enum Targets<'a> {
    One(&'a str),
    ById,
    /// The targets of a slice by indicator id (targets without one first),
    /// then id.
    ByIndicator(&'a Slice),
    /// The targets of one indicator, by id.
    OfIndicator(&'a str),
    /// The targets of the indicators whose packed targets are stale (see
    /// targets.rs), by indicator id, then id.
    Stale,
}

impl Targets<'_> {
    fn query<'s>(
        self,
        stmt: &'s mut rusqlite::CachedStatement<'_>,
    ) -> rusqlite::Result<rusqlite::Rows<'s>> {
        match self {
            Targets::One(id) | Targets::OfIndicator(id) => stmt.query([id]),
            Targets::ById | Targets::Stale => stmt.query([]),
            Targets::ByIndicator(slice) => stmt.query(&*slice.params()),
        }
    }
}

/// What [`Db::each_target_with`] reads of each target version.
#[derive(Clone, Copy)]
enum Versions {
    /// All of it.
    Whole,
    /// What an assessment and a report's row read: not the words of the
    /// promise (quote, gloss), its source, its note or its time of entry,
    /// which are left empty (about a fifth of each version's columns,
    /// and a join on `source`).
    Assessed,
}

/// Where a row belongs in the merge of [`Db::each_target`]: (indicator id
/// when reading by indicator, target id), ordered as SQLite orders them
/// (NULL first, then bytewise).
type TargetKey = (Option<String>, String);

/// Where [`Db::each_target_with`] finds the month an indicator (by its id)
/// starts its year in.
type YearStartOf<'a> = &'a mut dyn FnMut(&str) -> Result<u32>;

/// The indicators read beside their targets, in id order: each target's
/// year start is looked up as its versions are read, and the indicator is
/// taken whole when its targets are all read, which is after the next
/// indicator's first target has been read. Holds only the indicators
/// looked up and not yet taken (the one whose targets are being gathered,
/// and the next), and the one read last: an indicator with no target is
/// let go as soon as it is passed.
struct Ahead<'s> {
    rows: rusqlite::Rows<'s>,
    held: std::collections::VecDeque<Indicator>,
    /// Whether the last held was looked up (else it is the one read last,
    /// ahead of what was looked up); every one before it was.
    last_wanted: bool,
}

impl<'s> Ahead<'s> {
    fn new(rows: rusqlite::Rows<'s>) -> Ahead<'s> {
        Ahead {
            rows,
            held: std::collections::VecDeque::new(),
            last_wanted: false,
        }
    }

    /// Looks indicator `id` up: reads on until it is held or one after it
    /// is, letting go of those passed that no target looked up.
    fn reach(&mut self, id: &str) -> Result<Option<&Indicator>> {
        let what = "reading indicators";
        while self.held.back().is_none_or(|last| last.id.as_str() < id) {
            if !self.last_wanted && self.held.pop_back().is_some() {
                // every one held before the last was looked up
                self.last_wanted = !self.held.is_empty();
            }
            let Some(r) = self.rows.next().context(what)? else {
                break;
            };
            self.held.push_back(indicator_row(r).context(what)?);
            self.last_wanted = false;
        }
        match self.held.back() {
            Some(last) if last.id == id => {
                self.last_wanted = true;
                Ok(Some(last))
            }
            _ => Ok(None),
        }
    }

    /// The month indicator `id` starts its year in (1 for none by that id).
    fn year_start(&mut self, id: &str) -> Result<u32> {
        Ok(self.reach(id)?.map_or(1, |i| i.year_start))
    }

    /// Indicator `id`, taken (none if there is none by that id); those
    /// before it are let go.
    fn take(&mut self, id: &str) -> Result<Option<Indicator>> {
        if !self.held.iter().any(|i| i.id == id) {
            self.reach(id)?;
        }
        while self.held.front().is_some_and(|i| i.id.as_str() < id) {
            self.held.pop_front();
        }
        let taken = match self.held.front() {
            Some(i) if i.id == id => self.held.pop_front(),
            _ => None,
        };
        if self.held.is_empty() {
            self.last_wanted = false;
        }
        Ok(taken)
    }
}

/// A query read beside another in the same order: the rows of one key at
/// a time.
struct Side<'s, T, F> {
    rows: rusqlite::Rows<'s>,
    read: F,
    next: Option<(TargetKey, T)>,
}

impl<'s, T, F: Fn(&Row) -> rusqlite::Result<(TargetKey, T)>> Side<'s, T, F> {
    fn new(rows: rusqlite::Rows<'s>, read: F) -> Result<Side<'s, T, F>> {
        let mut side = Side {
            rows,
            read,
            next: None,
        };
        side.advance()?;
        Ok(side)
    }

    fn advance(&mut self) -> Result<()> {
        let what = "reading targets";
        self.next = match self.rows.next().context(what)? {
            Some(r) => Some((self.read)(r).context(what)?),
            None => None,
        };
        Ok(())
    }

    /// Whether every row has been taken (or passed over).
    fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Moves the rows of `key` into `out`, passing over any before it.
    fn take(&mut self, key: &TargetKey, out: &mut Vec<T>) -> Result<()> {
        while let Some((k, _)) = &self.next {
            match k.cmp(key) {
                std::cmp::Ordering::Greater => break,
                std::cmp::Ordering::Less => self.advance()?,
                std::cmp::Ordering::Equal => {
                    if let Some((_, value)) = self.next.take() {
                        out.push(value);
                    }
                    self.advance()?;
                }
            }
        }
        Ok(())
    }
}

/// Periods and dates made from their stored day numbers, remembered (a
/// few hundred, in slots by their numbers): the series of a portfolio
/// share a few dozen periods, and the calendar arithmetic that makes one
/// costs more than reading its row. A slot holds what the day numbers
/// make, so that a hit is the same value as making it again.
///
/// Its slots are made at the first use: a reading pass that meets no
/// row makes none.
#[derive(Default)]
struct Days {
    periods: Vec<Remembered<(i64, i64, i64), Period>>,
    dates: Vec<Remembered<i64, NaiveDate>>,
}

/// A slot of [`Days`]: the numbers, and what they make (if anything).
type Remembered<K, V> = Option<(K, Option<V>)>;

impl Days {
    const SLOTS: usize = 1024;

    fn slot(n: i64) -> usize {
        (((n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> 54) as usize % Days::SLOTS
    }

    /// [`Period::from_days`] of a stored grain code and bounds.
    #[inline]
    fn period(&mut self, grain: i64, start: i64, end: i64) -> Option<Period> {
        let slot = Days::slot(start ^ end.rotate_left(21) ^ grain.rotate_left(42));
        Days::remembered(&mut self.periods, slot, (grain, start, end), || {
            Period::from_days(grain, start, end)
        })
    }

    /// [`from_day_number`].
    #[inline]
    fn date(&mut self, day: i64) -> Option<NaiveDate> {
        Days::remembered(&mut self.dates, Days::slot(day), day, || {
            from_day_number(day)
        })
    }

    /// What `key` makes, from its slot if there, else made and kept there.
    /// Inlined where each vintage is unpacked (most are remembered), the
    /// making kept out of line.
    #[inline]
    fn remembered<K: Copy + PartialEq, V: Copy>(
        slots: &mut Vec<Remembered<K, V>>,
        slot: usize,
        key: K,
        make: impl FnOnce() -> Option<V>,
    ) -> Option<V> {
        if let Some(Some((k, v))) = slots.get(slot)
            && *k == key
        {
            return *v;
        }
        Days::remember(slots, slot, key, make)
    }

    #[cold]
    #[inline(never)]
    fn remember<K: Copy, V: Copy>(
        slots: &mut Vec<Remembered<K, V>>,
        slot: usize,
        key: K,
        make: impl FnOnce() -> Option<V>,
    ) -> Option<V> {
        if slots.is_empty() {
            *slots = vec![None; Days::SLOTS];
        }
        let v = make();
        slots[slot] = Some((key, v));
        v
    }
}

/// What each vintage's `indicator` holds.
#[derive(Clone, Copy)]
enum Holds<'a> {
    /// This id (written into a reused vintage that held another).
    Id(&'a str),
    /// Nothing: every vintage is of the indicator its caller holds beside
    /// them (a report's, unpacked: see [`Unpacker::unpack`]), and none is
    /// given one (a vintage reused was left empty too).
    Nothing,
}

/// What an assessment reads of a vintage: from its row or its packed copy.
struct Assessed {
    id: i64,
    period: Period,
    value: f64,
    qualifier: Option<Qualifier>,
    published: Option<NaiveDate>,
    flags: Flags,
    retracted: Option<Retraction>,
}

impl Assessed {
    /// Puts it `n`th in `out`, reusing the vintage there; what is not
    /// assessed (source, note, time of entry) is left empty, and its
    /// indicator is what `holds` says. Inlined where each vintage is
    /// unpacked: most go where one was.
    #[inline]
    fn put(self, out: &mut Vec<Observation>, n: usize, holds: Holds) {
        if n == out.len() {
            self.push(out, holds);
            return;
        }
        let o = &mut out[n];
        o.id = self.id;
        if let Holds::Id(indicator) = holds
            && o.indicator != indicator
        {
            o.indicator.clear();
            o.indicator.push_str(indicator);
        }
        o.period = self.period;
        o.value = self.value;
        o.qualifier = self.qualifier;
        o.published = self.published;
        o.flags = self.flags;
        o.retracted = self.retracted;
    }

    /// [`Assessed::put`] past the vintages there are.
    #[cold]
    #[inline(never)]
    fn push(self, out: &mut Vec<Observation>, holds: Holds) {
        out.push(Observation {
            id: self.id,
            indicator: match holds {
                Holds::Id(indicator) => indicator.to_string(),
                Holds::Nothing => String::new(),
            },
            period: self.period,
            value: self.value,
            qualifier: self.qualifier,
            source: Source::default(),
            published: self.published,
            note: None,
            flags: self.flags,
            recorded: String::new(),
            retracted: self.retracted,
        });
    }
}

fn corrupt(what: &str, value: &str) -> Error {
    Error::invalid(format!(
        "the database holds an invalid {what} '{value}' (was it edited by hand?)"
    ))
}

/// A stored period's text, read in its indicator's year.
fn stored_period(s: &str, year_start: u32) -> Result<Period> {
    parse::period_in(s, year_start).map_err(|_| corrupt("period", s))
}

fn stored_date(s: &str) -> Result<NaiveDate> {
    parse::date(s).map_err(|_| corrupt("date", s))
}

/// The columns [`indicator_row`] reads: the dimensions as `key US value`
/// pairs separated by RS (control characters, which no key or value holds).
///
/// The dimensions are looked up only when some indicator has any: the
/// uncorrelated `EXISTS` is evaluated once, before the scan. Without it
/// the lookup per indicator took most of the scan's time.
const INDICATOR_ROWS: &str = "SELECT id, name, entity, unit, measure, higher_is_better, natural_limit, description, parent,
        CASE WHEN EXISTS (SELECT 1 FROM indicator_dim) THEN
            (SELECT group_concat(d.key || char(31) || d.value, char(30)) FROM indicator_dim d WHERE d.indicator_id = indicator.id)
        END,
        year_start
     FROM indicator";

fn indicator_row(r: &Row) -> rusqlite::Result<Indicator> {
    let dims: Option<String> = r.get(9)?;
    Ok(Indicator {
        id: r.get(0)?,
        name: r.get(1)?,
        entity: r.get(2)?,
        unit: r.get(3)?,
        measure: Measure::from_name(text(r, 4)?).unwrap_or(Measure::Stock),
        higher_is_better: r.get(5)?,
        limit: r.get(6)?,
        description: r.get(7)?,
        parent: r.get(8)?,
        year_start: r.get(10)?,
        dims: dims
            .iter()
            .flat_map(|d| d.split('\u{1e}'))
            .filter_map(|pair| pair.split_once('\u{1f}'))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

/// Flags as stored: their names, comma-separated; `None` for none.
fn flags_text(flags: Flags) -> Option<String> {
    (!flags.is_empty()).then(|| flags.to_string())
}

fn stored_flags(text: Option<&str>) -> Result<Flags> {
    text.map_or(Ok(Flags::default()), |t| {
        Flags::parse(t).map_err(|_| corrupt("flags", t))
    })
}

/// The columns [`observation_row`] reads.
const OBSERVATION_ROWS: &str =
    "SELECT o.id, o.indicator_id, o.period, o.value, o.qualifier, s.citation, s.url,
            o.published, o.note, o.recorded, o.retracted, o.retracted_why,
            coalesce(i.year_start, 1), o.flags
     FROM observation o LEFT JOIN source s ON s.id = o.source_id
     LEFT JOIN indicator i ON i.id = o.indicator_id";

fn observation_row(r: &Row) -> rusqlite::Result<Result<Observation>> {
    let period: String = r.get(2)?;
    let qualifier: Option<String> = r.get(4)?;
    let published: Option<String> = r.get(7)?;
    let retracted: Option<String> = r.get(10)?;
    let why: Option<String> = r.get(11)?;
    let year_start: u32 = r.get(12)?;
    let flags: Option<String> = r.get(13)?;
    let (id, indicator, value): (i64, String, f64) = (r.get(0)?, r.get(1)?, r.get(3)?);
    let (citation, url, note, recorded) = (r.get(5)?, r.get(6)?, r.get(8)?, r.get(9)?);
    Ok((|| {
        Ok(Observation {
            id,
            indicator,
            period: stored_period(&period, year_start)?,
            value,
            qualifier: qualifier
                .map(|q| Qualifier::from_name(&q).ok_or_else(|| corrupt("qualifier", &q)))
                .transpose()?,
            source: Source { citation, url },
            published: published.as_deref().map(stored_date).transpose()?,
            note,
            flags: stored_flags(flags.as_deref())?,
            recorded,
            retracted: retracted.map(|at| Retraction {
                at,
                why: why.unwrap_or_default(),
            }),
        })
    })())
}

/// Column `i` as text borrowed from the row (`None` for NULL): for what
/// is parsed or compared, not kept. A value that is not text is the error
/// `r.get::<Option<String>>` gives (its type and column named).
fn text_ref<'r>(r: &'r Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    match r.get_ref(i)?.as_str_or_null() {
        Ok(text) => Ok(text),
        Err(_) => Err(not_text(r.get::<_, Option<String>>(i), i)),
    }
}

/// As [`text_ref`], for a column that holds text: NULL is an error too,
/// the one `r.get::<String>` gives.
fn text<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    match r.get_ref(i)?.as_str() {
        Ok(text) => Ok(text),
        Err(_) => Err(not_text(r.get::<_, String>(i), i)),
    }
}

/// The error of reading column `i` as an owned string, which failed
/// borrowed (it fails the same way).
fn not_text<T>(owned: rusqlite::Result<T>, i: usize) -> rusqlite::Error {
    owned.err().unwrap_or(rusqlite::Error::InvalidColumnType(
        i,
        format!("column {i}"),
        rusqlite::types::Type::Null,
    ))
}

/// The periods of the target versions read last, each parsed once: a
/// portfolio's targets share a few baselines and deadlines, and parsing
/// them took a fortieth of a report's time.
#[derive(Default)]
struct PeriodMemo {
    seen: Vec<(String, u32, Period)>,
    /// The entry replaced next, once all are taken.
    next: usize,
}

impl PeriodMemo {
    const SIZE: usize = 8;

    /// Stored period `s` of an indicator whose year starts in month
    /// `year_start`, as [`stored_period`] parses it (an error is not kept).
    fn period(&mut self, s: &str, year_start: u32) -> Result<Period> {
        if let Some((_, _, p)) = self
            .seen
            .iter()
            .find(|(t, y, _)| t == s && *y == year_start)
        {
            return Ok(*p);
        }
        let p = stored_period(s, year_start)?;
        let entry = (s.to_string(), year_start, p);
        if self.seen.len() < Self::SIZE {
            self.seen.push(entry);
        } else {
            self.seen[self.next] = entry;
            self.next = (self.next + 1) % Self::SIZE;
        }
        Ok(p)
    }
}

/// The version a row of [`Db::each_target`]'s query holds, of target `id`
/// of an indicator whose year starts in month `year_start`.
fn version_row(
    r: &Row,
    id: &str,
    year_start: u32,
    periods: &mut PeriodMemo,
) -> rusqlite::Result<Result<TargetVersion>> {
    let version: i64 = r.get(1)?;
    let effective = text_ref(r, 2)?;
    let goal = text(r, 3)?;
    let goal_value: Option<f64> = r.get(4)?;
    let baseline = text_ref(r, 5)?;
    let baseline_value: Option<f64> = r.get(6)?;
    let deadline = text(r, 7)?;
    let from = text_ref(r, 8)?;
    let direction = text_ref(r, 9)?;
    let path = text(r, 10)?;
    let (title, quote, gloss): (Option<String>, Option<String>, Option<String>) =
        (r.get(11)?, r.get(12)?, r.get(13)?);
    let source = Source {
        citation: r.get(14)?,
        url: r.get(15)?,
    };
    let (note, recorded): (Option<String>, String) = (r.get(16)?, r.get(17)?);
    let mut stored_period = |s: &str| periods.period(s, year_start);
    Ok((|| {
        let x = || goal_value.ok_or_else(|| corrupt("goal without value", id));
        let goal = match goal {
            "value" => Goal::Value(x()?),
            "relative" => Goal::Change(Change::Relative(x()?)),
            "absolute" => Goal::Change(Change::Absolute(x()?)),
            "points" => Goal::Change(Change::Points(x()?)),
            "direction" => Goal::Direction,
            "milestone" => Goal::Milestone,
            other => return Err(corrupt("goal", other)),
        };
        Ok(TargetVersion {
            version,
            effective: effective.map(stored_date).transpose()?,
            goal,
            baseline: baseline.map(&mut stored_period).transpose()?,
            baseline_value,
            deadline: stored_period(deadline)?,
            from: from.map(&mut stored_period).transpose()?,
            direction: direction
                .map(|d| Direction::from_name(d).ok_or_else(|| corrupt("direction", d)))
                .transpose()?,
            path: PathShape::from_name(path).ok_or_else(|| corrupt("path", path))?,
            waypoints: Vec::new(),
            title,
            quote,
            gloss,
            source,
            note,
            recorded,
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_remembered_is_the_one_parsed() {
        let mut memo = PeriodMemo::default();
        // more texts than the memo keeps, repeated, under two year starts
        let texts = [
            "2020",
            "2030",
            "2025-Q1",
            "2020..2024",
            "2031",
            "2032",
            "2033",
            "2034",
            "2035",
            "2036",
        ];
        for round in 0..3 {
            for (i, text) in texts.iter().enumerate() {
                for year_start in [1, 4] {
                    let got = memo.period(text, year_start).map(|p| p.to_string());
                    let parsed = stored_period(text, year_start).map(|p| p.to_string());
                    assert_eq!(
                        got.ok(),
                        parsed.ok(),
                        "{text} from month {year_start}, round {round}, {i}"
                    );
                }
            }
        }
        assert_eq!(memo.period("2030", 4).unwrap().to_string(), "2029/30");
        assert_eq!(memo.period("2030", 1).unwrap().to_string(), "2030");
        assert!(memo.period("not a period", 1).is_err());
        assert!(memo.period("not a period", 1).is_err());
    }

    #[test]
    fn a_period_made_from_day_numbers_again_is_the_one_made_first() {
        use crate::period::day_number;
        let day = |y, m| day_number(NaiveDate::from_ymd_opt(y, m, 1).unwrap());
        let mut days = Days::default();
        // runs of one period (a period's vintages), periods that come back
        // after others, more of them than there are slots (so that some
        // share one), and numbers that make no period (a day out of range)
        let mut keys = Vec::new();
        for y in 1900..3300 {
            keys.extend([(0, day(y, 1), day(y + 1, 1)); 3]);
            keys.push((2, day(y, 4), day(y, 7)));
            keys.push((0, day(y - 1, 1), day(y, 1)));
        }
        keys.extend([(0, i64::MAX, 0), (0, day(2020, 1), day(2020, 2)), (9, 1, 2)]);
        for round in 0..2 {
            for &(grain, start, end) in &keys {
                assert_eq!(
                    days.period(grain, start, end),
                    Period::from_days(grain, start, end),
                    "{grain} {start} {end}, round {round}"
                );
            }
        }
    }

    #[test]
    fn a_new_database_is_at_the_current_schema_version() {
        let mut s = Store::memory().unwrap();
        let v: i64 = s
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(s.read(|db| db.indicators()).unwrap(), vec![]);
    }

    #[test]
    fn a_version_1_file_is_upgraded_in_place_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(&migrations()[0].1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute(
                "INSERT INTO target (id, indicator_id, kind) VALUES ('m', NULL, 'milestone')",
                [],
            )
            .unwrap();
            c.execute(
                "INSERT INTO target_version (target_id, version, goal, deadline, path, recorded)
                 VALUES ('m', 1, 'milestone', '2022-10', 'linear', 'x')",
                [],
            )
            .unwrap();
        }
        let mut s = Store::open(&path, false).unwrap();
        let v: i64 = s
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let targets = s.read(|db| db.targets()).unwrap();
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].not_done, vec![]);
    }

    #[test]
    fn a_newer_database_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path, false).err().unwrap().to_string();
        assert!(
            err.contains(&format!(
                "schema version 99 is newer than this goalpost understands ({SCHEMA_VERSION})"
            )),
            "{err}"
        );
        assert!(std::fs::read(&path).unwrap() == before, "the file changed");
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let mut s = Store::memory().unwrap();
        let before = s.read(|db| db.dump()).unwrap();
        let r: Result<()> = s.write(|db| {
            db.add_indicator(&Indicator {
                id: "x".into(),
                name: "X".into(),
                entity: None,
                unit: "USD".into(),
                measure: Measure::Flow,
                higher_is_better: true,
                limit: None,
                description: None,
                year_start: 1,
                dims: Default::default(),
                parent: None,
            })?;
            Err(Error::invalid("boom"))
        });
        assert!(r.is_err());
        assert_eq!(s.read(|db| db.dump()).unwrap(), before);
    }
}
