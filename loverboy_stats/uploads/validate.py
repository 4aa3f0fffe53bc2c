"""Validating a read table: every problem at once, with its Excel row, column and value.

Strict about content: every problem in the whole table is collected, each with the row number
the user sees in Excel, the column as the user named it, the offending value, a Dutch message
and a level (error or warning). Each distinct text is checked once and the results are spread
over the rows as numpy arrays (numbers as floats, NaN where empty or bad, until the clean rows
are made), so a 100,000-row file takes a few tens of milliseconds. Nothing is changed silently:
an empty cell stays "not reported".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loverboy_stats.reference import normalise_name
from loverboy_stats.schema import COUNT_COLUMNS
from loverboy_stats.textsafe import NAME_MAX, name_problem, shorten
from loverboy_stats.uploads.numbers import Distinct, parse_dutch_numbers
from loverboy_stats.uploads.places import Places, check_duplicates, match_places
from loverboy_stats.uploads.read import RawTable, read_file_bytes, read_table
from loverboy_stats.uploads.report import ValidationResult, _Issues
from loverboy_stats.uploads.spec import (
    CLEAN_COLUMNS,
    COLUMN_SPECS,
    ERROR,
    FIRST_YEAR,
    HEADER_ALIASES,
    LIMITS,
    MAX_COUNT,
    NO_HEADER_MESSAGE,
    WARNING,
    Limits,
    UploadError,
)


def _map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Canonical column name -> position, and notices about ignored columns."""
    mapping: dict[str, int] = {}
    notices: list[str] = []
    for position, header in enumerate(headers):
        if not header:
            continue
        name = HEADER_ALIASES.get(normalise_name(header))
        if name is None:
            notices.append(f"Kolom '{shorten(header)}' is niet bekend en wordt niet ingelezen.")
        elif name in mapping:
            raise UploadError(
                f"De kolom '{name}' komt twee keer voor ('{shorten(headers[mapping[name]])}' en "
                f"'{shorten(header)}'). Houd er één over."
            )
        else:
            mapping[name] = position
    return mapping, notices


def _validate_whole_numbers(
    issues: _Issues,
    cells: Distinct,
    header: str,
    *,
    required: bool,
    minimum: int = 0,
    years: tuple[int, int] | None = None,
) -> np.ndarray:
    """Parse a column of whole numbers; record problems; return the numbers on the rows as
    floats (NaN: empty or bad; see :func:`_integers`).

    ``years``: also the range (first, last) a year must lie in. Each distinct text is parsed
    and checked once (:class:`Distinct`)."""
    values, unreadable = parse_dutch_numbers(cells.values)
    if required:
        issues.add_distinct(cells, cells.values == "", header, "Verplichte waarde ontbreekt.")
    issues.add_distinct(cells, unreadable, header, "Geen getal.")
    with np.errstate(invalid="ignore"):
        negative = values < 0
        issues.add_distinct(cells, negative, header, "Mag niet negatief zijn.")
        fractional = ~np.isnan(values) & ~negative & (values % 1 != 0)
        issues.add_distinct(cells, fractional, header, "Moet een geheel getal zijn.")
        too_small = ~negative & ~fractional & (values < minimum)
        issues.add_distinct(cells, too_small, header, f"Moet minstens {minimum} zijn.")
        too_large = values > MAX_COUNT
        issues.add_distinct(cells, too_large, header, "Dit getal is onwaarschijnlijk groot.")
    clean = np.where(negative | fractional | too_small | too_large, np.nan, np.round(values))
    if years is not None:
        first, last = years
        outside = (clean < first) | (clean > last)
        issues.add_distinct(cells, outside, header, f"Jaar moet tussen {first} en {last} liggen.")
        clean = np.where(outside, np.nan, clean)
    return clean[cells.rows]


