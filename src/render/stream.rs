//! Output written as it is made, a row at a time, in every format: the
//! pieces that [`super::report::Writer`] and the list commands share. A
//! terminal table needs its column widths before its first row: its rows
//! wait in a [`Spool`], not in memory, and are drawn by [`super::table`].

use std::io::Write;

use serde::Serialize;

use super::spool::{Piece, Spool};
use super::table::{Spooled, Widths};
use super::{Format, Grid, Look};
use crate::error::{Error, Result};

/// A writer that names standard output in its errors.
pub struct Out<'a>(pub &'a mut dyn Write);

impl Out<'_> {
    pub fn bytes(&mut self, b: &[u8]) -> Result<()> {
        self.0.write_all(b).map_err(|source| Error::Io {
            path: std::path::PathBuf::from("<stdout>"),
            source,
        })
    }

    pub fn text(&mut self, t: &str) -> Result<()> {
        self.bytes(t.as_bytes())
    }

    /// All of `slices`, in order, in as few system calls as the writer
    /// takes them in: a buffered writer passes slices larger than its
    /// buffer straight to `writev`, not copying them first.
    pub fn slices(&mut self, mut slices: &mut [std::io::IoSlice<'_>]) -> Result<()> {
        // empty slices first are passed over (here and as it advances):
        // a writer given only empty ones would write nothing, not an error
        std::io::IoSlice::advance_slices(&mut slices, 0);
        while !slices.is_empty() {
            match self.0.write_vectored(slices) {
                Ok(0) => {
                    return Err(Error::Io {
                        path: std::path::PathBuf::from("<stdout>"),
                        source: std::io::ErrorKind::WriteZero.into(),
                    });
                }
                Ok(n) => std::io::IoSlice::advance_slices(&mut slices, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(Error::Io {
                        path: std::path::PathBuf::from("<stdout>"),
                        source,
                    });
                }
            }
        }
        Ok(())
    }
}

/// `{…, "key": [ items ], …}` as pretty JSON, the items written one at a
/// time: the same text as serializing the whole document at once.
pub struct JsonArray {
    /// What follows the array.
    tail: String,
    items: usize,
}

impl JsonArray {
    /// Starts the document `empty`, whose last field is an empty array (the
    /// one the items go into), and writes what comes before the items.
    pub fn start<T: Serialize>(empty: &T, out: &mut Out) -> Result<JsonArray> {
        let text = super::json(empty)?;
        let at = text
            .strip_suffix("[]\n}\n")
            .ok_or_else(|| Error::invalid("writing JSON: unexpected layout"))?
            .len();
        JsonArray::split(&text, at, out)
    }

    /// Starts the document `empty`, whose top-level field `key` is the
    /// empty array the items go into, and writes what comes before them.
    pub fn start_at<T: Serialize>(empty: &T, key: &str, out: &mut Out) -> Result<JsonArray> {
        let text = super::json(empty)?;
        let field = format!("\n  \"{key}\": []");
        let at = text
            .find(&field)
            .ok_or_else(|| Error::invalid("writing JSON: unexpected layout"))?
            + field.len()
            - 2;
        JsonArray::split(&text, at, out)
    }

    /// Writes `text` up to the empty array at `at`; keeps what follows it.
    fn split(text: &str, at: usize, out: &mut Out) -> Result<JsonArray> {
        out.text(&text[..at])?;
        Ok(JsonArray {
            tail: text[at + 2..].to_string(),
            items: 0,
        })
    }

    /// One item as it is nested in the array (two levels in).
    pub fn item_text<T: Serialize>(item: &T) -> Result<String> {
        let mut text = Vec::new();
        JsonArray::item_into(item, &mut text)?;
        String::from_utf8(text).map_err(|e| Error::invalid(format!("writing JSON: {e}")))
    }

    /// [`JsonArray::item_text`], appended to `buf`: pretty JSON as
    /// `serde_json::to_string_pretty` writes it, every line indented two
    /// levels (see [`super::pretty`]).
    pub fn item_into<T: Serialize>(item: &T, buf: &mut Vec<u8>) -> Result<()> {
        buf.extend_from_slice(b"    ");
        super::pretty::write_nested(item, 2, buf)
            .map_err(|e| Error::invalid(format!("writing JSON: {e}")))
    }

    /// [`JsonArray::item_into`], packed by `packer` (see
    /// [`super::packed`]): [`super::packed::unpack`] gives back the text.
    pub fn packed_item_into<T: Serialize>(
        item: &T,
        buf: &mut Vec<u8>,
        packer: &mut super::packed::Packer,
    ) -> Result<()> {
        buf.extend_from_slice(b"    ");
        super::pretty::write_packed(item, 2, buf, packer)
            .map_err(|e| Error::invalid(format!("writing JSON: {e}")))
    }

    /// Writes an item made by [`JsonArray::item_text`].
    pub fn item(&mut self, text: &[u8], out: &mut Out) -> Result<()> {
        out.bytes(self.before_item())?;
        out.bytes(text)
    }

    /// What goes before the next item (which the caller writes).
    pub fn before_item(&mut self) -> &'static [u8] {
        self.items += 1;
        if self.items == 1 { b"[\n" } else { b",\n" }
    }

    /// Counts `n` more items as written after the first, each after `,\n`
    /// (written by the caller): what [`JsonArray::before_item`] would have
    /// given them.
    pub fn add_items(&mut self, n: usize) {
        self.items += n;
    }

    pub fn finish(self, out: &mut Out) -> Result<()> {
        out.text(if self.items == 0 { "[]" } else { "\n  ]" })?;
        out.text(&self.tail)
    }
}

