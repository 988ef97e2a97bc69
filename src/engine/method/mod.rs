//! Methods (methodology.md §6): each is a [`Profile`] — which number is
//! classified, the bands with and without a target, the labels and the
//! score. The four built-in methods are profiles too, embedded from
//! `builtin/*.toml`; an office's variant is one more file (`method add`).

mod opensdg;
pub mod profile;

use std::sync::OnceLock;

use serde::Serialize;

use super::measures::at_least;
use super::status::Status;
pub use opensdg::{OpenSdg, a_year_apart, limit_coefficient};
pub use profile::{MeasureKind, Profile};

/// A method, chosen with `--method`: a built-in one or a profile from the
/// database.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Eurostat,
    Opensdg,
    Unsd,
    Pace,
    /// A user's profile (read once per process and kept for its lifetime).
    Custom(&'static Profile),
}

impl PartialEq for Method {
    fn eq(&self, other: &Method) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Method {}

impl Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

const BUILTIN: [(&str, &str); 4] = [
    ("eurostat", include_str!("builtin/eurostat.toml")),
    ("opensdg", include_str!("builtin/opensdg.toml")),
    ("unsd", include_str!("builtin/unsd.toml")),
    ("pace", include_str!("builtin/pace.toml")),
];

fn builtin(i: usize) -> &'static Profile {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    let all = PROFILES.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(name, text)| {
                Profile::from_toml(text, &format!("builtin/{name}.toml"))
                    .unwrap_or_else(|e| panic!("the built-in profile is invalid: {e}"))
            })
            .collect()
    });
    &all[i]
}

impl Method {
    pub const BUILTIN: [Method; 4] = [
        Method::Eurostat,
        Method::Opensdg,
        Method::Unsd,
        Method::Pace,
    ];

    pub fn profile(self) -> &'static Profile {
        match self {
            Method::Eurostat => builtin(0),
            Method::Opensdg => builtin(1),
            Method::Unsd => builtin(2),
            Method::Pace => builtin(3),
            Method::Custom(p) => p,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::Custom(p) => &p.name,
            _ => BUILTIN[self.builtin_index().unwrap_or(0)].0,
        }
    }

    fn builtin_index(self) -> Option<usize> {
        match self {
            Method::Eurostat => Some(0),
            Method::Opensdg => Some(1),
            Method::Unsd => Some(2),
            Method::Pace => Some(3),
            Method::Custom(_) => None,
        }
    }

    pub fn is_builtin(self) -> bool {
        self.builtin_index().is_some()
    }

    /// A built-in method by name.
    pub fn from_name(s: &str) -> Option<Method> {
        Method::BUILTIN.into_iter().find(|m| m.name() == s)
    }

    /// The built-in profile's text, as embedded.
    pub fn builtin_text(self) -> Option<&'static str> {
        self.builtin_index().map(|i| BUILTIN[i].1)
    }

    /// A user's profile as a method, kept for the rest of the process.
    pub fn custom(p: Profile) -> Method {
        Method::Custom(Box::leak(Box::new(p)))
    }

    pub fn measure(self) -> MeasureKind {
        self.profile().measure
    }
}

/// What a method says: the status, the number it classified, its own label
/// and, where it defines one, a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    pub method_value: Option<f64>,
    pub method_label: Option<&'static str>,
    pub score: Option<f64>,
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn no_data(reason: impl Into<String>) -> Verdict {
        Verdict {
            status: Status::NoData,
            method_value: None,
            method_label: None,
            score: None,
            notes: vec![reason.into()],
        }
    }

    /// A verdict without a classified number.
    pub fn fixed(status: Status, label: &'static str) -> Verdict {
        Verdict {
            status,
            method_value: None,
            method_label: Some(label),
            score: None,
            notes: Vec::new(),
        }
    }
}

/// Whether `value` meets the bound `(b, strict)`: `≥ b`, or `> b` when
/// strict; within the tolerance of §6 unless `exact`.
fn meets(value: f64, (b, strict): (f64, bool), exact: bool) -> bool {
    match (strict, exact) {
        (false, false) => at_least(value, b),
        (false, true) => value >= b,
        // strictly above, beyond the tolerance
        (true, false) => !at_least(b, value),
        (true, true) => value > b,
    }
}

/// Which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    WithTarget,
    WithoutTarget,
}

