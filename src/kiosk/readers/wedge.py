"""USB keyboard-wedge badge readers through evdev: the reader types the card number + Enter.

The device is grabbed, so the digits reach only us and never the console. A pure
`WedgeDecoder` turns key events into badge reads; `WedgeReader` is the thin loop that
waits on the device and feeds it. evdev is imported when needed, so this module imports
on a machine without it.
"""

from __future__ import annotations

import contextlib
import errno
import select
import time
from collections import deque
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, Literal, Protocol, Self

from depotclock.wire.badge import UID_LENGTHS, ReaderFamily, badge_id_from_decimal, badge_id_from_uid
from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable

MAX_GAP = 0.2  # seconds between key-downs; readers type a code in a few ms a key
DECIMAL_DIGITS = range(8, 21)  # W26 facility + card (3 + 5) up to what a badge id holds
UID_DECIMAL_DIGITS = 10  # a 4-byte UID as an unsigned 32-bit number, zero-padded
KEY_DOWN = 1  # evdev key event values: 0 up, 1 down, 2 autorepeat


class WedgeFormat(StrEnum):
    """What the reader types for a card."""

    DECIMAL = "decimal"  # part of the card number (EM4100, W26): kept as W + digits
    UID_DECIMAL = "uid_decimal"  # a 4-byte UID as a 10-digit number
    UID_HEX = "uid_hex"  # the UID bytes in hex


class KeyEvent(Protocol):
    """What the decoder reads of an evdev.InputEvent."""

    type: int
    code: int
    value: int

    def timestamp(self) -> float: ...


class WedgeDecoder:
    """Key-down events in, badge reads out: a code is the keys typed before Enter.

    A gap of more than `max_gap` seconds between keys (event timestamps) drops what was
    typed so far: a person at a keyboard, or a read broken off half way. An Enter that
    comes after such a gap ends the dropped typing and gives nothing.
    """

    def __init__(
        self, format: str = "decimal", byte_order: str = "big", max_gap: float = MAX_GAP
    ):
        from evdev import ecodes

        self.format = _wedge_format(format)
        self.byte_order = _byte_order(byte_order)
        self.max_gap = max_gap
        self._ecodes = ecodes
        self._chars = _key_chars(ecodes, hex_digits=self.format is WedgeFormat.UID_HEX)
        self._enter = {ecodes.KEY_ENTER, ecodes.KEY_KPENTER}
        self._shift = {ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT}  # before A-F on some
        self._typed: list[str] = []
        self._stray: str | None = None  # name of the first key that has no place in a code
        self._last_key: float | None = None

    def feed(self, event: KeyEvent) -> BadgeRead | None:
        """The read this event completes, if any; CardUnreadable for a garbled code."""
        if event.type != self._ecodes.EV_KEY or event.value != KEY_DOWN:
            return None
        now = event.timestamp()
        pending = bool(self._typed) or self._stray is not None
        gap = now - self._last_key if self._last_key is not None else 0.0
        dropped = pending and gap > self.max_gap
        self._last_key = now
        if dropped:
            self._clear()
        if event.code in self._enter:
            typed, stray = "".join(self._typed), self._stray
            self._clear()
            return None if dropped else self._badge(typed, stray)
        char = self._chars.get(event.code)
        if char is not None:
            self._typed.append(char)
        elif event.code not in self._shift and self._stray is None:
            self._stray = _key_name(self._ecodes, event.code)
        return None

    def feed_all(self, events: Iterable[KeyEvent]) -> list[BadgeRead | CardUnreadable]:
        """Every read and every unreadable card in `events`, in the order they ended."""
        outcomes: list[BadgeRead | CardUnreadable] = []
        for event in events:
            try:
                read = self.feed(event)
            except CardUnreadable as exc:
                outcomes.append(exc)
            else:
                if read is not None:
                    outcomes.append(read)
        return outcomes

    def _clear(self) -> None:
        self._typed.clear()
        self._stray = None

    def _badge(self, typed: str, stray: str | None) -> BadgeRead:
        fmt = self.format
        if stray is not None:
            raise CardUnreadable(
                f"the reader typed {stray} in {typed!r}: not a {fmt} code; tap again, "
                f"or check that the reader's output matches the wedge format ({fmt})"
            )
        if not typed:
            raise CardUnreadable("the reader sent Enter with no number: tap the card again")
        if fmt is WedgeFormat.DECIMAL:
            if len(typed) not in DECIMAL_DIGITS:
                raise CardUnreadable(
                    f"the reader typed {typed!r}: {len(typed)} digits, not "
                    f"{DECIMAL_DIGITS.start} to {DECIMAL_DIGITS.stop - 1}; tap again"
                )
            return BadgeRead(badge_id_from_decimal(typed), ReaderFamily.WEDGE, raw=typed)
        if fmt is WedgeFormat.UID_DECIMAL:
            if len(typed) != UID_DECIMAL_DIGITS or int(typed) > 0xFFFFFFFF:
                raise CardUnreadable(
                    f"the reader typed {typed!r}: not a 4-byte UID as {UID_DECIMAL_DIGITS} "
                    f"digits up to 4294967295; tap again"
                )
            uid = int(typed).to_bytes(4, self.byte_order)
            return BadgeRead(badge_id_from_uid(uid), ReaderFamily.WEDGE, raw=typed)
        if len(typed) % 2 or len(typed) // 2 not in UID_LENGTHS:
            raise CardUnreadable(
                f"the reader typed {typed!r}: {len(typed)} hex digits, not the "
                f"{', '.join(str(2 * n) for n in UID_LENGTHS)} of a UID; tap again"
            )
        return BadgeRead(badge_id_from_uid(bytes.fromhex(typed)), ReaderFamily.WEDGE, raw=typed)


