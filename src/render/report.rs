//! The `report` view in every format.

use super::{Format, Grid, Look, cell, color, human, json, text};
use crate::engine::Status;
use crate::error::Result;
use crate::model::Kind;
use crate::report::{Report, Row, Show};

/// The report; in HTML with the detail of every target in `shows` (the
/// summary alone when it is empty).
pub fn render(report: &Report, shows: &[Show], format: Format, look: &Look) -> Result<String> {
    match format {
        Format::Html => super::html::report(report, shows),
        Format::Json => json(report),
        Format::Csv => raw(report).csv(),
        // no table at all rather than an empty one: the summary says it
        Format::Table | Format::Markdown if report.targets.is_empty() => {
            Ok(footer(report, "", "", look).trim_start().to_string())
        }
        Format::Table => Ok(format!(
            "{}{}",
            human_grid(report).table_for(look),
            footer(report, "", "", look)
        )),
        Format::Markdown => Ok(format!(
            "{}{}",
            human_grid(report).markdown(),
            footer(report, "- ", "`", &Look::default())
        )),
    }
}

/// The report in words and human-scaled numbers.
pub(super) fn human_grid(report: &Report) -> Grid {
    let mut g = Grid::new(
        &[
            "id",
            "entity",
            "title",
            "baseline",
            "latest",
            "target",
            "progress",
            "required / actual",
            "projected",
            "gap",
            "status",
        ],
        &[3, 4, 5, 6, 7, 8, 9],
    )
    // in a narrow terminal: the long texts shorten, the columns of least
    // use go, then what is left wraps; id, latest, target, progress and
    // status stay
    .wraps(0)
    .wraps(4)
    .wraps(5)
    .wraps(10)
    .shrink(2, 40)
    .shrink(1, 16)
    .drop(3)
    .shrink(2, 28)
    .drop(8)
    .drop(9)
    .drop(1)
    .shrink(0, 31)
    .shrink(5, 20)
    .shrink(2, 20)
    .drop(7)
    .drop(2)
    .shrink(5, 16)
    .shrink(4, 15)
    .shrink(0, 26)
    .shrink(5, 14)
    .shrink(10, 14)
    .abbreviate(6, "prog.")
    .shrink(6, 5)
    .shrink(0, 20)
    .shrink(4, 13)
    .shrink(0, 18)
    .shrink(10, 9)
    .status_column(10);
    for r in &report.targets {
        g.push(human_row(r));
    }
    g
}

fn human_row(r: &Row) -> Vec<String> {
    let unit = r.unit.as_deref().unwrap_or("");
    let dash = || "—".to_string();
    let at = |value: String, period: &str| format!("{value} ({period})");
    let baseline = match (&r.baseline, r.kind) {
        (_, Kind::Milestone | Kind::Cumulative) | (None, _) => dash(),
        (Some(b), _) => at(human::value(b.value, unit), &b.period),
    };
    let latest = r.latest.as_ref().map_or_else(dash, |l| {
        at(human::qualified(l.value, l.qualifier, unit), &l.period)
    });
    let target = match (r.kind, r.target.value) {
        (Kind::Milestone, _) => format!("by {}", r.target.deadline),
        (Kind::Cumulative, Some(t)) => {
            let from = r
                .baseline
                .as_ref()
                .map_or(String::new(), |b| b.period.clone());
            format!("Σ {} in {from}", human::value(t, unit))
        }
        (_, Some(t)) => format!("{} by {}", human::value(t, unit), r.target.deadline),
        (_, None) if r.target.change.is_some() => format!(
            "{} by {}",
            r.target.change.as_deref().unwrap_or_default(),
            r.target.deadline
        ),
        (_, None) => format!(
            "{} by {}",
            r.direction.unwrap_or("direction"),
            r.target.deadline
        ),
    };
    let rates = match (r.kind, r.required_rate, r.actual_rate) {
        (Kind::Cumulative, Some(req), Some(act)) => format!(
            "{} / {} a year",
            human::value(req, unit),
            human::value(act, unit)
        ),
        (_, Some(req), Some(act)) => format!("{} / {}", human::rate(req), human::rate(act)),
        (_, Some(req), None) => format!("{} / —", human::rate(req)),
        (_, None, Some(act)) => format!("— / {}", human::rate(act)),
        _ => dash(),
    };
    vec![
        r.id.clone(),
        text(r.entity.as_deref()),
        text(r.title.as_deref()),
        baseline,
        latest,
        target,
        r.progress.map_or_else(dash, human::share),
        rates,
        r.projected
            .as_ref()
            .map_or_else(dash, |p| human::value(p.value, unit)),
        r.gap.map_or_else(dash, |g| human::difference(g, unit)),
        status_cell(r),
    ]
}

