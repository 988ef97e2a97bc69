//! Bad input, every door (issue 5, part 4): a corpus of inputs that must be
//! refused, each with exit code 1 (2 for a usage error), one `error:` line
//! naming the offending value or file line, no panic, no backtrace, and a
//! database left byte for byte as it was. And the inputs a user
//! legitimately writes, which must pass.

mod common;

use std::path::{Path, PathBuf};

use common::{Workdir, bin, check_refusal, refusal_problem};

/// One bad input: the command (`@NAME` is the file NAME in the work folder),
/// the files it reads, the exit code, and what the error line must contain.
struct Case {
    args: &'static [&'static str],
    files: &'static [(&'static str, &'static [u8])],
    code: i32,
    needle: &'static str,
}

const fn case(args: &'static [&'static str], code: i32, needle: &'static str) -> Case {
    Case {
        args,
        files: &[],
        code,
        needle,
    }
}

const fn with_file(
    args: &'static [&'static str],
    file: &'static [(&'static str, &'static [u8])],
    needle: &'static str,
) -> Case {
    Case {
        args,
        files: file,
        code: 1,
        needle,
    }
}

/// Every entry point that takes a value, a period, an id, a flag or a file.
const CORPUS: &[Case] = &[
    // ---- quantities ----
    case(&["obs", "add", "byn", "2021", "7bnn"], 1, "'7bnn'"),
    case(&["obs", "add", "byn", "2021", "NaN"], 1, "'NaN'"),
    case(&["obs", "add", "byn", "2021", "inf"], 1, "'inf'"),
    case(&["obs", "add", "byn", "2021", "-inf"], 1, "'-inf'"),
    case(&["obs", "add", "byn", "2021", "1e400"], 1, "'1e400': out of range"),
    case(&["obs", "add", "byn", "2021", ""], 1, "invalid quantity ''"),
    case(&["obs", "add", "byn", "2021", "7,5,3"], 1, "'7,5,3'"),
    case(&["obs", "add", "byn", "2021", "7,5"], 1, "'7,5'"),
    case(&["obs", "add", "byn", "2021", "$5"], 1, "'$5': the currency is USD but the indicator's unit is BYN"),
    case(&["obs", "add", "byn", "2021", "seven"], 1, "'seven'"),
    case(&["obs", "add", "byn", "2021", "7.5.3"], 1, "'7.5.3'"),
    case(&["obs", "add", "byn", "2021", "4__000"], 1, "'4__000'"),
    case(&["obs", "add", "byn", "2021", "0x10"], 1, "'0x10'"),
    case(&["obs", "add", "byn", "2021", "--5"], 1, "'--5'"),
    case(&["obs", "add", "usd", "2021", "38%"], 1, "'38%': a percentage"),
    case(&["obs", "add", "pct", "2021", "38%k"], 1, "'38%k'"),
    case(&["obs", "add", "byn", "2021", "1e308bn"], 1, "'1e308bn': out of range"),
    case(&["record", "byn", "2021", "12 apples"], 1, "'12 apples'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bnn", "--deadline", "2025"], 1, "'7bnn'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "€7bn", "--deadline", "2025"], 1, "'€7bn': the currency is EUR"),
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2020=lots", "--value", "7bn", "--deadline", "2025"], 1, "'lots'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--deadline", "2025", "--waypoint", "2022=x"], 1, "'x'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--deadline", "2025", "--waypoint", "2022"], 1, "'2022': expected PERIOD=QUANTITY"),
    case(&["indicator", "add", "x2", "--name", "X", "--unit", "%", "--limit", "NaN"], 1, "'NaN'"),
    case(&["target", "revise", "t1", "--source", "decree", "--value", "inf"], 1, "'inf'"),
    // ---- periods and dates ----
    case(&["obs", "add", "byn", "2021-13", "5"], 1, "invalid period '2021-13': month 13 does not exist"),
    case(&["obs", "add", "byn", "2021-Q5", "5"], 1, "'2021-Q5': quarter Q5 does not exist"),
    case(&["obs", "add", "byn", "2021-02-30", "5"], 1, "'2021-02-30'"),
    case(&["obs", "add", "byn", "2020..2019", "5"], 1, "'2020..2019': the range ends (2019) before it starts (2020)"),
    case(&["obs", "add", "byn", "2021-H3", "5"], 1, "'2021-H3'"),
    case(&["obs", "add", "byn", "21", "5"], 1, "invalid period '21'"),
    case(&["obs", "add", "byn", "2021..2022-07", "5"], 1, "'2021..2022-07': both ends"),
    case(&["obs", "add", "byn", "0000", "5"], 1, "'0000'"),
    case(&["obs", "add", "byn", "2021", "5", "--published", "2022-02-30"], 1, "invalid date '2022-02-30'"),
    case(&["obs", "add", "byn", "2021", "5", "--published", "2022"], 1, "invalid date '2022'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--deadline", "2025-13"], 1, "'2025-13'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--deadline", "2025", "--baseline", "2020-Q0"], 1, "'2020-Q0'"),
    case(&["target", "revise", "t1", "--source", "decree", "--effective", "2023-02-29", "--value", "8bn"], 1, "'2023-02-29'"),
    case(&["target", "done", "m1", "--on", "yesterday"], 1, "invalid date 'yesterday'"),
    case(&["report", "--as-of", "2022-13-01"], 1, "'2022-13-01'"),
    // ---- unknown and duplicate ids ----
    case(&["obs", "add", "nope", "2021", "5"], 1, "no indicator 'nope'"),
    case(&["obs", "add", "bym", "2021", "5"], 1, "no indicator 'bym'; did you mean 'byn'?"),
    case(&["obs", "list", "nope"], 1, "no indicator 'nope'"),
    case(&["indicator", "add", "byn", "--name", "Again", "--unit", "BYN"], 1, "indicator 'byn' already exists"),
    case(&["indicator", "add", "bad id!", "--name", "X", "--unit", "BYN"], 1, "invalid indicator id 'bad id!'"),
    case(&["indicator", "add", "x2", "--name", "X", "--unit", " "], 1, "the unit is empty"),
    case(&["target", "add", "t1", "--indicator", "usd", "--value", "7bn", "--deadline", "2025"], 1, "target 't1' already exists"),
    case(&["target", "add", "-x", "--indicator", "usd", "--value", "7bn", "--deadline", "2025"], 2, "'-x'"),
    case(&["target", "add", "Bad Id", "--indicator", "usd", "--value", "7bn", "--deadline", "2025"], 1, "invalid target id 'Bad Id'"),
    case(&["target", "add", "t2", "--indicator", "nope", "--value", "7bn", "--deadline", "2025"], 1, "no indicator 'nope'"),
    case(&["target", "revise", "t9", "--source", "decree", "--value", "8bn"], 1, "no target 't9'; did you mean 't1'?"),
    case(&["target", "done", "nope", "--on", "2022-10-01"], 1, "no target 'nope'"),
    case(&["show", "nope"], 1, "no target 'nope'"),
    case(&["obs", "retract", "999", "--why", "typo"], 1, "no observation '999'"),
    case(&["obs", "retract", "abc", "--why", "typo"], 1, "invalid observation id 'abc'"),
    case(&["obs", "retract", "2", "--why", "again"], 1, "observation 2 was already retracted"),
    // ---- contradictory or missing flags ----
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--change", "+5%", "--deadline", "2025"], 2, "'--value <VALUE>' cannot be used with '--change <CHANGE>'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn", "--milestone", "--deadline", "2025"], 2, "cannot be used with"),
    case(&["target", "add", "t2", "--indicator", "usd", "--deadline", "2025"], 2, "say what is promised"),
    case(&["target", "add", "t2", "--indicator", "usd", "--value", "7bn"], 2, "needs --deadline"),
    case(&["target", "add", "t2", "--value", "7bn", "--deadline", "2025"], 2, "needs --indicator"),
    case(&["target", "add", "t2", "--indicator", "usd", "--kind", "cumulative", "--value", "30bn", "--deadline", "2025"], 1, "window start"),
    case(&["target", "done", "t1", "--on", "2022-01-01"], 1, "not a milestone"),
    case(&["target", "done", "m1", "--on", "2022-01-01", "--on", "2022-02-01"], 2, "cannot be used multiple times"),
    case(&["target", "revise", "t1", "--source", " ", "--value", "8bn"], 1, "--source"),
    case(&["obs", "add", "byn", "2021", "5", "--qualifier", "roughly"], 1, "invalid qualifier 'roughly'"),
    case(&["obs", "add", "byn", "2021", "5", "--published", "2019-01-01"], 1, "published 2019-01-01, before the period 2021 began"),
    case(&["obs", "retract", "1", "--why", " "], 1, "say why"),
    case(&["obs", "retract", "1"], 2, "--why"),
    case(&["obs", "add", "byn", "2021"], 2, "<VALUE>"),
    case(&["report", "--status", "fine"], 2, "'fine'"),
    case(&["report", "--kind", "vague"], 2, "'vague'"),
    // a method is a built-in one or a profile in the database: an unknown one is a data error
    case(&["report", "--method", "gut"], 1, "no method 'gut'; the methods are eurostat, opensdg, unsd, pace"),
    case(&["report", "--format", "pdf"], 2, "'pdf'"),
    case(&["frobnicate"], 2, "'frobnicate'"),
    // ---- deadlines before baselines; windows and waypoints outside ----
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2025", "--value", "7bn", "--deadline", "2020"], 1, "the deadline 2020 is not after the baseline 2025"),
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2025", "--value", "7bn", "--deadline", "2025"], 1, "the deadline 2025 is not after the baseline 2025"),
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2020", "--value", "7bn", "--deadline", "2025", "--waypoint", "2030=8bn"], 1, "waypoint 2030 is not between"),
    case(&["target", "add", "t2", "--indicator", "usd", "--kind", "cumulative", "--from", "2027", "--value", "30bn", "--deadline", "2025"], 1, "the window starts (2027) after the deadline 2025"),
    case(&["target", "revise", "t1", "--source", "decree", "--deadline", "2019"], 1, "the deadline 2019 is not after the baseline 2020"),
    // ---- changes: pp on a non-percent indicator, missing signs ----
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2020", "--change", "+2pp", "--deadline", "2025"], 1, "'+2pp': percentage points need an indicator in %, not USD"),
    case(&["target", "add", "t2", "--indicator", "pct", "--baseline", "2020", "--change", "+2%pp", "--deadline", "2025"], 1, "'+2%pp'"),
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2020", "--change", "25%", "--deadline", "2025"], 1, "'25%': a change starts with + or -"),
    case(&["target", "add", "t2", "--indicator", "usd", "--baseline", "2020", "--change", "-100%", "--deadline", "2025"], 1, "'-100%'"),
    case(&["target", "add", "t2", "--indicator", "byn", "--baseline", "2020", "--change", "+$5", "--deadline", "2025"], 1, "'+$5'"),
    // ---- CSV files ----
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"byn,2021,5\n")], "a.csv:1:1: unknown columns 'byn', '2021', '5' (expected indicator,period,value,qualifier,source,url,published,note,flags; the first line must be the header)"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,amount\nbyn,2021,5\n")], "a.csv:1:3: unknown column 'amount'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period\nbyn,2021\n")], "a.csv:1: no 'value' column"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value,value\nbyn,2021,5,6\n")], "a.csv:1:4: column 'value' appears twice"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,5\nbyn,2022,5\n\nbyn,2023,5x\nbyn,2024,5\n")], "a.csv:5:3: invalid quantity '5x'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\r\n\r\nbyn,2021,5\r\nbyn,2022-13,5\r\n")], "a.csv:4:2: invalid period '2022-13'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"value,indicator,period\n5,byn,2021\n5,nope,2022\n")], "a.csv:3:2: no indicator 'nope'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,$5\n")], "a.csv:2:3: invalid quantity '$5'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value,qualifier\nbyn,2021,5,roughly\n")], "a.csv:2:4: invalid qualifier 'roughly'"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value,published\nbyn,2021,5,2020-12-31\n")], "a.csv:2:4: published 2020-12-31, before the period 2021 began"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,5\nbyn,2022,5,extra\n")], "a.csv:3: 4 fields where the header has 3"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,5\nbyn,2022\n")], "a.csv:3: 2 fields where the header has 3"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,5\nbyn,2022,\xff\xfe\n")], "a.csv:3: not UTF-8 text"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,\"5\nbyn,2022,6\n")], "a.csv:2: a quoted field opened here is never closed"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"")], "a.csv:1: the file is empty"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"\xef\xbb\xbf\r\n\r\n")], "a.csv:1: the file is empty"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\n,2021,5\n")], "a.csv:2:1: no indicator given"),
    with_file(&["obs", "import", "@a.csv"], &[("a.csv", b"indicator,period,value\nbyn,2021,\"5\n6\"\n")], "a.csv:2:3: invalid quantity '5\\n6'"),
    with_file(&["obs", "import", "@a.csv", "--dry-run"], &[("a.csv", b"indicator,period,value\nbyn,2021,5\nbyn,2021,NaN\n")], "a.csv:3:3: invalid quantity 'NaN'"),
    case(&["obs", "import", "@missing.csv"], 1, "missing.csv"),
    case(&["obs", "import", "@folder"], 1, "folder"),
    // ---- data sets ----
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]\nid = \"x\"\n")], "d.toml:2:"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n")], "missing field `version`"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"# a comment\nversion = 2\n")], "d.toml:2:1: data set version 2 is not supported"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\ncolour = \"red\"\n")], "d.toml:6:1: unknown field `colour`"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\nmeasure = \"level\"\n")], "d.toml:2: invalid measure 'level'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"\"\n")], "d.toml:2: indicator 'x' has an empty unit"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n")], "d.toml:7: indicator 'x' is defined twice"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[indicator]]\nid = \"z\"\nname = \"Z\"\nunit = \"USD\"\n\n[[indicator]]\nname = \"Again\"\nid = \"byn\"\nunit = \"BYN\"\n")], "d.toml:9:1: indicator 'byn' already exists"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nperiod = \"2021\"\nvalue = \"7bnn\"\n")], "d.toml:5:9: observation of 'usd' 2021: invalid quantity '7bnn'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nperiod = \"2021\"\nvalue = nan\n")], "d.toml:2: observation of 'usd' 2021: invalid quantity 'NaN': not finite"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nperiod = \"2021-Q5\"\nvalue = 5\n")], "d.toml:4:10: observation of 'usd' 2021-Q5: invalid period '2021-Q5'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nperiod = \"2021\"\nindicator = \"usb\"\nvalue = 5\n")], "d.toml:4:13: observation of 'usb' 2021: no indicator 'usb'; did you mean 'usd'?"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[target]]\nid = \"t2\"\nindicator = \"usd\"\nvalue = \"7bn\"\nbaseline = \"2025\"\ndeadline = \"2020\"\n")], "d.toml:2: target 't2': the deadline 2020 is not after the baseline 2025"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[target]]\nid = \"t2\"\nindicator = \"usd\"\nchange = \"+2pp\"\nbaseline = \"2020\"\ndeadline = \"2025\"\n")], "d.toml:5:10: target 't2': invalid change '+2pp'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[target]]\nid = \"t2\"\nindicator = \"usd\"\nvalue = \"7bn\"\ndeadline = \"2025\"\nfoo = 1\n")], "d.toml:2: target 't2': unknown field 'foo'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[target]]\nid = \"t1\"\nindicator = \"usd\"\nvalue = \"7bn\"\ndeadline = \"2026\"\n")], "d.toml:3:1: target 't1' already exists"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[target]]\nid = \"t2\"\nindicator = \"usd\"\nvalue = \"7bn\"\ndeadline = \"2026\"\n[[target.revision]]\neffective = \"2023-02-30\"\nvalue = \"8bn\"\n")], "d.toml:8:13: target 't2': invalid date '2023-02-30'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nid = -3\nindicator = \"usd\"\nperiod = \"2021\"\nvalue = 5\n")], "invalid observation id -3"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nid = 1\nperiod = \"2022\"\nvalue = 5\n")], "d.toml:4:1: observation '1' already exists"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nid = 50\nindicator = \"usd\"\nperiod = \"2022\"\nvalue = 5\n[[observation]]\nid = 50\nindicator = \"usd\"\nperiod = \"2023\"\nvalue = 5\n")], "d.toml:8:1: observation of 'usd' 2023: observation id 50 is used twice"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nperiod = \"2021\"\nvalue = 5\nrecorded = \"last week\"\n")], "d.toml:6:12: observation of 'usd' 2021: invalid recorded time 'last week'"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"usd\"\nperiod = \"2021\"\nvalue = 5\nretracted = \"2026-01-01T00:00:00Z\"\n")], "retracted and retracted_why go together"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"version = 1\n\n\xff\n")], "d.toml:3: not UTF-8 text"),
    with_file(&["import", "@d.toml"], &[("d.toml", b"")], "d.toml:1:1: missing field `version`"),
    with_file(&["import", "@d.toml", "--dry-run"], &[("d.toml", b"version = 1\n[[observation]]\nindicator = \"byn\"\nperiod = \"2021\"\nvalue = \"$5\"\n")], "d.toml:5:9: observation of 'byn' 2021: invalid quantity '$5'"),
    case(&["import", "@missing.toml"], 1, "missing.toml"),
    case(&["import", "@folder"], 1, "folder"),
    // ---- files written ----
    case(&["export", "-o", "@no/such/folder/out.toml"], 1, "out.toml"),
    case(&["db", "backup", "@existing.db"], 1, "existing.db already exists"),
    case(&["db", "backup", "@no/such/folder/copy.db"], 1, "copy.db"),
];

