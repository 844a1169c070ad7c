"""Store a batch of received messages in one transaction, idempotently by message id.

A message delivered twice, or re-sent in a re-formed batch, is inserted once
(ON CONFLICT DO NOTHING on the id); an older status never overwrites a newer one.
Anything that does not parse becomes a dead letter with its topic, bytes and reason,
once however often it is delivered.
Punches get their technician and flags first; the drive legs of each van the batch
brought telemetry for are rebuilt in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from depotclock.wire.codec import parse_device_message
from depotclock.wire.errors import WireError
from depotclock.wire.messages import KioskStatus, Telemetry, UnknownBadge, VehicleStatus
from depotclock.wire.messages import Punch as PunchMessage
from hub.ingest.drive_legs import Touched, rebuild_legs
from hub.ingest.punch_intake import resolve_punches
from hub.ingest.receipts import DeviceReceipt, Kept
from hub.ingest.rows import punch_row, status_row, telemetry_rows, unknown_badge_row
from hub.ingest.status_order import replaces
from hub.rules.legs import LegPolicy
from hub.store.models import DeadLetter, DeviceStatus, Punch, UnknownBadgeRead
from hub.store.roster_rows import home_depots
from hub.store.telemetry_insert import insert_telemetry


@dataclass(frozen=True)
class IntakePolicy:
    """The company's settings that decide what arriving messages become."""

    legs: LegPolicy = LegPolicy()
    approval_levels: int = 1  # PayrollSettings.approval_levels: when a punch's week is locked


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
    roster_depots: set[str] = field(default_factory=set)  # whose technicians punched
    receipts: list[DeviceReceipt] = field(default_factory=list)  # what each device is told is kept


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




def store_batch(
    engine: Engine,
    batch: list[Received],
    now: datetime | None = None,
    policy: IntakePolicy = IntakePolicy(),
) -> BatchOutcome:
    outcome = BatchOutcome()
    punches, telemetry, unknown, statuses, dead = [], [], [], [], []
    by_van: dict[str, list[tuple]] = {}  # the telemetry rows again, by van
    kept = Kept()
    for message in batch:
        try:
            parsed = parse_device_message(message.topic, message.payload)
        except WireError as error:
            dead.append({"received_at": message.received_at, "topic": message.topic[:255],
                         "payload": message.payload, "kind": error.kind, "reason": str(error),
                         "digest": dead_letter_digest(message.topic, message.payload)})
            outcome.reasons.append(str(error))
            kept.dead_letter(message.topic, message.payload)
            continue
        kept.message(parsed)
        if isinstance(parsed, PunchMessage):
            punches.append(punch_row(parsed, message.received_at))
        elif isinstance(parsed, Telemetry):
            rows = telemetry_rows(parsed, message.received_at)
            telemetry += rows
            by_van.setdefault(parsed.device, []).extend(rows)
        elif isinstance(parsed, UnknownBadge):
            unknown.append(unknown_badge_row(parsed, message.received_at))
        elif isinstance(parsed, (KioskStatus, VehicleStatus)):
            statuses.append(status_row(parsed, message.received_at))
    expected = len(punches) + len(telemetry) + len(unknown)
    with Session(engine) as session, session.begin():
        resolve_punches(session, punches, policy.approval_levels)
        new_punches = set(_insert(session, Punch, punches))
        stored = (
            len(new_punches)
            + insert_telemetry(session, telemetry)
            + len(_insert(session, UnknownBadgeRead, unknown))
        )
        for status in sorted(statuses, key=lambda s: s["last_seen"]):
            _insert(
                session, DeviceStatus, [status], keys=["kind", "device_id"],
                update=["state", "last_seen", "backlog", "detail"],
                where=lambda model, excluded, status=status: replaces(model, status),
            )
        new_dead_letters = len(_insert(session, DeadLetter, dead))
        if telemetry:
            touched = {vehicle: Touched.of(rows) for vehicle, rows in by_van.items()}
            outcome.legs = rebuild_legs(session, touched, now or datetime.now(timezone.utc), policy.legs)
        outcome.roster_depots = home_depots(
            session, {p["technician_id"] for p in punches if p["id"] in new_punches} - {None})
    outcome.stored, outcome.dead_letters = stored, new_dead_letters
    outcome.duplicates = expected - stored + len(dead) - new_dead_letters
    outcome.receipts = kept.receipts()
    return outcome
