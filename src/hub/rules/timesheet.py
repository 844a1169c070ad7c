"""The engine's entry point: events of many technicians -> one timesheet each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.rules.california import check_work_periods
from hub.rules.drive import classify_legs
from hub.rules.events import Event, Punch
from hub.rules.findings import Code, TimesheetException
from hub.rules.holidays import HolidayHours, paid_holidays, worked_on_holiday
from hub.rules.hours_entries import HoursEntry
from hub.rules.instants import HOUR_US, MINUTE_US, Overlaps, Workdays, from_us, to_us
from hub.rules.intake import deduplicate, drop_double_punches, punch_order, split_events
from hub.rules.overtime import split_workweek
from hub.rules.pay_period import pay_period
from hub.rules.policy import OvertimePolicy, TimesheetPolicy
from hub.rules.punch_flags import NEEDS_APPROVAL
from hub.rules.rounding import NOT_ROUNDED, RoundedPunch, neutrality, round_punches
from hub.rules.segments import Category, Segment, cut_shift
from hub.rules.sheets import DaySheet, PayPeriodSheet, Timesheet, WeekSheet
from hub.rules.shifts import Shift, build_shifts, paid_stretches
from hub.rules.start_of_work import excess_from_start_of_work
from hub.rules.visits import pair_visits
from hub.rules.workweek import week_start


@dataclass(frozen=True)
class TechnicianProfile:
    """What the engine needs to know of a technician besides their events."""

    tech: str
    wage: Decimal = Decimal(0)
    timezone: ZoneInfo = ZoneInfo("UTC")
    policy: TimesheetPolicy = TimesheetPolicy()
    paid_holidays: bool = True  # eligible for the policy's holidays (rules.holidays.eligible)


def compute_timesheets(
    events: Iterable[Event],
    profiles: dict[str, TechnicianProfile] | None = None,
    default: TechnicianProfile | None = None,
    as_of: datetime | None = None,
    entries: Iterable[HoursEntry] = (),
) -> Iterator[Timesheet]:
    """One timesheet per technician in `events` or `entries` (any order, repeats allowed),
    in order of technician id, each yielded as soon as it is computed so a payroll run of
    thousands never holds them all.

    `profiles` by technician id, else `default` (UTC, FLSA, no wage). `as_of`: the instant
    of a live view, when open shifts are still running; None for a closed record.
    `entries`: hours-only entries, worked time on a day with no time of day.
    """
    by_tech: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_tech[event.tech].append(event)
    entries_by_tech: dict[str, list[HoursEntry]] = defaultdict(list)
    for entry in entries:
        entries_by_tech[entry.tech].append(entry)
        by_tech.setdefault(entry.tech, [])
    fallback = default or TechnicianProfile("")
    as_of_us = None if as_of is None else to_us(as_of)
    calendars: dict[tuple[ZoneInfo, time], Workdays] = {}
    for tech in sorted(by_tech):
        profile = (profiles or {}).get(tech) or TechnicianProfile(
            tech, fallback.wage, fallback.timezone, fallback.policy, fallback.paid_holidays
        )
        key = (profile.timezone, profile.policy.day_start)
        if key not in calendars:
            calendars[key] = Workdays(*key)
        yield compute_timesheet(by_tech[tech], profile, calendars[key], as_of_us, entries_by_tech.get(tech, ()))


def empty_timesheet(profile: TechnicianProfile) -> Timesheet:
    """The timesheet of a technician with no events: nothing worked, their holidays paid."""
    return compute_timesheet([], profile, Workdays(profile.timezone, profile.policy.day_start), None)


def compute_timesheet(
    events: list[Event], profile: TechnicianProfile, workdays: Workdays, as_of: int | None,
    entries: Iterable[HoursEntry] = (),
) -> Timesheet:
    tz, policy = profile.timezone, profile.policy
    unique, exceptions = deduplicate(events, tz)
    punches, legs, checks = split_events(unique)
    exceptions += _awaiting_approval(punches, tz)
    rounded = round_punches(
        punches, policy.rounding.minutes, tz, meals_exempt=not policy.overtime.round_meal_punches,
        meal_gap_max_us=policy.breaks.work_period_gap_max_min * MINUTE_US,
    )
    moved: dict[date, int] = defaultdict(int)
    if policy.rounding.minutes:
        for (raw, _), moved_to in zip(punches, rounded):
            if moved_to.at_us != raw:
                moved[workdays.day(raw)] += 1
    evidence = sorted([end for _, end, _ in legs] + [at for at, c in checks if not c.check_in])
    shifts, found = _shifts(rounded, policy, tz, evidence, as_of)
    exceptions += found
    visits, found = pair_visits(checks, shifts, tz)
    exceptions += found
    classified, found = classify_legs(legs, shifts, policy, tz)
    exceptions += found

    days: dict[date, DaySheet] = {}
    consecutive: dict[date, int] = defaultdict(int)
    overtime = policy.overtime.for_wage(profile.wage)
    counts_from_start = overtime.daily_from_start_of_work and overtime.daily_ot_after is not None
    from_start: list[Segment] | None = [] if counts_from_start else None
    gap_limit = policy.gap_threshold_min * 60 * 1_000_000
    legs_by_time, visits_by_time = Overlaps(classified), Overlaps(visits)
    for shift in shifts:
        segments = cut_shift(shift, legs_by_time, visits_by_time, workdays)
        if not segments and shift.end == shift.start:
            day = workdays.day(shift.start)
            days.setdefault(day, DaySheet(day, shift.start, shift.end))
        _add_consecutive(shift, segments, policy, consecutive)
        if from_start is not None:
            from_start += segments
        for segment in _add_segments(days, segments, policy):
            if segment.length >= gap_limit:
                exceptions.append(TimesheetException(
                    Code.UNACCOUNTED_GAP, from_us(segment.start, tz),
                    f"{segment.length / 60_000_000:.0f} minutes on the clock with no drive, "
                    f"site visit or break recorded, from {from_us(segment.start, tz):%H:%M}.",
                    segment.source_ids))

    _add_entries(days, entries, policy, workdays)

    if policy.overtime.california_breaks:
        found, premiums = check_work_periods(shifts, policy.breaks.work_period_gap_max_min * MINUTE_US,
                                             workdays.day, tz)
        exceptions += found
        for day, premium in premiums.items():
            if day in days:
                days[day].premium_hours = premium

    if from_start is not None and overtime.daily_ot_after is not None:
        threshold = int(overtime.daily_ot_after * HOUR_US)
        for day, us in excess_from_start_of_work(from_start, threshold).items():
            consecutive[day] = max(consecutive[day], us)
    rounding = NOT_ROUNDED
    if moved:
        unrounded, _ = _shifts([RoundedPunch(p, raw, 0) for raw, p in punches], policy, tz, evidence, as_of)
        rounding = neutrality(moved, {d: sheet.worked - sheet.entered for d, sheet in days.items()},
                              _paid_by_day(unrounded, workdays))
    paid = paid_holidays(policy.holidays, profile.paid_holidays)
    weeks = _weeks(days, profile, overtime, consecutive, paid)
    exceptions.sort(key=lambda e: (e.at, e.code, e.source_ids))
    return Timesheet(
        tech=profile.tech, wage=profile.wage, timezone=tz, days=[days[d] for d in sorted(days)],
        weeks=weeks, periods=_periods(days, weeks, profile, paid), legs=classified,
        exceptions=exceptions, rounding=rounding, holidays=tuple(paid),
    )


def _shifts(
    punches: list[RoundedPunch], policy: TimesheetPolicy, tz: ZoneInfo, evidence: list[int], as_of: int | None
) -> tuple[list[Shift], list[TimesheetException]]:
    """Punches at their paid instants, double reads dropped, paired into shifts."""
    punches = sorted(punches, key=punch_order)
    kept, exceptions = drop_double_punches(punches, policy.duplicate_window_s * 1_000_000, tz)
    shifts, found = build_shifts(kept, policy, tz, evidence, as_of)
    return shifts, exceptions + found


def _awaiting_approval(punches: list[tuple[int, Punch]], tz: ZoneInfo) -> list[TimesheetException]:
    """A punch flagged `needs_approval` counts, but stays an open exception until a
    supervisor approves it (or rejects it: voided, it no longer counts)."""
    return [TimesheetException(
        Code.PUNCH_AWAITS_APPROVAL, punch.at.astimezone(tz),
        f"The {punch.type.value.replace('_', ' ')} at {punch.at.astimezone(tz):%H:%M} was entered with a PIN "
        "and waits for a supervisor to approve or reject it.", (punch.id,))
        for _, punch in punches if NEEDS_APPROVAL in punch.flags]


def _paid_by_day(shifts: list[Shift], workdays: Workdays) -> dict[date, int]:
    """Paid time by workday (what `DaySheet.worked` sums, without cutting segments)."""
    paid: dict[date, int] = defaultdict(int)
    for shift in shifts:
        for start, end in paid_stretches(shift):
            for cut in (*workdays.boundaries(start, end), end):
                paid[workdays.day(start)] += cut - start
                start = cut
    return paid


def _add_segments(days: dict[date, DaySheet], segments: list[Segment], policy: TimesheetPolicy) -> list[Segment]:
    """Add a shift's segments (in time order) to the sheets of their workdays, starting a
    sheet where there is none; returns the gaps among them."""
    gaps = []
    sheet = None
    for segment in segments:
        workday, start, end, category, work_order, _ = segment
        if sheet is None or sheet.date != workday:
            sheet = days.get(workday)
            if sheet is None:
                sheet = days[workday] = DaySheet(workday, start, end)
        length = end - start
        sheet.clocked += length
        sheet.last_out_us = end  # segments come in time order; first_in is the first
        sheet.segments.append(segment)
        if category is Category.ON_SITE or category is Category.DRIVE:
            if category is Category.DRIVE:
                sheet.drive[work_order] = sheet.drive.get(work_order, 0) + length
            else:
                assert work_order is not None  # on-site segments are visits', which name their work order
                sheet.on_site[work_order] = sheet.on_site.get(work_order, 0) + length
            if policy.is_billable(work_order):
                sheet.billable += length
        elif category is Category.UNPAID_MEAL:
            sheet.unpaid_meals += length
        elif category is Category.PAID_BREAK:
            sheet.paid_breaks += length
        else:
            sheet.gaps += length
            gaps.append(segment)
    return gaps


def _add_entries(days: dict[date, DaySheet], entries: Iterable[HoursEntry], policy: TimesheetPolicy,
                 workdays: Workdays) -> None:
    """Hours-only entries onto the sheets of their workdays (a day with nothing else gets a
    sheet that begins and ends at the workday's start): worked time, billable by its target,
    in id order so a sheet reads the same whatever order they came in."""
    for entry in sorted({e.id: e for e in entries}.values(), key=lambda e: e.id):
        sheet = days.get(entry.day)
        if sheet is None:
            begins = workdays.begins(entry.day)
            sheet = days[entry.day] = DaySheet(entry.day, begins, begins)
        sheet.entries.append(entry)
        if policy.is_billable(entry.work_order):
            sheet.billable += entry.length


def _add_consecutive(
    shift: Shift, segments: list[Segment], policy: TimesheetPolicy, into: dict[date, int]
) -> None:
    """Worked time past the consecutive-hours threshold (Colorado), by the day it falls on.
    Duty-free meals do not count toward it and do not break it."""
    threshold = policy.overtime.consecutive_ot_after
    if threshold is None:
        return
    limit, so_far = int(threshold * HOUR_US), 0
    for segment in segments:
        if segment.category is Category.UNPAID_MEAL:
            continue
        over = max(0, so_far + segment.length - max(limit, so_far))
        into[segment.workday] += over
        so_far += segment.length


def _weeks(days: dict[date, DaySheet], profile: TechnicianProfile, rules: OvertimePolicy,
           excess: dict[date, int], paid: list[HolidayHours]) -> list[WeekSheet]:
    policy, wage = profile.policy, profile.wage
    by_week: dict[date, list[DaySheet]] = defaultdict(list)
    for day in sorted(days):
        by_week[week_start(day, policy.week_start_day)].append(days[day])
    holiday_pay: dict[date, int] = defaultdict(int)
    for holiday in paid:
        if holiday.paid:
            holiday_pay[week_start(holiday.day, policy.week_start_day)] += holiday.paid
            by_week.setdefault(week_start(holiday.day, policy.week_start_day), [])
    worked_holidays = {holiday.day for holiday in paid}
    weeks = []
    for start, sheets in sorted(by_week.items()):
        worked = [(start + timedelta(days=i), 0) for i in range(7)]
        for sheet in sheets:
            worked[(sheet.date - start).days] = (sheet.date, sheet.worked)
        split = {d.day: d for d in split_workweek(worked, rules, excess)}
        for sheet in sheets:
            hours_of_day = split[sheet.date]
            sheet.regular, sheet.overtime, sheet.double_time = (
                hours_of_day.regular, hours_of_day.overtime, hours_of_day.double_time)
            if sheet.date in worked_holidays:
                sheet.regular, sheet.holiday_worked = worked_on_holiday(sheet.regular)
        regular = sum(s.regular for s in sheets)
        holiday_worked = sum(s.holiday_worked for s in sheets)
        overtime = sum(s.overtime for s in sheets)
        double = sum(s.double_time for s in sheets)
        premium = sum(s.premium_hours for s in sheets)
        weeks.append(WeekSheet(
            start=start, worked=sum(s.worked for s in sheets), regular=regular, overtime=overtime,
            double_time=double, premium_hours=premium,
            cost=_cost(wage, regular, overtime, double, premium, policy, holiday_pay[start], holiday_worked),
            holiday=holiday_pay[start], holiday_worked=holiday_worked,
        ))
    return weeks


def _cost(wage: Decimal, regular: int, overtime: int, double: int, premium_h: int,
          policy: TimesheetPolicy, holiday: int = 0, holiday_worked: int = 0) -> Decimal:
    """Hours times wage with the multipliers, exact; premiums and holiday hours at the base
    rate, hours worked on a holiday at the holiday rate."""
    ot = policy.overtime
    paid_us = Decimal(regular) + Decimal(overtime) * ot.ot_multiplier + Decimal(double) * ot.dt_multiplier
    if holiday or holiday_worked:
        paid_us += Decimal(holiday) + Decimal(holiday_worked) * policy.holidays.worked_rate
    return wage * paid_us / Decimal(HOUR_US) + wage * premium_h


def _periods(
    days: dict[date, DaySheet], weeks: list[WeekSheet], profile: TechnicianProfile,
    paid: list[HolidayHours],
) -> list[PayPeriodSheet]:
    """Regular hours (and holiday hours, worked or not) where they fall; a week's overtime
    and premiums in the period where the week ends (29 CFR 778.106)."""
    policy = profile.policy
    totals: dict[tuple[date, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for sheet in days.values():
        bucket = totals[pay_period(sheet.date, policy.pay_period)]
        bucket[0] += sheet.regular
        bucket[5] += sheet.holiday_worked
    for holiday in paid:
        if holiday.paid:
            totals[pay_period(holiday.day, policy.pay_period)][4] += holiday.paid
    for week in weeks:
        bucket = totals[pay_period(week.start + timedelta(days=6), policy.pay_period)]
        bucket[1] += week.overtime
        bucket[2] += week.double_time
        bucket[3] += week.premium_hours
    return [
        PayPeriodSheet(start, end, r, o, d, p, _cost(profile.wage, r, o, d, p, policy, hol, worked),
                       hol, worked)
        for (start, end), (r, o, d, p, hol, worked) in sorted(totals.items())
    ]
