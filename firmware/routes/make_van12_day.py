"""Write van-12-chicago.csv: a day of van-12 out of the North depot, as its unit logged it.

07:00 parked at the depot (2400 W Fulton St); the driver badges in the cab and starts the
engine; Western Ave north and Belmont Ave east to WO-7, Lakeview Dental (3200 N Broadway);
after the job, Halsted St south to WO-8, Pilsen Bakery (1800 S Halsted St); after the job
and lunch, 18th St west and Western Ave north, with a fuel stop, back to the depot.

Logged at 1 Hz while the van moves (traffic lights, slow corners, a poor fix under the
Lake St "L" tracks) and every 30 s while it is parked. Deterministic: `python
firmware/routes/make_van12_day.py` rewrites the same file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

M_PER_DEG_LAT = 111_195.0
ACCEL, BRAKE = 1.4, 1.8  # m/s², a loaded Transit in city traffic
CORNER_KMH = 15.0

DEPOT = (41.8868, -87.6866)
WO_7 = (41.9404, -87.6440)  # Lakeview Dental
WO_8 = (41.8575, -87.6466)  # Pilsen Bakery
FUEL = (41.8641, -87.6861)  # a filling station on Western Ave near Ogden Ave

# Each leg: waypoints (lat, lon, traffic light there?) and the cruise speed (km/h) to each.
TO_WO_7 = [
    (41.8868, -87.6869, False, 15),  # out of the yard onto Western Ave
    (41.8910, -87.6870, True, 45),  # Grand Ave
    (41.8962, -87.6871, True, 45),  # Chicago Ave
    (41.9032, -87.6873, True, 45),  # Division St
    (41.9104, -87.6874, True, 45),  # North Ave
    (41.9176, -87.6876, True, 45),  # Armitage Ave
    (41.9249, -87.6877, True, 45),  # Fullerton Ave
    (41.9322, -87.6878, True, 45),  # Diversey Ave
    (41.9397, -87.6879, True, 45),  # Belmont Ave: turn east
    (41.9397, -87.6786, True, 35),  # Damen Ave
    (41.9397, -87.6687, True, 35),  # Ashland Ave
    (41.9397, -87.6588, True, 35),  # Racine Ave
    (41.9397, -87.6490, True, 35),  # Halsted St
    (41.9397, -87.6443, True, 30),  # Broadway: turn north
    (*WO_7, False, 20),
]
TO_WO_8 = [
    (41.9397, -87.6443, True, 20),  # back down Broadway to Belmont Ave: turn west
    (41.9397, -87.6490, True, 30),  # Halsted St: turn south
    (41.9322, -87.6490, True, 40),  # Diversey Pkwy
    (41.9249, -87.6489, True, 40),  # Fullerton Ave
    (41.9180, -87.6487, True, 40),  # Armitage Ave
    (41.9108, -87.6485, True, 40),  # North Ave
    (41.9035, -87.6481, True, 40),  # Division St
    (41.8966, -87.6476, True, 40),  # Chicago Ave
    (41.8913, -87.6475, True, 40),  # Grand Ave
    (41.8856, -87.6474, True, 40),  # Lake St, under the Green Line
    (41.8819, -87.6473, True, 40),  # Madison St
    (41.8781, -87.6471, True, 40),  # Jackson Blvd
    (41.8674, -87.6470, True, 45),  # Roosevelt Rd
    (41.8597, -87.6468, True, 40),  # 16th St
    (*WO_8, False, 20),
]
TO_FUEL = [
    (41.8577, -87.6466, True, 15),  # 18th St: turn west
    (41.8577, -87.6567, True, 35),  # Racine Ave
    (41.8577, -87.6665, True, 35),  # Ashland Ave
    (41.8577, -87.6757, True, 35),  # Damen Ave
    (41.8577, -87.6857, True, 35),  # Western Ave: turn north
    (*FUEL, False, 40),
]
TO_DEPOT = [
    (41.8669, -87.6861, True, 45),  # Roosevelt Rd
    (41.8741, -87.6863, True, 45),  # Harrison St
    (41.8777, -87.6864, True, 45),  # Jackson Blvd
    (41.8815, -87.6865, True, 45),  # Madison St
    (41.8850, -87.6867, True, 45),  # Lake St
    (41.8868, -87.6869, True, 45),  # Fulton St: into the yard
    (*DEPOT, False, 10),
]
UNDER_THE_L = (41.8856, -87.6474)


class Log:
    """The unit's log lines, with the van's position and a seeded receiver noise."""

    def __init__(self, start: datetime, place: tuple[float, float]):
        self.t, self.place = start, place
        self.v = 0.0  # m/s, carried from one segment into the next
        self.noise = random.Random(12)
        self.lines = ["time,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m"]

    def fix(self, lat: float, lon: float, kmh: float, heading: float | None, accuracy: float) -> None:
        jitter = accuracy / 3 / M_PER_DEG_LAT
        lat += self.noise.gauss(0, jitter)
        lon += self.noise.gauss(0, jitter) / math.cos(math.radians(lat))
        heading_text = "" if heading is None else f"{heading % 360:.1f}"
        self.lines.append(f"{self.t:%H:%M:%S},fix,,{lat:.6f},{lon:.6f},{kmh:.1f},{heading_text},{accuracy:.1f}")

    def event(self, event: str, value: str) -> None:
        self.lines.append(f"{self.t:%H:%M:%S},{event},{value},,,,,")

    def parked(self, seconds: int) -> None:
        end = self.t + timedelta(seconds=seconds)
        while self.t < end:
            self.fix(*self.place, 0.0, None, self.noise.uniform(2.5, 4.5))
            self.t += timedelta(seconds=min(30, (end - self.t).total_seconds()))

    def wait_until(self, hhmm: str) -> None:
        hour, minute = map(int, hhmm.split(":"))
        self.parked(int((self.t.replace(hour=hour, minute=minute, second=0) - self.t).total_seconds()))

    def drive(self, waypoints: Sequence[tuple[float, float, bool, float]]) -> None:
        points = [(*self.place, False, 0.0), *waypoints]
        self.v = 0.0
        for a, b, c in zip(points, points[1:], points[2:] + [None], strict=False):
            self._segment(a, b, c)
        self.place = points[-1][:2]

    def _segment(self, a, b, after) -> None:
        north = (b[0] - a[0]) * M_PER_DEG_LAT
        east = (b[1] - a[1]) * M_PER_DEG_LAT * math.cos(math.radians(a[0]))
        length, heading = math.hypot(north, east), math.degrees(math.atan2(east, north)) % 360
        cruise = b[3] / 3.6
        red = b[2] and self.noise.random() < 0.45
        if after is None or red:
            end_speed = 0.0
        else:
            next_heading = math.degrees(math.atan2(
                (after[1] - b[1]) * math.cos(math.radians(b[0])), after[0] - b[0])) % 360
            turn = abs((next_heading - heading + 180) % 360 - 180)
            end_speed = CORNER_KMH / 3.6 if turn > 45 else min(cruise, after[3] / 3.6)
        s, v = 0.0, self.v
        while length - s > 0.5:
            allowed = math.sqrt(end_speed**2 + 2 * BRAKE * max(0.0, length - s - 2))
            new_v = max(0.0, min(v + ACCEL, cruise * self.noise.uniform(0.93, 1.03), allowed))
            if new_v < 0.3 and end_speed == 0:
                new_v = min(0.8, length - s)  # creep up to the stop line
            s = min(length, s + (v + new_v) / 2)
            v = new_v
            self.t += timedelta(seconds=1)
            f = s / length
            lat, lon = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            self.fix(lat, lon, v * 3.6, heading, self._accuracy(lat, lon))
        self.v = v
        if red:
            for _ in range(self.noise.randint(12, 55)):  # a red light
                self.t += timedelta(seconds=1)
                self.fix(b[0], b[1], 0.0, heading, self._accuracy(b[0], b[1]))

    def _accuracy(self, lat: float, lon: float) -> float:
        under_the_l = math.dist((lat, lon), UNDER_THE_L) * M_PER_DEG_LAT < 40
        return self.noise.uniform(18, 30) if under_the_l else self.noise.uniform(2.5, 5.0)


def day() -> str:
    log = Log(datetime(2026, 3, 2, 7, 0, 0), DEPOT)
    log.wait_until("07:16")
    log.parked(30)
    log.event("driver", "DEADBEEF")  # Maria Lopez (T-100) badges in the cab
    log.wait_until("07:18")
    log.event("ignition", "on")
    log.parked(95)  # the engine warms up, the route is looked at
    log.drive(TO_WO_7)
    log.parked(45)
    log.event("ignition", "off")
    log.wait_until("10:05")
    log.event("ignition", "on")
    log.parked(80)
    log.drive(TO_WO_8)
    log.parked(40)
    log.event("ignition", "off")
    log.wait_until("12:40")
    log.event("ignition", "on")
    log.parked(60)
    log.drive(TO_FUEL)
    log.parked(20)
    log.event("ignition", "off")  # filling up: a short stop inside one trip, for the hub
    log.parked(6 * 60)
    log.event("ignition", "on")
    log.parked(40)
    log.drive(TO_DEPOT)
    log.parked(30)
    log.event("ignition", "off")
    log.wait_until("13:15")
    header = [
        "# van-12's day out of the North depot, Chicago: WO-7 Lakeview Dental, WO-8 Pilsen Bakery,",
        "# a fuel stop, back. Written by make_van12_day.py beside this file. Times are local times",
        "# of day in the zone below; 'driver' is a badge tapped on the cab's reader.",
        "# zone: America/Chicago",
    ]
    return "\n".join(header + log.lines) + "\n"


if __name__ == "__main__":
    Path(__file__).with_name("van-12-chicago.csv").write_text(day())
