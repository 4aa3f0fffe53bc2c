"""Crafted widget values over the real websocket, in Chromium, signed in at a real provider.

Anna is an invoerder of Gemeente Zwolle. Her browser's websocket runs through
:class:`tests.e2e.crafting.Crafter`, which sends the server what a modified browser could: a
click on a button the page drew disabled, a value for a field that is locked, a switch that is
not there. Each attempt on what belongs to Gemeente Kampen must change nothing a user would
notice (Kampen's dataset keeps its name and stays, Kampen's checklist keeps its version and
answers, no small count of a peer reaches the browser). Each test also sends the same kind of
crafted message for Anna's own things, where it must take effect: so a test cannot pass merely
because the server ignored the crafted message.
"""

from __future__ import annotations

import pandas as pd
import pytest

from loverboy_stats.access import local_operator
from loverboy_stats.frameworks import DEFAULT_FRAMEWORK, get_framework
from loverboy_stats.store import Store
from loverboy_stats.uploads import parse_upload
from tests.e2e.conftest import open_checklist_editor
from tests.e2e.crafting import CLICK, Crafter
from tests.e2e.oidc import ACCOUNTS, choose, main_text, sign_in, start_stack
from tests.e2e.test_sign_in import CSV, OWN, PEERS, SHARED_SERVER
from tests.e2e.wire import equals_any, values_in

pytestmark = pytest.mark.browser

OPERATOR = local_operator("e2e")
KAMPEN_DATASET, ZWOLLE_DATASET = "Kampen 2024", "Zwolle 2023"
ZWOLLE_CSV = b"gemeente;jaar;gesignaleerd\nZwolle;2023;120\n"
ITEM = get_framework(DEFAULT_FRAMEWORK).items[0].id
#: What Bert (Kampen) wrote in Kampen's checklist before the tests.
BERTS_NOTE = "Afspraken met de politie staan op papier"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crafted")
    url = f"sqlite:///{workdir / 'gedeeld.sqlite'}"
    store = Store(url)
    people = store.people
    people.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    people.add_organisation(OPERATOR, "Gemeente Kampen", ["GM0166"])
    names = {a["email"]: a["name"] for a in ACCOUNTS}
    for email, role, organisation in [
        ("anna@zwolle.example", "invoerder", "Gemeente Zwolle"),
        ("bert@kampen.example", "invoerder", "Gemeente Kampen"),
        ("lotte@regio.example", "lezer", "Gemeente Zwolle"),
    ]:
        people.add_user(OPERATOR, email, role, organisation, name=names[email])
    kampen = people.organisation_actor(OPERATOR, "Gemeente Kampen")
    zwolle = people.organisation_actor(OPERATOR, "Gemeente Zwolle")
    datasets = store.datasets
    datasets.save(KAMPEN_DATASET, "k.csv", CSV, parse_upload(CSV, "k.csv").data, actor=kampen)
    own = parse_upload(ZWOLLE_CSV, "z.csv").data
    datasets.save(ZWOLLE_DATASET, "z.csv", ZWOLLE_CSV, own, actor=zwolle)
    answers = pd.DataFrame([{"item_id": ITEM, "status": "ja", "toelichting": BERTS_NOTE}])
    store.checklists.save("GM0166", "Kampen", DEFAULT_FRAMEWORK, answers, based_on=0, actor=kampen)
    store.dispose()
    started = start_stack(workdir, url, env=SHARED_SERVER)
    yield started
    started.stop()


@pytest.fixture
def crafted(person, stack):
    """``crafted(email)``: a browser without cookies or site storage, signed in as ``email``,
    whose websocket runs through a :class:`Crafter`; returns (page, crafter). Each call is
    another person (a slot of its own: tests/e2e/conftest.py), all signed in at once."""
    opened = []

    def open_as(email: str):
        page = person(len(opened))
        opened.append(page)
        crafter = Crafter(page)
        sign_in(page, stack, email)
        return page, crafter

    return open_as


def store_of(stack) -> Store:
    return Store(stack.database_url)


def dataset_names(stack) -> set[str]:
    store = store_of(stack)
    try:
        return {info.name for info in store.datasets.list()}
    finally:
        store.dispose()


def arrived(crafter, numbers: set[int]) -> set[int]:
    values = list(values_in(crafter.frames_received))
    return {n for n in numbers if any(equals_any(v, {n}) for v in values)}


def pick(page, crafter, label: str, option: str) -> None:
    """choose(), and wait for the run it causes (none when ``option`` is already chosen)."""
    if page.get_by_role("combobox", name=label).input_value() != option:
        crafter.after_run(lambda: choose(page, label, option))


def listed(page) -> set[str]:
    """The stored datasets the page offers to choose from."""
    page.get_by_role("combobox", name="Dataset").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    names = set(options.all_inner_texts())
    page.keyboard.press("Escape")
    return names


