"""Events as delivered (any order, repeated) -> each event once, in a fixed order."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hub.rules.events import DriveLeg, Event, Punch, PunchAction, WorkOrderCheck
from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import from_us, to_us
from hub.rules.rounding import RoundedPunch

_TYPE_ORDER = {PunchAction.CLOCK_IN: 0, PunchAction.BREAK_END: 1, PunchAction.BREAK_START: 2,
               PunchAction.CLOCK_OUT: 3}


def deduplicate(events: list[Event], tz: ZoneInfo) -> tuple[list[Event], list[TimesheetException]]:
    """One event per id. Identical repeats are delivery duplicates and vanish silently;
    two different events under one id are flagged, and the same one of them is kept
    whatever the input order."""
    by_id = {event.id: event for event in events}
    if len(by_id) == len(events):
        return list(by_id.values()), []  # no repeats at all: the common case, in one pass
    by_id = {}
    conflicts: dict[str, set[Event]] = {}
    for event in events:
        kept = by_id.get(event.id)
        if kept is None:
            by_id[event.id] = event
        elif kept != event:
            conflicts.setdefault(event.id, {kept}).add(event)
    exceptions = []
    for event_id, variants in conflicts.items():
        chosen = min(variants, key=repr)
        by_id[event_id] = chosen
        at = chosen.start if isinstance(chosen, DriveLeg) else chosen.at
        exceptions.append(
            TimesheetException(
                Code.CONFLICTING_DUPLICATE, at.astimezone(tz),
                f"{len(variants)} different events arrived with id {event_id}; kept one, "
                "check the device that sent them.", (event_id,),
            )
        )
    return list(by_id.values()), exceptions


def punch_order(rounded: RoundedPunch) -> tuple[int, int, str]:
    return rounded.at_us, _TYPE_ORDER[rounded.punch.type], rounded.punch.id


def drop_double_punches(
    punches: list[RoundedPunch], window_us: int, tz: ZoneInfo
) -> tuple[list[RoundedPunch], list[TimesheetException]]:
    """A punch of the same type as the one before it, within the window, is a double read
    (two kiosks, two taps): kept once and flagged."""
    kept: list[RoundedPunch] = []
    exceptions = []
    for rounded in punches:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and previous.punch.type is rounded.punch.type
            and rounded.at_us - previous.at_us <= window_us
        ):
            exceptions.append(
                TimesheetException(
                    Code.DUPLICATE_PUNCH, from_us(rounded.at_us, tz),
                    f"Second {rounded.punch.type.replace('_', ' ')} within "
                    f"{window_us // 1_000_000} s of the first; counted once.",
                    (previous.punch.id, rounded.punch.id),
                )
            )
            continue
        kept.append(rounded)
    return kept, exceptions


def split_events(
    events: list[Event],
) -> tuple[list[tuple[int, Punch]], list[tuple[int, int, DriveLeg]], list[tuple[int, WorkOrderCheck]]]:
    """Punches, drive legs and work-order checks with their instants in microseconds
    (converted once here), each list in a fixed order."""
    # Each list sorts as plain tuples, its order key first; ids are unique (deduplicated),
    # so the event itself is never compared.
    punches, legs, checks = [], [], []
    for event in events:
        if isinstance(event, Punch):
            punches.append((to_us(event.at), event.id, event))
        elif isinstance(event, DriveLeg):
            legs.append((to_us(event.start), to_us(event.end), event.id, event))
        else:
            checks.append((to_us(event.at), not event.check_in, event.id, event))
    punches.sort()
    legs.sort()
    checks.sort()
    return (
        [(at, punch) for at, _, punch in punches],
        [(start, end, leg) for start, end, _, leg in legs],
        [(at, check) for at, _, _, check in checks],
    )
