"""What a tap means, as the technician at the kiosk sees it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from depotclock.wire.messages import BreakKind, PunchAction, Roster, RosterEntry, TechState
from kiosk.flow import Ask, DoubleRead, Option, PunchFlow, Record, Tap, Unknown
from kiosk.readers.base import BadgeRead
from kiosk.roster import RosterBook
from kiosk.wording import say

MORNING = datetime(2026, 3, 2, 13, 2, tzinfo=timezone.utc)  # 07:02 in Chicago
CHICAGO = ZoneInfo("America/Chicago")
MARIA, JAMES = "DEADBEEF", "04A1B2C3D4E5F6"


def roster(at=MORNING - timedelta(hours=1), ask_break_kind=False, **states) -> Roster:
    entries = (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=(MARIA,), state=states.get("maria", TechState.OFF)),
        RosterEntry(tech="T-101", name="James Carter", badges=(JAMES,), state=states.get("james", TechState.OFF)),
    )
    return Roster(id=uuid.uuid4(), device="hub", seq=1, at=at, depot="north",
                  ask_break_kind=ask_break_kind, technicians=entries)


def tap(badge: str, mono: float, at: datetime = MORNING) -> Tap:
    return Tap(BadgeRead(badge, "pcsc", badge), mono, at)


def test_off_the_clock_a_tap_clocks_in_and_greets_by_first_name():
    flow = PunchFlow(RosterBook(roster()))
    (decision,) = flow.tap(tap(MARIA, 0))
    assert isinstance(decision, Record) and decision.action is PunchAction.CLOCK_IN
    assert say(decision, MORNING.astimezone(CHICAGO), "en") == "Clocked in 07:02 - Good morning, Maria"


def test_at_work_a_tap_asks_break_or_clock_out_and_takes_the_answer():
    flow = PunchFlow(RosterBook(roster(maria=TechState.WORKING)))
    (ask,) = flow.tap(tap(MARIA, 0))
    assert isinstance(ask, Ask) and ask.options == (Option.BREAK, Option.CLOCK_OUT)
    (record,) = flow.choose(Option.BREAK)
    assert (record.action, record.break_kind, record.by_default) == (PunchAction.BREAK_START, None, False)
    assert record.tap.at == MORNING  # the tap's instant, not the answer's


def test_nobody_answers_so_the_default_is_taken_at_the_deadline():
    flow = PunchFlow(RosterBook(roster(maria=TechState.WORKING)), answer_s=6)
    flow.tap(tap(MARIA, 100))
    assert flow.tick(105.9) == []
    (record,) = flow.tick(106)
    assert (record.action, record.by_default) == (PunchAction.CLOCK_OUT, True)
    assert flow.pending is None


def test_meal_or_rest_is_asked_where_the_policy_needs_the_difference():
    flow = PunchFlow(RosterBook(roster(ask_break_kind=True, maria=TechState.WORKING)))
    (ask,) = flow.tap(tap(MARIA, 0))
    assert ask.options == (Option.MEAL, Option.REST, Option.CLOCK_OUT)
    (record,) = flow.choose(Option.MEAL)
    assert (record.action, record.break_kind) == (PunchAction.BREAK_START, BreakKind.MEAL)


def test_a_plain_break_button_where_meal_or_rest_is_asked_leaves_the_kind_to_the_hub():
    flow = PunchFlow(RosterBook(roster(ask_break_kind=True, maria=TechState.WORKING)))
    flow.tap(tap(MARIA, 0))
    (record,) = flow.choose(Option.BREAK)
    assert (record.action, record.break_kind) == (PunchAction.BREAK_START, None)


def test_ending_a_break_is_one_tap():
    flow = PunchFlow(RosterBook(roster(maria=TechState.ON_BREAK)))
    (record,) = flow.tap(tap(MARIA, 0))
    assert record.action is PunchAction.BREAK_END


def test_a_second_tap_within_the_window_is_a_double_read():
    flow = PunchFlow(RosterBook(roster()), double_read_s=3)
    flow.tap(tap(MARIA, 10))
    assert [type(d) for d in flow.tap(tap(MARIA, 12.9))] == [DoubleRead]
    (ask,) = flow.tap(tap(MARIA, 13.1))  # clocked in by the first tap: now it asks
    assert isinstance(ask, Ask)


def test_the_kiosks_own_punch_decides_the_next_tap_until_the_hub_catches_up():
    book = RosterBook(roster())
    flow = PunchFlow(book, double_read_s=0)
    flow.tap(tap(MARIA, 0))  # clocked in; the hub's roster still says off
    assert book.lookup(MARIA, MORNING).state is TechState.WORKING
    book.load(roster(at=MORNING + timedelta(minutes=1), maria=TechState.OFF))  # not yet seen by the hub
    assert book.lookup(MARIA, MORNING).state is TechState.WORKING
    newer = roster(at=MORNING + timedelta(minutes=2))
    newer = newer.model_copy(update={"technicians": (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=(MARIA,), state=TechState.WORKING,
                    since=MORNING),),})
    book.load(newer)
    assert book.lookup(MARIA, MORNING).state is TechState.WORKING and book.lookup(MARIA, MORNING).since == MORNING


def test_an_older_roster_never_replaces_a_newer_one():
    book = RosterBook(roster(at=MORNING))
    assert not book.load(roster(at=MORNING - timedelta(hours=1), maria=TechState.WORKING))
    assert book.lookup(MARIA, MORNING).state is TechState.OFF


def test_an_unknown_badge_is_refused_with_the_supervisor_hint():
    flow = PunchFlow(RosterBook(roster()))
    (decision,) = flow.tap(tap("0A0B0C0D", 0))
    assert isinstance(decision, Unknown)
    assert say(decision, MORNING, "en") == "Badge not recognised - ask your supervisor"


def test_another_badge_while_a_question_is_open_settles_it_with_the_default_first():
    flow = PunchFlow(RosterBook(roster(maria=TechState.WORKING)))
    flow.tap(tap(MARIA, 0))
    first, second = flow.tap(tap(JAMES, 1))
    assert (first.tech.tech, first.action, first.by_default) == ("T-100", PunchAction.CLOCK_OUT, True)
    assert (second.tech.tech, second.action) == ("T-101", PunchAction.CLOCK_IN)


def test_an_answer_with_no_question_open_does_nothing():
    flow = PunchFlow(RosterBook(roster()))
    assert flow.choose(Option.CLOCK_OUT) == []


YESTERDAY = MORNING - timedelta(days=1)  # Sunday 07:02 in Chicago


def _working_since(shift_start, at=MORNING - timedelta(minutes=5), state=TechState.WORKING, limit=18) -> Roster:
    entry = RosterEntry(tech="T-100", name="Maria Lopez", badges=(MARIA,), state=state,
                        since=shift_start, shift_start=shift_start)
    return Roster(id=uuid.uuid4(), device="hub", seq=1, at=at, depot="north", auto_clock_out_after_h=limit,
                  technicians=(entry,))


def test_issue_16_a_clock_in_forgotten_yesterday_is_over_so_the_morning_tap_clocks_in():
    """The hub's roster still says working since yesterday 07:02 (no roster since the
    limit passed, or the kiosk offline): 24 hours on, the shift is over and the tap
    clocks in instead of asking Break or Clock out (issue 16)."""
    flow = PunchFlow(RosterBook(_working_since(YESTERDAY, at=YESTERDAY)))
    (record,) = flow.tap(tap(MARIA, 0))
    assert isinstance(record, Record) and record.action is PunchAction.CLOCK_IN
    assert say(record, MORNING.astimezone(CHICAGO), "en") == (
        "Clocked in 07:02 - Good morning, Maria. Yesterday's shift from 07:02 was closed "
        "automatically and will be reviewed")
    (ask,) = flow.tap(tap(MARIA, 10))  # clocked in now: the next tap asks
    assert isinstance(ask, Ask)


def test_issue_16_the_hubs_roster_already_ended_the_shift():
    flow = PunchFlow(RosterBook(_working_since(YESTERDAY - timedelta(days=2), state=TechState.OFF)))
    (record,) = flow.tap(tap(MARIA, 0))
    assert record.action is PunchAction.CLOCK_IN
    assert "Friday's shift from 07:02 was closed automatically" in say(record, MORNING.astimezone(CHICAGO), "en")


def test_issue_16_a_long_shift_within_the_limit_is_still_on_the_clock():
    flow = PunchFlow(RosterBook(_working_since(MORNING - timedelta(hours=16))))
    (ask,) = flow.tap(tap(MARIA, 0))
    assert isinstance(ask, Ask)


def test_issue_16_the_limit_comes_in_the_roster():
    flow = PunchFlow(RosterBook(_working_since(MORNING - timedelta(hours=13), limit=12)))
    (record,) = flow.tap(tap(MARIA, 0))
    assert record.action is PunchAction.CLOCK_IN and record.tech.closed_shift == MORNING - timedelta(hours=13)


def test_issue_16_the_kiosks_own_clock_in_also_ends_after_the_limit():
    book = RosterBook(roster(at=YESTERDAY - timedelta(hours=1)))
    flow = PunchFlow(book, double_read_s=0)
    flow.tap(tap(MARIA, 0, at=YESTERDAY))  # clocked in here; no roster since
    flow.tap(tap(MARIA, 1, at=YESTERDAY + timedelta(hours=4)))
    flow.choose(Option.BREAK)  # a break: the shift still began yesterday 07:02
    assert book.lookup(MARIA, YESTERDAY + timedelta(hours=5)).state is TechState.ON_BREAK
    (record,) = flow.tap(tap(MARIA, 2))
    assert record.action is PunchAction.CLOCK_IN and record.tech.closed_shift == YESTERDAY


def test_meal_or_rest_is_asked_of_the_technician_whose_rules_need_it_only():
    """Any depot's kiosk holds the company's roster: a California technician among others."""
    entries = (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=(MARIA,), state=TechState.WORKING),
        RosterEntry(tech="T-102", name="Aisha Khan", badges=(JAMES,), state=TechState.WORKING, ask_break_kind=True),
    )
    flow = PunchFlow(RosterBook(Roster(id=uuid.uuid4(), device="hub", seq=1, at=MORNING, depot="north",
                                       ask_break_kind=True, technicians=entries)))
    assert flow.tap(tap(MARIA, 0))[0].options == (Option.BREAK, Option.CLOCK_OUT)
    assert flow.tap(tap(JAMES, 10))[-1].options == (Option.MEAL, Option.REST, Option.CLOCK_OUT)
