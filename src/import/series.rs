//! What the series formats (SDMX-CSV, WDI, Eurostat TSV) share: a table
//! of observations keyed by their series (every distinct combination of
//! the non-time dimensions), `--map KEY=INDICATOR` and `--create`, and the
//! SDMX time formats.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::flags::Published;
use super::{Batch, Deletion, NewIndicator, Options, Place, Row, check_published};
use crate::dataset::check_dims;
use crate::error::{Error, Result};
use crate::model::{Indicator, Measure, Observation, Source};
use crate::parse;
use crate::period::Period;
use crate::store::now;

/// One observation as a series file gives it.
#[derive(Debug, Clone)]
pub struct Point {
    /// The codes of the series' dimensions, in [`Table::dims`] order.
    pub key: Vec<String>,
    pub period: Period,
    /// `None`: the file gives no value (`:`, `..`, empty).
    pub value: Option<f64>,
    pub flags: Published,
    /// SDMX `ACTION=D`: delete what is stored.
    pub delete: bool,
    /// Said about this one value, beside the flags.
    pub note: Option<String>,
    pub place: Place,
}

/// What a file says about one series, for an indicator `--create` makes.
#[derive(Debug, Clone, Default)]
pub struct About {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub entity: Option<String>,
}

/// A series file, read.
#[derive(Debug, Default)]
pub struct Table {
    pub file: String,
    /// The dimension names, as the file writes them.
    pub dims: Vec<String>,
    pub points: Vec<Point>,
    /// Per series key, what the file says of it.
    pub about: HashMap<Vec<String>, About>,
    /// The source every observation cites.
    pub source: Source,
    /// What the description of a created indicator calls the format.
    pub kind: &'static str,
    pub warnings: Vec<String>,
}

/// `--map KEY=INDICATOR`: a series key (a dotted key `A.BY.SI_POV_DAY1`,
/// empty parts matching anything, or dimension pairs
/// `SERIES=SI_POV_DAY1,REF_AREA=BY`) and the indicator it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map {
    pub key: MapKey,
    pub indicator: String,
    /// As written on the command line, for errors.
    pub written: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapKey {
    Dotted(String),
    Pairs(Vec<(String, String)>),
}

impl std::str::FromStr for Map {
    type Err = String;

    /// `KEY=INDICATOR`, split at the last `=`.
    fn from_str(s: &str) -> Result<Map, String> {
        let (key, indicator) = s.rsplit_once('=').ok_or_else(|| {
            format!("'{s}': write KEY=INDICATOR, e.g. A.BY.SI_POV_DAY1=by-poverty or SERIES=SI_POV_DAY1,REF_AREA=BY=by-poverty")
        })?;
        let (key, indicator) = (key.trim(), indicator.trim());
        if key.is_empty() || indicator.is_empty() {
            return Err(format!(
                "'{s}': both the key and the indicator are needed (KEY=INDICATOR)"
            ));
        }
        let key = if key.contains('=') {
            let mut pairs = Vec::new();
            for pair in key.split(',') {
                let (dim, code) = pair.split_once('=').ok_or_else(|| {
                    format!(
                        "'{pair}' in '{s}': write each dimension as DIM=CODE, separated by commas"
                    )
                })?;
                pairs.push((dim.trim().to_string(), code.trim().to_string()));
            }
            MapKey::Pairs(pairs)
        } else {
            MapKey::Dotted(key.to_string())
        };
        Ok(Map {
            key,
            indicator: indicator.to_string(),
            written: s.to_string(),
        })
    }
}

impl Map {
    /// Whether this map names the series `key` of a table with `dims`.
    fn matches(&self, dims: &[String], key: &[String]) -> bool {
        match &self.key {
            MapKey::Dotted(d) => {
                if d.eq_ignore_ascii_case(&key.join(".")) {
                    return true;
                }
                let parts: Vec<&str> = d.split('.').collect();
                parts.len() == key.len()
                    && parts
                        .iter()
                        .zip(key)
                        .all(|(p, k)| p.is_empty() || p.eq_ignore_ascii_case(k))
            }
            MapKey::Pairs(pairs) => pairs.iter().all(|(dim, code)| {
                dims.iter()
                    .position(|d| d.eq_ignore_ascii_case(dim))
                    .is_some_and(|i| key[i].eq_ignore_ascii_case(code))
            }),
        }
    }
}

/// A dotted key, as SDMX writes it.
pub fn dotted(key: &[String]) -> String {
    key.join(".")
}

/// An indicator id made from a series key: lowercase letters, digits, `.`,
/// `_` and `-`.
pub fn slug(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if s.is_empty() {
        "series".to_string()
    } else {
        s.to_string()
    }
}

