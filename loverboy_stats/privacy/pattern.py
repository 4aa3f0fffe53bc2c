"""A protection pattern: the status of every published cell of one dataset-year.

The pattern depends only on the counts, who reported them, the region memberships and k: not
on the population option or the national estimate (those only scale public denominators). So
one pattern per (data, year, k, design) serves every view, download and command, and it can be
computed once, stored (:mod:`loverboy_stats.store.protections`) or shipped (the demo), and
applied to each level's table by :func:`apply_pattern`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loverboy_stats.privacy.problem import PRIMARY, SHOWN, Problem
from loverboy_stats.schema import (
    BASE_COLUMNS,
    COUNT_COLUMNS,
    DERIVED_FROM,
    PROTECTED_COLUMNS,
    CellStatus,
    GapTable,
    status_column,
)

#: Bumped whenever a change to the protection would give another pattern for the same data,
#: so stored patterns of the old method are not reused.
METHOD_VERSION = 1
_BASE_OF = {f"basis:{count}": base for count, base in BASE_COLUMNS.items()}


@dataclass(frozen=True)
class Pattern:
    """Status per published cell: (level, area code, column) -> status, for every cell that
    has a value; ``key`` identifies the data, year, k and design it was made for."""

    key: str
    k: int
    design: str
    statuses: dict[tuple[str, str, str], CellStatus]

    def to_json(self) -> str:
        cells = sorted([*place, str(status)] for place, status in self.statuses.items())
        return json.dumps(
            {"key": self.key, "k": self.k, "design": self.design, "cells": cells},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Pattern:
        data = json.loads(text)
        statuses = {
            (level, code, column): CellStatus(status)
            for level, code, column, status in data["cells"]
        }
        return cls(data["key"], int(data["k"]), data["design"], statuses)

    def hidden(self) -> int:
        """How many published cells are hidden."""
        return sum(status != CellStatus.SHOWN for status in self.statuses.values())


def data_key(local_year: pd.DataFrame, k: int, design: str) -> str:
    """A digest of everything the pattern depends on: each municipality's counts (missing =
    not reported) and own region, k, the design and :data:`METHOD_VERSION`."""
    columns = ["gemeentecode", *COUNT_COLUMNS] + (
        ["regio"] if "regio" in local_year.columns else []
    )
    frame = local_year.reindex(columns=columns).sort_values("gemeentecode")
    rows = [
        ["" if pd.isna(value) else str(value) for value in row]
        for row in frame.itertuples(index=False)
    ]
    payload = json.dumps([rows, int(k), design, METHOD_VERSION], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pattern_from_status(problem: Problem, status: np.ndarray, key: str, design: str) -> Pattern:
    """The statuses of a solved problem, per published label, as marks will show them.

    A municipal cell keeps the difference: "<k" (1..k-1) or "x" (hidden, 0 or at least k).
    Every hidden region or base cell gets the one mark "x", whatever its value, so that a
    hidden total tells nothing by its mark (docs/publicatiemodus.md, "Waarom één teken").
    """
    statuses: dict[tuple[str, str, str], CellStatus] = {}
    for cell in problem.cells:
        code = int(status[cell.index])
        if code == SHOWN:
            shown = CellStatus.SHOWN
        elif code == PRIMARY and not cell.is_aggregate:
            shown = CellStatus.SMALL
        else:
            shown = CellStatus.PROTECTED
        for label in cell.labels:
            column = _BASE_OF.get(label.what, label.what)
            statuses[(label.level, label.group, column)] = shown
    return Pattern(key, problem.k, design, statuses)


def apply_pattern(table: GapTable, pattern: Pattern) -> GapTable:
    """``table`` as publication mode shows it: each count and base gets its status from
    ``pattern``; a hidden cell's value becomes missing, and so does every derived figure that
    rests on it (:data:`loverboy_stats.schema.DERIVED_FROM`).

    Fails closed: a cell with a value that the pattern does not know is hidden.
    """
    level = table.meta.level
    out = table.frame.copy()
    # Per protected column, which rows are hidden (plain arrays: a frame of them cost more
    # than the rest of this function).
    hidden_cells: dict[str, np.ndarray] = {}
    codes = out["code"].astype(str).tolist()
    for column in PROTECTED_COLUMNS:
        present = out[column].notna().tolist()
        states = [
            pattern.statuses.get((level, code, column), CellStatus.PROTECTED)
            if has_value
            else CellStatus.NOT_REPORTED
            for code, has_value in zip(codes, present, strict=True)
        ]
        out[status_column(column)] = pd.Series(states, index=out.index, dtype=object)
        hidden = np.array([s in (CellStatus.SMALL, CellStatus.PROTECTED) for s in states], bool)
        hidden_cells[column] = hidden
        out[column] = out[column].mask(hidden)
    for derived, sources in DERIVED_FROM.items():
        hidden = np.logical_or.reduce([hidden_cells[source] for source in sources])
        if str(out[derived].dtype) == "boolean":
            out[derived] = out[derived].mask(hidden, pd.NA)
        else:
            out[derived] = out[derived].mask(hidden)
    return table.with_frame(out, published=True, k=pattern.k)
