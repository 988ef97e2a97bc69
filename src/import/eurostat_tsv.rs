//! Eurostat's tab-separated files (the bulk download and the dissemination
//! API's TSV): a header `freq,unit,geo\TIME_PERIOD` (older files:
//! `unit,geo\time`) followed by one tab-separated column per period, one
//! line per series whose first cell holds its codes (`A,PC,AT`). A cell is
//! a value with its flags after it (`12.3 p`, `4.1 be`), or `:` when there
//! is none (`: c` confidential). The `unit` dimension names a created
//! indicator's unit: `PC…` is per cent, and `THS_…` / `MIO_…` scale the
//! value to base units (thousands, millions).

use std::path::Path;

use super::series::{self, About, Point, Table};
use super::{Batch, Importer, Options, Place, flags, text};
use crate::error::{Error, Result};
use crate::model::{Indicator, Source};

pub struct EurostatTsv;

impl Importer for EurostatTsv {
    fn read(&self, path: &Path, options: &Options, known: &[Indicator]) -> Result<Batch> {
        let file = options.name_of(path);
        let bytes = text::read(path)?;
        let table = parse(text::utf8(&bytes, &file)?, &file)?;
        series::batch(table, options, known)
    }
}

/// A Eurostat unit code: the unit of a created indicator and the power of
/// ten its values are in.
fn unit(code: &str) -> (String, i32) {
    let upper = code.to_ascii_uppercase();
    if upper == "PC" || upper.starts_with("PC_") || upper.starts_with("PCH_") {
        return ("%".to_string(), 0);
    }
    for (prefix, shift) in [("THS_", 3), ("MIO_", 6)] {
        if let Some(rest) = upper.strip_prefix(prefix).filter(|r| !r.is_empty()) {
            return (rest.to_string(), shift);
        }
    }
    (code.to_string(), 0)
}

/// Reads Eurostat TSV text.
pub fn parse(text: &str, file: &str) -> Result<Table> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(Error::in_file(
            file,
            1,
            None,
            "the file is empty: a Eurostat TSV starts with a header such as freq,unit,geo\\TIME_PERIOD",
        ));
    };
    let at = |line: usize, column: usize| Place::new(file, line, Some(column));
    let cells: Vec<&str> = header.split('\t').collect();
    let Some((dims, _time)) = cells[0].rsplit_once('\\') else {
        return Err(at(header_line, 1).error(format!(
            "the first cell is '{}', where a Eurostat TSV has its dimensions and the time, e.g. freq,unit,geo\\TIME_PERIOD",
            cells[0].trim()
        )));
    };
    let dims: Vec<String> = dims.split(',').map(|d| d.trim().to_string()).collect();
    for (i, d) in dims.iter().enumerate() {
        if d.is_empty() {
            return Err(at(header_line, 1).error("a dimension without a name in the first cell"));
        }
        if dims[..i].iter().any(|x| x.eq_ignore_ascii_case(d)) {
            return Err(at(header_line, 1).error(format!("dimension '{d}' appears twice")));
        }
    }
    let mut periods = Vec::new();
    for (i, c) in cells.iter().enumerate().skip(1) {
        let p = series::period(c).map_err(|e| at(header_line, i + 1).error(e))?;
        if let Some(j) = periods
            .iter()
            .position(|q: &crate::period::Period| q.bounds() == p.bounds())
        {
            return Err(at(header_line, i + 1).error(format!(
                "period {p} appears twice (columns {} and {})",
                j + 2,
                i + 1
            )));
        }
        periods.push(p);
    }
    let unit_dim = dims.iter().position(|d| d.eq_ignore_ascii_case("unit"));
    let geo_dim = dims.iter().position(|d| d.eq_ignore_ascii_case("geo"));
    let mut table = Table {
        file: file.to_string(),
        dims: dims.clone(),
        source: Source {
            citation: Some(format!("Eurostat {file}")),
            url: None,
        },
        kind: "Eurostat",
        ..Table::default()
    };
    for (line, l) in lines {
        let row: Vec<&str> = l.split('\t').collect();
        let key: Vec<String> = row[0].split(',').map(|c| c.trim().to_string()).collect();
        if key.len() != dims.len() || key.iter().any(String::is_empty) {
            return Err(at(line, 1).error(format!(
                "'{}' does not give the {} codes of {}",
                row[0].trim(),
                dims.len(),
                dims.join(",")
            )));
        }
        if row.len() > periods.len() + 1 {
            return Err(at(line, periods.len() + 2).error(format!(
                "{} cells where the header has {}",
                row.len(),
                periods.len() + 1
            )));
        }
        let (unit_name, shift) = unit_dim.map_or((None, 0), |u| {
            let (n, s) = unit(&key[u]);
            (Some(n), s)
        });
        table.about.entry(key.clone()).or_insert_with(|| About {
            name: None,
            unit: unit_name.clone(),
            entity: geo_dim.map(|g| key[g].clone()),
        });
        for (i, cell) in row.iter().enumerate().skip(1) {
            let (value, flags) = cell_value(cell, shift).map_err(|e| at(line, i + 1).error(e))?;
            table.points.push(Point {
                key: key.clone(),
                period: periods[i - 1],
                value,
                flags,
                delete: false,
                note: None,
                place: at(line, i + 1),
            });
        }
    }
    Ok(table)
}

