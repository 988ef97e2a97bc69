//! Terminal tables, drawn a row at a time. A [`Grid`]'s columns are laid
//! out from their natural widths ([`fit::layout`]), gathered as the rows
//! come ([`Widths`]); then each row is shaped (in ASCII, shortened with `…`
//! or wrapped, the columns left out skipped) and drawn in box lines. The
//! rows are read twice, to measure what shaping made of them and to draw
//! them, from wherever they wait (a [`Spool`], or the grid itself): memory
//! holds the widths, not the rows. A table not fitted to a width draws its
//! cells as they are: a writer that measured its rows as they came
//! ([`measure`], [`Drawn`]) has it read them once.

use std::borrow::Cow;

use super::fit::{self, Layout};
use super::spool::{Piece, Spool};
use super::stream::{Out, decode_cells_into};
use super::{Grid, Look, color, to_ascii};
use crate::error::Result;

/// The natural width of each column of a table, kept as its rows come: its
/// widest cell as the terminal shows it (in ASCII on an ASCII terminal).
#[derive(Debug, Clone)]
pub struct Widths {
    widths: Vec<usize>,
    ascii: bool,
}

impl Widths {
    /// The widths of `grid`'s header, to be widened by its rows.
    pub fn new(grid: &Grid, look: &Look) -> Widths {
        let mut w = Widths {
            widths: vec![0; grid.header.len()],
            ascii: look.ascii,
        };
        w.add(&grid.header);
        w
    }

    pub fn add(&mut self, cells: &[String]) {
        for (w, c) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(fit::width(&as_shown(c, self.ascii)));
        }
    }

    /// Widens the columns to the natural widths of a row measured by
    /// [`measure`].
    pub fn add_measured(&mut self, cells: &[Measure]) {
        for (w, c) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(c.natural);
        }
    }
}

/// A cell as a terminal shows it: in ASCII on an ASCII terminal.
fn as_shown(text: &str, ascii: bool) -> Cow<'_, str> {
    if ascii && !text.is_ascii() {
        to_ascii(text).into()
    } else {
        text.into()
    }
}

/// How wide one cell is: naturally (as [`Widths`] counts it) and as drawn
/// unshaped (as [`write`] draws it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    natural: usize,
    drawn: usize,
}

/// Measures each cell of a row as shown (`ascii`: on an ASCII terminal),
/// onto the end of `into`; returns whether any takes several lines. Done
/// where the row is rendered (on any thread), it spares the table a pass
/// over its rows when they are drawn as they are ([`Drawn`]).
pub fn measure(cells: &[String], ascii: bool, into: &mut Vec<Measure>) -> bool {
    let mut tall = false;
    for c in cells {
        let c = as_shown(c, ascii);
        let lines = c.contains('\n');
        // one line: as wide drawn as it naturally is, counted once
        let (natural, drawn) = match lines {
            false => {
                let w = fit::line_width(&c);
                (w, w)
            }
            true => (fit::width(&c), drawn_width(&c)),
        };
        into.push(Measure { natural, drawn });
        tall |= lines;
    }
    tall
}

/// What the rows of a table make when drawn as they are, not fitted to a
/// width: each column's widest cell as drawn, whether any cell takes
/// several lines, and how many rows there are. Gathered as the rows come
/// ([`Drawn::add`]); [`write`] then reads the rows once.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    widths: Vec<usize>,
    tall: bool,
    rows: usize,
}

impl Drawn {
    /// Adds a row measured by [`measure`] (`tall`: what it returned).
    pub fn add(&mut self, cells: &[Measure], tall: bool) {
        if self.widths.len() < cells.len() {
            self.widths.resize(cells.len(), 0);
        }
        for (w, c) in self.widths.iter_mut().zip(cells) {
            *w = (*w).max(c.drawn);
        }
        self.tall |= tall;
        self.rows += 1;
    }
}

/// How a row is drawn: its place, its cells, the text it is drawn onto.
type Draw<'d> = &'d (dyn Fn(usize, &[String], &mut String) + Sync);

/// The rows of a table, read once to measure them and once to draw them.
pub trait Rows {
    fn each(&mut self, f: &mut dyn FnMut(&[String]) -> Result<()>) -> Result<()>;

