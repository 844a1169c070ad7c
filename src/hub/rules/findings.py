"""Timesheet exceptions: what a supervisor must look at, each with a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Code(StrEnum):
    MISSING_CLOCK_OUT = "missing_clock_out"  # closed automatically; see the message
    MISSING_CLOCK_IN = "missing_clock_in"
    BREAK_NOT_ENDED = "break_not_ended"
    BREAK_END_WITHOUT_START = "break_end_without_start"
    DUPLICATE_PUNCH = "duplicate_punch"
    CONFLICTING_DUPLICATE = "conflicting_duplicate"  # same id, different content
    OVERLAPPING_VISITS = "overlapping_visits"
    CHECK_IN_OFF_CLOCK = "check_in_off_clock"
    VISIT_NOT_CLOSED = "visit_not_closed"
    CHECK_OUT_WITHOUT_CHECK_IN = "check_out_without_check_in"
    DRIVE_WITHOUT_WORK_ORDER = "drive_without_work_order"
    DRIVE_OFF_CLOCK = "drive_off_clock"
    UNACCOUNTED_GAP = "unaccounted_gap"
    CA_MEAL_MISSING = "ca_meal_missing"
    CA_MEAL_LATE = "ca_meal_late"
    CA_MEAL_SHORT = "ca_meal_short"
    CA_SECOND_MEAL_MISSING = "ca_second_meal_missing"
    CA_REST_SHORT = "ca_rest_short"


@dataclass(frozen=True, slots=True)
class TimesheetException:
    """Not a Python exception: a finding on the timesheet, with the events it came from."""

    code: Code
    at: datetime
    message: str
    source_ids: tuple[str, ...] = ()
