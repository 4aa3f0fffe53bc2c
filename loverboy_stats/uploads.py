"""Read and validate a table of local figures that a municipality uploads (CSV or XLSX).

The reader is forgiving about form (delimiter, encoding, Dutch number notation, header spelling,
empty rows, a totals row) and the validator is strict about content: every problem in the whole
table is collected at once, each with the row number the user sees in Excel (the header is row 1),
the column as the user named it, the offending value and a Dutch message. Nothing is changed
silently: an empty cell stays "not reported" and is never read as 0.

Public entry points: :func:`read_table` (bytes -> :class:`RawTable`), :func:`validate_table`
(:class:`RawTable` -> :class:`ValidationResult`), :func:`parse_upload` (both) and
:func:`read_source` (a file path -> the clean frame, for the command line). Every failure a user
can cause is raised as :class:`UploadError` with a Dutch message, never as a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loverboy_stats.formatting import format_number
from loverboy_stats.reference import REFERENCE_YEAR, match_municipalities, normalise_name
from loverboy_stats.settings import get_settings

# --------------------------------------------------------------------------------------------
# The format
# --------------------------------------------------------------------------------------------

ERROR = "fout"
WARNING = "waarschuwing"

#: The count columns, in display order. ``gesignaleerd`` is required, the others optional.
COUNT_COLUMNS = ("gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling")
#: Columns of the clean frame, in order (``referentiepopulatie`` and ``regio`` only if uploaded).
CLEAN_COLUMNS = ("gemeentecode", "gemeente", "jaar", *COUNT_COLUMNS)
OPTIONAL_CLEAN_COLUMNS = ("referentiepopulatie", "regio")
ISSUE_COLUMNS = ("rij", "kolom", "waarde", "melding", "niveau")

FIRST_YEAR = 2000
#: Larger counts cannot be real and would not fit a database integer safely.
MAX_COUNT = 10**12
#: Accepted file name endings.
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx",)
#: Zip-bomb guards for XLSX: total unpacked size, ratio per member, number of members.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 2_000
#: The header row is looked for among this many non-empty rows at the top (title rows above it
#: are skipped).
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the upload format: its name, accepted aliases and a Dutch explanation."""

    name: str
    aliases: tuple[str, ...]
    required: str
    explanation: str
    example: str


COLUMN_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "gemeentecode",
        ("gemeentecode", "code", "gmcode", "cbscode", "municipalitycode", "municipalityid"),
        "gemeentecode en/of gemeente",
        "CBS-gemeentecode: GM gevolgd door 4 cijfers (GM0518). 518 of 0518 mag ook.",
        "GM0518",
    ),
    ColumnSpec(
        "gemeente",
        ("gemeente", "gemeentenaam", "municipality", "municipalityname", "naam", "name"),
        "gemeentecode en/of gemeente",
        "Naam van de gemeente. Bij een bijna-goede naam ('Den Haag') stelt de app de officiële "
        "naam voor ('s-Gravenhage).",
        "'s-Gravenhage",
    ),
    ColumnSpec(
        "jaar",
        ("jaar", "year", "periode", "period"),
        "verplicht",
        f"Kalenderjaar van de cijfers, van {FIRST_YEAR} tot en met het huidige jaar.",
        "2023",
    ),
    ColumnSpec(
        "gesignaleerd",
        ("gesignaleerd", "signalled", "signaled", "aantalgesignaleerd"),
        "verplicht",
        "Aantal gesignaleerde mogelijke slachtoffers: geheel getal, 0 of meer.",
        "37",
    ),
    ColumnSpec(
        "gemeld_comensha",
        ("gemeldcomensha", "gemeldbijcomensha", "comensha", "reported", "reportedcomensha"),
        "optioneel",
        "Waarvan gemeld bij CoMensha: geheel getal, 0 of meer. Leeg = niet gerapporteerd.",
        "12",
    ),
    ColumnSpec(
        "doorverwezen",
        ("doorverwezen", "referred"),
        "optioneel",
        "Doorverwezen naar gespecialiseerde jeugdzorg: geheel getal, 0 of meer. Leeg = niet "
        "gerapporteerd (niet 0).",
        "9",
    ),
    ColumnSpec(
        "in_behandeling",
        ("inbehandeling", "intreatment", "treatment", "behandeling"),
        "optioneel",
        "In behandeling bij een gespecialiseerde aanbieder: geheel getal, 0 of meer. Leeg = "
        "niet gerapporteerd (niet 0).",
        "6",
    ),
    ColumnSpec(
        "referentiepopulatie",
        ("referentiepopulatie", "population", "populatie", "referencepopulation", "inwoners"),
        "optioneel",
        "Eigen referentiepopulatie (bijvoorbeeld meisjes van 12-17 jaar): geheel getal groter "
        "dan 0.",
        "14.210",
    ),
    ColumnSpec(
        "regio",
        ("regio", "region", "eigenregio", "groep", "group"),
        "optioneel",
        "Eigen indeling in regio's; gemeenten met dezelfde tekst vormen samen één regio.",
        "Haaglanden",
    ),
)
SPEC_BY_NAME = {spec.name: spec for spec in COLUMN_SPECS}

