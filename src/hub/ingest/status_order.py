"""Whether a device status replaces the one stored, as the condition of the upsert.

Statuses of one connection are ordered by the device's clock (`last_seen`). A Last Will
(`lost`) is dated by the hub's clock, so it is ordered by connection instead (its
`connected_at`, stored as `connected_ms`): it ends its own connection and any older one,
never a newer one, whichever of the two arrives first (a device that reconnects before the
broker gives up on its old connection has its new `online` status and its old will race,
and stores run side by side). A will delivered again (retained, to a restarted hub) keeps
the instant it first arrived. Statuses without `connected_at` (older devices) are ordered
by `last_seen` alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ColumnElement, and_, cast, false, func, or_


def replaces(stored, status: dict, horizon: datetime) -> ColumnElement[bool]:
    """SQL: `status` (a row from hub.ingest.rows.status_row) replaces the `stored` row
    (the table's columns). A stored status dated beyond `horizon` (the new one's arrival
    plus the future tolerance: a clock that was years ahead, stored before the hub
    refused such statuses) is no newer than anything and is replaced."""
    stored_lost = func.coalesce(stored.detail["lost"].as_boolean(), false())
    stored_connection = cast(stored.detail["connected_ms"].as_string(), BigInteger)  # as_integer: 32 bits
    connection, lost = status["detail"]["connected_ms"], status["detail"]["lost"]
    if lost:  # the wire type holds that a will has connected_at
        return or_(stored_connection.is_(None), stored_connection < connection,
                   and_(stored_connection == connection, ~stored_lost))
    newer = or_(stored.last_seen <= status["last_seen"], stored.last_seen > horizon)
    if connection is None:
        return newer
    return or_(and_(~stored_lost, newer), and_(stored_lost, stored_connection < connection))
