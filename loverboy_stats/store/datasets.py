"""Uploaded datasets: one row per dataset and its municipality-year rows.

A save is one transaction (the dataset and all rows, or nothing); an identical file (same
SHA-256) is recognised and not stored twice, also when two processes save it at once.

What one database accepts the other must too: SQLite stores a 300-character name or a NUL
without complaint, PostgreSQL refuses both. So names, file names and the text in the rows are
checked before anything is written, against the lengths of the columns
(:mod:`loverboy_stats.textsafe` holds them; a test keeps them equal to the schema), and any
refusal by the database itself becomes a Dutch :class:`StoreError`; the engine never puts the
values of a statement in a message or a log.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.access import AccessDenied, Actor, may_change_dataset, may_upload
from loverboy_stats.formatting import format_rows
from loverboy_stats.models import DatasetInfo
from loverboy_stats.schema import COUNT_COLUMNS, DATASET_COLUMNS, KEY_COLUMNS, typed_dataset
from loverboy_stats.store.audit import AuditLog, record
from loverboy_stats.store.changes import bump
from loverboy_stats.store.engine import as_utc, lock_for_writing, now
from loverboy_stats.store.errors import NOT_SAVED_MESSAGE, StoreError
from loverboy_stats.store.schema import dataset_owners, dataset_rows, datasets, organisations
from loverboy_stats.textsafe import NAME_MAX, TextError, check_name, clean_filename, name_problem


def sha256_of(content: bytes) -> str:
    """Hex SHA-256 of the uploaded bytes (how the store recognises an identical file)."""
    return hashlib.sha256(content).hexdigest()


class DatasetRepository:
    """Stored datasets in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._audit = AuditLog(engine)

    def save(
        self,
        name: str,
        filename: str,
        content_bytes: bytes,
        clean_df: pd.DataFrame,
        *,
        actor: Actor,
    ) -> DatasetInfo:
        """Store a validated upload as one transaction: the dataset and all rows, or nothing,
        owned by ``actor``'s organisation and recorded in the audit trail.

        ``clean_df`` is :attr:`loverboy_stats.uploads.ValidationResult.data`. An identical file
        (same SHA-256) already in the store is not stored again: its info is returned with
        ``already_present=True``. Raises :class:`AccessDenied` for a lezer, and
        :class:`StoreError` for an empty or taken name, or rows the database refuses.
        """
        if not may_upload(actor):
            self._refuse(actor, f"dataset '{str(name)[:200]}' opslaan", UPLOAD_REFUSED)
        name = _dataset_name(name)
        filename = clean_filename(filename)
        missing = [c for c in (*KEY_COLUMNS, *COUNT_COLUMNS) if c not in clean_df.columns]
        if missing:
            raise StoreError(f"De gegevens missen kolommen: {', '.join(missing)}.")
        digest = sha256_of(content_bytes)
        columns = [c for c in DATASET_COLUMNS if c in clean_df.columns]
        _check_rows(clean_df[columns])
        rows = _row_tuples(clean_df[columns])
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
                _insert_rows(connection, dataset_id, columns, rows)
                connection.execute(
                    sa.insert(dataset_owners).values(
                        dataset_id=dataset_id, organisation_id=actor.organisation_id
                    )
                )
                detail = f"bestand {filename}, {format_rows(len(rows))}"
                record(connection, actor, "dataset_import", name, detail)
                bump(connection, "datasets")
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
            raise StoreError(NOT_SAVED_MESSAGE.format(what="De dataset")) from exc
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(NOT_SAVED_MESSAGE.format(what="De dataset")) from exc

    def list(self) -> list[DatasetInfo]:
        """All stored datasets, newest first."""
        with self.engine.connect() as connection:
            found = connection.execute(
                _with_owner().order_by(datasets.c.uploaded_at.desc(), datasets.c.id.desc())
            ).all()
        return [_info(row) for row in found]

    def get(self, key: int | str) -> DatasetInfo:
        """Info of a dataset by id or name. Raises :class:`StoreError` when there is none."""
        with self.engine.connect() as connection:
            return _info(_require(connection, key))

    def load(self, key: int | str, *, sha256: str | None = None) -> pd.DataFrame:
        """The rows of a dataset (by id or name): :data:`DATASET_COLUMNS`, typed as
        :func:`loverboy_stats.schema.typed_dataset` does.

        ``sha256``: the content the caller expects (what a shared cache keys on); a dataset
        replaced meanwhile (deleted, another file under the same id or name) is refused
        rather than returned under the old content's key."""
        with self.engine.connect() as connection:
            found = _require(connection, key)
            if sha256 is not None and found.sha256 != sha256:
                raise StoreError(f"Dataset '{key}' is intussen vervangen; laad de pagina opnieuw.")
            rows = connection.execute(
                sa.select(*[dataset_rows.c[c] for c in DATASET_COLUMNS])
                .where(dataset_rows.c.dataset_id == found.id)
                .order_by(dataset_rows.c.id)
            ).all()
        return typed_dataset(pd.DataFrame(rows, columns=list(DATASET_COLUMNS), dtype=object))

    def rename(self, key: int | str, new_name: str, *, actor: Actor) -> DatasetInfo:
        """Give a dataset another name (which must not be taken). Only its own organisation
        (or a beheerder) may: others get :class:`AccessDenied`, recorded in the trail."""
        with self.engine.connect() as connection:
            found = _require(connection, key)
        self._check_owner(actor, found, f"dataset '{found.name}' hernoemen")
        new_name = _dataset_name(new_name)
        with self.engine.begin() as connection:
            found = _require(connection, key)
            other = _find(connection, new_name)
            if other is not None and other.id != found.id:
                raise StoreError(f"Er is al een dataset met de naam '{new_name}'.")
            connection.execute(
                sa.update(datasets).where(datasets.c.id == found.id).values(name=new_name)
            )
            record(
                connection, actor, "dataset_rename", new_name, f"was '{found.name}'",
                organisation_id=found.organisation_id,
            )  # fmt: skip
            bump(connection, "datasets")
            return _info(_require(connection, found.id))

    def delete(self, key: int | str, *, actor: Actor) -> None:
        """Remove a dataset and its rows; the same rights as :meth:`rename`."""
        with self.engine.connect() as connection:
            found = _require(connection, key)
        self._check_owner(actor, found, f"dataset '{found.name}' verwijderen")
        with self.engine.begin() as connection:
            found = _require(connection, key)
            connection.execute(sa.delete(dataset_rows).where(dataset_rows.c.dataset_id == found.id))
            connection.execute(
                sa.delete(dataset_owners).where(dataset_owners.c.dataset_id == found.id)
            )
            connection.execute(sa.delete(datasets).where(datasets.c.id == found.id))
            detail = f"bestand {found.filename}, {format_rows(found.row_count)}"
            record(
                connection, actor, "dataset_delete", found.name, detail,
                organisation_id=found.organisation_id,
            )  # fmt: skip
            bump(connection, "datasets")

    def _check_owner(self, actor: Actor, found, subject: str) -> None:
        if not may_change_dataset(actor, found.organisation_id):
            self._refuse(
                actor,
                subject,
                f"Deze dataset hoort bij {found.organisation}; alleen die organisatie of een "
                "beheerder mag hem wijzigen.",
            )

    def _refuse(self, actor: Actor, subject: str, message: str) -> None:
        self._audit.refusal(actor, subject, message)
        raise AccessDenied(message)


