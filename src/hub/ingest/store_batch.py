"""Store a batch of received messages in one transaction, idempotently by message id.

A message delivered twice, or re-sent in a re-formed batch, is inserted once
(ON CONFLICT DO NOTHING on the id); an older status never overwrites a newer one.
Anything that does not parse becomes a dead letter with its topic, bytes and reason,
once however often it is delivered; so does a message the database refuses (isolated by
storing the batch in parts), with the database's error.
Punches get their technician and flags first; the drive legs of each van the batch
brought telemetry for are rebuilt in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

import psycopg
from sqlalchemy import Engine, true
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from depotclock.wire.codec import encode, parse_device_message
from depotclock.wire.errors import WireError
from depotclock.wire.horizon import FUTURE_TOLERANCE_S, ahead_of
from depotclock.wire.messages import CONTROL_CHARACTERS, KioskStatus, Message, Telemetry, UnknownBadge, VehicleStatus
from depotclock.wire.messages import Punch as PunchMessage
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H
from hub.ingest.drive_legs import Touched, rebuild_legs
from hub.ingest.punch_intake import resolve_punches
from hub.ingest.receipts import DeviceReceipt, Kept
from hub.ingest.rows import punch_row, status_row, telemetry_rows, unknown_badge_row
from hub.ingest.status_order import replaces
from hub.rules.legs import LegPolicy
from hub.store.models import DeadLetter, DeviceStatus, Punch, UnknownBadgeRead
from hub.store.telemetry_insert import COLUMNS, insert_telemetry


@dataclass(frozen=True)
class IntakePolicy:
    """The company's settings that decide what arriving messages become."""

    legs: LegPolicy = LegPolicy()
    approval_levels: int = 1  # PayrollSettings.approval_levels: when a punch's week is locked
    auto_clock_out_after_h: int = AUTO_CLOCK_OUT_AFTER_H  # PayrollSettings': rosters end open shifts after it
    future_tolerance_s: float = FUTURE_TOLERANCE_S  # IngestSettings': further ahead of arrival is a dead letter
    pin_needs_approval: bool = False  # PunchingSettings': a kiosk's PIN punch is flagged for a supervisor


_AT = COLUMNS.index("at")  # a telemetry row's instant, in UTC


class Received(NamedTuple):
    topic: str
    payload: bytes
    received_at: datetime


@dataclass
class BatchOutcome:
    stored: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    legs: int = 0  # drive legs written
    reasons: list[str] = field(default_factory=list)
    roster_changed: bool = False  # a technician punched: every depot's roster holds them
    receipts: list[DeviceReceipt] = field(default_factory=list)  # what each device is told is kept

    def add(self, part: BatchOutcome) -> None:
        """Count in the outcome of a part of the batch, stored in a transaction of its own."""
        self.stored += part.stored
        self.duplicates += part.duplicates
        self.dead_letters += part.dead_letters
        self.legs += part.legs
        self.reasons += part.reasons
        self.roster_changed |= part.roster_changed
        self.receipts += part.receipts


def dead_letter_digest(topic: str, payload: bytes) -> bytes:
    """What makes a dead letter the same one when it is delivered again."""
    return hashlib.sha256(topic.encode() + b"\0" + payload).digest()


def _insert(session: Session, model, rows: list[dict], **conflict) -> list:
    """Insert rows, skipping (or updating, per `conflict`) those already there; the keys
    of the rows written."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    statement = dialect.insert(table)
    if conflict:
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=conflict["keys"],
            set_={c: getattr(excluded, c) for c in conflict["update"]},
            where=conflict["where"](table.c, excluded),
        )
    else:
        statement = statement.on_conflict_do_nothing()
    # RETURNING yields only the rows actually inserted (or updated), on both backends.
    returned = session.connection().execute(statement.returning(*table.primary_key.columns), rows)
    return list(returned.scalars())


class StoreUnavailable(Exception):
    """The database cannot take anything now (unreachable, disk full, locked): no message
    is at fault, so the batch is kept whole, unacknowledged, to be stored again later.
    `disk_full` says whether the database's disk (or quota) is full."""

    def __init__(self, reason: str, disk_full: bool):
        super().__init__(reason)
        self.disk_full = disk_full


# Failures of the database rather than of what a message holds: connection lost, disk
# full, out of resources, a lock or a deadlock with another ingest process.
_UNAVAILABLE = (sqlalchemy_exc.OperationalError, sqlalchemy_exc.InterfaceError, sqlalchemy_exc.TimeoutError,
                psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError)
_DISK_FULL = ("database or disk is full", "no space left on device", "could not extend file",
              "disk quota exceeded", "diskfull")
