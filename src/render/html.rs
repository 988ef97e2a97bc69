//! One self-contained HTML page: inline CSS, inline SVG, no script and
//! nothing from the network; every piece of user text escaped. Prints on A4.

use super::{Grid, show as show_view, svg};
use crate::engine::{Method, Status};
use crate::error::Result;
use crate::report::{GroupBy, GroupSummary, Row, Show, Spark};

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:1280px;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:2rem 0 .4rem;border-top:1px solid #ddd;padding-top:1rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:#555}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;font-size:12px;font-weight:600;white-space:nowrap;color:#fff}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #ccc;color:#333}
.gloss{color:#555;font-style:italic}
ul.measures{margin:.3rem 0 .6rem;padding-left:1.2rem}
.chart svg{max-width:100%;height:auto}
.notes{color:#555;font-size:12.5px}
tr.group th{background:#eef2f7;font-size:13px;padding-top:.6rem}table.rollup{width:auto;min-width:50%}
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

/// What a large report page adds to [`CSS`]: its small charts.
const CSS_LARGE: &str = "svg.spark{display:block}td.spark{padding:.1rem .45rem}
";

fn page(title: &str, body: &str) -> String {
    format!("{}{body}{PAGE_END}", page_start(title, ""))
}

fn page_start(title: &str, css: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<style>{CSS}{}\n{css}</style>\n</head>\n<body>\n",
        escape(title),
        super::color::badge_css()
    )
}

const PAGE_END: &str = "</body>\n</html>\n";

/// A list (indicators, targets, observations) as a page.
pub fn list(g: &Grid) -> String {
    page("goalpost", &table(g))
}

/// A list page up to its first row (see [`list`]).
pub fn list_start(g: &Grid) -> String {
    let full = list(&Grid {
        header: g.header.clone(),
        rows: Vec::new(),
        numeric: g.numeric.clone(),
        ..Grid::default()
    });
    let end = full.find("</tbody>").unwrap_or(full.len());
    full[..end].to_string()
}

/// One row of a list page.
pub fn list_row(numeric: &[usize], cells: &[String]) -> String {
    let mut out = String::from("<tr>");
    for (i, c) in cells.iter().enumerate() {
        let class = if numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!("<td{class}>{}</td>", escape(c)));
    }
    out.push_str("</tr>\n");
    out
}

/// A list page after its last row.
pub fn list_end() -> &'static str {
    "</tbody>\n</table>\n</body>\n</html>\n"
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

/// Above this many targets the report page no longer shows every target
/// in detail (a page of 10,000 charts is one no browser opens): it lists
/// the targets that need attention, each with a small chart, and details
/// the most severe of them. Up to it, the page is the whole report.
pub const LARGE: usize = 200;
/// A large page lists at most this many targets that need attention…
pub const LISTED: usize = 1000;
/// …and shows at most this many of them in detail.
pub const DETAILED: usize = 25;

/// The statuses a large page lists: the promises in trouble.
pub fn needs_attention(status: Status) -> bool {
    matches!(
        status,
        Status::Missed | Status::MovingAway | Status::OffTrack | Status::AtRisk | Status::Overdue
    )
}

/// Which rows (by position in the report's order) a page lists and which
/// it shows in detail.
pub struct Plan {
    pub listed: Vec<usize>,
    pub detailed: Vec<usize>,
}

/// The report page, written in pieces: its start, a row of the summary
/// table at a time, the detailed targets, its end.
pub struct ReportPage<'a> {
    as_of: &'a str,
    method: Method,
    targets: usize,
    summary: &'a [(Status, usize)],
    large: bool,
    /// Targets that need attention (large pages).
    attention: usize,
    /// `--group-by`: the group table, before the rows.
    pub rollup: Option<String>,
}

