"""Bytes to rows of text cells: CSV and XLSX, read row by row within fixed bounds.

A file is refused before it can cost much: its size is checked first (also on the command
line, where ``/dev/zero`` is a "file"), an XLSX container before it is unpacked, and while rows
are read every row, column and cell is counted against the :class:`Limits` (rows, columns,
cells, characters per cell). Nothing is padded to a size a file merely claims
(an XLSX ``<dimension>``, a far-away cell): the XLSX reader asks openpyxl for at most one row
and one column past the bounds. So the worst file costs a fraction of a second and a bounded
amount of memory, and a parse never outlives a page visit in any way that matters: Streamlit
cannot stop a running script when its user leaves, but here there is nothing long to stop.

Every refusal is an :class:`~loverboy_stats.uploads.spec.UploadError` with a Dutch message
that names the bound.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from pathlib import Path

from loverboy_stats.formatting import format_count, format_number
from loverboy_stats.reference import normalise_name
from loverboy_stats.settings import get_settings
from loverboy_stats.textsafe import shorten
from loverboy_stats.uploads.spec import (
    HEADER_ALIASES,
    HEADER_SEARCH_ROWS,
    LIMITS,
    TEXT_SUFFIXES,
    XLSX_MAX_MEMBERS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNPACKED_BYTES,
    XLSX_SUFFIXES,
    Limits,
    UploadError,
)

#: A megabyte as the browser's upload check counts it (outside Windows) and as people read
#: "5 MB": one million bytes. See docs/deployment.md for the one upload limit.
MEGABYTE = 1_000_000


def max_upload_bytes() -> int:
    """The largest accepted upload in bytes (``LBS_MAX_UPLOAD_MB`` megabytes of 10^6 bytes)."""
    return get_settings().max_upload_mb * MEGABYTE


def _megabytes(size: int, decimals: int = 1) -> str:
    return format_number(size / MEGABYTE, decimals)


def _size_refusal(size: int, limit: int) -> UploadError:
    exact = 0 if limit % MEGABYTE == 0 else 1
    return UploadError(
        f"Het bestand is {_megabytes(size)} MB; de grens is {_megabytes(limit, exact)} MB."
    )


def check_file(content: bytes, filename: str, max_bytes: int | None = None) -> str:
    """Refuse what is clearly not an upload (type, emptiness, size); return the file suffix."""
    suffix = Path(filename).suffix.lower()
    if suffix not in TEXT_SUFFIXES + XLSX_SUFFIXES:
        kind = f"'{shorten(suffix, 20)}'" if suffix else "zonder extensie"
        raise UploadError(
            f"Bestandstype {kind} wordt niet ondersteund. Lever een CSV-bestand (.csv, .txt, "
            ".tsv) of een Excel-bestand (.xlsx) aan. Een oud .xls-bestand kunt u in Excel "
            "opslaan als .xlsx, een .ods-bestand in LibreOffice ook."
        )
    if not content:
        raise UploadError(f"Het bestand '{shorten(filename)}' is leeg.")
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(content) > limit:
        raise _size_refusal(len(content), limit)
    return suffix


def read_file_bytes(path: str | Path, max_bytes: int | None = None) -> bytes:
    """The bytes of an upload file on disk, at most the upload limit: a larger file (or an
    endless one such as ``/dev/zero``) is refused after reading one byte past the limit."""
    path = Path(path)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    try:
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise UploadError(f"Het bestand '{shorten(path)}' bestaat niet.") from exc
    except OSError as exc:
        reason = {IsADirectoryError: "het is een map", PermissionError: "geen toegang"}
        why = reason.get(type(exc), "leesfout")
        raise UploadError(
            f"Het bestand '{shorten(path)}' kan niet worden gelezen ({why})."
        ) from exc
    if len(content) > limit:
        if path.is_file():
            raise _size_refusal(path.stat().st_size, limit)
        raise UploadError(
            f"'{shorten(path)}' is geen gewoon bestand en levert meer dan de grens van "
            f"{_megabytes(limit, 0 if limit % MEGABYTE == 0 else 1)} MB."
        )
    return content


def column_letter(position: int) -> str:
    """Excel column letter for a 0-based position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_header_row(cells: list[str]) -> bool:
    """Whether a row names a municipality column (code or name) and ``gesignaleerd``."""
    names = {HEADER_ALIASES.get(normalise_name(cell)) for cell in cells if cell}
    return "gesignaleerd" in names and bool(names & {"gemeentecode", "gemeente"})


