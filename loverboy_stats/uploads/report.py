"""The outcome of a validation: clean rows and a list of problems with their Excel rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    """One text, a coded pair, a categorical or texts per row, as a coded pair (texts per row
    are not deduplicated here: :func:`_categorical` does that for all parts at once)."""
    if isinstance(texts, tuple):
        return texts
    if isinstance(texts, str):
        return np.zeros(length, dtype=np.intp), [texts]
    if isinstance(texts, pd.Categorical):
        return texts.codes, texts.categories.array
    return np.arange(length, dtype=np.intp), texts.array if isinstance(texts, pd.Series) else texts


def _arrow_texts(texts) -> pa.Array:
    """Texts (a list, an array or an Arrow array; None or NaN: missing) as Arrow large strings."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not isinstance(texts, pa.Array):
        texts = pa.array(texts, type=pa.large_string(), from_pandas=True)
    return texts if texts.type == pa.large_string() else texts.cast(pa.large_string())


def _categorical(parts: list[Coded]) -> tuple[np.ndarray, pd.Index]:
    """The coded parts one after another, as (codes, categories) of one categorical of their
    distinct texts, in order of first appearance among the parts' texts; only the texts some
    row shows. Arrow hashes the texts (no Python string per text)."""
    texts = [_arrow_texts(part_texts) for _, part_texts in parts]
    encoded = pc.dictionary_encode(pa.concat_arrays(texts))
    kind = np.int32 if len(encoded) < 2**31 else np.int64  # a million rows: 4 MB, not 8
    where = pc.fill_null(encoded.indices, -1).to_numpy().astype(kind)
    start, coded = 0, []
    for (codes, _), part in zip(parts, texts, strict=True):
        # The last position of a part's lookup is -1, for the codes -1 (a missing text).
        lookup = np.append(where[start : start + len(part)], -1)
        coded.append(lookup[np.asarray(codes)])
        start += len(part)
    codes = coded[0] if len(coded) == 1 else np.concatenate(coded)  # one part: no copy
    del coded
    # Only the texts some row shows (a column's texts include those no problem is about).
    used = np.zeros(len(encoded.dictionary) + 1, dtype=bool)
    used[codes] = True  # a missing text (-1) marks the extra last position
    used = used[:-1]
    renumbered = np.append(np.cumsum(used) - 1, -1).astype(codes.dtype)
    categories = pd.Index(pd.array(encoded.dictionary.filter(used), dtype="str"))
    return renumbered[codes], categories


def _single_texts(texts: list[str], lengths: list[int]) -> tuple[np.ndarray, pd.Index]:
    """One text per part (the column, the level) as (codes on the rows, categories)."""
    position: dict[str, int] = {}
    part_codes = [position.setdefault(text, len(position)) for text in texts]
    codes = np.repeat(np.asarray(part_codes, dtype=np.int32), lengths)
    return codes, pd.Index(pd.array(list(position), dtype="str"))


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

    def rows(self, level: str) -> np.ndarray:
        """The Excel rows of the problems of ``level`` (a row once for each of its problems)."""
        found = [part[0] for part in self.parts if part[4] == level]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

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
        lengths = [len(part[0]) for part in self.parts]
        coded = {
            "kolom": _single_texts([part[1] for part in self.parts], lengths),
            "waarde": _categorical([part[2] for part in self.parts]),
            "melding": _categorical([part[3] for part in self.parts]),
            "niveau": _single_texts([part[4] for part in self.parts], lengths),
        }
        if not (rows[1:] > rows[:-1]).all():
            # Per row, errors before warnings; otherwise in the order found (a stable sort;
            # every part is in row order, so this merges sorted runs).
            codes, categories = coded["niveau"]
            warning_last = codes == categories.get_loc(WARNING) if WARNING in categories else 0
            order = np.argsort(rows * 2 + warning_last, kind="stable")
            rows = rows[order]
            coded = {name: (codes[order], texts) for name, (codes, texts) in coded.items()}
        columns = {
            name: pd.Categorical.from_codes(codes, categories=texts, validate=False)
            for name, (codes, texts) in coded.items()
        }
        return pd.DataFrame({"rij": rows, **columns}, copy=False)  # made here, owned by none
