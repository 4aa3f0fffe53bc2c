"""Persistence of uploaded datasets: an SQLite file by default, any SQLAlchemy URL by setting.

The default is ``sqlite:///<LBS_DATA_DIR>/loverboy_stats.sqlite`` (the folder is created when
missing); ``LBS_DATABASE_URL`` points elsewhere, e.g. ``postgresql+psycopg://user:pw@host/db``.

The schema carries a version in ``schema_version``. :data:`MIGRATIONS` is the ordered list of
steps; on opening, every step above the stored version runs, each in its own transaction together
with the version bump. A later feature (the checklist, issue 6) adds its tables by appending a
step; existing steps are never edited, because databases in the field have already run them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.settings import get_settings
from loverboy_stats.uploads import CLEAN_COLUMNS, COUNT_COLUMNS, sha256_of


class StoreError(Exception):
    """A store operation the user asked for cannot be done. ``message`` is Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatasetInfo(BaseModel):
    """A stored dataset without its rows."""

    id: int = Field(description="Database key.")
    name: str = Field(description="Name the user gave; unique in the store.")
    filename: str = Field(description="Original file name of the upload.")
    sha256: str = Field(description="Hex SHA-256 of the uploaded bytes; unique in the store.")
    uploaded_at: dt.datetime = Field(description="When it was stored (UTC).")
    row_count: int = Field(description="Number of stored rows (municipality-years).")
    already_present: bool = Field(
        default=False,
        description="True when save_dataset found an identical file and stored nothing new.",
    )


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
)

dataset_rows = sa.Table(
    "dataset_rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("gemeentecode", sa.String(6), nullable=False),
    sa.Column("gemeente", sa.String(200), nullable=False),
    sa.Column("jaar", sa.Integer, nullable=False),
    sa.Column("gesignaleerd", sa.BigInteger, nullable=False),
    sa.Column("gemeld_comensha", sa.BigInteger),
    sa.Column("doorverwezen", sa.BigInteger),
    sa.Column("in_behandeling", sa.BigInteger),
    sa.Column("referentiepopulatie", sa.BigInteger),
    sa.Column("regio", sa.String(200)),
    sa.UniqueConstraint("dataset_id", "gemeentecode", "jaar", name="uq_dataset_rows_key"),
    *[sa.CheckConstraint(f"{name} >= 0", name=f"ck_dataset_rows_{name}") for name in COUNT_COLUMNS],
    sa.CheckConstraint("referentiepopulatie > 0", name="ck_dataset_rows_referentiepopulatie"),
)

#: How long an SQLite connection waits for another process's write before giving up.
SQLITE_BUSY_SECONDS = 30

#: Columns of a loaded dataset, in order.
ROW_COLUMNS = (*CLEAN_COLUMNS, "referentiepopulatie", "regio")


def _migration_1(connection: Connection) -> None:
    """Datasets and their rows."""
    metadata.create_all(connection, tables=[datasets, dataset_rows])


def _migration_2(connection: Connection) -> None:
    """Checklist versions and answers (issue 6; tables in loverboy_stats.checklist_store)."""
    from loverboy_stats.checklist_store import create_tables  # imports this module

    create_tables(connection)


