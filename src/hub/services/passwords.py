"""Password, PIN and API-token hashing: argon2 for passwords and kiosk PINs people choose,
SHA-256 for the random tokens the hub issues (256 bits of entropy need no slow hash)."""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# A PIN is checked on the kiosk, a small board: OWASP's least argon2id (19 MiB, 2 passes,
# one lane) keeps a check there near a tenth of a second; a stolen roster's guesser pays
# as much per guess, a day's work for a 6-digit PIN on one core.
_PIN_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD = 10
PIN = re.compile(r"^[0-9]{6,8}$")  # a kiosk's touch screen: digits, and enough of them to make guessing slow


class WeakPassword(ValueError):
    """A password too short to keep."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def hash_pin(pin: str) -> str:
    """A kiosk PIN, hashed as a password is: kiosks check it offline (kiosk.pins)."""
    if not PIN.match(pin):
        raise WeakPassword("a PIN is 6 to 8 digits")
    return _PIN_HASHER.hash(pin)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# Compared against when the username is unknown, so a failed login takes as long either way.
DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return "dct_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
