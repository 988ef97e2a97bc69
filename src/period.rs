//! The time model of methodology.md §1: periods, their instants, and
//! fractional years. A year may be a fiscal year, starting in another
//! month than January (`2009/10`, April 2009 to March 2010).
//!
//! A period covers `[start, end)`. Its time point is its exclusive end
//! (`2020` → 2021-01-01 → t = 2021.0), except a single day of a *stock*,
//! which is the instant at the start of that day.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

/// The calendar unit of one step of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grain {
    Year,
    Half,
    Quarter,
    Month,
    Day,
}

/// One calendar unit: the year 2021, the quarter 2021-Q3, the day
/// 2021-07-15; or one unit of a fiscal year: the year 2009/10, its quarter
/// 2009/10-Q1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub grain: Grain,
    pub start: NaiveDate,
    /// The month (1 to 12) in which the year of a year, half or quarter
    /// starts: 1 for the calendar's, another for a fiscal year's (a fiscal
    /// year starts on the first of that month). Always 1 for a month or a
    /// day, which are the calendar's.
    pub year_start: u32,
}

impl Grain {
    /// The grain as stored: 0 year, 1 half, 2 quarter, 3 month, 4 day.
    pub fn code(self) -> i64 {
        match self {
            Grain::Year => 0,
            Grain::Half => 1,
            Grain::Quarter => 2,
            Grain::Month => 3,
            Grain::Day => 4,
        }
    }

    pub fn from_code(code: i64) -> Option<Grain> {
        [
            Grain::Year,
            Grain::Half,
            Grain::Quarter,
            Grain::Month,
            Grain::Day,
        ]
        .get(usize::try_from(code).ok()?)
        .copied()
    }

    /// Months in one step; `None` for a day.
    fn months(self) -> Option<u32> {
        match self {
            Grain::Year => Some(12),
            Grain::Half => Some(6),
            Grain::Quarter => Some(3),
            Grain::Month => Some(1),
            Grain::Day => None,
        }
    }
}

/// A date as a day number: days from the common era, 0001-01-01 being 1
/// (how the store keeps dates as integers).
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The date of a day number (see [`day_number`]).
pub fn from_day_number(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
}

impl Span {
    /// A span of the calendar (a calendar year, half or quarter).
    pub fn calendar(grain: Grain, start: NaiveDate) -> Span {
        Span {
            grain,
            start,
            year_start: 1,
        }
    }

    /// The year named by the calendar year in which it ends, in a year
    /// that starts in month `year_start` (FY2010 from April is April 2009
    /// to March 2010; from January it is 2010 itself).
    pub fn year_ending_in(end_year: i32, year_start: u32) -> Option<Span> {
        let first_year = if year_start == 1 {
            end_year
        } else {
            end_year - 1
        };
        Some(Span {
            grain: Grain::Year,
            start: NaiveDate::from_ymd_opt(first_year, year_start, 1)?,
            year_start,
        })
    }

    /// The span as the store keeps its grain: [`Grain::code`], plus ten
    /// times the first month of its year for a span of a fiscal year (a
    /// fiscal quarter of a year from April is 42).
    pub fn code(&self) -> i64 {
        let fiscal = if self.year_start == 1 {
            0
        } else {
            10 * i64::from(self.year_start)
        };
        self.grain.code() + fiscal
    }

    /// The span of stored grain `code` (see [`Span::code`]) that starts on
    /// `start`, if that is one.
    pub fn from_code(code: i64, start: NaiveDate) -> Option<Span> {
        let year_start = match code.div_euclid(10) {
            0 => 1,
            m @ 2..=12 => m as u32,
            _ => return None,
        };
        let span = Span {
            grain: Grain::from_code(code.rem_euclid(10))?,
            start,
            year_start,
        };
        span.is_aligned().then_some(span)
    }

