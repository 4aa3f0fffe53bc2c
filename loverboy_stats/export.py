"""Safe tabular exports: the one way a table leaves the app or the command line as a file.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some a tab or
carriage return) as a formula (OWASP "CSV injection"). A text reaches the start of a cell in two
ways, and both are closed here:

* at its own start: ``=HYPERLINK(...)``;
* after a separator inside it, when the file is opened with another list separator than it was
  written with. Dutch Excel splits on ``;``, so a comma CSV holding the region ``Noord;=1+1;``
  gives it a cell ``=1+1``; an English Excel splits a semicolon CSV on ``,`` likewise.

So every text value is written in double quotes, and an apostrophe (the usual neutraliser) goes
before a formula character at its start and after every ``;``, ``,``, tab or line break in it
(spaces and double quotes in between are skipped over). A negative number that runs to the end
of the text ("-3", "-2,5", "a;-3") is left alone: a spreadsheet reads it as that number, and an
apostrophe would only show up in the cell (as it did in the check report for a count entered
as -3). Numbers (and True/False) stay unquoted. Column names are ours and quoted only where
needed. XLSX cells cannot be split, so there only the start of a text matters, and characters
XML cannot hold are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from numbers import Integral, Real

import numpy as np
import pandas as pd

from loverboy_stats.schema import COUNT_LABELS

#: A minus that starts a plain number running to the end of the text: not a formula.
_SIGNED_NUMBER = r"-(?=\d+(?:[.,]\d+)?(?:[eE][+\-]?\d+)?\Z)"
#: A formula character at the start of a text, or after a separator in it.
_RISKY = re.compile(rf"(^|[;,\t\r\n])(?=[ \"]*(?!{_SIGNED_NUMBER})[=+\-@])|^(?=[\t\r])")
_RISKY_START = re.compile(rf"(^)(?!{_SIGNED_NUMBER})(?=[=+\-@\t\r])")


def neutralise_text(text: str, *, inside: bool = True) -> str:
    """``text`` with an apostrophe before each formula character a spreadsheet could see at the
    start of a cell: at its start, and (``inside``, for CSV) after every separator."""
    pattern = _RISKY if inside else _RISKY_START
    return pattern.sub(lambda found: (found.group(1) or "") + "'", text)


def neutralise_cell(value: object, *, inside: bool = True) -> object:
    """A text cell made safe with :func:`neutralise_text`; anything else unchanged."""
    return neutralise_text(value, inside=inside) if isinstance(value, str) else value


def neutralise_frame(frame: pd.DataFrame, *, inside: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot run as formulas."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(lambda v: neutralise_cell(v, inside=inside)).astype(
                series.dtype
            )
    out.columns = [neutralise_text(str(c), inside=inside) for c in out.columns]
    return out


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _name(text: str, separator: str) -> str:
    safe = neutralise_text(text)
    needs_quotes = any(c in safe for c in (separator, '"', "\n", "\r"))
    return _quoted(safe) if needs_quotes else safe


def _cell(value: object, decimal: str) -> str:
    """One CSV field: empty for missing, a plain number, or quoted, neutralised text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))  # True/False, as pandas writes them
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            return ""
        return repr(number).replace(".", decimal)
    if isinstance(value, dt.date | dt.time | pd.Timestamp):
        return _quoted(str(value))
    return _quoted(neutralise_text(str(value)))


def to_csv_bytes(frame: pd.DataFrame, *, dutch: bool = False) -> bytes:
    """CSV bytes of ``frame``: text quoted and neutralised (see the module), numbers plain.

    ``dutch=False`` (default): comma-separated, dot decimals, UTF-8 (machine-readable).
    ``dutch=True``: semicolon-separated with decimal commas and a UTF-8 BOM, which Dutch Excel
    opens correctly by double-clicking.
    """
    separator, decimal = (";", ",") if dutch else (",", ".")
    lines = [separator.join(_name(str(c), separator) for c in frame.columns)]
    columns = [
        [_cell(value, decimal) for value in frame.iloc[:, i].tolist()]
        for i in range(frame.shape[1])
    ]
    lines += [separator.join(row) for row in zip(*columns, strict=True)]
    text = "\n".join(lines) + "\n"
    return (("\ufeff" + text) if dutch else text).encode("utf-8")


