"""The cab reader: a badge tapped twice is one read; a reader that goes away is reopened."""

from __future__ import annotations

import logging
import threading

import pytest

from depotclock.wire.badge import ReaderFamily
from firmware.cab_reader import CabReader, RepeatFilter
from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable


@pytest.mark.parametrize(
    "reads, kept",
    [
        ([("DEADBEEF", 0.0), ("DEADBEEF", 1.5)], [0]),  # tapped twice: one read
        ([("DEADBEEF", 0.0), ("DEADBEEF", 5.0)], [0, 1]),  # a new tap after the window
        ([("DEADBEEF", 0.0), ("0A0B0C0D", 1.0)], [0, 1]),  # a second driver at once
        ([("DEADBEEF", 0.0), ("DEADBEEF", 3.0), ("DEADBEEF", 6.0)], [0, 2]),  # window from the kept read
    ],
)
def test_repeat_filter(reads, kept):
    repeats = RepeatFilter(window_s=5.0)
    assert [i for i, (badge, t) in enumerate(reads) if repeats.fresh(badge, t)] == kept


def read(badge: str) -> BadgeRead:
    return BadgeRead(badge, ReaderFamily.SIMULATED, badge.lower())


class ScriptedReader:
    """Plays a script: each open and each read takes the next step (a value or an
    exception); then it reports nothing and `done` is set."""

    family = ReaderFamily.SIMULATED

    def __init__(self, script):
        self.script = list(script)
        self.calls: list[str] = []
        self.done = threading.Event()

    def _next(self, call: str):
        self.calls.append(call)
        if not self.script:
            self.done.set()
            return None
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def open(self) -> None:
        self._next("open")

    def read(self, timeout: float):
        return self._next("read")

    def close(self) -> None:
        self.calls.append("close")


def run_until_done(reader: ScriptedReader, **kwargs) -> tuple[CabReader, list[BadgeRead], list[tuple]]:
    reads, health = [], []
    ticks = iter(range(0, 10_000, 10))  # each monotonic reading is 10 s later: no repeats
    cab = CabReader(reader, reads.append, retry_s=(0.001, 0.004), monotonic=lambda: next(ticks), **kwargs)
    cab.on_change = lambda: health.append((cab.ok, cab.error))
    stop = threading.Event()
    thread = threading.Thread(target=cab.run, args=(stop,))
    thread.start()
    assert reader.done.wait(10)
    stop.set()
    thread.join(10)
    return cab, reads, health


def test_reads_go_to_the_unit_and_the_reader_is_closed_at_the_end():
    reader = ScriptedReader([None, read("DEADBEEF"), None, read("0A0B0C0D")])
    cab, reads, health = run_until_done(reader)
    assert [r.badge_id for r in reads] == ["DEADBEEF", "0A0B0C0D"]
    assert health == [(True, None)]
    assert reader.calls[0] == "open" and reader.calls[-1] == "close"


def test_an_unreadable_card_is_logged_and_reading_goes_on(caplog):
    reader = ScriptedReader([None, CardUnreadable("no UID"), read("DEADBEEF")])
    with caplog.at_level(logging.WARNING, logger="firmware.cab_reader"):
        cab, reads, health = run_until_done(reader)
    assert [r.badge_id for r in reads] == ["DEADBEEF"]
    assert reader.calls.count("open") == 1 and cab.ok
    assert "no usable id (no UID)" in caplog.text


def test_a_reader_that_goes_away_is_closed_reopened_and_reported():
    reader = ScriptedReader([
        None, read("DEADBEEF"), ReaderUnavailable("USB reader unplugged"),  # gone while reading
        ReaderUnavailable("no reader found"),  # still gone at the first reopen
        None, read("0A0B0C0D"),  # back
    ])
    cab, reads, health = run_until_done(reader)
    assert [r.badge_id for r in reads] == ["DEADBEEF", "0A0B0C0D"]
    assert health == [(True, None), (False, "USB reader unplugged"), (False, "no reader found"), (True, None)]
    assert reader.calls[:5] == ["open", "read", "read", "close", "open"]
    assert reader.calls.count("close") == 3


def test_a_driver_bug_is_reported_like_a_missing_reader(caplog):
    reader = ScriptedReader([None, OSError("spidev went away"), None, read("DEADBEEF")])
    with caplog.at_level(logging.ERROR, logger="firmware.cab_reader"):
        cab, reads, health = run_until_done(reader)
    assert [r.badge_id for r in reads] == ["DEADBEEF"]
    assert health == [(True, None), (False, "OSError: spidev went away"), (True, None)]
    assert "cab reader failed" in caplog.text


def test_a_long_error_fits_the_status():
    reader = ScriptedReader([ReaderUnavailable("x" * 900)])
    cab, _, health = run_until_done(reader)
    assert health[0] == (False, "x" * 500)