def _dataset_name(name: str) -> str:
    """The name with its whitespace normalised, or a Dutch refusal (empty, too long, a
    character a name may not hold)."""
    try:
        clean = check_name(name, "De naam van de dataset")
    except TextError as problem:
        raise StoreError(problem.message) from problem
    if not clean:
        raise StoreError("Geef de dataset een naam.")
    return clean


#: The largest count a BIGINT column holds (SQLite would raise OverflowError beyond it).
_BIGINT_MAX = 2**63 - 1
#: Columns of a row whose text must fit the database: (column, label, length).
_TEXT_LIMITS = (("gemeentecode", "De gemeentecode", 6), ("gemeente", "De gemeentenaam", NAME_MAX))
_NUMBER_COLUMNS = (*COUNT_COLUMNS, "referentiepopulatie", "jaar")


def _check_rows(frame: pd.DataFrame) -> None:
    """Refuse, in Dutch and before writing, a row the database could refuse for its text or
    its size (a count the database refuses for its sign is left to the CHECK constraints).

    The rows that could hold a problem are found for whole columns at once; the first of them
    that does is refused with :func:`_row_problem`, row by row as the user counts them."""
    suspect = np.zeros(len(frame), dtype=bool)
    for column, _, limit in _TEXT_LIMITS:
        text = frame[column].astype("string")
        suspect |= (text.str.len() > limit).fillna(False).to_numpy(dtype=bool)
        suspect |= text.str.contains("\x00", regex=False).fillna(False).to_numpy(dtype=bool)
    if "regio" in frame.columns:
        regions = frame["regio"]
        bad = {value for value in regions.dropna().unique() if name_problem(str(value), "")}
        suspect |= regions.isin(bad).to_numpy(dtype=bool)
    for column in _NUMBER_COLUMNS:
        if column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce").astype("float64")
            # Floats round near 2**63: anything close is checked exactly below.
            suspect |= (values.abs() >= _BIGINT_MAX - 2**12).fillna(False).to_numpy(dtype=bool)
            suspect |= (frame[column].notna() & values.isna()).to_numpy(dtype=bool)
    for position in np.flatnonzero(suspect):
        problem = _row_problem(position + 1, frame.iloc[position])
        if problem:
            raise StoreError(problem)


