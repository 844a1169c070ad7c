"""The cyclic garbage collector paused for batch work over many small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic collector off for the duration. A chunk of technicians makes and
    holds hundreds of thousands of small objects (events, segments, rows) that form no
    cycles; the collector would rescan them again and again (a large share of an export's
    CPU time: docs/scaling.md), while reference counting frees them all when the chunk is
    done."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
