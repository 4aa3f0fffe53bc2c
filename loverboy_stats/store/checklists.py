"""Versioned checklist answers per area (municipality or region) and framework.

Every save is a new version with a timestamp; nothing is overwritten, so the history can be shown
and an earlier version restored (a restore is a new version equal to the old one).

Optimistic concurrency: a save names the version it was based on. If someone else saved in the
meantime the save is refused with :class:`~loverboy_stats.store.errors.ChecklistConflict`. The
check runs inside the insert's transaction and the unique constraint on (area, framework,
version) makes it race-safe: of two saves based on the same version exactly one gets the number,
the other hits the constraint.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.access import AccessDenied, Actor, may_edit_area
from loverboy_stats.checklist import (
    ANSWER_COLUMNS,
    ChecklistState,
    checked_texts,
    normalise_answers,
)
from loverboy_stats.frameworks import Framework, get_framework
from loverboy_stats.store.audit import AuditLog, record
from loverboy_stats.store.changes import bump
from loverboy_stats.store.engine import as_utc
from loverboy_stats.store.errors import NOT_SAVED_MESSAGE, ChecklistConflict, StoreError
from loverboy_stats.store.schema import checklist_answers, checklist_owners, checklist_versions
from loverboy_stats.textsafe import NAME_MAX, TextError, check_name, check_note


def _state(row, framework_id: str, answers: pd.DataFrame) -> ChecklistState:
    """A ChecklistState from a checklist_versions row and its answers."""
    return ChecklistState(
        area_code=row.area_code,
        area_name=row.area_name,
        framework_id=framework_id,
        version=row.version,
        saved_at=as_utc(row.saved_at),
        saved_by=row.saved_by,
        restored_from=row.restored_from,
        answers=answers,
    )


class ChecklistRepository:
    """Checklist versions in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._audit = AuditLog(engine)

    # -- reading --------------------------------------------------------------------------

    def owner(self, area_code: str, framework_id: str) -> int | None:
        """The organisation the checklist belongs to (None: never saved)."""
        with self.engine.connect() as connection:
            return _owner(connection, area_code, framework_id)

    def may_edit(self, actor: Actor, area_code: str, framework_id: str) -> bool:
        """Whether ``actor`` may save this checklist (see ``access.may_edit_area``)."""
        return may_edit_area(actor, area_code, self.owner(area_code, framework_id))

    def latest_version(self, area_code: str, framework_id: str) -> int:
        """The newest version number (0 when the checklist was never saved)."""
        with self.engine.connect() as connection:
            return self._latest(connection, area_code, framework_id)

    @staticmethod
    def _latest(connection: Connection, area_code: str, framework_id: str) -> int:
        found = connection.execute(
            sa.select(sa.func.max(checklist_versions.c.version)).where(
                checklist_versions.c.area_code == area_code,
                checklist_versions.c.framework_id == framework_id,
            )
        ).scalar()
        return int(found or 0)

    def load(
        self, area_code: str, framework_id: str, version: int | None = None, area_name: str = ""
    ) -> ChecklistState:
        """Version ``version`` (None: the newest). Version 0, or nothing stored, gives the
        empty checklist (every item "onbekend"). Answers are aligned on the framework's items.
        Raises :class:`StoreError` for a version that does not exist.
        """
        framework = get_framework(framework_id)
        with self.engine.connect() as connection:
            if version is None:
                version = self._latest(connection, area_code, framework_id)
            if version == 0:
                return ChecklistState(
                    area_code=area_code,
                    area_name=area_name,
                    framework_id=framework_id,
                    version=0,
                    saved_at=None,
                    saved_by="",
                    restored_from=None,
                    answers=normalise_answers(framework, None),
                )
            row = connection.execute(
                sa.select(checklist_versions).where(
                    checklist_versions.c.area_code == area_code,
                    checklist_versions.c.framework_id == framework_id,
                    checklist_versions.c.version == version,
                )
            ).first()
            if row is None:
                raise StoreError(f"Versie {version} van deze checklist bestaat niet.")
            answers = self._answers(connection, [row.id], framework)[row.id]
        return _state(row, framework_id, answers)

    @staticmethod
    def _answers(
        connection: Connection, version_ids: list[int], framework: Framework
    ) -> dict[int, pd.DataFrame]:
        """The answers of each version in ``version_ids``, read in one query."""
        rows = connection.execute(
            sa.select(
                checklist_answers.c.version_id, *[checklist_answers.c[c] for c in ANSWER_COLUMNS]
            ).where(checklist_answers.c.version_id.in_(version_ids))
        ).all()
        frame = pd.DataFrame(rows, columns=["version_id", *ANSWER_COLUMNS])
        return {
            version_id: normalise_answers(
                framework, frame.loc[frame["version_id"] == version_id, ANSWER_COLUMNS]
            )
            for version_id in version_ids
        }

    def all_answers(self, area_code: str, framework_id: str) -> dict[int, pd.DataFrame]:
        """The answers of every stored version (version -> answers), with version 0 (empty),
        read in two queries: for showing what each version changed."""
        framework = get_framework(framework_id)
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(checklist_versions.c.id, checklist_versions.c.version).where(
                    checklist_versions.c.area_code == area_code,
                    checklist_versions.c.framework_id == framework_id,
                )
            ).all()
            answers = self._answers(connection, [r.id for r in rows], framework)
        out = {0: normalise_answers(framework, None)}
        out.update({r.version: answers[r.id] for r in rows})
        return out

    def history(self, area_code: str, framework_id: str) -> pd.DataFrame:
        """All versions, newest first: versie, opgeslagen (UTC datetime), door, hersteld_van
        (version number or pd.NA)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    checklist_versions.c.version,
                    checklist_versions.c.saved_at,
                    checklist_versions.c.saved_by,
                    checklist_versions.c.restored_from,
                )
                .where(
                    checklist_versions.c.area_code == area_code,
                    checklist_versions.c.framework_id == framework_id,
                )
                .order_by(checklist_versions.c.version.desc())
            ).all()
        return pd.DataFrame(
            {
                "versie": [r.version for r in rows],
                "opgeslagen": [as_utc(r.saved_at) for r in rows],
                "door": [r.saved_by for r in rows],
                "hersteld_van": pd.array([r.restored_from for r in rows], dtype="Int64"),
            }
        )

    def latest_all(self, framework_id: str) -> list[ChecklistState]:
        """The newest version of ``framework_id`` for every area that saved one."""
        framework = get_framework(framework_id)
        newest = (
            sa.select(
                checklist_versions.c.area_code,
                sa.func.max(checklist_versions.c.version).label("version"),
            )
            .where(checklist_versions.c.framework_id == framework_id)
            .group_by(checklist_versions.c.area_code)
            .subquery()
        )
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(checklist_versions)
                .join(
                    newest,
                    (checklist_versions.c.area_code == newest.c.area_code)
                    & (checklist_versions.c.version == newest.c.version),
                )
                .where(checklist_versions.c.framework_id == framework_id)
                .order_by(checklist_versions.c.area_code)
            ).all()
            # One query for all answers, not one per area: Vergelijken asks on every rerun.
            answers = self._answers(connection, [r.id for r in rows], framework)
            return [_state(r, framework_id, answers[r.id]) for r in rows]

    # -- writing --------------------------------------------------------------------------

    def save(
        self,
        area_code: str,
        area_name: str,
        framework_id: str,
        answers: pd.DataFrame,
        *,
        based_on: int,
        actor: Actor,
        saved_by: str = "",
        restored_from: int | None = None,
    ) -> int:
        """Store ``answers`` (:data:`loverboy_stats.checklist.ANSWER_COLUMNS`) as version
        ``based_on + 1`` and return that number.

        Raises :class:`ChecklistConflict` when the newest stored version is not ``based_on``
        (someone else saved meanwhile), also when two saves race; nothing is stored then.
        Raises :class:`StoreError` (Dutch) for text that may not be stored (checked first: a
        toelichting, actiehouder or "Uw naam" too long or with characters it may not hold) and
        for anything the database refuses, and :class:`AccessDenied` when ``actor`` may not
        keep this area's checklist (recorded in the audit trail). ``saved_by`` defaults to the
        name of a signed-in actor.
        """
        framework = get_framework(framework_id)
        subject = f"{framework.short_title}, {area_name or area_code}"
        if not self.may_edit(actor, area_code, framework_id):
            message = (
                f"U mag de checklist van {area_name or area_code} niet wijzigen: die hoort niet "
                "bij de gebieden van uw organisatie."
            )
            self._audit.refusal(actor, f"checklist {subject}", message)
            raise AccessDenied(message)
        if not saved_by and actor.user_id is not None:
            saved_by = actor.shown_name
        try:
            clean = checked_texts(framework, normalise_answers(framework, answers))
            saved_by = check_name(saved_by, "Uw naam")
            area_code = check_note(area_code, "De code van het gebied", 40)
            area_name = check_note(area_name, "De naam van het gebied", NAME_MAX)
        except TextError as exc:
            raise StoreError(exc.message) from exc
        except ValueError as exc:
            raise StoreError(str(exc)) from exc
        new_version = based_on + 1
        try:
            with self.engine.begin() as connection:
                if self._latest(connection, area_code, framework_id) != based_on:
                    raise ChecklistConflict()
                version_id = connection.execute(
                    sa.insert(checklist_versions)
                    .values(
                        area_code=area_code,
                        area_name=area_name or area_code,
                        framework_id=framework_id,
                        version=new_version,
                        saved_at=dt.datetime.now(dt.UTC),
                        saved_by=saved_by,
                        restored_from=restored_from,
                    )
                    .returning(checklist_versions.c.id)
                ).scalar_one()
                records = clean.astype(object).where(clean.notna(), None).to_dict("records")
                connection.execute(
                    sa.insert(checklist_answers),
                    [{**r, "version_id": version_id} for r in records],
                )
                owner = _owner(connection, area_code, framework_id)
                if owner is None:
                    owner = actor.organisation_id
                    connection.execute(
                        sa.insert(checklist_owners).values(
                            area_code=area_code, framework_id=framework_id, organisation_id=owner
                        )
                    )
                action = "checklist_save" if restored_from is None else "checklist_restore"
                detail = f"versie {new_version}" + (
                    f" (kopie van versie {restored_from})" if restored_from is not None else ""
                )
                record(connection, actor, action, subject, detail, organisation_id=owner)
                bump(connection, "checklists")
        except sa.exc.IntegrityError as exc:
            # The unique (area, framework, version) lost a race against another save.
            if self.latest_version(area_code, framework_id) >= new_version:
                raise ChecklistConflict() from exc
            raise StoreError(NOT_SAVED_MESSAGE.format(what="De checklist")) from exc
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(NOT_SAVED_MESSAGE.format(what="De checklist")) from exc
        return new_version

    def restore(
        self,
        area_code: str,
        framework_id: str,
        version: int,
        *,
        based_on: int,
        actor: Actor,
        saved_by: str = "",
    ) -> int:
        """Make ``version`` current again by saving a copy of it as a new version.

        Same concurrency rule as :meth:`save`; returns the new version number.
        """
        old = self.load(area_code, framework_id, version)
        return self.save(
            area_code,
            old.area_name,
            framework_id,
            old.answers,
            based_on=based_on,
            actor=actor,
            saved_by=saved_by,
            restored_from=version,
        )


def _owner(connection: Connection, area_code: str, framework_id: str) -> int | None:
    return connection.execute(
        sa.select(checklist_owners.c.organisation_id).where(
            checklist_owners.c.area_code == area_code,
            checklist_owners.c.framework_id == framework_id,
        )
    ).scalar()