    /// Draws each row with `draw` and writes the text in order: a row at
    /// a time, unless the rows can be read on every core.
    fn draw(&mut self, draw: Draw, out: &mut Out) -> Result<()> {
        let (mut i, mut text) = (0, String::new());
        self.each(&mut |cells| {
            text.clear();
            draw(i, cells, &mut text);
            i += 1;
            out.text(&text)
        })
    }
}

impl Rows for &[Vec<String>] {
    fn each(&mut self, f: &mut dyn FnMut(&[String]) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|r| f(r))
    }
}

/// Rows waiting in a spool: `pieces` (in order), each made by
/// [`super::stream::encode_cells`].
pub struct Spooled<'s, I> {
    pub spool: &'s mut Spool,
    pub pieces: I,
}

impl<I: Iterator<Item = Piece> + Clone> Rows for Spooled<'_, I> {
    fn each(&mut self, f: &mut dyn FnMut(&[String]) -> Result<()>) -> Result<()> {
        let (mut buf, mut cells) = (Vec::new(), Vec::new());
        for p in self.pieces.clone() {
            self.spool.get(p, &mut buf)?;
            decode_cells_into(&buf, &mut cells);
            f(&cells)?;
        }
        Ok(())
    }

    /// Drawn on every core, [`DRAWN_CHUNK`] rows at a time.
    fn draw(&mut self, draw: Draw, out: &mut Out) -> Result<()> {
        self.spool.written()?;
        let pieces: Vec<Piece> = self.pieces.clone().collect();
        let spool = &*self.spool;
        super::ordered::write(
            pieces.len(),
            DRAWN_CHUNK,
            super::ordered::threads(),
            |range, text| {
                let (mut buf, mut cells, mut drawn) = (Vec::new(), Vec::new(), String::new());
                for i in range {
                    decode_cells_into(spool.read(pieces[i], &mut buf)?, &mut cells);
                    drawn.clear();
                    draw(i, &cells, &mut drawn);
                    text.extend_from_slice(drawn.as_bytes());
                }
                Ok(())
            },
            out,
        )
    }
}

/// Rows a chunk when a table is drawn on every core: about 100 KB drawn.
const DRAWN_CHUNK: usize = 512;

/// Writes the terminal table of `grid`'s columns (its header, numeric
/// columns and the steps by which it gives way) with the rows `rows`, as
/// `look` asks: fitted to its width from the columns' `natural` widths
/// (shortened, wrapped or left out, and a line saying which were left
/// out), in ASCII, statuses coloured. Not fitted to a width, each column is
/// as wide as `natural` says (a grouped report's tables, streamed, share
/// the widths of all groups).
///
/// `drawn`: what the rows make drawn as they are, if gathered as they came;
/// used when the table is not fitted to a width (its rows are then drawn
/// as they are), in place of reading the rows an extra time.
pub fn write(
    grid: &Grid,
    look: &Look,
    natural: &Widths,
    drawn: Option<&Drawn>,
    rows: &mut dyn Rows,
    out: &mut Out,
) -> Result<()> {
    let shape = Shape::new(grid, look, &natural.widths);
    let header = shape.header();
    // what shaping makes of the rows: how wide each column is drawn, and
    // whether any row takes several lines (then a rule parts every row)
    let mut widths: Vec<usize> = match look.width {
        Some(_) => header.iter().map(|c| drawn_width(c)).collect(),
        None => shape.layout.widths.clone(),
    };
    let mut tall = false;
    let mut count = 0;
    match drawn.filter(|_| look.width.is_none()) {
        // unfitted, every column is kept and every cell drawn as it is
        Some(d) => {
            for (w, d) in widths.iter_mut().zip(&d.widths) {
                *w = (*w).max(*d);
            }
            tall = d.tall;
            count = d.rows;
        }
        None => rows.each(&mut |cells| {
            count += 1;
            for (w, c) in widths.iter_mut().zip(shape.row(cells)) {
                *w = (*w).max(drawn_width(&c));
                tall |= c.contains('\n');
            }
            Ok(())
        })?,
    }
    let frame = Frame {
        right: shape
            .layout
            .kept
            .iter()
            .map(|c| grid.numeric.contains(c))
            .collect(),
        widths,
        lines: if look.ascii { &ASCII } else { &BOX },
    };
    let mut drawn = String::new();
    out.text(&frame.rule(Rule::Top))?;
    frame.row(&header, None, &mut drawn);
    out.text(&drawn)?;
    out.text(&frame.rule(Rule::Middle))?;
    let middle = frame.rule(Rule::Middle);
    rows.draw(
        &|i, cells, drawn| {
            if tall && i > 0 {
                drawn.push_str(&middle);
            }
            frame.row(&shape.row(cells), shape.colour(cells), drawn);
        },
        out,
    )?;
    // a table without rows ends with the rule under its header
    if count > 0 {
        out.text(&frame.rule(Rule::Bottom))?;
    }
    if let Some(line) = shape.left_out() {
        out.text(&line)?;
    }
    Ok(())
}

