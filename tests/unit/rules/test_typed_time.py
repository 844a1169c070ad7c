"""What people type into a time or date field is read whole or refused: `07.05` is 07:05,
never 07:00 (issue 18)."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.rules.typed_time import NotATime, parse_date, parse_time


@pytest.mark.parametrize("typed, wall", [
    ("7:05", time(7, 5)), ("07:05", time(7, 5)), ("07.05", time(7, 5)), ("0705", time(7, 5)),
    ("705", time(7, 5)), ("11.40", time(11, 40)), ("19:05", time(19, 5)), ("1905", time(19, 5)),
    ("7:05 pm", time(19, 5)), ("7:05PM", time(19, 5)), ("7:05 p.m.", time(19, 5)), ("7pm", time(19, 0)),
    ("12:30 am", time(0, 30)), ("12:30 pm", time(12, 30)), ("12 am", time(0, 0)), ("0:00", time(0, 0)),
    ("23:59", time(23, 59)), ("7", time(7, 0)), (" 07:05 ", time(7, 5)), ("07:05:30", time(7, 5, 30)),
])
def test_a_time_as_people_type_it(typed, wall):
    assert parse_time(typed) == wall


@pytest.mark.parametrize("typed", [
    "", "  ", "24:00", "7:60", "13 pm", "0 am", "07.5", "7:5", "07:05:60", "7.05.30", "07,05", "abc",
    "07:05 xm", "１２:３０", "7:05 pm pm", "12345", "-7:05", "7:05" + "0" * 30, "0x10", "\x00",
])
def test_anything_else_is_refused_with_what_to_type(typed):
    with pytest.raises(NotATime, match="time"):
        parse_time(typed)


@given(st.times())
def test_every_time_written_any_way_reads_back(wall):
    minute = wall.replace(second=0, microsecond=0)
    twelve = minute.hour % 12 or 12
    half = "am" if minute.hour < 12 else "pm"
    for typed in (f"{minute:%H:%M}", f"{minute:%H.%M}", f"{minute:%H%M}", f"{minute.hour}:{minute:%M}",
                  f"{twelve}:{minute:%M} {half}", f"{twelve}.{minute:%M}{half.upper()}"):
        assert parse_time(typed) == minute, typed


@given(st.text(max_size=30))
def test_garbage_is_read_whole_or_refused(text):
    """Never a crash, never a partial read: what is accepted prints back to its digits."""
    try:
        wall = parse_time(text)
    except NotATime:
        return
    digits = "".join(c for c in text if c.isdigit())
    assert int(digits[:2] if len(digits) in (2, 4, 6) else digits[:1]) % 12 == wall.hour % 12


@given(st.dates())
def test_an_iso_date_reads_back(day):
    if day.year >= 1000:
        assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize("typed", ["", "2026-02-30", "2026-3-2", "02/03/2026", "2026-W10-1", "20260302",
                                   "2026-03-02T07:00", "x" * 500])
def test_a_date_that_is_not_one_is_refused(typed):
    with pytest.raises(NotATime, match="date|day"):
        parse_date(typed)


def test_a_date_as_a_date_input_sends_it():
    assert parse_date("2026-03-02") == date(2026, 3, 2)
