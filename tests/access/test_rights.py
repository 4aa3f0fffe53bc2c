"""The rules of each role, without a database: what a lezer, an invoerder and a beheerder may
do, and which municipalities an organisation's areas cover."""

from __future__ import annotations

import pytest

from loverboy_stats.access import (
    LOCAL_USER,
    AccessDenied,
    Actor,
    Role,
    area_label,
    check_area_code,
    local_operator,
    may_change_dataset,
    may_edit_area,
    may_see_own_unprotected,
    may_unprotect_all,
    may_upload,
    municipalities_of,
    require_admin,
    require_unprotected,
)
from loverboy_stats.reference import load_municipalities

ZWOLLE, KAMPEN = "GM0193", "GM0166"


def actor(role: Role, organisation_id: int = 2, areas=(ZWOLLE,)) -> Actor:
    return Actor(
        name=f"{role}@regio.example",
        role=role,
        organisation_id=organisation_id,
        areas=frozenset(areas),
        municipalities=municipalities_of(areas),
        user_id=7,
    )


def test_a_lezer_may_only_look_in_publication_mode():
    lezer = actor(Role.LEZER)
    assert not may_unprotect_all(lezer) and not may_see_own_unprotected(lezer)
    assert not may_upload(lezer)
    assert not may_change_dataset(lezer, 2) and not may_edit_area(lezer, ZWOLLE)
    with pytest.raises(AccessDenied, match="mag de publicatiemodus niet uitzetten"):
        require_unprotected(lezer)
    with pytest.raises(AccessDenied, match="Alleen een beheerder"):
        require_admin(lezer)


def test_an_invoerder_keeps_its_own_organisation_and_areas_only():
    invoerder = actor(Role.INVOERDER)
    assert may_upload(invoerder) and may_see_own_unprotected(invoerder)
    assert not may_unprotect_all(invoerder)
    assert may_change_dataset(invoerder, 2) and not may_change_dataset(invoerder, 3)
    assert may_edit_area(invoerder, ZWOLLE) and not may_edit_area(invoerder, KAMPEN)
    # A checklist its organisation already owns stays its own, whatever the area.
    assert may_edit_area(invoerder, KAMPEN, owner_id=2)
    assert not may_edit_area(invoerder, KAMPEN, owner_id=3)
    with pytest.raises(AccessDenied):
        require_unprotected(invoerder)


def test_a_beheerder_the_local_user_and_the_command_line_may_do_everything():
    for who in (actor(Role.BEHEERDER), LOCAL_USER, local_operator("Piet")):
        assert may_unprotect_all(who) and may_change_dataset(who, 99)
        assert may_edit_area(who, KAMPEN, owner_id=99)
        require_unprotected(who)
        require_admin(who)
    assert local_operator("Piet").name == "opdrachtregel: Piet"
    assert local_operator().name.startswith("opdrachtregel: ")
    assert not may_unprotect_all(None) and not may_edit_area(None, ZWOLLE)


def test_a_region_covers_all_its_municipalities():
    table = load_municipalities()
    region = table.loc[ZWOLLE, "jeugdregiocode"]
    members = set(table.index[table["jeugdregiocode"] == region])
    assert municipalities_of([region]) == members and ZWOLLE in members
    invoerder = actor(Role.INVOERDER, areas=(region,))
    assert all(may_edit_area(invoerder, code) for code in members)
    assert may_edit_area(invoerder, region)
    outside = next(c for c in table.index if c not in members)
    assert not may_edit_area(invoerder, outside)


def test_area_codes_are_checked_and_named():
    assert check_area_code(" gm0193 ") == ZWOLLE
    assert area_label(ZWOLLE) == "Zwolle (gemeente)"
    for wrong in ("GM9999", "XX12", ""):
        with pytest.raises(ValueError, match="Onbekende gebiedscode"):
            check_area_code(wrong)
