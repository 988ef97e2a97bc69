//! Open SDG data repositories (`import --format opensdg DIR`): the data in
//! `DIR/data/indicator_<id>.csv`, the configuration in
//! `DIR/indicator-config/<id>.yml` and the metadata in `DIR/meta/<id>.yml`
//! or the YAML front matter of `DIR/meta/<id>.md`.
//!
//! For every indicator whose `auto_progress_calculation` is true, each
//! entry of `progress_calculation_options` (entries under `group:`
//! flattened, depth first, in document order) becomes a target: `<id>`
//! for the first, `<id>.N` for the N-th. The rows each entry's series is
//! made of are exactly those sdg-build 2.4's progress measure uses
//! (`SeriesProgress.filter_data` in `sdg/ProgressMeasure.py`): see
//! docs/import.md. Each distinct selection is one indicator, whose
//! observations are the values the measure uses (the `Progress` column
//! where there is one). Translations (`DIR/translations/<lang>/*.yml`)
//! are applied to cells, column names and option values first, as
//! sdg-build's translated build does.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_yaml_ng::{Mapping, Value};

use super::{Batch, Importer, NewIndicator, NewTarget, Options, Place, Row, check_published, text};
use crate::error::{Error, Result};
use crate::model::{
    Direction, Goal, Indicator, Kind, Measure, Observation, PathShape, Source, Target,
    TargetVersion,
};
use crate::parse;
use crate::period::Period;
use crate::store::now;

pub struct OpenSdg;

/// sdg-build's defaults: the base year, the target year.
const BASE_YEAR: i64 = 2015;
const TARGET_YEAR: i64 = 2030;

/// The columns that are not disaggregations when the repository's
/// `config_data.yml` does not say (`open_sdg_indicator_options_defaults`
/// in sdg-build's `sdg/open_sdg.py`), beside `Year` and `Value`, which
/// `IndicatorOptions` always counts.
const NON_DISAGGREGATION: [&str; 12] = [
    "Year",
    "Units",
    "Series",
    "Value",
    "GeoCode",
    "Observation status",
    "Unit multiplier",
    "Unit measure",
    "UNIT_MEASURE",
    "SERIES",
    "COMMENT_TS",
    "DATA_LAST_UPDATE",
];

/// The cells pandas reads as missing (`read_csv`'s default `na_values`).
const NA: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Which columns are what (sdg-build's `IndicatorOptions`).
struct Columns {
    non_disaggregation: Vec<String>,
    observation_attributes: Vec<String>,
    series: String,
    unit: String,
    progress: String,
}

impl Columns {
    fn non_disaggregation(&self, c: &str) -> bool {
        self.non_disaggregation.iter().any(|n| n == c)
    }
}

/// Translation keys (`group.key`, the group being the file's name) and
/// their text in one language.
#[derive(Default)]
struct Translations {
    keys: HashMap<String, String>,
}

impl Translations {
    /// sdg-build's `TranslationHelper.translate`: the text itself if it is
    /// a key, else the first `group.text` that is, else the text.
    fn translate(&self, text: &str, groups: &[&str]) -> String {
        if let Some(t) = self.keys.get(text) {
            return t.clone();
        }
        for g in groups {
            if let Some(t) = self.keys.get(&format!("{g}.{text}")) {
                return t.clone();
            }
        }
        text.to_string()
    }

    /// Every string in a metadata value, translated (group `data`).
    fn translate_meta(&self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.translate(s, &["data"]),
            Value::Sequence(seq) => seq.iter_mut().for_each(|x| self.translate_meta(x)),
            Value::Mapping(m) => m.iter_mut().for_each(|(_, x)| self.translate_meta(x)),
            Value::Tagged(t) => self.translate_meta(&mut t.value),
            _ => {}
        }
    }
}

/// A path inside the repository, as errors name it.
fn shown(dir: &Path, rel: &str) -> String {
    dir.join(rel).display().to_string()
}

/// Parses YAML text; errors at their line and column (`first_line`: the
/// file line the text starts on).
fn yaml(text: &str, file: &str, first_line: usize) -> Result<Value> {
    if text.trim().is_empty() {
        return Ok(Value::Mapping(Mapping::new()));
    }
    serde_yaml_ng::from_str::<Loose>(text)
        .map(|l| l.0)
        .map_err(|e| {
            let (line, column) = e.location().map_or((first_line, None), |l| {
                (l.line() + first_line - 1, Some(l.column()))
            });
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            Error::in_file(file, line, column, format!("not valid YAML: {message}"))
        })
}

