"""Publication mode: small-count protection for every table that leaves the library.

Rules (METHOD.md, "Publication mode"):

* a count from 1 to k−1 (k from settings, default 5) is shown as "<k" (primary suppression);
* a ratio, rate or share whose numerator or denominator is such a count is not shown;
* where a group total can be shown and exactly one member of the group is suppressed, the
  next-smallest member is suppressed too (secondary suppression, shown as
  :data:`SECONDARY_MARK`), so the suppressed value cannot be found by subtraction.

Totals are treated as always shown, whatever the caller displays: a municipal table is made
safe against every region table that could be published beside it (province, jeugdregio, GGD
region, veiligheidsregio, own grouping, the country). That costs a few extra cells but leaves
no route by subtraction across separate exports.
"""

from __future__ import annotations

import pandas as pd

from loverboy_stats.gaps import FLAG_COLUMN, REFERRAL_BASE_COLUMN, municipal_groups
from loverboy_stats.settings import get_settings

#: Count columns that are protected, and the derived columns that use each as numerator or
#: denominator (blanked together with it).
DERIVED_FROM: dict[str, list[str]] = {
    "gesignaleerd": [
        "signaleringsratio",
        "signaleringsratio_laag",
        "signaleringsratio_hoog",
        "per_10000",
        "per_10000_laag",
        "per_10000_hoog",
        "doorverwijspercentage",
        "doorverwijspercentage_laag",
        "doorverwijspercentage_hoog",
    ],
    "gemeld_comensha": [],
    "doorverwezen": [
        "doorverwijspercentage",
        "doorverwijspercentage_laag",
        "doorverwijspercentage_hoog",
    ],
    # niet_bereikt = verwacht − T and the flag T > verwacht would give T back.
    "in_behandeling": ["bereik_behandeling", "niet_bereikt", FLAG_COLUMN],
}
#: Shown for a value hidden by secondary suppression (it need not be below k).
SECONDARY_MARK = "x"
#: Boolean column added to a published table: True where any cell in the row was hidden.
SUPPRESSED_COLUMN = "onderdrukt"


def suppression_k(k: int | None = None) -> int:
    """The threshold k: ``k`` when given, else the configured ``LBS_SUPPRESSION_K`` (default 5)."""
    k = get_settings().suppression_k if k is None else int(k)
    if k < 2:
        raise ValueError("k moet minstens 2 zijn.")
    return k


def small_count_label(k: int | None = None) -> str:
    """The text shown for a suppressed small count, e.g. "<5"."""
    return f"<{suppression_k(k)}"


def _counts(table: pd.DataFrame) -> list[str]:
    return [c for c in DERIVED_FROM if c in table.columns]


def primary_mask(table: pd.DataFrame, k: int | None = None) -> pd.DataFrame:
    """True for count cells from 1 to k−1 (missing and 0 are not suppressed)."""
    k = suppression_k(k)
    mask = pd.DataFrame(index=table.index)
    for column in _counts(table):
        values = pd.to_numeric(table[column], errors="coerce")
        mask[column] = ((values >= 1) & (values < k)).fillna(False).astype(bool)
    return mask


def secondary_mask(
    table: pd.DataFrame, primary: pd.DataFrame, groups: pd.DataFrame | None
) -> pd.DataFrame:
    """Cells to hide in addition to ``primary`` so that no group has exactly one hidden member.

    ``groups`` is aligned on ``table``'s rows, one column per grouping whose totals could be
    shown (a missing label means "not in a group of this kind"). Within each group and count,
    only members that reported the count take part (a missing count is not in the total). Runs
    until nothing changes, because a cell hidden for one grouping can leave a lone hidden cell
    in another.
    """
    secondary = pd.DataFrame(False, index=table.index, columns=primary.columns)
    if groups is None or groups.empty:
        return secondary
    for column in primary.columns:
        values = pd.to_numeric(table[column], errors="coerce")
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


def apply_publication_mode(
    table: pd.DataFrame, k: int | None = None, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A display-safe copy of a gap table (any table with the count columns).

    Count columns become object columns holding whole numbers, "<k" (primary), ``"x"``
    (secondary) or pd.NA (not reported). Derived columns of a hidden count are set to NaN.
    Adds the boolean column :data:`SUPPRESSED_COLUMN`; ``attrs`` gains ``publicatiemodus=True``
    and ``k``. ``groups``: see :func:`secondary_mask` (None: primary suppression only).
    """
    k = suppression_k(k)
    primary = primary_mask(table, k)
    secondary = secondary_mask(table, primary, groups)
    out = table.copy()
    hidden_any = pd.Series(False, index=table.index)
    for column in primary.columns:
        hidden = primary[column] | secondary[column]
        hidden_any |= hidden
        # Built as an object array: the column mixes whole numbers, marks and pd.NA.
        values = pd.to_numeric(table[column], errors="coerce")
        cells = [pd.NA if pd.isna(v) else int(v) for v in values]
        for position in (primary[column] | secondary[column]).to_numpy().nonzero()[0]:
            cells[position] = f"<{k}" if primary[column].iloc[position] else SECONDARY_MARK
        out[column] = pd.Series(cells, index=table.index, dtype=object)
        for derived in DERIVED_FROM[column]:
            if derived in out.columns:
                if out[derived].dtype == bool or str(out[derived].dtype) == "boolean":
                    out[derived] = out[derived].astype("boolean").mask(hidden, pd.NA)
                else:
                    out[derived] = out[derived].mask(hidden)
    if REFERRAL_BASE_COLUMN in table.columns:
        # A region's referral share divides by the S of the members that also reported R: a
        # count that can be small although the shown S is not. Hide the share then, and never
        # show that base itself.
        base = pd.to_numeric(table[REFERRAL_BASE_COLUMN], errors="coerce")
        small_base = (base >= 1) & (base < k)
        for derived in DERIVED_FROM["doorverwezen"]:
            if derived in out.columns:
                out[derived] = out[derived].mask(small_base.fillna(False).to_numpy())
        hidden_any |= small_base.fillna(False).to_numpy()
        out = out.drop(columns=REFERRAL_BASE_COLUMN)
    out[SUPPRESSED_COLUMN] = hidden_any.to_numpy()
    out.attrs = {**table.attrs, "publicatiemodus": True, "k": k}
    return out


def publish_gap_table(
    table: pd.DataFrame, local: pd.DataFrame | None = None, k: int | None = None
) -> pd.DataFrame:
    """Publication mode for a table from :func:`loverboy_stats.gaps.gap_table`.

    Municipal tables are protected against every region total that could be published beside
    them (see :func:`loverboy_stats.gaps.municipal_groups`; ``local`` supplies the own
    ``regio`` grouping). Region tables are protected against the national total.
    """
    if table.attrs.get("niveau", "gemeente") == "gemeente":
        groups = municipal_groups(local if local is not None else pd.DataFrame(), table["code"])
    else:
        groups = pd.DataFrame({"nederland": "NL"}, index=table.index)
    return apply_publication_mode(table, k, groups)
