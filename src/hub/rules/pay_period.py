"""Pay periods: weekly, bi-weekly, semi-monthly, monthly (29 CFR 778.106 for overtime).

Weekly and bi-weekly periods start on the workweek's first day (labor-rules.md P1):
otherwise every workweek is split across two periods, its hours in one and its overtime
in the other. `anchor_mismatch` is the one check, used by the hub's settings and the CLI.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hub.rules.policy import PayPeriodKind, PayPeriodPolicy
from hub.rules.workweek import WEEKDAYS, week_start

DEFAULT_ANCHOR = PayPeriodPolicy().anchor


def default_anchor(week_start_day: int) -> date:
    """The anchor when none is set: the first day of the workweek holding 2026-01-05."""
    return week_start(DEFAULT_ANCHOR, week_start_day)


def anchor_mismatch(kind: PayPeriodKind, anchor: date, week_start_day: int) -> str | None:
    """Why weekly or bi-weekly periods from `anchor` would split workweeks starting on
    `week_start_day` (0 = Monday); None when they do not (or the period is by month)."""
    if kind not in (PayPeriodKind.WEEKLY, PayPeriodKind.BIWEEKLY) or anchor.weekday() == week_start_day:
        return None
    first = WEEKDAYS[week_start_day]
    return (f"the pay period anchor {anchor.isoformat()} is a {WEEKDAYS[anchor.weekday()]} but the "
            f"workweek starts on {first}: {kind.value} pay periods would split every workweek "
            f"across two periods; anchor them on a {first} (e.g. {default_anchor(week_start_day)})")


def pay_period(day: date, policy: PayPeriodPolicy) -> tuple[date, date]:
    """First and last day of the period that contains `day`."""
    if policy.kind in (PayPeriodKind.WEEKLY, PayPeriodKind.BIWEEKLY):
        length = 7 if policy.kind is PayPeriodKind.WEEKLY else 14
        start = policy.anchor + timedelta(days=((day - policy.anchor).days // length) * length)
        return start, start + timedelta(days=length - 1)
    last = calendar.monthrange(day.year, day.month)[1]
    if policy.kind is PayPeriodKind.MONTHLY:
        return day.replace(day=1), day.replace(day=last)
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=last)
