"""Exact integer audit of a suppression pattern: which "<k" cells can an attacker narrow?

The attacker knows every shown value, the meaning of the marks (see :mod:`problem`), every
membership, and that municipal values are whole numbers >= 0; an insider also knows all counts
of one municipality. A primary cell is *narrowed* when some value in 1..k-1 is infeasible for
it under all of that at once.

Method, per dataset-year:

1. Substitute what is known: shown municipal cells (and an insider's cells) become constants.
2. Split the remaining unknowns into connected components: a cell with two unknowns joins them,
   and so does a target cell (so that each target is a sum within one component).
3. Small components (at most :data:`BRUTE_FORCE_LIMIT` assignments within the bounds) are
   enumerated in numpy: every feasible assignment, so every feasible target value, exactly.
4. Larger components get a MILP (HiGHS via ``scipy.optimize.milp``): integer unknowns with
   safe upper bounds, an equality row per shown total, a range row per "<k" cell, and a binary
   per "0 or >= k" cell (``k·w <= sum <= M·w``). For each value v, a *coverage* MILP maximises
   the number of targets that still lack a witness for v and can be set to v at once. Its
   solution is a witness for every target's value in it. When the optimum is 0 (proven by
   HiGHS), no remaining target can take v: that is the exact proof of narrowing. Each round
   covers at least one target, so this ends, usually after a few rounds.

Nothing is sampled: a value is reported feasible only through an assignment that satisfies every
constraint (each MILP solution is checked again in integers), and infeasible only when the
enumeration finds none or HiGHS proves the coverage optimum is 0.

Safe bounds (why the big-M is exact): an unknown inside a shown cell is at most that cell's
remaining total; inside a cell known to be 1..k-1 at most k-1 minus its known part. An unknown in
neither only occurs in "0 or >= k" cells and uninformative cells; lowering it to k in any
solution keeps each such cell at 0 or >= k and changes no target, so capping it at k loses no
target value.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from loverboy_stats.privacy.milp import BRUTE_FORCE_LIMIT, enumerate_values, milp_values
from loverboy_stats.privacy.problem import PRIMARY, SECONDARY, SHOWN, Problem
from loverboy_stats.privacy.system import attacker_systems, check_status, is_feasible


@dataclass(frozen=True)
class Narrowed:
    """A primary cell, its true value and the values in 1..k-1 still feasible for the attacker."""

    cell: int
    value: int
    feasible: tuple[int, ...]


@dataclass
class AuditResult:
    narrowed: list[Narrowed]
    #: Primary cells audited (an insider's own cells and cells it computes are not targets).
    n_targets: int
    n_components: int
    n_milp: int
    seconds: float
    #: Feasible full solutions found by the MILPs, reusable as witnesses for a later audit.
    witnesses: list[np.ndarray] = field(default_factory=list, repr=False)

    @property
    def passed(self) -> bool:
        return not self.narrowed

    def narrowed_cells(self) -> set[int]:
        return {n.cell for n in self.narrowed}


def audit(
    problem: Problem,
    status: np.ndarray,
    known_municipality: str | None = None,
    *,
    targets: Sequence[int] | None = None,
    witnesses: Iterable[np.ndarray] = (),
    required: dict[int, set[int]] | None = None,
    only_aggregates: Sequence[int] | None = None,
    first_only: bool = False,
) -> AuditResult:
    """List every primary cell the attacker narrows, with its feasible values in 1..k-1.

    ``known_municipality``: an insider who knows all counts of that municipality; its own cells
    and cells it computes from own and shown data are not targets. ``targets``: audit only these
    primary cells (default all). ``witnesses``: candidate full solutions (e.g. from
    :func:`suppress.protect`), each checked exactly and used only when feasible. ``required``:
    per target, the values that must be feasible (default 1..k-1), e.g. from
    :func:`inherent_feasible`; a cell is reported only when one of those is infeasible.
    ``only_aggregates`` (a relaxation, see :func:`attacker_systems`) and ``first_only`` (stop
    at the first narrowed cell, its feasible set then incomplete) serve quick rejection tests.
    """
    started = time.perf_counter()
    status = np.asarray(status, dtype=np.int8)
    check_status(problem, status)
    k = problem.k
    systems, _fixed = attacker_systems(
        problem, status, known_municipality, targets, only_aggregates
    )
    solutions = [problem.values]
    for candidate in witnesses:
        if is_feasible(problem, status, candidate, known_municipality):
            solutions.append(np.asarray(candidate, dtype=np.int64))

    narrowed: list[Narrowed] = []
    found: list[np.ndarray] = []
    n_milp = 0
    n_targets = 0
    for system in systems:
        if first_only and narrowed:
            break
        n_targets += len(system.targets)
        everything = set(range(1, k))
        wanted = [
            everything if required is None else required.get(int(c), everything) & everything
            for c in system.targets
        ]
        if system.n_assignments() <= BRUTE_FORCE_LIMIT:
            seen, local = enumerate_values(system)
            infeasible = [w - s for w, s in zip(wanted, seen, strict=True)]
        else:
            known = np.stack([x[system.variables] for x in solutions])
            sums = system.target_sums(known)
            seen = [set(sums[:, i].tolist()) for i in range(len(system.targets))]
            infeasible, used, local = milp_values(system, wanted, seen, first_only)
            n_milp += used
        for y in local:
            full = problem.values.copy()  # other components keep their true values
            full[system.variables] = y
            found.append(full)
        for i, cell in enumerate(system.targets):
            if infeasible[i]:
                feasible = tuple(sorted(v for v in seen[i] if 1 <= v <= k - 1))
                narrowed.append(Narrowed(int(cell), problem.cells[cell].value, feasible))
    return AuditResult(
        narrowed=sorted(narrowed, key=lambda n: n.cell),
        n_targets=n_targets,
        n_components=len(systems),
        n_milp=n_milp,
        seconds=time.perf_counter() - started,
        witnesses=found,
    )


def all_hidden_status(problem: Problem) -> np.ndarray:
    """Every cell hidden: the most an attacker can be denied under the marks policy."""
    status = np.full(problem.n_cells, SECONDARY, dtype=np.int8)
    values = problem.cell_values
    status[(values >= 1) & (values <= problem.k - 1)] = PRIMARY
    return status


def inherent_feasible(
    problem: Problem, known_municipality: str | None = None
) -> dict[int, set[int]]:
    """Per primary cell, the values 1..k-1 feasible even when every cell is hidden.

    No suppression pattern does better: hiding a shown cell only relaxes the attacker's system
    (a shown value is 0 or >= k, which the hidden mark allows). "<k" on several members already
    tells that their total is at least their number, under either marks policy; under
    "distinct" marks a "<k" total also caps its "<k" members.
    """
    status = all_hidden_status(problem)
    k = problem.k
    if problem.marks == "uniform":
        return _inherent_uniform(problem, status, known_municipality)
    result = audit(problem, status, known_municipality)
    out = {int(c): set(range(1, k)) for c in np.flatnonzero(status == PRIMARY)}
    for n in result.narrowed:
        out[n.cell] = set(n.feasible)
    return out


def _inherent_uniform(
    problem: Problem, status: np.ndarray, known_municipality: str | None
) -> dict[int, set[int]]:
    """Closed form under "uniform" marks (checked against the MILP audit in the tests).

    With everything hidden, hidden aggregates say nothing, a "<k" member is any of 1..k-1 and a
    hidden 0-or->=k member any of 0, k, k+1, ... So a cell with n unknown "<k" members and known
    part c (an insider's own counts) can be exactly c+n..k-1 when n >= 1, and c when n = 0.
    """
    k = problem.k
    own = (
        set(problem.variables_of_municipality[known_municipality])
        if known_municipality is not None
        else set()
    )
    out: dict[int, set[int]] = {}
    for c in np.flatnonzero(status == PRIMARY):
        cell = problem.cells[c]
        known = sum(int(problem.values[j]) for j in cell.members if j in own)
        n = sum(
            1 for j in cell.members if j not in own and status[problem.municipal_cell(j)] == PRIMARY
        )
        out[int(c)] = set(range(known + n, k)) if n >= 1 else ({known} - {0})
    return out


@dataclass(frozen=True)
class InsiderFinding:
    """What one municipality, as insider, narrows beyond what it could with all cells hidden."""

    municipality: str
    #: primary cells narrowed beyond the insider's inherent knowledge
    narrowed: int
    #: of which municipal cells of other municipalities
    narrowed_municipal: int
    seconds: float


def insider_audit(
    problem: Problem,
    status: np.ndarray,
    witnesses: Iterable[np.ndarray] = (),
    municipalities: Sequence[str] | None = None,
) -> list[InsiderFinding]:
    """Exact insider audit for each municipality that has at least one hidden cell.

    A municipality whose cells are all shown knows nothing the public does not. Narrowing is
    counted beyond :func:`inherent_feasible` for that insider (with every cell hidden the
    insider still subtracts its own counts from "<k" totals of several members).
    """
    status = np.asarray(status, dtype=np.int8)
    pool = list(witnesses)
    out: list[InsiderFinding] = []
    for code in municipalities or problem.municipalities:
        own = problem.variables_of_municipality[code]
        if all(status[problem.municipal_cells[j]] == SHOWN for j in own):
            continue
        started = time.perf_counter()
        required = inherent_feasible(problem, code)
        result = audit(problem, status, code, required=required, witnesses=pool)
        municipal = sum(1 for n in result.narrowed if not problem.cells[n.cell].is_aggregate)
        out.append(
            InsiderFinding(code, len(result.narrowed), municipal, time.perf_counter() - started)
        )
    return out