/// A YAML value read as PyYAML reads it: a key given twice keeps its last
/// value (translation files of real repositories repeat keys).
struct Loose(Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Loose, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("YAML")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Number(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Number(v.into())))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::String(v)))
    }
    fn visit_unit<E>(self) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Null))
    }
    fn visit_none<E>(self) -> std::result::Result<Loose, E> {
        Ok(Loose(Value::Null))
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Loose, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Loose, A::Error> {
        let mut out = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Loose(Value::Sequence(out)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Loose, A::Error> {
        let mut out = Mapping::new();
        while let Some((Loose(k), Loose(v))) = map.next_entry()? {
            out.insert(k, v);
        }
        Ok(Loose(Value::Mapping(out)))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(
        self,
        data: A,
    ) -> std::result::Result<Loose, A::Error> {
        // a tagged value (`!Tag value`): the value, the tag dropped
        use serde::de::VariantAccess;
        let (_, variant): (Loose, _) = data.variant()?;
        variant.newtype_variant::<Loose>()
    }
}

/// A YAML file of the repository as a mapping, with its text; `None`
/// when it does not exist. A `.md` file's metadata is its front matter.
fn yaml_file(dir: &Path, rel: &str) -> Result<Option<(Mapping, String)>> {
    let path = dir.join(rel);
    if !path.is_file() {
        return Ok(None);
    }
    let file = shown(dir, rel);
    let bytes = text::read(&path)?;
    let all = text::utf8(&bytes, &file)?;
    let (body, first_line) = if rel.ends_with(".md") {
        front_matter(all)
    } else {
        (all, 1)
    };
    match yaml(body, &file, first_line)? {
        Value::Mapping(m) => Ok(Some((m, all.to_string()))),
        Value::Null => Ok(Some((Mapping::new(), all.to_string()))),
        _ => Err(Error::in_file(
            &file,
            first_line,
            None,
            "expected a mapping of fields (key: value)",
        )),
    }
}

/// The YAML front matter of a Markdown file (between `---` lines) and the
/// line it starts on; none: empty.
fn front_matter(text: &str) -> (&str, usize) {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {
            let start = first.len();
            let mut end = start;
            for l in lines {
                if matches!(l.trim_end(), "---" | "...") {
                    return (&text[start..end], 2);
                }
                end += l.len();
            }
            (&text[start..], 2)
        }
        _ => ("", 1),
    }
}

/// sdg-build's `deepUpdate`: `new` over `base`, mappings merged.
fn deep_update(base: &mut Mapping, new: Mapping) {
    for (k, v) in new {
        match (base.get_mut(&k), v) {
            (Some(Value::Mapping(b)), Value::Mapping(n)) => deep_update(b, n),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn get<'a>(m: &'a Mapping, key: &str) -> Option<&'a Value> {
    m.get(Value::String(key.to_string()))
}

/// A scalar as text (numbers and booleans as YAML writes them).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// A number, written as one or as text.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => text::number(s, 0),
        Value::Tagged(t) => number(&t.value),
        _ => None,
    }
    .filter(|x| x.is_finite())
}

/// `true` as sdg-build reads it: YAML's true, or the text `true` (its
/// `fix_booleans`), or YAML 1.1's `yes`/`on`, which PyYAML reads as true.
fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => ["true", "yes", "on"].contains(&s.to_ascii_lowercase().as_str()),
        _ => false,
    }
}

/// The 1-based line of the first line of `text` that starts with `key:`.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start_matches('\u{feff}')
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// The repository's `config_data.yml`: its indicator options and languages.
fn config(dir: &Path) -> Result<(Columns, Vec<String>)> {
    let mut columns = Columns {
        non_disaggregation: NON_DISAGGREGATION.iter().map(|s| s.to_string()).collect(),
        observation_attributes: Vec::new(),
        series: "Series".into(),
        unit: "Units".into(),
        progress: "Progress".into(),
    };
    let mut languages = Vec::new();
    let Some((cfg, _)) = yaml_file(dir, "config_data.yml")? else {
        return Ok((columns, languages));
    };
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
            _ => Vec::new(),
        }
    };
    if let Some(Value::Mapping(opts)) = get(&cfg, "indicator_options") {
        // the site's options replace sdg-build's defaults whole
        columns.non_disaggregation = vec!["Year".into(), "Value".into()];
        for c in list(get(opts, "non_disaggregation_columns")) {
            if !columns.non_disaggregation.contains(&c) {
                columns.non_disaggregation.push(c);
            }
        }
        columns.observation_attributes = list(get(opts, "observation_attributes"));
        if let Some(s) = get(opts, "series_column").and_then(scalar) {
            columns.series = s;
        }
        if let Some(s) = get(opts, "unit_column").and_then(scalar) {
            columns.unit = s;
        }
        if let Some(s) = get(opts, "progress_column").and_then(scalar) {
            columns.progress = s;
        }
    }
    languages = list(get(&cfg, "languages"));
    Ok((columns, languages))
}

/// The translations of `lang` in `DIR/translations/<lang>/*.yml`.
fn translations(dir: &Path, lang: &str) -> Result<Translations> {
    let folder = dir.join("translations").join(lang);
    let mut out = Translations::default();
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map_err(|source| Error::Io {
            path: folder.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .collect();
    files.sort();
    for path in files {
        let group = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = path.display().to_string();
        let bytes = text::read(&path)?;
        if let Value::Mapping(m) = yaml(text::utf8(&bytes, &file)?, &file, 1)? {
            for (k, v) in m {
                if let (Some(k), Some(v)) = (scalar(&k), scalar(&v)) {
                    out.keys.insert(format!("{group}.{k}"), v);
                }
            }
        }
    }
    Ok(out)
}

/// The indicator ids of a repository: from its data, configuration and
/// metadata files, in SDG order (1-2-1 before 1-10-1).
fn indicator_ids(dir: &Path) -> Result<Vec<String>> {
    let mut ids = BTreeSet::new();
    for (folder, prefix, exts) in [
        ("data", "indicator_", &["csv"][..]),
        ("indicator-config", "", &["yml"][..]),
        ("meta", "", &["yml", "md"][..]),
    ] {
        let path = dir.join(folder);
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_file() || !p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)) {
                continue;
            }
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            if let Some(id) = stem.as_deref().and_then(|s| s.strip_prefix(prefix))
                && id.contains('-')
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                ids.insert(id.to_string());
            }
        }
    }
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort_by_key(|id| {
        id.split('-')
            .map(|p| match p.parse::<u32>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, p.to_string()),
            })
            .collect::<Vec<_>>()
    });
    Ok(ids)
}

/// An indicator's metadata: configuration, then metadata over it (the
/// order of Open SDG's inputs), the language's own file over both, all
/// translated; with the file that set `progress_calculation_options`.
struct Meta {
    fields: Mapping,
    /// The file, its text, where the options are.
    options_from: Option<(String, String)>,
}

