"""Stored protection patterns: publication mode computed once per data, k and design.

The key is a digest of the data itself (:func:`loverboy_stats.privacy.pattern.data_key`), so a
stored pattern can never belong to other counts; every replica of a shared server reads the
same one.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from loverboy_stats.privacy import data_key, design_in_use, protect_year
from loverboy_stats.privacy.pattern import Pattern
from loverboy_stats.store.engine import now
from loverboy_stats.store.schema import protections


class ProtectionRepository:
    """Patterns in the database behind ``engine``; also a pattern source for the table set."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> Pattern | None:
        with self.engine.connect() as connection:
            text = connection.execute(
                sa.select(protections.c.pattern).where(protections.c.data_key == key)
            ).scalar()
        return None if text is None else Pattern.from_json(text)

    def put(self, pattern: Pattern) -> None:
        """Store ``pattern`` (a second, identical one from another process is fine)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.insert(protections).values(
                        data_key=pattern.key,
                        k=pattern.k,
                        design=pattern.design,
                        pattern=pattern.to_json(),
                        created_at=now(),
                    )
                )
        except sa.exc.IntegrityError:
            pass  # another process stored the same pattern first: it is the same one

    def pattern(self, local_year: pd.DataFrame, k: int) -> Pattern:
        """The stored pattern of this data, computed and stored when there is none yet."""
        key = data_key(local_year, k, design_in_use())
        found = self.get(key)
        if found is None:
            found = protect_year(local_year, k)
            self.put(found)
        return found
