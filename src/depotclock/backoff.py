"""Pauses between attempts at something that keeps failing: a badge reader to reopen,
gpsd to reach. The first pause is short, each next one twice as long up to a cap, and
they start short again once the thing has worked, so a device retries quickly after a
blip and does not spin (or flood its log) through a long outage. One policy for the
kiosk's reader, the cab reader and the van's GPS; each takes its pauses from settings."""

from __future__ import annotations

from typing import Annotated, Protocol

from pydantic import AfterValidator, PositiveFloat


def _first_within_cap(pauses: tuple[float, float]) -> tuple[float, float]:
    if pauses[0] > pauses[1]:
        raise ValueError(f"the first pause ({pauses[0]} s) must not be longer than the longest ({pauses[1]} s)")
    return pauses


# A setting's (first, longest) pause in seconds.
RetryPauses = Annotated[tuple[PositiveFloat, PositiveFloat], AfterValidator(_first_within_cap)]


class Stop(Protocol):
    """What a pause waits on: `threading.Event` (set: stop waiting, and retrying)."""

    def wait(self, timeout: float | None = None) -> bool: ...


class Backoff:
    """The pauses of one retry loop: `wait` after each failed attempt, `worked` once an
    attempt succeeds."""

    def __init__(self, pauses: tuple[float, float]):
        first_s, cap_s = _first_within_cap(pauses)
        if first_s <= 0:
            raise ValueError(f"the first pause must be longer than 0 s, not {first_s}")
        self.first_s, self.cap_s = first_s, cap_s
        self.pause_s = first_s  # the next pause

    def worked(self) -> None:
        self.pause_s = self.first_s

    def wait(self, stop: Stop) -> bool:
        """Pause, ending early if `stop` is set (True: it was); the next pause is twice as
        long, up to the cap."""
        stopped = stop.wait(self.pause_s)
        self.pause_s = min(self.pause_s * 2, self.cap_s)
        return stopped
