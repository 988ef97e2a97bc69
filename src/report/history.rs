//! The `history` view: how one target's verdict evolved as the data came
//! in. Every date on which something about the target became known (a value
//! first published, a new vintage of a known period, a target revision
//! coming into force, the deadline passing, a milestone completed or
//! stated not done, a withdrawal) is an event; the assessment is replayed
//! as of each event date with the same engine call as `report --as-of`, so
//! the two agree on every date by construction. Rows where nothing the
//! reader sees changed are folded, when all that happened was new data.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::recorded::{self, day_of};
use super::{Latest, Row};
use crate::engine::{self, Method, Options, Status, select::known_from};
use crate::model::{Correction, Indicator, Kind, Measure, Observation, Qualifier, Target};
use crate::period::Period;

/// What happened on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// For data events, the end of the observation's period (a value after
    /// the deadline never changes the verdict).
    #[serde(skip)]
    pub period_end: Option<NaiveDate>,
    /// `published`, `revised`, `confirmed` (the same value again),
    /// `target_revised`, `deadline_passed`, `completed`, `not_done`,
    /// `withdrawn`.
    pub kind: &'static str,
    pub text: String,
    /// Where it comes from, when it is known.
    pub source: Option<String>,
}

impl Event {
    fn new(kind: &'static str, text: String, source: Option<&str>) -> Event {
        Event {
            period_end: None,
            kind,
            text,
            source: source.map(str::to_string),
        }
    }
}

/// The assessment on one date, after that date's events.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub date: String,
    pub events: Vec<Event>,
    pub status: Status,
    pub progress: Option<f64>,
    pub method_value: Option<f64>,
    pub method_label: Option<&'static str>,
    pub latest: Option<Latest>,
}

/// `{"version": 1, "target", "method", "rows": [...], "folded"}`.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub version: u32,
    pub target: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub method: Method,
    pub rows: Vec<HistoryRow>,
    /// Event dates whose assessment the reader would see no change in.
    pub folded: usize,
    /// The last date replayed.
    #[serde(skip)]
    pub until: NaiveDate,
}

impl History {
    /// Replays `target` at each event date between `since` and `until`
    /// (inclusive; the assessment on `since` itself opens the history when
    /// it is given).
    pub fn build(
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
        method: Method,
        since: Option<NaiveDate>,
        until: NaiveDate,
    ) -> History {
        History::replay(target, indicator, observations, method, since, until, None)
    }

    /// [`History::build`] on the second clock (`--as-recorded`): on each
    /// date the database as recorded by its end, so that entries,
    /// retractions and corrections appear on the day they were recorded.
    pub fn as_recorded(
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
        corrections: &[Correction],
        method: Method,
        since: Option<NaiveDate>,
        until: NaiveDate,
    ) -> History {
        History::replay(
            target,
            indicator,
            observations,
            method,
            since,
            until,
            Some(corrections),
        )
    }

    fn replay(
        target: &Target,
        indicator: Option<&Indicator>,
        observations: &[Observation],
        method: Method,
        since: Option<NaiveDate>,
        until: NaiveDate,
        recorded_clock: Option<&[Correction]>,
    ) -> History {
        let mut events = events(target, indicator, observations);
        if recorded_clock.is_some() {
            merge(
                &mut events,
                recording_events(target, indicator, observations),
            );
        }
        events.retain(|(d, _)| *d <= until && since.is_none_or(|s| *d >= s));
        if let Some(s) = since
            && events.first().is_none_or(|(d, _)| *d > s)
        {
            events.insert(0, (s, Vec::new()));
        }
        let mut rows: Vec<HistoryRow> = Vec::new();
        let mut folded = 0;
        let mut known = match recorded_clock {
            None => KnownSoFar::as_of(observations),
            Some(_) => KnownSoFar::as_recorded(observations),
        };
        for (date, happened) in events {
            let r = match recorded_clock {
                None => {
                    let a = engine::assess_with(
                        target,
                        indicator,
                        known.on(date),
                        date,
                        method,
                        Options::default(),
                    );
                    Row::new(target, indicator, &a)
                }
                Some(corrections) => {
                    let (t, i, _) = recorded::database(
                        vec![target.clone()],
                        indicator.cloned().into_iter().collect(),
                        Vec::new(),
                        corrections,
                        date,
                    );
                    let Some(t) = t.into_iter().next() else {
                        continue; // not recorded yet
                    };
                    let o = known.on(date);
                    let a = engine::assess_with(&t, i.first(), o, date, method, Options::default());
                    Row::new(&t, i.first(), &a)
                }
            };
            let row = HistoryRow {
                date: date.to_string(),
                events: happened,
                status: r.status,
                progress: r.progress,
                method_value: r.method_value,
                method_label: r.method_label,
                latest: r.latest,
            };
            // new data that changes nothing a reader sees is folded; the
            // other events (a revision of the target, the deadline, a
            // milestone's news, a withdrawal) always get their row
            let data_only = row
                .events
                .iter()
                .all(|e| matches!(e.kind, "published" | "revised" | "confirmed" | "recorded"));
            match rows.last_mut() {
                Some(last) if data_only && same_view(last, &row) => {
                    folded += 1;
                }
                _ => rows.push(row),
            }
        }
        let unit = indicator.map(|i| i.unit.clone());
        History {
            version: 1,
            target: target.id.clone(),
            title: target.version_on(until).title.clone(),
            unit,
            method,
            rows,
            folded,
            until,
        }
    }
}