fn meta(dir: &Path, id: &str, lang: Option<&str>, tr: &Translations) -> Result<Meta> {
    let mut fields = Mapping::new();
    let mut options_from = None;
    let mut sources = vec![
        format!("indicator-config/{id}.yml"),
        format!("meta/{id}.yml"),
        format!("meta/{id}.md"),
    ];
    if let Some(l) = lang {
        sources.push(format!("meta/{l}/{id}.yml"));
        sources.push(format!("meta/{l}/{id}.md"));
    }
    for rel in sources {
        if let Some((m, text)) = yaml_file(dir, &rel)? {
            if get(&m, "progress_calculation_options").is_some() {
                options_from = Some((shown(dir, &rel), text));
            }
            deep_update(&mut fields, m);
        }
    }
    // a field named after the language overrides (sdg-build's "subfolder" metadata)
    if let Some(l) = lang
        && let Some(Value::Mapping(over)) = fields.remove(Value::String(l.to_string()))
    {
        deep_update(&mut fields, over);
    }
    for (_, v) in fields.iter_mut() {
        tr.translate_meta(v);
    }
    Ok(Meta {
        fields,
        options_from,
    })
}

/// The data of one indicator as sdg-build's inputs read it: cells
/// translated, missing cells (pandas' NA) as `None`.
struct Frame {
    file: String,
    columns: Vec<String>,
    rows: Vec<(usize, Vec<Option<String>>)>,
    year: usize,
    value: usize,
}

fn frame(dir: &Path, id: &str, columns: &Columns, tr: &Translations) -> Result<Option<Frame>> {
    let rel = format!("data/indicator_{id}.csv");
    let path = dir.join(&rel);
    if !path.is_file() {
        return Ok(None);
    }
    let file = shown(dir, &rel);
    let bytes = text::read(&path)?;
    let records = text::records(text::utf8(&bytes, &file)?, b',', &file)?;
    let Some((header_line, header)) = records.first() else {
        return Ok(None);
    };
    let original: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let find = |name: &str| original.iter().position(|c| c == name);
    let year = find("Year").ok_or_else(|| {
        Error::in_file(
            &file,
            *header_line,
            None,
            "no Year column (Open SDG data has Year and Value)",
        )
    })?;
    let value = find("Value").ok_or_else(|| {
        Error::in_file(
            &file,
            *header_line,
            None,
            "no Value column (Open SDG data has Year and Value)",
        )
    })?;
    // column names are translated, except the non-disaggregation ones
    let names: Vec<String> = original
        .iter()
        .map(|c| {
            if columns.non_disaggregation(c) || c == "COMPOSITE_BREAKDOWN" {
                c.clone()
            } else {
                tr.translate(c, &[c, "data"])
            }
        })
        .collect();
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            return Err(Error::in_file(
                &file,
                *header_line,
                Some(i + 1),
                "a column without a name",
            ));
        }
        if names[..i].contains(n) {
            return Err(Error::in_file(
                &file,
                *header_line,
                Some(i + 1),
                format!("column '{n}' appears twice"),
            ));
        }
    }
    let mut rows = Vec::new();
    for (line, r) in &records[1..] {
        if r.len() > names.len() {
            return Err(Error::in_file(
                &file,
                *line,
                Some(names.len() + 1),
                format!("{} fields where the header has {}", r.len(), names.len()),
            ));
        }
        let cells = (0..names.len())
            .map(|i| {
                let cell = r.get(i).map_or("", String::as_str);
                if NA.contains(&cell) {
                    None
                } else if i == year || i == value {
                    Some(cell.to_string())
                } else {
                    Some(tr.translate(cell, &[&original[i], "data"]))
                }
            })
            .collect();
        rows.push((*line, cells));
    }
    Ok(Some(Frame {
        file,
        columns: names,
        rows,
        year,
        value,
    }))
}

/// One entry of `progress_calculation_options`, with sdg-build's defaults.
#[derive(Debug, Clone)]
struct Entry {
    series: Option<String>,
    unit: Option<String>,
    /// Each `field`/`value`; a value left empty (YAML null) selects the
    /// rows where that column is empty.
    disaggregation: Vec<(String, Option<String>)>,
    base_year: i64,
    target: Option<f64>,
    target_year: i64,
    /// +1 when `direction: positive`, else −1 (sdg-build's default).
    direction: f64,
    limit: Option<f64>,
}

