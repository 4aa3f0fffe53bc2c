"""Write the fictitious demo dataset ``data/demo/demo_2020_2024.csv``.

The numbers are invented ("fictieve voorbeeldcijfers") so that the dashboard can be tried
without real data. They are shaped to look like what municipalities report: most signal far
fewer possible victims than the apportioned national estimate (1,363 per year × population
share), a few come close, small municipalities have many zeros and small counts, and optional
counts are sometimes not reported. A fixed seed makes the file reproducible.

It also writes publication mode's protection patterns of the demo (k = 5, the default design)
to ``data/demo/demo_2020_2024.protection.jsonl.gz``, so that no visitor waits for them (about half
a minute per year on a small machine). ``--patterns-only`` rewrites only that file.

Usage: ``python scripts/make_demo.py [--patterns-only]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from loverboy_stats.reference import NATIONAL_POPULATION_2024, load_municipalities  # noqa: E402

OUTPUT = PROJECT_ROOT / "data" / "demo" / "demo_2020_2024.csv"
SEED = 20240101
YEARS = range(2020, 2025)
NATIONAL_ESTIMATE = 1363  # minderjarigen_geschat in data/national/figures.csv


def make(seed: int = SEED) -> pd.DataFrame:
    """The demo table: one row per municipality and year, counts as nullable Int64."""
    rng = np.random.default_rng(seed)
    towns = load_municipalities().reset_index(drop=True)
    n = len(towns)
    expected = NATIONAL_ESTIMATE * towns["inwoners"].to_numpy() / NATIONAL_POPULATION_2024
    # How much of the expected number a municipality sees: mostly 5-25 %, a few near 100 %.
    sight = np.clip(rng.lognormal(mean=np.log(0.12), sigma=0.6, size=n), 0.01, 0.6)
    near = rng.random(n) < 0.04
    sight[near] = rng.uniform(0.7, 1.15, size=near.sum())
    referral = rng.uniform(0.3, 0.8, size=n)
    reporting = rng.uniform(0.15, 0.6, size=n)
    treatment = rng.uniform(0.4, 0.9, size=n)
    # Municipalities that never report an optional count (their systems do not record it).
    no_m = rng.random(n) < 0.2
    no_r = rng.random(n) < 0.08
    no_t = rng.random(n) < 0.25

    rows = []
    for step, year in enumerate(YEARS):
        trend = 1 + 0.08 * step  # signalling slowly improves over the years
        s = rng.poisson(expected * sight * trend)
        m = rng.binomial(s, reporting)
        r = rng.binomial(s, referral)
        t = rng.binomial(r, treatment)
        # An occasional extra gap in a single year (a count that was not delivered).
        gap_m = no_m | (rng.random(n) < 0.05)
        gap_r = no_r | (rng.random(n) < 0.05)
        gap_t = no_t | (rng.random(n) < 0.05)
        rows.append(
            pd.DataFrame(
                {
                    "gemeentecode": towns["gemeentecode"],
                    "gemeente": towns["gemeentenaam"],
                    "jaar": year,
                    "gesignaleerd": pd.array(s, dtype="Int64"),
                    "gemeld_comensha": pd.array(np.where(gap_m, -1, m), dtype="Int64"),
                    "doorverwezen": pd.array(np.where(gap_r, -1, r), dtype="Int64"),
                    "in_behandeling": pd.array(np.where(gap_t, -1, t), dtype="Int64"),
                }
            )
        )
    table = pd.concat(rows, ignore_index=True)
    for column in ("gemeld_comensha", "doorverwezen", "in_behandeling"):
        table[column] = table[column].mask(table[column] < 0)  # -1 marked "not reported"
    return table


def make_patterns(table: pd.DataFrame, k: int = 5) -> list:
    """Publication mode's pattern of every year of ``table`` for threshold ``k``."""
    from loverboy_stats.privacy import DEFAULT_DESIGN, protect_year

    patterns = []
    for year in sorted(table["jaar"].unique()):
        started = time.perf_counter()
        patterns.append(protect_year(table[table["jaar"] == year], k, DEFAULT_DESIGN))
        print(
            f"  {year}: {patterns[-1].hidden()} cells hidden, {time.perf_counter() - started:.0f} s"
        )
    return patterns


def main(argv: list[str]) -> int:
    from loverboy_stats.demo import DEMO_PATTERNS_FILE, load_demo
    from loverboy_stats.privacy.sources import write_pattern_file

    if "--patterns-only" not in argv:
        table = make()
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(OUTPUT, index=False, lineterminator="\n")
        print(f"wrote {OUTPUT.relative_to(PROJECT_ROOT)}: {len(table)} rows")
    # Patterns of the data as the app reads it (typed), so their keys match.
    write_pattern_file(DEMO_PATTERNS_FILE, make_patterns(load_demo()))
    print(f"wrote {DEMO_PATTERNS_FILE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
