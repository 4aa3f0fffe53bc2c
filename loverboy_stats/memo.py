"""A bounded memo shared by every session of a server process, built once per key.

Tables and figures of shipped or stored data are the same for every visitor: a server keeps
them once (:mod:`ui.state` decides what goes in). This is the mechanism, without Streamlit:

* **once per key**: when twenty sessions ask for the same key at once, one builds and the
  others wait for its result (a failed build is not kept; the next asker tries again);
* **bounded by size**: least recently used entries go first once the estimated sizes pass
  ``max_bytes`` (a value larger than the bound on its own is returned but not kept);
* **observable**: :attr:`SharedMemo.builds` counts builds, :attr:`SharedMemo.hits` reuses.

The key must say everything the value depends on (content, not names: a dataset's SHA-256,
never its id), so an entry can never go stale; nothing is invalidated.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class _Pending:
    """A build in progress: others wait on ``done``."""

    def __init__(self) -> None:
        self.done = threading.Event()


class SharedMemo:
    """Values by key, each built once while kept; least recently used first out.

    ``size(value)`` estimates a value's bytes (default: 0, so only ``max_entries`` bounds).
    """

    def __init__(
        self,
        max_bytes: int,
        *,
        size: Callable[[Any], int] = lambda value: 0,
        max_entries: int = 1_000,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.size = size
        self.builds = 0
        self.hits = 0
        self.bytes = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pending: dict[Hashable, _Pending] = {}

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value of ``key``: kept, being built by another thread (waited for), or built
        now by ``build()``."""
        while True:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return self._entries[key][0]
                pending = self._pending.get(key)
                if pending is None:
                    pending = self._pending[key] = _Pending()
                    break
            pending.done.wait()  # another thread builds it; then look again
        try:
            value = build()
            size = int(self.size(value))
        except BaseException:
            with self._lock:
                del self._pending[key]
            pending.done.set()
            raise
        with self._lock:
            self.builds += 1
            if size <= self.max_bytes:
                self._entries[key] = (value, size)
                self.bytes += size
                self._evict()
            del self._pending[key]
        pending.done.set()
        return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def keys(self) -> list[Hashable]:
        """The keys kept, least recently used first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def _evict(self) -> None:
        while self._entries and (
            self.bytes > self.max_bytes or len(self._entries) > self.max_entries
        ):
            _, (_, size) = self._entries.popitem(last=False)
            self.bytes -= size
