"""Organisations, their areas and the users of a shared server, managed by a beheerder.

A user is registered by e-mail address with a role and an organisation. At the first sign-in
with that address, *verified* by the identity provider, the registration is bound to the
provider's issuer and subject (the ``iss`` and ``sub`` of the ID token); from then on only
issuer and subject identify the user, so a changed or re-used e-mail address cannot take over an
account. A beheerder can also register issuer and subject directly.

Every change is made by an :class:`~loverboy_stats.access.Actor` with a beheerder's rights,
recorded in the audit trail in the same transaction, and counted as a change of topic
``access`` (:mod:`~loverboy_stats.store.changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.access import (
    AccessDenied,
    Actor,
    Role,
    area_label,
    check_area_code,
    municipalities_of,
    require_admin,
)
from loverboy_stats.store.audit import AuditLog, record
from loverboy_stats.store.changes import bump
from loverboy_stats.store.engine import lock_for_writing, now
from loverboy_stats.store.errors import StoreError
from loverboy_stats.store.schema import organisation_areas, organisations, users
from loverboy_stats.textsafe import TextError, check_name

EMAIL_MAX = 320


@dataclass(frozen=True)
class Organisation:
    """An organisation and the area codes it works for."""

    id: int
    name: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class User:
    """A registered user (``bound``: a sign-in has tied it to issuer and subject)."""

    id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    organisation: str
    bound: bool


def clean_email(email: str) -> str:
    """``email`` in lower case, or a Dutch refusal when it is no plausible address."""
    text = str(email or "").strip().lower()
    local, at, domain = text.partition("@")
    if (
        not (local and at and "." in domain)
        or len(text) > EMAIL_MAX
        or any(c.isspace() for c in text)
    ):
        raise StoreError(f"'{text[:60]}' is geen geldig e-mailadres.")
    return text


def _role(role: str) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise StoreError(
            f"Onbekende rol '{str(role)[:30]}'; kies lezer, invoerder of beheerder."
        ) from None


def _name(text: str, label: str) -> str:
    try:
        return check_name(text, label)
    except TextError as problem:
        raise StoreError(problem.message) from problem


class PeopleRepository:
    """Organisations and users in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._audit = AuditLog(engine)

    # -- who is this? -----------------------------------------------------------------------

    def actor_for(
        self, issuer: str, subject: str, email: str = "", email_verified: bool = False
    ) -> Actor | None:
        """The actor of a signed-in identity, or None when the dashboard does not know it.

        A registration by e-mail that no sign-in has bound yet is bound now, when the
        provider says the address is verified (recorded as ``user_bound``).
        """
        issuer, subject = str(issuer or ""), str(subject or "")
        if not issuer or not subject:
            return None
        with self.engine.connect() as connection:  # every rerun: a read, no write lock
            row = connection.execute(
                sa.select(users).where(users.c.issuer == issuer, users.c.subject == subject)
            ).first()
            if row is not None:
                return self._actor(connection, row)
        if not (email and email_verified):
            return None
        with self.engine.begin() as connection:
            lock_for_writing(connection)
            row = connection.execute(
                sa.select(users).where(
                    users.c.email == str(email).strip().lower(), users.c.subject.is_(None)
                )
            ).first()
            if row is None:
                return None
            connection.execute(
                sa.update(users).where(users.c.id == row.id).values(issuer=issuer, subject=subject)
            )
            actor = self._actor(connection, row)
            record(connection, actor, "user_bound", row.email, f"uitgever {issuer}")
            bump(connection, "access")
            return actor

    def _actor(self, connection: Connection, row) -> Actor:
        organisation = self._organisation(connection, row.organisation_id)
        return Actor(
            name=row.email,
            role=Role(row.role),
            organisation_id=organisation.id,
            organisation_name=organisation.name,
            areas=frozenset(organisation.areas),
            municipalities=municipalities_of(organisation.areas),
            user_id=row.id,
            display_name=row.name,
        )

    def organisation_actor(self, actor: Actor, organisation: str | int | None) -> Actor:
        """``actor`` (the command line) acting for ``organisation`` (name or id; None: as
        it is), with that organisation's areas."""
        if organisation is None:
            return actor
        with self.engine.connect() as connection:
            found = self._organisation(connection, organisation)
        return replace(
            actor,
            organisation_id=found.id,
            organisation_name=found.name,
            areas=frozenset(found.areas),
            municipalities=municipalities_of(found.areas),
        )

    # -- organisations ----------------------------------------------------------------------

    def organisations(self) -> list[Organisation]:
        """All organisations, by name."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(organisations.c.id).order_by(organisations.c.name)
            ).all()
            return [self._organisation(connection, r.id) for r in rows]

    def _organisation(self, connection: Connection, key: int | str) -> Organisation:
        condition = (
            organisations.c.id == key if isinstance(key, int) else organisations.c.name == key
        )
        row = connection.execute(sa.select(organisations).where(condition)).first()
        if row is None:
            raise StoreError(f"Organisatie '{key}' bestaat niet.")
        areas = connection.execute(
            sa.select(organisation_areas.c.area_code)
            .where(organisation_areas.c.organisation_id == row.id)
            .order_by(organisation_areas.c.area_code)
        ).scalars()
        return Organisation(row.id, row.name, tuple(areas))

    def add_organisation(self, actor: Actor, name: str, areas=()) -> Organisation:
        """A new organisation with ``areas`` (area codes)."""
        self._require_admin(actor, f"organisatie '{name}' toevoegen")
        name = _name(name, "De naam van de organisatie")
        if not name:
            raise StoreError("Geef de organisatie een naam.")
        codes = _areas(areas)
        with self.engine.begin() as connection:
            lock_for_writing(connection)
            if connection.execute(
                sa.select(organisations.c.id).where(organisations.c.name == name)
            ).first():
                raise StoreError(f"Er is al een organisatie '{name}'.")
            new_id = connection.execute(
                sa.insert(organisations)
                .values(name=name, created_at=now())
                .returning(organisations.c.id)
            ).scalar_one()
            self._write_areas(connection, new_id, codes)
            record(
                connection, actor, "organisation_add", name, _areas_text(codes),
                organisation_id=new_id,
            )  # fmt: skip
            bump(connection, "access")
            return self._organisation(connection, new_id)

    def set_areas(self, actor: Actor, organisation: str | int, areas) -> Organisation:
        """Replace the areas of ``organisation`` (name or id)."""
        self._require_admin(actor, f"gebieden van organisatie '{organisation}' wijzigen")
        codes = _areas(areas)
        with self.engine.begin() as connection:
            found = self._organisation(connection, organisation)
            connection.execute(
                sa.delete(organisation_areas).where(
                    organisation_areas.c.organisation_id == found.id
                )
            )
            self._write_areas(connection, found.id, codes)
            record(
                connection, actor, "organisation_areas", found.name, _areas_text(codes),
                organisation_id=found.id,
            )  # fmt: skip
            bump(connection, "access")
            return self._organisation(connection, found.id)

    @staticmethod
    def _write_areas(connection: Connection, organisation_id: int, codes: list[str]) -> None:
        if codes:
            connection.execute(
                sa.insert(organisation_areas),
                [{"organisation_id": organisation_id, "area_code": c} for c in codes],
            )

    # -- users ------------------------------------------------------------------------------

    def users(self) -> list[User]:
        """All registered users, by e-mail address."""
        query = (
            sa.select(users, organisations.c.name.label("organisation"))
            .join(organisations, organisations.c.id == users.c.organisation_id)
            .order_by(users.c.email)
        )
        with self.engine.connect() as connection:
            return [_user(row) for row in connection.execute(query)]

    def add_user(
        self,
        actor: Actor,
        email: str,
        role: str,
        organisation: str | int,
        *,
        name: str = "",
        issuer: str | None = None,
        subject: str | None = None,
    ) -> User:
        """Register a user (by e-mail; optionally already bound to ``issuer`` + ``subject``)."""
        self._require_admin(actor, f"gebruiker '{email}' toevoegen")
        email, role_ = clean_email(email), _role(role)
        name = _name(name, "De naam van de gebruiker")
        if (issuer is None) != (subject is None):
            raise StoreError("Geef uitgever (issuer) en subject samen, of geen van beide.")
        with self.engine.begin() as connection:
            lock_for_writing(connection)
            found = self._organisation(connection, organisation)
            if connection.execute(sa.select(users.c.id).where(users.c.email == email)).first():
                raise StoreError(f"Er is al een gebruiker met e-mailadres '{email}'.")
            if (
                issuer is not None
                and connection.execute(
                    sa.select(users.c.id).where(
                        users.c.issuer == issuer, users.c.subject == subject
                    )
                ).first()
            ):
                raise StoreError("Deze uitgever en dit subject horen al bij een gebruiker.")
            connection.execute(
                sa.insert(users).values(
                    email=email,
                    name=name,
                    role=str(role_),
                    organisation_id=found.id,
                    issuer=issuer,
                    subject=subject,
                    created_at=now(),
                )
            )
            record(
                connection, actor, "user_add", email, f"rol {role_}, organisatie {found.name}",
                organisation_id=found.id,
            )  # fmt: skip
            bump(connection, "access")
        return self.user(email)

    def change_user(
        self,
        actor: Actor,
        email: str,
        *,
        role: str | None = None,
        organisation: str | int | None = None,
    ) -> User:
        """Give a user another role and/or organisation. A beheerder cannot change their own
        account (so that no one locks the last beheerder out by accident)."""
        self._require_admin(actor, f"gebruiker '{email}' wijzigen")
        current = self.user(email)
        if actor.user_id is not None and actor.user_id == current.id:
            raise StoreError("U kunt uw eigen rol of organisatie niet wijzigen.")
        new_role = current.role if role is None else _role(role)
        with self.engine.begin() as connection:
            found = (
                self._organisation(connection, current.organisation_id)
                if organisation is None
                else self._organisation(connection, organisation)
            )
            connection.execute(
                sa.update(users)
                .where(users.c.id == current.id)
                .values(role=str(new_role), organisation_id=found.id)
            )
            changes = [f"rol {current.role} → {new_role}"] if new_role != current.role else []
            if found.id != current.organisation_id:
                changes.append(f"organisatie {current.organisation} → {found.name}")
            detail = ", ".join(changes) or "niets gewijzigd"
            record(
                connection, actor, "user_change", current.email, detail, organisation_id=found.id
            )
            bump(connection, "access")
        return self.user(current.email)

    def remove_user(self, actor: Actor, email: str) -> None:
        """Remove a registration (not one's own)."""
        self._require_admin(actor, f"gebruiker '{email}' verwijderen")
        current = self.user(email)
        if actor.user_id is not None and actor.user_id == current.id:
            raise StoreError("U kunt uw eigen account niet verwijderen.")
        with self.engine.begin() as connection:
            connection.execute(sa.delete(users).where(users.c.id == current.id))
            record(
                connection, actor, "user_remove", current.email, f"was {current.role}",
                organisation_id=current.organisation_id,
            )  # fmt: skip
            bump(connection, "access")

    def user(self, email: str) -> User:
        """The user with ``email``; a Dutch :class:`StoreError` when there is none."""
        address = str(email or "").strip().lower()
        query = (
            sa.select(users, organisations.c.name.label("organisation"))
            .join(organisations, organisations.c.id == users.c.organisation_id)
            .where(users.c.email == address)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise StoreError(f"Er is geen gebruiker met e-mailadres '{address[:60]}'.")
        return _user(row)

    def _require_admin(self, actor: Actor, subject: str) -> None:
        try:
            require_admin(actor)
        except AccessDenied as refused:
            self._audit.refusal(actor, subject, refused.message)
            raise


def _areas(areas) -> list[str]:
    try:
        return sorted({check_area_code(code) for code in areas if str(code).strip()})
    except ValueError as problem:
        raise StoreError(str(problem)) from problem


def _areas_text(codes: list[str]) -> str:
    return "gebieden: " + (", ".join(area_label(c) for c in codes) if codes else "geen")


def _user(row) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        role=Role(row.role),
        organisation_id=row.organisation_id,
        organisation=row.organisation,
        bound=row.subject is not None,
    )
