//! Observation flags as statistical offices publish them: Eurostat's
//! letters after a value (`12.3 p`, `4.1 be`) and SDMX `OBS_STATUS` /
//! `OBS_CONF` codes, turned into goalpost's words ([`crate::model::Flag`],
//! docs/dataset.md "Flags"). A code no list defines is kept in the
//! observation's note (`flag x (unknown)`); a forecast is never stored as
//! an observation.

use crate::model::{Flag, Flags};

/// What a file says of one value: its flags, and the codes that are none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    pub flags: Flags,
    /// Codes no list defines, as written (with `OBS_STATUS=`-like
    /// prefixes where the file has several columns).
    pub unknown: Vec<String>,
}

impl Published {
    pub fn is_forecast(&self) -> bool {
        self.flags.contains(Flag::Forecast)
    }

    /// Adds what `other` says.
    pub fn extend(&mut self, other: Published) {
        for f in other.flags.iter() {
            self.flags.insert(f);
        }
        self.unknown.extend(other.unknown);
    }

    /// The note that keeps the unknown codes: `flag x (unknown)`.
    pub fn note(&self) -> Option<String> {
        (!self.unknown.is_empty()).then(|| {
            let list: Vec<String> = self
                .unknown
                .iter()
                .map(|c| format!("flag {c} (unknown)"))
                .collect();
            list.join(", ")
        })
    }

    fn one(flag: Option<Flag>, code: &str) -> Published {
        let mut p = Published::default();
        match flag {
            Some(f) => p.flags.insert(f),
            None => p.unknown.push(code.to_string()),
        }
        p
    }
}

/// Eurostat's flags (the letters after a value in its TSV files).
const EUROSTAT: [(char, Flag); 11] = [
    ('b', Flag::Break),
    ('c', Flag::Confidential),
    ('d', Flag::DefinitionDiffers),
    ('e', Flag::Estimated),
    ('f', Flag::Forecast),
    ('n', Flag::NotSignificant),
    ('p', Flag::Provisional),
    ('r', Flag::Revised),
    // "Eurostat estimate"
    ('s', Flag::Estimated),
    ('u', Flag::Unreliable),
    ('z', Flag::NotApplicable),
];

/// SDMX observation status (code list CL_OBS_STATUS). `A`, a normal
/// value, is no flag.
const OBS_STATUS: [(&str, Flag); 19] = [
    ("B", Flag::Break),
    ("D", Flag::DefinitionDiffers),
    ("E", Flag::Estimated),
    ("F", Flag::Forecast),
    ("G", Flag::Experimental),
    // missing: holiday or weekend
    ("H", Flag::Missing),
    ("I", Flag::Imputed),
    ("J", Flag::Derogation),
    ("K", Flag::IncludedElsewhere),
    // missing: exists but not collected
    ("L", Flag::Missing),
    // missing: cannot exist
    ("M", Flag::Missing),
    ("N", Flag::NotSignificant),
    ("O", Flag::Missing),
    ("P", Flag::Provisional),
    // missing: suppressed
    ("Q", Flag::Missing),
    ("S", Flag::SpecialEvent),
    ("U", Flag::Unreliable),
    ("V", Flag::Unvalidated),
    ("W", Flag::IncludesOther),
];

/// The flags of Eurostat's letters (`be` → break, estimated). A letter
/// Eurostat does not define is kept as unknown.
pub fn eurostat(letters: &str) -> Published {
    let mut out = Published::default();
    for c in letters.chars().filter(|c| !c.is_whitespace()) {
        let flag = EUROSTAT
            .iter()
            .find(|(l, _)| *l == c.to_ascii_lowercase())
            .map(|(_, f)| *f);
        out.extend(Published::one(flag, &c.to_string()));
    }
    out
}

/// The flag of an SDMX `OBS_STATUS` code; none for `A` (normal) or blank.
pub fn obs_status(code: &str) -> Published {
    let code = code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("A") {
        return Published::default();
    }
    let flag = OBS_STATUS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, f)| *f);
    Published::one(flag, code)
}

/// The flag of an SDMX `OBS_CONF` code: confidential (`C`, `D`: secondary,
/// `N`: not for publication); the others (`F` free, …) are none.
pub fn obs_conf(code: &str) -> Published {
    match code.trim().to_ascii_uppercase().as_str() {
        "C" | "D" | "N" => Published::one(Some(Flag::Confidential), code),
        _ => Published::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eurostat_letters_each_mean_something() {
        let f = eurostat("be");
        assert_eq!(f.flags.to_string(), "estimated,break");
        assert_eq!(f.note(), None);
        assert!(eurostat("f").is_forecast());
        assert_eq!(eurostat("s").flags.to_string(), "estimated");
        let x = eurostat("xp");
        assert_eq!(x.flags.to_string(), "provisional");
        assert_eq!(x.note().as_deref(), Some("flag x (unknown)"));
    }

    #[test]
    fn sdmx_status_codes() {
        assert_eq!(obs_status("A"), Published::default());
        assert_eq!(obs_status("p").flags.to_string(), "provisional");
        assert!(obs_status("F").is_forecast());
        assert_eq!(obs_status("Q").flags.to_string(), "missing");
        assert_eq!(obs_status("Z9").unknown, ["Z9"]);
        assert_eq!(obs_conf("F"), Published::default());
        assert_eq!(obs_conf("C").flags.to_string(), "confidential");
    }
}
