"""Reading an uploaded file (CSV or XLSX) into a table of text cells, before validation.

The reader is forgiving about form: delimiter, encoding, title rows above the header, empty
rows, a trailing totals row, trailing empty cells. Row numbers stay those the user sees in Excel
(the first line is row 1). Every failure a user can cause is an :class:`UploadError` with a
Dutch message, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loverboy_stats.formatting import format_number
from loverboy_stats.reference import normalise_name
from loverboy_stats.settings import get_settings
from loverboy_stats.uploads.spec import (
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    TEXT_SUFFIXES,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNPACKED_BYTES,
    XLSX_SUFFIXES,
    UploadError,
)


@dataclass
class RawTable:
    """A table as read from a file: all cells as stripped text, before validation.

    ``frame`` has one column per file column (positional labels 0..n-1) and is indexed by the
    row number the user sees in Excel; ``headers`` holds the user's header texts; fully empty
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


def max_upload_bytes() -> int:
    """The largest accepted upload in bytes (``LBS_MAX_UPLOAD_MB``)."""
    return get_settings().max_upload_mb * 1024 * 1024


def _suffix(filename: str) -> str:
    return Path(filename).suffix.lower()


def check_file(content: bytes, filename: str, max_bytes: int | None = None) -> str:
    """Refuse what is clearly not an upload (type, emptiness, size); return the file suffix."""
    suffix = _suffix(filename)
    if suffix not in TEXT_SUFFIXES + XLSX_SUFFIXES:
        kind = f"'{suffix}'" if suffix else "zonder extensie"
        raise UploadError(
            f"Bestandstype {kind} wordt niet ondersteund. Lever een CSV-bestand (.csv, .txt, "
            ".tsv) of een Excel-bestand (.xlsx) aan. Een oud .xls-bestand kunt u in Excel "
            "opslaan als .xlsx."
        )
    if not content:
        raise UploadError(f"Het bestand '{filename}' is leeg.")
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(content) > limit:
        raise UploadError(
            f"Het bestand is {format_number(len(content) / 2**20, 1)} MB; de grens is "
            f"{format_number(limit / 2**20, 1 if limit % 2**20 else 0)} MB."
        )
    return suffix


