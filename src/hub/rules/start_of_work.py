"""Nevada's workday: 24 consecutive hours from when the employee begins work (NRS 608.0126),
not the calendar day. Pure.

A workday opens at the first worked instant; the next one opens at the first worked
instant at or after the previous one's 24 hours are up, so no hour counts in two
workdays. Worked time past the threshold within a workday is overtime (NRS 608.018(1)(b)),
credited to the calendar workday it falls on. Example (Ascentis): Mon 08:00-16:00, Tue
07:30-15:30, Wed 07:00-15:00 give half an hour of overtime on Tuesday (07:30-08:00 is
Monday's workday's ninth hour) and half an hour on Wednesday.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from hub.rules.instants import HOUR_US
from hub.rules.segments import Category, Segment

WORKDAY_US = 24 * HOUR_US


def excess_from_start_of_work(segments: Iterable[Segment], threshold_us: int) -> dict[date, int]:
    """µs worked past `threshold_us` within each 24-hour workday, by the calendar workday
    each falls on. `segments`: every shift's segments, in time order; unpaid meals are
    not work and do not count."""
    excess: dict[date, int] = defaultdict(int)
    opened_until, so_far = None, 0
    for segment in segments:
        if segment.category is Category.UNPAID_MEAL:
            continue
        start, end = segment.start, segment.end
        while start < end:
            if opened_until is None or start >= opened_until:
                opened_until, so_far = start + WORKDAY_US, 0
            stop = min(end, opened_until)
            length = stop - start
            excess[segment.workday] += max(0, so_far + length - max(threshold_us, so_far))
            so_far += length
            start = stop
    return excess
