"""Only approved timesheets go out: every workweek of the period approved at the final
level (PayrollSettings.approval_levels); a later rejection or void undoes an approval."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hub.export.approval import Decision, period_approved, week_approved, weeks_of
from hub.export.period_hours import PayPeriod

PERIOD = PayPeriod(date(2026, 3, 2), date(2026, 3, 15))
WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)
T0 = datetime(2026, 3, 16, 9, tzinfo=timezone.utc)


def d(week, level, decision, minutes=0, id_=0):
    return Decision(week, level, decision, T0 + timedelta(minutes=minutes), id_)


def both(level, decision, minutes=0):
    return [d(WEEK1, level, decision, minutes), d(WEEK2, level, decision, minutes)]


def test_the_weeks_of_a_biweekly_period_and_of_a_semimonthly_one():
    assert weeks_of(PERIOD, 0) == [WEEK1, WEEK2]
    # 1-15 March 2026 with Sunday weeks: Sun 1 Mar, 8 Mar, 15 Mar
    assert weeks_of(PayPeriod(date(2026, 3, 1), date(2026, 3, 15)), 6) == [
        date(2026, 3, 1), date(2026, 3, 8), date(2026, 3, 15)]


def test_level_0_needs_no_approval():
    assert period_approved([], PERIOD, 0, 0)


def test_level_1_needs_a_supervisor_approval_of_every_week():
    assert period_approved(both("supervisor", "approved"), PERIOD, 0, 1)
    assert not period_approved([d(WEEK1, "supervisor", "approved")], PERIOD, 0, 1)
    assert not period_approved(both("technician", "submitted"), PERIOD, 0, 1)


def test_level_2_needs_the_supervisor_then_payroll():
    assert not period_approved(both("supervisor", "approved"), PERIOD, 0, 2)
    assert period_approved(both("supervisor", "approved") + both("payroll", "approved", 5), PERIOD, 0, 2)
    assert not period_approved(both("payroll", "approved"), PERIOD, 0, 2)


def test_a_later_void_or_rejection_at_any_level_undoes_the_approval():
    approved = [d(WEEK1, "supervisor", "approved"), d(WEEK1, "payroll", "approved", 5)]
    assert week_approved(approved, 2)
    assert not week_approved(approved + [d(WEEK1, "payroll", "voided", 10)], 2)
    assert not week_approved(approved + [d(WEEK1, "supervisor", "rejected", 10)], 2)
    # approved again after the rejection, at both levels
    again = approved + [d(WEEK1, "supervisor", "rejected", 10), d(WEEK1, "supervisor", "approved", 20),
                        d(WEEK1, "payroll", "approved", 30)]
    assert week_approved(again, 2)


def test_a_submission_after_an_approval_neither_approves_nor_reopens():
    assert week_approved([d(WEEK1, "supervisor", "approved"), d(WEEK1, "technician", "submitted", 5)], 1)


def test_decisions_in_the_same_instant_are_ordered_by_id():
    assert not week_approved([d(WEEK1, "supervisor", "approved", id_=1),
                              d(WEEK1, "supervisor", "voided", id_=2)], 1)
    assert week_approved([d(WEEK1, "supervisor", "voided", id_=1),
                          d(WEEK1, "supervisor", "approved", id_=2)], 1)
