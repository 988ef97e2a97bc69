//! Import batches (docs/import.md, "Batches"): every import that stores
//! observations records one, so that `obs list --batch N` shows what it
//! brought and `obs retract --batch N` undoes it. The batch row is written
//! with the import's first observation: an import that stores nothing
//! (a file imported again) leaves the database as it was.

use crate::error::Result;
use crate::model::{Observation, Target};
use crate::store::{ByHand, CopyOf, Db};

/// The batch of one import, recorded when its first observation is stored.
/// From then until [`Recorder::finish`] the import marks the packed copies
/// of the indicators it writes itself ([`ByHand`]), rather than a trigger
/// on every row; likewise the copies of the targets, from its first
/// target added through it.
pub struct Recorder<'a> {
    input: &'a str,
    format: &'a str,
    id: Option<i64>,
    marks: Option<ByHand>,
    target_marks: Option<ByHand>,
}

impl<'a> Recorder<'a> {
    /// The batch of an import of `input` (a file as named, or `stdin`) in
    /// `format` (`csv`, `sdmx-csv`, …, `dataset`).
    pub fn new(input: &'a str, format: &'a str) -> Recorder<'a> {
        Recorder {
            input,
            format,
            id: None,
            marks: None,
            target_marks: None,
        }
    }

    /// Stores `o` in this batch (recording the batch first if it is the
    /// first row) and returns the observation's id.
    pub fn add(&mut self, db: &Db, o: &Observation) -> Result<i64> {
        let batch = match self.id {
            Some(id) => id,
            None => {
                self.marks = Some(db.mark_by_hand(CopyOf::Vintages)?);
                *self.id.insert(db.add_batch(self.input, self.format)?)
            }
        };
        let id = db.add_observation_to(o, Some(batch))?;
        if let Some(marks) = &mut self.marks {
            marks.touch(&o.indicator);
        }
        Ok(id)
    }

    /// Stores target `t` (not part of the batch: a target is not an
    /// observation).
    pub fn add_target(&mut self, db: &Db, t: &Target) -> Result<()> {
        let marks = match &mut self.target_marks {
            Some(marks) => marks,
            None => self.target_marks.insert(db.mark_by_hand(CopyOf::Targets)?),
        };
        db.add_target(t)?;
        if let Some(indicator) = &t.indicator {
            marks.touch(indicator);
        }
        Ok(())
    }

    /// Records the batch's counts and marks the copies it made stale; its
    /// id, if anything was stored.
    pub fn finish(&mut self, db: &Db, added: usize, unchanged: usize) -> Result<Option<i64>> {
        if let Some(id) = self.id {
            db.set_batch_counts(id, added, unchanged)?;
        }
        if let Some(marks) = self.marks.take() {
            marks.finish(db)?;
        }
        if let Some(marks) = self.target_marks.take() {
            marks.finish(db)?;
        }
        Ok(self.id)
    }
}

/// " as batch N" when an import stored something, for its summary line.
pub fn named(id: Option<i64>) -> String {
    id.map(|id| format!(" as batch {id}")).unwrap_or_default()
}
