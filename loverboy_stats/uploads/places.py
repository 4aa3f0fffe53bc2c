"""The municipality of every uploaded row, and rows that give the same municipality-year twice.

An upload repeats the same few hundred municipalities over many rows, so each distinct
(code, name) pair is matched once with :func:`loverboy_stats.reference.match_municipalities`,
and every message about a place is made once per pair; rows only take their pair's result by
integer indexing. Duplicate municipality-years are found on integer keys with one sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loverboy_stats.reference import REFERENCE_YEAR, match_municipalities
from loverboy_stats.uploads.numbers import Distinct
from loverboy_stats.uploads.report import _Issues
from loverboy_stats.uploads.spec import WARNING


@dataclass(frozen=True)
class Places:
    """Each row's municipality, kept per distinct (code, name) pair.

    ``match``: :func:`match_municipalities` of every pair (RangeIndex over the pairs);
    ``shown``: the place as the user wrote it (the value quoted in messages), grouped by pair;
    ``unmatched``: per pair, a place was given but not matched.
    """

    match: pd.DataFrame
    shown: Distinct
    unmatched: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """The pair of every row."""
        return self.shown.rows

    def on_rows(self, column: str, keep: np.ndarray | None = None) -> pd.Series:
        """A column of :attr:`match` ("gemeentecode", "gemeentenaam") on the rows (those marked
        in ``keep`` when given), as the nullable string dtype."""
        return self.shown.on_rows(self.match[column].astype("string").array, keep)


def _pairs(code: Distinct | None, name: Distinct | None) -> tuple[np.ndarray, np.ndarray]:
    """(pair of every row, position of each pair's first row), pairs in order of appearance
    (the first unknown names get a spelling suggestion)."""
    given = code if code is not None else name
    key = np.zeros(len(given.rows), dtype=np.int64)
    keys = 1
    for column in (code, name):
        if column is not None:
            key = key * len(column.values) + column.rows
            keys *= len(column.values)
    everywhere = np.arange(len(key))
    if keys > 4 * len(key) + 4096:  # many distinct codes and names: hash the pairs
        rows, uniques = pd.factorize(key)
        first = np.full(len(uniques), len(rows), dtype=np.intp)
        np.minimum.at(first, rows, everywhere)
        return rows, first
    # Few possible pairs (a column's distinct texts, or hundreds of codes times names): each
    # pair's first row by unbuffered minima, the pairs numbered in the order of those rows.
    first = np.full(keys, len(key), dtype=np.intp)
    np.minimum.at(first, key, everywhere)
    seen = np.flatnonzero(first < len(key))
    seen = seen[np.argsort(first[seen], kind="stable")]
    number = np.zeros(keys, dtype=np.intp)
    number[seen] = np.arange(len(seen))
    return number[key], first[seen]


def match_places(
    issues: _Issues, code: Distinct | None, name: Distinct | None, headers: dict[str, str]
) -> Places:
    """Match every row's code and/or name (text columns; at least one given) and record the
    problems: no place, an unknown, ambiguous or contradictory one, and a code unknown in the
    reference year while the name is clear (a warning; the row is matched on its name).
    ``headers``: the user's header of each given column."""
    rows, first = _pairs(code, name)
    index = (code if code is not None else name).index
    pair_code = pd.Series(code.texts(first)) if code is not None else None
    pair_name = pd.Series(name.texts(first)) if name is not None else None
    place_header = headers["gemeentecode" if code is not None else "gemeente"]

    present = np.zeros(len(first), dtype=bool)
    for text in (pair_code, pair_name):
        if text is not None:
            present |= (text != "").to_numpy(dtype=bool)
    shown = pair_code if pair_code is not None else pair_name
    if pair_code is not None and pair_name is not None:
        shown = (pair_code + " / " + pair_name).str.strip(" /")
    places = Distinct(index, rows, shown)
    issues.add_distinct(
        places, ~present, place_header, "Gemeentecode of gemeente ontbreekt.", values=""
    )

    codes = pair_code.where(pair_code != "") if pair_code is not None else None
    names = pair_name.where(pair_name != "") if pair_name is not None else None
    match = match_municipalities(codes, names)
    if codes is not None and names is not None:
        # A code that does not exist in the reference year (a former municipality, a typo)
        # while the name is clear: use the name and warn, rather than reject the row.
        retry = (match["status"] == "onbekend") & codes.notna() & names.notna()
        if retry.any():
            by_name = match_municipalities(None, names[retry])
            rescued = by_name.index[(by_name["status"] == "ok").to_numpy()]
            match.loc[rescued] = by_name.loc[rescued]
            warned = (retry & match["status"].eq("ok")).to_numpy(dtype=bool)
            message = (
                "Gemeentecode "
                + pair_code
                + f" bestaat niet in de gemeentelijke indeling {REFERENCE_YEAR}; de rij is "
                "op naam gekoppeld aan "
                + match["gemeentenaam"].fillna("")
                + " ("
                + match["gemeentecode"].fillna("")
                + ")."
            )
            issues.add_distinct(
                Distinct(index, rows, pair_code),
                warned,
                headers["gemeentecode"],
                message.to_numpy(dtype=object),
                WARNING,
            )

    unmatched = present & (match["status"] != "ok").to_numpy(dtype=bool)
    # Per pair (hundreds at most): plain Python beats a dozen pandas string operations.
    messages = np.array(
        [
            message + f" Bedoelt u {suggestion}?"
            if suggestion and "Bedoelt u" not in message
            else message
            for message, suggestion in zip(
                match["message"].fillna("Onbekende gemeente.").astype(str).tolist(),
                match["suggestion"].fillna("").astype(str).tolist(),
                strict=True,
            )
        ],
        dtype=object,
    )
    issues.add_distinct(places, unmatched, place_header, messages)
    return Places(match, places, unmatched)


def check_duplicates(issues: _Issues, places: Places, years: np.ndarray, header: str) -> None:
    """An error on every row whose municipality and year occur more than once, pointing at
    another row of the same municipality-year (the first; the first at the second).
    ``years``: the year of every row as a float (NaN: none)."""
    # Every row's municipality-year as one small integer: a municipality times the span of the
    # years plus the year. Both are bounded (the reference's municipalities, the years since
    # 2000), so the municipality-years are counted with bincount, without hashing or sorting.
    municipality, _ = pd.factorize(places.match["gemeentecode"])
    municipality[places.unmatched] = -1
    municipality = municipality[places.rows]
    keyed = (municipality >= 0) & ~np.isnan(years)
    if not keyed.any():
        return
    # The span of all years given covers those of the keyed rows.
    low, high = np.nanmin(years), np.nanmax(years)
    span = int(high - low) + 1
    keys = (int(municipality.max()) + 1) * span  # the key `keys`: no municipality-year
    key = np.where(keyed, municipality * span + (np.where(keyed, years, low) - low), keys)
    key = key.astype(np.int32 if keys < 2**31 else np.int64)
    del municipality, keyed
    sizes = np.bincount(key, minlength=keys + 1)
    sizes[keys] = 0
    positions = np.flatnonzero(sizes[key] >= 2)  # the duplicated rows, in row order
    if not len(positions):
        return
    key = key[positions]
    # The first and second row of every municipality-year, with unbuffered minima (no sort).
    rows = len(places.rows)  # past every position
    first = np.full(keys, rows, dtype=np.int64)
    np.minimum.at(first, key, positions)
    later = positions != first[key]
    second = np.full(keys, rows, dtype=np.int64)
    np.minimum.at(second, key[later], positions[later])
    # One message per municipality-year for its first row (pointing at the second) and one
    # for the others (pointing at the first), made by Arrow and taken for the rows; the
    # municipality-years in order of their first row.
    groups = np.flatnonzero(sizes[:keys] >= 2)
    groups = groups[np.argsort(first[groups], kind="stable")]
    rank = np.zeros(keys, dtype=np.int32 if len(groups) < 2**30 else np.int64)
    rank[groups] = np.arange(len(groups))
    numbers = places.shown.index.to_numpy()
    messages = pc.binary_join_element_wise(
        "Deze gemeente en dit jaar komen ",
        pc.cast(pa.array(np.tile(sizes[groups], 2)), pa.string()),
        " keer voor; zie ook rij ",
        pc.cast(pa.array(numbers[np.concatenate([second[groups], first[groups]])]), pa.string()),
        ".",
        "",
    )
    issues.add_at(
        numbers[positions],
        header,
        # Codes kept until the report is made: 4 bytes a row where they fit, not 8.
        (places.shown.rows[positions].astype(rank.dtype), places.shown.values.array),
        (rank[key] + rank.dtype.type(len(groups)) * later, messages),
    )
