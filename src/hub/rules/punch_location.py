"""Where a technician may punch from their phone: the location policy of their depot (or
the company's). Pure: the phone's position and the geofences in, flags or a refusal out.

- `anywhere`: every punch is taken as it is.
- `flag_outside`: taken, flagged `outside_geofence` when the position is in no geofence
  (the depots' and the technician's open work orders' sites).
- `refuse_outside`: refused outside them, saying where the technician may punch.

A phone punch with no position (the browser gave none, or was refused it) is taken and
flagged `no_position` under every policy but `anywhere`: a punch is never lost for want
of a position. A position counts as inside a fence when its distance to the centre is
within the radius plus the phone's stated accuracy, up to `ACCURACY_ALLOWANCE_M` (a
phone that says "somewhere within 5 km" is not given the benefit of 5 km).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.rules.legs import metres

OUTSIDE_GEOFENCE = "outside_geofence"
NO_POSITION = "no_position"
ACCURACY_ALLOWANCE_M = 100.0


class LocationPolicy(StrEnum):
    ANYWHERE = "anywhere"
    FLAG_OUTSIDE = "flag_outside"
    REFUSE_OUTSIDE = "refuse_outside"


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Fence:
    """A place a technician may punch at: a depot, or an open work order's site."""

    name: str
    lat: float
    lon: float
    radius_m: float


class OutsideGeofence(ValueError):
    """The policy refuses a punch from here; the message says where one may punch."""


def inside(position: Position, fence: Fence) -> bool:
    allowance = min(position.accuracy_m or 0.0, ACCURACY_ALLOWANCE_M)
    return metres((position.lat, position.lon), (fence.lat, fence.lon)) <= fence.radius_m + allowance


def location_flags(policy: LocationPolicy, position: Position | None, fences: list[Fence]) -> list[str]:
    """The flags a phone punch from `position` carries; OutsideGeofence if refused."""
    if policy is LocationPolicy.ANYWHERE:
        return []
    if position is None:
        return [NO_POSITION]
    if any(inside(position, fence) for fence in fences):
        return []
    if policy is LocationPolicy.REFUSE_OUTSIDE:
        places = ", ".join(f.name for f in fences) or "no place is set up for you; ask your supervisor"
        raise OutsideGeofence(f"you are not at a depot or an open work order's site; clock in at: {places}")
    return [OUTSIDE_GEOFENCE]


def nearest_fence(position: Position, fences: list[Fence]) -> tuple[Fence, float] | None:
    """The fence nearest `position` and how many metres outside its edge it is (0 inside)."""
    edges = [(fence, max(0.0, metres((position.lat, position.lon), (fence.lat, fence.lon)) - fence.radius_m))
             for fence in fences]
    return min(edges, key=lambda pair: pair[1]) if edges else None