#: Ordered schema steps; step i brings the schema to version i + 1. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Store:
    """Datasets in a database at ``url`` (an SQLAlchemy URL). Creates and migrates the schema.

    ``migrations`` defaults to :data:`MIGRATIONS`; tests pass a longer list to rehearse a step.
    """

    def __init__(
        self, url: str, *, migrations: Sequence[Callable[[Connection], None]] | None = None
    ) -> None:
        self.url = url
        self.migrations = list(MIGRATIONS if migrations is None else migrations)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        is_sqlite = sa.make_url(url).get_backend_name() == "sqlite"
        # SQLite: several processes (app workers, the command line) share one file. Wait up to
        # SQLITE_BUSY_SECONDS for a writer instead of failing with "database is locked".
        connect_args = {"timeout": SQLITE_BUSY_SECONDS} if is_sqlite else {}
        self.engine: Engine = sa.create_engine(url, future=True, connect_args=connect_args)
        if is_sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The version the database is at (0 for an empty database)."""
        with self.engine.connect() as connection:
            return self._version(connection)

    @staticmethod
    def _version(connection: Connection) -> int:
        if not sa.inspect(connection).has_table("schema_version"):
            return 0
        found = connection.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
        return int(found or 0)

    def migrate(self) -> int:
        """Apply every migration step above the stored version; return the new version."""
        with self.engine.begin() as connection:
            # Two processes starting together must not both run the same step.
            self._lock_for_writing(connection)
            if self.engine.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242001)"))
            schema_version.create(connection, checkfirst=True)
            current = self._version(connection)
            for number, step in enumerate(self.migrations[current:], start=current + 1):
                step(connection)
                connection.execute(
                    sa.insert(schema_version).values(version=number, applied_at=_now())
                )
            return max(current, len(self.migrations))

    # -- datasets -------------------------------------------------------------------------

    def save_dataset(
        self, name: str, filename: str, content_bytes: bytes, clean_df: pd.DataFrame
    ) -> DatasetInfo:
        """Store a validated upload as one transaction: the dataset and all rows, or nothing.

        ``clean_df`` is :attr:`loverboy_stats.uploads.ValidationResult.data`. An identical file
        (same SHA-256) already in the store is not stored again: its info is returned with
        ``already_present=True``. Raises :class:`StoreError` for an empty or taken name, or rows
        the database refuses.
        """
        name = name.strip()
        if not name:
            raise StoreError("Geef de dataset een naam.")
        missing = [c for c in CLEAN_COLUMNS if c not in clean_df.columns]
        if missing:
            raise StoreError(f"De gegevens missen kolommen: {', '.join(missing)}.")
        digest = sha256_of(content_bytes)
        rows = _records(clean_df)
        try:
            with self.engine.begin() as connection:
                # SQLite: hold the write lock from the check to the insert, so two processes
                # storing the same file cannot both pass the check.
                self._lock_for_writing(connection)
                existing = connection.execute(
                    sa.select(datasets).where(datasets.c.sha256 == digest)
                ).first()
                if existing is not None:
                    return _info(existing, already_present=True)
                if self._find(connection, name) is not None:
                    raise StoreError(f"Er is al een dataset met de naam '{name}'.")
                dataset_id = connection.execute(
                    sa.insert(datasets)
                    .values(
                        name=name,
                        filename=filename,
                        sha256=digest,
                        uploaded_at=_now(),
                        row_count=len(rows),
                    )
                    .returning(datasets.c.id)
                ).scalar_one()
                if rows:
                    connection.execute(
                        sa.insert(dataset_rows), [{**r, "dataset_id": dataset_id} for r in rows]
                    )
                stored = connection.execute(
                    sa.select(datasets).where(datasets.c.id == dataset_id)
                ).one()
                return _info(stored)
        except sa.exc.IntegrityError as exc:
            # Another process may have stored the same file or taken the name between our check
            # and our insert (PostgreSQL checks the unique constraints only then): say so as if
            # the check had caught it.
            with self.engine.connect() as connection:
                same_file = connection.execute(
                    sa.select(datasets).where(datasets.c.sha256 == digest)
                ).first()
                if same_file is not None:
                    return _info(same_file, already_present=True)
                if self._find(connection, name) is not None:
                    raise StoreError(f"Er is al een dataset met de naam '{name}'.") from exc
            raise StoreError(
                "De gegevens konden niet worden opgeslagen (de database weigerde een rij); er "
                "is niets opgeslagen."
            ) from exc

    def list_datasets(self) -> list[DatasetInfo]:
        """All stored datasets, newest first."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(datasets).order_by(datasets.c.uploaded_at.desc(), datasets.c.id.desc())
            ).all()
        return [_info(row) for row in found]

    def get_dataset(self, key: int | str) -> DatasetInfo:
        """Info of a dataset by id or name. Raises :class:`StoreError` when there is none."""
        with self.engine.connect() as connection:
            return _info(self._require(connection, key))

    def load_dataset(self, key: int | str) -> pd.DataFrame:
        """The rows of a dataset (by id or name) with :data:`ROW_COLUMNS` as nullable types."""
        with self.engine.connect() as connection:
            found = self._require(connection, key)
            rows = connection.execute(
                sa.select(*[dataset_rows.c[c] for c in ROW_COLUMNS])
                .where(dataset_rows.c.dataset_id == found.id)
                .order_by(dataset_rows.c.id)
            ).all()
        frame = pd.DataFrame(rows, columns=list(ROW_COLUMNS), dtype=object)
        for column in ROW_COLUMNS:
            text = column in ("gemeentecode", "gemeente", "regio")
            frame[column] = frame[column].astype("string" if text else "Int64")
        return frame

    def rename_dataset(self, key: int | str, new_name: str) -> DatasetInfo:
        """Give a dataset another name (which must not be taken)."""
        new_name = new_name.strip()
        if not new_name:
            raise StoreError("Geef de dataset een naam.")
        with self.engine.begin() as connection:
            found = self._require(connection, key)
            other = self._find(connection, new_name)
            if other is not None and other.id != found.id:
                raise StoreError(f"Er is al een dataset met de naam '{new_name}'.")
            connection.execute(
                sa.update(datasets).where(datasets.c.id == found.id).values(name=new_name)
            )
            return _info(
                connection.execute(sa.select(datasets).where(datasets.c.id == found.id)).one()
            )

    def delete_dataset(self, key: int | str) -> None:
        """Remove a dataset and its rows."""
        with self.engine.begin() as connection:
            found = self._require(connection, key)
            connection.execute(sa.delete(dataset_rows).where(dataset_rows.c.dataset_id == found.id))
            connection.execute(sa.delete(datasets).where(datasets.c.id == found.id))

    # -- helpers --------------------------------------------------------------------------

    def _lock_for_writing(self, connection: Connection) -> None:
        """On SQLite, start the transaction by taking the write lock (waiting for it if busy).

        pysqlite otherwise begins only at the first INSERT, so a read before it (the duplicate
        check, the schema version) would not be protected from a concurrent writer.
        """
        if self.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @staticmethod
    def _find(connection: Connection, key: int | str):
        by_id = isinstance(key, int)
        condition = (datasets.c.id == key) if by_id else (datasets.c.name == key)
        return connection.execute(sa.select(datasets).where(condition)).first()

    def _require(self, connection: Connection, key: int | str):
        found = self._find(connection, key)
        if found is None:
            raise StoreError(f"Dataset '{key}' bestaat niet (meer).")
        return found

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Write-ahead logging: readers (page reruns) do not block a writer, nor it them.
    if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain Python values with None for missing (what every DB driver accepts)."""
    columns = [c for c in ROW_COLUMNS if c in frame.columns]
    plain = frame[columns].astype(object).where(frame[columns].notna(), None)
    return plain.to_dict(orient="records")


def _info(row, *, already_present: bool = False) -> DatasetInfo:
    return DatasetInfo(
        id=row.id,
        name=row.name,
        filename=row.filename,
        sha256=row.sha256,
        uploaded_at=_as_utc(row.uploaded_at),
        row_count=row.row_count,
        already_present=already_present,
    )


def datasets_frame(infos: Sequence[DatasetInfo]) -> pd.DataFrame:
    """Stored datasets as a table to show: Dutch column names, upload time as text in UTC."""
    return pd.DataFrame(
        {
            "naam": [i.name for i in infos],
            "bestand": [i.filename for i in infos],
            "rijen": pd.array([i.row_count for i in infos], dtype="Int64"),
            "opgeslagen (UTC)": [i.uploaded_at.strftime("%d-%m-%Y %H:%M") for i in infos],
        }
    )


@lru_cache(maxsize=4)
def _store_for(url: str) -> Store:
    return Store(url)


def get_store() -> Store:
    """The store at the configured URL (one per URL per process; env changes are honoured)."""
    return _store_for(get_settings().effective_database_url)
