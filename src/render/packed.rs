//! Pretty JSON packed while it waits in a report's spool: what
//! [`super::pretty`] writes, with each struct field's line break,
//! indentation and name (`,\n      "progress": `) written once, in a
//! table ([`Names`]), and referred to in the text by number, and each line
//! break before a closing bracket by its depth. A report row of some
//! fifty fields packs into about two fifths of its 1.4 KB: the rows of a
//! 30,000-target report (43 MB of JSON) take 17.5 MB, all but 0.8 MB of
//! it in memory rather than most of it in a temporary file, and fresh
//! memory, slow to fault in, is touched two fifths as much. [`unpack`]
//! gives back the text byte for byte.
//!
//! The two marks are bytes that JSON text never holds unescaped (control
//! characters), each followed by two bytes: [`NAME`] and a name's number,
//! or [`CLOSE`] and a depth; then how many bytes of text come before the
//! next mark (255 for that many or more: then the text is looked through
//! for it), so that unpacking copies rather than searches. A name the
//! table has no room for (it holds 255) is written out in full, as are
//! map keys (not Rust's own names).

use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// A field's line break, indentation and name, by its number in [`Names`].
pub const NAME: u8 = 0x01;
/// A line break and the indentation of the depth that follows (before a
/// closing bracket).
pub const CLOSE: u8 = 0x02;

/// The most names a table holds: a name's number is one byte.
const ROOM: usize = 255;

/// What one name's text is made of: where its name is (a `&'static str`
/// of the program, told apart by address and length), how deep, and
/// whether it is the first field of its object (no comma before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    at: usize,
    len: usize,
    depth: usize,
    first: bool,
}

impl Key {
    fn of(name: &'static str, depth: usize, first: bool) -> Key {
        Key {
            at: name.as_ptr() as usize,
            len: name.len(),
            depth,
            first,
        }
    }
}

/// The table of names that every lane of a report packs with and the
/// writer unpacks with: each name's text, by number.
#[derive(Debug, Default)]
pub struct Names {
    keys: Vec<Key>,
    texts: Vec<Vec<u8>>,
    /// Each text of up to [`BLOCK`] bytes again, padded to that many: what
    /// [`unpack`] copies whole and then cuts to its length (most names
    /// are 20 to 30 bytes: one fixed copy costs less than a call to copy
    /// their length).
    blocks: Vec<[u8; BLOCK]>,
}

/// The bytes of a name's padded block in [`Names`].
const BLOCK: usize = 64;

impl Names {
    pub fn shared() -> Arc<Mutex<Names>> {
        Arc::default()
    }

    /// The number of `key`'s text, added to the table if new; `None` if the
    /// table is full.
    fn number(&mut self, key: Key, name: &str) -> Option<u8> {
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return Some(i as u8);
        }
        if self.keys.len() >= ROOM || !super::pretty::plain_name(name) {
            return None;
        }
        let mut text = Vec::with_capacity(name.len() + 2 * key.depth + 6);
        if !key.first {
            text.push(b',');
        }
        super::pretty::newline(&mut text, key.depth);
        text.push(b'"');
        text.extend_from_slice(name.as_bytes());
        text.extend_from_slice(b"\": ");
        let mut block = [0; BLOCK];
        let n = text.len().min(BLOCK);
        block[..n].copy_from_slice(&text[..n]);
        self.keys.push(key);
        self.texts.push(text);
        self.blocks.push(block);
        Some((self.keys.len() - 1) as u8)
    }

    /// Each name's text, by number.
    pub fn texts(&self) -> &[Vec<u8>] {
        &self.texts
    }
}

/// What one lane packs with: the shared table, and the names it has
/// numbered so far, in the order they last came. Rows come with their
/// fields in the same order, so the next name is most often the one after
/// the last: it is looked for there first.
#[derive(Debug)]
pub struct Packer {
    shared: Arc<Mutex<Names>>,
    known: Vec<(Key, Option<u8>)>,
    next: usize,
    /// Where the length after the last mark is, until the next mark.
    open: Option<usize>,
}

