//! The list views: indicators, targets, observations, import batches.

use serde::Serialize;

use super::stream::{GridWriter, JsonArray, Out};
use super::{Format, Grid, Look, cell, human, json, text};
use crate::error::Result;
use crate::model::{ImportBatch, Indicator};
use crate::report::{
    IndicatorList, MethodList, ObservationList, ObservationRow, TargetList, TargetRow,
};

const INDICATOR_HEADER: [&str; 10] = [
    "id", "name", "entity", "unit", "measure", "better", "limit", "year", "dims", "parent",
];
const INDICATOR_NUMERIC: [usize; 1] = [6];

/// The `indicator list` table's columns, and how they give way.
fn indicator_grid() -> Grid {
    Grid::new(&INDICATOR_HEADER, &INDICATOR_NUMERIC)
        .wraps(7)
        .drop(8)
        .shrink(7, 16)
        .shrink(1, 24)
        .shrink(2, 12)
        .drop(6)
        .drop(5)
        .drop(7)
        .drop(4)
        .drop(7)
        .shrink(1, 12)
        .drop(2)
}

fn indicator_cells(i: &Indicator) -> Vec<String> {
    vec![
        i.id.clone(),
        i.name.clone(),
        text(i.entity.as_deref()),
        i.unit.clone(),
        i.measure.name().into(),
        if i.higher_is_better {
            "higher"
        } else {
            "lower"
        }
        .into(),
        cell(i.limit),
        crate::period::year_months(i.year_start),
        dims_text(&i.dims),
        text(i.parent.as_deref()),
    ]
}

/// `age=15-24, sex=female`.
pub fn dims_text(dims: &std::collections::BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(", ")
}

const TARGET_HEADER: [&str; 12] = [
    "id",
    "version",
    "effective",
    "kind",
    "indicator",
    "title",
    "promise",
    "baseline",
    "deadline",
    "programme",
    "owner",
    "tags",
];
const TARGET_NUMERIC: [usize; 1] = [1];

/// The `target list` table's columns, and how they give way.
fn target_grid() -> Grid {
    Grid::new(&TARGET_HEADER, &TARGET_NUMERIC)
        .wraps(0)
        .wraps(6)
        .wraps(7)
        .wraps(9)
        .wraps(10)
        .wraps(11)
        // where a target is filed gives way first
        .shrink(9, 24)
        .shrink(10, 16)
        .drop(11)
        .drop(10)
        .drop(9)
        .shrink(5, 32)
        .shrink(4, 16)
        .drop(2)
        .drop(1)
        .shrink(5, 20)
        .drop(3)
        .shrink(7, 12)
        .drop(4)
        .shrink(6, 12)
        .shrink(0, 18)
        .shrink(5, 12)
        .drop(7)
}

fn target_cells(t: &TargetRow, format: Format) -> Vec<String> {
    let promise = match (&t.value, &t.change, t.direction) {
        (Some(v), _, _) if format == Format::Csv => v.to_string(),
        (Some(v), _, _) => human::value(*v, t.unit.as_deref().unwrap_or("")),
        (None, Some(c), _) => c.clone(),
        (None, None, Some(d)) => d.to_string(),
        (None, None, None) => t.kind.name().into(),
    };
    let baseline = match (&t.baseline, t.baseline_value) {
        (Some(p), Some(v)) if format == Format::Csv => format!("{p}={v}"),
        (Some(p), Some(v)) => {
            format!("{p}={}", human::value(v, t.unit.as_deref().unwrap_or("")))
        }
        (Some(p), None) => p.clone(),
        _ => String::new(),
    };
    vec![
        t.id.clone(),
        t.version.to_string(),
        text(t.effective.as_deref()),
        t.kind.name().into(),
        text(t.indicator.as_deref()),
        text(t.title.as_deref()),
        promise,
        baseline,
        t.deadline.clone(),
        text(t.programme.as_deref()),
        text(t.owner.as_deref()),
        t.tags.join(", "),
    ]
}

