"""View model of the page 'Vergelijken': areas side by side at one region level.

Everything the page shows is computed here, without Streamlit:

1. :func:`build_tables` - the gap tables (:func:`loverboy_stats.gaps.gap_table`) of every year
   at the chosen level, at its parent level and for all areas together, each through
   publication mode (:func:`loverboy_stats.privacy.publish_gap_table`) unless switched off.
   This is the expensive step (about 0.3 s per year at municipal level); pages cache it.
2. :func:`build_view` - the selection of one year, indicator and highlighted area, and from it
   the frames behind every chart and the table (:func:`ranking_frame`, :func:`scatter_frame`,
   :func:`funnel_frame`, :func:`series_frame`, :func:`map_frame`, :func:`table_frame`).
3. :func:`url_notices` - which values of a shared link were not valid options.

Every frame is built from the *published* tables only: a hidden count is a mark ("<5", "x"),
never a number, so no chart, hover text or download can show it, and every share computed
here (e.g. reported ÷ signalled in the funnel) is only computed from counts that are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loverboy_stats import gaps, privacy
from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.formatting import (
    MISSING,
    format_count,
    format_expected,
    format_interval,
    format_number,
    format_percent,
    format_ratio,
)
from loverboy_stats.national import load_national
from loverboy_stats.reference import REGION_LEVELS, load_municipalities


@dataclass(frozen=True)
class Indicator:
    """An indicator that can be compared: Dutch label, gap-table columns and kind of number.

    ``kind`` is "ratio" (a plain ratio, 2 decimals), "rate" (people per 10,000 of the
    reference population, 2 decimals) or "share" (a fraction shown as a percentage).
    ``low``/``high`` name the interval columns, None when the indicator has no interval.
    """

    label: str
    column: str
    low: str | None
    high: str | None
    kind: str
    axis: str
    explanation: str


INDICATORS: dict[str, Indicator] = {
    "signaleringsratio": Indicator(
        "Signaleringsratio",
        "signaleringsratio",
        "signaleringsratio_laag",
        "signaleringsratio_hoog",
        "ratio",
        "gesignaleerd ÷ verwacht",
        "Gesignaleerd gedeeld door het verwachte aantal slachtoffers (toegerekende landelijke "
        "schatting). 1 betekent: evenveel gesignaleerd als verwacht.",
    ),
    "per_10000": Indicator(
        "Gesignaleerd per 10.000",
        "per_10000",
        "per_10000_laag",
        "per_10000_hoog",
        "rate",
        "gesignaleerd per 10.000 in de referentiepopulatie",
        "Gesignaleerd per 10.000 personen van de referentiepopulatie, met het exacte "
        "Poisson-interval (95 %).",
    ),
    "doorverwijspercentage": Indicator(
        "Doorverwijspercentage",
        "doorverwijspercentage",
        "doorverwijspercentage_laag",
        "doorverwijspercentage_hoog",
        "share",
        "doorverwezen ÷ gesignaleerd",
        "Het deel van de gesignaleerden dat is doorverwezen naar gespecialiseerde jeugdzorg, "
        "met het Wilson-interval (95 %).",
    ),
    "bereik_behandeling": Indicator(
        "Bereik behandeling",
        "bereik_behandeling",
        None,
        None,
        "share",
        "in behandeling ÷ verwacht",
        "In behandeling gedeeld door het verwachte aantal slachtoffers; geen interval.",
    ),
}
DEFAULT_INDICATOR = "signaleringsratio"

#: Levels in the order offered; "regio" only when the dataset has a regio column.
LEVEL_ORDER = ["gemeente", "jeugdregio", "ggdregio", "veiligheidsregio", "provincie", "regio"]
DEFAULT_LEVEL = "gemeente"
#: The region a highlighted area is compared with (its reference line and funnel bar).
#: GGD regions and safety regions lie within one province; for a youth-care region the
#: province holding most of its inhabitants is taken.
PARENT_LEVEL: dict[str, str | None] = {
    "gemeente": "jeugdregio",
    "jeugdregio": "provincie",
    "ggdregio": "provincie",
    "veiligheidsregio": "provincie",
    "provincie": None,
    "regio": None,
}
#: Short Dutch labels of the population options (the long ones are gaps.POPULATION_OPTIONS).
POPULATION_LABELS: dict[str, str] = {
    "inwoners": "Inwoners",
    "jongeren": "Jongeren 15-25 jaar (benadering)",
    "eigen": "Eigen referentiepopulatie (meisjes 12-17)",
}
DEMO_KEY = "demo"
DEMO_DATASET_LABEL = f"Voorbeelddataset ({DEMO_LABEL})"
TOTAL_CODE = "ALLE"
TOTAL_NAME = "Alle gemeenten in de dataset"

#: URL parameter (the widget key) -> Dutch name used in notices.
PARAMETERS: dict[str, str] = {
    "dataset": "dataset",
    "jaar": "jaar",
    "niveau": "regioniveau",
    "indicator": "indicator",
    "populatie": "referentiepopulatie",
    "gebied": "gebied",
}

FUNNEL_STEPS: dict[str, str] = {
    "gesignaleerd": "Gesignaleerd",
    "gemeld_comensha": "Gemeld bij CoMensha",
    "doorverwezen": "Doorverwezen",
    "in_behandeling": "In behandeling",
}
#: Role of a row in the funnel and the time series: the highlighted area, its parent region
#: and all areas together.
ROLE_AREA, ROLE_PARENT, ROLE_TOTAL = "gebied", "regio", "alle"


# --------------------------------------------------------------------------------------------
# Options


def level_label(level: str) -> str:
    """Dutch label of a region level ("Gemeente", "GGD-regio", ...)."""
    return REGION_LEVELS[level].label


def available_levels(local: pd.DataFrame) -> list[str]:
    """The levels this dataset can be shown at: all reference levels, and the own grouping
    ("regio") only when the dataset has a ``regio`` column with at least one value."""
    has_region = "regio" in local.columns and local["regio"].notna().any()
    return [level for level in LEVEL_ORDER if level != "regio" or has_region]


def available_populations(local: pd.DataFrame) -> list[str]:
    """Population options that apply: "eigen" only with a filled ``referentiepopulatie``."""
    own = "referentiepopulatie" in local.columns and local["referentiepopulatie"].notna().any()
    return [p for p in gaps.POPULATION_OPTIONS if p != "eigen" or own]


def available_years(local: pd.DataFrame) -> list[int]:
    """The years in the dataset, most recent first (the default is the first)."""
    years = pd.to_numeric(local["jaar"], errors="coerce").dropna().astype(int).unique()
    return sorted((int(y) for y in years), reverse=True)


def url_notices(
    raw: Mapping[str, str | Sequence[str]], allowed: Mapping[str, Iterable[str]]
) -> list[str]:
    """Dutch notices for link parameters whose value is not one of the ``allowed`` labels.

    ``raw`` is the query string as read before the widgets ran (values as in the URL);
    ``allowed`` maps each parameter (see :data:`PARAMETERS`) to the labels offered now. A
    parameter that is absent is fine (the default applies); other parameters are ignored.
    """
    notices = []
    for key, options in allowed.items():
        if key not in raw:
            continue
        value = raw[key]
        if not isinstance(value, str):
            value = value[-1] if len(value) else ""
        if value not in set(options):
            notices.append(
                f"De link bevat een onbekende {PARAMETERS.get(key, key)} '{value}'; "
                "de standaardwaarde wordt getoond."
            )
    return notices


# --------------------------------------------------------------------------------------------
# Number helpers


def shown_numbers(values: pd.Series) -> pd.Series:
    """Counts of a published column as float: NaN for a mark ("<5", "x") or missing."""
    return pd.Series(
        [
            float(v) if isinstance(v, (int, float, np.integer)) and not pd.isna(v) else np.nan
            for v in values
        ],
        index=values.index,
        dtype="float64",
    )


def count_text(value: object) -> str:
    """A published count as text: "1.234", a mark such as "<5" or "x", or "–" when missing."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return MISSING
    return format_count(value)


