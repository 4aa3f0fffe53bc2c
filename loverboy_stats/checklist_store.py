"""Versioned checklist answers per area (municipality or region) and framework.

Stored in the same database as the uploaded datasets (tables created by migration step 2 in
:data:`loverboy_stats.store.MIGRATIONS`). Every save is a new version with a timestamp; nothing
is overwritten, so the history can be shown and an earlier version restored (a restore is a new
version equal to the old one).

Optimistic concurrency: a save names the version it was based on. If someone else saved in the
meantime the save is refused with :data:`CONFLICT_MESSAGE`. The check runs inside the insert's
transaction and the unique constraint on (area, framework, version) makes it race-safe: of two
saves based on the same version exactly one gets the number, the other hits the constraint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from loverboy_stats.checklist import (
    ANSWER_COLUMNS,
    STATUSES,
    Framework,
    get_framework,
    normalise_answers,
)
from loverboy_stats.store import Store, StoreError

CONFLICT_MESSAGE = "Deze checklist is intussen door iemand anders gewijzigd; laad opnieuw."

checklist_metadata = sa.MetaData()

# These definitions are what migration step 2 creates. Changing them needs a new step.
checklist_versions = sa.Table(
    "checklist_versions",
    checklist_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("area_code", sa.String(40), nullable=False),
    sa.Column("area_name", sa.String(200), nullable=False),
    sa.Column("framework_id", sa.String(80), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("restored_from", sa.Integer),
    sa.UniqueConstraint("area_code", "framework_id", "version", name="uq_checklist_version"),
    sa.CheckConstraint("version >= 1", name="ck_checklist_versions_version"),
)

checklist_answers = sa.Table(
    "checklist_answers",
    checklist_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "version_id",
        sa.Integer,
        sa.ForeignKey("checklist_versions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("item_id", sa.String(80), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("toelichting", sa.Text, nullable=False, server_default=""),
    sa.Column("actiehouder", sa.String(200), nullable=False, server_default=""),
    sa.Column("streefdatum", sa.Date),
    sa.UniqueConstraint("version_id", "item_id", name="uq_checklist_answer_item"),
    sa.CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
        name="ck_checklist_answers_status",
    ),
)


def create_tables(connection: Connection) -> None:
    """Migration step 2: the checklist tables."""
    checklist_metadata.create_all(connection, tables=[checklist_versions, checklist_answers])


class ChecklistConflict(StoreError):
    """Someone else saved a newer version; the save was refused (message in Dutch)."""

    def __init__(self, message: str = CONFLICT_MESSAGE) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ChecklistState:
    """One stored version of a checklist (version 0: nothing stored yet, all "onbekend")."""

    area_code: str
    area_name: str
    framework_id: str
    version: int
    saved_at: dt.datetime | None
    saved_by: str
    restored_from: int | None
    answers: pd.DataFrame


def _state(row, framework_id: str, answers: pd.DataFrame) -> ChecklistState:
    """A ChecklistState from a checklist_versions row and its answers."""
    return ChecklistState(
        area_code=row.area_code,
        area_name=row.area_name,
        framework_id=framework_id,
        version=row.version,
        saved_at=_as_utc(row.saved_at),
        saved_by=row.saved_by,
        restored_from=row.restored_from,
        answers=answers,
    )


def _as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class ChecklistStore:
    """Checklist versions in the database of ``store``."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    # -- reading --------------------------------------------------------------------------

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
                "opgeslagen": [_as_utc(r.saved_at) for r in rows],
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
        saved_by: str = "",
        restored_from: int | None = None,
    ) -> int:
        """Store ``answers`` (:data:`loverboy_stats.checklist.ANSWER_COLUMNS`) as version
        ``based_on + 1`` and return that number.

        Raises :class:`ChecklistConflict` when the newest stored version is not ``based_on``
        (someone else saved meanwhile), also when two saves race; nothing is stored then.
        Raises :class:`StoreError` (Dutch) for answers the database refuses.
        """
        framework = get_framework(framework_id)
        try:
            clean = normalise_answers(framework, answers)
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
                        saved_by=(saved_by or "").strip()[:200],
                        restored_from=restored_from,
                    )
                    .returning(checklist_versions.c.id)
                ).scalar_one()
                records = clean.astype(object).where(clean.notna(), None).to_dict("records")
                connection.execute(
                    sa.insert(checklist_answers),
                    [{**r, "version_id": version_id} for r in records],
                )
        except sa.exc.IntegrityError as exc:
            # The unique (area, framework, version) lost a race against another save.
            if self.latest_version(area_code, framework_id) >= new_version:
                raise ChecklistConflict() from exc
            raise StoreError(
                "De checklist kon niet worden opgeslagen (de database weigerde een antwoord); "
                "er is niets opgeslagen."
            ) from exc
        return new_version

    def restore(
        self, area_code: str, framework_id: str, version: int, *, based_on: int, saved_by: str = ""
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
            saved_by=saved_by,
            restored_from=version,
        )
