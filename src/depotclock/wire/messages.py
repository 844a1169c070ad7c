"""Payload types: every message is JSON with a version, a UUID, the device, its sequence
number and the device's own timestamp (with UTC offset). Unknown fields are ignored, so a
newer device can add optional fields without breaking an older hub."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from depotclock.wire.badge import BADGE_ID_PATTERN, ReaderFamily
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H, MAX_AUTO_CLOCK_OUT_AFTER_H
from depotclock.wire.topics import DEVICE_ID_PATTERN

SCHEMA_VERSION = 1
MAX_BATCH = 1000
# What the store's columns hold: a journal entry's seq and a status's backlog are INTEGER
# (32-bit signed) columns; other sequence numbers travel only, and stay within 64 bits.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)


# Bounds pydantic checks natively (a Python validator per instant would cost a fifth of
# parsing telemetry); the codec words their errors as impossible instants.
Instant = Annotated[AwareDatetime, Field(ge=EARLIEST, lt=LATEST)]
DeviceId = Annotated[str, StringConstraints(pattern=DEVICE_ID_PATTERN)]
BadgeId = Annotated[str, StringConstraints(pattern=BADGE_ID_PATTERN)]
JournalSeq = Annotated[int, Field(ge=0, le=INT32_MAX)]  # stored with the entry
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
# Text the hub stores: no control characters (C0, DEL, C1), NUL above all, which
# PostgreSQL cannot hold in text or read back from JSON.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"
PRINTABLE_PATTERN = f"^[^{CONTROL_CHARACTERS}]*$"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]+")


Printable = StringConstraints(pattern=PRINTABLE_PATTERN)


def one_line(text: str, max_length: int) -> str:
    """`text` as a device may send it in a Printable field: control characters (a newline in an
    error message) become a space, and it is cut to `max_length`."""
    return _CONTROL.sub(" ", text)[:max_length]


class _Wire(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")


class Envelope(_Wire):
    """What every message carries."""

    v: int = Field(default=SCHEMA_VERSION, ge=SCHEMA_VERSION, le=SCHEMA_VERSION)  # not Literal: True == 1
    id: UUID
    device: DeviceId
    seq: int = Field(ge=0, le=INT64_MAX)
    at: Instant


class Badge(_Wire):
    """A card as a reader saw it: the normalised id plus the raw value for enrollment."""

    id: BadgeId
    family: ReaderFamily
    raw: Annotated[str, Printable, Field(max_length=64)]


class DeviceClock(_Wire):
    """Evidence about the device clock, so the hub can flag punches from a clock that jumped."""

    synced: bool
    boot: Annotated[str, Printable, Field(min_length=1, max_length=64)]
    monotonic_s: float = Field(ge=0, allow_inf_nan=False)


class PunchAction(StrEnum):
    CLOCK_IN = "clock_in"
    CLOCK_OUT = "clock_out"
    BREAK_START = "break_start"
    BREAK_END = "break_end"


class BreakKind(StrEnum):
    MEAL = "meal"
    REST = "rest"


class Punch(Envelope):
    """A technician's punch at a kiosk, as the kiosk decided it: with a badge, or (`pin`)
    with the technician's PIN instead, when `tech` says whose it is and there is no badge."""

    kind: Literal["punch"] = "punch"
    seq: JournalSeq
    badge: Badge | None = None
    action: PunchAction
    break_kind: BreakKind | None = None
    tech: DeviceId | None = None
    clock: DeviceClock
    pin: bool = False

    @model_validator(mode="after")
    def _badge_or_pin(self) -> Punch:
        if (self.badge is None) != self.pin or (self.pin and self.tech is None):
            raise ValueError("a punch has a badge, or a PIN (pin true) and the technician, not both")
        return self


class UnknownBadge(Envelope):
    """A badge the kiosk's roster does not know: recorded so a supervisor can enroll it."""

    kind: Literal["unknown_badge"] = "unknown_badge"
    seq: JournalSeq
    badge: Badge
    clock: DeviceClock


class DeviceState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


READER_ERROR_LENGTH = 500


class LinkStatus(Envelope):
    """A device's retained status. Its Last Will, `offline` and `lost`, is set again at
    every (re)connect and carries that connection's `connected_at`, so the hub can tell a
    will from a connection that is already over (after the device came back) from the
    current one's; the device cannot know when a connection dies, so the hub dates a will
    by its arrival."""

    state: DeviceState
    connected_at: Instant | None = None  # when the device set up this connection (its clock)
    lost: bool = False  # the Last Will: the broker published it when that connection died

    @model_validator(mode="after")
    def _will_names_its_connection(self) -> LinkStatus:
        if self.lost and (self.connected_at is None or self.state is not DeviceState.OFFLINE):
            raise ValueError("a lost status (a Last Will) is offline and has connected_at")
        return self


class KioskStatus(LinkStatus):
    """Retained; the broker publishes the `offline` Last Will when the kiosk vanishes."""

    kind: Literal["kiosk_status"] = "kiosk_status"
    reader_ok: bool | None = None
    reader_error: Annotated[str, Printable, Field(max_length=READER_ERROR_LENGTH)] | None = None
    backlog: Count = 0
    clock_synced: bool | None = None
    pin_lockouts: Count = 0  # technician ids locked after ten wrong PINs, since the kiosk started
    pin_locked: tuple[DeviceId, ...] = Field(default=(), max_length=MAX_BATCH)  # locked now


