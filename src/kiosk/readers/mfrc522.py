"""MFRC522 badge readers (the RC522 boards) on a Raspberry Pi's SPI, through `mfrc522`.

The library's `MFRC522` class does the register work and the transceive. It resolves only
cascade level 1 and keeps the BCC check byte in its number, so the cascade is done here:
levels 1 to 3 through `MFRC522_ToCard`, each answer's BCC checked and left out of the id,
so a 7-byte card gives the same badge id as on a PC/SC reader.

Presence (ISO/IEC 14443-3 card states): idle, the reader polls with REQA. A card it has
read is sent HLTA; a halted card ignores REQA but answers WUPA, so from then on a WUPA
answer (followed by HLTA again) means "still there" and silence means "taken away". A
card taken away and presented again powers up IDLE and answers REQA, so it is read again
even if that happened between two `read` calls. `mfrc522`, `spidev` and `RPi.GPIO` are
imported in `open`, so this module imports on a machine without them.
"""

from __future__ import annotations

import contextlib
import time
from enum import Enum
from typing import Any, Self

from depotclock.wire.badge import ReaderFamily, badge_id_from_uid
from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable

# seconds between polls, a tap lasting a few hundred ms; on top of the library's own wait,
# as its ToCard reads CommIrqReg 2,000 times before it gives up on a silent card
POLL_INTERVAL = 0.03
REQA, WUPA = 0x26, 0x52  # ISO 14443-3 short frames, 7 bits
HLTA = [0x50, 0x00, 0x57, 0xCD]  # HLTA with its CRC_A
CASCADE = (0x93, 0x95, 0x97)  # SEL codes of cascade levels 1, 2 and 3
NVB_ANTICOLL, NVB_SELECT = 0x20, 0x70  # ask for the whole UID CLn; select by all 40 bits
CASCADE_TAG = 0x88  # first byte of a UID CLn that does not end the UID
SAK_UID_INCOMPLETE = 0x04
NOT_ANSWERING = (0x00, 0xFF)  # VersionReg when MISO is held low or floats high
ANTENNA_ON = 0x03  # TxControlReg Tx1RFEn | Tx2RFEn; 0 after a power-on reset
RESET_PIN = 25  # BCM 25, physical pin 22: where RC522 wiring guides put RST


class _Held(Enum):
    """What the reader knows of the card it last handled, while that card stays."""

    HALTED = "halted"  # read and halted: REQA no longer wakes it
    STUCK = "stuck"  # not read (unreadable, or left half way): only WUPA tells it is there