NO_HEADER_MESSAGE = (
    f"Geen kopregel gevonden in de eerste {HEADER_SEARCH_ROWS} gevulde rijen. Verwacht een rij "
    "met de kolomnamen gemeentecode en/of gemeente, jaar en gesignaleerd (en eventueel "
    "gemeld_comensha, doorverwezen, in_behandeling, referentiepopulatie, regio). Staat de tabel "
    "op een ander tabblad, kies dat tabblad dan."
)


class UploadError(Exception):
    """A file that cannot be read as a table. ``message`` is Dutch and fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Headers are compared the way municipality names are: without case, accents, spaces, hyphens,
# underscores or other punctuation ("In behandeling" = "in_behandeling" = "IN-BEHANDELING").
_ALIASES = {normalise_name(alias): spec.name for spec in COLUMN_SPECS for alias in spec.aliases}


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


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
    names = {_ALIASES.get(normalise_name(cell)) for cell in cells if cell}
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


# --------------------------------------------------------------------------------------------
# Validation (vectorised over the whole table)
# --------------------------------------------------------------------------------------------


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


def _map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical column name -> position, and notices about ignored columns."""
    mapping: dict[str, int] = {}
    notices: list[str] = []
    for position, header in enumerate(headers):
        if not header:
            continue
        name = _ALIASES.get(normalise_name(header))
        if name is None:
            notices.append(f"Kolom '{header}' is niet bekend en wordt niet ingelezen.")
        elif name in mapping:
            raise UploadError(
                f"De kolom '{name}' komt twee keer voor ('{headers[mapping[name]]}' en "
                f"'{header}'). Houd er één over."
            )
        else:
            mapping[name] = position
    return mapping, notices


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


def _validate_whole_numbers(
    issues: _Issues,
    text: pd.Series,
    header: str,
    *,
    required: bool,
    minimum: int = 0,
) -> pd.Series:
    """Parse a column of whole numbers; record problems; return nullable Int64 (NA if bad)."""
    values, unreadable = parse_dutch_numbers(text)
    empty = text == ""
    if required:
        issues.add(empty, header, text, "Verplichte waarde ontbreekt.")
    issues.add(unreadable, header, text, "Geen getal.")
    negative = values < 0
    issues.add(negative, header, text, "Mag niet negatief zijn.")
    fractional = values.notna() & ~negative & (values % 1 != 0)
    issues.add(fractional, header, text, "Moet een geheel getal zijn.")
    too_small = ~negative & ~fractional & (values < minimum)
    issues.add(too_small, header, text, f"Moet minstens {minimum} zijn.")
    too_large = values > MAX_COUNT
    issues.add(too_large, header, text, "Dit getal is onwaarschijnlijk groot.")
    bad = negative | fractional | too_small | too_large
    return values.where(~bad).round().astype("Int64")