fn status_cell(r: &Row) -> String {
    match (&r.milestone, r.status.name()) {
        (Some(m), s) if m.late == Some(true) => format!("{s} (late)"),
        (Some(m), s) if m.done_on.is_none() && m.days_left < 0 => {
            format!("{s} ({} d late)", -m.days_left)
        }
        (Some(m), s) if m.done_on.is_none() => format!("{s} ({} d left)", m.days_left),
        (_, s) => s.to_string(),
    }
}

/// The summary line (counts per status, coloured as `look` asks) and
/// every note, by target (wrapped to the width of `look`).
fn footer(report: &Report, bullet: &str, code: &str, look: &Look) -> String {
    // withdrawn targets are no longer assessed: counted apart
    let summary = report.summary();
    let withdrawn = summary
        .iter()
        .find(|(s, _)| *s == Status::Withdrawn)
        .map_or(0, |(_, n)| *n);
    // each count with its status, joined by a no-break space so that a
    // wrapped line never parts them, coloured once the line is wrapped
    let counts: Vec<String> = summary
        .iter()
        .filter(|(s, _)| *s != Status::Withdrawn)
        .map(|(s, n)| format!("{n}\u{a0}{}", s.name()))
        .collect();
    let assessed = report.targets.len() - withdrawn;
    let mut out = format!(
        "\n{} target{} as of {} ({}): {}{}\n",
        assessed,
        if assessed == 1 { "" } else { "s" },
        report.as_of,
        report.method.name(),
        if counts.is_empty() {
            "none".to_string()
        } else {
            counts.join(", ")
        },
        if withdrawn > 0 {
            format!("; and {withdrawn} withdrawn")
        } else {
            String::new()
        }
    );
    if let Some(w) = look.width {
        out = format!("\n{}\n", super::fit::wrap_hanging(out.trim(), w, "  "));
    }
    for (status, n) in &summary {
        let name = status.name();
        out = out.replace(
            &format!("{n}\u{a0}{name}"),
            &color::paint(&format!("{n} {name}"), name, look.color),
        );
    }
    let noted: Vec<&Row> = report
        .targets
        .iter()
        .filter(|r| !r.notes.is_empty())
        .collect();
    if !noted.is_empty() {
        out.push_str("\nNotes:\n");
        for r in noted {
            for n in &r.notes {
                let line = format!("{bullet}{code}{}{code}: {n}", r.id);
                let line = match look.width {
                    Some(w) => super::fit::wrap_hanging(&line, w, "  "),
                    None => line,
                };
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out
}

/// Raw numbers in base units and fractions, for spreadsheets.
fn raw(report: &Report) -> Grid {
    let mut g = Grid::new(
        &[
            "id",
            "entity",
            "title",
            "indicator",
            "unit",
            "kind",
            "direction",
            "path",
            "baseline_period",
            "baseline_value",
            "latest_period",
            "latest_value",
            "latest_qualifier",
            "target_value",
            "deadline",
            "progress",
            "time_elapsed",
            "actual_rate",
            "required_rate",
            "required_rate_from_now",
            "rate_ratio",
            "path_value",
            "deviation",
            "projected_value",
            "anticipated_progress",
            "projected_hit",
            "gap",
            "gap_ratio",
            "status",
            "method_value",
            "method_label",
            "score",
            "done_on",
            "days_left",
            "notes",
        ],
        &[],
    );
    for r in &report.targets {
        g.push(vec![
            r.id.clone(),
            text(r.entity.as_deref()),
            text(r.title.as_deref()),
            text(r.indicator.as_deref()),
            text(r.unit.as_deref()),
            r.kind.name().to_string(),
            text(r.direction),
            text(r.path),
            r.baseline
                .as_ref()
                .map(|b| b.period.clone())
                .unwrap_or_default(),
            cell(r.baseline.as_ref().map(|b| b.value)),
            r.latest
                .as_ref()
                .map(|l| l.period.clone())
                .unwrap_or_default(),
            cell(r.latest.as_ref().map(|l| l.value)),
            text(
                r.latest
                    .as_ref()
                    .and_then(|l| l.qualifier)
                    .map(|q| q.name()),
            ),
            cell(r.target.value),
            r.target.deadline.clone(),
            cell(r.progress),
            cell(r.time_elapsed),
            cell(r.actual_rate),
            cell(r.required_rate),
            cell(r.required_rate_from_now),
            cell(r.rate_ratio),
            cell(r.path_value),
            cell(r.deviation),
            cell(r.projected.as_ref().map(|p| p.value)),
            cell(r.anticipated_progress),
            text(r.projected_hit.as_deref()),
            cell(r.gap),
            cell(r.gap_ratio),
            r.status.name().to_string(),
            cell(r.method_value),
            text(r.method_label),
            cell(r.score),
            text(r.milestone.as_ref().and_then(|m| m.done_on.as_deref())),
            r.milestone
                .as_ref()
                .map(|m| m.days_left.to_string())
                .unwrap_or_default(),
            r.notes.join("; "),
        ]);
    }
    g
}
