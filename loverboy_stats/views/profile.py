"""View model of the page 'Gemeenteprofiel': one area's gap beside its region, all areas in the
dataset and the country, next to its checklist completion.

Every number and text the page shows is made here or in :mod:`loverboy_stats.views.comparison`
(the rows), so the page only renders. Rows come from published table sets: a hidden count is
missing with its status beside it and is written as its mark ("<5", "x").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pandas as pd

from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.formatting import (
    MISSING,
    format_count,
    format_expected,
    format_interval,
    format_number,
    format_percent,
    format_ratio,
    is_missing,
)
from loverboy_stats.national import load_national
from loverboy_stats.reference import load_municipalities
from loverboy_stats.schema import (
    COUNT_COLUMNS,
    COUNT_LABELS,
    COVERAGE_COLUMNS,
    HIDDEN_STATUSES,
    REFERRAL_BASE_COLUMN,
    CellStatus,
    count_text,
    small_mark,
    status_column,
)
from loverboy_stats.tableset import TableSet
from loverboy_stats.views.comparison import (
    ROLE_AREA,
    ROLE_PARENT,
    Comparison,
    Row,
    compare_area,
    source_figure,
)

#: Levels an area can be: a municipality or a jeugdregio.
AREA_LEVELS = ("gemeente", "jeugdregio")
#: Default area when a dataset has no municipalities the reference table knows.
DEFAULT_AREA = "GM0363"  # Amsterdam


# --------------------------------------------------------------------------------------------
# Areas


def area_options() -> pd.DataFrame:
    """Areas to choose from: municipalities A-Z, then jeugdregio's A-Z.

    Columns: code, naam, niveau ("gemeente"/"jeugdregio"), label (shown in the menu). Built
    once per process from the shipped reference table (the profile page asks on every rerun);
    a copy, so callers may modify it.
    """
    return _area_options().copy()


@lru_cache(maxsize=1)
def area_labels() -> dict[str, str]:
    """Area code -> menu label, in the order of :func:`area_options`; made once per process
    (shared: callers must not modify it)."""
    options = _area_options()
    return dict(zip(options["code"], options["label"], strict=True))


@lru_cache(maxsize=1)
def _area_options() -> pd.DataFrame:
    table = load_municipalities()
    municipalities = pd.DataFrame(
        {"code": table["gemeentecode"], "naam": table["gemeentenaam"], "niveau": "gemeente"}
    ).sort_values("naam")
    regions = (
        table[["jeugdregiocode", "jeugdregionaam"]]
        .drop_duplicates()
        .rename(columns={"jeugdregiocode": "code", "jeugdregionaam": "naam"})
        .assign(niveau="jeugdregio")
        .sort_values("naam")
    )
    out = pd.concat([municipalities, regions], ignore_index=True)
    out["label"] = [
        n if lvl == "gemeente" else f"{n} (jeugdregio)"
        for n, lvl in zip(out["naam"], out["niveau"], strict=True)
    ]
    return out


def default_area(local: pd.DataFrame) -> str:
    """The most populous municipality in the dataset (its figures are least often hidden in
    publication mode); :data:`DEFAULT_AREA` when the dataset has none."""
    table = load_municipalities()
    codes = [c for c in local["gemeentecode"].astype(str).unique() if c in table.index]
    if not codes:
        return DEFAULT_AREA
    return str(table.loc[codes, "inwoners"].idxmax())


def area_info(code: str) -> tuple[str, str]:
    """(naam, niveau) of an area code. Raises KeyError for an unknown code."""
    return _area_names()[code]


@lru_cache(maxsize=1)
def _area_names() -> dict[str, tuple[str, str]]:
    options = _area_options()
    names = zip(options["naam"], options["niveau"], strict=True)
    return dict(zip(options["code"], names, strict=True))


def years_of(local: pd.DataFrame) -> list[int]:
    """Years in a dataset, newest first."""
    return sorted({int(y) for y in pd.to_numeric(local["jaar"]).dropna()}, reverse=True)


# --------------------------------------------------------------------------------------------
# Gap figures


def _count(row: Row, column: str, k: int | None) -> str:
    return count_text(row[column], row[status_column(column)], k, format_count)


def _two_decimals(value: object) -> str:
    return format_number(value, 2)


def display_records(comparison: Comparison, k: int | None, label: str = "") -> list[dict]:
    """The comparison as text in Dutch notation, one record per area (to show and to print):
    the area, its region, all areas in the dataset, and the country's sourced figures.

    Every figure stands beside its own numerator and denominator (see
    :func:`loverboy_stats.gaps.aggregate`), so each row can be checked by hand. ``label`` (e.g.
    :data:`loverboy_stats.demo.DEMO_LABEL`) is added as a field ``cijfers`` so that the table
    itself says the figures are fictitious.
    """
    records = [
        {"gebied": _row_name(role, row, comparison)} | _display_row(row, k)
        for role, row in comparison.named_rows()
    ]
    land = comparison.country
    country_row = {column: MISSING for column in records[0]}
    country_row.update(
        {
            "gebied": land.name,
            "verwacht": format_expected(land.expected),
            "in behandeling": format_count(land.treated),
            "verwacht bij in behandeling": format_expected(land.expected),
            "bereik behandeling": format_percent(land.reach),
            "niet bereikt": format_expected(land.not_reached),
            "verwacht hele gebied": format_expected(land.expected),
        }
    )
    records.append(country_row)
    if label:
        records = [{"cijfers": label} | record for record in records]
    return records


def _display_row(row: Row, k: int | None) -> dict[str, str]:
    """One area's figures as Dutch text, in the order a reader checks them."""
    ratio_band = format_interval(
        row["signaleringsratio_laag"], row["signaleringsratio_hoog"], format_ratio
    )
    rate = row["per_10000"]
    rate_band = format_interval(row["per_10000_laag"], row["per_10000_hoog"], _two_decimals)
    return {
        "gesignaleerd": _count(row, "gesignaleerd", k),
        "referentiepopulatie": format_count(row["referentiepopulatie"]),
        "verwacht": format_expected(row["verwacht"]),
        "signaleringsratio": format_ratio(row["signaleringsratio"]),
        "bandbreedte ratio": ratio_band or "niet gepubliceerd",
        "per 10.000 (95%-interval)": MISSING
        if is_missing(rate)
        else f"{format_number(rate, 2)} ({rate_band})",
        "gemeld bij CoMensha": _count(row, "gemeld_comensha", k),
        "doorverwezen": _count(row, "doorverwezen", k),
        "basis doorverwijspercentage": _count(row, REFERRAL_BASE_COLUMN, k),
        "doorverwijspercentage": format_percent(row["doorverwijspercentage"]),
        "in behandeling": _count(row, "in_behandeling", k),
        "verwacht bij in behandeling": format_expected(row["verwacht_behandeling"]),
        "bereik behandeling": format_percent(row["bereik_behandeling"]),
        "niet bereikt": format_expected(row["niet_bereikt"]),
        **{
            f"dekking {COUNT_LABELS[count]}": format_percent(row[coverage])
            for count, coverage in COVERAGE_COLUMNS.items()
        },
        "verwacht hele gebied": format_expected(row["verwacht_hele_regio"]),
    }