class WedgeReader:
    """The keyboard-wedge reader at `device`: a /dev/input path, or part of its name.

    `format` is what the reader types (decimal, uid_decimal or uid_hex); `byte_order`
    (big or little) is the order of the UID bytes in a uid_decimal number, so that the
    card gives the same badge id as on an MFRC522 or PC/SC reader. `open_device` makes
    the device from a path (default evdev.InputDevice). `BadgeRead.raw` is what was typed.
    """

    family = ReaderFamily.WEDGE

    def __init__(
        self,
        device: str,
        format: str = "decimal",
        byte_order: str = "big",
        *,
        max_gap: float = MAX_GAP,
        open_device: Callable[[str], Any] | None = None,
    ):
        self.device = device
        self.format = _wedge_format(format)
        self.byte_order = _byte_order(byte_order)
        self.max_gap = max_gap
        self.path: str | None = None  # the event device in use, once open
        self._open_device = open_device
        self._device: Any = None
        self._decoder: WedgeDecoder | None = None
        self._ready: deque[BadgeRead | CardUnreadable] = deque()

    def open(self) -> None:
        try:
            import evdev
        except ImportError as exc:
            raise ReaderUnavailable(
                "python-evdev is not installed: pip install 'depotclock[kiosk]'"
            ) from exc
        open_device = self._open_device or evdev.InputDevice
        if self.device.startswith("/"):
            self.path, device = self.device, _open(open_device, self.device)
        else:
            self.path, device = self._find_by_name(evdev, open_device)
        try:
            device.grab()
        except OSError as exc:
            device.close()
            if exc.errno == errno.EBUSY:
                raise ReaderUnavailable(
                    f"another process has grabbed {self.path} (a second kiosk? "
                    f"see who has it open: fuser -v {self.path})"
                ) from exc
            raise ReaderUnavailable(f"cannot grab {self.path}: {exc.strerror or exc}") from exc
        self._device = device
        self._decoder = WedgeDecoder(self.format, self.byte_order, self.max_gap)
        self._ready.clear()

    def read(self, timeout: float) -> BadgeRead | None:
        """The next card typed within `timeout` seconds, or None."""
        if self._device is None or self._decoder is None:
            raise ReaderUnavailable("the wedge reader is not open")
        deadline = time.monotonic() + timeout
        while not self._ready:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                ready, _, _ = select.select([self._device.fileno()], [], [], remaining)
                events = list(self._device.read()) if ready else None
            except BlockingIOError:
                events = []
            except (OSError, ValueError) as exc:  # ValueError: select on a closed fd
                raise ReaderUnavailable(_gone(self.path, exc)) from exc
            if events is None:
                return None
            self._ready.extend(self._decoder.feed_all(events))
            if not self._ready and remaining == 0:
                return None
        outcome = self._ready.popleft()
        if isinstance(outcome, CardUnreadable):
            raise outcome
        return outcome

    def close(self) -> None:
        device, self._device = self._device, None
        if device is None:
            return
        with contextlib.suppress(OSError):  # unplugged: the grab went with the device
            device.ungrab()
        with contextlib.suppress(OSError):
            device.close()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _find_by_name(self, evdev: Any, open_device: Callable[[str], Any]) -> tuple[str, Any]:
        """The first input device whose name contains `device` and that has digits and Enter.

        A wedge reader often shows up as several event devices (keyboard, consumer
        control); only its keyboard types.
        """
        ecodes = evdev.ecodes
        seen = []
        for path in sorted(evdev.list_devices()):
            try:
                device = open_device(path)
            except OSError:
                continue
            keys = device.capabilities().get(ecodes.EV_KEY, [])
            if self.device.lower() in device.name.lower() and {
                ecodes.KEY_0,
                ecodes.KEY_ENTER,
            } <= set(keys):
                return path, device
            seen.append(device.name)
            device.close()
        raise ReaderUnavailable(
            f"no keyboard input device named *{self.device}*; readable devices: {seen}. "
            f"If the reader is plugged in, the kiosk's user may need the input group"
        )


