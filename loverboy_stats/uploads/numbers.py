"""Text columns as their distinct values, and numbers in Dutch notation from text cells.

An upload repeats the same few values over many rows (a year, a count, a municipality), and
every check of a cell depends on its text alone. So a column is factorised once (hashing in
Arrow's C++) and each distinct text is parsed and checked once; the results are spread to the
rows by integer indexing. A 100,000-row file costs little more than its distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# ASCII digits and a literal set of blanks (not \d, \s): pyarrow's RE2 then runs these
# patterns natively instead of falling back to Python's re cell by cell.
_THOUSANDS = r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"
_COMMA_DECIMAL = r"[+-]?[0-9]+(?:,[0-9]+)?"
_DOT_DECIMAL = r"[+-]?[0-9]*\.[0-9]+"
#: Blanks inside a number ("1 234"): space, tab, no-break, narrow no-break, figure, thin space.
_BLANKS = "[ \t\u00a0\u202f\u2007\u2009]"


@dataclass(frozen=True)
class Distinct:
    """A column of text cells as its distinct values: for every row (labelled by ``index``),
    ``rows`` holds the position of its text in ``values``. (A grouping by something else, such
    as a (code, name) pair, may repeat a text in ``values``.)"""

    index: pd.Index
    rows: np.ndarray
    values: pd.Series

    @classmethod
    def of(cls, column: pd.Series) -> Distinct:
        """A column of text: categorical as the reader gives it (its categories are the
        distinct values), or plain text, factorised here."""
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = column.cat.categories
            return cls(column.index, column.cat.codes.to_numpy(), pd.Series(categories.array))
        codes, uniques = column.astype(str).array.factorize()
        return cls(column.index, codes, pd.Series(uniques))

    def texts(self, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """The text of ``rows`` (a mask or positions over the rows)."""
        return self.values.array.take(self.rows[rows])

    def on_rows(self, per_value, keep: np.ndarray | None = None) -> pd.Series:
        """A pandas array per distinct text -> a Series on the rows (its dtype kept); only on
        the rows marked in ``keep`` when given."""
        if keep is None:
            return pd.Series(per_value.take(self.rows), index=self.index)
        return pd.Series(per_value.take(self.rows[keep]), index=self.index[keep])


def parse_dutch_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from text cells in Dutch notation: ('1.234' -> 1234, '12,0' -> 12, '' -> NaN).

    A dot followed by exactly three digits is a thousands separator; a comma is the decimal
    separator; a dot otherwise is a decimal point ('12.5'). Returns (float values, with NaN for
    empty and unreadable cells; mask of unreadable non-empty cells), as numpy arrays. Callers
    pass the distinct values of a column (:class:`Distinct`); Arrow's kernels do the work.
    """
    cells = pa.array(text.astype(str).array)
    # Most cells are plain digits or empty: cast those at once, parse only the rest.
    simple = _fullmatch(cells, "[0-9]+")
    values = _as_floats(cells, simple)
    unreadable = np.zeros(len(cells), dtype=bool)
    hard = pc.and_(pc.invert(simple), pc.not_equal(cells, ""))
    positions = np.flatnonzero(hard.to_numpy(zero_copy_only=False))
    if len(positions):
        values[positions], unreadable[positions] = _parse_notations(cells.take(positions))
    return values, unreadable


def _fullmatch(cells: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(cells, f"^{pattern}$")


def _as_floats(cells: pa.Array, readable: pa.Array) -> np.ndarray:
    """The cells where ``readable`` (plain numbers) as floats, NaN elsewhere; Arrow's cast
    parses them in C++."""
    chosen = pc.if_else(readable, cells, pa.scalar(None, cells.type))
    return pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False)


def _parse_notations(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_dutch_numbers` for cells with blanks, separators, signs or letters."""
    cells = pc.replace_substring_regex(cells, _BLANKS, "")
    thousands = _fullmatch(cells, _THOUSANDS)
    comma = pc.and_(pc.invert(thousands), _fullmatch(cells, _COMMA_DECIMAL))
    dot = pc.and_(pc.invert(pc.or_(thousands, comma)), _fullmatch(cells, _DOT_DECIMAL))
    plain = pc.if_else(thousands, pc.replace_substring(cells, ".", ""), cells)
    plain = pc.replace_substring(plain, ",", ".")
    readable = pc.or_(thousands, pc.or_(comma, dot))
    unreadable = pc.and_(pc.not_equal(cells, ""), pc.invert(readable))
    return _as_floats(plain, readable), unreadable.to_numpy(zero_copy_only=False)