def _row_name(role: str, row: Row, comparison: Comparison) -> str:
    name = str(row["naam"])
    if role == ROLE_PARENT and comparison.parent_level == "jeugdregio":
        return f"{name} (jeugdregio)"
    if role == ROLE_AREA and comparison.level == "jeugdregio":
        return f"{name} (jeugdregio)"
    return name


@dataclass
class GapProfile:
    """Everything the profile shows about the signalling gap of one area in one year."""

    code: str
    name: str
    level: str
    year: int
    comparison: Comparison
    records: list[dict]
    key_figures: list[tuple[str, str, str]]
    source: str
    label: str
    k: int | None
    sets: dict[int, TableSet] = field(default_factory=dict, repr=False)

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per area (see :func:`display_records`), as downloaded."""
        first = self.records[0]
        if any(record.keys() != first.keys() for record in self.records):
            return pd.DataFrame(self.records)
        return _text_frame({key: [record[key] for record in self.records] for key in first})

    @cached_property
    def hidden_counts(self) -> list[str]:
        """The Dutch names of the area's counts publication mode hides ("<k" or "x")."""
        area = self.comparison.area
        if area is None:
            return []
        return [
            COUNT_LABELS[count]
            for count in COUNT_COLUMNS
            if area[status_column(count)] in HIDDEN_STATUSES
        ]

    @cached_property
    def by_indicator(self) -> pd.DataFrame:
        """The same turned a quarter: one row per figure, one column per area (reads better in
        a narrow column and on paper)."""
        figures = [key for key in self.records[0] if key != "gebied"]
        columns = {record["gebied"]: [record[key] for key in figures] for record in self.records}
        return _text_frame({"kenmerk": figures, **columns})

    @cached_property
    def trend(self) -> pd.DataFrame:
        """The signalling ratio over all years of the dataset (see :func:`trend_frame`), made
        when first asked for: it is the same for every year of the area."""
        return trend_frame(self.sets, self.code, self.level)

    @property
    def has_data(self) -> bool:
        """Whether the area reported in this year (a hidden count is data too)."""
        return self.comparison.area is not None

    @property
    def area_row(self) -> Row | None:
        return self.comparison.area

    def csv_frame(self) -> pd.DataFrame:
        """The comparison table as downloaded (the same text the page shows)."""
        return self.table.assign(jaar=self.year)

    def trend_export(self) -> pd.DataFrame:
        """The trend as downloaded, with the dataset label (e.g. fictitious) on every row."""
        return self.trend.assign(cijfers=self.label) if self.label else self.trend


def _text_frame(columns: dict[str, list]) -> pd.DataFrame:
    """``pd.DataFrame(columns)``; when every cell is text, cut from one string array (under half
    the cost: the page makes these frames on every rerun, the every-area test 1,900 times)."""
    cells = [value for values in columns.values() for value in values]
    rows = {len(values) for values in columns.values()}
    if len(rows) != 1 or not cells or not all(type(value) is str for value in cells):
        return pd.DataFrame(columns)
    n, text = rows.pop(), pd.array(cells, dtype="str")
    return pd.DataFrame(
        {key: text[i * n : (i + 1) * n] for i, key in enumerate(columns)}, copy=False
    )


