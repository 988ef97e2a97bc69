//! An SVG chart of one target (`goalpost plot`, and inside the HTML
//! report), drawn with plotters' SVG backend, which needs no system fonts:
//! the required path, the observations (the ones not used hollow and
//! grey), the projection dashed to the deadline, the target as a marked
//! point, the deadline as a vertical line, titled axes with one evenly
//! spaced tick per period (the baseline's and the deadline's always among
//! them) and a legend under the plot, where it covers nothing. A milestone
//! is a timeline: its deadline, and when it was done.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::human;
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::report::{Show, UsedObservation};

/// A point of the chart: (time in fractional years, value).
type Xy = (f64, f64);

const WIDTH: u32 = 820;
const HEIGHT: u32 = 500;
/// The strip under the plot that holds the legend.
const LEGEND: u32 = 64;
/// The band between the plot and the legend that holds the status strip.
const BAND: u32 = 52;
const PATH: RGBColor = RGBColor(33, 102, 172);
const OBSERVED: RGBColor = RGBColor(178, 24, 43);
const PROJECTED: RGBColor = RGBColor(214, 96, 77);
const UNUSED: RGBColor = RGBColor(150, 150, 150);
const TARGET: RGBColor = RGBColor(27, 120, 55);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// The chart as an SVG document.
pub fn svg(show: &Show) -> Result<String> {
    let mut out = String::new();
    draw(show, &mut out).map_err(|e| Error::invalid(format!("drawing the chart: {e}")))?;
    Ok(out)
}

