"""What a tap means, as the technician at the kiosk sees it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from depotclock.wire.messages import BreakKind, PunchAction, Roster, RosterEntry, TechState
from kiosk.flow import Ask, DoubleRead, Option, PunchFlow, Record, Tap, Unknown
from kiosk.readers.base import BadgeRead
from kiosk.roster import RosterBook
from kiosk.wording import UNKNOWN_BADGE, say

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
    assert say(decision, MORNING.astimezone(CHICAGO)) == "Clocked in 07:02 - Good morning, Maria"


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
    assert book.lookup(MARIA).state is TechState.WORKING
    book.load(roster(at=MORNING + timedelta(minutes=1), maria=TechState.OFF))  # not yet seen by the hub
    assert book.lookup(MARIA).state is TechState.WORKING
    newer = roster(at=MORNING + timedelta(minutes=2))
    newer = newer.model_copy(update={"technicians": (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=(MARIA,), state=TechState.WORKING,
                    since=MORNING),),})
    book.load(newer)
    assert book.lookup(MARIA).state is TechState.WORKING and book.lookup(MARIA).since == MORNING


def test_an_older_roster_never_replaces_a_newer_one():
    book = RosterBook(roster(at=MORNING))
    assert not book.load(roster(at=MORNING - timedelta(hours=1), maria=TechState.WORKING))
    assert book.lookup(MARIA).state is TechState.OFF


def test_an_unknown_badge_is_refused_with_the_supervisor_hint():
    flow = PunchFlow(RosterBook(roster()))
    (decision,) = flow.tap(tap("0A0B0C0D", 0))
    assert isinstance(decision, Unknown)
    assert say(decision, MORNING) == UNKNOWN_BADGE == "Badge not recognised - ask your supervisor"


def test_another_badge_while_a_question_is_open_settles_it_with_the_default_first():
    flow = PunchFlow(RosterBook(roster(maria=TechState.WORKING)))
    flow.tap(tap(MARIA, 0))
    first, second = flow.tap(tap(JAMES, 1))
    assert (first.tech.tech, first.action, first.by_default) == ("T-100", PunchAction.CLOCK_OUT, True)
    assert (second.tech.tech, second.action) == ("T-101", PunchAction.CLOCK_IN)


def test_an_answer_with_no_question_open_does_nothing():
    flow = PunchFlow(RosterBook(roster()))
    assert flow.choose(Option.CLOCK_OUT) == []
