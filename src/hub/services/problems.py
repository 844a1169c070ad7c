"""Errors a user can act on, each naming the field (of a form or a JSON body) at fault."""

from __future__ import annotations

from depotclock.errors import DepotClockError


class Invalid(DepotClockError, ValueError):
    """Bad input: `field` names what to fix; nothing was saved."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Locked(Invalid):
    """The week is approved or its pay period locked: no corrections until payroll reopens it."""

    def __init__(self, message: str):
        super().__init__("week", message)