impl Packer {
    pub fn new(shared: Arc<Mutex<Names>>) -> Packer {
        Packer {
            shared,
            known: Vec::new(),
            next: 0,
            open: None,
        }
    }

    /// Writes `mark` with `arg` onto the end of `out`.
    pub fn mark(&mut self, out: &mut Vec<u8>, mark: u8, arg: u8) {
        self.finish(out);
        out.extend_from_slice(&[mark, arg, 0]);
        self.open = Some(out.len() - 1);
    }

    /// Ends an item: the text after its last mark is counted.
    pub fn finish(&mut self, out: &mut [u8]) {
        if let Some(at) = self.open.take() {
            out[at] = u8::try_from(out.len() - at - 1).unwrap_or(u8::MAX);
        }
    }

    /// The number of field `name`'s text at `depth` (`first`: the first
    /// field of its object), or `None` to write it out in full. Inlined
    /// where each field is written: nine in ten are the one expected.
    #[inline]
    pub fn number(&mut self, name: &'static str, depth: usize, first: bool) -> Option<u8> {
        let key = Key::of(name, depth, first);
        if let Some((k, n)) = self.known.get(self.next)
            && *k == key
        {
            self.next += 1;
            return *n;
        }
        self.look_up(key, name)
    }

    /// [`Packer::number`] of a name that is not the one expected.
    #[cold]
    #[inline(never)]
    fn look_up(&mut self, key: Key, name: &'static str) -> Option<u8> {
        if let Some(i) = self.known.iter().position(|(k, _)| *k == key) {
            self.next = i + 1;
            return self.known[i].1;
        }
        let n = self
            .shared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .number(key, name);
        self.known.push((key, n));
        self.next = self.known.len();
        n
    }
}

/// Appends the text of `packed` to `out`, each name's text from `names`.
pub fn unpack(packed: &[u8], names: &Names, out: &mut Vec<u8>) -> Result<()> {
    let damaged = || Error::invalid("the report's waiting rows were damaged");
    let is_mark = |b: &u8| *b == NAME || *b == CLOSE;
    out.reserve(3 * packed.len());
    // the text before the first mark
    let mut at = packed.iter().position(is_mark).unwrap_or(packed.len());
    out.extend_from_slice(&packed[..at]);
    while at < packed.len() {
        let [mark, arg, len] = packed
            .get(at..at + 3)
            .and_then(|m| <[u8; 3]>::try_from(m).ok())
            .ok_or_else(damaged)?;
        if mark == NAME {
            let i = usize::from(arg);
            let text = names.texts.get(i).ok_or_else(damaged)?;
            match names.blocks.get(i) {
                Some(block) if text.len() <= BLOCK => cut(out, block, text.len()),
                _ => out.extend_from_slice(text),
            }
        } else if mark == CLOSE {
            super::pretty::newline(out, usize::from(arg));
        } else {
            return Err(damaged());
        }
        at += 3;
        let rest = &packed[at..];
        let len = match len {
            u8::MAX => rest.iter().position(is_mark).unwrap_or(rest.len()),
            n => usize::from(n),
        };
        put(out, rest, len).ok_or_else(damaged)?;
        at += len;
    }
    Ok(())
}

/// Puts the first `len` bytes of `from` on the end of `out` (`None` if it
/// holds fewer). Most are a few bytes (a number, a short text) with more
/// of the row after them: those are copied as one block of [`SHORT`]
/// bytes, the rest then cut off, rather than by a call to copy the length.
#[inline]
fn put(out: &mut Vec<u8>, from: &[u8], len: usize) -> Option<()> {
    if len <= SHORT
        && let Some(block) = from.first_chunk::<SHORT>()
    {
        cut(out, block, len);
        return Some(());
    }
    out.extend_from_slice(from.get(..len)?);
    Some(())
}

