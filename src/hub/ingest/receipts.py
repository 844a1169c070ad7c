"""Receipts: after a batch commits, each device that sent journal entries in it is told
which the hub now holds, so it stops resending them (docs/protocol.md, Delivery).

The store collects (seq, id) of every journal entry in the batch (`Kept`), stored or a
duplicate, and of every dead letter whose payload still names them; it hands back compact
ranges (`DeviceReceipt`, plain values that cross from the store process cheaply); the
consumer publishes one receipt per device per batch (`publish_receipts`).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from depotclock.wire.codec import check_shape, encode
from depotclock.wire.errors import WireError
from depotclock.wire.messages import INT32_MAX, MAX_BATCH, Punch, Receipt, SeqRange, Telemetry, UnknownBadge
from depotclock.wire.receipt_ranges import Range, seq_ranges
from depotclock.wire.topics import parse_device_topic, receipt_topic
from hub.ingest.subscriber import Subscriber

JOURNALED_KINDS = {"punch", "unknown_badge", "telemetry"}  # topic kinds a journal sends


@dataclass(frozen=True)
class DeviceReceipt:
    role: str  # "kiosk" or "vehicle"
    device: str
    stored: tuple[Range, ...]
    dead_letters: tuple[Range, ...]


class Kept:
    """What one batch keeps of each device's journal, by (role, device)."""

    def __init__(self) -> None:
        self._stored: dict[tuple[str, str], list[tuple[int, bytes]]] = {}
        self._dead: dict[tuple[str, str], list[tuple[int, bytes]]] = {}

    def message(self, parsed) -> None:
        """A parsed message: its journal entries are stored (now or before)."""
        if isinstance(parsed, (Punch, UnknownBadge)):
            self._stored.setdefault(("kiosk", parsed.device), []).append((parsed.seq, parsed.id.bytes))
        elif isinstance(parsed, Telemetry):
            self._stored.setdefault(("vehicle", parsed.device), []).extend(
                [(item.seq, item.id.bytes) for item in parsed.items])

    def dead_letter(self, topic: str, payload: bytes) -> None:
        """A message kept as a dead letter: its entries as far as the payload names them
        (an `id` and a `seq`, or items that have both), so the device stops resending."""
        try:
            where = parse_device_topic(topic)
            document = json.loads(check_shape(where.kind, payload))  # never a parse of any depth
        except (WireError, ValueError):
            return
        if where.kind not in JOURNALED_KINDS or not isinstance(document, dict):
            return
        items = document.get("items") if where.kind == "telemetry" else [document]
        entries = [entry for entry in map(_entry, items if isinstance(items, list) else []) if entry]
        if entries:
            self._dead.setdefault((where.role, where.device_id), []).extend(entries)

    def receipts(self) -> list[DeviceReceipt]:
        return [
            DeviceReceipt(role, device, tuple(seq_ranges(self._stored.get((role, device), []))),
                          tuple(seq_ranges(self._dead.get((role, device), []))))
            for role, device in sorted(self._stored.keys() | self._dead.keys())
        ]


def _entry(item) -> tuple[int, bytes] | None:
    if not isinstance(item, dict):
        return None
    seq, entry_id = item.get("seq"), item.get("id")
    if type(seq) is not int or not 0 <= seq <= INT32_MAX or not isinstance(entry_id, str):
        return None
    try:
        return seq, uuid.UUID(entry_id).bytes
    except ValueError:
        return None


def receipt_messages(receipt: DeviceReceipt, now: datetime) -> list[Receipt]:
    """The receipt as messages: one, or more when it has over MAX_BATCH ranges of a kind."""
    def ranges(values: tuple[Range, ...], start: int) -> tuple[SeqRange, ...]:
        return tuple(SeqRange(first=first, last=last, digest=digest) for first, last, digest in values[start:start + MAX_BATCH])

    count = max(len(receipt.stored), len(receipt.dead_letters))
    return [
        Receipt(id=uuid.uuid4(), device="hub", seq=time.time_ns() // 1_000_000, at=now,
                stored=ranges(receipt.stored, start), dead_letters=ranges(receipt.dead_letters, start))
        for start in range(0, count, MAX_BATCH)
    ]


def publish_receipts(client: Subscriber, receipts: list[DeviceReceipt]) -> None:
    """Publish each device's receipt at QoS 1, not retained (after the batch committed)."""
    now = datetime.now(timezone.utc)
    for receipt in receipts:
        topic = receipt_topic(receipt.role, receipt.device)
        for message in receipt_messages(receipt, now):
            client.publish(topic, encode(message))
