"""Who drove a leg (a supervisor's correction, else the cab badge, else the van's assignment) and for which work order (the
driver's check-in near the leg's end, else the site geofence, flagged by its source)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hub.rules.badges import BadgeIssue
from hub.rules.events import Place
from hub.rules.leg_attribution import Assignment, CheckIn, DriverRead, driver, work_order
from hub.rules.legs import Leg

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
ISSUES = [
    BadgeIssue("DEADBEEF", "T-100", T0 - timedelta(days=30), None),
    BadgeIssue("0A0B0C0D", "T-101", T0 - timedelta(days=30), T0 - timedelta(days=1)),  # returned
]
ASSIGNED = [Assignment("T-102", T0 - timedelta(days=7), None)]


def _leg(minutes_from_t0: int = 0, destination=Place.SITE, ref: str | None = "WO-7") -> Leg:
    start = T0 + timedelta(minutes=minutes_from_t0)
    return Leg(start, start + timedelta(minutes=25), (41.88, -87.68), (41.89, -87.67), 4.2,
               Place.DEPOT, "north", destination, ref)


def _work_order(leg: Leg, technician: str | None, visits: list[CheckIn]):
    return work_order(leg.end, leg.destination, leg.destination_ref, technician, visits)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_the_latest_cab_read_before_the_leg_names_the_driver():
    reads = [DriverRead(_at(-300), "0A0B0C0D"), DriverRead(_at(-60), "DEADBEEF")]
    assert driver(_leg(), reads, ISSUES, ASSIGNED) == ("T-100", "badge")


def test_a_read_just_after_ignition_on_counts_for_that_leg():
    assert driver(_leg(), [DriverRead(_at(0.2), "DEADBEEF")], ISSUES, ASSIGNED) == ("T-100", "badge")
    assert driver(_leg(), [DriverRead(_at(20), "DEADBEEF")], ISSUES, ASSIGNED) == ("T-102", "assignment")


def test_without_a_read_or_with_a_badge_nobody_holds_the_assignment_decides():
    assert driver(_leg(), [], ISSUES, ASSIGNED) == ("T-102", "assignment")
    assert driver(_leg(), [DriverRead(_at(-5), "0A0B0C0D")], ISSUES, ASSIGNED) == ("T-102", "assignment")


def test_nobody_known_leaves_the_driver_empty():
    ended = [Assignment("T-102", T0 - timedelta(days=7), T0 - timedelta(hours=1))]
    assert driver(_leg(), [], ISSUES, ended) == (None, None)


def test_a_supervisors_correction_names_the_driver_of_the_leg_it_covers():
    """Issue 18: a leg with no driver (the van moved before its assignment) is given one by
    a correction covering just that leg; it decides over a cab read and the roster, and
    names no other leg."""
    leg = _leg()
    named = [Assignment("T-103", leg.start, leg.end, corrected=True)]
    assert driver(leg, [], ISSUES, named) == ("T-103", "correction")
    assert driver(leg, [DriverRead(_at(-1), "DEADBEEF")], ISSUES, ASSIGNED + named) == ("T-103", "correction")
    assert driver(_leg(30), [], ISSUES, named) == (None, None)  # the next leg is not covered


def test_a_check_in_at_the_site_near_the_leg_end_attaches_the_work_order():
    visits = [CheckIn("T-100", "WO-7", _at(28))]
    assert _work_order(_leg(), "T-100", visits) == ("WO-7", "check_in")


def test_a_missing_check_in_attaches_by_geofence_which_flags_it():
    late = [CheckIn("T-100", "WO-7", _at(25 + 31))]  # after the 30 minutes that count
    assert _work_order(_leg(), "T-100", late) == ("WO-7", "geofence")
    someone_else = [CheckIn("T-101", "WO-7", _at(27))]
    assert _work_order(_leg(), "T-100", someone_else) == ("WO-7", "geofence")
    assert _work_order(_leg(), None, []) == ("WO-7", "geofence")


def test_a_check_in_where_no_geofence_is_attaches_the_work_order():
    assert _work_order(_leg(destination=Place.OTHER, ref=None), "T-100",
                      [CheckIn("T-100", "WO-9", _at(26)), CheckIn("T-100", "WO-8", _at(40))]) == ("WO-9", "check_in")


def test_a_leg_back_to_the_depot_has_no_work_order():
    assert _work_order(_leg(destination=Place.DEPOT, ref="north"), "T-100",
                      [CheckIn("T-100", "WO-9", _at(26))]) == (None, None)