fn draw(show: &Show, out: &mut String) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let r = &show.target;
    let unit = r.unit.clone().unwrap_or_default();
    let title = r.title.clone().unwrap_or_else(|| r.id.clone());
    let band_height = if show.status_strip.is_some() { BAND } else { 0 };
    let root = SVGBackend::with_string(out, (WIDTH, HEIGHT + band_height)).into_drawing_area();
    root.fill(&WHITE)?;
    let (plot, rest) = root.split_vertically(HEIGHT - LEGEND);
    let (band, strip) = rest.split_vertically(band_height);
    let mut legend: Vec<(String, Swatch)> = Vec::new();
    if r.kind == Kind::Milestone {
        let axis = milestone(show, &plot, &mut legend)?;
        if let (Some(s), Some(axis)) = (&show.status_strip, axis) {
            draw_band(&band, s, &axis, 32)?;
        }
        draw_legend(&strip, &legend)?;
        root.present()?;
        return Ok(());
    }

    let rows = &show.trajectory;
    let deadline = rows.iter().find(|row| row.period == r.target.deadline);
    // what is drawn as observed: each vintage at its instant; for a
    // cumulative target the running sum, on the scale of its total
    let (used, unused): (Vec<Xy>, Vec<Xy>) = if r.kind == Kind::Cumulative {
        let sums = rows
            .iter()
            .filter_map(|row| row.observed.map(|v| (row.observed_t.unwrap_or(row.t), v)));
        (sums.collect(), Vec::new())
    } else {
        let at = |o: &UsedObservation| (o.t, o.observation.value);
        let shown = |o: &&UsedObservation| o.t.is_finite() && o.observation.retracted.is_none();
        (
            show.observations
                .iter()
                .filter(shown)
                .filter(|o| o.used)
                .map(at)
                .collect(),
            show.observations
                .iter()
                .filter(shown)
                .filter(|o| !o.used)
                .map(at)
                .collect(),
        )
    };
    // the projection starts from the latest value
    let mut projected: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|row| row.projected.map(|p| (row.t, p)))
        .collect();
    let latest = used
        .iter()
        .copied()
        .reduce(|a, b| if b.0 > a.0 { b } else { a });
    if let (Some(first), Some(latest)) = (projected.first().copied(), latest)
        && latest.0 < first.0 - 1e-9
    {
        projected.insert(0, latest);
    }
    let mut xs: Vec<f64> = rows.iter().map(|row| row.t).collect();
    let mut ys: Vec<f64> = rows
        .iter()
        .flat_map(|row| [row.path, row.projected])
        .flatten()
        .collect();
    for (x, y) in used.iter().chain(&unused) {
        xs.push(*x);
        ys.push(*y);
    }
    ys.extend(r.target.value);
    if let Some(start) = show.path_start {
        xs.push(start.t);
        ys.push(start.value);
    }
    xs.retain(|x| x.is_finite());
    ys.retain(|y| y.is_finite());
    if xs.is_empty() || ys.is_empty() {
        root.draw(&Text::new(
            format!("{title}: nothing to chart yet"),
            (20, 40),
            ("sans-serif", 18).into_font(),
        ))?;
        root.present()?;
        return Ok(());
    }
    let (x0, x1) = padded(&xs, 0.04, 0.5);
    let (y0, y1) = padded(&ys, 0.08, 1.0);
    let ticks = ticks(show, x0, x1);
    let y_label = format!(
        "{} ({unit})",
        show.indicator_name
            .clone()
            .unwrap_or_else(|| "value".into())
    );
    let mut chart = ChartBuilder::on(&plot)
        .caption(&title, ("sans-serif", 18).into_font())
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(84)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .disable_x_mesh()
        .x_labels(0)
        .y_label_formatter(&|v| human::value(*v, &unit))
        .x_desc("period (each value at the end of its period)")
        .y_desc(y_label.as_str())
        .draw()?;
    x_ticks(&mut chart, &plot, &ticks, (y0, y1))?;

    if let Some(d) = deadline {
        chart.draw_series(DashedLineSeries::new(
            vec![(d.t, y0), (d.t, y1)],
            6,
            4,
            UNUSED.stroke_width(1),
        ))?;
        legend.push((
            format!("deadline ({})", r.target.deadline),
            Swatch::Dashed(UNUSED, 1),
        ));
    }
    // the required path from its start (the baseline) through every row
    let mut path: Vec<Xy> = rows
        .iter()
        .filter_map(|row| row.path.map(|p| (row.t, p)))
        .collect();
    if let Some(start) = show.path_start
        && path.first().is_none_or(|first| start.t < first.0 - 1e-9)
    {
        path.insert(0, (start.t, start.value));
    }
    if !path.is_empty() {
        chart.draw_series(LineSeries::new(path, PATH.stroke_width(2)))?;
        legend.push(("required path".into(), Swatch::Line(PATH, 2)));
    }
    if projected.len() > 1 {
        chart.draw_series(DashedLineSeries::new(
            projected,
            8,
            5,
            PROJECTED.stroke_width(2),
        ))?;
        legend.push(("projection".into(), Swatch::Dashed(PROJECTED, 2)));
    }
    if !unused.is_empty() {
        chart.draw_series(
            unused
                .into_iter()
                .map(|p| Circle::new(p, 5, UNUSED.stroke_width(2))),
        )?;
        legend.push((
            "observed, not used (superseded, partial, after the deadline)".into(),
            Swatch::Hollow(UNUSED),
        ));
    }
    if !used.is_empty() {
        chart.draw_series(
            used.into_iter()
                .map(|p| Circle::new(p, 5, OBSERVED.filled())),
        )?;
        legend.push(("observed (used)".into(), Swatch::Dot(OBSERVED)));
    }
    if let (Some(d), Some(t)) = (deadline, r.target.value) {
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (d.t, t),
            9,
            TARGET.filled(),
        )))?;
        legend.push((
            format!("target {}", human::value(t, &unit)),
            Swatch::Triangle(TARGET),
        ));
    }
    if let Some(s) = &show.status_strip {
        let axis = Axis {
            t0: x0,
            t1: x1,
            p0: chart.backend_coord(&(x0, y0)).0,
            p1: chart.backend_coord(&(x1, y0)).0,
        };
        draw_band(&band, s, &axis, 32)?;
    }
    draw_legend(&strip, &legend)?;
    root.present()?;
    Ok(())
}

/// The time axis of a chart: its first and last time point (fractional
/// years) and where they are drawn (pixels from the left).
struct Axis {
    t0: f64,
    t1: f64,
    p0: i32,
    p1: i32,
}

impl Axis {
    fn px(&self, t: f64) -> i32 {
        let share = if self.t1 > self.t0 {
            (t - self.t0) / (self.t1 - self.t0)
        } else {
            0.0
        };
        self.p0 + (share * f64::from(self.p1 - self.p0)).round() as i32
    }
}

