//! Pretty JSON for the items of a streamed array (a report's rows, a
//! list's entries): the text `serde_json`'s pretty printer writes for an
//! item nested `depth` levels in, byte for byte, written by a serializer of
//! its own. Where `serde_json` escapes every field name as it would any
//! string, this one copies the names, which are Rust's own (plain
//! ASCII); values (strings, numbers) are still written by `serde_json`.
//! A report writes some forty names per row: this is about a third of the
//! time it spends on JSON.
//!
//! What it writes: structs, maps with string keys, sequences and tuples,
//! options, unit variants (their names), newtypes, and every scalar. Enum
//! variants with fields and byte strings are refused with an error rather
//! than written another way (no item of ours has them).

use serde::ser::{self, Serialize};

use super::packed::{self, Packer};

type Error = serde_json::Error;
type Result<T = ()> = std::result::Result<T, Error>;

/// Appends `item` to `out` as pretty JSON nested `depth` levels in: its
/// first line not indented (the caller writes that), every line after it
/// indented by `depth` levels of two spaces, as `serde_json`'s pretty
/// printer indents an item of an array that deep.
pub fn write_nested<T: Serialize + ?Sized>(item: &T, depth: usize, out: &mut Vec<u8>) -> Result {
    item.serialize(&mut Pretty {
        out,
        depth,
        has_value: false,
        packer: None,
    })
}

/// [`write_nested`], packed by `packer` (see [`super::packed`]): each
/// struct field's line break, indentation and name, and each line break
/// before a closing bracket, as a mark of three bytes.
pub fn write_packed<T: Serialize + ?Sized>(
    item: &T,
    depth: usize,
    out: &mut Vec<u8>,
    packer: &mut Packer,
) -> Result {
    let written = item.serialize(&mut Pretty {
        out: &mut *out,
        depth,
        has_value: false,
        packer: Some(&mut *packer),
    });
    // the last mark's length, in this buffer, failed or not
    packer.finish(out);
    written
}

/// The writer's state, as `serde_json::ser::PrettyFormatter` keeps it: the
/// depth, and whether the innermost open object or array has a value yet
/// (one flag for all levels: each close follows its own open or a value).
struct Pretty<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    has_value: bool,
    /// Packing the names and line breaks, if given.
    packer: Option<&'o mut Packer>,
}

impl Pretty<'_> {
    fn scalar<T: Serialize + ?Sized>(&mut self, v: &T) -> Result {
        serde_json::to_writer(&mut *self.out, v)
    }

    fn begin(&mut self, open: u8) {
        self.depth += 1;
        self.has_value = false;
        self.out.push(open);
    }

    fn end(&mut self, close: u8) {
        self.depth -= 1;
        if self.has_value {
            match (&mut self.packer, u8::try_from(self.depth)) {
                (Some(p), Ok(depth)) => p.mark(self.out, packed::CLOSE, depth),
                _ => self.newline(),
            }
        }
        self.out.push(close);
    }

    fn newline(&mut self) {
        newline(self.out, self.depth);
    }

    /// Before an element or a key: a comma after the one before, a new
    /// line, the indentation.
    fn next(&mut self, first: bool) {
        let n = 2 * self.depth;
        if n <= BREAK.len() - 2 {
            let from = usize::from(first);
            self.out.extend_from_slice(&BREAK[from..2 + n]);
        } else {
            if !first {
                self.out.push(b',');
            }
            self.newline();
        }
    }

    /// A field's name, as the key of an object, and the colon after it:
    /// copied when it needs no escaping (every Rust name), else written as
    /// any string.
    fn name(&mut self, key: &str) -> Result {
        if plain_name(key) {
            self.out.reserve(key.len() + 4);
            self.out.push(b'"');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"\": ");
        } else {
            self.scalar(key)?;
            self.out.extend_from_slice(b": ");
        }
        Ok(())
    }
}

/// A line break and the indentation of `depth` levels, onto `out`.
pub fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    let mut n = 2 * depth;
    while n > 0 {
        let k = n.min(BREAK.len() - 2);
        out.extend_from_slice(&BREAK[2..2 + k]);
        n -= k;
    }
}