def test_crafted_clicks_cannot_rename_or_delete_another_organisations_dataset(stack, crafted):
    store = store_of(stack)
    kampen_id = store.datasets.get(KAMPEN_DATASET).id
    zwolle_id = store.datasets.get(ZWOLLE_DATASET).id
    store.dispose()
    page, crafter = crafted("anna@zwolle.example")
    crafter.after_run(lambda: page.goto(f"{stack.app_url}/eigen_cijfers"))
    pick(page, crafter, "Dataset", KAMPEN_DATASET)
    page.get_by_text("Deze dataset hoort bij Gemeente Kampen").wait_for()
    widget = {key: crafter.widget(key=f"{key}_{kampen_id}") for key in
              ("name", "rename", "sure", "delete")}  # fmt: skip
    assert all(w.disabled for w in widget.values()), widget

    crafter.send({widget["name"].id: "Van Zwolle", widget["rename"].id: CLICK})
    crafter.send({widget["sure"].id: True, widget["delete"].id: CLICK})

    assert {KAMPEN_DATASET, ZWOLLE_DATASET} <= dataset_names(stack)
    assert "Van Zwolle" not in dataset_names(stack)
    crafter.after_run(page.reload)  # a new session: what the store holds now
    assert listed(page) == {KAMPEN_DATASET, ZWOLLE_DATASET}

    # The same crafted messages for Zwolle's own dataset do take effect: the delete button is
    # drawn disabled until "Ja, verwijder" is ticked, and the crafted message ticks it itself.
    pick(page, crafter, "Dataset", ZWOLLE_DATASET)
    own = {key: crafter.widget(key=f"{key}_{zwolle_id}") for key in
           ("name", "rename", "sure", "delete")}  # fmt: skip
    assert own["delete"].disabled and not own["rename"].disabled
    crafter.send({own["name"].id: "Zwolle via bericht", own["rename"].id: CLICK})
    assert "Zwolle via bericht" in dataset_names(stack)
    page.get_by_text("Ja, verwijder 'Zwolle via bericht'").wait_for()
    crafter.send({own["sure"].id: True, own["delete"].id: CLICK})
    assert dataset_names(stack) == {KAMPEN_DATASET}
    assert listed(page) == {KAMPEN_DATASET}


def test_a_crafted_save_leaves_another_organisations_checklist_alone(stack, crafted):
    page, crafter = crafted("anna@zwolle.example")
    crafter.after_run(lambda: page.goto(f"{stack.app_url}/gemeenteprofiel"))
    pick(page, crafter, "Gemeente of jeugdregio", "Kampen")
    page.get_by_text("U kunt deze checklist lezen, niet wijzigen: Kampen hoort niet").wait_for()
    crafter.after_run(lambda: open_checklist_editor(page))  # stays open for Zwolle below
    save = crafter.widget(label="Checklist opslaan")
    note = crafter.widget(key=f"gp_GM0166_{DEFAULT_FRAMEWORK}_1_{ITEM}_toelichting")
    assert save.disabled

    crafter.send({note.id: "Door Zwolle overschreven", save.id: CLICK})

    assert "Checklist opgeslagen" not in main_text(page)
    store = store_of(stack)
    kampen = store.checklists.load("GM0166", DEFAULT_FRAMEWORK)
    assert kampen.version == 1
    assert kampen.answers.set_index("item_id").loc[ITEM, "toelichting"] == BERTS_NOTE

    # The same crafted message for Zwolle's own checklist is saved.
    pick(page, crafter, "Gemeente of jeugdregio", "Zwolle")
    page.get_by_role("button", name="Checklist opslaan").wait_for()
    save = crafter.widget(label="Checklist opslaan")
    note = crafter.widget(key=f"gp_GM0193_{DEFAULT_FRAMEWORK}_0_{ITEM}_toelichting")
    crafter.send({note.id: "Via een eigen bericht", save.id: CLICK})
    page.get_by_text("Checklist opgeslagen als versie 1").wait_for()
    zwolle = store.checklists.load("GM0193", DEFAULT_FRAMEWORK)
    assert zwolle.answers.set_index("item_id").loc[ITEM, "toelichting"] == "Via een eigen bericht"
    assert store.checklists.load("GM0166", DEFAULT_FRAMEWORK).version == 1
    store.dispose()


def test_a_crafted_switch_shows_a_lezer_no_count_and_an_invoerder_only_its_own(stack, crafted):
    # Anna (invoerder) has the switch; switched off by a crafted message, Zwolle's own counts
    # arrive (the check sees counts when they are sent), Kampen's and the others' never.
    anna, anna_wire = crafted("anna@zwolle.example")
    anna_wire.after_run(lambda: anna.goto(f"{stack.app_url}/eigen_cijfers"))
    pick(anna, anna_wire, "Dataset", KAMPEN_DATASET)
    switch = anna_wire.widget(key="publication_mode")
    anna_wire.send({switch.id: False})
    anna.get_by_text("Uw eigen gemeenten, zonder afscherming").wait_for()
    assert arrived(anna_wire, OWN) == OWN
    assert arrived(anna_wire, PEERS) == set()

    # Lotte (lezer) has no switch; the same crafted value changes nothing for her.
    lotte, lotte_wire = crafted("lotte@regio.example")
    lotte_wire.after_run(lambda: lotte.goto(f"{stack.app_url}/eigen_cijfers"))
    pick(lotte, lotte_wire, "Dataset", KAMPEN_DATASET)
    assert not [w for w in lotte_wire.widgets() if w.id == switch.id]
    lotte_wire.send({switch.id: False})
    assert "zonder afscherming" not in main_text(lotte)
    assert "Publicatiemodus staat uit" not in lotte.inner_text("body")
    assert arrived(lotte_wire, OWN | PEERS) == set()
