//! Human-scaled numbers: `$5.80bn`, `4,000 jobs`, `38.0%`, `+15.5%`.

use crate::model::Qualifier;
use crate::parse::currency_symbol;

/// A value in its unit, three significant digits above a million:
/// `$5.80bn`, `$87.0m`, `4,000 jobs`, `17,500`, `38.0%`, `-$3.50bn`.
pub fn value(x: f64, unit: &str) -> String {
    let number = magnitude(x.abs(), unit == "%");
    // no "-0" for a negative value that rounds to zero
    let sign = if x < 0.0 && number.chars().any(|c| ('1'..='9').contains(&c)) {
        "-"
    } else {
        ""
    };
    in_unit(sign, &number, unit)
}

/// A number with its sign in `unit`: `-$3.50bn`, `38.0%`, `4,000 jobs`.
fn in_unit(sign: &str, number: &str, unit: &str) -> String {
    // joined in one allocation, not through the formatting machinery (a
    // table writes a few of these a row)
    if let Some(symbol) = currency_symbol(unit) {
        [sign, symbol.encode_utf8(&mut [0; 4]), number].concat()
    } else if unit == "%" {
        [sign, number, "%"].concat()
    } else if unit.is_empty() || unit == "count" {
        [sign, number].concat()
    } else {
        [sign, number, " ", unit].concat()
    }
}

/// A difference of two values: in the unit, except that the difference of
/// two percentages is in percentage points (`0.8pp`, not `0.8%`).
pub fn difference(x: f64, unit: &str) -> String {
    if unit == "%" {
        signed_text(x < 0.0, &format!("{}pp", percent_number(x.abs())))
    } else {
        value(x, unit)
    }
}

/// A value with its qualifier's sign: `≈$6.70bn`, `>1,000 jobs`.
pub fn qualified(x: f64, qualifier: Option<Qualifier>, unit: &str) -> String {
    match qualifier {
        Some(q) => [q.symbol(), &value(x, unit)].concat(),
        None => value(x, unit),
    }
}

/// Two values that differ, each as [`qualified`] shows it, or, where that
/// would show them alike (`118 t → 118 t`), each in full (`118.04 t →
/// 118.2 t`): a revision never reads as no change.
pub fn apart(
    (a, qa): (f64, Option<Qualifier>),
    (b, qb): (f64, Option<Qualifier>),
    unit: &str,
) -> (String, String) {
    let (x, y) = (qualified(a, qa, unit), qualified(b, qb, unit));
    if x != y || a.to_bits() == b.to_bits() {
        return (x, y);
    }
    // the shortest decimal that reads back as the same number
    let full = |v: f64, q: Option<Qualifier>| {
        let sign = if v < 0.0 { "-" } else { "" };
        let text = in_unit(sign, &v.abs().to_string(), unit);
        q.map_or(text.clone(), |q| format!("{}{text}", q.symbol()))
    };
    (full(a, qa), full(b, qb))
}