/// The database every case runs against: indicators of three units, a
/// target, a milestone, two observations (one retracted).
fn prepared() -> Workdir {
    let w = Workdir::new();
    for args in [
        &["init"][..],
        &[
            "indicator",
            "add",
            "byn",
            "--name",
            "Average wage",
            "--unit",
            "BYN",
        ],
        &[
            "indicator",
            "add",
            "usd",
            "--name",
            "Exports",
            "--unit",
            "USD",
            "--measure",
            "flow",
        ],
        &[
            "indicator",
            "add",
            "pct",
            "--name",
            "Share",
            "--unit",
            "%",
            "--limit",
            "100",
        ],
        &[
            "target",
            "add",
            "t1",
            "--indicator",
            "usd",
            "--baseline",
            "2020=5.8bn",
            "--value",
            "$7bn",
            "--deadline",
            "2025",
        ],
        &[
            "target",
            "add",
            "m1",
            "--milestone",
            "--deadline",
            "2022-10",
            "--title",
            "Plant opens",
        ],
        &[
            "obs",
            "add",
            "usd",
            "2021",
            "6.7bn",
            "--published",
            "2022-02-11",
        ],
        &["obs", "add", "byn", "2021", "1,400"],
        &["obs", "retract", "2", "--why", "typo"],
    ] {
        w.ok(args);
    }
    std::fs::create_dir(w.path("folder")).unwrap();
    std::fs::write(w.path("existing.db"), b"keep me").unwrap();
    w
}