/// One CSV record as RFC 4180 writes it, line end included.
pub fn csv_line(cells: &[String]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cells)
        .map_err(|e| Error::invalid(format!("writing CSV: {e}")))?;
    w.into_inner()
        .map_err(|e| Error::invalid(format!("writing CSV: {e}")))
}

/// One row of a Markdown table, as [`Grid::markdown`] writes it.
pub fn markdown_line(cells: &[String]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    format!(
        "| {} |\n",
        cells
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// Cells as a spooled piece: each length-prefixed.
pub fn encode_cells(cells: &[String]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for c in cells {
        bytes.extend_from_slice(&(c.len() as u32).to_le_bytes());
        bytes.extend_from_slice(c.as_bytes());
    }
    bytes
}

/// The cells of [`encode_cells`].
pub fn decode_cells(bytes: &[u8]) -> Vec<String> {
    let mut cells = Vec::new();
    decode_cells_into(bytes, &mut cells);
    cells
}

/// The cells of `bytes`, as [`decode_cells`] reads them, into `cells`:
/// its strings are filled again, not made anew.
pub fn decode_cells_into(mut bytes: &[u8], cells: &mut Vec<String>) {
    let mut n = 0;
    while bytes.len() >= 4 {
        let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let cell = bytes.get(4..4 + len).unwrap_or_default();
        if cells.len() == n {
            cells.push(String::new());
        }
        let c = &mut cells[n];
        c.clear();
        match std::str::from_utf8(cell) {
            Ok(text) => c.push_str(text),
            Err(_) => c.push_str(&String::from_utf8_lossy(cell)),
        }
        n += 1;
        bytes = &bytes[(4 + len).min(bytes.len())..];
    }
    cells.truncate(n);
}

/// A list (rows already in order) in table, markdown, CSV or HTML, written
/// row by row; only the terminal table's rows wait, in a spool.
pub struct GridWriter {
    format: Format,
    /// The list's columns, without rows.
    grid: Grid,
    look: Look,
    spool: Spool,
    pieces: Vec<Piece>,
    widths: Widths,
}

impl GridWriter {
    /// Starts the list of `grid`'s columns and writes what comes before
    /// its rows; a terminal table is drawn as `look` asks. JSON is not a
    /// grid: see [`JsonArray`].
    pub fn start(format: Format, grid: Grid, look: Look, out: &mut Out) -> Result<GridWriter> {
        match format {
            Format::Csv => out.bytes(&csv_line(&grid.header)?)?,
            Format::Markdown => out.text(&grid.markdown())?,
            Format::Html => out.text(&super::html::list_start(&grid))?,
            Format::Table | Format::Json => {}
        }
        Ok(GridWriter {
            format,
            widths: Widths::new(&grid, &look),
            grid,
            look,
            spool: Spool::new(),
            pieces: Vec::new(),
        })
    }

    pub fn row(&mut self, cells: &[String], out: &mut Out) -> Result<()> {
        match self.format {
            Format::Csv => out.bytes(&csv_line(cells)?),
            Format::Markdown => out.text(&markdown_line(cells)),
            Format::Html => out.text(&super::html::list_row(&self.grid.numeric, cells)),
            Format::Table | Format::Json => {
                self.widths.add(cells);
                let piece = self.spool.put(&encode_cells(cells))?;
                self.pieces.push(piece);
                Ok(())
            }
        }
    }

    pub fn finish(mut self, out: &mut Out) -> Result<()> {
        match self.format {
            Format::Html => out.text(super::html::list_end()),
            Format::Table => super::table::write(
                &self.grid,
                &self.look,
                &self.widths,
                None,
                &mut Spooled {
                    spool: &mut self.spool,
                    pieces: self.pieces.iter().copied(),
                },
                out,
            ),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes at most `step` bytes a call, across slices, and
    /// is interrupted every third call: what a pipe or a signal may do.
    struct Trickle {
        got: Vec<u8>,
        step: usize,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.write_vectored(&[std::io::IoSlice::new(buf)])
        }

        fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(3) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let mut left = self.step;
            for b in bufs {
                let n = b.len().min(left);
                self.got.extend_from_slice(&b[..n]);
                left -= n;
                if left == 0 {
                    break;
                }
            }
            Ok(self.step - left)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn slices_written_in_parts_come_out_whole_and_in_order() {
        let pieces: Vec<Vec<u8>> = (0..40u8)
            .map(|i| vec![b'a' + i % 26; usize::from(i) * 3])
            .collect();
        let whole: Vec<u8> = pieces.concat();
        for step in [1, 2, 7, 64, 10_000] {
            let mut w = Trickle {
                got: Vec::new(),
                step,
                calls: 0,
            };
            let mut slices: Vec<std::io::IoSlice> =
                pieces.iter().map(|p| std::io::IoSlice::new(p)).collect();
            Out(&mut w).slices(&mut slices).unwrap();
            assert_eq!(w.got, whole, "{step} bytes a call");
        }
    }

    #[test]
    fn empty_slices_are_written_as_nothing() {
        struct Nothing;
        impl Write for Nothing {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                assert!(buf.is_empty());
                Ok(0)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut slices = [std::io::IoSlice::new(b""), std::io::IoSlice::new(b"")];
        Out(&mut Nothing).slices(&mut slices).unwrap();
    }

    #[test]
    fn a_writer_that_takes_nothing_is_an_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut slices = [std::io::IoSlice::new(b"x")];
        assert!(Out(&mut Full).slices(&mut slices).is_err());
    }
}
