//! The trajectory of a target: one row per period of the deadline's length
//! from the baseline to the deadline (and on to the last observation),
//! with the required path, what was observed, the projection and the
//! deviation (product.md, `show`).

use super::measures::SAME_INSTANT as EPS;
use super::select::Point;
use super::{Assessment, RequiredPath};
use crate::model::{Indicator, Kind, Measure};
use crate::period::{Period, year_fraction};

/// One period of the trajectory. `None` where a value does not exist.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub period: Period,
    /// The required path at the period's time point.
    pub path: Option<f64>,
    /// What counts for this period: for a flow the value of the period, for
    /// a stock the latest value inside it, for a cumulative target the
    /// running sum through it.
    pub observed: Option<Point>,
    /// The trend carried forward from the latest value.
    pub projected: Option<f64>,
    /// `d·(observed − path)` at the observation's instant.
    pub deviation: Option<f64>,
    /// `observed / path` (hledger's budget view: "6.70bn [111% of path]").
    pub of_path: Option<f64>,
}

const MAX_ROWS: i32 = 400;

pub fn trajectory(indicator: Option<&Indicator>, a: &Assessment) -> Vec<Row> {
    let (Some(indicator), Some(baseline)) = (indicator, &a.baseline) else {
        return Vec::new();
    };
    if a.kind == Kind::Milestone {
        return Vec::new();
    }
    let stock = indicator.measure == Measure::Stock && a.kind != Kind::Cumulative;
    let deadline = a.version.deadline;
    let t0 = baseline.t;
    let last_t = a.points.last().map_or(t0, |p| p.t);
    // back from the deadline to the period that ends at (or just before) the baseline
    let mut periods = Vec::new();
    let mut k = 0;
    while k < MAX_ROWS {
        let Some(p) = deadline.shifted(-k) else { break };
        periods.push(p);
        if year_fraction(p.end()) <= t0 + EPS {
            break;
        }
        k += 1;
    }
    if a.kind == Kind::Cumulative {
        // the window starts at the baseline: no row before it
        periods.retain(|p| year_fraction(p.end()) > t0 + EPS);
    }
    periods.reverse();
    // on past the deadline to the last observation
    let mut k = 1;
    while k < MAX_ROWS {
        let Some(p) = deadline.shifted(k) else { break };
        if year_fraction(p.start()) >= last_t - EPS {
            break;
        }
        periods.push(p);
        k += 1;
    }

    let d = a.direction.map_or(1.0, |d| d.sign());
    let path = a.path.as_ref();
    let mut prev_end = f64::NEG_INFINITY;
    let mut rows = Vec::with_capacity(periods.len());
    for period in periods {
        let tau = period.instant(stock);
        let observed = observed(a, &period, stock, prev_end, tau);
        prev_end = tau;
        let path_here = path.and_then(|p| p.at(tau));
        let path_at_obs = |o: &Point| path.and_then(|p: &RequiredPath| p.at(o.t));
        let deviation = observed
            .as_ref()
            .and_then(|o| path_at_obs(o).map(|p| d * (o.value - p)));
        let of_path = observed
            .as_ref()
            .and_then(|o| path_at_obs(o).filter(|p| *p != 0.0).map(|p| o.value / p));
        // as in an assessment, a number that overflowed is unknown, not infinite
        let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
        rows.push(Row {
            period,
            path: finite(path_here),
            observed: observed.filter(|o| o.value.is_finite()),
            projected: finite(projected(a, tau)),
            deviation: finite(deviation),
            of_path: finite(of_path),
        });
    }
    rows
}

fn observed(
    a: &Assessment,
    period: &Period,
    stock: bool,
    prev_end: f64,
    tau: f64,
) -> Option<Point> {
    match a.kind {
        Kind::Cumulative => {
            let ends_here = a
                .points
                .iter()
                .any(|p| p.t > prev_end + EPS && p.t <= tau + EPS);
            if !ends_here {
                return None;
            }
            let through: Vec<&Point> = a.points.iter().filter(|p| p.t <= tau + EPS).collect();
            let last = through.last()?;
            Some(Point {
                obs_id: last.obs_id,
                period: last.period,
                value: through.iter().map(|p| p.value).sum(),
                qualifier: None,
                t: last.t,
                parts: Vec::new(),
            })
        }
        _ if stock => a
            .points
            .iter()
            .rfind(|p| p.t > prev_end + EPS && p.t <= tau + EPS)
            .cloned(),
        _ => a
            .points
            .iter()
            .find(|p| p.period.bounds() == period.bounds())
            .cloned(),
    }
}

/// The trend from the latest value carried to `tau`, from the latest
/// instant on (none for trend targets, which have no projection).
fn projected(a: &Assessment, tau: f64) -> Option<f64> {
    let latest = a.latest.as_ref()?;
    if tau < latest.t - EPS || a.target_value.is_none() {
        return None;
    }
    a.trend?.at(tau)
}