/// The entries of `progress_calculation_options`, `group:` entries
/// flattened depth first in document order; `[{}]` when there are none.
fn entries(m: &Mapping, place: &Place, warnings: &mut Vec<String>) -> Result<Vec<Entry>> {
    fn flatten<'a>(list: &'a [Value], out: &mut Vec<&'a Mapping>, place: &Place) -> Result<()> {
        for v in list {
            match v {
                Value::Mapping(e) => match get(e, "group") {
                    Some(Value::Sequence(g)) => flatten(g, out, place)?,
                    Some(_) => {
                        return Err(place
                            .error("a group: in progress_calculation_options must list entries"));
                    }
                    None => out.push(e),
                },
                _ => {
                    return Err(place.error(
                        "each entry of progress_calculation_options is a mapping (series:, target:, direction: …)",
                    ));
                }
            }
        }
        Ok(())
    }
    let empty = Mapping::new();
    let mut list = Vec::new();
    match get(m, "progress_calculation_options") {
        Some(Value::Sequence(s)) if !s.is_empty() => flatten(s, &mut list, place)?,
        Some(Value::Sequence(_)) | Some(Value::Null) | None => list.push(&empty),
        Some(_) => {
            return Err(place.error("progress_calculation_options must be a list of entries"));
        }
    }
    let mut out = Vec::new();
    for (n, e) in list.into_iter().enumerate() {
        let what = |field: &str| format!("progress_calculation_options entry {}: {field}", n + 1);
        let text = |key: &str| get(e, key).filter(|v| !v.is_null()).and_then(scalar);
        let num = |key: &str| -> Result<Option<f64>> {
            match get(e, key).filter(|v| !v.is_null()) {
                None => Ok(None),
                Some(v) => number(v)
                    .map(Some)
                    .ok_or_else(|| place.error(format!("{} is not a number", what(key)))),
            }
        };
        let year = |key: &str, default: i64| -> Result<i64> {
            match num(key)? {
                None => Ok(default),
                Some(y) if y.fract() == 0.0 && (1000.0..=9999.0).contains(&y) => Ok(y as i64),
                Some(y) => Err(place.error(format!("{} is {y}, not a year", what(key)))),
            }
        };
        let mut disaggregation = Vec::new();
        match get(e, "disaggregation") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(ds)) => {
                for d in ds {
                    let pair = d.as_mapping().and_then(|d| {
                        let value = match get(d, "value")? {
                            Value::Null => None,
                            v => Some(scalar(v)?),
                        };
                        Some((get(d, "field").and_then(scalar)?, value))
                    });
                    disaggregation.push(pair.ok_or_else(|| {
                        place.error(format!(
                            "{} lists a field: and a value: for each disaggregation",
                            what("disaggregation")
                        ))
                    })?);
                }
            }
            Some(_) => {
                return Err(place.error(format!("{} must be a list", what("disaggregation"))));
            }
        }
        let direction = match text("direction").as_deref() {
            Some("positive") => 1.0,
            Some("negative") | None => -1.0,
            Some(other) => {
                warnings.push(format!(
                    "{}: {} is '{other}': sdg-build reads anything but 'positive' as negative (lower is better)",
                    place.file,
                    what("direction")
                ));
                -1.0
            }
        };
        if e.keys().any(|k| k.as_str() == Some("progress_thresholds")) {
            warnings.push(format!(
                "{}: {}: goalpost applies Open SDG's own thresholds, not these",
                place.file,
                what("progress_thresholds")
            ));
        }
        out.push(Entry {
            series: text("series"),
            unit: text("unit"),
            disaggregation,
            base_year: year("base_year", BASE_YEAR)?,
            target: num("target")?,
            target_year: year("target_year", TARGET_YEAR)?,
            direction,
            limit: num("limit")?,
        });
    }
    Ok(out)
}

/// The rows an entry's series is made of.
struct Selected {
    /// line, year, the Year as written, the value used, the value as
    /// published when the Progress column replaced it, other fields.
    points: Vec<Point>,
    /// The distinct units of the rows, where there is a unit column.
    units: BTreeSet<String>,
}

struct Point {
    line: usize,
    year: i64,
    year_text: String,
    value: f64,
    published_value: Option<String>,
    extra: Vec<String>,
}