def _integers(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers as floats (NaN: missing) as nullable Int64."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def validate_table(raw: RawTable, *, current_year: int | None = None) -> ValidationResult:
    """Check every cell of ``raw`` against the format and return a :class:`ValidationResult`."""
    current_year = current_year or dt.date.today().year
    mapping, notices = _map_columns(raw.headers)
    issues = _Issues()
    check = _Columns(raw, mapping, issues)
    if not _header_complete(check) or raw.frame.empty:
        return _result(raw, _empty_clean(), issues, raw.notices + notices)
    for name, label in (("gemeentecode", "Deze gemeentecode"), ("gemeente", "Deze naam")):
        if name in mapping:
            _check_names(check, name, label, only_length=True)
    headers = {name: check.header(name) for name in mapping}
    places = match_places(
        issues, check.distinct("gemeentecode"), check.distinct("gemeente"), headers
    )
    years = _validate_whole_numbers(
        issues,
        check.distinct("jaar"),
        check.header("jaar"),
        required=True,
        years=(FIRST_YEAR, current_year),
    )
    counts = _check_counts(check)
    place_header = headers["gemeentecode" if "gemeentecode" in mapping else "gemeente"]
    check_duplicates(issues, places, years, place_header)

    extra = {}
    if "referentiepopulatie" in mapping:
        extra["referentiepopulatie"] = _validate_whole_numbers(
            issues,
            check.distinct("referentiepopulatie"),
            check.header("referentiepopulatie"),
            required=False,
            minimum=1,
        )
    if "regio" in mapping:
        _check_names(check, "regio", "Deze regio")
    _warn_about_the_example(issues, places, years, counts, place_header)
    issue_frame = issues.frame()
    bad = np.zeros(int(raw.frame.index.max()) + 1, dtype=bool)
    bad[issues.rows(ERROR)] = True
    # The clean rows only: a file full of errors never has its texts spread over every row.
    keep = ~bad[raw.frame.index.to_numpy()]
    columns = {
        "gemeentecode": places.on_rows("gemeentecode", keep).array,
        "gemeente": places.on_rows("gemeentenaam", keep).array,
        "jaar": _integers(years[keep]),
        **{name: _integers(values[keep]) for name, values in {**counts, **extra}.items()},
    }
    if "regio" in mapping:
        regions = check.distinct("regio")
        text = regions.values.where(regions.values != "").astype("string").array
        columns["regio"] = regions.on_rows(text, keep).array
    data = pd.DataFrame(columns)
    return _result(raw, data, issues, raw.notices + notices, issue_frame)


def _warn_about_the_example(
    issues: _Issues,
    places: Places,
    years: np.ndarray,
    counts: dict[str, np.ndarray],
    header: str,
) -> None:
    """The template's example row (Den Haag, 2023, with its made-up counts) left in a file is
    valid, but not real: say so, so it is removed or filled in before it is stored. (A missing
    number, NaN, equals nothing.)"""
    example = {spec.name: spec.example for spec in COLUMN_SPECS}
    code = (places.match["gemeentecode"] == example["gemeentecode"]).fillna(False)
    code = code.to_numpy(dtype=bool)
    if not code.any():
        return
    same = code[places.rows] & (years == int(example["jaar"]))
    for name in COUNT_COLUMNS:
        same &= counts[name] == int(example[name])
    issues.add_at(
        places.shown.index[same],
        header,
        example["gemeentecode"],
        f"Dit is de voorbeeldrij uit het sjabloon ({example['gemeente']}, {example['jaar']}) "
        "met verzonnen aantallen. Verwijder de rij, of vul de echte cijfers in.",
        WARNING,
    )


@dataclass
class _Columns:
    """The table being validated, with its column mapping and the issues found so far."""

    raw: RawTable
    mapping: dict[str, int]
    issues: _Issues
    _distinct: dict[str, Distinct] = field(default_factory=dict)

    def cells(self, name: str) -> pd.Series | None:
        return self.raw.frame[self.mapping[name]] if name in self.mapping else None

    def distinct(self, name: str) -> Distinct | None:
        """The column as its distinct values (factorised once for all checks)."""
        if name not in self.mapping:
            return None
        if name not in self._distinct:
            self._distinct[name] = Distinct.of(self.cells(name))
        return self._distinct[name]

    def header(self, name: str) -> str:
        return self.raw.headers[self.mapping[name]]

    @property
    def header_row(self) -> pd.Series:
        """A one-row mask pointing at the header row (for problems with the header itself)."""
        return pd.Series(True, index=pd.Index([self.raw.header_row]))


def _result(
    raw: RawTable,
    data: pd.DataFrame,
    issues: _Issues,
    notices: list[str],
    issue_frame: pd.DataFrame | None = None,
) -> ValidationResult:
    return ValidationResult(
        data=data,
        issues=issues.frame() if issue_frame is None else issue_frame,
        notices=notices,
        rows=len(raw.frame),
        filename=raw.filename,
        sheet=raw.sheet,
        sheet_names=raw.sheet_names,
    )


def _header_complete(check: _Columns) -> bool:
    """Report missing required columns (or no header at all) and an empty body; True if the
    rows can be checked."""
    mapping, issues = check.mapping, check.issues
    missing = [name for name in ("jaar", "gesignaleerd") if name not in mapping]
    if "gemeentecode" not in mapping and "gemeente" not in mapping:
        missing.insert(0, "gemeentecode of gemeente")
    if not mapping:
        # Not one known column name: this is no table of figures (or the header is lower down
        # than we look). One clear message instead of one per missing column.
        issues.add(check.header_row, "kopregel", "", NO_HEADER_MESSAGE)
        return False
    for name in missing:
        issues.add(check.header_row, name, "", f"Verplichte kolom '{name}' ontbreekt.")
    if not missing and check.raw.frame.empty:
        # An error, not a notice: an empty dataset must not be stored as if it were figures.
        issues.add(
            check.header_row,
            "kopregel",
            "",
            "Het bestand bevat een kopregel maar geen gegevensrijen; er is niets om op te slaan.",
        )
    return not missing


def _check_names(check: _Columns, name: str, label: str, *, only_length: bool = False) -> None:
    """An error on every filled cell of a name column that is no acceptable name: too long for
    the store (a code next to megabytes of text is no municipality, and no slip of the pen),
    or, unless ``only_length``, with characters a name may not hold (see
    :mod:`loverboy_stats.textsafe`). Each distinct value is checked once."""
    cells = check.distinct(name)
    if only_length:
        suspect = (cells.values.str.len() > NAME_MAX).to_numpy(dtype=bool)
    else:
        suspect = (cells.values != "").to_numpy(dtype=bool)
    problems = np.full(len(cells.values), "", dtype=object)
    found = np.zeros(len(cells.values), dtype=bool)
    for position in np.flatnonzero(suspect):
        problem = name_problem(cells.values.iloc[position], label)
        if problem:
            problems[position], found[position] = problem, True
    check.issues.add_distinct(cells, found, check.header(name), problems)


def _check_counts(check: _Columns) -> dict[str, np.ndarray]:
    """The four counts on the rows as floats (NaN: not reported or invalid), with a warning
    where an optional count exceeds ``gesignaleerd`` (allowed: care can be reached by another
    route)."""
    index = check.raw.frame.index
    counts: dict[str, np.ndarray] = {}
    for name in COUNT_COLUMNS:
        if name in check.mapping:
            counts[name] = _validate_whole_numbers(
                check.issues,
                check.distinct(name),
                check.header(name),
                required=name == "gesignaleerd",
            )
        else:
            counts[name] = np.full(len(index), np.nan)
    signalled = counts["gesignaleerd"]
    for name in COUNT_COLUMNS[1:]:
        if name not in check.mapping:
            continue
        above = counts[name] > signalled  # False where either is missing (NaN)
        if not above.any():
            continue
        # One message per number signalled, in order of appearance.
        where, numbers = pd.factorize(signalled[above])
        messages = [
            f"Groter dan gesignaleerd ({int(number)}). Dat kan (iemand kan via een andere route "
            "in zorg komen), maar controleer het."
            for number in numbers
        ]
        check.issues.add_at(
            index[above],
            check.header(name),
            check.distinct(name).texts(above),
            (where, messages),
            WARNING,
        )
    return counts


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
    limits: Limits = LIMITS,
) -> ValidationResult:
    """Read and validate an upload in one step. Raises :class:`UploadError` if unreadable.

    ``limits``: the bounds of the file (the app and the command line keep the default)."""
    raw = read_table(content, filename, sheet=sheet, max_bytes=max_bytes, limits=limits)
    return validate_table(raw, current_year=current_year)


def read_source(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The clean frame of an upload file on disk, for the command line.

    The same limits as on the page apply (size, rows, columns, cells). Raises
    :class:`UploadError` when the file cannot be read or has errors (warnings pass); the message
    lists the first errors with their row numbers.
    """
    path = Path(path)
    content = read_file_bytes(path)
    result = parse_upload(content, path.name, sheet=sheet)
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
