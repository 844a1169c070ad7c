"""Store a batch of received messages in one transaction, idempotently by message id.

A message delivered twice, or re-sent in a re-formed batch, is inserted once
(ON CONFLICT DO NOTHING on the id); an older status never overwrites a newer one.
Anything that does not parse becomes a dead letter with its topic, bytes and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hub.ingest.rows import punch_row, status_row, telemetry_rows, unknown_badge_row
from hub.store.models import Badge, DeadLetter, DeviceStatus, Punch, TelemetryEvent, UnknownBadgeRead
from wire.codec import parse_device_message
from wire.errors import WireError
from wire.messages import KioskStatus, Punch as PunchMessage, Telemetry, UnknownBadge, VehicleStatus


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    received_at: datetime


@dataclass
class BatchOutcome:
    stored: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    reasons: list[str] = field(default_factory=list)


def _insert(session: Session, model, rows: list[dict], **conflict) -> int:
    """Insert rows, skipping (or updating, per `conflict`) those already there; new rows."""
    if not rows:
        return 0
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
    return len(returned.all())


def _resolve_technicians(session: Session, rows: list[dict]) -> None:
    """Whose badge it was at the punch's instant; an unknown badge is flagged, not dropped."""
    badge_ids = {r["badge_id"] for r in rows}
    issued = session.execute(
        select(Badge.badge_id, Badge.technician_id, Badge.active_from, Badge.active_to)
        .where(Badge.badge_id.in_(badge_ids))
    ).all()
    for row in rows:
        owners = [
            b.technician_id for b in issued
            if b.badge_id == row["badge_id"] and b.active_from <= row["at"]
            and (b.active_to is None or row["at"] < b.active_to)
        ]
        if owners:
            row["technician_id"] = owners[0]
        else:
            row["flags"] = ["unknown_badge"]


def store_batch(engine: Engine, batch: list[Received]) -> BatchOutcome:
    outcome = BatchOutcome()
    punches, telemetry, unknown, statuses, dead = [], [], [], [], []
    for message in batch:
        try:
            parsed = parse_device_message(message.topic, message.payload)
        except WireError as error:
            dead.append({"received_at": message.received_at, "topic": message.topic[:255],
                         "payload": message.payload, "kind": error.kind, "reason": str(error)})
            outcome.reasons.append(str(error))
            continue
        if isinstance(parsed, PunchMessage):
            punches.append(punch_row(parsed, message.received_at))
        elif isinstance(parsed, Telemetry):
            telemetry.extend(telemetry_rows(parsed, message.received_at))
        elif isinstance(parsed, UnknownBadge):
            unknown.append(unknown_badge_row(parsed, message.received_at))
        elif isinstance(parsed, (KioskStatus, VehicleStatus)):
            statuses.append(status_row(parsed))
    expected = len(punches) + len(telemetry) + len(unknown)
    with Session(engine) as session, session.begin():
        if punches:
            _resolve_technicians(session, punches)
        stored = (
            _insert(session, Punch, punches)
            + _insert(session, TelemetryEvent, telemetry)
            + _insert(session, UnknownBadgeRead, unknown)
        )
        for status in sorted(statuses, key=lambda s: s["last_seen"]):
            _insert(
                session, DeviceStatus, [status], keys=["kind", "device_id"],
                update=["state", "last_seen", "backlog", "detail"],
                where=lambda model, excluded: model.last_seen <= excluded.last_seen,
            )
        if dead:
            session.execute(DeadLetter.__table__.insert(), dead)
    outcome.stored, outcome.duplicates, outcome.dead_letters = stored, expected - stored, len(dead)
    return outcome