/// A cell: `12.3`, `12.3 p`, `4.1 be`, `12.3p`, `:`, `: c`.
fn cell_value(cell: &str, shift: i32) -> Result<(Option<f64>, flags::Published), String> {
    let s = cell.trim();
    if let Some(rest) = s.strip_prefix(':') {
        return Ok((None, flags::eurostat(rest)));
    }
    if s.is_empty() {
        return Ok((None, flags::Published::default()));
    }
    // the number runs to the first space, or to the first letter that
    // cannot be part of it
    let end = s
        .char_indices()
        .find(|(i, c)| {
            c.is_whitespace()
                || (c.is_alphabetic() && !(matches!(c, 'e' | 'E') && exponent_at(s, *i)))
        })
        .map_or(s.len(), |(i, _)| i);
    let (number, letters) = s.split_at(end);
    if letters.trim().chars().any(|c| !c.is_ascii_alphabetic()) {
        return Err(format!("'{s}' is not a value with flags (such as 12.3 p)"));
    }
    let value = text::number(number, shift).ok_or_else(|| {
        if text::number(number, 0).is_some() {
            format!("'{number}' is out of range")
        } else {
            format!("'{s}' is not a number (such as 12.3, 12.3 p or :)")
        }
    })?;
    Ok((Some(value), flags::eurostat(letters)))
}

/// Whether the `e` at `i` starts an exponent (`1.2e5`), not a flag (`1.2 e`).
fn exponent_at(s: &str, i: usize) -> bool {
    let rest = &s[i + 1..];
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    i > 0 && rest.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_flags() {
        assert_eq!(cell_value("12.3 ", 0).unwrap().0, Some(12.3));
        let (v, f) = cell_value("4.1 be", 0).unwrap();
        assert_eq!(v, Some(4.1));
        assert_eq!(f.flags.to_string(), "estimated,break");
        assert_eq!(
            cell_value("4.1p", 0).unwrap().1.flags.to_string(),
            "provisional"
        );
        assert_eq!(cell_value("1e3", 0).unwrap().0, Some(1000.0));
        assert_eq!(cell_value(": c", 0).unwrap().0, None);
        assert_eq!(
            cell_value(": c", 0).unwrap().1.flags.to_string(),
            "confidential"
        );
        assert_eq!(cell_value("1.5", 6).unwrap().0, Some(1_500_000.0));
        assert!(cell_value("1,5", 0).is_err());
        assert!(cell_value("abc", 0).is_err());
    }

    #[test]
    fn header_and_rows() {
        let t = parse(
            "freq,unit,geo\\TIME_PERIOD\t2021 \t2022 \nA,PC,AT\t12.3 p\t: \nA,MIO_EUR,AT\t1.5 \t2 e\n",
            "f.tsv",
        )
        .unwrap();
        assert_eq!(t.dims, ["freq", "unit", "geo"]);
        assert_eq!(t.points.len(), 4);
        assert_eq!(t.points[2].value, Some(1_500_000.0));
        assert_eq!(t.about[&t.points[2].key].unit.as_deref(), Some("EUR"));
        assert_eq!(t.about[&t.points[0].key].unit.as_deref(), Some("%"));
        let e = parse("freq,geo\\TIME_PERIOD\t2021\nA\t1\n", "f.tsv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.tsv:2:1: "), "{e}");
    }
}
