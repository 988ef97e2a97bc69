//! The Open SDG 2.4 progress measure's number (sdg-build
//! `progress_measure`), with its conventions: a zero base or target
//! replaced (0.001), base and latest of opposite signs or less than a year
//! apart not available, a target of the opposite sign to the base not
//! available, the sign factor, and the natural-limit coefficient `C`.
//! The bands and the score are the profile's (`builtin/opensdg.toml`).

/// The inputs of the measure.
#[derive(Debug, Clone, Copy)]
pub struct OpenSdg {
    pub base: f64,
    pub latest: f64,
    /// Years from base to latest.
    pub years: f64,
    /// Base and latest at least a calendar year apart (2020-07-01 and
    /// 2021-07-01 are, though a leap day makes them 0.9986 years apart).
    pub a_year_apart: bool,
    /// With a target: its value and the years from base to the target year.
    pub target: Option<(f64, f64)>,
    /// +1 higher is better, −1 lower is better.
    pub direction: f64,
    /// The indicator's natural limit, if any.
    pub limit: Option<f64>,
}

/// The growth rates as Open SDG forms them.
#[derive(Debug, Clone)]
pub struct Rates {
    /// `(x/b)^(1/years) − 1`, where it can be formed.
    pub actual: Option<f64>,
    /// `(T/b)^(1/years to T) − 1`, where it is finite and not zero.
    pub required: Option<f64>,
    /// −1 when the base is negative, else +1.
    pub sign: f64,
    /// Why the actual rate is missing.
    pub why_not: Option<&'static str>,
    /// The substitutions made.
    pub notes: Vec<String>,
}

impl OpenSdg {
    /// The rates, with `zero` (0.001) for a zero base or target.
    pub fn rates(&self, zero: f64) -> Rates {
        let mut notes = Vec::new();
        let target = self.target.map(|(t, years)| {
            if t == 0.0 {
                notes.push(format!("Open SDG: target 0 replaced by {zero}"));
                (zero, years)
            } else {
                (t, years)
            }
        });
        let base = if self.base == 0.0 {
            notes.push(format!("Open SDG: base 0 replaced by {zero}"));
            zero
        } else {
            self.base
        };
        // two points at least a year apart, not of opposite signs (0 has no sign)
        let opposite = (base < 0.0 && self.latest > 0.0) || (base > 0.0 && self.latest < 0.0);
        let actual = (self.a_year_apart && !opposite)
            .then(|| (self.latest / base).powf(1.0 / self.years) - 1.0);
        let why_not = match actual {
            Some(_) => None,
            None if opposite => Some("Open SDG: base and latest value of opposite signs"),
            None => Some(
                "Open SDG: fewer than 2 years of data (base and latest value less than a year apart)",
            ),
        };
        let required = target.and_then(|(t, years)| {
            Some((t / base).powf(1.0 / years) - 1.0).filter(|g| *g != 0.0 && g.is_finite())
        });
        Rates {
            actual,
            required,
            sign: if base < 0.0 { -1.0 } else { 1.0 },
            why_not,
            notes,
        }
    }

    /// `R`: `sign·d·g_a/|g_r|` with a target, `sign·d·g_a` without; or why
    /// it is not available.
    pub fn measure(&self, zero: f64) -> (Result<f64, String>, Vec<String>) {
        let r = self.rates(zero);
        let notes = r.notes.clone();
        let Some(g_a) = r.actual else {
            return (Err(r.why_not.unwrap_or_default().to_string()), notes);
        };
        let Some((t, _)) = self.target else {
            return (Ok(r.sign * self.direction * g_a), notes);
        };
        let t = if t == 0.0 { zero } else { t };
        let base = if self.base == 0.0 { zero } else { self.base };
        if (t < 0.0) != (base < 0.0) {
            return (
                Err("Open SDG: the target and the base are of opposite signs".to_string()),
                notes,
            );
        }
        match r.required {
            Some(g_r) => (Ok(r.sign * self.direction * g_a / g_r.abs()), notes),
            None => (
                Err("Open SDG: the required growth is zero or undefined".to_string()),
                notes,
            ),
        }
    }

    /// `R` where both rates exist, whatever else (reported beside a met
    /// target, as sdg-build does).
    pub fn value_if_any(&self, zero: f64) -> Option<f64> {
        let r = self.rates(zero);
        r.actual
            .zip(r.required)
            .map(|(ga, gr)| r.sign * self.direction * ga / gr.abs())
    }

    /// The natural-limit coefficient for these inputs (1 without a limit).
    pub fn c(&self) -> f64 {
        self.limit.map_or(1.0, |l| limit_coefficient(self.base, l))
    }
}

/// Whether the instants `t0` and `t` (fractional years) are at least a
/// calendar year apart.
pub fn a_year_apart(t0: f64, t: f64) -> bool {
    if t - t0 >= 1.0 {
        return true;
    }
    let (Some(a), Some(b)) = (crate::period::date_at(t0), crate::period::date_at(t)) else {
        return false;
    };
    a.checked_add_months(chrono::Months::new(12))
        .is_some_and(|a| b >= a)
}

/// Open SDG's natural-limit coefficient `C`: 1 when `|b| ≥ 2|L|`;
/// `1 − (|b|/|L|)^4.44` when `|b| ≤ |L|`; else `1 − ((2|L| − |b|)/|L|)^4.44`.
pub fn limit_coefficient(base: f64, limit: f64) -> f64 {
    let (b, l) = (base.abs(), limit.abs());
    if l == 0.0 || b >= 2.0 * l {
        1.0
    } else if b <= l {
        1.0 - (b / l).powf(4.44)
    } else {
        1.0 - ((2.0 * l - b) / l).powf(4.44)
    }
}
