"""Shared helpers of the repositories: SQLite set-up, write locks and UTC timestamps."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

#: How long an SQLite connection waits for another process's write before giving up.
SQLITE_BUSY_SECONDS = 30


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite: several processes (app workers, the command line) share
    one file, so wait up to :data:`SQLITE_BUSY_SECONDS` for a writer instead of failing with
    "database is locked", and use write-ahead logging so readers do not block a writer.

    ``hide_parameters``: the values of a statement (counts of vulnerable minors, names) never
    appear in an error message or in SQLAlchemy's log, whatever the logging configuration."""
    is_sqlite = sa.make_url(url).get_backend_name() == "sqlite"
    connect_args = {"timeout": SQLITE_BUSY_SECONDS} if is_sqlite else {}
    engine = sa.create_engine(url, future=True, connect_args=connect_args, hide_parameters=True)
    if is_sqlite:
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def lock_for_writing(connection: Connection) -> None:
    """On SQLite, start the transaction by taking the write lock (waiting for it if busy).

    pysqlite otherwise begins only at the first INSERT, so a read before it (a duplicate check,
    the schema version) would not be protected from a concurrent writer.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def now() -> dt.datetime:
    """The current time in UTC (everything is stored in UTC)."""
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite returns naive ones)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