/// The observations that can decide an assessment on a date, kept up to
/// date as the dates advance: of every period, the latest vintage known by
/// then. The engine picks the same vintage from all of them (the latest
/// publication, then the later entry, per span of time), so handing it
/// only these gives the same assessment, and a replay of E dates costs E
/// times the number of periods rather than E times the number of vintages.
/// The periods stay in the order in which the engine would meet them among
/// all the vintages: that of their first entry present.
///
/// An observation is present from the day it counts as known (and, on the
/// second clock, was recorded) until the day its retraction counts (on the
/// first clock a retracted value is never present).
struct KnownSoFar<'a> {
    all: &'a [Observation],
    /// (day, place among `all`), by day: when each enters and leaves.
    enters: Vec<(NaiveDate, usize)>,
    leaves: Vec<(NaiveDate, usize)>,
    next_enter: usize,
    next_leave: usize,
    spans: HashMap<(NaiveDate, NaiveDate), Span>,
    /// Of each span present, its latest vintage, in the order of the
    /// places of the spans' first entries present (`firsts`).
    current: Vec<Observation>,
    firsts: Vec<usize>,
}

/// The vintages of one span of time present on the day.
#[derive(Default)]
struct Span {
    /// By (the day it counts from, entry), with its place.
    present: std::collections::BTreeSet<((NaiveDate, i64), usize)>,
    /// The first place present, under which the span is in `current`.
    shown_at: Option<usize>,
}

