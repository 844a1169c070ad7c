"""What "moving" means, one definition for the van's unit and the hub's drive legs.

The unit sends a fix every few seconds while the van moves and a heartbeat fix while it is
parked; the hub cuts legs from those fixes. If the unit called a van parked at a speed the
hub calls moving, a van crawling in traffic would reach the hub as moving fixes minutes
apart, and the hub would cut a leg at each (issue 20: a chain of 300-second legs). So:
the unit switches to its moving cadence at `MOVING_KMH`, the speed from which the hub
counts a fix as moving (the hub may count from a higher speed, never a lower one), and a
parked van's heartbeat comes sooner than the hub ends a trip for want of motion.
"""

from __future__ import annotations

MOVING_KMH = 3.0  # a fix this fast or faster is moving, for the unit and the hub
STOPPED_KMH = 2.0  # a moving van stops below this (the unit's hysteresis: GPS speed drifts)
PARKED_HEARTBEAT_S = 240  # a parked van's fix, this often
STOP_AFTER_S = 300  # no moving fix for this long ends a trip (the hub's default)
assert STOPPED_KMH <= MOVING_KMH and PARKED_HEARTBEAT_S < STOP_AFTER_S
