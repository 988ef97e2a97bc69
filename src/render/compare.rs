//! Methods side by side, in every format.

use super::{Format, Grid, Look, human, json};
use crate::error::Result;
use crate::report::Comparison;

pub fn render(c: &Comparison, format: Format, look: &Look) -> Result<String> {
    let g = grid(c, format);
    Ok(match format {
        Format::Json => json(c)?,
        Format::Csv => g.csv()?,
        Format::Html => super::html::list(&g),
        Format::Markdown => format!("{}{}", g.markdown(), footer(c)),
        Format::Table => format!("{}{}", g.table_for(look), footer(c)),
    })
}

fn footer(c: &Comparison) -> String {
    let names: Vec<&str> = c.methods.iter().map(|m| m.name()).collect();
    format!(
        "\n{} target{} as of {} by {}: the methods disagree on {}\n",
        c.targets.len(),
        if c.targets.len() == 1 { "" } else { "s" },
        c.as_of,
        names.join(", "),
        c.disagreements
    )
}

fn grid(c: &Comparison, format: Format) -> Grid {
    let mut header = vec!["id", "latest", "target"];
    let names: Vec<&str> = c.methods.iter().map(|m| m.name()).collect();
    header.extend(names.iter().copied());
    header.push("agree");
    let mut g = Grid::new(&header, &[1, 2]).shrink(0, 28).shrink(2, 20);
    for r in &c.targets {
        let unit = r.row.unit.as_deref().unwrap_or("");
        let latest = r.row.latest.as_ref().map_or("—".to_string(), |l| {
            format!(
                "{} ({})",
                human::qualified(l.value, l.qualifier, unit),
                l.period
            )
        });
        let target = match r.row.target.value {
            Some(t) => format!("{} by {}", human::value(t, unit), r.row.target.deadline),
            None => format!("by {}", r.row.target.deadline),
        };
        let mut cells = vec![r.row.id.clone(), latest, target];
        for n in &names {
            cells.push(r.assessments.get(n).map_or("—".to_string(), |a| {
                if format == Format::Csv {
                    a.status.name().to_string()
                } else {
                    match a.method_value {
                        Some(v) => format!("{} {}", a.status.name(), human::ratio(v)),
                        None => a.status.name().to_string(),
                    }
                }
            }));
        }
        cells.push(if r.disagree { "no" } else { "yes" }.to_string());
        g.push(cells);
    }
    g
}
