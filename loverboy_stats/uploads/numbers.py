"""Numbers in Dutch notation from text cells, vectorised over whole columns."""

from __future__ import annotations

import pandas as pd

# ASCII digits and a literal set of blanks (not \d, \s): pyarrow's RE2 then runs these
# patterns natively instead of falling back to Python's re cell by cell.
_THOUSANDS = r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?"
_COMMA_DECIMAL = r"[+-]?[0-9]+(?:,[0-9]+)?"
_DOT_DECIMAL = r"[+-]?[0-9]*\.[0-9]+"
#: Blanks inside a number ("1 234"): space, tab, no-break, narrow no-break, figure, thin space.
_BLANKS = "[ \t\u00a0\u202f\u2007\u2009]"


def parse_dutch_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from text cells in Dutch notation: ('1.234' -> 1234, '12,0' -> 12, '' -> NaN).

    A dot followed by exactly three digits is a thousands separator; a comma is the decimal
    separator; a dot otherwise is a decimal point ('12.5'). Returns (float values, with NaN for
    empty and unreadable cells; mask of unreadable non-empty cells).
    """
    text = text.astype(str)
    # Most cells are plain digits or empty: cast those at once, parse only the rest.
    simple = text.str.fullmatch("[0-9]+")
    values = text.where(simple).astype("double[pyarrow]").astype("float64")
    unreadable = pd.Series(False, index=text.index)
    hard = (~simple & (text != "")).to_numpy()
    if hard.any():
        hard_values, hard_unreadable = _parse_notations(text[hard])
        values[hard] = hard_values.to_numpy()
        unreadable[hard] = hard_unreadable.to_numpy()
    return values, unreadable


def _parse_notations(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_dutch_numbers` for cells with blanks, separators, signs or letters."""
    cells = text.str.replace(_BLANKS, "", regex=True)
    thousands = cells.str.fullmatch(_THOUSANDS)
    comma = ~thousands & cells.str.fullmatch(_COMMA_DECIMAL)
    dot = ~thousands & ~comma & cells.str.fullmatch(_DOT_DECIMAL)
    plain = cells.where(~thousands, cells.str.replace(".", "", regex=False))
    plain = plain.str.replace(",", ".", regex=False)
    readable = thousands | comma | dot
    # Every readable cell is now a plain number; Arrow's cast parses them in C++.
    values = plain.where(readable).astype("double[pyarrow]").astype("float64")
    return values, (cells != "") & ~readable
