//! The `diff` view in every format; the Markdown is a memo one can paste
//! into an email.

use super::{Format, Grid, Look, cell, human, json};
use crate::error::Result;
use crate::report::{Change, Diff};

pub fn render(d: &Diff, format: Format, look: &Look) -> Result<String> {
    match format {
        Format::Json => json(d),
        Format::Csv => raw(d).csv(),
        Format::Table if d.changes.is_empty() => Ok(format!("{}\n{}", title(d), footer(d))),
        Format::Table => Ok(format!(
            "{}\n{}{}",
            title(d),
            grid(d).table_for(look),
            footer(d)
        )),
        Format::Markdown => Ok(memo(d)),
        Format::Html => Ok(super::html::list(&grid(d))),
    }
}

fn title(d: &Diff) -> String {
    let clock = if d.as_recorded { ", as recorded" } else { "" };
    if d.method_from == d.method {
        format!(
            "Changes from {} to {} ({}{clock})",
            d.from,
            d.to,
            d.method.name()
        )
    } else {
        format!(
            "{} against {} on {}",
            d.method.name(),
            d.method_from.name(),
            d.to
        )
    }
}

fn footer(d: &Diff) -> String {
    format!(
        "\n{} target{} changed, {} unchanged\n",
        d.changes.len(),
        if d.changes.len() == 1 { "" } else { "s" },
        d.unchanged
    )
}

/// The earlier status, or `new` for a target recorded in between.
fn from_status(c: &Change) -> String {
    c.from
        .as_ref()
        .map_or("new".to_string(), |f| f.status.name().to_string())
}

fn why(c: &Change) -> String {
    c.causes
        .iter()
        .map(|x| match &x.date {
            Some(date) => format!("{date} {}", x.text),
            None => x.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn grid(d: &Diff) -> Grid {
    // in a narrow terminal the explanation wraps, then the id
    let mut g = Grid::new(&["id", "from", "to", "change", "why"], &[])
        .wraps(0)
        .wraps(4)
        .shrink(4, 24)
        .shrink(0, 20)
        .shrink(4, 16)
        .status_column(2);
    for c in &d.changes {
        // the summary says it all when only the deadline passed
        let causes = if c.causes.iter().all(|x| x.kind == "deadline_passed") {
            String::new()
        } else {
            why(c)
        };
        g.push(vec![
            c.id.clone(),
            from_status(c),
            c.to.status.name().to_string(),
            c.direction.to_string(),
            if causes.is_empty() {
                c.summary.clone()
            } else {
                format!("{}: {causes}", c.summary)
            },
        ]);
    }
    g
}

fn raw(d: &Diff) -> Grid {
    let mut g = Grid::new(
        &[
            "id",
            "from_status",
            "to_status",
            "direction",
            "from_method_value",
            "to_method_value",
            "from_progress",
            "to_progress",
            "summary",
            "causes",
        ],
        &[],
    );
    for c in &d.changes {
        g.push(vec![
            c.id.clone(),
            from_status(c),
            c.to.status.name().to_string(),
            c.direction.to_string(),
            cell(c.from.as_ref().and_then(|f| f.method_value)),
            cell(c.to.method_value),
            cell(c.from.as_ref().and_then(|f| f.progress)),
            cell(c.to.progress),
            c.summary.clone(),
            why(c),
        ]);
    }
    g
}

/// A memo: a heading, the count, then one short section per change.
fn memo(d: &Diff) -> String {
    let mut out = format!("# {}\n\n", title(d));
    out.push_str(&format!(
        "{} target{} changed; {} unchanged.\n",
        d.changes.len(),
        if d.changes.len() == 1 { "" } else { "s" },
        d.unchanged
    ));
    for c in &d.changes {
        out.push_str(&format!(
            "\n## {}{}\n\n**{} → {}** ({}): {}.\n",
            c.id,
            c.title
                .as_deref()
                .map(|t| format!(" — {t}"))
                .unwrap_or_default(),
            from_status(c),
            c.to.status.name(),
            c.direction,
            c.summary
        ));
        if let (Some(a), Some(b)) = (c.from.as_ref().and_then(|f| f.progress), c.to.progress) {
            out.push_str(&format!(
                "Progress {} → {}.\n",
                human::share(a),
                human::share(b)
            ));
        }
        if !c.causes.is_empty() {
            out.push('\n');
        }
        for x in &c.causes {
            out.push_str(&format!(
                "- {}{}{}\n",
                x.date
                    .as_deref()
                    .map(|d| format!("{d}: "))
                    .unwrap_or_default(),
                x.text,
                x.source
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            ));
        }
    }
    out
}
