//! A report reads on every core: more connections at the first one's
//! snapshot (lanes), each taking slices of the indicators. What must hold:
//! a lane reads the database as the report began reading it, whatever is
//! committed meanwhile; the slices cover every target once, in order; and
//! the error a report (or a diff) meets is the first in reading order,
//! every time.

mod common;

use common::Workdir;
use goalpost::store::{Slice, Store};
use rusqlite::Connection;

/// Indicators in the file, as a connection reads them.
fn indicators(c: &Connection) -> i64 {
    c.query_row("SELECT count(*) FROM indicator", [], |r| r.get(0))
        .unwrap()
}

fn add_indicator(c: &Connection, id: &str) {
    c.execute(
        "INSERT INTO indicator (id, name, unit, measure, higher_is_better)
         VALUES (?1, ?1, 'u', 'stock', 1)",
        [id],
    )
    .unwrap();
}

/// The ids of the targets of `slice`, in the order the report reads them.
fn targets_of(db: &goalpost::store::Db, slice: &Slice) -> Vec<String> {
    let mut ids = Vec::new();
    db.each_indicator_with_vintages(false, slice, Vec::new, |_, targets, _| {
        ids.extend(targets.into_iter().map(|t| t.id));
        Ok(())
    })
    .unwrap();
    ids
}