fn expand(w: &Workdir, arg: &str) -> String {
    match arg.strip_prefix('@') {
        Some(name) => w.path(name).display().to_string(),
        None => arg.to_string(),
    }
}

#[test]
fn the_corpus_has_at_least_sixty_bad_inputs_across_every_door() {
    assert!(CORPUS.len() >= 60, "{} cases", CORPUS.len());
    let doors: std::collections::BTreeSet<String> = CORPUS
        .iter()
        .map(|c| c.args.iter().take(2).copied().collect::<Vec<_>>().join(" "))
        .collect();
    for door in [
        "obs add",
        "record byn",
        "obs import",
        "obs retract",
        "obs list",
        "import @d.toml",
        "indicator add",
        "target add",
        "target revise",
        "target done",
        "report --as-of",
        "show nope",
        "export -o",
        "db backup",
    ] {
        assert!(doors.contains(door), "no case for {door}: {doors:?}");
    }
}

#[test]
fn every_bad_input_is_refused_with_one_error_line_and_changes_nothing() {
    let w = prepared();
    let dump = w.dump();
    let bytes = w.db_bytes();
    assert!(!bytes.is_empty());
    let mut failures = Vec::new();
    for c in CORPUS {
        for (name, contents) in c.files {
            std::fs::write(w.path(name), contents).unwrap();
        }
        let args: Vec<String> = c.args.iter().map(|a| expand(&w, a)).collect();
        let out = w.cmd().args(&args).output().expect("running goalpost");
        let what = format!("goalpost {}", c.args.join(" "));
        if let Some(problem) = refusal_problem(&out, c.code, c.needle) {
            failures.push(format!("{what}: {problem}"));
        } else if !out.stdout.is_empty() {
            let stdout = String::from_utf8_lossy(&out.stdout);
            failures.push(format!("{what}: printed {stdout:?}"));
        }
        if w.dump() != dump || w.db_bytes() != bytes {
            failures.push(format!("{what}: changed the database"));
        }
    }
    assert_eq!(
        std::fs::read(w.path("existing.db")).unwrap(),
        b"keep me",
        "a backup overwrote a file"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CORPUS.len(),
        failures.join("\n")
    );
}

