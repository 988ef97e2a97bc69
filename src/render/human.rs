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
    if let Some(symbol) = currency_symbol(unit) {
        format!("{sign}{symbol}{number}")
    } else if unit == "%" {
        format!("{sign}{number}%")
    } else if unit.is_empty() || unit == "count" {
        format!("{sign}{number}")
    } else {
        format!("{sign}{number} {unit}")
    }
}

/// A difference of two values: in the unit, except that the difference of
/// two percentages is in percentage points (`0.8pp`, not `0.8%`).
pub fn difference(x: f64, unit: &str) -> String {
    if unit == "%" {
        let text = format!("{:.1}pp", x.abs());
        if x < 0.0 && text != "0.0pp" {
            format!("-{text}")
        } else {
            text
        }
    } else {
        value(x, unit)
    }
}

/// A value with its qualifier's sign: `≈$6.70bn`, `>1,000 jobs`.
pub fn qualified(x: f64, qualifier: Option<Qualifier>, unit: &str) -> String {
    match qualifier {
        Some(q) => format!("{}{}", q.symbol(), value(x, unit)),
        None => value(x, unit),
    }
}

fn magnitude(a: f64, percent: bool) -> String {
    if percent {
        return format!("{a:.1}");
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
        format!("{a:.1}")
    } else {
        format!("{a:.2}")
    };
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Three significant digits: 5.80, 87.0, 200.
fn significant(v: f64) -> String {
    if v >= 99.95 {
        format!("{v:.0}")
    } else if v >= 9.995 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// `4000` → `4,000`.
fn thousands(v: f64) -> String {
    let digits = format!("{v:.0}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A growth rate or change as a signed percentage: `+15.5%`, `-1.6%`.
pub fn rate(r: f64) -> String {
    let pct = r * 100.0;
    if pct.abs() < 0.05 {
        "0.0%".into()
    } else {
        format!("{pct:+.1}%")
    }
}

/// A share as a percentage: `75%`, `111%`, `-20%`.
pub fn share(s: f64) -> String {
    format!("{:.0}%", s * 100.0)
}

/// A ratio with two decimals: `4.05`.
pub fn ratio(r: f64) -> String {
    format!("{r:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(rate(0.0001), "0.0%");
        assert_eq!(share(0.75), "75%");
        assert_eq!(share(1.1119), "111%");
    }
}
