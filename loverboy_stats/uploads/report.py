"""The outcome of a validation: clean rows and a list of problems with their Excel rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loverboy_stats.uploads.numbers import Distinct
from loverboy_stats.uploads.spec import ERROR, WARNING


@dataclass
class ValidationResult:
    """Outcome of validating an upload.

    ``data``: the clean rows (those without an error) with columns :data:`CLEAN_COLUMNS` as
    nullable ``Int64`` (a missing count is ``<NA>``, not reported), plus ``referentiepopulatie``
    (Int64) and ``regio`` (string) when uploaded. ``issues``: one row per problem with columns
    :data:`ISSUE_COLUMNS`. ``ok``: True when there is no error (warnings are allowed).
    """

    data: pd.DataFrame
    issues: pd.DataFrame
    notices: list[str]
    rows: int
    filename: str = ""
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.issues["niveau"] == ERROR).any()

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["niveau"] == ERROR]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["niveau"] == WARNING]


class _Issues:
    """Collects problems as small vectorised frames and concatenates them once."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: pd.Series,
        column: str,
        values: pd.Series | str,
        message: pd.Series | str,
        level: str = ERROR,
    ) -> None:
        """A problem on every row where ``mask`` (a Series on the rows) is true."""
        hit = mask.to_numpy(dtype=bool)
        if not hit.any():
            return
        self.add_at(
            mask.index[hit],
            column,
            values[hit] if isinstance(values, pd.Series) else values,
            message[hit] if isinstance(message, pd.Series) else message,
            level,
        )

    def add_distinct(
        self,
        cells: Distinct,
        per_value: np.ndarray,
        column: str,
        message: np.ndarray | str,
        level: str = ERROR,
        *,
        values: str | None = None,
    ) -> None:
        """A problem on every row whose distinct value (see :class:`Distinct`) is marked in
        ``per_value``; ``message`` is one text or one per distinct value. The value shown is
        the row's text, or ``values``."""
        per_value = np.asarray(per_value, dtype=bool)
        if not per_value.any():
            return
        hit = per_value[cells.rows]
        if not isinstance(message, str):
            message = np.asarray(message, dtype=object)[cells.rows[hit]]
        shown = cells.texts(hit) if values is None else values
        self.add_at(cells.index[hit], column, shown, message, level)

    def add_at(self, rows: pd.Index, column: str, values, message, level: str = ERROR) -> None:
        """A problem on each of ``rows`` (Excel row numbers); ``values`` and ``message`` are one
        text or one per row, in the order of ``rows``."""
        values, message = (v.array if isinstance(v, pd.Series) else v for v in (values, message))
        part = pd.DataFrame(
            {"rij": rows, "kolom": column, "waarde": values, "melding": message, "niveau": level},
            index=rows,
        )
        self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "rij": pd.Series(dtype="int64"),
                    "kolom": pd.Series(dtype=str),
                    "waarde": pd.Series(dtype=str),
                    "melding": pd.Series(dtype=str),
                    "niveau": pd.Series(dtype=str),
                }
            )
        out = pd.concat(self.parts, ignore_index=True)
        out["rij"] = out["rij"].astype("int64")
        rows = out["rij"].to_numpy()
        if (rows[1:] > rows[:-1]).all():  # one problem per row, in row order: sorted already
            return out
        # Per row, errors before warnings; otherwise in the order found (a stable sort).
        warning_last = (out["niveau"] == WARNING).to_numpy()
        order = np.lexsort((warning_last, rows))
        return out.iloc[order].reset_index(drop=True)
