//! The list views: indicators, targets, observations.

use serde::Serialize;

use super::stream::{GridWriter, JsonArray, Out};
use super::{Format, Grid, cell, human, json, text};
use crate::error::Result;
use crate::model::Indicator;
use crate::report::{
    IndicatorList, MethodList, ObservationList, ObservationRow, TargetList, TargetRow,
};

const INDICATOR_HEADER: [&str; 7] = ["id", "name", "entity", "unit", "measure", "better", "limit"];
const INDICATOR_NUMERIC: [usize; 1] = [6];

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
    ]
}

pub fn indicators(list: &IndicatorList, format: Format) -> Result<String> {
    let mut g = Grid::new(&INDICATOR_HEADER, &INDICATOR_NUMERIC);
    for i in &list.indicators {
        g.push(indicator_cells(i));
    }
    finish(list, &g, format)
}

/// The `indicator list` view written a row at a time: the same text as
/// [`indicators`] of all the rows at once.
pub enum IndicatorsWriter {
    Json(JsonArray),
    Grid(GridWriter<'static>),
}

impl IndicatorsWriter {
    pub fn start(format: Format, out: &mut Out) -> Result<IndicatorsWriter> {
        Ok(match format {
            Format::Json => IndicatorsWriter::Json(JsonArray::start(
                &IndicatorList {
                    version: 1,
                    indicators: Vec::new(),
                },
                out,
            )?),
            _ => IndicatorsWriter::Grid(GridWriter::start(
                format,
                &INDICATOR_HEADER,
                &INDICATOR_NUMERIC,
                out,
            )?),
        })
    }

    pub fn row(&mut self, i: &Indicator, out: &mut Out) -> Result<()> {
        match self {
            IndicatorsWriter::Json(a) => a.item(JsonArray::item_text(i)?.as_bytes(), out),
            IndicatorsWriter::Grid(g) => g.row(&indicator_cells(i), out),
        }
    }

    pub fn finish(self, out: &mut Out) -> Result<()> {
        match self {
            IndicatorsWriter::Json(a) => a.finish(out),
            IndicatorsWriter::Grid(g) => g.finish(out),
        }
    }
}

const TARGET_HEADER: [&str; 9] = [
    "id",
    "version",
    "effective",
    "kind",
    "indicator",
    "title",
    "promise",
    "baseline",
    "deadline",
];
const TARGET_NUMERIC: [usize; 1] = [1];

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
    ]
}

pub fn targets(list: &TargetList, format: Format) -> Result<String> {
    let mut g = Grid::new(&TARGET_HEADER, &TARGET_NUMERIC);
    for t in &list.targets {
        g.push(target_cells(t, format));
    }
    finish(list, &g, format)
}

/// The `target list` view written a row at a time: the same text as
/// [`targets`] of all the rows at once.
pub enum TargetsWriter {
    Json(JsonArray),
    Grid(GridWriter<'static>, Format),
}

impl TargetsWriter {
    pub fn start(format: Format, out: &mut Out) -> Result<TargetsWriter> {
        Ok(match format {
            Format::Json => TargetsWriter::Json(JsonArray::start(
                &TargetList {
                    version: 1,
                    targets: Vec::new(),
                },
                out,
            )?),
            _ => TargetsWriter::Grid(
                GridWriter::start(format, &TARGET_HEADER, &TARGET_NUMERIC, out)?,
                format,
            ),
        })
    }

    pub fn row(&mut self, t: &TargetRow, out: &mut Out) -> Result<()> {
        match self {
            TargetsWriter::Json(a) => a.item(JsonArray::item_text(t)?.as_bytes(), out),
            TargetsWriter::Grid(g, format) => g.row(&target_cells(t, *format), out),
        }
    }

    pub fn finish(self, out: &mut Out) -> Result<()> {
        match self {
            TargetsWriter::Json(a) => a.finish(out),
            TargetsWriter::Grid(g, _) => g.finish(out),
        }
    }
}

const OBSERVATION_HEADER: [&str; 8] = [
    "id",
    "indicator",
    "period",
    "value",
    "qualifier",
    "published",
    "source",
    "state",
];
const OBSERVATION_NUMERIC: [usize; 2] = [0, 3];

fn observation_cells(o: &ObservationRow, format: Format) -> Vec<String> {
    let state = match (&o.retracted, o.superseded) {
        (Some(r), _) => format!("retracted: {}", r.why),
        (None, true) => "superseded".into(),
        (None, false) => String::new(),
    };
    vec![
        o.id.to_string(),
        o.indicator.clone(),
        o.period.clone(),
        if format == Format::Csv {
            o.value.to_string()
        } else {
            human::qualified(o.value, o.qualifier, &o.unit)
        },
        text(o.qualifier.map(|q| q.name())),
        text(o.published.as_deref()),
        text(o.source.as_deref()),
        state,
    ]
}

pub fn observations(list: &ObservationList, format: Format) -> Result<String> {
    let mut g = Grid::new(&OBSERVATION_HEADER, &OBSERVATION_NUMERIC);
    for o in &list.observations {
        g.push(observation_cells(o, format));
    }
    finish(list, &g, format)
}

pub fn methods(list: &MethodList, format: Format) -> Result<String> {
    let mut g = Grid::new(&["name", "kind", "measure", "window", "description"], &[]);
    for m in &list.methods {
        g.push(vec![
            m.name.clone(),
            if m.builtin { "built-in" } else { "profile" }.into(),
            m.measure.into(),
            if m.window { "yes" } else { "" }.into(),
            text(m.description.as_deref()),
        ]);
    }
    finish(list, &g, format)
}

/// The `obs list` view written a row at a time, in any format: the same
/// text as [`observations`] of all the rows at once.
pub enum ObservationsWriter {
    Json(JsonArray),
    Grid(GridWriter<'static>, Format),
}

impl ObservationsWriter {
    pub fn start(format: Format, out: &mut Out) -> Result<ObservationsWriter> {
        Ok(match format {
            Format::Json => ObservationsWriter::Json(JsonArray::start(
                &ObservationList {
                    version: 1,
                    observations: Vec::new(),
                },
                out,
            )?),
            _ => ObservationsWriter::Grid(
                GridWriter::start(format, &OBSERVATION_HEADER, &OBSERVATION_NUMERIC, out)?,
                format,
            ),
        })
    }

    pub fn row(&mut self, o: &ObservationRow, out: &mut Out) -> Result<()> {
        match self {
            ObservationsWriter::Json(a) => a.item(JsonArray::item_text(o)?.as_bytes(), out),
            ObservationsWriter::Grid(g, format) => g.row(&observation_cells(o, *format), out),
        }
    }

    pub fn finish(self, out: &mut Out) -> Result<()> {
        match self {
            ObservationsWriter::Json(a) => a.finish(out),
            ObservationsWriter::Grid(g, _) => g.finish(out),
        }
    }
}

fn finish<T: Serialize>(list: &T, g: &Grid, format: Format) -> Result<String> {
    match format {
        Format::Table => Ok(g.table()),
        Format::Markdown => Ok(g.markdown()),
        Format::Csv => g.csv(),
        Format::Json => json(list),
        Format::Html => Ok(super::html::list(g)),
    }
}
