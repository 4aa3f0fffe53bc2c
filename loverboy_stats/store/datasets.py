"""Uploaded datasets: one row per dataset and its municipality-year rows.

A save is one transaction (the dataset and all rows, or nothing); an identical file (same
SHA-256) is recognised and not stored twice, also when two processes save it at once.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.models import DatasetInfo
from loverboy_stats.schema import COUNT_COLUMNS, DATASET_COLUMNS, KEY_COLUMNS, typed_dataset
from loverboy_stats.store.engine import as_utc, lock_for_writing, now
from loverboy_stats.store.errors import StoreError
from loverboy_stats.store.schema import dataset_rows, datasets


def sha256_of(content: bytes) -> str:
    """Hex SHA-256 of the uploaded bytes (how the store recognises an identical file)."""
    return hashlib.sha256(content).hexdigest()


class DatasetRepository:
    """Stored datasets in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(
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
        missing = [c for c in (*KEY_COLUMNS, *COUNT_COLUMNS) if c not in clean_df.columns]
        if missing:
            raise StoreError(f"De gegevens missen kolommen: {', '.join(missing)}.")
        digest = sha256_of(content_bytes)
        rows = _records(clean_df)
        try:
            with self.engine.begin() as connection:
                # SQLite: hold the write lock from the check to the insert, so two processes
                # storing the same file cannot both pass the check.
                lock_for_writing(connection)
                existing = _by_digest(connection, digest)
                if existing is not None:
                    return _info(existing, already_present=True)
                if _find(connection, name) is not None:
                    raise StoreError(f"Er is al een dataset met de naam '{name}'.")
                dataset_id = connection.execute(
                    sa.insert(datasets)
                    .values(
                        name=name,
                        filename=filename,
                        sha256=digest,
                        uploaded_at=now(),
                        row_count=len(rows),
                    )
                    .returning(datasets.c.id)
                ).scalar_one()
                if rows:
                    connection.execute(
                        sa.insert(dataset_rows), [{**r, "dataset_id": dataset_id} for r in rows]
                    )
                return _info(_require(connection, dataset_id))
        except sa.exc.IntegrityError as exc:
            # Another process may have stored the same file or taken the name between our check
            # and our insert (PostgreSQL checks the unique constraints only then): say so as if
            # the check had caught it.
            with self.engine.connect() as connection:
                same_file = _by_digest(connection, digest)
                if same_file is not None:
                    return _info(same_file, already_present=True)
                if _find(connection, name) is not None:
                    raise StoreError(f"Er is al een dataset met de naam '{name}'.") from exc
            raise StoreError(
                "De gegevens konden niet worden opgeslagen (de database weigerde een rij); er "
                "is niets opgeslagen."
            ) from exc

    def list(self) -> list[DatasetInfo]:
        """All stored datasets, newest first."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(datasets).order_by(datasets.c.uploaded_at.desc(), datasets.c.id.desc())
            ).all()
        return [_info(row) for row in found]

    def get(self, key: int | str) -> DatasetInfo:
        """Info of a dataset by id or name. Raises :class:`StoreError` when there is none."""
        with self.engine.connect() as connection:
            return _info(_require(connection, key))

    def load(self, key: int | str) -> pd.DataFrame:
        """The rows of a dataset (by id or name): :data:`DATASET_COLUMNS`, typed as
        :func:`loverboy_stats.schema.typed_dataset` does."""
        with self.engine.connect() as connection:
            found = _require(connection, key)
            rows = connection.execute(
                sa.select(*[dataset_rows.c[c] for c in DATASET_COLUMNS])
                .where(dataset_rows.c.dataset_id == found.id)
                .order_by(dataset_rows.c.id)
            ).all()
        return typed_dataset(pd.DataFrame(rows, columns=list(DATASET_COLUMNS), dtype=object))

    def rename(self, key: int | str, new_name: str) -> DatasetInfo:
        """Give a dataset another name (which must not be taken)."""
        new_name = new_name.strip()
        if not new_name:
            raise StoreError("Geef de dataset een naam.")
        with self.engine.begin() as connection:
            found = _require(connection, key)
            other = _find(connection, new_name)
            if other is not None and other.id != found.id:
                raise StoreError(f"Er is al een dataset met de naam '{new_name}'.")
            connection.execute(
                sa.update(datasets).where(datasets.c.id == found.id).values(name=new_name)
            )
            return _info(_require(connection, found.id))

    def delete(self, key: int | str) -> None:
        """Remove a dataset and its rows."""
        with self.engine.begin() as connection:
            found = _require(connection, key)
            connection.execute(sa.delete(dataset_rows).where(dataset_rows.c.dataset_id == found.id))
            connection.execute(sa.delete(datasets).where(datasets.c.id == found.id))


def _by_digest(connection: Connection, digest: str):
    return connection.execute(sa.select(datasets).where(datasets.c.sha256 == digest)).first()


def _find(connection: Connection, key: int | str):
    condition = (datasets.c.id == key) if isinstance(key, int) else (datasets.c.name == key)
    return connection.execute(sa.select(datasets).where(condition)).first()


def _require(connection: Connection, key: int | str):
    found = _find(connection, key)
    if found is None:
        raise StoreError(f"Dataset '{key}' bestaat niet (meer).")
    return found


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as plain Python values with None for missing (what every DB driver accepts)."""
    columns = [c for c in DATASET_COLUMNS if c in frame.columns]
    plain = frame[columns].astype(object).where(frame[columns].notna(), None)
    return plain.to_dict(orient="records")


def _info(row, *, already_present: bool = False) -> DatasetInfo:
    return DatasetInfo(
        id=row.id,
        name=row.name,
        filename=row.filename,
        sha256=row.sha256,
        uploaded_at=as_utc(row.uploaded_at),
        row_count=row.row_count,
        already_present=already_present,
    )
