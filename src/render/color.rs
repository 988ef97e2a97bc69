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

/// Each status's colour on a page or in an SVG chart (the badges of the
/// HTML report, the status strip), by status name.
const WEB: &[(&str, &str)] = &[
    ("achieved", "#1b7837"),
    ("on_track", "#5aae61"),
    ("pending", "#4393c3"),
    ("at_risk", "#e08214"),
    ("overdue", "#e08214"),
    ("stalled", "#bf812d"),
    ("off_track", "#d6604d"),
    ("moving_away", "#b2182b"),
    ("missed", "#67001f"),
    ("no_data", "#878787"),
    ("withdrawn", "#bababa"),
];

/// The colour of `status` on a page (`#rrggbb`); grey for a name without one.
pub fn web(name: &str) -> &'static str {
    WEB.iter()
        .find(|(s, _)| *s == name)
        .map_or("#878787", |(_, c)| *c)
}

/// The CSS classes that colour the status badges of a page.
pub fn badge_css() -> String {
    let mut css: String = WEB
        .iter()
        .map(|(s, c)| format!(".{s}{{background:{c}}}"))
        .collect();
    // the lightest background takes dark text
    css.push_str(".withdrawn{color:#222}");
    css
}

/// The letter that stands for a status in the terminal's status strip,
/// readable without colour (the strip's legend names each).
pub fn letter(name: &str) -> char {
    match name {
        "achieved" => 'A',
        "on_track" => 'O',
        "pending" => 'P',
        "at_risk" => 'R',
        "overdue" => 'D',
        "stalled" => 'S',
        "off_track" => 'F',
        "moving_away" => 'M',
        "missed" => 'X',
        "no_data" => 'N',
        "withdrawn" => 'W',
        _ => '?',
    }
}

/// `text` on the background of `status`'s colour (reverse video) when `on`.
pub fn band(text: &str, status: &str, on: bool) -> String {
    match status_if(on, status) {
        Some(sgr) => format!("{}{text}{RESET}", start(&format!("7;{sgr}"))),
        None => text.to_string(),
    }
}

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
    fn every_status_has_its_own_letter_and_a_web_colour() {
        let letters: std::collections::HashSet<char> = crate::engine::Status::ALL
            .iter()
            .map(|s| letter(s.name()))
            .collect();
        assert_eq!(letters.len(), crate::engine::Status::ALL.len());
        assert!(!letters.contains(&'?'));
        for s in crate::engine::Status::ALL {
            assert!(WEB.iter().any(|(n, _)| *n == s.name()), "{}", s.name());
        }
    }

    #[test]
    fn painting_wraps_the_text_in_escapes_only_when_on() {
        assert_eq!(paint("missed", "missed", true), "\x1b[1;31mmissed\x1b[0m");
        assert_eq!(paint("missed", "missed", false), "missed");
        assert_eq!(paint("x", "unknown", true), "x");
    }
}
