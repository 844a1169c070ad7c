"""Decide each incoming punch's technician and flags before it is stored (raw rows are
immutable, so this is the only moment). The decisions are `badges` and `punch_flags`;
this module gathers what they need from the store."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hub.rules.approval import Decision, approved_weeks
from hub.rules.badges import BadgeIssue, badge_owner
from hub.rules.punch_flags import (
    KioskClock,
    clock_jumped,
    in_locked_period,
    previous_punches,
    punch_flags,
)
from hub.store import badge_rows, punch_rows


def _clock(row) -> KioskClock:
    return KioskClock(str(row["id"]), row["kiosk_id"], row["boot"], row["seq"], row["at"], row["monotonic_s"])


def _local_day(row: dict, zones: dict[str, ZoneInfo]) -> date:
    """The punch's day in its technician's payroll zone; for an unknown badge, as the
    kiosk's own clock had it."""
    zone = zones.get(row["technician_id"])
    return (row["at"].astimezone(zone) if zone else row["at"]).date()


def resolve_punches(session: Session, rows: list[dict], approval_levels: int, pin_needs_approval: bool = False) -> None:
    """Set `technician_id`, `depot_id` (the kiosk's) and `flags` on each punch row, in
    place (`approval_levels`: the company's, which decide when a week is final). A PIN
    punch's technician is the one its kiosk names, if the hub knows them."""
    if not rows:
        return
    badges = {r["badge_id"] for r in rows} - {None}
    issues = [BadgeIssue(*r) for r in badge_rows.badge_issues(session, badges)]
    named = punch_rows.known_technicians(session, {r["technician_id"] for r in rows if r["badge_id"] is None} - {None})
    depots = punch_rows.kiosk_depots(session, {r["kiosk_id"] for r in rows})
    for row in rows:
        if row["badge_id"] is None:
            row["technician_id"] = row["technician_id"] if row["technician_id"] in named else None
        else:
            row["technician_id"] = badge_owner(row["badge_id"], row["at"], issues)
        row["depot_id"] = depots.get(row["kiosk_id"])

    clocks = [_clock(row) for row in rows]
    boots: dict[tuple[str, str], tuple[int, int]] = {}
    for clock in clocks:
        first, last = boots.get((clock.kiosk_id, clock.boot), (clock.seq, clock.seq))
        boots[(clock.kiosk_id, clock.boot)] = (min(first, clock.seq), max(last, clock.seq))
    stored = [_clock(r._mapping) for r in punch_rows.kiosk_clocks(session, boots)]
    previous = previous_punches(clocks, stored)

    technicians = {row["technician_id"] for row in rows} - {None}
    zones = {t: ZoneInfo(z) for t, z in punch_rows.payroll_zones(session, technicians).items()}
    days = [_local_day(row, zones) for row in rows]
    locked = punch_rows.locked_periods(session, min(days), max(days))
    decisions: dict[str, list[Decision]] = {}
    for r in punch_rows.approval_decisions(
        session, technicians, min(days) - timedelta(days=6), max(days)
    ):
        decisions.setdefault(r.technician_id, []).append(
            Decision(r.week_start, r.level, r.decision, r.decided_at, r.id))
    approved = {t: approved_weeks(d, approval_levels) for t, d in decisions.items()}

    for row, clock, day in zip(rows, clocks, days, strict=True):
        row["flags"] = punch_flags(
            technician_id=row["technician_id"],
            synced=row["clock_synced"],
            jumped=clock_jumped(clock, previous[clock.id]),
            locked=in_locked_period(day, locked, approved.get(row["technician_id"], set())),
            pin=row["badge_id"] is None, pin_needs_approval=pin_needs_approval,
        )
