//! The input grammar (product.md): quantities, changes, periods, dates and
//! qualifiers. One parser, used by the command line, CSV and data sets.
//! Pure: no I/O, no database.

use chrono::{Datelike, NaiveDate};

use crate::error::ParseError;
use crate::model::{Change, Qualifier};
use crate::period::{Grain, Period, Span};

/// A number as written, before it is checked against an indicator's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// In base units (`7bn` → 7e9).
    pub value: f64,
    /// The currency code of a leading symbol (`$` → `USD`).
    pub currency: Option<&'static str>,
    /// Written with a trailing `%`.
    pub percent: bool,
}

const CURRENCIES: [(char, &str); 4] = [('$', "USD"), ('€', "EUR"), ('£', "GBP"), ('₽', "RUB")];

/// The currency symbol of a unit, if it is a currency with one.
pub fn currency_symbol(unit: &str) -> Option<char> {
    CURRENCIES
        .iter()
        .find(|(_, code)| code.eq_ignore_ascii_case(unit))
        .map(|(sym, _)| *sym)
}

/// Parses a quantity: `7bn`, `$5.8bn`, `850m`, `17.5k`, `4,000`, `4_000`,
/// `7e9`, `-3.5bn`, `38%`. Scale words: `k` 1e3, `m`/`mn` 1e6, `bn` 1e9,
/// `tn` 1e12.
pub fn quantity(input: &str) -> Result<Quantity, ParseError> {
    quantity_shifted(input, 0)
}

/// A quantity times `10^shift`, scaled exactly: the decimal digits are
/// shifted by the scale word's and `shift`'s powers of ten and converted to
/// a float once, so `8.3bn` is 8300000000 and `7.3%` as a fraction is the
/// float nearest 0.073 (product.md, input grammar).
fn quantity_shifted(input: &str, shift: i32) -> Result<Quantity, ParseError> {
    let err = |reason: &str| ParseError::new("quantity", input, reason);
    let mut s = input.trim();
    if s.is_empty() {
        return Err(err("empty; expected a number such as 7bn, 4,000 or 5.8e9"));
    }
    let mut negative = false;
    let mut currency = None;
    let mut signed = false;
    // a sign and a currency symbol, in either order: -$3bn, $-3bn
    for _ in 0..2 {
        if let Some(rest) = s.strip_prefix(['-', '+', '−']) {
            if signed {
                return Err(err("two signs"));
            }
            negative = s.starts_with(['-', '−']);
            signed = true;
            s = rest;
        } else if let Some((sym, code)) = CURRENCIES.iter().find(|(c, _)| s.starts_with(*c)) {
            if currency.is_some() {
                return Err(err("two currency symbols"));
            }
            currency = Some(*code);
            s = &s[sym.len_utf8()..];
        }
    }
    let percent = s.ends_with('%');
    if percent {
        s = s[..s.len() - 1].trim_end();
    }
    let lower = s.to_ascii_lowercase();
    let (number, scale) = [("bn", 9), ("tn", 12), ("mn", 6), ("m", 6), ("k", 3)]
        .iter()
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map(|(suffix, scale)| (s[..s.len() - suffix.len()].trim_end(), *scale))
        .unwrap_or((s, 0));
    if percent && scale != 0 {
        return Err(err("a percentage takes no scale word"));
    }
    let value = number_text(number, scale + shift).map_err(|reason| err(&reason))?;
    if !value.is_finite() {
        return Err(err("out of range"));
    }
    Ok(Quantity {
        value: if negative { -value } else { value },
        currency,
        percent,
    })
}

