//! The core measures (methodology.md §4–§5) as small pure functions.
//! Each returns `None` where the formula is undefined (a zero or negative
//! base for a growth rate, no elapsed time); the caller says why.

use crate::model::PathShape;

/// Values closer than this (relative) are equal: thresholds and "met" are
/// compared with a tolerance of 1e-9 (§6).
pub const TOLERANCE: f64 = 1e-9;

/// Two time points closer than this (in years, far below a second) are
/// the same instant; it absorbs the rounding of fractional years.
pub const SAME_INSTANT: f64 = 1e-9;

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Share of the distance covered, signed by the direction `d` (§3):
/// `d·(x − b)/|T − b|` (ESCAP current status). It is the usual
/// `(x − b)/(T − b)` when `T` lies in direction `d` from `b`, and negative
/// whenever the value moved the wrong way, whatever side `T` lies on.
/// `None` when `T = b`.
pub fn progress(d: f64, b: f64, target: f64, x: f64) -> Option<f64> {
    if target == b {
        return None;
    }
    // + 0.0: no negative zero when nothing moved
    finite(d * (x - b) / (target - b).abs() + 0.0)
}

/// Eurostat's ratio of actual to required growth, signed by the direction:
/// `RR = d·g_a/|g_r|` (§6). `None` without both rates or when `g_r = 0`.
pub fn rate_ratio(d: f64, actual: Option<f64>, required: Option<f64>) -> Option<f64> {
    match (actual, required) {
        // + 0.0: never a negative zero
        (Some(ga), Some(gr)) if gr != 0.0 => finite(d * ga / gr.abs() + 0.0),
        _ => None,
    }
}

/// Share of the time elapsed: `(t − t0)/(t1 − t0)`.
pub fn time_share(t0: f64, t1: f64, t: f64) -> Option<f64> {
    if t1 <= t0 {
        return None;
    }
    finite((t - t0) / (t1 - t0))
}

/// Compound annual growth from `from` to `to` over `years`:
/// `(to/from)^(1/years) − 1`. Needs both values positive and time elapsed.
pub fn cagr(from: f64, to: f64, years: f64) -> Option<f64> {
    if !(from > 0.0 && to > 0.0 && years > 0.0) {
        return None;
    }
    finite((to / from).powf(1.0 / years) - 1.0)
}

/// Linear slope per year: `(to − from)/years`.
pub fn slope(from: f64, to: f64, years: f64) -> Option<f64> {
    if years <= 0.0 {
        return None;
    }
    finite((to - from) / years)
}

/// The required path at `tau` between `(t0, b)` and `(t1, T)` (§4), through
/// the waypoints when there are any. Compound needs `b, T > 0` (and every
/// waypoint positive); the caller falls back to linear otherwise.
pub fn path_value(
    shape: PathShape,
    (t0, b): (f64, f64),
    (t1, target): (f64, f64),
    waypoints: &[(f64, f64)],
    tau: f64,
) -> Option<f64> {
    // the corner points of the path, in time order
    let mut corners = Vec::with_capacity(waypoints.len() + 2);
    corners.push((t0, b));
    corners.extend(
        waypoints
            .iter()
            .copied()
            .filter(|(t, _)| *t > t0 && *t < t1),
    );
    corners.push((t1, target));
    let i = corners
        .windows(2)
        .position(|w| tau <= w[1].0)
        .unwrap_or(corners.len() - 2);
    let ((ta, a), (tb, z)) = (corners[i], corners[i + 1]);
    if tb <= ta {
        return None;
    }
    let share = (tau - ta) / (tb - ta);
    match shape {
        PathShape::Linear => finite(a + (z - a) * share),
        PathShape::Compound if a > 0.0 && z > 0.0 => finite(a * (z / a).powf(share)),
        PathShape::Compound => None,
    }
}

/// Whether the compound path is defined: every corner positive.
pub fn compound_possible(b: f64, target: f64, waypoints: &[(f64, f64)]) -> bool {
    b > 0.0 && target > 0.0 && waypoints.iter().all(|(_, v)| *v > 0.0)
}

/// The trend carried forward to `t1` from `(t, x)`: compound `x·(1+g)^(t1−t)`.
pub fn project_compound(x: f64, g: f64, t: f64, t1: f64) -> Option<f64> {
    finite(x * (1.0 + g).powf(t1 - t))
}

/// The trend carried forward linearly: `x + slope·(t1 − t)`.
pub fn project_linear(x: f64, slope: f64, t: f64, t1: f64) -> Option<f64> {
    finite(x + slope * (t1 - t))
}