    /// Whether the span starts where a span of its grain can: a month's
    /// first day, a year at its year's start, a half or quarter at a
    /// whole number of its own lengths after it.
    fn is_aligned(&self) -> bool {
        let Some(months) = self.grain.months() else {
            return self.year_start == 1;
        };
        let m = self.start.month();
        self.start.day() == 1
            && match self.grain {
                Grain::Month => self.year_start == 1,
                _ => (m + 12 - self.year_start).is_multiple_of(months),
            }
    }

    /// The first year of the fiscal year the span lies in (2009 for
    /// 2009/10).
    fn fiscal_first_year(&self) -> i32 {
        let y = self.start.year();
        if self.start.month() >= self.year_start {
            y
        } else {
            y - 1
        }
    }

    /// The first day after the span.
    pub fn end(&self) -> NaiveDate {
        let Some(months) = self.grain.months() else {
            return self.start.succ_opt().unwrap_or(NaiveDate::MAX);
        };
        // spans of months start on the first: the month arithmetic is plain
        if self.start.day() == 1 {
            let m = self.start.month0() + months;
            if let Some(end) =
                NaiveDate::from_ymd_opt(self.start.year() + (m / 12) as i32, m % 12 + 1, 1)
            {
                return end;
            }
        }
        self.start
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Span {
    /// Years from 0 to 9999, all there are in practice, are written by
    /// hand: a report writes a few periods for each of its rows, and the
    /// formatting machinery took a fiftieth of its time. Any other year
    /// takes the general way, whose output the hand-written one matches.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = Ascii::default();
        match self.written(&mut text) {
            Some(()) => f.write_str(text.as_str()),
            None => self.fmt_general(f),
        }
    }
}

/// A few ASCII characters built on the stack: room for a period's two
/// spans and the dots between them (22 at most: two days).
#[derive(Default)]
struct Ascii {
    bytes: [u8; 24],
    len: usize,
}

impl Ascii {
    fn push(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    /// `n` (below 10 to the power `width`) in `width` digits, zeros first.
    fn digits(&mut self, n: u32, width: u32) {
        for place in (0..width).rev() {
            self.push(b'0' + (n / 10u32.pow(place) % 10) as u8);
        }
    }

    fn as_str(&self) -> &str {
        // only ASCII digits and signs are pushed
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// A day as `YYYY-MM-DD`, as `NaiveDate`'s own `Display` writes it, by
/// hand for the years 0 to 9999.
pub fn date_text(d: NaiveDate) -> String {
    let mut text = Ascii::default();
    match u32::try_from(d.year()).ok().filter(|y| *y <= 9999) {
        Some(y) => {
            date_into(&mut text, y, d);
            text.as_str().to_string()
        }
        None => d.to_string(),
    }
}

fn date_into(text: &mut Ascii, year: u32, d: NaiveDate) {
    text.digits(year, 4);
    text.push(b'-');
    text.digits(d.month(), 2);
    text.push(b'-');
    text.digits(d.day(), 2);
}

impl Span {
    /// The span written into `text`, for a year from 0 to 9999 (a fiscal
    /// year's first); `None` for any other, left to [`Span::fmt_general`].
    fn written(&self, text: &mut Ascii) -> Option<()> {
        let fiscal = self.year_start != 1;
        let year = if fiscal {
            self.fiscal_first_year()
        } else {
            self.start.year()
        };
        let year = u32::try_from(year).ok().filter(|y| *y <= 9999)?;
        if self.grain == Grain::Day {
            date_into(text, year, self.start);
            return Some(());
        }
        text.digits(year, 4);
        if fiscal {
            // a fiscal year by the two years it spans: 2009/10, 1999/00
            text.push(b'/');
            text.digits((year + 1) % 100, 2);
        }
        let m = self.start.month();
        // the half or quarter of its year (a calendar year starts in month 1)
        let nth = |months: u32| (m + 12 - self.year_start) % 12 / months + 1;
        let (part, n, width) = match self.grain {
            Grain::Year | Grain::Day => return Some(()),
            Grain::Half => (Some(b'H'), nth(6), 1),
            Grain::Quarter => (Some(b'Q'), nth(3), 1),
            Grain::Month => (None, m, 2),
        };
        text.push(b'-');
        if let Some(part) = part {
            text.push(part);
        }
        text.digits(n, width);
        Some(())
    }

    /// Any span, by the formatting machinery (the years [`Span::written`]
    /// leaves to it).
    fn fmt_general(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m) = (self.start.year(), self.start.month());
        if self.year_start != 1 {
            // a fiscal year by the two years it spans: 2009/10, 1999/00
            let first = self.fiscal_first_year();
            write!(f, "{first:04}/{:02}", (first + 1).rem_euclid(100))?;
            let months = self.grain.months().unwrap_or(12);
            let n = (m + 12 - self.year_start) % 12 / months + 1;
            return match self.grain {
                Grain::Half => write!(f, "-H{n}"),
                Grain::Quarter => write!(f, "-Q{n}"),
                _ => Ok(()),
            };
        }
        match self.grain {
            Grain::Year => write!(f, "{y:04}"),
            Grain::Half => write!(f, "{y:04}-H{}", (m - 1) / 6 + 1),
            Grain::Quarter => write!(f, "{y:04}-Q{}", (m - 1) / 3 + 1),
            Grain::Month => write!(f, "{y:04}-{m:02}"),
            Grain::Day => write!(f, "{}", self.start.format("%Y-%m-%d")),
        }
    }
}

/// A period: one span, or a range of spans of the same grain (`2016..2020`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    first: Span,
    last: Span,
    /// The first day after it, worked out once: an assessment asks for it
    /// of every vintage, many times over (it follows from `last`).
    end: NaiveDate,
    /// Its [`Length`], worked out once too (it follows from both ends).
    length: Stored,
}

/// A [`Length`] in the room of one `i64`: days from one valid date to
/// another fit in an `i32` (chrono's dates span under 200 million days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Stored {
    Months(u32),
    Days(i32),
}

impl Period {
    /// The spans from `first` to `last` (of the same grain, `last` not
    /// before `first`: what the parser and the engine make sure of).
    pub fn new(first: Span, last: Span) -> Period {
        Period::of(first, last, last.end())
    }