/// A database path that is not a usable goalpost database.
struct BadDb {
    what: &'static str,
    make: fn(&Path) -> PathBuf,
    needle: &'static str,
}

fn garbage(dir: &Path) -> PathBuf {
    let p = dir.join("garbage.db");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&p, bytes).unwrap();
    p
}

fn text_file(dir: &Path) -> PathBuf {
    let p = dir.join("notes.db");
    std::fs::write(&p, "this is not a database\n").unwrap();
    p
}

/// A real goalpost database cut short: its later pages are gone.
fn truncated(dir: &Path) -> PathBuf {
    let w = Workdir::new();
    let mut data = String::from("version = 1\n");
    for i in 0..60 {
        data.push_str(&format!(
            "[[indicator]]\nid = \"i{i}\"\nname = \"{}\"\nunit = \"USD\"\n",
            "x".repeat(500)
        ));
    }
    let file = w.file("d.toml", data);
    w.ok(&["import", file.to_str().unwrap()]);
    let bytes = w.db_bytes();
    assert!(bytes.len() > 8 * 4096, "{} bytes", bytes.len());
    let p = dir.join("truncated.db");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    p
}

/// Valid SQLite header, garbage schema page.
fn corrupt_schema(dir: &Path) -> PathBuf {
    let w = Workdir::new();
    w.ok(&["init"]);
    let mut bytes = w.db_bytes();
    for b in &mut bytes[100..1000] {
        *b = 0xA5;
    }
    let p = dir.join("corrupt.db");
    std::fs::write(&p, &bytes).unwrap();
    p
}

