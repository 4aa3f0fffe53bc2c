"""Publication mode: primary and secondary suppression on real gap tables and table sets."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loverboy_stats.gaps import gap_table
from loverboy_stats.privacy import publish, small_count_label
from loverboy_stats.schema import (
    COUNT_COLUMNS,
    CellStatus,
    GapTable,
    TableMeta,
    marked_frame,
    status_column,
)
from loverboy_stats.tableset import build_table_set

SMALL, PROTECTED = CellStatus.SMALL, CellStatus.PROTECTED


def local(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["jaar"] = 2024
    for column in COUNT_COLUMNS:
        frame[column] = pd.array(frame.get(column, [None] * len(frame)), dtype="Int64")
    return frame


def test_primary_suppression_and_derived_values():
    counts = local(
        [
            {"gemeentecode": "GM0363", "gesignaleerd": 3, "doorverwezen": 2, "in_behandeling": 1},
            {"gemeentecode": "GM0599", "gesignaleerd": 0, "doorverwezen": 0, "in_behandeling": 7},
            {"gemeentecode": "GM0518", "gesignaleerd": 5, "doorverwezen": 4},
            {"gemeentecode": "GM0014", "gesignaleerd": 12, "doorverwezen": 6},
        ]
    )
    published = publish(gap_table(counts))
    shown = published.frame.set_index("code")
    assert shown.loc["GM0363", "gesignaleerd_status"] == SMALL
    assert pd.isna(shown.loc["GM0363", "gesignaleerd"])  # the number itself is gone
    assert shown.loc["GM0599", "gesignaleerd"] == 0  # zero is not a small count
    assert shown.loc["GM0518", "gesignaleerd"] == 5
    assert shown.loc["GM0518", "doorverwezen_status"] == SMALL
    assert shown.loc["GM0518", "in_behandeling_status"] == CellStatus.NOT_REPORTED
    # Values whose numerator or denominator is a small count are blanked.
    assert pd.isna(shown.loc["GM0363", "signaleringsratio"])
    assert pd.isna(shown.loc["GM0363", "per_10000_hoog"])
    assert pd.isna(shown.loc["GM0363", "niet_bereikt"])  # would give T back
    assert pd.isna(shown.loc["GM0518", "doorverwijspercentage"])
    assert shown.loc["GM0518", "signaleringsratio"] > 0
    assert shown.loc["GM0014", "doorverwijspercentage"] == pytest.approx(0.5)
    assert shown.loc["GM0363", "verwacht"] > 0  # the apportioned estimate is not a count
    assert published.meta.published is True and published.meta.k == 5
    # Marks are made only when rendering: "<5" in the file, never the number.
    marked = marked_frame(published).set_index("code")
    assert marked.loc["GM0363", "gesignaleerd"] == "<5"
    assert marked.loc["GM0014", "gesignaleerd"] == 12
    # The referral share's denominator is published beside it, protected like a count.
    assert marked.loc["GM0363", "basis_doorverwijspercentage"] == "<5"
    assert marked.loc["GM0014", "basis_doorverwijspercentage"] == 12


def test_k_from_settings_and_argument(monkeypatch):
    counts = local([{"gemeentecode": "GM0363", "gesignaleerd": 7}])
    assert publish(gap_table(counts)).frame["gesignaleerd"].iloc[0] == 7
    monkeypatch.setenv("LBS_SUPPRESSION_K", "10")
    assert small_count_label() == "<10"
    ten = publish(gap_table(counts))
    assert ten.frame["gesignaleerd_status"].iloc[0] == SMALL
    assert marked_frame(ten)["gesignaleerd"].iloc[0] == "<10"
    assert publish(gap_table(counts), k=3).frame["gesignaleerd"].iloc[0] == 7


def _table(values: list[int | None]) -> GapTable:
    """A minimal gap table of municipalities m0.. with only S filled in."""
    rows = local([{"gemeentecode": "GM0363", "gesignaleerd": 1}])
    template = gap_table(rows).frame
    frame = pd.concat([template] * len(values), ignore_index=True)
    frame["code"] = [f"m{i}" for i in range(len(values))]
    frame["gesignaleerd"] = pd.array(values, dtype="Int64")
    frame["gesignaleerd_status"] = [
        CellStatus.NOT_REPORTED if v is None else CellStatus.SHOWN for v in values
    ]
    return GapTable(frame, TableMeta("gemeente", 2024, "inwoners", "x", False))


def test_secondary_suppression_hides_the_next_smallest_member():
    groups = pd.DataFrame({"regio": ["X", "X", "X", "Y"]})
    shown = publish(_table([2, 9, 30, 6]), groups).frame
    shown_status = CellStatus.SHOWN
    assert list(shown["gesignaleerd_status"]) == [SMALL, PROTECTED, shown_status, shown_status]
    assert pd.isna(shown["signaleringsratio"].iloc[1])  # ratio × expected would give 9 back


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.one_of(st.none(), st.integers(0, 12))),
        min_size=1,
        max_size=15,
    )
)
def test_no_group_has_exactly_one_hidden_member(rows):
    groups = pd.DataFrame({"regio": [g for g, _ in rows], "land": "NL"})
    published = publish(_table([v for _, v in rows]), groups)
    status = published.frame[status_column("gesignaleerd")]
    hidden = status.isin([SMALL, PROTECTED])
    reported = status != CellStatus.NOT_REPORTED
    for grouping in groups.columns:
        for _, members in groups.groupby(grouping).groups.items():
            n_hidden, n_reported = int(hidden[members].sum()), int(reported[members].sum())
            assert n_hidden != 1 or n_reported == 1
    # "<5" marks exactly the values 1..4; every shown number is the true one.
    for (_, original), cell, state in zip(
        rows, published.frame["gesignaleerd"], status, strict=True
    ):
        if original is None:
            assert state == CellStatus.NOT_REPORTED and pd.isna(cell)
        elif state == SMALL:
            assert 1 <= original <= 4 and pd.isna(cell)
        elif state == PROTECTED:
            assert pd.isna(cell)
        else:
            assert cell == original


def test_table_set_protects_municipalities_against_every_region_total():
    counts = local(
        [
            {"gemeentecode": "GM0034", "gesignaleerd": 2},  # Almere, Flevoland
            {"gemeentecode": "GM0050", "gesignaleerd": 0},  # Zeewolde, Flevoland
            {"gemeentecode": "GM0171", "gesignaleerd": 8},  # Noordoostpolder, Flevoland
            {"gemeentecode": "GM0363", "gesignaleerd": 40},
        ]
    )
    municipal = build_table_set(counts)["gemeente"].frame.set_index("code")
    hidden = municipal["gesignaleerd_status"].isin([SMALL, PROTECTED])
    assert hidden["GM0034"]
    # Flevoland's total is 10: with Almere alone hidden it would give Almere = 10 − 0 − 8.
    assert hidden[["GM0034", "GM0050", "GM0171"]].sum() >= 2


def test_region_referral_share_on_a_small_base_is_hidden():
    """S is 40 in the region, but only a member with S = 3 reported R: 2 ÷ 3 must not show."""
    counts = pd.DataFrame(
        {
            "gemeentecode": ["GM0014", "GM0037"],  # Groningen, Stadskanaal: both jeugdregio JZ01
            "jaar": [2024, 2024],
            "gesignaleerd": pd.array([37, 3], dtype="Int64"),
            "gemeld_comensha": pd.array([None, None], dtype="Int64"),
            "doorverwezen": pd.array([None, 2], dtype="Int64"),
            "in_behandeling": pd.array([None, None], dtype="Int64"),
        }
    )
    raw = gap_table(counts, level="jeugdregio").frame.set_index("code").loc["JZ01"]
    assert raw["doorverwijspercentage"] == pytest.approx(2 / 3)
    shown = build_table_set(counts)["jeugdregio"].frame.set_index("code").loc["JZ01"]
    assert pd.isna(shown["doorverwijspercentage"])
    assert pd.isna(shown["doorverwijspercentage_laag"])
    assert pd.isna(shown["basis_doorverwijspercentage"])
    assert shown["basis_doorverwijspercentage_status"] == SMALL