def _row_problem(number: int, row: pd.Series) -> str | None:
    """Why the database could refuse row ``number`` (counted from 1), or None."""
    for column, label, limit in _TEXT_LIMITS:
        if len(str(row[column])) > limit or "\x00" in str(row[column]):
            return f"{label} in rij {number} past niet in de database."
    region = row.get("regio")
    if region is not None and not pd.isna(region):
        problem = name_problem(str(region), f"De regio in rij {number}")
        if problem:
            return problem
    for column in _NUMBER_COLUMNS:
        value = row.get(column)
        if value is not None and not pd.isna(value) and abs(int(value)) > _BIGINT_MAX:
            return f"Het getal in kolom {column}, rij {number}, is te groot."
    return None


#: Rows per executemany call (SQLite): bounds the memory of one call; SQLite runs each
#: call's rows in one C loop.
INSERT_BATCH_ROWS = 10_000


def _insert_rows(
    connection: Connection, dataset_id: int, columns: list[str], rows: list[tuple]
) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) for ``dataset_id`` as part of the
    save's transaction, logged without values, an error hiding them (``hide_parameters``).

    PostgreSQL: one ``COPY ... FROM STDIN`` (psycopg 3) streams all rows in one statement;
    executemany cost a round trip's worth of work per row (100,000 rows: 7 s against well
    under one). Other databases: the driver's executemany in batches, one statement compiled
    once instead of SQLAlchemy's work per row."""
    names = ", ".join(["dataset_id", *columns])
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, f"COPY {dataset_rows.name} ({names}) FROM STDIN", dataset_id, rows)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * (len(columns) + 1))
    statement = f"INSERT INTO {dataset_rows.name} ({names}) VALUES ({marks})"
    for start in range(0, len(rows), INSERT_BATCH_ROWS):
        batch = [(dataset_id, *row) for row in rows[start : start + INSERT_BATCH_ROWS]]
        connection.exec_driver_sql(statement, batch)


def _copy_rows(connection: Connection, statement: str, dataset_id: int, rows: list[tuple]) -> None:
    """COPY ``rows`` through the transaction's own psycopg connection, logged like every other
    statement (without values). A refusal (a CHECK, a key) becomes SQLAlchemy's error for it,
    as executemany's would; only its primary message is kept, since PostgreSQL's context of a
    COPY error quotes the line, values and all."""
    _STATEMENTS.info("%s [SQL parameters hidden due to hide_parameters=True]", statement)
    dbapi = connection.dialect.loaded_dbapi
    try:
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row((dataset_id, *row))
    except dbapi.Error as exc:
        primary = exc.diag.message_primary or type(exc).__name__
        error = sa.exc.DBAPIError.instance(
            statement,
            {"rows": len(rows)},
            type(exc)(primary),
            dbapi.Error,
            hide_parameters=True,
            dialect=connection.dialect,
        )
    else:
        return
    raise error  # outside the except block: the values in PostgreSQL's message stay unchained


#: SQLAlchemy's statement log (on when the engine echoes); COPY goes around it, so it is told.
_STATEMENTS = logging.getLogger("sqlalchemy.engine.Engine")


UPLOAD_REFUSED = "Uw rol mag geen datasets opslaan; dat kan een invoerder of beheerder."


def _with_owner():
    """Datasets with the id and name of their organisation."""
    return (
        sa.select(
            datasets,
            dataset_owners.c.organisation_id,
            organisations.c.name.label("organisation"),
        )
        .join(dataset_owners, dataset_owners.c.dataset_id == datasets.c.id)
        .join(organisations, organisations.c.id == dataset_owners.c.organisation_id)
    )


def _by_digest(connection: Connection, digest: str):
    return connection.execute(_with_owner().where(datasets.c.sha256 == digest)).first()


def _find(connection: Connection, key: int | str):
    condition = (datasets.c.id == key) if isinstance(key, int) else (datasets.c.name == key)
    return connection.execute(_with_owner().where(condition)).first()


def _require(connection: Connection, key: int | str):
    found = _find(connection, key)
    if found is None:
        raise StoreError(f"Dataset '{key}' bestaat niet (meer).")
    return found


def _row_tuples(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples of plain Python values with None for missing (what every DB driver
    accepts), built column by column."""
    columns = []
    for name in frame.columns:
        values = frame[name].astype(object)
        columns.append(values.where(values.notna(), None).tolist())
    return list(zip(*columns, strict=True))


def _info(row, *, already_present: bool = False) -> DatasetInfo:
    return DatasetInfo(
        id=row.id,
        name=row.name,
        filename=row.filename,
        sha256=row.sha256,
        uploaded_at=as_utc(row.uploaded_at),
        row_count=row.row_count,
        organisation_id=row.organisation_id,
        organisation=row.organisation,
        already_present=already_present,
    )
