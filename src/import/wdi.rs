//! World Bank CSV: the wide World Development Indicators download
//! (`Country Name,Country Code,Indicator Name,Indicator Code,1960,…,2024`,
//! usually after four lines of preamble, each line ending in a comma; or
//! DataBank's `Series Name,Series Code,… 2015 [YR2015]` with `..` for no
//! value and a footer), and the long CSV of the APIs (one value per row:
//! a country column, an indicator column, a time column and a value column,
//! as Data360 writes `REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE`).
//!
//! Data360's downloads, which are SDMX-CSV 2.0, are read as such.
//!
//! A series is a country and an indicator (and, in the long form, any other
//! dimension Data360 gives). A created indicator is named from the file:
//! the indicator's name and the country's; its unit is `%` when the name
//! says `(% …)`, `USD` when it says `US$`, else `value`.

use std::path::Path;

use super::series::{self, About, Point, Table};
use super::{Batch, Importer, Options, Place, flags, text};
use crate::error::{Error, Result};
use crate::model::{Indicator, Source};

pub struct Wdi;

impl Importer for Wdi {
    fn read(&self, path: &Path, options: &Options, known: &[Indicator]) -> Result<Batch> {
        let file = options.name_of(path);
        let bytes = text::read(path)?;
        let table = parse(text::utf8(&bytes, &file)?, &file)?;
        series::batch(table, options, known)
    }
}

/// The unit a World Bank indicator name states.
fn unit_of(name: &str) -> String {
    if name.contains("(%") || name.contains("% of") {
        "%".to_string()
    } else if name.contains("US$") {
        "USD".to_string()
    } else {
        "value".to_string()
    }
}

/// The year of a wide header cell: `2015` or DataBank's `2015 [YR2015]`.
fn year_column(cell: &str) -> Option<&str> {
    let c = cell.trim();
    let year = c.get(..4)?;
    let rest = c[4..].trim();
    (year.bytes().all(|b| b.is_ascii_digit())
        && (rest.is_empty() || (rest.starts_with("[YR") && rest.ends_with(']'))))
    .then_some(year)
}

/// Names a column may go by, case aside.
fn find(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
}

const COUNTRY: [&str; 5] = [
    "Country Code",
    "REF_AREA",
    "countryiso3code",
    "Country",
    "economy",
];
const INDICATOR: [&str; 5] = [
    "Indicator Code",
    "Series Code",
    "INDICATOR",
    "indicator",
    "series",
];
const COUNTRY_NAME: [&str; 3] = ["Country Name", "REF_AREA_LABEL", "Country_Name"];
const INDICATOR_NAME: [&str; 3] = ["Indicator Name", "Series Name", "INDICATOR_LABEL"];
const TIME: [&str; 4] = ["TIME_PERIOD", "Year", "Time", "date"];
const VALUE: [&str; 2] = ["OBS_VALUE", "Value"];
/// The other dimensions Data360's long CSV may give.
const OTHER_DIMS: [&str; 7] = [
    "SEX",
    "AGE",
    "URBANISATION",
    "UNIT_MEASURE",
    "COMP_BREAKDOWN_1",
    "COMP_BREAKDOWN_2",
    "COMP_BREAKDOWN_3",
];

