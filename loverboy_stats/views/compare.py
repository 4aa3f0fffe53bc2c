"""View model of the page 'Vergelijken': areas side by side at one region level.

Everything the page shows is computed here, without Streamlit:

1. :func:`build_tables` - the published table set (:mod:`loverboy_stats.tableset`) of every year
   of a dataset. This is the expensive step; pages cache it.
2. :func:`build_view` - the selection of one year, level, indicator and highlighted area; the
   frames behind every chart and the table are made from it in
   :mod:`loverboy_stats.views.frames`.
3. Shared links are resolved in :mod:`loverboy_stats.views.links`.

Everything is built from the *published* tables only: a hidden count is missing with its status
beside it, so no chart, hover text or download can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loverboy_stats import estimates
from loverboy_stats.access import Actor, require_unprotected
from loverboy_stats.demo import DEMO_LABEL, demo_patterns
from loverboy_stats.national import load_national
from loverboy_stats.privacy.sources import PatternSource
from loverboy_stats.reference import REGION_LEVELS
from loverboy_stats.schema import GapTable
from loverboy_stats.tableset import TableSet, build_table_set, has_own_regions
from loverboy_stats.views.comparison import Comparison, Row, compare_area, source_figure
from loverboy_stats.views.indicators import DEFAULT_INDICATOR, INDICATORS, Indicator

#: Levels in the order offered; "regio" only when the dataset has a regio column.
LEVEL_ORDER = ["gemeente", "jeugdregio", "ggdregio", "veiligheidsregio", "provincie", "regio"]
DEFAULT_LEVEL = "gemeente"
#: Short Dutch labels of the population options (the long ones are estimates.POPULATION_OPTIONS).
POPULATION_LABELS: dict[str, str] = {
    "inwoners": "Inwoners",
    "jongeren": "Jongeren 15-25 jaar (benadering)",
    "eigen": "Eigen referentiepopulatie (meisjes 12-17)",
}
DEMO_KEY = "demo"
DEMO_DATASET_LABEL = f"Voorbeelddataset ({DEMO_LABEL})"

#: The headings of Vergelijken's chart sections, by block key (see charts.blocks).
SECTION_TITLES = {
    "ranking": "Rangorde",
    "scatter": "Verwacht en gesignaleerd",
    "funnel": "Van signaal naar behandeling",
    "series": "Door de jaren",
    "map": "Kaart",
}
#: Vergelijken shows one of these at a time, as tabs (the chosen one is in the link, and only
#: its chart is built and sent): link value (``?weergave=``) -> (block key or "table", label).
#: A change of level, year or indicator then redraws one chart instead of up to five (issue
#: 13); the table holds every figure of all charts at once.
VIEWS: dict[str, tuple[str, str]] = {
    "rangorde": ("ranking", SECTION_TITLES["ranking"]),
    "verwacht": ("scatter", SECTION_TITLES["scatter"]),
    "doorstroom": ("funnel", SECTION_TITLES["funnel"]),
    "jaren": ("series", SECTION_TITLES["series"]),
    "kaart": ("map", SECTION_TITLES["map"]),
    "tabel": ("table", "Tabel"),
}
#: Why a view has no chart, for the blocks that can be absent (the map: boundaries.map_missing).
MISSING = {
    "series": "Deze dataset heeft cijfers over één jaar. Een lijn door de jaren kan vanaf twee "
    "jaren; de andere weergaven en de tabel tonen dit jaar.",
}


#: Which members each figure of a region covers, for under every table of figures.
MEMBERS_NOTE = (
    "Elk getal van een regio telt de gemeenten die dat aantal aanleverden. 'Verwacht' en "
    "'referentiepopulatie' horen bij de gemeenten die gesignaleerd aanleverden: de noemers van "
    "de signaleringsratio en van 'per 10.000'. Het doorverwijspercentage deelt door de "
    "'basis': gesignaleerd bij de gemeenten die doorverwezen aanleverden; het bereik en 'niet "
    "bereikt' gaan uit van 'verwacht bij in behandeling'. De dekking per aantal zegt welk deel "
    "van de bevolking van het gebied in die gemeenten woont; 'hele gebied' telt alle gemeenten."
)


def table_caption(hidden_mark: str) -> str:
    """What the table of Vergelijken holds and what its marks mean."""
    return (
        f"Dezelfde getallen als in de grafieken, in Nederlandse notatie; '{hidden_mark}' en 'x' "
        f"zijn afgeschermd, '–' is niet gerapporteerd of niet te berekenen. {MEMBERS_NOTE}"
    )


# --------------------------------------------------------------------------------------------
# Options


def level_label(level: str) -> str:
    """Dutch label of a region level ("Gemeente", "GGD-regio", ...)."""
    return REGION_LEVELS[level].label


def available_levels(local: pd.DataFrame) -> list[str]:
    """The levels this dataset can be shown at: all reference levels, and the own grouping
    ("regio") only when the dataset has a ``regio`` column with at least one value."""
    return [level for level in LEVEL_ORDER if level != "regio" or has_own_regions(local)]


def available_populations(local: pd.DataFrame) -> list[str]:
    """Population options that apply: "eigen" only with a filled ``referentiepopulatie``."""
    own = "referentiepopulatie" in local.columns and local["referentiepopulatie"].notna().any()
    return [p for p in estimates.POPULATION_OPTIONS if p != "eigen" or own]


def available_years(local: pd.DataFrame) -> list[int]:
    """The years in the dataset, most recent first (the default is the first)."""
    years = pd.to_numeric(local["jaar"], errors="coerce").dropna().astype(int).unique()
    return sorted((int(y) for y in years), reverse=True)


# --------------------------------------------------------------------------------------------
# Tables per year (the expensive step)


@dataclass
class LevelTables:
    """Published table sets of every year for one dataset and population option."""

    dataset_label: str
    demo: bool
    population: str
    publication: bool
    years: list[int]
    sets: dict[int, TableSet]
    source: str = ""

    def table(self, year: int, level: str) -> GapTable:
        return self.sets[year][level]


def source_text(dataset_label: str, population: str, demo: bool) -> str:
    """'Bron: ...' for inside a chart: the dataset and the national estimate behind it."""
    estimate = load_national().short_citation(source_figure(population)).removeprefix("Bron: ")
    data = DEMO_LABEL if demo else f"eigen cijfers '{dataset_label}'"
    return f"Bron: {data}; verwacht aantal: {estimate}, toegerekend naar referentiepopulatie"


def build_tables(
    local: pd.DataFrame,
    *,
    population: str = estimates.DEFAULT_POPULATION,
    publication: bool = True,
    dataset_label: str = DEMO_DATASET_LABEL,
    demo: bool = True,
    k: int | None = None,
    patterns: PatternSource | None = None,
    viewer: Actor | None = None,
) -> LevelTables:
    """Published table sets of every year in ``local`` (see
    :func:`loverboy_stats.tableset.build_table_set`); ``patterns``: where publication mode's
    patterns come from (default: the shipped ones for the demo, else computed). Raises
    :class:`loverboy_stats.estimates.GapInputError` for an option the data does not allow.

    Without publication mode the tables are built only for a ``viewer`` who may see every
    count unprotected (a beheerder); anyone else gets
    :class:`~loverboy_stats.access.AccessDenied`, whatever a page or a widget asked for."""
    if not publication:
        require_unprotected(viewer)
    years = available_years(local)
    return LevelTables(
        dataset_label=dataset_label,
        demo=demo,
        population=population,
        publication=publication,
        years=years,
        sets={
            year: build_table_set(
                local,
                year=year,
                population=population,
                publication=publication,
                k=k,
                patterns=patterns or (demo_patterns() if demo else None),
            )
            for year in years
        },
        source=source_text(dataset_label, population, demo),
    )


def area_options(tables: LevelTables, year: int, level: str) -> dict[str, str]:
    """Area code -> label for the highlight choice, sorted by name; the label is the name,
    with the code added where two areas share a name (labels are the link values)."""
    frame = tables.table(year, level).frame
    names = frame.set_index("code")["naam"].astype(str)
    doubled = names.duplicated(keep=False)
    labels = {
        code: f"{name} ({code})" if twice else name
        for code, name, twice in zip(names.index, names, doubled, strict=True)
    }
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def selection_options(local: pd.DataFrame) -> tuple[list[int], dict[str, str], dict[str, str]]:
    """What a dataset offers to choose on Vergelijken: (years newest first, level -> label,
    population option -> label)."""
    levels = {level: level_label(level) for level in available_levels(local)}
    populations = {p: POPULATION_LABELS[p] for p in available_populations(local)}
    return available_years(local), levels, populations


def highlight_options(tables: LevelTables, year: int, level: str) -> tuple[dict[str, str], str]:
    """(:func:`area_options`, :func:`default_area`) of one year and level."""
    return area_options(tables, year, level), default_area(tables, year, level)


def default_area(tables: LevelTables, year: int, level: str) -> str:
    """The area with the largest reference population (a stable default for links)."""
    frame = tables.table(year, level).frame
    population = pd.to_numeric(frame["referentiepopulatie"], errors="coerce").fillna(-1)
    return str(frame.loc[population.idxmax(), "code"])


# --------------------------------------------------------------------------------------------
# The view of one selection


@dataclass
class CompareView:
    """One selection (year, level, indicator, highlighted area) on :class:`LevelTables`."""

    tables: LevelTables
    year: int
    level: str
    indicator_id: str
    area: str
    table: GapTable
    comparison: Comparison

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.indicator_id]

    @property
    def area_row(self) -> Row:
        return self.comparison.area

    @property
    def area_name(self) -> str:
        return str(self.area_row["naam"])

    @property
    def parent_row(self) -> Row | None:
        return self.comparison.parent

    @property
    def total_row(self) -> Row:
        return self.comparison.total

    @property
    def demo(self) -> bool:
        return self.tables.demo

    @property
    def k(self) -> int | None:
        return self.table.meta.k


def build_view(
    tables: LevelTables, year: int, level: str, indicator: str, area: str | None
) -> CompareView:
    """The view of ``year``, ``level``, ``indicator`` and highlighted ``area`` (a code at the
    level; None or unknown: :func:`default_area`)."""
    if year not in tables.sets:
        year = tables.years[0]
    if indicator not in INDICATORS:
        indicator = DEFAULT_INDICATOR
    table = tables.table(year, level)
    if area is None or area not in set(table.frame["code"]):
        area = default_area(tables, year, level)
    comparison = compare_area(tables.sets[year], level, area)
    return CompareView(tables, year, level, indicator, area, table, comparison)
