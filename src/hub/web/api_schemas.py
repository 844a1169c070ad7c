"""What the JSON API accepts, as pydantic models: validated at the edge, each error naming
its field; the OpenAPI document is generated from these. Ids are bounded like the store's
columns, text refuses control characters (a NUL cannot be stored), and dates and instants
keep to the years the hub keeps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

from depotclock.wire.messages import BreakKind, PunchAction
from hub.rules.punch_location import Position
from hub.services.check_ins import NEXT_STATUSES
from hub.services.offline_requests import Made
from hub.services.problems import Invalid
from hub.services.punching import PunchInput

FIRST_YEAR, LAST_YEAR = 2000, 2199
YEARS = "2[01][0-9][0-9]"  # FIRST_YEAR to LAST_YEAR, for the document's patterns
# Text: no C0 or C1 control character but tab, line feed and carriage return.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
# An id: no control character, no space at either end (ids are matched exactly).
_CHAR, _SOLID = r"[^\x00-\x1f\x7f-\x9f]", r"[^\s\x00-\x1f\x7f-\x9f]"
ID_PATTERN = rf"^{_SOLID}({_CHAR}*{_SOLID})?$"
# Text that must say something: printable and not blank.
_TEXT_CHAR = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
SAYS_SOMETHING = rf"^{_TEXT_CHAR}*{_SOLID}{_TEXT_CHAR}*$"


def _in_years(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"give a date between {FIRST_YEAR} and {LAST_YEAR}")
    return value


Day = Annotated[date, AfterValidator(_in_years),
                WithJsonSchema({"type": "string", "format": "date", "pattern": f"^{YEARS}-"})]
Instant = Annotated[AwareDatetime, AfterValidator(_in_years),
                    WithJsonSchema({"type": "string", "format": "date-time", "pattern": f"^{YEARS}-"})]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]


def text(max_length: int, min_length: int = 0, **extra):
    """A text field; with `min_length`, blank is not enough."""
    return Field(min_length=min_length, max_length=max_length, pattern=SAYS_SOMETHING if min_length else PRINTABLE,
                 **extra)


class Body(BaseModel):
    """Taken as sent (nothing stripped), so the document's constraints are exactly the checks."""

    model_config = ConfigDict(extra="forbid")


class WorkOrderIn(Body):
    """A work order pushed from a PSA; created or replaced by its id (the path's)."""

    customer: str = text(200, 1)
    title: str = text(200, 1)
    depot_id: Id
    site_address: str | None = text(300, default=None)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    radius_m: float = Field(default=100.0, gt=0, le=100_000)
    billable: bool = True
    status: str = text(32, 1, default="open")
    assigned: list[Id] = Field(default_factory=list, max_length=100, description="technician ids")
    quickbooks_job: str | None = text(
        200, default=None,
        description="the QuickBooks Desktop job (Customer:Job) its time goes to; left as it is when omitted")


class Queued(Body):
    """What a request a phone may keep offline carries (hub.services.offline_requests)."""

    at: Instant | None = Field(default=None, description="when it was made (default: now); at most 5 minutes "
                                                        "ahead of the hub's clock, at most a week behind it")
    request_id: str | None = text(64, 1, default=None, description="idempotency key: the same request again "
                                                                   "answers 200 with what it made; another body "
                                                                   "under it is refused (409)")
    sent_at: Instant | None = Field(default=None, description="the phone's clock when it sent this (a retry sends "
                                                               "its own); flagged `phone_clock` when off the hub's")

    def made(self) -> Made:
        return Made(self.at, self.request_id, self.sent_at)


class CheckInIn(Queued):
    technician_id: Id
    work_order_id: Id


class PunchIn(Queued):
    """A clock-in, clock-out or break from a technician's phone (their own token) or for
    them (a supervisor's); a client that queues punches offline sends each with its own
    `at` and `request_id`."""

    technician_id: Id
    action: Literal["clock_in", "clock_out", "break_start", "break_end"]
    break_kind: Literal["meal", "rest"] | None = Field(default=None, description="a break's kind, where the policy asks")
    lat: float | None = Field(default=None, ge=-90, le=90, description="the phone's position, with lon")
    lon: float | None = Field(default=None, ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000, description="the position's accuracy, metres")

    def punch_input(self) -> PunchInput:
        if (self.lat is None) != (self.lon is None):
            raise Invalid("lon" if self.lon is None else "lat", "give lat and lon together")
        position = Position(self.lat, self.lon, self.accuracy_m) if self.lat is not None and self.lon is not None \
            else None
        return PunchInput(PunchAction(self.action), BreakKind(self.break_kind) if self.break_kind else None,
                          self.at, self.request_id, position, self.sent_at)


class CheckOutIn(Queued):
    next_status: Literal[tuple(NEXT_STATUSES)]  # type: ignore[valid-type]
    note: str | None = text(2000, default=None)


class OpenCheckOutIn(CheckOutIn):
    """A check-out of the technician's open check-in, whichever it is: what a phone that
    checked in offline sends (it does not know the check-in's id)."""

    technician_id: Id


class TimerIn(Queued):
    """Start a timer on a work order or a task category (stopping the one running), or stop it."""

    technician_id: Id
    action: Literal["start", "stop"]
    target: str | None = Field(default=None, min_length=1, max_length=80, pattern=ID_PATTERN,
                               description="start: work_order:ID or category:ID")


class CorrectionIn(Body):
    technician_id: Id
    kind: Literal["add_punch", "move_punch", "void_punch", "approve_punch", "attach_leg", "add_visit", "void_correction"]
    reason: str = text(2000, 1)
    replaces: str | None = text(64, 1, default=None, description="event id: punch UUID, leg-N, visit-N-in/out, cN")
    action: Literal["clock_in", "clock_out", "break_start", "break_end"] | None = None
    at: Instant | None = None
    end: Instant | None = None
    break_kind: Literal["meal", "rest"] | None = None
    work_order: Id | None = None


class HoursEntryIn(Body):
    """Hours worked on a day with no punches: to a task category or a work order (one)."""

    technician_id: Id
    day: Day = Field(description="the technician's local workday")
    minutes: int = Field(ge=1, le=1440, description="whole minutes; with the day's clocked time at most 24 hours")
    category: Id | None = Field(default=None, description="a task category's id, or give work_order")
    work_order: Id | None = Field(default=None, description="a work order's id, or give category")
    reason: str = text(500, 1)


class HoursVoidIn(Body):
    reason: str = text(500, 1)


class ApprovalIn(Body):
    technician_id: Id
    week: Day = Field(description="any day of the workweek")
    decision: Literal["submit", "approve", "reject", "void"]
    reason: str | None = text(2000, default=None)
    confirm: bool = Field(default=False, description="approve: the week's open exceptions were seen")


BODIES = (WorkOrderIn, CheckInIn, CheckOutIn, OpenCheckOutIn, TimerIn, PunchIn, CorrectionIn, HoursEntryIn, HoursVoidIn, ApprovalIn)
__all__ = ["ApprovalIn", "BODIES", "CheckInIn", "CheckOutIn", "CorrectionIn", "HoursEntryIn", "HoursVoidIn", "OpenCheckOutIn",
           "PunchIn", "TimerIn",
           "WorkOrderIn", "datetime"]
