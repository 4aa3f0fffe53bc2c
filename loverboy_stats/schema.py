"""The column vocabulary and the typed gap-table contract, in one place.

Every module that reads or writes a dataset or a gap table takes its column names from here, so
that a name means the same thing in the upload parser, the store, the model, publication mode,
the charts and the command line. A short Dutch-English glossary of these names is in
``docs/methode.md``.

The published gap table keeps **numbers numeric**: a count hidden by publication mode is a
missing value in its numeric column, and its *status* (shown, ``<k``, afgeschermd, not reported)
is a column of its own beside it. Marks such as ``"<5"`` or ``"x"`` are made only when a table is
rendered as text (the page's table, a CSV download, the command line) by :func:`count_text` and
:func:`marked_frame`. What the table describes (level, year, options, whether publication mode
was applied and with which k) travels in :class:`TableMeta`, never in ``DataFrame.attrs``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property

import pandas as pd

# --------------------------------------------------------------------------------------------
# Datasets: what a municipality uploads and the store keeps (one row per municipality-year)

#: The four counts a municipality reports, in display order. ``gesignaleerd`` (S) is required;
#: ``gemeld_comensha`` (M), ``doorverwezen`` (R) and ``in_behandeling`` (T) are optional. A
#: missing value means "not reported" and is never read as 0.
COUNT_COLUMNS: tuple[str, ...] = (
    "gesignaleerd",
    "gemeld_comensha",
    "doorverwezen",
    "in_behandeling",
)
#: Dutch labels of the counts for screens and headers.
COUNT_LABELS: dict[str, str] = {
    "gesignaleerd": "gesignaleerd",
    "gemeld_comensha": "gemeld bij CoMensha",
    "doorverwezen": "doorverwezen",
    "in_behandeling": "in behandeling",
}
#: Columns every clean dataset has, in order.
KEY_COLUMNS: tuple[str, ...] = ("gemeentecode", "gemeente", "jaar")
#: Optional columns of a dataset: an own reference population (people) and an own grouping.
OPTIONAL_COLUMNS: tuple[str, ...] = ("referentiepopulatie", "regio")
#: A dataset as stored and loaded: these columns in this order.
DATASET_COLUMNS: tuple[str, ...] = (*KEY_COLUMNS, *COUNT_COLUMNS, *OPTIONAL_COLUMNS)
#: Dataset columns holding text (the others are nullable whole numbers, ``Int64``).
TEXT_COLUMNS: frozenset[str] = frozenset({"gemeentecode", "gemeente", "regio"})


def typed_dataset(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :data:`DATASET_COLUMNS` in order and their types: ``string`` for text,
    ``Int64`` for numbers (missing = ``<NA>``). Optional columns absent from ``frame`` are added
    empty, so every consumer sees one shape."""
    out = pd.DataFrame(index=frame.index)
    for column in DATASET_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index)
        if column in TEXT_COLUMNS:
            out[column] = values.astype("string")
        else:
            out[column] = pd.to_numeric(values, errors="coerce").astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Gap tables: one row per area (municipality or region) for one year

