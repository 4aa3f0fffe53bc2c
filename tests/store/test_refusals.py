"""What the database would refuse is refused first, in Dutch, the same on SQLite and PostgreSQL,
and no value of a statement (counts of minors, names) reaches a message or a log.

Before: a 300-character name or a NUL saved fine on SQLite, but on PostgreSQL crashed the save
with an English error whose text, and SQLAlchemy's log, held every data row.
"""

from __future__ import annotations

import logging

import pandas as pd
import pytest
import sqlalchemy as sa

from loverboy_stats.store import StoreError
from loverboy_stats.store.schema import (
    checklist_answers,
    checklist_versions,
    dataset_rows,
    datasets,
)
from loverboy_stats.textsafe import FILENAME_MAX, NAME_MAX
from tests.fixtures.actors import OPERATOR
from tests.store.test_datasets import CSV, clean, count_rows, store  # noqa: F401

#: A count no real file holds, so finding it anywhere in a log means the data leaked.
SECRET_COUNT = 918_273


@pytest.fixture
def secret(clean):  # noqa: F811
    data = clean.copy()
    data.loc[0, "gesignaleerd"] = SECRET_COUNT
    return data


@pytest.fixture
def logs(caplog):
    """Everything logged at any level, SQLAlchemy's statement log switched on as an operator
    debugging the server might."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def test_the_limits_of_names_are_the_lengths_of_their_columns():
    assert datasets.c.name.type.length == NAME_MAX
    assert datasets.c.filename.type.length == FILENAME_MAX
    assert dataset_rows.c.regio.type.length == NAME_MAX
    assert checklist_versions.c.saved_by.type.length == NAME_MAX
    assert checklist_versions.c.area_name.type.length == NAME_MAX
    assert checklist_answers.c.actiehouder.type.length == NAME_MAX


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("N" * 300, "De naam van de dataset is 300 tekens lang; hoogstens 200 tekens."),
        ("Nul\x00teken", "De naam van de dataset bevat een teken dat niet is toegestaan: U+0000."),
        (
            "![px](http://evil.example/x.png)",
            "De naam van de dataset bevat tekens die niet zijn toegestaan: '!', '['",
        ),
    ],
)
def test_a_name_the_database_could_refuse_is_refused_first(store, secret, logs, name, message):  # noqa: F811
    with pytest.raises(StoreError) as refused:
        store.datasets.save(name, "cijfers.csv", CSV, secret, actor=OPERATOR)
    assert refused.value.message.startswith(message)
    assert count_rows(store) == (0, 0)
    assert str(SECRET_COUNT) not in logs.text


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("R" * 300, "De regio in rij 2 is 300 tekens lang; hoogstens 200 tekens."),
        ("Noord\x00", "De regio in rij 2 bevat een teken dat niet is toegestaan: U+0000."),
    ],
)
def test_a_row_the_database_could_refuse_is_refused_first(store, secret, logs, region, message):  # noqa: F811
    data = secret.copy()
    data.loc[1, "regio"] = region
    with pytest.raises(StoreError) as refused:
        store.datasets.save("regio's", "cijfers.csv", CSV, data, actor=OPERATOR)
    assert refused.value.message.startswith(message)
    assert count_rows(store) == (0, 0)
    assert str(SECRET_COUNT) not in logs.text


def test_what_fits_the_columns_saves_on_both_databases_and_loads_back(store, secret):  # noqa: F811
    name = "Súdwest-Fryslân & ’s-Hertogenbosch " + "é" * (NAME_MAX - 35)
    data = secret.copy()
    data.loc[1, "regio"] = "Regio " + "ë" * (NAME_MAX - 6)
    info = store.datasets.save(name, "c" * 600 + ".csv", CSV, data, actor=OPERATOR)
    assert len(info.name) == NAME_MAX and len(info.filename) == FILENAME_MAX
    loaded = store.datasets.load(info.id)
    assert loaded.loc[1, "regio"] == data.loc[1, "regio"]
    assert loaded.loc[0, "gesignaleerd"] == SECRET_COUNT


def test_a_refusal_by_the_database_itself_is_dutch_and_shows_no_values(store, secret, logs):  # noqa: F811
    broken = secret.copy()
    broken.loc[2, "gesignaleerd"] = -1  # passes the checks; the CHECK constraint refuses it
    with pytest.raises(StoreError) as refused:
        store.datasets.save("kapot", "kapot.csv", CSV, broken, actor=OPERATOR)
    assert refused.value.message.startswith("De dataset kon niet worden opgeslagen")
    assert "Er is niets opgeslagen." in refused.value.message
    cause = str(refused.value.__cause__)
    assert str(SECRET_COUNT) not in cause and "parameters hidden" in cause
    assert count_rows(store) == (0, 0)
    assert str(SECRET_COUNT) not in logs.text


def test_the_statement_log_never_holds_the_values(store, secret, logs):  # noqa: F811
    store.datasets.save("geheim", "cijfers.csv", CSV, secret, actor=OPERATOR)
    # The log is on (PostgreSQL takes the rows by COPY, other databases by INSERT) ...
    assert "INSERT INTO dataset_rows" in logs.text or "COPY dataset_rows" in logs.text
    assert str(SECRET_COUNT) not in logs.text and "geheim" not in logs.text  # ... the data is not


def test_checklist_texts_that_may_not_be_stored_are_refused_in_dutch(store, logs):  # noqa: F811
    answers = pd.DataFrame(
        {"item_id": ["kennis_erkenning"], "status": ["ja"], "toelichting": ["x" * 1_001]}
    )
    with pytest.raises(StoreError, match=r"^De toelichting bij '.+' is 1\.001 tekens lang"):
        store.checklists.save(
            "GM0193", "Zwolle", "nji_loverboy", answers, based_on=0, actor=OPERATOR
        )
    answers["toelichting"] = ["In orde; =SOM(A1) * 2 [zie notulen]"]  # free text may hold this
    answers["actiehouder"] = ["Wethouder\x00"]
    with pytest.raises(StoreError, match=r"^De actiehouder bij '.+' bevat een teken"):
        store.checklists.save(
            "GM0193", "Zwolle", "nji_loverboy", answers, based_on=0, actor=OPERATOR
        )
    answers["actiehouder"] = ["Wethouder"]
    with pytest.raises(StoreError, match=r"^Uw naam is 300 tekens lang; hoogstens 200 tekens"):
        store.checklists.save(
            "GM0193",
            "Zwolle",
            "nji_loverboy",
            answers,
            based_on=0,
            saved_by="A" * 300,
            actor=OPERATOR,
        )
    assert store.checklists.latest_version("GM0193", "nji_loverboy") == 0
    assert (
        store.checklists.save(
            "GM0193",
            "Zwolle",
            "nji_loverboy",
            answers,
            based_on=0,
            saved_by="  Anna   de Vries ",
            actor=OPERATOR,
        )
        == 1
    )
    saved = store.checklists.load("GM0193", "nji_loverboy")
    assert saved.saved_by == "Anna de Vries"
    assert saved.answers.loc[0, "toelichting"] == "In orde; =SOM(A1) * 2 [zie notulen]"
    with store.engine.connect() as connection:
        assert connection.execute(
            sa.select(sa.func.count()).select_from(checklist_answers)
        ).scalar()
    assert "Wethouder" not in logs.text
