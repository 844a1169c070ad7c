"""Pay periods: weekly, bi-weekly, semi-monthly, monthly (29 CFR 778.106 for overtime)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hub.rules.policy import PayPeriodKind, PayPeriodPolicy


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
