"""The fictitious demo dataset: shape, labelling and realism."""

from __future__ import annotations

import sys

import pandas as pd

from loverboy_stats.demo import DEMO_FILE, DEMO_LABEL, load_demo
from loverboy_stats.gaps import gap_table
from loverboy_stats.reference import load_municipalities
from loverboy_stats.schema import DATASET_COLUMNS
from loverboy_stats.settings import PROJECT_ROOT


def test_shape_and_columns():
    demo = load_demo()
    assert list(demo.columns) == list(DATASET_COLUMNS)
    assert demo["referentiepopulatie"].isna().all() and demo["regio"].isna().all()
    assert len(demo) == 342 * 5
    assert sorted(demo["jaar"].unique()) == [2020, 2021, 2022, 2023, 2024]
    assert set(demo["gemeentecode"]) == set(load_municipalities()["gemeentecode"])
    assert not demo.duplicated(["gemeentecode", "jaar"]).any()


def test_labelled_as_fictitious():
    assert DEMO_LABEL == "fictieve voorbeeldcijfers"
    meta = DEMO_FILE.with_name("demo_2020_2024.meta.yaml").read_text(encoding="utf-8")
    assert DEMO_LABEL in meta and "fictitious: true" in meta


def test_realistic_counts():
    demo = load_demo()
    assert demo["gesignaleerd"].notna().all()  # the required count is always there
    assert (demo["gesignaleerd"] >= 0).all()
    assert (demo["gesignaleerd"] == 0).mean() > 0.3  # many small municipalities see nobody
    small = demo["gesignaleerd"].between(1, 4)
    assert small.mean() > 0.1
    for column in ("gemeld_comensha", "doorverwezen", "in_behandeling"):
        assert demo[column].isna().any()  # some optional counts were not reported
        assert demo[column].notna().mean() > 0.6
    table = gap_table(demo, year=2024).frame
    # Most municipalities signal far fewer than the apportioned estimate; a few come close.
    assert (table["signaleringsratio"] < 0.5).mean() > 0.6
    big = table[table["verwacht"] >= 10]
    assert (big["signaleringsratio"] < 0.8).mean() > 0.8
    assert table["gesignaleerd"].sum() < 1363


def test_file_is_reproducible_from_the_script():
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    try:
        import make_demo
    finally:
        sys.path.pop(0)
    made = make_demo.make()
    shipped = pd.read_csv(DEMO_FILE, dtype={"gemeentecode": str})
    assert made["gesignaleerd"].astype(int).tolist() == shipped["gesignaleerd"].tolist()
    assert made["in_behandeling"].isna().tolist() == shipped["in_behandeling"].isna().tolist()
