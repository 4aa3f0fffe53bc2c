"""The database schema, in one ``MetaData``, and the migrations that create it.

The schema carries a version in ``schema_version``. :data:`MIGRATIONS` is the ordered list of
steps; on opening, every step above the stored version runs, each in its own transaction together
with the version bump. A new table or column is a new step appended to the list; existing steps
are never edited, because databases in the field have already run them. The table definitions
below are what the steps create: changing one needs a new step.
"""

from __future__ import annotations

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


def _migration_1(connection: Connection) -> None:
    """Datasets and their rows."""
    metadata.create_all(connection, tables=[datasets, dataset_rows])


def _migration_2(connection: Connection) -> None:
    """Checklist versions and answers."""
    metadata.create_all(connection, tables=[checklist_versions, checklist_answers])


def _migration_3(connection: Connection) -> None:
    """Protection patterns of publication mode, computed once per data, k and design."""
    metadata.create_all(connection, tables=[protections])


#: Ordered schema steps; step i brings the schema to version i + 1. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2, _migration_3]
SCHEMA_VERSION = len(MIGRATIONS)