/// Whether a field's name is written as it is, without escaping: no
/// control characters, quotes or backslashes (every Rust name).
pub fn plain_name(key: &str) -> bool {
    key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A comma, a line break and indentation, to copy from in one piece: up
/// to 30 levels deep at once.
const BREAK: &[u8; 62] = b",\n                                                            ";

fn refused(what: &str) -> Error {
    ser::Error::custom(format!(
        "writing JSON: {what} are not written by goalpost's writer"
    ))
}

/// An open object or array: whether an element has been written, and
/// whether it was written shut (`[]`, `{}` for no elements announced).
struct Compound<'a, 'o> {
    p: &'a mut Pretty<'o>,
    first: bool,
    shut: bool,
}

impl<'a, 'o> ser::Serializer for &'a mut Pretty<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result {
        self.scalar(&v)
    }

    fn serialize_i16(self, v: i16) -> Result {
        self.scalar(&v)
    }

    fn serialize_i32(self, v: i32) -> Result {
        self.scalar(&v)
    }

    fn serialize_i64(self, v: i64) -> Result {
        self.scalar(&v)
    }

    fn serialize_i128(self, v: i128) -> Result {
        self.scalar(&v)
    }

    fn serialize_u8(self, v: u8) -> Result {
        self.scalar(&v)
    }

    fn serialize_u16(self, v: u16) -> Result {
        self.scalar(&v)
    }

    fn serialize_u32(self, v: u32) -> Result {
        self.scalar(&v)
    }

    fn serialize_u64(self, v: u64) -> Result {
        self.scalar(&v)
    }

    fn serialize_u128(self, v: u128) -> Result {
        self.scalar(&v)
    }

    fn serialize_f32(self, v: f32) -> Result {
        self.scalar(&v)
    }

    /// As `serde_json` writes it: the shortest text that reads back the
    /// same, or `null` for a NaN or an infinity.
    fn serialize_f64(self, v: f64) -> Result {
        self.scalar(&v)
    }

    fn serialize_char(self, v: char) -> Result {
        self.scalar(&v)
    }

    fn serialize_str(self, v: &str) -> Result {
        self.scalar(v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(refused("byte strings"))
    }

    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        self.serialize_unit()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(refused("enum variants with fields"))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'o>> {
        self.begin(b'[');
        let shut = len == Some(0);
        if shut {
            self.end(b']');
        }
        Ok(Compound {
            p: self,
            first: true,
            shut,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'o>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'o>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(refused("enum variants with fields"))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'o>> {
        self.begin(b'{');
        let shut = len == Some(0);
        if shut {
            self.end(b'}');
        }
        Ok(Compound {
            p: self,
            first: true,
            shut,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'o>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(refused("enum variants with fields"))
    }
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.p.next(self.first);
        self.first = false;
        value.serialize(&mut *self.p)?;
        self.p.has_value = true;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        let first = std::mem::replace(&mut self.first, false);
        let depth = self.p.depth;
        let p = &mut *self.p;
        match p
            .packer
            .as_mut()
            .and_then(|k| Some((k.number(key, depth, first)?, k)))
        {
            Some((n, k)) => k.mark(p.out, packed::NAME, n),
            None => {
                self.p.next(first);
                self.p.name(key)?;
            }
        }
        value.serialize(&mut *self.p)?;
        self.p.has_value = true;
        Ok(())
    }

    fn close(self, close: u8) -> Result {
        if !self.shut {
            self.p.end(close);
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b']')
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b']')
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.element(value)
    }

    fn end(self) -> Result {
        self.close(b']')
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    /// A key: only a string (the maps we write have string keys; JSON's
    /// keys are strings, and `serde_json`'s quoting of other keys is not
    /// copied here).
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        self.p.next(self.first);
        self.first = false;
        let start = self.p.out.len();
        key.serialize(&mut *self.p)?;
        if self.p.out.get(start) != Some(&b'"') {
            return Err(refused("map keys other than strings"));
        }
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.p.out.extend_from_slice(b": ");
        value.serialize(&mut *self.p)?;
        self.p.has_value = true;
        Ok(())
    }

    fn end(self) -> Result {
        self.close(b'}')
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.field(key, value)
    }

    fn end(self) -> Result {
        self.close(b'}')
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    use super::write_nested;

    /// What `serde_json`'s pretty printer writes for `item` as the element
    /// of an array two levels in, after the element's indentation.
    fn reference<T: Serialize>(item: &T) -> String {
        #[derive(Serialize)]
        struct Wrap<'a, T> {
            k: [&'a T; 1],
        }
        let text = serde_json::to_string_pretty(&Wrap { k: [item] }).unwrap();
        text.strip_prefix("{\n  \"k\": [\n    ")
            .and_then(|t| t.strip_suffix("\n  ]\n}"))
            .unwrap_or_else(|| panic!("unexpected layout: {text}"))
            .to_string()
    }

    fn ours<T: Serialize>(item: &T) -> String {
        let mut out = Vec::new();
        write_nested(item, 2, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shade {
        DeepBlue,
        Red,
    }

    #[derive(Serialize)]
    struct Inner {
        period: String,
        value: f64,
    }

    #[derive(Serialize)]
    struct Item {
        id: String,
        title: Option<String>,
        tags: Vec<String>,
        none: Vec<u32>,
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        dims: BTreeMap<String, String>,
        empty: BTreeMap<String, String>,
        shade: Shade,
        other: Option<Shade>,
        inner: Option<Inner>,
        #[serde(rename = "odd \"name\"\n")]
        odd: bool,
        ratio: f64,
        nan: f64,
        count: i64,
        pair: (u8, &'static str),
        nested: Vec<Vec<Inner>>,
    }

    #[test]
    fn a_struct_is_written_as_serde_json_writes_it() {
        let item = Item {
            id: "t\"01\\\u{1}é".into(),
            title: None,
            tags: vec!["a".into(), "b\n".into()],
            none: Vec::new(),
            dims: BTreeMap::from([("sex".into(), "female".into()), ("age".into(), "<5".into())]),
            empty: BTreeMap::new(),
            shade: Shade::DeepBlue,
            other: Some(Shade::Red),
            inner: Some(Inner {
                period: "2021-Q3".into(),
                value: -0.1,
            }),
            odd: true,
            ratio: 1.0 / 3.0,
            nan: f64::NAN,
            count: -42,
            pair: (7, "x"),
            nested: vec![
                Vec::new(),
                vec![Inner {
                    period: "2020".into(),
                    value: 1e300,
                }],
            ],
        };
        let text = ours(&item);
        assert_eq!(text, reference(&item));
        // the parts that differ from a compact layout, spelled out
        assert!(
            text.contains("\n        \"b\\n\"\n      ],\n      \"none\": [],"),
            "{text}"
        );
        assert!(text.contains("\"empty\": {},"), "{text}");
        assert!(text.contains("\"odd \\\"name\\\"\\n\": true,"), "{text}");
        assert!(text.contains("\"nan\": null,"), "{text}");
        assert!(
            text.starts_with("{\n      \"id\": \"t\\\"01\\\\\\u0001é\","),
            "{text}"
        );
        assert!(
            text.ends_with("\n          }\n        ]\n      ]\n    }"),
            "{text}"
        );
    }

    #[test]
    fn what_it_does_not_write_is_refused_not_written_otherwise() {
        #[derive(Serialize)]
        enum WithData {
            Pair(u8, u8),
            Named { a: u8 },
            One(u8),
        }
        for item in [
            WithData::Pair(1, 2),
            WithData::Named { a: 1 },
            WithData::One(1),
        ] {
            let mut out = Vec::new();
            let e = write_nested(&item, 2, &mut out).unwrap_err();
            assert!(e.to_string().contains("enum variants with fields"), "{e}");
        }
        let mut out = Vec::new();
        let keyed = BTreeMap::from([(1u8, "one")]);
        let e = write_nested(&keyed, 2, &mut out).unwrap_err();
        assert!(e.to_string().contains("map keys other than strings"), "{e}");
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,6}|[\"\\\\\\x00-\\x1f]{1,3}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,5}|[\"\\\\\\n]", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_value_is_written_as_serde_json_writes_it(v in values()) {
            prop_assert_eq!(ours(&v), reference(&v));
        }
    }
}
