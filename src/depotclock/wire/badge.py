"""Badge identity: one card gives one badge id, whatever reader family read it."""

from __future__ import annotations

import re
from enum import StrEnum

UID_LENGTHS = (4, 7, 10)  # ISO 14443-3 single, double and triple size UIDs
BADGE_ID_PATTERN = r"^(?:[0-9A-F]{8}|[0-9A-F]{14}|[0-9A-F]{20}|W[0-9]{1,20})$"
_BADGE_ID = re.compile(BADGE_ID_PATTERN)


class ReaderFamily(StrEnum):
    """The reader families a kiosk or cab unit can be fitted with."""

    MFRC522 = "mfrc522"
    PCSC = "pcsc"
    WEDGE = "wedge"
    SIMULATED = "simulated"


class BadgeError(ValueError):
    """A value that cannot be a badge id."""


def badge_id_from_uid(uid: bytes) -> str:
    """Upper-case hex of the UID bytes, check byte excluded: 4-, 7- or 10-byte UIDs."""
    if len(uid) not in UID_LENGTHS:
        raise BadgeError(f"a card UID has 4, 7 or 10 bytes, not {len(uid)}")
    return uid.hex().upper()


def badge_id_from_decimal(digits: str) -> str:
    """Badge id of a number printed by a keyboard-wedge reader that cannot give the UID.

    Such readers (125 kHz EM4100, "W26" output) print only part of the card number, so
    the id is kept as the printed number, prefixed so it never collides with a UID.
    """
    if not digits.isdigit() or len(digits) > 20:
        raise BadgeError(f"a wedge reader prints up to 20 digits, not {digits!r}")
    return f"W{int(digits)}"


def check_badge_id(value: str) -> str:
    """Return `value` if it is a well-formed badge id, else raise BadgeError."""
    if not _BADGE_ID.match(value):
        raise BadgeError(
            f"{value!r} is not a badge id (8, 14 or 20 upper-case hex digits, or W and digits)"
        )
    return value
