"""Upload speed and memory, against plain pandas measured in the same run.

1. A 100,000-row semicolon CSV in Windows-1252 (as Dutch Excel saves it): municipality names
   with accents, some empty optional cells, thousands dots. Median time of plain
   ``pandas.read_csv(path, sep=";", encoding="cp1252")`` (the baseline) and of
   ``uploads.parse_upload`` (read + validate, what the page and the command line call), and the
   ratio (target <= 3x).
   The same for the largest file without errors (each municipality-year once), for comparison.
2. Storing 100,000 clean rows into a fresh SQLite store (target <= 2 s). One dataset holds each
   municipality-year once (342 municipalities x the years 2000 up to now: 9,234 rows in 2026),
   so the 100,000 rows go in as several datasets of that size plus a smaller last one, each its
   own file; storing the largest single dataset is timed too.
3. 1,000,000 rows: time of parse_upload and peak memory, measured as the maximum resident set
   size (ru_maxrss) of a fresh subprocess that only reads the file and validates it, next to the
   same subprocess's RSS just before validating (Python, pandas and the bytes loaded).

The upload size limit (``LBS_MAX_UPLOAD_MB``, default 5 MB) is raised to 200 MB for this run
through the environment; the 100,000-row file is about 4 MB, the 1,000,000-row file about 40 MB.

    python bench/uploads.py [--repeat 5] [--skip-million]

Note: the 100,000- and 1,000,000-row files necessarily repeat municipality-years, so
validation reports a duplicate for most rows (the worst case for the issue report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["LBS_MAX_UPLOAD_MB"] = "200"

import pandas as pd  # noqa: E402

from loverboy_stats import uploads  # noqa: E402
from loverboy_stats.store import Store  # noqa: E402

HEADER = "Gemeente;Jaar;Gesignaleerd;Gemeld CoMensha;Doorverwezen;In behandeling;Regio"
YEARS = range(2000, dt.date.today().year + 1)


def municipalities() -> list[str]:
    return list(pd.read_csv(ROOT / "data/reference/gemeenten_2024.csv", dtype=str)["gemeentenaam"])


def make_csv(path: Path, rows: int, offset: int = 0) -> Path:
    """``rows`` data rows cycling through every municipality-year, starting at ``offset``."""
    names = municipalities()
    keys = [(name, year) for year in YEARS for name in names]
    lines = [HEADER]
    for i in range(offset, offset + rows):
        name, year = keys[i % len(keys)]
        signalled = (i * 37) % 2_500
        reported = "" if i % 5 == 0 else f"{signalled // 3:,}".replace(",", ".")
        referred = "" if i % 7 == 0 else str(signalled // 4)
        treated = "" if i % 3 == 0 else str(signalled // 6)
        region = "" if i % 4 == 0 else f"Regio {i % 25}"
        signalled_text = f"{signalled:,}".replace(",", ".")
        lines.append(f"{name};{year};{signalled_text};{reported};{referred};{treated};{region}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_parse(path: Path, repeat: int, target: str = "(target <= 3)") -> None:
    content = path.read_bytes()
    baseline = median_seconds(lambda: pd.read_csv(path, sep=";", encoding="cp1252"), repeat)
    parsed = median_seconds(lambda: uploads.parse_upload(content, path.name), repeat)
    result = uploads.parse_upload(content, path.name)
    rows = f"{result.rows:,} rows"
    print(f"{rows} ({len(content) / 2**20:.1f} MB, {len(result.issues):,} issues):")
    print(f"  pandas.read_csv      {baseline * 1000:8.0f} ms (baseline)")
    print(f"  parse_upload         {parsed * 1000:8.0f} ms")
    print(f"  ratio                {parsed / baseline:8.1f}x {target}")


def bench_store(folder: Path, repeat: int) -> None:
    per_dataset = len(municipalities()) * len(YEARS)
    files = []
    for number, start in enumerate(range(0, 100_000, per_dataset)):
        path = make_csv(folder / f"schoon_{number}.csv", min(per_dataset, 100_000 - start))
        content = path.read_bytes() + b"\r\n" * number  # each its own file (own sha256)
        result = uploads.parse_upload(content, path.name)
        assert result.ok, result.issues.head().to_string()
        files.append((content, result.data))
    assert sum(len(data) for _, data in files) == 100_000

    def store_all() -> None:
        store = Store(f"sqlite:///{tempfile.mkdtemp(dir=folder)}/bench.sqlite")
        for number, (content, data) in enumerate(files):
            store.datasets.save(f"set {number}", "bench.csv", content, data)
        store.dispose()

    def store_largest() -> None:
        store = Store(f"sqlite:///{tempfile.mkdtemp(dir=folder)}/bench.sqlite")
        store.datasets.save("grootste", "bench.csv", *files[0])
        store.dispose()

    print(f"Storing into a fresh SQLite file ({len(files)} datasets):")
    print(f"  100,000 rows         {median_seconds(store_all, repeat):8.2f} s (target <= 2)")
    print(f"  {per_dataset:,} rows (1 set) {median_seconds(store_largest, repeat):8.2f} s")


def child(path: str) -> None:
    """Subprocess: read the file, validate it; print seconds and RSS before/peak (MB)."""
    content = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = uploads.parse_upload(content, Path(path).name)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"seconds": seconds, "before_mb": before, "peak_mb": peak, "rows": result.rows}
    print(json.dumps(report))


def bench_million(folder: Path) -> None:
    path = make_csv(folder / "miljoen.csv", 1_000_000)
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LBS_MAX_UPLOAD_MB": "200"},
    )
    report = json.loads(done.stdout)
    started = time.perf_counter()
    pd.read_csv(path, sep=";", encoding="cp1252")
    baseline = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(f"1,000,000 rows ({size:.0f} MB), fresh subprocess:")
    print(f"  pandas.read_csv      {baseline:8.2f} s (baseline, this process)")
    print(
        f"  parse_upload         {report['seconds']:8.2f} s ({report['seconds'] / baseline:.1f}x)"
    )
    print(f"  peak RSS (ru_maxrss) {report['peak_mb']:8.0f} MB")
    print(f"  RSS before parsing   {report['before_mb']:8.0f} MB (Python, pandas, the bytes)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print("Upload limit raised to 200 MB for this run (LBS_MAX_UPLOAD_MB=200).")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        bench_parse(make_csv(folder / "honderdduizend.csv", 100_000), args.repeat)
        # For comparison: the largest file without errors (every municipality-year once).
        clean_rows = len(municipalities()) * len(YEARS)
        bench_parse(make_csv(folder / "schoon.csv", clean_rows), args.repeat * 4, "")
        bench_store(folder, args.repeat)
        if not args.skip_million:
            bench_million(folder)


if __name__ == "__main__":
    main()