fn directory(dir: &Path) -> PathBuf {
    let p = dir.join("a-folder.db");
    std::fs::create_dir(&p).unwrap();
    p
}

fn under_a_file(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("plain-file"), "x").unwrap();
    dir.join("plain-file").join("goalpost.db")
}

fn newer_schema(dir: &Path) -> PathBuf {
    let p = dir.join("newer.db");
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
        .unwrap();
    p
}

fn another_programs(dir: &Path) -> PathBuf {
    let p = dir.join("other.db");
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ann');")
        .unwrap();
    p
}

fn missing(dir: &Path) -> PathBuf {
    dir.join("never-made.db")
}

const BAD_DATABASES: &[BadDb] = &[
    BadDb {
        what: "random bytes",
        make: garbage,
        needle: "file is not a database",
    },
    BadDb {
        what: "a text file",
        make: text_file,
        needle: "file is not a database",
    },
    BadDb {
        what: "a truncated database",
        make: truncated,
        needle: "malformed",
    },
    BadDb {
        what: "a corrupt schema page",
        make: corrupt_schema,
        needle: "corrupt.db",
    },
    BadDb {
        what: "a directory",
        make: directory,
        needle: "is a directory, not a database file",
    },
    BadDb {
        what: "a path under a file",
        make: under_a_file,
        needle: "plain-file",
    },
    BadDb {
        what: "a newer schema",
        make: newer_schema,
        needle: "schema version 99 is newer than this goalpost understands (",
    },
    BadDb {
        what: "another program's database",
        make: another_programs,
        needle: "not a goalpost database",
    },
];

