//! Colours for statuses on a terminal (ANSI SGR codes). One line per
//! status: a status without a line is printed uncoloured.

/// The SGR parameters of each status's colour, by status name.
const STATUS: &[(&str, &str)] = &[
    ("achieved", "1;32"),  // bold green
    ("on_track", "32"),    // green
    ("pending", "36"),     // cyan: not yet measurable
    ("at_risk", "33"),     // yellow
    ("overdue", "33"),     // yellow: late, not known to be missed
    ("stalled", "33"),     // yellow
    ("off_track", "91"),   // bright red
    ("moving_away", "31"), // red
    ("missed", "1;31"),    // bold red
    ("no_data", "2"),      // dim
    ("withdrawn", "2;9"),  // dim, struck through
];

/// The reset after a coloured stretch.
pub const RESET: &str = "\x1b[0m";

/// The SGR parameters for `status`, if it has a colour.
pub fn status(name: &str) -> Option<&'static str> {
    STATUS.iter().find(|(s, _)| *s == name).map(|(_, c)| *c)
}

/// The escape that starts colour `sgr`.
pub fn start(sgr: &str) -> String {
    format!("\x1b[{sgr}m")
}

/// `text` in the colour of `status` when `on` (and it has one).
pub fn paint(text: &str, status: &str, on: bool) -> String {
    match status_if(on, status) {
        Some(sgr) => format!("{}{text}{RESET}", start(sgr)),
        None => text.to_string(),
    }
}

fn status_if(on: bool, name: &str) -> Option<&'static str> {
    if on { status(name) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_colour() {
        for s in crate::engine::Status::ALL {
            assert!(status(s.name()).is_some(), "{} has no colour", s.name());
        }
    }

    #[test]
    fn painting_wraps_the_text_in_escapes_only_when_on() {
        assert_eq!(paint("missed", "missed", true), "\x1b[1;31mmissed\x1b[0m");
        assert_eq!(paint("missed", "missed", false), "missed");
        assert_eq!(paint("x", "unknown", true), "x");
    }
}