class TechState(StrEnum):
    OFF = "off"
    WORKING = "working"
    ON_BREAK = "on_break"


# Where a technician stands after each punch action.
STATE_AFTER = {
    PunchAction.CLOCK_IN: TechState.WORKING,
    PunchAction.BREAK_END: TechState.WORKING,
    PunchAction.BREAK_START: TechState.ON_BREAK,
    PunchAction.CLOCK_OUT: TechState.OFF,
}


class RosterEntry(_Wire):
    tech: DeviceId
    name: Annotated[str, Printable, Field(min_length=1, max_length=120)]
    badges: tuple[BadgeId, ...]
    state: TechState
    since: Instant | None = None
    # The clock-in of the technician's latest shift not clocked out; with state "off", a
    # shift closed automatically (past the roster's auto_clock_out_after_h).
    shift_start: Instant | None = None
    ask_break_kind: bool = False  # their break rules need meal vs rest (the kiosk asks which)
    # The technician's PIN, argon2-hashed (PHC string): the kiosk checks it offline.
    pin_hash: Annotated[str, Printable, Field(max_length=200)] | None = None
    # The language the technician reads (ISO 639-1, "es"); None: the kiosk's own.
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] | None = None


class Roster(Envelope):
    """Retained, hub to a depot's kiosks: who each badge is and where they stand (every
    technician of the company: any depot's kiosk takes their punches), and after how many
    hours an open shift is closed automatically (`depotclock.wire.shift_limit`)."""

    kind: Literal["roster"] = "roster"
    depot: DeviceId
    depot_name: Annotated[str, Printable, Field(max_length=120)] | None = None
    ask_break_kind: bool = False  # any technician's rules need meal vs rest (each entry says whose)
    auto_clock_out_after_h: int = Field(default=AUTO_CLOCK_OUT_AFTER_H, ge=1, le=MAX_AUTO_CLOCK_OUT_AFTER_H)
    technicians: tuple[RosterEntry, ...]


class Ignition(_Wire):
    type: Literal["ignition"] = "ignition"
    id: UUID
    seq: JournalSeq
    at: Instant
    on: bool


class Fix(_Wire):
    type: Literal["fix"] = "fix"
    id: UUID
    seq: JournalSeq
    at: Instant
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    speed_kmh: float = Field(ge=0, le=400, allow_inf_nan=False)
    heading_deg: float | None = Field(default=None, ge=0, lt=360, allow_inf_nan=False)
    accuracy_m: float | None = Field(default=None, ge=0, allow_inf_nan=False)


class DriverBadge(_Wire):
    """A badge read by the cab reader: who is driving from now on."""

    type: Literal["driver"] = "driver"
    id: UUID
    seq: JournalSeq
    at: Instant
    badge: Badge


TelemetryItem = Annotated[Ignition | Fix | DriverBadge, Field(discriminator="type")]


class Telemetry(Envelope):
    """A batch of a vehicle's journaled events, oldest first; each item has its own id."""

    kind: Literal["telemetry"] = "telemetry"
    items: tuple[TelemetryItem, ...] = Field(min_length=1, max_length=MAX_BATCH)


class VehicleStatus(LinkStatus):
    """Retained, with an `offline` Last Will, like the kiosk's."""

    kind: Literal["vehicle_status"] = "vehicle_status"
    ignition_on: bool | None = None
    gps_ok: bool | None = None
    gps_error: Annotated[str, Printable, Field(max_length=READER_ERROR_LENGTH)] | None = None  # why not
    obd_ok: bool | None = None  # the OBD-II adapter and the car answer, when ignition comes from OBD-II
    obd_error: Annotated[str, Printable, Field(max_length=READER_ERROR_LENGTH)] | None = None
    odometer_km: float | None = Field(default=None, ge=0, le=10_000_000, allow_inf_nan=False)  # the car's, over OBD-II
    reader_ok: bool | None = None  # the cab's badge reader, when the van has one
    reader_error: Annotated[str, Printable, Field(max_length=READER_ERROR_LENGTH)] | None = None
    backlog: Count = 0
    clock_synced: bool | None = None


class SeqRange(_Wire):
    """Journal entries `first`..`last` (by `seq`) and a digest of their ids, so a device
    confirms only entries it really sent (a reset journal reuses sequence numbers)."""

    first: JournalSeq
    last: JournalSeq
    digest: str = Field(pattern=r"^[0-9a-f]{16}$")  # BLAKE2b, 8 bytes, of the ids' bytes in seq order


class Receipt(Envelope):
    """Hub to one device, not retained: journal entries the hub now holds, stored (new or
    already there) or kept as dead letters; the device stops resending them."""

    kind: Literal["receipt"] = "receipt"
    stored: tuple[SeqRange, ...] = Field(default=(), max_length=MAX_BATCH)
    dead_letters: tuple[SeqRange, ...] = Field(default=(), max_length=MAX_BATCH)


Message = Punch | UnknownBadge | KioskStatus | Roster | Telemetry | VehicleStatus | Receipt
MESSAGE_TYPES: dict[str, type[Envelope]] = {
    "punch": Punch,
    "unknown_badge": UnknownBadge,
    "kiosk_status": KioskStatus,
    "roster": Roster,
    "telemetry": Telemetry,
    "vehicle_status": VehicleStatus,
    "receipt": Receipt,
}
