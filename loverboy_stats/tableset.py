"""The published table set: every level's gap table for one dataset, year and option, at once.

Everything the app shows or exports about one dataset-year comes from one :class:`TableSet`: the
municipal table, every region level, the own grouping and the dataset total. Publication mode is
applied to the set as a whole (:mod:`loverboy_stats.privacy`), so no page, chart, download or
command can publish a number that the protection did not see beside the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loverboy_stats import estimates, gaps, privacy
from loverboy_stats.privacy.sources import Computed, PatternSource
from loverboy_stats.reference import CBS_REGION_LEVELS
from loverboy_stats.schema import GapTable

#: The levels of a table set, in order; "regio" only when the dataset has an own grouping.
SET_LEVELS = ("gemeente", *CBS_REGION_LEVELS, "regio", "totaal")


def has_own_regions(local: pd.DataFrame) -> bool:
    """Whether ``local`` has an own grouping (a ``regio`` column with at least one value)."""
    return "regio" in local.columns and bool(local["regio"].notna().any())


@dataclass(frozen=True)
class TableSet:
    """Gap tables of every level for one dataset-year, published together.

    ``published``: publication mode was applied (with threshold ``k``).
    """

    tables: dict[str, GapTable]
    year: int
    population: str
    estimate: str
    published: bool
    k: int | None

    def __getitem__(self, level: str) -> GapTable:
        try:
            return self.tables[level]
        except KeyError:
            raise estimates.GapInputError(
                f"Geen tabel op niveau '{level}' voor deze gegevens."
            ) from None

    @property
    def levels(self) -> list[str]:
        return list(self.tables)


def build_table_set(
    local: pd.DataFrame,
    *,
    year: int | None = None,
    population: str = estimates.DEFAULT_POPULATION,
    estimate: str = estimates.DEFAULT_ESTIMATE,
    publication: bool = True,
    k: int | None = None,
    patterns: PatternSource | None = None,
) -> TableSet:
    """The gap tables of ``local`` at every level for ``year`` (None: the most recent).

    With ``publication`` (the default) publication mode is applied with threshold ``k`` (None:
    the configured one): one protection pattern for the whole set, from ``patterns`` (default:
    computed). Raises :class:`loverboy_stats.estimates.GapInputError` for data or options that
    cannot be used.
    """
    levels = [level for level in SET_LEVELS if level != "regio" or has_own_regions(local)]
    raw = {
        level: gaps.gap_table(
            local, level=level, year=year, population=population, estimate=estimate
        )
        for level in levels
    }
    year = raw["gemeente"].meta.year
    if publication:
        k = privacy.suppression_k(k)
        local_year = local[pd.to_numeric(local["jaar"], errors="coerce") == year]
        pattern = (patterns or Computed()).pattern(local_year, k)
        raw = {level: privacy.apply_pattern(table, pattern) for level, table in raw.items()}
    return TableSet(
        tables=raw,
        year=year,
        population=population,
        estimate=estimate,
        published=publication,
        k=k if publication else None,
    )