/// The digits of a quantity: `4,000.5`, `4_000`, `5.2e9`, `.5`, times
/// `10^shift`, converted once (exact in decimal).
fn number_text(s: &str, shift: i32) -> Result<f64, String> {
    if s.is_empty() {
        return Err("no digits".into());
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let int_digits: String = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let well_grouped = (1..=3).contains(&groups[0].len())
            && groups.iter().all(|g| digits(g))
            && groups[1..].iter().all(|g| g.len() == 3);
        if !well_grouped {
            return Err(
                "',' separates thousands in groups of three (4,000); write decimals with '.' (7.5)"
                    .into(),
            );
        }
        groups.concat()
    } else if int.contains('_') {
        if !int.split('_').all(digits) {
            return Err("'_' goes only between digits (4_000)".into());
        }
        int.replace('_', "")
    } else {
        int.to_string()
    };
    // digits before the point, or none at all before a fraction (.5)
    if !(digits(&int_digits) || int_digits.is_empty() && frac.is_some()) {
        return Err("not a number".into());
    }
    if let Some(f) = frac
        && !digits(f)
    {
        return Err("expected digits after '.'".into());
    }
    let mut text = int_digits;
    if let Some(f) = frac {
        text.push('.');
        text.push_str(f);
    }
    let mut power = i64::from(shift);
    if let Some(e) = exponent {
        let body = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(body) {
            return Err("expected digits after 'e'".into());
        }
        // beyond any float's range either way: leave it to the check below
        let e: i64 = e.parse().unwrap_or(if e.starts_with('-') {
            -100_000
        } else {
            100_000
        });
        power += e;
    }
    if power != 0 {
        text.push_str(&format!("e{power}"));
    }
    text.parse::<f64>().map_err(|_| "not a number".to_string())
}

/// Parses a quantity for an indicator of `unit`, in base units: a currency
/// symbol must match the unit and `%` is only for percentages.
pub fn value_for(input: &str, unit: &str) -> Result<f64, ParseError> {
    let q = quantity(input)?;
    check_unit(input, &q, unit)?;
    Ok(q.value)
}

fn check_unit(input: &str, q: &Quantity, unit: &str) -> Result<(), ParseError> {
    if let Some(code) = q.currency
        && !code.eq_ignore_ascii_case(unit)
    {
        return Err(ParseError::new(
            "quantity",
            input,
            format!("the currency is {code} but the indicator's unit is {unit}"),
        ));
    }
    if q.percent && unit != "%" {
        return Err(ParseError::new(
            "quantity",
            input,
            format!("a percentage, but the indicator's unit is {unit}"),
        ));
    }
    Ok(())
}

/// Parses a change from the baseline: `+25%`, `-30%` (relative), `+1000`,
/// `-3.5bn` (absolute), `+2pp` (percentage points, for `%` indicators).
/// The sign is required so that a change is never mistaken for a value.
pub fn change(input: &str, unit: &str) -> Result<Change, ParseError> {
    let err = |reason: String| ParseError::new("change", input, reason);
    let s = input.trim();
    if !s.starts_with(['+', '-', '−']) {
        return Err(err(
            "a change starts with + or - (+25%, -30%, +1000, +2pp); use --value for a level".into(),
        ));
    }
    if let Some(points) = s.strip_suffix("pp") {
        if unit != "%" {
            return Err(err(format!(
                "percentage points need an indicator in %, not {unit}"
            )));
        }
        let q = quantity(points).map_err(|e| err(e.reason))?;
        if q.percent || q.currency.is_some() {
            return Err(err("write percentage points as +2pp".into()));
        }
        return Ok(Change::Points(q.value));
    }
    let q = quantity(s).map_err(|e| err(e.reason))?;
    if q.percent {
        if q.currency.is_some() {
            return Err(err("a relative change takes no currency".into()));
        }
        if q.value <= -100.0 {
            return Err(err("a relative change cannot remove 100% or more".into()));
        }
        // the fraction, exact in decimal: 7.3% is 0.073, not 7.3/100
        let fraction = quantity_shifted(s, -2).map_err(|e| err(e.reason))?;
        return Ok(Change::Relative(fraction.value));
    }
    check_unit(input, &q, unit).map_err(|e| err(e.reason))?;
    Ok(Change::Absolute(q.value))
}

/// Parses a period: `2021`, `2021-H1`, `2021-Q3`, `2021-07`, `2021-07-15`,
/// or a range of two of the same grain, `2016..2020`, `2022-01..2022-08`.
/// Years are calendar years (see [`period_in`] for fiscal ones).
pub fn period(input: &str) -> Result<Period, ParseError> {
    period_in(input, 1)
}