    /// The period from `first` to `last`, `end` being `last.end()`.
    fn of(first: Span, last: Span, end: NaiveDate) -> Period {
        let length = match months_between(first.start, end) {
            Some(m) => Stored::Months(m),
            None => Stored::Days((end - first.start).num_days() as i32),
        };
        Period {
            first,
            last,
            end,
            length,
        }
    }

    pub fn single(span: Span) -> Period {
        Period::new(span, span)
    }

    /// Its first span.
    pub fn first(&self) -> Span {
        self.first
    }

    /// Its last span.
    pub fn last(&self) -> Span {
        self.last
    }

    pub fn start(&self) -> NaiveDate {
        self.first.start
    }

    /// The period of stored grain `code` (see [`Span::code`]) covering the
    /// days `[start, end)` as day numbers (see [`day_number`]): how the
    /// store keeps a period. `None` when they are not whole spans of that
    /// grain.
    pub fn from_days(code: i64, start: i64, end: i64) -> Option<Period> {
        let first = Span::from_code(code, from_day_number(start)?)?;
        let grain = first.grain;
        let end = from_day_number(end)?;
        let last_start = match grain.months() {
            Some(m) if end.day() == 1 => {
                let month = end.year() * 12 + end.month0() as i32 - m as i32;
                NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)?
            }
            Some(_) => return None,
            None => end.pred_opt()?,
        };
        let last = Span {
            start: last_start,
            ..first
        };
        (last.start >= first.start && last.is_aligned() && last.end() == end)
            .then(|| Period::of(first, last, end))
    }

