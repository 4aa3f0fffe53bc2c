"""The fictitious demo dataset, so the dashboard can be tried without real figures.

Made by ``scripts/make_demo.py``; every place that shows it must say it is fictitious
(:data:`DEMO_LABEL`).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from loverboy_stats.settings import SHIPPED_DATA_DIR

DEMO_FILE = SHIPPED_DATA_DIR / "demo" / "demo_2020_2024.csv"
DEMO_LABEL = "fictieve voorbeeldcijfers"
COUNT_COLUMNS = ["gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"]


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    table = pd.read_csv(DEMO_FILE, dtype={"gemeentecode": str, "gemeente": str})
    table["jaar"] = table["jaar"].astype("int64")
    for column in COUNT_COLUMNS:
        table[column] = table[column].astype("Int64")
    return table


def load_demo() -> pd.DataFrame:
    """The demo table: columns gemeentecode, gemeente, jaar (int) and the four counts.

    Counts are nullable Int64 (persons per year); an empty cell (pd.NA) means "not reported".
    ``attrs["label"]`` is :data:`DEMO_LABEL`. A copy: callers may modify it.
    """
    table = _read().copy()
    table.attrs["label"] = DEMO_LABEL
    table.attrs["fictief"] = True
    return table