def format_value(value: object, kind: str) -> str:
    """An indicator value in Dutch notation for its kind ("ratio", "rate", "share")."""
    if kind == "share":
        return format_percent(value)
    if kind == "rate":
        return format_number(value, 2) if not pd.isna(value) else MISSING
    return format_ratio(value)


def _value_formatter(kind: str):
    return lambda value: format_value(value, kind)


# --------------------------------------------------------------------------------------------
# Tables per year (the expensive step)


@dataclass
class LevelTables:
    """Published gap tables of every year for one dataset, level and population option.

    ``by_year`` holds the tables at ``level``; ``parent_by_year`` those at the parent level
    (empty when the level has none); ``total_by_year`` one row for all areas together
    (code :data:`TOTAL_CODE`). ``parent_of`` maps an area code to its parent region code.
    """

    dataset_label: str
    demo: bool
    level: str
    population: str
    publication: bool
    years: list[int]
    by_year: dict[int, pd.DataFrame]
    parent_by_year: dict[int, pd.DataFrame] = field(default_factory=dict)
    total_by_year: dict[int, pd.DataFrame] = field(default_factory=dict)
    parent_of: dict[str, str] = field(default_factory=dict)
    source: str = ""

    @property
    def parent_level(self) -> str | None:
        return PARENT_LEVEL.get(self.level)


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


