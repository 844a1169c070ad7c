"""Who is told what, from plain facts: each kind to the people it concerns who chose it,
with a key that stays the same while the thing does (the store sends a key once)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hub.rules.findings import Code, TimesheetException
from hub.rules.notices import (
    Facts,
    NoticeKind,
    OpenShift,
    Recipient,
    ReturnedWeek,
    SilentDevice,
    WaitingWeek,
    next_attempt,
    notices,
    offered,
)

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc)
TWELVE_H = timedelta(hours=12)
ALL = frozenset(NoticeKind)
MARIA = Recipient(1, "maria@example.com", "technician", "T-100", frozenset(), ALL)
SAM = Recipient(2, "sam@example.com", "supervisor", None, frozenset({"north"}), ALL)
SUE = Recipient(3, "sue@example.com", "supervisor", None, frozenset({"south"}), ALL)
PAT = Recipient(4, "pat@example.com", "payroll", None, frozenset({"north"}), ALL)
ADA = Recipient(5, "ada@example.com", "admin", None, None, ALL)
EVERYONE = (MARIA, SAM, SUE, PAT, ADA)


def _told(facts: Facts, people=EVERYONE) -> set[tuple[str, NoticeKind]]:
    return {(n.email.split("@")[0], n.kind) for n in notices(facts, people, TWELVE_H, NOW)}


def test_offered_by_role():
    assert offered("technician", "T-100") == (NoticeKind.SHIFT_OPEN, NoticeKind.MISSING_PUNCH, NoticeKind.WEEK_RETURNED)
    assert offered("payroll", None) == (NoticeKind.WEEKS_WAITING,)
    assert offered("supervisor", None) == (NoticeKind.WEEKS_WAITING, NoticeKind.DEVICE_OFFLINE)


@pytest.mark.parametrize("open_h, reminded", [(11, False), (12, False), (12.01, True)])
def test_a_shift_open_longer_than_the_limit_reminds_its_technician(open_h, reminded):
    facts = Facts(open_shifts=(OpenShift("T-100", NOW - timedelta(hours=open_h)),))
    assert _told(facts) == ({("maria", NoticeKind.SHIFT_OPEN)} if reminded else set())


@pytest.mark.parametrize("code, reminded", [(Code.MISSING_CLOCK_OUT, True), (Code.MISSING_CLOCK_IN, True),
                                            (Code.BREAK_NOT_ENDED, True), (Code.UNACCOUNTED_GAP, False),
                                            (Code.CA_MEAL_SHORT, False)])
def test_only_a_missing_punch_reminds(code, reminded):
    facts = Facts(exceptions=(("T-100", TimesheetException(code, NOW - timedelta(days=1), "m")),
                              ("T-101", TimesheetException(code, NOW - timedelta(days=1), "m"))))
    assert _told(facts) == ({("maria", NoticeKind.MISSING_PUNCH)} if reminded else set())


def test_weeks_waiting_go_to_the_level_they_wait_for_in_the_depot_and_to_admins():
    facts = Facts(period=(date(2026, 2, 16), date(2026, 3, 1)), waiting=(
        WaitingWeek("T-100", "Maria Lopez", "north", date(2026, 2, 23), "supervisor"),
        WaitingWeek("T-101", "James Carter", "north", date(2026, 2, 16), "payroll")))
    told = notices(facts, EVERYONE, TWELVE_H, NOW)
    assert {(n.email.split("@")[0], len(n.about["weeks"])) for n in told} == {("sam", 1), ("pat", 1), ("ada", 2)}
    assert {n.key for n in told} == {"weeks_waiting:2026-02-16"}  # one per period and person


def test_an_offline_device_goes_to_its_depots_supervisors_and_admins_and_a_new_outage_is_a_new_notice():
    kiosk = SilentDevice("kiosk", "kiosk-north-1", "North door", "north", NOW - timedelta(hours=1))
    first = notices(Facts(silent=(kiosk,)), EVERYONE, TWELVE_H, NOW)
    assert {n.email for n in first} == {SAM.email, ADA.email}
    again = notices(Facts(silent=(kiosk,)), EVERYONE, TWELVE_H, NOW + timedelta(minutes=5))
    assert {n.key for n in again} == {n.key for n in first}
    back_and_gone = SilentDevice("kiosk", "kiosk-north-1", "North door", "north", NOW + timedelta(hours=2))
    assert not {n.key for n in notices(Facts(silent=(back_and_gone,)), EVERYONE, TWELVE_H, NOW)} & {n.key for n in first}


def test_each_person_receives_only_the_kinds_they_chose():
    facts = Facts(open_shifts=(OpenShift("T-100", NOW - timedelta(hours=13)),),
                  returned=(ReturnedWeek("T-100", date(2026, 3, 2), NOW, "Tuesday has no clock-out"),),
                  silent=(SilentDevice("vehicle", "van-12", "Van 12", "north", NOW - timedelta(hours=2)),))
    choosy = (Recipient(1, "maria@example.com", "technician", "T-100", frozenset(), frozenset({NoticeKind.WEEK_RETURNED})),
              Recipient(2, "sam@example.com", "supervisor", None, frozenset({"north"}), frozenset()))
    assert _told(facts, choosy) == {("maria", NoticeKind.WEEK_RETURNED)}


@pytest.mark.parametrize("attempts, pause_s", [(1, 60), (2, 120), (3, 240), (7, 3600), (20, 3600)])
def test_a_failed_send_waits_twice_as_long_each_time_up_to_the_longest_pause(attempts, pause_s):
    assert next_attempt(attempts, (60.0, 3600.0), NOW) == NOW + timedelta(seconds=pause_s)