#[test]
fn a_lane_reads_what_the_report_began_with_when_the_wal_holds_commits() {
    let w = Workdir::seeded();
    // another client, with a commit in the WAL before the report begins
    let other = Connection::open(&w.db).unwrap();
    add_indicator(&other, "before");
    let mut store = Store::open(&w.db, false).unwrap();
    store
        .read(|db| {
            let seen = db.indicators()?.len() as i64;
            add_indicator(&other, "meanwhile");
            assert_eq!(indicators(&other), seen + 1);
            let lanes = db.lanes(2);
            assert_eq!(lanes.len(), 2, "a snapshot to open the lanes at");
            for lane in &lanes {
                assert_eq!(lane.db().indicators()?.len() as i64, seen);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn on_a_wal_with_nothing_in_it_lanes_open_and_read_the_same_file() {
    let w = Workdir::seeded();
    // every connection closed: the WAL was checkpointed away
    let mut store = Store::open(&w.db, false).unwrap();
    store
        .read(|db| {
            let seen = db.indicators()?.len() as i64;
            let lanes = db.lanes(3);
            assert_eq!(lanes.len(), 3);
            for lane in &lanes {
                assert_eq!(lane.db().indicators()?.len() as i64, seen);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn on_a_wal_with_nothing_in_it_a_commit_since_the_report_began_refuses_the_lanes() {
    let w = Workdir::seeded();
    let mut store = Store::open(&w.db, false).unwrap();
    let other = Connection::open(&w.db).unwrap();
    store
        .read(|db| {
            let seen = db.indicators()?.len() as i64;
            add_indicator(&other, "meanwhile");
            assert_eq!(indicators(&other), seen + 1);
            // a lane would read the new indicator: there is none, and the
            // report reads alone what it began with
            assert_eq!(db.lanes(2).len(), 0);
            assert_eq!(db.indicators()?.len() as i64, seen);
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_slices_cover_every_target_once_in_the_order_of_reading_them_all() {
    let w = Workdir::seeded();
    // milestones without an indicator
    for id in ["law-passed", "plan-published"] {
        w.ok(&["target", "add", id, "--milestone", "--deadline", "2027"]);
    }
    // more indicators, and ids that sort among the seed's
    for i in 0..40 {
        let id = format!("m{i:02}");
        w.ok(&["indicator", "add", &id, "--name", &id, "--unit", "u"]);
        w.ok(&[
            "target",
            "add",
            &format!("t-{id}"),
            "--indicator",
            &id,
            "--baseline",
            "2020=1",
            "--value",
            "2",
            "--deadline",
            "2030",
        ]);
    }
    let mut store = Store::open(&w.db, false).unwrap();
    store
        .read(|db| {
            let all = targets_of(db, &Slice::All);
            assert!(all.len() > 60, "{}", all.len());
            // the milestones without an indicator come first
            let milestones = targets_of(db, &Slice::NoIndicator);
            assert_eq!(milestones, ["law-passed", "plan-published"]);
            assert_eq!(all[..milestones.len()], milestones[..]);
            // equal shares, and shares that halve as a report's do
            let uneven = vec![0.25, 0.25, 0.125, 0.125, 0.0625, 0.0625, 0.0625, 0.0625];
            let shares = (1..=9).map(|n| vec![1.0 / n as f64; n]).chain([uneven]);
            for shares in shares {
                let n = shares.len();
                let slices = db.slices(&shares)?;
                if n > 1 {
                    assert!(slices.len() >= n.min(4), "{n}: {slices:?}");
                }
                let read: Vec<String> = slices.iter().flat_map(|s| targets_of(db, s)).collect();
                assert_eq!(read, all, "{shares:?}: {slices:?}");
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn of_two_damaged_copies_the_report_names_the_first_in_reading_order_every_time() {
    let w = Workdir::new();
    let mut csv = String::from("indicator,period,value\n");
    for i in 0..40 {
        let id = format!("d{i:02}");
        w.ok(&["indicator", "add", &id, "--name", &id, "--unit", "u"]);
        w.ok(&[
            "target",
            "add",
            &format!("t{i:02}"),
            "--indicator",
            &id,
            "--baseline",
            "2000=1",
            "--value",
            "9",
            "--deadline",
            "2030",
        ]);
        for year in 2000..2025 {
            csv.push_str(&format!("{id},{year},{}\n", 1 + year % 7));
        }
    }
    let path = w.file("obs.csv", csv);
    w.ok(&["obs", "import", path.to_str().unwrap(), "--quiet"]);
    let c = Connection::open(&w.db).unwrap();
    c.execute_batch("UPDATE series SET rows = X'01FF' WHERE indicator_id IN ('d05', 'd35')")
        .unwrap();
    drop(c);
    for _ in 0..5 {
        let err = w.fails(1, &["report", "--as-of", "2026-11-28", "--format", "json"]);
        assert!(
            err.starts_with("error: the database holds a damaged packed copy of indicator 'd05'"),
            "{err}"
        );
        // the diff reads on every core too
        let err = w.fails(1, &["diff", "--from", "2020-12-31", "--to", "2026-11-28"]);
        assert!(
            err.starts_with("error: the database holds a damaged packed copy of indicator 'd05'"),
            "{err}"
        );
    }
}

/// Read in one pass, each indicator comes with its own targets, and each
/// target's periods are read in its own indicator's year: with indicators
/// without targets before, between and after those with targets (the
/// reader holds only the indicators it still needs).
#[test]
fn in_one_pass_each_target_comes_with_its_own_indicator_and_year() {
    let w = Workdir::new();
    // (id, year start, with a target)
    let indicators = [
        ("a0", "10", false),
        ("b", "07", true),
        ("b1", "04", false),
        ("b2", "01", false),
        ("c", "04", true),
        ("d", "01", true),
        ("d1", "07", false),
        ("e", "10", true),
        ("f", "04", false),
    ];
    for (id, start, target) in indicators {
        w.ok(&[
            "indicator",
            "add",
            id,
            "--name",
            id,
            "--unit",
            "u",
            "--year-start",
            start,
        ]);
        if target {
            w.ok(&[
                "target",
                "add",
                &format!("{id}-t"),
                "--indicator",
                id,
                "--value",
                "2",
                "--baseline",
                "2020=1",
                "--deadline",
                "2025",
            ]);
        }
    }
    let mut store = Store::open(&w.db, false).unwrap();
    let mut seen = Vec::new();
    store
        .read(|db| {
            db.each_indicator_with_vintages(false, &Slice::All, Vec::new, |i, targets, _| {
                let i = i.expect("an indicator");
                for t in targets {
                    // FY2025 ends on the day before its year's first month in 2025
                    let end = t.versions[0].deadline.last_day().to_string();
                    seen.push((i.id.clone(), t.id, end));
                }
                Ok(())
            })
        })
        .unwrap();
    let row = |i: &str, end: &str| (i.to_string(), format!("{i}-t"), end.to_string());
    assert_eq!(
        seen,
        [
            row("b", "2025-06-30"),
            row("c", "2025-03-31"),
            row("d", "2025-12-31"),
            row("e", "2025-09-30"),
        ]
    );
}