impl<'a> KnownSoFar<'a> {
    /// On the first clock (`report --as-of`).
    fn as_of(all: &'a [Observation]) -> KnownSoFar<'a> {
        let enters = all
            .iter()
            .enumerate()
            .filter(|(_, o)| o.retracted.is_none())
            .map(|(place, o)| (known_from(o), place))
            .collect();
        KnownSoFar::new(all, enters, Vec::new())
    }

    /// On the second clock (`--as-recorded`): present once recorded and
    /// known, gone once its retraction was recorded.
    fn as_recorded(all: &'a [Observation]) -> KnownSoFar<'a> {
        let (mut enters, mut leaves) = (Vec::new(), Vec::new());
        for (place, o) in all.iter().enumerate() {
            let known = known_from(o);
            // a time without a day, as in data made by hand, was always there
            let enter = day_of(&o.recorded).map_or(known, |r| r.max(known));
            match &o.retracted {
                None => enters.push((enter, place)),
                Some(r) => match day_of(&r.at) {
                    Some(gone) if gone > enter => {
                        enters.push((enter, place));
                        leaves.push((gone, place));
                    }
                    _ => {} // retracted before it could count
                },
            }
        }
        KnownSoFar::new(all, enters, leaves)
    }

    fn new(
        all: &'a [Observation],
        mut enters: Vec<(NaiveDate, usize)>,
        mut leaves: Vec<(NaiveDate, usize)>,
    ) -> KnownSoFar<'a> {
        enters.sort_unstable();
        leaves.sort_unstable();
        KnownSoFar {
            all,
            enters,
            leaves,
            next_enter: 0,
            next_leave: 0,
            spans: HashMap::new(),
            current: Vec::new(),
            firsts: Vec::new(),
        }
    }

    /// What is present at the end of `date`; dates must not go back.
    fn on(&mut self, date: NaiveDate) -> &[Observation] {
        let mut touched = Vec::new();
        while let Some(&(day, place)) = self.enters.get(self.next_enter) {
            if day > date {
                break;
            }
            self.next_enter += 1;
            let o = &self.all[place];
            let span = o.period.bounds();
            self.spans
                .entry(span)
                .or_default()
                .present
                .insert(((known_from(o), o.id), place));
            touched.push(span);
        }
        // after the entries of the same days: one present only for a while
        while let Some(&(day, place)) = self.leaves.get(self.next_leave) {
            if day > date {
                break;
            }
            self.next_leave += 1;
            let o = &self.all[place];
            let span = o.period.bounds();
            if let Some(s) = self.spans.get_mut(&span) {
                s.present.remove(&((known_from(o), o.id), place));
            }
            touched.push(span);
        }
        touched.sort_unstable();
        touched.dedup();
        for span in touched {
            self.show(span);
        }
        &self.current
    }

    /// Puts a span's latest vintage in its place, or takes it out.
    fn show(&mut self, span: (NaiveDate, NaiveDate)) {
        let Some(s) = self.spans.get_mut(&span) else {
            return;
        };
        if let Some(at) = s.shown_at.take() {
            let i = self.firsts.binary_search(&at).unwrap_or_else(|i| i);
            self.firsts.remove(i);
            self.current.remove(i);
        }
        let first = s.present.iter().map(|(_, place)| *place).min();
        let latest = s.present.last().map(|(_, place)| *place);
        if let (Some(first), Some(latest)) = (first, latest) {
            s.shown_at = Some(first);
            let i = self.firsts.binary_search(&first).unwrap_or_else(|i| i);
            self.firsts.insert(i, first);
            // present: its retraction, if any, does not count yet
            let mut o = self.all[latest].clone();
            o.retracted = None;
            self.current.insert(i, o);
        }
    }
}

impl History {
    /// The status as it evolved, up to the last date replayed.
    pub fn strip(&self) -> super::Strip {
        super::Strip::new(self, self.until)
    }
}

/// Whether the reader would see any change from `a` to `b`.
fn same_view(a: &HistoryRow, b: &HistoryRow) -> bool {
    let latest = |r: &HistoryRow| {
        r.latest
            .as_ref()
            .map(|l| (l.period.clone(), l.value.to_bits(), l.qualifier))
    };
    a.status == b.status
        && a.progress.map(f64::to_bits) == b.progress.map(f64::to_bits)
        && a.method_value.map(f64::to_bits) == b.method_value.map(f64::to_bits)
        && a.method_label == b.method_label
        && latest(a) == latest(b)
}

/// Every dated event of the target, by date.
pub(super) fn events(
    target: &Target,
    indicator: Option<&Indicator>,
    observations: &[Observation],
) -> Vec<(NaiveDate, Vec<Event>)> {
    let mut all: Vec<(NaiveDate, Event)> = Vec::new();
    let unit = indicator.map_or("", |i| i.unit.as_str());
    let stock = indicator.is_some_and(|i| i.measure == Measure::Stock);
    // observations: a first value for a period, or a new vintage of it
    let mut known: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.retracted.is_none())
        .collect();
    known.sort_by_key(|o| (known_from(o), o.id));
    let mut seen: HashMap<(NaiveDate, NaiveDate), (u64, Option<Qualifier>)> = HashMap::new();
    for o in known {
        // vintages of each other as the engine counts them (§2): the same
        // span for a flow, the same instant for a stock
        let key = if stock {
            let instant = if o.period.is_single_day() {
                o.period.start()
            } else {
                o.period.end()
            };
            (instant, instant)
        } else {
            o.period.bounds()
        };
        let value = crate::render::human::qualified(o.value, o.qualifier, unit);
        let source = o.source.citation.as_deref().or(o.source.url.as_deref());
        let exact = (o.value.to_bits(), o.qualifier);
        let event = match seen.insert(key, exact) {
            None => Event::new("published", format!("{} = {value}", o.period), source),
            Some(old) if old == exact => {
                Event::new("confirmed", format!("{} = {value} again", o.period), source)
            }
            Some((old, q)) => {
                let (before, after) = crate::render::human::apart(
                    (f64::from_bits(old), q),
                    (o.value, o.qualifier),
                    unit,
                );
                Event::new(
                    "revised",
                    format!("{} revised: {before} → {after}", o.period),
                    source,
                )
            }
        };
        let mut event = event;
        event.period_end = Some(instant_day(o, stock));
        all.push((known_from(o), event));
    }
    for v in target.versions.iter().skip(1) {
        if let Some(e) = v.effective {
            all.push((
                e,
                Event::new(
                    "target_revised",
                    format!("version {} of the target in force", v.version),
                    v.source.citation.as_deref().or(v.source.url.as_deref()),
                ),
            ));
        }
    }
    // the deadline passes the day after its last day (of the version in
    // force then)
    let mut deadlines: Vec<Period> = target.versions.iter().map(|v| v.deadline).collect();
    deadlines.dedup();
    for d in deadlines {
        if let Some(day) = d.last_day().checked_add_days(Days::new(1))
            && target.version_on(day).deadline == d
        {
            all.push((
                day,
                Event::new(
                    "deadline_passed",
                    format!("the deadline ({d}) passed"),
                    None,
                ),
            ));
        }
    }
    if target.kind == Kind::Milestone {
        if let Some(done) = &target.done {
            all.push((
                done.on,
                Event::new(
                    "completed",
                    "done".to_string(),
                    done.source
                        .citation
                        .as_deref()
                        .or(done.source.url.as_deref()),
                ),
            ));
        }
        for n in &target.not_done {
            all.push((
                n.as_of,
                Event::new(
                    "not_done",
                    "still not done".to_string(),
                    n.source.citation.as_deref().or(n.source.url.as_deref()),
                ),
            ));
        }
    }
    if let Some(w) = &target.withdrawn {
        all.push((
            w.on,
            Event::new(
                "withdrawn",
                format!("withdrawn: {}", w.why),
                w.source.citation.as_deref().or(w.source.url.as_deref()),
            ),
        ));
    }
    all.sort_by_key(|(d, _)| *d);
    let mut out: Vec<(NaiveDate, Vec<Event>)> = Vec::new();
    for (d, e) in all {
        match out.last_mut() {
            Some((last, list)) if *last == d => list.push(e),
            _ => out.push((d, vec![e])),
        }
    }
    out
}