/// A snapshot of a path: a folder (with how many entries), a file (with
/// its bytes), or nothing.
#[derive(Debug, PartialEq)]
enum State {
    Folder(usize),
    File(Vec<u8>),
    Absent,
}

fn state(p: &Path) -> State {
    if p.is_dir() {
        State::Folder(std::fs::read_dir(p).unwrap().count())
    } else {
        std::fs::read(p).map_or(State::Absent, State::File)
    }
}

#[test]
fn an_unusable_database_file_is_refused_by_every_command_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.toml");
    std::fs::write(&data, "version = 1\n").unwrap();
    let csv = dir.path().join("o.csv");
    std::fs::write(&csv, "indicator,period,value\n").unwrap();
    let commands: &[&[&str]] = &[
        &["init"],
        &["report"],
        &["indicator", "list"],
        &["indicator", "add", "x", "--name", "X", "--unit", "USD"],
        &["obs", "add", "x", "2021", "5"],
        &["obs", "import", csv.to_str().unwrap()],
        &["import", data.to_str().unwrap()],
        &["export"],
        &["db", "check"],
    ];
    for bad in BAD_DATABASES {
        let db = (bad.make)(dir.path());
        let before = state(&db);
        for args in commands {
            let out = std::process::Command::new(bin())
                .arg("--db")
                .arg(&db)
                .args(*args)
                .env_remove("GOALPOST_DB")
                .output()
                .unwrap();
            let what = format!("{} with {args:?}", bad.what);
            check_refusal(&out, 1, &what, bad.needle);
            assert!(state(&db) == before, "{what} changed the file");
        }
    }
}

#[test]
fn a_missing_database_is_not_created_by_a_command_that_only_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = missing(dir.path());
    for args in [
        &["report"][..],
        &["obs", "list"],
        &["export"],
        &["db", "check"],
        &["target", "list"],
    ] {
        let out = std::process::Command::new(bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("GOALPOST_DB")
            .output()
            .unwrap();
        check_refusal(
            &out,
            1,
            &format!("{args:?}"),
            "does not exist (create it with 'goalpost init'",
        );
        assert!(!db.exists(), "{args:?} created the database");
    }
}

/// Every file and folder under `dir` (symbolic links not followed), with
/// its contents: what a refused command must leave as it was.
fn tree(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            let to = std::fs::read_link(&p).unwrap();
            out.push((p, format!("link to {}", to.display())));
        } else if meta.is_dir() {
            out.push((p.clone(), "folder".into()));
            out.extend(tree(&p));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, format!("{} bytes {bytes:?}", bytes.len())));
        }
    }
    out
}

