#!/usr/bin/env python3
"""Benchmark goalpost on a statistics office's portfolio against what a
user would otherwise run for the same work (shared/bench/README.md): the
sqlite3 command-line shell on goalpost's own schema, and the pandas script
reference.py. Not a test (nothing is asserted); run it by hand:

    python3 bench/portfolio.py              # 1k, 10k and 30k indicators
    python3 bench/portfolio.py 10000        # one size
    python3 bench/portfolio.py --runs 7 1000

It builds the release binary, generates each portfolio with gen.py (N
indicators with 35 years of yearly values and revised vintages, one level
target each) and times each command and its anchor alternately, A B A B,
in the same run (machines are noisy: the ratio of paired runs is what
means something), after one untimed run of each and with the disk
settled (os.sync) first; point commands (obs add, show) get five times as
many pairs. Times are taken on the command's own process; its peak memory
(maximum resident set size) on one more run under GNU time. It prints,
per size, the median time and the peak of each side and the median of
the paired ratios. Needs sqlite3 (apt-get install sqlite3) and, for the report's
anchor, pandas (pip install pandas); gen.py and reference.py are looked
for in ../shared/bench beside the repository, or in --anchors DIR.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'goalpost')
AS_OF = '2026-11-28'


TIME = '/usr/bin/time'
PEAK = os.path.join(tempfile.gettempdir(), f'goalpost-bench-peak-{os.getpid()}')


# pairs of a point command (obs add, show) for each pair of the others
POINT_RUNS = 5

# whether measure() takes a peak instead of a time (see alternate)
PEAK_RUN = [False]


def measure(argv, stdout=subprocess.DEVNULL, stdin=None):
    """Runs argv; returns (seconds, None), or in a peak run (None, peak RSS
    in MiB of that process alone). A time is taken on the process itself:
    run under GNU time, the 10k JSON report took 64 ms instead of 57, a
    cost that falls on the faster side of a pair. The peak comes from GNU
    time, whose own small process is the parent: a child forked from this
    Python process would start with its size."""
    if PEAK_RUN[0]:
        argv = [TIME, '-f', '%M', '-o', PEAK, *argv]
    start = time.perf_counter()
    r = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, stdin=stdin)
    seconds = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f'{" ".join(argv)} failed ({r.returncode}): {r.stderr.decode(errors="replace").strip()}')
    if not PEAK_RUN[0]:
        return seconds, None
    with open(PEAK) as f:
        kib = int(f.read().split()[-1])
    return None, kib / 1024


def peak_of(run):
    """The peak memory of one more `run` (a call of measure)."""
    PEAK_RUN[0] = True
    try:
        return run()[1]
    finally:
        PEAK_RUN[0] = False


def goalpost(db, *args):
    return [BIN, '--db', db, *args]


def sqlite(db, sql=None, json=False):
    argv = ['sqlite3', *(['-json'] if json else []), db]
    if sql is not None:
        argv.append(sql)
    return argv


class Pair:
    """A goalpost command and its anchor, run alternately."""

    def __init__(self, label, anchor_label, goal, ratio_kind):
        self.label, self.anchor_label, self.goal, self.kind = label, anchor_label, goal, ratio_kind
        self.ours, self.theirs = [], []
        self.ours_peak = self.theirs_peak = None

    def ratio(self):
        """The median over pairs: 'rows/s' is anchor time / ours (a share of
        the anchor's speed), 'faster' likewise (times faster), 'slower' is
        ours / anchor (times the anchor's time)."""
        ratios = []
        for (a, _), (b, _) in zip(self.ours, self.theirs):
            ratios.append(a / b if self.kind == 'slower' else b / a)
        return statistics.median(ratios) if ratios else None


def median(runs, i):
    return statistics.median(r[i] for r in runs)


def settle():
    """Has the system write out what earlier steps left it to write (an
    import writes about 100 MB at 10k, a copy of a database as much): a
    command timed while the kernel writes that back to disk on the same
    two cores is timed against the disk. Both sides of a pair settle."""
    os.sync()


def alternate(pair, runs, ours, theirs, prepare=None):
    # one untimed run of each side first: what a first run pays (files
    # read into the page cache, a cold interpreter) is no part of a pair
    for side, run in (('ours', ours), ('theirs', theirs)):
        if run:
            if prepare:
                prepare(side)
            run()
    settle()
    for _ in range(runs):
        if prepare:
            prepare('ours')
            settle()
        pair.ours.append(ours())
        if theirs:
            if prepare:
                prepare('theirs')
                settle()
            pair.theirs.append(theirs())
    # and one more run of each side for its peak memory
    if prepare:
        prepare('ours')
    pair.ours_peak = peak_of(ours)
    if theirs:
        if prepare:
            prepare('theirs')
        pair.theirs_peak = peak_of(theirs)


def bench(n, runs, anchors, keep):
    folder = tempfile.mkdtemp(prefix=f'goalpost-bench-{n}-')
    try:
        return bench_in(folder, n, runs, anchors)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def bench_in(folder, n, runs, anchors):
    subprocess.run([sys.executable, os.path.join(anchors, 'gen.py'), folder, str(n)], check=True,
                   stderr=subprocess.DEVNULL)
    obs_csv = os.path.join(folder, 'obs.csv')
    rows = sum(1 for _ in open(obs_csv)) - 1
    base = os.path.join(folder, 'base.db')
    full = os.path.join(folder, 'full.db')
    work = os.path.join(folder, 'work.db')
    anchor_sql = os.path.join(folder, 'anchor.sql')
    subprocess.run(goalpost(base, 'import', os.path.join(folder, 'portfolio.toml')), check=True,
                   stdout=subprocess.DEVNULL)
    shutil.copy(base, full)
    subprocess.run(goalpost(full, 'obs', 'import', '--quiet', obs_csv), check=True, stdout=subprocess.DEVNULL)
    # the same rows into the same table by the sqlite3 shell: a staging
    # table, then one INSERT in one transaction, foreign keys on, WAL
    with open(anchor_sql, 'w') as f:
        f.write(f"""PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
CREATE TEMP TABLE csv_in (indicator TEXT, period TEXT, value TEXT, published TEXT);
.import --csv --skip 1 '{obs_csv}' csv_in
INSERT INTO observation (indicator_id, period, period_start, period_end, value, published, recorded,
                         grain, start_day, end_day, published_day)
SELECT indicator, period, period || '-01-01', (period + 1) || '-01-01', CAST(value AS REAL),
       nullif(published, ''), '2026-01-01T00:00:00Z', 0,
       CAST(julianday(period || '-01-01') - 1721424.5 AS INTEGER),
       CAST(julianday((period + 1) || '-01-01') - 1721424.5 AS INTEGER),
       CAST(julianday(nullif(published, '')) - 1721424.5 AS INTEGER)
FROM csv_in;
COMMIT;
""")

    def fresh(src):
        def prepare(_side):
            for suffix in ('', '-wal', '-shm'):
                if os.path.exists(work + suffix):
                    os.remove(work + suffix)
            if src:
                shutil.copy(src, work)
        return prepare

    pairs = []
    # obs import
    p = Pair('`obs import obs.csv`', 'sqlite3 `.import` into goalpost\'s observation table', '≥ 0.5× the rows/s',
             'rows/s')
    alternate(p, runs,
              lambda: measure(goalpost(work, 'obs', 'import', '--quiet', obs_csv)),
              lambda: measure(sqlite(work), stdin=open(anchor_sql)),
              prepare=fresh(base))
    pairs.append(p)
    # the report, against pandas
    ref = [sys.executable, os.path.join(anchors, 'reference.py'), folder]
    have_pandas = subprocess.run([sys.executable, '-c', 'import pandas'], capture_output=True).returncode == 0
    for label, args in [('`report --format json`', ['--format', 'json']), ('`report`', [])]:
        p = Pair(label, '`reference.py` (pandas)', '≥ 10× faster', 'faster')
        alternate(p, runs,
                  lambda: measure(goalpost(full, 'report', '--as-of', AS_OF, *args)),
                  (lambda: measure(ref)) if have_pandas else None)
        pairs.append(p)
    # one obs add, against one INSERT
    day = 744_000  # any day: the row only has to be valid
    p = Pair('one `obs add`', 'one sqlite3 INSERT', '≤ 1.2×', 'slower')
    shutil.copy(full, work)
    insert = ("PRAGMA foreign_keys = ON; INSERT INTO observation (indicator_id, period, period_start, period_end, "
              "value, recorded, grain, start_day, end_day) VALUES ('ind00001', '2040', '2040-01-01', '2041-01-01', "
              f"5, '2026-01-01T00:00:00Z', 0, {day}, {day + 366});")
    # a point command takes milliseconds, timed to a tenth of one: more
    # pairs for a steady median, at little cost
    alternate(p, POINT_RUNS * runs,
              lambda: measure(goalpost(work, 'obs', 'add', 'ind00001', '2040', '5')),
              lambda: measure(sqlite(work, sql=insert)))
    pairs.append(p)
    # show, against the two indexed SELECTs it needs
    t = f't{n // 2:05d}'
    i = f'ind{n // 2:05d}'
    p = Pair(f'`show {t}`', 'two indexed SELECTs (sqlite3)', '≤ 3×', 'slower')
    selects = (f"SELECT * FROM target t JOIN target_version v ON v.target_id = t.id WHERE t.id = '{t}'; "
               f"SELECT * FROM observation WHERE indicator_id = '{i}' ORDER BY id;")
    alternate(p, POINT_RUNS * runs,
              lambda: measure(goalpost(full, 'show', t, '--as-of', AS_OF)),
              lambda: measure(sqlite(full, sql=selects)))
    pairs.append(p)
    # a whole data set
    p = Pair('`import portfolio.toml`', '—', '≤ 1 s, linear', None)
    toml = os.path.join(folder, 'portfolio.toml')
    alternate(p, runs, lambda: measure(goalpost(work, 'import', toml)), None, prepare=fresh(None))
    pairs.append(p)
    # the HTML page: its time against the JSON report's, and its size
    page = os.path.join(folder, 'report.html')
    p = Pair('`report --format html`', 'the JSON report', '≤ 25 MB, ≤ 3× the JSON time', 'slower')

    def html():
        with open(page, 'w') as out:
            return measure(goalpost(full, 'report', '--as-of', AS_OF, '--format', 'html'), stdout=out)
    alternate(p, runs, html, lambda: measure(goalpost(full, 'report', '--as-of', AS_OF, '--format', 'json')))
    p.note = f'page {os.path.getsize(page) / 1e6:.1f} MB'
    pairs.append(p)
    # every vintage as JSON, against the sqlite3 shell's JSON of the same rows
    p = Pair('`obs list --history --format json`', '`sqlite3 -json`', '≤ 2×', 'slower')
    listing = ("SELECT o.id, o.indicator_id AS indicator, i.unit, o.period, o.value, o.qualifier, "
               "s.citation AS source, s.url, o.published, o.note, o.recorded, o.retracted, o.retracted_why "
               "FROM observation o JOIN indicator i ON i.id = o.indicator_id "
               "LEFT JOIN source s ON s.id = o.source_id ORDER BY o.indicator_id, o.id")
    alternate(p, runs,
              lambda: measure(goalpost(full, 'obs', 'list', '--history', '--format', 'json')),
              lambda: measure(sqlite(full, sql=listing, json=True)))
    pairs.append(p)
    # the stocktake: a diff over the whole portfolio (two reports), against
    # one JSON report
    p = Pair('`diff` over a year', 'the JSON report', 'about one or two reports', 'slower')
    year_before = f'{int(AS_OF[:4]) - 1}{AS_OF[4:]}'
    alternate(p, runs,
              lambda: measure(goalpost(full, 'diff', '--from', year_before, '--to', AS_OF, '--format', 'json')),
              lambda: measure(goalpost(full, 'report', '--as-of', AS_OF, '--format', 'json')))
    pairs.append(p)
    # the history of one target with 10,000 vintages, against its report
    vintages = os.path.join(folder, 'vintages.db')
    if not os.path.exists(vintages):
        make_vintages(vintages)
    p = Pair('`history` of one target, 10,000 vintages', 'its `report`', 'about one or two reports',
             'slower')
    alternate(p, runs,
              lambda: measure(goalpost(vintages, 'history', 't', '--until', AS_OF, '--format', 'json')),
              lambda: measure(goalpost(vintages, 'report', '--as-of', AS_OF, '--format', 'json')))
    pairs.append(p)
    # the other commands, for their peak memory
    extras = []
    for label, args in [('`report --format csv`', ['report', '--as-of', AS_OF, '--format', 'csv']),
                        ('`obs list` (table)', ['obs', 'list']),
                        ('`target list`', ['target', 'list']),
                        ('`indicator list`', ['indicator', 'list']),
                        ('`export`', ['export'])]:
        run = lambda: measure(goalpost(full, *args))  # noqa: E731
        extras.append((label, (run()[0], peak_of(run))))
    return n, rows, pairs, extras


def make_vintages(db):
    """One indicator with 25 yearly values each revised 400 times (one
    vintage a day from the year's end) and one level target on it."""
    subprocess.run(goalpost(db, 'init'), check=True, capture_output=True)
    subprocess.run(goalpost(db, 'indicator', 'add', 'x', '--name', 'X', '--unit', 'count'), check=True,
                   capture_output=True)
    subprocess.run(goalpost(db, 'target', 'add', 't', '--indicator', 'x', '--value', '2000', '--baseline',
                            '2000', '--deadline', '2030'), check=True, capture_output=True)
    import datetime
    lines = ['indicator,period,value,published']
    for year in range(2000, 2025):
        end = datetime.date(year, 12, 31)
        for i in range(400):
            value = 1000 + 30 * (year - 2000) + (i * 37 % 41) - 20
            lines.append(f'x,{year},{value},{end + datetime.timedelta(days=i)}')
    csv = db + '.csv'
    with open(csv, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    subprocess.run(goalpost(db, 'obs', 'import', '--quiet', csv), check=True, capture_output=True)


def show(n, rows, pairs, extras):
    print(f'\n{n:,} indicators and targets, {rows:,} observations\n')
    print('| command | goalpost | the same work by | anchor | ratio | goal |')
    print('| --- | ---: | --- | ---: | ---: | --- |')
    for p in pairs:
        ours = f'{median(p.ours, 0):.3f} s, {p.ours_peak:.0f} MiB'
        theirs = f'{median(p.theirs, 0):.3f} s, {p.theirs_peak:.0f} MiB' if p.theirs else '—'
        r = p.ratio()
        ratio = {'rows/s': f'{r:.2f}× the rows/s', 'faster': f'{r:.1f}× faster',
                 'slower': f'{r:.2f}×'}.get(p.kind, '—') if r is not None else '—'
        if getattr(p, 'note', None):
            ratio += f' ({p.note})'
        print(f'| {p.label} | {ours} | {p.anchor_label} | {theirs} | {ratio} | {p.goal} |')
    print('\nPeak memory of the other commands: ' + '; '.join(
        f'{label} {seconds:.2f} s, {mib:.0f} MiB' for label, (seconds, mib) in extras))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('sizes', nargs='*', type=int, default=[1000, 10_000, 30_000])
    ap.add_argument('--runs', type=int, help='paired runs per measurement (default 5; 3 above 10k)')
    ap.add_argument('--anchors', default=os.path.join(ROOT, '..', 'shared', 'bench'),
                    help='the folder of gen.py and reference.py')
    ap.add_argument('--keep', action='store_true', help='keep the generated folders')
    a = ap.parse_args()
    for tool, package in [('sqlite3', 'sqlite3'), (TIME, 'time')]:
        if shutil.which(tool) is None:
            sys.exit(f'{tool} is needed: apt-get install -y {package}')
    subprocess.run(['cargo', 'build', '--release', '--quiet'], cwd=ROOT, check=True)
    for n in a.sizes:
        runs = a.runs or (5 if n <= 10_000 else 3)
        show(*bench(n, runs, a.anchors, a.keep))


if __name__ == '__main__':
    main()
