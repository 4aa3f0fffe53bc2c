"""Checklist versions on real SQLite and PostgreSQL: history, restore, conflict refusal.

Reuses the store fixture of tests/test_store.py (SQLite file; PostgreSQL when
``LBS_TEST_POSTGRES_URL`` is set, required when ``CI=true``).
"""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest

from loverboy_stats.checklist import completion, completion_matrix
from loverboy_stats.frameworks import get_framework
from loverboy_stats.store import (
    CONFLICT_MESSAGE,
    SCHEMA_VERSION,
    ChecklistConflict,
    Store,
    StoreError,
)
from tests.fixtures.actors import OPERATOR
from tests.store.test_datasets import store  # noqa: F401  (the SQLite/PostgreSQL fixture)

FW = "nji_loverboy"
ZWOLLE = ("GM0193", "Zwolle")


def answers(**statuses: str) -> pd.DataFrame:
    return pd.DataFrame({"item_id": list(statuses), "status": list(statuses.values())})


def test_tables_come_with_the_migration(store):  # noqa: F811
    assert store.schema_version() == SCHEMA_VERSION >= 2
    assert store.checklists.latest_version(*ZWOLLE[:1], FW) == 0


def test_every_save_is_a_new_version_with_everything_kept(store):  # noqa: F811
    checklists = store.checklists
    empty = checklists.load(ZWOLLE[0], FW, area_name="Zwolle")
    assert empty.version == 0 and set(empty.answers["status"]) == {"onbekend"}

    first = answers(kennis_erkenning="ja", kennis_bestuur="deels")
    first["toelichting"] = ["Vastgesteld in 2024; 'x' & <b>", ""]
    first["actiehouder"] = ["", "Wethouder Jeugd"]
    first["streefdatum"] = [None, dt.date(2025, 12, 31)]
    assert checklists.save(*ZWOLLE, FW, first, based_on=0, saved_by="Anna", actor=OPERATOR) == 1
    assert (
        checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="nee"), based_on=1, actor=OPERATOR)
        == 2
    )

    latest = checklists.load(ZWOLLE[0], FW)
    assert latest.version == 2 and latest.area_name == "Zwolle"
    assert latest.answers.set_index("item_id").loc["kennis_erkenning", "status"] == "nee"
    one = checklists.load(ZWOLLE[0], FW, 1).answers.set_index("item_id")
    assert one.loc["kennis_erkenning", "toelichting"] == "Vastgesteld in 2024; 'x' & <b>"
    assert one.loc["kennis_bestuur", "actiehouder"] == "Wethouder Jeugd"
    assert one.loc["kennis_bestuur", "streefdatum"] == dt.date(2025, 12, 31)
    assert one.loc["opvang_nazorg", "status"] == "onbekend"

    history = checklists.history(ZWOLLE[0], FW)
    assert list(history["versie"]) == [2, 1]
    assert list(history["door"]) == ["", "Anna"]
    assert all(t.tzinfo is not None for t in history["opgeslagen"])
    assert history["opgeslagen"].iloc[0] >= history["opgeslagen"].iloc[1]
    # Another area and another framework have their own numbering.
    assert checklists.save("GM0363", "Amsterdam", FW, first, based_on=0, actor=OPERATOR) == 1
    assert (
        checklists.save(ZWOLLE[0], "Zwolle", "vng_kader", answers(), based_on=0, actor=OPERATOR)
        == 1
    )


def test_restore_is_a_new_version_equal_to_the_old_one(store):  # noqa: F811
    checklists = store.checklists
    checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="ja"), based_on=0, actor=OPERATOR)
    checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="nee"), based_on=1, actor=OPERATOR)
    assert checklists.restore(ZWOLLE[0], FW, 1, based_on=2, saved_by="Bob", actor=OPERATOR) == 3
    restored = checklists.load(ZWOLLE[0], FW)
    assert restored.restored_from == 1 and restored.saved_by == "Bob"
    pd.testing.assert_frame_equal(restored.answers, checklists.load(ZWOLLE[0], FW, 1).answers)
    assert list(checklists.history(ZWOLLE[0], FW)["hersteld_van"].astype(object)) == [
        1,
        pd.NA,
        pd.NA,
    ]
    with pytest.raises(StoreError, match="Versie 9 van deze checklist bestaat niet"):
        checklists.restore(ZWOLLE[0], FW, 9, based_on=3, actor=OPERATOR)


