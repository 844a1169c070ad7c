"""Punch flags: unknown badge, unsynchronised clock, a wall clock that jumped against the
monotonic clock, a punch landing in a locked pay period or an approved week, a phone punch
sent late or from a phone whose clock is off."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hub.rules.punch_flags import (
    PHONE_CLOCK,
    SENT_LATE,
    KioskClock,
    clock_jumped,
    in_locked_period,
    phone_clock_flags,
    previous_punches,
    punch_flags,
)

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)


def _clock(seq: int, wall_s: float, monotonic_s: float, boot: str = "b1", kiosk: str = "kiosk-1") -> KioskClock:
    return KioskClock(f"{kiosk}-{boot}-{seq}", kiosk, boot, seq, T0 + timedelta(seconds=wall_s), monotonic_s)


@pytest.mark.parametrize(("wall_s", "monotonic_s", "jumped"), [
    (3600, 3600, False),       # an hour on both clocks
    (3600 + 119, 3600, False),  # NTP slewing, within tolerance
    (3600 + 121, 3600, True),   # the wall clock jumped two minutes forward
    (-30, 60, True),           # stamped before its predecessor while time went on
    (7 * 3600, 3600, True),     # a time-zone-sized jump
])
def test_a_wall_clock_that_disagrees_with_the_monotonic_clock_jumped(wall_s, monotonic_s, jumped):
    previous = _clock(1, 0, 100)
    assert clock_jumped(_clock(2, wall_s, 100 + monotonic_s), previous) is jumped


def test_the_first_punch_of_a_boot_has_nothing_to_compare_with():
    assert clock_jumped(_clock(1, 0, 5), None) is False


def test_the_previous_punch_is_the_next_lower_seq_of_the_same_kiosk_and_boot():
    stored = [_clock(1, 0, 10), _clock(3, 120, 130), _clock(2, 60, 70, boot="b0"), _clock(2, 60, 70, kiosk="kiosk-2")]
    arriving = [_clock(5, 240, 250), _clock(4, 180, 190), _clock(1, 0, 1, boot="b2")]
    previous = previous_punches(arriving, stored)
    assert previous[arriving[0].id] == arriving[1]
    assert previous[arriving[1].id] == stored[1]
    assert previous[arriving[2].id] is None


@pytest.mark.parametrize(("day", "locked"), [
    (date(2026, 2, 28), True),   # inside the locked period (Feb 15-28)
    (date(2026, 3, 1), False),
    (date(2026, 3, 9), True),    # inside the approved week of March 9
    (date(2026, 3, 15), True),
    (date(2026, 3, 16), False),
])
def test_a_day_in_a_locked_period_or_an_approved_week_is_locked(day, locked):
    assert in_locked_period(day, [(date(2026, 2, 15), date(2026, 2, 28))], {date(2026, 3, 9)}) is locked


def test_flags_come_in_a_fixed_order_and_only_when_true():
    assert punch_flags(technician_id="T-100", synced=True, jumped=False, locked=False) == []
    assert punch_flags(technician_id=None, synced=False, jumped=True, locked=True) == [
        "unknown_badge", "clock_unsynced", "clock_jumped", "locked_period"]


MADE = datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc)
FIVE_MINUTES = timedelta(minutes=5)


@pytest.mark.parametrize("received_after, phone_ahead, flags", [
    (timedelta(seconds=20), timedelta(seconds=-20), []),  # sent at once, the phone's clock near enough
    (FIVE_MINUTES, FIVE_MINUTES, []),  # at the tolerance: not yet
    (timedelta(hours=3), timedelta(0), [SENT_LATE]),  # kept offline for three hours
    (timedelta(seconds=1), timedelta(minutes=-9), [PHONE_CLOCK]),  # the phone's clock nine minutes slow
    (timedelta(hours=3), timedelta(minutes=6), [SENT_LATE, PHONE_CLOCK]),
])
def test_a_phone_punch_is_flagged_when_sent_late_or_stamped_by_a_clock_that_is_off(received_after, phone_ahead, flags):
    received = MADE + received_after
    assert phone_clock_flags(MADE, received + phone_ahead, received, FIVE_MINUTES) == flags


def test_a_punch_that_does_not_say_the_phones_clock_is_judged_on_its_lateness_alone():
    assert phone_clock_flags(MADE, None, MADE + timedelta(minutes=6), FIVE_MINUTES) == [SENT_LATE]
