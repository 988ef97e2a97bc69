//! How `report` uses every core: this thread reads each indicator with
//! its targets and vintages, in batches; as many workers as there are
//! cores unpack, assess and render them; one more thread adds the rendered
//! rows to the [`Writer`], which puts them in the report's order at the
//! end. Rows come in any order, so the output does not depend on which
//! worker was first.

use std::cell::RefCell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use chrono::NaiveDate;

use crate::engine::{self, Method, Options};
use crate::error::{Error, Result};
use crate::model::{Indicator, Target};
use crate::render::report::{Rendered, Renderer, Writer};
use crate::report::{Filter, Row, Spark};
use crate::store::{Db, Unpacker, Vintages};

/// One indicator's targets and vintages, on their way to be assessed.
pub struct Group {
    pub indicator: Option<Indicator>,
    pub targets: Vec<Target>,
    pub vintages: Vintages,
}

impl Group {
    /// Its share of a batch: its targets and vintages (a vintage packs in
    /// about 12 bytes).
    fn size(&self) -> usize {
        self.targets.len()
            + match &self.vintages {
                Vintages::Read(o) => o.len(),
                Vintages::Packed(p) => p.len() / 12,
            }
    }
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

/// Targets and vintages read before a batch goes to be assessed: a
/// hand-over per indicator would cost more than it saves.
const BATCH: usize = 8192;

/// The threads that assess and render: one per core beside the one that
/// reads (at least one).
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

/// Reads every indicator with its targets (whole rows with `full`), makes
/// each a [`Group`] with `group` (`None` leaves it out), and assesses and
/// renders every target of it into `writer`, which it returns.
pub fn assess_all(
    db: &Db,
    full: bool,
    writer: Writer,
    how: Assessing,
    mut group: impl FnMut(Option<Indicator>, Vec<Target>, Vintages) -> Option<Group>,
) -> Result<Writer> {
    let renderer = writer.renderer();
    let (to_workers, batches) = sync_channel::<Vec<Group>>(2);
    let batches = Mutex::new(batches);
    // the rendered rows' buffers, emptied by the collector, to be filled
    // again: a batch renders into memory in use, not into fresh pages
    let (to_fill, emptied) = channel::<Rendered>();
    let emptied = Mutex::new(emptied);
    // set when a worker can go no further: the reader stops reading
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<Writer> {
        let (to_writer, rendered) = sync_channel::<Result<Rendered>>(2);
        // what the workers are done with goes back to be dropped or
        // reused where it was made: memory freed by the thread that
        // allocated it is reused at once, not left to the allocator
        let (to_reader, done_with) = channel::<Vec<Group>>();
        let collector = scope.spawn(move || -> Result<Writer> {
            let mut writer = writer;
            for batch in rendered {
                let mut batch = batch?;
                writer.add(&mut batch)?;
                let _ = to_fill.send(batch);
            }
            Ok(writer)
        });
        for _ in 0..workers() {
            let (batches, stop, emptied) = (&batches, &stop, &emptied);
            let (to_writer, to_reader) = (to_writer.clone(), to_reader.clone());
            scope.spawn(move || {
                let sides = Sides {
                    batches,
                    emptied,
                    to_writer,
                    to_reader,
                };
                work(sides, stop, how, renderer)
            });
        }
        drop((to_writer, to_reader));
        let mut batch = Vec::new();
        let mut size = 0;
        let stopped = || Error::invalid("the report stopped assessing");
        // vectors of read vintages handed back, to be filled again
        let spares = RefCell::new(Vec::new());
        let read = db
            .each_indicator_with_vintages(
                full,
                || spares.borrow_mut().pop().unwrap_or_default(),
                |indicator, targets, vintages| {
                    if stop.load(Ordering::Relaxed) {
                        return Err(stopped());
                    }
                    for old in done_with.try_iter().flatten() {
                        if let Vintages::Read(o) = old.vintages {
                            spares.borrow_mut().push(o);
                        }
                    }
                    let Some(g) = group(indicator, targets, vintages) else {
                        return Ok(());
                    };
                    size += g.size();
                    batch.push(g);
                    if size >= BATCH {
                        to_workers
                            .send(std::mem::take(&mut batch))
                            .map_err(|_| stopped())?;
                        size = 0;
                    }
                    Ok(())
                },
            )
            .and_then(|()| to_workers.send(batch).map_err(|_| stopped()));
        drop(to_workers);
        let written = collector
            .join()
            .map_err(|_| Error::invalid("the report failed while assessing"))?;
        // the workers' own error first: the reader's then only says it stopped
        let writer = written?;
        read?;
        Ok(writer)
    })
}

/// Where a worker's batches come from and go.
struct Sides<'a> {
    batches: &'a Mutex<Receiver<Vec<Group>>>,
    /// Buffers for rendered rows, emptied by the collector.
    emptied: &'a Mutex<Receiver<Rendered>>,
    to_writer: SyncSender<Result<Rendered>>,
    to_reader: Sender<Vec<Group>>,
}

/// One worker: takes batches until there are none, and sends each one's
/// rendered rows on (or the error that stopped it), and the batch back.
/// Once the rows can go no further (an error, here or in the collector),
/// it tells the reader to stop and takes what is still coming, so that
/// the reader never waits on a full channel.
fn work(sides: Sides, stop: &AtomicBool, how: Assessing, renderer: Renderer) {
    let Sides {
        batches,
        emptied,
        to_writer,
        to_reader,
    } = sides;
    let mut unpacker = Unpacker::default();
    loop {
        let next = batches.lock().map(|b| b.recv());
        let Ok(Ok(batch)) = next else {
            return;
        };
        let mut out = emptied
            .lock()
            .ok()
            .and_then(|e| e.try_recv().ok())
            .unwrap_or_default();
        let done = batch.iter().try_for_each(|g| {
            let observations = match &g.vintages {
                Vintages::Read(o) => o,
                Vintages::Packed(p) => unpacker.unpack(p)?,
            };
            for t in &g.targets {
                let indicator = g.indicator.as_ref();
                let a = engine::assess_with(
                    t,
                    indicator,
                    observations,
                    how.as_of,
                    how.method,
                    how.options,
                );
                let row = Row::new(t, indicator, &a);
                if how.filter.keeps(&row) {
                    let spark = how.sparks.then(|| Spark::new(t, &a));
                    renderer.render(&row, a.version.deadline.end(), spark.as_ref(), &mut out)?;
                }
            }
            Ok(())
        });
        let _ = to_reader.send(batch);
        let failed = done.is_err();
        if to_writer.send(done.map(|()| out)).is_err() || failed {
            stop.store(true, Ordering::Relaxed);
            while let Ok(Ok(_)) = batches.lock().map(|b| b.recv()) {}
            return;
        }
    }
}
