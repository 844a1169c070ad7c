"""Each exception has a stable code, the instant, a sentence, and the events behind it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hub.rules.events import Punch, PunchAction
from tests.unit.rules.build import MON, at, brk, codes, drive, h, punch, sheet, shift, visit


def _only(result, code):
    found = [e for e in result.exceptions if e.code.value == code]
    assert len(found) == 1, codes(result)
    return found[0]


def test_missing_clock_out_closes_at_the_last_recorded_work():
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00"))] + visit(MON, "08:00", "15:30", "WO-1")
    result = sheet(events)
    finding = _only(result, "missing_clock_out")
    assert finding.at == at(MON, "07:00")
    assert "15:30" in finding.message
    assert h(result.days[0].worked) == Decimal("8.5")


def test_missing_clock_out_with_no_work_recorded_counts_nothing():
    result = sheet([punch(PunchAction.CLOCK_IN, at(MON, "07:00"))])
    assert "0 hours" in _only(result, "missing_clock_out").message
    assert result.worked == 0


def test_a_shift_still_open_counts_until_now_in_a_live_view():
    result = sheet([punch(PunchAction.CLOCK_IN, at(MON, "07:00"))], as_of=at(MON, "10:00"))
    assert codes(result) == ["unaccounted_gap"]
    assert h(result.worked) == 3


def test_a_shift_open_past_the_limit_is_closed_in_a_live_view_too():
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00"))] + visit(MON, "08:00", "12:00", "WO-1")
    result = sheet(events, as_of=at(MON, "07:00") + timedelta(hours=19))
    assert "missing_clock_out" in codes(result)
    assert h(result.worked) == 5


def test_next_clock_in_closes_a_forgotten_shift():
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00"))] + visit(MON, "08:00", "16:00", "WO-1")
    events += shift(MON + timedelta(days=1), "07:00", "15:00")
    result = sheet(events)
    assert [h(d.worked) for d in result.days] == [9, 8]
    assert codes(result).count("missing_clock_out") == 1


def test_missing_clock_in():
    result = sheet([punch(PunchAction.CLOCK_OUT, at(MON, "16:00"))])
    assert _only(result, "missing_clock_in").source_ids
    assert result.worked == 0


def test_break_never_ended_runs_to_the_clock_out():
    events = shift(MON, "07:00", "16:00") + [punch(PunchAction.BREAK_START, at(MON, "12:00"), break_kind="meal")]
    result = sheet(events)
    _only(result, "break_not_ended")
    assert h(result.days[0].unpaid_meals) == 4


def test_overlapping_visits_and_check_in_off_the_clock():
    events = shift(MON, "07:00", "16:00") + visit(MON, "08:00", "11:00", "WO-1")
    events += visit(MON, "10:00", "12:00", "WO-2") + visit(MON, "17:00", "18:00", "WO-3")
    result = sheet(events)
    overlap = _only(result, "overlapping_visits")
    assert overlap.at == at(MON, "10:00")
    assert _only(result, "check_in_off_clock").at == at(MON, "17:00")


def test_drive_to_a_site_without_a_work_order():
    events = shift(MON, "07:00", "16:00") + [drive(MON, "07:10", "07:40", "depot", "site")]
    assert _only(sheet(events), "drive_without_work_order").at == at(MON, "07:10")


def test_unaccounted_gap_of_45_minutes_or_more():
    events = shift(MON, "07:00", "09:00") + visit(MON, "07:00", "08:15", "WO-1")
    assert "unaccounted_gap" in codes(sheet(events))  # 45 minutes exactly
    assert "unaccounted_gap" not in codes(sheet(events, gap_threshold_min=60))


def test_a_double_tap_is_one_punch_and_a_duplicate_punch_exception():
    events = shift(MON, "07:00", "16:00") + [punch(PunchAction.CLOCK_IN, at(MON, "07:00") + timedelta(seconds=20))]
    result = sheet(events)
    assert _only(result, "duplicate_punch").source_ids
    assert h(result.worked) == 9


def test_the_same_event_delivered_twice_is_silent():
    events = shift(MON, "07:00", "16:00")
    assert codes(sheet(events + events)) == codes(sheet(events))


def test_two_different_events_under_one_id_are_flagged():
    clock_in, clock_out = shift(MON, "07:00", "16:00")
    impostor = Punch(clock_out.id, "T-1", PunchAction.CLOCK_OUT, at(MON, "17:00"))
    result = sheet([clock_in, clock_out, impostor])
    assert "conflicting_duplicate" in codes(result)
    assert codes(sheet([clock_in, impostor, clock_out])) == codes(result)


def test_every_exception_names_its_events_and_has_a_sentence():
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00"))] + brk(MON, "12:00", "12:30")
    events += [drive(MON, "07:10", "07:40", "depot", "site")]
    for finding in sheet(events).exceptions:
        assert finding.source_ids and finding.message.endswith(".")


def test_issue_16_a_late_clock_out_does_not_defeat_the_18_hour_close():
    """Issue 16: in Monday 07:00, out Wednesday 17:00, nothing between: the shift closes at
    its clock-in (no work recorded), and the clock-out is an orphan with its own finding."""
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00")),
              punch(PunchAction.CLOCK_OUT, at(MON + timedelta(days=2), "17:00"))]
    result = sheet(events)
    assert result.worked == 0
    assert _only(result, "missing_clock_out").at == at(MON, "07:00")
    late = _only(result, "late_clock_out")
    assert late.at == at(MON + timedelta(days=2), "17:00")
    assert "18 hours" in late.message
    assert result.weeks[0].overtime == 0


def test_a_late_clock_out_closes_at_the_last_recorded_work_within_the_limit():
    events = [punch(PunchAction.CLOCK_IN, at(MON, "07:00")),
              punch(PunchAction.CLOCK_OUT, at(MON + timedelta(days=2), "17:00"))]
    events += visit(MON, "08:00", "15:30", "WO-1") + visit(MON + timedelta(days=1), "09:00", "10:00", "WO-2")
    result = sheet(events)
    assert h(result.worked) == Decimal("8.5")  # Tuesday's visit is past 18 h: not counted
    assert "15:30" in _only(result, "missing_clock_out").message
    _only(result, "late_clock_out")


def test_a_real_16_hour_storm_shift_closed_normally_is_paid_in_full():
    result = sheet(shift(MON, "06:00", "22:00"))
    assert h(result.worked) == 16
    assert "missing_clock_out" not in codes(result) and "late_clock_out" not in codes(result)


def test_the_auto_clock_out_limit_is_the_policy_setting():
    events = shift(MON, "06:00", "22:00") + visit(MON, "07:00", "17:00", "WO-1")
    assert h(sheet(events, auto_clock_out_after_h=20).worked) == 16
    result = sheet(events, auto_clock_out_after_h=12)
    assert h(result.worked) == 11  # closed at 17:00, the visit's end
    assert {"missing_clock_out", "late_clock_out"} <= set(codes(result))
