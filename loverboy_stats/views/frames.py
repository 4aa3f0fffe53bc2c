"""The frames behind every chart and the table of the page 'Vergelijken'.

Each function takes a :class:`~loverboy_stats.views.compare.CompareView` and returns a plain
DataFrame with documented columns, built from the published tables only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from loverboy_stats.demo import DEMO_LABEL
from loverboy_stats.export import to_spreadsheet_csv
from loverboy_stats.formatting import (
    format_count,
    format_expected,
    format_interval,
    format_percent,
)
from loverboy_stats.reference import TOTAL_NAME
from loverboy_stats.schema import (
    BASE_COLUMNS,
    COUNT_COLUMNS,
    COUNT_LABELS,
    COVERAGE_COLUMNS,
    MEMBER_COLUMNS,
    REFERRAL_BASE_COLUMN,
    GapTable,
    count_text,
    derived_hidden,
    status_column,
)
from loverboy_stats.views.compare import CompareView
from loverboy_stats.views.comparison import ROLE_AREA, ROLE_PARENT, ROLE_TOTAL, Row, compare_area
from loverboy_stats.views.indicators import INDICATORS, format_value, value_formatter

#: The denominator of each funnel step: S of the members that reported the step.
STEP_BASES: dict[str, str] = {"gesignaleerd": "gesignaleerd", **BASE_COLUMNS}
#: Funnel steps: count column -> Dutch step name.
FUNNEL_STEPS: dict[str, str] = {
    c: COUNT_LABELS[c][0].upper() + COUNT_LABELS[c][1:] for c in COUNT_COLUMNS
}


def _numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def counts_text(table: GapTable, column: str) -> pd.Series:
    """A published count column as text: "1.234", "<5", "x" or "–"."""
    frame = table.frame
    return pd.Series(
        [
            count_text(v, s, table.meta.k, format_count)
            for v, s in zip(frame[column], frame[status_column(column)], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


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
    frame["waarde"] = _numbers(frame["waarde"])
    frame = frame[frame["waarde"].notna()].reset_index(drop=True)
    frame["waarde_tekst"] = frame["waarde"].map(value_formatter(ind.kind))
    return frame


def ranking_frame(view: CompareView) -> pd.DataFrame:
    """Areas with a value for the indicator, highest first.

    Columns: ``code``, ``naam``, ``waarde``, ``laag``, ``hoog`` (interval, NaN when none),
    ``waarde_tekst``, ``interval_tekst``, ``gesignaleerd`` (published text), ``gemarkeerd``,
    ``volledig`` (every member of the area reported the indicator's count) and ``gemeenten``
    ("3 van 11 gemeenten"; empty at municipal level). Areas whose value is hidden (publication
    mode) or cannot be computed are left out;
    ``attrs["zonder_waarde"]`` counts them.
    """
    ind = view.indicator
    t = view.table.frame
    nan = pd.Series(np.nan, index=t.index)
    fmt = value_formatter(ind.kind)
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str),
            "naam": t["naam"].astype(str),
            "waarde": _numbers(t[ind.column]),
            "laag": _numbers(t[ind.low]) if ind.low else nan,
            "hoog": _numbers(t[ind.high]) if ind.high else nan,
            "gesignaleerd": counts_text(view.table, "gesignaleerd"),
        }
    )
    frame["waarde_tekst"] = frame["waarde"].map(fmt)
    frame["interval_tekst"] = [
        format_interval(lo, hi, fmt) or "geen interval"
        for lo, hi in zip(frame["laag"], frame["hoog"], strict=True)
    ]
    frame["gemarkeerd"] = frame["code"] == view.area
    frame["volledig"], frame["gemeenten"] = members_reporting(view)
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
            "volledig",
            "gemeenten",
        ]
    ]


def members_reporting(view: CompareView) -> tuple[pd.Series, pd.Series]:
    """Per row of the view's table: whether every member municipality reported the count the
    indicator covers, and "k van n gemeenten" (empty at municipal level, where n is 1)."""
    t = view.table.frame
    members = t[MEMBER_COLUMNS["alle"]].astype("int64")
    reporting = t[MEMBER_COLUMNS[view.indicator.count]].astype("int64")
    complete = (reporting == members).to_numpy()
    texts = [
        "" if view.level == "gemeente" else f"{format_count(k)} van {format_count(n)} gemeenten"
        for k, n in zip(reporting, members, strict=True)
    ]
    return pd.Series(complete, index=t.index), pd.Series(texts, index=t.index, dtype=object)


def scatter_frame(view: CompareView) -> pd.DataFrame:
    """Expected against signalled per area, for areas whose signalled count is shown.

    Columns: ``code``, ``naam``, ``verwacht`` (victims per year, apportioned), ``gesignaleerd``
    (persons, a shown count), ``referentiepopulatie`` (people), ``gemarkeerd``.
    ``attrs["zonder_waarde"]`` counts areas left out (count hidden or not reported).
    """
    t = view.table.frame
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str),
            "naam": t["naam"].astype(str),
            "verwacht": _numbers(t["verwacht"]),
            "gesignaleerd": _numbers(t["gesignaleerd"]),
            "referentiepopulatie": _numbers(t["referentiepopulatie"]),
        }
    )
    frame["gemarkeerd"] = frame["code"] == view.area
    keep = frame["gesignaleerd"].notna() & frame["verwacht"].notna()
    shown = frame[keep].reset_index(drop=True)
    shown.attrs["zonder_waarde"] = int((~keep).sum())
    return shown


def _number(value: object) -> float:
    """A shown count or figure as float; NaN where missing or hidden."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def funnel_rows(row: Row, name: str, role: str, k: int | None) -> list[dict]:
    rows = []
    for column, step in FUNNEL_STEPS.items():
        # The share's denominator is S of the members that reported this step (for
        # "doorverwezen" that makes it the table's doorverwijspercentage).
        base = STEP_BASES[column]
        count, denominator = _number(row[column]), _number(row[base])
        share = count / denominator if denominator > 0 and not np.isnan(count) else np.nan
        rows.append(
            {
                "gebied": name,
                "rol": role,
                "stap": step,
                "aantal": count,
                "aantal_tekst": count_text(
                    row[column], row[status_column(column)], k, format_count
                ),
                "basis": denominator,
                "basis_tekst": count_text(row[base], row[status_column(base)], k, format_count),
                "aandeel_van_gesignaleerd": share,
                "aandeel_tekst": format_percent(share),
            }
        )
    return rows


def funnel_frame(view: CompareView) -> pd.DataFrame:
    """Signalled -> reported -> referred -> in treatment for the highlighted area, its parent
    region and all areas together.

    Columns: ``gebied``, ``rol``, ``stap`` (Dutch step name), ``aantal`` (persons; NaN when
    hidden or not reported), ``aantal_tekst`` (as published: "12", "<5", "x", "–"), ``basis``
    and ``basis_tekst`` (the share's denominator: signalled at the members that reported this
    step), ``aandeel_van_gesignaleerd`` (aantal ÷ basis; NaN unless both are shown),
    ``aandeel_tekst``.
    """
    rows = funnel_rows(view.area_row, view.area_name, ROLE_AREA, view.k)
    if view.parent_row is not None:
        rows += funnel_rows(view.parent_row, str(view.parent_row["naam"]), ROLE_PARENT, view.k)
    rows += funnel_rows(view.total_row, TOTAL_NAME, ROLE_TOTAL, view.k)
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
    rows = []
    for year in sorted(tables.years):
        comparison = compare_area(tables.sets[year], view.level, view.area)
        by_role = {
            ROLE_AREA: (comparison.area, view.area_name),
            ROLE_PARENT: (
                comparison.parent,
                str(view.parent_row["naam"]) if view.parent_row is not None else "",
            ),
            ROLE_TOTAL: (comparison.total, TOTAL_NAME),
        }
        for role, (row, name) in by_role.items():
            if role == ROLE_PARENT and view.parent_row is None:
                continue

            def get(column: str | None, row: Row | None = row) -> float:
                return np.nan if row is None or column is None else _number(row[column])

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
    order = {ROLE_AREA: 0, ROLE_PARENT: 1, ROLE_TOTAL: 2}
    frame = frame.sort_values(["rol", "jaar"], key=lambda s: s.map(order) if s.name == "rol" else s)
    frame = frame.reset_index(drop=True)
    frame["waarde_tekst"] = frame["waarde"].map(value_formatter(ind.kind))
    return frame


def map_frame(view: CompareView) -> pd.DataFrame:
    """Every area with its indicator value for the map (NaN: hidden or not computable).

    Columns: ``code``, ``naam``, ``waarde``, ``waarde_tekst`` (Dutch, or an explanation when
    there is no value), ``gemarkeerd``, ``volledig`` and ``gemeenten`` (see
    :func:`members_reporting`).
    """
    ind = view.indicator
    t = view.table.frame
    values = _numbers(t[ind.column])
    hidden = derived_hidden(t, ind.column)
    texts = [
        format_value(value, ind.kind)
        if not np.isnan(value)
        else "afgeschermd (kleine aantallen)"
        if is_hidden
        else "niet beschikbaar"
        for value, is_hidden in zip(values, hidden, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "code": t["code"].astype(str).to_numpy(),
            "naam": t["naam"].astype(str).to_numpy(),
            "waarde": values.to_numpy(),
            "waarde_tekst": texts,
        }
    )
    frame["gemarkeerd"] = frame["code"] == view.area
    complete, members = members_reporting(view)
    frame["volledig"], frame["gemeenten"] = complete.to_numpy(), members.to_numpy()
    return frame


def table_frame(view: CompareView) -> pd.DataFrame:
    """The numbers behind the charts, one row per area, as display text in Dutch notation.

    Counts and bases are published text ("<5", "x", "–" for not reported). Every figure stands
    beside its own numerator and denominator: ``verwacht`` and ``referentiepopulatie`` are
    those of the reporting members, the whole area's values have columns of their own. With the
    demo dataset the first column says :data:`loverboy_stats.demo.DEMO_LABEL` on every row.
    Text, so that a hidden count keeps its mark on screen.
    """
    table, t = view.table, view.table.frame
    out = pd.DataFrame(index=t.index)
    if view.demo:
        out["gegevens"] = DEMO_LABEL
    out["gebied"] = t["naam"].astype(str)
    out["code"] = t["code"].astype(str)
    for column in COUNT_COLUMNS:
        out[COUNT_LABELS[column]] = counts_text(table, column)
    out["referentiepopulatie"] = t["referentiepopulatie"].map(format_count)
    out["verwacht"] = t["verwacht"].map(format_expected)
    for key, spec in INDICATORS.items():
        fmt = value_formatter(spec.kind)
        if key == "doorverwijspercentage":
            out["basis doorverwijspercentage"] = counts_text(table, REFERRAL_BASE_COLUMN)
        if key == "bereik_behandeling":
            out["verwacht bij in behandeling"] = t["verwacht_behandeling"].map(format_expected)
        out[spec.label] = t[spec.column].map(fmt)
        if spec.low:
            out[f"{spec.label} interval"] = [
                format_interval(lo, hi, fmt)
                for lo, hi in zip(t[spec.low], t[spec.high], strict=True)
            ]
    out["niet bereikt"] = t["niet_bereikt"].map(format_expected)
    for column, coverage in COVERAGE_COLUMNS.items():
        out[f"dekking {COUNT_LABELS[column]}"] = t[coverage].map(format_percent)
    out["verwacht hele gebied"] = t["verwacht_hele_regio"].map(format_expected)
    out["referentiepopulatie hele gebied"] = t["referentiepopulatie_hele_regio"].map(format_count)
    out["gemarkeerd"] = (t["code"].astype(str) == view.area).map({True: "ja", False: ""})
    return out.reset_index(drop=True)


def table_outputs(view: CompareView) -> tuple[pd.DataFrame, bytes, pa.Table]:
    """:func:`table_frame` of ``view``, its CSV for Dutch Excel, and the same table as Arrow for
    the page's table widget: converted once with the view, where Streamlit converts a
    DataFrame on every rerun (~2 ms for 342 municipalities); same columns and text, no index
    (the page hides it anyway)."""
    table = table_frame(view)
    return table, to_spreadsheet_csv(table), pa.Table.from_pandas(table, preserve_index=False)
