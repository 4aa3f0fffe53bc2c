"""The protection engine on small hand-made problems: the regressions that broke the old rule,
what no pattern can hide, the audit against plain enumeration, and the designs' guarantees."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loverboy_stats.privacy import audit as audit_module
from loverboy_stats.privacy.audit import (
    all_hidden_status,
    audit,
    inherent_feasible,
    insider_audit,
)
from loverboy_stats.privacy.designs import naive_status, protect, protect_detailed
from loverboy_stats.privacy.problem import (
    PRIMARY,
    SHOWN,
    Problem,
    build_problem,
    primary_status,
    with_marks,
)
from loverboy_stats.privacy.system import is_feasible, knowledge, satisfied

S, M, R, T = "gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"


def make(
    rows: dict[str, dict[str, int | None]],
    groups: dict[str, dict[str, str]],
    k: int = 5,
    marks: str = "uniform",
) -> Problem:
    """Problem from {code: {column: value}} and {level: {code: group}} (totaal added)."""
    frame = pd.DataFrame(
        [{"gemeentecode": code, **{c: v.get(c) for c in (S, M, R, T)}} for code, v in rows.items()]
    )
    membership = pd.DataFrame(groups, index=list(rows)).rename_axis("gemeentecode")
    return build_problem(frame, membership, k, marks)  # type: ignore[arg-type]


def cell_of(problem: Problem, level: str, group: str, what: str = S) -> int:
    for cell in problem.cells:
        for label in cell.labels:
            if (label.level, label.group, label.what) == (level, group, what):
                return cell.index
    raise KeyError((level, group, what))


def narrowed_beyond_inherent(problem: Problem, status: np.ndarray) -> set[int]:
    return audit(problem, status, required=inherent_feasible(problem)).narrowed_cells()


# ---------------------------------------------------------------------------------------------
# Regression cases: each is narrowed under the naive rule, not after protect


def _within_region() -> tuple[Problem, int]:
    # a = 3 alone hidden in P1; the naive partner is the zero c, which barely helps:
    # a + c = 3 with c in {0} ∪ [5, ∞) gives c = 0 and a = 3.
    p = make(
        {"a": {S: 3}, "b": {S: 10}, "c": {S: 0}},
        {"provincie": {"a": "P1", "b": "P1", "c": "P1"}},
    )
    return p, cell_of(p, "gemeente", "a")


def _across_levels() -> tuple[Problem, int]:
    # J1 = {a=2, x=0} is "<5"; province P = J1 ∪ J2 and J2 = {c=7, d=9} are shown: P − J2 = 2
    # = a + x, and the naive partner x (0 or >= 5) must be 0, so a = 2.
    groups = {
        "provincie": {"a": "P", "x": "P", "c": "P", "d": "P"},
        "jeugdregio": {"a": "J1", "x": "J1", "c": "J2", "d": "J2"},
    }
    p = make({"a": {S: 2}, "x": {S: 0}, "c": {S: 7}, "d": {S: 9}}, groups)
    return p, cell_of(p, "gemeente", "a")


def _via_referral_base() -> tuple[Problem, int]:
    # a (S=3) and b (S=9) reported R, c (S=6) did not: the R-base of the province is a + b.
    # The naive partner of a is c; the base 12 minus b = 9 gives a = 3.
    p = make(
        {"a": {S: 3, R: 1}, "b": {S: 9, R: 5}, "c": {S: 6}},
        {"provincie": {"a": "P", "b": "P", "c": "P"}},
    )
    return p, cell_of(p, "gemeente", "a")


def _via_total() -> tuple[Problem, int]:
    # P1 = {a=2, x=0} is "<5", P2 = {c=7, d=9} and the dataset total 18 are shown: the total
    # minus P2 gives a + x = 2, and x (0 or >= 5) must be 0.
    p = make(
        {"a": {S: 2}, "x": {S: 0}, "c": {S: 7}, "d": {S: 9}},
        {"provincie": {"a": "P1", "x": "P1", "c": "P2", "d": "P2"}},
    )
    return p, cell_of(p, "gemeente", "a")


def _two_small_remainder_two() -> tuple[Problem, int]:
    # a = b = 1 in a shown total of 11 with c = 9: a + b = 2 pins both to 1.
    p = make(
        {"a": {S: 1}, "b": {S: 1}, "c": {S: 9}},
        {"provincie": {"a": "P", "b": "P", "c": "P"}},
    )
    return p, cell_of(p, "gemeente", "a")


CASES = {
    "within region": _within_region,
    "across levels": _across_levels,
    "via referral base": _via_referral_base,
    "via dataset total": _via_total,
    "two <k with remainder 2": _two_small_remainder_two,
}


@pytest.mark.parametrize("marks", ["uniform", "distinct"])
@pytest.mark.parametrize("name", list(CASES))
def test_regression_naive_narrows_protect_does_not(name: str, marks: str) -> None:
    problem, victim = CASES[name]()
    problem = with_marks(problem, marks)  # type: ignore[arg-type]
    naive = audit(problem, naive_status(problem))
    assert victim in naive.narrowed_cells(), f"{name}: the naive rule should leak"
    found = {n.cell: n for n in naive.narrowed}[victim]
    assert len(found.feasible) < problem.k - 1
    for design in ("greedy", "unhide", "unhide-regions"):
        status = protect(problem, design=design)
        assert not narrowed_beyond_inherent(problem, status), design
        # The victim is a single municipal cell: all of 1..k-1 stays possible.
        assert victim not in audit(problem, status).narrowed_cells(), design


def test_inherent_narrowing_exists_under_both_marks() -> None:
    # Region "<5" over two "<5" members: the total is at least 2 whatever is hidden, and
    # under "distinct" marks each member is also at most 3.
    p = make({"a": {S: 3}, "b": {S: 1}}, {"provincie": {"a": "P", "b": "P"}})
    region = cell_of(p, "provincie", "P")
    a = cell_of(p, "gemeente", "a")
    uniform = inherent_feasible(p)
    assert uniform[region] == {2, 3, 4} and uniform[a] == {1, 2, 3, 4}
    distinct = inherent_feasible(with_marks(p, "distinct"))
    assert distinct[region] == {2, 3, 4} and distinct[a] == {1, 2, 3}


# ---------------------------------------------------------------------------------------------
# Random small datasets


@st.composite
def datasets(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 6))
    k = draw(st.sampled_from([2, 3, 5]))
    marks = draw(st.sampled_from(["uniform", "distinct"]))
    codes = [f"g{i}" for i in range(n)]
    small = st.one_of(st.integers(0, k - 1), st.integers(0, 3 * k))
    rows: dict[str, dict[str, int | None]] = {}
    for code in codes:
        rows[code] = {S: draw(small)}
        for column in (M, R, T):
            rows[code][column] = draw(st.one_of(st.none(), small))
    groups: dict[str, dict[str, str]] = {}
    for level in draw(st.sets(st.sampled_from(["provincie", "jeugdregio", "regio"]))):
        labels = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
        groups[level] = dict(zip(codes, labels, strict=True))
    if not groups:
        groups["provincie"] = dict.fromkeys(codes, "A")
    return make(rows, groups, k, marks)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.sampled_from(["greedy", "unhide", "unhide-regions"]))
def test_protect_then_audit_narrows_nothing(problem: Problem, design: str) -> None:
    protection = protect_detailed(problem, design)
    status = protection.status
    assert (status == PRIMARY).sum() == (primary_status(problem) == PRIMARY).sum()
    result = audit(problem, status, required=protection.required)
    assert result.passed, result.narrowed
    # Municipal "<k" cells: under "uniform" marks every value 1..k-1 stays possible.
    if problem.marks == "uniform":
        full = audit(problem, status)
        assert all(problem.cells[n.cell].is_aggregate for n in full.narrowed)


# ---------------------------------------------------------------------------------------------
# The audit against plain enumeration (with the MILP path forced)


def brute_force_feasible(problem: Problem, status: np.ndarray, bound: int) -> dict[int, set[int]]:
    know = knowledge(problem, status)
    values = problem.cell_values
    out: dict[int, set[int]] = {int(c): set() for c in np.flatnonzero(status == PRIMARY)}
    for x in itertools.product(range(bound + 1), repeat=len(problem.values)):
        sums = problem.matrix @ np.array(x)
        if satisfied(sums, know, values, problem.k).all():
            for c in out:
                out[c].add(int(sums[c]))
    return {c: {v for v in s if 1 <= v <= problem.k - 1} for c, s in out.items()}


@settings(max_examples=40, deadline=None)
@given(datasets(), st.randoms(use_true_random=False), st.booleans())
def test_audit_matches_enumeration(problem: Problem, rnd, force_milp: bool) -> None:
    if len(problem.values) > 5:
        return
    # A random valid status: primary fixed, other cells shown or hidden at random.
    status = primary_status(problem)
    for c in range(problem.n_cells):
        if status[c] == SHOWN and rnd.random() < 0.4:
            status[c] = 2
    # Values above max(k, largest cell) are never needed (see audit's safe bounds).
    bound = int(max(problem.k, problem.cell_values.max(initial=0))) + 1
    expected = brute_force_feasible(problem, status, bound)
    limit = audit_module.BRUTE_FORCE_LIMIT
    try:
        if force_milp:
            audit_module.BRUTE_FORCE_LIMIT = 0
        result = audit(problem, status)
    finally:
        audit_module.BRUTE_FORCE_LIMIT = limit
    narrowed = {n.cell: set(n.feasible) for n in result.narrowed}
    for c, feasible in expected.items():
        if feasible == set(range(1, problem.k)):
            assert c not in narrowed
        else:
            assert narrowed[c] == feasible


def test_uniform_closed_form_matches_milp() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        n = 6
        rows = {f"g{i}": {S: int(rng.choice([0, 0, 1, 2, 3, 7]))} for i in range(n)}
        groups = {
            "provincie": {f"g{i}": "AB"[i % 2] for i in range(n)},
            "jeugdregio": {f"g{i}": "XYZ"[i % 3] for i in range(n)},
        }
        p = make(rows, groups)
        closed = inherent_feasible(p)
        result = audit(p, all_hidden_status(p))
        milp = {c: set(range(1, p.k)) for c in closed}
        for n_ in result.narrowed:
            milp[n_.cell] = set(n_.feasible)
        assert closed == milp
        for code in p.municipalities:
            closed_i = inherent_feasible(p, code)
            result_i = audit(p, all_hidden_status(p), code)
            for n_ in result_i.narrowed:
                assert closed_i[n_.cell] == set(n_.feasible)


@settings(max_examples=30, deadline=None)
@given(datasets())
def test_hide_totals_is_safe_for_insiders_too(problem: Problem) -> None:
    problem = with_marks(problem, "uniform")
    status = protect(problem, design="hide-totals")
    assert audit(problem, status, required=inherent_feasible(problem)).passed
    assert not any(f.narrowed for f in insider_audit(problem, status))


def test_witnesses_are_feasible() -> None:
    problem, _ = _across_levels()
    protection = protect_detailed(problem, "unhide")
    assert all(is_feasible(problem, protection.status, x) for x in protection.witnesses)