/// The first `len` bytes of `block` (no more than it holds) on the end of
/// `out`: the whole block copied, a fixed copy, then cut to them.
#[inline]
fn cut<const N: usize>(out: &mut Vec<u8>, block: &[u8; N], len: usize) {
    let end = out.len() + len.min(N);
    out.extend_from_slice(block);
    out.truncate(end);
}

/// The block [`put`] copies a short text in.
const SHORT: usize = 32;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;
    use serde::ser::{SerializeStruct, Serializer};

    use super::*;
    use crate::render::pretty::{write_nested, write_packed};

    #[derive(Debug, Clone, Serialize)]
    struct Part {
        period: String,
        value: f64,
    }

    #[derive(Debug, Clone, Serialize)]
    struct Row {
        id: String,
        title: Option<String>,
        tags: Vec<String>,
        dims: BTreeMap<String, String>,
        baseline: Option<Part>,
        parts: Vec<Part>,
        nested: Vec<Vec<Part>>,
        ratio: f64,
        done: bool,
    }

    fn parts() -> impl Strategy<Value = Part> {
        ("\\PC{0,8}|[\\x00-\\x1f\"\\\\]{1,3}", any::<f64>())
            .prop_map(|(period, value)| Part { period, value })
    }

    fn rows() -> impl Strategy<Value = Row> {
        (
            // short, control characters, and long enough that the text
            // after a mark is counted as 255 (looked through)
            "\\PC{0,6}|[\\x00-\\x1f\"\\\\]{1,4}|[a-z]{250,300}",
            proptest::option::of("\\PC{0,12}"),
            prop::collection::vec("\\PC{0,4}", 0..3),
            prop::collection::btree_map("\\PC{0,4}", "\\PC{0,4}", 0..3),
            proptest::option::of(parts()),
            prop::collection::vec(parts(), 0..3),
            prop::collection::vec(prop::collection::vec(parts(), 0..2), 0..2),
            any::<f64>(),
            any::<bool>(),
        )
            .prop_map(
                |(id, title, tags, dims, baseline, parts, nested, ratio, done)| Row {
                    id,
                    title,
                    tags,
                    dims,
                    baseline,
                    parts,
                    nested,
                    ratio,
                    done,
                },
            )
    }

    fn plain<T: Serialize>(item: &T) -> Vec<u8> {
        let mut out = Vec::new();
        write_nested(item, 2, &mut out).unwrap();
        out
    }

    /// Packs each item with `packer`, one after another, and unpacks each.
    fn round_trip<T: Serialize>(items: &[T], packer: &mut Packer) -> Vec<Vec<u8>> {
        let mut packed = Vec::new();
        let mut ends = Vec::new();
        for item in items {
            write_packed(item, 2, &mut packed, packer).unwrap();
            ends.push(packed.len());
        }
        let names = packer.shared.lock().unwrap();
        let mut from = 0;
        ends.into_iter()
            .map(|end| {
                let mut text = Vec::new();
                unpack(&packed[from..end], &names, &mut text).unwrap();
                from = end;
                text
            })
            .collect()
    }

    proptest! {
        /// Packed and unpacked, rows are the text written unpacked, byte
        /// for byte, whatever their shape (fields null or not, empty or
        /// nested arrays, maps, long and escaped strings), packed one after
        /// another by two packers sharing one table, as a report's lanes do.
        #[test]
        fn rows_unpack_to_the_text_written_unpacked(
            a in prop::collection::vec(rows(), 1..6),
            b in prop::collection::vec(rows(), 1..6),
        ) {
            let names = Names::shared();
            let mut packers = [Packer::new(names.clone()), Packer::new(names)];
            for (items, k) in [(&a, 0), (&b, 1), (&a, 1)] {
                let texts = round_trip(items, &mut packers[k]);
                for (item, text) in items.iter().zip(texts) {
                    let expected = plain(item);
                    prop_assert_eq!(String::from_utf8_lossy(&text), String::from_utf8_lossy(&expected));
                }
            }
        }
    }

    #[test]
    fn a_row_packs_smaller_with_its_names_by_number() {
        let row = Row {
            id: "t00001".into(),
            title: None,
            tags: vec!["agri".into()],
            dims: BTreeMap::new(),
            baseline: Some(Part {
                period: "2020".into(),
                value: 217.5057,
            }),
            parts: Vec::new(),
            nested: Vec::new(),
            ratio: -0.04352866593631566,
            done: false,
        };
        let mut packed = Vec::new();
        write_packed(&row, 2, &mut packed, &mut Packer::new(Names::shared())).unwrap();
        let text = plain(&row);
        // "baseline" at depth 3, then its two fields at depth 4, packed
        // as: the mark, its number, the length of the text after it
        let baseline = packed.windows(3).position(|w| w == [NAME, 4, 1]).unwrap();
        assert_eq!(&packed[baseline + 3..baseline + 7], [b'{', NAME, 5, 6]);
        assert_eq!(&packed[baseline + 7..baseline + 13], b"\"2020\"");
        assert!(
            3 * packed.len() < 2 * text.len(),
            "{} of {}",
            packed.len(),
            text.len()
        );
    }

    /// A struct of `n` fields whose names are made as it runs.
    struct Wide(Vec<&'static str>);

    impl Serialize for Wide {
        fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("Wide", self.0.len())?;
            for (i, name) in self.0.iter().enumerate() {
                st.serialize_field(name, &i)?;
            }
            st.end()
        }
    }

    #[test]
    fn names_beyond_the_table_and_names_to_escape_are_written_in_full() {
        let names: Vec<&'static str> = (0..300)
            .map(|i| &*Box::leak(format!("field_{i}").into_boxed_str()))
            .chain(["odd \"name\"\n"])
            .collect();
        let wide = Wide(names);
        let mut packer = Packer::new(Names::shared());
        let texts = round_trip(&[&wide, &wide], &mut packer);
        for text in texts {
            assert_eq!(
                String::from_utf8(text).unwrap(),
                String::from_utf8(plain(&wide)).unwrap()
            );
        }
        let table = packer.shared.lock().unwrap();
        assert_eq!(table.texts().len(), ROOM);
        assert_eq!(table.texts()[0], b"\n      \"field_0\": ");
        assert_eq!(table.texts()[1], b",\n      \"field_1\": ");
    }

    #[test]
    fn damaged_text_is_an_error_not_a_panic() {
        let mut names = Names::default();
        assert_eq!(names.number(Key::of("a", 1, false), "a"), Some(0));
        assert_eq!(names.texts(), [b",\n  \"a\": ".to_vec()]);
        let mut out = Vec::new();
        for damaged in [
            &[b'{', NAME][..],
            &[b'{', NAME, 0][..],
            &[b'{', NAME, 7, 0][..],
            &[b'{', NAME, 0, 9, b'1'][..],
            &[b'{', CLOSE, 1, 1, b'}', b'x'][..],
        ] {
            let e = unpack(damaged, &names, &mut out).unwrap_err();
            assert!(e.to_string().contains("damaged"), "{damaged:?}: {e}");
        }
        out.clear();
        unpack(
            &[b'{', NAME, 0, 1, b'1', CLOSE, 1, 1, b'}'],
            &names,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, b"{,\n  \"a\": 1\n  }");
    }

    #[test]
    fn a_name_longer_than_its_block_is_unpacked_whole() {
        let long = "a_field_whose_name_alone_is_longer_than_a_block_of_sixty_four_bytes";
        let mut names = Names::default();
        assert_eq!(names.number(Key::of("a", 1, true), "a"), Some(0));
        assert_eq!(names.number(Key::of(long, 3, false), long), Some(1));
        assert!(names.texts()[1].len() > BLOCK);
        let mut out = Vec::new();
        unpack(
            &[b'{', NAME, 0, 1, b'1', NAME, 1, 1, b'2'],
            &names,
            &mut out,
        )
        .unwrap();
        let expected = format!("{{\n  \"a\": 1,\n      \"{long}\": 2");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
