//! One self-contained HTML page: inline CSS, inline SVG, no script and
//! nothing from the network; every piece of user text escaped. Prints on A4.

use super::{Grid, report as report_view, show as show_view, svg};
use crate::error::Result;
use crate::report::{Report, Show};

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:1280px;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2rem 0 .4rem;border-top:1px solid #ddd;padding-top:1rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:#555}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:12px;font-weight:600;white-space:nowrap;color:#fff}
.achieved{background:#1b7837}.on_track{background:#5aae61}.at_risk{background:#e08214}.off_track{background:#d6604d}
.moving_away{background:#b2182b}.missed{background:#67001f}.no_data{background:#878787}.pending{background:#4393c3}.overdue{background:#e08214}.stalled{background:#bf812d}.withdrawn{background:#bababa;color:#222}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #ccc;color:#333}
.gloss{color:#555;font-style:italic}
ul.measures{margin:.3rem 0 .6rem;padding-left:1.2rem}
.chart svg{max-width:100%;height:auto}
.notes{color:#555;font-size:12.5px}
a{color:#2166ac}.sources a{word-break:break-all}a.id,code{white-space:nowrap}
@page{size:A4;margin:14mm}
@media print{body{margin:0;max-width:none;font-size:11px}section.target{break-inside:avoid-page}h1,h2,h3{break-after:avoid;break-inside:avoid}tr,.chart,blockquote{break-inside:avoid}table{font-size:10px}}
";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// A list (indicators, targets, observations) as a page.
pub fn list(g: &Grid) -> String {
    page("goalpost", &table(g))
}

/// A grid as an HTML table; numeric columns right-aligned.
pub fn table(g: &Grid) -> String {
    table_with(g, |_, _, c| escape(c))
}

/// A grid as an HTML table whose cells `cell(row, column, text)` turns into
/// HTML (escaping what it takes from the text).
fn table_with(g: &Grid, cell: impl Fn(usize, usize, &str) -> String) -> String {
    let class = |i: usize| {
        if g.numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in g.header.iter().enumerate() {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in g.rows.iter().enumerate() {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            out.push_str(&format!("<td{}>{}</td>", class(i), cell(r, i, c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn badge(status: &str) -> String {
    format!(
        "<span class=\"badge {status}\">{}</span>",
        status.replace('_', " ")
    )
}

fn link(url: &str) -> String {
    let e = escape(url);
    if url.starts_with("http://") || url.starts_with("https://") {
        format!("<a href=\"{e}\">{e}</a>")
    } else {
        e
    }
}

/// The report page: the summary table with a badge per target, then each
/// target with its chart and trajectory.
pub fn report(report: &Report, shows: &[Show]) -> Result<String> {
    let mut body = format!(
        "<h1>goalpost report</h1>\n<p class=\"meta\">As of {} · method {} · {} target{}: {}</p>\n",
        escape(&report.as_of),
        report.method.name(),
        report.targets.len(),
        if report.targets.len() == 1 { "" } else { "s" },
        report
            .summary()
            .iter()
            .map(|(s, n)| format!("{n} {}", badge(s.name())))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // the summary: each id links to its section, each status is a badge
    let grid = report_view::human_grid(report);
    let last = grid.header.len() - 1;
    body.push_str(&table_with(&grid, |row, column, text| {
        let r = &report.targets[row];
        match column {
            0 => format!(
                "<a class=\"id\" href=\"#t-{}\">{}</a>",
                escape(&r.id),
                escape(text)
            ),
            c if c == last => format!(
                "{} {}",
                badge(r.status.name()),
                escape(text.trim_start_matches(r.status.name()).trim())
            ),
            _ => escape(text),
        }
    }));
    for s in shows {
        body.push_str(&section(s, "h2", false)?);
    }
    Ok(page(
        &format!("goalpost report as of {}", report.as_of),
        &body,
    ))
}

/// The page of one target.
pub fn show(s: &Show) -> Result<String> {
    let title = s
        .target
        .title
        .clone()
        .unwrap_or_else(|| s.target.id.clone());
    Ok(page(&title, &section(s, "h1", true)?))
}

/// One target: header, quote, status and measures, chart and trajectory,
/// the target's revisions, sources; with `vintages`, also every observation (the page of `show`;
/// the report leaves them out, as its targets may have thousands).
fn section(s: &Show, h: &str, vintages: bool) -> Result<String> {
    let r = &s.target;
    let unit = r.unit.as_deref().unwrap_or("");
    let title = r.title.as_deref().unwrap_or(&r.id);
    let mut out = format!(
        "<section class=\"target\" id=\"t-{}\">\n<{h}>{} {}</{h}>\n<p class=\"meta\"><code>{}</code> · {}</p>\n",
        escape(&r.id),
        escape(title),
        badge(r.status.name()),
        escape(&r.id),
        show_view::header_lines(s, unit)
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    if let Some(q) = &s.statement.quote {
        let reference = s
            .statement
            .source_ref
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        out.push_str(&format!("<blockquote>{}{}", escape(q), escape(&reference)));
        if let Some(g) = &s.statement.gloss {
            out.push_str(&format!("<br/><span class=\"gloss\">{}</span>", escape(g)));
        }
        out.push_str("</blockquote>\n");
    }
    out.push_str(&format!(
        "<p>{} {}</p>\n<ul class=\"measures\">\n",
        badge(r.status.name()),
        escape(&show_view::verdict(s))
    ));
    for line in show_view::measures(r, unit, &s.as_of) {
        out.push_str(&format!("<li>{}</li>\n", escape(&line)));
    }
    out.push_str("</ul>\n");
    if !r.notes.is_empty() {
        out.push_str("<ul class=\"notes\">\n");
        for n in &r.notes {
            out.push_str(&format!("<li>{}</li>\n", escape(n)));
        }
        out.push_str("</ul>\n");
    }
    if !s.trajectory.is_empty() {
        out.push_str(&format!("<div class=\"chart\">\n{}</div>\n", svg::svg(s)?));
        out.push_str("<h3>Trajectory</h3>\n");
        out.push_str(&table(&show_view::trajectory(s, unit)));
    }
    if vintages && !s.observations.is_empty() {
        out.push_str("<h3>Observations (every vintage)</h3>\n");
        out.push_str(&table(&show_view::observations(s, unit)));
    }
    if !s.revisions.is_empty() {
        out.push_str("<h3>Revisions</h3>\n");
        out.push_str(&table(&show_view::revisions(s, unit)));
    }
    if !s.sources.is_empty() {
        out.push_str("<h3>Sources</h3>\n<ol class=\"notes sources\">\n");
        for src in &s.sources {
            let mut parts = Vec::new();
            if let Some(c) = &src.citation {
                parts.push(escape(c));
            }
            if let Some(u) = &src.url {
                parts.push(link(u));
            }
            out.push_str(&format!(
                "<li value=\"{}\">{}</li>\n",
                src.n,
                parts.join(" — ")
            ));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
    Ok(out)
}