def validate_table(raw: RawTable, *, current_year: int | None = None) -> ValidationResult:
    """Check every cell of ``raw`` against the format and return a :class:`ValidationResult`."""
    current_year = current_year or dt.date.today().year
    mapping, notices = _map_columns(raw.headers)
    notices = raw.notices + notices
    issues = _Issues()
    header_row = pd.Series(True, index=pd.Index([raw.header_row]))
    missing = [name for name in ("jaar", "gesignaleerd") if name not in mapping]
    if "gemeentecode" not in mapping and "gemeente" not in mapping:
        missing.insert(0, "gemeentecode of gemeente")
    if not mapping:
        # Not one known column name: this is no table of figures (or the header is lower down
        # than we look). One clear message instead of one per missing column.
        issues.add(header_row, "kopregel", "", NO_HEADER_MESSAGE)
    else:
        for name in missing:
            issues.add(header_row, name, "", f"Verplichte kolom '{name}' ontbreekt.")
    frame = raw.frame
    if missing or frame.empty:
        if not missing:
            # An error, not a notice: an empty dataset must not be stored as if it were figures.
            issues.add(
                header_row,
                "kopregel",
                "",
                "Het bestand bevat een kopregel maar geen gegevensrijen; er is niets om op te "
                "slaan.",
            )
        return ValidationResult(
            data=_empty_clean(),
            issues=issues.frame(),
            notices=notices,
            rows=len(frame),
            filename=raw.filename,
            sheet=raw.sheet,
            sheet_names=raw.sheet_names,
        )

    def cells(name: str) -> pd.Series | None:
        return frame[mapping[name]] if name in mapping else None

    def header(name: str) -> str:
        return raw.headers[mapping[name]]

    # Municipality: code and/or name, resolved by the shared matcher.
    code_text, name_text = cells("gemeentecode"), cells("gemeente")
    place_header = header("gemeentecode") if code_text is not None else header("gemeente")
    present = pd.Series(False, index=frame.index)
    for text in (code_text, name_text):
        if text is not None:
            present |= text != ""
    issues.add(~present, place_header, "", "Gemeentecode of gemeente ontbreekt.")
    codes = code_text.where(code_text != "") if code_text is not None else None
    names = name_text.where(name_text != "") if name_text is not None else None
    match = _match_distinct(codes, names)
    if codes is not None and names is not None:
        # A code that does not exist in the reference year (a former municipality, a typo)
        # while the name is clear: use the name and warn, rather than reject the row.
        retry = (match["status"] == "onbekend") & codes.notna() & names.notna()
        if retry.any():
            by_name = match_municipalities(None, names[retry])
            rescued = by_name["status"] == "ok"
            rescued_rows = rescued.index[rescued.to_numpy()]
            match.loc[rescued_rows] = by_name.loc[rescued_rows]
            issues.add(
                retry & match["status"].eq("ok"),
                header("gemeentecode"),
                code_text,
                "Gemeentecode "
                + code_text
                + f" bestaat niet in de gemeentelijke indeling {REFERENCE_YEAR}; de rij is "
                "op naam gekoppeld aan "
                + match["gemeentenaam"].fillna("")
                + " ("
                + match["gemeentecode"].fillna("")
                + ").",
                WARNING,
            )
    shown = code_text if code_text is not None else name_text
    if code_text is not None and name_text is not None:
        shown = (code_text + " / " + name_text).str.strip(" /")
    unmatched = present & (match["status"] != "ok")
    message = match["message"].fillna("Onbekende gemeente.").astype(str)
    suggestion = match["suggestion"].fillna("").astype(str)
    hint = (suggestion != "") & ~message.str.contains("Bedoelt u", regex=False)
    message = message.where(~hint, message + " Bedoelt u " + suggestion + "?")
    issues.add(unmatched, place_header, shown, message)

    # Year.
    year_text = cells("jaar")
    years = _validate_whole_numbers(issues, year_text, header("jaar"), required=True)
    out_of_range = (years < FIRST_YEAR) | (years > current_year)
    issues.add(
        out_of_range.fillna(False),
        header("jaar"),
        year_text,
        f"Jaar moet tussen {FIRST_YEAR} en {current_year} liggen.",
    )
    years = years.where(~out_of_range.fillna(False))

    # Counts.
    counts: dict[str, pd.Series] = {}
    for name in COUNT_COLUMNS:
        if name in mapping:
            counts[name] = _validate_whole_numbers(
                issues, cells(name), header(name), required=name == "gesignaleerd"
            )
        else:
            counts[name] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    signalled = counts["gesignaleerd"]
    for name in COUNT_COLUMNS[1:]:
        if name not in mapping:
            continue
        above = (counts[name] > signalled).fillna(False)
        if not above.any():
            continue
        issues.add(
            above,
            header(name),
            cells(name),
            "Groter dan gesignaleerd ("
            + signalled[above].astype(str)
            + "). Dat kan (iemand kan via een andere route in zorg komen), maar controleer het.",
            WARNING,
        )

    # Duplicates: the same municipality and year twice.
    key = pd.DataFrame({"code": match["gemeentecode"], "jaar": years})
    keyed = key.notna().all(axis=1) & unmatched.eq(False)
    duplicated = keyed & key.duplicated(keep=False)
    if duplicated.any():
        # Point each duplicate at another row of its pair (the first; the first at the second),
        # with cythonised group minima: a file can hold tens of thousands of duplicates.
        rows = pd.Series(frame.index, index=frame.index, dtype="float64")[duplicated]
        keys = [key["code"][duplicated], key["jaar"][duplicated]]
        first = rows.groupby(keys).transform("min")
        second = rows.where(rows != first).groupby(keys).transform("min")
        other = second.where(rows == first, first).astype("int64").astype(str)
        times = rows.groupby(keys).transform("size").astype("int64").astype(str)
        issues.add(
            duplicated,
            place_header,
            shown,
            (
                "Deze gemeente en dit jaar komen "
                + times
                + " keer voor; zie ook rij "
                + other
                + "."
            ).reindex(frame.index),
        )

    data = pd.DataFrame(
        {
            "gemeentecode": match["gemeentecode"].astype("string"),
            "gemeente": match["gemeentenaam"].astype("string"),
            "jaar": years,
            **counts,
        },
        index=frame.index,
    )
    if "referentiepopulatie" in mapping:
        data["referentiepopulatie"] = _validate_whole_numbers(
            issues,
            cells("referentiepopulatie"),
            header("referentiepopulatie"),
            required=False,
            minimum=1,
        )
    if "regio" in mapping:
        data["regio"] = cells("regio").where(cells("regio") != "").astype("string")

    issue_frame = issues.frame()
    bad_rows = issue_frame.loc[issue_frame["niveau"] == ERROR, "rij"]
    data = data[~data.index.isin(bad_rows)].reset_index(drop=True)
    return ValidationResult(
        data=data,
        issues=issue_frame,
        notices=notices,
        rows=len(frame),
        filename=raw.filename,
        sheet=raw.sheet,
        sheet_names=raw.sheet_names,
    )


