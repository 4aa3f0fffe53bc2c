"""Organisations, users, rights and the audit trail on real SQLite and PostgreSQL.

Actors come from the store itself (a registered user signing in), as in the app: an invoerder
of Zwolle, one of Kampen, a lezer and a beheerder.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from loverboy_stats.access import AccessDenied, Role
from loverboy_stats.store import SCHEMA_VERSION, Store, StoreError
from loverboy_stats.store.schema import MIGRATIONS, audit_log, checklist_versions, datasets
from tests.fixtures.actors import OPERATOR
from tests.fixtures.postgres import new_schema
from tests.store.test_datasets import CSV, clean, store  # noqa: F401

ISSUER = "https://login.regio.example"
ZWOLLE, KAMPEN = ("GM0193", "Zwolle"), ("GM0166", "Kampen")
FW = "ccv_basisniveau"


@pytest.fixture
def people(store):  # noqa: F811
    """Two organisations and four registered users, bound to the test issuer."""
    p = store.people
    p.add_organisation(OPERATOR, "Gemeente Zwolle", ["GM0193"])
    p.add_organisation(OPERATOR, "Gemeente Kampen", ["gm0166"])
    for email, role, org in [
        ("a@zwolle.example", "invoerder", "Gemeente Zwolle"),
        ("b@kampen.example", "invoerder", "Gemeente Kampen"),
        ("l@zwolle.example", "lezer", "Gemeente Zwolle"),
        ("h@regio.example", "beheerder", "Gemeente Zwolle"),
    ]:
        p.add_user(OPERATOR, email, role, org, issuer=ISSUER, subject=f"sub-{email}")


def actors(store):  # noqa: F811
    """The actors of the four users, as their sign-in finds them."""
    found = {}
    for email in ("a@zwolle.example", "b@kampen.example", "l@zwolle.example", "h@regio.example"):
        found[email[0]] = store.people.actor_for(ISSUER, f"sub-{email}")
    return found


def trail(store) -> pd.DataFrame:  # noqa: F811
    return store.audit.entries(OPERATOR)


def test_registered_users_sign_in_with_their_role_and_areas(store, people):  # noqa: F811
    a = actors(store)
    assert a["a"].role == Role.INVOERDER and a["a"].organisation_name == "Gemeente Zwolle"
    assert a["a"].municipalities == {"GM0193"} and a["b"].areas == {"GM0166"}
    assert a["l"].role == Role.LEZER and a["h"].role == Role.BEHEERDER
    assert a["a"].user_id is not None and a["a"].name == "a@zwolle.example"
    # Another issuer with the same subject is someone else.
    assert store.people.actor_for("https://elders.example", "sub-a@zwolle.example") is None


def test_an_e_mail_registration_is_bound_at_the_first_verified_sign_in(store):  # noqa: F811
    store.people.add_user(OPERATOR, "Nieuw@Zwolle.example", "lezer", "Standaardorganisatie")
    # Not verified by the provider: no access, and nothing bound.
    assert store.people.actor_for(ISSUER, "s-1", "nieuw@zwolle.example", False) is None
    assert not store.people.user("nieuw@zwolle.example").bound
    actor = store.people.actor_for(ISSUER, "s-1", "nieuw@zwolle.example", True)
    assert actor is not None and actor.role == Role.LEZER
    assert store.people.user("nieuw@zwolle.example").bound
    # From now on issuer + subject identify the user, not the address:
    assert store.people.actor_for(ISSUER, "s-1").name == "nieuw@zwolle.example"
    assert store.people.actor_for(ISSUER, "s-2", "nieuw@zwolle.example", True) is None
    assert "eerste aanmelding gekoppeld" in set(trail(store)["handeling"])


def test_only_a_beheerder_manages_people_and_the_refusal_is_recorded(store, people):  # noqa: F811
    a = actors(store)
    for who in (a["a"], a["l"]):
        with pytest.raises(AccessDenied, match="Alleen een beheerder"):
            store.people.add_user(who, "x@y.example", "beheerder", "Gemeente Zwolle")
        with pytest.raises(AccessDenied):
            store.people.change_user(who, "l@zwolle.example", role="beheerder")
        with pytest.raises(AccessDenied):
            store.audit.entries(who)
    assert store.people.user("l@zwolle.example").role == Role.LEZER
    refused = trail(store)
    refused = refused[refused["handeling"] == "toegang geweigerd"]
    assert set(refused["wie"]) == {"a@zwolle.example", "l@zwolle.example"}
    assert len(refused) == 6
    # The beheerder changes others, not their own account (no lock-out by accident).
    store.people.change_user(a["h"], "l@zwolle.example", role="invoerder")
    assert store.people.user("l@zwolle.example").role == Role.INVOERDER
    with pytest.raises(StoreError, match="eigen rol"):
        store.people.change_user(a["h"], "h@regio.example", role="lezer")
    with pytest.raises(StoreError, match="eigen account"):
        store.people.remove_user(a["h"], "h@regio.example")
    store.people.remove_user(a["h"], "b@kampen.example")
    assert store.people.actor_for(ISSUER, "sub-b@kampen.example") is None


def test_bad_input_is_refused_in_dutch(store, people):  # noqa: F811
    p = store.people
    with pytest.raises(StoreError, match="geen geldig e-mailadres"):
        p.add_user(OPERATOR, "geen adres", "lezer", "Gemeente Zwolle")
    with pytest.raises(StoreError, match="Onbekende rol"):
        p.add_user(OPERATOR, "x@y.example", "baas", "Gemeente Zwolle")
    with pytest.raises(StoreError, match="bestaat niet"):
        p.add_user(OPERATOR, "x@y.example", "lezer", "Gemeente Nergens")
    with pytest.raises(StoreError, match="al een gebruiker"):
        p.add_user(OPERATOR, "A@zwolle.example", "lezer", "Gemeente Zwolle")
    with pytest.raises(StoreError, match="al een organisatie"):
        p.add_organisation(OPERATOR, "Gemeente Zwolle")
    with pytest.raises(StoreError, match="Onbekende gebiedscode"):
        p.set_areas(OPERATOR, "Gemeente Zwolle", ["GM9999"])
    assert p.organisations()[0].name == "Gemeente Kampen"  # by name


def test_an_invoerder_changes_only_its_own_datasets(store, people, clean):  # noqa: F811
    a = actors(store)
    own = store.datasets.save("Zwolle 2023", "z.csv", CSV, clean, actor=a["a"])
    other = store.datasets.save("Kampen 2023", "k.csv", CSV + b"\n", clean, actor=a["b"])
    assert (own.organisation, other.organisation) == ("Gemeente Zwolle", "Gemeente Kampen")
    with pytest.raises(AccessDenied, match="hoort bij Gemeente Kampen"):
        store.datasets.rename(other.id, "Van Zwolle", actor=a["a"])
    with pytest.raises(AccessDenied, match="hoort bij Gemeente Kampen"):
        store.datasets.delete(other.id, actor=a["a"])
    with pytest.raises(AccessDenied, match="geen datasets opslaan"):
        store.datasets.save("Lezer", "l.csv", CSV + b"\n\n", clean, actor=a["l"])
    assert {d.name for d in store.datasets.list()} == {"Zwolle 2023", "Kampen 2023"}
    store.datasets.rename(own.id, "Zwolle, nieuw", actor=a["a"])
    store.datasets.rename(other.id, "Kampen, door beheerder", actor=a["h"])
    store.datasets.delete(own.id, actor=a["a"])
    assert [d.name for d in store.datasets.list()] == ["Kampen, door beheerder"]
    log = trail(store)
    assert list(log["handeling"])[:4] == [
        "dataset verwijderd",
        "dataset hernoemd",
        "dataset hernoemd",
        "toegang geweigerd",
    ]
    refused = log[log["handeling"] == "toegang geweigerd"]
    assert set(refused["wat"]) == {
        "dataset 'Kampen 2023' hernoemen",
        "dataset 'Kampen 2023' verwijderen",
        "dataset 'Lezer' opslaan",
    }
    renamed = log[log["handeling"] == "dataset hernoemd"].iloc[0]
    assert renamed["wie"] == "h@regio.example" and renamed["organisatie"] == "Gemeente Kampen"
    assert renamed["toelichting"] == "was 'Kampen 2023'"


def test_an_invoerder_keeps_only_the_checklists_of_its_areas(store, people):  # noqa: F811
    a = actors(store)
    answers = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["ja"]})
    assert store.checklists.save(*ZWOLLE, FW, answers, based_on=0, actor=a["a"]) == 1
    assert store.checklists.load(ZWOLLE[0], FW).saved_by == "a@zwolle.example"
    with pytest.raises(AccessDenied, match="checklist van Kampen niet wijzigen"):
        store.checklists.save(*KAMPEN, FW, answers, based_on=0, actor=a["a"])
    with pytest.raises(AccessDenied):
        store.checklists.save(*ZWOLLE, FW, answers, based_on=1, actor=a["l"])
    with pytest.raises(AccessDenied):
        store.checklists.restore(ZWOLLE[0], FW, 1, based_on=1, actor=a["b"])
    assert store.checklists.latest_version(KAMPEN[0], FW) == 0
    assert store.checklists.latest_version(ZWOLLE[0], FW) == 1
    assert store.checklists.restore(ZWOLLE[0], FW, 1, based_on=1, actor=a["h"]) == 2
    assert store.checklists.owner(ZWOLLE[0], FW) == a["a"].organisation_id
    log = trail(store)
    saved = log[log["handeling"].str.startswith("checklistversie")]
    assert list(saved["handeling"]) == ["checklistversie hersteld", "checklistversie opgeslagen"]
    assert list(saved["toelichting"]) == ["versie 2 (kopie van versie 1)", "versie 1"]
    assert len(set(saved["wat"])) == 1 and set(saved["wat"]).pop().endswith(", Zwolle")
    assert (log["handeling"] == "toegang geweigerd").sum() == 3


def test_the_audit_trail_cannot_be_changed_or_emptied(store):  # noqa: F811
    store.audit.append(OPERATOR, "publication_off", "alle cijfers")
    for statement in (
        sa.update(audit_log).values(actor="iemand anders"),
        sa.delete(audit_log),
    ):
        with pytest.raises(sa.exc.DatabaseError), store.engine.begin() as connection:
            connection.execute(statement)
    [entry] = trail(store).to_dict("records")
    assert (
        entry["wie"] == "opdrachtregel: tests" and entry["handeling"] == "publicatiemodus uitgezet"
    )


def test_every_change_moves_its_counter(store, people, clean):  # noqa: F811
    a = actors(store)
    before = store.changes.current()
    info = store.datasets.save("Zwolle", "z.csv", CSV, clean, actor=a["a"])
    store.datasets.rename(info.id, "Zwolle 2", actor=a["a"])
    answers = pd.DataFrame({"item_id": ["basis_beleid"], "status": ["ja"]})
    store.checklists.save(*ZWOLLE, FW, answers, based_on=0, actor=a["a"])
    store.people.change_user(OPERATOR, "l@zwolle.example", role="invoerder")
    with pytest.raises(AccessDenied):  # a refusal changes nothing
        store.datasets.delete(info.id, actor=a["b"])
    after = store.changes.current()
    assert {k: after[k] - before[k] for k in after} == {
        "datasets": 2,
        "checklists": 1,
        "access": 1,
    }


def _empty_database(store, tmp_path, request) -> str:  # noqa: F811
    """The URL of another empty database on the same server as ``store``."""
    if store.engine.dialect.name == "sqlite":
        return f"sqlite:///{tmp_path / 'oud.sqlite'}"
    url, drop = new_schema(store.url, prefix="o")
    request.addfinalizer(drop)
    return url


def test_step_4_gives_what_was_stored_before_the_default_organisation(
    store,  # noqa: F811
    tmp_path,
    request,
):
    # Rehearse: a database at version 3 with a dataset and a checklist, then step 4.
    old = Store(_empty_database(store, tmp_path, request), migrations=MIGRATIONS[:3])
    moment = dt.datetime.now(dt.UTC)
    with old.engine.begin() as connection:
        connection.execute(
            sa.insert(datasets).values(
                name="oud", filename="oud.csv", sha256="0" * 64, uploaded_at=moment, row_count=0
            )
        )
        connection.execute(
            sa.insert(checklist_versions).values(
                area_code="GM0193", area_name="Zwolle", framework_id=FW, version=1,
                saved_at=moment, saved_by="",
            )
        )  # fmt: skip
    old.dispose()
    upgraded = Store(old.url)
    try:
        assert upgraded.schema_version() == SCHEMA_VERSION == 4
        [info] = upgraded.datasets.list()
        assert (info.name, info.organisation_id, info.organisation) == (
            "oud",
            1,
            "Standaardorganisatie",
        )
        assert upgraded.checklists.owner("GM0193", FW) == 1
        # New organisations get new ids after the default one.
        assert upgraded.people.add_organisation(OPERATOR, "Nieuw").id == 2
    finally:
        upgraded.dispose()
