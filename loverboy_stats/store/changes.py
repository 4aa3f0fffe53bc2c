"""Change counters: how replicas of a shared server notice what another replica changed.

Every change of shared state bumps the counter of its topic in the change's own transaction
(:func:`bump`). A page reads the counters once per rerun (:func:`ChangeCounters.current`) and
drops what it kept in the session when a counter moved, so a rename in one replica shows in the
other on its next rerun.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from loverboy_stats.store.schema import CHANGE_TOPICS, store_changes


def bump(connection: Connection, topic: str) -> None:
    """Count one change of ``topic`` (one of :data:`CHANGE_TOPICS`) in ``connection``'s
    transaction."""
    if topic not in CHANGE_TOPICS:
        raise ValueError(f"unknown change topic {topic!r}")
    connection.execute(
        sa.update(store_changes)
        .where(store_changes.c.topic == topic)
        .values(counter=store_changes.c.counter + 1)
    )


class ChangeCounters:
    """The counters in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self) -> dict[str, int]:
        """Topic -> counter, read in one query."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(store_changes.c.topic, store_changes.c.counter))
            return {row.topic: int(row.counter) for row in rows}
