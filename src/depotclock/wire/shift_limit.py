"""When an open shift stops counting as open: the auto clock-out limit.

A shift clocked in and never clocked out is closed automatically once it is older than
the limit (18 hours unless the company sets another). The hub's engine, the hub's
roster and each kiosk's roster book apply this one rule. It lives with the wire contract
because a kiosk installs only `depotclock` (never the hub) and reads the limit from the
roster the hub sends (`Roster.auto_clock_out_after_h`). Pure: instants are passed in.
"""

from __future__ import annotations

from datetime import timedelta

AUTO_CLOCK_OUT_AFTER_H = 18
MAX_AUTO_CLOCK_OUT_AFTER_H = 48


def past_limit(open_for: timedelta, limit_h: int) -> bool:
    """Whether a shift open for `open_for` since its clock-in is closed automatically:
    strictly more than `limit_h` hours (a shift of exactly the limit is still open)."""
    return open_for > timedelta(hours=limit_h)
