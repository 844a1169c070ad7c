"""A punch flagged `needs_approval` (a PIN at the kiosk, when the company asks): it counts,
and is an open exception until a correction approves it (`approve_punch`) or voids it
(a rejection: it no longer counts). Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hub.rules.corrections import Correction, CorrectionKind, apply_corrections, current_id, decision_on
from hub.rules.events import Punch, PunchAction
from hub.rules.findings import Code
from hub.rules.punch_location import Fence, Position, nearest_fence
from hub.rules.timesheet import TechnicianProfile, compute_timesheets

CHICAGO = ZoneInfo("America/Chicago")


def at(hour: int) -> datetime:
    return datetime(2026, 3, 3, hour, tzinfo=CHICAGO)


CLOCK_IN = Punch("p-in", "T-1", PunchAction.CLOCK_IN, at(7))
PIN_OUT = Punch("p-out", "T-1", PunchAction.CLOCK_OUT, at(15), flags=("pin", "needs_approval"))


def sheet(corrections: list[Correction]):
    corrected = apply_corrections([CLOCK_IN, PIN_OUT], corrections)
    (found,) = compute_timesheets(corrected.events, {"T-1": TechnicianProfile("T-1", timezone=CHICAGO)})
    return found, corrected


def codes(found) -> list[Code]:
    return [e.code for e in found.exceptions]


def test_a_punch_waiting_for_approval_counts_and_is_an_open_exception():
    found, _ = sheet([])
    assert found.weeks[0].worked == 8 * 3_600_000_000
    (waiting,) = [e for e in found.exceptions if e.code is Code.PUNCH_AWAITS_APPROVAL]
    assert waiting.source_ids == ("p-out",) and "15:00" in waiting.message


def test_approved_it_counts_with_no_exception_and_no_corrected_mark():
    approve = Correction("c1", "T-1", CorrectionKind.APPROVE_PUNCH, replaces="p-out")
    found, corrected = sheet([approve])
    assert found.weeks[0].worked == 8 * 3_600_000_000
    assert Code.PUNCH_AWAITS_APPROVAL not in codes(found)
    (out,) = [e for e in corrected.events if e.id == "p-out"]
    assert out.flags == ("pin", "approved") and "p-out" not in corrected.marks


def test_rejected_it_is_voided_and_no_longer_counts():
    reject = Correction("c1", "T-1", CorrectionKind.VOID_PUNCH, replaces="p-out")
    found, _ = sheet([reject])
    assert Code.PUNCH_AWAITS_APPROVAL not in codes(found)
    assert Code.MISSING_CLOCK_OUT in codes(found)  # the clock-in is left without its clock-out


def test_voiding_the_approval_puts_it_back_in_waiting():
    approve = Correction("c1", "T-1", CorrectionKind.APPROVE_PUNCH, replaces="p-out")
    undo = Correction("c2", "T-1", CorrectionKind.VOID_CORRECTION, replaces="c1")
    found, _ = sheet([approve, undo])
    assert Code.PUNCH_AWAITS_APPROVAL in codes(found)
    assert decision_on("p-out", [approve, undo]) is None


def test_approving_a_punch_that_does_not_wait_changes_nothing():
    approve = Correction("c1", "T-1", CorrectionKind.APPROVE_PUNCH, replaces="p-in")
    _, corrected = sheet([approve])
    assert CLOCK_IN in corrected.events and not corrected.marks


def test_a_moved_punch_still_waits_and_is_decided_by_its_new_id():
    move = Correction("c1", "T-1", CorrectionKind.MOVE_PUNCH, replaces="p-out", at=at(16))
    found, _ = sheet([move])
    (waiting,) = [e for e in found.exceptions if e.code is Code.PUNCH_AWAITS_APPROVAL]
    assert waiting.source_ids == ("c1",) and current_id("p-out", [move]) == "c1"
    approve = Correction("c2", "T-1", CorrectionKind.APPROVE_PUNCH, replaces="c1")
    found, _ = sheet([move, approve])
    assert Code.PUNCH_AWAITS_APPROVAL not in codes(found)
    assert decision_on("p-out", [move, approve]) == approve


def test_the_nearest_fence_and_how_far_outside_its_edge():
    depot = Fence("North", 41.88, -87.68, 150)
    site = Fence("WO-7", 41.90, -87.68, 100)
    nearest, metres = nearest_fence(Position(41.895, -87.68), [depot, site])
    assert nearest == site and 450 < metres < 470  # ~556 m from its centre, 100 m radius
    assert nearest_fence(Position(41.88, -87.68), [depot]) == (depot, 0.0)
    assert nearest_fence(Position(41.88, -87.68), []) is None
