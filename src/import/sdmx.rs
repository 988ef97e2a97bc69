//! SDMX-CSV, version 1 (a `DATAFLOW` first column) and version 2
//! (`STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME],ACTION` lead columns), as
//! statistical offices and the UN SDG database publish it.
//!
//! Columns: the dimensions (every column before `OBS_VALUE` but the lead
//! ones and `TIME_PERIOD`), `TIME_PERIOD`, `OBS_VALUE`, then attributes.
//! Each distinct combination of dimension codes is a series. `UNIT_MULT`
//! scales the value (value × 10^UNIT_MULT, exact in decimal), `OBS_STATUS`
//! and `OBS_CONF` become flags, `UNIT_MEASURE` names a created indicator's
//! unit, and an `ACTION=D` row deletes: the matching stored vintage is
//! retracted, the file named as the reason. Headers and codes written with
//! their labels (`REF_AREA: Reference area`, `BY: Belarus`) are read too.

use std::path::Path;

use super::series::{self, About, Point, Table};
use super::{Batch, Importer, Options, Place, flags, text};
use crate::error::{Error, Result};
use crate::model::{Indicator, Source};

pub struct SdmxCsv;

impl Importer for SdmxCsv {
    fn read(&self, path: &Path, options: &Options, known: &[Indicator]) -> Result<Batch> {
        let file = options.name_of(path);
        let bytes = text::read(path)?;
        let table = parse(text::utf8(&bytes, &file)?, &file)?;
        series::batch(table, options, known)
    }
}

/// The lead columns of SDMX-CSV 2.0, before the dimensions.
const LEAD_V2: [&str; 4] = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION"];

/// A unit code that means per cent.
pub(super) fn unit_name(code: &str) -> String {
    match code.trim().to_ascii_uppercase().as_str() {
        "PT" | "PC" | "PCT" | "PERCENT" | "PER_CENT" | "%" => "%".to_string(),
        _ => code.trim().to_string(),
    }
}

/// Splits `CODE: label` (SDMX-CSV with labels); a plain code has no label.
fn code_label(cell: &str) -> (String, Option<String>) {
    match cell.split_once(':') {
        Some((c, l)) if !c.trim().is_empty() => (c.trim().to_string(), Some(l.trim().to_string())),
        _ => (cell.trim().to_string(), None),
    }
}

