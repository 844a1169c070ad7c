"""A depot's roster: active badges now, each technician's state from their latest punch,
and whether kiosks ask meal-or-rest (any technician there under California rules)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from depotclock.wire.codec import encode, parse_roster
from depotclock.wire.messages import TechState
from hub.rules.roster import RosterBadge, RosterPunch, RosterTechnician, build_roster, same_roster

NOW = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
PEOPLE = [RosterTechnician("T-101", "James Carter", "flsa"), RosterTechnician("T-100", "Maria Lopez", "flsa")]
BADGES = [
    RosterBadge("DEADBEEF", "T-100", NOW - timedelta(days=30), None),
    RosterBadge("0A0B0C0D", "T-100", NOW - timedelta(days=90), NOW - timedelta(days=30)),  # returned
    RosterBadge("04A1B2C3D4E5F6", "T-101", NOW + timedelta(days=1), None),  # issued tomorrow
]


def _punch(action: str, minutes_ago: int, tech: str = "T-100") -> RosterPunch:
    return RosterPunch(tech, action, NOW - timedelta(minutes=minutes_ago), f"{tech}-{minutes_ago}")


def _roster(punches, people=PEOPLE):
    return build_roster("north", people, BADGES, punches, now=NOW, message_id=uuid.uuid4(), seq=7)


def test_badges_active_now_and_technicians_in_id_order():
    roster = _roster([])
    assert [(e.tech, e.badges, e.state, e.since) for e in roster.technicians] == [
        ("T-100", ("DEADBEEF",), TechState.OFF, None), ("T-101", (), TechState.OFF, None)]
    assert (roster.device, roster.seq, roster.depot, roster.ask_break_kind) == ("hub", 7, "north", False)
    assert parse_roster(encode(roster)) == roster


def test_the_latest_punch_decides_the_state_and_since():
    cases = {"clock_in": TechState.WORKING, "break_start": TechState.ON_BREAK,
             "break_end": TechState.WORKING, "clock_out": TechState.OFF}
    for action, state in cases.items():
        (maria, _) = _roster([_punch("clock_in", 300), _punch(action, 5)]).technicians
        assert (maria.state, maria.since) == (state, NOW - timedelta(minutes=5))
    (maria, _) = _roster([_punch("break_start", 5), _punch("clock_in", 300)]).technicians  # order of rows
    assert maria.state is TechState.ON_BREAK


def test_one_california_technician_makes_the_depot_ask_for_the_break_kind():
    people = [*PEOPLE, RosterTechnician("T-102", "Aisha Khan", "california")]
    assert _roster([], people).ask_break_kind is True


def test_rosters_that_tell_the_same_are_the_same_whatever_their_id_and_seq():
    assert same_roster(_roster([]), _roster([]))
    assert not same_roster(_roster([]), _roster([_punch("clock_in", 1)]))
    assert not same_roster(None, _roster([]))


def test_issue_16_a_shift_open_past_the_limit_is_over_on_the_roster():
    """Clocked in 19 hours ago, back from a break an hour ago: past the 18-hour limit the
    technician stands off the clock (the next tap clocks in); the entry keeps the clock-in."""
    (maria, _) = _roster([_punch("clock_in", 19 * 60), _punch("break_end", 60)]).technicians
    assert (maria.state, maria.shift_start) == (TechState.OFF, NOW - timedelta(hours=19))
    (maria, _) = _roster([_punch("clock_in", 17 * 60), _punch("break_end", 60)]).technicians
    assert (maria.state, maria.shift_start) == (TechState.WORKING, NOW - timedelta(hours=17))
    (maria, _) = _roster([_punch("clock_in", 17 * 60), _punch("clock_out", 60)]).technicians
    assert (maria.state, maria.shift_start) == (TechState.OFF, None)


def test_issue_16_the_limit_is_the_payroll_setting_and_travels_in_the_roster():
    roster = build_roster("north", PEOPLE, BADGES, [_punch("clock_in", 13 * 60)], now=NOW,
                          message_id=uuid.uuid4(), seq=7, auto_clock_out_after_h=12)
    assert roster.auto_clock_out_after_h == 12 and roster.technicians[0].state is TechState.OFF
    assert parse_roster(encode(roster)) == roster


def test_issue_19_a_technicians_language_travels_in_the_roster_and_a_change_is_a_new_roster():
    spanish = [RosterTechnician("T-101", "James Carter", "flsa"), RosterTechnician("T-100", "Maria Lopez", "flsa", language="es")]
    english, roster = _roster([]), _roster([], people=spanish)
    sent = parse_roster(encode(roster))
    assert {e.tech: e.language for e in sent.technicians} == {"T-100": "es", "T-101": None}
    assert not same_roster(english, roster)