    /// The exclusive end: the first day after the period.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// The days the period covers, `[start, end)`: `2021`, `2021-01..2021-12`
    /// and `2021-Q1..2021-Q4` are one and the same span of time.
    pub fn bounds(&self) -> (NaiveDate, NaiveDate) {
        (self.start(), self.end())
    }

    /// The last day inside the period.
    pub fn last_day(&self) -> NaiveDate {
        self.end().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    pub fn is_single_day(&self) -> bool {
        self.first == self.last && self.first.grain == Grain::Day
    }

    /// Whole calendar months covered, when the period starts and ends on a
    /// month boundary (a year is 12, a quarter 3, `2022-01..2022-08` is 8).
    pub fn months(&self) -> Option<u32> {
        match self.length {
            Stored::Months(m) => Some(m),
            Stored::Days(_) => None,
        }
    }

    /// Two periods have the same length (methodology.md §2 rule 4): the same
    /// number of whole months, or else the same number of days.
    pub fn same_length(&self, other: &Period) -> bool {
        self.length() == other.length()
    }

    /// The period's length as [`Period::same_length`] compares it: whole
    /// months, or else days (computed once where many periods are
    /// compared with one).
    pub fn length(&self) -> Length {
        match self.length {
            Stored::Months(m) => Length::Months(m),
            Stored::Days(d) => Length::Days(i64::from(d)),
        }
    }

    /// The period of the same form `steps` of its own lengths later (earlier
    /// when negative): `2021` → `2022`, `2020-09..2021-08` → `2021-09..2022-08`.
    pub fn shifted(&self, steps: i32) -> Option<Period> {
        let shift = |span: Span| -> Option<Span> {
            let start = match self.months() {
                Some(m) => {
                    let by = m.checked_mul(steps.unsigned_abs())?;
                    if steps >= 0 {
                        span.start.checked_add_months(Months::new(by))?
                    } else {
                        span.start.checked_sub_months(Months::new(by))?
                    }
                }
                None => {
                    let days = (self.end() - self.start()).num_days() * steps as i64;
                    span.start
                        .checked_add_signed(chrono::TimeDelta::try_days(days)?)?
                }
            };
            Some(Span { start, ..span })
        };
        Some(Period::new(shift(self.first)?, shift(self.last)?))
    }

    /// Whether the period can be one of an indicator whose year starts in
    /// month `year_start`: its years are that indicator's years (a
    /// calendar year has no place among fiscal ones, whose plain `2010`
    /// is FY2010), its halves and quarters the calendar's or its year's.
    pub fn fits_year(&self, year_start: u32) -> bool {
        match self.first.grain {
            Grain::Year => self.first.year_start == year_start,
            Grain::Half | Grain::Quarter => {
                self.first.year_start == 1 || self.first.year_start == year_start
            }
            Grain::Month | Grain::Day => true,
        }
    }

    /// The period's time point for an indicator of the given measure.
    pub fn instant(&self, stock: bool) -> f64 {
        if stock && self.is_single_day() {
            year_fraction(self.start())
        } else {
            year_fraction(self.end())
        }
    }
}

/// Whole calendar months from `s` to `e`, when both are the first of a
/// month (see [`Period::months`]).
fn months_between(s: NaiveDate, e: NaiveDate) -> Option<u32> {
    if s.day() != 1 || e.day() != 1 {
        return None;
    }
    let m = (e.year() - s.year()) * 12 + e.month() as i32 - s.month() as i32;
    u32::try_from(m).ok()
}

/// A period's length: see [`Period::length`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    Months(u32),
    Days(i64),
}

impl Period {
    /// The period's text, as its `Display` writes it, made without the
    /// formatting machinery for the years 0 to 9999 (a report makes a few
    /// for each of its rows).
    pub fn text(&self) -> String {
        let mut text = Ascii::default();
        match self.written(&mut text) {
            Some(()) => text.as_str().to_string(),
            None => self.to_string(),
        }
    }