def _publish(table: pd.DataFrame, local: pd.DataFrame, publication: bool, k: int | None):
    return privacy.publish_gap_table(table, local, k) if publication else table


def source_text(dataset_label: str, population: str, demo: bool) -> str:
    """'Bron: ...' for inside a chart: the dataset and the national estimate behind it."""
    figure = gaps.GIRLS_RATE_FIGURE if population == "eigen" else gaps.DEFAULT_ESTIMATE
    estimate = load_national().short_citation(figure).removeprefix("Bron: ")
    data = DEMO_LABEL if demo else f"eigen cijfers '{dataset_label}'"
    return f"Bron: {data}; verwacht aantal: {estimate}, toegerekend naar referentiepopulatie"


def build_tables(
    local: pd.DataFrame,
    *,
    level: str = DEFAULT_LEVEL,
    population: str = gaps.DEFAULT_POPULATION,
    publication: bool = True,
    dataset_label: str = DEMO_DATASET_LABEL,
    demo: bool = True,
    k: int | None = None,
) -> LevelTables:
    """Gap tables of every year in ``local`` at ``level``, its parent level and in total.

    ``local`` is a dataset as stored (columns of :func:`loverboy_stats.gaps.gap_table`).
    With ``publication`` (the default) every table goes through publication mode with
    threshold ``k`` (None: the configured one). Raises
    :class:`loverboy_stats.gaps.GapInputError` for a level or option the data does not allow.
    """
    years = available_years(local)
    parent = PARENT_LEVEL.get(level)
    everything = local.assign(regio=TOTAL_CODE)
    tables = LevelTables(
        dataset_label=dataset_label,
        demo=demo,
        level=level,
        population=population,
        publication=publication,
        years=years,
        by_year={},
        parent_of=parent_regions(level),
        source=source_text(dataset_label, population, demo),
    )
    for year in years:
        table = gaps.gap_table(local, level=level, year=year, population=population)
        tables.by_year[year] = _publish(table, local, publication, k)
        if parent is not None:
            upper = gaps.gap_table(local, level=parent, year=year, population=population)
            tables.parent_by_year[year] = _publish(upper, local, publication, k)
        total = gaps.gap_table(everything, level="regio", year=year, population=population)
        total["naam"] = TOTAL_NAME
        total.attrs["niveau"] = "totaal"
        # A single total has no other rows to subtract from: primary suppression suffices.
        tables.total_by_year[year] = (
            privacy.apply_publication_mode(total, k) if publication else total
        )
    return tables


