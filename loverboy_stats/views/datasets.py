"""Stored and uploaded datasets as the page 'Eigen cijfers' shows and exports them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loverboy_stats.access import (
    AccessDenied,
    Actor,
    may_see_own_unprotected,
    may_unprotect_all,
    require_unprotected,
)
from loverboy_stats.formatting import format_count, format_local_time
from loverboy_stats.models import DatasetInfo
from loverboy_stats.privacy.sources import PatternSource
from loverboy_stats.schema import COUNT_COLUMNS, CellStatus, count_cell, small_mark, status_column
from loverboy_stats.tableset import build_table_set


def datasets_frame(infos: Sequence[DatasetInfo]) -> pd.DataFrame:
    """Stored datasets as a table to show: Dutch column names, upload time in Dutch time."""
    return pd.DataFrame(
        {
            "naam": [i.name for i in infos],
            "bestand": [i.filename for i in infos],
            "rijen": pd.array([i.row_count for i in infos], dtype="Int64"),
            "organisatie": [i.organisation for i in infos],
            "opgeslagen": [format_local_time(i.uploaded_at) for i in infos],
        }
    )


def published_dataset(
    data: pd.DataFrame,
    publication: bool = True,
    patterns: PatternSource | None = None,
    *,
    viewer: Actor | None = None,
) -> pd.DataFrame:
    """A dataset (clean upload or stored) as it may be shown or downloaded.

    With ``publication`` on (the default), each year's counts are those of the municipal table
    of the year's published table set, so the preview hides exactly what every other view hides:
    a hidden count becomes its mark ("<5", "x"). Off: the figures as uploaded, only for a
    ``viewer`` who may see every count (else :class:`~loverboy_stats.access.AccessDenied`).
    """
    if not publication:
        require_unprotected(viewer)
        return data.copy()
    if data.empty:
        return data.copy()
    out = data.copy()
    for column in COUNT_COLUMNS:
        out[column] = out[column].astype(object)
    years = pd.to_numeric(data["jaar"], errors="coerce")
    for year in sorted(years.dropna().unique()):
        tables = build_table_set(data, year=int(year), patterns=patterns)
        shown = tables["gemeente"].frame.set_index("code")
        rows = years == year
        codes = data.loc[rows, "gemeentecode"].astype(str)
        for column in COUNT_COLUMNS:
            out.loc[rows, column] = [
                count_cell(shown.at[code, column], shown.at[code, status_column(column)], tables.k)
                for code in codes
            ]
    return out


def as_shown(published: pd.DataFrame) -> pd.DataFrame:
    """``published`` (see :func:`published_dataset`) for a table on screen: each count column
    as Dutch text, a number with its thousands dot, a mark as it is and '–' for not reported
    (a column on screen holds one type, not numbers and marks mixed)."""
    out = published.copy()
    for column in COUNT_COLUMNS:
        if column in out:
            out[column] = [v if isinstance(v, str) else format_count(v) for v in out[column]]
    return out


def protection_summary(data: pd.DataFrame, patterns: PatternSource | None = None) -> str:
    """What publication mode will hide in ``data``, in one Dutch sentence per year."""
    lines = []
    years = pd.to_numeric(data["jaar"], errors="coerce")
    for year in sorted(years.dropna().unique()):
        tables = build_table_set(data, year=int(year), patterns=patterns)
        k = tables.k
        municipal = tables["gemeente"].frame
        states = municipal[[status_column(c) for c in COUNT_COLUMNS]].to_numpy().ravel()
        reported = sum(s != CellStatus.NOT_REPORTED for s in states)
        small = sum(s == CellStatus.SMALL for s in states)
        protected = sum(s == CellStatus.PROTECTED for s in states)
        regions = [t.frame for level, t in tables.tables.items() if level != "gemeente"]
        region_states = pd.concat(regions)["gesignaleerd_status"] if regions else pd.Series()
        shown_regions = int((region_states == CellStatus.SHOWN).sum())
        lines.append(
            f"{int(year)}: van de {reported} gemeentelijke aantallen staan er {small} als "
            f"'{small_mark(k)}' en {protected} als 'x' afgeschermd; van de {len(region_states)} "
            f"regio- en totaalcijfers 'gesignaleerd' blijven er {shown_regions} zichtbaar."
        )
    return "\n".join(lines)


#: Column of :func:`dataset_for` that says how each row is shown.
SHOWN_AS = "weergave"
OWN_UNPROTECTED = "onbeschermd (eigen gemeente)"
PROTECTED = "publicatiemodus"


def own_rows(data: pd.DataFrame, viewer: Actor) -> pd.DataFrame:
    """The rows of ``data`` of the viewer's own municipalities, with their counts as stored:
    an invoerder's own view with publication mode off. A beheerder gets every row; a lezer is
    refused (:class:`~loverboy_stats.access.AccessDenied`)."""
    if not may_see_own_unprotected(viewer):
        raise AccessDenied("Uw rol mag geen onbeschermde aantallen zien.")
    if may_unprotect_all(viewer):
        return data.copy()
    return data[data["gemeentecode"].astype(str).isin(viewer.municipalities)].copy()


def dataset_for(
    data: pd.DataFrame,
    viewer: Actor,
    unprotected: bool,
    patterns: PatternSource | None = None,
) -> pd.DataFrame:
    """A stored dataset as ``viewer`` may download it.

    Publication mode on (``unprotected`` False): :func:`published_dataset`. Off, for a
    beheerder: everything as stored. Off, for an invoerder: the published dataset with only the
    rows of its own municipalities as stored, and a column :data:`SHOWN_AS` saying which rows
    those are. The other rows come from the same protected table set as everywhere else; the
    own counts add nothing an own municipality does not know. A lezer cannot ask for this.
    """
    if not unprotected:
        return published_dataset(data, True, patterns)
    if may_unprotect_all(viewer):
        return published_dataset(data, False, viewer=viewer)
    own = own_rows(data, viewer)
    out = published_dataset(data, True, patterns)
    out[SHOWN_AS] = PROTECTED
    for column in COUNT_COLUMNS:
        out.loc[own.index, column] = own[column].astype(object)
    out.loc[own.index, SHOWN_AS] = OWN_UNPROTECTED
    return out