def _open(open_device: Callable[[str], Any], path: str) -> Any:
    try:
        return open_device(path)
    except FileNotFoundError as exc:
        raise ReaderUnavailable(
            f"no input device at {path}: is the reader plugged in? (ls -l /dev/input/by-id/)"
        ) from exc
    except PermissionError as exc:
        raise ReaderUnavailable(
            f"permission denied on {path}: add the kiosk's user to the input group "
            f"(usermod -aG input USER) or give the reader a udev rule"
        ) from exc
    except OSError as exc:
        raise ReaderUnavailable(f"cannot open {path}: {exc.strerror or exc}") from exc


def _gone(path: str | None, exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENODEV:
        return f"the wedge reader at {path} was unplugged"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"the wedge reader at {path} stopped answering: {reason}"


def _wedge_format(value: str) -> WedgeFormat:
    try:
        return WedgeFormat(value)
    except ValueError:
        choices = ", ".join(f.value for f in WedgeFormat)
        raise ValueError(f"wedge format is one of {choices}, not {value!r}") from None


def _byte_order(value: str) -> Literal["big", "little"]:
    if value == "big":
        return "big"
    if value == "little":
        return "little"
    raise ValueError(f"wedge byte order is big or little, not {value!r}")


def _key_chars(ecodes: Any, hex_digits: bool) -> dict[int, str]:
    """Key code -> the character it types in a code: digits, and A-F for hex readers."""
    chars = {getattr(ecodes, f"KEY_{d}"): str(d) for d in range(10)}
    chars |= {getattr(ecodes, f"KEY_KP{d}"): str(d) for d in range(10)}
    if hex_digits:
        chars |= {getattr(ecodes, f"KEY_{c}"): c for c in "ABCDEF"}
    return chars


def _key_name(ecodes: Any, code: int) -> str:
    name = ecodes.KEY.get(code) or ecodes.BTN.get(code) or f"key {code}"
    return name[0] if isinstance(name, list) else name