# SQLite calls a missing table an OperationalError too: that is no passing state.
_SQLITE_UNAVAILABLE = ("full", "locked", "busy", "disk i/o", "unable to open", "readonly")


def _unavailable(error: Exception) -> StoreUnavailable | None:
    if not isinstance(error, _UNAVAILABLE):
        return None
    reason = _database_error(error)
    if isinstance(getattr(error, "orig", error), sqlite3.OperationalError) and not any(
            sign in reason.lower() for sign in _SQLITE_UNAVAILABLE):
        return None
    return StoreUnavailable(reason, disk_full=any(sign in reason.lower() for sign in _DISK_FULL)
                            or type(getattr(error, "orig", error)).__name__ == "DiskFull")


def _database_error(error: Exception) -> str:
    """The database's own words (not the statement and its parameters), on one line."""
    return _printable(" ".join(str(getattr(error, "orig", None) or error).split()))[:1000]


def _printable(text: str) -> str:
    """A reason as the store can hold it: a control character (a NUL a parser quoted from
    the payload) as its escape."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


class _Message(NamedTuple):
    received: Received
    parsed: Message | WireError  # the parsed message, or the WireError it raised


def store_batch(
    engine: Engine,
    batch: list[Received],
    now: datetime | None = None,
    policy: IntakePolicy = IntakePolicy(),
) -> BatchOutcome:
    """Store the batch in one transaction. When it fails to commit for a message's sake,
    isolate the message(s) at fault: store each half of the batch on its own (and so on),
    keep a message that fails alone as a dead letter with the database's error, store the
    rest. A failure of the database itself raises StoreUnavailable, nothing committed."""
    messages = []
    for message in batch:
        try:
            parsed = parse_device_message(message.topic, message.payload)
        except WireError as error:
            messages.append(_Message(message, error))
            continue
        messages.append(_Message(message, _within_horizon(message, parsed, policy.future_tolerance_s)))
    outcome = BatchOutcome()
    _store_isolating(engine, messages, now or datetime.now(timezone.utc), policy, outcome)
    return outcome


def _within_horizon(message: Received, parsed: Message, tolerance_s: float) -> Message | WireError:
    """The message, or a WireError if a status is dated further ahead of its arrival than
    `tolerance_s` (depotclock.wire.horizon). A telemetry batch's own `at` is not stored; its
    items are weighed in `_store`, against the instants `telemetry_rows` put in UTC."""
    if not isinstance(parsed, (VehicleStatus, KioskStatus)):
        return parsed
    received_at = message.received_at
    limit = received_at.timestamp() + tolerance_s
    envelope = [("at", parsed.at)]
    if parsed.connected_at is not None:
        envelope.append(("connected_at", parsed.connected_at))
    for name, at in envelope:
        if at.timestamp() > limit:
            return WireError(parsed.kind, name, _ahead(at, received_at, tolerance_s))
    return parsed


def _items_ahead(message: Received, batch: Telemetry, rows: list[tuple], horizon: datetime,
                 tolerance_s: float) -> tuple[Telemetry | None, list[tuple], list[tuple[Received, WireError]]]:
    """The batch less its items dated beyond `horizon`, their rows, and each such item as a
    dead letter of its own (the item's batch, alone: its receipt names it)."""
    kept_items, kept_rows = [], []
    refused: list[tuple[Received, WireError]] = []
    for n, (item, row) in enumerate(zip(batch.items, rows, strict=True)):
        if row[_AT] <= horizon:
            kept_items.append(item)
            kept_rows.append(row)
            continue
        alone = encode(batch.model_copy(update={"items": (item,)}))
        error = WireError(batch.kind, f"items.{n}.at", _ahead(item.at, message.received_at, tolerance_s))
        refused.append((message._replace(payload=alone), error))
    kept = batch.model_copy(update={"items": tuple(kept_items)}) if kept_items else None
    return kept, kept_rows, refused


def _ahead(at: datetime, received_at: datetime, tolerance_s: float) -> str:
    reason = ahead_of(at, received_at, tolerance_s)
    if reason is None:  # never: called for an instant found beyond the tolerance
        raise ValueError(f"{at.isoformat()} is within {tolerance_s} s of {received_at.isoformat()}")
    return reason


def _store_isolating(engine: Engine, messages: list[_Message], now: datetime, policy: IntakePolicy,
                     outcome: BatchOutcome) -> None:
    try:
        part = _store(engine, messages, now, policy)
    except Exception as error:  # any failure: the database's, or one a message causes
        if (unavailable := _unavailable(error)) is not None:
            raise unavailable from error
        if len(messages) > 1:
            half = len(messages) // 2  # in order: a device's messages stay in the order they came
            _store_isolating(engine, messages[:half], now, policy, outcome)
            _store_isolating(engine, messages[half:], now, policy, outcome)
            return
        part = _refused(engine, messages[0], error, now, policy)
    outcome.add(part)


def _refused(engine: Engine, message: _Message, error: Exception, now: datetime, policy: IntakePolicy) -> BatchOutcome:
    """A message the database refused on its own. A device status that cannot be weighed
    against the stored one (a stored row it cannot read) replaces it, so one bad row never
    refuses that device's later statuses; anything else is a dead letter with the error."""
    reason = f"{message.parsed.kind}: the database refused it: {_database_error(error)}"
    if isinstance(message.parsed, (KioskStatus, VehicleStatus)):
        try:
            with Session(engine) as session, session.begin():
                _insert(session, DeviceStatus, [status_row(message.parsed, message.received.received_at)],
                        keys=["kind", "device_id"], update=["state", "last_seen", "backlog", "detail"],
                        where=lambda model, excluded: true())
            return BatchOutcome(reasons=[f"{reason}; it replaced the stored status, which could not be read"])
        except Exception as again:
            if (unavailable := _unavailable(again)) is not None:
                raise unavailable from again
    dead_letter = WireError(message.parsed.kind, "(database)", f"the database refused it: {_database_error(error)}")
    return _store(engine, [_Message(message.received, dead_letter)], now, policy)


def _store(engine: Engine, messages: list[_Message], now: datetime, policy: IntakePolicy) -> BatchOutcome:
    outcome = BatchOutcome()
    punches, telemetry, unknown, statuses, dead = [], [], [], [], []
    by_van: dict[str, list[tuple]] = {}  # the telemetry rows again, by van
    kept = Kept()
    tolerance = timedelta(seconds=policy.future_tolerance_s)

    def dead_letter(message: Received, error: WireError) -> None:
        dead.append({"received_at": message.received_at, "topic": message.topic[:255],
                     "payload": message.payload, "kind": error.kind, "reason": _printable(str(error)),
                     "digest": dead_letter_digest(message.topic, message.payload)})
        outcome.reasons.append(str(error))
        kept.dead_letter(message.topic, message.payload)

    for message, parsed in messages:
        if isinstance(parsed, WireError):
            dead_letter(message, parsed)
            continue
        rows = []
        if isinstance(parsed, Telemetry):
            rows = telemetry_rows(parsed, message.received_at)
            horizon = message.received_at + tolerance
            if max(row[_AT] for row in rows) > horizon:  # UTC against UTC: the fast comparison
                batch, rows, refused = _items_ahead(message, parsed, rows, horizon, policy.future_tolerance_s)
                for alone, error in refused:
                    dead_letter(alone, error)
                if batch is None:
                    continue
                parsed = batch
        kept.message(parsed)
        if isinstance(parsed, PunchMessage):
            punches.append(punch_row(parsed, message.received_at))
        elif isinstance(parsed, Telemetry):
            telemetry += rows
            by_van.setdefault(parsed.device, []).extend(rows)
        elif isinstance(parsed, UnknownBadge):
            unknown.append(unknown_badge_row(parsed, message.received_at))
        elif isinstance(parsed, (KioskStatus, VehicleStatus)):
            horizon = message.received_at + timedelta(seconds=policy.future_tolerance_s)
            statuses.append((status_row(parsed, message.received_at), horizon))
    expected = len(punches) + len(telemetry) + len(unknown)
    with Session(engine) as session, session.begin():
        resolve_punches(session, punches, policy.approval_levels, policy.pin_needs_approval)
        new_punches = set(_insert(session, Punch, punches))
        stored = (
            len(new_punches)
            + insert_telemetry(session, telemetry)
            + len(_insert(session, UnknownBadgeRead, unknown))
        )
        for status, horizon in sorted(statuses, key=lambda s: s[0]["last_seen"]):
            _insert(
                session, DeviceStatus, [status], keys=["kind", "device_id"],
                update=["state", "last_seen", "backlog", "detail"],
                where=lambda model, excluded, status=status, horizon=horizon: replaces(model, status, horizon),
            )
        new_dead_letters = len(_insert(session, DeadLetter, dead))
        if telemetry:
            touched = {vehicle: Touched.of(rows) for vehicle, rows in by_van.items()}
            outcome.legs = rebuild_legs(session, touched, now, policy.legs)
        outcome.roster_changed = any(p["technician_id"] for p in punches if p["id"] in new_punches)
    outcome.stored, outcome.dead_letters = stored, new_dead_letters
    outcome.duplicates = expected - stored + len(dead) - new_dead_letters
    outcome.receipts = kept.receipts()
    return outcome