/// How a grid's cells are shaped to its layout in a terminal.
struct Shape<'g> {
    grid: &'g Grid,
    look: Look,
    layout: Layout,
    /// The status column's place among the kept columns, if coloured.
    status: Option<usize>,
}

impl<'g> Shape<'g> {
    fn new(grid: &'g Grid, look: &Look, natural: &[usize]) -> Shape<'g> {
        let layout = match look.width {
            Some(limit) => fit::layout(natural, &grid.steps, limit),
            None => Layout {
                kept: (0..natural.len()).collect(),
                widths: natural.to_vec(),
                dropped: Vec::new(),
            },
        };
        let status = grid
            .status
            .filter(|_| look.color)
            .and_then(|s| layout.kept.iter().position(|c| *c == s));
        Shape {
            grid,
            look: *look,
            layout,
            status,
        }
    }

    /// The text of a cell of column `c`, `k`th of those kept, shortened or
    /// wrapped (a header always wraps) to the column's width.
    fn cell<'t>(&self, c: usize, k: usize, text: &'t str, header: bool) -> Cow<'t, str> {
        // as measured (see measure): ASCII text is its own ASCII form
        let text = as_shown(text, self.look.ascii);
        let w = self.layout.widths[k];
        if fit::width(&text) <= w {
            text
        } else if header || self.grid.wrapping.contains(&c) {
            fit::wrap(&text, w).into()
        } else {
            fit::shorten(&text, w, if self.look.ascii { "..." } else { "…" }).into()
        }
    }

    /// The kept columns' headers, abbreviated where narrower than a header.
    fn header(&self) -> Vec<Cow<'g, str>> {
        let g = self.grid;
        let ascii = |h: &str| {
            if self.look.ascii {
                to_ascii(h)
            } else {
                h.into()
            }
        };
        self.layout
            .kept
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let short = g
                    .abbreviations
                    .iter()
                    .find(|(i, _)| *i == c)
                    .map(|(_, s)| *s)
                    .filter(|_| fit::width(&ascii(&g.header[c])) > self.layout.widths[k]);
                self.cell(c, k, short.unwrap_or(&g.header[c]), true)
            })
            .collect()
    }

    /// The kept cells of a row, shaped.
    fn row<'t>(&self, cells: &'t [String]) -> Vec<Cow<'t, str>> {
        self.layout
            .kept
            .iter()
            .enumerate()
            .map(|(k, &c)| self.cell(c, k, cells.get(c).map_or("", String::as_str), false))
            .collect()
    }

    /// Where a row is coloured, and how: its status cell, by the status
    /// its text begins with.
    fn colour(&self, cells: &[String]) -> Option<(usize, &'static str)> {
        let k = self.status?;
        let text = self.grid.status.and_then(|s| cells.get(s))?;
        let status = text.split([' ', '\n']).next().unwrap_or_default();
        color::status(status).map(|sgr| (k, sgr))
    }

    /// The line naming the columns left out to fit, if any were.
    fn left_out(&self) -> Option<String> {
        if self.layout.dropped.is_empty() {
            return None;
        }
        let mut dropped = self.layout.dropped.clone();
        dropped.sort();
        let names: Vec<&str> = dropped
            .iter()
            .map(|&c| self.grid.header[c].as_str())
            .collect();
        let width = self.look.width.unwrap_or_default();
        let line = format!(
            "(left out to fit {width} columns: {}; --width 0 shows them)",
            names.join(", ")
        );
        Some(format!("{}\n", fit::wrap_hanging(&line, width, " ")))
    }
}

/// The width a cell is drawn at: its widest line (each line counted whole,
/// control characters and all, as it is written).
fn drawn_width(text: &str) -> usize {
    text.split('\n').map(fit::line_width).max().unwrap_or(0)
}

/// The characters of a table's lines.
struct Lines {
    horizontal: char,
    vertical: char,
    /// Left, middle and right of the top rule, of a rule between rows and
    /// of the bottom rule.
    top: [char; 3],
    middle: [char; 3],
    bottom: [char; 3],
}

