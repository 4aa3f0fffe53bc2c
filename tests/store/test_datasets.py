"""The dataset store on a real SQLite file and a real PostgreSQL server.

PostgreSQL runs when ``LBS_TEST_POSTGRES_URL`` is set (``postgresql+psycopg://...``); without it
those cases skip with the reason, except when ``CI=true``: there a missing server fails the run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa

from loverboy_stats.store import SCHEMA_VERSION, Store, StoreError, get_store
from loverboy_stats.store.schema import MIGRATIONS, dataset_rows, datasets
from loverboy_stats.uploads import parse_upload
from tests.fixtures.actors import OPERATOR
from tests.fixtures.importers import run_importers
from tests.fixtures.postgres import own_schema, require_postgres

CSV = (
    "gemeente;jaar;gesignaleerd;doorverwezen;in_behandeling;regio\n"
    "Den Haag;2023;12;3;;Haaglanden\n"
    "Súdwest-Fryslân;2023;1.234;;2;\n"
    "Amsterdam;2022;0;0;0;Noord\n"
).encode("cp1252")


def _postgres_store() -> Iterator[Store]:
    # Each test gets its own schema, so tests never see each other's data.
    with own_schema(require_postgres("PostgreSQL was")) as url:
        store = Store(url)
        try:
            yield store
        finally:
            store.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        created = Store(f"sqlite:///{tmp_path / 'sub' / 'store.sqlite'}")
        yield created
        created.dispose()
    else:
        yield from _postgres_store()


@pytest.fixture
def clean() -> pd.DataFrame:
    result = parse_upload(CSV, "cijfers.csv")
    assert result.ok, result.issues.to_string()
    return result.data


def count_rows(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        return (
            connection.execute(sa.select(sa.func.count()).select_from(datasets)).scalar_one(),
            connection.execute(sa.select(sa.func.count()).select_from(dataset_rows)).scalar_one(),
        )


def test_saved_dataset_loads_back_identical(store, clean):
    info = store.datasets.save("Haaglanden 2023", "cijfers.csv", CSV, clean, actor=OPERATOR)
    assert (info.name, info.filename, info.row_count) == ("Haaglanden 2023", "cijfers.csv", 3)
    assert len(info.sha256) == 64 and not info.already_present
    assert info.uploaded_at.tzinfo is not None
    loaded = store.datasets.load("Haaglanden 2023")
    pd.testing.assert_frame_equal(loaded[clean.columns], clean)
    # Missing stays missing (not reported), never 0.
    assert pd.isna(loaded.loc[0, "in_behandeling"]) and loaded.loc[2, "in_behandeling"] == 0
    pd.testing.assert_frame_equal(store.datasets.load(info.id), loaded)
    assert [d.name for d in store.datasets.list()] == ["Haaglanden 2023"]


def test_identical_file_is_recognised(store, clean):
    first = store.datasets.save("eerste", "a.csv", CSV, clean, actor=OPERATOR)
    again = store.datasets.save("tweede", "b.csv", CSV, clean, actor=OPERATOR)
    assert again.already_present and again.id == first.id and again.name == "eerste"
    assert count_rows(store) == (1, 3)


def test_failing_insert_leaves_nothing(store, clean):
    broken = clean.copy()
    broken.loc[2, "gesignaleerd"] = -1  # the database refuses the last row
    with pytest.raises(StoreError, match="niets opgeslagen"):
        store.datasets.save("kapot", "kapot.csv", CSV, broken, actor=OPERATOR)
    assert count_rows(store) == (0, 0)
    assert store.datasets.list() == []
    # The same file can still be stored afterwards (no half-written sha256 left behind).
    assert not store.datasets.save("heel", "heel.csv", CSV, clean, actor=OPERATOR).already_present


def test_name_must_be_unique_and_not_empty(store, clean):
    store.datasets.save("naam", "a.csv", CSV, clean, actor=OPERATOR)
    with pytest.raises(StoreError, match="al een dataset met de naam 'naam'"):
        store.datasets.save("naam", "b.csv", CSV + b"\n", clean, actor=OPERATOR)
    with pytest.raises(StoreError, match="Geef de dataset een naam"):
        store.datasets.save("  ", "b.csv", CSV + b"\n", clean, actor=OPERATOR)
    assert count_rows(store) == (1, 3)


def test_rename_and_delete(store, clean):
    one = store.datasets.save("een", "a.csv", CSV, clean, actor=OPERATOR)
    two = store.datasets.save("twee", "b.csv", CSV + b"\n", clean, actor=OPERATOR)
    renamed = store.datasets.rename(one.id, "Eén, hernoemd", actor=OPERATOR)
    assert renamed.name == "Eén, hernoemd" and renamed.sha256 == one.sha256
    with pytest.raises(StoreError, match="al een dataset"):
        store.datasets.rename("twee", "Eén, hernoemd", actor=OPERATOR)
    store.datasets.delete("Eén, hernoemd", actor=OPERATOR)
    assert [d.id for d in store.datasets.list()] == [two.id]
    assert count_rows(store) == (1, 3)
    with pytest.raises(StoreError, match="bestaat niet"):
        store.datasets.load(one.id)


def test_schema_version_and_migrations(store):
    assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
    # Opening the same database again runs nothing twice.
    reopened = Store(store.url)
    try:
        assert reopened.schema_version() == SCHEMA_VERSION
        with reopened.engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version FROM schema_version")).all()
        assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1))
    finally:
        reopened.dispose()


def test_a_new_migration_step_is_applied_once(store, clean):
    store.datasets.save("bestaand", "a.csv", CSV, clean, actor=OPERATOR)

    def add_checklist(connection):
        connection.execute(sa.text("CREATE TABLE checklist_probe (id INTEGER PRIMARY KEY)"))

    upgraded = Store(store.url, migrations=[*MIGRATIONS, add_checklist])
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION + 1
        assert upgraded.migrate() == SCHEMA_VERSION + 1  # a second run changes nothing
        assert sa.inspect(upgraded.engine).has_table("checklist_probe")
        # Existing data survives the upgrade.
        assert [d.name for d in upgraded.datasets.list()] == ["bestaand"]
    finally:
        upgraded.dispose()


def test_default_store_is_an_sqlite_file_in_the_data_dir(tmp_path, monkeypatch, clean):
    monkeypatch.setenv("LBS_DATA_DIR", str(tmp_path / "nieuw"))
    monkeypatch.delenv("LBS_DATABASE_URL", raising=False)
    store = get_store()
    store.datasets.save("standaard", "a.csv", CSV, clean, actor=OPERATOR)
    assert (tmp_path / "nieuw" / "loverboy_stats.sqlite").exists()
    assert get_store() is store


# ------------------------------------------------------------------------------------------
# Restarts and concurrent importers: each process has its own Store (engine, pool), as the app
# workers and the command line do (tests/fixtures/importers.py: forked from a clean
# forkserver, so nothing of the test process is inherited).


def _files(count: int) -> list[bytes]:
    """``count`` different valid uploads: file i has municipalities i*3 .. i*3+2, years 2020-23."""
    codes = pd.read_csv("data/reference/gemeenten_2024.csv", dtype=str)["gemeentecode"]
    files = []
    for i in range(count):
        lines = ["gemeentecode;jaar;gesignaleerd;gemeld_comensha;doorverwezen;regio"]
        for code in codes[i * 3 : i * 3 + 3]:
            for year in range(2020, 2024):
                referred = "" if year == 2021 else str(i)
                lines.append(f"{code};{year};{i * 100 + year % 100};{i};{referred};R{i}")
        files.append(("\n".join(lines) + "\n").encode("cp1252"))
    return files


def test_data_survives_a_new_store_on_the_same_database(store, clean):
    store.datasets.save("blijvend", "cijfers.csv", CSV, clean, actor=OPERATOR)
    store.dispose()  # as when the app process stops
    reopened = Store(store.url)
    try:
        [info] = reopened.datasets.list()
        assert (info.name, info.row_count) == ("blijvend", 3)
        pd.testing.assert_frame_equal(reopened.datasets.load("blijvend")[clean.columns], clean)
        assert reopened.datasets.save(
            "nogmaals", "x.csv", CSV, clean, actor=OPERATOR
        ).already_present
    finally:
        reopened.dispose()


def test_eight_concurrent_importers_lose_and_mix_nothing(store):
    files = _files(8)
    jobs = [(f"gemeenteset {i}", content) for i, content in enumerate(files)]
    outcomes = run_importers(store.url, jobs)
    assert outcomes == {name: (name, False) for name, _ in jobs}
    assert len(store.datasets.list()) == 8
    assert count_rows(store) == (8, 8 * 12)
    for name, content in jobs:
        expected = parse_upload(content, "x.csv").data
        loaded = store.datasets.load(name)
        pd.testing.assert_frame_equal(loaded[expected.columns], expected)


def test_the_same_file_imported_twice_at_once_is_stored_once(store):
    for round_number, content in enumerate(_files(3)):
        jobs = [(f"ronde {round_number} a", content), (f"ronde {round_number} b", content)]
        outcomes = run_importers(store.url, jobs)
        stored = {stored_as for stored_as, _ in outcomes.values()}
        assert len(stored) == 1, outcomes  # both report the one dataset
        assert sorted(present for _, present in outcomes.values()) == [False, True]
    assert count_rows(store) == (3, 3 * 12)
