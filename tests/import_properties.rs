//! Issue 13: every importer, fed its fixture damaged at random (cut short,
//! bytes that are not UTF-8 or are Latin-1, huge numbers, cells emptied,
//! headers given twice, quotes and separators where they do not belong),
//! never panics and never writes part of a file: on an error the database
//! is exactly as it was, and a dry run never changes it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use goalpost::import::{self, Format, Options};
use goalpost::store::Store;
use proptest::prelude::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/import")
        .join(rel)
}

/// One damage done to a file.
#[derive(Debug, Clone)]
enum Edit {
    /// Cut the file at this fraction of its length.
    Truncate(f64),
    /// Put these bytes at this fraction of its length.
    Insert(f64, Vec<u8>),
    /// Overwrite one byte.
    Replace(f64, u8),
    /// Empty the cell around this point (up to the next separator).
    Blank(f64),
    /// Give the header's first field twice.
    DuplicateHeader,
}

fn edit() -> impl Strategy<Value = Edit> {
    let nasty = prop_oneof![
        Just(b"\xff".to_vec()),
        Just(b"\xe9".to_vec()),
        Just(b"C\xf4te d'Ivoire".to_vec()),
        Just(b"1e999".to_vec()),
        Just("9".repeat(400).into_bytes()),
        Just(b"-1e-400".to_vec()),
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\n".to_vec()),
        Just(b":".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"- group:\n  - 3\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\0".to_vec()),
    ];
    prop_oneof![
        (0.0..1.0f64).prop_map(Edit::Truncate),
        (0.0..1.0f64, nasty).prop_map(|(at, b)| Edit::Insert(at, b)),
        (0.0..1.0f64, any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (0.0..1.0f64).prop_map(Edit::Blank),
        Just(Edit::DuplicateHeader),
    ]
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let at = |f: f64, len: usize| ((len as f64) * f) as usize;
    match e {
        Edit::Truncate(f) => {
            let n = at(*f, bytes.len());
            bytes.truncate(n);
        }
        Edit::Insert(f, b) => {
            let n = at(*f, bytes.len());
            bytes.splice(n..n, b.iter().copied());
        }
        Edit::Replace(f, b) => {
            if !bytes.is_empty() {
                let n = at(*f, bytes.len()).min(bytes.len() - 1);
                bytes[n] = *b;
            }
        }
        Edit::Blank(f) => {
            let n = at(*f, bytes.len());
            let end = bytes[n..]
                .iter()
                .position(|b| b"\t,\n".contains(b))
                .map_or(bytes.len(), |i| n + i);
            bytes.drain(n..end);
        }
        Edit::DuplicateHeader => {
            let end = bytes
                .iter()
                .position(|b| b"\t,\n".contains(b))
                .unwrap_or(bytes.len());
            let first = bytes[..end].to_vec();
            let mut with = first.clone();
            with.push(b',');
            bytes.splice(0..end, with.into_iter().chain(first));
        }
    }
}

/// A database with something in it already.
fn store() -> Store {
    let mut store = Store::memory().expect("a database");
    let options = Options {
        create: true,
        ..Options::default()
    };
    import::import(
        &mut store,
        Format::SdmxCsv,
        &fixture("sdmx-csv/v2.csv"),
        &options,
        false,
    )
    .expect("the fixture imports");
    store
}

fn dump(store: &mut Store) -> String {
    store.read(|db| db.dump()).expect("dumping")
}

/// Imports `path`; panics if the import panics or changes the database
/// without succeeding, or if a dry run changes it at all.
fn check(format: Format, path: &Path, options: &Options) {
    let mut store = store();
    let before = dump(&mut store);
    let dry = catch_unwind(AssertUnwindSafe(|| {
        import::import(&mut store, format, path, options, true)
    }));
    assert!(dry.is_ok(), "a dry run panicked");
    assert_eq!(dump(&mut store), before, "a dry run changed the database");
    let run = catch_unwind(AssertUnwindSafe(|| {
        import::import(&mut store, format, path, options, false)
    }));
    match run {
        Err(_) => panic!("the import panicked"),
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            assert_eq!(dump(&mut store), before, "a failed import wrote: {message}");
        }
    }
}

fn damaged(rel: &str, edits: &[Edit], dir: &Path, name: &str) -> PathBuf {
    let mut bytes = std::fs::read(fixture(rel)).unwrap();
    for e in edits {
        apply(&mut bytes, e);
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn created() -> Options {
    Options {
        create: true,
        ..Options::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sdmx_csv_damaged_never_panics_nor_writes_half(edits in prop::collection::vec(edit(), 1..4), v2 in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let rel = if v2 { "sdmx-csv/v2-revised.csv" } else { "sdmx-csv/eurostat-v1.csv" };
        let path = damaged(rel, &edits, dir.path(), "f.csv");
        check(Format::SdmxCsv, &path, &created());
    }

    #[test]
    fn world_bank_damaged_never_panics_nor_writes_half(edits in prop::collection::vec(edit(), 1..4), which in 0..3usize) {
        let dir = tempfile::tempdir().unwrap();
        let rel = ["wdi/API_EG.ELC.ACCS.ZS_DS2_en_csv_v2.csv", "wdi/databank.csv", "wdi/data360.csv"][which];
        let path = damaged(rel, &edits, dir.path(), "f.csv");
        check(Format::Wdi, &path, &created());
    }

    #[test]
    fn eurostat_tsv_damaged_never_panics_nor_writes_half(edits in prop::collection::vec(edit(), 1..4)) {
        let dir = tempfile::tempdir().unwrap();
        let path = damaged("eurostat-tsv/sdg_08_10.tsv", &edits, dir.path(), "f.tsv");
        check(Format::EurostatTsv, &path, &created());
    }

    #[test]
    fn opensdg_damaged_never_panics_nor_writes_half(edits in prop::collection::vec(edit(), 1..4), which in 0..6usize) {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let files = [
            "config_data.yml",
            "data/indicator_3-1-1.csv",
            "data/indicator_2-c-1.csv",
            "data/indicator_9-c-1.csv",
            "indicator-config/9-c-1.yml",
            "data/indicator_16-3-1.csv",
            "indicator-config/2-c-1.yml",
            "indicator-config/3-1-1.yml",
            "indicator-config/16-3-1.yml",
            "meta/3-1-1.yml",
            "translations/en/data.yml",
            "translations/en/global_indicators.yml",
        ];
        for f in files {
            let to = repo.join(f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(fixture(&format!("opensdg/sample/{f}")), to).unwrap();
        }
        let target = [0, 1, 2, 3, 4, 10][which];
        damaged(&format!("opensdg/sample/{}", files[target]), &edits, &repo, files[target]);
        check(Format::OpenSdg, &repo, &Options::default());
    }
}

#[test]
fn the_undamaged_fixtures_import() {
    for (format, rel) in [
        (Format::SdmxCsv, "sdmx-csv/eurostat-v1.csv"),
        (Format::Wdi, "wdi/databank.csv"),
        (Format::EurostatTsv, "eurostat-tsv/sdg_08_10.tsv"),
        (Format::OpenSdg, "opensdg/sample"),
    ] {
        let mut store = store();
        let options = if format == Format::OpenSdg {
            Options::default()
        } else {
            created()
        };
        let summary = import::import(&mut store, format, &fixture(rel), &options, false)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(summary.added > 0, "{rel}: {summary:?}");
    }
}
