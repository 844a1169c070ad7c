"""Whether this device's clock is synchronised (NTP or otherwise), from the kernel."""

from __future__ import annotations

import ctypes

TIME_ERROR = 5  # adjtimex(2): the clock is not synchronised
# This process's own symbols, the C library's among them (ctypes.util.find_library would
# run ldconfig at every call: the van asks at every GPS fix).
_LIBC = ctypes.CDLL(None, use_errno=True)


def system_clock_synced() -> bool:
    """Asks the kernel with a read-only adjtimex(2), which every time daemon updates."""
    timex = ctypes.create_string_buffer(512)  # struct timex, zeroed: modes = 0 reads only
    return _LIBC.adjtimex(timex) != TIME_ERROR
