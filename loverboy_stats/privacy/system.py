"""The attacker's system: what each published cell tells, and its connected components.

Part of the exact audit (:mod:`loverboy_stats.privacy.audit`): shown municipal cells (and an
insider's own cells) become constants, the remaining unknowns are split into connected
components, and each component's constraints are kept in cell form for enumeration or a MILP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from loverboy_stats.privacy.problem import PRIMARY, SECONDARY, SHOWN, Problem

# What the attacker knows about a cell, given its status and the marks policy.
KNOW_NONE = 0  # uninformative (hidden aggregate under "uniform" marks)
KNOW_EQUAL = 1  # exact value
KNOW_RANGE = 2  # 1..k-1
KNOW_ZERO_OR_K = 3  # 0 or >= k


class AuditError(RuntimeError):
    """The solver gave no definite answer (never treated as a pass)."""


def knowledge(problem: Problem, status: np.ndarray) -> np.ndarray:
    """Per cell, what the attacker knows (KNOW_*), from status and the marks policy."""
    status = np.asarray(status)
    know = np.full(problem.n_cells, KNOW_EQUAL, dtype=np.int8)
    know[status == PRIMARY] = KNOW_RANGE
    know[status == SECONDARY] = KNOW_ZERO_OR_K
    if problem.marks == "uniform":
        know[problem.is_aggregate() & (status != SHOWN)] = KNOW_NONE
    return know


def check_status(problem: Problem, status: np.ndarray) -> None:
    """Raise ValueError when ``status`` breaks the mark rules ("<k" for exactly 1..k-1)."""
    status = np.asarray(status)
    if status.shape != (problem.n_cells,):
        raise ValueError("one status per cell expected")
    if not np.isin(status, (SHOWN, PRIMARY, SECONDARY)).all():
        raise ValueError("unknown status code")
    values = problem.cell_values
    small = (values >= 1) & (values <= problem.k - 1)
    if not np.array_equal(small, status == PRIMARY):
        raise ValueError("PRIMARY must be used for exactly the cells with value 1..k-1")


def satisfied(sums: np.ndarray, know: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Elementwise: do cell sums agree with what the attacker knows? (broadcasts over rows)"""
    return (
        ((know != KNOW_EQUAL) | (sums == values))
        & ((know != KNOW_RANGE) | ((sums >= 1) & (sums <= k - 1)))
        & ((know != KNOW_ZERO_OR_K) | (sums == 0) | (sums >= k))
    )


def is_feasible(
    problem: Problem,
    status: np.ndarray,
    solution: np.ndarray,
    known_municipality: str | None = None,
) -> bool:
    """Does a full variable vector satisfy everything the attacker knows? (exact, integers)"""
    x = np.asarray(solution)
    if x.shape != problem.values.shape or (x < 0).any():
        return False
    if known_municipality is not None:
        own = list(problem.variables_of_municipality[known_municipality])
        if not np.array_equal(x[own], problem.values[own]):
            return False
    sums = problem.matrix @ x
    know = knowledge(problem, status)
    return bool(satisfied(sums, know, problem.cell_values, problem.k).all())


def safe_upper_bounds(
    problem: Problem, know: np.ndarray, fixed: np.ndarray, constant: np.ndarray
) -> np.ndarray:
    """Upper bound per variable that loses no target value (module docstring); fixed: value."""
    k = problem.k
    none = np.iinfo(np.int64).max
    cap = np.full(problem.n_cells, none, dtype=np.int64)
    equal = know == KNOW_EQUAL
    cap[equal] = problem.cell_values[equal] - constant[equal]
    in_range = know == KNOW_RANGE
    cap[in_range] = k - 1 - constant[in_range]
    # Smallest cap over the cells of each variable (CSC: one column per variable).
    matrix = problem.matrix.tocsc()
    caps = cap[matrix.indices]
    starts = matrix.indptr[:-1]
    smallest = np.minimum.reduceat(caps, starts) if len(caps) else np.array([], dtype=np.int64)
    upper = np.where(smallest == none, k, np.maximum(smallest, 0))
    return np.where(fixed, problem.values, upper).astype(np.int64)


