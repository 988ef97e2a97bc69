//! The status strip in a terminal: one character a column, the letter of
//! the status a report as of that column's date gave (`A` achieved, `O`
//! on track, …), on the status's colour when colour is on, so that it
//! reads without colour too; a legend names the letters. Under the chart
//! its columns are the chart's; alone (`history`, or a target with no
//! chart) it has a time axis of its own.

use chrono::{Datelike, NaiveDate};

use super::color;
use crate::period::{date_at, year_fraction};
use crate::report::Strip;

/// The strip over columns of the given dates (`None`: outside the time
/// axis), the run of each status coloured as one stretch.
pub fn line(strip: &Strip, days: &[Option<NaiveDate>], colour: bool) -> String {
    let cells: Vec<Option<&'static str>> = days
        .iter()
        .map(|d| d.and_then(|d| strip.status_on(d)).map(|s| s.name()))
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < cells.len() {
        let run = cells[i..].iter().take_while(|c| **c == cells[i]).count();
        match cells[i] {
            Some(name) => {
                let letters: String = std::iter::repeat_n(color::letter(name), run).collect();
                out.push_str(&color::band(&letters, name, colour));
            }
            None => out.push_str(&" ".repeat(run)),
        }
        i += run;
    }
    out.trim_end().to_string()
}

/// `N no_data   O on_track   A achieved`: the statuses the strip shows,
/// each letter as the strip draws it.
pub fn legend(strip: &Strip, colour: bool) -> String {
    strip
        .statuses()
        .iter()
        .map(|s| {
            let letter = color::letter(s.name()).to_string();
            format!("{} {}", color::band(&letter, s.name(), colour), s.name())
        })
        .collect::<Vec<_>>()
        .join("   ")
}

/// The strip with its own time axis, from its first span to its end, in
/// `width` columns (60 without one): the strip, the years under it, the
/// legend; `None` when it has no span.
pub fn alone(strip: &Strip, width: Option<usize>, colour: bool) -> Option<String> {
    let first = strip.spans.first()?.day;
    let (t0, t1) = (year_fraction(first), year_fraction(strip.until_day));
    const PREFIX: &str = "status  ";
    let columns = width
        .map_or(60, |w| w.saturating_sub(PREFIX.len()))
        .clamp(10, 100);
    let span = (t1 - t0).max(1.0 / 365.0);
    let at = |x: usize| t0 + span * (x as f64 + 0.5) / columns as f64;
    let days: Vec<Option<NaiveDate>> = (0..columns).map(|x| date_at(at(x))).collect();
    let mut out = format!("{PREFIX}{}\n", line(strip, &days, colour));
    // each year's label where its 1 January falls, when there is room
    let mut axis = String::new();
    for year in first.year() + 1..=strip.until_day.year() {
        let t = year as f64;
        let x = ((t - t0) / span * columns as f64).floor() as usize;
        let label = year.to_string();
        let used = axis.chars().count();
        if x < columns && x >= used + usize::from(used > 0) && x + label.len() <= columns + 4 {
            axis.push_str(&" ".repeat(x - used));
            axis.push_str(&label);
        }
    }
    if axis.trim().is_empty() {
        axis = first.to_string();
    }
    out.push_str(&format!("{}{axis}\n", " ".repeat(PREFIX.len())));
    out.push_str(&format!(
        "{}from {first} to {}: {}\n",
        " ".repeat(PREFIX.len()),
        strip.until,
        legend(strip, colour)
    ));
    Some(out)
}
