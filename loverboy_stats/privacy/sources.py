"""Where a protection pattern comes from: computed, read from a shipped file, or remembered.

A source answers ``source.pattern(local_year, k)``. The table set asks it once per
dataset-year; what a server keeps is its own choice: :class:`Remembered` in memory (a browser
session or one command), :class:`PatternFile` for shipped data (the demo's patterns are made
once by scripts/make_demo.py), the store's repository for stored datasets.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import pandas as pd

from loverboy_stats.privacy import data_key, design_in_use, protect_year
from loverboy_stats.privacy.pattern import Pattern


class PatternSource(Protocol):
    def pattern(self, local_year: pd.DataFrame, k: int) -> Pattern:
        """The pattern of one year of a dataset for threshold ``k``."""


class Computed:
    """Compute every pattern anew (the default; deterministic, but can take a while)."""

    def pattern(self, local_year: pd.DataFrame, k: int) -> Pattern:
        return protect_year(local_year, k)


class Remembered:
    """Keep the last ``keep`` patterns of ``source`` in memory, by their data key."""

    def __init__(self, source: PatternSource | None = None, keep: int = 32) -> None:
        self.source = source or Computed()
        self.keep = keep
        self.found: OrderedDict[str, Pattern] = OrderedDict()

    def pattern(self, local_year: pd.DataFrame, k: int) -> Pattern:
        key = data_key(local_year, k, design_in_use())
        if key not in self.found:
            self.found[key] = self.source.pattern(local_year, k)
            while len(self.found) > self.keep:
                self.found.popitem(last=False)
        self.found.move_to_end(key)
        return self.found[key]


class PatternFile:
    """Patterns shipped in a gzipped file (one JSON pattern per line); data that is not in the
    file (other counts, another k or design) is computed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, Pattern] | None = None

    def pattern(self, local_year: pd.DataFrame, k: int) -> Pattern:
        if self.known is None:
            lines = []
            if self.path.is_file():
                lines = gzip.decompress(self.path.read_bytes()).decode("utf-8").splitlines()
            self.known = {p.key: p for p in map(Pattern.from_json, filter(None, lines))}
        key = data_key(local_year, k, design_in_use())
        return self.known.get(key) or protect_year(local_year, k)


def write_pattern_file(path: Path, patterns: list[Pattern]) -> None:
    """Write ``patterns`` as a :class:`PatternFile` (sorted and without a time stamp, so the
    same patterns always give the same bytes)."""
    text = "\n".join(sorted(p.to_json() for p in patterns)) + "\n"
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
