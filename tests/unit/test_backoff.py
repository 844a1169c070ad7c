"""The one retry policy of the devices' loops (kiosk reader, cab reader, van GPS): pauses
double from the first up to the longest, start short again once the thing worked, and
end early when stopped; the settings refuse pauses that make no sense."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from depotclock.backoff import Backoff
from firmware.settings import VehicleSettings
from kiosk.settings import KioskSettings


class RecordedStop:
    """A stop event that records the pauses asked of it; set after `set_after` of them."""

    def __init__(self, set_after: int | None = None):
        self.pauses: list[float] = []
        self.set_after = set_after

    def wait(self, timeout: float | None = None) -> bool:
        self.pauses.append(timeout)
        return self.set_after is not None and len(self.pauses) >= self.set_after


def test_pauses_double_up_to_the_longest():
    backoff, stop = Backoff((0.5, 10.0)), RecordedStop()
    for _ in range(7):
        assert backoff.wait(stop) is False
    assert stop.pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_once_it_worked_the_pauses_start_short_again():
    backoff, stop = Backoff((1.0, 30.0)), RecordedStop()
    for _ in range(3):
        backoff.wait(stop)
    backoff.worked()
    backoff.wait(stop)
    assert stop.pauses == [1.0, 2.0, 4.0, 1.0]


def test_a_stop_during_a_pause_says_so():
    backoff, stop = Backoff((1.0, 30.0)), RecordedStop(set_after=2)
    assert [backoff.wait(stop), backoff.wait(stop)] == [False, True]


@pytest.mark.parametrize("pauses", [(0.0, 1.0), (-1.0, 1.0), (5.0, 1.0)])
def test_pauses_that_make_no_sense_are_refused(pauses):
    with pytest.raises(ValueError, match="pause"):
        Backoff(pauses)


def test_the_settings_name_the_pauses_that_make_no_sense():
    with pytest.raises(ValidationError, match="reader_retry_s"):
        KioskSettings(kiosk_id="kiosk-1", depot_id="north", mqtt_url="mqtt://k:p@127.0.0.1:1883",
                      reader_retry_s=(20.0, 10.0))
    with pytest.raises(ValidationError, match="gps_retry_s"):
        VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://v:p@127.0.0.1:1883", gps_retry_s=(0, 30))


def test_the_defaults_are_the_loops_own():
    kiosk = KioskSettings(kiosk_id="kiosk-1", depot_id="north", mqtt_url="mqtt://k:p@127.0.0.1:1883")
    van = VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://v:p@127.0.0.1:1883")
    assert (kiosk.reader_retry_s, van.gps_retry_s, van.reader_retry_s) == ((0.5, 10.0), (1.0, 30.0), (1.0, 30.0))