def area_options(tables: LevelTables, year: int) -> dict[str, str]:
    """Area code -> label for the highlight choice, sorted by name; the label is the name,
    with the code added where two areas share a name (labels are the link values)."""
    table = tables.by_year[year]
    names = table.set_index("code")["naam"].astype(str)
    doubled = names.duplicated(keep=False)
    labels = {code: f"{name} ({code})" if doubled[code] else name for code, name in names.items()}
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def default_area(tables: LevelTables, year: int) -> str:
    """The area with the largest reference population (a stable default for links)."""
    table = tables.by_year[year]
    population = pd.to_numeric(table["referentiepopulatie"], errors="coerce").fillna(-1)
    return str(table.loc[population.idxmax(), "code"])


# --------------------------------------------------------------------------------------------
# The view of one selection


@dataclass
class CompareView:
    """One selection (year, indicator, highlighted area) on :class:`LevelTables`."""

    tables: LevelTables
    year: int
    indicator_id: str
    area: str
    table: pd.DataFrame
    parent_row: pd.Series | None
    total_row: pd.Series

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.indicator_id]

    @property
    def area_row(self) -> pd.Series:
        return self.table.set_index("code").loc[self.area]

    @property
    def area_name(self) -> str:
        return str(self.area_row["naam"])

    @property
    def level(self) -> str:
        return self.tables.level

    @property
    def demo(self) -> bool:
        return self.tables.demo


def build_view(tables: LevelTables, year: int, indicator: str, area: str | None) -> CompareView:
    """The view of ``year``, ``indicator`` and highlighted ``area`` (a code at the level;
    None or unknown: :func:`default_area`)."""
    if year not in tables.by_year:
        year = tables.years[0]
    if indicator not in INDICATORS:
        indicator = DEFAULT_INDICATOR
    table = tables.by_year[year]
    if area is None or area not in set(table["code"]):
        area = default_area(tables, year)
    parent_row = None
    parent_code = tables.parent_of.get(area)
    if parent_code is not None and year in tables.parent_by_year:
        upper = tables.parent_by_year[year].set_index("code", drop=False)
        if parent_code in upper.index:
            parent_row = upper.loc[parent_code]
    total_row = tables.total_by_year[year].iloc[0]
    return CompareView(tables, year, indicator, area, table, parent_row, total_row)


def reference_lines(view: CompareView) -> pd.DataFrame:
    """The values the ranking is compared with: all areas together and the parent region.

    Columns: ``naam``, ``rol`` (:data:`ROLE_TOTAL`/:data:`ROLE_PARENT`), ``waarde`` (the
    indicator, unrounded), ``waarde_tekst``. Rows whose value is hidden or missing are left out.
    """
    ind = view.indicator
    rows = [(TOTAL_NAME, ROLE_TOTAL, view.total_row[ind.column])]
    if view.parent_row is not None:
        rows.append((str(view.parent_row["naam"]), ROLE_PARENT, view.parent_row[ind.column]))
    frame = pd.DataFrame(rows, columns=["naam", "rol", "waarde"])
    frame["waarde"] = pd.to_numeric(frame["waarde"], errors="coerce").astype("float64")
    frame = frame[frame["waarde"].notna()].reset_index(drop=True)
    frame["waarde_tekst"] = frame["waarde"].map(_value_formatter(ind.kind))
    return frame


def ranking_frame(view: CompareView) -> pd.DataFrame:
    """Areas with a value for the indicator, highest first.

    Columns: ``code``, ``naam``, ``waarde``, ``laag``, ``hoog`` (interval, NaN when none),
    ``waarde_tekst``, ``interval_tekst``, ``gesignaleerd`` (published text), ``gemarkeerd``.
    Areas whose value is hidden (publication mode) or cannot be computed are left out;
    ``attrs["zonder_waarde"]`` counts them.
    """
    ind = view.indicator
    t = view.table
    values = pd.to_numeric(t[ind.column], errors="coerce").astype("float64")
    nan = pd.Series(np.nan, index=t.index)
    low = pd.to_numeric(t[ind.low], errors="coerce").astype("float64") if ind.low else nan
    high = pd.to_numeric(t[ind.high], errors="coerce").astype("float64") if ind.high else nan
    fmt = _value_formatter(ind.kind)
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str),
            "naam": t["naam"].astype(str),
            "waarde": values,
            "laag": low,
            "hoog": high,
            "gesignaleerd": t["gesignaleerd"].map(count_text),
        }
    )
    frame["waarde_tekst"] = frame["waarde"].map(fmt)
    frame["interval_tekst"] = [
        format_interval(lo, hi, fmt) or "geen interval"
        for lo, hi in zip(frame["laag"], frame["hoog"], strict=True)
    ]
    frame["gemarkeerd"] = frame["code"] == view.area
    shown = frame[frame["waarde"].notna()]
    shown = shown.sort_values(["waarde", "naam"], ascending=[False, True]).reset_index(drop=True)
    shown.attrs["zonder_waarde"] = int(frame["waarde"].isna().sum())
    return shown[
        [
            "code",
            "naam",
            "waarde",
            "laag",
            "hoog",
            "waarde_tekst",
            "interval_tekst",
            "gesignaleerd",
            "gemarkeerd",
        ]
    ]


