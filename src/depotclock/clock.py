"""Whether this device's clock is synchronised (NTP or otherwise), from the kernel."""

from __future__ import annotations

import ctypes
import ctypes.util

TIME_ERROR = 5  # adjtimex(2): the clock is not synchronised


def system_clock_synced() -> bool:
    """Asks the kernel with a read-only adjtimex(2), which every time daemon updates."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    timex = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes = 0 reads only
    return libc.adjtimex(timex) != TIME_ERROR
