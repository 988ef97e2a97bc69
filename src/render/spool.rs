//! Text written once, in any order, and read back in pieces: how a report
//! puts its rows in order without holding them all. In memory up to
//! [`IN_MEMORY`] bytes, then in an anonymous temporary file (deleted by the
//! system when closed), so that memory stays small however long the report.

use std::io::{Read, Seek, SeekFrom, Write};

use crate::error::{Error, Result};

/// Bytes kept in memory before the spool moves to a temporary file.
const IN_MEMORY: usize = 16 << 20;

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

/// The size of a chunk of the spool in memory: it grows a chunk at a time,
/// never copying what it holds.
const CHUNK: usize = 1 << 20;

#[derive(Default)]
pub struct Spool {
    /// In memory: chunks, each holding whole pieces, and where each starts.
    memory: Vec<Vec<u8>>,
    starts: Vec<u64>,
    file: Option<std::io::BufWriter<std::fs::File>>,
    len: u64,
    reading: bool,
}

fn failed(e: std::io::Error) -> Error {
    Error::invalid(format!("writing the report to a temporary file: {e}"))
}

impl Spool {
    pub fn new() -> Spool {
        Spool::default()
    }

    /// Appends `bytes`; returns where they are.
    pub fn put(&mut self, bytes: &[u8]) -> Result<Piece> {
        debug_assert!(!self.reading, "a spool is written, then read");
        let piece = Piece {
            offset: self.len,
            len: bytes.len(),
        };
        if self.file.is_none() && self.len as usize + bytes.len() > IN_MEMORY {
            let mut file = std::io::BufWriter::new(tempfile::tempfile().map_err(failed)?);
            for chunk in self.memory.drain(..) {
                file.write_all(&chunk).map_err(failed)?;
            }
            self.starts.clear();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes).map_err(failed)?,
            None => {
                let full = self
                    .memory
                    .last()
                    .is_none_or(|c| c.len() + bytes.len() > c.capacity());
                if full {
                    self.memory.push(Vec::with_capacity(CHUNK.max(bytes.len())));
                    self.starts.push(self.len);
                }
                if let Some(chunk) = self.memory.last_mut() {
                    chunk.extend_from_slice(bytes);
                }
            }
        }
        self.len += bytes.len() as u64;
        Ok(piece)
    }

    /// Reads the piece at `p` into `buf` (replacing what it held).
    pub fn get(&mut self, p: Piece, buf: &mut Vec<u8>) -> Result<()> {
        buf.clear();
        match &mut self.file {
            None if p.len == 0 => {}
            None => {
                let i = self.starts.partition_point(|&s| s <= p.offset) - 1;
                let start = (p.offset - self.starts[i]) as usize;
                buf.extend_from_slice(&self.memory[i][start..start + p.len]);
            }
            Some(file) => {
                if !self.reading {
                    file.flush().map_err(failed)?;
                    self.reading = true;
                }
                let f = file.get_mut();
                f.seek(SeekFrom::Start(p.offset)).map_err(failed)?;
                buf.resize(p.len, 0);
                f.read_exact(buf).map_err(failed)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_back_from_every_chunk_in_memory() {
        let mut s = Spool::new();
        // pieces of 1,000 to 1,999 bytes over several chunks, one bigger
        // than a chunk, empty ones between
        let mut written = Vec::new();
        for i in 0..3000usize {
            let text = vec![(i % 251) as u8; 1000 + i % 1000];
            written.push((s.put(&text).unwrap(), text));
            if i % 7 == 0 {
                written.push((s.put(b"").unwrap(), Vec::new()));
            }
            if i == 1500 {
                let big = vec![7u8; CHUNK + 10];
                written.push((s.put(&big).unwrap(), big));
            }
        }
        assert!(
            s.file.is_none(),
            "under the limit, the spool stays in memory"
        );
        assert!(s.memory.len() > 4, "several chunks");
        let mut buf = Vec::new();
        for (piece, text) in written.iter().rev() {
            s.get(*piece, &mut buf).unwrap();
            assert_eq!(&buf, text);
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
}