@dataclass
class CellSystem:
    """The attacker's constraints on one component's unknowns, in cell form."""

    k: int
    variables: np.ndarray  # global indices of the unknowns
    upper: np.ndarray  # safe integer upper bound per unknown
    rows: sp.csr_matrix  # constraining cells × unknowns
    const: np.ndarray  # known part of each constraining cell
    know: np.ndarray
    value: np.ndarray  # true value of each constraining cell
    targets: np.ndarray  # global indices of the target cells
    target_rows: sp.csr_matrix  # targets × unknowns
    target_const: np.ndarray

    def feasible(self, x: np.ndarray) -> np.ndarray:
        """Row mask of the assignments ``x`` (N × unknowns) that satisfy every cell."""
        sums = (self.rows @ x.T).T + self.const
        return satisfied(sums, self.know, self.value, self.k).all(axis=1)

    def target_sums(self, x: np.ndarray) -> np.ndarray:
        return (self.target_rows @ np.atleast_2d(x).T).T + self.target_const

    def n_assignments(self) -> float:
        return float(np.prod((self.upper + 1).astype(float)))

    def milp_rows(self) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, int]:
        """Rows (A, lb, ub) over [unknowns, binaries] and the number of binaries."""
        k = self.k
        n_x = len(self.variables)
        data: list[float] = []
        ri: list[int] = []
        ci: list[int] = []
        lbs: list[float] = []
        ubs: list[float] = []

        def row(cols: np.ndarray, coefs: list[float], lb: float, ub: float) -> None:
            r = len(lbs)
            ri.extend([r] * len(cols))
            ci.extend(int(c) for c in cols)
            data.extend(coefs)
            lbs.append(lb)
            ubs.append(ub)

        n_bin = 0
        for i in range(self.rows.shape[0]):
            cols = self.rows.indices[self.rows.indptr[i] : self.rows.indptr[i + 1]]
            ones = [1.0] * len(cols)
            known = float(self.const[i])
            if self.know[i] == KNOW_EQUAL:
                rest = float(self.value[i]) - known
                row(cols, ones, rest, rest)
            elif self.know[i] == KNOW_RANGE:
                row(cols, ones, max(0.0, 1.0 - known), k - 1 - known)
            elif self.know[i] == KNOW_ZERO_OR_K:
                if known >= k:
                    continue
                if known >= 1:
                    row(cols, ones, k - known, np.inf)
                    continue
                big_m = float(self.upper[cols].sum())
                if big_m < k:
                    row(cols, ones, 0.0, 0.0)  # cannot reach k: must be 0
                    continue
                w = n_x + n_bin
                n_bin += 1
                row(np.append(cols, w), [*ones, -float(k)], 0.0, np.inf)  # sum >= k·w
                row(np.append(cols, w), [*ones, -big_m], -np.inf, 0.0)  # sum <= M·w
        a = sp.csr_matrix((data, (ri, ci)), shape=(len(lbs), n_x + n_bin))
        return a, np.array(lbs), np.array(ubs), n_bin


def attacker_systems(
    problem: Problem,
    status: np.ndarray,
    known_municipality: str | None = None,
    targets: Sequence[int] | None = None,
    only_aggregates: Sequence[int] | None = None,
) -> tuple[list[CellSystem], np.ndarray]:
    """Substitute the known values and split into components that contain a target.

    Returns the systems and the mask of variables the attacker knows exactly. Targets default
    to all primary cells; cells without unknowns (an insider computes them) are dropped.
    ``only_aggregates``: keep only these aggregate cells as constraints (municipal cells are
    always kept). That is a relaxation: whatever it narrows, the full system narrows too.
    """
    k = problem.k
    know = knowledge(problem, status)
    values = problem.cell_values
    matrix = problem.matrix

    fixed = status[problem.municipal_cells] == SHOWN
    if known_municipality is not None:
        fixed[list(problem.variables_of_municipality[known_municipality])] = True
    constant = matrix @ np.where(fixed, problem.values, 0)
    n_unknown = matrix @ (~fixed).astype(np.int64)

    target_idx = np.flatnonzero(status == PRIMARY) if targets is None else np.asarray(targets)
    target_idx = target_idx[n_unknown[target_idx] > 0].astype(np.int64)
    hidden = np.flatnonzero(~fixed)
    if len(hidden) == 0 or len(target_idx) == 0:
        return [], fixed
    upper = safe_upper_bounds(problem, know, fixed, constant)

    useful = (know != KNOW_NONE) & (n_unknown > 0)
    if only_aggregates is not None:
        allowed = ~problem.is_aggregate()
        allowed[np.asarray(only_aggregates, dtype=np.int64)] = True
        useful &= allowed
    constraining = np.flatnonzero(useful)
    joiners = np.union1d(constraining, target_idx)
    sub = matrix[joiners][:, hidden].tocsr()
    n_h = len(hidden)
    graph = sp.bmat([[None, sub.T], [sub, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    var_label = labels[:n_h]
    cell_label = labels[n_h:]

    is_target = np.zeros(problem.n_cells, dtype=bool)
    is_target[target_idx] = True
    is_constraining = np.zeros(problem.n_cells, dtype=bool)
    is_constraining[constraining] = True
    systems: list[CellSystem] = []
    for label in np.unique(cell_label[is_target[joiners]]):
        comp_vars = hidden[var_label == label]
        comp_cells = joiners[cell_label == label]
        cons = comp_cells[is_constraining[comp_cells]]
        tgts = comp_cells[is_target[comp_cells]]
        systems.append(
            CellSystem(
                k=k,
                variables=comp_vars,
                upper=upper[comp_vars],
                rows=matrix[cons][:, comp_vars].tocsr(),
                const=constant[cons],
                know=know[cons],
                value=values[cons],
                targets=tgts,
                target_rows=matrix[tgts][:, comp_vars].tocsr(),
                target_const=constant[tgts],
            )
        )
    return systems, fixed
