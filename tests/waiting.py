"""Waiting for another process or thread to get somewhere: poll, never sleep blindly."""

from __future__ import annotations

import time
from collections.abc import Callable


def eventually(condition: Callable[[], object], timeout: float = 30.0, every: float = 0.05) -> bool:
    """Whether `condition()` became true within `timeout` seconds (polled every `every`)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(every)
    return bool(condition())
