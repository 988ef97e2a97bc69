//! The triggers that keep the packed copies (series.rs, targets.rs) in
//! step with the rows, as schema.sql creates them: a copy can be trusted
//! only while every one of them is in place, as the schema has it.
//!
//! Another client may drop or change one. A reader that finds any missing
//! or changed trusts no copy, and reads the rows; a writer marks every
//! copy stale and makes the triggers again before it commits, so that
//! the copies are packed afresh ([`Db::restore_triggers`]). A bulk import
//! takes over the insert triggers of the tables it fills for its own
//! transaction ([`ByHand`]), which another connection never sees (the
//! schema is transactional).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::{Db, SCHEMA};
use crate::error::{Context, Result};

/// A trigger: its name, and the statement that creates it.
pub(super) struct Trigger {
    pub name: &'static str,
    pub create: &'static str,
    /// The table it is on, and whether it runs on an insert.
    table: &'static str,
    on_insert: bool,
}

/// Every trigger the schema creates (the last statement of each name).
pub(super) fn all() -> &'static [Trigger] {
    static ALL: OnceLock<Vec<Trigger>> = OnceLock::new();
    ALL.get_or_init(|| parse(SCHEMA))
}

/// The triggers that run on an insert into any of `tables`.
fn inserts_into(tables: &[&str]) -> Vec<&'static Trigger> {
    all()
        .iter()
        .filter(|t| t.on_insert && tables.contains(&t.table))
        .collect()
}

/// The `CREATE TRIGGER` statements of `schema`, each up to its `END;`.
fn parse(schema: &'static str) -> Vec<Trigger> {
    let mut found: Vec<Trigger> = Vec::new();
    let mut rest = schema;
    while let Some(at) = rest.find("CREATE TRIGGER ") {
        let from = &rest[at..];
        let end = from
            .find("\nEND;")
            .map(|e| e + "\nEND;".len())
            .expect("every trigger in schema.sql ends with END; on a line of its own");
        let create = &from[..end];
        let head = &create[..create.find(" BEGIN").unwrap_or(create.len())];
        let mut words = head.split_whitespace();
        let name = words.nth(2).expect("a trigger's name");
        let words: Vec<&str> = head.split_whitespace().collect();
        let on = words
            .iter()
            .position(|w| *w == "ON")
            .expect("a trigger's table");
        let trigger = Trigger {
            name,
            create,
            table: words[on + 1],
            on_insert: words[on - 1] == "INSERT",
        };
        match found.iter_mut().find(|t| t.name == name) {
            Some(t) => *t = trigger,
            None => found.push(trigger),
        }
        rest = &from[end..];
    }
    found
}

/// Which packed copy of each indicator (both in its `series` row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyOf {
    /// Its vintages (`rows`, series.rs), marked by inserts of observations.
    Vintages,
    /// Its targets (`targets`, targets.rs), marked by inserts of targets
    /// and their versions.
    Targets,
}

impl CopyOf {
    fn column(self) -> &'static str {
        match self {
            CopyOf::Vintages => "rows",
            CopyOf::Targets => "targets",
        }
    }

    /// The tables whose insert triggers a bulk import takes over.
    fn tables(self) -> &'static [&'static str] {
        match self {
            CopyOf::Vintages => &["observation"],
            CopyOf::Targets => &["target", "target_version"],
        }
    }
}

/// An import's own marking of stale copies, in place of the insert
/// triggers that mark them (one or two on every row it inserts, each
/// giving the insert its own statement journal: the two on each target of
/// a data set took a sixth of importing a portfolio), for the rest of its
/// transaction: [`Db::mark_by_hand`] drops the triggers, [`ByHand::touch`]
/// notes each indicator written, and [`ByHand::finish`] marks their copies
/// stale and creates the triggers again. An import adds rows and never
/// replaces one (what the triggers before an insert mark for). Should it
/// not finish, the write that commits finds the triggers missing, marks
/// every copy stale and makes them again ([`Db::restore_triggers`]); an
/// import that fails rolls the drop back with the rest.
pub struct ByHand {
    of: CopyOf,
    touched: HashSet<String>,
}

impl ByHand {
    /// Notes that a row of `indicator` was inserted.
    pub fn touch(&mut self, indicator: &str) {
        if !self.touched.contains(indicator) {
            self.touched.insert(indicator.to_owned());
        }
    }

