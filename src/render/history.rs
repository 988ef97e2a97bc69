//! The `history` view in every format.

use super::{Format, Grid, Look, cell, human, json};
use crate::error::Result;
use crate::report::{History, HistoryRow};

pub fn render(h: &History, format: Format, look: &Look) -> Result<String> {
    match format {
        Format::Json => json(h),
        Format::Csv => raw(h).csv(),
        Format::Table => Ok(format!(
            "{}{}{}",
            heading(h),
            grid(h).table_for(look),
            strip(h, look.width, look.color, false)
        ) + &footer(h)),
        Format::Markdown => Ok(format!(
            "{}\n{}{}",
            heading(h),
            grid(h).markdown(),
            strip(h, None, false, true)
        ) + &footer(h)),
        Format::Html => super::html::history(h, &grid(h)),
    }
}

fn heading(h: &History) -> String {
    match &h.title {
        Some(t) => format!("{} · {t} ({})\n", h.target, h.method.name()),
        None => format!("{} ({})\n", h.target, h.method.name()),
    }
}

/// The status as it evolved, on its own time axis, under the table.
fn strip(h: &History, width: Option<usize>, colour: bool, markdown: bool) -> String {
    match super::strip::alone(&h.strip(), width, colour) {
        Some(s) if markdown => format!("\n```\n{s}```\n"),
        Some(s) => format!("\n{s}"),
        None => String::new(),
    }
}

fn footer(h: &History) -> String {
    if h.folded == 0 {
        return String::new();
    }
    format!(
        "\n{} event date{} with no change a reader would see folded into the rows above\n",
        h.folded,
        if h.folded == 1 { "" } else { "s" }
    )
}

fn events(r: &HistoryRow) -> String {
    if r.events.is_empty() {
        "(start)".to_string()
    } else {
        r.events
            .iter()
            .map(|e| e.text.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// In words and human-scaled numbers.
fn grid(h: &History) -> Grid {
    let unit = h.unit.as_deref().unwrap_or("");
    let dash = || "—".to_string();
    let mut g = Grid::new(
        &[
            "date",
            "event",
            "status",
            "progress",
            "method value",
            "latest",
        ],
        &[3, 4, 5],
    )
    // in a narrow terminal the events wrap, then the columns of least use go
    .wraps(1)
    .wraps(5)
    .shrink(1, 30)
    .drop(4)
    .shrink(5, 14)
    .shrink(1, 16)
    .status_column(2);
    for r in &h.rows {
        g.push(vec![
            r.date.clone(),
            events(r),
            r.status.name().to_string(),
            r.progress.map_or_else(dash, human::share),
            r.method_value.map_or_else(dash, human::ratio),
            r.latest.as_ref().map_or_else(dash, |l| {
                format!(
                    "{} ({})",
                    human::qualified(l.value, l.qualifier, unit),
                    l.period
                )
            }),
        ]);
    }
    g
}

/// Base units and fractions, for spreadsheets.
fn raw(h: &History) -> Grid {
    let mut g = Grid::new(
        &[
            "date",
            "events",
            "status",
            "progress",
            "method_value",
            "method_label",
            "latest_period",
            "latest_value",
        ],
        &[],
    );
    for r in &h.rows {
        g.push(vec![
            r.date.clone(),
            events(r),
            r.status.name().to_string(),
            cell(r.progress),
            cell(r.method_value),
            r.method_label.unwrap_or_default().to_string(),
            r.latest
                .as_ref()
                .map(|l| l.period.clone())
                .unwrap_or_default(),
            cell(r.latest.as_ref().map(|l| l.value)),
        ]);
    }
    g
}