/// Reads World Bank CSV text.
pub fn parse(text: &str, file: &str) -> Result<Table> {
    // Data360 downloads are SDMX-CSV 2.0 (STRUCTURE,STRUCTURE_ID,ACTION,…)
    let first = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('"');
    if first.starts_with("STRUCTURE,") || first.starts_with("STRUCTURE\",") {
        let mut table = super::sdmx::parse(text, file)?;
        table.kind = "World Bank Data360";
        return Ok(table);
    }
    let records = text::records(text, b',', file)?;
    // the preamble (`"Data Source","World Development Indicators",` and
    // `"Last Updated Date","2024-06-28",`) runs to the header
    let header_at = records.iter().position(|(_, r)| {
        find(r, &COUNTRY).is_some() && (find(r, &INDICATOR).is_some() || find(r, &TIME).is_some())
    });
    let Some(h) = header_at else {
        return Err(Error::in_file(
            file,
            records.first().map_or(1, |r| r.0),
            None,
            "no header with a country column (Country Code, REF_AREA) and an indicator or time column: is this a World Bank CSV?",
        ));
    };
    let preamble = |name: &str| {
        records[..h]
            .iter()
            .find(|(_, r)| {
                r.first()
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case(name))
            })
            .and_then(|(_, r)| r.get(1))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let database = preamble("Data Source").unwrap_or_else(|| "World Bank".to_string());
    let citation = match preamble("Last Updated Date") {
        Some(d) => format!("{database}, last updated {d} ({file})"),
        None => format!("{database} ({file})"),
    };
    let (header_line, header) = &records[h];
    for (i, name) in header.iter().enumerate() {
        let n = name.trim();
        if !n.is_empty() && header[..i].iter().any(|x| x.trim().eq_ignore_ascii_case(n)) {
            return Err(Place::new(file, *header_line, Some(i + 1))
                .error(format!("column '{n}' appears twice")));
        }
    }
    let mut table = Table {
        file: file.to_string(),
        source: Source {
            citation: Some(citation),
            url: None,
        },
        kind: "World Bank",
        ..Table::default()
    };
    let country = find(header, &COUNTRY).expect("found above");
    let country_name = find(header, &COUNTRY_NAME);
    let indicator_name = find(header, &INDICATOR_NAME);
    let years: Vec<(usize, &str)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| year_column(c).map(|y| (i, y)))
        .collect();
    let rows = &records[h + 1..];
    if let (Some(indicator), false) = (find(header, &INDICATOR), years.is_empty()) {
        table.dims = vec![
            header[country].trim().to_string(),
            header[indicator].trim().to_string(),
        ];
        wide(
            &mut table,
            rows,
            [country, indicator],
            country_name,
            indicator_name,
            &years,
        )?;
    } else {
        long(
            &mut table,
            header,
            rows,
            country,
            country_name,
            indicator_name,
        )?;
    }
    Ok(table)
}

fn wide(
    table: &mut Table,
    rows: &[text::Record],
    [country, indicator]: [usize; 2],
    country_name: Option<usize>,
    indicator_name: Option<usize>,
    years: &[(usize, &str)],
) -> Result<()> {
    let file = table.file.clone();
    for (line, r) in rows {
        let cell = |i: usize| r.get(i).map_or("", |c| c.trim());
        let key = vec![cell(country).to_string(), cell(indicator).to_string()];
        if key.iter().any(String::is_empty) {
            // DataBank's footer: "Data from database: …", "Last Updated: …"
            if years.iter().all(|(i, _)| matches!(cell(*i), "" | "..")) {
                continue;
            }
            return Err(Place::new(&file, *line, Some(country + 1))
                .error("a row of values without its country and indicator codes"));
        }
        let name = indicator_name.map(cell).filter(|n| !n.is_empty());
        let place_name = country_name.map(cell).filter(|n| !n.is_empty());
        table.about.entry(key.clone()).or_insert_with(|| About {
            name: Some(match (name, place_name) {
                (Some(n), Some(c)) => format!("{n} ({c})"),
                (Some(n), None) => n.to_string(),
                _ => series::dotted(&key),
            }),
            unit: Some(unit_of(name.unwrap_or_default())),
            entity: place_name.map(str::to_string),
        });
        for (i, year) in years {
            let raw = cell(*i);
            let place = Place::new(&file, *line, Some(i + 1));
            let value = match raw {
                "" | ".." => None,
                _ => Some(number(raw).map_err(|e| place.error(e))?),
            };
            table.points.push(Point {
                key: key.clone(),
                period: series::period(year).map_err(|e| place.error(e))?,
                value,
                flags: Default::default(),
                delete: false,
                note: None,
                place,
            });
        }
    }
    Ok(())
}