/// When the compound trend from `(t, x)` at rate `g` reaches `target`:
/// `t + ln(T/x)/ln(1+g)`; `None` if it never does (growth away from it or
/// none at all).
pub fn hit_compound(x: f64, g: f64, t: f64, target: f64) -> Option<f64> {
    if !(x > 0.0 && target > 0.0 && g > -1.0) || g == 0.0 {
        return None;
    }
    let years = (target / x).ln() / (1.0 + g).ln();
    (years >= 0.0).then_some(t + years).and_then(finite)
}

/// When the linear trend from `(t, x)` with `slope` reaches `target`.
pub fn hit_linear(x: f64, slope: f64, t: f64, target: f64) -> Option<f64> {
    if slope == 0.0 {
        return None;
    }
    let years = (target - x) / slope;
    (years >= 0.0).then_some(t + years).and_then(finite)
}

/// `a ≥ b` with the tolerance of §6 (relative to the size of the numbers).
pub fn at_least(a: f64, b: f64) -> bool {
    a >= b - TOLERANCE * b.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, e: f64) {
        let a = a.expect("a value");
        assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{a} != {e}");
    }

    // methodology.md §9, first worked example: b = 5.8bn (2020, t0 = 2021.0),
    // T = 7bn (2025, t1 = 2026.0), x = 6.7bn (2021, t = 2022.0).

    #[test]
    fn progress_is_the_share_of_the_distance_covered() {
        // (6.7 − 5.8)/(7 − 5.8) = 0.9/1.2 = 0.75
        close(progress(1.0, 5.8e9, 7e9, 6.7e9), 0.75);
        // decrease: −1·(85 − 100)/|60 − 100| = 15/40 = 0.375
        close(progress(-1.0, 100.0, 60.0, 85.0), 0.375);
        assert_eq!(progress(1.0, 5.0, 5.0, 6.0), None);
        // met at the baseline and since lost (lower is better: b 1.16, T 1.2,
        // x 1.3): −1·(1.3 − 1.16)/0.04 = −3.5, moving the wrong way
        close(progress(-1.0, 1.16, 1.2, 1.3), -3.5);
        // the same target while the value keeps falling: +1.5, not −1.5
        close(progress(-1.0, 1.16, 1.2, 1.1), 1.5);
    }

    #[test]
    fn the_rate_ratio_is_signed_by_the_direction() {
        // worked example: 0.155172/0.038330 = 4.0484
        let ga = 6.7 / 5.8 - 1.0;
        let gr = (7.0f64 / 5.8).powf(0.2) - 1.0;
        close(rate_ratio(1.0, Some(ga), Some(gr)), ga / gr);
        // decrease: −1·(−1.612%)/|−2.522%| = +0.639
        let ga = cagr(100.0, 85.0, 10.0).unwrap();
        let gr = cagr(100.0, 60.0, 20.0).unwrap();
        close(rate_ratio(-1.0, Some(ga), Some(gr)), -ga / gr.abs());
        assert!((rate_ratio(-1.0, Some(ga), Some(gr)).unwrap() - 0.639).abs() < 1e-3);
        // lower is better, target above the base (met at the baseline), the
        // value rising: g_a > 0, g_r > 0, RR = −g_a/g_r < 0
        let ga = cagr(1.16, 1.3, 3.0).unwrap();
        let gr = cagr(1.16, 1.2, 10.0).unwrap();
        close(rate_ratio(-1.0, Some(ga), Some(gr)), -ga / gr);
        assert!(rate_ratio(-1.0, Some(ga), Some(gr)).unwrap() < 0.0);
        assert_eq!(rate_ratio(1.0, Some(0.1), Some(0.0)), None);
        assert_eq!(rate_ratio(1.0, None, Some(0.1)), None);
    }

    #[test]
    fn time_share_is_the_share_of_the_years_elapsed() {
        // (2022 − 2021)/(2026 − 2021) = 0.2
        close(time_share(2021.0, 2026.0, 2022.0), 0.2);
        assert_eq!(time_share(2026.0, 2021.0, 2022.0), None);
    }

    #[test]
    fn growth_rates_are_compound_annual() {
        // actual: 6.7/5.8 − 1 = 0.155172413793…
        close(cagr(5.8e9, 6.7e9, 1.0), 6.7 / 5.8 - 1.0);
        // required: (7/5.8)^(1/5) − 1 = 0.038330…
        close(cagr(5.8e9, 7e9, 5.0), (7.0f64 / 5.8).powf(0.2) - 1.0);
        assert!((cagr(5.8e9, 7e9, 5.0).unwrap() - 0.03833).abs() < 1e-5);
        // from now: (7/6.7)^(1/4) − 1 = 0.011011…
        assert!((cagr(6.7e9, 7e9, 4.0).unwrap() - 0.01101).abs() < 1e-5);
        // decrease example: (85/100)^(1/10) − 1 = −0.016118…
        assert!((cagr(100.0, 85.0, 10.0).unwrap() + 0.01612).abs() < 1e-5);
        assert_eq!(cagr(0.0, 5.0, 1.0), None);
        assert_eq!(cagr(-1.0, 5.0, 1.0), None);
        assert_eq!(cagr(1.0, 5.0, 0.0), None);
    }

    #[test]
    fn the_compound_path_and_the_linear_path() {
        // compound: 5.8·(7/5.8)^0.2 = 6.0223…bn
        let p = path_value(
            PathShape::Compound,
            (2021.0, 5.8e9),
            (2026.0, 7e9),
            &[],
            2022.0,
        );
        close(p, 5.8e9 * (7.0f64 / 5.8).powf(0.2));
        assert!((p.unwrap() / 1e9 - 6.022).abs() < 1e-3);
        // linear: 100 + (60 − 100)·0.5 = 80
        close(
            path_value(
                PathShape::Linear,
                (2011.0, 100.0),
                (2031.0, 60.0),
                &[],
                2021.0,
            ),
            80.0,
        );
        assert_eq!(
            path_value(
                PathShape::Compound,
                (2021.0, -1.0),
                (2026.0, 7.0),
                &[],
                2022.0
            ),
            None
        );
    }

    #[test]
    fn waypoints_bend_the_path() {
        // 5.8 (2021.0) → 6.05 (2022.0) → 7 (2026.0): at 2021.5 halfway to the
        // waypoint, 5.925; at 2024.0 halfway between waypoint and target, 6.525
        let w = [(2022.0, 6.05)];
        close(
            path_value(PathShape::Linear, (2021.0, 5.8), (2026.0, 7.0), &w, 2021.5),
            5.925,
        );
        close(
            path_value(PathShape::Linear, (2021.0, 5.8), (2026.0, 7.0), &w, 2024.0),
            6.525,
        );
        close(
            path_value(PathShape::Linear, (2021.0, 5.8), (2026.0, 7.0), &w, 2022.0),
            6.05,
        );
    }

    #[test]
    fn projections_carry_the_trend_to_the_deadline() {
        // 6.7·1.15517^4 = 11.93bn
        let g = 6.7 / 5.8 - 1.0;
        let p = project_compound(6.7e9, g, 2022.0, 2026.0).unwrap();
        assert!((p / 1e9 - 11.93).abs() < 0.005, "{p}");
        // decrease example: 85·(1 − 0.01612)^10 = 72.25
        let g = cagr(100.0, 85.0, 10.0).unwrap();
        let p = project_compound(85.0, g, 2021.0, 2031.0).unwrap();
        assert!((p - 72.25).abs() < 0.005, "{p}");
        close(project_linear(85.0, -1.5, 2021.0, 2031.0), 70.0);
    }

    #[test]
    fn the_trend_reaches_the_target_when_it_crosses_it() {
        // 6.7 · 1.15517^y = 7 → y = ln(7/6.7)/ln(1.15517) = 0.30363…
        let g = 6.7 / 5.8 - 1.0;
        let t = hit_compound(6.7, g, 2022.0, 7.0).unwrap();
        close(Some(t), 2022.0 + (7.0f64 / 6.7).ln() / (1.0 + g).ln());
        assert!((t - 2022.3036).abs() < 1e-4);
        assert_eq!(hit_compound(6.7, -0.05, 2022.0, 7.0), None);
        assert_eq!(hit_compound(6.7, 0.0, 2022.0, 7.0), None);
        close(hit_linear(85.0, -1.5, 2021.0, 60.0), 2021.0 + 25.0 / 1.5);
        assert_eq!(hit_linear(85.0, 1.5, 2021.0, 60.0), None);
    }

    #[test]
    fn comparisons_allow_for_decimal_noise() {
        assert!(at_least(0.95 - 1e-12, 0.95));
        assert!(!at_least(0.949, 0.95));
        assert!(at_least(7e9 - 1.0, 7e9));
        assert!(!at_least(7e9 - 100.0, 7e9));
    }
}