/// A page colour (`#rrggbb`) for plotters.
fn rgb(hex: &str) -> RGBColor {
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("88"), 16).unwrap_or(136);
    RGBColor(part(1), part(3), part(5))
}

/// The status strip under the plot, on the chart's time axis: a bar per
/// span of one status in the status's colour, named inside (its letter
/// where the bar is narrow), so that it reads without colour; the
/// statuses named under it, at `legend_y`.
fn draw_band(
    band: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    strip: &crate::report::Strip,
    axis: &Axis,
    legend_y: i32,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    use crate::period::year_fraction;
    let (top, bottom) = (4, 24);
    let label = ("sans-serif", 12)
        .into_font()
        .color(&RGBColor(60, 60, 60))
        .pos(Pos::new(HPos::Right, VPos::Center));
    band.draw(&Text::new(
        "status".to_string(),
        (axis.p0 - 8, (top + bottom) / 2),
        label,
    ))?;
    for (start, end, status) in strip.ranges() {
        let (a, b) = (
            year_fraction(start).max(axis.t0),
            year_fraction(end).min(axis.t1),
        );
        if b <= a {
            continue;
        }
        let (x0, x1) = (axis.px(a), axis.px(b).max(axis.px(a) + 1));
        let name = status.name();
        band.draw(&Rectangle::new(
            [(x0, top), (x1, bottom)],
            rgb(super::color::web(name)).filled(),
        ))?;
        let ink = if name == "withdrawn" { BLACK } else { WHITE };
        let font = ("sans-serif", 11)
            .into_font()
            .color(&ink)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let words = name.replace('_', " ");
        let text = if (x1 - x0) as usize > 7 * words.len() + 6 {
            words
        } else if x1 - x0 >= 10 {
            super::color::letter(name).to_string()
        } else {
            String::new()
        };
        if !text.is_empty() {
            band.draw(&Text::new(text, ((x0 + x1) / 2, (top + bottom) / 2), font))?;
        }
    }
    // which status each colour and letter is, as known on each date
    let font = ("sans-serif", 12).into_font();
    let mut x = axis.p0;
    band.draw(&Text::new(
        "status as known on each date:".to_string(),
        (x, legend_y),
        font.clone(),
    ))?;
    x += 186;
    for s in strip.statuses() {
        let name = s.name();
        band.draw(&Rectangle::new(
            [(x, legend_y), (x + 12, legend_y + 12)],
            rgb(super::color::web(name)).filled(),
        ))?;
        let text = format!("{} {}", super::color::letter(name), name.replace('_', " "));
        band.draw(&Text::new(text.clone(), (x + 16, legend_y), font.clone()))?;
        x += 30 + 7 * text.len() as i32;
    }
    Ok(())
}

/// One tick per period step (the trajectory's: a year for a yearly
/// target) across `[x0, x1]`, evenly spaced and counted from the
/// baseline, each labelled with its period; past fourteen, every k-th,
/// the baseline's and the deadline's always kept.
fn ticks(show: &Show, x0: f64, x1: f64) -> Vec<(f64, String)> {
    let rows = &show.trajectory;
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    let step = match rows.get(1) {
        Some(second) if second.t > first.t => second.t - first.t,
        _ => 1.0,
    };
    let known: Vec<(f64, &str)> = rows
        .iter()
        .map(|r| (r.t, r.period.as_str()))
        .chain(
            show.observations
                .iter()
                .map(|o| (o.t, o.observation.period.as_str())),
        )
        .collect();
    // a yearly axis can name the years no row or observation names
    let first_year: Option<i32> = first
        .period
        .parse()
        .ok()
        .filter(|_| first.period.len() == 4 && (step - 1.0).abs() < 0.01);
    let label = |k: i64, t: f64| -> String {
        known
            .iter()
            .find(|(at, _)| (at - t).abs() < 0.02 * step)
            .map(|(_, p)| p.to_string())
            .or_else(|| first_year.map(|y| (y as i64 + k).to_string()))
            .unwrap_or_default()
    };
    let k0 = ((x0 - first.t) / step).ceil() as i64;
    let k1 = ((x1 - first.t) / step).floor() as i64;
    let deadline = rows
        .iter()
        .position(|r| r.period == show.target.target.deadline)
        .map(|i| i as i64);
    let count = (k1 - k0 + 1).max(1);
    let stride = (count as f64 / 14.0).ceil().max(1.0) as i64;
    (k0..=k1)
        .filter(|k| k.rem_euclid(stride) == 0 || Some(*k) == deadline)
        .map(|k| {
            let t = first.t + k as f64 * step;
            (t, label(k, t))
        })
        .collect()
}

