"""The fictitious demo dataset, so the dashboard can be tried without real figures.

Made by ``scripts/make_demo.py``; every place that shows it must say it is fictitious
(:data:`DEMO_LABEL`).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from loverboy_stats.privacy.sources import PatternFile, Remembered
from loverboy_stats.schema import typed_dataset
from loverboy_stats.settings import SHIPPED_DATA_DIR

DEMO_FILE = SHIPPED_DATA_DIR / "demo" / "demo_2020_2024.csv"
#: Publication mode's patterns of the demo (k = 5, default design), made by
#: scripts/make_demo.py so that nobody waits for them; other settings are computed.
DEMO_PATTERNS_FILE = SHIPPED_DATA_DIR / "demo" / "demo_2020_2024.protection.jsonl.gz"
DEMO_LABEL = "fictieve voorbeeldcijfers"
#: What a page says above the demo's figures.
DEMO_NOTICE = (
    "U ziet **fictieve voorbeeldcijfers**: verzonnen aantallen om het dashboard te proberen. "
    "Laad eigen cijfers op de pagina Eigen cijfers."
)


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    return typed_dataset(pd.read_csv(DEMO_FILE, dtype={"gemeentecode": str, "gemeente": str}))


@lru_cache(maxsize=1)
def demo_patterns() -> Remembered:
    """The demo's protection patterns: shipped, and remembered once computed (shipped data,
    the same for every visitor)."""
    return Remembered(PatternFile(DEMO_PATTERNS_FILE))


def load_demo() -> pd.DataFrame:
    """The demo dataset (:data:`loverboy_stats.schema.DATASET_COLUMNS`; no own population or
    regions). Counts are persons per year; missing (pd.NA) means "not reported". Whoever shows
    it says :data:`DEMO_LABEL`. A copy: callers may modify it."""
    return _read().copy()
