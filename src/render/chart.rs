//! A small terminal chart of a trajectory: the required path, the
//! observations and the projection, in Unicode or plain ASCII.

use super::human;
use crate::report::TrajectoryRow;

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

/// The chart, or `None` when there is nothing to draw.
pub fn chart(rows: &[TrajectoryRow], unit: &str, ascii: bool) -> Option<String> {
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
    let label_width = rows
        .iter()
        .map(|r| r.period.chars().count())
        .max()
        .unwrap_or(4);
    let cell = label_width.clamp(4, 9) + 1;
    let width = rows.len() * cell;
    let mut grid = vec![vec![' '; width]; HEIGHT];
    for (i, r) in rows.iter().enumerate() {
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
    let labels = [human::value(hi, unit), human::value(lo, unit)];
    let axis_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
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
        g.rule.to_string().repeat(width)
    ));
    // period labels, every one that fits
    let mut axis = String::new();
    let step = if label_width + 1 > cell {
        label_width.div_ceil(cell) + 1
    } else {
        1
    };
    for (i, r) in rows.iter().enumerate() {
        if i % step == 0 {
            let start = i * cell + cell / 2;
            let pad = start.saturating_sub(axis.chars().count() + label_width / 2);
            axis.push_str(&" ".repeat(pad));
            axis.push_str(&r.period);
        }
    }
    out.push_str(&format!("{:>axis_width$}  {}\n", "", axis.trim_end()));
    out.push_str(&format!(
        "{:>axis_width$}  {} observed   {} required path   {} projection\n",
        "", g.observed, g.path, g.projected
    ));
    Some(out)
}
