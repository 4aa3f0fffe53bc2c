"""Feasible values of audit targets: enumeration for small components, coverage MILPs else.

For each value v, one MILP (HiGHS through ``scipy.optimize.milp``) maximises the number of
still-unproven targets that can equal v at once; its solution is a witness for all of them, and
an optimum of 0 proven by HiGHS is the exact proof that no remaining target can take v.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from loverboy_stats.privacy.system import AuditError, CellSystem

#: Components with at most this many candidate assignments are enumerated instead of solved.
BRUTE_FORCE_LIMIT = 4096


def enumerate_values(system: CellSystem) -> tuple[list[set[int]], list[np.ndarray]]:
    """Feasible values of every target by enumerating all assignments (small systems only).

    Also returns one witness assignment (unknowns only) per feasible target value.
    """
    ranges = [range(int(u) + 1) for u in system.upper]
    x = np.array(list(itertools.product(*ranges)), dtype=np.int64).reshape(-1, len(ranges))
    x = x[system.feasible(x)]
    sums = system.target_sums(x)
    seen: list[set[int]] = []
    chosen: set[int] = set()
    for i in range(len(system.targets)):
        values, first = np.unique(sums[:, i], return_index=True)
        seen.append(set(values.tolist()))
        chosen.update(first.tolist())
    return seen, [x[r] for r in sorted(chosen)]


def solve_milp(
    c: np.ndarray,
    a: sp.csr_matrix,
    lb: np.ndarray,
    ub: np.ndarray,
    upper: np.ndarray,
    exact: bool = False,
) -> tuple[np.ndarray | None, float, float]:
    """Minimise c·x over integers in [0, upper] with lb <= a·x <= ub.

    Returns (x or None when infeasible, objective, dual bound). ``exact``: zero gap.
    """
    n = len(c)
    options: dict[str, float | bool] = {"presolve": True, "disp": False}
    if exact:
        options["mip_rel_gap"] = 0.0
    result = milp(
        c=c,
        constraints=[LinearConstraint(a, lb, ub)] if a.shape[0] else [],
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), upper.astype(float)),
        options=options,
    )
    if result.status == 2:
        return None, np.inf, np.inf
    if result.status != 0 or result.x is None:
        raise AuditError(f"MILP without a definite answer: {result.message}")
    dual = getattr(result, "mip_dual_bound", None)
    return (
        np.round(result.x).astype(np.int64),
        float(result.fun),
        float(result.fun if dual is None else dual),
    )


def coverage_rows(
    system: CellSystem, pending: np.ndarray, value: int, n_cols: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Indicator rows e_q = 1 => target q equals ``value``, over [columns…, e_pending].

    ``n_cols`` is the number of columns before the indicators (unknowns first). Targets whose
    value range excludes ``value`` must not be in ``pending``. Two rows per target:
    ``t·x - (value - low)·e >= 0`` and ``t·x + (high - value)·e <= high - low``, where low and
    high are the bounds of the target's unknown part.
    """
    t = system.target_rows[pending].tocoo()
    low = system.target_const[pending].astype(float)
    high = (system.target_rows[pending] @ system.upper).astype(float) + low
    m = len(pending)
    e_cols = n_cols + np.arange(m)
    rows = np.concatenate([t.row, m + t.row, np.arange(m), m + np.arange(m)])
    cols = np.concatenate([t.col, t.col, e_cols, e_cols])
    data = np.concatenate([t.data, t.data, -(value - low), high - value]).astype(float)
    a = sp.csr_matrix((data, (rows, cols)), shape=(2 * m, n_cols + m))
    lb = np.concatenate([np.zeros(m), np.full(m, -np.inf)])
    ub = np.concatenate([np.full(m, np.inf), high - low])
    return a, lb, ub


def target_ranges(system: CellSystem) -> tuple[np.ndarray, np.ndarray]:
    """Trivial bounds of each target's sum (unknowns between 0 and their upper bound)."""
    low = system.target_const.astype(np.int64)
    return low, system.target_rows @ system.upper + low


def milp_values(
    system: CellSystem,
    wanted: list[set[int]],
    seen: list[set[int]],
    first_only: bool = False,
) -> tuple[list[set[int]], int, list[np.ndarray]]:
    """Decide every wanted (target, value) by coverage MILPs; updates ``seen`` in place.

    Returns the proven-infeasible values per target, the number of MILPs, the witnesses.
    ``first_only``: stop at the first proven narrowing. Extreme values are decided first
    (they fail most often).
    """
    a_base, lb_base, ub_base, n_bin = system.milp_rows()
    n_x = len(system.variables)
    n_cols = n_x + n_bin
    upper_base = np.concatenate([system.upper, np.ones(n_bin, dtype=np.int64)])
    low, high = target_ranges(system)
    infeasible: list[set[int]] = [set() for _ in system.targets]
    witnesses: list[np.ndarray] = []
    n_milp = 0
    values = sorted(set().union(*wanted)) if wanted else []
    middle = (system.k - 1 + 1) / 2
    values.sort(key=lambda v: (-abs(v - middle), v))
    for v in values:
        if first_only and any(infeasible):
            break
        while True:
            pending_all = [i for i in range(len(system.targets)) if v in wanted[i] - seen[i]]
            for i in pending_all:
                if not low[i] <= v <= high[i]:
                    infeasible[i].add(v)
            pending = np.array([i for i in pending_all if v not in infeasible[i]], dtype=np.int64)
            if len(pending) == 0:
                break
            a_cov, lb_cov, ub_cov = coverage_rows(system, pending, v, n_cols)
            a_wide = sp.csr_matrix(
                (a_base.data, a_base.indices, a_base.indptr),
                shape=(a_base.shape[0], n_cols + len(pending)),
            )
            a = sp.vstack([a_wide, a_cov], format="csr")
            lb = np.concatenate([lb_base, lb_cov])
            ub = np.concatenate([ub_base, ub_cov])
            c = np.concatenate([np.zeros(n_cols), -np.ones(len(pending))])
            upper = np.concatenate([upper_base, np.ones(len(pending), dtype=np.int64)])
            n_milp += 1
            x, objective, dual = solve_milp(c, a, lb, ub, upper)
            if x is None:
                raise AuditError("attacker system infeasible: the true values must satisfy it")
            if objective > -0.5 and dual < -0.5:  # optimum 0 not proven yet: close the gap
                n_milp += 1
                x, objective, dual = solve_milp(c, a, lb, ub, upper, exact=True)
            y = x[:n_x]
            if not system.feasible(y[None, :])[0]:
                raise AuditError("solver returned an assignment that violates the constraints")
            sums = system.target_sums(y)[0]
            for i, s in enumerate(sums):
                seen[i].add(int(s))
            witnesses.append(y)
            if objective > -0.5:
                # No pending target can equal v: proven narrowing for all of them.
                if dual < -0.5:
                    raise AuditError("coverage optimum 0 not proven")
                for i in pending:
                    if v not in seen[i]:
                        infeasible[i].add(v)
                break
    return infeasible, n_milp, witnesses
