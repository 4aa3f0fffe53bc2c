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

import pandas as pd

from loverboy_stats import estimates
from loverboy_stats.national import load_national, national_gap
from loverboy_stats.reference import REGION_LEVELS, TOTAL_NAME, load_municipalities
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


def parent_regions(level: str) -> dict[str, str]:
    """Area code at ``level`` -> code of its parent region (see :data:`PARENT_LEVEL`)."""
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
    the dataset total; ``country`` the national figures.
    """

    level: str
    code: str
    year: int
    area: pd.Series | None
    parent: pd.Series | None
    total: pd.Series
    country: Country

    @property
    def parent_level(self) -> str | None:
        return PARENT_LEVEL.get(self.level)

    def rows(self) -> pd.DataFrame:
        """Area, parent and total as gap-table rows with a column ``rol`` (no country row:
        its figures are not a gap-table row)."""
        parts = [
            row.to_frame().T.assign(rol=role)
            for role, row in ((ROLE_AREA, self.area), (ROLE_PARENT, self.parent))
            if row is not None
        ]
        parts.append(self.total.to_frame().T.assign(rol=ROLE_TOTAL))
        out = pd.concat(parts, ignore_index=True)
        # Concatenating single rows gives object columns; give every column its type back.
        return out.infer_objects()


def compare_area(tables: TableSet, level: str, code: str) -> Comparison:
    """The comparison of area ``code`` at ``level`` in the published ``tables``."""
    area = tables[level].row(code) if level in tables.tables else None
    parent_level = PARENT_LEVEL.get(level)
    parent = None
    if parent_level is not None and parent_level in tables.tables:
        parent_code = parent_regions(level).get(code)
        parent = tables[parent_level].row(parent_code) if parent_code else None
    total = tables["totaal"].frame.iloc[0]
    return Comparison(level, code, tables.year, area, parent, total, country())


def source_figure(population: str) -> str:
    """The national figure the expected values of ``population`` come from."""
    return estimates.GIRLS_RATE_FIGURE if population == "eigen" else estimates.DEFAULT_ESTIMATE