def scatter_frame(view: CompareView) -> pd.DataFrame:
    """Expected against signalled per area, for areas whose signalled count is shown.

    Columns: ``code``, ``naam``, ``verwacht`` (victims per year, apportioned), ``gesignaleerd``
    (persons, a shown count), ``referentiepopulatie`` (people), ``gemarkeerd``.
    ``attrs["zonder_waarde"]`` counts areas left out (count hidden or not reported).
    """
    t = view.table
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str),
            "naam": t["naam"].astype(str),
            "verwacht": pd.to_numeric(t["verwacht"], errors="coerce").astype("float64"),
            "gesignaleerd": shown_numbers(t["gesignaleerd"]),
            "referentiepopulatie": pd.to_numeric(t["referentiepopulatie"], errors="coerce"),
        }
    )
    frame["gemarkeerd"] = frame["code"] == view.area
    keep = frame["gesignaleerd"].notna() & frame["verwacht"].notna()
    shown = frame[keep].reset_index(drop=True)
    shown.attrs["zonder_waarde"] = int((~keep).sum())
    return shown


def _funnel_rows(row: pd.Series, name: str, role: str) -> list[dict]:
    signalled = shown_numbers(pd.Series([row["gesignaleerd"]])).iloc[0]
    rows = []
    for column, step in FUNNEL_STEPS.items():
        count = shown_numbers(pd.Series([row[column]])).iloc[0]
        share = count / signalled if signalled > 0 and not np.isnan(count) else np.nan
        rows.append(
            {
                "gebied": name,
                "rol": role,
                "stap": step,
                "aantal": count,
                "aantal_tekst": count_text(row[column]),
                "aandeel_van_gesignaleerd": share,
                "aandeel_tekst": format_percent(share),
            }
        )
    return rows


def funnel_frame(view: CompareView) -> pd.DataFrame:
    """Signalled -> reported -> referred -> in treatment for the highlighted area, its parent
    region and all areas together.

    Columns: ``gebied``, ``rol``, ``stap`` (Dutch step name), ``aantal`` (persons; NaN when
    hidden or not reported), ``aantal_tekst`` (as published: "12", "<5", "x", "–"),
    ``aandeel_van_gesignaleerd`` (fraction of signalled; NaN unless both counts are shown),
    ``aandeel_tekst``.
    """
    rows = _funnel_rows(view.area_row, view.area_name, ROLE_AREA)
    if view.parent_row is not None:
        rows += _funnel_rows(view.parent_row, str(view.parent_row["naam"]), ROLE_PARENT)
    rows += _funnel_rows(view.total_row, TOTAL_NAME, ROLE_TOTAL)
    return pd.DataFrame(rows)


