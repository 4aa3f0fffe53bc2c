"""Reading an uploaded file (CSV or XLSX) into a table of text cells, before validation.

The reader is forgiving about form: delimiter, encoding, title rows above the header, empty
rows, a trailing totals row, trailing empty cells. Row numbers stay those the user sees in Excel
(the first line is row 1). Every failure a user can cause is an :class:`UploadError` with a
Dutch message, never a traceback. The bytes become rows in
:mod:`~loverboy_stats.uploads.cells`, within fixed bounds; this module finds the table in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from loverboy_stats.textsafe import shorten
from loverboy_stats.uploads.cells import (
    check_file,
    column_letter,
    decode_text,
    decode_utf8,
    detect_delimiter,
    is_header_row,
    list_sheets,
    read_file_bytes,
    text_rows,
    xlsx_rows,
)
from loverboy_stats.uploads.fastcsv import csv_frame, head_text, plain_encoding
from loverboy_stats.uploads.spec import (
    HEADER_SEARCH_ROWS,
    LIMITS,
    XLSX_SUFFIXES,
    Limits,
    UploadError,
)

__all__ = ["RawTable", "list_sheets", "read_file_bytes", "read_table"]


@dataclass
class RawTable:
    """A table as read from a file: all cells as stripped text, before validation.

    ``frame`` has one categorical column of text per file column (positional labels 0..n-1;
    the categories are each column's distinct texts in order of appearance, so a large file
    holds every text once and validation checks each once) and is indexed by the row number
    the user sees in Excel; ``headers`` holds the user's header texts; fully empty
    rows, title rows above the header and a trailing totals row are already left out (the last
    two reported in ``notices``).
    """

    frame: pd.DataFrame
    headers: list[str]
    filename: str
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: Excel row number of the header row (1 unless empty or title rows stand above it).
    header_row: int = 1
    #: False when no row among the first :data:`HEADER_SEARCH_ROWS` looked like a header and
    #: the first non-empty row was taken.
    header_found: bool = True


_TOTAL_ROW = re.compile(r"^(eind)?(totaal|totalen|total|som)\b", re.IGNORECASE)


def read_table(
    content: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_bytes: int | None = None,
    limits: Limits = LIMITS,
) -> RawTable:
    """Read an uploaded CSV or XLSX file into a :class:`RawTable` of stripped text cells.

    The header is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows that names a
    municipality column and ``gesignaleerd`` (title rows above it are skipped with a notice), or
    else the first non-empty row. Row numbers stay those of Excel. Raises :class:`UploadError`
    for anything that is not a readable table, or a file past ``limits``.
    """
    suffix = check_file(content, filename, max_bytes)
    sheet_names: list[str] = []
    if suffix in XLSX_SUFFIXES:
        rows, sheet, sheet_names = xlsx_rows(content, sheet, limits)
        frame = _rows_frame(rows, filename)
    else:
        encoding = plain_encoding(content)
        if encoding is None:  # a byte-order mark or UTF-16: decoded whole, parsed as UTF-8
            head, data = decode_utf8(content)
            encoding = "utf-8"
        else:  # parsed as it is: no decoded copy of a large file
            head, data = head_text(content, encoding), content
        sheet, delimiter = None, detect_delimiter(head)
        frame = csv_frame(data, delimiter, limits, encoding)
        del head, data
        if frame is None:  # not provably the same cells: read row by row
            frame = _rows_frame(text_rows(decode_text(content), delimiter, limits), filename)
    if frame.empty:
        raise UploadError(f"Het bestand '{shorten(filename)}' bevat alleen lege regels.")

    position, header_found = _find_header(frame)
    # Cells of one row column by column: a row of categorical columns as a Series would hash
    # every column's texts to find a common type.
    headers = [frame[column].iat[position] for column in frame.columns]
    header_row = int(frame.index[position])
    body = frame.iloc[position + 1 :]
    notices: list[str] = []
    if position:
        notices.append(
            f"{_rows_text(list(frame.index[:position]))} boven de kopregel (rij {header_row}) "
            f"{'is' if position == 1 else 'zijn'} overgeslagen: daar staat een titel of "
            "toelichting, geen gegevens."
        )
    unnamed = [i for i, h in enumerate(headers) if not h and (body[i] != "").any()]
    for position in unnamed:
        notices.append(f"Kolom {column_letter(position)} heeft geen kop en wordt niet ingelezen.")
    if not body.empty:
        last = (body[column].iat[-1] for column in body.columns)
        first_text = next((cell for cell in last if cell), "")
        if _TOTAL_ROW.match(first_text):
            notices.append(
                f"Rij {body.index[-1]} ('{shorten(first_text, 40)}') is een totaalrij en is niet "
                "ingelezen; de app telt zelf op."
            )
            body = body.iloc[:-1]
    return RawTable(
        frame=body,
        headers=[str(h) for h in headers],
        filename=filename,
        sheet=sheet,
        sheet_names=sheet_names,
        notices=notices,
        header_row=header_row,
        header_found=header_found,
    )


def _rows_frame(rows: list[list[str]], filename: str) -> pd.DataFrame:
    """Rows of text cells as a frame of stripped ``str`` columns labelled 0..n-1, indexed by
    the row number Excel shows (the first row is 1), without the rows that are empty. Rows end
    at their last filled cell (the bounds allow few cells in all), so they are padded to the
    widest."""
    if not rows:
        raise UploadError(f"Het bestand '{shorten(filename)}' bevat geen gegevens.")
    width = max(map(len, rows))
    frame = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)
    frame = frame.astype(str)
    frame.columns = pd.RangeIndex(width)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    frame = frame[(frame != "").any(axis=1)]
    return frame.apply(_categorical) if len(frame.columns) else frame


def _categorical(column: pd.Series) -> pd.Categorical:
    """A text column as categorical, its categories in order of appearance."""
    codes, uniques = column.array.factorize()
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques))


def _find_header(frame: pd.DataFrame) -> tuple[int, bool]:
    """Position (among the non-empty rows) of the header row, and whether one was recognised.

    The header is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows that names a
    municipality column and ``gesignaleerd``; without one, the first non-empty row.
    """
    # Column by column: a frame of categorical columns as one array would hash every column's
    # texts to find a common type.
    top = frame.iloc[:HEADER_SEARCH_ROWS]
    columns = [top[column].tolist() for column in top.columns]
    for position, cells in enumerate(zip(*columns, strict=True)):
        if is_header_row(cells):
            return position, True
    return 0, False


def _rows_text(rows: list[int]) -> str:
    """'Rij 1', 'Rijen 1 en 2', 'Rijen 1, 2 en 4'."""
    if len(rows) == 1:
        return f"Rij {rows[0]}"
    return f"Rijen {', '.join(map(str, rows[:-1]))} en {rows[-1]}"
