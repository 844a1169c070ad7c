"""The base of DepotClock's own errors: a message a user can act on. The commands print
it and exit with status 1 (`depotclock.command`); nothing else needs to translate it."""

from __future__ import annotations


class DepotClockError(Exception):
    """An error whose message says what is wrong and what to do about it."""