# --------------------------------------------------------------------------------------------
# Counting rows, columns and cells while reading


class _Bounds:
    """Counts the rows of one file or sheet and refuses at the first row past a bound."""

    def __init__(self, where: str, limits: Limits) -> None:
        self.where = where  # "Het bestand" or "Het tabblad 'Blad1'"
        self.limits = limits
        self.rows: list[list[str]] = []
        self.width = 0

    def add(self, cells: list[str]) -> None:
        """Add the next row (its trailing empty cells are dropped first)."""
        number, limits = len(self.rows) + 1, self.limits
        if number > limits.rows:
            raise UploadError(
                f"{self.where} heeft meer rijen dan de grens van {format_count(limits.rows)} (lege "
                "rijen en titelregels tellen mee). Een tabel met eigen cijfers heeft één rij per "
                "gemeente en jaar: voor alle gemeenten sinds 2000 nog geen 10.000. Verwijder "
                "overbodige rijen of splits het bestand."
            )
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) > limits.columns:
            raise UploadError(
                f"Rij {number} heeft gevulde cellen tot voorbij kolom "
                f"{column_letter(limits.columns - 1)}; de grens is {limits.columns} kolommen. Een "
                "tabel met eigen cijfers heeft er hoogstens 9. Verwijder overbodige kolommen."
            )
        if cells and max(map(len, cells)) > limits.cell_chars:
            position = next(i for i, cell in enumerate(cells) if len(cell) > limits.cell_chars)
            raise _long_cell(number, position, len(cells[position]), limits)
        self.width = max(self.width, len(cells))
        self.rows.append(cells)
        if self.width * number > limits.cells:
            raise UploadError(
                f"{self.where} is te groot: {format_count(number)} rijen van {self.width} "
                f"kolommen zijn meer dan {format_count(limits.cells)} cellen, de grens. Verwijder "
                "overbodige kolommen of rijen."
            )


def _long_cell(row: int, position: int | None, length: int | None, limits: Limits) -> UploadError:
    limit = f"{format_count(limits.cell_chars)} tekens per cel"
    if position is None or length is None:
        problem = f"Een cel in rij {row} is langer dan de grens van {limit}."
    else:
        problem = (
            f"De cel in rij {row}, kolom {column_letter(position)}, bevat "
            f"{format_count(length)} tekens; de grens is {limit}."
        )
    return UploadError(f"{problem} Zo'n lange tekst hoort niet in een tabel met cijfers.")


# --------------------------------------------------------------------------------------------
# CSV


def decode_text(content: bytes) -> str:
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


#: Characters of the top of a file in which :func:`detect_delimiter` looks for the header.
HEAD_CHARS = 65_536


def decode_utf8(content: bytes) -> tuple[str, bytes]:
    """(:func:`decode_text` of ``content``, that text as UTF-8), for content that is not plain
    (see :func:`plain_encoding`): a byte-order mark or UTF-16."""
    text = decode_text(content)
    return text, text.encode("utf-8")


