"""A short-lived cache for what wall screens poll (the board, the team timeline): many
screens and supervisors asking for the same depot within seconds share one computation.

Entries live `ttl` seconds. When one expires, a single thread recomputes it while the
others keep getting the expired value for that moment (no pile-up of identical work).
Every commit this process makes clears the cache (db.py), so a correction shows at once
here, and within `ttl` in the server's other workers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class WallCache:
    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[tuple, tuple[float, Any]] = {}
        self._computing: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if self.ttl <= 0:
            return compute()
        with self._lock:
            found = self._entries.get(key)
            computing = self._computing.setdefault(key, threading.Lock())
        if found is not None and found[0] > time.monotonic():
            return found[1]
        if found is not None and not computing.acquire(blocking=False):
            return found[1]  # another thread is refreshing it
        if found is None:
            computing.acquire()
        try:
            with self._lock:
                fresh = self._entries.get(key)
            if fresh is not None and fresh[0] > time.monotonic():
                return fresh[1]
            value = compute()
            with self._lock:
                if len(self._entries) > 256:
                    self._entries.clear()
                self._entries[key] = (time.monotonic() + self.ttl, value)
            return value
        finally:
            computing.release()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
