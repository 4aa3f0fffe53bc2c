"""Every figure reconciles with the ones shown beside it, in every published row at every level:
a reader who divides one shown number by another gets the shown ratio.

Runs over the demo (every year, both populations it allows, publication mode on and off) and an
upload with partial reporting, own populations and an own grouping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loverboy_stats.demo import load_demo
from loverboy_stats.schema import BASE_COLUMNS, COVERAGE_COLUMNS, FLAG_COLUMN
from loverboy_stats.tableset import build_table_set
from loverboy_stats.views.frames import FUNNEL_STEPS, funnel_rows
from tests.fixtures.datasets import partial_upload
from tests.fixtures.patterns import SHARED


def number(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def check_table(frame: pd.DataFrame, k: int | None, where: str) -> int:
    """Assert every reconciliation rule on one published table; returns the rows checked."""
    s, e, p = (
        number(frame, "gesignaleerd"),
        number(frame, "verwacht"),
        number(frame, "referentiepopulatie"),
    )

    def same(shown: pd.Series, expected: pd.Series, what: str) -> None:
        present = shown.notna()
        assert expected[present].notna().all(), f"{where}: {what} shown without its parts"
        assert np.allclose(shown[present], expected[present], rtol=1e-9, atol=1e-12), (where, what)

    same(number(frame, "signaleringsratio"), s / e, "signaleringsratio = S ÷ verwacht")
    same(number(frame, "signaleringsratio_laag"), s / number(frame, "verwacht_hoog"), "ratio laag")
    same(number(frame, "signaleringsratio_hoog"), s / number(frame, "verwacht_laag"), "ratio hoog")
    same(number(frame, "per_10000"), s / p * 10_000, "per 10.000 = S ÷ P × 10.000")
    referred, base = number(frame, "doorverwezen"), number(frame, "basis_doorverwijspercentage")
    same(
        number(frame, "doorverwijspercentage"), referred / base, "doorverwijspercentage = R ÷ basis"
    )
    treated, expected_t = number(frame, "in_behandeling"), number(frame, "verwacht_behandeling")
    same(number(frame, "bereik_behandeling"), treated / expected_t, "bereik = T ÷ verwacht")
    same(number(frame, "niet_bereikt"), (expected_t - treated).clip(lower=0), "niet bereikt")
    flag = frame[FLAG_COLUMN].astype("boolean")
    shown_flag = flag.notna()
    assert (flag[shown_flag] == ((expected_t - treated) < 0)[shown_flag]).all(), where
    for coverage in COVERAGE_COLUMNS.values():
        values = number(frame, coverage).dropna()
        assert values.between(0, 1 + 1e-12).all(), (where, coverage)
    # The denominator is the reporting members' part of the whole area.
    whole = number(frame, "verwacht_hele_regio")
    both = e.notna() & whole.notna()
    assert (e[both] <= whole[both] * (1 + 1e-12)).all(), where
    # Funnel shares are the table's shares, with the same denominators.
    for row in frame.to_dict("records"):
        steps = {r["stap"]: r for r in funnel_rows(row, row["naam"], "gebied", k)}
        table_share = row["doorverwijspercentage"]
        funnel_share = steps[FUNNEL_STEPS["doorverwezen"]]["aandeel_van_gesignaleerd"]
        assert (pd.isna(table_share) and np.isnan(funnel_share)) or np.isclose(
            table_share, funnel_share
        ), (where, row["code"])
        for count, base_column in BASE_COLUMNS.items():
            step = steps[FUNNEL_STEPS[count]]
            if not np.isnan(step["aandeel_van_gesignaleerd"]):
                assert np.isclose(step["aandeel_van_gesignaleerd"], row[count] / row[base_column])
    return len(frame)


def check_dataset(local: pd.DataFrame, populations: list[str], years: list[int]) -> int:
    checked = 0
    for year in years:
        for population in populations:
            for publication in (True, False):
                tables = build_table_set(
                    local,
                    year=year,
                    population=population,
                    publication=publication,
                    patterns=SHARED,
                )
                for level in tables.levels:
                    where = f"{year} {population} publicatie={publication} {level}"
                    checked += check_table(tables[level].frame, tables.k, where)
    return checked


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024])
def test_every_demo_row_reconciles(year):
    assert check_dataset(load_demo(), ["inwoners", "jongeren"], [year]) > 1_000


def test_every_row_of_a_partial_upload_reconciles():
    local = partial_upload()
    assert local["in_behandeling"].isna().any() and local["referentiepopulatie"].isna().any()
    assert check_dataset(local, ["inwoners", "jongeren", "eigen"], [2023, 2024]) > 100


def test_a_region_shows_its_own_denominators_where_members_report_differently():
    """Hand-checked: two municipalities of one jeugdregio, only one reports T."""
    local = pd.DataFrame(
        {
            "gemeentecode": ["GM0193", "GM0166"],  # Zwolle, Kampen: jeugdregio IJsselland
            "jaar": [2024, 2024],
            "gesignaleerd": pd.array([20, 10], dtype="Int64"),
            "gemeld_comensha": pd.array([None, 4], dtype="Int64"),
            "doorverwezen": pd.array([10, None], dtype="Int64"),
            "in_behandeling": pd.array([6, None], dtype="Int64"),
        }
    )
    tables = build_table_set(local, publication=False)
    municipal = tables["gemeente"].frame.set_index("code")
    region = tables["jeugdregio"].frame.set_index("code").loc["JZ07"]
    zwolle = municipal.loc["GM0193"]
    assert region["gesignaleerd"] == 30
    assert region["verwacht"] == pytest.approx(municipal["verwacht"].sum())
    assert region["basis_doorverwijspercentage"] == 20  # only Zwolle reported R
    assert region["doorverwijspercentage"] == pytest.approx(10 / 20)
    assert region["verwacht_behandeling"] == pytest.approx(zwolle["verwacht"])
    assert region["niet_bereikt"] == pytest.approx(zwolle["verwacht"] - 6)
    assert region["basis_gemeld_comensha"] == 10  # only Kampen reported M
    # IJsselland has more municipalities than these two: the whole region is larger.
    assert region["verwacht_hele_regio"] > region["verwacht"]
    assert region["dekking_in_behandeling"] < region["dekking"] < 1
