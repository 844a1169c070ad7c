"""Where a week stands after its decisions, for each company setting of approval levels:
0 (the technician's submission closes it), 1 (supervisor), 2 (supervisor then payroll).
One rule for what the web shows and locks, what payroll exports and what ingest flags."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hub.rules.approval import Decision, approved_weeks, period_approved, week_state
from hub.rules.workweek import weeks_of

WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)
T0 = datetime(2026, 3, 16, 9, tzinfo=timezone.utc)


def steps(*said: str, week: date = WEEK1) -> list[Decision]:
    """'submitted', 'supervisor approved', 'payroll rejected', ... one minute apart."""
    found = []
    for i, step in enumerate(said):
        level, _, decision = step.rpartition(" ")
        found.append(Decision(week, level or "technician", decision, T0 + timedelta(minutes=i), reason="why"))
    return found


@pytest.mark.parametrize("levels, said, label, final, pending", [
    (0, [], "open", False, "technician"),
    (0, ["submitted"], "approved", True, None),
    (0, ["submitted", "payroll voided"], "open", False, "technician"),
    (1, ["submitted"], "submitted", False, "supervisor"),
    (1, ["submitted", "supervisor approved"], "approved", True, None),
    (1, ["supervisor approved"], "approved", True, None),  # a supervisor may approve unsubmitted
    (1, ["submitted", "supervisor rejected"], "returned", False, "supervisor"),
    (1, ["submitted", "supervisor approved", "payroll voided"], "open", False, "supervisor"),
    (1, ["supervisor approved", "submitted"], "approved", True, None),  # a late submission changes nothing
    (2, ["submitted", "supervisor approved"], "approved by supervisor; waiting for payroll", False, "payroll"),
    (2, ["submitted", "supervisor approved", "payroll approved"], "approved", True, None),
    (2, ["submitted", "supervisor approved", "payroll rejected", "submitted"], "submitted", False, "supervisor"),
    (2, ["supervisor approved", "payroll approved", "supervisor rejected",
         "supervisor approved", "payroll approved"], "approved", True, None),
])
def test_week_state(levels, said, label, final, pending):
    state = week_state(steps(*said), levels)
    assert (state.label, state.final, state.pending) == (label, final, pending)


def test_decisions_count_in_the_order_made_whatever_order_they_come_in():
    said = steps("submitted", "supervisor approved", "payroll voided")
    assert week_state(reversed(said), 1) == week_state(said, 1)


def test_the_last_rejection_says_why_the_week_came_back():
    state = week_state(steps("submitted", "supervisor rejected"), 1)
    assert state.rejection.reason == "why" and not state.submitted


def test_decisions_in_the_same_instant_are_ordered_by_id():
    approved = Decision(WEEK1, "supervisor", "approved", T0, id=1)
    voided = Decision(WEEK1, "payroll", "voided", T0, id=2)
    assert not week_state([voided, approved], 1).final
    assert week_state([Decision(WEEK1, "payroll", "voided", T0, id=1),
                       Decision(WEEK1, "supervisor", "approved", T0, id=2)], 1).final


def test_a_supervisor_approval_alone_does_not_close_a_week_that_needs_payroll_too():
    assert approved_weeks(steps("supervisor approved"), 2) == set()
    assert approved_weeks(steps("supervisor approved"), 1) == {WEEK1}
    assert approved_weeks(steps("submitted"), 0) == {WEEK1}


def test_the_weeks_of_a_biweekly_period_and_of_a_semimonthly_one():
    assert weeks_of(date(2026, 3, 2), date(2026, 3, 15), 0) == [WEEK1, WEEK2]
    # 1-15 March 2026 with Sunday weeks: Sun 1 Mar, 8 Mar, 15 Mar
    assert weeks_of(date(2026, 3, 1), date(2026, 3, 15), 6) == [
        date(2026, 3, 1), date(2026, 3, 8), date(2026, 3, 15)]


@pytest.mark.parametrize("levels, week1, week2, approved", [
    (0, ["submitted"], ["submitted"], True),
    (0, ["submitted"], [], False),
    (1, ["supervisor approved"], ["supervisor approved"], True),
    (1, ["supervisor approved"], [], False),
    (1, ["submitted"], ["submitted"], False),
    (2, ["supervisor approved"], ["supervisor approved"], False),
    (2, ["supervisor approved", "payroll approved"], ["supervisor approved", "payroll approved"], True),
])
def test_a_period_goes_to_payroll_when_every_week_is_final(levels, week1, week2, approved):
    decisions = steps(*week1, week=WEEK1) + steps(*week2, week=WEEK2)
    assert period_approved(decisions, date(2026, 3, 2), date(2026, 3, 15), 0, levels) is approved
