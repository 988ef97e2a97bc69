//! An SVG chart of one target (`goalpost plot`, and inside the HTML
//! report), drawn with plotters' SVG backend, which needs no system fonts:
//! the required path, the observations (the ones not used hollow and
//! grey), the projection dashed to the deadline, the target as a marked
//! point, the deadline as a vertical line, titled axes and a legend.

use plotters::prelude::*;

use super::human;
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::report::{Show, UsedObservation};

/// A point of the chart: (time in fractional years, value).
type Xy = (f64, f64);

const WIDTH: u32 = 820;
const HEIGHT: u32 = 440;
const PATH: RGBColor = RGBColor(33, 102, 172);
const OBSERVED: RGBColor = RGBColor(178, 24, 43);
const PROJECTED: RGBColor = RGBColor(214, 96, 77);
const UNUSED: RGBColor = RGBColor(150, 150, 150);
const TARGET: RGBColor = RGBColor(27, 120, 55);

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
    let root = SVGBackend::with_string(out, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;

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
    // a tick is labelled with the period whose time point it is
    let label_of = |t: &f64| -> String {
        let trajectory = rows.iter().map(|row| (row.t, &row.period));
        let observed = show
            .observations
            .iter()
            .map(|o| (o.t, &o.observation.period));
        trajectory
            .chain(observed)
            .find(|(at, _)| (at - *t).abs() < 1e-6)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    };
    let y_label = format!(
        "{} ({unit})",
        show.indicator_name
            .clone()
            .unwrap_or_else(|| "value".into())
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(&title, ("sans-serif", 18).into_font())
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(84)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_labels(rows.len().clamp(2, 14) * 2)
        .x_label_formatter(&label_of)
        .y_label_formatter(&|v| human::value(*v, &unit))
        .x_desc("period (each value at the end of its period)")
        .y_desc(y_label.as_str())
        .draw()?;

    if let Some(d) = deadline {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(d.t, y0), (d.t, y1)],
                6,
                4,
                UNUSED.stroke_width(1),
            ))?
            .label(format!("deadline ({})", r.target.deadline))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], UNUSED.stroke_width(1)));
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
        chart
            .draw_series(LineSeries::new(path, PATH.stroke_width(2)))?
            .label("required path")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], PATH.stroke_width(2)));
    }
    if projected.len() > 1 {
        chart
            .draw_series(DashedLineSeries::new(
                projected,
                8,
                5,
                PROJECTED.stroke_width(2),
            ))?
            .label("projection")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], PROJECTED.stroke_width(2))
            });
    }
    if !unused.is_empty() {
        chart
            .draw_series(
                unused
                    .into_iter()
                    .map(|p| Circle::new(p, 5, UNUSED.stroke_width(2))),
            )?
            .label("observed, not used (superseded, partial, after the deadline)")
            .legend(|(x, y)| Circle::new((x + 9, y), 5, UNUSED.stroke_width(2)));
    }
    if !used.is_empty() {
        chart
            .draw_series(
                used.into_iter()
                    .map(|p| Circle::new(p, 5, OBSERVED.filled())),
            )?
            .label("observed (used)")
            .legend(|(x, y)| Circle::new((x + 9, y), 5, OBSERVED.filled()));
    }
    if let (Some(d), Some(t)) = (deadline, r.target.value) {
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (d.t, t),
                9,
                TARGET.filled(),
            )))?
            .label(format!("target {}", human::value(t, &unit)))
            .legend(|(x, y)| TriangleMarker::new((x + 9, y), 7, TARGET.filled()));
    }
    chart
        .configure_series_labels()
        // the corner a target's data usually leave free
        .position(if r.direction == Some("decrease") {
            SeriesLabelPosition::LowerLeft
        } else {
            SeriesLabelPosition::UpperLeft
        })
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 13).into_font())
        .draw()?;
    root.present()?;
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
