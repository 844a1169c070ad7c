"""The hub's receipts: one message per device per batch, split only past MAX_BATCH ranges."""

from __future__ import annotations

from datetime import datetime, timezone

from depotclock.wire.codec import encode, parse_receipt
from depotclock.wire.messages import MAX_BATCH
from hub.ingest.receipts import DeviceReceipt, Kept, receipt_messages

NOW = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)


def _ranges(count: int, start: int = 0) -> tuple:
    return tuple((n, n, f"{n:016x}") for n in range(start, start + 2 * count, 2))  # gaps: one range each


def test_a_receipt_is_one_message_that_parses():
    (message,) = receipt_messages(DeviceReceipt("kiosk", "kiosk-1", _ranges(3), _ranges(1, 100)), NOW)
    assert parse_receipt(encode(message)) == message
    assert [(r.first, r.last) for r in message.stored] == [(0, 0), (2, 2), (4, 4)]
    assert message.device == "hub" and len(message.dead_letters) == 1


def test_more_ranges_than_a_message_holds_are_split_none_lost():
    receipt = DeviceReceipt("vehicle", "van-1", _ranges(2 * MAX_BATCH + 5), _ranges(3))
    messages = receipt_messages(receipt, NOW)
    assert len(messages) == 3
    assert sum(len(m.stored) for m in messages) == 2 * MAX_BATCH + 5
    assert sum(len(m.dead_letters) for m in messages) == 3
    for message in messages:
        parse_receipt(encode(message))


def test_a_dead_letter_nested_100000_levels_names_no_entry_and_raises_nothing():
    """Issue 22: json.loads recursed through such a payload and crashed ingest."""
    kept = Kept()
    kept.dead_letter("depotclock/v1/kiosk/k1/punch", b"[" * 100_000 + b"]" * 100_000)
    kept.dead_letter("depotclock/v1/kiosk/k1/punch", b'{"id": "7d1e8c5e-6d59-4b6c-9a62-2f5f0d1f2a11", "seq": 2147483648}')
    assert kept.receipts() == []