/// The `obs list` table's columns, and how they give way; in CSV, the
/// columns that import again.
fn observation_grid(format: Format) -> Grid {
    if format == Format::Csv {
        return Grid::new(&OBSERVATION_CSV_HEADER, &[]);
    }
    Grid::new(&OBSERVATION_HEADER, &OBSERVATION_NUMERIC)
        .wraps(8)
        .drop(4)
        .shrink(5, 12)
        .shrink(7, 24)
        .shrink(8, 16)
        .shrink(1, 16)
        .drop(6)
        .shrink(7, 12)
        .shrink(1, 12)
        .drop(7)
        .drop(5)
        .shrink(8, 10)
}

/// `obs batches`.
pub fn batches(batches: &[ImportBatch], format: Format, look: &Look) -> Result<String> {
    let mut g = Grid::new(
        &[
            "batch",
            "recorded",
            "input",
            "format",
            "added",
            "unchanged",
            "retracted",
        ],
        &[0, 4, 5, 6],
    )
    .wraps(2)
    .shrink(2, 24)
    .drop(5)
    .drop(3)
    .shrink(2, 12);
    for b in batches {
        g.push(vec![
            b.id.to_string(),
            b.recorded.clone(),
            b.input.clone(),
            b.format.clone(),
            b.added.to_string(),
            b.unchanged.to_string(),
            b.retracted.to_string(),
        ]);
    }
    #[derive(Serialize)]
    struct BatchList<'a> {
        version: u32,
        batches: &'a [ImportBatch],
    }
    finish(
        &BatchList {
            version: 1,
            batches,
        },
        &g,
        format,
        look,
    )
}

pub fn methods(list: &MethodList, format: Format, look: &Look) -> Result<String> {
    let mut g = Grid::new(&["name", "kind", "measure", "window", "description"], &[])
        .wraps(4)
        .shrink(4, 20);
    for m in &list.methods {
        g.push(vec![
            m.name.clone(),
            if m.builtin { "built-in" } else { "profile" }.into(),
            m.measure.into(),
            if m.window { "yes" } else { "" }.into(),
            text(m.description.as_deref()),
        ]);
    }
    finish(list, &g, format, look)
}

fn finish<T: Serialize>(list: &T, g: &Grid, format: Format, look: &Look) -> Result<String> {
    match format {
        Format::Table => Ok(g.table_for(look)),
        Format::Markdown => Ok(g.markdown()),
        Format::Csv => g.csv(),
        Format::Json => json(list),
        Format::Html => Ok(super::html::list(g)),
    }
}

const OBSERVATION_HEADER: [&str; 9] = [
    "id",
    "indicator",
    "period",
    "value",
    "qualifier",
    "flags",
    "published",
    "source",
    "state",
];
const OBSERVATION_NUMERIC: [usize; 2] = [0, 3];

/// The columns of `obs list --format csv`: the nine that `obs import`
/// reads, then the exporting database's own (`retracted` and
/// `retracted_why` are read too: a retracted row is imported retracted).
/// Values are in base units at full precision, so that the file imports
/// again as it is.
pub const OBSERVATION_CSV_HEADER: [&str; 14] = [
    "indicator",
    "period",
    "value",
    "qualifier",
    "source",
    "url",
    "published",
    "note",
    "flags",
    "id",
    "recorded",
    "state",
    "retracted",
    "retracted_why",
];

/// One row of `obs list --format csv`. The value is written as the
/// shortest decimal that reads back as the same float.
fn observation_csv_cells(o: &ObservationRow) -> Vec<String> {
    let state = match (&o.retracted, o.superseded) {
        (Some(_), _) => "retracted",
        (None, true) => "superseded",
        (None, false) => "",
    };
    vec![
        o.indicator.clone(),
        o.period.clone(),
        o.value.to_string(),
        text(o.qualifier.map(|q| q.name())),
        text(o.source.as_deref()),
        text(o.url.as_deref()),
        text(o.published.as_deref()),
        text(o.note.as_deref()),
        o.flags.to_string(),
        o.id.to_string(),
        o.recorded.clone(),
        state.into(),
        text(o.retracted.as_ref().map(|r| r.at.as_str())),
        text(o.retracted.as_ref().map(|r| r.why.as_str())),
    ]
}