def _match_distinct(codes: pd.Series | None, names: pd.Series | None) -> pd.DataFrame:
    """:func:`match_municipalities` on each distinct (code, name) pair once, spread to the rows.

    An upload repeats the same few hundred municipalities over many rows; factorising the pairs
    with pandas (in C) first leaves the matcher only the distinct ones.
    """
    given = [text for text in (codes, names) if text is not None]
    index = given[0].index
    key = given[0].fillna("\x00")
    if len(given) == 2:
        key = key + "\x1f" + given[1].fillna("\x00")
    groups, _ = pd.factorize(key)
    _, first = np.unique(groups, return_index=True)
    distinct = match_municipalities(
        codes.iloc[first] if codes is not None else None,
        names.iloc[first] if names is not None else None,
    )
    match = distinct.iloc[groups]
    match.index = index
    return match


def _empty_clean() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="Int64") for name in CLEAN_COLUMNS})
    frame["gemeentecode"] = frame["gemeentecode"].astype("string")
    frame["gemeente"] = frame["gemeente"].astype("string")
    return frame


def parse_upload(
    content: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_bytes: int | None = None,
    current_year: int | None = None,
) -> ValidationResult:
    """Read and validate an upload in one step. Raises :class:`UploadError` if unreadable."""
    raw = read_table(content, filename, sheet=sheet, max_bytes=max_bytes)
    return validate_table(raw, current_year=current_year)


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


