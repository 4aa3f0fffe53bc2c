"""Publication mode per role in the views: unprotected tables only for a beheerder, and an
invoerder's own municipalities unprotected in a view of their own while every other row stays
exactly as publication mode publishes it."""

from __future__ import annotations

import pandas as pd
import pytest

from loverboy_stats.access import LOCAL_USER, AccessDenied, Actor, Role, municipalities_of
from loverboy_stats.schema import COUNT_COLUMNS
from loverboy_stats.views import compare
from loverboy_stats.views.datasets import (
    OWN_UNPROTECTED,
    PROTECTED,
    SHOWN_AS,
    as_shown,
    dataset_for,
    own_rows,
    published_dataset,
)
from tests.fixtures.datasets import partial_upload
from tests.fixtures.patterns import SHARED


def person(role: Role, areas=()) -> Actor:
    return Actor(
        name=f"{role}@regio.example",
        role=role,
        organisation_id=2,
        areas=frozenset(areas),
        municipalities=municipalities_of(areas),
        user_id=3,
    )


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return partial_upload()


def small_cells(frame: pd.DataFrame) -> int:
    values = frame[list(COUNT_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    return int(((values >= 1) & (values <= 4)).sum().sum())


def test_unprotected_tables_are_refused_to_all_but_a_beheerder(data):
    for who in (None, person(Role.LEZER), person(Role.INVOERDER, ["GM0193"])):
        with pytest.raises(AccessDenied, match="mag de publicatiemodus niet uitzetten"):
            compare.build_tables(data, publication=False, demo=False, viewer=who)
        with pytest.raises(AccessDenied):
            published_dataset(data, False, viewer=who)
        # Publication mode on is for everyone.
        assert small_cells(published_dataset(data, True, SHARED)) == 0
    tables = compare.build_tables(data, publication=False, demo=False, viewer=LOCAL_USER)
    assert not tables.publication
    assert small_cells(published_dataset(data, False, viewer=person(Role.BEHEERDER))) > 0


def test_an_invoerder_sees_its_own_municipalities_unprotected_and_nothing_else(data):
    codes = list(data["gemeentecode"].unique())
    own = [c for c in codes if small_cells(data[data["gemeentecode"] == c]) > 0][:2]
    invoerder = person(Role.INVOERDER, own)
    published = published_dataset(data, True, SHARED)
    mixed = dataset_for(data, invoerder, unprotected=True, patterns=SHARED)
    mine = data["gemeentecode"].isin(own)
    assert set(mixed.loc[mine, SHOWN_AS]) == {OWN_UNPROTECTED}
    assert set(mixed.loc[~mine, SHOWN_AS]) == {PROTECTED}
    for column in COUNT_COLUMNS:
        # Own rows as stored (small counts included) ...
        assert list(mixed.loc[mine, column].astype(object).fillna(-1)) == list(
            data.loc[mine, column].astype(object).fillna(-1)
        )
        # ... every other row exactly as publication mode publishes it.
        assert list(mixed.loc[~mine, column].astype(object).fillna(-1)) == list(
            published.loc[~mine, column].astype(object).fillna(-1)
        )
    assert small_cells(mixed[mine]) > 0 and small_cells(mixed[~mine]) == 0
    pd.testing.assert_frame_equal(own_rows(data, invoerder), data[mine])
    # Publication mode on: the invoerder gets what everyone gets.
    pd.testing.assert_frame_equal(
        dataset_for(data, invoerder, unprotected=False, patterns=SHARED), published
    )


def test_a_lezer_cannot_ask_for_its_own_view(data):
    lezer = person(Role.LEZER, ["GM0193"])
    with pytest.raises(AccessDenied):
        own_rows(data, lezer)
    with pytest.raises(AccessDenied):
        dataset_for(data, lezer, unprotected=True)
    # A beheerder's own view is everything.
    assert len(own_rows(data, person(Role.BEHEERDER))) == len(data)


def test_the_preview_on_screen_holds_text_in_every_count_column(data):
    """Numbers and marks mixed in one column cannot be drawn as one table column (Arrow): on
    screen every count is Dutch text, a hidden one its mark, an unreported one '–'."""
    published = published_dataset(data, True, SHARED)
    shown = as_shown(published)
    for column in COUNT_COLUMNS:
        assert all(isinstance(v, str) for v in shown[column]), column
        for before, after in zip(published[column], shown[column], strict=True):
            if isinstance(before, str):
                assert after == before  # a mark stays the mark
            elif pd.isna(before):
                assert after == "–"
            else:
                assert after == f"{int(before):,}".replace(",", ".")
    assert (shown[list(COUNT_COLUMNS)] == "<5").any().any()
