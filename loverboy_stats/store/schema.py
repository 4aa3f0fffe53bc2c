"""The database schema, in one ``MetaData``, and the migrations that create it.

The schema carries a version in ``schema_version``. :data:`MIGRATIONS` is the ordered list of
steps; on opening, every step above the stored version runs, each in its own transaction together
with the version bump. A new table or column is a new step appended to the list; existing steps
are never edited, because databases in the field have already run them. The table definitions
below are what the steps create: changing one needs a new step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from loverboy_stats.checklist import STATUSES
from loverboy_stats.schema import COUNT_COLUMNS

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

checklist_versions = sa.Table(
    "checklist_versions",
    metadata,
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
    metadata,
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


protections = sa.Table(
    "protections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # A digest of the counts, k and design (loverboy_stats.privacy.pattern.data_key): the
    # same data always has the same pattern, so a stored one never goes stale.
    sa.Column("data_key", sa.String(64), nullable=False, unique=True),
    sa.Column("k", sa.Integer, nullable=False),
    sa.Column("design", sa.String(40), nullable=False),
    sa.Column("pattern", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

organisation_areas = sa.Table(
    "organisation_areas",
    metadata,
    sa.Column(
        "organisation_id",
        sa.Integer,
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # A municipality (GM....) or a region (JZ.., PV.., GG...., VR..) of the reference table.
    sa.Column("area_code", sa.String(8), primary_key=True),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Lower case. A registration by e-mail is bound to issuer + subject at the first sign-in
    # with that (verified) address; from then on only issuer + subject identify the user.
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("issuer", sa.String(500)),
    sa.Column("subject", sa.String(255)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("issuer", "subject", name="uq_users_identity"),
    sa.CheckConstraint("role IN ('lezer', 'invoerder', 'beheerder')", name="ck_users_role"),
)

# Which organisation a dataset or checklist belongs to. Side tables rather than new columns:
# steps 1 and 2 create their tables from the definitions above, which must keep their shape.
dataset_owners = sa.Table(
    "dataset_owners",
    metadata,
    sa.Column(
        "dataset_id",
        sa.Integer,
        sa.ForeignKey("datasets.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
)

checklist_owners = sa.Table(
    "checklist_owners",
    metadata,
    sa.Column("area_code", sa.String(40), primary_key=True),
    sa.Column("framework_id", sa.String(80), primary_key=True),
    sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(400), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    # No foreign keys: an entry outlives the user, organisation or dataset it names.
    sa.Column("organisation_id", sa.Integer),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
)

#: One counter per kind of shared state; every change bumps its counter in the same
#: transaction, so each replica of a shared server sees on its next rerun what changed.
store_changes = sa.Table(
    "store_changes",
    metadata,
    sa.Column("topic", sa.String(40), primary_key=True),
    sa.Column("counter", sa.BigInteger, nullable=False),
)
CHANGE_TOPICS = ("datasets", "checklists", "access")


def _migration_1(connection: Connection) -> None:
    """Datasets and their rows."""
    metadata.create_all(connection, tables=[datasets, dataset_rows])


def _migration_2(connection: Connection) -> None:
    """Checklist versions and answers."""
    metadata.create_all(connection, tables=[checklist_versions, checklist_answers])


def _migration_3(connection: Connection) -> None:
    """Protection patterns of publication mode, computed once per data, k and design."""
    metadata.create_all(connection, tables=[protections])


#: The audit trail is append-only in the database itself: an UPDATE or DELETE raises.
_APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    ],
}


def _migration_4(connection: Connection) -> None:
    """Organisations and their areas, users with a role, owners of datasets and checklists,
    the append-only audit trail and the change counters. Everything stored before belongs to
    the default organisation."""
    tables = [organisations, organisation_areas, users, dataset_owners, checklist_owners]
    metadata.create_all(connection, tables=[*tables, audit_log, store_changes])
    connection.execute(
        sa.insert(organisations).values(
            id=1, name="Standaardorganisatie", created_at=dt.datetime.now(dt.UTC)
        )
    )
    if connection.dialect.name == "postgresql":  # the explicit id 1 did not move the sequence
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('organisations', 'id'), 1)")
        )
    connection.execute(
        sa.insert(dataset_owners).from_select(
            ["dataset_id", "organisation_id"], sa.select(datasets.c.id, sa.literal(1))
        )
    )
    connection.execute(
        sa.insert(checklist_owners).from_select(
            ["area_code", "framework_id", "organisation_id"],
            sa.select(
                checklist_versions.c.area_code, checklist_versions.c.framework_id, sa.literal(1)
            ).distinct(),
        )
    )
    connection.execute(
        sa.insert(store_changes), [{"topic": t, "counter": 0} for t in CHANGE_TOPICS]
    )
    for statement in _APPEND_ONLY.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


#: Ordered schema steps; step i brings the schema to version i + 1. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
]
SCHEMA_VERSION = len(MIGRATIONS)