fn long(
    table: &mut Table,
    header: &[String],
    rows: &[text::Record],
    country: usize,
    country_name: Option<usize>,
    indicator_name: Option<usize>,
) -> Result<()> {
    let file = table.file.clone();
    let at = |line: usize, col: usize| Place::new(&file, line, Some(col + 1));
    let missing = |what: &str| {
        Error::in_file(
            &file,
            1,
            None,
            format!("a long World Bank CSV needs a {what} column"),
        )
    };
    let indicator =
        find(header, &INDICATOR).ok_or_else(|| missing("indicator (INDICATOR, Indicator Code)"))?;
    let time = find(header, &TIME).ok_or_else(|| missing("time (TIME_PERIOD, Year)"))?;
    let value = find(header, &VALUE).ok_or_else(|| missing("value (OBS_VALUE, Value)"))?;
    let mut dims = vec![country, indicator];
    dims.extend(OTHER_DIMS.iter().filter_map(|d| find(header, &[d])));
    table.dims = dims.iter().map(|i| header[*i].trim().to_string()).collect();
    let unit_mult = find(header, &["UNIT_MULT"]);
    let status = find(header, &["OBS_STATUS"]);
    let conf = find(header, &["OBS_CONF"]);
    for (line, r) in rows {
        let line = *line;
        let cell = |i: usize| r.get(i).map_or("", |c| c.trim());
        let key: Vec<String> = dims.iter().map(|i| cell(*i).to_string()).collect();
        if key[..2].iter().any(String::is_empty) {
            return Err(at(line, country).error("a row without its country and indicator codes"));
        }
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
        let v = match raw {
            "" | ".." => None,
            _ if raw.eq_ignore_ascii_case("nan") => None,
            _ => Some(
                text::number(raw, shift)
                    .ok_or_else(|| at(line, value).error(format!("'{raw}' is not a number")))?,
            ),
        };
        let name = indicator_name.map(cell).filter(|n| !n.is_empty());
        let place_name = country_name.map(cell).filter(|n| !n.is_empty());
        table.about.entry(key.clone()).or_insert_with(|| About {
            name: Some(match (name, place_name) {
                (Some(n), Some(c)) => format!("{n} ({c})"),
                (Some(n), None) => n.to_string(),
                _ => series::dotted(&key),
            }),
            unit: Some(unit_of(name.unwrap_or_default())),
            entity: Some(place_name.unwrap_or(&key[0]).to_string()),
        });
        let mut fl = flags::Published::default();
        if let Some(s) = status {
            fl.extend(flags::obs_status(cell(s)));
        }
        if let Some(c) = conf {
            fl.extend(flags::obs_conf(cell(c)));
        }
        table.points.push(Point {
            key,
            period: series::period(cell(time)).map_err(|e| at(line, time).error(e))?,
            value: v,
            flags: fl,
            delete: false,
            note: None,
            place: at(line, value),
        });
    }
    Ok(())
}

/// A value of the wide file: a plain number.
fn number(raw: &str) -> Result<f64, String> {
    text::number(raw, 0).ok_or_else(|| text::not_a_number(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: &str = "\u{feff}\"Data Source\",\"World Development Indicators\",\n\n\"Last Updated Date\",\"2024-06-28\",\n\n\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2021\",\"2022\",\n\"Belarus\",\"BLR\",\"Access to electricity (% of population)\",\"EG.ELC.ACCS.ZS\",\"100\",\"\",\n";

    #[test]
    fn wide_with_preamble() {
        let t = parse(WIDE.trim_start_matches('\u{feff}'), "w.csv").unwrap();
        assert_eq!(t.dims, ["Country Code", "Indicator Code"]);
        assert_eq!(t.points.len(), 2);
        assert_eq!(t.points[0].value, Some(100.0));
        assert_eq!(t.points[0].place.line, 6);
        assert_eq!(t.points[1].value, None);
        let about = &t.about[&t.points[0].key];
        assert_eq!(about.unit.as_deref(), Some("%"));
        assert_eq!(
            t.source.citation.as_deref(),
            Some("World Development Indicators, last updated 2024-06-28 (w.csv)")
        );
    }

    #[test]
    fn databank_layout() {
        let t = parse(
            "Country Name,Country Code,Series Name,Series Code,2015 [YR2015],2016 [YR2016]\n\
             Belarus,BLR,\"GDP (current US$)\",NY.GDP.MKTP.CD,1,..\n\n\
             Data from database: World Development Indicators\n\
             Last Updated: 07/01/2024\n",
            "d.csv",
        )
        .unwrap();
        assert_eq!(t.points.len(), 2);
        assert_eq!(t.points[1].value, None);
        assert_eq!(t.about[&t.points[0].key].unit.as_deref(), Some("USD"));
    }

    #[test]
    fn long_form() {
        let t = parse(
            "REF_AREA,INDICATOR,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MULT,OBS_STATUS\nBLR,WB_WDI_X,_T,2021,2,3,E\n",
            "l.csv",
        )
        .unwrap();
        assert_eq!(t.dims, ["REF_AREA", "INDICATOR", "SEX"]);
        assert_eq!(t.points[0].value, Some(2000.0));
        assert_eq!(t.points[0].flags.flags.to_string(), "estimated");
    }
}
