//! The method profile format (methodology.md §6, "Method profiles"): one
//! TOML file declares a method — which number is classified, the bands with
//! and without a target, the labels and the score. The four built-in
//! methods are written in it (`builtin/*.toml`). See docs/methods.md.

use serde::{Deserialize, Serialize};

use crate::engine::status::Status;

/// Which number a profile classifies (§6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Eurostat's `RR = d·g_a/|g_r|`; without a target `d·g_a`.
    RateRatio,
    /// Open SDG's `R = sign·d·g_a/|g_r|`, without a target `sign·d·g_a`,
    /// with its conventions (opposite signs, less than a year apart).
    Opensdg,
    /// UNSD's anticipated progress `CR = d·(x̂(t1) − b)/|T − b|`; without a
    /// target `d·g_a`.
    Anticipated,
    /// Delivery pace `d·(x − b)/|p(t) − b|`; without a target `d·g_a`.
    Pace,
}

impl MeasureKind {
    pub fn name(self) -> &'static str {
        match self {
            MeasureKind::RateRatio => "rate_ratio",
            MeasureKind::Opensdg => "opensdg",
            MeasureKind::Anticipated => "anticipated",
            MeasureKind::Pace => "pace",
        }
    }
}

/// A method, as declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub measure: MeasureKind,
    /// Replaces a zero base or target before a growth rate is formed (Open
    /// SDG: 0.001); without it a zero leaves the linear fallback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zero: Option<f64>,
    /// Compare thresholds and "met" exactly, as Open SDG does, instead of
    /// with the tolerance of 1e-9.
    #[serde(default, skip_serializing_if = "is_false")]
    pub exact: bool,
    /// Accepts `--window N` (an assessment window, as Eurostat's report).
    #[serde(default, skip_serializing_if = "is_false")]
    pub window: bool,
    pub met: Outcome,
    pub missed: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_data: Option<Outcome>,
    pub with_target: Rules,
    pub without_target: Rules,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a fixed outcome is labelled (and scored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// The bands (and score) for targets with a value, or for those without.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// A note added to every assessment by these rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// From the highest bound down; the last has no bound.
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
}

/// One band: values at or above `from` (or strictly above `above`) get
/// `status` and `label`. `scaled`: the bound is multiplied by the
/// natural-limit coefficient `C`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub scaled: bool,
    pub status: String,
    pub label: String,
}

/// A piecewise-linear score, clamped to `[min, max]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub min: f64,
    pub max: f64,
    /// The score when `C = 0`: where the chosen segment's slope is divided
    /// by `C`, or before any segment when `c_zero_first`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c_zero: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub c_zero_first: bool,
    /// From the highest bound down; the last has no bound.
    #[serde(rename = "segment")]
    pub segments: Vec<Segment>,
}

/// `slope·value + intercept` (or `slope·value/C + intercept` when
/// `slope_scaled`) for values at or above `from` (strictly above `above`),
/// the bound times `C` when `scaled`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub scaled: bool,
    pub slope: f64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub slope_scaled: bool,
    pub intercept: f64,
}

/// The bound of a band or segment: `Some((value, strict))`.
fn bound(from: Option<f64>, above: Option<f64>) -> Option<(f64, bool)> {
    from.map(|f| (f, false)).or(above.map(|a| (a, true)))
}

impl Band {
    pub fn bound(&self) -> Option<(f64, bool)> {
        bound(self.from, self.above)
    }
}

impl Segment {
    pub fn bound(&self) -> Option<(f64, bool)> {
        bound(self.from, self.above)
    }
}

/// The statuses a band may map to: the graded ones of §6's vocabulary.
/// `achieved` and `missed` are facts about the target, not bands of a
/// measure; `pending`, `overdue`, `no_data` and `withdrawn` are not
/// verdicts on a number.
pub const BAND_STATUSES: [Status; 5] = [
    Status::OnTrack,
    Status::AtRisk,
    Status::Stalled,
    Status::OffTrack,
    Status::MovingAway,
];

pub fn band_status(name: &str) -> Option<Status> {
    BAND_STATUSES.into_iter().find(|s| s.name() == name)
}