/// A database path that no one can open, root included (permission bits
/// do not keep root out, so a mode-000 file would test nothing here): a
/// symbolic link to itself, a folder, a file that is not SQLite, and a
/// path under a regular file. Reading and writing commands alike exit 1
/// with one `error:` line that names the path, and the folder is left as
/// it was.
#[test]
fn a_database_path_no_one_can_open_is_refused_naming_it_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("loop.db", d.join("loop.db")).unwrap();
    std::fs::create_dir(d.join("folder.db")).unwrap();
    std::fs::write(d.join("text.db"), "this is not a database\n").unwrap();
    std::fs::write(d.join("plain-file"), "x").unwrap();
    let data = d.join("d.toml");
    std::fs::write(
        &data,
        "version = 1\n[[indicator]]\nid = \"x\"\nname = \"X\"\nunit = \"USD\"\n",
    )
    .unwrap();
    let paths = [
        d.join("loop.db"),
        d.join("folder.db"),
        d.join("text.db"),
        d.join("plain-file").join("goalpost.db"),
    ];
    let commands: &[&[&str]] = &[
        &["report"],
        &["obs", "add", "x", "2021", "5"],
        &["init"],
        &["import", data.to_str().unwrap()],
    ];
    let before = tree(d);
    for db in &paths {
        for args in commands {
            let out = std::process::Command::new(bin())
                .arg("--db")
                .arg(db)
                .args(*args)
                .env_remove("GOALPOST_DB")
                .output()
                .unwrap();
            let what = format!("--db {} {args:?}", db.display());
            check_refusal(&out, 1, &what, db.to_str().unwrap());
            assert_eq!(tree(d), before, "{what} changed the folder");
        }
    }
}

#[test]
fn inputs_users_legitimately_write_are_accepted() {
    let w = Workdir::new();
    w.ok(&[
        "indicator",
        "add",
        "bal",
        "--name",
        "Trade balance — сальдо",
        "--unit",
        "USD",
        "--measure",
        "flow",
        "--entity",
        "Беларусь",
    ]);
    w.ok(&[
        "indicator",
        "add",
        "jobs",
        "--name",
        "Jobs 🏭",
        "--unit",
        "jobs",
    ]);
    w.ok(&[
        "indicator",
        "add",
        "share",
        "--name",
        "Share",
        "--unit",
        "%",
        "--limit",
        "100",
    ]);
    w.ok(&[
        "target",
        "add",
        "t",
        "--indicator",
        "jobs",
        "--baseline",
        "2020=1_000",
        "--change",
        "+4,000",
        "--deadline",
        "2025",
        "--title",
        "4 000 рабочих мест — ‘FEZ Minsk’ ✓",
    ]);
    w.ok(&[
        "target",
        "add",
        "s",
        "--indicator",
        "share",
        "--baseline",
        "2020=38%",
        "--change",
        "+2pp",
        "--deadline",
        "2025",
    ]);
    for (period, value) in [
        ("2016", "-3.5bn"),
        ("2017", "-$1,234,567.5"),
        ("2018", "5.2e9"),
        ("2019", "−2bn"),
        ("2020-H1", "$-0.5bn"),
        ("2020-Q3", ".5m"),
        ("2020-11", "+12"),
        ("2020-12-31", "0"),
        ("2016..2020", "-26tn"),
    ] {
        w.ok(&["obs", "add", "bal", period, value]);
    }
    w.ok(&[
        "obs",
        "add",
        "jobs",
        "2021",
        "4,000",
        "--qualifier",
        "≈",
        "--source",
        "БелТА, 11.02.2022",
        "--note",
        "«около 4 тыс.»",
    ]);
    w.ok(&[
        "obs",
        "add",
        "jobs",
        "2022",
        "4_000",
        "--qualifier",
        "more-than",
    ]);
    w.ok(&["record", "share", "2021", "38.5%"]);
    let csv = w.file(
        "obs.csv",
        "\u{feff}Indicator,Period,Value,Qualifier,Source,Note\r\n\
         \r\n\
         jobs,2023,\"4,100\",at_least,\"Minstat, table 3\",\"two\r\nlines, with “quotes” and \"\"doubled\"\" ones\"\r\n\
         \r\n\
         jobs,2024-Q1,4_200,,,\r\n\
         bal,2022-01..2022-08,-5.2e9,,,Ünïcödé ✓\r\n\
         \r\n",
    );
    let out = w.ok(&["obs", "import", csv.to_str().unwrap()]);
    assert_eq!(
        out,
        format!(
            "imported 3 observations from {} as batch 1\n",
            csv.display()
        )
    );
    let json: serde_json::Value =
        serde_json::from_str(&w.ok(&["obs", "list", "--history", "--format", "json"])).unwrap();
    let values: Vec<(String, String, f64)> = json["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["indicator"].as_str().unwrap().to_string(),
                o["period"].as_str().unwrap().to_string(),
                o["value"].as_f64().unwrap(),
            )
        })
        .collect();
    for want in [
        ("bal", "2016", -3.5e9),
        ("bal", "2017", -1_234_567.5),
        ("bal", "2018", 5.2e9),
        ("bal", "2019", -2e9),
        ("bal", "2020-H1", -0.5e9),
        ("bal", "2020-Q3", 0.5e6),
        ("bal", "2020-11", 12.0),
        ("bal", "2020-12-31", 0.0),
        ("bal", "2016..2020", -26e12),
        ("jobs", "2021", 4000.0),
        ("jobs", "2022", 4000.0),
        ("share", "2021", 38.5),
        ("jobs", "2023", 4100.0),
        ("jobs", "2024-Q1", 4200.0),
        ("bal", "2022-01..2022-08", -5.2e9),
    ] {
        let found = values
            .iter()
            .any(|(i, p, v)| i == want.0 && p == want.1 && *v == want.2);
        assert!(found, "{want:?} not stored: {values:?}");
    }
    let note = json["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["period"] == "2023")
        .unwrap()["note"]
        .clone();
    assert_eq!(note, "two\r\nlines, with “quotes” and \"doubled\" ones");
    let targets = w.ok(&["target", "list", "--format", "json"]);
    assert!(
        targets.contains("4 000 рабочих мест — ‘FEZ Minsk’ ✓"),
        "{targets}"
    );
    let indicators = w.ok(&["indicator", "list"]);
    assert!(
        indicators.contains("Trade balance — сальдо"),
        "{indicators}"
    );
    // and every view of them renders
    for format in ["table", "markdown", "csv", "json"] {
        w.ok(&["report", "--as-of", "2025-06-30", "--format", format]);
        w.ok(&["obs", "list", "--history", "--format", format]);
    }
}

