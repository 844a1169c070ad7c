"""The wall cache: one computation per key while fresh, recomputed after its lifetime or a
clear, and never for a lifetime of 0."""

from __future__ import annotations

import threading
import time

from hub.web.wall_cache import WallCache


def test_fresh_entries_are_shared_and_clear_forgets_them():
    cache, calls = WallCache(60), []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get(("board", "north"), compute) == 1
    assert cache.get(("board", "north"), compute) == 1
    assert cache.get(("board", "south"), compute) == 2
    cache.clear()
    assert cache.get(("board", "north"), compute) == 3


def test_a_lifetime_of_zero_computes_every_time():
    cache, calls = WallCache(0), []
    for _ in range(3):
        cache.get(("k",), lambda: calls.append(1))
    assert len(calls) == 3


def test_one_thread_refreshes_an_expired_entry_while_others_get_the_old_one():
    cache = WallCache(0.01)
    cache.get(("k",), lambda: "old")
    time.sleep(0.02)
    started, release, results = threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        return "new"

    refresher = threading.Thread(target=lambda: results.append(cache.get(("k",), slow)))
    refresher.start()
    started.wait(5)
    assert cache.get(("k",), lambda: "unexpected") == "old"
    release.set()
    refresher.join(5)
    assert results == ["new"] and cache.get(("k",), lambda: "unexpected") == "new"