#: Columns of the gap table, in this order (the command line's CSV keeps it). Ratios and shares
#: are unrounded fractions; a missing value means "not available", never 0.
GAP_COLUMNS: tuple[str, ...] = (
    "code",
    "naam",
    *COUNT_COLUMNS,
    "referentiepopulatie",
    "verwacht",
    "verwacht_laag",
    "verwacht_hoog",
    "signaleringsratio",
    "signaleringsratio_laag",
    "signaleringsratio_hoog",
    "per_10000",
    "per_10000_laag",
    "per_10000_hoog",
    "doorverwijspercentage",
    "bereik_behandeling",
    "niet_bereikt",
    "dekking",
)
#: True where T > expected (then ``niet_bereikt`` is 0): "meer in behandeling dan verwacht".
FLAG_COLUMN = "meer_in_behandeling_dan_verwacht"
#: The denominator of a referral share: Σ S over the members that also reported R.
REFERRAL_BASE_COLUMN = "basis_doorverwijspercentage"
#: The denominator of each step of the funnel "of those signalled": Σ S over the members that
#: reported that step's count (for R it is :data:`REFERRAL_BASE_COLUMN`).
BASE_COLUMNS: dict[str, str] = {
    "gemeld_comensha": "basis_gemeld_comensha",
    "doorverwezen": REFERRAL_BASE_COLUMN,
    "in_behandeling": "basis_in_behandeling",
}
#: Coverage of each count: the share of the area's reference population living in members that
#: reported it ("dekking" itself is the coverage of ``gesignaleerd``).
COVERAGE_COLUMNS: dict[str, str] = {
    "gesignaleerd": "dekking",
    "gemeld_comensha": "dekking_gemeld_comensha",
    "doorverwezen": "dekking_doorverwezen",
    "in_behandeling": "dekking_in_behandeling",
}
#: Number of municipalities of an area (``gemeenten``: all its members, also those not in the
#: dataset) and of those that reported each count: "3 van 11 gemeenten". Whether a
#: municipality reported is public (the municipal table shows "–" for not reported), so these
#: are never protected.
MEMBER_COLUMNS: dict[str, str] = {
    "alle": "gemeenten",
    **{column: f"gemeenten_{column}" for column in COUNT_COLUMNS},
}
#: Columns after :data:`GAP_COLUMNS`, kept after the fixed ones so that consumers relying on
#: that order are unaffected. ``verwacht`` and ``referentiepopulatie`` are the denominators of
#: ``signaleringsratio`` and ``per_10000`` (members that reported S); the whole area's values
#: are ``*_hele_regio``; ``verwacht_behandeling`` is the denominator of ``bereik_behandeling``
#: and what ``niet_bereikt`` is taken from (members that reported T).
EXTRA_COLUMNS: tuple[str, ...] = (
    "doorverwijspercentage_laag",
    "doorverwijspercentage_hoog",
    FLAG_COLUMN,
    REFERRAL_BASE_COLUMN,
    "verwacht_hele_regio",
    "referentiepopulatie_hele_regio",
    "verwacht_behandeling",
    "basis_gemeld_comensha",
    "basis_in_behandeling",
    "dekking_gemeld_comensha",
    "dekking_doorverwezen",
    "dekking_in_behandeling",
    *MEMBER_COLUMNS.values(),
)
#: Cells publication mode protects: the counts and the bases of the shares (both are sums of
#: counts). Each has a status column beside it.
PROTECTED_COLUMNS: tuple[str, ...] = (*COUNT_COLUMNS, *BASE_COLUMNS.values())

#: Each derived column and the counts it is computed from: it is hidden together with them.
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "signaleringsratio": ("gesignaleerd",),
    "signaleringsratio_laag": ("gesignaleerd",),
    "signaleringsratio_hoog": ("gesignaleerd",),
    "per_10000": ("gesignaleerd",),
    "per_10000_laag": ("gesignaleerd",),
    "per_10000_hoog": ("gesignaleerd",),
    "doorverwijspercentage": ("doorverwezen", REFERRAL_BASE_COLUMN),
    "doorverwijspercentage_laag": ("doorverwezen", REFERRAL_BASE_COLUMN),
    "doorverwijspercentage_hoog": ("doorverwezen", REFERRAL_BASE_COLUMN),
    # niet_bereikt = verwacht − T and the flag T > verwacht would give T back.
    "bereik_behandeling": ("in_behandeling",),
    "niet_bereikt": ("in_behandeling",),
    FLAG_COLUMN: ("in_behandeling",),
}


class CellStatus(StrEnum):
    """What publication mode did with one count cell."""

    SHOWN = "getoond"
    #: A count from 1 to k−1 (primary suppression), rendered as "<k".
    SMALL = "klein"
    #: Hidden so that a small count cannot be worked out from the others (secondary
    #: suppression): the value is 0 or at least k. Rendered as :data:`PROTECTED_MARK`.
    PROTECTED = "afgeschermd"
    #: The count was not reported (an empty cell in the upload); rendered as :data:`MISSING`.
    NOT_REPORTED = "niet gerapporteerd"


HIDDEN_STATUSES = frozenset({CellStatus.SMALL, CellStatus.PROTECTED})
PROTECTED_MARK = "x"
MISSING = "–"


def status_column(count: str) -> str:
    """The status column beside count ``count`` (``gesignaleerd`` -> ``gesignaleerd_status``)."""
    return f"{count}_status"


STATUS_COLUMNS: tuple[str, ...] = tuple(status_column(c) for c in PROTECTED_COLUMNS)


def small_mark(k: int) -> str:
    """The mark of a small count: ``"<5"`` for k = 5."""
    return f"<{k}"


