"""The actor behind every change: a signed-in user, the local single user or the command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from enum import StrEnum

#: The organisation that owns everything stored before organisations existed (schema step 4),
#: and what the command line and the local single-user mode store under by default.
DEFAULT_ORGANISATION_ID = 1
DEFAULT_ORGANISATION_NAME = "Standaardorganisatie"


class Role(StrEnum):
    """The three roles (their values are what the database and the command line use)."""

    LEZER = "lezer"
    INVOERDER = "invoerder"
    BEHEERDER = "beheerder"


#: Dutch description of each role, for the admin page and the command line's help.
ROLE_LABELS: dict[Role, str] = {
    Role.LEZER: "lezer: ziet alles, altijd in publicatiemodus",
    Role.INVOERDER: "invoerder: beheert de datasets en checklists van de eigen organisatie",
    Role.BEHEERDER: "beheerder: gebruikers, organisaties en alle datasets",
}


class AccessDenied(Exception):
    """The actor may not do this; ``message`` is Dutch and fit to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Actor:
    """Who acts, with the rights of ``role`` for ``organisation_id``.

    ``name`` is what the audit trail records (an e-mail address, "opdrachtregel: NAAM" or
    "lokale gebruiker"); ``areas`` are the area codes of the organisation (municipalities
    ``GM....`` or regions ``JZ..``, ``PV..``, ``GG....``, ``VR..``) and ``municipalities``
    the municipality codes they cover. ``user_id`` is None for the local user and the
    command line.
    """

    name: str
    role: Role
    organisation_id: int = DEFAULT_ORGANISATION_ID
    organisation_name: str = DEFAULT_ORGANISATION_NAME
    areas: frozenset[str] = field(default_factory=frozenset)
    municipalities: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    display_name: str = ""

    @property
    def shown_name(self) -> str:
        """The name to greet with: the person's name, else what the audit records."""
        return self.display_name or self.name


def local_operator(name: str | None = None) -> Actor:
    """The command line as a named local operator (default: the login name of the account
    that runs it), with a beheerder's rights."""
    who = (name or "").strip() or _login_name()
    return Actor(name=f"opdrachtregel: {who}", role=Role.BEHEERDER)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "onbekend"


#: The user of the app without sign-in: one person on their own computer.
LOCAL_USER = Actor(name="lokale gebruiker", role=Role.BEHEERDER)
