//! Which observations count (methodology.md §2).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{Observation, Qualifier};
use crate::period::Period;

/// A counting value at its instant: one observation, or the sum of the
/// complete sub-periods of a flow (§2 rule 4), which is *derived*.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The observation; for a derived value, its last part.
    pub obs_id: i64,
    pub period: Period,
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// The time point, in fractional years (§1).
    pub t: f64,
    /// For a derived value, the observations summed into it, in time
    /// order; empty for an observed one.
    pub parts: Vec<i64>,
}

impl Point {
    pub fn is_derived(&self) -> bool {
        !self.parts.is_empty()
    }

    /// The observations this value rests on.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        std::iter::once(self.obs_id)
            .filter(|_| self.parts.is_empty())
            .chain(self.parts.iter().copied())
    }
}

/// Why an observation is or is not used in an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    /// Counts: the latest vintage known on the as-of date.
    Counted,
    /// Counts as one part of a derived value: complete sub-periods of a flow
    /// add up to the period of the target's length (rule 4).
    Summed,
    /// An entry error, ignored whatever the date (rule 3).
    Retracted,
    /// Published after the as-of date (rule 1).
    NotYetPublished,
    /// A later vintage of the same period wins (rule 2).
    Superseded,
    /// A flow over a period of another length than the deadline's that does
    /// not add up to a whole one (rule 4).
    OtherLength,
    /// Inside a longer period that counts for the same span (rule 5).
    Overlapped,
    /// After the deadline: shown, but the promise is judged at the
    /// deadline (§6).
    AfterDeadline,
    /// Outside a cumulative target's window, or across its edges (§7).
    OutsideWindow,
}

impl Use {
    pub fn describe(self) -> &'static str {
        match self {
            Use::Counted => "counted",
            Use::Summed => "summed with the other parts of its period",
            Use::Retracted => "retracted",
            Use::NotYetPublished => "published after the as-of date",
            Use::Superseded => "superseded by a later vintage",
            Use::OtherLength => "partial or other-length period",
            Use::Overlapped => "covered by a longer period",
            Use::AfterDeadline => "after the deadline",
            Use::OutsideWindow => "outside the target's window",
        }
    }
}

/// A period of the target's length that shorter values cover only in part:
/// it stays uncompared (rule 4).
#[derive(Debug, Clone, PartialEq)]
pub struct Incomplete {
    pub period: Period,
    /// How much of it has no value, in the parts' own unit when they are
    /// whole months (`4 of 12 months`), else in days.
    pub missing: u32,
    pub of: u32,
    pub unit: &'static str,
}

/// What counts on a date: the points in time order, the use of every
/// observation (by id), and the periods left uncompared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counting {
    pub points: Vec<Point>,
    pub uses: Vec<(i64, Use)>,
    pub incomplete: Vec<Incomplete>,
    /// Values of another length that straddle two periods of the target's
    /// length (`2021-07..2022-06` for an annual target).
    pub straddling: Vec<Period>,
}

/// Whether counting keeps the use of every observation (what `show`
/// explains, and a break note reads), or drops them (a report's rows show
/// none: finding them and putting them in id order was a sixth of an
/// assessment). What counts is the same either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uses {
    Kept,
    Dropped,
}

/// When an observation counts as known: its publication date, or else the
/// last day of its period (rule 1).
pub fn known_from(o: &Observation) -> NaiveDate {
    o.published.unwrap_or_else(|| o.period.last_day())
}