/// Turns a table into a batch: series → indicators through `--map` and
/// `--create`, values → observations with their flags,
/// forecasts counted and left out, deletions kept for the store.
pub fn batch(table: Table, options: &Options, known: &[Indicator]) -> Result<Batch> {
    let mut out = Batch {
        warnings: table.warnings.clone(),
        ..Batch::default()
    };
    // the series, in the order the file first gives them
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut first_place: HashMap<Vec<String>, Place> = HashMap::new();
    for p in &table.points {
        if !first_place.contains_key(&p.key) {
            first_place.insert(p.key.clone(), p.place.clone());
            keys.push(p.key.clone());
        }
    }
    if options.maps.is_empty() && !options.create {
        return Err(Error::usage(format!(
            "{}: {} series ({}…): say which indicator each goes to with --map KEY=INDICATOR, or create them with --create",
            table.file,
            keys.len(),
            keys.first().map(|k| dotted(k)).unwrap_or_default()
        )));
    }
    for m in &options.maps {
        if let MapKey::Pairs(pairs) = &m.key
            && let Some((dim, _)) = pairs
                .iter()
                .find(|(d, _)| !table.dims.iter().any(|x| x.eq_ignore_ascii_case(d)))
        {
            return Err(Error::invalid(format!(
                "--map {}: {} has no dimension '{dim}' (its dimensions: {})",
                m.written,
                table.file,
                table.dims.join(", ")
            )));
        }
        let hits: Vec<&Vec<String>> = keys.iter().filter(|k| m.matches(&table.dims, k)).collect();
        if hits.is_empty() {
            return Err(Error::invalid(format!(
                "--map {}: no series of {} has that key (its series: {})",
                m.written,
                table.file,
                super::examples(&keys.iter().map(|k| dotted(k)).collect::<Vec<_>>())
            )));
        }
        if hits.len() > 1 {
            return Err(Error::invalid(format!(
                "--map {}: {} series of {} have that key ({}): name one series, so that series are not mixed in one indicator",
                m.written,
                hits.len(),
                table.file,
                super::examples(&hits.iter().map(|k| dotted(k)).collect::<Vec<_>>())
            )));
        }
        if !known.iter().any(|i| i.id == m.indicator) {
            return Err(Error::NotFound {
                kind: "indicator",
                id: m.indicator.clone(),
                suggestion: crate::error::nearest(
                    &m.indicator,
                    known.iter().map(|i| i.id.as_str()),
                ),
            });
        }
    }
    // series key → indicator id
    let mut target: HashMap<Vec<String>, String> = HashMap::new();
    for key in &keys {
        let maps: Vec<&Map> = options
            .maps
            .iter()
            .filter(|m| m.matches(&table.dims, key))
            .collect();
        if maps.len() > 1 {
            return Err(Error::invalid(format!(
                "series {} of {} is mapped twice (--map {} and --map {})",
                dotted(key),
                table.file,
                maps[0].written,
                maps[1].written
            )));
        }
        if let Some(m) = maps.first() {
            target.insert(key.clone(), m.indicator.clone());
        } else if options.create {
            let id = slug(&dotted(key));
            if target.values().any(|v| *v == id) {
                return Err(first_place[key].error(format!(
                    "series {} would be created as indicator '{id}', like another series of the file: map one of them with --map",
                    dotted(key)
                )));
            }
            if !known.iter().any(|i| i.id == id) {
                out.indicators.push(NewIndicator {
                    indicator: created(&table, key, &id),
                    place: first_place[key].clone(),
                });
            }
            target.insert(key.clone(), id);
        } else {
            out.unmapped.push(dotted(key));
        }
    }
    let mut seen: HashMap<(String, (NaiveDate, NaiveDate)), usize> = HashMap::new();
    for p in table.points {
        let Some(id) = target.get(&p.key) else {
            continue;
        };
        if p.delete {
            out.deletions.push(Deletion {
                indicator: id.clone(),
                period: p.period,
                value: p.value,
                place: p.place,
            });
            continue;
        }
        if p.flags.is_forecast() {
            out.forecasts += 1;
            continue;
        }
        let Some(value) = p.value else {
            out.missing += 1;
            continue;
        };
        if let Some(line) = seen.insert((id.clone(), p.period.bounds()), p.place.line) {
            return Err(p.place.error(format!(
                "series {} has a second value for {} (the first is on line {line})",
                dotted(&p.key),
                p.period
            )));
        }
        check_published(&p.place, &p.period, options.published)?;
        let note = [p.flags.note(), p.note]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ");
        out.rows.push(Row {
            observation: Observation {
                id: 0,
                indicator: id.clone(),
                period: p.period,
                value,
                qualifier: None,
                source: table.source.clone(),
                published: options.published,
                note: (!note.is_empty()).then_some(note),
                flags: p.flags.flags,
                recorded: now(),
                retracted: None,
            },
            place: p.place,
        });
    }
    Ok(out)
}