fn magnitude(a: f64, percent: bool) -> String {
    if percent {
        return percent_number(a);
    }
    for (scale, word) in [(1e12, "tn"), (1e9, "bn"), (1e6, "m")] {
        if a >= scale * 0.9995 {
            return format!("{}{word}", significant(a / scale));
        }
    }
    // below a million: whole numbers from 100 up (grouped), three
    // significant digits below that
    if a >= 99.95 || a.fract() == 0.0 {
        return thousands(a.round());
    }
    let s = if a >= 9.995 {
        fixed(a, 1)
    } else if a >= 0.9995 {
        fixed(a, 2)
    } else {
        small(a, 3)
    };
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A percentage's number: one decimal from 1 up (`38.0`, `5.4`), two
/// significant digits below (`0.26`, `0.5`, `0.048`), `0.0` for zero.
fn percent_number(a: f64) -> String {
    if a >= 0.95 || a == 0.0 {
        return fixed(a, 1);
    }
    let s = small(a, 2);
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

/// `a` (below 1) with `digits` significant digits, at most six decimals.
fn small(a: f64, digits: i32) -> String {
    let decimals = if a > 0.0 {
        (digits - 1 - a.log10().floor() as i32).clamp(0, 6) as usize
    } else {
        0
    };
    fixed(a, decimals)
}

/// `text` (the number without its sign) with a minus sign when `negative`
/// and the text is not all zeros: never `-0`, `-0.0` or `-0%`.
fn signed_text(negative: bool, text: &str) -> String {
    if negative && text.chars().any(|c| ('1'..='9').contains(&c)) {
        ["-", text].concat()
    } else {
        text.to_string()
    }
}

/// `format!("{a:.decimals$}")`, the same text, faster where it can be: for
/// a value of positive sign (not -0), with its scaled value `a × 10^decimals`
/// below 10^9 and further than 10^-6 from a half, the scaled value computed
/// in floating point (off by at most 1.2 × 10^-7) rounds to the same whole
/// number as the exact one, and that number's digits are the text. Else
/// (a near tie, a large or negative value) Rust's own exact formatting,
/// which for fixed decimals is slow (it falls back to big-number
/// arithmetic).
fn fixed(a: f64, decimals: usize) -> String {
    const POW10: [f64; 7] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];
    if let Some(&scale) = POW10.get(decimals)
        && a.is_sign_positive()
        && a * scale < 1e9
    {
        let x = a * scale;
        if (x - x.floor() - 0.5).abs() > 1e-6 {
            let n = x.round() as u64;
            let unit = scale as u64;
            let mut text = String::with_capacity(24);
            push_digits(&mut text, n / unit, 1);
            if decimals > 0 {
                text.push('.');
                push_digits(&mut text, n % unit, decimals);
            }
            return text;
        }
    }
    format!("{a:.decimals$}")
}

/// `n` in decimal digits onto `text`, at least `width` of them (up to
/// twenty, zeros first), without the formatting machinery (a table
/// formats a few numbers a row).
fn push_digits(text: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    while n > 0 || at == digits.len() {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let at = at.min(digits.len() - width.min(digits.len()));
    // (ASCII digits only)
    text.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// Three significant digits: 5.80, 87.0, 200.
fn significant(v: f64) -> String {
    if v >= 99.95 {
        fixed(v, 0)
    } else if v >= 9.995 {
        fixed(v, 1)
    } else {
        fixed(v, 2)
    }
}

/// `4000` → `4,000`.
fn thousands(v: f64) -> String {
    let digits = fixed(v, 0);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A growth rate or change as a signed percentage: `+15.5%`, `-1.6%`,
/// `+0.03%` (two significant digits below one per cent), `0.0%`.
pub fn rate(r: f64) -> String {
    let pct = r * 100.0;
    let number = percent_number(pct.abs());
    if !number.chars().any(|c| ('1'..='9').contains(&c)) {
        "0.0%".into()
    } else if pct < 0.0 {
        ["-", &number, "%"].concat()
    } else {
        ["+", &number, "%"].concat()
    }
}

/// A share as a percentage: `75%`, `111%`, `-20%`; below one per cent
/// with two significant digits (`0.5%`, `0.26%`), so that a small share
/// never reads as none.
pub fn share(s: f64) -> String {
    let pct = s.abs() * 100.0;
    let number = if pct >= 0.95 || pct == 0.0 {
        // a progress short of its target never reads as 100%
        not_up_onto(pct, 0, |v| v == 100.0)
    } else {
        percent_number(pct)
    };
    let mut text = signed_text(s < 0.0, &number);
    text.push('%');
    text
}

/// `a` (not negative) rounded to `decimals`, with more decimals (up to six)
/// where rounding would carry it up onto a threshold (`on_threshold`): a
/// ratio of 0.9458 is `0.946`, not the `0.95` of a threshold it is below;
/// a progress of 99.6% is not `100%`.
fn not_up_onto(a: f64, decimals: usize, on_threshold: impl Fn(f64) -> bool) -> String {
    let mut d = decimals;
    loop {
        let shown = fixed(a, d);
        let v: f64 = shown.parse().unwrap_or(a);
        if d >= 6 || !(v > a && on_threshold(v)) {
            return shown;
        }
        d += 1;
    }
}

/// Whether `v` is a multiple of `step` (up to rounding).
fn on_grid(v: f64, step: f64) -> bool {
    ((v / step).round() * step - v).abs() < 1e-9
}

/// A ratio with two decimals (`4.05`), two significant digits below 0.1
/// (`0.048`).
pub fn ratio(r: f64) -> String {
    let a = r.abs();
    let number = if a >= 0.095 || a == 0.0 {
        // the methods' thresholds of a ratio lie on multiples of 0.05 up
        // to 1 (0.95, 0.6, 1)
        not_up_onto(a, 2, |v| v <= 1.0 && on_grid(v, 0.05))
    } else {
        small(a, 2)
    };
    signed_text(r < 0.0, &number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn digits_are_written_with_their_leading_zeros() {
        for (n, width, text) in [
            (0, 1, "0"),
            (0, 3, "000"),
            (7, 3, "007"),
            (12_345, 2, "12345"),
            (u64::MAX, 1, "18446744073709551615"),
            (42, 25, "00000000000000000042"),
        ] {
            let mut out = String::from("x");
            push_digits(&mut out, n, width);
            assert_eq!(out, format!("x{text}"), "{n} in {width}");
        }
    }

    proptest! {
        /// The fast fixed decimals are Rust's, digit for digit: over any
        /// bits, over decimals of a few places (many of them ties in
        /// decimal, none exactly in binary), and about the cut-offs.
        #[test]
        fn fixed_decimals_are_rusts_own(
            bits in any::<u64>(),
            thousandths in 0u64..100_000_000,
            scale in 0i32..12,
            decimals in 0usize..8,
        ) {
            for a in [
                f64::from_bits(bits),
                f64::from_bits(bits).abs(),
                thousandths as f64 / 1000.0,
                thousandths as f64 / 2000.0,
                thousandths as f64 * 10f64.powi(scale - 8),
                1e9 / 10f64.powi(decimals as i32) - thousandths as f64 / 1e9,
            ] {
                prop_assert_eq!(fixed(a, decimals), format!("{a:.decimals$}"), "{:?}", a);
            }
        }
    }

    #[test]
    fn fixed_decimals_round_as_rust_does_at_the_edges() {
        for (a, d) in [
            (0.0, 1),
            (0.05, 1),
            (0.15, 1),
            (0.25, 1),
            (2.5, 0),
            (3.5, 0),
            (1.005, 2),
            (999_999.95, 1),
            (99.95, 1),
            (0.000_000_5, 6),
            (-0.0, 1),
            (-1.25, 1),
            (f64::NAN, 2),
            (f64::INFINITY, 1),
        ] {
            assert_eq!(fixed(a, d), format!("{a:.d$}"), "{a} to {d}");
        }
    }

    #[test]
    fn values_are_human_scaled_with_their_unit() {
        assert_eq!(value(5.8e9, "USD"), "$5.80bn");
        assert_eq!(value(11.93e9, "USD"), "$11.9bn");
        assert_eq!(value(87e6, "USD"), "$87.0m");
        assert_eq!(value(200e9, "USD"), "$200bn");
        assert_eq!(value(-3.5e9, "USD"), "-$3.50bn");
        assert_eq!(value(5.8e9, "BYN"), "5.80bn BYN");
        assert_eq!(value(4000.0, "jobs"), "4,000 jobs");
        assert_eq!(value(17500.0, "count"), "17,500");
        assert_eq!(value(68.0, "residents"), "68 residents");
        assert_eq!(value(38.0, "%"), "38.0%");
        assert_eq!(value(1.55, "t"), "1.55 t");
        assert_eq!(value(2097.15, "homes"), "2,097 homes");
        assert_eq!(value(1234.5, "EUR"), "€1,235");
        assert_eq!(value(364.11, "homes"), "364 homes");
        assert_eq!(value(87.56, "t"), "87.6 t");
        assert_eq!(value(999_999_999.0, "USD"), "$1.00bn");
        assert_eq!(value(0.0, "USD"), "$0");
    }

    #[test]
    fn differences_of_percentages_are_points() {
        assert_eq!(difference(0.8, "%"), "0.8pp");
        assert_eq!(difference(-1.25, "%"), "-1.2pp");
        assert_eq!(difference(-300e6, "USD"), "-$300m");
    }

    #[test]
    fn qualifiers_show_as_signs() {
        assert_eq!(qualified(6.7e9, Some(Qualifier::About), "USD"), "≈$6.70bn");
        assert_eq!(
            qualified(1000.0, Some(Qualifier::MoreThan), "jobs"),
            ">1,000 jobs"
        );
    }

    #[test]
    fn rates_and_shares() {
        assert_eq!(rate(0.155172), "+15.5%");
        assert_eq!(rate(-0.01612), "-1.6%");
        assert_eq!(rate(0.0001), "+0.01%");
        assert_eq!(rate(0.0), "0.0%");
        assert_eq!(rate(-0.0), "0.0%");
        assert_eq!(share(0.75), "75%");
        assert_eq!(share(1.1119), "111%");
    }

    #[test]
    fn small_numbers_keep_their_significant_digits() {
        assert_eq!(value(0.26, "%"), "0.26%");
        assert_eq!(value(0.5, "%"), "0.5%");
        assert_eq!(value(0.048, "%"), "0.048%");
        assert_eq!(value(0.96, "%"), "1.0%");
        assert_eq!(value(5.37, "%"), "5.4%");
        assert_eq!(value(0.026, "t"), "0.026 t");
        assert_eq!(value(0.5, "t"), "0.5 t");
        assert_eq!(value(0.1234, "count"), "0.123");
        assert_eq!(share(0.005), "0.5%");
        assert_eq!(share(0.0026), "0.26%");
        assert_eq!(share(0.0095), "1%");
        assert_eq!(share(0.0), "0%");
        assert_eq!(rate(0.0026), "+0.26%");
        assert_eq!(rate(-0.0005), "-0.05%");
        assert_eq!(difference(0.26, "%"), "0.26pp");
        assert_eq!(difference(-0.04, "%"), "-0.04pp");
        assert_eq!(ratio(4.0517), "4.05");
        assert_eq!(
            apart((118.04, None), (118.2, None), "t"),
            ("118.04 t".to_string(), "118.2 t".to_string())
        );
        assert_eq!(
            apart((118.0, None), (125.0, None), "t"),
            ("118 t".to_string(), "125 t".to_string())
        );
        assert_eq!(ratio(0.0481), "0.048");
        // never carried up onto a threshold's grid: 0.9458 < 0.95
        assert_eq!(ratio(0.9458), "0.946");
        assert_eq!(ratio(0.5996), "0.5996");
        assert_eq!(ratio(0.95), "0.95");
        assert_eq!(ratio(0.9512), "0.95");
        assert_eq!(ratio(3.6087), "3.61");
        assert_eq!(ratio(4.0495), "4.05");
        assert_eq!(share(0.996), "99.6%");
        assert_eq!(share(0.99996), "99.996%");
        assert_eq!(share(1.0), "100%");
        assert_eq!(share(1.004), "100%");
        assert_eq!(share(0.58), "58%");
    }

    #[test]
    fn nothing_shows_as_minus_zero() {
        for x in [-0.0, -1e-12, -0.0004] {
            for shown in [
                value(x, "USD"),
                value(x, "%"),
                value(x, "jobs"),
                difference(x, "%"),
                difference(x, "USD"),
                rate(x * 1e-6),
                share(x * 1e-9),
                ratio(x * 1e-9),
            ] {
                let zero = !shown.chars().any(|c| ('1'..='9').contains(&c));
                assert!(!(zero && shown.starts_with('-')), "{x} shown as {shown}");
            }
        }
        assert_eq!(share(-0.0), "0%");
        assert_eq!(ratio(-0.0), "0.00");
        assert_eq!(difference(-0.0, "%"), "0.0pp");
    }
}