/// The latest vintage of each slot (`slot_of`) among `observations` known
/// on `as_of`, each slot where its first vintage came; and the use of every
/// observation left out (retracted, not yet published, superseded).
/// `side_by_side`: each slot's vintages come together, so a vintage's slot
/// is the one before it or a new one, and no map is needed (the same
/// result, found faster). `keep`: whether the uses are kept (else none).
fn latest_per_slot<S: Eq + std::hash::Hash>(
    observations: &[Observation],
    as_of: NaiveDate,
    slot_of: impl Fn(&Observation) -> S,
    side_by_side: bool,
    keep: bool,
) -> (Vec<&Observation>, Vec<(i64, Use)>) {
    let mut uses = Vec::with_capacity(if keep { observations.len() } else { 0 });
    let mut latest: Vec<&Observation> = Vec::with_capacity(observations.len());
    let mut slots: HashMap<S, usize, Fast> = if side_by_side {
        HashMap::default()
    } else {
        HashMap::with_capacity_and_hasher(observations.len(), Fast::default())
    };
    for o in observations {
        let known = known_from(o);
        let why = if o.retracted.is_some() {
            Some(Use::Retracted)
        } else if known > as_of {
            Some(Use::NotYetPublished)
        } else {
            None
        };
        if let Some(why) = why {
            if keep {
                uses.push((o.id, why));
            }
            continue;
        }
        let seen = if side_by_side {
            let slot = slot_of(o);
            latest
                .last()
                .filter(|last| slot_of(last) == slot)
                .map(|_| latest.len() - 1)
        } else {
            match slots.entry(slot_of(o)) {
                Entry::Occupied(i) => Some(*i.get()),
                Entry::Vacant(slot) => {
                    slot.insert(latest.len());
                    None
                }
            }
        };
        match seen {
            Some(i) => {
                // latest publication wins; on a tie, the later entry
                let slot = &mut latest[i];
                let newer = (known, o.id) > (known_from(slot), slot.id);
                let loser = if newer { std::mem::replace(slot, o) } else { o };
                if keep {
                    uses.push((loser.id, Use::Superseded));
                }
            }
            None => latest.push(o),
        }
    }
    (latest, uses)
}

/// The observations of one indicator that count on `as_of`, latest vintage
/// per period, as points sorted by time; and the use of every observation.
///
/// `same_length_as`: for a flow, only periods of this length count, and
/// shorter periods that tile one exactly add up to a derived value for it
/// (rule 4); `None` for a stock, whose every observation counts at its
/// instant.
pub fn counting(
    observations: &[Observation],
    as_of: NaiveDate,
    stock: bool,
    same_length_as: Option<&Period>,
) -> Counting {
    counting_with(observations, as_of, stock, same_length_as, Uses::Kept)
}

/// [`counting`], its uses kept or dropped (`Counting::uses` then empty).
pub fn counting_with(
    observations: &[Observation],
    as_of: NaiveDate,
    stock: bool,
    same_length_as: Option<&Period>,
    kept: Uses,
) -> Counting {
    let keep = kept == Uses::Kept;
    // vintages of one another: the same span of time however it is written
    // (2021, 2021-01..2021-12), or for a stock the same instant ("end of
    // 2020" is "2021-01-01")
    #[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Slot {
        Span(NaiveDate, NaiveDate),
        Instant(u64),
    }
    let slot_of = |o: &Observation| {
        if stock {
            Slot::Instant(o.period.instant(true).to_bits())
        } else {
            let (start, end) = o.period.bounds();
            Slot::Span(start, end)
        }
    };
    let length = same_length_as.map(Period::length);
    let counts = |o: &Observation| o.retracted.is_none() && known_from(o) <= as_of;
    // each slot's vintages side by side, the slots in order: as a packed
    // copy of yearly values comes, revisions beside their period
    let side_by_side = observations
        .iter()
        .filter(|o| counts(o))
        .map(slot_of)
        .is_sorted();
    let (latest, mut uses) = latest_per_slot(observations, as_of, slot_of, side_by_side, keep);
    // the uses so far are of the vintages left out; the counted ones follow
    let left_out = uses.len();
    // each latest vintage of the target's length counts as it is; the
    // shorter ones wait to be added up
    let mut out = Counting::default();
    let mut points: Vec<Point> = Vec::with_capacity(latest.len());
    let mut shorter: Vec<&Observation> = Vec::new();
    for o in latest {
        if length.is_some_and(|l| o.period.length() != l) {
            shorter.push(o);
            continue;
        }
        if keep {
            uses.push((o.id, Use::Counted));
        }
        points.push(Point {
            obs_id: o.id,
            period: o.period,
            value: o.value,
            qualifier: o.qualifier,
            t: o.period.instant(stock),
            parts: Vec::new(),
        });
    }
    // (nothing shorter, nothing to add up)
    if let Some(length) = same_length_as.filter(|_| !shorter.is_empty()) {
        let observed: HashSet<(NaiveDate, NaiveDate)> =
            points.iter().map(|p| p.period.bounds()).collect();
        let derived = add_up(length, &shorter, &observed, &mut uses, &mut out);
        points.extend(derived);
    }
    // (a stable sort leaves rows already in order as they are: most often
    // they are, and checking is cheaper than sorting)
    let in_time = |a: &Point, b: &Point| a.t.total_cmp(&b.t).then_with(|| a.period.cmp(&b.period));
    if !points.is_sorted_by(|a, b| in_time(a, b).is_le()) {
        points.sort_by(in_time);
    }
    out.points = points;
    // (the rare shorter values' uses, found as they are added up, go too)
    if keep {
        out.uses = in_id_order(uses, left_out);
    }
    out
}

