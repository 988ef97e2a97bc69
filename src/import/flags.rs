//! Observation flags as statistical offices publish them: Eurostat's
//! letters after a value (`12.3 p`, `4.1 be`) and SDMX `OBS_STATUS` /
//! `OBS_CONF` codes. The observation model has no flags field yet, so they
//! travel in the observation's note (`flags: p (provisional)`); a forecast
//! is never stored as an observation.

/// One flag: its code as published and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub code: String,
    pub meaning: &'static str,
}

impl Flag {
    pub fn is_forecast(&self) -> bool {
        self.meaning == FORECAST
    }
}

const FORECAST: &str = "forecast";

/// Eurostat's flags (the letters after a value in its TSV files).
const EUROSTAT: [(char, &str); 11] = [
    ('b', "break in time series"),
    ('c', "confidential"),
    ('d', "definition differs"),
    ('e', "estimated"),
    ('f', FORECAST),
    ('n', "not significant"),
    ('p', "provisional"),
    ('r', "revised"),
    ('s', "Eurostat estimate"),
    ('u', "low reliability"),
    ('z', "not applicable"),
];

/// SDMX observation status (code list CL_OBS_STATUS). `A`, a normal
/// value, is no flag.
const OBS_STATUS: [(&str, &str); 19] = [
    ("B", "break in time series"),
    ("D", "definition differs"),
    ("E", "estimated"),
    ("F", FORECAST),
    ("G", "experimental"),
    ("H", "missing: holiday or weekend"),
    ("I", "imputed"),
    ("J", "derogation"),
    ("K", "included in another category"),
    ("L", "missing: exists but not collected"),
    ("M", "missing: cannot exist"),
    ("N", "not significant"),
    ("O", "missing"),
    ("P", "provisional"),
    ("Q", "missing: suppressed"),
    ("S", "strike or other special event"),
    ("U", "low reliability"),
    ("V", "unvalidated"),
    ("W", "includes another category"),
];

/// The flags of Eurostat's letters (`be` → break, estimated). A letter
/// Eurostat does not define is kept, as an unknown flag.
pub fn eurostat(letters: &str) -> Vec<Flag> {
    letters
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| Flag {
            code: c.to_string(),
            meaning: EUROSTAT
                .iter()
                .find(|(l, _)| *l == c.to_ascii_lowercase())
                .map_or("unknown flag", |(_, m)| m),
        })
        .collect()
}

/// The flag of an SDMX `OBS_STATUS` code; none for `A` (normal) or blank.
pub fn obs_status(code: &str) -> Option<Flag> {
    let code = code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("A") {
        return None;
    }
    Some(Flag {
        code: code.to_string(),
        meaning: OBS_STATUS
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or("unknown status", |(_, m)| m),
    })
}

/// The flag of an SDMX `OBS_CONF` code: only the confidential ones.
pub fn obs_conf(code: &str) -> Option<Flag> {
    let meaning = match code.trim().to_ascii_uppercase().as_str() {
        "C" => "confidential",
        "D" => "confidential: secondary",
        "N" => "not for publication",
        _ => return None,
    };
    Some(Flag {
        code: format!("OBS_CONF={}", code.trim()),
        meaning,
    })
}

/// The note that carries flags: `flags: b (break in time series), e (estimated)`.
pub fn note(flags: &[Flag]) -> Option<String> {
    if flags.is_empty() {
        return None;
    }
    let list: Vec<String> = flags
        .iter()
        .map(|f| format!("{} ({})", f.code, f.meaning))
        .collect();
    Some(format!("flags: {}", list.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eurostat_letters_each_mean_something() {
        let f = eurostat("be");
        assert_eq!(
            note(&f).as_deref(),
            Some("flags: b (break in time series), e (estimated)")
        );
        assert!(eurostat("f")[0].is_forecast());
        assert_eq!(eurostat("x")[0].meaning, "unknown flag");
    }

    #[test]
    fn sdmx_status_codes() {
        assert_eq!(obs_status("A"), None);
        assert_eq!(obs_status("p").unwrap().meaning, "provisional");
        assert!(obs_status("F").unwrap().is_forecast());
        assert_eq!(obs_conf("F"), None);
        assert_eq!(obs_conf("C").unwrap().meaning, "confidential");
    }
}
