//! Text written once, in any order, and read back in pieces: how a report
//! puts its rows in order without holding them all. In memory up to
//! [`IN_MEMORY`] bytes, the pieces after those in an anonymous temporary
//! file (deleted by the system when closed), so that memory stays small
//! however long the report.
//!
//! The memory is a list of blocks: the buffers a report's lanes rendered
//! their rows into, kept whole rather than copied ([`Spool::adopt`]), and
//! blocks of 1 MiB that [`Spool::put`] fills (or the room left in the
//! last block). Fresh memory is slow to
//! fault in, and a copy into the spool was faulted in by whichever lane
//! held the report's writer: a kept buffer was faulted in by its own lane
//! as it rendered, on its own core, and is not copied at all.

use std::io::Write;

use crate::error::{Error, Result};

/// Bytes kept in memory before the spool moves to a temporary file.
const IN_MEMORY: usize = 16 << 20;

/// The size of a block that [`Spool::put`] fills (a piece of more has a
/// block of its own).
const BLOCK: usize = 1 << 20;

/// The temporary file's write buffer: a few dozen writes for a report of
/// tens of MB, not thousands.
const FILE_BUFFER: usize = 1 << 20;

/// Where a piece is in a [`Spool`]: offset and length.
#[derive(Debug, Clone, Copy, Default)]
pub struct Piece {
    offset: u64,
    len: usize,
}

impl Piece {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Where a block given whole to a spool ([`Spool::adopt`]) begins: its
/// pieces are where it begins plus their place in it.
#[derive(Debug, Clone, Copy)]
pub struct Block(u64);

impl Block {
    /// The piece of `len` bytes at `at` in the block.
    pub fn piece(self, at: usize, len: usize) -> Piece {
        Piece {
            offset: self.0 + at as u64,
            len,
        }
    }
}

#[derive(Default)]
pub struct Spool {
    /// The first pieces, in the first `in_memory` bytes: blocks one after
    /// another, the `i`th beginning at `starts[i]`.
    blocks: Vec<Vec<u8>>,
    starts: Vec<u64>,
    in_memory: u64,
    /// The pieces after them, once the next would not fit in memory: the
    /// piece at offset `o` is at `o - in_memory` in the file.
    file: Option<std::io::BufWriter<std::fs::File>>,
    len: u64,
    reading: bool,
}

fn failed(e: std::io::Error) -> Error {
    Error::invalid(format!("writing the report to a temporary file: {e}"))
}

/// Fills `buf` from `file` at `offset`, without moving its cursor.
#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

impl Spool {
    pub fn new() -> Spool {
        Spool::default()
    }

    /// Appends `bytes`; returns where they are.
    pub fn put(&mut self, bytes: &[u8]) -> Result<Piece> {
        let piece = Piece {
            offset: self.len,
            len: bytes.len(),
        };
        if bytes.is_empty() {
            return Ok(piece);
        }
        if let Some(file) = self.file_for(bytes.len())? {
            file.write_all(bytes).map_err(failed)?;
        } else {
            // onto the last block where it has room (it ends where the
            // spool does), else a new one
            match self
                .blocks
                .last_mut()
                .filter(|b| b.capacity() - b.len() >= bytes.len())
            {
                Some(block) => block.extend_from_slice(bytes),
                None => {
                    let mut block = Vec::with_capacity(BLOCK.max(bytes.len()));
                    block.extend_from_slice(bytes);
                    self.starts.push(self.len);
                    self.blocks.push(block);
                }
            }
            self.in_memory += bytes.len() as u64;
        }
        self.len += bytes.len() as u64;
        Ok(piece)
    }

    /// Appends `block` (the bytes of several pieces, one after another),
    /// kept whole in memory rather than copied while there is room; returns
    /// where it begins (see [`Block::piece`]).
    pub fn adopt(&mut self, block: Vec<u8>) -> Result<Block> {
        let start = Block(self.len);
        if block.is_empty() {
            return Ok(start);
        }
        let len = block.len() as u64;
        if let Some(file) = self.file_for(block.len())? {
            file.write_all(&block).map_err(failed)?;
        } else {
            self.starts.push(self.len);
            self.blocks.push(block);
            self.in_memory += len;
        }
        self.len += len;
        Ok(start)
    }

