#!/usr/bin/env python3
"""Benchmark goalpost on generated databases: wall time and peak memory of
the main commands at growing sizes. Not a test (nothing is asserted); run it
by hand and compare the table between versions:

    python3 bench/run.py            # sizes 10k, 100k, 300k observations
    python3 bench/run.py 50000      # one size

It builds the release binary first. Each size gets 10 stock indicators with
one observation a day (and every tenth day a second vintage), 10 level
targets and 2 cumulative ones on 2 flow indicators with monthly values."""
import datetime
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, 'target', 'release', 'goalpost')


# runs one command in its own process and prints its peak RSS, so that each
# command's memory is measured alone (RUSAGE_CHILDREN only ever grows)
WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(r.stderr)\n"
)


def run(db, *args):
    """Runs goalpost; returns (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', WRAPPER, BIN, '--db', db, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    code, kib = r.stdout.split()
    if code != '0':
        sys.exit(f'goalpost {" ".join(args)} failed: {r.stderr.strip()}')
    return seconds, int(kib) / 1024


def generate(folder, n):
    csv = os.path.join(folder, 'obs.csv')
    per = n // 10
    start = datetime.date(1900, 1, 1)
    with open(csv, 'w') as f:
        f.write('indicator,period,value,published\n')
        written = 0
        for i in range(10):
            for d in range(per):
                day = start + datetime.timedelta(days=d)
                f.write(f'ind{i},{day.isoformat()},{1000 + d * 0.5 + i},\n')
                written += 1
                if d % 10 == 0 and written < n:
                    later = day + datetime.timedelta(days=30)
                    f.write(f'ind{i},{day.isoformat()},{1001 + d * 0.5 + i},{later.isoformat()}\n')
                    written += 1
        for i in range(2):
            for m in range(12 * 20):
                y, mo = 2000 + m // 12, m % 12 + 1
                f.write(f'flow{i},{y}-{mo:02d},{100 + m},\n')
    return csv


def bench(n):
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, 'bench.db')
        csv = generate(folder, n)
        setup = [['init']]
        for i in range(10):
            setup.append(['indicator', 'add', f'ind{i}', '--name', f'Indicator {i}', '--unit', 'count'])
        for i in range(2):
            setup.append(['indicator', 'add', f'flow{i}', '--name', f'Flow {i}', '--unit', 'USD', '--measure', 'flow'])
        for i in range(10):
            setup.append(['target', 'add', f't{i}', '--indicator', f'ind{i}', '--baseline', '1950',
                          '--change', '+25%', '--deadline', '2030'])
        for i in range(2):
            setup.append(['target', 'add', f'c{i}', '--indicator', f'flow{i}', '--kind', 'cumulative',
                          '--from', '2010', '--value', '50k', '--deadline', '2025'])
        for args in setup:
            run(db, *args)
        rows = []
        for label, args in [
            ('obs import', ['obs', 'import', csv]),
            ('report (table)', ['report', '--as-of', '2026-11-28']),
            ('report (json)', ['report', '--as-of', '2026-11-28', '--format', 'json']),
            ('report (html)', ['report', '--as-of', '2026-11-28', '--format', 'html']),
            ('show', ['show', 't0', '--as-of', '2026-11-28']),
            ('obs list --history', ['obs', 'list', '--history', '--format', 'csv']),
            ('export', ['export']),
        ]:
            seconds, mib = run(db, *args)
            rows.append((label, seconds, mib))
        size = os.path.getsize(db) / 2**20
    print(f'\n{n:,} observations (database {size:.1f} MiB)\n')
    print('| command | seconds | peak MiB |\n| --- | ---: | ---: |')
    for label, seconds, mib in rows:
        print(f'| {label} | {seconds:.2f} | {mib:.0f} |')


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 300_000]
    subprocess.run(['cargo', 'build', '--release', '--quiet'], cwd=ROOT, check=True)
    for n in sizes:
        bench(n)


if __name__ == '__main__':
    main()