#: Dutch headers for the columns of the app's downloads that are not Dutch words as they are.
HEADERS: dict[str, str] = {
    **COUNT_LABELS,
    "code": "CBS-code",
    "aandeel_van_gesignaleerd": "aandeel van gesignaleerd",
    "aantal_tekst": "aantal",
    "basis_tekst": "basis (gesignaleerd)",
    "laag": "ondergrens 95%-interval",
    "hoog": "bovengrens 95%-interval",
    "midden_jaar": "middenjaar",
    "cijfer_id": "kenmerk in figures.csv",
    "figure_id": "kenmerk in figures.csv",
    "bron_urls": "adressen van de bronnen",
}
#: Decimals kept in a spreadsheet download: more than any screen shows, fewer than float noise.
SPREADSHEET_DECIMALS = 4


def spreadsheet_header(column: object) -> str:
    """The Dutch header of ``column`` in a download meant for a person."""
    name = str(column)
    return HEADERS.get(name, name.replace("_", " "))


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a person wants it in Excel: Dutch headers, "ja"/"nee" for yes and no,
    whole numbers without ",0" and other numbers to :data:`SPREADSHEET_DECIMALS` decimals."""

    def cell(value: object) -> object:
        if isinstance(value, bool | np.bool_):
            return "ja" if value else "nee"
        if isinstance(value, Real) and not isinstance(value, Integral):
            number = float(value)
            if math.isnan(number):
                return None
            number = round(number, SPREADSHEET_DECIMALS)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        return value

    out = pd.DataFrame(
        {
            i: pd.Series([cell(v) for v in frame.iloc[:, i].tolist()], dtype=object)
            for i in range(frame.shape[1])
        }
    )
    out.columns = [spreadsheet_header(c) for c in frame.columns]
    return out


def to_spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """The CSV a person downloads from the app: Dutch Excel opens it by double-clicking in
    columns (``;``, decimal comma, BOM), with Dutch headers and "ja"/"nee"
    (:func:`spreadsheet_frame`), formula-safe like every export."""
    return to_csv_bytes(spreadsheet_frame(frame), dutch=True)


def read_spreadsheet_csv(data: bytes, **options) -> pd.DataFrame:
    """Read back what :func:`to_spreadsheet_csv` wrote (for scripts and tests); ``options`` go
    to :func:`pandas.read_csv` (for example ``dtype=str``)."""
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", **options)


def to_spreadsheet_xlsx(frame: pd.DataFrame, sheet: str = "Gegevens") -> bytes:
    """The same table as :func:`to_spreadsheet_csv`, as an Excel workbook of one sheet."""
    out = spreadsheet_frame(frame)
    widths = {c: max(12, min(40, len(str(c)) + 2)) for c in frame.columns}
    return to_xlsx_bytes({sheet: out}, {spreadsheet_header(c): w for c, w in widths.items()})


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], widths: dict[str, int] | None = None) -> bytes:
    """XLSX bytes with one sheet per entry of ``sheets`` (name -> frame).

    openpyxl would store a text starting with "=" as a formula; neutralised text is written as
    text, so a toelichting such as "=HYPERLINK(...)" cannot run. Control characters, which XML
    cannot hold, are left out. ``widths`` sets the width of the named columns (default 18).
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: object) -> object:
        if isinstance(value, str):
            return neutralise_text(ILLEGAL_CHARACTERS_RE.sub("", value), inside=False)
        return value

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            safe = frame.copy()
            for column in safe.columns:
                if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
                    safe[column] = safe[column].map(clean).astype(object)
            safe.columns = [clean(str(c)) for c in safe.columns]
            safe.to_excel(writer, index=False, sheet_name=sheet)
            worksheet = writer.sheets[sheet]
            for index, name in enumerate(frame.columns):
                letter = worksheet.cell(1, index + 1).column_letter
                worksheet.column_dimensions[letter].width = (widths or {}).get(name, 18)
    return buffer.getvalue()
