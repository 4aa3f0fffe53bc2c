"""Scaling: page reruns and uploads on 1x, 4x and 16x the data, against a baseline in the run.

The data grows in years and datasets (the municipalities are the 342 of the reference year;
more cannot be matched): 1x is one stored dataset of 2 years, 4x two datasets of 4 years, 16x
four datasets of 8 years (684, 2,736 and 10,944 rows in the store). Each scale gets its own
SQLite store (``LBS_DATA_DIR``), filled through the same path as the page: every dataset is a
CSV file read and checked by ``parse_upload`` and saved by ``store.datasets.save``.

For each scale:

* **upload**: seconds to parse + validate and to store all of the scale's files (median of
  ``--repeat`` runs into a fresh store), and per row;
* **page rerun**: AppTest's warm rerun time of Vergelijken and Gemeenteprofiel (median of
  ``--repeat``, with its range) with the newest (largest) stored dataset chosen, as in
  bench/run.py, against the minimal one-chart page (bench/minimal_page.py) measured in the
  same run. Publication mode is off (the local beheerder): its patterns are computed once per
  dataset-year when saving, not on a rerun, and would take minutes here.

Printed: a table with each measure as a ratio to the 1x case and to the baseline, and whether
growth is at most linear (ratio to 1x <= the scale factor).

    python bench/scaling.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.run import boundary_folder  # noqa: E402
from loverboy_stats import uploads  # noqa: E402
from loverboy_stats.access import local_operator  # noqa: E402
from loverboy_stats.demo import load_demo  # noqa: E402
from loverboy_stats.store import Store  # noqa: E402

BENCH = local_operator("bench")
MINIMAL = ROOT / "bench" / "minimal_page.py"
APP_SCRIPT = ROOT / "app.py"
PAGES = {"Vergelijken": "pages/vergelijken.py", "Gemeenteprofiel": "pages/gemeenteprofiel.py"}
#: scale -> (datasets, years per dataset)
SCALES = {1: (1, 2), 4: (2, 4), 16: (4, 8)}
LAST_YEAR = 2024
COLUMNS = ["gemeente", "jaar", "gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"]


def dataset_files(scale: int) -> list[tuple[str, bytes]]:
    """The scale's datasets as (file name, CSV bytes in cp1252 as Dutch Excel saves them):
    the demo's municipalities, each year with its own counts."""
    datasets, years = SCALES[scale]
    demo = load_demo()
    base = demo[demo["jaar"] == LAST_YEAR].reset_index(drop=True)
    files = []
    for number in range(datasets):
        parts = []
        for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
            part = base[COLUMNS].copy()
            part["jaar"] = year
            shift = np.arange(len(part)) % 7 + number + (LAST_YEAR - year)
            part["gesignaleerd"] = part["gesignaleerd"].fillna(0) + shift
            parts.append(part)
        frame = pd.concat(parts, ignore_index=True)
        content = frame.to_csv(index=False, sep=";", encoding="cp1252").encode("cp1252")
        files.append((f"schaal_{scale}_{number}.csv", content))
    return files


def save_all(store: Store, files: list[tuple[str, bytes]]) -> tuple[float, float]:
    """(parse + validate seconds, store seconds) of all ``files`` into ``store``."""
    parsed, stored = 0.0, 0.0
    for name, content in files:
        started = time.perf_counter()
        result = uploads.parse_upload(content, name)
        parsed += time.perf_counter() - started
        assert result.ok, result.issues.head().to_string()
        started = time.perf_counter()
        store.datasets.save(name, name, content, result.data, actor=BENCH)
        stored += time.perf_counter() - started
    return parsed, stored


def upload_seconds(scale: int, files, repeat: int) -> tuple[list[float], list[float]]:
    parse_times, store_times = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{folder}/scale.sqlite")
            parsed, stored = save_all(store, files)
            store.dispose()
        parse_times.append(parsed)
        store_times.append(stored)
    return parse_times, store_times


def rerun_seconds(script: Path, page: str | None, repeat: int) -> list[float]:
    at = AppTest.from_file(str(script), default_timeout=300)
    if page:  # publication mode off: the local beheerder's switch
        at.session_state["publication_mode"] = False
        at.session_state["_publication_choice"] = False
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    at.run()  # warm: tables and figures built
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    return times


def describe(times: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1000:7.0f} ms "
        f"({min(times) * 1000:.0f}-{max(times) * 1000:.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    os.environ.setdefault("LBS_BOUNDARIES_DIR", str(boundary_folder(work)))
    baseline = statistics.median(rerun_seconds(MINIMAL, None, args.repeat))
    print(f"Baseline: minimal page rerun {baseline * 1000:.0f} ms (median of {args.repeat})")
    upload_seconds(1, dataset_files(1), 1)  # warm: imports and the reference table read once
    results: dict[int, dict[str, float]] = {}
    for scale in SCALES:
        files = dataset_files(scale)
        rows = sum(content.count(b"\n") - 1 for _, content in files)
        parse_times, store_times = upload_seconds(scale, files, args.repeat)
        # The page's store for this scale, filled once.
        os.environ["LBS_DATA_DIR"] = str(work / f"scale_{scale}")
        from loverboy_stats.store import get_store

        save_all(get_store(), files)
        measured = {
            "parse + validate": statistics.median(parse_times),
            "opslaan (SQLite)": statistics.median(store_times),
        }
        print(f"{scale:2}x: {len(files)} dataset(s) x {SCALES[scale][1]} years, {rows:,} rows")
        print(f"    parse + validate   {describe(parse_times)}")
        print(f"    store (SQLite)     {describe(store_times)}")
        for label, page in PAGES.items():
            times = rerun_seconds(APP_SCRIPT, page, args.repeat)
            median = measured[f"rerun {label}"] = statistics.median(times)
            print(f"    rerun {label:13}{describe(times)}  {median / baseline:5.1f}x baseline")
        results[scale] = measured

    print()
    print("| meting | " + " | ".join(f"{s}x" for s in SCALES) + " | t.o.v. 1x | lineair? |")
    print("| --- | " + " | ".join("---:" for _ in SCALES) + " | ---: | --- |")
    for label in results[1]:
        cells = []
        for scale in SCALES:
            value = results[scale][label]
            ratio = f", {value / baseline:.1f}x basis" if label.startswith("rerun") else ""
            cells.append(f"{value * 1000:.0f} ms{ratio}")
        growth = [results[s][label] / results[1][label] for s in SCALES]
        linear = all(g <= s * 1.0 for g, s in zip(growth, SCALES, strict=True))
        print(
            f"| {label} | "
            + " | ".join(cells)
            + " | "
            + " / ".join(f"{g:.1f}x" for g in growth)
            + f" | {'ja' if linear else 'nee'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
