"""The linked small-count problem of one dataset-year, as generic sum cells.

Part of publication mode (:mod:`loverboy_stats.privacy`); see docs/publicatiemodus.md.

Everything that publication mode publishes for one dataset and one year is a *cell*: the sum of
a set of municipal variables (one variable per municipality and reported count column), with
its true value. A municipal cell is a set of one. Region cells sum the members of a group that
reported the count; share bases ("denominators") sum S over the members that reported M, R or
T. Cells with exactly the same member set are one cell published under several labels (for
example a jeugdregio of one municipality, or a region whose members all reported R, whose
referral base equals its S total): they always get the same status.

Statuses (one int8 per cell):

* ``SHOWN``     exact value published;
* ``PRIMARY``   "<k": value in 1..k-1. Assigned by :func:`primary_status` for exactly those;
* ``SECONDARY`` "afgeschermd": hidden although the value is 0 or >= k.

What a hidden *aggregate* (region or base) cell tells an attacker depends on the marks policy
(:data:`MARKS`):

* ``"distinct"``: aggregates are marked like municipal cells, "<k" for 1..k-1 and
  "afgeschermd" otherwise, so the attacker knows 1..k-1 resp. {0} ∪ [k, ∞). This is the
  brief's rule. It leaks by itself: a "<k" total over two "<k" members tells that each member
  is at most k-2 (see notes.md, "inherent narrowing").
* ``"uniform"``: every hidden aggregate gets the same mark, so it tells nothing (value >= 0).
  Municipal cells keep "<k" and "afgeschermd".

The four count columns are independent problems; bases tie S-variables to the (public)
reporting pattern of M, R and T only through their member sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from loverboy_stats.reference import TOTAL_CODE

#: Count columns in the dataset, with the short names used in reports.
COUNT_COLUMNS: dict[str, str] = {
    "gesignaleerd": "S",
    "gemeld_comensha": "M",
    "doorverwezen": "R",
    "in_behandeling": "T",
}
SIGNALLED = "gesignaleerd"
#: Columns whose share is published over a base of S (M ÷ S, R ÷ S, T ÷ S).
SHARE_COLUMNS = ("gemeld_comensha", "doorverwezen", "in_behandeling")
#: Region levels in publication order; "regio" only when the upload has an own grouping.
REGION_LEVELS = ("provincie", "jeugdregio", "ggdregio", "veiligheidsregio", "regio", "totaal")
MUNICIPAL_LEVEL = "gemeente"
TOTAL_LABEL = TOTAL_CODE

SHOWN: int = 0
PRIMARY: int = 1
SECONDARY: int = 2
STATUS_NAMES = {SHOWN: "shown", PRIMARY: "primary", SECONDARY: "secondary"}

Marks = Literal["distinct", "uniform"]
MARKS: tuple[Marks, ...] = ("distinct", "uniform")

CellKind = Literal["municipal", "region", "base"]


@dataclass(frozen=True)
class Label:
    """One place where a cell is published: (level, group code, what).

    ``what`` is the count column for a count cell, or ``"basis:<column>"`` for the S-base of the
    share of ``<column>`` (e.g. ``"basis:doorverwezen"``).
    """

    level: str
    group: str
    what: str


@dataclass(frozen=True)
class Cell:
    """A published sum: its variables (indices into :attr:`Problem.variables`) and value."""

    index: int
    column: str
    members: tuple[int, ...]
    value: int
    labels: tuple[Label, ...]

    @property
    def kind(self) -> CellKind:
        if len(self.members) == 1:
            return "municipal"
        if any(not label.what.startswith("basis:") for label in self.labels):
            return "region"
        return "base"

    @property
    def is_aggregate(self) -> bool:
        return len(self.members) > 1


@dataclass
class Problem:
    """The linked cells of one dataset-year.

    ``variables[j] = (gemeentecode, column)`` with true value ``values[j]``; ``cells`` in index
    order; ``matrix`` is the 0/1 cell × variable incidence (CSR) so that
    ``matrix @ values == [c.value for c in cells]``.
    """

    k: int
    marks: Marks
    municipalities: tuple[str, ...]
    variables: tuple[tuple[str, str], ...]
    values: np.ndarray
    cells: tuple[Cell, ...]
    matrix: sp.csr_matrix
    levels: tuple[str, ...]
    #: variable index -> indices of the cells that contain it.
    cells_of_variable: tuple[tuple[int, ...], ...] = field(repr=False)
    #: gemeentecode -> indices of its variables (all its reported columns).
    variables_of_municipality: dict[str, tuple[int, ...]] = field(repr=False)
    #: variable index -> index of its municipal cell.
    municipal_cells: np.ndarray = field(repr=False)

    @property
    def cell_values(self) -> np.ndarray:
        return np.fromiter((c.value for c in self.cells), dtype=np.int64, count=len(self.cells))

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    def is_aggregate(self) -> np.ndarray:
        """Boolean per cell: True for region and base cells."""
        return np.fromiter((c.is_aggregate for c in self.cells), dtype=bool, count=self.n_cells)

    def municipal_cell(self, variable: int) -> int:
        """Index of the municipal cell of ``variable``."""
        return int(self.municipal_cells[variable])


def primary_status(problem: Problem) -> np.ndarray:
    """Status with only primary suppression: PRIMARY for values 1..k-1, SHOWN otherwise."""
    values = problem.cell_values
    status = np.full(problem.n_cells, SHOWN, dtype=np.int8)
    status[(values >= 1) & (values <= problem.k - 1)] = PRIMARY
    return status


def check_k(k: int) -> int:
    k = int(k)
    if not 2 <= k <= 100:
        raise ValueError(f"k must be between 2 and 100, got {k}")
    return k


def build_problem(
    frame: pd.DataFrame,
    membership: pd.DataFrame,
    k: int = 5,
    marks: Marks = "distinct",
    columns: Sequence[str] = tuple(COUNT_COLUMNS),
) -> Problem:
    """Build the linked problem of one year.

    ``frame``: one row per municipality with ``gemeentecode`` and the count columns (missing =
    not reported; other columns are ignored). ``membership``: indexed by ``gemeentecode``, one
    column per region level in :data:`REGION_LEVELS` that is published (a missing label means
    "in no group of this level"); ``totaal`` is added when absent. Municipalities of ``frame``
    must all be in ``membership``'s index.
    """
    k = check_k(k)
    if marks not in MARKS:
        raise ValueError(f"marks must be one of {MARKS}")
    if frame["gemeentecode"].duplicated().any():
        raise ValueError("one row per municipality expected (select one year first)")
    codes = tuple(str(c) for c in frame["gemeentecode"])
    missing = set(codes) - set(membership.index)
    if missing:
        raise ValueError(f"municipalities without membership: {sorted(missing)[:5]}")
    groups = membership.reindex(list(codes)).copy()
    if "totaal" not in groups.columns:
        groups["totaal"] = TOTAL_LABEL
    levels = tuple(level for level in REGION_LEVELS if level in groups.columns)

    variables: list[tuple[str, str]] = []
    values: list[int] = []
    var_index: dict[tuple[str, str], int] = {}
    reported: dict[str, np.ndarray] = {}
    for column in columns:
        if column not in frame.columns:
            reported[column] = np.zeros(len(codes), dtype=bool)
            continue
        numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(numbers)
        if (numbers[ok] < 0).any() or (numbers[ok] != np.round(numbers[ok])).any():
            raise ValueError(f"{column}: counts must be whole numbers >= 0")
        reported[column] = ok
        for code, value, present in zip(codes, numbers, ok, strict=True):
            if present:
                var_index[(code, column)] = len(variables)
                variables.append((code, column))
                values.append(int(value))

    # Member sets -> labels; dict keeps first-seen order (municipal cells come first).
    cells: dict[tuple[int, ...], list[Label]] = {}

    def add(members: list[int], label: Label) -> None:
        if members:
            cells.setdefault(tuple(sorted(members)), []).append(label)

    for column in columns:
        for code in codes:
            if (code, column) in var_index:
                add([var_index[(code, column)]], Label(MUNICIPAL_LEVEL, code, column))
    has_s = reported.get(SIGNALLED, np.zeros(len(codes), dtype=bool))
    for level in levels:
        labels = groups[level]
        for group in pd.unique(labels.dropna()):
            in_group = (labels == group).to_numpy()
            for column in columns:
                members = [
                    var_index[(code, column)]
                    for code, inside, ok in zip(codes, in_group, reported[column], strict=True)
                    if inside and ok
                ]
                add(members, Label(level, str(group), column))
            if SIGNALLED not in columns:
                continue
            for column in SHARE_COLUMNS:
                if column not in columns:
                    continue
                both = in_group & reported[column] & has_s
                members = [var_index[(code, SIGNALLED)] for code in np.array(codes)[both]]
                add(members, Label(level, str(group), f"basis:{column}"))
    # Municipal bases equal the municipal S cell: publish them as labels of that cell.
    if SIGNALLED in columns:
        for column in SHARE_COLUMNS:
            if column in columns:
                for code, ok, s_ok in zip(codes, reported[column], has_s, strict=True):
                    if ok and s_ok:
                        add(
                            [var_index[(code, SIGNALLED)]],
                            Label(MUNICIPAL_LEVEL, code, f"basis:{column}"),
                        )

    value_array = np.asarray(values, dtype=np.int64)
    cell_list: list[Cell] = []
    rows: list[int] = []
    cols: list[int] = []
    for index, (members, labels) in enumerate(cells.items()):
        column = variables[members[0]][1]
        cell_list.append(
            Cell(index, column, members, int(value_array[list(members)].sum()), tuple(labels))
        )
        rows.extend([index] * len(members))
        cols.extend(members)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)),
        shape=(len(cell_list), len(variables)),
    )
    of_variable: list[list[int]] = [[] for _ in variables]
    for cell in cell_list:
        for j in cell.members:
            of_variable[j].append(cell.index)
    of_municipality: dict[str, list[int]] = {code: [] for code in codes}
    for j, (code, _column) in enumerate(variables):
        of_municipality[code].append(j)
    return Problem(
        k=k,
        marks=marks,
        municipalities=codes,
        variables=tuple(variables),
        values=value_array,
        cells=tuple(cell_list),
        matrix=matrix,
        levels=levels,
        cells_of_variable=tuple(tuple(c) for c in of_variable),
        variables_of_municipality={c: tuple(v) for c, v in of_municipality.items()},
        # Municipal cells are created first, one per variable, in variable order.
        municipal_cells=np.array(
            [of_variable[j][0] for j in range(len(variables))], dtype=np.int64
        ),
    )


def with_marks(problem: Problem, marks: Marks) -> Problem:
    """The same problem under another marks policy."""
    if marks not in MARKS:
        raise ValueError(f"marks must be one of {MARKS}")
    return Problem(**{**problem.__dict__, "marks": marks})


def status_table(problem: Problem, status: np.ndarray) -> pd.DataFrame:
    """One row per published label: level, group, what, value, status name, cell index."""
    rows = [
        (
            label.level,
            label.group,
            label.what,
            cell.value,
            STATUS_NAMES[int(status[cell.index])],
            cell.index,
        )
        for cell in problem.cells
        for label in cell.labels
    ]
    return pd.DataFrame(rows, columns=["level", "group", "what", "value", "status", "cell"])


def column_parts(problem: Problem) -> list[tuple[Problem, np.ndarray, np.ndarray]]:
    """Split into independent sub-problems, one per count column (bases go with S).

    Returns (sub-problem, global index of each of its cells, of each of its variables). No cell
    mixes columns, so statuses can be decided per part and put back with
    ``status[cells] = part_status``.
    """
    parts = []
    columns = sorted({column for _code, column in problem.variables})
    for column in columns:
        variables = np.array(
            [j for j, (_code, col) in enumerate(problem.variables) if col == column],
            dtype=np.int64,
        )
        local = np.full(len(problem.values), -1, dtype=np.int64)
        local[variables] = np.arange(len(variables))
        cells = np.array([c.index for c in problem.cells if c.column == column], dtype=np.int64)
        sub_cells = tuple(
            Cell(i, c.column, tuple(int(local[j]) for j in c.members), c.value, c.labels)
            for i, c in enumerate(problem.cells[g] for g in cells)
        )
        matrix = problem.matrix[cells][:, variables].tocsr()
        of_variable: list[list[int]] = [[] for _ in variables]
        for cell in sub_cells:
            for j in cell.members:
                of_variable[j].append(cell.index)
        of_municipality: dict[str, list[int]] = {}
        for jl, j in enumerate(variables):
            of_municipality.setdefault(problem.variables[j][0], []).append(jl)
        sub = Problem(
            k=problem.k,
            marks=problem.marks,
            municipalities=problem.municipalities,
            variables=tuple(problem.variables[j] for j in variables),
            values=problem.values[variables],
            cells=sub_cells,
            matrix=matrix,
            levels=problem.levels,
            cells_of_variable=tuple(tuple(c) for c in of_variable),
            variables_of_municipality={
                code: tuple(of_municipality.get(code, ())) for code in problem.municipalities
            },
            municipal_cells=np.array(
                [of_variable[j][0] for j in range(len(variables))], dtype=np.int64
            ),
        )
        parts.append((sub, cells, variables))
    return parts