/// The day of an observation's instant (§1): a stock's day value is the
/// start of that day, everything else the end of its period.
pub(super) fn instant_day(o: &Observation, stock: bool) -> NaiveDate {
    if stock && o.period.is_single_day() {
        o.period.start()
    } else {
        o.period.end()
    }
}

/// Adds `more` to `events`, by date.
fn merge(events: &mut Vec<(NaiveDate, Vec<Event>)>, more: Vec<(NaiveDate, Event)>) {
    for (d, e) in more {
        match events.binary_search_by_key(&d, |(x, _)| *x) {
            Ok(i) => events[i].1.push(e),
            Err(i) => events.insert(i, (d, vec![e])),
        }
    }
}

/// What the second clock adds: the days entries and retractions were
/// recorded.
pub(super) fn recording_events(
    target: &Target,
    indicator: Option<&Indicator>,
    observations: &[Observation],
) -> Vec<(NaiveDate, Event)> {
    let unit = indicator.map_or("", |i| i.unit.as_str());
    let mut out = Vec::new();
    for o in observations {
        let value = crate::render::human::qualified(o.value, o.qualifier, unit);
        // an entry made before its publication date counts from then: the
        // event is on the day it came to count (the replay's dates must
        // include it even when a later retraction hides it on the first
        // clock)
        if let Some(d) = day_of(&o.recorded).map(|r| r.max(known_from(o))) {
            let mut e = Event::new(
                "recorded",
                format!("{} = {value} recorded", o.period),
                o.source.citation.as_deref(),
            );
            e.period_end = Some(instant_day(
                o,
                indicator.is_some_and(|i| i.measure == Measure::Stock),
            ));
            out.push((d, e));
        }
        if let Some(r) = &o.retracted
            && let Some(d) = day_of(&r.at)
        {
            out.push((
                d,
                Event::new(
                    "retracted",
                    format!("{} = {value} retracted: {}", o.period, r.why),
                    o.source.citation.as_deref(),
                ),
            ));
        }
    }
    let cite = |s: &crate::model::Source| s.citation.clone().or(s.url.clone());
    if let Some(done) = &target.done
        && let Some(d) = day_of(&done.recorded)
    {
        let e = Event::new(
            "completed",
            format!("completion on {} recorded", done.on),
            cite(&done.source).as_deref(),
        );
        out.push((d, e));
    }
    for n in &target.not_done {
        if let Some(d) = day_of(&n.recorded) {
            let e = Event::new(
                "not_done",
                format!("'not done on {}' recorded", n.as_of),
                cite(&n.source).as_deref(),
            );
            out.push((d, e));
        }
    }
    if let Some(w) = &target.withdrawn
        && let Some(d) = day_of(&w.recorded)
    {
        let e = Event::new(
            "withdrawn",
            format!("withdrawal from {} recorded", w.on),
            cite(&w.source).as_deref(),
        );
        out.push((d, e));
    }
    for v in &target.versions {
        if let Some(d) = day_of(&v.recorded) {
            out.push((
                d,
                Event::new(
                    "target_recorded",
                    format!("version {} of the target recorded", v.version),
                    v.source.citation.as_deref(),
                ),
            ));
        }
    }
    out
}