/// The rows of `entry`'s series, exactly as sdg-build 2.4's
/// `SeriesProgress.filter_data` selects them. Where sdg-build raises (no
/// headline, several series left, a year twice) the published site shows
/// the series as not available, and so does goalpost: no rows, and a
/// warning that says why. A Year or a value that cannot be read is an
/// error.
fn select(
    f: &Frame,
    columns: &Columns,
    entry: &Entry,
    tag: &str,
    warnings: &mut Vec<String>,
) -> Result<Selected> {
    let place = |line: usize, col: usize| Place::new(&f.file, line, Some(col + 1));
    // Year: the first 4 characters, when any Year is longer than 4
    let long_years = f
        .rows
        .iter()
        .any(|(_, r)| r[f.year].as_ref().is_some_and(|y| y.chars().count() > 4));
    let mut years = Vec::with_capacity(f.rows.len());
    for (line, r) in &f.rows {
        let Some(y) = &r[f.year] else {
            return Err(place(*line, f.year).error("no Year (every row of Open SDG data has one)"));
        };
        let four: String = if long_years {
            y.chars().take(4).collect()
        } else {
            y.trim().to_string()
        };
        match four.parse::<i64>() {
            Ok(n) if four.len() == 4 && four.bytes().all(|b| b.is_ascii_digit()) => years.push(n),
            _ => {
                return Err(
                    place(*line, f.year).error(format!("Year '{y}' is not a year such as 2015"))
                );
            }
        }
    }
    let col = |name: &str| f.columns.iter().position(|c| c == name);
    let mut keep: Vec<usize> = (0..f.rows.len()).collect();
    let mut value_col = f.value;
    // the columns left for the checks below
    let mut grouping: Vec<usize> = Vec::new();
    let mut published_col = None;
    if f.columns.len() > 2 {
        let special = [
            "Year",
            columns.series.as_str(),
            columns.unit.as_str(),
            columns.progress.as_str(),
            "Value",
        ];
        let dropped = |c: &str| {
            !special.contains(&c)
                && (columns.non_disaggregation(c)
                    || columns.observation_attributes.iter().any(|a| a == c))
        };
        let present: Vec<usize> = (0..f.columns.len())
            .filter(|i| !dropped(&f.columns[*i]))
            .collect();
        if let Some(p) = col(&columns.progress) {
            published_col = Some(f.value);
            value_col = p;
        }
        // `wanted` None: the rows where the column is empty
        let filter = |keep: &mut Vec<usize>,
                      name: &str,
                      wanted: Option<&str>,
                      warnings: &mut Vec<String>| {
            match col(name).filter(|c| present.contains(c)) {
                Some(c) => {
                    let hits: Vec<usize> = keep
                        .iter()
                        .copied()
                        .filter(|i| f.rows[*i].1[c].as_deref() == wanted)
                        .collect();
                    if hits.is_empty() {
                        warnings.push(format!(
                            "{}: {tag}: no row has {name} {}: the series is not available (as on the Open SDG site)",
                            f.file,
                            wanted.map_or("empty".to_string(), |w| format!("= {w}"))
                        ));
                    }
                    *keep = hits;
                }
                None => {
                    warnings.push(format!(
                        "{}: {tag}: no column {name}: the series is not available (as on the Open SDG site)",
                        f.file
                    ));
                    keep.clear();
                }
            }
        };
        if let Some(u) = &entry.unit {
            filter(&mut keep, &columns.unit, Some(u), warnings);
        }
        if let Some(s) = &entry.series {
            filter(&mut keep, &columns.series, Some(s), warnings);
        }
        for (field, value) in &entry.disaggregation {
            filter(&mut keep, field, value.as_deref(), warnings);
        }
        // then the headline of what is left: every disaggregation column
        // the entry does not select is empty
        let open: Vec<usize> = present
            .iter()
            .copied()
            .filter(|c| {
                let name = &f.columns[*c];
                !columns.non_disaggregation(name)
                    && *c != value_col
                    && Some(*c) != col(&columns.progress)
                    && !entry.disaggregation.iter().any(|(field, _)| field == name)
            })
            .collect();
        keep.retain(|i| open.iter().all(|c| f.rows[*i].1[*c].is_none()));
        grouping = present
            .iter()
            .copied()
            .filter(|c| *c != f.year && *c != f.value && Some(*c) != col(&columns.progress))
            .collect();
        for c in &grouping {
            let distinct: BTreeSet<Option<&str>> =
                keep.iter().map(|i| f.rows[*i].1[*c].as_deref()).collect();
            if distinct.len() > 1 {
                let shown: Vec<&str> = distinct
                    .iter()
                    .map(|v| v.unwrap_or("(empty)"))
                    .take(4)
                    .collect();
                return unavailable(
                    warnings,
                    Place::new(&f.file, f.rows[keep[0]].0, Some(c + 1)),
                    format!(
                        "{tag}: the rows selected hold several series ({}: {}; select one with series:, unit: or disaggregation:)",
                        f.columns[*c],
                        shown.join(", ")
                    ),
                );
            }
        }
    }
    let unit_col = col(&columns.unit);
    let mut units = BTreeSet::new();
    let mut points: Vec<Point> = Vec::new();
    for i in keep {
        let (line, r) = &f.rows[i];
        let Some(raw) = &r[value_col] else {
            continue;
        };
        let value = text::number(raw, 0).ok_or_else(|| {
            place(*line, value_col).error(format!(
                "{tag}: {} '{raw}' is not a number",
                f.columns[value_col]
            ))
        })?;
        if let Some(u) = unit_col.and_then(|c| r[c].clone()) {
            units.insert(u);
        }
        let published_value = published_col
            .and_then(|c| r[c].clone())
            .filter(|v| text::number(v, 0) != Some(value));
        let extra = (0..f.columns.len())
            .filter(|c| {
                *c != f.year
                    && *c != f.value
                    && *c != value_col
                    && !grouping.contains(c)
                    && !["GeoCode", columns.series.as_str(), columns.unit.as_str()]
                        .contains(&f.columns[*c].as_str())
            })
            .filter_map(|c| r[c].as_ref().map(|v| format!("{}: {v}", f.columns[c])))
            .collect();
        if let Some(p) = points.iter().find(|p| p.year == years[i]) {
            let why = format!(
                "{tag}: a second value for {} (the first is on line {})",
                years[i], p.line
            );
            return unavailable(warnings, place(*line, f.year), why);
        }
        points.push(Point {
            line: *line,
            year: years[i],
            year_text: r[f.year].clone().unwrap_or_default(),
            value,
            published_value,
            extra,
        });
    }
    Ok(Selected { points, units })
}

/// A series sdg-build cannot form: none, with a warning that says why.
fn unavailable(warnings: &mut Vec<String>, place: Place, why: String) -> Result<Selected> {
    warnings.push(format!(
        "{}:{}: {why}: the series is not available (as on the Open SDG site)",
        place.file, place.line
    ));
    Ok(Selected {
        points: Vec::new(),
        units: BTreeSet::new(),
    })
}

/// The unit of an imported indicator: `%` for a percentage, else as
/// published, else `value`.
fn goalpost_unit(published: Option<&str>) -> String {
    let Some(u) = published.map(str::trim).filter(|u| !u.is_empty()) else {
        return "value".to_string();
    };
    let lower = u.to_lowercase();
    if u.contains('%')
        || ["percent", "percentage", "per cent", "pourcentage"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        "%".to_string()
    } else {
        u.to_string()
    }
}

/// A year as a goalpost period.
fn year(y: i64) -> Period {
    parse::period(&format!("{y:04}")).expect("a four-digit year is a period")
}

