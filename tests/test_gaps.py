"""The signalling-gap model against hand-computed values and independent interval methods."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, poisson

from loverboy_stats.estimates import (
    GapInputError,
    expected_victims,
    national_estimate,
    reference_population,
)
from loverboy_stats.gaps import aggregate, worked_example
from loverboy_stats.gaps import gap_table as gap_table_of
from loverboy_stats.intervals import garwood_interval, wilson_interval
from loverboy_stats.reference import load_municipalities
from loverboy_stats.schema import EXTRA_COLUMNS, GAP_COLUMNS, STATUS_COLUMNS

NATIONAL = 17_942_942
AMSTERDAM = 931_298


def local(rows: list[dict], year: int = 2024) -> pd.DataFrame:
    """A local-counts table as the uploads parser produces it."""
    frame = pd.DataFrame(rows)
    frame["jaar"] = year
    for column in ("gesignaleerd", "gemeld_comensha", "doorverwezen", "in_behandeling"):
        frame[column] = pd.array(frame.get(column, [None] * len(frame)), dtype="Int64")
    return frame


def gap_table(*args, **kwargs) -> pd.DataFrame:
    """The gap table's frame (the model's numbers; publication mode is tested elsewhere)."""
    return gap_table_of(*args, **kwargs).frame


def row_of(table: pd.DataFrame, code: str) -> pd.Series:
    return table.set_index("code").loc[code]


def test_columns_and_order():
    table = gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 10}]))
    assert list(table.columns) == [*GAP_COLUMNS, *EXTRA_COLUMNS, *STATUS_COLUMNS]
    assert GAP_COLUMNS[:3] == ("code", "naam", "gesignaleerd") and GAP_COLUMNS[-1] == "dekking"


def test_default_expected_by_inhabitants_without_interval():
    result = gap_table_of(local([{"gemeentecode": "GM0363", "gesignaleerd": 10}]))
    table = result.frame
    amsterdam = row_of(table, "GM0363")
    expected = 1363 * AMSTERDAM / NATIONAL  # 70.74...
    assert amsterdam["naam"] == "Amsterdam"
    assert amsterdam["referentiepopulatie"] == AMSTERDAM
    assert amsterdam["verwacht"] == pytest.approx(expected)
    assert amsterdam["verwacht"] == pytest.approx(70.744, abs=1e-3)
    assert amsterdam["signaleringsratio"] == pytest.approx(10 / expected)
    assert amsterdam["per_10000"] == pytest.approx(10 / AMSTERDAM * 10_000)
    # 1,363 has no published interval: the bounds stay empty and the table says so.
    assert result.meta.interval_published is False
    assert result.meta.estimate == "minderjarigen_geschat"
    for column in ("verwacht_laag", "verwacht_hoog", "signaleringsratio_laag"):
        assert math.isnan(amsterdam[column])


def test_estimate_with_published_interval():
    result = gap_table_of(
        local([{"gemeentecode": "GM0363", "gesignaleerd": 10}]), estimate="mh_geschat_2017"
    )
    row = row_of(result.frame, "GM0363")
    assert result.meta.interval_published is True
    assert row["verwacht"] == pytest.approx(6250 * AMSTERDAM / NATIONAL)
    assert row["verwacht_laag"] == pytest.approx(5000 * AMSTERDAM / NATIONAL)
    assert row["verwacht_hoog"] == pytest.approx(7500 * AMSTERDAM / NATIONAL)
    # The ratio falls as the estimate rises: its low end uses the high expected value.
    assert row["signaleringsratio_laag"] == pytest.approx(10 / (7500 * AMSTERDAM / NATIONAL))
    assert row["signaleringsratio_hoog"] == pytest.approx(10 / (5000 * AMSTERDAM / NATIONAL))


def test_expected_by_young_people():
    table = load_municipalities()
    young = (table["inwoners"] * table["pct_15_25"] / 100).sum()
    amsterdam_young = AMSTERDAM * table.loc["GM0363", "pct_15_25"] / 100
    result = gap_table(
        local([{"gemeentecode": "GM0363", "gesignaleerd": 10}]), population="jongeren"
    )
    row = row_of(result, "GM0363")
    assert row["referentiepopulatie"] == pytest.approx(amsterdam_young)
    assert row["verwacht"] == pytest.approx(1363 / young * amsterdam_young)


def test_expected_with_own_population_and_one_without():
    counts = local(
        [
            {"gemeentecode": "GM0363", "gesignaleerd": 10, "referentiepopulatie": 20_000},
            {"gemeentecode": "GM0599", "gesignaleerd": 4, "referentiepopulatie": None},
        ]
    )
    result = gap_table_of(counts, population="eigen")
    table = result.frame
    amsterdam, rotterdam = row_of(table, "GM0363"), row_of(table, "GM0599")
    assert amsterdam["verwacht"] == pytest.approx(257 / 100_000 * 20_000)  # 51.4
    assert amsterdam["signaleringsratio"] == pytest.approx(10 / 51.4)
    assert result.meta.interval_published is False
    # No population: the count is shown but nothing derived from a population is invented.
    assert rotterdam["gesignaleerd"] == 4
    assert pd.isna(rotterdam["referentiepopulatie"]) and pd.isna(rotterdam["verwacht"])
    assert pd.isna(rotterdam["signaleringsratio"]) and pd.isna(rotterdam["per_10000"])
    assert pd.isna(rotterdam["dekking"])


def test_eigen_without_population_column_is_refused():
    with pytest.raises(GapInputError, match="referentiepopulatie"):
        gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 1}]), population="eigen")


def test_zero_signalled():
    table = gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 0, "doorverwezen": 0}]))
    row = row_of(table, "GM0363")
    assert row["gesignaleerd"] == 0
    assert row["signaleringsratio"] == 0
    assert row["per_10000"] == 0 and row["per_10000_laag"] == 0
    # Garwood upper bound for 0 events is −ln(0.025) ≈ 3.689 expected events.
    assert row["per_10000_hoog"] == pytest.approx(-math.log(0.025) / AMSTERDAM * 10_000)
    assert pd.isna(row["doorverwijspercentage"])  # 0 ÷ 0 is not a share


def test_missing_counts_stay_missing():
    table = gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 12}]))
    row = row_of(table, "GM0363")
    for column in ("gemeld_comensha", "doorverwezen", "in_behandeling"):
        assert pd.isna(row[column])
    for column in ("doorverwijspercentage", "bereik_behandeling", "niet_bereikt"):
        assert pd.isna(row[column])
    assert pd.isna(row["meer_in_behandeling_dan_verwacht"])


def test_referral_treatment_and_not_reached():
    table = gap_table(
        local(
            [
                {
                    "gemeentecode": "GM0363",
                    "gesignaleerd": 20,
                    "doorverwezen": 7,
                    "in_behandeling": 5,
                },
                {
                    "gemeentecode": "GM0014",
                    "gesignaleerd": 30,
                    "doorverwezen": 10,
                    "in_behandeling": 25,
                },
            ]
        )
    )
    amsterdam, groningen = row_of(table, "GM0363"), row_of(table, "GM0014")
    expected_a = 1363 * AMSTERDAM / NATIONAL
    assert amsterdam["doorverwijspercentage"] == pytest.approx(7 / 20)
    ci = binomtest(7, 20).proportion_ci(confidence_level=0.95, method="wilson")
    assert amsterdam["doorverwijspercentage_laag"] == pytest.approx(ci.low)
    assert amsterdam["doorverwijspercentage_hoog"] == pytest.approx(ci.high)
    assert amsterdam["bereik_behandeling"] == pytest.approx(5 / expected_a)
    assert amsterdam["niet_bereikt"] == pytest.approx(expected_a - 5)
    assert not amsterdam["meer_in_behandeling_dan_verwacht"]
    # Groningen: 25 in treatment against 18.5 expected -> not reached shown as 0, flagged.
    assert groningen["verwacht"] == pytest.approx(1363 * 243_768 / NATIONAL)
    assert groningen["niet_bereikt"] == 0
    assert groningen["meer_in_behandeling_dan_verwacht"]


@pytest.mark.parametrize("count", [0, 1, 3, 10, 57, 400])
def test_garwood_matches_poisson_tails(count):
    low, high = garwood_interval(pd.Series([count]))
    low, high = float(low.iloc[0]), float(high.iloc[0])
    # Upper bound: seeing <= count has probability 2.5 %; lower: seeing >= count has 2.5 %.
    assert poisson.cdf(count, high) == pytest.approx(0.025, abs=1e-9)
    if count == 0:
        assert low == 0
    else:
        assert poisson.sf(count - 1, low) == pytest.approx(0.025, abs=1e-9)


@pytest.mark.parametrize(("x", "n"), [(0, 1), (0, 10), (3, 7), (7, 7), (50, 120)])
def test_wilson_matches_binomtest(x, n):
    share, low, high = wilson_interval(pd.Series([x]), pd.Series([n]))
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert share.iloc[0] == pytest.approx(x / n)
    assert low.iloc[0] == pytest.approx(ci.low, abs=1e-12)
    assert high.iloc[0] == pytest.approx(ci.high, abs=1e-12)


def test_wilson_when_referred_exceeds_signalled():
    share, low, high = wilson_interval(pd.Series([6]), pd.Series([4]))
    assert share.iloc[0] == pytest.approx(1.5)  # allowed, flagged elsewhere, not changed
    assert pd.isna(low.iloc[0]) and pd.isna(high.iloc[0])


def test_region_where_half_the_municipalities_reported():
    reference = load_municipalities()
    flevoland = reference[reference["provinciecode"] == "PV24"].sort_values("gemeentecode")
    assert len(flevoland) == 6
    reported = flevoland.iloc[:3]
    counts = [4, 0, 9]
    rows = [
        {"gemeentecode": code, "gesignaleerd": s}
        for code, s in zip(reported["gemeentecode"], counts, strict=True)
    ]
    rows += [{"gemeentecode": code, "gesignaleerd": None} for code in flevoland["gemeentecode"][3:]]
    table = gap_table(local(rows), level="provincie")
    assert table["code"].tolist() == ["PV24"]
    row = table.iloc[0]
    expected_reported = 1363 * reported["inwoners"].sum() / NATIONAL
    assert row["gesignaleerd"] == 13
    assert row["signaleringsratio"] == pytest.approx(13 / expected_reported)
    assert row["per_10000"] == pytest.approx(13 / reported["inwoners"].sum() * 10_000)
    assert row["dekking"] == pytest.approx(reported["inwoners"].sum() / flevoland["inwoners"].sum())
    # Beside the ratio stands its own denominator: the expected value of the reporting members
    # (and their population); the whole province's values have columns of their own.
    assert row["verwacht"] == pytest.approx(expected_reported)
    assert row["referentiepopulatie"] == reported["inwoners"].sum()
    assert row["signaleringsratio"] == pytest.approx(row["gesignaleerd"] / row["verwacht"])
    whole = 1363 * flevoland["inwoners"].sum() / NATIONAL
    assert row["verwacht_hele_regio"] == pytest.approx(whole)
    assert row["referentiepopulatie_hele_regio"] == flevoland["inwoners"].sum()


def test_region_uses_reference_members_not_in_the_upload():
    # Only Amsterdam uploaded: Noord-Holland's coverage is Amsterdam's share of the province.
    reference = load_municipalities()
    table = gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 5}]), level="provincie")
    holland = reference[reference["provinciecode"] == "PV27"]["inwoners"].sum()
    assert table.iloc[0]["dekking"] == pytest.approx(AMSTERDAM / holland)


def test_own_region_grouping():
    counts = local(
        [
            {"gemeentecode": "GM0363", "gesignaleerd": 10, "regio": "Noord"},
            {"gemeentecode": "GM0599", "gesignaleerd": 2, "regio": "Noord"},
            {"gemeentecode": "GM0014", "gesignaleerd": 3, "regio": "Zuid"},
        ]
    )
    table = gap_table(counts, level="regio").set_index("code")
    expected = 1363 * (AMSTERDAM + 670_610) / NATIONAL
    assert table.loc["Noord", "signaleringsratio"] == pytest.approx(12 / expected)
    assert table.loc["Noord", "dekking"] == 1
    with pytest.raises(GapInputError, match="regio"):
        gap_table(counts.drop(columns=["regio"]), level="regio")


def test_year_selection():
    counts = pd.concat(
        [
            local([{"gemeentecode": "GM0363", "gesignaleerd": 1}], year=2023),
            local([{"gemeentecode": "GM0363", "gesignaleerd": 2}], year=2024),
        ]
    )
    assert gap_table_of(counts).meta.year == 2024
    assert gap_table(counts)["gesignaleerd"].iloc[0] == 2
    assert gap_table(counts, year=2023)["gesignaleerd"].iloc[0] == 1
    with pytest.raises(GapInputError, match="2019"):
        gap_table(counts, year=2019)


def test_bad_input_is_refused():
    with pytest.raises(GapInputError, match="meer dan eens"):
        gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 1}] * 2))
    with pytest.raises(GapInputError, match="GM9999"):
        gap_table(local([{"gemeentecode": "GM9999", "gesignaleerd": 1}]))
    with pytest.raises(GapInputError, match="geen landelijke schatting"):
        national_estimate("reg_nrm_2023")
    with pytest.raises(GapInputError, match="bestaat niet"):
        national_estimate("nonsense")
    with pytest.raises(GapInputError, match="niveau"):
        gap_table(local([{"gemeentecode": "GM0363", "gesignaleerd": 1}]), level="wijk")


@pytest.mark.parametrize("population", ["inwoners", "jongeren"])
@pytest.mark.parametrize("estimate", ["minderjarigen_geschat", "mh_geschat_2017"])
def test_country_sums_back_to_the_national_estimate(population, estimate):
    codes = load_municipalities()["gemeentecode"]
    expected = expected_victims(reference_population(codes, population), population, estimate)
    chosen = national_estimate(estimate)
    assert expected["verwacht"].sum() == pytest.approx(chosen.value)
    if chosen.has_interval:
        assert expected["verwacht_laag"].sum() == pytest.approx(chosen.interval_low)
        assert expected["verwacht_hoog"].sum() == pytest.approx(chosen.interval_high)


def test_all_municipalities_reporting_gives_national_figures():
    reference = load_municipalities()
    counts = local(
        [{"gemeentecode": code, "gesignaleerd": 1} for code in reference["gemeentecode"]]
    )
    table = gap_table(counts, level="veiligheidsregio")
    assert len(table) == 25
    assert table["verwacht"].sum() == pytest.approx(1363)
    assert (table["dekking"] == 1).all()
    assert table["gesignaleerd"].sum() == 342


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 500_000)), min_size=1, max_size=12))
def test_ratio_of_sums_is_expected_weighted_mean(rows):
    members = pd.DataFrame(
        {
            "groep_code": "R",
            "groep_naam": "R",
            "gesignaleerd": pd.array([s for s, _ in rows], dtype="Int64"),
            "gemeld_comensha": pd.array([None] * len(rows), dtype="Int64"),
            "doorverwezen": pd.array([None] * len(rows), dtype="Int64"),
            "in_behandeling": pd.array([None] * len(rows), dtype="Int64"),
            "referentiepopulatie": pd.array([p for _, p in rows], dtype="Float64"),
        }
    )
    members = members.join(expected_victims(members["referentiepopulatie"]))
    region = aggregate(members).iloc[0]
    ratios = members["gesignaleerd"].astype(float) / members["verwacht"].astype(float)
    weighted = np.average(ratios, weights=members["verwacht"].astype(float))
    assert region["signaleringsratio"] == pytest.approx(weighted, rel=1e-9, abs=1e-12)
    assert region["dekking"] == 1
    one_each = aggregate(members.assign(groep_code=[f"{i:03d}" for i in range(len(rows))]))
    assert one_each["signaleringsratio"].to_numpy() == pytest.approx(ratios.to_numpy())


def test_worked_example_for_the_method_page():
    row = worked_example()
    assert row["naam"] == "Zwolle"
    assert row["verwacht"] == pytest.approx(1363 * row["referentiepopulatie"] / NATIONAL)
    assert row["signaleringsratio"] == pytest.approx(6 / row["verwacht"])
    assert pd.isna(row["schatting_laag"])  # 1,363: no published interval
    with_band = worked_example("mh_geschat_2017")
    assert (with_band["schatting_laag"], with_band["schatting_hoog"]) == (5000, 7500)
