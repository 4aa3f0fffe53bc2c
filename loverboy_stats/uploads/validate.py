"""Validating a read table: every problem at once, with its Excel row, column and value.

Strict about content: every problem in the whole table is collected, each with the row number
the user sees in Excel, the column as the user named it, the offending value, a Dutch message
and a level (error or warning). Vectorised over whole columns, so a 100,000-row file takes a
fraction of a second. Nothing is changed silently: an empty cell stays "not reported".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loverboy_stats.reference import REFERENCE_YEAR, match_municipalities, normalise_name
from loverboy_stats.schema import COUNT_COLUMNS
from loverboy_stats.textsafe import NAME_MAX, name_problem, shorten
from loverboy_stats.uploads.numbers import parse_dutch_numbers
from loverboy_stats.uploads.read import RawTable, read_file_bytes, read_table
from loverboy_stats.uploads.report import ValidationResult, _Issues
from loverboy_stats.uploads.spec import (
    CLEAN_COLUMNS,
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
    issues = _Issues()
    check = _Columns(raw, mapping, issues)
    if not _header_complete(check) or raw.frame.empty:
        return _result(raw, _empty_clean(), issues, raw.notices + notices)
    for name, label in (("gemeentecode", "Deze gemeentecode"), ("gemeente", "Deze naam")):
        if name in mapping:
            _check_length(check, name, label)
    match, shown, unmatched = _match_places(check)
    years = _check_years(check, current_year)
    counts = _check_counts(check)
    _check_duplicates(check, match, years, shown, unmatched)

    data = pd.DataFrame(
        {
            "gemeentecode": match["gemeentecode"].astype("string"),
            "gemeente": match["gemeentenaam"].astype("string"),
            "jaar": years,
            **counts,
        },
        index=raw.frame.index,
    )
    if "referentiepopulatie" in mapping:
        data["referentiepopulatie"] = _validate_whole_numbers(
            issues,
            check.cells("referentiepopulatie"),
            check.header("referentiepopulatie"),
            required=False,
            minimum=1,
        )
    if "regio" in mapping:
        regions = check.cells("regio")
        _check_names(check, "regio", "Deze regio")
        data["regio"] = regions.where(regions != "").astype("string")
    issue_frame = issues.frame()
    bad_rows = issue_frame.loc[issue_frame["niveau"] == ERROR, "rij"]
    data = data[~data.index.isin(bad_rows)].reset_index(drop=True)
    return _result(raw, data, issues, raw.notices + notices, issue_frame)


@dataclass
class _Columns:
    """The table being validated, with its column mapping and the issues found so far."""

    raw: RawTable
    mapping: dict[str, int]
    issues: _Issues

    def cells(self, name: str) -> pd.Series | None:
        return self.raw.frame[self.mapping[name]] if name in self.mapping else None

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


def _match_places(check: _Columns) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Resolve each row's municipality (code and/or name) with the shared matcher.

    Returns the match frame (see :func:`loverboy_stats.reference.match_municipalities`), the
    text to show for the place in messages, and the rows that did not match.
    """
    frame, issues = check.raw.frame, check.issues
    code_text, name_text = check.cells("gemeentecode"), check.cells("gemeente")
    place_header = check.header("gemeentecode" if code_text is not None else "gemeente")
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
                check.header("gemeentecode"),
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
    return match, shown, unmatched


def _check_length(check: _Columns, name: str, label: str) -> None:
    """An error on a cell longer than a name can be (a code next to megabytes of text is no
    municipality): the store could not hold it, and it is no slip of the pen."""
    text = check.cells(name)
    too_long = text.str.len() > NAME_MAX
    if too_long.any():
        messages = text[too_long].map(lambda value: name_problem(value, label))
        check.issues.add(too_long, check.header(name), text, messages.reindex(text.index))


def _check_names(check: _Columns, name: str, label: str) -> None:
    """An error on every filled cell of a name column (``regio``) that is no acceptable name:
    too long for the store, or with characters a name may not hold (see
    :mod:`loverboy_stats.textsafe`). Each distinct value is checked once."""
    text = check.cells(name)
    problems = {value: name_problem(value, label) for value in text[text != ""].unique()}
    problems = {value: problem for value, problem in problems.items() if problem}
    if problems:
        messages = text.map(problems)
        check.issues.add(messages.notna(), check.header(name), text, messages)


def _check_years(check: _Columns, current_year: int) -> pd.Series:
    """The year column as Int64, missing where it is not a year from FIRST_YEAR to now."""
    text = check.cells("jaar")
    years = _validate_whole_numbers(check.issues, text, check.header("jaar"), required=True)
    out_of_range = ((years < FIRST_YEAR) | (years > current_year)).fillna(False)
    check.issues.add(
        out_of_range,
        check.header("jaar"),
        text,
        f"Jaar moet tussen {FIRST_YEAR} en {current_year} liggen.",
    )
    return years.where(~out_of_range)


def _check_counts(check: _Columns) -> dict[str, pd.Series]:
    """The four counts as Int64 (missing = not reported or invalid), with a warning where an
    optional count exceeds ``gesignaleerd`` (allowed: care can be reached by another route)."""
    index = check.raw.frame.index
    counts: dict[str, pd.Series] = {}
    for name in COUNT_COLUMNS:
        if name in check.mapping:
            counts[name] = _validate_whole_numbers(
                check.issues, check.cells(name), check.header(name), required=name == "gesignaleerd"
            )
        else:
            counts[name] = pd.Series(pd.NA, index=index, dtype="Int64")
    signalled = counts["gesignaleerd"]
    for name in COUNT_COLUMNS[1:]:
        above = (counts[name] > signalled).fillna(False)
        if name not in check.mapping or not above.any():
            continue
        check.issues.add(
            above,
            check.header(name),
            check.cells(name),
            "Groter dan gesignaleerd ("
            + signalled[above].astype(str)
            + "). Dat kan (iemand kan via een andere route in zorg komen), maar controleer het.",
            WARNING,
        )
    return counts


def _check_duplicates(
    check: _Columns, match: pd.DataFrame, years: pd.Series, shown: pd.Series, unmatched: pd.Series
) -> None:
    """An error on every row whose municipality and year occur more than once."""
    frame = check.raw.frame
    key = pd.DataFrame({"code": match["gemeentecode"], "jaar": years})
    keyed = key.notna().all(axis=1) & unmatched.eq(False)
    duplicated = keyed & key.duplicated(keep=False)
    if not duplicated.any():
        return
    # Point each duplicate at another row of its pair (the first; the first at the second),
    # with cythonised group minima: a file can hold tens of thousands of duplicates.
    rows = pd.Series(frame.index, index=frame.index, dtype="float64")[duplicated]
    keys = [key["code"][duplicated], key["jaar"][duplicated]]
    first = rows.groupby(keys).transform("min")
    second = rows.where(rows != first).groupby(keys).transform("min")
    other = second.where(rows == first, first).astype("int64").astype(str)
    times = rows.groupby(keys).transform("size").astype("int64").astype(str)
    place_header = check.header(
        "gemeentecode" if check.cells("gemeentecode") is not None else "gemeente"
    )
    check.issues.add(
        duplicated,
        place_header,
        shown,
        (
            "Deze gemeente en dit jaar komen " + times + " keer voor; zie ook rij " + other + "."
        ).reindex(frame.index),
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
