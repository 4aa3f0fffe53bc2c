"""The one comparison: an area beside its parent region, all areas in the dataset and the country.

Vergelijken (reference lines, funnel, trend) and Gemeenteprofiel (its table and trend) both ask
:func:`compare_area` for the rows, so they cannot disagree about what "the region" or "all
areas" is. Rows come from a published :class:`~loverboy_stats.tableset.TableSet`: a hidden count
is missing with its status beside it, never a number.

The sum of the municipalities in a dataset is "Alle gemeenten in de dataset", never "Nederland":
the country is the sourced national figure (:class:`Country`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from loverboy_stats import estimates
from loverboy_stats.national import load_national, national_gap
from loverboy_stats.reference import REGION_LEVELS, TOTAL_NAME, load_municipalities
from loverboy_stats.schema import GapTable
from loverboy_stats.tableset import TableSet

#: Roles of the rows of a comparison, in display order.
ROLE_AREA, ROLE_PARENT, ROLE_TOTAL, ROLE_COUNTRY = "gebied", "regio", "alle", "land"
ROLE_LABELS = {
    ROLE_AREA: "gebied",
    ROLE_PARENT: "regio",
    ROLE_TOTAL: TOTAL_NAME,
    ROLE_COUNTRY: "Nederland",
}
#: The region an area is compared with. GGD regions and safety regions lie within one
#: province; for a youth-care region the province holding most of its inhabitants is taken.
PARENT_LEVEL: dict[str, str | None] = {
    "gemeente": "jeugdregio",
    "jeugdregio": "provincie",
    "ggdregio": "provincie",
    "veiligheidsregio": "provincie",
    "provincie": None,
    "regio": None,
    "totaal": None,
}
COUNTRY_NAME = "Nederland (landelijke cijfers)"
#: One area's figures: gap-table column -> value (see :meth:`GapTable.row`).
Row = dict[str, object]


@lru_cache(maxsize=8)
def parent_regions(level: str) -> dict[str, str]:
    """Area code at ``level`` -> code of its parent region (see :data:`PARENT_LEVEL`); shared,
    so callers must not change it."""
    parent = PARENT_LEVEL.get(level)
    if parent is None:
        return {}
    table = load_municipalities()
    child_col = REGION_LEVELS[level].code_column
    parent_col = REGION_LEVELS[parent].code_column
    if level == "gemeente":
        return dict(zip(table[child_col], table[parent_col], strict=True))
    # The parent holding most of the area's inhabitants (all but a few lie in one province).
    people = table.groupby([child_col, parent_col])["inwoners"].sum().reset_index()
    largest = people.sort_values("inwoners", ascending=False).drop_duplicates(child_col)
    return dict(zip(largest[child_col], largest[parent_col], strict=True))


@dataclass(frozen=True)
class Country:
    """The sourced national figures an area can be set beside (FACTS, section 1).

    ``expected`` is the national annual estimate of minor victims, ``treated`` the count in
    specialised treatment (a point-in-time count, spring 2017), ``reach`` treated ÷ expected.
    There is no national count of signalled victims, so the signalling ratio has no national
    value.
    """

    name: str
    expected: float
    treated: float
    reach: float
    not_reached: float
    source: str


@lru_cache(maxsize=1)
def country() -> Country:
    """The national figures behind the headline gap, with their citation."""
    data = load_national()
    gap = national_gap(data)
    return Country(
        name=COUNTRY_NAME,
        expected=gap.estimated,
        treated=gap.treated,
        reach=gap.reach,
        not_reached=gap.not_reached,
        source=data.citation(gap.estimate.figure_id, gap.treatment.figure_id),
    )


@dataclass(frozen=True)
class Comparison:
    """Rows of one area and what it is compared with, in one year.

    ``area``/``parent`` are None when the table has no row for them (no data); ``total`` is
    the dataset total; ``country`` the national figures. ``parts`` says where each row is:
    (role, table, position).
    """

    level: str
    code: str
    year: int
    area: Row | None
    parent: Row | None
    total: Row
    country: Country
    parts: tuple[tuple[str, GapTable, int], ...]

    @property
    def parent_level(self) -> str | None:
        return PARENT_LEVEL.get(self.level)

    def named_rows(self) -> list[tuple[str, Row]]:
        """(role, row) of the area, its parent and the total, those that exist, in that order."""
        rows = ((ROLE_AREA, self.area), (ROLE_PARENT, self.parent), (ROLE_TOTAL, self.total))
        return [(role, row) for role, row in rows if row is not None]

    def rows(self) -> pd.DataFrame:
        """Area, parent and total as gap-table rows (with their types) and a column ``rol``
        (no country row: its figures are not a gap-table row)."""
        frames = [table.frame.iloc[[position]] for _, table, position in self.parts]
        roles = [role for role, _, _ in self.parts]
        return pd.concat(frames, ignore_index=True).assign(rol=roles)


def compare_area(tables: TableSet, level: str, code: str) -> Comparison:
    """The comparison of area ``code`` at ``level`` in the published ``tables``."""
    parts: list[tuple[str, GapTable, int]] = []
    table = tables.tables.get(level)
    if table is not None and code in table.positions:
        parts.append((ROLE_AREA, table, table.positions[code]))
    parent_table = tables.tables.get(PARENT_LEVEL.get(level) or "")
    if parent_table is not None:
        parent_code = parent_regions(level).get(code)
        if parent_code in parent_table.positions:
            parts.append((ROLE_PARENT, parent_table, parent_table.positions[parent_code]))
    parts.append((ROLE_TOTAL, tables["totaal"], 0))
    found = {role: table.records[position] for role, table, position in parts}
    return Comparison(
        level,
        code,
        tables.year,
        found.get(ROLE_AREA),
        found.get(ROLE_PARENT),
        found[ROLE_TOTAL],
        country(),
        tuple(parts),
    )


def source_figure(population: str) -> str:
    """The national figure the expected values of ``population`` come from."""
    return estimates.GIRLS_RATE_FIGURE if population == "eigen" else estimates.DEFAULT_ESTIMATE
