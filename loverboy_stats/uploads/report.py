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


#: A column of texts on some rows, coded: (for every row the position of its text, the texts).
#: The texts may repeat; a position of -1 is a missing text.
Coded = tuple[np.ndarray, object]


def _coded(texts, length: int) -> Coded:
    """One text, a coded pair, a categorical or texts per row, as a coded pair."""
    if isinstance(texts, tuple):
        return texts
    if isinstance(texts, str):
        return np.zeros(length, dtype=np.intp), [texts]
    if isinstance(texts, pd.Categorical):
        return texts.codes, texts.categories.array
    return pd.factorize(texts.array if isinstance(texts, pd.Series) else texts)


def _categorical(parts: list[Coded]) -> pd.Categorical:
    """The coded parts one after another, as one categorical of their distinct texts."""
    texts = [np.asarray(part_texts, dtype=object) for _, part_texts in parts]
    offsets = np.cumsum([0, *map(len, texts)])
    kind = np.int32 if offsets[-1] < 2**31 else np.int64  # a million rows: 4 MB, not 8
    joined = np.concatenate(
        [np.where(codes >= 0, codes.astype(kind) + kind(start), -1).astype(kind)
         for (codes, _), start in zip(parts, offsets, strict=False)]
    )  # fmt: skip
    where, distinct = pd.factorize(np.concatenate(texts))
    codes = np.where(joined >= 0, where.astype(kind)[np.maximum(joined, 0)], -1).astype(kind)
    del joined
    # Only the texts some row shows (a column's texts include those no problem is about).
    used = np.zeros(len(distinct), dtype=bool)
    used[codes[codes >= 0]] = True
    new_position = (np.cumsum(used) - 1).astype(kind)
    codes = np.where(codes >= 0, new_position[np.maximum(codes, 0)], -1).astype(kind)
    categories = pd.Index(pd.array(distinct[used], dtype="str"))
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


class _Issues:
    """Collects problems on whole columns and makes one frame of them at the end.

    A report can hold a problem for each of a million rows, mostly a few texts repeated (the
    column, the level, a message per municipality-year), so the text columns are categorical:
    each distinct text is held once and a row is a few integers."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, str, Coded, Coded, str]] = []

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
        codes = cells.rows[hit]
        if not isinstance(message, str):
            message = (codes, message)
        shown = (codes, cells.values.array) if values is None else values
        self.add_at(cells.index[hit], column, shown, message, level)

    def add_at(self, rows: pd.Index, column: str, values, message, level: str = ERROR) -> None:
        """A problem on each of ``rows`` (Excel row numbers); ``values`` and ``message`` are one
        text, texts per row in the order of ``rows``, or coded (see :data:`Coded`)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        values, message = _coded(values, len(rows)), _coded(message, len(rows))
        self.parts.append((rows, column, values, message, level))

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
        rows = np.concatenate([part[0] for part in self.parts])
        columns = {
            "kolom": _categorical([_coded(part[1], len(part[0])) for part in self.parts]),
            "waarde": _categorical([part[2] for part in self.parts]),
            "melding": _categorical([part[3] for part in self.parts]),
            "niveau": _categorical([_coded(part[4], len(part[0])) for part in self.parts]),
        }
        if not (rows[1:] > rows[:-1]).all():
            # Per row, errors before warnings; otherwise in the order found (a stable sort).
            warning_last = np.asarray(columns["niveau"] == WARNING)
            order = np.lexsort((warning_last, rows))
            rows, columns = rows[order], {k: v.take(order) for k, v in columns.items()}
        return pd.DataFrame({"rij": rows, **columns})
