"""Publication mode as the app publishes it: every table set the pages, downloads and the command
line show passes the exact intruder audit, for random datasets, the demo, the upload corpus and
uploads with own regions; and the marks mean what the pages say they mean."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loverboy_stats import privacy
from loverboy_stats.demo import DEMO_PATTERNS_FILE, demo_patterns, load_demo
from loverboy_stats.privacy.pattern import data_key
from loverboy_stats.privacy.sources import PatternFile
from loverboy_stats.reference import load_municipalities
from loverboy_stats.schema import (
    COUNT_COLUMNS,
    PROTECTED_COLUMNS,
    CellStatus,
    marked_frame,
    status_column,
    typed_dataset,
)
from loverboy_stats.tableset import build_table_set
from loverboy_stats.uploads import parse_upload
from tests.fixtures.datasets import partial_upload

ROOT = Path(__file__).resolve().parents[2]
#: Municipalities of two provinces with several jeugdregio's and GGD regions between them.
CODES = load_municipalities().query("provinciecode in ['PV24', 'PV29']").index.tolist()


def audited(local: pd.DataFrame, year: int, k: int | None = None, patterns=None):
    """Build the published set as the pages do and audit exactly what it publishes."""
    tables = build_table_set(local, year=year, k=k, patterns=patterns)
    local_year = local[local["jaar"] == year]
    problem, result = privacy.audit_published(local_year, tables.tables, tables.k)
    return tables, problem, result


@st.composite
def uploads(draw) -> tuple[pd.DataFrame, int]:
    chosen = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=8, unique=True))
    k = draw(st.sampled_from([3, 5]))
    small = st.one_of(st.integers(0, k - 1), st.integers(0, 3 * k))
    own = draw(st.booleans())
    rows = []
    for code in chosen:
        row = {"gemeentecode": code, "jaar": 2024, "gesignaleerd": draw(small)}
        for column in COUNT_COLUMNS[1:]:
            row[column] = draw(st.one_of(st.none(), small))
        row["regio"] = draw(st.sampled_from(["Noord", "Zuid"])) if own else None
        rows.append(row)
    return typed_dataset(pd.DataFrame(rows)), k


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uploads())
def test_random_uploads_publish_nothing_an_intruder_can_narrow(case):
    local, k = case
    tables, problem, result = audited(local, 2024, k)
    assert result.passed, [(problem.cells[n.cell].labels, n.feasible) for n in result.narrowed]
    # The promise on the Methode page: every "<k" a reader sees can still be any of 1..k-1.
    # Audited against the full range (not against what every pattern gives away), only hidden
    # totals, which carry "x", may be narrowed; never a municipality's own count.
    status, _ = privacy.status_from_tables(problem, tables.tables)
    strict = privacy.audit_status(problem, status)
    assert all(problem.cells[n.cell].kind != "municipal" for n in strict.narrowed)
    # Every count the tables hide as "<k" lies in 1..k-1, every shown count is the true one.
    municipal = tables["gemeente"].frame.set_index("code")
    truth = local.set_index("gemeentecode")
    for column in COUNT_COLUMNS:
        for code, status in municipal[status_column(column)].items():
            value = truth.at[code, column]
            if status == CellStatus.SMALL:
                assert 1 <= value <= k - 1
            elif status == CellStatus.SHOWN:
                assert municipal.at[code, column] == value


def test_the_marks_mean_what_the_pages_say():
    """'<k' only on one municipality's count (1..k-1); a hidden total is 'x', whatever it is."""
    local = partial_upload()
    tables = build_table_set(local, year=2024, k=5)
    for level, table in tables.tables.items():
        frame = table.frame
        for column in PROTECTED_COLUMNS:
            small = frame[status_column(column)] == CellStatus.SMALL
            marked = marked_frame(table)[column]
            assert (marked[small] == "<5").all()
            assert (marked[frame[status_column(column)] == CellStatus.PROTECTED] == "x").all()
            if level != "gemeente" and small.any():
                # A region shows "<5" only when one municipality makes up the count: it is
                # that municipality's own count, shown as such.
                codes = frame.loc[small, "code"]
                assert codes.isin(single_member_areas(local, level, column)).all(), level