@dataclass(frozen=True)
class TableMeta:
    """What a gap table describes. ``k`` is the suppression threshold when ``published``."""

    level: str
    year: int | None
    population: str
    estimate: str
    interval_published: bool
    published: bool = False
    k: int | None = None

    def as_dict(self) -> dict[str, object]:
        """The metadata under the Dutch keys of the command line's JSON output."""
        return {
            "niveau": self.level,
            "jaar": self.year,
            "populatie": self.population,
            "schatting": self.estimate,
            "interval_gepubliceerd": self.interval_published,
            "publicatiemodus": self.published,
            "k": self.k,
        }


@dataclass(frozen=True)
class GapTable:
    """A gap table: :data:`GAP_COLUMNS`, :data:`EXTRA_COLUMNS` and :data:`STATUS_COLUMNS`.

    Counts are ``Int64`` and missing where not reported *or* hidden; the status column says
    which. Derived columns are float and missing where not computable or hidden (see
    :func:`derived_hidden`). Rows are areas sorted by code.
    """

    frame: pd.DataFrame
    meta: TableMeta

    def with_frame(self, frame: pd.DataFrame, **meta: object) -> GapTable:
        return GapTable(frame, replace(self.meta, **meta))

    @cached_property
    def positions(self) -> dict[str, int]:
        """Area code -> row position (built once per table)."""
        return {str(code): i for i, code in enumerate(self.frame["code"])}

    @cached_property
    def records(self) -> list[dict[str, object]]:
        """The rows as plain dicts (column -> value), built once: reading one area's figures
        is then a lookup instead of a pandas row copy."""
        return self.frame.to_dict("records")

    def row(self, code: str | None) -> dict[str, object] | None:
        """The row of area ``code`` (column -> value), or None when the table has no such area.
        A shared dict: read it, do not change it."""
        position = self.positions.get(str(code)) if code is not None else None
        return None if position is None else self.records[position]

    def rows(self, codes: list[str]) -> pd.DataFrame:
        """The rows of the areas in ``codes`` that the table has, in that order (typed)."""
        found = [self.positions[c] for c in codes if c in self.positions]
        return self.frame.iloc[found]

    @property
    def hidden(self) -> pd.Series:
        """True for rows where publication mode hid at least one count."""
        return self.frame[list(STATUS_COLUMNS)].isin(list(HIDDEN_STATUSES)).any(axis=1)


def derived_hidden(row_or_frame: pd.Series | pd.DataFrame, column: str) -> bool | pd.Series:
    """Whether derived ``column`` is hidden because a count it comes from is hidden."""
    sources = DERIVED_FROM.get(column, ())
    if isinstance(row_or_frame, pd.DataFrame):
        hidden = pd.Series(False, index=row_or_frame.index)
        for count in sources:
            hidden |= row_or_frame[status_column(count)].isin(list(HIDDEN_STATUSES))
        return hidden
    return any(row_or_frame[status_column(count)] in HIDDEN_STATUSES for count in sources)


def count_text(value: object, status: object, k: int | None, formatter) -> str:
    """A count as shown: the number in Dutch notation, ``"<k"``, ``"x"`` or ``"–"``."""
    if status == CellStatus.SMALL:
        return small_mark(k or 0)
    if status == CellStatus.PROTECTED:
        return PROTECTED_MARK
    if value is None or value is pd.NA or pd.isna(value):
        return MISSING
    return formatter(value)


def count_cell(value: object, status: object, k: int | None) -> object:
    """A count for a file: the whole number, its mark (``"<5"``, ``"x"``) or missing."""
    if status == CellStatus.SMALL:
        return small_mark(k or 0)
    if status == CellStatus.PROTECTED:
        return PROTECTED_MARK
    return pd.NA if value is None or value is pd.NA or pd.isna(value) else int(value)


def marked_frame(table: GapTable, columns: list[str] | None = None) -> pd.DataFrame:
    """The table for a file or a terminal: counts and bases as whole numbers or their mark
    (``"<5"``, ``"x"``), empty where not reported; status columns dropped. Other columns keep
    their values. ``columns`` (default: :data:`GAP_COLUMNS` + :data:`EXTRA_COLUMNS`) selects
    and orders the output."""
    frame = table.frame
    k = table.meta.k
    wanted = columns or [*GAP_COLUMNS, *EXTRA_COLUMNS]
    out = pd.DataFrame(index=frame.index)
    for column in wanted:
        if column in PROTECTED_COLUMNS:
            cells = [
                count_cell(v, s, k)
                for v, s in zip(frame[column], frame[status_column(column)], strict=True)
            ]
            out[column] = pd.Series(cells, index=frame.index, dtype=object)
        else:
            out[column] = frame[column]
    return out