/// A milestone: a timeline of years with its deadline and, when it was
/// done, the day it was.
fn milestone(
    show: &Show,
    plot: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    legend: &mut Vec<(String, Swatch)>,
) -> std::result::Result<Option<Axis>, Box<dyn std::error::Error>> {
    let r = &show.target;
    let title = r.title.clone().unwrap_or_else(|| r.id.clone());
    let at = |d: &str| crate::parse::date(d).ok().map(crate::period::year_fraction);
    let deadline = crate::parse::period(&r.target.deadline)
        .ok()
        .map(|p| crate::period::year_fraction(p.end()));
    let done = r
        .milestone
        .as_ref()
        .and_then(|m| m.done_on.as_deref())
        .and_then(at);
    let as_of = at(&show.as_of);
    let points: Vec<f64> = [deadline, done, as_of].into_iter().flatten().collect();
    if points.is_empty() {
        plot.draw(&Text::new(
            format!("{title}: nothing to chart"),
            (20, 40),
            ("sans-serif", 18).into_font(),
        ))?;
        return Ok(None);
    }
    let lo = points.iter().copied().fold(f64::INFINITY, f64::min).floor() - 1.0;
    let hi = points
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        + 1.0;
    let years: Vec<f64> = (lo as i64..=hi as i64).map(|y| y as f64).collect();
    let mut chart = ChartBuilder::on(plot)
        .caption(&title, ("sans-serif", 18).into_font())
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(20)
        .build_cartesian_2d(lo..hi, 0.0..1.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("year (each tick is its 1 January)")
        .draw()?;
    let ticks: Vec<(f64, String)> = years.iter().map(|y| (*y, format!("{y:.0}"))).collect();
    x_ticks(&mut chart, plot, &ticks, (0.0, 1.0))?;
    chart.draw_series(LineSeries::new(
        vec![(lo, 0.5), (hi, 0.5)],
        UNUSED.stroke_width(1),
    ))?;
    if let Some(d) = deadline {
        chart.draw_series(DashedLineSeries::new(
            vec![(d, 0.0), (d, 1.0)],
            6,
            4,
            UNUSED.stroke_width(1),
        ))?;
        legend.push((
            format!("deadline (end of {})", r.target.deadline),
            Swatch::Dashed(UNUSED, 1),
        ));
    }
    match (done, r.milestone.as_ref().and_then(|m| m.done_on.clone())) {
        (Some(t), Some(on)) => {
            chart.draw_series(std::iter::once(TriangleMarker::new(
                (t, 0.5),
                9,
                TARGET.filled(),
            )))?;
            legend.push((format!("done on {on}"), Swatch::Triangle(TARGET)));
        }
        _ => {
            if let Some(t) = as_of {
                chart.draw_series(std::iter::once(Circle::new(
                    (t, 0.5),
                    5,
                    UNUSED.stroke_width(2),
                )))?;
                legend.push((
                    format!(
                        "not recorded as done by {} ({})",
                        show.as_of,
                        r.status.name()
                    ),
                    Swatch::Hollow(UNUSED),
                ));
            }
        }
    }
    Ok(Some(Axis {
        t0: lo,
        t1: hi,
        p0: chart.backend_coord(&(lo, 0.0)).0,
        p1: chart.backend_coord(&(hi, 0.0)).0,
    }))
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws the x-axis ticks ourselves, where `ticks` says (plotters picks
/// round numbers, not periods): a light grid line, a tick mark and the
/// period under the axis.
fn x_ticks(
    chart: &mut Chart,
    plot: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    ticks: &[(f64, String)],
    (y0, y1): (f64, f64),
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let font = ("sans-serif", 12)
        .into_font()
        .color(&RGBColor(60, 60, 60))
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (t, label) in ticks {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(*t, y0), (*t, y1)],
            GRID.stroke_width(1),
        )))?;
        let (x, y) = chart.backend_coord(&(*t, y0));
        plot.draw(&PathElement::new(
            vec![(x, y), (x, y + 5)],
            BLACK.stroke_width(1),
        ))?;
        plot.draw(&Text::new(label.clone(), (x, y + 8), font.clone()))?;
    }
    Ok(())
}