    /// Its spans written by hand, as [`Span::written`] writes each, with
    /// the dots between them; `None` where either is left to the general
    /// way.
    fn written(&self, text: &mut Ascii) -> Option<()> {
        self.first.written(text)?;
        if self.first != self.last {
            text.push(b'.');
            text.push(b'.');
            self.last.written(text)?;
        }
        Some(())
    }
}

impl fmt::Display for Period {
    /// By hand where both spans are (see [`Period::written`]), else each
    /// span by its own `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = Ascii::default();
        if self.written(&mut text).is_some() {
            return f.write_str(text.as_str());
        }
        fmt::Display::fmt(&self.first, f)?;
        if self.first != self.last {
            f.write_str("..")?;
            fmt::Display::fmt(&self.last, f)?;
        }
        Ok(())
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    /// Chronological: by start, then by end, then by grain (a calendar
    /// quarter before the fiscal one of the same days).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |p: &Period| (p.start(), p.end(), p.first.grain, p.first.year_start);
        key(self).cmp(&key(other))
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of month `m` (1 to 12).
pub fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// The months an indicator's year runs, in three letters: `Jan-Dec` for
/// the calendar year, `Apr-Mar` for a fiscal year from April.
pub fn year_months(year_start: u32) -> String {
    let last = (year_start + 10) % 12 + 1;
    format!(
        "{}-{}",
        &month_name(year_start)[..3],
        &month_name(last)[..3]
    )
}

/// What the years of an indicator are, to end a sentence: "are calendar
/// years", "are fiscal years from April (2009/10 is April 2009 to March
/// 2010)".
pub fn year_words(year_start: u32) -> String {
    match Span::year_ending_in(2010, year_start) {
        Some(fy) if year_start != 1 => format!(
            "are fiscal years from {} ({fy} is {} 2009 to {} 2010)",
            month_name(year_start),
            month_name(year_start),
            month_name((year_start + 10) % 12 + 1)
        ),
        _ => "are calendar years".into(),
    }
}

/// `t = year + (day_of_year − 1) / days_in_year`, at 00:00 (methodology.md §1).
pub fn year_fraction(date: NaiveDate) -> f64 {
    let days_in_year = if date.leap_year() { 366.0 } else { 365.0 };
    date.year() as f64 + (date.ordinal0() as f64) / days_in_year
}

/// The date at a fractional year (the inverse of [`year_fraction`], to the day).
pub fn date_at(t: f64) -> Option<NaiveDate> {
    if !t.is_finite() || !(1.0..10000.0).contains(&t) {
        return None;
    }
    let year = t.floor() as i32;
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let days_in_year = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366.0
    } else {
        365.0
    };
    // a time point that is a whole day up to rounding (2023.0027… for
    // 2 January) is that day, not the one before
    let days = (t - year as f64) * days_in_year;
    let day = if (days - days.round()).abs() < 1e-6 {
        days.round()
    } else {
        days.floor()
    };
    jan1.checked_add_days(chrono::Days::new(day as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::period;

    /// A span's general form, as written before the hand-written one.
    struct General(Span);

    impl fmt::Display for General {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt_general(f)
        }
    }

    proptest::proptest! {
        #[test]
        fn a_span_is_written_by_hand_as_the_general_way_writes_it(
            year in proptest::prop_oneof![-30i32..30, 0i32..10_000, 9_990i32..10_020, -262_000i32..262_000],
            month in 1u32..=12,
            day in 1u32..=28,
            grain in 0i64..5,
            year_start in proptest::prop_oneof![proptest::strategy::Just(0i64), 2i64..=12],
        ) {
            let start = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            // the aligned span of that grain and year start nearest on
            // or after `month` (from_code checks, as the store does)
            let code = grain + 10 * year_start;
            let day = if grain == Grain::Day.code() { day } else { 1 };
            let aligned = (0..12).find_map(|k| {
                let m = (month - 1 + k) % 12 + 1;
                Span::from_code(code, NaiveDate::from_ymd_opt(year, m, day)?)
            });
            proptest::prop_assert!(aligned.is_some() || (grain == 3 || grain == 4) && year_start != 0);
            if let Some(span) = aligned {
                proptest::prop_assert_eq!(span.to_string(), General(span).to_string());
                proptest::prop_assert_eq!(Period::new(span, span).text(), General(span).to_string());
                if let Some(next) = Span::from_code(span.code(), span.end()) {
                    let general = format!("{}..{}", General(span), General(next));
                    proptest::prop_assert_eq!(&Period::new(span, next).to_string(), &general);
                    proptest::prop_assert_eq!(Period::new(span, next).text(), general);
                }
            }
            proptest::prop_assert_eq!(date_text(start), start.to_string());
        }
    }

    #[test]
    fn spans_are_written_in_their_own_forms() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let span = |code, start| Span::from_code(code, start).unwrap().to_string();
        assert_eq!(span(0, day(2030, 1, 1)), "2030");
        assert_eq!(span(0, day(7, 1, 1)), "0007");
        assert_eq!(span(1, day(2030, 7, 1)), "2030-H2");
        assert_eq!(span(2, day(2030, 10, 1)), "2030-Q4");
        assert_eq!(span(3, day(2030, 9, 1)), "2030-09");
        assert_eq!(span(4, day(2030, 9, 5)), "2030-09-05");
        assert_eq!(span(40, day(2009, 4, 1)), "2009/10");
        assert_eq!(span(40, day(1999, 4, 1)), "1999/00");
        assert_eq!(span(42, day(2010, 1, 1)), "2009/10-Q4");
        assert_eq!(span(71, day(2010, 1, 1)), "2009/10-H2");
        assert_eq!(span(0, day(12345, 1, 1)), "12345");
        assert_eq!(span(4, day(12345, 1, 2)), "+12345-01-02");
        assert_eq!(date_text(day(2026, 12, 2)), "2026-12-02");
        assert_eq!(date_text(day(-1, 12, 2)), "-0001-12-02");
        // a period's text: the longest two spans written by hand make
        let days = Period::new(
            Span::from_code(4, day(2021, 1, 1)).unwrap(),
            Span::from_code(4, day(2021, 12, 31)).unwrap(),
        );
        assert_eq!(days.text(), "2021-01-01..2021-12-31");
        let halves = Period::new(
            Span::from_code(71, day(2009, 7, 1)).unwrap(),
            Span::from_code(71, day(2010, 1, 1)).unwrap(),
        );
        assert_eq!(halves.text(), "2009/10-H1..2009/10-H2");
        let beyond = Period::new(
            Span::from_code(0, day(9999, 1, 1)).unwrap(),
            Span::from_code(0, day(10000, 1, 1)).unwrap(),
        );
        assert_eq!(beyond.text(), "9999..10000");
    }