impl Importer for OpenSdg {
    fn read(&self, dir: &Path, options: &Options, _known: &[Indicator]) -> Result<Batch> {
        if !dir.is_dir() {
            return Err(Error::invalid(format!(
                "{} is not a folder: --format opensdg imports an Open SDG data repository (a folder with data/, indicator-config/ or meta/)",
                dir.display()
            )));
        }
        if !["data", "indicator-config", "meta"]
            .iter()
            .any(|f| dir.join(f).is_dir())
        {
            return Err(Error::invalid(format!(
                "{} is not an Open SDG data repository: it has no data/, indicator-config/ or meta/ folder",
                dir.display()
            )));
        }
        let (columns, languages) = config(dir)?;
        // the language of the build whose progress the site shows: the first of config_data.yml's languages
        let lang = match &options.lang {
            Some(l) => {
                if !dir.join("translations").join(l).is_dir() {
                    return Err(Error::invalid(format!(
                        "--lang {l}: {} has no translations/{l}/ folder",
                        dir.display()
                    )));
                }
                Some(l.clone())
            }
            None => languages
                .first()
                .cloned()
                .or_else(|| Some("en".to_string()))
                .filter(|l| dir.join("translations").join(l).is_dir()),
        };
        let tr = match &lang {
            Some(l) => translations(dir, l)?,
            None => Translations::default(),
        };
        let repo = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| dir.display().to_string());
        let mut out = Batch::default();
        for id in indicator_ids(dir)? {
            indicator(
                dir,
                &id,
                &repo,
                &columns,
                &tr,
                lang.as_deref(),
                options,
                &mut out,
            )?;
        }
        Ok(out)
    }
}

/// Reads one indicator into the batch.
#[allow(clippy::too_many_arguments)]
fn indicator(
    dir: &Path,
    id: &str,
    repo: &str,
    columns: &Columns,
    tr: &Translations,
    lang: Option<&str>,
    options: &Options,
    out: &mut Batch,
) -> Result<()> {
    let m = meta(dir, id, lang, tr)?;
    if !is_true(get(&m.fields, "auto_progress_calculation")) {
        out.not_assessed.push(id.to_string());
        return Ok(());
    }
    let (options_file, options_text) = m.options_from.clone().unwrap_or_else(|| {
        (
            shown(dir, &format!("indicator-config/{id}.yml")),
            String::new(),
        )
    });
    let options_place = Place::new(
        &options_file,
        line_of_key(&options_text, "progress_calculation_options"),
        None,
    );
    let entries = entries(&m.fields, &options_place, &mut out.warnings)?;
    let data = frame(dir, id, columns, tr)?;
    let text_field = |key: &str| {
        get(&m.fields, key)
            .and_then(scalar)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    // a name still in the form of a translation key was not translated
    let looks_like_key =
        |s: &str| !s.contains(' ') && s.contains('.') && s.chars().any(|c| c.is_alphabetic());
    let number = text_field("indicator_number").unwrap_or_else(|| id.replace('-', "."));
    let base_name = text_field("indicator_name")
        .filter(|n| !looks_like_key(n))
        .or_else(|| text_field("graph_title").filter(|n| !looks_like_key(n)))
        .unwrap_or_else(|| format!("Open SDG indicator {number}"));
    let data_file = format!("data/indicator_{id}.csv");
    let source = Source {
        citation: Some(format!("Open SDG data repository {repo}, {data_file}")),
        url: None,
    };
    // selections already made into indicators: selection → indicator id
    let mut made: Vec<(String, String)> = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let target_id = target_id_of(id, n);
        let mut parts = Vec::new();
        if let Some(s) = &entry.series {
            parts.push(format!("{} = {s}", columns.series));
        }
        if let Some(u) = &entry.unit {
            parts.push(format!("{} = {u}", columns.unit));
        }
        for (f, v) in &entry.disaggregation {
            parts.push(match v {
                Some(v) => format!("{f} = {v}"),
                None => format!("{f} empty"),
            });
        }
        let selection = if parts.is_empty() {
            "headline".to_string()
        } else {
            parts.join("; ")
        };
        let tag = format!("{target_id} ({selection})");
        let indicator_id = match made.iter().find(|(s, _)| *s == selection) {
            Some((_, i)) => i.clone(),
            None => {
                let selected = match &data {
                    Some(f) => Some(select(f, columns, entry, &tag, &mut out.warnings)?),
                    None => None,
                };
                let published_unit = entry
                    .unit
                    .clone()
                    .or_else(|| {
                        selected
                            .as_ref()
                            .filter(|s| s.units.len() == 1)
                            .and_then(|s| s.units.iter().next().cloned())
                    })
                    .or_else(|| text_field("computation_units"));
                let mut name = entry.series.clone().unwrap_or_else(|| base_name.clone());
                let values: Vec<&str> = entry
                    .disaggregation
                    .iter()
                    .filter_map(|(_, v)| v.as_deref())
                    .collect();
                if !values.is_empty() {
                    name = format!("{name} — {}", values.join(", "));
                }
                let entity = entry
                    .disaggregation
                    .iter()
                    .find(|(f, _)| f.eq_ignore_ascii_case("Geography"))
                    .and_then(|(_, v)| v.clone())
                    .or_else(|| text_field("national_geographical_coverage"));
                let description = format!(
                    "Open SDG indicator {number} ({base_name}), {data_file} of {repo}; unit as published: {}; {}{selection}",
                    published_unit.as_deref().unwrap_or("none given"),
                    super::SELECTION,
                );
                out.indicators.push(NewIndicator {
                    indicator: Indicator {
                        id: target_id.clone(),
                        name,
                        entity,
                        unit: goalpost_unit(published_unit.as_deref()),
                        measure: Measure::Stock,
                        higher_is_better: entry.direction > 0.0,
                        limit: entry.limit,
                        description: Some(description),
                        year_start: 1,
                        // a selection of the empty cells is no part of a whole
                        dims: {
                            let (names, values): (Vec<String>, Vec<String>) = entry
                                .disaggregation
                                .iter()
                                .filter_map(|(f, v)| Some((f.clone(), v.clone()?)))
                                .unzip();
                            super::series::dims_of(&names, &values)
                        },
                        parent: headline(&entries, n).map(|m| target_id_of(id, m)),
                    },
                    place: options_place.clone(),
                });
                for p in selected.map(|s| s.points).unwrap_or_default() {
                    let period = year(p.year);
                    let place =
                        Place::new(data.as_ref().map_or("", |f| f.file.as_str()), p.line, None);
                    check_published(&place, &period, options.published)?;
                    let mut note = Vec::new();
                    if p.year_text.trim() != period.to_string() {
                        note.push(format!("Year as published: {}", p.year_text));
                    }
                    if let Some(v) = &p.published_value {
                        note.push(format!(
                            "Value as published: {v} (this is the Progress column, which the progress measure uses)"
                        ));
                    }
                    note.extend(p.extra);
                    out.rows.push(Row {
                        observation: Observation {
                            id: 0,
                            indicator: target_id.clone(),
                            period,
                            value: p.value,
                            qualifier: None,
                            source: source.clone(),
                            published: options.published,
                            note: (!note.is_empty()).then(|| note.join("; ")),
                            flags: Default::default(),
                            recorded: now(),
                            retracted: None,
                        },
                        place,
                    });
                }
                made.push((selection.clone(), target_id.clone()));
                target_id.clone()
            }
        };
        let direction = if entry.direction > 0.0 {
            Direction::Increase
        } else {
            Direction::Decrease
        };
        let (kind, goal) = match entry.target {
            Some(t) => (Kind::Level, Goal::Value(t)),
            None => (Kind::Trend, Goal::Direction),
        };
        let title = match entry.target {
            Some(t) => format!(
                "{} to {} by {}",
                indicator_title(&base_name, entry),
                plain(t),
                entry.target_year
            ),
            None => format!(
                "{}: {} (no numeric target)",
                indicator_title(&base_name, entry),
                if entry.direction > 0.0 {
                    "increase"
                } else {
                    "decrease"
                }
            ),
        };
        let version = TargetVersion {
            version: 1,
            effective: None,
            goal,
            baseline: Some(year(entry.base_year)),
            baseline_value: None,
            deadline: year(entry.target_year),
            from: None,
            direction: Some(direction),
            path: PathShape::Linear,
            waypoints: Vec::new(),
            title: Some(title),
            quote: None,
            gloss: None,
            source: Source {
                citation: Some(format!(
                    "Open SDG data repository {repo}, {} (progress_calculation_options, entry {})",
                    options_place
                        .file
                        .strip_prefix(&format!("{}/", dir.display()))
                        .unwrap_or(&options_place.file),
                    n + 1
                )),
                url: None,
            },
            note: Some(format!(
                "Open SDG progress measure: base year {}, target year {}{}{}",
                entry.base_year,
                entry.target_year,
                entry
                    .target
                    .map(|t| format!(", target {}", plain(t)))
                    .unwrap_or_default(),
                entry
                    .limit
                    .map(|l| format!(", limit {}", plain(l)))
                    .unwrap_or_default(),
            )),
            recorded: now(),
        };
        let indicator_now = out
            .indicators
            .iter()
            .find(|i| i.indicator.id == indicator_id)
            .map(|i| i.indicator.clone());
        crate::dataset::check_version(&version, kind, indicator_now.as_ref())
            .map_err(|e| options_place.error(format!("{tag}: {e}")))?;
        out.targets.push(NewTarget {
            target: Target {
                id: target_id,
                indicator: Some(indicator_id),
                kind,
                versions: vec![version],
                done: None,
                not_done: Vec::new(),
                withdrawn: None,
                labels: Default::default(),
            },
            place: options_place.clone(),
        });
    }
    Ok(())
}

