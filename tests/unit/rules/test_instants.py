"""Instants in microseconds: LocalIso writes exactly what datetime.isoformat() writes."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from hub.rules.instants import MINUTE_US, LocalIso, from_us, to_us

ZONES = [
    "America/Chicago",  # DST at 02:00 local
    "Asia/Kolkata",  # +05:30
    "Australia/Lord_Howe",  # half-hour DST
    "Africa/Monrovia",  # -00:44:30 until 1972: offsets that are not whole minutes
    "Europe/Amsterdam",  # +00:19:32 before 1937
    "UTC",
]
# 1900 to 2100: historical zone rules, every DST change of this century
INSTANTS = st.integers(to_us(datetime(1900, 1, 1, tzinfo=timezone.utc)),
                       to_us(datetime(2100, 1, 1, tzinfo=timezone.utc)))


@given(st.sampled_from(ZONES), INSTANTS, st.sampled_from([1, MINUTE_US, 60 * MINUTE_US]))
def test_local_iso_matches_isoformat(zone, us, step):
    """Whole hours, whole minutes or any microsecond, on either side of a cached minute."""
    tz = ZoneInfo(zone)
    local_iso = LocalIso(tz)
    us -= us % step
    for at in (us, us + 1, us - 1, us + 59 * 1_000_000, us):
        assert local_iso(at) == from_us(at, tz).isoformat()


def test_local_iso_across_a_dst_change():
    """Chicago, 8 March 2026: 01:59 CST is followed by 03:00 CDT."""
    tz = ZoneInfo("America/Chicago")
    local_iso = LocalIso(tz)
    change = to_us(datetime(2026, 3, 8, 8, 0, tzinfo=timezone.utc))
    assert local_iso(change - 1) == "2026-03-08T01:59:59.999999-06:00"
    assert local_iso(change) == "2026-03-08T03:00:00-05:00"
    assert local_iso(change + 30 * 1_000_000) == "2026-03-08T03:00:30-05:00"


def test_local_iso_forgets_minutes_past_its_limit():
    tz = ZoneInfo("Asia/Kolkata")
    local_iso = LocalIso(tz)
    start = to_us(datetime(2026, 3, 2, tzinfo=timezone.utc))
    for minute in range(LocalIso.LIMIT + 10):
        local_iso(start + minute * MINUTE_US)
    assert len(local_iso.minutes) <= LocalIso.LIMIT
    assert local_iso(start) == from_us(start, tz).isoformat()
