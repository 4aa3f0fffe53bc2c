"""Secondary suppression for the linked small-count tables of one dataset-year.

Designs (``protect(problem, design=...)``):

* ``"naive"``: the library's current rule (privacy.secondary_mask): within every group, when
  exactly one member is hidden, hide the next-smallest member; totals themselves are only
  hidden when they are small. Kept as the baseline that the audit breaks.
* ``"hide-totals"`` ("uniform" marks only): hide every region and base total that contains a
  hidden municipal cell. Then the attacker's only knowledge of each hidden municipal value is
  its own mark, so nothing is narrowed beyond the inherent narrowing, for outsiders and for
  every insider alike; no MILP needed. Costs almost every region total.
* ``"greedy"``: audit-driven heuristic. Audit; for every narrowed "<k" cell hide one shown
  cell next to it (the smallest non-zero shown member of its smallest shown group, else that
  group's total); repeat until the exact audit passes.
* ``"unhide"`` / ``"unhide-regions"`` / ``"unhide-insider"``: witness-driven reverse greedy.
  Start with every cell hidden (which is as safe as it gets), then try to show cells in order
  of value: municipal zeros, municipal counts >= k, region totals (S first, dataset total
  first, then level by level, larger first), share bases (``"unhide-regions"`` tries region
  totals before the municipal counts >= k). A cell is shown only if the exact audit still
  passes. To make that cheap, a pool of *witnesses* is kept: full integer assignments that
  satisfy everything published, each proving that its values are possible for every "<k"
  cell at once. Showing a cell keeps the witnesses in which that cell has its true value; only
  the (cell, value) pairs left without a witness need the MILP audit, restricted to them, and
  its solutions refill the pool. A subset-sum test on the new total alone (a relaxation)
  rejects most bad candidates before any MILP. ``"unhide-insider"`` also rejects a total that
  lets one hidden member, as insider, narrow another member through that total alone.

Targets are the values 1..k-1 that are feasible at all when every cell is hidden
(:func:`audit.inherent_feasible`): "<k" on several members of a "<k" total always tells the
attacker that the total is at least their number, whatever else is hidden.

The final pattern passes the exact outside audit by construction; ``bench.py`` and the tests
audit it again independently (without the witnesses).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from loverboy_stats.privacy.audit import audit, inherent_feasible
from loverboy_stats.privacy.problem import (
    SECONDARY,
    SHOWN,
    Problem,
    column_parts,
    primary_status,
)
from loverboy_stats.privacy.system import AuditError
from loverboy_stats.privacy.unhide import unhide

DESIGNS = ("naive", "hide-totals", "greedy", "unhide", "unhide-regions", "unhide-insider")


@dataclass
class Protection:
    """Result of :func:`protect_detailed`."""

    design: str
    status: np.ndarray
    #: Per primary cell, the values that had to stay feasible (inherent, outside attacker).
    required: dict[int, set[int]]
    seconds: float
    n_milp: int = 0
    rounds: int = 0
    #: Witnesses found on the way (full assignments), valid for ``status``.
    witnesses: list[np.ndarray] = field(default_factory=list, repr=False)


# ---------------------------------------------------------------------------------------------
# Baseline: the library's current rule


def naive_status(problem: Problem) -> np.ndarray:
    """privacy.secondary_mask applied to municipal cells; totals hidden only when small."""
    status = primary_status(problem)
    changed = True
    while changed:
        changed = False
        for cell in problem.cells:
            if cell.kind != "region":
                continue  # the library groups municipal rows by region; bases are not groups
            members = [problem.municipal_cell(j) for j in cell.members]
            hidden = [m for m in members if status[m] != SHOWN]
            if len(hidden) != 1:
                continue
            shown = [m for m in members if status[m] == SHOWN]
            if shown:
                smallest = min(shown, key=lambda m: (problem.cells[m].value, m))
                status[smallest] = SECONDARY
                changed = True
    return status


# ---------------------------------------------------------------------------------------------
# Greedy: audit, hide a neighbour of each narrowed cell, repeat


def _greedy_choice(problem: Problem, status: np.ndarray, cell_index: int) -> int | None:
    """A shown cell to hide for narrowed ``cell_index``: in the smallest shown group that
    contains one of its unknowns, the smallest non-zero shown member, else the group total;
    without a shown group, the smallest shown municipal cell in any group containing it."""
    cell = problem.cells[cell_index]
    groups: set[int] = set()
    for j in cell.members:
        groups.update(c for c in problem.cells_of_variable[j] if problem.cells[c].is_aggregate)
    shown_groups = sorted(
        (g for g in groups if status[g] == SHOWN and g != cell_index),
        key=lambda g: (len(problem.cells[g].members), g),
    )
    for g in shown_groups:
        members = [problem.municipal_cell(j) for j in problem.cells[g].members]
        candidates = [m for m in members if status[m] == SHOWN and problem.cells[m].value > 0]
        if candidates:
            return min(candidates, key=lambda m: (problem.cells[m].value, m))
        return g
    # No shown group left: release a shown municipal cell (a zero) next to it.
    for g in sorted(groups, key=lambda g: len(problem.cells[g].members)):
        members = [problem.municipal_cell(j) for j in problem.cells[g].members]
        candidates = [m for m in members if status[m] == SHOWN]
        if candidates:
            return min(candidates, key=lambda m: (problem.cells[m].value, m))
    return None


def _greedy(
    problem: Problem, required: dict[int, set[int]]
) -> tuple[np.ndarray, int, int, list[np.ndarray]]:
    status = primary_status(problem)
    witnesses: list[np.ndarray] = []
    n_milp = 0
    for rounds in range(1, 10_000):
        result = audit(problem, status, required=required, witnesses=witnesses)
        n_milp += result.n_milp
        witnesses.extend(result.witnesses)
        if result.passed:
            return status, n_milp, rounds, witnesses
        progress = False
        for narrowed in result.narrowed:
            choice = _greedy_choice(problem, status, narrowed.cell)
            if choice is None:
                # Nothing shown next to it: hide the smallest shown total of its column, else
                # a shown municipal cell of its column (everything hidden always passes).
                column = problem.cells[narrowed.cell].column
                shown = [
                    c for c in problem.cells if c.column == column and status[c.index] == SHOWN
                ]
                if shown:
                    choice = min(
                        shown, key=lambda c: (not c.is_aggregate, len(c.members), c.value, c.index)
                    ).index
            if choice is not None and status[choice] == SHOWN:
                status[choice] = SECONDARY
                progress = True
        if not progress:
            raise AuditError("greedy design got stuck")  # cannot happen: all-hidden passes
    raise AuditError("greedy design did not converge")


# ---------------------------------------------------------------------------------------------
# Entry points


def protect_detailed(problem: Problem, design: str = "unhide") -> Protection:
    """Secondary suppression by ``design`` (see module docstring), with diagnostics."""
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}")
    started = time.perf_counter()
    required = inherent_feasible(problem)
    if design == "naive":
        status = naive_status(problem)
        return Protection(design, status, required, time.perf_counter() - started)
    if design == "hide-totals":
        if problem.marks != "uniform":
            raise ValueError("hide-totals is only safe when hidden totals say nothing (uniform)")
        status = primary_status(problem)
        hidden = status[problem.municipal_cells] != SHOWN
        touches = (problem.matrix @ hidden.astype(np.int64)) > 0
        status[problem.is_aggregate() & touches & (status == SHOWN)] = SECONDARY
        return Protection(design, status, required, time.perf_counter() - started)
    if design == "greedy":
        status, n_milp, rounds, witnesses = _greedy(problem, required)
        return Protection(
            design, status, required, time.perf_counter() - started, n_milp, rounds, witnesses
        )
    status = primary_status(problem)
    n_milp = rounds = 0
    witnesses: list[np.ndarray] = []
    for part, cells, variables in column_parts(problem):
        part_required = {
            int(i): required[int(g)] for i, g in enumerate(cells) if int(g) in required
        }
        part_status, used, r, part_witnesses = unhide(
            part, part_required, design == "unhide-regions", design == "unhide-insider"
        )
        status[cells] = part_status
        for y in part_witnesses:
            full = problem.values.copy()
            full[variables] = y
            witnesses.append(full)
        n_milp += used
        rounds += r
    return Protection(
        design, status, required, time.perf_counter() - started, n_milp, rounds, witnesses
    )


def protect(problem: Problem, k: int | None = None, design: str = "unhide") -> np.ndarray:
    """Status per cell (SHOWN / PRIMARY / SECONDARY) that passes the exact audit.

    ``k`` is part of the problem (primary cells depend on it); passing it only checks it.
    """
    if k is not None and int(k) != problem.k:
        raise ValueError(f"problem was built for k={problem.k}, not {k}")
    return protect_detailed(problem, design).status