#[test]
fn a_data_set_with_comments_unicode_and_crlf_is_accepted() {
    let w = Workdir::new();
    let data = w.file(
        "d.toml",
        "# a comment\r\nversion = 1\r\n\r\n[[indicator]]\r\nid = \"fez-jobs\" # inline comment\r\nname = \"Рабочие места 🏭\"\r\nunit = \"jobs\"\r\n\r\n[[observation]]\r\nindicator = \"fez-jobs\"\r\nperiod = \"2021\"\r\nvalue = \"-4,000\"\r\nnote = \"\"\"multi\r\nline\"\"\"\r\n\r\n[[observation]]\r\nindicator = \"fez-jobs\"\r\nperiod = \"2022\"\r\nvalue = 4_000\r\n",
    );
    let out = w.ok(&["import", data.to_str().unwrap()]);
    assert_eq!(
        out,
        "imported 1 indicators, 0 targets, 2 observations as batch 1\n"
    );
    let indicators = w.ok(&["indicator", "list", "--format", "json"]);
    assert!(indicators.contains("Рабочие места 🏭"), "{indicators}");
    let json: serde_json::Value =
        serde_json::from_str(&w.ok(&["obs", "list", "--format", "json"])).unwrap();
    let obs = json["observations"].as_array().unwrap();
    assert_eq!(obs[0]["value"], -4000.0);
    assert_eq!(obs[0]["note"], "multi\r\nline");
    assert_eq!(obs[1]["value"], 4000.0);
}

/// A target's value written by another client as the wrong type (a blob
/// where a period belongs, text that is not UTF-8) is an error naming the
/// column and the type found, never a default: the targets' columns are
/// read borrowed, and their errors are the ones reading them owned gives.
#[test]
fn a_target_value_of_the_wrong_type_is_an_error_naming_its_column() {
    let w = Workdir::seeded();
    let c = rusqlite::Connection::open(&w.db).unwrap();
    // as a client that does not hold to the schema's checks might write
    c.execute_batch("PRAGMA ignore_check_constraints = 1")
        .unwrap();
    let target: String = c
        .query_row("SELECT target_id FROM target_version LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let edit = |set: &str| {
        c.execute(
            &format!("UPDATE target_version SET {set} WHERE target_id = ?1 AND version = 1"),
            [&target],
        )
        .unwrap();
    };
    edit("deadline = X'32303235'");
    let err = w.fails(1, &["report", "--as-of", "2026-01-01"]);
    assert!(
        err.contains("Invalid column type Blob at index: 7, name: deadline"),
        "{err}"
    );
    edit("deadline = '2030', goal = CAST(X'ff32' AS TEXT)");
    let err = w.fails(1, &["report", "--as-of", "2026-01-01"]);
    assert!(err.contains("invalid utf-8 sequence"), "{err}");
    assert!(err.contains("at index 3"), "{err}");
}