/// The id of the target of entry `n` (from 0) of indicator `id`: `1-2-1`,
/// then `1-2-1.2`, …
fn target_id_of(id: &str, n: usize) -> String {
    if n == 0 {
        id.to_string()
    } else {
        format!("{id}.{}", n + 1)
    }
}

/// The headline of entry `n`, when it is a disaggregation: the first
/// entry of the same series and unit without one (its indicator is made
/// for it, or for an earlier entry of the same selection, whose id is the
/// same first entry's).
fn headline(entries: &[Entry], n: usize) -> Option<usize> {
    let e = &entries[n];
    if e.disaggregation.is_empty() {
        return None;
    }
    entries
        .iter()
        .position(|h| h.disaggregation.is_empty() && h.series == e.series && h.unit == e.unit)
}

/// The title's subject: the series, or the indicator.
fn indicator_title(base: &str, e: &Entry) -> String {
    let mut s = e.series.clone().unwrap_or_else(|| base.to_string());
    let values: Vec<&str> = e
        .disaggregation
        .iter()
        .filter_map(|(_, v)| v.as_deref())
        .collect();
    if !values.is_empty() {
        s = format!("{s} ({})", values.join(", "));
    }
    s
}

/// A number without float noise.
fn plain(x: f64) -> String {
    let s = format!("{x:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_of(csv: &str, columns: &Columns) -> Frame {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data/indicator_1-1-1.csv"), csv).unwrap();
        frame(dir.path(), "1-1-1", columns, &Translations::default())
            .unwrap()
            .unwrap()
    }

    fn default_columns() -> Columns {
        Columns {
            non_disaggregation: NON_DISAGGREGATION.iter().map(|s| s.to_string()).collect(),
            observation_attributes: Vec::new(),
            series: "Series".into(),
            unit: "Units".into(),
            progress: "Progress".into(),
        }
    }

    fn entry() -> Entry {
        Entry {
            series: None,
            unit: None,
            disaggregation: Vec::new(),
            base_year: 2015,
            target: None,
            target_year: 2030,
            direction: -1.0,
            limit: None,
        }
    }

    fn years(s: &Selected) -> Vec<(i64, f64)> {
        s.points.iter().map(|p| (p.year, p.value)).collect()
    }

    #[test]
    fn the_headline_is_the_rows_with_every_disaggregation_empty() {
        let c = default_columns();
        let f = frame_of(
            "Year,Sex,GeoCode,Value\n2015,,,10\n2015,Male,,11\n2016,,48,12\n2017,NA,,13\n",
            &c,
        );
        let s = select(&f, &c, &entry(), "t", &mut Vec::new()).unwrap();
        // "NA" is missing for pandas; GeoCode is not a disaggregation
        assert_eq!(years(&s), vec![(2015, 10.0), (2016, 12.0), (2017, 13.0)]);
    }

    #[test]
    fn the_progress_column_replaces_the_value_and_empty_ones_drop_out() {
        let c = default_columns();
        let f = frame_of(
            "Year,Units,Progress,Value\n2015,Index,0.79,0.79\n2016,Index,0,-1.35\n2017,Index,,2\n",
            &c,
        );
        let s = select(&f, &c, &entry(), "t", &mut Vec::new()).unwrap();
        assert_eq!(years(&s), vec![(2015, 0.79), (2016, 0.0)]);
        assert_eq!(s.points[1].published_value.as_deref(), Some("-1.35"));
    }

    #[test]
    fn long_years_take_their_first_four_characters() {
        let c = default_columns();
        let f = frame_of("Year,Value\n2003 - 05,1\n2004,2\n", &c);
        let s = select(&f, &c, &entry(), "t", &mut Vec::new()).unwrap();
        assert_eq!(years(&s), vec![(2003, 1.0), (2004, 2.0)]);
    }

    #[test]
    fn series_and_disaggregation_select_and_the_rest_must_be_empty() {
        let c = default_columns();
        let f = frame_of(
            "Year,Series,Sex,Age,Value\n2015,A,,,1\n2015,B,,,2\n2016,B,Male,,3\n2016,B,,,4\n2017,B,Male,15-24,5\n",
            &c,
        );
        let mut e = entry();
        e.series = Some("B".into());
        let s = select(&f, &c, &e, "t", &mut Vec::new()).unwrap();
        assert_eq!(years(&s), vec![(2015, 2.0), (2016, 4.0)]);
        // a disaggregation selected: the other disaggregations stay empty
        e.disaggregation = vec![("Sex".into(), Some("Male".into()))];
        assert_eq!(
            years(&select(&f, &c, &e, "t", &mut Vec::new()).unwrap()),
            vec![(2016, 3.0)]
        );
        // a value no row has: nothing (the site shows the series as not available)
        let mut warnings = Vec::new();
        e.series = Some("C".into());
        e.disaggregation.clear();
        assert!(
            select(&f, &c, &e, "t", &mut warnings)
                .unwrap()
                .points
                .is_empty()
        );
        assert!(
            warnings[0].contains("no row has Series = C"),
            "{warnings:?}"
        );
    }

    #[test]
    fn several_series_or_a_year_twice_make_the_series_unavailable() {
        let c = default_columns();
        let mut warnings = Vec::new();
        let f = frame_of("Year,Series,Value\n2015,A,1\n2015,B,2\n", &c);
        assert!(
            select(&f, &c, &entry(), "t", &mut warnings)
                .unwrap()
                .points
                .is_empty()
        );
        assert!(
            warnings[0].contains("several series (Series: A, B"),
            "{warnings:?}"
        );
        let f = frame_of("Year,Value\n2015,1\n2015,2\n", &c);
        assert!(
            select(&f, &c, &entry(), "t", &mut warnings)
                .unwrap()
                .points
                .is_empty()
        );
        assert!(
            warnings[1].contains("a second value for 2015"),
            "{warnings:?}"
        );
        let f = frame_of("Year,Value\n2015,x\n", &c);
        let e = select(&f, &c, &entry(), "t", &mut warnings)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains(":2:2: t: Value 'x' is not a number"), "{e}");
    }

    #[test]
    fn groups_flatten_depth_first() {
        let m: Value = serde_yaml_ng::from_str(
            "progress_calculation_options:\n- series: A\n- group:\n  - series: B\n  - group:\n    - series: C\n  - series: D\n- series: E\n",
        )
        .unwrap();
        let place = Place::new("f.yml", 1, None);
        let list = entries(m.as_mapping().unwrap(), &place, &mut Vec::new()).unwrap();
        let series: Vec<_> = list.iter().map(|e| e.series.clone().unwrap()).collect();
        assert_eq!(series, ["A", "B", "C", "D", "E"]);
        let m: Value = serde_yaml_ng::from_str("auto_progress_calculation: true\n").unwrap();
        let list = entries(m.as_mapping().unwrap(), &place, &mut Vec::new()).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].base_year, list[0].target_year, list[0].direction),
            (2015, 2030, -1.0)
        );
    }

    #[test]
    fn translations_try_the_text_then_its_groups() {
        let mut t = Translations::default();
        t.keys
            .insert("data._Physical assault".into(), "Physical assault".into());
        t.keys
            .insert("global_indicators.1-2-1-title".into(), "Proportion".into());
        assert_eq!(
            t.translate("_Physical assault", &["Type", "data"]),
            "Physical assault"
        );
        assert_eq!(
            t.translate("global_indicators.1-2-1-title", &["data"]),
            "Proportion"
        );
        assert_eq!(t.translate("other", &["data"]), "other");
    }

    #[test]
    fn front_matter_of_markdown() {
        assert_eq!(front_matter("---\na: 1\n---\ntext\n"), ("a: 1\n", 2));
        assert_eq!(front_matter("no front matter\n"), ("", 1));
    }
}
