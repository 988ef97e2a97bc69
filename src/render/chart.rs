//! A small terminal chart of a trajectory: the required path, the
//! observations and the projection, in Unicode or plain ASCII.

use super::human;
use crate::report::{Strip, TrajectoryRow};

const HEIGHT: usize = 10;

struct Glyphs {
    path: char,
    observed: char,
    projected: char,
    axis: char,
    corner: char,
    rule: char,
}

const UNICODE: Glyphs = Glyphs {
    path: '·',
    observed: '●',
    projected: '○',
    axis: '│',
    corner: '└',
    rule: '─',
};

const ASCII: Glyphs = Glyphs {
    path: '.',
    observed: '*',
    projected: 'o',
    axis: '|',
    corner: '+',
    rule: '-',
};

/// The chart, or `None` when there is nothing to draw; within `width`
/// columns when one is given (narrower cells, fewer period labels, and
/// past one cell a row, every k-th row). With a `strip` (and whether to
/// colour it), the status as it evolved runs under the time axis, each
/// column the status on that column's date.
pub fn chart(
    rows: &[TrajectoryRow],
    unit: &str,
    ascii: bool,
    width: Option<usize>,
    strip: Option<(&Strip, bool)>,
) -> Option<String> {
    let g = if ascii { &ASCII } else { &UNICODE };
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| [r.path, r.observed, r.projected])
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let level = |v: f64| (((v - lo) / span) * (HEIGHT - 1) as f64).round() as usize;
    let labels = [human::value(hi, unit), human::value(lo, unit)];
    let axis_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    // the plot area: what the width leaves beside the axis and its labels
    let room = width.map(|w| w.saturating_sub(axis_width + 2).max(1));
    let stride = room.map_or(1, |room| rows.len().div_ceil(room).max(1));
    let shown: Vec<&TrajectoryRow> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == rows.len() - 1)
        .map(|(_, r)| r)
        .collect();
    let label_width = shown
        .iter()
        .map(|r| r.period.chars().count())
        .max()
        .unwrap_or(4);
    let natural = label_width.clamp(4, 9) + 1;
    let cell = room.map_or(natural, |room| natural.min(room / shown.len()).max(1));
    let plot_width = shown.len() * cell;
    let mut grid = vec![vec![' '; plot_width]; HEIGHT];
    for (i, r) in shown.iter().enumerate() {
        let x = i * cell + cell / 2;
        // drawn in order of precedence: an observation hides the path under it
        for (value, glyph) in [
            (r.path, g.path),
            (r.projected, g.projected),
            (r.observed, g.observed),
        ] {
            if let Some(v) = value.filter(|v| v.is_finite()) {
                grid[HEIGHT - 1 - level(v)][x] = glyph;
            }
        }
    }
    let mut out = String::new();
    for (i, line) in grid.iter().enumerate() {
        let label = match i {
            0 => labels[0].as_str(),
            i if i == HEIGHT - 1 => labels[1].as_str(),
            _ => "",
        };
        let text: String = line.iter().collect();
        out.push_str(&format!(
            "{label:>axis_width$} {}{}\n",
            g.axis,
            text.trim_end()
        ));
    }
    out.push_str(&format!(
        "{:>axis_width$} {}{}\n",
        "",
        g.corner,
        g.rule.to_string().repeat(plot_width)
    ));
    // period labels, every one that fits without touching the next
    let mut axis = String::new();
    for (i, r) in shown.iter().enumerate() {
        let centre = i * cell + cell / 2;
        let start = centre.saturating_sub(r.period.chars().count() / 2);
        let used = axis.chars().count();
        let gap = if used == 0 { 0 } else { 1 };
        if start >= used + gap && room.is_none_or(|room| start + r.period.chars().count() <= room) {
            axis.push_str(&" ".repeat(start - used));
            axis.push_str(&r.period);
        }
    }
    out.push_str(&format!("{:>axis_width$}  {}\n", "", axis.trim_end()));
    // the status strip: each column's date from the cells' time points
    // (between two cells in proportion, beyond the ends at the same pace),
    // on to the strip's end if the width has room
    let items = [
        format!("{} observed", g.observed),
        format!("{} required path", g.path),
        format!("{} projection", g.projected),
    ];
    let mut status_legend = None;
    if let Some((strip, colour)) = strip.filter(|_| shown.len() > 1) {
        let centre = |i: usize| (i * cell + cell / 2) as f64;
        let time_at = |x: f64| -> f64 {
            let i = ((x - centre(0)) / cell as f64).floor().max(0.0) as usize;
            let i = i.min(shown.len() - 2);
            let (t0, t1) = (shown[i].t, shown[i + 1].t);
            t0 + (x - centre(i)) / cell as f64 * (t1 - t0)
        };
        let end = crate::period::year_fraction(strip.until_day);
        let last = shown.len() - 1;
        let pace = (shown[last].t - shown[last - 1].t) / cell as f64;
        let beyond = if pace > 0.0 && end > shown[last].t {
            ((end - shown[last].t) / pace).ceil() as usize
        } else {
            0
        };
        let limit = width.map_or(usize::MAX, |w| w.saturating_sub(axis_width + 2));
        let columns = (centre(last) as usize + 1 + beyond)
            .min(limit)
            .max(plot_width.min(limit));
        let days: Vec<Option<chrono::NaiveDate>> = (0..columns)
            .map(|x| crate::period::date_at(time_at(x as f64)))
            .collect();
        let line = super::strip::line(strip, &days, colour);
        if !line.is_empty() {
            let label = if axis_width >= 6 { "status" } else { "" };
            out.push_str(&format!("{label:>axis_width$}  {line}\n"));
            status_legend = Some(format!(
                "status as known on each date: {}",
                super::strip::legend(strip, colour)
            ));
        }
    }
    let mut line = String::new();
    for item in items {
        let room = width.map_or(usize::MAX, |w| w.saturating_sub(axis_width + 2));
        if !line.is_empty() && line.chars().count() + 3 + item.chars().count() > room {
            out.push_str(&format!("{:>axis_width$}  {line}\n", ""));
            line.clear();
        }
        if !line.is_empty() {
            line.push_str("   ");
        }
        line.push_str(&item);
    }
    out.push_str(&format!("{:>axis_width$}  {line}\n", ""));
    if let Some(l) = status_legend {
        let indent = " ".repeat(axis_width + 2);
        let text = match width {
            Some(w) => super::fit::wrap_hanging(&l, w.saturating_sub(axis_width + 2), "  "),
            None => l,
        };
        for part in text.lines() {
            out.push_str(&format!("{indent}{part}\n"));
        }
    }
    Some(out)
}
