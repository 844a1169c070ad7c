"""How far ahead of its arrival an instant may lie.

A device's clock may run a little ahead of the hub's; a fix or status dated years ahead
(a receiver's bad week number, a clock set wrong) is no instant the hub can use: stored,
it would stay the van's newest word (its "last seen") until that date. The hub refuses
such items as dead letters, weighed against the broker's receive time; a unit with a
synchronised clock does not send them. Pure: both instants are passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FUTURE_TOLERANCE_S = 600  # the default: ten minutes of clock skew


def ahead_of(at: datetime, received_at: datetime, tolerance_s: float) -> str | None:
    """Why `at` is too far ahead of `received_at` to be taken, or None if it is not."""
    ahead = at - received_at
    if ahead <= timedelta(seconds=tolerance_s):
        return None
    return (f"{at.isoformat()} is {_span(ahead)} ahead of its arrival ({received_at.isoformat()}); "
            f"more than {tolerance_s:g} s ahead is refused")


def _span(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    if days >= 365:
        return f"{days / 365.25:.1f} years"
    if days >= 1:
        return f"{days:.1f} days"
    return f"{delta.total_seconds():.0f} s"