/// The indicator `--create` makes for a series.
fn created(table: &Table, key: &[String], id: &str) -> Indicator {
    let about = table.about.get(key).cloned().unwrap_or_default();
    let pairs: Vec<String> = table
        .dims
        .iter()
        .zip(key)
        .map(|(d, k)| format!("{d} = {k}"))
        .collect();
    Indicator {
        id: id.to_string(),
        name: about.name.unwrap_or_else(|| dotted(key)),
        entity: about.entity,
        unit: about.unit.unwrap_or_else(|| "value".to_string()),
        measure: Measure::Stock,
        higher_is_better: true,
        limit: None,
        year_start: 1,
        dims: dims_of(&table.dims, key),
        parent: None,
        description: Some(format!(
            "{} series {} of {}; {}{}",
            table.kind,
            dotted(key),
            table.file,
            super::SELECTION,
            pairs.join("; ")
        )),
    }
}

/// The dimensions of a series key, as the file names them: those a
/// dimension can hold (a name and a code, once each in any case).
pub fn dims_of(names: &[String], key: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, code) in names.iter().zip(key) {
        let one = BTreeMap::from([(name.clone(), code.clone())]);
        if let Some((name, code)) = check_dims(&one).ok().and_then(|mut d| d.pop_first())
            && !out.keys().any(|k: &String| k.eq_ignore_ascii_case(&name))
        {
            out.insert(name, code);
        }
    }
    out
}

/// A period in SDMX's time formats: `2021`, `2021-A1`, `2021-S1`,
/// `2021-Q3`, `2021-M07`, `2021-07`, `2021-07-15`, and Eurostat's older
/// compact `2021Q3`, `2021M07`, `2021S1`.
pub fn period(text: &str) -> Result<Period, String> {
    let s = text.trim();
    let bad = || {
        format!(
            "'{s}' is not a period in an SDMX time format (2021, 2021-Q3, 2021-S1, 2021-M07, 2021-07, 2021-07-15)"
        )
    };
    if s.len() < 4 || !s.is_char_boundary(4) || !s[..4].bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let (year, rest) = s.split_at(4);
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let ours = match rest.as_bytes() {
        [] => year.to_string(),
        [b'A' | b'a', b'1'] => year.to_string(),
        [b'S' | b's', n @ (b'1' | b'2')] => format!("{year}-H{}", *n as char),
        [b'Q' | b'q', n @ b'1'..=b'4'] => format!("{year}-Q{}", *n as char),
        [b'M' | b'm', a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            format!("{year}-{}{}", *a as char, *b as char)
        }
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => format!("{year}-{rest}"),
        [a, b, b'-', c, d] if [a, b, c, d].iter().all(|x| x.is_ascii_digit()) => {
            format!("{year}-{rest}")
        }
        [b'W' | b'w', ..] | [b'D' | b'd', ..] => {
            return Err(format!(
                "'{s}': weekly and day-of-year periods are not supported (use years, halves, quarters, months or days)"
            ));
        }
        _ => return Err(bad()),
    };
    parse::period(&ours).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdmx_time_formats() {
        let p = |s: &str| period(s).map(|p| p.to_string());
        assert_eq!(p("2021").unwrap(), "2021");
        assert_eq!(p("2021-A1").unwrap(), "2021");
        assert_eq!(p("2021-S1").unwrap(), "2021-H1");
        assert_eq!(p("2021-Q3").unwrap(), "2021-Q3");
        assert_eq!(p("2021Q3").unwrap(), "2021-Q3");
        assert_eq!(p("2021-M07").unwrap(), "2021-07");
        assert_eq!(p("2021M07").unwrap(), "2021-07");
        assert_eq!(p("2021-07").unwrap(), "2021-07");
        assert_eq!(p("2021-07-15").unwrap(), "2021-07-15");
        assert!(p("2021-W05").unwrap_err().contains("weekly"));
        assert!(p("2021-Q5").is_err());
        assert!(p("2021-13").is_err());
        assert!(p("21").is_err());
        assert!(p("éééé").is_err());
    }

    #[test]
    fn map_keys() {
        let dims: Vec<String> = ["FREQ", "REF_AREA", "SERIES"].map(String::from).to_vec();
        let key: Vec<String> = ["A", "BY", "SI_POV_DAY1"].map(String::from).to_vec();
        let m = |s: &str| s.parse::<Map>().unwrap();
        assert!(m("A.BY.SI_POV_DAY1=x").matches(&dims, &key));
        assert!(m("A..SI_POV_DAY1=x").matches(&dims, &key));
        assert!(!m("A.UA.SI_POV_DAY1=x").matches(&dims, &key));
        assert!(m("SERIES=SI_POV_DAY1,REF_AREA=BY=x").matches(&dims, &key));
        assert!(!m("SERIES=SI_POV_DAY1,REF_AREA=UA=x").matches(&dims, &key));
        assert_eq!(
            m("SERIES=SI_POV_DAY1,REF_AREA=BY=by-pov").indicator,
            "by-pov"
        );
        assert!("nothing".parse::<Map>().is_err());
        assert!("=x".parse::<Map>().is_err());
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("A.BY.SI_POV_DAY1"), "a.by.si_pov_day1");
        assert_eq!(slug("A.PC_GDP.EU27_2020"), "a.pc_gdp.eu27_2020");
        assert_eq!(slug("  ÉÉ  "), "series");
    }
}
