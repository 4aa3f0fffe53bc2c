"""The rules: what each role may do. Pure functions of an :class:`Actor`; the store and the
views call them and raise :class:`AccessDenied` with these Dutch messages."""

from __future__ import annotations

from loverboy_stats.access.actor import AccessDenied, Actor, Role

UNPROTECTED_REFUSED = (
    "Uw rol mag de publicatiemodus niet uitzetten: alle cijfers blijven afgeschermd."
)
ADMIN_REFUSED = "Alleen een beheerder mag dit doen."


def may_unprotect_all(actor: Actor | None) -> bool:
    """Whether ``actor`` may see every count unprotected (publication mode off): beheerder."""
    return actor is not None and actor.role == Role.BEHEERDER


def may_see_own_unprotected(actor: Actor | None) -> bool:
    """Whether ``actor`` may see its own municipalities' counts unprotected: an invoerder
    (for its own areas) or a beheerder (for all)."""
    return actor is not None and actor.role in (Role.INVOERDER, Role.BEHEERDER)


def may_upload(actor: Actor | None) -> bool:
    """Whether ``actor`` may store datasets (for its own organisation)."""
    return may_see_own_unprotected(actor)


def may_change_dataset(actor: Actor | None, owner_id: int) -> bool:
    """Whether ``actor`` may rename or delete a dataset of organisation ``owner_id``."""
    if actor is None or actor.role == Role.LEZER:
        return False
    return actor.role == Role.BEHEERDER or actor.organisation_id == owner_id


def may_edit_area(actor: Actor | None, area_code: str, owner_id: int | None = None) -> bool:
    """Whether ``actor`` may save the checklist of ``area_code`` (owned by ``owner_id``, None
    when none was saved yet): a beheerder always; an invoerder for an area of its own
    organisation, or a checklist its organisation owns."""
    if actor is None or actor.role == Role.LEZER:
        return False
    if actor.role == Role.BEHEERDER:
        return True
    own_area = area_code in actor.areas or area_code in actor.municipalities
    return own_area or (owner_id is not None and owner_id == actor.organisation_id)


def require_unprotected(actor: Actor | None) -> None:
    """Refuse unless ``actor`` may see all counts unprotected."""
    if not may_unprotect_all(actor):
        raise AccessDenied(UNPROTECTED_REFUSED)


def require_admin(actor: Actor | None) -> None:
    """Refuse unless ``actor`` is a beheerder."""
    if actor is None or actor.role != Role.BEHEERDER:
        raise AccessDenied(ADMIN_REFUSED)
