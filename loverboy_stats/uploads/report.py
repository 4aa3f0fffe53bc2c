"""The outcome of a validation: clean rows and a list of problems with their Excel rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        part = pd.DataFrame(
            {
                "rij": rows,
                "kolom": column,
                "waarde": values[mask] if isinstance(values, pd.Series) else values,
                "melding": message[mask] if isinstance(message, pd.Series) else message,
                "niveau": level,
            },
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
        # Per row, errors before warnings; otherwise in the order found (a stable sort).
        warning_last = (out["niveau"] == WARNING).to_numpy()
        order = np.lexsort((warning_last, out["rij"].to_numpy()))
        return out.iloc[order].reset_index(drop=True)