    /// The file that `len` more bytes go to, if they go there: once some
    /// do not fit in memory, they and all after them do (what is in memory
    /// stays there), so that the piece at offset `o` is at `o - in_memory`
    /// in the file.
    fn file_for(&mut self, len: usize) -> Result<Option<&mut std::io::BufWriter<std::fs::File>>> {
        debug_assert!(!self.reading, "a spool is written, then read");
        if self.file.is_none() && self.len as usize + len > IN_MEMORY {
            self.file = Some(std::io::BufWriter::with_capacity(
                FILE_BUFFER,
                tempfile::tempfile().map_err(failed)?,
            ));
        }
        Ok(self.file.as_mut())
    }

    /// The piece at `p`: where it is in memory, else read into `buf`
    /// (replacing what it held).
    pub fn piece<'a>(&'a mut self, p: Piece, buf: &'a mut Vec<u8>) -> Result<&'a [u8]> {
        if self.in_memory(p).is_none() {
            self.get(p, buf)?;
            return Ok(buf);
        }
        Ok(self.in_memory(p).unwrap_or_default())
    }

    /// Ends the writing: what waits in the file's buffer is written out,
    /// so that every piece can be read from a shared spool
    /// ([`Spool::read`]).
    pub fn written(&mut self) -> Result<()> {
        if let Some(file) = self.file.as_mut().filter(|_| !self.reading) {
            file.flush().map_err(failed)?;
            self.reading = true;
        }
        Ok(())
    }

    /// [`Spool::piece`] from a spool whose writing has ended
    /// ([`Spool::written`]), on any thread.
    pub fn read<'a>(&'a self, p: Piece, buf: &'a mut Vec<u8>) -> Result<&'a [u8]> {
        if let Some(piece) = self.in_memory(p) {
            return Ok(piece);
        }
        self.read_file(p, buf)?;
        Ok(buf)
    }

    /// Reads the piece at `p`, in the file, into `buf` (replacing what it
    /// held), once the writing has ended.
    fn read_file(&self, p: Piece, buf: &mut Vec<u8>) -> Result<()> {
        let file = match &self.file {
            Some(file) if self.reading => file,
            Some(_) => {
                return Err(Error::invalid(
                    "reading a report's rows before they were all written",
                ));
            }
            None => {
                return Err(Error::invalid(
                    "a row of the report was not where it was written",
                ));
            }
        };
        // one system call a piece: a read at its place in the file
        buf.clear();
        buf.resize(p.len, 0);
        read_at(file.get_ref(), buf, p.offset - self.in_memory).map_err(failed)
    }

    /// The piece at `p` where it is in memory; `None` for one in the file.
    pub fn in_memory(&self, p: Piece) -> Option<&[u8]> {
        if p.len == 0 {
            return Some(&[]);
        }
        if p.offset >= self.in_memory {
            return None;
        }
        let i = self
            .starts
            .partition_point(|s| *s <= p.offset)
            .checked_sub(1)?;
        let at = (p.offset - self.starts[i]) as usize;
        self.blocks[i].get(at..at + p.len)
    }