def test_a_save_based_on_an_old_version_is_refused(store):  # noqa: F811
    checklists = store.checklists
    checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="ja"), based_on=0, actor=OPERATOR)
    # Two people opened version 1; the first saves, the second must not overwrite.
    checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="deels"), based_on=1, actor=OPERATOR)
    with pytest.raises(ChecklistConflict) as refused:
        checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="nee"), based_on=1, actor=OPERATOR)
    assert refused.value.message == CONFLICT_MESSAGE
    assert "intussen door iemand anders gewijzigd; laad opnieuw" in CONFLICT_MESSAGE
    with pytest.raises(ChecklistConflict):
        checklists.restore(ZWOLLE[0], FW, 1, based_on=1, actor=OPERATOR)
    latest = checklists.load(ZWOLLE[0], FW)
    assert latest.version == 2
    assert latest.answers.set_index("item_id").loc["kennis_erkenning", "status"] == "deels"


def test_racing_saves_store_exactly_one(store):  # noqa: F811
    # Saves from separate connections at the same moment, all based on version 0: the unique
    # (area, framework, version) lets exactly one through, whatever the timing.
    checklists = store.checklists
    barrier = threading.Barrier(6)
    results: list[object] = []

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            results.append(
                checklists.save(
                    *ZWOLLE, FW, answers(kennis_erkenning="ja"), based_on=0, actor=OPERATOR
                )
            )
        except ChecklistConflict as exc:
            results.append(exc)
        except Exception as exc:  # anything else is a failure, shown by the assert
            results.append(exc)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(1) == 1, results
    assert sum(isinstance(r, ChecklistConflict) for r in results) == 5, results
    assert list(checklists.history(ZWOLLE[0], FW)["versie"]) == [1]


def test_a_refused_answer_stores_nothing(store):  # noqa: F811
    checklists = store.checklists
    with pytest.raises(StoreError, match="Onbekende status 'misschien'"):
        checklists.save(
            *ZWOLLE, FW, answers(kennis_erkenning="misschien"), based_on=0, actor=OPERATOR
        )
    assert checklists.latest_version(ZWOLLE[0], FW) == 0


def test_completion_matrix_lists_only_filled_in_areas(store):  # noqa: F811
    checklists = store.checklists
    assert completion_matrix(get_framework(FW), store.checklists.latest_all(FW)).empty
    framework = get_framework(FW)
    all_yes = answers(**{i.id: "ja" for i in framework.items})
    checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="ja"), based_on=0, actor=OPERATOR)
    checklists.save(*ZWOLLE, FW, all_yes, based_on=1, actor=OPERATOR)
    checklists.save(
        "GM0363", "Amsterdam", FW, answers(kennis_erkenning="deels"), based_on=0, actor=OPERATOR
    )
    matrix = completion_matrix(get_framework(FW), store.checklists.latest_all(FW)).set_index("naam")
    assert list(matrix.index) == ["Amsterdam", "Zwolle"]
    assert matrix.loc["Zwolle", "totaal"] == 1 and matrix.loc["Zwolle", "versie"] == 2
    assert matrix.loc["Amsterdam", "Kennis en bewustwording"] == pytest.approx(0.5 / 4)
    assert matrix.loc["Amsterdam", "totaal"] == pytest.approx(
        completion(framework, answers(kennis_erkenning="deels")).overall
    )
    assert matrix.loc["Amsterdam", "totaal"] == pytest.approx(0.5 / 20)


def test_checklists_survive_reopening_the_store(store):  # noqa: F811
    store.checklists.save(*ZWOLLE, FW, answers(kennis_erkenning="ja"), based_on=0, actor=OPERATOR)
    reopened = Store(store.url)
    try:
        assert reopened.checklists.latest_version(ZWOLLE[0], FW) == 1
    finally:
        reopened.dispose()


def test_the_history_says_what_each_version_changed(store):  # noqa: F811
    from loverboy_stats.textsafe import shorten
    from loverboy_stats.views.checklist import history_display

    checklists = store.checklists
    framework = get_framework(FW)
    first = framework.items[0]
    answers = checklists.load(ZWOLLE[0], FW).answers.copy()
    answers.loc[answers["item_id"] == first.id, ["status", "actiehouder"]] = ["ja", "Anna"]
    checklists.save(*ZWOLLE, FW, answers, based_on=0, actor=OPERATOR)
    checklists.save(*ZWOLLE, FW, answers, based_on=1, actor=OPERATOR)  # no edits
    answers.loc[answers["item_id"] == first.id, "status"] = "deels"
    checklists.save(*ZWOLLE, FW, answers, based_on=2, actor=OPERATOR)
    table = history_display(
        checklists.history(ZWOLLE[0], FW), checklists.all_answers(ZWOLLE[0], FW), framework
    ).set_index("versie")
    text = shorten(first.text, 40)
    assert table.loc[1, "wijzigingen"] == (
        f"{text}: status 'onbekend' → 'ja', actiehouder leeg → 'Anna'"
    )
    assert table.loc[2, "wijzigingen"] == "geen wijzigingen"
    assert table.loc[3, "wijzigingen"] == f"{text}: status 'ja' → 'deels'"
    assert len(table.loc[3, "opgeslagen"]) == len("30-11-2026 00:07:22")
