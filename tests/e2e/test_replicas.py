"""Two replicas of the app on one PostgreSQL database, as behind a proxy with sticky sessions:
two real server processes, a real sign-in provider, Chromium.

What one replica changes, the other shows: a dataset imported through one is listed by the
other; a rename through one replaces the name in what the other had already computed for a
session (its caches follow the database's change counters); a checklist saved through one is
refused as stale when the other saves the version it loaded before.

Anna works through the first replica and Hans through the second. (Streamlit binds its
sign-in cookie to the origin of ``redirect_uri``; here each replica has its own port, so each
browser signs in at its own replica. Behind a proxy both replicas share one origin.)
"""

from __future__ import annotations

import time

import pytest

from loverboy_stats.access import local_operator
from loverboy_stats.store import Store
from tests.e2e.conftest import open_checklist_editor, wait_until_ready
from tests.e2e.oidc import choose, sign_in, start_stack
from tests.e2e.wire import values_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

OPERATOR = local_operator("e2e")
UPLOAD = b"gemeente;jaar;gesignaleerd\nZwolle;2023;120\nKampen;2023;140\n"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, database):
    store = Store(database)
    store.people.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    store.people.add_user(
        OPERATOR, "anna@zwolle.example", "invoerder", "Gemeente Zwolle", name="Anna Invoerder"
    )
    store.people.add_user(
        OPERATOR, "hans@regio.example", "beheerder", "Gemeente Zwolle", name="Hans Beheerder"
    )
    store.dispose()
    started = start_stack(tmp_path_factory.mktemp("replicas"), database, replicas=2)
    yield started
    started.stop()


@pytest.fixture
def people(person, stack):
    """Anna (invoerder of Zwolle) signed in through the first replica, Hans (beheerder)
    through the second, each in a browser of their own that started without cookies; the
    second's page records every websocket frame it receives."""
    pages = []
    for slot, (email, url) in enumerate((("anna@zwolle.example", stack.app_urls[0]),
                                         ("hans@regio.example", stack.app_urls[1]))):  # fmt: skip
        page = person(slot)
        sign_in(page, stack, email, app_url=url)
        pages.append(page)
    second = pages[1]
    second.frames_received = []
    second.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda frame: second.frames_received.append(frame)),
    )
    return pages


def open_page(page, url: str, **wait) -> None:
    page.goto(url)
    wait_until_ready(page, **wait)


def to_page(page, name: str, **wait) -> None:
    """Through the sidebar: the same session, so whatever it kept stays unless invalidated."""
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=name).click()
    wait_until_ready(page, **wait)


def test_an_import_and_a_rename_through_one_replica_show_in_the_other(stack, people):
    first, second = people
    open_page(second, f"{stack.app_urls[1]}/vergelijken", charts=1, timeout=120_000)
    second.get_by_role("combobox", name="Dataset").click()
    assert second.get_by_role("option", name="Zwolle 2023").count() == 0
    second.keyboard.press("Escape")

    open_page(first, f"{stack.app_urls[0]}/eigen_cijfers")
    first.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": "zwolle.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
    )
    first.get_by_text("Gecontroleerd: 2 rijen").wait_for(timeout=60_000)
    first.get_by_role("textbox", name="Naam van de dataset").fill("Zwolle 2023")
    first.get_by_role("button", name="Opslaan").click()
    first.get_by_text("Opgeslagen als 'Zwolle 2023'").wait_for(timeout=30_000)

    # The second replica's session lists it, and computes its charts.
    to_page(second, "Eigen cijfers")
    to_page(second, "Vergelijken", charts=1, timeout=120_000)
    choose(second, "Dataset", "Zwolle 2023")
    wait_until_ready(second, charts=1, timeout=120_000)
    second.frames_received.clear()
    choose(second, "Indicator", "Gesignaleerd per 10.000")
    arrived(second, "eigen cijfers 'Zwolle 2023'")

    # Renamed through the first replica: the second's next run no longer shows the old name,
    # also not in the charts built from what its session had kept.
    choose(first, "Dataset", "Zwolle 2023")
    first.get_by_role("textbox", name="Nieuwe naam").fill("Zwolle jaarcijfers")
    first.get_by_role("button", name="Naam wijzigen").click()
    first.get_by_text("Ja, verwijder 'Zwolle jaarcijfers'").wait_for(timeout=30_000)
    second.frames_received.clear()
    choose(second, "Indicator", "Signaleringsratio")
    arrived(second, "eigen cijfers 'Zwolle jaarcijfers'")
    wait_until_ready(second, charts=1, timeout=120_000)
    assert not any("Zwolle 2023" in str(v) for v in values_in(second.frames_received))


def arrived(page, text: str, timeout: float = 120) -> None:
    """Wait until a value holding ``text`` reached ``page`` through its websocket."""
    deadline = time.monotonic() + timeout
    while not any(text in str(v) for v in values_in(page.frames_received)):
        assert time.monotonic() < deadline, f"{text!r} never arrived"
        page.wait_for_timeout(250)


def test_a_checklist_saved_through_one_replica_is_stale_in_the_other(stack, people):
    first, second = people
    for page, url in ((first, stack.app_urls[0]), (second, stack.app_urls[1])):
        open_page(page, f"{url}/gemeenteprofiel", timeout=120_000)
        choose(page, "Gemeente of jeugdregio", "Zwolle")
        open_checklist_editor(page)

    first.get_by_test_id("stRadio").nth(0).get_by_text("ja", exact=True).click()
    first.get_by_role("button", name="Checklist opslaan").click()
    first.get_by_text("Checklist opgeslagen als versie 1").wait_for(timeout=30_000)

    second.get_by_test_id("stRadio").nth(0).get_by_text("nee", exact=True).click()
    second.get_by_role("button", name="Checklist opslaan").click()
    second.get_by_text("Deze checklist is intussen door iemand anders gewijzigd").wait_for(
        timeout=30_000
    )
    # Reloaded, the second replica edits version 1 and saves version 2.
    second.get_by_role("button", name="Opnieuw laden").click()
    second.get_by_text("Zwolle · versie 1, opgeslagen").wait_for(timeout=30_000)
    wait_until_ready(second)
    second.get_by_test_id("stRadio").nth(0).get_by_text("nee", exact=True).click()
    second.get_by_role("button", name="Checklist opslaan").click()
    second.get_by_text("Checklist opgeslagen als versie 2").wait_for(timeout=30_000)
