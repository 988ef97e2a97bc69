//! The `show` view: one target in detail.

use super::fit;
use super::{Format, Grid, Look, cell, chart, color, human, json, text};
use crate::error::Result;
use crate::model::Kind;
use crate::report::Show;

pub fn render(show: &Show, format: Format, look: &Look) -> Result<String> {
    match format {
        Format::Html => super::html::show(show),
        Format::Json => json(show),
        Format::Csv => trajectory_raw(show).csv(),
        Format::Table if look.ascii => Ok(super::to_ascii(&text_view(show, look, false))),
        Format::Table => Ok(text_view(show, look, false)),
        // a file to read anywhere: neither fitted nor coloured
        Format::Markdown => Ok(text_view(
            show,
            &Look {
                ascii: look.ascii,
                ..Look::default()
            },
            true,
        )),
    }
}

fn text_view(s: &Show, look: &Look, markdown: bool) -> String {
    let r = &s.target;
    let unit = r.unit.as_deref().unwrap_or("");
    let grid = |g: &Grid| {
        if markdown {
            g.markdown()
        } else {
            g.table_for(look)
        }
    };
    let heading = |t: &str| {
        if markdown {
            format!("\n## {t}\n\n")
        } else {
            format!("\n{t}\n")
        }
    };
    // a line of prose, wrapped at word boundaries to the width, its
    // continuation lines indented by `indent`
    let prose = |line: &str, indent: &str| -> String {
        match look.width {
            // in ASCII first, so that the wrapped width is the printed one
            Some(w) if !markdown && look.ascii => {
                fit::wrap_hanging(&super::to_ascii(line), w, indent)
            }
            Some(w) if !markdown => fit::wrap_hanging(line, w, indent),
            _ => line.to_string(),
        }
    };
    let mut out = String::new();
    let title = r.title.as_deref().unwrap_or(&r.id);
    out.push_str(&match (markdown, &r.title) {
        (true, _) => format!("# {title}\n\n`{}`  \n", r.id),
        (false, Some(_)) => format!("{}\n", prose(&format!("{} · {title}", r.id), "  ")),
        (false, None) => format!("{}\n", r.id),
    });
    for line in header_lines(s, unit) {
        out.push_str(&prose(&line, "  "));
        // a Markdown line break is two spaces before the newline
        out.push_str(if markdown { "  \n" } else { "\n" });
    }
    if let Some(q) = &s.statement.quote {
        let reference = s
            .statement
            .source_ref
            .map(|n| format!(" [{n}]"))
            .unwrap_or_default();
        out.push_str(&if markdown {
            format!("\n> {q}{reference}\n")
        } else {
            format!("\n{}\n", prose(&format!("“{q}”{reference}"), " "))
        });
        if let Some(gloss) = &s.statement.gloss {
            out.push_str(&if markdown {
                format!(">\n> *{gloss}*\n")
            } else {
                format!("{}\n", prose(&format!("  ({gloss})"), "   "))
            });
        }
    }
    let status = color::paint(r.status.name(), r.status.name(), look.color && !markdown);
    out.push_str(&heading(&format!("{status} {}", verdict(s))));
    for line in measures(s, unit) {
        out.push_str(&prose(&format!("- {line}"), "  "));
        out.push('\n');
    }
    for n in &r.notes {
        out.push_str(&prose(&format!("- note: {n}"), "  "));
        out.push('\n');
    }
    let width = if markdown { None } else { look.width };
    let colour = look.color && !markdown;
    let strip = s.status_strip.as_ref().map(|st| (st, colour));
    let block = |text: String| {
        if markdown {
            format!("```\n{text}```\n")
        } else {
            text
        }
    };
    let mut charted = false;
    if !s.trajectory.is_empty() {
        out.push_str(&heading("Trajectory"));
        out.push_str(&grid(&trajectory(s, unit)));
        if let Some(c) = chart::chart(&s.trajectory, unit, look.ascii, width, strip) {
            charted = c.contains(" status  ");
            out.push('\n');
            out.push_str(&block(c));
        }
    }
    // no chart to run under (a milestone): the strip on its own time axis
    if let Some(st) = s.status_strip.as_ref().filter(|_| !charted)
        && let Some(text) = super::strip::alone(st, width, colour)
    {
        out.push_str(&heading("Status over time"));
        out.push_str(&block(text));
    }
    if !s.observations.is_empty() {
        out.push_str(&heading("Observations (every vintage)"));
        out.push_str(&grid(&observations(s, unit)));
    }
    if !s.derived.is_empty() {
        out.push_str(&heading("Derived values (complete sub-periods added up)"));
        for d in &s.derived {
            let ids: Vec<String> = d.parts.iter().map(|id| id.to_string()).collect();
            let line = format!(
                "{} = {}: the sum of observations {}",
                d.period,
                human::qualified(d.value, d.qualifier, unit),
                ids.join(", ")
            );
            out.push_str(&prose(&line, "  "));
            out.push('\n');
        }
    }
    out.push_str(&heading("Revisions"));
    out.push_str(&grid(&revisions(s, unit)));
    if !s.corrections.is_empty() {
        out.push_str(&heading("Corrections (entry errors fixed; not revisions)"));
        for c in &s.corrections {
            let show =
                |x: &Option<String>| x.as_deref().map_or("—".to_string(), |v| format!("“{v}”"));
            out.push_str(&format!(
                "{} {} {}.{}: {} → {}\n",
                c.recorded,
                c.kind,
                c.id,
                c.field,
                show(&c.old),
                show(&c.new)
            ));
        }
    }
    if !s.sources.is_empty() {
        out.push_str(&heading("Sources"));
        for src in &s.sources {
            let parts: Vec<&str> = [src.citation.as_deref(), src.url.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            out.push_str(&if markdown {
                format!("{}. {}\n", src.n, parts.join(" — "))
            } else {
                let line = format!("[{}] {}", src.n, parts.join(" — "));
                format!("{}\n", prose(&line, "    "))
            });
        }
    }
    out
}

/// The lines under the title: entity, series, kind and path; baseline and promise.
/// ` [sex=female; part of 5-5-1]`: the indicator's dimensions and
/// headline, when it has them.
fn dims_and_parent(s: &Show) -> String {
    let mut parts = Vec::new();
    if !s.dims.is_empty() {
        parts.push(super::lists::dims_text(&s.dims));
    }
    if let Some(p) = &s.parent {
        parts.push(format!("part of {p}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join("; "))
    }
}

pub(super) fn header_lines(s: &Show, unit: &str) -> Vec<String> {
    let r = &s.target;
    let mut lines = Vec::new();
    let series = match (&s.indicator_name, &r.indicator) {
        (Some(name), Some(id)) => {
            let year = match s.year_start {
                Some(m) if m != 1 => format!(", {} years", crate::period::year_months(m)),
                _ => String::new(),
            };
            format!(
                "{name} ({id}, {unit}, {}{year})",
                s.measure.unwrap_or_default()
            )
        }
        _ => "no indicator".to_string(),
    };
    lines.push(format!(
        "{}{series}{} · {} target{}",
        r.entity
            .as_deref()
            .map(|e| format!("{e} · "))
            .unwrap_or_default(),
        dims_and_parent(s),
        r.kind.name(),
        r.path.map(|p| format!(", {p} path")).unwrap_or_default()
    ));
    let promise = match (r.kind, r.target.value, &r.target.change) {
        (Kind::Milestone, _, _) => format!("done by the end of {}", r.target.deadline),
        (Kind::Cumulative, Some(t), _) => format!(
            "{} in total over {}",
            human::value(t, unit),
            r.baseline
                .as_ref()
                .map_or("the window", |b| b.period.as_str())
        ),
        (_, Some(t), Some(c)) => {
            format!("{c} → {} by {}", human::value(t, unit), r.target.deadline)
        }
        (_, Some(t), None) => format!("{} by {}", human::value(t, unit), r.target.deadline),
        (_, None, Some(c)) => format!("{c} by {} (baseline value unknown)", r.target.deadline),
        (_, None, None) => format!(
            "{} by {}",
            r.direction.unwrap_or("a direction"),
            r.target.deadline
        ),
    };
    match (&r.baseline, r.kind) {
        (Some(b), Kind::Level | Kind::Trend) => lines.push(format!(
            "baseline {} ({}) → {promise}",
            human::value(b.value, unit),
            b.period
        )),
        _ => lines.push(promise),
    }
    // where it is filed, when it is
    let filed: Vec<String> = [("programme", &r.programme), ("owner", &r.owner)]
        .into_iter()
        .filter_map(|(what, v)| v.as_ref().map(|v| format!("{what} {v}")))
        .chain((!r.tags.is_empty()).then(|| format!("tags {}", r.tags.join(", "))))
        .collect();
    if !filed.is_empty() {
        lines.push(filed.join(" · "));
    }
    lines
}

/// The key measures in words.
/// "as of DATE (method: label)"; a milestone's status owes nothing to the method.
pub(super) fn verdict(s: &Show) -> String {
    let r = &s.target;
    let label = r.method_label.unwrap_or_default();
    // a cumulative target is always assessed by pace (methodology.md §7)
    let method = if r.kind == Kind::Cumulative {
        "pace"
    } else {
        s.method.name()
    };
    match (&r.milestone, label) {
        (Some(_), _) => format!("as of {} ({label})", s.as_of),
        (None, "") => format!("as of {} ({method})", s.as_of),
        (None, _) => format!("as of {} ({method}: {label})", s.as_of),
    }
}

/// The key measures in words (a milestone's state is in its notes).
pub(super) fn measures(s: &Show, unit: &str) -> Vec<String> {
    let (r, as_of) = (&s.target, s.as_of.as_str());
    let mut out = Vec::new();
    if r.milestone.is_some() || r.status == crate::engine::Status::Withdrawn {
        return out;
    }
    let Some(latest) = &r.latest else {
        out.push("no value to assess yet (see the notes)".into());
        return out;
    };
    let mut first = format!(
        "latest {} ({})",
        human::qualified(latest.value, latest.qualifier, unit),
        latest.period
    );
    if !s.latest_flags.is_empty() {
        // as published: provisional, estimated…
        first = format!(
            "{}, {})",
            first.trim_end_matches(')'),
            s.latest_flags.names().join(", ").replace('_', " ")
        );
    }
    if let Some(p) = r.progress {
        first.push_str(&format!(
            ", {} of the distance from the baseline",
            human::share(p)
        ));
    }
    if let Some(t) = r.time_elapsed {
        first.push_str(&format!(" after {} of the time", human::share(t)));
    }
    out.push(first);
    let per_year = |x: f64| {
        if r.kind == Kind::Cumulative {
            format!("{} a year", human::value(x, unit))
        } else {
            format!("{} a year", human::rate(x))
        }
    };
    let to_go = r.gap.is_none_or(|g| g > 0.0);
    // a level's rate is growth, or a fall; a cumulative's, an amount a year
    let moving = |act: f64| {
        if r.kind != Kind::Cumulative && act < 0.0 {
            format!(
                "falling {} a year",
                human::rate(-act).trim_start_matches('+')
            )
        } else {
            format!("growing {}", per_year(act))
        }
    };
    // measured from the latest value, not from the as-of date (§5)
    let from = r
        .latest
        .as_ref()
        .map_or("now".to_string(), |l| format!("the {} value", l.period));
    match (r.required_rate_from_now.filter(|_| to_go), r.actual_rate) {
        (Some(need), Some(act)) => out.push(format!(
            "needs {} from {from}; {}",
            per_year(need),
            moving(act)
        )),
        (None, Some(act)) => out.push(moving(act)),
        (Some(need), None) => out.push(format!("needs {} from {from}", per_year(need))),
        (None, None) => {}
    }
    if let Some(req) = r.required_rate {
        out.push(format!(
            "required from the baseline: {}{}",
            per_year(req),
            r.rate_ratio
                .map(|x| format!(" (actual/required {})", human::ratio(x)))
                .unwrap_or_default()
        ));
    }
    if let (Some(n), Some(start), Some(rates)) = (r.window, &r.window_start, &r.window_rates) {
        let rate = |x: Option<f64>| x.map_or("—".to_string(), per_year);
        out.push(format!(
            "over the {n}-year window from {} ({}): {}; required from there {}{}",
            start.period,
            human::value(start.value, unit),
            rates.actual.map_or("no growth rate".to_string(), moving),
            rate(rates.required),
            r.method_value
                .filter(|_| r.kind != Kind::Trend)
                .map(|x| format!(" (actual/required {})", human::ratio(x)))
                .unwrap_or_default()
        ));
    }
    if let (Some(path), Some(dev)) = (r.path_value, r.deviation) {
        out.push(if dev == 0.0 {
            format!("path value {}; on the path", human::value(path, unit))
        } else {
            format!(
                "path value {}; {} {}",
                human::value(path, unit),
                human::difference(dev.abs(), unit),
                if dev > 0.0 {
                    "ahead of the path"
                } else {
                    "behind the path"
                }
            )
        });
    }
    if let Some(p) = &r.projected {
        out.push(format!(
            "projected {} in {}{}",
            human::value(p.value, unit),
            p.at,
            r.anticipated_progress
                .map(|a| format!(" ({} of the distance)", human::share(a)))
                .unwrap_or_default()
        ));
    }
    // a trend's crossing is no day-exact fact: in words, its month (the
    // JSON keeps the date)
    let month = |d: &str| d.get(..7).unwrap_or(d).to_string();
    match (&r.reached_in, &r.projected_hit) {
        (Some(p), _) => out.push(format!("reached in {p}")),
        // a date before the as-of date is where the trend leads, not a fact
        (None, Some(d)) if d.as_str() < as_of => out.push(format!(
            "at this pace it would have been reached around {} (not yet confirmed: no later value)",
            month(d)
        )),
        (None, Some(d)) => out.push(format!("at this pace reached around {}", month(d))),
        // without a trend (nothing after the baseline) there is no pace
        (None, None) if r.is_quantified() && r.actual_rate.is_some() => {
            out.push("at this pace never reached".into())
        }
        _ => {}
    }
    if let Some(g) = r.gap {
        out.push(if g > 0.0 {
            format!("gap {} still to go", human::difference(g, unit))
        } else {
            format!("passed by {}", human::difference(-g, unit))
        });
    }
    out
}

pub(super) fn trajectory(s: &Show, unit: &str) -> Grid {
    let mut g = Grid::new(
        &["period", "path", "observed", "projected", "deviation"],
        &[1, 2, 3, 4],
    )
    .wraps(2)
    .shrink(2, 20)
    .drop(3)
    .shrink(2, 10)
    .drop(4);
    let dash = || "—".to_string();
    for t in &s.trajectory {
        let observed = t.observed.map_or_else(dash, |v| {
            let mut cell = human::qualified(v, t.qualifier, unit);
            if let Some(p) = &t.observed_period {
                cell.push_str(&format!(" ({p})"));
            }
            if t.derived {
                cell.push_str(" (derived)");
            }
            // "104% of path" reads as ahead, which for a lower-is-better
            // target it is not: there the signed deviation says it alone
            if let Some(share) = t.of_path.filter(|_| s.target.direction != Some("decrease")) {
                cell.push_str(&format!(" [{} of path]", human::share(share)));
            }
            cell
        });
        g.push(vec![
            t.period.clone(),
            t.path.map_or_else(dash, |v| human::value(v, unit)),
            observed,
            t.projected.map_or_else(dash, |v| human::value(v, unit)),
            t.deviation.map_or_else(dash, |v| signed(v, unit)),
        ]);
    }
    g
}

/// A deviation with its sign: `+$678m`, `-0.2pp`.
fn signed(v: f64, unit: &str) -> String {
    let text = human::difference(v, unit);
    // no `+$0` for a deviation that rounds to nothing
    if v > 0.0 && text.chars().any(|c| ('1'..='9').contains(&c)) {
        format!("+{text}")
    } else {
        text
    }
}

/// Every vintage, with a flags column when any has flags.
pub(super) fn observations(s: &Show, unit: &str) -> Grid {
    let flagged = s
        .observations
        .iter()
        .any(|o| !o.observation.flags.is_empty());
    // the columns after the value move one on with the flags column
    let k = usize::from(flagged);
    let mut header = vec!["id", "period", "value", "published", "used", "source"];
    if flagged {
        header.insert(3, "flags");
    }
    let mut g = Grid::new(&header, &[0, 2])
        .wraps(1)
        .wraps(4 + k)
        .shrink(4 + k, 24)
        .drop(3 + k)
        .shrink(4 + k, 14)
        .shrink(1, 9);
    if flagged {
        g = g.wraps(3).shrink(3, 8);
    }
    for o in &s.observations {
        let v = &o.observation;
        let used = if o.used {
            "yes".to_string()
        } else {
            format!("no: {}", o.use_.describe())
        };
        let mut row = vec![
            v.id.to_string(),
            v.period.clone(),
            human::qualified(v.value, v.qualifier, unit),
            text(v.published.as_deref()),
            used,
            o.source_ref.map(|n| format!("[{n}]")).unwrap_or_default(),
        ];
        if flagged {
            row.insert(3, v.flags.names().join(", "));
        }
        g.push(row);
    }
    g
}

pub(super) fn revisions(s: &Show, unit: &str) -> Grid {
    let mut g = Grid::new(
        &[
            "version",
            "in force from",
            "promise",
            "baseline",
            "deadline",
            "source",
        ],
        &[0],
    )
    .wraps(2)
    .wraps(3)
    .shrink(3, 12)
    .shrink(2, 12);
    for v in &s.revisions {
        let promise = match (v.value, &v.change, v.direction) {
            (Some(x), _, _) => human::value(x, unit),
            (None, Some(c), _) => c.clone(),
            (None, None, Some(d)) => d.to_string(),
            _ => v.kind.name().to_string(),
        };
        let baseline = match (&v.baseline, v.baseline_value) {
            (Some(p), Some(x)) => format!("{} ({p})", human::value(x, unit)),
            (Some(p), None) => p.clone(),
            _ => String::new(),
        };
        let source = s
            .sources
            .iter()
            .find(|r| r.citation == v.source && r.url == v.url)
            .map(|r| format!("[{}]", r.n))
            .unwrap_or_default();
        g.push(vec![
            v.version.to_string(),
            v.effective.clone().unwrap_or_else(|| "the start".into()),
            promise,
            baseline,
            v.deadline.clone(),
            source,
        ]);
    }
    g
}

/// The trajectory in base units, for spreadsheets.
fn trajectory_raw(s: &Show) -> Grid {
    let mut g = Grid::new(
        &[
            "period",
            "path",
            "observed",
            "observed_period",
            "qualifier",
            "projected",
            "deviation",
            "of_path",
        ],
        &[],
    );
    for t in &s.trajectory {
        g.push(vec![
            t.period.clone(),
            cell(t.path),
            cell(t.observed),
            text(t.observed_period.as_deref()),
            text(t.qualifier.map(|q| q.name())),
            cell(t.projected),
            cell(t.deviation),
            cell(t.of_path),
        ]);
    }
    g
}
