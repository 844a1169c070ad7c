"""The kiosk's PIN fallback for a forgotten badge, checked offline against the argon2
hashes the roster carries (`depotclock.wire.messages.RosterEntry.pin_hash`).

Offline because the kiosk works from its roster when the hub is away, and a forgotten
badge is no rarer then. The price: a kiosk's roster holds every technician's PIN hash, so
whoever takes a kiosk's storage could guess PINs at leisure (argon2 makes each guess cost
tens of milliseconds, a 6-digit PIN about a million of them). So a PIN only ever punches,
flagged `pin` (and, by setting, `needs_approval`); it never logs in anywhere.

Ten wrong PINs for one technician id lock it on this kiosk for `lock_s`; each lockout is
logged and counted in the kiosk's status, which the hub keeps. Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MAX_WRONG = 10
LOCK_S = 900.0
_HASHER = PasswordHasher()


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    if not pin_hash:
        return False
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


@dataclass
class PinGuard:
    """Wrong PINs by technician id (as typed), and the ids locked until a monotonic time."""

    max_wrong: int = MAX_WRONG
    lock_s: float = LOCK_S
    lockouts: int = 0  # since the kiosk started
    _wrong: dict[str, int] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)

    def locked_until(self, tech: str, mono: float) -> float | None:
        until = self._locked.get(tech)
        if until is not None and mono >= until:
            del self._locked[tech]
            return None
        return until

    def wrong(self, tech: str, mono: float) -> bool:
        """Count a wrong PIN; True when it locks the id."""
        self._wrong[tech] = self._wrong.get(tech, 0) + 1
        if self._wrong[tech] < self.max_wrong:
            return False
        del self._wrong[tech]
        self._locked[tech] = mono + self.lock_s
        self.lockouts += 1
        return True

    def right(self, tech: str) -> None:
        self._wrong.pop(tech, None)

    def locked(self, mono: float) -> tuple[str, ...]:
        return tuple(sorted(t for t in list(self._locked) if self.locked_until(t, mono) is not None))
