//! Reading published text: UTF-8 checked with the line and column of the
//! first bad byte, a byte-order mark dropped, and delimited records with
//! the line each starts on.

use std::path::Path;

use crate::error::{Error, Result};

/// The bytes of a file.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The text of `bytes`, without a leading byte-order mark; not UTF-8 is
/// an error at the line and column of the first bad byte.
pub fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
            Err(Error::in_file(
                file,
                line,
                Some(column),
                format!(
                    "not UTF-8 text (byte 0x{:02x}): convert the file to UTF-8 first, e.g. with iconv -f latin1 -t utf-8",
                    bytes[e.valid_up_to()]
                ),
            ))
        }
    }
}

/// Line numbers of byte offsets.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// The 1-based line of `byte`.
    pub fn line(&self, byte: usize) -> usize {
        self.starts.partition_point(|s| *s <= byte).max(1)
    }
}

/// One record: the line it starts on and its fields, as written.
pub type Record = (usize, Vec<String>);

/// Every record of delimited text (fields may differ in number from
/// record to record; blank lines are skipped). A quoted field that is never
/// closed is an error at the line it opens on.
pub fn records(text: &str, delimiter: u8, file: &str) -> Result<Vec<Record>> {
    if let Some(line) = unclosed_quote(text, delimiter) {
        return Err(Error::in_file(
            file,
            line,
            None,
            "a quoted field opened here is never closed (a missing '\"')",
        ));
    }
    let lines = Lines::new(text);
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map_or(1, |p| line_at(&lines, bytes, p.byte() as usize));
            Error::in_file(file, line, None, e)
        })?;
        let line = record
            .position()
            .map_or(1, |p| line_at(&lines, bytes, p.byte() as usize));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

/// The line of the first character at or after `byte` that is not a line
/// end (the csv crate starts a record before the line ends preceding it).
fn line_at(lines: &Lines, bytes: &[u8], mut byte: usize) -> usize {
    while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
        byte += 1;
    }
    lines.line(byte)
}

/// The line on which a quoted field opens and is never closed, if any.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut opened) = (1, 1);
    for b in text.bytes() {
        state = match (state, b) {
            (State::FieldStart, b'"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n' | b'\r') => State::FieldStart,
            (_, d) if d == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

/// A plain decimal number (`12.3`, `-4`, `1e6`), times `10^shift`, exact
/// in decimal: the digits are converted once. `None` if it is not one.
pub fn number(s: &str, shift: i32) -> Option<f64> {
    let s = s.trim();
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    let mut power = i64::from(shift);
    if let Some(e) = exponent {
        let e_body = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e_body.is_empty() || !digits(e_body) {
            return None;
        }
        // far beyond any float either way: saturate, the check below decides
        power += e.parse::<i64>().unwrap_or(if e.starts_with('-') {
            -100_000
        } else {
            100_000
        });
    }
    let sign = if s.starts_with('-') { "-" } else { "" };
    let int = if int.is_empty() { "0" } else { int };
    let text = if frac.is_empty() {
        format!("{sign}{int}e{power}")
    } else {
        format!("{sign}{int}.{frac}e{power}")
    };
    let x: f64 = text.parse().ok()?;
    x.is_finite().then_some(x)
}

/// Why `raw` is not a value: not a number, or beyond any float.
pub fn not_a_number(raw: &str) -> String {
    if raw.trim().parse::<f64>().is_ok_and(f64::is_infinite) {
        format!("'{raw}' is out of range")
    } else {
        format!("'{raw}' is not a number")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(2), 2);
        assert_eq!(l.line(5), 3);
        assert_eq!(l.line(6), 4);
    }

    #[test]
    fn bad_utf8_is_placed_at_its_line_and_column() {
        let e = utf8(b"ab\ncd\xe9f", "f.csv").unwrap_err().to_string();
        assert!(e.starts_with("f.csv:2:3: not UTF-8"), "{e}");
    }

    #[test]
    fn numbers_are_exact_in_decimal() {
        assert_eq!(number("8.3", 9), Some(8_300_000_000.0));
        assert_eq!(number("-1.5e2", 0), Some(-150.0));
        assert_eq!(number(".5", 0), Some(0.5));
        assert_eq!(number("12,3", 0), None);
        assert_eq!(number("1e400", 0), None);
        assert_eq!(number("", 0), None);
        assert_eq!(number(".", 0), None);
        assert_eq!(number("1e", 0), None);
    }

    #[test]
    fn records_know_their_lines() {
        let r = records("h1,h2\n\n1,2\r\n\"a\nb\",3\n", b',', "f").unwrap();
        assert_eq!(r[0].0, 1);
        assert_eq!(r[1].0, 3);
        assert_eq!(r[2].0, 4);
        assert_eq!(r[2].1, vec!["a\nb", "3"]);
        assert!(records("a,\"b\n", b',', "f").is_err());
    }
}