    /// Marks the copies of the indicators touched stale, and creates the
    /// insert triggers again (made afresh, should another import have
    /// made them again in the same transaction).
    pub fn finish(self, db: &Db) -> Result<()> {
        let column = self.of.column();
        let mut mark =
            db.0.prepare_cached(&format!(
                "UPDATE series SET {column} = NULL WHERE indicator_id = ?1 AND {column} IS NOT NULL"
            ))
            .context("marking the packed copies stale")?;
        for id in &self.touched {
            mark.execute([id])
                .context("marking the packed copies stale")?;
        }
        db.make_triggers(&inserts_into(self.of.tables()))
    }
}

impl Db<'_> {
    /// The triggers that are not in the database as the schema creates
    /// them (missing, or changed).
    fn triggers_astray(&self) -> Result<Vec<&'static Trigger>> {
        let what = "checking the triggers";
        let mut stmt = self
            .0
            .prepare_cached("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            .context(what)?;
        let stored: HashMap<String, String> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?)))
            .context(what)?
            .map(|r| r.map(|(name, sql)| (name, sql.unwrap_or_default())))
            .collect::<rusqlite::Result<_>>()
            .context(what)?;
        Ok(all()
            .iter()
            .filter(|t| {
                // SQLite keeps the statement without its last semicolon
                stored.get(t.name).map(String::as_str) != t.create.strip_suffix(';')
            })
            .collect())
    }

    /// Whether the packed copies may be read: every trigger is in place.
    pub(super) fn copies_trusted(&self) -> Result<bool> {
        Ok(self.triggers_astray()?.is_empty())
    }

    /// Makes again every trigger that is missing or changed; if any was,
    /// first marks every copy stale (a change it would have marked may
    /// have gone unmarked), to be packed again before the commit.
    pub(super) fn restore_triggers(&self) -> Result<()> {
        let astray = self.triggers_astray()?;
        if astray.is_empty() {
            return Ok(());
        }
        self.0
            .execute_batch("UPDATE series SET rows = NULL, targets = NULL")
            .context("marking the packed copies stale")?;
        self.make_triggers(&astray)
    }

    /// Drops the insert triggers that mark copy `of` until
    /// [`ByHand::finish`]: the caller marks the copies of what it inserts.
    pub fn mark_by_hand(&self, of: CopyOf) -> Result<ByHand> {
        self.drop_triggers(&inserts_into(of.tables()))?;
        Ok(ByHand {
            of,
            touched: HashSet::new(),
        })
    }

    /// Drops `triggers` (those there are).
    fn drop_triggers(&self, triggers: &[&Trigger]) -> Result<()> {
        let drop: String = triggers
            .iter()
            .map(|t| format!("DROP TRIGGER IF EXISTS {};", t.name))
            .collect();
        self.0.execute_batch(&drop).context("dropping triggers")
    }

    /// Makes `triggers` afresh, as the schema creates them.
    fn make_triggers(&self, triggers: &[&Trigger]) -> Result<()> {
        self.drop_triggers(triggers)?;
        let make: String = triggers.iter().map(|t| format!("{}\n", t.create)).collect();
        self.0.execute_batch(&make).context("making triggers")
    }
}

#[cfg(test)]
mod tests {
    use super::{all, inserts_into};
    use crate::store::Store;

    #[test]
    fn every_trigger_of_the_schema_is_read_and_a_new_database_has_them_as_written() {
        let names: Vec<&str> = all().iter().map(|t| t.name).collect();
        assert!(names.contains(&"series_after_insert"), "{names:?}");
        assert!(names.contains(&"targets_after_source_insert"), "{names:?}");
        assert_eq!(
            names.len(),
            crate::store::SCHEMA.matches("CREATE TRIGGER ").count()
        );
        let mut store = Store::memory().unwrap();
        store
            .read(|db| {
                assert!(db.triggers_astray()?.is_empty());
                Ok(())
            })
            .unwrap();
        let on_observation: Vec<&str> = inserts_into(&["observation"])
            .iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(
            on_observation,
            ["series_after_insert", "series_before_insert"]
        );
    }

    #[test]
    fn a_trigger_dropped_or_changed_is_astray_and_made_again_by_a_write() {
        let mut store = Store::memory().unwrap();
        store
            .write(|db| {
                db.0.execute_batch(
                    "DROP TRIGGER targets_after_tag_insert;
                     DROP TRIGGER series_after_delete;
                     CREATE TRIGGER series_after_delete AFTER DELETE ON observation BEGIN SELECT 1; END;",
                )
                .unwrap();
                let astray: Vec<&str> = db.triggers_astray()?.iter().map(|t| t.name).collect();
                assert_eq!(astray, ["series_after_delete", "targets_after_tag_insert"]);
                assert!(!db.copies_trusted()?);
                Ok(())
            })
            .unwrap();
        store
            .read(|db| {
                assert!(db.copies_trusted()?);
                Ok(())
            })
            .unwrap();
    }
}