/// Parses a period of an indicator whose year starts in month
/// `year_start` (1: the calendar year). For another month its years are
/// fiscal years, named by the calendar year in which they end: `2010`,
/// `FY2010`, `FY2009/10`, `2009/10` and `2009/2010` are all April 2009 to
/// March 2010 when the year starts in April; `FY2010-Q1` and
/// `2009/10-H2` are its quarters and halves. Months, days, and quarters
/// and halves without a fiscal year (`2009-Q2`) stay the calendar's.
pub fn period_in(input: &str, year_start: u32) -> Result<Period, ParseError> {
    let s = input.trim();
    let err = |reason: String| ParseError::new("period", input, reason);
    if let Some((a, b)) = s.split_once("..") {
        let first = span(a.trim(), year_start).map_err(err)?;
        let last = span(b.trim(), year_start).map_err(err)?;
        if (first.grain, first.year_start) != (last.grain, last.year_start) {
            return Err(err(
                "both ends of a range need the same form (2016..2020, 2022-01..2022-08)".into(),
            ));
        }
        if last.start < first.start {
            return Err(err(format!("the range ends ({b}) before it starts ({a})")));
        }
        return Ok(Period::new(first, last));
    }
    span(s, year_start).map(Period::single).map_err(err)
}

/// A year of four digits (`0001` to `9999`).
fn year_of(t: &str) -> Result<i32, String> {
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = t.parse().map_err(|_| "bad year".to_string())?;
        if y < 1 {
            return Err("year 0000 does not exist".into());
        }
        Ok(y)
    } else {
        Err(format!(
            "expected a year of four digits, found '{t}' (forms: 2021, 2021-H1, 2021-Q3, 2021-07, 2021-07-15, 2016..2020)"
        ))
    }
}

fn date_of(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{y:04}-{m:02}-{d:02} is not a date"))
}

/// The year ending in calendar year `end`, in a year from `year_start`.
fn year_ending(end: i32, year_start: u32) -> Result<Span, String> {
    if year_start != 1 && end <= 1 {
        return Err("year 0000 does not exist".into());
    }
    Span::year_ending_in(end, year_start).ok_or_else(|| format!("year {end} is out of range"))
}

/// A span written with a fiscal year (`FY2010`, `2009/10`, `FY2010-Q1`,
/// `2009/10-H2`); `None` for any other form.
fn fiscal_span(s: &str, year_start: u32) -> Result<Option<Span>, String> {
    let upper = s.to_ascii_uppercase();
    let prefixed = upper.strip_prefix("FY").map(str::trim_start);
    let body = prefixed.unwrap_or(&upper);
    let (year, part) = match body.split_once('-') {
        Some((y, p)) => (y, Some(p)),
        None => (body, None),
    };
    if prefixed.is_none() && !year.contains('/') {
        return Ok(None);
    }
    if year_start == 1 {
        return Err(format!(
            "'{s}' is a fiscal year, but here years are calendar years (an indicator's year can start in another month: indicator add --year-start MM)"
        ));
    }
    let end = match year.split_once('/') {
        Some((a, b)) => {
            let first = year_of(a)?;
            let next = first + 1;
            let consecutive = match b.len() {
                2 => b.parse::<i32>().ok() == Some(next % 100),
                4 => b.parse::<i32>().ok() == Some(next),
                _ => false,
            } && b.bytes().all(|c| c.is_ascii_digit());
            if !consecutive {
                return Err(format!(
                    "a fiscal year spans two consecutive years, such as {first:04}/{:02} (found {a}/{b})",
                    next % 100
                ));
            }
            next
        }
        None => year_of(year)?,
    };
    let fiscal = year_ending(end, year_start)?;
    let (months, n) = match part {
        None => return Ok(Some(fiscal)),
        Some(p) if p.starts_with('H') => (6, &p[1..]),
        Some(p) if p.starts_with('Q') => (3, &p[1..]),
        Some(p) => {
            return Err(format!(
                "unrecognised part '{p}' of a fiscal year (FY{end}-Q1 to -Q4, FY{end}-H1 or -H2)"
            ));
        }
    };
    let count = 12 / months;
    match n.parse::<u32>() {
        Ok(k @ 1..=4) if n.len() == 1 && k <= count => Ok(Some(Span {
            grain: if months == 6 {
                Grain::Half
            } else {
                Grain::Quarter
            },
            start: fiscal
                .start
                .checked_add_months(chrono::Months::new(months * (k - 1)))
                .ok_or_else(|| format!("'{s}' is out of range"))?,
            year_start,
        })),
        _ if months == 6 => Err(format!("half-year H{n} does not exist (H1 or H2)")),
        _ => Err(format!("quarter Q{n} does not exist (Q1 to Q4)")),
    }
}