    /// Reads the piece at `p` into `buf` (replacing what it held).
    pub fn get(&mut self, p: Piece, buf: &mut Vec<u8>) -> Result<()> {
        if let Some(bytes) = self.in_memory(p) {
            buf.clear();
            buf.extend_from_slice(bytes);
            return Ok(());
        }
        self.written()?;
        self.read_file(p, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_back_as_written_in_memory() {
        let mut s = Spool::new();
        // pieces of 1,000 to 1,999 bytes, one of several MiB, empty ones
        // between
        let mut written = Vec::new();
        for i in 0..3000usize {
            let text = vec![(i % 251) as u8; 1000 + i % 1000];
            written.push((s.put(&text).unwrap(), text));
            if i % 7 == 0 {
                written.push((s.put(b"").unwrap(), Vec::new()));
            }
            if i == 1500 {
                let big = vec![7u8; 3 << 20];
                written.push((s.put(&big).unwrap(), big));
            }
        }
        assert!(
            s.file.is_none(),
            "under the limit, the spool stays in memory"
        );
        let mut buf = Vec::new();
        for (piece, text) in written.iter().rev() {
            s.get(*piece, &mut buf).unwrap();
            assert_eq!(&buf, text);
        }
    }

    #[test]
    fn pieces_on_both_sides_of_the_memory_limit_read_back_as_written() {
        let mut s = Spool::new();
        // about 20 MiB in pieces of 7 to 70,006 bytes: the first 16 MiB in
        // memory, the rest in the file
        let mut written = Vec::new();
        let mut total = 0;
        for i in 0..600usize {
            let text = vec![(i % 253) as u8; 7 + (i * 7919) % 70_000];
            total += text.len();
            written.push((s.put(&text).unwrap(), text));
        }
        assert!(total > IN_MEMORY + (2 << 20), "{total}");
        assert!(s.file.is_some(), "past the limit, a file");
        assert!(
            s.in_memory > (IN_MEMORY - 70_006) as u64,
            "what fits stays in memory: {}",
            s.in_memory
        );
        let mut buf = Vec::new();
        for (piece, text) in written
            .iter()
            .rev()
            .step_by(2)
            .chain(written.iter().step_by(2))
        {
            s.get(*piece, &mut buf).unwrap();
            assert_eq!(&buf, text);
            // where it is in memory, else read into the buffer
            let mut other = Vec::new();
            assert_eq!(s.piece(*piece, &mut other).unwrap(), &text[..]);
            assert_eq!(other.is_empty(), piece.offset < s.in_memory);
            // and in memory exactly when it is before the limit
            let in_memory = s.in_memory(*piece);
            assert_eq!(in_memory.is_some(), piece.offset < s.in_memory);
            assert!(in_memory.is_none_or(|bytes| bytes == &text[..]));
        }
    }

    #[test]
    fn pieces_read_back_as_written_in_memory_and_past_it() {
        let mut s = Spool::new();
        let small = s.put(b"first").unwrap();
        let big_text = vec![b'x'; IN_MEMORY];
        let big = s.put(&big_text).unwrap();
        let last = s.put(b"last").unwrap();
        assert!(s.file.is_some(), "past the limit, the spool is a file");
        let mut buf = Vec::new();
        s.get(last, &mut buf).unwrap();
        assert_eq!(buf, b"last");
        s.get(small, &mut buf).unwrap();
        assert_eq!(buf, b"first");
        s.get(big, &mut buf).unwrap();
        assert_eq!(buf, big_text);
    }

    #[test]
    fn blocks_given_whole_are_kept_and_their_pieces_read_back_beside_put_ones() {
        let mut s = Spool::new();
        // blocks of 300 KB holding pieces of 1,000 bytes, puts between
        // them; 20 MiB in all: the first 16 MiB in memory, the rest in
        // the file
        let mut written = Vec::new();
        let mut i = 0usize;
        while (s.len as usize) < IN_MEMORY + (4 << 20) {
            let mut block = Vec::new();
            let mut at = Vec::new();
            for _ in 0..300 {
                let text = vec![(i % 249) as u8; 1000];
                at.push((block.len(), text.clone()));
                block.extend_from_slice(&text);
                i += 1;
            }
            let start = s.adopt(block).unwrap();
            written.extend(
                at.into_iter()
                    .map(|(k, text)| (start.piece(k, text.len()), text)),
            );
            let text = vec![(i % 241) as u8; 1 + i % 5000];
            written.push((s.put(&text).unwrap(), text));
            written.push((s.put(b"").unwrap(), Vec::new()));
            assert!(s.adopt(Vec::new()).is_ok());
        }
        assert!(s.file.is_some() && s.in_memory > (IN_MEMORY - 310_000) as u64);
        let mut buf = Vec::new();
        for (piece, text) in written.iter().rev() {
            assert_eq!(s.piece(*piece, &mut buf).unwrap(), &text[..]);
            assert_eq!(
                s.in_memory(*piece).is_some(),
                piece.is_empty() || piece.offset < s.in_memory
            );
        }
        s.written().unwrap();
        for (piece, text) in &written {
            assert_eq!(s.read(*piece, &mut buf).unwrap(), &text[..]);
        }
    }

    #[test]
    fn a_spool_written_to_the_end_is_read_from_several_threads() {
        let mut s = Spool::new();
        let small = s.put(b"first").unwrap();
        let big_text = vec![b'x'; IN_MEMORY];
        let big = s.put(&big_text).unwrap();
        let pieces: Vec<(Piece, Vec<u8>)> = (0..100u8)
            .map(|i| (s.put(&[i; 3]).unwrap(), vec![i; 3]))
            .collect();
        let mut buf = Vec::new();
        // in memory, a piece can be read before the end; in the file, not
        assert_eq!(s.read(small, &mut buf).unwrap(), b"first");
        let e = s.read(pieces[0].0, &mut buf).unwrap_err();
        assert!(
            e.to_string().contains("before they were all written"),
            "{e}"
        );
        s.written().unwrap();
        let s = &s;
        std::thread::scope(|scope| {
            for half in pieces.chunks(50) {
                scope.spawn(move || {
                    let mut buf = Vec::new();
                    for (p, text) in half.iter().rev() {
                        assert_eq!(s.read(*p, &mut buf).unwrap(), text);
                    }
                });
            }
        });
        assert_eq!(s.read(big, &mut buf).unwrap(), big_text);
    }
}
