//! Fitting a table to a width: which columns give way first, and how
//! (shortened with `…`, wrapped at spaces and hyphens, or left out).
//! Formatting only: the cells come in as text and leave as text.

use unicode_width::UnicodeWidthStr;

/// One step by which a table gives way when it is wider than the
/// terminal; a table takes its steps in order until it fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Column `0` becomes at most `1` wide (shortened with `…`, or
    /// wrapped if the column wraps), or as little less as fits.
    Shrink(usize, usize),
    /// Column `0` is left out.
    Drop(usize),
}

/// Which columns a fitted table keeps, and at what widths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The indexes of the columns kept, in order.
    pub kept: Vec<usize>,
    /// The content width of each kept column.
    pub widths: Vec<usize>,
    /// The indexes of the columns left out, in the order they were dropped.
    pub dropped: Vec<usize>,
}

/// The width a boxed table adds to its columns' contents: `│ ` before
/// each, ` │` after the last, ` │ ` between.
pub fn overhead(columns: usize) -> usize {
    3 * columns + 1
}

/// Lays out columns of `natural` widths in `limit` terminal columns by
/// taking `steps` in order until the table fits (or the steps run out);
/// width a drop frees beyond what is needed goes back to the columns
/// shrunk before it, the last shrunk first.
pub fn layout(natural: &[usize], steps: &[Step], limit: usize) -> Layout {
    let mut widths = natural.to_vec();
    let mut kept: Vec<usize> = (0..natural.len()).collect();
    let mut dropped = Vec::new();
    let mut shrunk: Vec<usize> = Vec::new();
    let total = |kept: &[usize], widths: &[usize]| {
        kept.iter().map(|&c| widths[c]).sum::<usize>() + overhead(kept.len())
    };
    for step in steps {
        let now = total(&kept, &widths);
        if now <= limit {
            break;
        }
        match *step {
            Step::Shrink(c, min) if kept.contains(&c) => {
                let floor = min.min(widths[c]);
                widths[c] = floor.max(widths[c].saturating_sub(now - limit));
                if !shrunk.contains(&c) {
                    shrunk.push(c);
                }
            }
            Step::Drop(c) if kept.contains(&c) => {
                kept.retain(|k| *k != c);
                dropped.push(c);
                shrunk.retain(|k| *k != c);
            }
            _ => {}
        }
    }
    let mut slack = limit.saturating_sub(total(&kept, &widths));
    for &c in shrunk.iter().rev() {
        let back = (natural[c] - widths[c]).min(slack);
        widths[c] += back;
        slack -= back;
    }
    Layout {
        widths: kept.iter().map(|&c| widths[c]).collect(),
        kept,
        dropped,
    }
}

/// The width of text on a terminal: its widest line.
pub fn width(text: &str) -> usize {
    if let Some(w) = plain_width(text) {
        return w;
    }
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The width of one line of text on a terminal, as `unicode-width` counts
/// it. Plain text (see [`plain_width`]: most cells) is counted a character
/// at a time without looking each one up.
pub fn line_width(text: &str) -> usize {
    plain_width(text).unwrap_or_else(|| text.width())
}

/// How wide `text` is if it is plain: made only of characters one column
/// wide each that never join or combine with another (printable ASCII,
/// the accented letters of Latin-1, and the few signs the tables write:
/// `€ £ ¥ … − – — × °`), so that each counts one. `None` for any other
/// text (a line break, a control character, a combining mark, a wide
/// character), which is counted as `unicode-width` counts it.
///
/// Read by the bytes of those characters in UTF-8 rather than character by
/// character (decoding each was most of the time a table's cells took to
/// measure): `C3 xx` is À to ÿ, `C2 A3`, `C2 A5` and `C2 B0` are £, ¥ and
/// °, and `E2 82 AC`, `E2 80 A6`, `E2 88 92`, `E2 80 93` and `E2 80 94`
/// are € … − – and —.
fn plain_width(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.iter().all(|b| b.wrapping_sub(b' ') < 0x5f) {
        return Some(b.len());
    }
    let (mut at, mut n) = (0, 0);
    while let Some(&lead) = b.get(at) {
        at += match (lead, b.get(at + 1..at + 3)) {
            (b' '..=b'~', _) => 1,
            // (text is UTF-8: a continuation byte follows)
            (0xc3, _) => 2,
            (0xc2, _) if matches!(b.get(at + 1), Some(0xa3 | 0xa5 | 0xb0)) => 2,
            (0xe2, Some([0x82, 0xac] | [0x80, 0xa6 | 0x93 | 0x94] | [0x88, 0x92])) => 3,
            _ => return None,
        };
        n += 1;
    }
    Some(n)
}

/// Each line of `text` cut to `max` columns, ending in `ellipsis` where cut.
pub fn shorten(text: &str, max: usize, ellipsis: &str) -> String {
    text.lines()
        .map(|line| shorten_line(line, max, ellipsis))
        .collect::<Vec<_>>()
        .join("\n")
}

fn shorten_line(line: &str, max: usize, ellipsis: &str) -> String {
    if line.width() <= max {
        return line.to_string();
    }
    let room = max.saturating_sub(ellipsis.width());
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        out.push(c);
        used += w;
    }
    // no space left dangling before the ellipsis
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push_str(ellipsis);
    out
}

