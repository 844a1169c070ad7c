"""A recorded van day, as the van unit journals it: ignition changes, GPS fixes every few
seconds and a cab badge read; for leg tests from unit to integration.

The day: idling in the depot yard with the engine on (no trip), a drive out with a fuel
stop (engine off three minutes), a tunnel without fixes, parking at a work-order site, and
the drive back to the depot.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from depotclock.wire.badge import ReaderFamily
from depotclock.wire.messages import Badge, DriverBadge, Fix, Ignition
from hub.rules.events import Place
from hub.rules.legs import Geofence, Reading, metres

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
DEPOT = (41.8868, -87.6866)
FUEL = (41.8930, -87.6790)
SITE = (41.8990, -87.6700)
FENCES = [Geofence(Place.DEPOT, "north", *DEPOT, 150), Geofence(Place.SITE, "WO-7", *SITE, 100)]


class VanDay:
    """Appends a van's items second by second; ids are stable for a given `seed`."""

    def __init__(self, ignition_wire: bool = True, seed: int = 0, start: datetime = T0):
        self.items: list = []
        self.t, self.position, self.wire = start, DEPOT, ignition_wire
        self._seed, self._n = seed, 0

    def _next(self) -> tuple[uuid.UUID, int]:
        self._n += 1
        return uuid.UUID(int=(self._seed << 64) | self._n), self._n

    def ignition(self, on: bool) -> VanDay:
        if self.wire:
            item_id, seq = self._next()
            self.items.append(Ignition(id=item_id, seq=seq, at=self.t, on=on))
        return self

    def badge(self, badge_id: str) -> VanDay:
        item_id, seq = self._next()
        self.items.append(DriverBadge(id=item_id, seq=seq, at=self.t,
                                      badge=Badge(id=badge_id, family=ReaderFamily.MFRC522, raw=badge_id)))
        return self

    def wait(self, seconds: int) -> VanDay:
        self.t += timedelta(seconds=seconds)
        return self

    def park(self, seconds: int, every: int = 30) -> VanDay:
        for _ in range(0, seconds, every):
            self._fix(0.0)
            self.t += timedelta(seconds=every)
        return self

    def drive_to(self, target, seconds: int, every: int = 5, tunnel: range = range(0)) -> VanDay:
        start = self.position
        speed = metres(start, target) / seconds * 3.6
        for s in range(every, seconds + 1, every):
            f = s / seconds
            self.position = (start[0] + (target[0] - start[0]) * f, start[1] + (target[1] - start[1]) * f)
            self.t += timedelta(seconds=every)
            if s not in tunnel:
                self._fix(speed)
        self.position = target
        return self

    def _fix(self, speed: float) -> None:
        item_id, seq = self._next()
        self.items.append(Fix(id=item_id, seq=seq, at=self.t, lat=round(self.position[0], 6),
                              lon=round(self.position[1], 6), speed_kmh=round(speed, 1)))


def recorded_day(ignition_wire: bool = True, seed: int = 0, driver: str | None = "DEADBEEF",
                 start: datetime = T0) -> list:
    day = VanDay(ignition_wire, seed, start)
    day.park(600).ignition(True).park(900).ignition(False).park(600)  # idling in the yard
    day.ignition(True).wait(10)
    if driver:
        day.badge(driver)
    day.drive_to(FUEL, 420).ignition(False).park(180).ignition(True)  # fuel stop
    day.drive_to(SITE, 600, tunnel=range(200, 330)).ignition(False).park(2400)  # tunnel
    day.ignition(True).drive_to(DEPOT, 900).ignition(False).park(900)
    return day.items


def readings(items: list) -> list[Reading]:
    """The leg builder's view of telemetry items (cab reads play no part)."""
    out = []
    for item in items:
        if item.type == "ignition":
            out.append(Reading(str(item.id), item.at, on=item.on))
        elif item.type == "fix":
            out.append(Reading(str(item.id), item.at, lat=item.lat, lon=item.lon, speed_kmh=item.speed_kmh))
    return out