impl Profile {
    /// Reads a profile from TOML text, validated; `file` names the source
    /// in errors (`eustat.toml:12:3: …`).
    pub fn from_toml(text: &str, file: &str) -> Result<Profile, String> {
        let p: Profile = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    let col = s.start
                        - text[..s.start.min(text.len())]
                            .rfind('\n')
                            .map_or(0, |i| i + 1)
                        + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            format!("{file}{at}: {}", e.message())
        })?;
        p.validate().map_err(|e| format!("{file}: {e}"))?;
        Ok(p)
    }

    /// The profile as TOML, in the form it is read.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Checks what serde cannot: the name, bounds in order, statuses from
    /// the vocabulary, a last band without a bound, a sane score.
    pub fn validate(&self) -> Result<(), String> {
        let ok_name = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
            && self.name.as_bytes()[0].is_ascii_alphanumeric();
        if !ok_name {
            return Err(format!(
                "invalid method name '{}': lowercase letters, digits, '-' and '_', starting with a letter or digit",
                self.name
            ));
        }
        if let Some(z) = self.zero
            && !(z > 0.0 && z.is_finite())
        {
            return Err(format!(
                "zero = {z}: the substitute for zero must be a positive number"
            ));
        }
        let finite = |what: &str, x: Option<f64>| match x {
            Some(v) if !v.is_finite() => Err(format!("{what} = {v}: not a finite number")),
            _ => Ok(()),
        };
        finite("met.score", self.met.score)?;
        finite("missed.score", self.missed.score)?;
        for (what, rules) in [
            ("with_target", &self.with_target),
            ("without_target", &self.without_target),
        ] {
            if let Some(sc) = &rules.score {
                finite(&format!("{what}.score.min"), Some(sc.min))?;
                finite(&format!("{what}.score.max"), Some(sc.max))?;
                finite(&format!("{what}.score.c_zero"), sc.c_zero)?;
                for (i, g) in sc.segments.iter().enumerate() {
                    finite(
                        &format!("{what} score segment {} slope", i + 1),
                        Some(g.slope),
                    )?;
                    finite(
                        &format!("{what} score segment {} intercept", i + 1),
                        Some(g.intercept),
                    )?;
                }
            }
        }
        if self.window && self.measure != MeasureKind::RateRatio {
            return Err(format!(
                "window = true needs measure = \"rate_ratio\", not \"{}\"",
                self.measure.name()
            ));
        }
        for (what, o) in [
            ("met", Some(&self.met)),
            ("missed", Some(&self.missed)),
            ("no_data", self.no_data.as_ref()),
        ] {
            if let Some(o) = o
                && o.label.trim().is_empty()
            {
                return Err(format!("[{what}] needs a label"));
            }
        }
        for (what, rules) in [
            ("with_target", &self.with_target),
            ("without_target", &self.without_target),
        ] {
            check_bounds(
                what,
                "band",
                &rules.bands.iter().map(|b| b.bound()).collect::<Vec<_>>(),
            )?;
            for (i, b) in rules.bands.iter().enumerate() {
                if b.from.is_some() && b.above.is_some() {
                    return Err(format!(
                        "{what} band {}: give 'from' or 'above', not both",
                        i + 1
                    ));
                }
                if band_status(&b.status).is_none() {
                    let why = if Status::from_name(&b.status).is_some() {
                        "is not a band's status"
                    } else {
                        "is not a status"
                    };
                    return Err(format!(
                        "{what} band {}: '{}' {why} (a band is one of: {})",
                        i + 1,
                        b.status,
                        BAND_STATUSES.map(|s| s.name()).join(", ")
                    ));
                }
                if b.label.trim().is_empty() {
                    return Err(format!("{what} band {}: needs a label", i + 1));
                }
            }
            if let Some(s) = &rules.score {
                if s.min.is_nan() || s.max.is_nan() || s.min > s.max {
                    return Err(format!(
                        "{what}.score: min {} is above max {}",
                        s.min, s.max
                    ));
                }
                check_bounds(
                    what,
                    "score segment",
                    &s.segments.iter().map(|g| g.bound()).collect::<Vec<_>>(),
                )?;
                for (i, g) in s.segments.iter().enumerate() {
                    if g.from.is_some() && g.above.is_some() {
                        return Err(format!(
                            "{what} score segment {}: give 'from' or 'above', not both",
                            i + 1
                        ));
                    }
                    if g.slope_scaled && s.c_zero.is_none() {
                        return Err(format!(
                            "{what} score segment {}: a slope divided by C needs c_zero, the score when C = 0",
                            i + 1
                        ));
                    }
                }
                if s.c_zero_first && s.c_zero.is_none() {
                    return Err(format!("{what}.score: c_zero_first needs c_zero"));
                }
            }
        }
        Ok(())
    }
}

/// Bounds from the highest down (at `C = 1`), every one but the last
/// given, the last without one.
fn check_bounds(what: &str, item: &str, bounds: &[Option<(f64, bool)>]) -> Result<(), String> {
    let Some((last, rest)) = bounds.split_last() else {
        return Err(format!("{what}: at least one {item}"));
    };
    if last.is_some() {
        return Err(format!(
            "{what}: the last {item} takes no bound (it holds everything below the others)"
        ));
    }
    let mut previous: Option<f64> = None;
    for (i, b) in rest.iter().enumerate() {
        let Some((v, _)) = b else {
            return Err(format!(
                "{what} {item} {}: only the last {item} may go without 'from' or 'above'",
                i + 1
            ));
        };
        if !v.is_finite() {
            return Err(format!(
                "{what} {item} {}: the bound {v} is not a number",
                i + 1
            ));
        }
        if let Some(p) = previous
            && *v >= p
        {
            return Err(format!(
                "{what} {item} {}: bounds go from the highest down ({v} after {p})",
                i + 1
            ));
        }
        previous = Some(*v);
    }
    Ok(())
}
