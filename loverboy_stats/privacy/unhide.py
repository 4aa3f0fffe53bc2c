"""The "unhide" design: start with every cell hidden, show cells while the exact audit passes.

Cells are tried in order of value: municipal zeros, municipal counts >= k, region totals (S
first, the dataset total first, then level by level, larger first), share bases. A pool of
*witnesses* (full integer assignments that satisfy everything published) keeps the acceptance
test cheap: showing a cell keeps the witnesses in which it has its true value, and only the
(cell, value) pairs left without a witness go to the MILP audit. A subset-sum test on the new
total alone rejects most bad candidates before any MILP.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from loverboy_stats.privacy.audit import all_hidden_status, audit
from loverboy_stats.privacy.problem import PRIMARY, SHOWN, Cell, Problem
from loverboy_stats.privacy.system import AuditError


class WitnessPool:
    """Full assignments that satisfy the attacker's system, and which target values they prove.

    ``required[q]`` are the values target q must be able to take. A witness stays valid when a
    cell is shown exactly when its sum in the witness equals the cell's true value.
    """

    def __init__(self, problem: Problem, required: dict[int, set[int]]) -> None:
        self.problem = problem
        self.targets = np.array(sorted(required), dtype=np.int64)
        self.values = np.arange(1, problem.k)
        # required as a targets × values mask
        self.required = np.zeros((len(self.targets), len(self.values)), dtype=bool)
        for i, q in enumerate(self.targets):
            for v in required[int(q)]:
                self.required[i, v - 1] = True
        self.x = np.empty((0, len(problem.values)), dtype=np.int64)
        #: every cell's sum in every witness (witnesses × cells)
        self.cell_sums = np.empty((0, problem.n_cells), dtype=np.int64)

    @property
    def sums(self) -> np.ndarray:
        """Target sums (witnesses × targets)."""
        return self.cell_sums[:, self.targets]

    def add(self, witnesses: list[np.ndarray]) -> None:
        if not witnesses:
            return
        x = np.stack(witnesses).astype(np.int64)
        self.x = np.vstack([self.x, x])
        self.cell_sums = np.vstack([self.cell_sums, (self.problem.matrix @ x.T).T])

    def valid_if_shown(self, cells: list[int]) -> np.ndarray:
        """Mask of witnesses that stay valid when ``cells`` are shown."""
        return (self.cell_sums[:, cells] == self.problem.cell_values[cells]).all(axis=1)

    def lost(self, keep: np.ndarray) -> dict[int, set[int]]:
        """Required (target, value) pairs without a witness among the kept ones."""
        sums = self.cell_sums[np.ix_(keep, self.targets)]
        have = np.stack([(sums == v).any(axis=0) for v in self.values], axis=1)
        missing = self.required & ~have
        out: dict[int, set[int]] = {}
        for i, j in zip(*np.nonzero(missing), strict=True):
            out.setdefault(int(self.targets[i]), set()).add(int(self.values[j]))
        return out

    def prune(self, limit: int = 300) -> None:
        """Keep the truth and, per required pair, a couple of witnesses (bounds the pool)."""
        if len(self.x) <= limit:
            return
        sums = self.sums
        keep = np.zeros(len(self.x), dtype=bool)
        keep[0] = True  # the truth
        count = np.zeros_like(self.required, dtype=np.int64)
        for w in range(len(self.x)):
            hits = np.zeros_like(self.required)
            for j, v in enumerate(self.values):
                hits[:, j] = sums[w] == v
            useful = hits & self.required & (count < 2)
            if useful.any():
                keep[w] = True
                count += hits
        self.keep(keep)

    def keep(self, mask: np.ndarray) -> None:
        self.x = self.x[mask]
        self.cell_sums = self.cell_sums[mask]


def _constructive_witnesses(problem: Problem, required: dict[int, set[int]]) -> list[np.ndarray]:
    """Witnesses for everything hidden under "uniform" marks, built directly.

    There the attacker only knows each municipal cell ("<k": 1..k-1, hidden: 0 or >= k). Target
    q at value v: give its "<k" members 1 each and the first one the rest, its other members 0;
    everything else keeps its true value.
    """
    status = all_hidden_status(problem)
    out: list[np.ndarray] = []
    for q, wanted in required.items():
        cell = problem.cells[q]
        small = [j for j in cell.members if status[problem.municipal_cell(j)] == PRIMARY]
        for v in wanted:
            if v == cell.value or not small or v < len(small):
                continue
            x = problem.values.copy()
            x[list(cell.members)] = 0
            x[small] = 1
            x[small[0]] += v - len(small)
            out.append(x)
    return out


def unhide_order(problem: Problem, regions_first: bool) -> list[list[int]]:
    """Groups of cells to try to show, most valuable first.

    Municipal zeros (per column), then either the municipal cells >= k (per column) before the
    region totals or after them (``regions_first``), then the share bases. Region totals come
    per column (S first) and level (the dataset total first), larger totals first.
    """
    cells = problem.cells
    k = problem.k
    columns = sorted({c.column for c in cells}, key=lambda col: col != "gesignaleerd")
    level_rank = {level: i for i, level in enumerate(("totaal", *problem.levels))}

    def level_of(cell: Cell) -> str:
        return min((lb.level for lb in cell.labels), key=lambda lv: level_rank.get(lv, 99))

    def pick(kind: str, column: str, test: Callable[[Cell], bool]) -> list[int]:
        return [
            c.index
            for c in sorted(cells, key=lambda c: (-c.value, c.index))
            if c.kind == kind and c.column == column and test(c)
        ]

    zeros = [pick("municipal", col, lambda c: c.value == 0) for col in columns]
    large = [pick("municipal", col, lambda c: c.value >= k) for col in columns]
    regions: list[list[int]] = []
    for col in columns:
        for level in ("totaal", *problem.levels):
            regions.append(
                [
                    c
                    for c in pick("region", col, lambda c: c.value == 0 or c.value >= k)
                    if level_of(cells[c]) == level
                ]
            )
    bases: list[list[int]] = []
    for level in ("totaal", *problem.levels):
        bases.append(
            [
                c
                for c in pick("base", "gesignaleerd", lambda c: c.value == 0 or c.value >= k)
                if level_of(cells[c]) == level
            ]
        )
    middle = regions + large if regions_first else large + regions
    return [group for group in zeros + middle + bases if group]


def _single_total_narrows(
    problem: Problem,
    status: np.ndarray,
    cell: int,
    lost: dict[int, set[int]],
    known_variable: int | None = None,
) -> bool:
    """Quick exact rejection test: does showing ``cell`` alone narrow a lost municipal pair?

    Relaxation: only this total and the municipal marks ("<k": 1..k-1; hidden 0-or->=k).
    Whatever that narrows, the full system narrows too. Subset-sum over the remainder.
    ``known_variable``: an insider's variable, known exactly.
    """
    k = problem.k
    members = np.array(problem.cells[cell].members, dtype=np.int64)
    municipal = problem.municipal_cells[members]
    unknown = (status[municipal] != SHOWN) & (members != known_variable)
    rest = int(problem.cell_values[cell] - problem.values[members[~unknown]].sum())
    allowed = []
    for m in municipal[unknown]:
        a = np.zeros(rest + 1, dtype=bool)
        if status[m] == PRIMARY:
            a[1 : min(k - 1, rest) + 1] = True
        else:
            a[0] = True
            a[k:] = True
        allowed.append(a)

    def reach(sets: list[np.ndarray]) -> np.ndarray:
        total = np.zeros(rest + 1, dtype=bool)
        total[0] = True
        for a in sets:
            nxt = np.zeros_like(total)
            for v in np.flatnonzero(a):
                nxt[v:] |= total[: rest + 1 - v]
            total = nxt
        return total

    for i, m in enumerate(municipal[unknown]):
        wanted = lost.get(int(m))
        if not wanted:
            continue
        others = reach(allowed[:i] + allowed[i + 1 :])
        for v in wanted:
            if v > rest or not others[rest - v]:
                return True
    return False


def _insider_narrows(
    problem: Problem, status: np.ndarray, cell: int, required: dict[int, set[int]]
) -> bool:
    """Does one member of ``cell``, as insider, narrow another member through it alone?"""
    members = problem.cells[cell].members
    hidden = [j for j in members if status[problem.municipal_cells[j]] != SHOWN]
    wanted = {
        int(problem.municipal_cells[j]): required.get(int(problem.municipal_cells[j]), set())
        for j in hidden
    }
    return any(
        _single_total_narrows(
            problem,
            status,
            cell,
            {m: v for m, v in wanted.items() if m != problem.municipal_cells[i]},
            i,
        )
        for i in hidden
    )


def unhide(
    problem: Problem,
    required: dict[int, set[int]],
    regions_first: bool,
    insiders: bool = False,
) -> tuple[np.ndarray, int, int, list[np.ndarray]]:
    """Start with every cell hidden; show cells group by group while the audit passes.

    Per group: each cell whose showing loses no required value (the witness pool still covers
    everything) is shown at once; each other cell first gets a quick relaxed audit (its own
    total and the municipal cells only), which rejects most bad cells; the survivors are tried
    together with the full exact audit, split in halves on failure.
    """
    status = all_hidden_status(problem)
    pool = WitnessPool(problem, required)
    n_milp = 0
    audits = 0
    if problem.marks == "uniform":
        pool.add([problem.values, *_constructive_witnesses(problem, required)])
    else:
        first = audit(problem, status, required=required)
        n_milp += first.n_milp
        pool.add([problem.values, *first.witnesses])
    if pool.lost(np.ones(len(pool.x), dtype=bool)):
        raise AuditError("initial witnesses do not cover the required values")

    def lost_if_shown(batch: list[int]) -> tuple[np.ndarray, dict[int, set[int]], np.ndarray]:
        keep = pool.valid_if_shown(batch)
        tentative = status.copy()
        tentative[batch] = SHOWN
        return keep, pool.lost(keep), tentative

    def full_attempt(batch: list[int]) -> None:
        nonlocal status, n_milp, audits
        if not batch:
            return
        keep, lost, tentative = lost_if_shown(batch)
        if lost:
            audits += 1
            result = audit(problem, tentative, targets=sorted(lost), required=lost, first_only=True)
            n_milp += result.n_milp
            if not result.passed:
                if len(batch) > 1:
                    half = len(batch) // 2
                    full_attempt(batch[:half])
                    full_attempt(batch[half:])
                return
            pool.keep(keep)
            pool.add(result.witnesses)
            pool.prune()
        else:
            pool.keep(keep)
        status = tentative

    for group in unhide_order(problem, regions_first):
        survivors: list[int] = []
        for c in group:
            if status[c] == SHOWN:
                continue
            keep, lost, tentative = lost_if_shown([c])
            if (
                problem.cells[c].is_aggregate
                and insiders
                and _insider_narrows(problem, tentative, c, required)
            ):
                continue
            if not lost:
                pool.keep(keep)
                status = tentative
                continue
            if problem.cells[c].is_aggregate and _single_total_narrows(problem, tentative, c, lost):
                continue
            survivors.append(c)
        full_attempt(survivors)
    return status, n_milp, audits, list(pool.x)
