"""Publication mode: primary and secondary suppression on real gap tables."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loverboy_stats.gaps import gap_table
from loverboy_stats.privacy import (
    SECONDARY_MARK,
    SUPPRESSED_COLUMN,
    apply_publication_mode,
    publish_gap_table,
    small_count_label,
)


def local(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["jaar"] = 2024
    for column in ("gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"):
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
    shown = apply_publication_mode(gap_table(counts)).set_index("code")
    assert shown.loc["GM0363", "gesignaleerd"] == "<5"
    assert shown.loc["GM0599", "gesignaleerd"] == 0  # zero is not a small count
    assert shown.loc["GM0518", "gesignaleerd"] == 5
    assert shown.loc["GM0518", "doorverwezen"] == "<5"
    assert pd.isna(shown.loc["GM0518", "in_behandeling"])  # not reported stays empty
    # Values whose numerator or denominator is a small count are blanked.
    assert pd.isna(shown.loc["GM0363", "signaleringsratio"])
    assert pd.isna(shown.loc["GM0363", "per_10000_hoog"])
    assert pd.isna(shown.loc["GM0363", "niet_bereikt"])  # would give T back
    assert pd.isna(shown.loc["GM0518", "doorverwijspercentage"])
    assert shown.loc["GM0518", "signaleringsratio"] > 0
    assert shown.loc["GM0014", "doorverwijspercentage"] == pytest.approx(0.5)
    assert shown.loc["GM0363", "verwacht"] > 0  # the apportioned estimate is not a count
    assert shown.loc["GM0363", SUPPRESSED_COLUMN]
    assert shown.attrs["publicatiemodus"] is True and shown.attrs["k"] == 5


def test_k_from_settings_and_argument(monkeypatch):
    counts = local([{"gemeentecode": "GM0363", "gesignaleerd": 7}])
    assert apply_publication_mode(gap_table(counts))["gesignaleerd"].iloc[0] == 7
    monkeypatch.setenv("LBS_SUPPRESSION_K", "10")
    assert small_count_label() == "<10"
    assert apply_publication_mode(gap_table(counts))["gesignaleerd"].iloc[0] == "<10"
    assert apply_publication_mode(gap_table(counts), k=3)["gesignaleerd"].iloc[0] == 7


def test_secondary_suppression_hides_the_next_smallest_member():
    table = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d"],
            "gesignaleerd": pd.array([2, 9, 30, 6], dtype="Int64"),
            "signaleringsratio": [0.1, 0.2, 0.3, 0.4],
        }
    )
    groups = pd.DataFrame({"regio": ["X", "X", "X", "Y"]})
    shown = apply_publication_mode(table, groups=groups)
    assert shown["gesignaleerd"].tolist() == ["<5", SECONDARY_MARK, 30, 6]
    assert pd.isna(shown["signaleringsratio"].iloc[1])  # ratio × expected would give 9 back
    assert shown[SUPPRESSED_COLUMN].tolist() == [True, True, False, False]


def test_municipal_table_is_safe_against_every_region_total():
    counts = local(
        [
            {"gemeentecode": "GM0034", "gesignaleerd": 2},  # Almere, Flevoland
            {"gemeentecode": "GM0050", "gesignaleerd": 0},  # Zeewolde, Flevoland
            {"gemeentecode": "GM0171", "gesignaleerd": 8},  # Noordoostpolder, Flevoland
            {"gemeentecode": "GM0363", "gesignaleerd": 40},
        ]
    )
    shown = publish_gap_table(gap_table(counts), counts).set_index("code")
    hidden = shown["gesignaleerd"].isin(["<5", SECONDARY_MARK])
    assert hidden["GM0034"] and hidden.sum() >= 2
    # Flevoland's total is 10: with Almere alone hidden it would give Almere = 10 − 0 − 8.
    flevoland = ["GM0034", "GM0050", "GM0171"]
    assert hidden[flevoland].sum() >= 2


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.one_of(st.none(), st.integers(0, 12))),
        min_size=1,
        max_size=15,
    )
)
def test_no_suppressed_value_can_be_recovered_by_subtraction(rows):
    table = pd.DataFrame(
        {
            "code": [f"m{i}" for i in range(len(rows))],
            "gesignaleerd": pd.array([v for _, v in rows], dtype="Int64"),
        }
    )
    groups = pd.DataFrame({"regio": [g for g, _ in rows], "land": "NL"})
    shown = apply_publication_mode(table, groups=groups)
    hidden = shown["gesignaleerd"].isin(["<5", SECONDARY_MARK])
    reported = table["gesignaleerd"].notna()
    for grouping in groups.columns:
        for _, members in groups.groupby(grouping).groups.items():
            n_hidden = int(hidden[members].sum())
            n_reported = int(reported[members].sum())
            # Total − shown members reveals a value only when exactly one is hidden and
            # there are other members to subtract (a lone member's total is itself small).
            assert n_hidden != 1 or n_reported == 1
    # Nothing outside 1..4 is shown as "<5"; every shown number is the true one.
    for original, cell in zip(table["gesignaleerd"], shown["gesignaleerd"], strict=True):
        if pd.isna(original):
            assert pd.isna(cell)  # not reported stays empty, never 0 or a mark
        elif cell == "<5":
            assert 1 <= original <= 4
        elif cell != SECONDARY_MARK:
            assert cell == original


def test_region_table_is_protected_against_the_national_total():
    counts = local(
        [
            {"gemeentecode": "GM0034", "gesignaleerd": 3},  # Flevoland
            {"gemeentecode": "GM0363", "gesignaleerd": 40},  # Noord-Holland
            {"gemeentecode": "GM0599", "gesignaleerd": 20},  # Zuid-Holland
        ]
    )
    shown = publish_gap_table(gap_table(counts, level="provincie"), counts).set_index("code")
    assert shown.loc["PV24", "gesignaleerd"] == "<5"
    assert shown.loc["PV28", "gesignaleerd"] == SECONDARY_MARK
    assert shown.loc["PV27", "gesignaleerd"] == 40


def test_region_referral_share_on_a_small_base_is_hidden():
    """S is 40 in the region, but only a member with S = 3 reported R: 2 ÷ 3 must not show."""
    local = pd.DataFrame(
        {
            "gemeentecode": ["GM0014", "GM0037"],  # Groningen, Stadskanaal: both jeugdregio JZ01
            "jaar": [2024, 2024],
            "gesignaleerd": pd.array([37, 3], dtype="Int64"),
            "gemeld_comensha": pd.array([None, None], dtype="Int64"),
            "doorverwezen": pd.array([None, 2], dtype="Int64"),
            "in_behandeling": pd.array([None, None], dtype="Int64"),
        }
    )
    raw = gap_table(local, level="jeugdregio")
    row = raw.set_index("code").loc["JZ01"]
    assert row["doorverwijspercentage"] == pytest.approx(2 / 3)
    shown = publish_gap_table(raw).set_index("code").loc["JZ01"]
    assert pd.isna(shown["doorverwijspercentage"])
    assert pd.isna(shown["doorverwijspercentage_laag"])
    assert "basis_doorverwijspercentage" not in shown.index