fn span(s: &str, year_start: u32) -> Result<Span, String> {
    if let Some(fiscal) = fiscal_span(s, year_start)? {
        return Ok(fiscal);
    }
    let bytes = s.as_bytes();
    if s.len() == 4 {
        // a plain year is the indicator's year: FY2010 when it is fiscal
        return year_ending(year_of(s)?, year_start);
    }
    if bytes.len() < 5 || bytes[4] != b'-' {
        year_of(s.get(..4).unwrap_or(s))?;
        return Err(format!("unrecognised form '{s}'"));
    }
    let y = year_of(&s[..4])?;
    let rest = &s[5..];
    let upper = rest.to_ascii_uppercase();
    if let Some(h) = upper.strip_prefix('H') {
        return match h {
            "1" | "2" => Ok(Span::calendar(
                Grain::Half,
                date_of(y, if h == "1" { 1 } else { 7 }, 1)?,
            )),
            _ => Err(format!("half-year H{h} does not exist (H1 or H2)")),
        };
    }
    if let Some(q) = upper.strip_prefix('Q') {
        return match q.parse::<u32>() {
            Ok(n @ 1..=4) if q.len() == 1 => {
                Ok(Span::calendar(Grain::Quarter, date_of(y, 3 * n - 2, 1)?))
            }
            _ => Err(format!("quarter Q{q} does not exist (Q1 to Q4)")),
        };
    }
    let two = |t: &str| -> Option<u32> {
        (t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    match rest.split('-').collect::<Vec<_>>()[..] {
        [m] => match two(m) {
            Some(m @ 1..=12) => Ok(Span::calendar(Grain::Month, date_of(y, m, 1)?)),
            // 2009-2010 is no month: perhaps a fiscal year
            _ if m.len() == 4 && m.bytes().all(|b| b.is_ascii_digit()) => Err(format!(
                "month {m} does not exist (01 to 12; a fiscal year is written {y:04}/{:02})",
                (y + 1) % 100
            )),
            _ => Err(format!("month {m} does not exist (01 to 12)")),
        },
        [m, d] => match (two(m), two(d)) {
            (Some(m), Some(d)) => Ok(Span::calendar(Grain::Day, date_of(y, m, d)?)),
            _ => Err(format!("unrecognised date '{s}' (YYYY-MM-DD)")),
        },
        _ => Err(format!("unrecognised form '{s}'")),
    }
}

/// On an indicator whose years are fiscal, what to say about a month
/// written like a fiscal year: `2009-10` is October 2009, not 2009/10.
pub fn fiscal_lookalike(p: &Period, year_start: u32) -> Option<String> {
    let (y, m) = (p.first().start.year(), p.first().start.month());
    let like = year_start != 1
        && p.first() == p.last()
        && p.first().grain == Grain::Month
        && m as i32 == (y + 1) % 100;
    like.then(|| {
        format!(
            "{p} is read as a month, {} {y}; the fiscal year is written {y}/{m:02} (or FY{})",
            crate::period::month_name(m),
            y + 1
        )
    })
}

/// Parses the month an indicator's year starts in: `1` to `12`, `01` to
/// `09` (`04`: fiscal years from April).
pub fn year_start(input: &str) -> Result<u32, ParseError> {
    let s = input.trim();
    match s.parse::<u32>() {
        Ok(m @ 1..=12) if s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(m),
        _ => Err(ParseError::new(
            "year start",
            input,
            "expected the month the year starts in, 01 to 12 (04: fiscal years from April)",
        )),
    }
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn date(input: &str) -> Result<NaiveDate, ParseError> {
    let p = period(input).map_err(|e| {
        // the period forms would mislead here: a date is one form only
        let reason = if e.reason.contains("forms:") || e.reason.starts_with("unrecognised") {
            "expected YYYY-MM-DD".to_string()
        } else {
            e.reason
        };
        ParseError::new("date", input, reason)
    })?;
    if !p.is_single_day() {
        return Err(ParseError::new("date", input, "expected YYYY-MM-DD"));
    }
    Ok(p.start())
}

/// Parses an as-of date: `today`, `yesterday`, a date `YYYY-MM-DD`, or a
/// period, which stands for its last day (`2024` is 2024-12-31, `2024-06`
/// 2024-06-30, `2024-Q2` 2024-06-30, `2016..2020` 2020-12-31).
pub fn as_of(input: &str, today: NaiveDate) -> Result<NaiveDate, ParseError> {
    match input.trim().to_ascii_lowercase().as_str() {
        "today" => return Ok(today),
        "yesterday" => return Ok(today.pred_opt().unwrap_or(today)),
        _ => {}
    }
    period(input).map(|p| p.last_day()).map_err(|e| {
        let reason = if e.reason.contains("forms:") || e.reason.starts_with("unrecognised") {
            "expected today, yesterday, YYYY-MM-DD or a period (2024, 2024-H1, 2024-Q2, 2024-06)"
                .to_string()
        } else {
            e.reason
        };
        ParseError::new("date", input, reason)
    })
}

/// Parses the first day of a span: `today`, `yesterday`, a date, or a
/// period, which stands for its first day (`--since 2024` is 2024-01-01).
pub fn first_day(input: &str, today: NaiveDate) -> Result<NaiveDate, ParseError> {
    match input.trim().to_ascii_lowercase().as_str() {
        "today" | "yesterday" => as_of(input, today),
        _ => period(input)
            .map(|p| p.start())
            .or_else(|_| as_of(input, today)),
    }
}

/// Parses a qualifier: `about` (`≈`, `~`), `more_than` (`>`), `less_than`
/// (`<`), `at_least` (`>=`, `≥`), `at_most` (`<=`, `≤`).
pub fn qualifier(input: &str) -> Result<Qualifier, ParseError> {
    let q = match input
        .trim()
        .to_ascii_lowercase()
        .replace(['-', ' '], "_")
        .as_str()
    {
        "about" | "≈" | "~" | "approx" | "approximately" => Qualifier::About,
        "more_than" | ">" => Qualifier::MoreThan,
        "less_than" | "<" => Qualifier::LessThan,
        "at_least" | ">=" | "≥" => Qualifier::AtLeast,
        "at_most" | "<=" | "≤" => Qualifier::AtMost,
        _ => {
            return Err(ParseError::new(
                "qualifier",
                input,
                "expected about, more_than, less_than, at_least or at_most",
            ));
        }
    };
    Ok(q)
}

/// Parses `PERIOD=QTY` (a baseline or a waypoint) in a year from
/// `year_start` (see [`period_in`]); the quantity is optional when
/// `value_optional`.
pub fn period_value(
    input: &str,
    unit: &str,
    value_optional: bool,
    year_start: u32,
) -> Result<(Period, Option<f64>), ParseError> {
    match input.split_once('=') {
        Some((p, v)) => Ok((period_in(p, year_start)?, Some(value_for(v, unit)?))),
        None if value_optional => Ok((period_in(input, year_start)?, None)),
        None => Err(ParseError::new(
            "waypoint",
            input,
            "expected PERIOD=QUANTITY, e.g. 2021=6.05bn",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_as_of_date_is_a_day_a_word_or_a_period_s_last_day() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(as_of("today", today), Ok(today));
        assert_eq!(as_of("Yesterday", today), Ok(d(2026, 2, 28)));
        assert_eq!(as_of("2024-06-15", today), Ok(d(2024, 6, 15)));
        assert_eq!(as_of("2024", today), Ok(d(2024, 12, 31)));
        assert_eq!(as_of("2024-06", today), Ok(d(2024, 6, 30)));
        assert_eq!(as_of("2024-02", today), Ok(d(2024, 2, 29)));
        assert_eq!(as_of("2024-Q2", today), Ok(d(2024, 6, 30)));
        assert_eq!(as_of("2024-H1", today), Ok(d(2024, 6, 30)));
        assert_eq!(as_of("2016..2020", today), Ok(d(2020, 12, 31)));
        assert_eq!(first_day("2024", today), Ok(d(2024, 1, 1)));
        assert_eq!(first_day("2024-Q2", today), Ok(d(2024, 4, 1)));
        assert_eq!(first_day("yesterday", today), Ok(d(2026, 2, 28)));
        let e = as_of("tomorrow", today).unwrap_err();
        assert!(e.reason.contains("today, yesterday"), "{e}");
    }

    fn q(s: &str) -> f64 {
        quantity(s).unwrap_or_else(|e| panic!("{e}")).value
    }

    #[test]
    fn quantities_in_every_written_form() {
        assert_eq!(q("7bn"), 7e9);
        assert_eq!(q("5.8bn"), 5.8e9);
        assert_eq!(q("850m"), 850e6);
        assert_eq!(q("850mn"), 850e6);
        assert_eq!(q("17.5k"), 17_500.0);
        assert_eq!(q("4000"), 4000.0);
        assert_eq!(q("4,000"), 4000.0);
        assert_eq!(q("1,234,567.5"), 1_234_567.5);
        assert_eq!(q("4_000"), 4000.0);
        assert_eq!(q("7e9"), 7e9);
        assert_eq!(q("5.2E9"), 5.2e9);
        assert_eq!(q("$7bn"), 7e9);
        assert_eq!(q("-3.5bn"), -3.5e9);
        assert_eq!(q("-$3.5bn"), -3.5e9);
        assert_eq!(q("$-3.5bn"), -3.5e9);
        assert_eq!(q("+12"), 12.0);
        assert_eq!(q("0.5"), 0.5);
        assert_eq!(q(".5"), 0.5);
        assert_eq!(q("26tn"), 26e12);
        assert_eq!(q(" 7 bn "), 7e9);
        assert_eq!(q("38%"), 38.0);
        assert_eq!(quantity("$7bn").unwrap().currency, Some("USD"));
        assert!(quantity("38.5%").unwrap().percent);
    }

    #[test]
    fn scale_words_and_percentages_are_exact_in_decimal() {
        // 8.3 × 1e9 in floats is 8300000000.000001; scaled in decimal it is exact
        assert_eq!(q("8.3bn"), 8_300_000_000.0);
        assert_eq!(q("5.8bn"), 5_800_000_000.0);
        assert_eq!(q("0.1k"), 100.0);
        assert_eq!(q("17.5k"), 17_500.0);
        assert_eq!(q("1.1e-3k"), 1.1);
        assert_eq!(q("2.675m"), 2_675_000.0);
        // a relative change is the float nearest the decimal fraction
        assert_eq!(change("+7.3%", "USD").unwrap(), Change::Relative(0.073));
        assert_eq!(change("-55%", "t").unwrap(), Change::Relative(-0.55));
        assert_eq!(change("+4.3%", "USD").unwrap(), Change::Relative(0.043));
    }

    #[test]
    fn quantities_rejected_with_a_reason() {
        for bad in [
            "", " ", "7bnn", "NaN", "nan", "inf", "-inf", "1e400", "7,5", "7,5,3", "1,00",
            "4__000", "_4000", "4000_", "bn", "$", "--5", "7.", "7.5.3", "1e", "1e+", "seven",
            "0x10", "5%k", "$$5", "7 000",
        ] {
            assert!(quantity(bad).is_err(), "{bad:?} should be rejected");
        }
        let e = quantity("7,5").unwrap_err();
        assert!(e.to_string().contains("'7,5'"), "{e}");
    }

    #[test]
    fn currency_must_match_the_unit() {
        assert_eq!(value_for("$7bn", "USD").unwrap(), 7e9);
        assert_eq!(value_for("7bn", "BYN").unwrap(), 7e9);
        let e = value_for("$7bn", "BYN").unwrap_err();
        assert!(e.to_string().contains("USD"), "{e}");
        assert!(value_for("38%", "USD").is_err());
        assert_eq!(value_for("38%", "%").unwrap(), 38.0);
    }

    #[test]
    fn changes_relative_absolute_and_points() {
        assert_eq!(change("+25%", "USD").unwrap(), Change::Relative(0.25));
        assert_eq!(change("-30%", "t").unwrap(), Change::Relative(-0.30));
        assert_eq!(change("+1000", "jobs").unwrap(), Change::Absolute(1000.0));
        assert_eq!(change("+1,000", "jobs").unwrap(), Change::Absolute(1000.0));
        assert_eq!(change("-$1bn", "USD").unwrap(), Change::Absolute(-1e9));
        assert_eq!(change("+2pp", "%").unwrap(), Change::Points(2.0));
        assert_eq!(change("-0.5pp", "%").unwrap(), Change::Points(-0.5));
    }

    #[test]
    fn changes_rejected_with_a_reason() {
        for (bad, unit) in [
            ("25%", "USD"),
            ("1000", "jobs"),
            ("+2pp", "USD"),
            ("+x%", "USD"),
            ("-100%", "USD"),
            ("+$5", "BYN"),
            ("", "USD"),
            ("+", "USD"),
            ("+2%pp", "%"),
        ] {
            assert!(change(bad, unit).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn periods_of_every_form() {
        let p = period("2021").unwrap();
        assert_eq!(
            (p.start().to_string(), p.end().to_string()),
            ("2021-01-01".into(), "2022-01-01".into())
        );
        let p = period("2021-H2").unwrap();
        assert_eq!(p.start().to_string(), "2021-07-01");
        let p = period("2021-Q3").unwrap();
        assert_eq!(
            (p.start().to_string(), p.end().to_string()),
            ("2021-07-01".into(), "2021-10-01".into())
        );
        let p = period("2021-07").unwrap();
        assert_eq!(p.end().to_string(), "2021-08-01");
        let p = period("2021-07-15").unwrap();
        assert_eq!(p.end().to_string(), "2021-07-16");
        let p = period("2016..2020").unwrap();
        assert_eq!(
            (p.start().to_string(), p.end().to_string()),
            ("2016-01-01".into(), "2021-01-01".into())
        );
        let p = period("2022-01..2022-08").unwrap();
        assert_eq!(p.end().to_string(), "2022-09-01");
        assert_eq!(period("2021-q3").unwrap().to_string(), "2021-Q3");
        assert_eq!(period("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn periods_rejected_with_a_reason() {
        for bad in [
            "",
            "21",
            "20211",
            "2021-13",
            "2021-00",
            "2021-Q5",
            "2021-Q0",
            "2021-H3",
            "2021-02-30",
            "2023-02-29",
            "2020..2019",
            "2021..2021-07",
            "2021-7",
            "2021-07-1",
            "0000",
            "abcd",
            "2021-",
            "..2020",
            "2020..",
            "2021/07",
            "2021-07-15-01",
        ] {
            assert!(period(bad).is_err(), "{bad:?} should be rejected");
        }
        let e = period("2021-13").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid period '2021-13': month 13 does not exist (01 to 12)"
        );
    }

    #[test]
    fn fiscal_years_in_every_notation() {
        let fy = |s: &str| period_in(s, 4).unwrap_or_else(|e| panic!("{e}"));
        let bounds = |s: &str| {
            let p = fy(s);
            (p.start().to_string(), p.end().to_string())
        };
        let fy2010 = ("2009-04-01".to_string(), "2010-04-01".to_string());
        for s in [
            "2010",
            "FY2010",
            "fy2010",
            "FY 2010",
            "FY2009/10",
            "2009/10",
            "2009/2010",
            " 2009/10 ",
        ] {
            assert_eq!(bounds(s), fy2010, "{s}");
            assert_eq!(fy(s).to_string(), "2009/10", "{s}");
        }
        // quarters and halves of the fiscal year, printed with its name
        let q1 = ("2009-04-01".to_string(), "2009-07-01".to_string());
        assert_eq!(bounds("FY2010-Q1"), q1);
        assert_eq!(bounds("2009/10-q1"), q1);
        assert_eq!(fy("FY2010-Q1").to_string(), "2009/10-Q1");
        assert_eq!(
            bounds("FY2010-Q4"),
            ("2010-01-01".into(), "2010-04-01".into())
        );
        assert_eq!(fy("FY2010-Q4").to_string(), "2009/10-Q4");
        assert_eq!(
            bounds("FY2010-H2"),
            ("2009-10-01".into(), "2010-04-01".into())
        );
        // without a fiscal year, quarters, halves and months are the calendar's
        assert_eq!(bounds("2009-Q2"), q1);
        assert_eq!(fy("2009-Q2").to_string(), "2009-Q2");
        assert_eq!(fy("2009-10").to_string(), "2009-10");
        assert_eq!(
            bounds("2009-10"),
            ("2009-10-01".into(), "2009-11-01".into())
        );
        assert_eq!(
            bounds("2009-H1"),
            ("2009-01-01".into(), "2009-07-01".into())
        );
        // a century's turn, ranges, other year starts
        assert_eq!(fy("2000").to_string(), "1999/00");
        assert_eq!(fy("1999/00"), fy("FY2000"));
        let r = fy("2009/10..2011/12");
        assert_eq!(
            (r.start().to_string(), r.end().to_string(), r.to_string()),
            (
                "2009-04-01".into(),
                "2012-04-01".into(),
                "2009/10..2011/12".into()
            )
        );
        assert_eq!(fy("FY2010..2012"), r);
        let july = period_in("FY2010", 7).unwrap();
        assert_eq!(july.start().to_string(), "2009-07-01");
        let october = period_in("2010", 10).unwrap();
        assert_eq!(
            (october.start().to_string(), october.to_string()),
            ("2009-10-01".into(), "2009/10".into())
        );
        assert_eq!(
            period_in("FY2010-Q1", 10).unwrap().start().to_string(),
            "2009-10-01"
        );
    }

    #[test]
    fn fiscal_years_rejected_with_a_reason() {
        let e = period_in("2009/11", 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid period '2009/11': a fiscal year spans two consecutive years, such as 2009/10 (found 2009/11)"
        );
        // in calendar years a fiscal year means nothing
        for bad in ["2009/10", "FY2010", "FY2010-Q1"] {
            let e = period(bad).unwrap_err();
            assert!(e.reason.contains("calendar years"), "{e}");
            assert!(e.reason.contains("--year-start"), "{e}");
        }
        for bad in [
            "FY2010-Q5",
            "FY2010-Q0",
            "FY2010-H3",
            "FY2010-M1",
            "FY2010-",
            "FY10",
            "FY",
            "2009/1",
            "2009/010",
            "2009/2011",
            "2009/",
            "/10",
            "FY0001",
            "0001",
            "2009/10-Q1..2009-Q4",
            "2011/12..2009/10",
            "2009-2010",
        ] {
            assert!(period_in(bad, 4).is_err(), "{bad:?} should be rejected");
        }
        let e = period_in("2009-2010", 4).unwrap_err();
        assert!(e.reason.contains("2009/10"), "{e}");
    }

    #[test]
    fn a_year_starts_in_a_month_of_the_year() {
        assert_eq!(year_start("04"), Ok(4));
        assert_eq!(year_start("4"), Ok(4));
        assert_eq!(year_start("12"), Ok(12));
        assert_eq!(year_start("01"), Ok(1));
        for bad in ["13", "0", "00", "4.5", "April", "", "-4", "004", "+4"] {
            assert!(year_start(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            year_start("13").unwrap_err().to_string(),
            "invalid year start '13': expected the month the year starts in, 01 to 12 (04: fiscal years from April)"
        );
    }

    #[test]
    fn a_month_that_looks_like_a_fiscal_year_is_pointed_out() {
        let october = period("2009-10").unwrap();
        let w = fiscal_lookalike(&october, 4).unwrap();
        assert_eq!(
            w,
            "2009-10 is read as a month, October 2009; the fiscal year is written 2009/10 (or FY2010)"
        );
        assert_eq!(fiscal_lookalike(&october, 1), None);
        assert_eq!(fiscal_lookalike(&period("2009-11").unwrap(), 4), None);
        assert_eq!(fiscal_lookalike(&period("2010").unwrap(), 4), None);
    }

    #[test]
    fn dates_and_qualifiers() {
        assert_eq!(date("2022-02-11").unwrap().to_string(), "2022-02-11");
        assert!(date("2022").is_err());
        assert!(date("2022-02-30").is_err());
        assert_eq!(qualifier("about").unwrap(), Qualifier::About);
        assert_eq!(qualifier(">").unwrap(), Qualifier::MoreThan);
        assert_eq!(qualifier("more-than").unwrap(), Qualifier::MoreThan);
        assert_eq!(qualifier("≤").unwrap(), Qualifier::AtMost);
        assert!(qualifier("roughly").is_err());
    }

    #[test]
    fn baselines_and_waypoints() {
        let (p, v) = period_value("2020=5.8bn", "USD", true, 1).unwrap();
        assert_eq!((p.to_string(), v), ("2020".into(), Some(5.8e9)));
        let (p, v) = period_value("2020", "USD", true, 1).unwrap();
        assert_eq!((p.to_string(), v), ("2020".into(), None));
        assert!(period_value("2020", "USD", false, 1).is_err());
        assert_eq!(
            period_value("2021=-3bn", "USD", false, 1).unwrap().1,
            Some(-3e9)
        );
    }
}
