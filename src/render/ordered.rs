//! Text made in chunks on every core and written in order: how a report's
//! last step (unpacking its rows in the report's order) shares the work
//! once the lanes that assessed them are done. Chunk `k` is made by thread
//! `k mod threads` (the caller's own thread is the first), each a chunk or
//! two ahead at most, so that memory holds a few chunks whatever the
//! number; the caller writes them in order. The text is what one thread
//! making every chunk in order would write, and an error is the first in
//! that order.

use std::ops::Range;
use std::sync::mpsc;

use super::stream::Out;
use crate::error::{Error, Result};

/// One thread per core, up to 8 (at least one).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8))
}

/// Makes the text of the items `0..n`, `chunk` at a time, with `make`
/// (which appends the text of a range of items to a buffer), on up to
/// `threads` threads, and writes it to `out` in order.
pub fn write<F>(n: usize, chunk: usize, threads: usize, make: F, out: &mut Out) -> Result<()>
where
    F: Fn(Range<usize>, &mut Vec<u8>) -> Result<()> + Sync,
{
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
    let range = |k: usize| k * chunk..((k + 1) * chunk).min(n);
    let threads = threads.clamp(1, chunks.max(1));
    let mut own = Vec::new();
    if threads == 1 {
        for k in 0..chunks {
            own.clear();
            make(range(k), &mut own)?;
            out.bytes(&own)?;
        }
        return Ok(());
    }
    let make = &make;
    std::thread::scope(|scope| {
        // from each helper its chunks in turn; back to it, its buffers
        let mut helpers = Vec::with_capacity(threads - 1);
        for t in 1..threads {
            let (made, made_rx) = mpsc::sync_channel::<(Result<()>, Vec<u8>)>(1);
            let (spare, spare_rx) = mpsc::channel::<Vec<u8>>();
            helpers.push((made_rx, spare));
            scope.spawn(move || {
                for k in (t..chunks).step_by(threads) {
                    let mut buf = spare_rx.try_recv().unwrap_or_default();
                    buf.clear();
                    let r = make(range(k), &mut buf);
                    let failed = r.is_err();
                    // the writer stopped (it failed first), or this did
                    if made.send((r, buf)).is_err() || failed {
                        return;
                    }
                }
            });
        }
        for k in 0..chunks {
            match k % threads {
                0 => {
                    own.clear();
                    make(range(k), &mut own)?;
                    out.bytes(&own)?;
                }
                t => {
                    let (made, spare) = &helpers[t - 1];
                    let (r, buf) = made
                        .recv()
                        .map_err(|_| Error::invalid("writing the report: a helper stopped"))?;
                    r?;
                    out.bytes(&buf)?;
                    let _ = spare.send(buf);
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(
        n: usize,
        chunk: usize,
        threads: usize,
        fail_at: Option<usize>,
    ) -> (Result<()>, Vec<u8>) {
        let mut text = Vec::new();
        let r = write(
            n,
            chunk,
            threads,
            |range, buf| {
                for i in range {
                    if Some(i) == fail_at {
                        return Err(Error::invalid(format!("item {i}")));
                    }
                    buf.extend_from_slice(format!("{i},").as_bytes());
                }
                Ok(())
            },
            &mut Out(&mut text),
        );
        (r, text)
    }

    #[test]
    fn chunks_made_on_several_threads_are_written_in_order() {
        for (n, chunk, threads) in [
            (0, 4, 2),
            (1, 4, 2),
            (10, 3, 2),
            (10, 3, 3),
            (100, 7, 4),
            (5, 1, 8),
            (9, 9, 1),
        ] {
            let expected: String = (0..n).map(|i| format!("{i},")).collect();
            let (r, text) = made(n, chunk, threads, None);
            r.unwrap();
            assert_eq!(
                String::from_utf8(text).unwrap(),
                expected,
                "{n} {chunk} {threads}"
            );
        }
    }

    #[test]
    fn the_error_is_the_first_in_order_and_nothing_after_it_is_written() {
        for threads in [1, 2, 3] {
            // item 13 is in chunk 3 (of 4 items each): chunks 0 to 2 are written
            let (r, text) = made(40, 4, threads, Some(13));
            assert_eq!(r.unwrap_err().to_string(), "item 13", "{threads}");
            let expected: String = (0..12).map(|i| format!("{i},")).collect();
            assert_eq!(String::from_utf8(text).unwrap(), expected, "{threads}");
        }
    }
}
