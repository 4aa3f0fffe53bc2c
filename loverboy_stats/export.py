"""Safe tabular exports: the one way a table leaves the app as a file.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) as a formula. Every text cell that could be read that way gets a leading apostrophe, the
usual neutraliser (OWASP "CSV injection"). Numbers stay numbers: only text cells are touched, so a
negative number written as a number is not altered.
"""

from __future__ import annotations

import io

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            try:
                # .str gives NaN for non-text cells, so numbers stay untouched.
                risky = series.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            except AttributeError:  # an object column without any text
                continue
            if risky.any():
                out[column] = series.mask(risky, "'" + series[risky].astype(str))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, *, dutch: bool = False) -> bytes:
    """CSV bytes of ``frame`` with formula neutralisation.

    ``dutch=False`` (default): comma-separated, dot decimals, UTF-8 (machine-readable).
    ``dutch=True``: semicolon-separated with decimal commas and a UTF-8 BOM, which Dutch Excel
    opens correctly by double-clicking.
    """
    safe = neutralise_frame(frame)
    buffer = io.StringIO()
    if dutch:
        safe.to_csv(buffer, index=False, sep=";", decimal=",")
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    safe.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