def detect_delimiter(text: str) -> str:
    """The delimiter (; , or tab) of the header line.

    Title rows may stand above the header ("Cijfers 2023, gemeente X"), so the first
    :data:`HEADER_SEARCH_ROWS` non-empty lines are split with each candidate: the delimiter that
    turns one of them into a header row wins; failing that, the one that splits the first line
    into the most fields.
    """
    filled = (line for line in text[:HEAD_CHARS].splitlines() if line.strip())
    lines = list(itertools.islice(filled, HEADER_SEARCH_ROWS))
    best, best_fields = ";", 1
    for candidate in (";", "\t", ","):
        rows = list(csv.reader(lines, delimiter=candidate))
        if any(is_header_row(row) for row in rows):
            return candidate
        fields = len(rows[0]) if rows else 0
        if fields > best_fields:
            best, best_fields = candidate, fields
    return best


def text_rows(text: str, delimiter: str, limits: Limits = LIMITS) -> list[list[str]]:
    """The rows of a text file (row i is Excel row i + 1; an empty line is an empty row), read
    with Python's csv module row by row within ``limits``: every refusal names its row."""
    bounds = _Bounds("Het bestand", limits)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            bounds.add(row)
    except csv.Error as exc:
        # The csv module refuses a field over 131,072 characters and a NUL (UTF-16 text).
        if "field larger than field limit" in str(exc):
            raise _long_cell(len(bounds.rows) + 1, None, None, limits) from exc
        raise UploadError(
            f"Het CSV-bestand kan niet worden gelezen: rij {len(bounds.rows) + 1} bevat een "
            "teken of aanhalingsteken dat daar niet kan staan."
        ) from exc
    return bounds.rows


# --------------------------------------------------------------------------------------------
# XLSX


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
    if len(infos) > XLSX_MAX_MEMBERS or too_dense:
        raise UploadError(
            "Het Excel-bestand wordt niet geopend: uitgepakt zou het onredelijk groot worden "
            "(mogelijk een 'zip-bom'). Lever de gegevens als CSV aan of verwijder overbodige "
            "tabbladen."
        )
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise UploadError(
            f"Het Excel-bestand wordt niet geopend: uitgepakt is het "
            f"{format_number(unpacked / MEGABYTE, 1)} MB, meer dan de grens van "
            f"{format_number(XLSX_MAX_UNPACKED_BYTES / MEGABYTE)} MB (een tabel met eigen "
            "cijfers is uitgepakt hooguit enkele MB). Verwijder overbodige tabbladen en rijen, "
            "of lever de gegevens als CSV aan."
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


def _sheet_rows(worksheet, where: str, limits: Limits) -> list[list[str]]:
    """The rows of a sheet within the bounds. openpyxl is asked for one row and one column
    past them (so a cell there is seen and refused), never for the size the sheet claims."""
    bounds = _Bounds(where, limits)
    for values in worksheet.iter_rows(
        min_row=1, max_row=limits.rows + 1, max_col=limits.columns + 1, values_only=True
    ):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        bounds.add([_cell_text(value) for value in values])
    return bounds.rows


def xlsx_rows(
    content: bytes, sheet: str | None, limits: Limits = LIMITS
) -> tuple[list[list[str]], str, list[str]]:
    """(rows, the sheet read, all sheet names) of an XLSX file: ``sheet`` or the first."""
    workbook = _open_xlsx(content)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise UploadError("Het Excel-bestand bevat geen tabbladen.")
        chosen = names[0] if sheet is None else sheet
        if chosen not in names:
            offered = ", ".join(shorten(name, 40) for name in names[:10])
            more = f" (en nog {len(names) - 10})" if len(names) > 10 else ""
            raise UploadError(
                f"Het tabblad '{shorten(sheet, 40)}' bestaat niet. Kies uit: {offered}{more}."
            )
        where = f"Het tabblad '{shorten(chosen, 40)}'"
        try:
            rows = _sheet_rows(workbook[chosen], where, limits)
        except UploadError:
            raise
        except Exception as exc:
            raise UploadError(
                f"{where} kan niet worden gelezen; het bestand is mogelijk beschadigd."
            ) from exc
    finally:
        workbook.close()
    return rows, chosen, names
