"""Publication mode: small-count protection that holds against an integer-programming intruder.

What is published together for one dataset and year (every level's table, the dataset total,
the bases of the shares, and everything derived from them) is one *linked problem*
(:mod:`~loverboy_stats.privacy.problem`): every published count is a sum of municipal counts.
Protection (:mod:`~loverboy_stats.privacy.designs`) gives each of those cells a status:

* a municipal count from 1 to k−1 is hidden as "<k" (primary suppression, METHOD.md);
* further cells are hidden ("x") until the exact audit (:mod:`~loverboy_stats.privacy.audit`)
  proves that an attacker who knows every shown number, what the marks mean, every
  membership, and that counts are whole numbers ≥ 0, solving integer programs over all of it,
  still finds every value 1..k−1 possible for every "<k" cell;
* a hidden region, total or base gets the one mark "x", whatever its value: with a separate
  "<k" for small totals the guarantee cannot hold at all (docs/publicatiemodus.md).

The result is a :class:`~loverboy_stats.privacy.pattern.Pattern`, applied to every level's
table of the :class:`~loverboy_stats.tableset.TableSet` so that no view can publish a number the
audit did not see. Derived figures (ratios, rates, shares, intervals, expected − T) are hidden
with the counts they rest on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loverboy_stats.privacy.audit import AuditResult, inherent_feasible
from loverboy_stats.privacy.audit import audit as audit_status
from loverboy_stats.privacy.designs import protect_detailed
from loverboy_stats.privacy.pattern import Pattern, apply_pattern, data_key, pattern_from_status
from loverboy_stats.privacy.problem import PRIMARY, SECONDARY, SHOWN, Problem, build_problem
from loverboy_stats.reference import memberships
from loverboy_stats.schema import BASE_COLUMNS, COUNT_COLUMNS, CellStatus, GapTable, small_mark
from loverboy_stats.settings import get_settings

__all__ = [
    "DEFAULT_DESIGN",
    "STRICT_DESIGN",
    "Pattern",
    "apply_pattern",
    "audit_published",
    "protect_year",
    "small_count_label",
    "suppression_k",
    "year_problem",
]

#: The design used unless the server is set to strict mode: least information lost among
#: the designs that pass the audit (docs/publicatiemodus.md has the comparison).
DEFAULT_DESIGN = "unhide"
#: Strict mode (``LBS_STRICT_PUBLICATION``): also safe when one of the municipalities is the
#: intruder (it knows its own counts), at the cost of almost every region total.
STRICT_DESIGN = "hide-totals"
#: A hidden total says nothing by its mark (see the module docstring).
MARKS = "uniform"


def suppression_k(k: int | None = None) -> int:
    """The threshold k: ``k`` when given, else the configured ``LBS_SUPPRESSION_K`` (default 5)."""
    k = get_settings().suppression_k if k is None else int(k)
    if k < 2:
        raise ValueError("k moet minstens 2 zijn.")
    return k


def small_count_label(k: int | None = None) -> str:
    """The text shown for a suppressed small count, e.g. "<5"."""
    return small_mark(suppression_k(k))


def design_in_use() -> str:
    """The configured design: strict or the default."""
    return STRICT_DESIGN if get_settings().strict_publication else DEFAULT_DESIGN


def year_problem(local_year: pd.DataFrame, k: int) -> Problem:
    """The linked problem of one year of a dataset (one row per municipality)."""
    codes = local_year["gemeentecode"].astype(str).reset_index(drop=True)
    own = None
    if "regio" in local_year.columns:
        own = local_year["regio"].reset_index(drop=True)
    membership = memberships(codes, own)
    membership.index = pd.Index(codes, name="gemeentecode")
    frame = local_year.reset_index(drop=True)
    return build_problem(frame, membership, k, marks=MARKS)


def protect_year(local_year: pd.DataFrame, k: int, design: str | None = None) -> Pattern:
    """The protection pattern of one year of a dataset (see the module docstring).

    Deterministic: the same data, k and design always give the same pattern. The default
    design takes from well under a second (a region's upload) to half a minute or more (all
    342 municipalities) on a small server; callers store the result.
    """
    design = design or design_in_use()
    problem = year_problem(local_year, k)
    status = protect_detailed(problem, design).status
    return pattern_from_status(problem, status, data_key(local_year, k, design), design)


def status_from_tables(
    problem: Problem, tables: dict[str, GapTable]
) -> tuple[np.ndarray, list[tuple]]:
    """The status per problem cell as the published ``tables`` show it, for the audit.

    A cell shown under any of its labels counts as shown; a label missing from the tables
    counts as hidden. Returns (status array, the labels of cells shown under one label and
    hidden under another: a publication error in itself).
    """
    base_of = {f"basis:{count}": base for count, base in BASE_COLUMNS.items()}
    rows = {level: table.frame.set_index("code") for level, table in tables.items()}
    status = np.full(problem.n_cells, SECONDARY, dtype=np.int8)
    mixed = []
    values = problem.cell_values
    for cell in problem.cells:
        shown = []
        for label in cell.labels:
            column = base_of.get(label.what, label.what)
            frame = rows.get(label.level)
            if frame is None or label.group not in frame.index:
                shown.append(False)
                continue
            shown.append(frame.at[label.group, f"{column}_status"] == CellStatus.SHOWN)
        if any(shown):
            status[cell.index] = SHOWN
            if not all(shown):
                mixed.append(cell.labels)
        elif 1 <= values[cell.index] <= problem.k - 1:
            status[cell.index] = PRIMARY
    return status, mixed


def audit_published(
    local_year: pd.DataFrame, tables: dict[str, GapTable], k: int, insider: str | None = None
) -> tuple[Problem, AuditResult]:
    """The exact audit of what ``tables`` publish for one year: the "<k" cells an intruder
    narrows beyond what every pattern must give away (a hidden total of n "<k" members is at
    least n). ``insider``: a municipality code that knows its own counts."""
    problem = year_problem(local_year, k)
    status, mixed = status_from_tables(problem, tables)
    if mixed:
        raise ValueError(f"cells both shown and hidden: {mixed[:3]}")
    required = inherent_feasible(problem, insider)
    return problem, audit_status(problem, status, insider, required=required)


def narrowed_by_count(problem: Problem, result: AuditResult) -> dict[str, int]:
    """How many narrowed "<k" cells per count column (for the command line's report)."""
    out = {column: 0 for column in COUNT_COLUMNS}
    for item in result.narrowed:
        out[problem.cells[item.cell].column] += 1
    return out
