"""``python -m loverboy_stats gaps``: the published gap table as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from loverboy_stats.schema import GAP_COLUMNS


@pytest.fixture
def run(cli):
    return lambda *args, env=None: cli("gaps", *args, env=env)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_demo_csv_column_order_and_values(run):
    result = run("demo", "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert "fictieve voorbeeldcijfers" in result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[: len(GAP_COLUMNS)] == list(GAP_COLUMNS)
    table = rows(result.stdout)
    assert len(table) == 342
    amsterdam = next(r for r in table if r["code"] == "GM0363")
    assert amsterdam["naam"] == "Amsterdam"
    assert float(amsterdam["verwacht"]) == pytest.approx(1363 * 931_298 / 17_942_942)
    assert amsterdam["verwacht_laag"] == ""  # 1,363 has no published interval
    # Small counts are shown as "<5" and their ratios left empty.
    small = [r for r in table if r["gesignaleerd"] == "<5"]
    assert small and all(r["signaleringsratio"] == "" for r in small)
    assert all("," not in r["per_10000"] for r in table)  # dot decimals, one value per cell


def test_region_level_with_interval_and_json(run):
    result = run(
        "demo", "--level", "jeugdregio", "--estimate", "mh_geschat_2017", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["niveau"] == "jeugdregio" and data["interval_gepubliceerd"] is True
    assert data["kolommen"][: len(GAP_COLUMNS)] == list(GAP_COLUMNS)
    assert len(data["rijen"]) == 42
    total_low = sum(r["verwacht_laag"] for r in data["rijen"])
    assert total_low == pytest.approx(5000)  # every region of the country is present


def test_no_suppress_shows_small_counts_and_warns(run):
    result = run("demo", "--no-suppress", "--population", "jongeren")
    assert result.returncode == 0, result.stderr
    assert "niet geschikt voor publicatie" in result.stderr
    values = [r["gesignaleerd"] for r in rows(result.stdout)]
    assert "<5" not in values and "1" in values


def test_k_from_the_environment(run, tmp_path):
    upload = tmp_path / "klein.csv"
    upload.write_text(
        "gemeentecode;gemeente;jaar;gesignaleerd;gemeld_comensha;doorverwezen;in_behandeling\n"
        "GM0363;Amsterdam;2024;12;9;6;3\n"
        "GM0599;Rotterdam;2024;25;14;12;11\n",
        encoding="utf-8",
    )
    result = run(str(upload), env={"LBS_SUPPRESSION_K": "10"})
    assert result.returncode == 0, result.stderr
    published = {r["code"]: r for r in rows(result.stdout)}
    assert published["GM0363"]["gemeld_comensha"] == "<10"
    assert published["GM0599"]["gesignaleerd"] == "25"


def test_unknown_source_and_bad_options(run, tmp_path):
    result = run("geen_bron_met_deze_naam", env={"LBS_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "Bron niet gevonden" in result.stderr
    result = run("demo", "--estimate", "reg_nrm_2023")
    assert result.returncode == 2 and "geen landelijke schatting" in result.stderr
    result = run("demo", "--level", "regio")
    assert result.returncode == 2 and "regio" in result.stderr


def test_upload_file_as_source(run, tmp_path):
    upload = tmp_path / "eigen.csv"
    upload.write_text(
        "gemeentecode;gemeente;jaar;gesignaleerd;gemeld_comensha;doorverwezen;in_behandeling\n"
        "GM0363;Amsterdam;2024;12;3;6;\n"
        "GM0599;Rotterdam;2024;9;;4;2\n",
        encoding="utf-8",
    )
    result = run(str(upload), "--no-suppress")
    assert result.returncode == 0, result.stderr
    table = {r["code"]: r for r in rows(result.stdout)}
    assert set(table) == {"GM0363", "GM0599"}
    assert float(table["GM0363"]["doorverwijspercentage"]) == pytest.approx(0.5)
    assert table["GM0363"]["in_behandeling"] == ""


def test_region_names_from_an_old_dataset_cannot_become_formulas(cli, tmp_path):
    """Region names that would be refused today, stored earlier: the CSV still cannot run them
    as formulas when Dutch Excel splits it on ';' (or another Excel on ',')."""
    from loverboy_stats.store import get_store
    from tests.fixtures.legacy import insert_dataset
    from tests.test_export import risky_cells

    rows = [
        {"gemeentecode": code, "gemeente": name, "jaar": 2024, "gesignaleerd": 20, "regio": regio}
        for code, name, regio in [
            ("GM0363", "Amsterdam", "Noord;=1+1;"),
            ("GM0599", "Rotterdam", "Oost,=1+1,"),
            ("GM0518", "'s-Gravenhage", "@SUM(A1)"),
        ]
    ]
    insert_dataset(get_store(), "oud", rows)
    result = cli("gaps", "oud", "--level", "regio", "--no-suppress")
    assert result.returncode == 0, result.stderr
    assert "Noord;'=1+1;" in result.stdout and "Oost,'=1+1," in result.stdout
    assert risky_cells(result.stdout) == []


def test_demo_csv_says_fictitious_on_every_row_and_rounds_to_six_decimals(run):
    result = run("demo", "--level", "provincie")
    table = rows(result.stdout)
    assert {r["gegevens"] for r in table} == {"fictieve voorbeeldcijfers"}
    decimals = [len(v.split(".")[1]) for r in table for v in r.values() if v.count(".") == 1]
    assert decimals and max(decimals) <= 6
    data = json.loads(run("demo", "--level", "provincie", "--format", "json").stdout)
    assert data["fictief"] is True
    assert any(len(str(r["verwacht"]).split(".")[1]) > 6 for r in data["rijen"])  # full precision


def test_an_upload_file_carries_no_fictitious_column(run, tmp_path):
    upload = tmp_path / "eigen.csv"
    upload.write_text("gemeentecode;jaar;gesignaleerd\nGM0363;2024;12\n", encoding="utf-8")
    result = run(str(upload))
    assert "gegevens" not in result.stdout.splitlines()[0].split(",")


def test_the_dataset_total_level(run):
    [total] = rows(run("demo", "--level", "totaal", "--no-suppress").stdout)
    assert (total["code"], total["naam"]) == ("ALLE", "Alle gemeenten in de dataset")


def test_an_observed_count_is_not_offered_as_an_estimate(run):
    result = run("demo", "--estimate", "mh_waargenomen_2021")
    assert result.returncode == 2 and "geen landelijke schatting" in result.stderr


def test_output_into_a_pipe_that_closes_early_is_not_an_error(tmp_path):
    from tests.cli.conftest import ROOT

    done = subprocess.run(
        f"{sys.executable} -m loverboy_stats gaps demo | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LBS_DATA_DIR": str(tmp_path)},
    )
    assert done.returncode == 0
    assert done.stdout.startswith("code,naam,")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
