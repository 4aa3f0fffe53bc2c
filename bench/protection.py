"""Publication-mode cost, against building the unprotected tables in the same run.

For each dataset (one year) it measures, as medians over ``--repeat`` runs:

* **baseline**: ``build_table_set(..., publication=False)``, every level's gap table without
  protection (what the pages would cost if nothing were hidden);
* **cold**: the same with publication mode, the pattern computed (default design ``unhide``):
  what the first visitor of a new upload, or a freshly stored dataset, waits for;
* **warm**: the same with the pattern already known (what every later view costs);
* **strict**: cold, with ``LBS_STRICT_PUBLICATION`` (design ``hide-totals``);
* **audit**: the exact intruder audit of the published tables (``python -m loverboy_stats audit``).

Datasets: the fictitious demo (342 municipalities), year 2024; a one-province upload (Gelderland,
51 municipalities) cut from it; and three municipalities. The cold demo run takes half a minute
to a minute per repeat, so it is run ``--cold-repeat`` times (default 1).

    python bench/protection.py [--repeat 3] [--cold-repeat 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loverboy_stats import privacy  # noqa: E402
from loverboy_stats.demo import load_demo  # noqa: E402
from loverboy_stats.privacy.sources import Computed, Remembered  # noqa: E402
from loverboy_stats.reference import load_municipalities  # noqa: E402
from loverboy_stats.tableset import build_table_set  # noqa: E402

YEAR = 2024


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def datasets():
    demo = load_demo()
    demo = demo[demo["jaar"] == YEAR].reset_index(drop=True)
    gelderland = load_municipalities().query("provinciecode == 'PV25'").index
    yield "demo, 342 gemeenten", demo
    yield "Gelderland, 51 gemeenten", demo[demo["gemeentecode"].isin(gelderland)]
    yield "3 gemeenten", demo[demo["gemeentecode"].isin(["GM0363", "GM0599", "GM0518"])]


def measure(name, local, repeat: int, cold_repeat: int) -> dict:
    def build(**options):
        return build_table_set(local, year=YEAR, **options)

    baseline = median_seconds(lambda: build(publication=False), repeat)
    cold_repeat = cold_repeat if len(local) > 100 else repeat
    cold = median_seconds(lambda: build(patterns=Computed()), cold_repeat)
    remembered = Remembered()
    tables = build(patterns=remembered)
    warm = median_seconds(lambda: build(patterns=remembered), repeat)
    os.environ["LBS_STRICT_PUBLICATION"] = "true"
    try:
        strict = median_seconds(lambda: build(patterns=Computed()), cold_repeat)
    finally:
        del os.environ["LBS_STRICT_PUBLICATION"]
    audit_seconds = []
    for _ in range(cold_repeat):
        started = time.perf_counter()
        _, result = privacy.audit_published(local, tables.tables, tables.k)
        audit_seconds.append(time.perf_counter() - started)
    return {
        "dataset": name,
        "baseline_s": baseline,
        "cold": cold / baseline,
        "warm": warm / baseline,
        "strict": strict / baseline,
        "audit": statistics.median(audit_seconds) / baseline,
        "passed": result.passed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-repeat", type=int, default=1)
    args = parser.parse_args()
    print(
        "| dataset | baseline (s) | cold / baseline | warm / baseline | strict / baseline "
        "| audit / baseline | audit passes |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, local in datasets():
        row = measure(name, local, args.repeat, args.cold_repeat)
        print(
            f"| {row['dataset']} | {row['baseline_s']:.3f} | {row['cold']:.1f}x | "
            f"{row['warm']:.2f}x | {row['strict']:.2f}x | {row['audit']:.1f}x | {row['passed']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
