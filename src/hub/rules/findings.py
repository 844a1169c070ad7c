"""Timesheet exceptions: what a supervisor must look at, each with a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


def N_(text: str) -> str:
    """Marks `text` for the translation catalogs (gettext's convention): translated where it is shown."""
    return text


class Code(StrEnum):
    MISSING_CLOCK_OUT = "missing_clock_out"  # closed automatically; see the message
    MISSING_CLOCK_IN = "missing_clock_in"
    LATE_CLOCK_OUT = "late_clock_out"  # past the auto clock-out limit: an orphan, not counted
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
    PUNCH_AWAITS_APPROVAL = "punch_awaits_approval"  # flagged needs_approval, not yet approved or rejected


WORDS = {  # each code as a supervisor reads it
    Code.MISSING_CLOCK_OUT: N_("missing clock-out"), Code.MISSING_CLOCK_IN: N_("missing clock-in"),
    Code.BREAK_NOT_ENDED: N_("break not ended"), Code.BREAK_END_WITHOUT_START: N_("break end without a start"),
    Code.DUPLICATE_PUNCH: N_("duplicate punch"), Code.CONFLICTING_DUPLICATE: N_("conflicting duplicate punch"),
    Code.OVERLAPPING_VISITS: N_("overlapping site visits"), Code.CHECK_IN_OFF_CLOCK: N_("check-in while off the clock"),
    Code.VISIT_NOT_CLOSED: N_("site visit not checked out"), Code.CHECK_OUT_WITHOUT_CHECK_IN: N_("check-out without a check-in"),
    Code.DRIVE_WITHOUT_WORK_ORDER: N_("drive without a work order"), Code.DRIVE_OFF_CLOCK: N_("drive while off the clock"),
    Code.UNACCOUNTED_GAP: N_("time on the clock not accounted for"), Code.CA_MEAL_MISSING: N_("meal break missing (California)"),
    Code.CA_MEAL_LATE: N_("meal break late (California)"), Code.CA_MEAL_SHORT: N_("meal break short (California)"),
    Code.CA_SECOND_MEAL_MISSING: N_("second meal break missing (California)"),
    Code.CA_REST_SHORT: N_("rest break short (California)"),
    Code.PUNCH_AWAITS_APPROVAL: N_("punch waiting for a supervisor's approval"),
}


@dataclass(frozen=True, slots=True)
class TimesheetException:
    """Not a Python exception: a finding on the timesheet, with the events it came from."""

    code: Code
    at: datetime
    message: str
    source_ids: tuple[str, ...] = ()
