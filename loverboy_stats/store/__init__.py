"""Persistence: an SQLite file by default, any SQLAlchemy URL by setting.

The default is ``sqlite:///<LBS_DATA_DIR>/loverboy_stats.sqlite`` (the folder is created when
missing); ``LBS_DATABASE_URL`` points elsewhere, e.g. ``postgresql+psycopg://user:pw@host/db``.

One schema (:mod:`~loverboy_stats.store.schema`, with its migrations) and one repository per
kind of thing on it: ``store.datasets`` (:class:`~loverboy_stats.store.datasets.DatasetRepository`),
``store.checklists`` (:class:`~loverboy_stats.store.checklists.ChecklistRepository`) and
``store.protections`` (publication mode's patterns, computed once per data), ``store.people``
(organisations and users, :class:`~loverboy_stats.store.people.PeopleRepository`),
``store.audit`` (the append-only audit trail) and ``store.changes`` (the change counters that
tell replicas of a shared server what another one changed). Every method that changes
something takes the :class:`~loverboy_stats.access.Actor` who does it.
Scoring and views never touch the database: they get the rows a repository returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from loverboy_stats.settings import get_settings
from loverboy_stats.store.audit import AuditLog
from loverboy_stats.store.changes import ChangeCounters
from loverboy_stats.store.checklists import ChecklistRepository
from loverboy_stats.store.datasets import DatasetRepository, sha256_of
from loverboy_stats.store.engine import lock_for_writing, make_engine, now
from loverboy_stats.store.errors import CONFLICT_MESSAGE, ChecklistConflict, StoreError
from loverboy_stats.store.people import PeopleRepository
from loverboy_stats.store.protections import ProtectionRepository
from loverboy_stats.store.schema import MIGRATIONS, SCHEMA_VERSION, schema_version

__all__ = [
    "CONFLICT_MESSAGE",
    "SCHEMA_VERSION",
    "ChecklistConflict",
    "Store",
    "StoreError",
    "get_store",
    "sha256_of",
]


class Store:
    """The database at ``url`` (an SQLAlchemy URL), created and migrated on opening.

    ``migrations`` defaults to :data:`~loverboy_stats.store.schema.MIGRATIONS`; tests pass a
    longer list to rehearse a step.
    """

    def __init__(
        self, url: str, *, migrations: Sequence[Callable[[Connection], None]] | None = None
    ) -> None:
        self.url = url
        self.migrations = list(MIGRATIONS if migrations is None else migrations)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        self.migrate()
        self.datasets = DatasetRepository(self.engine)
        self.checklists = ChecklistRepository(self.engine)
        self.protections = ProtectionRepository(self.engine)
        self.people = PeopleRepository(self.engine)
        self.audit = AuditLog(self.engine)
        self.changes = ChangeCounters(self.engine)

    def schema_version(self) -> int:
        """The version the database is at (0 for an empty database)."""
        with self.engine.connect() as connection:
            return _version(connection)

    def migrate(self) -> int:
        """Apply every migration step above the stored version; return the new version."""
        with self.engine.begin() as connection:
            # Two processes starting together must not both run the same step.
            lock_for_writing(connection)
            if self.engine.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242001)"))
            schema_version.create(connection, checkfirst=True)
            current = _version(connection)
            for number, step in enumerate(self.migrations[current:], start=current + 1):
                step(connection)
                connection.execute(
                    sa.insert(schema_version).values(version=number, applied_at=now())
                )
            return max(current, len(self.migrations))

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def _version(connection: Connection) -> int:
    if not sa.inspect(connection).has_table("schema_version"):
        return 0
    found = connection.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(found or 0)


@lru_cache(maxsize=4)
def _store_for(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store at the configured URL (one per URL per process; env changes are honoured)."""
    return _store_for(get_settings().effective_database_url)