fn observation_cells(o: &ObservationRow) -> Vec<String> {
    let state = match (&o.retracted, o.superseded) {
        (Some(r), _) => format!("retracted: {}", r.why),
        (None, true) => "superseded".into(),
        (None, false) => String::new(),
    };
    vec![
        o.id.to_string(),
        o.indicator.clone(),
        o.period.clone(),
        human::qualified(o.value, o.qualifier, &o.unit),
        text(o.qualifier.map(|q| q.name())),
        o.flags.to_string(),
        text(o.published.as_deref()),
        text(o.source.as_deref()),
        state,
    ]
}

/// A list view written a row at a time, in any format; a terminal table
/// is fitted as `look` asks.
pub struct ListWriter {
    format: Format,
    output: Output,
}

enum Output {
    Json(JsonArray),
    Grid(Box<GridWriter>),
}

impl ListWriter {
    /// Starts the list whose document without rows is `empty` (its last
    /// field the empty array of rows) and whose columns are `grid`'s.
    fn start<T: Serialize>(
        format: Format,
        empty: &T,
        grid: Grid,
        look: &Look,
        out: &mut Out,
    ) -> Result<ListWriter> {
        let output = match format {
            Format::Json => Output::Json(JsonArray::start(empty, out)?),
            _ => Output::Grid(Box::new(GridWriter::start(format, grid, *look, out)?)),
        };
        Ok(ListWriter { format, output })
    }

    /// The `obs list` view.
    pub fn observations(format: Format, look: &Look, out: &mut Out) -> Result<ListWriter> {
        let empty = ObservationList {
            version: 1,
            observations: Vec::new(),
        };
        ListWriter::start(format, &empty, observation_grid(format), look, out)
    }

    /// The `target list` view.
    pub fn targets(format: Format, look: &Look, out: &mut Out) -> Result<ListWriter> {
        let empty = TargetList {
            version: 1,
            targets: Vec::new(),
        };
        ListWriter::start(format, &empty, target_grid(), look, out)
    }

    /// The `indicator list` view.
    pub fn indicators(format: Format, look: &Look, out: &mut Out) -> Result<ListWriter> {
        let empty = IndicatorList {
            version: 1,
            indicators: Vec::new(),
        };
        ListWriter::start(format, &empty, indicator_grid(), look, out)
    }

    /// One row: `item` as JSON, `cells` in the grid formats.
    fn row<T: Serialize>(&mut self, item: &T, cells: Vec<String>, out: &mut Out) -> Result<()> {
        match &mut self.output {
            Output::Json(a) => a.item(JsonArray::item_text(item)?.as_bytes(), out),
            Output::Grid(g) => g.row(&cells, out),
        }
    }

    pub fn observation(&mut self, o: &ObservationRow, out: &mut Out) -> Result<()> {
        let cells = self.grid_cells(|format| match format {
            Format::Csv => observation_csv_cells(o),
            _ => observation_cells(o),
        });
        self.row(o, cells, out)
    }

    pub fn target(&mut self, t: &TargetRow, out: &mut Out) -> Result<()> {
        let cells = self.grid_cells(|format| target_cells(t, format));
        self.row(t, cells, out)
    }

    pub fn indicator(&mut self, i: &Indicator, out: &mut Out) -> Result<()> {
        let cells = self.grid_cells(|_| indicator_cells(i));
        self.row(i, cells, out)
    }

    /// The cells of a row, for the grid formats only.
    fn grid_cells(&self, cells: impl FnOnce(Format) -> Vec<String>) -> Vec<String> {
        match self.output {
            Output::Json(_) => Vec::new(),
            Output::Grid(_) => cells(self.format),
        }
    }

    pub fn finish(self, out: &mut Out) -> Result<()> {
        match self.output {
            Output::Json(a) => a.finish(out),
            Output::Grid(g) => g.finish(out),
        }
    }
}
