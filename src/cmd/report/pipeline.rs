//! How `report` uses every core (see [`super::super::lanes`]): each lane
//! reads each indicator of its slices with its targets and vintages,
//! unpacks, assesses and renders them, and adds the rendered rows to the
//! one [`Writer`], which puts them in the report's order at the end. Rows
//! come in any order, so the output does not depend on which lane was
//! first.

use std::cell::RefCell;
use std::sync::Mutex;

use chrono::NaiveDate;

use super::super::lanes::{self, Stop};
use crate::engine::{self, Method, Options};
use crate::error::{Error, Result};
use crate::model::{Indicator, Observation, Target};
use crate::render::report::{Rendered, Renderer, Writer};
use crate::report::{Filter, Row, Spark};
use crate::store::{Db, Unpacker, Vintages};

/// One indicator's targets and vintages, on their way to be assessed.
pub struct Group {
    pub indicator: Option<Indicator>,
    pub targets: Vec<Target>,
    pub vintages: Vintages,
}

/// How each target is assessed, and which rows are kept.
#[derive(Clone, Copy)]
pub struct Assessing<'a> {
    pub as_of: NaiveDate,
    pub method: Method,
    pub options: Options,
    pub filter: &'a Filter,
    /// Whether each row gets its small chart (the HTML page).
    pub sparks: bool,
}

/// Rendered bytes a lane keeps before it adds them to the writer: the
/// writer's lock is taken a few dozen times, not once per row.
const FLUSH: usize = 256 << 10;

/// Reads every indicator with its targets (whole rows with `full`), makes
/// each a [`Group`] with `group` (`None` leaves it out), and assesses and
/// renders every target of it into `writer`, which it returns.
pub fn assess_all<G>(
    db: &Db,
    full: bool,
    writer: Writer,
    how: Assessing,
    group: G,
) -> Result<Writer>
where
    G: Fn(Option<Indicator>, Vec<Target>, Vintages) -> Option<Group> + Sync,
{
    let renderer = writer.renderer();
    let writer = Mutex::new(writer);
    let lane = || Assessor {
        unpacker: Unpacker::default(),
        out: Rendered::default(),
        spares: Vec::new(),
    };
    lanes::each_slice(db, lane, |lane, db, slice, stop| {
        // vectors of read vintages, to be filled again
        let spares = RefCell::new(std::mem::take(&mut lane.spares));
        db.each_indicator_with_vintages(
            full,
            slice,
            || spares.borrow_mut().pop().unwrap_or_default(),
            |indicator, targets, vintages| {
                if stop.now() {
                    return Err(Stop::stopped());
                }
                let Some(g) = group(indicator, targets, vintages) else {
                    return Ok(());
                };
                lane.assess(&g, how, &renderer)?;
                if let Vintages::Read(o) = g.vintages {
                    spares.borrow_mut().push(o);
                }
                if lane.out.len() >= FLUSH {
                    lane.flush(&writer)?;
                }
                Ok(())
            },
        )?;
        lane.spares = spares.into_inner();
        lane.flush(&writer)
    })?;
    Ok(writer.into_inner().unwrap_or_else(|p| p.into_inner()))
}

/// What a lane assesses and renders with, reused from one indicator to
/// the next.
struct Assessor {
    unpacker: Unpacker,
    out: Rendered,
    /// Vectors of read vintages, to be filled again.
    spares: Vec<Vec<Observation>>,
}

impl Assessor {
    /// Assesses every target of `g` and renders the rows kept.
    fn assess(&mut self, g: &Group, how: Assessing, renderer: &Renderer) -> Result<()> {
        let indicator = g.indicator.as_ref();
        // a packed copy is of one indicator, and its rows do not say which
        let (observations, own) = match &g.vintages {
            Vintages::Read(o) => (o.as_slice(), None),
            Vintages::Packed(p) => {
                let own = indicator.filter(|i| i.id == p.indicator()).ok_or_else(|| {
                    Error::invalid(format!(
                        "the report read indicator '{}' for another's targets",
                        p.indicator()
                    ))
                })?;
                (self.unpacker.unpack(p)?, Some(own))
            }
        };
        for t in &g.targets {
            let (as_of, method, options) = (how.as_of, how.method, how.options);
            let a = match own {
                Some(i) => engine::assess_own(t, i, observations, as_of, method, options),
                None => engine::assess_with(t, indicator, observations, as_of, method, options),
            };
            let row = Row::new(t, indicator, &a);
            if how.filter.keeps(&row) {
                let spark = how.sparks.then(|| Spark::new(t, &a));
                renderer.render(
                    &row,
                    a.version.deadline.end(),
                    spark.as_ref(),
                    &mut self.out,
                )?;
            }
        }
        Ok(())
    }

    /// Adds what is rendered to the writer (and empties it).
    fn flush(&mut self, writer: &Mutex<Writer>) -> Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        writer
            .lock()
            .map_err(|_| Error::invalid("the report failed while assessing"))?
            .add(&mut self.out)
    }
}