/// `uses` sorted by id, as a stable sort leaves them. Most often the uses
/// up to `mid` (the vintages left out, in reading order) and those after
/// it (the ones counted) are each in order already, and merging the two is
/// cheaper than sorting (most of a sort's time, for one indicator's few
/// dozen vintages, was its setting up); equal ids keep their places.
fn in_id_order(mut uses: Vec<(i64, Use)>, mid: usize) -> Vec<(i64, Use)> {
    let id = |(id, _): &(i64, Use)| *id;
    if uses.is_sorted_by_key(id) {
        return uses;
    }
    let (a, b) = uses.split_at(mid.min(uses.len()));
    if !(a.is_sorted_by_key(id) && b.is_sorted_by_key(id)) {
        uses.sort_by_key(id);
        return uses;
    }
    let mut merged = Vec::with_capacity(uses.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        // the one before first on a tie, as a stable sort keeps them
        if b[j].0 < a[i].0 {
            merged.push(b[j]);
            j += 1;
        } else {
            merged.push(a[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// The period of `length`'s form (on its calendar grid) that contains the
/// day `day`, for periods of whole months.
fn grid_period(length: &Period, day: NaiveDate) -> Option<Period> {
    let n = length.months().filter(|n| *n > 0)? as i32;
    let (s, d) = (length.start(), day);
    let months = (d.year() - s.year()) * 12 + d.month() as i32 - s.month() as i32;
    length.shifted(months.div_euclid(n))
}

/// A hash for the small keys of one indicator's periods (dates, ids): a
/// multiply and a rotate per word. No key comes from outside the
/// database, so nothing needs the standard hash's resistance to
/// collisions chosen on purpose; the map's contents, not its hash, decide
/// every result.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_i32(&mut self, n: i32) {
        self.write_u64(n as u32 as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
}

type Fast = BuildHasherDefault<FastHasher>;

/// Rule 4: shorter flow values that tile a whole period of the target's
/// length, with no gap and no overlap, add up to a derived value for it
/// (the longest parts first, as in rule 5). A directly observed value for
/// the period wins; an incomplete set stays uncompared.
fn add_up(
    length: &Period,
    shorter: &[&Observation],
    observed: &HashSet<(NaiveDate, NaiveDate)>,
    uses: &mut Vec<(i64, Use)>,
    out: &mut Counting,
) -> Vec<Point> {
    let mut groups: BTreeMap<NaiveDate, (Period, Vec<&Observation>)> = BTreeMap::new();
    for o in shorter {
        match grid_period(length, o.period.start()) {
            Some(w) if o.period.end() <= w.end() && !observed.contains(&w.bounds()) => {
                groups.entry(w.start()).or_insert((w, Vec::new())).1.push(o);
            }
            Some(w) if o.period.end() <= w.end() => uses.push((o.id, Use::OtherLength)),
            _ => {
                out.straddling.push(o.period);
                uses.push((o.id, Use::OtherLength));
            }
        }
    }
    let mut derived = Vec::new();
    for (_, (w, parts)) in groups {
        let days = |p: &Period| (p.end() - p.start()).num_days();
        // a sum beyond any float is no value (the parts stay uncompared)
        let tiles = tiling(&w, &parts)
            .filter(|chosen| chosen.iter().map(|o| o.value).sum::<f64>().is_finite());
        match tiles {
            Some(chosen) => {
                let first = chosen[0].qualifier;
                let qualifier = if chosen.iter().all(|o| o.qualifier == first) {
                    first
                } else {
                    Some(Qualifier::About)
                };
                let ids: HashSet<i64> = chosen.iter().map(|o| o.id).collect();
                for o in &parts {
                    let u = if ids.contains(&o.id) {
                        Use::Summed
                    } else {
                        Use::Overlapped
                    };
                    uses.push((o.id, u));
                }
                derived.push(Point {
                    obs_id: chosen[chosen.len() - 1].id,
                    period: w,
                    value: chosen.iter().map(|o| o.value).sum(),
                    qualifier,
                    t: w.instant(false),
                    parts: chosen.iter().map(|o| o.id).collect(),
                });
            }
            None => {
                uses.extend(parts.iter().map(|o| (o.id, Use::OtherLength)));
                // what no part covers at all (parts that overlap each other
                // but leave no day uncovered still cannot be added up)
                let mut spans: Vec<(NaiveDate, NaiveDate)> =
                    parts.iter().map(|o| o.period.bounds()).collect();
                spans.sort();
                let mut covered = 0;
                let mut reach = w.start();
                for (a, b) in spans {
                    let a = a.max(reach);
                    if b > a {
                        covered += (b - a).num_days();
                        reach = b;
                    }
                }
                let whole_months = parts.iter().all(|o| o.period.months().is_some());
                let (missing, of, unit) = match (whole_months, w.months()) {
                    (true, Some(all)) => {
                        // months covered: whole-month parts cover whole months
                        let have = (0..all)
                            .filter(|k| {
                                let m = w.start().checked_add_months(chrono::Months::new(*k));
                                m.is_some_and(|m| {
                                    parts
                                        .iter()
                                        .any(|o| o.period.start() <= m && m < o.period.end())
                                })
                            })
                            .count() as u32;
                        (all - have, all, "months")
                    }
                    _ => ((days(&w) - covered) as u32, days(&w) as u32, "days"),
                };
                out.incomplete.push(Incomplete {
                    period: w,
                    missing,
                    of,
                    unit,
                });
            }
        }
    }
    derived
}

/// Parts that tile `w` exactly, with no gap and no overlap: the tiling
/// with the fewest (so the longest) parts, found by a breadth-first walk
/// from the period's first day to its end over the parts' boundaries;
/// `None` when there is none.
fn tiling<'a>(w: &Period, parts: &[&'a Observation]) -> Option<Vec<&'a Observation>> {
    let mut by_start: HashMap<NaiveDate, Vec<&'a Observation>> = HashMap::new();
    for o in parts {
        by_start.entry(o.period.start()).or_default().push(o);
    }
    // longest first, so that among tilings of as many parts the longest wins
    for list in by_start.values_mut() {
        list.sort_by_key(|o| (std::cmp::Reverse(o.period.end()), o.id));
    }
    let mut came_from: HashMap<NaiveDate, &'a Observation> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([w.start()]);
    while let Some(day) = queue.pop_front() {
        if day == w.end() {
            let mut chosen = Vec::new();
            let mut at = day;
            while at != w.start() {
                let o = came_from[&at];
                chosen.push(o);
                at = o.period.start();
            }
            chosen.reverse();
            return Some(chosen);
        }
        for o in by_start.get(&day).into_iter().flatten() {
            let end = o.period.end();
            if end <= w.end() && end != w.start() && !came_from.contains_key(&end) {
                came_from.insert(end, o);
                queue.push_back(end);
            }
        }
    }
    None
}

/// The short notes on what a flow's assessment leaves uncompared (rule 4):
/// one per period, at most a few, however many rows.
pub fn uncompared_notes(c: &Counting, length: &str) -> Vec<String> {
    const SHOWN: usize = 3;
    let mut notes = Vec::new();
    let mut items: Vec<String> = c
        .incomplete
        .iter()
        .map(|i| {
            format!(
                "{} ({} of {} {} without a value)",
                i.period, i.missing, i.of, i.unit
            )
        })
        .collect();
    let more = items.len().saturating_sub(SHOWN);
    items.truncate(SHOWN);
    if !items.is_empty() {
        let rest = if more > 0 {
            format!(" and {more} more period(s)")
        } else {
            String::new()
        };
        notes.push(format!(
            "not compared, incomplete: {}{rest}; the target is assessed on periods of {length}",
            items.join(", ")
        ));
    }
    if !c.straddling.is_empty() {
        let mut shown: Vec<String> = c
            .straddling
            .iter()
            .take(SHOWN)
            .map(|p| p.to_string())
            .collect();
        if c.straddling.len() > SHOWN {
            shown.push(format!("and {} more", c.straddling.len() - SHOWN));
        }
        notes.push(format!(
            "{} not compared: across two periods of {length}",
            shown.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Retraction, Source};
    use crate::parse::{date, period};

    fn obs(id: i64, p: &str, value: f64, published: Option<&str>) -> Observation {
        Observation {
            id,
            indicator: "x".into(),
            period: period(p).unwrap(),
            value,
            qualifier: None,
            source: Source::default(),
            published: published.map(|d| date(d).unwrap()),
            note: None,
            flags: Default::default(),
            recorded: String::new(),
            retracted: None,
        }
    }

    #[test]
    fn only_what_was_published_by_the_as_of_date_counts() {
        let all = [
            obs(1, "2021", 6.7, Some("2022-02-11")),
            obs(2, "2022", 8.3, Some("2023-02-28")),
        ];
        let Counting { points, uses, .. } =
            counting(&all, date("2022-12-31").unwrap(), false, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 6.7);
        assert_eq!(uses, vec![(1, Use::Counted), (2, Use::NotYetPublished)]);
    }

    #[test]
    fn without_a_publication_date_a_value_is_known_at_its_periods_end() {
        let all = [obs(1, "2021", 6.7, None)];
        assert!(
            counting(&all, date("2021-12-30").unwrap(), false, None)
                .points
                .is_empty()
        );
        assert_eq!(
            counting(&all, date("2021-12-31").unwrap(), false, None)
                .points
                .len(),
            1
        );
    }

    #[test]
    fn the_latest_vintage_wins_and_ties_go_to_the_later_entry() {
        let all = [
            obs(1, "2021", 6.5, Some("2022-01-20")),
            obs(2, "2021", 6.7, Some("2022-02-11")),
            obs(3, "2021", 6.6, Some("2022-02-11")),
            obs(4, "2021", 9.9, Some("2021-12-01")),
        ];
        let Counting { points, uses, .. } =
            counting(&all, date("2023-01-01").unwrap(), false, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].obs_id, 3);
        assert_eq!(
            uses,
            vec![
                (1, Use::Superseded),
                (2, Use::Superseded),
                (3, Use::Counted),
                (4, Use::Superseded)
            ]
        );
        // as of an earlier date, the first vintage was all there was
        let Counting { points, .. } = counting(&all, date("2022-01-31").unwrap(), false, None);
        assert_eq!(points[0].obs_id, 1);
    }

    #[test]
    fn one_year_written_two_ways_is_one_period_and_the_latest_vintage_wins() {
        // 2021 and 2021-01..2021-12 cover the same days: vintages of each other
        let all = [
            obs(1, "2021", 6.5, Some("2022-01-20")),
            obs(2, "2021-01..2021-12", 6.0, Some("2021-12-31")),
            obs(3, "2021", 6.7, Some("2022-02-11")),
        ];
        let year = period("2025").unwrap();
        let Counting { points, uses, .. } =
            counting(&all, date("2022-12-31").unwrap(), false, Some(&year));
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 6.7);
        assert_eq!(
            uses,
            vec![
                (1, Use::Superseded),
                (2, Use::Superseded),
                (3, Use::Counted)
            ]
        );
    }

    #[test]
    fn a_retracted_value_never_counts() {
        let mut o = obs(1, "2021", 67.0, Some("2022-02-11"));
        o.retracted = Some(Retraction {
            at: "2022-03-01T00:00:00Z".into(),
            why: "typo".into(),
        });
        let Counting { points, uses, .. } =
            counting(&[o], date("2022-01-01").unwrap(), false, None);
        assert!(points.is_empty());
        assert_eq!(uses, vec![(1, Use::Retracted)]);
    }

    #[test]
    fn a_partial_period_never_stands_in_for_a_full_one() {
        let year = period("2025").unwrap();
        let all = [
            obs(1, "2021", 6.7, Some("2022-02-11")),
            obs(2, "2022-01..2022-08", 5.168, Some("2022-10-01")),
        ];
        let Counting { points, uses, .. } =
            counting(&all, date("2022-12-31").unwrap(), false, Some(&year));
        assert_eq!(points.len(), 1);
        assert_eq!(uses[1], (2, Use::OtherLength));
    }

    #[test]
    fn stocks_count_at_their_instants_in_time_order() {
        let all = [
            obs(1, "2022-10-10", 93.0, None),
            obs(2, "2021-01-01", 68.0, None),
            obs(3, "2021", 80.0, None),
        ];
        let Counting { points, .. } = counting(&all, date("2023-01-01").unwrap(), true, None);
        let ts: Vec<f64> = points.iter().map(|p| p.t).collect();
        // 2021-01-01 is 2021.0; the year 2021 ends at 2022.0
        assert_eq!(ts[0], 2021.0);
        assert_eq!(ts[1], 2022.0);
        assert!(ts[2] > 2022.7);
    }

    #[test]
    fn a_stock_at_the_same_instant_is_a_vintage_whatever_its_notation() {
        // "end of 2020" and "1 January 2021" are one instant: the later entry wins
        let all = [obs(1, "2020", 68.0, None), obs(2, "2021-01-01", 69.0, None)];
        let Counting { points, uses, .. } = counting(&all, date("2023-01-01").unwrap(), true, None);
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].value, 69.0);
        assert_eq!(uses, vec![(1, Use::Superseded), (2, Use::Counted)]);
    }

    fn year() -> Period {
        period("2025").unwrap()
    }

    #[test]
    fn twelve_months_add_up_to_a_derived_annual_value() {
        // 12 monthly values of 2021, 1..12: their sum 78 is the 2021 value,
        // known from the last part's publication
        let mut all: Vec<Observation> = (1..=12)
            .map(|m| obs(m, &format!("2021-{m:02}"), m as f64, Some("2022-01-15")))
            .collect();
        all[11].published = Some(date("2022-02-01").unwrap());
        let c = counting(&all, date("2022-06-30").unwrap(), false, Some(&year()));
        assert_eq!(c.points.len(), 1);
        let p = &c.points[0];
        assert_eq!(
            (p.period.to_string(), p.value, p.t),
            ("2021".into(), 78.0, 2022.0)
        );
        assert_eq!(p.parts, (1..=12).collect::<Vec<i64>>());
        assert!(c.uses.iter().all(|(_, u)| *u == Use::Summed));
        // before the December value was published: 11 of 12, uncompared
        let c = counting(&all, date("2022-01-20").unwrap(), false, Some(&year()));
        assert!(c.points.is_empty());
        assert_eq!(
            c.incomplete,
            vec![Incomplete {
                period: period("2021").unwrap(),
                missing: 1,
                of: 12,
                unit: "months"
            }]
        );
        assert_eq!(
            uncompared_notes(&c, "a year"),
            vec!["not compared, incomplete: 2021 (1 of 12 months without a value); the target is assessed on periods of a year".to_string()]
        );
    }

    #[test]
    fn an_observed_annual_value_wins_over_its_parts_and_mixed_parts_tile() {
        let all = [
            obs(1, "2021-H1", 50.0, None),
            obs(2, "2021-Q3", 20.0, None),
            obs(3, "2021-10", 5.0, None),
            obs(4, "2021-11..2021-12", 15.0, None),
            obs(5, "2021-07", 9.0, None), // inside Q3: left out
            obs(6, "2022-Q1", 30.0, None),
            obs(7, "2022", 100.0, None), // observed: its quarter stays uncompared
            obs(8, "2022-10..2023-03", 70.0, None), // across two years
        ];
        let c = counting(&all, date("2024-01-01").unwrap(), false, Some(&year()));
        let values: Vec<(String, f64, bool)> = c
            .points
            .iter()
            .map(|p| (p.period.to_string(), p.value, p.is_derived()))
            .collect();
        assert_eq!(
            values,
            vec![("2021".into(), 90.0, true), ("2022".into(), 100.0, false)]
        );
        assert_eq!(c.points[0].parts, vec![1, 2, 3, 4]);
        let use_of = |id: i64| c.uses.iter().find(|(i, _)| *i == id).unwrap().1;
        assert_eq!(use_of(5), Use::Overlapped);
        assert_eq!(use_of(6), Use::OtherLength);
        assert_eq!(use_of(8), Use::OtherLength);
        assert_eq!(c.straddling, vec![period("2022-10..2023-03").unwrap()]);
    }

    #[test]
    fn notes_on_uncompared_periods_stay_short_however_many_rows() {
        // 300 days of each of 10 years: 10 incomplete years, one short note
        let mut all = Vec::new();
        let mut id = 0;
        for y in 2000..2010 {
            let start = date(&format!("{y}-01-01")).unwrap();
            for d in 0..300 {
                id += 1;
                let day = start + chrono::Days::new(d);
                all.push(obs(id, &day.to_string(), 1.0, None));
            }
        }
        let c = counting(&all, date("2024-01-01").unwrap(), false, Some(&year()));
        let notes = uncompared_notes(&c, "a year");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].len() < 250, "{}", notes[0]);
        assert!(
            notes[0].contains("2000 (66 of 366 days without a value)"),
            "{}",
            notes[0]
        );
        assert!(notes[0].contains("and 7 more period(s)"), "{}", notes[0]);
    }

    #[test]
    fn four_quarters_tile_a_year_beside_a_season_that_overlaps_them() {
        // found in review: a 4-month season taken first blocked Q2 and Q3
        let all = [
            obs(1, "2021-Q1", 200.0, None),
            obs(2, "2021-Q2", 300.0, None),
            obs(3, "2021-Q3", 400.0, None),
            obs(4, "2021-Q4", 200.0, None),
            obs(5, "2021-05..2021-08", 500.0, None),
        ];
        let c = counting(&all, date("2022-02-01").unwrap(), false, Some(&year()));
        assert_eq!(c.points.len(), 1);
        assert_eq!(
            (c.points[0].value, c.points[0].parts.clone()),
            (1100.0, vec![1, 2, 3, 4])
        );
        let use_of = |id: i64| c.uses.iter().find(|(i, _)| *i == id).unwrap().1;
        assert_eq!(use_of(5), Use::Overlapped);
        // without Q3 no tiling exists; the note counts the months no part
        // covers (none: the season covers July and August, Q3's September
        // is missing)
        let c = counting(
            &all[..2]
                .iter()
                .chain(&all[3..])
                .cloned()
                .collect::<Vec<_>>(),
            date("2022-02-01").unwrap(),
            false,
            Some(&year()),
        );
        assert!(c.points.is_empty());
        assert_eq!(c.incomplete[0].missing, 1);
        assert_eq!(c.incomplete[0].unit, "months");
    }

    /// Vintages as a packed copy brings them: period by period, each
    /// period's revisions beside it, some retracted or not yet published.
    fn side_by_side_vintages() -> impl proptest::strategy::Strategy<Value = Vec<Observation>> {
        use proptest::prelude::*;
        let vintage = (0u8..4, 0u8..4, any::<bool>(), 0u32..6);
        prop::collection::vec((2015i32..2024, prop::collection::vec(vintage, 1..4)), 0..8).prop_map(
            |years| {
                let mut years = years;
                years.sort_by_key(|(y, _)| *y);
                let mut all = Vec::new();
                for (y, vintages) in years {
                    for (month, day, retracted, form) in vintages {
                        // the same year written four ways, and a quarter
                        let p = match form {
                            0 => format!("{y}"),
                            1 => format!("{y}-01..{y}-12"),
                            2 => format!("{y}-01-01..{y}-12-31"),
                            3 => format!("{y}-Q1..{y}-Q4"),
                            _ => format!("{y}-Q1"),
                        };
                        let published = format!("{}-0{}-1{}", y + 1, month + 1, day);
                        let mut o = obs(0, &p, f64::from(y), Some(&published));
                        if retracted {
                            o.retracted = Some(Retraction {
                                at: String::new(),
                                why: String::new(),
                            });
                        }
                        all.push(o);
                    }
                }
                // the quarter before its year, and ids in the order they come
                all.sort_by_key(|o| o.period.bounds());
                for (i, o) in all.iter_mut().enumerate() {
                    o.id = i as i64 + 1;
                }
                all
            },
        )
    }

    proptest::proptest! {
        /// Found side by side or through the map, the same latest vintages
        /// in the same places, and the same uses.
        #[test]
        fn the_latest_per_slot_is_the_same_found_either_way(all in side_by_side_vintages()) {
            let as_of = date("2021-06-15").unwrap();
            let slot = |o: &Observation| o.period.bounds();
            let ids = |(latest, uses): (Vec<&Observation>, Vec<(i64, Use)>)| {
                (latest.iter().map(|o| o.id).collect::<Vec<_>>(), uses)
            };
            let counted = all.iter().filter(|o| o.retracted.is_none() && known_from(o) <= as_of);
            proptest::prop_assert!(counted.map(slot).is_sorted());
            proptest::prop_assert_eq!(
                ids(latest_per_slot(&all, as_of, slot, true, true)),
                ids(latest_per_slot(&all, as_of, slot, false, true))
            );
        }

        /// Merged or sorted, the uses come in the order a stable sort by
        /// id gives them: two runs in order (merged), or not (sorted), ties
        /// between and within them included.
        #[test]
        fn uses_in_id_order_are_those_of_a_stable_sort(
            left in proptest::collection::vec((0i64..12, 0usize..3), 0..12),
            right in proptest::collection::vec((0i64..12, 0usize..3), 0..12),
            sort_runs in proptest::bool::ANY,
        ) {
            let kinds = [Use::Counted, Use::Superseded, Use::Retracted];
            let as_uses = |v: &[(i64, usize)]| -> Vec<(i64, Use)> {
                let mut v: Vec<(i64, Use)> = v.iter().map(|&(id, k)| (id, kinds[k])).collect();
                if sort_runs {
                    v.sort_by_key(|(id, _)| *id);
                }
                v
            };
            let mut uses = as_uses(&left);
            uses.extend(as_uses(&right));
            let mut sorted = uses.clone();
            sorted.sort_by_key(|(id, _)| *id);
            proptest::prop_assert_eq!(in_id_order(uses, left.len()), sorted);
        }
    }

    #[test]
    fn vintages_out_of_order_are_told_apart_through_the_map() {
        // 2021, 2022, then a revision of 2021: not side by side
        let all = [
            obs(1, "2021", 1.0, Some("2022-02-01")),
            obs(2, "2022", 2.0, Some("2023-02-01")),
            obs(3, "2021-01..2021-12", 1.5, Some("2023-03-01")),
        ];
        let c = counting(&all, date("2023-12-31").unwrap(), false, None);
        let values: Vec<f64> = c.points.iter().map(|p| p.value).collect();
        assert_eq!(values, [1.5, 2.0]);
        assert_eq!(
            c.uses,
            [(1, Use::Superseded), (2, Use::Counted), (3, Use::Counted)]
        );
    }
}