/// `text` wrapped to lines of at most `max` columns: at spaces (which go),
/// after hyphens and slashes (which stay), and inside a word only when a
/// word alone is longer than a line.
pub fn wrap(text: &str, max: usize) -> String {
    wrap_pieces(text, max, Breaks::Cells)
}

/// Where a line may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// Table cells: at spaces outside parentheses, and after a hyphen or
    /// slash that follows a letter (`great-stone-`, not `2026-11-`).
    Cells,
    /// Inside a group too long for a line: at any space as well.
    Spaces,
    /// Prose: at spaces only.
    Prose,
}

/// As [`wrap`], breaking where `breaks` allows.
fn wrap_pieces(text: &str, max: usize, breaks: Breaks) -> String {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        // a range too long for a line is two pieces: up to its `..`, and on
        let pieces = words(paragraph, breaks).into_iter().flat_map(|w| {
            match w.find("..").filter(|_| w.trim_end().width() > max) {
                Some(i) if i > 0 => vec![&w[..i + 2], &w[i + 2..]],
                _ => vec![w],
            }
        });
        for word in pieces {
            let spaced = word.ends_with(' ');
            let bare = word.trim_end_matches(' ');
            if line.width() + bare.width() <= max {
                line.push_str(word);
                continue;
            }
            if !line.trim_end().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            // a group longer than a line breaks at its own spaces
            if bare.width() > max && bare.contains(' ') && breaks == Breaks::Cells {
                let inner = wrap_pieces(bare, max, Breaks::Spaces);
                let mut pieces: Vec<&str> = inner.lines().collect();
                line = pieces.pop().unwrap_or_default().to_string();
                lines.extend(pieces.into_iter().map(String::from));
                if spaced {
                    line.push(' ');
                }
                continue;
            }
            // a word longer than a line is cut where the line ends; in
            // prose (an address, most likely) it keeps a line of its own
            let mut rest = bare.to_string();
            while rest.width() > max && breaks != Breaks::Prose {
                let mut head = String::new();
                for c in rest.chars() {
                    if (head.clone() + &c.to_string()).width() > max {
                        break;
                    }
                    head.push(c);
                }
                rest = rest[head.len()..].to_string();
                lines.push(head);
            }
            line = rest;
            if spaced {
                line.push(' ');
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
}

/// The pieces a line may break after, as `breaks` allows: each word with
/// its trailing spaces, or up to and including a hyphen or slash after a
/// letter; a group in brackets (`(2068 d late)`, `[111% of path]`) is
/// one piece.
fn words(line: &str, breaks: Breaks) -> Vec<&str> {
    let group = breaks == Breaks::Cells;
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'(' | b'[' if group => depth += 1,
            b')' | b']' if group => depth = depth.saturating_sub(1),
            _ => {}
        }
        if b == b' ' && depth == 0 {
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            out.push(&line[start..i]);
            start = i;
            continue;
        }
        if (b == b'-' || b == b'/')
            && breaks != Breaks::Prose
            && depth == 0
            && i > start
            && bytes[i - 1].is_ascii_alphabetic()
        {
            out.push(&line[start..=i]);
            start = i + 1;
        }
        i += 1;
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// Lines of prose wrapped to `max` columns, each continuation line
/// indented by `indent` (a hanging indent under a `- ` bullet).
pub fn wrap_hanging(text: &str, max: usize, indent: &str) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    // the first line has the whole width, the ones after it less
    let head = wrap_pieces(text, max, Breaks::Prose);
    let first = head.lines().next().unwrap_or_default();
    let rest = text.get(first.len()..).unwrap_or_default().trim_start();
    let room = max.saturating_sub(indent.width()).max(10);
    let mut out = first.to_string();
    for line in wrap_pieces(rest, room, Breaks::Prose)
        .lines()
        .filter(|l| !l.is_empty())
    {
        out.push('\n');
        out.push_str(indent);
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Counted the quick way or looked up a character at a time, text
        /// is as wide: printable ASCII, control characters, line breaks,
        /// wide and joining characters alike.
        #[test]
        fn text_is_as_wide_counted_either_way(
            text in "([ -~]|[\\x00-\\x1f\\x7f]|\\r\\n|[À-ÿ]|[\u{a0}-\u{bf}]|[€£¥…−–—°×©®]|中|\u{301}|\u{fe0f}|\u{fe0e}|\u{200d}|\u{644}|\u{627}){0,24}",
        ) {
            prop_assert_eq!(width(&text), text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0));
            prop_assert_eq!(line_width(&text), text.width());
        }
    }

    proptest! {
        /// Read by its bytes, plain text is what its characters make it:
        /// the characters one column wide listed, each counted one.
        #[test]
        fn plain_text_read_by_its_bytes_is_read_by_its_characters(
            text in "([ -~]|[À-ÿ]|[€£¥…−–—°×]){0,12}([\\x00-\\x1f\\x7f]|[\u{80}-\u{ff}]|[\u{2000}-\u{2030}]|[\u{2080}-\u{20b0}]|[\u{2200}-\u{2220}]|中|\u{301})?([ -~]|[À-ÿ]|[€£¥…−–—°×]){0,12}",
        ) {
            let n = text.chars().try_fold(0, |n, c| plain_char(c).then_some(n + 1));
            prop_assert_eq!(plain_width(&text), n);
        }
    }

    /// One of the characters [`plain_width`] counts one column wide.
    fn plain_char(c: char) -> bool {
        matches!(c, ' '..='~' | 'À'..='ÿ' | '€' | '£' | '¥' | '…' | '−' | '–' | '—' | '°')
    }

    #[test]
    fn every_character_alone_is_plain_or_not_as_its_bytes_say() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let text = format!("{c}");
            assert_eq!(plain_width(&text), plain_char(c).then_some(1), "{c:?}");
            // and beside plain text, after and before it
            let beside = format!("é{c}€");
            assert_eq!(plain_width(&beside), plain_char(c).then_some(3), "{c:?}");
        }
    }

    #[test]
    fn plain_text_is_one_column_a_character() {
        assert_eq!(line_width("€218 (2020)"), 11);
        assert_eq!(line_width("t00001 ~ x"), 10);
        assert_eq!(width("ab\nabcd"), 4);
        assert_eq!(plain_width(" ~é€"), Some(4));
        for other in ["\t", "\x7f", "a\nb", "e\u{301}", "中", "©\u{fe0f}"] {
            assert_eq!(plain_width(other), None, "{other:?}");
        }
    }

    #[test]
    fn steps_are_taken_in_order_until_the_table_fits() {
        let natural = [10, 20, 30, 8];
        let steps = [Step::Shrink(2, 10), Step::Drop(3), Step::Shrink(1, 12)];
        // 68 + 13 = 81 wide: nothing changes at 81 or more
        let l = layout(&natural, &steps, 81);
        assert_eq!(l.widths, vec![10, 20, 30, 8]);
        // 11 too wide: column 2 gives just that
        let l = layout(&natural, &steps, 70);
        assert_eq!(l.widths, vec![10, 20, 19, 8]);
        // column 2 at its minimum is not enough: column 3 goes, and what
        // its going frees beyond the need goes back to column 2
        let l = layout(&natural, &steps, 55);
        assert_eq!(l.kept, vec![0, 1, 2]);
        assert_eq!(l.dropped, vec![3]);
        assert_eq!(l.widths, vec![10, 20, 15]);
        // then column 1
        let l = layout(&natural, &steps, 40);
        assert_eq!(l.widths, vec![10, 12, 10]);
        // the steps run out: as narrow as they make it
        let l = layout(&natural, &steps, 20);
        assert_eq!(l.widths, vec![10, 12, 10]);
    }

    #[test]
    fn text_is_shortened_with_an_ellipsis() {
        assert_eq!(
            shorten("Agri-food exports to $7bn", 12, "…"),
            "Agri-food e…"
        );
        assert_eq!(shorten("Agri-food exports to $7bn", 11, "…"), "Agri-food…");
        assert_eq!(shorten("short", 12, "…"), "short");
        assert_eq!(shorten("Agri-food exports", 10, "..."), "Agri-fo...");
    }

    #[test]
    fn text_wraps_at_spaces_and_after_hyphens() {
        assert_eq!(
            wrap("needs +1.1% a year from now", 12),
            "needs +1.1%\na year from\nnow"
        );
        assert_eq!(
            wrap("eaeu-exports-third-countries-2025", 16),
            "eaeu-exports-\nthird-countries-\n2025"
        );
        assert_eq!(wrap("abcdefghij", 4), "abcd\nefgh\nij");
        // never inside a date or a period
        assert_eq!(wrap("by 2020-09..2021-08", 12), "by 2020-09..\n2021-08");
        assert_eq!(wrap("on 2026-11-28", 10), "on\n2026-11-28");
        assert_eq!(
            wrap("Σ 61 legal acts in 2021..2025", 14),
            "Σ 61 legal\nacts in\n2021..2025"
        );
        assert_eq!(wrap("overdue (2068 d late)", 14), "overdue\n(2068 d late)");
        assert_eq!(wrap("overdue (2068 d late)", 11), "overdue\n(2068 d\nlate)");
    }

    #[test]
    fn prose_wraps_with_a_hanging_indent() {
        assert_eq!(
            wrap_hanging("- needs +1.1% a year from now", 16, "  "),
            "- needs +1.1% a\n  year from now"
        );
        assert_eq!(wrap_hanging("- short", 16, "  "), "- short");
        // prose breaks at spaces only, and never inside an address
        assert_eq!(
            wrap_hanging(
                "[1] Source — https://example.org/a/very/long/address",
                20,
                "    "
            ),
            "[1] Source —\n    https://example.org/a/very/long/address"
        );
        assert_eq!(
            wrap_hanging("a: free-trade talks on 2026-11-28", 20, "  "),
            "a: free-trade talks\n  on 2026-11-28"
        );
    }
}
