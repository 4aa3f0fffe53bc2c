"""Municipality reference table (CBS, 2024), region levels and the one name/code matcher.

The table ``data/reference/gemeenten_2024.csv`` is built by ``scripts/build_reference.py``; its
metadata (sources, licence, columns) is in ``gemeenten_2024.meta.yaml`` beside it. Uploads, pages
and the command line all match municipalities through :func:`match_municipalities`, so a name
that is accepted in one place is accepted everywhere.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from loverboy_stats.settings import SHIPPED_DATA_DIR

REFERENCE_DIR = SHIPPED_DATA_DIR / "reference"
MUNICIPALITIES_FILE = REFERENCE_DIR / "gemeenten_2024.csv"
ALIASES_FILE = REFERENCE_DIR / "gemeente_aliassen.csv"

#: The CBS national population on 1 January 2024; the table must add up to it exactly.
NATIONAL_POPULATION_2024 = 17_942_942
REFERENCE_YEAR = 2024
N_MUNICIPALITIES = 342
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")

REGION_CODE_COLUMNS = [
    "provinciecode",
    "jeugdregiocode",
    "ggdregiocode",
    "veiligheidsregiocode",
]
COLUMNS = [
    "gemeentecode",
    "gemeentenaam",
    "provinciecode",
    "provincienaam",
    "jeugdregiocode",
    "jeugdregionaam",
    "ggdregiocode",
    "ggdregionaam",
    "veiligheidsregiocode",
    "veiligheidsregionaam",
    "inwoners",
    "vrouwen",
    "pct_15_25",
]

# Missing values in the matcher output are pd.NA (not NaN), as the uploads parser expects.
_STRING = pd.StringDtype(na_value=pd.NA)


class RegionLevel(NamedTuple):
    """A level at which figures can be shown: Dutch label, code and name column.

    ``code_column``/``name_column`` are columns of the reference table, or ``None`` for the
    custom ``regio`` grouping, whose membership comes from the user's upload.
    """

    label: str
    code_column: str | None
    name_column: str | None


REGION_LEVELS: dict[str, RegionLevel] = {
    "gemeente": RegionLevel("Gemeente", "gemeentecode", "gemeentenaam"),
    "provincie": RegionLevel("Provincie", "provinciecode", "provincienaam"),
    "jeugdregio": RegionLevel("Jeugdregio", "jeugdregiocode", "jeugdregionaam"),
    "ggdregio": RegionLevel("GGD-regio", "ggdregiocode", "ggdregionaam"),
    "veiligheidsregio": RegionLevel(
        "Veiligheidsregio", "veiligheidsregiocode", "veiligheidsregionaam"
    ),
    "regio": RegionLevel("Eigen regio-indeling", None, None),
    "totaal": RegionLevel("Alle gemeenten in de dataset", None, None),
}
#: The reference levels that group municipalities into CBS regions.
CBS_REGION_LEVELS = ("provincie", "jeugdregio", "ggdregio", "veiligheidsregio")
#: Code and name of the one group of level "totaal": every municipality in a dataset. Never
#: called "Nederland": the country is the sourced national figure, not the sum of a dataset.
TOTAL_CODE = "ALLE"
TOTAL_NAME = "Alle gemeenten in de dataset"


class ReferenceDataError(ValueError):
    """The shipped reference table is missing or does not pass its checks."""


# --------------------------------------------------------------------------------------------
# Loading and validation


def read_municipalities(path: Path | str) -> pd.DataFrame:
    """Read and validate a municipality table at ``path`` (uncached; tests feed broken copies).

    Returns one row per municipality with :data:`COLUMNS`; ``inwoners`` and ``vrouwen`` are
    counts of people on 1 January 2024, ``pct_15_25`` whole percents as rounded by CBS. No value
    is missing (a missing value is an error). Raises :class:`ReferenceDataError` naming the file.
    """
    path = Path(path)
    where = f"Referentietabel {path}"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceDataError(f"{where} kan niet worden gelezen: {exc}") from exc
    missing_columns = [c for c in COLUMNS if c not in table.columns]
    if missing_columns:
        raise ReferenceDataError(f"{where}: kolommen ontbreken: {', '.join(missing_columns)}")
    table = table[COLUMNS].copy()
    codes = table["gemeentecode"].str.strip()
    if len(table) != N_MUNICIPALITIES or codes.nunique() != N_MUNICIPALITIES:
        raise ReferenceDataError(
            f"{where}: verwacht {N_MUNICIPALITIES} unieke gemeentecodes, "
            f"gevonden {codes.nunique()} in {len(table)} rijen"
        )
    bad = codes[~codes.str.match(MUNICIPALITY_CODE)]
    if len(bad):
        raise ReferenceDataError(f"{where}: ongeldige gemeentecodes: {', '.join(bad.head(5))}")
    blank = [c for c in COLUMNS if (table[c].str.strip() == "").any()]
    if blank:
        raise ReferenceDataError(f"{where}: lege waarden in kolom(men) {', '.join(blank)}")
    for column in ("inwoners", "vrouwen", "pct_15_25"):
        numbers = pd.to_numeric(table[column], errors="coerce")
        if numbers.isna().any() or (numbers < 0).any() or (numbers % 1 != 0).any():
            raise ReferenceDataError(f"{where}: kolom {column} bevat geen gehele getallen ≥ 0")
        table[column] = numbers.astype("int64")
    total = int(table["inwoners"].sum())
    if total != NATIONAL_POPULATION_2024:
        raise ReferenceDataError(
            f"{where}: inwoners tellen op tot {total}, verwacht {NATIONAL_POPULATION_2024}"
        )
    table["gemeentecode"] = codes
    return table.set_index("gemeentecode", drop=False).rename_axis(None)


@lru_cache(maxsize=1)
def _cached_municipalities() -> pd.DataFrame:
    return read_municipalities(MUNICIPALITIES_FILE)


def load_municipalities() -> pd.DataFrame:
    """The shipped 2024 reference table (validated once per process, see
    :func:`read_municipalities`), indexed by ``gemeentecode``. A copy, so callers may modify it.
    """
    return _cached_municipalities().copy()


def memberships(codes: pd.Series, own_regions: pd.Series | None = None) -> pd.DataFrame:
    """Every grouping whose totals can be published beside municipal rows ``codes``.

    One column per CBS region level (the group's code), ``regio`` when ``own_regions`` (aligned
    on ``codes``) has any label, and ``totaal`` (:data:`TOTAL_CODE` for every row). A missing
    label means "in no group of this kind".
    """
    table = _cached_municipalities()
    groups = pd.DataFrame(index=codes.index)
    for level in CBS_REGION_LEVELS:
        groups[level] = codes.map(table[REGION_LEVELS[level].code_column])
    if own_regions is not None and own_regions.notna().any():
        groups["regio"] = own_regions.astype("string")
    groups["totaal"] = TOTAL_CODE
    return groups


# --------------------------------------------------------------------------------------------
# Matching names and codes

_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "´": "'"})
_CODE_PATTERN = re.compile(r"^(?:GM)?0*(\d{1,4})(?:\.0*)?$")


def normalise_name(text: object) -> str:
    """A municipality name reduced to lower-case letters and digits, for comparing.

    Accents, case, spaces, hyphens, apostrophes (straight or curly), dots and brackets do not
    count: "'s-Gravenhage", "’s Gravenhage" and "S-GRAVENHAGE" all give "sgravenhage";
    "Bergen (NH.)" and "Bergen NH" give "bergennh". Missing input gives "".
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def normalise_code(value: object) -> str | None:
    """A municipality code in CBS form (``GM0363``) from "GM0363", "gm363", "363", 363, 363.0.

    Returns ``None`` when the value is missing or does not look like a municipality code (the
    code may still be unknown; that is checked against the reference table separately).
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = re.sub(r"\s", "", str(value)).upper()
    if not text:
        return None
    found = _CODE_PATTERN.match(text)
    if not found:
        return None
    return f"GM{int(found.group(1)):04d}"


class _NameIndex(NamedTuple):
    by_key: dict[str, tuple[str, ...]]  # normalised name -> candidate codes
    names: dict[str, str]  # code -> official name
    keys: list[str]  # for difflib
    #: official names and aliases exactly as written -> their normalised key (most uploads
    #: spell names exactly so: a lookup instead of Unicode normalisation)
    spelled: dict[str, str]


@lru_cache(maxsize=1)
def _name_index() -> _NameIndex:
    table = _cached_municipalities()
    names = dict(zip(table["gemeentecode"], table["gemeentenaam"], strict=True))
    by_key: dict[str, set[str]] = {}
    for code, name in names.items():
        by_key.setdefault(normalise_name(name), set()).add(code)
    # Aliases are data (gemeente_aliassen.csv): common names and spellings; an alias with more
    # than one row (such as "Bergen") is ambiguous on purpose.
    aliases = pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)
    unknown = set(aliases["gemeentecode"]) - set(names)
    if unknown:
        raise ReferenceDataError(f"{ALIASES_FILE}: onbekende codes {sorted(unknown)}")
    for alias, code in zip(aliases["alias"], aliases["gemeentecode"], strict=True):
        by_key.setdefault(normalise_name(alias), set()).add(code)
    frozen = {key: tuple(sorted(codes)) for key, codes in by_key.items()}
    spelled = {text: normalise_name(text) for text in [*names.values(), *aliases["alias"]]}
    return _NameIndex(frozen, names, sorted(frozen), spelled)


def _label(code: str, index: _NameIndex) -> str:
    return f"{index.names[code]} ({code})"


def _suggest(raw_name: str | None, index: _NameIndex) -> str:
    """A near miss by spelling, e.g. "'s-Gravenhage (GM0518)" for "Gravenhage"; or ""."""
    key = normalise_name(raw_name)
    if not key:
        return ""
    close = difflib.get_close_matches(key, index.keys, n=1, cutoff=0.75)
    if not close:
        return ""
    return " of ".join(_label(code, index) for code in index.by_key[close[0]])


#: Unknown names get a spelling suggestion ("Bedoelt u ...?") up to this many per call: difflib
#: takes about a millisecond a name, and a hostile file can hold 20,000 different names.
MAX_SUGGESTIONS = 200


def _match_one(raw_code: object, raw_name: object, index: _NameIndex, suggest) -> tuple:
    """(code, name, status, message, suggestion) for one distinct (code, name) pair;
    ``suggest(name)`` gives the spelling suggestion for an unknown name."""
    has_code = not (raw_code is None or (not isinstance(raw_code, str) and pd.isna(raw_code)))
    has_code = has_code and str(raw_code).strip() != ""
    name_text = "" if raw_name is None or pd.isna(raw_name) else str(raw_name).strip()
    name_key = index.spelled.get(name_text) or normalise_name(name_text)
    name_codes = index.by_key.get(name_key, ()) if name_key else ()

    if has_code:
        code = normalise_code(raw_code)
        if code is None or code not in index.names:
            suggestion = _label(name_codes[0], index) if len(name_codes) == 1 else ""
            return (
                pd.NA,
                pd.NA,
                "onbekend",
                f"Gemeentecode '{raw_code}' bestaat niet in de gemeentelijke indeling "
                f"{REFERENCE_YEAR}.",
                suggestion,
            )
        # A name that the code contradicts is an error; a name we do not recognise (or an
        # ambiguous one such as "Bergen") is settled by the code, which is the stronger key.
        if name_codes and code not in name_codes:
            return (
                pd.NA,
                pd.NA,
                "tegenstrijdig",
                f"Gemeentecode {code} hoort bij {index.names[code]}, maar de naam "
                f"'{name_text}' hoort bij "
                + " of ".join(_label(c, index) for c in name_codes)
                + ". Controleer code en naam.",
                "",
            )
        return (code, index.names[code], "ok", "", "")

    if not name_key:
        return (pd.NA, pd.NA, "onbekend", "Geen gemeentecode en geen gemeentenaam.", "")
    if len(name_codes) == 1:
        code = name_codes[0]
        return (code, index.names[code], "ok", "", "")
    if len(name_codes) > 1:
        options = " of ".join(_label(c, index) for c in name_codes)
        return (
            pd.NA,
            pd.NA,
            "dubbelzinnig",
            f"'{name_text}' kan meerdere gemeenten zijn: {options}. "
            "Geef de gemeentecode of de volledige naam.",
            "",
        )
    suggestion = suggest(name_text)
    message = f"Gemeente '{name_text}' niet gevonden in de gemeentelijke indeling {REFERENCE_YEAR}."
    if suggestion:
        message += f" Bedoelt u {suggestion}?"
    return (pd.NA, pd.NA, "onbekend", message, suggestion)


MATCH_STATUSES = ("ok", "onbekend", "dubbelzinnig", "tegenstrijdig")


def match_municipalities(
    codes: pd.Series | None = None, names: pd.Series | None = None
) -> pd.DataFrame:
    """Match municipality codes and/or names against the 2024 reference table.

    ``codes`` and ``names`` are Series on the same index (either may be ``None``). Returns a
    DataFrame on that index with columns:

    * ``gemeentecode``: CBS code ("GM0518") or pd.NA when not matched;
    * ``gemeentenaam``: official CBS name or pd.NA;
    * ``status``: "ok", "onbekend", "dubbelzinnig" (a name that fits more than one
      municipality) or "tegenstrijdig" (code and name point to different municipalities);
    * ``message``: Dutch text for the user, "" when ok;
    * ``suggestion``: a close match by spelling such as "'s-Gravenhage (GM0518)", or "".

    When a valid code is given it decides; a name is then only checked for contradiction.
    Each distinct (code, name) pair is matched once and mapped back to the rows; only the first
    :data:`MAX_SUGGESTIONS` unknown names are given a suggestion.
    """
    if codes is None and names is None:
        raise ValueError("Geef gemeentecodes, gemeentenamen of beide.")
    index_like = codes.index if codes is not None else names.index
    code_values = _objects(codes, len(index_like))
    name_values = _objects(names, len(index_like))
    lookup = _name_index()
    # Deduplicate on repr() so that 363 and 363.0, or None and NaN, stay distinct keys that map
    # back exactly; the distinct pairs are few (hundreds) even when an upload has many rows.
    pair_of: dict[tuple[str, str], int] = {}
    first: list[int] = []
    rows = np.empty(len(index_like), dtype=np.intp)
    for row, key in enumerate(zip(map(repr, code_values), map(repr, name_values), strict=True)):
        pair = pair_of.setdefault(key, len(pair_of))
        if pair == len(first):
            first.append(row)
        rows[row] = pair
    budget = iter(range(MAX_SUGGESTIONS))

    def suggest(name: str) -> str:
        return _suggest(name, lookup) if next(budget, None) is not None else ""

    results = [_match_one(code_values[i], name_values[i], lookup, suggest) for i in first]
    columns = list(zip(*results, strict=True)) if results else [()] * 5
    names_dtypes = (
        ("gemeentecode", _STRING),
        ("gemeentenaam", _STRING),
        ("status", str),
        ("message", str),
        ("suggestion", str),
    )
    return pd.DataFrame(
        {
            name: pd.array(np.asarray(values, dtype=object)[rows], dtype=dtype)
            for (name, dtype), values in zip(names_dtypes, columns, strict=True)
        },
        index=index_like,
    )


def _objects(values: pd.Series | None, length: int) -> list[object]:
    """A column's values as Python objects with None for missing (all None without one)."""
    if values is None:
        return [None] * length
    return [None if value is None or _missing(value) else value for value in values.astype(object)]


def _missing(value: object) -> bool:
    return not isinstance(value, str) and bool(pd.isna(value))
