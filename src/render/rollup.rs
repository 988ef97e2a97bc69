//! The group table of a roll-up (`report --group-by`) in every format:
//! per group, the count of targets in each status and the share assessed.
//! The report's writer ([`super::report::Writer`]) puts it before the rows.

use serde::Serialize;

use super::{Grid, cell, human};
use crate::engine::{Method, Status};
use crate::error::{Error, Result};
use crate::report::{GroupBy, GroupSummary};

/// The statuses any group has, in severity order: the table's columns.
fn present(groups: &[GroupSummary]) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| groups.iter().any(|g| g.count(*s) > 0))
        .collect()
}

/// A status as a column header: words that wrap in a narrow terminal.
fn header(s: Status) -> String {
    s.name().replace('_', " ")
}

/// In words: the group, its targets, one column per status present, the
/// share assessed. In a narrow terminal the group's name wraps, then the
/// status columns narrow to their longest word (their headers wrap).
pub fn grid(by: GroupBy, groups: &[GroupSummary]) -> Grid {
    let statuses = present(groups);
    let mut header_text: Vec<String> = vec![by.name().to_string(), "targets".to_string()];
    header_text.extend(statuses.iter().map(|s| header(*s)));
    header_text.push("assessed".to_string());
    let headers: Vec<&str> = header_text.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (1..headers.len()).collect();
    let mut g = Grid::new(&headers, &numeric).wraps(0).shrink(0, 24);
    for (i, s) in statuses.iter().enumerate() {
        let word = header(*s)
            .split(' ')
            .map(str::len)
            .max()
            .unwrap_or_default();
        g = g.shrink(i + 2, word);
    }
    g = g.shrink(0, 12);
    for group in groups {
        let mut row = vec![group.group.clone(), group.targets.to_string()];
        for s in &statuses {
            let n = group.count(*s);
            row.push(if n == 0 { String::new() } else { n.to_string() });
        }
        row.push(group.share_assessed.map_or("—".to_string(), human::share));
        g.push(row);
    }
    g
}

/// For spreadsheets: every status a column, the share as a fraction.
pub fn raw(by: GroupBy, groups: &[GroupSummary]) -> Grid {
    let mut header: Vec<&str> = vec![by.name(), "targets"];
    header.extend(Status::ALL.iter().map(|s| s.name()));
    header.extend(["assessed", "share_assessed"]);
    let mut g = Grid::new(&header, &[]);
    for group in groups {
        let mut row = vec![group.group.clone(), group.targets.to_string()];
        row.extend(Status::ALL.iter().map(|s| group.count(*s).to_string()));
        row.push(group.assessed.to_string());
        row.push(cell(group.share_assessed));
        g.push(row);
    }
    g
}

/// What the table's figures mean, and (for tags) that the groups
/// overlap: the lines under the table.
pub fn notes(by: GroupBy, groups: &[GroupSummary], targets: usize) -> Vec<String> {
    let mut lines = vec![
        "assessed: the share of the group's targets with a verdict (every status but no_data; \
         withdrawn targets, no longer assessed, left out)"
            .to_string(),
    ];
    if by.overlaps() {
        let counted: usize = groups.iter().map(|g| g.targets).sum();
        lines.push(if counted > targets {
            format!(
                "The groups overlap: a target with several tags is counted under each \
                 ({counted} in the groups, {targets} target{} in all).",
                if targets == 1 { "" } else { "s" }
            )
        } else {
            "Tag groups can overlap (a target with several tags is counted under each); \
             here no target has more than one."
                .to_string()
        });
    }
    lines
}

/// The line above a group's rows: `programme: EAEU Strategy 2025 · 5 targets`.
pub fn heading(by: GroupBy, g: &GroupSummary) -> String {
    format!(
        "{}: {} · {} target{}",
        by.name(),
        g.group,
        g.targets,
        if g.targets == 1 { "" } else { "s" }
    )
}

/// The grouped JSON report's head, up to its first group:
/// `{"version", "as_of", "method", "group_by", "groups": [`.
pub fn json_head(as_of: &str, method: Method, by: GroupBy) -> Result<String> {
    #[derive(Serialize)]
    struct Head<'a> {
        version: u32,
        as_of: &'a str,
        method: Method,
        group_by: GroupBy,
        groups: [(); 0],
    }
    let text = super::json(&Head {
        version: 1,
        as_of,
        method,
        group_by: by,
        groups: [],
    })?;
    text.strip_suffix("[]\n}\n")
        .map(|head| format!("{head}["))
        .ok_or_else(|| Error::invalid("writing JSON: unexpected layout"))
}

/// One group of the JSON report, indented as an item of `groups`, open
/// for its `targets` array when `rows` (else closed).
pub fn json_group(g: &GroupSummary, rows: bool) -> Result<String> {
    #[derive(Serialize)]
    struct Group<'a> {
        group: &'a str,
        count: usize,
        statuses: &'a std::collections::BTreeMap<Status, usize>,
        assessed: usize,
        share_assessed: Option<f64>,
    }
    let text = super::stream::JsonArray::item_text(&Group {
        group: &g.group,
        count: g.targets,
        statuses: &g.statuses,
        assessed: g.assessed,
        share_assessed: g.share_assessed,
    })?;
    if !rows {
        return Ok(text);
    }
    let open = text
        .strip_suffix("\n    }")
        .ok_or_else(|| Error::invalid("writing JSON: unexpected layout"))?;
    Ok(format!("{open},\n      \"targets\": ["))
}

/// `text` (lines of JSON) indented by `by` more spaces.
pub fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.split('\n')
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