const BOX: Lines = Lines {
    horizontal: '─',
    vertical: '│',
    top: ['┌', '┬', '┐'],
    middle: ['├', '┼', '┤'],
    bottom: ['└', '┴', '┘'],
};

const ASCII: Lines = Lines {
    horizontal: '-',
    vertical: '|',
    top: ['+', '+', '+'],
    middle: ['+', '+', '+'],
    bottom: ['+', '+', '+'],
};

#[derive(Clone, Copy)]
enum Rule {
    Top,
    Middle,
    Bottom,
}

/// A table's columns as drawn: widths, which are right-aligned (numbers,
/// each line on its own), and the characters of its lines.
struct Frame {
    widths: Vec<usize>,
    right: Vec<bool>,
    lines: &'static Lines,
}

impl Frame {
    fn rule(&self, rule: Rule) -> String {
        let [left, middle, right] = match rule {
            Rule::Top => self.lines.top,
            Rule::Middle => self.lines.middle,
            Rule::Bottom => self.lines.bottom,
        };
        let mut s = String::new();
        s.push(left);
        for (i, w) in self.widths.iter().enumerate() {
            if i > 0 {
                s.push(middle);
            }
            s.extend(std::iter::repeat_n(self.lines.horizontal, w + 2));
        }
        s.push(right);
        s.push('\n');
        s
    }

    /// One row, on as many lines as its tallest cell, onto the end of
    /// `s`; `colour`: the cell (by place) whose lines are coloured, and how
    /// (an SGR code).
    fn row(&self, cells: &[Cow<str>], colour: Option<(usize, &str)>, s: &mut String) {
        let height = cells
            .iter()
            .map(|c| c.bytes().filter(|&b| b == b'\n').count() + 1)
            .max()
            .unwrap_or(1);
        for i in 0..height {
            s.push(self.lines.vertical);
            for (k, w) in self.widths.iter().enumerate() {
                let line = cells.get(k).and_then(|c| {
                    if height == 1 {
                        Some(c.as_ref())
                    } else {
                        c.split('\n').nth(i)
                    }
                });
                let text = line.unwrap_or_default();
                let pad = w - fit::line_width(text).min(*w);
                s.push(' ');
                if self.right[k] {
                    spaces(s, pad);
                }
                match (line, colour) {
                    (Some(_), Some((at, sgr))) if at == k => {
                        s.push_str("\x1b[");
                        s.push_str(sgr);
                        s.push('m');
                        s.push_str(text);
                        s.push_str(color::RESET);
                    }
                    _ => s.push_str(text),
                }
                if !self.right[k] {
                    spaces(s, pad);
                }
                s.push(' ');
                s.push(self.lines.vertical);
            }
            s.push('\n');
        }
    }
}