/// What a legend entry shows beside its text.
enum Swatch {
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
    Hollow(RGBColor),
    Dot(RGBColor),
    Triangle(RGBColor),
}

/// The legend in the strip under the plot: entries side by side, on as
/// many rows as they need.
fn draw_legend(
    strip: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    items: &[(String, Swatch)],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let font = ("sans-serif", 13).into_font();
    let (mut x, mut y) = (100i32, 14i32);
    for (text, swatch) in items {
        // about 6.5 pixels a character at 13 pixels
        let width = 30 + (13 * text.chars().count() as i32) / 2;
        if x > 100 && x + width > WIDTH as i32 - 16 {
            x = 100;
            y += 22;
        }
        match swatch {
            Swatch::Line(c, w) => {
                strip.draw(&PathElement::new(
                    vec![(x, y), (x + 18, y)],
                    c.stroke_width(*w),
                ))?;
            }
            Swatch::Dashed(c, w) => {
                for dash in [0, 8, 16] {
                    strip.draw(&PathElement::new(
                        vec![(x + dash, y), (x + dash + 5, y)],
                        c.stroke_width(*w),
                    ))?;
                }
            }
            Swatch::Hollow(c) => strip.draw(&Circle::new((x + 9, y), 5, c.stroke_width(2)))?,
            Swatch::Dot(c) => strip.draw(&Circle::new((x + 9, y), 5, c.filled()))?,
            Swatch::Triangle(c) => strip.draw(&TriangleMarker::new((x + 9, y), 7, c.filled()))?,
        }
        strip.draw(&Text::new(text.clone(), (x + 26, y - 7), font.clone()))?;
        x += width + 18;
    }
    Ok(())
}

/// The range of `values` widened by `share` of its span on each side (or
/// by `min_pad` when all values are equal).
fn padded(values: &[f64], share: f64, min_pad: f64) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = if hi > lo {
        (hi - lo) * share
    } else {
        min_pad.max(hi.abs() * 0.1)
    };
    (lo - pad, hi + pad)
}

/// The status strip alone (`history --format html`), on a time axis of its
/// own from its first span to its end, a tick at each 1 January.
pub fn strip(strip: &crate::report::Strip) -> Result<String> {
    let mut out = String::new();
    draw_strip(strip, &mut out).map_err(|e| Error::invalid(format!("drawing the strip: {e}")))?;
    Ok(out)
}

fn draw_strip(
    strip: &crate::report::Strip,
    out: &mut String,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    use crate::period::year_fraction;
    let Some(first) = strip.spans.first() else {
        return Ok(());
    };
    let (t0, t1) = (year_fraction(first.day), year_fraction(strip.until_day));
    let axis = Axis {
        t0,
        t1: t1.max(t0 + 1.0 / 365.0),
        p0: 100,
        p1: WIDTH as i32 - 30,
    };
    let root = SVGBackend::with_string(out, (WIDTH, BAND + 22)).into_drawing_area();
    root.fill(&WHITE)?;
    // the years under the bar, the legend under them
    draw_band(&root, strip, &axis, 52)?;
    let font = ("sans-serif", 12)
        .into_font()
        .color(&RGBColor(60, 60, 60))
        .pos(Pos::new(HPos::Center, VPos::Top));
    let years = (t0.ceil() as i32)..=(axis.t1.floor() as i32);
    let stride = (years.clone().count() / 14).max(1);
    for (i, y) in years.enumerate() {
        let x = axis.px(f64::from(y));
        root.draw(&PathElement::new(
            vec![(x, 24), (x, 29)],
            BLACK.stroke_width(1),
        ))?;
        if i % stride == 0 {
            root.draw(&Text::new(y.to_string(), (x, 32), font.clone()))?;
        }
    }
    root.present()?;
    Ok(())
}