impl<'a> ReportPage<'a> {
    pub fn new(
        as_of: &'a str,
        method: Method,
        targets: usize,
        summary: &'a [(Status, usize)],
    ) -> ReportPage<'a> {
        ReportPage {
            as_of,
            method,
            targets,
            summary,
            large: targets > LARGE,
            attention: 0,
            rollup: None,
        }
    }

    /// Given each row's status in the report's order: every row, each in
    /// detail, on a small page; on a large one the first [`LISTED`] that
    /// need attention, the first [`DETAILED`] of them in detail.
    pub fn plan(&mut self, rows: &[(usize, Status)]) -> Plan {
        if !self.large {
            let all: Vec<usize> = rows.iter().map(|(i, _)| *i).collect();
            return Plan {
                listed: all.clone(),
                detailed: all,
            };
        }
        let attention: Vec<usize> = rows
            .iter()
            .filter(|(_, s)| needs_attention(*s))
            .map(|(i, _)| *i)
            .collect();
        self.attention = attention.len();
        Plan {
            detailed: attention.iter().take(DETAILED).copied().collect(),
            listed: attention.into_iter().take(LISTED).collect(),
        }
    }

    /// The page up to the first row of the summary table.
    pub fn start(&self) -> String {
        let css = if self.large { CSS_LARGE } else { "" };
        let mut out = page_start(&format!("goalpost report as of {}", self.as_of), css);
        out.push_str(&format!(
            "<h1>goalpost report</h1>\n<p class=\"meta\">As of {} · method {} · {} target{}: {}</p>\n",
            escape(self.as_of),
            self.method.name(),
            self.targets,
            if self.targets == 1 { "" } else { "s" },
            self.summary
                .iter()
                .map(|(s, n)| format!("{n} {}", badge(s.name())))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        if let Some(r) = &self.rollup {
            out.push_str(r);
        }
        let mut header: Vec<&str> = super::report::HUMAN_HEADER.to_vec();
        if self.large {
            let listed = self.attention.min(LISTED);
            let which = if self.attention > LISTED {
                format!(
                    "the first {} of the {} targets",
                    group(LISTED),
                    group(self.attention)
                )
            } else if self.attention == 1 {
                "the one target".to_string()
            } else {
                format!("the {} targets", group(self.attention))
            };
            out.push_str(&format!(
                "<p class=\"meta\">A large report: this page lists {which} that need attention (missed, moving away, off track, at risk, overdue), most severe first, each with a small chart of its course (observed values, the required path, the projection dashed), and shows the first {} of them in detail. Every target is in <code>goalpost report --format csv</code> or <code>--format json</code>; <code>--status</code> narrows the report.</p>\n<h2>Targets that need attention</h2>\n",
                group(listed.min(DETAILED))
            ));
            if self.attention == 0 {
                out.push_str("<p>None.</p>\n");
                return out;
            }
            header.push("course");
        }
        out.push_str("<table>\n<thead><tr>");
        for (i, h) in header.iter().enumerate() {
            out.push_str(&format!("<th{}>{}</th>", numeric(i), escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        out
    }

    /// One row of the summary table: the id (a link to its section when it
    /// has one), the `cells` of [`summary_cells`], and on a large page the
    /// small chart.
    pub fn row(&self, id: &str, detailed: bool, cells: &str, chart: &str) -> String {
        let id_cell = if detailed {
            format!(
                "<a class=\"id\" href=\"#t-{}\">{}</a>",
                escape(id),
                escape(id)
            )
        } else {
            escape(id)
        };
        if self.large {
            format!("<tr><td>{id_cell}</td>{cells}<td class=\"spark\">{chart}</td></tr>\n")
        } else {
            format!("<tr><td>{id_cell}</td>{cells}</tr>\n")
        }
    }

    /// A heading row before a group's rows (`--group-by`).
    pub fn group_row(&self, heading: &str) -> String {
        let columns = super::report::HUMAN_HEADER.len() + usize::from(self.large);
        format!(
            "<tr class=\"group\"><th colspan=\"{columns}\">{}</th></tr>\n",
            escape(heading)
        )
    }

    /// The page of the group table alone (`--group-by … --summary`).
    pub fn summary_page(&self, rollup: &str) -> String {
        let mut out = page_start(&format!("goalpost report as of {}", self.as_of), "");
        out.push_str(&format!(
            "<h1>goalpost report</h1>\n<p class=\"meta\">As of {} · method {} · {} target{}: {}</p>\n",
            escape(self.as_of),
            self.method.name(),
            self.targets,
            if self.targets == 1 { "" } else { "s" },
            self.summary
                .iter()
                .map(|(s, n)| format!("{n} {}", badge(s.name())))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        out.push_str(rollup);
        out.push_str(PAGE_END);
        out
    }

    /// The end of the summary table.
    pub fn after_rows(&self) -> String {
        if self.large && self.attention == 0 {
            return String::new();
        }
        let mut out = String::from("</tbody>\n</table>\n");
        if self.large && self.attention > LISTED {
            out.push_str(&format!(
                "<p class=\"meta\">… and {} more that need attention: <code>goalpost report --status off_track</code> (or another status) lists them.</p>\n",
                group(self.attention - LISTED)
            ));
        }
        out
    }

    /// A target in detail.
    pub fn section(&self, s: &Show) -> Result<String> {
        section(s, "h2", false)
    }

    pub fn end(&self) -> &'static str {
        PAGE_END
    }
}

/// The group table of a roll-up, each status header a badge, with the
/// lines that say what it means.
pub fn rollup(by: GroupBy, groups: &[GroupSummary], notes: &[String]) -> String {
    let g = super::rollup::grid(by, groups);
    let badges: Vec<bool> = g
        .header
        .iter()
        .map(|h| Status::from_name(&h.replace(' ', "_")).is_some())
        .collect();
    let mut out = String::from("<h2>By ");
    out.push_str(by.name());
    out.push_str("</h2>\n<table class=\"rollup\">\n<thead><tr>");
    for (i, h) in g.header.iter().enumerate() {
        let class = if g.numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        };
        let text = if badges[i] {
            badge(&h.replace(' ', "_"))
        } else {
            escape(h)
        };
        out.push_str(&format!("<th{class}>{text}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &g.rows {
        out.push_str(&list_row(&g.numeric, row));
    }
    out.push_str("</tbody>\n</table>\n");
    for n in notes {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(n)));
    }
    out
}

/// A count with thousands separators: 10,000.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn numeric(column: usize) -> &'static str {
    if super::report::HUMAN_NUMERIC.contains(&column) {
        " class=\"num\""
    } else {
        ""
    }
}

/// The cells of a summary-table row after the id, from the row's text
/// `cells` (all of them, the id first): escaped, numbers right-aligned,
/// the status as a badge.
pub fn summary_cells(row: &Row, cells: &[String]) -> String {
    let last = cells.len() - 1;
    let mut out = String::new();
    for (i, text) in cells.iter().enumerate().skip(1) {
        let html = if i == last {
            format!(
                "{} {}",
                badge(row.status.name()),
                escape(text.trim_start_matches(row.status.name()).trim())
            )
        } else {
            escape(text)
        };
        out.push_str(&format!("<td{}>{html}</td>", numeric(i)));
    }
    out
}

/// A small inline chart of a target's course (120 × 28 px): the observed
/// values that count, the required path, the projection dashed, the
/// target as a dot.
pub fn sparkline(spark: &Spark) -> String {
    const W: f64 = 120.0;
    const H: f64 = 28.0;
    const PAD: f64 = 2.0;
    let all = spark
        .observed
        .iter()
        .chain(&spark.path)
        .chain(&spark.projection)
        .chain(spark.target.iter())
        .filter(|(t, v)| t.is_finite() && v.is_finite());
    let (mut t0, mut t1, mut v0, mut v1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (t, v) in all {
        t0 = t0.min(*t);
        t1 = t1.max(*t);
        v0 = v0.min(*v);
        v1 = v1.max(*v);
    }
    if t0 > t1 {
        return String::new();
    }
    let (dt, dv) = ((t1 - t0).max(1e-9), (v1 - v0).max(f64::MIN_POSITIVE));
    let x = |t: f64| PAD + (t - t0) / dt * (W - 2.0 * PAD);
    let y = |v: f64| {
        if v1 > v0 {
            H - PAD - (v - v0) / dv * (H - 2.0 * PAD)
        } else {
            H / 2.0
        }
    };
    let points = |xy: &[(f64, f64)]| {
        xy.iter()
            .filter(|(t, v)| t.is_finite() && v.is_finite())
            .map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = format!(
        "<svg class=\"spark\" width=\"120\" height=\"28\" viewBox=\"0 0 120 28\" role=\"img\" aria-label=\"course of {}\">",
        escape(&spark.id)
    );
    if spark.path.len() > 1 {
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#2166ac\" stroke-width=\"1\"/>",
            points(&spark.path)
        ));
    }
    if spark.projection.len() > 1 {
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#d6604d\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
            points(&spark.projection)
        ));
    }
    if spark.observed.len() > 1 {
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#b2182b\" stroke-width=\"1.5\"/>",
            points(&spark.observed)
        ));
    } else if let Some((t, v)) = spark.observed.first() {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.5\" fill=\"#b2182b\"/>",
            x(*t),
            y(*v)
        ));
    }
    if let Some((t, v)) = spark.target {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2\" fill=\"#1b7837\"/>",
            x(t),
            y(v)
        ));
    }
    out.push_str("</svg>");
    out
}

/// The page of a target's history: the status strip, then the table.
pub fn history(h: &crate::report::History, g: &Grid) -> Result<String> {
    let title = match &h.title {
        Some(t) => format!("{} · {t}", h.target),
        None => h.target.clone(),
    };
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">How the verdict evolved ({})</p>\n",
        escape(&title),
        h.method.name()
    );
    let strip = svg::strip(&h.strip())?;
    if !strip.is_empty() {
        body.push_str(&format!("<div class=\"chart\">\n{strip}</div>\n"));
    }
    body.push_str(&table(g));
    Ok(page(&title, &body))
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
    for line in show_view::measures(s, unit) {
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
    if !s.trajectory.is_empty()
        || (r.kind == crate::model::Kind::Milestone && s.status_strip.is_some())
    {
        out.push_str(&format!("<div class=\"chart\">\n{}</div>\n", svg::svg(s)?));
    }
    if !s.trajectory.is_empty() {
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