def gap_source(population: str = "inwoners") -> tuple[str, str]:
    """(short source for inside a figure, full citation) of the expected values."""
    data = load_national()
    figure = source_figure(population)
    return data.short_citation(figure), data.citation(figure)


def gap_profile(sets: dict[int, TableSet], code: str, year: int, *, demo: bool) -> GapProfile:
    """The gap figures of area ``code`` in ``year`` beside its region, the dataset total and the
    country, with the signalling ratio over all years of ``sets`` (``trend``)."""
    name, level = area_info(code)
    tables = sets[year]
    comparison = compare_area(tables, level, code)
    label = DEMO_LABEL if demo else ""
    key: list[tuple[str, str, str]] = []
    area = comparison.area
    if area is not None:
        interval = format_interval(
            area["signaleringsratio_laag"], area["signaleringsratio_hoog"], format_ratio
        )
        key = [
            ("Verwacht per jaar", format_expected(area["verwacht"]),
             "Landelijke schatting naar rato van de referentiepopulatie."),
            ("Gesignaleerd", _count(area, "gesignaleerd", tables.k),
             "Gesignaleerde mogelijke slachtoffers in dit jaar."),
            ("Signaleringsratio", format_ratio(area["signaleringsratio"]),
             "Gesignaleerd ÷ verwacht"
             + (f"; bandbreedte {interval}." if interval else "; geen bandbreedte gepubliceerd.")),
            ("In behandeling", _count(area, "in_behandeling", tables.k),
             "Aantal in gespecialiseerde behandeling."),
        ]  # fmt: skip
    return GapProfile(
        code=code,
        name=name,
        level=level,
        year=year,
        comparison=comparison,
        records=display_records(comparison, tables.k, label),
        key_figures=key,
        source=gap_source(tables.population)[1],
        label=label,
        k=tables.k,
        sets=sets,
    )


def trend_frame(sets: dict[int, TableSet], code: str, level: str) -> pd.DataFrame:
    """Signalling ratio per year for the area, its region and all areas in the dataset.

    Columns: jaar, reeks (name), rol, signaleringsratio (NaN where hidden or not reported).
    """
    records = []
    for year in sorted(sets):
        comparison = compare_area(sets[year], level, code)
        for role, row in comparison.named_rows():
            ratio = pd.to_numeric(row["signaleringsratio"], errors="coerce")
            records.append((year, str(row["naam"]), role, float(ratio)))
    return pd.DataFrame(records, columns=["jaar", "reeks", "rol", "signaleringsratio"])


def funnel_steps(profile: GapProfile) -> list[tuple[str, float | None, str]]:
    """From expected to in treatment for the area: (step, value or None, text) per step.

    The value is None for a hidden count (its text is the mark and "afgeschermd") and for a
    count that was not reported ("niet gerapporteerd"); the chart and the printable profile
    draw no bar then, never one at a hidden height.
    """
    row = profile.area_row
    steps = [("verwacht", float(row["verwacht"]), format_expected(row["verwacht"]))]
    for column, label in COUNT_LABELS.items():
        status = row[status_column(column)]
        text = _count(row, column, profile.k)
        if status in HIDDEN_STATUSES:
            steps.append((label, None, f"{text} (afgeschermd)"))
        elif status == CellStatus.NOT_REPORTED:
            steps.append((label, None, "niet gerapporteerd"))
        else:
            steps.append((label, float(row[column]), text))
    return steps


def protection_notice(name: str, hidden: list[str], k: int, role: str) -> str:
    """Why some of an area's counts show as "<k" or "x", what the marks mean, and where the
    real counts can be seen for the user's own use, as far as ``role`` allows."""
    if not hidden:
        return ""
    small = small_mark(k)
    which = ", ".join(hidden)
    text = (
        f"Publicatiemodus schermt kleine aantallen af, zodat niemand uit wat hier staat kan "
        f"afleiden om welke kinderen het gaat. Bij {name} geldt dat voor: {which}. '{small}' "
        f"betekent 1 tot en met {k - 1}; 'x' is afgeschermd zodat een '{small}' elders niet "
        f"terug te rekenen is (het kan 0 zijn of {k} en meer). "
    )
    where = {
        "beheerder": "Voor eigen gebruik kunt u de publicatiemodus in de zijbalk uitzetten; zet "
        "hem weer aan voordat u iets deelt of print.",
        "invoerder": "Is dit een gemeente van uw organisatie, zet dan de publicatiemodus in de "
        "zijbalk uit: op de pagina Eigen cijfers ziet u dan haar echte aantallen. Hier blijven "
        "ze afgeschermd, omdat dit profiel gedeeld en geprint wordt.",
        "lezer": "Met uw rol (lezer) blijven alle cijfers afgeschermd; de echte aantallen kent "
        "de gemeente zelf.",
    }
    return text + where.get(role, where["lezer"])
