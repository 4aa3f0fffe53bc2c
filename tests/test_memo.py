"""The shared memo: one build per key even when many sessions ask at once, bounded by size,
and a failed build is not kept."""

from __future__ import annotations

import threading
import time

import pytest

from loverboy_stats.memo import SharedMemo


def test_twenty_threads_asking_at_once_get_one_build():
    memo = SharedMemo(max_bytes=1_000)
    started = threading.Barrier(20)
    results: list[object] = []

    def build() -> object:
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return object()

    def ask() -> None:
        started.wait()
        results.append(memo.get("tabellen", build))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert memo.builds == 1 and memo.hits == 19
    assert len({id(result) for result in results}) == 1  # every session got the same object


def test_the_least_recently_used_go_first_when_the_sizes_pass_the_bound():
    memo = SharedMemo(max_bytes=250, size=len)
    for key in "abc":
        memo.get(key, lambda key=key: key * 100)  # 100 bytes each
    assert memo.keys() == ["b", "c"] and memo.bytes == 200
    memo.get("b", lambda: pytest.fail("b is kept"))  # used again: now the most recent
    memo.get("d", lambda: "d" * 100)
    assert memo.keys() == ["b", "d"]


def test_a_value_larger_than_the_bound_is_returned_but_not_kept():
    memo = SharedMemo(max_bytes=10, size=len)
    assert memo.get("groot", lambda: "x" * 11) == "x" * 11
    assert "groot" not in memo and memo.bytes == 0


def test_a_failed_build_is_not_kept_and_the_next_asker_builds_again():
    memo = SharedMemo(max_bytes=100)
    with pytest.raises(ValueError):
        memo.get("kapot", lambda: (_ for _ in ()).throw(ValueError("kapot")))
    assert memo.get("kapot", lambda: "goed") == "goed"
    assert memo.builds == 1