/// Reads SDMX-CSV text.
pub fn parse(text: &str, file: &str) -> Result<Table> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(',') {
        b','
    } else if first.contains(';') {
        b';'
    } else {
        b'\t'
    };
    let records = text::records(text, delimiter, file)?;
    let Some((header_line, header)) = records.first() else {
        return Err(Error::in_file(
            file,
            1,
            None,
            "the file is empty: SDMX-CSV starts with a header (DATAFLOW,… or STRUCTURE,STRUCTURE_ID,…)",
        ));
    };
    let at = |line: usize, column: usize| Place::new(file, line, Some(column + 1));
    // with labels, a header reads `REF_AREA: Reference area`
    let labelled = header.iter().any(|h| h.contains(':'));
    let names: Vec<String> = header
        .iter()
        .map(|h| code_label(h).0.to_ascii_uppercase())
        .collect();
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            return Err(at(*header_line, i).error("a column without a name"));
        }
        if names[..i].contains(n) {
            return Err(at(*header_line, i).error(format!("column '{n}' appears twice")));
        }
    }
    let lead = match names.first().map(String::as_str) {
        // Eurostat's SDMX-CSV 1.0 has a LAST UPDATE column after DATAFLOW
        Some("DATAFLOW") => 1 + usize::from(names.get(1).is_some_and(|n| n == "LAST UPDATE")),
        Some("STRUCTURE") if names.get(1).is_some_and(|n| n == "STRUCTURE_ID") => names
            .iter()
            .take_while(|n| LEAD_V2.contains(&n.as_str()))
            .count(),
        Some(other) => {
            return Err(at(*header_line, 0).error(format!(
                "not SDMX-CSV: the first column is '{other}', where SDMX-CSV has DATAFLOW (version 1) or STRUCTURE,STRUCTURE_ID (version 2)"
            )));
        }
        None => unreachable!("a record has at least one field"),
    };
    let col = |name: &str| names.iter().position(|n| n == name);
    let time = col("TIME_PERIOD").ok_or_else(|| {
        at(*header_line, 0)
            .error("no TIME_PERIOD column (SDMX-CSV gives each value's period there)")
    })?;
    let value = col("OBS_VALUE").ok_or_else(|| {
        at(*header_line, 0).error("no OBS_VALUE column (SDMX-CSV gives each value there)")
    })?;
    let action = col("ACTION").filter(|a| *a < lead);
    // the dimensions come first, the time dimension last of them; the
    // measure and the attributes follow (Data360 also has X_LABEL columns)
    let dims: Vec<usize> = (lead..time.min(value))
        .filter(|i| !names[*i].ends_with("_LABEL"))
        .collect();
    if dims.is_empty() {
        return Err(at(*header_line, time.min(value))
            .error("no dimension columns before TIME_PERIOD: which series is each value of?"));
    }
    let label_of = |i: usize| col(&format!("{}_LABEL", names[i]));
    let unit_mult = col("UNIT_MULT");
    let status = col("OBS_STATUS");
    let eurostat_flag = col("OBS_FLAG");
    let conf = col("OBS_CONF");
    let unit = col("UNIT_MEASURE");
    let area = col("REF_AREA").or_else(|| col("GEO"));
    let series_dim = col("INDICATOR").or_else(|| col("SERIES"));
    let structure = records
        .get(1)
        .and_then(|(_, r)| r.get(usize::from(names[0] == "STRUCTURE")))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut table = Table {
        file: file.to_string(),
        dims: dims.iter().map(|i| names[*i].clone()).collect(),
        source: Source {
            citation: Some(match &structure {
                Some(s) => format!("SDMX-CSV {file} ({s})"),
                None => format!("SDMX-CSV {file}"),
            }),
            url: None,
        },
        kind: "SDMX",
        ..Table::default()
    };
    for (line, r) in &records[1..] {
        let line = *line;
        if r.len() != names.len() {
            return Err(Place::new(file, line, None).error(format!(
                "{} fields where the header has {}",
                r.len(),
                names.len()
            )));
        }
        let cell = |i: usize| r[i].trim();
        let split = |i: usize| {
            if labelled {
                code_label(&r[i])
            } else {
                (cell(i).to_string(), None)
            }
        };
        let key: Vec<String> = dims.iter().map(|i| split(*i).0).collect();
        if let Some(i) = dims.iter().find(|i| split(**i).0.is_empty()) {
            return Err(at(line, *i).error(format!(
                "no code for dimension {} (every dimension of a series has one)",
                names[*i]
            )));
        }
        let delete = match action.map(|a| cell(a).to_ascii_uppercase()) {
            None => false,
            Some(a) if a.is_empty() || a == "I" || a == "A" || a == "R" || a == "M" => false,
            Some(a) if a == "D" => true,
            Some(a) => {
                return Err(at(line, action.unwrap_or_default()).error(format!(
                    "ACTION '{a}': SDMX-CSV actions are I, A, R, M and D"
                )));
            }
        };
        let period = series::period(split(time).0.as_str()).map_err(|e| at(line, time).error(e))?;
        let shift = match unit_mult.map(cell) {
            None | Some("") => 0,
            Some(u) => u
                .parse::<i32>()
                .ok()
                .filter(|m| m.abs() <= 400)
                .ok_or_else(|| {
                    at(line, unit_mult.unwrap_or_default())
                        .error(format!("UNIT_MULT '{u}' is not a whole power of ten"))
                })?,
        };
        let raw = cell(value);
        let number = if raw.is_empty() || raw.eq_ignore_ascii_case("nan") {
            None
        } else {
            Some(text::number(raw, shift).ok_or_else(|| {
                at(line, value).error(
                    if text::number(raw, 0).is_some() || raw.contains(['e', 'E']) {
                        format!("OBS_VALUE '{raw}' × 10^{shift} is out of range")
                    } else {
                        format!("OBS_VALUE '{raw}' is not a number")
                    },
                )
            })?)
        };
        let mut flags = flags::Published::default();
        if let Some(s) = status {
            flags.extend(flags::obs_status(&split(s).0));
        }
        if let Some(f) = eurostat_flag {
            flags.extend(flags::eurostat(cell(f)));
        }
        if let Some(c) = conf {
            flags.extend(flags::obs_conf(&split(c).0));
        }
        let label = |i: usize| {
            label_of(i)
                .map(|l| cell(l).to_string())
                .or_else(|| split(i).1)
                .filter(|l| !l.is_empty())
        };
        table.about.entry(key.clone()).or_insert_with(|| {
            // the indicator's label, and the area's; else every label
            let what = series_dim.and_then(label);
            let place = area.and_then(label);
            let labels: Vec<String> = dims.iter().filter_map(|i| label(*i)).collect();
            let name = match (what, place) {
                (Some(w), Some(p)) => Some(format!("{w} ({p})")),
                (Some(w), None) => Some(w),
                _ => (!labels.is_empty()).then(|| labels.join(", ")),
            };
            About {
                name,
                unit: unit
                    .map(|u| unit_name(&split(u).0))
                    .filter(|u| !u.is_empty()),
                entity: area.map(|a| label(a).unwrap_or_else(|| split(a).0)),
            }
        });
        table.points.push(Point {
            key,
            period,
            value: number,
            flags,
            delete,
            note: None,
            place: at(line, value),
        });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_one_with_unit_multiplier_and_status() {
        let t = parse(
            "DATAFLOW,FREQ,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS\n\
             UN:DF_SDG(1.0),A,BY,X,2021,1.5,3,P\n\
             UN:DF_SDG(1.0),A,BY,X,2022-Q3,2,,F\n",
            "f.csv",
        )
        .unwrap();
        assert_eq!(t.dims, ["FREQ", "REF_AREA", "SERIES"]);
        assert_eq!(t.points[0].value, Some(1500.0));
        assert_eq!(t.points[0].flags.flags.to_string(), "provisional");
        assert!(t.points[1].flags.is_forecast());
        assert_eq!(t.points[1].period.to_string(), "2022-Q3");
    }

    #[test]
    fn version_two_actions_and_labels() {
        let t = parse(
            "STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,REF_AREA: Area,TIME_PERIOD,OBS_VALUE\n\
             dataflow,ESTAT:X(1.0),I,A: Annual,BY: Belarus,2021-S1,3\n\
             dataflow,ESTAT:X(1.0),D,A: Annual,BY: Belarus,2020,\n",
            "f.csv",
        )
        .unwrap();
        assert_eq!(t.points[0].key, ["A", "BY"]);
        assert_eq!(t.points[0].period.to_string(), "2021-H1");
        assert!(t.points[1].delete);
        assert_eq!(
            t.about[&t.points[0].key].name.as_deref(),
            Some("Annual, Belarus")
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse(
            "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nX,BY,2021,abc\n",
            "f.csv",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(e, "f.csv:2:4: OBS_VALUE 'abc' is not a number");
        let t = parse(
            "DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nESTAT:X(1.0),17/01/24 23:00:00,A,AT,2021,1.5,p\n",
            "f.csv",
        )
        .unwrap();
        assert_eq!(t.dims, ["FREQ", "GEO"]);
        assert_eq!(t.points[0].flags.flags.to_string(), "provisional");
        let e = parse(
            "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nX,BY,2021-W1,1\n",
            "f.csv",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("f.csv:2:3: "), "{e}");
        let e = parse("FREQ,TIME_PERIOD\n", "f.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not SDMX-CSV"), "{e}");
    }
}