    #[test]
    fn year_point_is_its_exclusive_end() {
        // 2020 covers [2020-01-01, 2021-01-01): t = 2021.0
        assert_eq!(period("2020").unwrap().instant(false), 2021.0);
        assert_eq!(period("2020").unwrap().instant(true), 2021.0);
    }

    #[test]
    fn a_stock_day_is_the_start_of_that_day() {
        // "68 residents as of 1 January 2021" = end of 2020 = 2021.0
        assert_eq!(period("2021-01-01").unwrap().instant(true), 2021.0);
        // a flow over one day ends at the next midnight: 2021 + 1/365
        assert_eq!(
            period("2021-01-01").unwrap().instant(false),
            2021.0 + 1.0 / 365.0
        );
    }

    #[test]
    fn fractional_years_count_days_of_their_own_year() {
        // 2024 is a leap year: 1 July is day 183 → 2024 + 182/366
        let d = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        assert_eq!(year_fraction(d), 2024.0 + 182.0 / 366.0);
        assert_eq!(date_at(year_fraction(d)), Some(d));
    }

    #[test]
    fn every_day_of_a_year_reads_back_as_itself() {
        for year in [2021, 2024] {
            let mut d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            while d.year() == year {
                assert_eq!(date_at(year_fraction(d)), Some(d));
                d = d.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn lengths_compare_by_whole_months() {
        let year = period("2021").unwrap();
        assert_eq!(year.months(), Some(12));
        assert_eq!(period("2022-01..2022-08").unwrap().months(), Some(8));
        assert_eq!(period("2016..2020").unwrap().months(), Some(60));
        assert!(year.same_length(&period("2022").unwrap()));
        assert!(year.same_length(&period("2023-Q1..2023-Q4").unwrap()));
        assert!(!year.same_length(&period("2022-01..2022-08").unwrap()));
        assert!(!year.same_length(&period("2022-03-01").unwrap()));
        // days where the ends are not firsts of months, however it was made
        let days = period("2022-03-02..2022-03-11").unwrap();
        assert_eq!(days.length(), Length::Days(10));
        assert_eq!(days.months(), None);
        assert_eq!(period("2022-03-01").unwrap().length(), Length::Days(1));
        let (start, end) = days.bounds();
        let stored = Period::from_days(days.first.code(), day_number(start), day_number(end));
        assert_eq!(stored.map(|p| p.length()), Some(Length::Days(10)));
        assert_eq!(year.length(), Length::Months(12));
    }

    #[test]
    fn one_span_of_time_has_one_set_of_bounds_whatever_its_notation() {
        let year = period("2021").unwrap().bounds();
        assert_eq!(period("2021-01..2021-12").unwrap().bounds(), year);
        assert_eq!(period("2021-Q1..2021-Q4").unwrap().bounds(), year);
        assert_eq!(period("2021-01-01..2021-12-31").unwrap().bounds(), year);
        assert_ne!(period("2021-H1").unwrap().bounds(), year);
    }

    #[test]
    fn periods_shift_by_their_own_length() {
        let shift = |p: &str, n: i32| period(p).unwrap().shifted(n).unwrap().to_string();
        assert_eq!(shift("2021", 1), "2022");
        assert_eq!(shift("2021", -5), "2016");
        assert_eq!(shift("2021-Q4", 1), "2022-Q1");
        assert_eq!(shift("2021-H2", -1), "2021-H1");
        assert_eq!(shift("2021-01", 13), "2022-02");
        assert_eq!(shift("2020-09..2021-08", 1), "2021-09..2022-08");
        assert_eq!(shift("2021-07-15", 2), "2021-07-17");
    }

    #[test]
    fn a_period_kept_as_grain_and_day_numbers_reads_back_as_itself() {
        for text in [
            "2021",
            "2021-H2",
            "2021-Q3",
            "2021-07",
            "2021-07-15",
            "2016..2020",
            "2022-01..2022-08",
            "2020-02-28..2020-03-01",
            "9999",
            "0001-01-01",
        ] {
            let p = period(text).unwrap();
            let (start, end) = (day_number(p.start()), day_number(p.end()));
            assert_eq!(Period::from_days(p.first.code(), start, end), Some(p));
            assert_eq!(Grain::from_code(p.first.grain.code()), Some(p.first.grain));
        }
        // 2021-01-01 is day 737791 (Python's date.toordinal agrees)
        assert_eq!(
            day_number(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()),
            737_791
        );
        // bounds that are not whole quarters are no quarter
        assert_eq!(
            Period::from_days(Grain::Quarter.code(), 737_791, 737_800),
            None
        );
        assert_eq!(Grain::from_code(5), None);
    }

    #[test]
    fn a_fiscal_period_is_kept_as_its_grain_and_day_numbers() {
        let fiscal = |s: &str| crate::parse::period_in(s, 4).unwrap();
        for text in [
            "2009/10",
            "2009/10-Q1",
            "2009/10-Q4",
            "2009/10-H2",
            "2009/10..2011/12",
        ] {
            let p = fiscal(text);
            let (start, end) = (day_number(p.start()), day_number(p.end()));
            assert_eq!(Period::from_days(p.first.code(), start, end), Some(p));
            assert_eq!(p.to_string(), text);
        }
        // a fiscal year from April is grain 40, its quarters 42
        assert_eq!(fiscal("2009/10").first.code(), 40);
        assert_eq!(fiscal("FY2010-Q2").first.code(), 42);
        assert_eq!(fiscal("2009-Q2").first.code(), 2);
        // bounds that are no fiscal quarter from April, codes that are no grain
        let day = |y, m| day_number(NaiveDate::from_ymd_opt(y, m, 1).unwrap());
        assert_eq!(Period::from_days(42, day(2009, 5), day(2009, 8)), None);
        assert_eq!(Period::from_days(40, day(2009, 1), day(2010, 1)), None);
        assert_eq!(Period::from_days(43, day(2009, 5), day(2009, 6)), None);
        assert_eq!(Period::from_days(130, day(2009, 1), day(2010, 1)), None);
        assert_eq!(Period::from_days(10, day(2009, 1), day(2010, 1)), None);
        // the calendar year is 0 with January bounds only
        assert_eq!(Period::from_days(0, day(2009, 4), day(2010, 4)), None);
    }

    #[test]
    fn a_fiscal_year_shifts_ends_and_sorts_as_its_days_say() {
        let fiscal = |s: &str| crate::parse::period_in(s, 4).unwrap();
        let fy = fiscal("2009/10");
        assert_eq!(fy.shifted(1).unwrap().to_string(), "2010/11");
        assert_eq!(
            fiscal("FY2010-Q4").shifted(1).unwrap().to_string(),
            "2010/11-Q1"
        );
        assert_eq!(fy.months(), Some(12));
        assert!(fy.same_length(&period("2010").unwrap()));
        // published at its end: its last day is 31 March 2010
        assert_eq!(fy.last_day().to_string(), "2010-03-31");
        assert_eq!(
            fy.instant(false),
            year_fraction(NaiveDate::from_ymd_opt(2010, 4, 1).unwrap())
        );
        // the calendar quarter of the same days sorts first, then the fiscal one
        assert!(period("2009-Q2").unwrap() < fiscal("FY2010-Q1"));
        assert!(fiscal("FY2010-Q1") < fy);
        assert!(fy.fits_year(4) && !fy.fits_year(1) && !fy.fits_year(7));
        assert!(!period("2010").unwrap().fits_year(4));
        assert!(period("2010-Q1").unwrap().fits_year(4));
        assert!(period("2010-05").unwrap().fits_year(4));
        assert_eq!(year_months(1), "Jan-Dec");
        assert_eq!(year_months(4), "Apr-Mar");
        assert_eq!(year_months(7), "Jul-Jun");
        assert_eq!(year_months(12), "Dec-Nov");
    }

    #[test]
    fn every_span_ends_where_calendar_arithmetic_says() {
        for (p, end) in [
            ("2021", "2022-01-01"),
            ("2021-H2", "2022-01-01"),
            ("2021-H1", "2021-07-01"),
            ("2021-Q4", "2022-01-01"),
            ("2021-12", "2022-01-01"),
            ("2024-02", "2024-03-01"),
            ("2024-02-29", "2024-03-01"),
            ("9999", "+10000-01-01"),
        ] {
            let span = period(p).unwrap().first;
            assert_eq!(span.end().to_string(), end, "{p}");
            let months = span.grain.months().unwrap_or(0);
            if months > 0 {
                assert_eq!(
                    Some(span.end()),
                    span.start.checked_add_months(Months::new(months))
                );
            }
        }
    }

    #[test]
    fn periods_print_in_their_own_notation() {
        for text in [
            "2021",
            "2021-H2",
            "2021-Q3",
            "2021-07",
            "2021-07-15",
            "2016..2020",
            "2022-01..2022-08",
        ] {
            assert_eq!(period(text).unwrap().to_string(), text);
        }
    }
}