/// `n` spaces onto the end of `s`.
fn spaces(s: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        s.push_str(&SPACES[..k]);
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tabled::builder::Builder;
    use tabled::settings::formatting::AlignmentStrategy;
    use tabled::settings::object::Columns;
    use tabled::settings::style::HorizontalLine;
    use tabled::settings::{Alignment, Color, Style};

    /// The shaped cells drawn by tabled, as the tables were drawn before
    /// they were drawn a row at a time: the styles, alignment and colours
    /// that [`Frame`] draws.
    fn tabled(grid: &Grid, look: &Look) -> String {
        let natural = {
            let mut w = Widths::new(grid, look);
            grid.rows.iter().for_each(|r| w.add(r));
            w
        };
        let shape = Shape::new(grid, look, &natural.widths);
        let body: Vec<Vec<String>> = grid
            .rows
            .iter()
            .map(|r| shape.row(r).into_iter().map(Cow::into_owned).collect())
            .collect();
        let tall = body.iter().flatten().any(|c| c.contains('\n'));
        let mut b = Builder::default();
        b.push_record(shape.header().into_iter().map(Cow::into_owned));
        for row in &body {
            b.push_record(row.clone());
        }
        let mut t = b.build();
        match (look.ascii, tall) {
            (true, true) => t.with(Style::ascii()),
            (true, false) => {
                let rule = HorizontalLine::inherit(Style::ascii());
                t.with(Style::ascii().remove_horizontal().horizontals([(1, rule)]))
            }
            (false, true) => t.with(Style::modern()),
            (false, false) => t.with(Style::sharp()),
        };
        for (k, c) in shape.layout.kept.iter().enumerate() {
            if grid.numeric.contains(c) {
                t.modify(Columns::one(k), Alignment::right());
                t.modify(Columns::one(k), AlignmentStrategy::PerLine);
            }
        }
        for (i, row) in grid.rows.iter().enumerate() {
            if let Some((k, sgr)) = shape.colour(row) {
                t.modify((i + 1, k), Color::new(color::start(sgr), color::RESET));
            }
        }
        format!("{t}\n{}", shape.left_out().unwrap_or_default())
    }

    const CELLS: &[&str] = &[
        "",
        "x",
        "on_track",
        "overdue (2068 d late)",
        "missed (late)",
        "$5.80bn (2020)",
        "≈ $8.50bn (2024)",
        "短い題名と長い日本語のタイトル",
        "emoji 🎯 and é (e + ´: e\u{301})",
        "great-stone-housing-2021",
        "two\nlines",
        "a tab\there",
        "—",
    ];

    fn grid(rows: &[Vec<usize>]) -> Grid {
        let mut g = Grid::new(&["status", "value", "title", "n"], &[1, 3])
            .wraps(0)
            .wraps(1)
            .shrink(2, 6)
            .drop(3)
            .shrink(0, 8)
            .shrink(1, 6)
            .status_column(0);
        for r in rows {
            g.push(r.iter().map(|&i| CELLS[i].to_string()).collect());
        }
        g
    }

    proptest! {
        /// A table drawn a row at a time is the one tabled draws whole, in
        /// every style: fitted or not, in ASCII or not, coloured or not.
        #[test]
        fn a_table_drawn_row_by_row_is_the_one_tabled_draws(
            rows in prop::collection::vec(prop::collection::vec(0..CELLS.len(), 4), 0..5),
            width in prop::option::of(12usize..90),
            ascii in any::<bool>(),
            color in any::<bool>(),
        ) {
            let g = grid(&rows);
            let look = Look { width, color, ascii };
            prop_assert_eq!(g.table_for(&look), tabled(&g, &look));
        }
    }

    /// [`write`] with the rows measured as they came, and with a pass of
    /// its own over them.
    fn both_ways(g: &Grid, look: &Look) -> (String, String) {
        let mut natural = Widths::new(g, look);
        let mut drawn = Drawn::default();
        for r in &g.rows {
            let mut m = Vec::new();
            let tall = measure(r, look.ascii, &mut m);
            natural.add_measured(&m);
            drawn.add(&m, tall);
        }
        let draw = |d: Option<&Drawn>| {
            let mut text = Vec::new();
            write(
                g,
                look,
                &natural,
                d,
                &mut g.rows.as_slice(),
                &mut Out(&mut text),
            )
            .unwrap();
            String::from_utf8(text).unwrap()
        };
        (draw(Some(&drawn)), draw(None))
    }

    proptest! {
        /// Not fitted to a width, a table whose rows were measured as they
        /// came is the one drawn after a pass over its rows: cells of
        /// several lines (a rule then parts every row), carriage returns
        /// (counted where drawn, not in a natural width), wide and
        /// non-ASCII text, in ASCII or not, coloured or not.
        #[test]
        fn rows_measured_as_they_came_draw_the_same_table(
            rows in prop::collection::vec(prop::collection::vec(0..CELLS.len() + 3, 4), 0..5),
            ascii in any::<bool>(),
            color in any::<bool>(),
        ) {
            let more = ["a\r\nb", "end\r", "\r\n—\r\n"];
            let mut g = grid(&[]);
            for r in &rows {
                g.push(r.iter().map(|&i| CELLS.get(i).copied().unwrap_or_else(|| more[i - CELLS.len()]).to_string()).collect());
            }
            let look = Look { width: None, color, ascii };
            let (measured, read) = both_ways(&g, &look);
            prop_assert_eq!(measured, read);
        }
    }

    #[test]
    fn a_table_without_rows_ends_with_the_rule_under_its_header() {
        let g = grid(&[]);
        assert_eq!(
            g.table_for(&Look::default()),
            "┌────────┬───────┬───────┬───┐\n\
             │ status │ value │ title │ n │\n\
             ├────────┼───────┼───────┼───┤\n"
        );
        assert_eq!(g.table_for(&Look::default()), tabled(&g, &Look::default()));
    }
}