def series_frame(view: CompareView) -> pd.DataFrame:
    """The indicator per year for the highlighted area, its parent region and all areas.

    Columns: ``jaar``, ``gebied``, ``rol``, ``waarde``, ``laag``, ``hoog`` (NaN when hidden
    or not computable, so a line breaks there), ``waarde_tekst``. Empty with one year only.
    """
    ind = view.indicator
    tables = view.tables
    if len(tables.years) < 2:
        return pd.DataFrame(columns=["jaar", "gebied", "rol", "waarde", "laag", "hoog"])
    parent_code = tables.parent_of.get(view.area)
    sources = [(ROLE_AREA, view.area, tables.by_year, view.area_name)]
    if view.parent_row is not None and parent_code is not None:
        sources.append(
            (ROLE_PARENT, parent_code, tables.parent_by_year, str(view.parent_row["naam"]))
        )
    sources.append((ROLE_TOTAL, TOTAL_CODE, tables.total_by_year, TOTAL_NAME))
    rows = []
    for role, code, by_year, name in sources:
        for year in sorted(tables.years):
            table = by_year[year].set_index("code")
            row = table.loc[code] if code in table.index else None

            def get(column: str | None, row: pd.Series | None = row) -> float:
                if row is None or column is None:
                    return np.nan
                return float(pd.to_numeric(pd.Series([row[column]]), errors="coerce").iloc[0])

            rows.append(
                {
                    "jaar": year,
                    "gebied": name,
                    "rol": role,
                    "waarde": get(ind.column),
                    "laag": get(ind.low),
                    "hoog": get(ind.high),
                }
            )
    frame = pd.DataFrame(rows)
    frame["waarde_tekst"] = frame["waarde"].map(_value_formatter(ind.kind))
    return frame


def map_frame(view: CompareView) -> pd.DataFrame:
    """Every area with its indicator value for the map (NaN: hidden or not computable).

    Columns: ``code``, ``naam``, ``waarde``, ``waarde_tekst`` (Dutch, or an explanation when
    there is no value), ``gemarkeerd``.
    """
    ind = view.indicator
    t = view.table
    values = pd.to_numeric(t[ind.column], errors="coerce").astype("float64")
    hidden = t[privacy.SUPPRESSED_COLUMN].astype(bool) if privacy.SUPPRESSED_COLUMN in t else None
    texts = []
    for position, value in enumerate(values):
        if not np.isnan(value):
            texts.append(format_value(value, ind.kind))
        elif hidden is not None and hidden.iloc[position]:
            texts.append("afgeschermd (kleine aantallen)")
        else:
            texts.append("niet beschikbaar")
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str).to_numpy(),
            "naam": t["naam"].astype(str).to_numpy(),
            "waarde": values.to_numpy(),
            "waarde_tekst": texts,
        }
    )
    frame["gemarkeerd"] = frame["code"] == view.area
    return frame


#: Table columns: gap-table column -> Dutch header. Counts are shown as published text.
TABLE_COUNTS = {
    "gesignaleerd": "gesignaleerd",
    "gemeld_comensha": "gemeld bij CoMensha",
    "doorverwezen": "doorverwezen",
    "in_behandeling": "in behandeling",
}


def table_frame(view: CompareView) -> pd.DataFrame:
    """The numbers behind the charts, one row per area, as display text in Dutch notation.

    Counts are published text ("<5", "x", "–" for not reported). With the demo dataset the
    first column says :data:`loverboy_stats.demo.DEMO_LABEL` on every row. Text, so that a
    hidden count keeps its mark on screen (a table widget shows an empty number as "None").
    """
    t = view.table
    out = pd.DataFrame(index=t.index)
    if view.demo:
        out["gegevens"] = DEMO_LABEL
    out["gebied"] = t["naam"].astype(str)
    out["code"] = t["code"].astype(str)
    for column, header in TABLE_COUNTS.items():
        out[header] = t[column].map(count_text)
    out["referentiepopulatie"] = t["referentiepopulatie"].map(format_count)
    out["verwacht"] = t["verwacht"].map(format_expected)
    for spec in INDICATORS.values():
        fmt = _value_formatter(spec.kind)
        out[spec.label] = t[spec.column].map(fmt)
        if spec.low:
            out[f"{spec.label} interval"] = [
                format_interval(lo, hi, fmt)
                for lo, hi in zip(t[spec.low], t[spec.high], strict=True)
            ]
    out["dekking"] = t["dekking"].map(format_percent)
    out["gemarkeerd"] = (t["code"].astype(str) == view.area).map({True: "ja", False: ""})
    return out.reset_index(drop=True)
