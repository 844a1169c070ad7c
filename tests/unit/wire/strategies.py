"""Hypothesis strategies for valid messages of every kind."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from depotclock.wire.badge import ReaderFamily
from depotclock.wire.messages import (
    INT32_MAX,
    Badge,
    BreakKind,
    DeviceClock,
    DeviceState,
    DriverBadge,
    Fix,
    Ignition,
    KioskStatus,
    Punch,
    PunchAction,
    Receipt,
    Roster,
    RosterEntry,
    SeqRange,
    TechState,
    Telemetry,
    UnknownBadge,
    VehicleStatus,
)

# Printable text, as the hub stores it: no control characters (C0, DEL, C1).
printable = st.characters(
    blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in (*range(0x20), *range(0x7f, 0xa0))])


def texts(min_size: int = 0, max_size: int = 64):
    return st.text(printable, min_size=min_size, max_size=max_size)


device_ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,20}\Z")
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.builds(
    lambda t, tz: t.replace(tzinfo=timezone.utc).astimezone(tz),
    st.datetimes(datetime(2000, 1, 2), datetime(2099, 12, 30)),
    offsets,
)
badge_ids = st.one_of(
    st.binary(min_size=4, max_size=4),
    st.binary(min_size=7, max_size=7),
    st.binary(min_size=10, max_size=10),
).map(lambda b: b.hex().upper()) | st.integers(0, 10**12).map(lambda n: f"W{n}")
badges = st.builds(
    Badge, id=badge_ids, family=st.sampled_from(ReaderFamily), raw=texts(max_size=64)
)
clocks = st.builds(
    DeviceClock,
    synced=st.booleans(),
    boot=texts(min_size=1, max_size=64),
    monotonic_s=st.floats(0, 1e9, allow_nan=False),
)
envelope = {"id": st.uuids(), "device": device_ids, "seq": st.integers(0, 2**53), "at": instants}
journal_seqs = st.integers(0, INT32_MAX)  # a journal entry's seq is stored in an INTEGER column
journal_envelope = envelope | {"seq": journal_seqs}

punches = st.builds(
    Punch,
    **journal_envelope,
    badge=badges,
    action=st.sampled_from(PunchAction),
    break_kind=st.none() | st.sampled_from(BreakKind),
    tech=st.none() | device_ids,
    clock=clocks,
)
unknown_badges = st.builds(UnknownBadge, **journal_envelope, badge=badges, clock=clocks)
kiosk_statuses = st.builds(
    KioskStatus,
    **envelope,
    state=st.sampled_from(DeviceState),
    reader_ok=st.none() | st.booleans(),
    reader_error=st.none() | texts(max_size=100),
    backlog=st.integers(0, 10**6),
    clock_synced=st.none() | st.booleans(),
)
rosters = st.builds(
    Roster,
    **envelope,
    depot=device_ids,
    ask_break_kind=st.booleans(),
    auto_clock_out_after_h=st.integers(1, 48),
    technicians=st.lists(
        st.builds(
            RosterEntry,
            tech=device_ids,
            name=texts(min_size=1, max_size=120),
            badges=st.lists(badge_ids, max_size=3).map(tuple),
            state=st.sampled_from(TechState),
            since=st.none() | instants,
            shift_start=st.none() | instants,
        ),
        max_size=5,
    ).map(tuple),
)
item = {"id": st.uuids(), "seq": journal_seqs, "at": instants}
telemetry_items = st.one_of(
    st.builds(Ignition, **item, on=st.booleans()),
    st.builds(
        Fix,
        **item,
        lat=st.floats(-90, 90),
        lon=st.floats(-180, 180),
        speed_kmh=st.floats(0, 400),
        heading_deg=st.none() | st.floats(0, 359.99),
        accuracy_m=st.none() | st.floats(0, 1e5),
    ),
    st.builds(DriverBadge, **item, badge=badges),
)
telemetry = st.builds(
    Telemetry, **envelope, items=st.lists(telemetry_items, min_size=1, max_size=5).map(tuple)
)
vehicle_statuses = st.builds(
    VehicleStatus,
    **envelope,
    state=st.sampled_from(DeviceState),
    ignition_on=st.none() | st.booleans(),
    gps_ok=st.none() | st.booleans(),
    gps_error=st.none() | texts(max_size=500),
    obd_ok=st.none() | st.booleans(),
    obd_error=st.none() | texts(max_size=500),
    odometer_km=st.none() | st.floats(0, 10_000_000, allow_nan=False),
    backlog=st.integers(0, 10**6),
    clock_synced=st.none() | st.booleans(),
)
seq_ranges = st.lists(
    st.builds(SeqRange, first=journal_seqs, last=journal_seqs,
              digest=st.from_regex(r"\A[0-9a-f]{16}\Z")),
    max_size=5,
).map(tuple)
receipts = st.builds(Receipt, **envelope, stored=seq_ranges, dead_letters=seq_ranges)

BY_KIND = {
    "punch": punches,
    "unknown_badge": unknown_badges,
    "kiosk_status": kiosk_statuses,
    "roster": rosters,
    "telemetry": telemetry,
    "vehicle_status": vehicle_statuses,
    "receipt": receipts,
}
any_message = st.one_of(*BY_KIND.values())