def single_member_areas(local: pd.DataFrame, level: str, column: str) -> set[str]:
    """Areas of ``level`` whose ``column`` (a count or a base) rests on one municipality."""
    from loverboy_stats.reference import memberships
    from loverboy_stats.schema import BASE_COLUMNS

    year = local[local["jaar"] == 2024].reset_index(drop=True)
    count = next((c for c, b in BASE_COLUMNS.items() if b == column), column)
    reported = year[count].notna() & (year["gesignaleerd"].notna() if count != column else True)
    groups = memberships(year["gemeentecode"], year["regio"])
    if level not in groups.columns:
        return set()
    sizes = groups.loc[reported, level].value_counts()
    return set(sizes[sizes == 1].index)


def test_a_small_region_total_is_shown_as_x_not_as_a_small_count():
    """Two members of one province with 1 and 2: the province total 3 is hidden with the one
    mark for totals; '<5' on it would tell that each member is at most 2."""
    local = typed_dataset(
        pd.DataFrame(
            {
                "gemeentecode": ["GM0034", "GM0050"],  # Almere, Zeewolde (Flevoland)
                "jaar": [2024, 2024],
                "gesignaleerd": [1, 2],
            }
        )
    )
    tables, _, result = audited(local, 2024, 5)
    province = tables["provincie"].frame.set_index("code").loc["PV24"]
    assert province["gesignaleerd_status"] == CellStatus.PROTECTED
    assert marked_frame(tables["provincie"])["gesignaleerd"].iloc[0] == "x"
    assert result.passed


def test_own_regions_across_the_cbs_levels_and_partial_reporting_pass():
    local = partial_upload()
    for year in (2023, 2024):
        _, _, result = audited(local, year)
        assert result.passed


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024])
def test_the_demo_as_published_passes_the_audit(year):
    tables, _, result = audited(load_demo(), year, patterns=demo_patterns())
    assert result.passed
    # Publication mode still leaves the figures worth publishing.
    regions = tables["jeugdregio"].frame
    assert (regions["gesignaleerd_status"] == CellStatus.SHOWN).sum() >= 5


def test_the_shipped_demo_patterns_belong_to_the_shipped_demo():
    """Every year's pattern is in the file under the key of the data as the app reads it, so
    no visitor computes one (and a change to the demo without new patterns fails here)."""
    demo = load_demo()
    source = PatternFile(DEMO_PATTERNS_FILE)
    source.pattern(demo[demo["jaar"] == 2024], 5)  # reads the file
    for year in range(2020, 2025):
        key = data_key(demo[demo["jaar"] == year], 5, privacy.DEFAULT_DESIGN)
        assert key in source.known, year


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (ROOT / "tests" / "data" / "good").iterdir() if p.suffix != ".json"),
)
def test_every_good_corpus_file_publishes_safely(name):
    case = next(
        c
        for c in json.loads((ROOT / "tests/data/good/expected.json").read_text("utf-8"))
        if c["file"] == name
    )
    result = parse_upload(
        (ROOT / "tests/data/good" / name).read_bytes(), name, sheet=case.get("sheet")
    )
    local = result.data
    for year in sorted(local["jaar"].dropna().unique()):
        _, _, audit_result = audited(local, int(year))
        assert audit_result.passed, (name, year)


def test_strict_mode_hides_the_totals_that_hold_a_hidden_count(monkeypatch):
    monkeypatch.setenv("LBS_STRICT_PUBLICATION", "true")
    local = partial_upload()
    tables, _, result = audited(local, 2024)
    assert result.passed
    for _, insider_result in [
        privacy.audit_published(local[local["jaar"] == 2024], tables.tables, tables.k, code)
        for code in local.loc[local["jaar"] == 2024, "gemeentecode"][:5]
    ]:
        assert insider_result.passed