def _decode(content: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UploadError("Het bestand is geen leesbare UTF-16-tekst.") from exc
    if b"\x00" in content or content.startswith(b"PK\x03\x04"):
        raise UploadError(
            "Dit bestand is geen tekstbestand (CSV). Is het misschien een Excel-bestand? "
            "Geef het dan de extensie .xlsx."
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV (puntkomma gescheiden)" in Windows-1252.
        return content.decode("cp1252", errors="replace")


def _detect_delimiter(text: str) -> str:
    """The delimiter (; , or tab) of the header line.

    Title rows may stand above the header ("Cijfers 2023, gemeente X"), so the first
    :data:`HEADER_SEARCH_ROWS` non-empty lines are split with each candidate: the delimiter that
    turns one of them into a header row wins; failing that, the one that splits the first line
    into the most fields.
    """
    lines = [line for line in text[:65_536].splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_fields = ";", 1
    for candidate in (";", "\t", ","):
        rows = list(csv.reader(lines, delimiter=candidate))
        if any(_is_header_row(row) for row in rows):
            return candidate
        fields = len(rows[0]) if rows else 0
        if fields > best_fields:
            best, best_fields = candidate, fields
    return best


def _is_header_row(cells: list[str]) -> bool:
    """Whether a row names a municipality column (code or name) and ``gesignaleerd``."""
    names = {HEADER_ALIASES.get(normalise_name(cell)) for cell in cells if cell}
    return "gesignaleerd" in names and bool(names & {"gemeentecode", "gemeente"})


def _read_text(content: bytes) -> pd.DataFrame | list[list[str]]:
    """The cells of a text file: a frame of text (pandas' C parser) or, for a file whose rows
    differ in length (a title row above a wider table), rows from the csv module.

    Both keep every line, empty ones included, so positions stay Excel row numbers.
    """
    text = _decode(content)
    delimiter = _detect_delimiter(text)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        pass  # ragged rows or an odd quote: the forgiving reader below
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UploadError(f"Het CSV-bestand kan niet worden gelezen: {exc}.") from exc


def _open_xlsx(content: bytes):
    """An openpyxl workbook (read-only), after checking the zip container is not a bomb."""
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError(
            "Het Excel-bestand is beschadigd of geen echt .xlsx-bestand. Sla het in Excel "
            "opnieuw op als 'Excel-werkmap (.xlsx)'."
        ) from exc
    unpacked = sum(info.file_size for info in infos)
    too_dense = any(
        info.file_size > 1024 * 1024
        and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > XLSX_MAX_MEMBERS or unpacked > XLSX_MAX_UNPACKED_BYTES or too_dense:
        raise UploadError(
            "Het Excel-bestand wordt niet geopend: uitgepakt zou het onredelijk groot worden "
            "(mogelijk een 'zip-bom'). Lever de gegevens als CSV aan of verwijder overbodige "
            "tabbladen."
        )
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise UploadError("Dit is geen Excel-werkmap (.xlsx): het werkblad ontbreekt.")
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise UploadError(
            "Het Excel-bestand kan niet worden geopend; het is mogelijk beschadigd."
        ) from exc


def list_sheets(content: bytes, filename: str, max_bytes: int | None = None) -> list[str]:
    """Names of the sheets in an XLSX file (empty list for CSV)."""
    if check_file(content, filename, max_bytes) not in XLSX_SUFFIXES:
        return []
    workbook = _open_xlsx(content)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """An Excel cell as the text a Dutch user would see (numbers with a decimal comma)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx_rows(content: bytes, sheet: str | None) -> tuple[list[list[str]], str, list[str]]:
    workbook = _open_xlsx(content)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise UploadError("Het Excel-bestand bevat geen tabbladen.")
        chosen = names[0] if sheet is None else sheet
        if chosen not in names:
            raise UploadError(f"Het tabblad '{sheet}' bestaat niet. Kies uit: {', '.join(names)}.")
        try:
            rows = [
                [_cell_text(value) for value in row]
                for row in workbook[chosen].iter_rows(min_row=1, values_only=True)
            ]
        except UploadError:
            raise
        except Exception as exc:
            raise UploadError(
                f"Het tabblad '{chosen}' kan niet worden gelezen; het bestand is mogelijk "
                "beschadigd."
            ) from exc
    finally:
        workbook.close()
    return rows, chosen, names


_TOTAL_ROW = re.compile(r"^(eind)?(totaal|totalen|total|som)\b", re.IGNORECASE)


def read_table(
    content: bytes, filename: str, *, sheet: str | None = None, max_bytes: int | None = None
) -> RawTable:
    """Read an uploaded CSV or XLSX file into a :class:`RawTable` of stripped text cells.

    The header is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows that names a
    municipality column and ``gesignaleerd`` (title rows above it are skipped with a notice), or
    else the first non-empty row. Row numbers stay those of Excel. Raises :class:`UploadError`
    for anything that is not a readable table.
    """
    suffix = check_file(content, filename, max_bytes)
    sheet_names: list[str] = []
    if suffix in XLSX_SUFFIXES:
        rows, sheet, sheet_names = _read_xlsx_rows(content, sheet)
    else:
        rows, sheet = _read_text(content), None

    if isinstance(rows, pd.DataFrame):
        frame = rows
    else:
        width = max(map(len, rows), default=0)
        # Spreadsheet exports leave trailing cells off short rows; pad them to the widest row.
        for row in rows:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
        frame = pd.DataFrame(rows, dtype=object)
    if frame.empty:
        raise UploadError(f"Het bestand '{filename}' bevat geen gegevens.")
    frame = frame.fillna("").astype(str)
    frame.columns = pd.RangeIndex(frame.shape[1])
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # Excel numbering: first line is row 1
    frame = frame[(frame != "").any(axis=1)]
    if frame.empty:
        raise UploadError(f"Het bestand '{filename}' bevat alleen lege regels.")

    position, header_found = _find_header(frame)
    headers = frame.iloc[position].tolist()
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
        notices.append(f"Kolom {_column_letter(position)} heeft geen kop en wordt niet ingelezen.")
    if not body.empty:
        last = body.iloc[-1]
        first_text = next((cell for cell in last if cell), "")
        if _TOTAL_ROW.match(first_text):
            notices.append(
                f"Rij {body.index[-1]} ('{first_text}') is een totaalrij en is niet ingelezen; "
                "de app telt zelf op."
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


def _find_header(frame: pd.DataFrame) -> tuple[int, bool]:
    """Position (among the non-empty rows) of the header row, and whether one was recognised.

    The header is the first of the top :data:`HEADER_SEARCH_ROWS` non-empty rows that names a
    municipality column and ``gesignaleerd``; without one, the first non-empty row.
    """
    top = frame.iloc[:HEADER_SEARCH_ROWS].to_numpy().tolist()
    for position, cells in enumerate(top):
        if _is_header_row(cells):
            return position, True
    return 0, False


def _rows_text(rows: list[int]) -> str:
    """'Rij 1', 'Rijen 1 en 2', 'Rijen 1, 2 en 4'."""
    if len(rows) == 1:
        return f"Rij {rows[0]}"
    return f"Rijen {', '.join(map(str, rows[:-1]))} en {rows[-1]}"


def _column_letter(position: int) -> str:
    """Excel column letter for a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of an upload file on disk; :class:`UploadError` when it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UploadError(f"Het bestand '{path}' bestaat niet.") from exc
    except OSError as exc:
        message = f"Het bestand '{path}' kan niet worden gelezen ({exc.strerror})."
        raise UploadError(message) from exc