impl Method {
    fn rules(self, which: Rules) -> &'static profile::Rules {
        let p = self.profile();
        match which {
            Rules::WithTarget => &p.with_target,
            Rules::WithoutTarget => &p.without_target,
        }
    }

    /// Classifies `value` by the profile's bands (bounds × `c` where
    /// scaled), with its score.
    pub fn classify(self, which: Rules, value: f64, c: f64) -> Verdict {
        let value = value + 0.0; // never a negative zero
        let exact = self.profile().exact;
        let rules = self.rules(which);
        let band = rules
            .bands
            .iter()
            .find(|b| match b.bound() {
                None => true,
                Some((x, strict)) => {
                    let x = if b.scaled { x * c } else { x };
                    meets(value, (x, strict), exact)
                }
            })
            .unwrap_or_else(|| rules.bands.last().expect("a validated profile has a band"));
        let mut v = Verdict {
            status: profile::band_status(&band.status).unwrap_or(Status::NoData),
            method_value: Some(value),
            method_label: Some(band.label.as_str()),
            score: rules.score.as_ref().map(|s| score(s, value, c, exact)),
            notes: Vec::new(),
        };
        v.notes.extend(rules.note.clone());
        v
    }

    /// The verdict with `status` and its band's label, without a number
    /// (pace where the path had not moved: the deviation decided).
    pub fn labelled(self, which: Rules, status: Status) -> Verdict {
        let rules = self.rules(which);
        let label = rules
            .bands
            .iter()
            .find(|b| b.status == status.name())
            .map_or(status.name(), |b| b.label.as_str());
        Verdict::fixed(status, label)
    }

    /// The label of the bottom band (moving away), used where a target
    /// equal to its baseline is not met.
    pub fn away_label(self) -> &'static str {
        let rules = self.rules(Rules::WithTarget);
        rules
            .bands
            .iter()
            .find(|b| b.status == Status::MovingAway.name())
            .or(rules.bands.last())
            .map_or("movement away", |b| b.label.as_str())
    }

    pub fn met_label(self) -> &'static str {
        &self.profile().met.label
    }

    pub fn met_score(self) -> Option<f64> {
        self.profile().met.score
    }

    pub fn missed_label(self) -> &'static str {
        &self.profile().missed.label
    }

    pub fn no_data_label(self) -> Option<&'static str> {
        self.profile().no_data.as_ref().map(|o| o.label.as_str())
    }

    /// "Met" by the method's own test: `d·(x − T) ≥ 0`, exactly or within
    /// the tolerance, with a zero target replaced where the profile says.
    pub fn met(self, d: f64, x: f64, target: f64) -> bool {
        let p = self.profile();
        let t = match p.zero {
            Some(z) if target == 0.0 => z,
            _ => target,
        };
        if p.exact {
            d * (x - t) >= 0.0
        } else {
            at_least(d * x, d * t)
        }
    }
}

