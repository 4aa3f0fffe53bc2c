"""The audit trail: who did what, when, append-only in the database.

Each change is recorded in the same transaction as the change itself (:func:`record`), so the
trail can neither miss a change nor list one that did not happen. A refusal is recorded in a
transaction of its own (:meth:`AuditLog.refusal`), because the refused change rolls back. The
table refuses UPDATE and DELETE itself (triggers, schema step 4). Entries hold names and
descriptions, never counts from a dataset.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.access import Actor, require_admin
from loverboy_stats.store.engine import as_utc, now
from loverboy_stats.store.schema import audit_log, organisations

#: Action code (stored) -> Dutch description (shown and exported).
ACTION_LABELS: dict[str, str] = {
    "dataset_import": "dataset opgeslagen",
    "dataset_rename": "dataset hernoemd",
    "dataset_delete": "dataset verwijderd",
    "checklist_save": "checklistversie opgeslagen",
    "checklist_restore": "checklistversie hersteld",
    "publication_off": "publicatiemodus uitgezet",
    "user_add": "gebruiker toegevoegd",
    "user_change": "rol of organisatie gewijzigd",
    "user_remove": "gebruiker verwijderd",
    "user_bound": "eerste aanmelding gekoppeld",
    "organisation_add": "organisatie toegevoegd",
    "organisation_areas": "gebieden van organisatie gewijzigd",
    "access_refused": "toegang geweigerd",
}

#: Columns of :meth:`AuditLog.entries`, as shown and exported.
COLUMNS = ["tijd (UTC)", "wie", "rol", "organisatie", "handeling", "wat", "toelichting"]

_LIMITS = {"actor": 400, "subject": 500}


def record(
    connection: Connection,
    actor: Actor,
    action: str,
    subject: str = "",
    detail: str = "",
    *,
    organisation_id: int | None = None,
) -> None:
    """Append one entry in ``connection``'s transaction. ``organisation_id``: the organisation
    the action concerns (default: the actor's)."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown audit action {action!r}")
    connection.execute(
        sa.insert(audit_log).values(
            at=now(),
            actor=actor.name[: _LIMITS["actor"]],
            role=str(actor.role),
            organisation_id=actor.organisation_id if organisation_id is None else organisation_id,
            action=action,
            subject=subject[: _LIMITS["subject"]],
            detail=detail,
        )
    )


class AuditLog:
    """The audit trail in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def refusal(self, actor: Actor, subject: str, reason: str) -> None:
        """Record that ``actor`` was refused ``subject`` (its own transaction)."""
        with self.engine.begin() as connection:
            record(connection, actor, "access_refused", subject, reason)

    def unknown_identity(self, who: str, issuer: str) -> None:
        """Record that an identity the dashboard does not know signed in (and was refused)."""
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(audit_log).values(
                    at=now(),
                    actor=str(who)[: _LIMITS["actor"]],
                    role="onbekend",
                    organisation_id=None,
                    action="access_refused",
                    subject="aanmelden",
                    detail=f"onbekend account (uitgever {str(issuer)[:300]})",
                )
            )

    def append(self, actor: Actor, action: str, subject: str = "", detail: str = "") -> None:
        """Record an action that changes nothing stored (e.g. publication mode switched off)."""
        with self.engine.begin() as connection:
            record(connection, actor, action, subject, detail)

    def entries(
        self, actor: Actor, *, since: dt.datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        """The trail, newest first (:data:`COLUMNS`; the organisation by name). Only a
        beheerder may read it (a refusal is recorded)."""
        if actor.role != "beheerder":
            self.refusal(actor, "logboek", "alleen een beheerder mag het logboek lezen")
        require_admin(actor)
        query = (
            sa.select(audit_log, organisations.c.name.label("organisation"))
            .outerjoin(organisations, organisations.c.id == audit_log.c.organisation_id)
            .order_by(audit_log.c.id.desc())
        )
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return pd.DataFrame(
            [
                [
                    as_utc(r.at).strftime("%d-%m-%Y %H:%M:%S"),
                    r.actor,
                    r.role,
                    r.organisation or "",
                    ACTION_LABELS.get(r.action, r.action),
                    r.subject,
                    r.detail,
                ]
                for r in rows
            ],
            columns=COLUMNS,
        )
