"""Stored and uploaded datasets as the page 'Eigen cijfers' shows and exports them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from loverboy_stats.models import DatasetInfo
from loverboy_stats.schema import COUNT_COLUMNS, count_cell, status_column
from loverboy_stats.tableset import build_table_set


def datasets_frame(infos: Sequence[DatasetInfo]) -> pd.DataFrame:
    """Stored datasets as a table to show: Dutch column names, upload time as text in UTC."""
    return pd.DataFrame(
        {
            "naam": [i.name for i in infos],
            "bestand": [i.filename for i in infos],
            "rijen": pd.array([i.row_count for i in infos], dtype="Int64"),
            "opgeslagen (UTC)": [i.uploaded_at.strftime("%d-%m-%Y %H:%M") for i in infos],
        }
    )


def published_dataset(data: pd.DataFrame, publication: bool = True) -> pd.DataFrame:
    """A dataset (clean upload or stored) as it may be shown or downloaded.

    With ``publication`` on (the default), each year's counts are those of the municipal table
    of the year's published table set, so the preview hides exactly what every other view hides:
    a hidden count becomes its mark ("<5", "x"). Off: the figures as uploaded.
    """
    if not publication or data.empty:
        return data.copy()
    out = data.copy()
    for column in COUNT_COLUMNS:
        out[column] = out[column].astype(object)
    years = pd.to_numeric(data["jaar"], errors="coerce")
    for year in sorted(years.dropna().unique()):
        tables = build_table_set(data, year=int(year))
        shown = tables["gemeente"].frame.set_index("code")
        rows = years == year
        codes = data.loc[rows, "gemeentecode"].astype(str)
        for column in COUNT_COLUMNS:
            out.loc[rows, column] = [
                count_cell(shown.at[code, column], shown.at[code, status_column(column)], tables.k)
                for code in codes
            ]
    return out
