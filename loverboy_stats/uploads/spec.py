"""The upload format: its columns, their accepted spellings and the limits of a file.

One place for what an upload may contain, used by the reader, the validator, the template and
``docs/dataformaat.md`` (a test checks that every column is documented there).
"""

from __future__ import annotations

from dataclasses import dataclass

from loverboy_stats.reference import normalise_name
from loverboy_stats.schema import COUNT_COLUMNS, KEY_COLUMNS

ERROR = "fout"
WARNING = "waarschuwing"

#: Columns of the clean frame, in order (``referentiepopulatie`` and ``regio`` only if uploaded).
CLEAN_COLUMNS = (*KEY_COLUMNS, *COUNT_COLUMNS)
ISSUE_COLUMNS = ("rij", "kolom", "waarde", "melding", "niveau")

FIRST_YEAR = 2000
#: Larger counts cannot be real and would not fit a database integer safely.
MAX_COUNT = 10**12
#: Accepted file name endings.
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx",)
#: Zip-bomb guards for XLSX: total unpacked size, ratio per member, number of members. The
#: largest valid table (9,300 rows of 9 columns) unpacks to about 3.5 MB; openpyxl reads a
#: sheet at roughly 5 MB a second, and scans a whole sheet without a ``<dimension>`` once more
#: on opening it, so the size bounds the time as well.
XLSX_MAX_UNPACKED_BYTES = 10_000_000
XLSX_MAX_RATIO = 100
XLSX_MAX_MEMBERS = 2_000

# Bounds of a file, applied while it is read row by row, so a tiny hostile file cannot make the
# reader build a huge table (an xlsx whose only cell is XFD1048576, a line of two million
# separators). The largest valid table holds each municipality-year once: 342 municipalities
# times the years since 2000, about 9,300 rows of at most 9 columns. The bounds leave room for
# title rows, empty rows, extra columns and a file full of duplicates that must still get its
# complete report, and keep the worst case well under a second and a few hundred MB.


@dataclass(frozen=True)
class Limits:
    """The bounds of one file or sheet; every refusal message names the bound it hit.

    The app and the command line always use :data:`LIMITS`; another value is for measuring the
    reader beyond the bounds (bench/uploads.py reads 100,000 and 1,000,000 rows).
    """

    #: Rows, counted as Excel numbers them (empty rows and title rows too).
    rows: int = 20_000
    #: Columns, up to the last filled cell of a row (empty cells at the end do not count).
    columns: int = 50
    #: Rows times columns of the table as read.
    cells: int = 250_000
    #: Characters in one cell; no cell of a table of figures comes near.
    cell_chars: int = 1_000


LIMITS = Limits()
MAX_ROWS = LIMITS.rows
MAX_COLUMNS = LIMITS.columns
MAX_CELLS = LIMITS.cells
MAX_CELL_CHARS = LIMITS.cell_chars
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
#: Normalised header spelling -> canonical column name.
HEADER_ALIASES = {
    normalise_name(alias): spec.name for spec in COLUMN_SPECS for alias in spec.aliases
}