/// The piecewise-linear score of `value`, clamped.
fn score(s: &profile::Score, value: f64, c: f64, exact: bool) -> f64 {
    if c == 0.0
        && s.c_zero_first
        && let Some(fixed) = s.c_zero
    {
        return fixed;
    }
    let seg = s
        .segments
        .iter()
        .find(|g| match g.bound() {
            None => true,
            Some((x, strict)) => {
                let x = if g.scaled { x * c } else { x };
                meets(value, (x, strict), exact)
            }
        })
        .unwrap_or_else(|| s.segments.last().expect("a validated score has a segment"));
    let raw = if seg.slope_scaled {
        if c == 0.0 {
            return s.c_zero.unwrap_or(s.max);
        }
        seg.slope * value / c + seg.intercept
    } else {
        seg.slope * value + seg.intercept
    };
    raw.clamp(s.min, s.max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_profiles_are_valid_and_named_as_their_files() {
        for m in Method::BUILTIN {
            assert_eq!(m.profile().name, m.name());
            assert!(m.is_builtin());
        }
        assert!(Method::Eurostat.profile().window);
        assert_eq!(Method::Opensdg.profile().zero, Some(0.001));
    }

    #[test]
    fn eurostat_thresholds_with_tolerance() {
        let c = |rr: f64| Method::Eurostat.classify(Rules::WithTarget, rr, 1.0);
        // worked example: RR = 0.15517/0.03833 = 4.049 → significant progress
        assert_eq!(c(4.049).status, Status::OnTrack);
        assert_eq!(c(0.95).status, Status::OnTrack);
        assert_eq!(c(0.95 - 1e-12).status, Status::OnTrack);
        assert_eq!(c(0.9499).status, Status::AtRisk);
        // decrease example: RR 0.639 → moderate progress
        let v = c(0.639);
        assert_eq!(
            (v.status, v.method_label),
            (Status::AtRisk, Some("moderate progress"))
        );
        assert_eq!(c(0.6).status, Status::AtRisk);
        assert_eq!(c(0.59).status, Status::OffTrack);
        assert_eq!(c(0.0).status, Status::OffTrack);
        assert_eq!(c(-0.01).status, Status::MovingAway);
    }

    #[test]
    fn eurostat_without_a_target_uses_direction_adjusted_growth() {
        let c = |g: f64| {
            Method::Eurostat
                .classify(Rules::WithoutTarget, g, 1.0)
                .status
        };
        assert_eq!(c(0.02), Status::OnTrack);
        // exactly 1% is moderate progress
        assert_eq!(c(0.01), Status::AtRisk);
        assert_eq!(c(0.0), Status::AtRisk);
        assert_eq!(c(-0.005), Status::OffTrack);
        assert_eq!(c(-0.01), Status::OffTrack);
        assert_eq!(c(-0.02), Status::MovingAway);
    }

    #[test]
    fn unsd_and_pace_thresholds() {
        let u = |x: f64| Method::Unsd.classify(Rules::WithTarget, x, 1.0).status;
        // decrease example: anticipated progress 0.694 → needs acceleration
        assert_eq!(u(0.694), Status::AtRisk);
        assert_eq!(u(0.10), Status::AtRisk);
        assert_eq!(u(0.05), Status::OffTrack);
        assert_eq!(u(-0.05), Status::MovingAway);
        let ut = |x: f64| Method::Unsd.classify(Rules::WithoutTarget, x, 1.0).status;
        assert_eq!(ut(0.02), Status::OnTrack);
        assert_eq!(ut(0.004), Status::OffTrack);
        // decrease example: pace 0.375/0.5 = 0.75 → at risk
        assert_eq!(
            Method::Pace.classify(Rules::WithTarget, 0.75, 1.0).status,
            Status::AtRisk
        );
    }

    #[test]
    fn opensdg_scores_as_published() {
        // Statistics Canada 1-2-1: R = 0.95259 → substantial, score
        // 7.1429·R − 4.2857 = 2.5186
        let v = Method::Opensdg.classify(Rules::WithTarget, 0.95259, 1.0);
        assert_eq!(v.method_label, Some("substantial_progress"));
        assert!((v.score.unwrap() - 2.5186).abs() < 1e-4);
        // below 0.6: 4.1667·R − 2.5, clamped at −5
        let v = Method::Opensdg.classify(Rules::WithTarget, -3.0, 1.0);
        assert_eq!((v.status, v.score), (Status::MovingAway, Some(-5.0)));
        // 1-3-1, no target, C = 0.37363: R = 0.58400% ≥ 0.015·C → 500R/C − 5
        let c = limit_coefficient(90.0, 100.0);
        let r = (93.2f64 / 90.0).powf(1.0 / 6.0) - 1.0;
        let v = Method::Opensdg.classify(Rules::WithoutTarget, r, c);
        assert_eq!(v.method_label, Some("substantial_progress"));
        assert!((v.score.unwrap() - 2.8154).abs() < 1e-4);
        // C = 0 (the base at its limit): substantial, score 5, unless R < 0
        let v = Method::Opensdg.classify(Rules::WithoutTarget, 0.0, 0.0);
        assert_eq!((v.status, v.score), (Status::OnTrack, Some(5.0)));
        let v = Method::Opensdg.classify(Rules::WithoutTarget, -0.01, 0.0);
        assert_eq!(v.status, Status::MovingAway);
        assert!((v.score.unwrap() - (125.0 * -0.01 - 2.5)).abs() < 1e-12);
    }

    #[test]
    fn opensdg_compares_exactly() {
        let v = Method::Opensdg.classify(Rules::WithTarget, 0.95 - 1e-15, 1.0);
        assert_eq!(v.status, Status::AtRisk);
        let v = Method::Eurostat.classify(Rules::WithTarget, 0.95 - 1e-15, 1.0);
        assert_eq!(v.status, Status::OnTrack);
    }
}