class Mfrc522Reader:
    """The MFRC522 on /dev/spidev{bus}.{device}, its RST line on BCM pin `reset_pin`.

    BCM numbering, as gpiozero uses, so both can share RPi.GPIO. A card already on the
    reader when it is opened counts as handled. `BadgeRead.raw` is what the card answered
    to anticollision, per cascade level in hex with cascade tag and BCC, space-separated:
    "DEADBEEF22" for UID DE AD BE EF (the library's own `uid_to_num`, in hex), and
    "8804A1B29F C3D4E5F604" for 04 A1 B2 C3 D4 E5 F6.
    """

    family = ReaderFamily.MFRC522

    def __init__(
        self,
        bus: int = 0,
        device: int = 0,
        reset_pin: int = RESET_PIN,
        speed_hz: int = 1_000_000,
    ):
        self.bus = bus
        self.device = device
        self.reset_pin = reset_pin
        self.speed_hz = speed_hz
        self._chip: Any = None  # mfrc522.MFRC522, once open
        self._gpio: Any = None
        self._held: _Held | None = None

    @property
    def name(self) -> str:
        return f"MFRC522 on SPI {self.bus}.{self.device}"

    def open(self) -> None:
        MFRC522, GPIO = _import_library()
        path = f"/dev/spidev{self.bus}.{self.device}"
        if GPIO.getmode() not in (None, GPIO.BCM):  # the library would take it as BOARD
            raise ReaderUnavailable(
                f"RPi.GPIO is set to BOARD pin numbering: the {self.name} needs BCM, as "
                "gpiozero uses"
            )
        try:
            chip = MFRC522(
                bus=self.bus,
                device=self.device,
                spd=self.speed_hz,
                pin_mode=GPIO.BCM,
                pin_rst=self.reset_pin,
            )
        except FileNotFoundError as exc:
            raise ReaderUnavailable(
                f"no SPI device {path}: enable SPI (dtparam=spi=on) or fix reader.spi_bus "
                "and reader.spi_device"
            ) from exc
        except PermissionError as exc:
            raise ReaderUnavailable(
                f"no permission to open {path}: add the kiosk's user to the spi group"
            ) from exc
        except (OSError, RuntimeError, ValueError) as exc:  # RPi.GPIO refusing the RST pin
            raise ReaderUnavailable(
                f"cannot set up the {self.name} with RST on BCM {self.reset_pin}: {exc}"
            ) from exc
        chip.logger.handlers.clear()  # it adds a stderr handler each time; reopening stacks
        self._chip, self._gpio = chip, GPIO
        try:
            self._check_chip()
            self._held = None
            if self._request(WUPA):  # already on the reader: handled, read or not
                with contextlib.suppress(CardUnreadable):
                    self._read_card()
        except ReaderUnavailable:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise ReaderUnavailable(f"{self.name} failed: {exc}") from exc

    def read(self, timeout: float) -> BadgeRead | None:
        """The next card presented within `timeout` seconds, or None."""
        if self._chip is None:
            raise ReaderUnavailable(f"the {self.name} is not open")
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._check_chip()
                badge = self._poll()
            except OSError as exc:
                raise ReaderUnavailable(f"{self.name} failed: {exc}") from exc
            if badge is not None:
                return badge
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(POLL_INTERVAL, remaining))

    def close(self) -> None:
        """Let go of the SPI device and the RST pin only: gpiozero may hold other pins."""
        chip, gpio = self._chip, self._gpio
        self._chip = self._gpio = None
        if chip is not None:
            chip.spi.close()  # not Close_MFRC522: its GPIO.cleanup() frees every pin
            gpio.cleanup(self.reset_pin)

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_chip(self) -> None:
        chip = self._chip
        if chip.Read_MFRC522(chip.VersionReg) in NOT_ANSWERING:
            raise ReaderUnavailable(
                f"MFRC522 not answering on SPI {self.bus}.{self.device}: check wiring"
            )
        if not chip.Read_MFRC522(chip.TxControlReg) & ANTENNA_ON:
            raise ReaderUnavailable(
                f"the {self.name} has reset itself (a power dip?), its antenna is off"
            )

    def _poll(self) -> BadgeRead | None:
        """One look at the field: a read for a new presentation, else None."""
        if self._held is not _Held.STUCK and self._request(REQA):
            return self._read_card()
        if self._held is not None:
            if self._request(WUPA):
                self._transceive(HLTA)  # back to HALT (or IDLE), where WUPA finds it again
            else:
                self._held = None
        return None

    def _read_card(self) -> BadgeRead | None:
        """Resolve the UID of the card that just answered REQA or WUPA, then halt it.

        None if it stopped answering half way (taken away). The card counts as handled
        whatever comes of it, so an unreadable card is reported once.
        """
        self._held = _Held.STUCK
        try:
            uid, answers = self._resolve_uid()
        except CardUnreadable:
            self._check_chip()  # a chip going away garbles answers: say that instead
            raise
        finally:
            self._transceive(HLTA)  # halts a selected card; any other falls back to IDLE
        if uid is None:
            return None
        self._held = _Held.HALTED
        raw = " ".join(bytes(answer).hex().upper() for answer in answers)
        return BadgeRead(badge_id_from_uid(uid), self.family, raw=raw)

    def _resolve_uid(self) -> tuple[bytes | None, list[list[int]]]:
        """ISO 14443-3 anticollision and select, cascade level by level: UID and answers.

        The library's Anticoll and SelectTag know only level 1 (SEL 0x93), and SelectTag's
        0 for "no answer" is also the SAK of a MIFARE Ultralight, so both go by ToCard.
        """
        uid = b""
        answers: list[list[int]] = []
        for level, sel in enumerate(CASCADE, start=1):
            answer = self._transceive([sel, NVB_ANTICOLL])
            if answer is None:
                return None, answers
            part = bytes(answer[:4])
            if len(answer) != 5 or answer[4] != part[0] ^ part[1] ^ part[2] ^ part[3]:
                raise CardUnreadable(
                    f"the card's UID came garbled at cascade level {level}: "
                    f"{bytes(answer).hex(' ').upper()} is not 4 UID bytes and their BCC; "
                    "tap again"
                )
            answers.append(answer)
            selected = self._transceive([sel, NVB_SELECT, *answer], crc=True)
            if selected is None or len(selected) != 3:
                return None, answers
            complete = not selected[0] & SAK_UID_INCOMPLETE
            if complete == (part[0] == CASCADE_TAG):
                raise CardUnreadable(
                    f"the card's SAK {selected[0]:02X} contradicts its UID at cascade "
                    f"level {level} ({part.hex(' ').upper()}): tap again"
                )
            if complete:
                return uid + part, answers
            uid += part[1:]
        raise CardUnreadable("the card's UID goes on past cascade level 3: not ISO 14443A")

    def _request(self, command: int) -> bool:
        """REQA or WUPA: True when a card answers with an ATQA."""
        chip = self._chip
        status, _ = chip.MFRC522_Request(command)
        return status == chip.MI_OK

    def _transceive(self, frame: list[int], crc: bool = False) -> list[int] | None:
        """Send whole bytes (CRC_A appended if `crc`): the answer, or None for none."""
        chip = self._chip
        if crc:
            frame = [*frame, *chip.CalulateCRC(frame)]
        chip.Write_MFRC522(chip.BitFramingReg, 0x00)  # REQA/WUPA left TxLastBits at 7
        status, answer, _ = chip.MFRC522_ToCard(chip.PCD_TRANSCEIVE, frame)
        return answer if status == chip.MI_OK and answer else None


def _import_library() -> tuple[Any, Any]:
    try:
        from mfrc522 import MFRC522
        from RPi import GPIO
    except ImportError as exc:
        raise ReaderUnavailable(
            f"{exc.name or 'mfrc522'} is not installed: pip install 'depotclock[kiosk]'"
        ) from exc
    except RuntimeError as exc:  # RPi.GPIO on import, off a Raspberry Pi
        raise ReaderUnavailable(f"RPi.GPIO cannot run here: {exc}") from exc
    return MFRC522, GPIO
