"""Publication mode: small-count protection for every table that leaves the library.

Rules (METHOD.md, "Publication mode"):

* a count from 1 to k−1 (k from settings, default 5) is hidden with status
  :attr:`~loverboy_stats.schema.CellStatus.SMALL`, shown as "<k" (primary suppression);
* a ratio, rate or share whose numerator or denominator is hidden is not shown
  (:data:`loverboy_stats.schema.DERIVED_FROM`);
* where a group total can be shown and exactly one member of the group is hidden, the
  next-smallest member is hidden too (secondary suppression, status
  :attr:`~loverboy_stats.schema.CellStatus.PROTECTED`).

A municipal table is made safe against every region total that could be published beside it
(province, jeugdregio, GGD region, veiligheidsregio, own grouping, the dataset total). Tables work
on :class:`~loverboy_stats.schema.GapTable`: numbers stay numeric, statuses say what is hidden.
"""

from __future__ import annotations

import pandas as pd

from loverboy_stats.schema import (
    BASE_COLUMNS,
    COUNT_COLUMNS,
    DERIVED_FROM,
    PROTECTED_COLUMNS,
    CellStatus,
    GapTable,
    small_mark,
    status_column,
)
from loverboy_stats.settings import get_settings


def suppression_k(k: int | None = None) -> int:
    """The threshold k: ``k`` when given, else the configured ``LBS_SUPPRESSION_K`` (default 5)."""
    k = get_settings().suppression_k if k is None else int(k)
    if k < 2:
        raise ValueError("k moet minstens 2 zijn.")
    return k


def small_count_label(k: int | None = None) -> str:
    """The text shown for a suppressed small count, e.g. "<5"."""
    return small_mark(suppression_k(k))


def primary_mask(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    """True for count and base cells from 1 to k−1 (missing and 0 are not suppressed)."""
    mask = pd.DataFrame(index=frame.index)
    for column in PROTECTED_COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        mask[column] = ((values >= 1) & (values < k)).fillna(False).astype(bool)
    return mask


def secondary_mask(
    frame: pd.DataFrame, primary: pd.DataFrame, groups: pd.DataFrame | None
) -> pd.DataFrame:
    """Cells to hide in addition to ``primary`` so that no group has exactly one hidden member.

    ``groups`` is aligned on ``frame``'s rows, one column per grouping whose totals could be
    shown (a missing label means "not in a group of this kind"). Within each group and count,
    only members that reported the count take part (a missing count is not in the total). Runs
    until nothing changes, because a cell hidden for one grouping can leave a lone hidden cell
    in another.
    """
    secondary = pd.DataFrame(False, index=frame.index, columns=primary.columns)
    if groups is None or groups.empty:
        return secondary
    for column in COUNT_COLUMNS:
        values = pd.to_numeric(frame[column], errors="coerce")
        reported = values.notna()
        changed = True
        while changed:
            changed = False
            hidden = primary[column] | secondary[column]
            for grouping in groups.columns:
                labels = groups[grouping]
                in_group = reported & labels.notna()
                counts = hidden[in_group].groupby(labels[in_group]).sum()
                for label in counts.index[counts == 1]:
                    members = in_group & (labels == label)
                    candidates = values[members & ~hidden]
                    if candidates.empty:
                        continue
                    # The smallest shown member hides the lone cell best and loses least.
                    secondary.loc[candidates.idxmin(), column] = True
                    hidden = primary[column] | secondary[column]
                    changed = True
    return secondary


def hide(table: GapTable, small: pd.DataFrame, protected: pd.DataFrame, k: int) -> GapTable:
    """``table`` with the cells of ``small`` (status SMALL) and ``protected`` (status
    PROTECTED) hidden: their values become missing, derived figures resting on them too."""
    out = table.frame.copy()
    for column in PROTECTED_COLUMNS:
        status = out[status_column(column)].astype(object)
        status[protected[column].to_numpy()] = CellStatus.PROTECTED
        status[small[column].to_numpy()] = CellStatus.SMALL
        out[status_column(column)] = status
        out[column] = out[column].mask((small[column] | protected[column]).to_numpy())
    for derived, sources in DERIVED_FROM.items():
        hidden = pd.Series(False, index=out.index)
        for source in sources:
            hidden |= small[source] | protected[source]
        if str(out[derived].dtype) == "boolean":
            out[derived] = out[derived].mask(hidden.to_numpy(), pd.NA)
        else:
            out[derived] = out[derived].mask(hidden.to_numpy())
    return table.with_frame(out, published=True, k=k)


def publish(table: GapTable, groups: pd.DataFrame | None = None, k: int | None = None) -> GapTable:
    """A display-safe copy of ``table`` (see the module docstring).

    ``groups`` (aligned on the table's rows): the groupings whose totals could be shown beside
    it; None protects against primary disclosure only (a single total row).
    """
    k = suppression_k(k)
    primary = primary_mask(table.frame, k)
    secondary = secondary_mask(table.frame, primary, groups) & ~primary
    # A base is a sum of S: where S is hidden, a base over the same members would show it.
    s_hidden = primary["gesignaleerd"] | secondary["gesignaleerd"]
    for base in BASE_COLUMNS.values():
        secondary[base] = s_hidden & ~primary[base] & table.frame[base].notna()
    return hide(table, primary, secondary, k)