def read_source(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The clean frame of an upload file on disk, for the command line.

    Raises :class:`UploadError` when the file cannot be read or has errors (warnings pass); the
    message lists the first errors with their row numbers.
    """
    path = Path(path)
    content = read_file_bytes(path)
    result = parse_upload(content, path.name, sheet=sheet, max_bytes=len(content) or None)
    if not result.ok:
        raise UploadError(describe_errors(result))
    return result.data


def describe_errors(result: ValidationResult, limit: int = 10) -> str:
    """A short Dutch summary of the errors in ``result`` (the first ``limit`` of them)."""
    errors = result.errors
    lines = [f"Het bestand bevat {len(errors)} fout(en):"]
    lines += [
        f"- rij {row.rij}, kolom '{row.kolom}': {row.melding}"
        + (f" (waarde '{row.waarde}')" if row.waarde else "")
        for row in errors.head(limit).itertuples()
    ]
    if len(errors) > limit:
        lines.append(f"- en nog {len(errors) - limit} meer.")
    return "\n".join(lines)


def sha256_of(content: bytes) -> str:
    """Hex SHA-256 of the uploaded bytes (how the store recognises an identical file)."""
    return hashlib.sha256(content).hexdigest()


# --------------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------------


def format_description() -> pd.DataFrame:
    """The upload format as a table for the page and the template (Dutch column names)."""
    return pd.DataFrame(
        {
            "kolom": [spec.name for spec in COLUMN_SPECS],
            "verplicht": [spec.required for spec in COLUMN_SPECS],
            "uitleg": [spec.explanation for spec in COLUMN_SPECS],
            "voorbeeld": [spec.example for spec in COLUMN_SPECS],
            "ook herkend": [", ".join(spec.aliases[1:]) for spec in COLUMN_SPECS],
        }
    )


def template_frame() -> pd.DataFrame:
    """One example row in the upload format."""
    return pd.DataFrame([{spec.name: spec.example for spec in COLUMN_SPECS}])


def template_xlsx_bytes() -> bytes:
    """An XLSX template: sheet 'Cijfers' with the header and an example row, sheet 'Uitleg'."""
    import openpyxl

    workbook = openpyxl.Workbook()
    data_sheet = workbook.active
    data_sheet.title = "Cijfers"
    template = template_frame()
    data_sheet.append(list(template.columns))
    data_sheet.append(
        [
            int(value.replace(".", "")) if value.replace(".", "").isdigit() else value
            for value in template.iloc[0]
        ]
    )
    explanation = workbook.create_sheet("Uitleg")
    description = format_description()
    explanation.append(list(description.columns))
    for row in description.itertuples(index=False):
        explanation.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Showing uploaded figures


def publication_preview(data: pd.DataFrame, publication: bool = True) -> pd.DataFrame:
    """The clean upload (or a stored dataset) as it may be shown or downloaded.

    With ``publication`` on (the default), small counts go through
    :func:`loverboy_stats.privacy.apply_publication_mode`: primary suppression per cell and
    secondary suppression within every grouping whose total could be shown beside it (each
    reference region level, the own ``regio`` and the country), taken per year, since a total is
    only ever made within one year. Off: the figures as uploaded.
    """
    if not publication or data.empty:
        return data.copy()
    # privacy pulls in gaps and scipy; imported here so the command line starts quickly.
    from loverboy_stats.gaps import municipal_groups
    from loverboy_stats.privacy import apply_publication_mode

    groups = municipal_groups(data, data["gemeentecode"])
    year = data["jaar"].astype("string") + " | "
    groups = groups.apply(lambda labels: year + labels.astype("string"))
    return apply_publication_mode(data, groups=groups)
