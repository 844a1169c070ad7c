"""What every request a phone may keep offline carries, and how the hub takes it: punches,
check-ins, check-outs and timers alike. Each has its own `at` (when it was made: within
`max_queued_h` before the hub's clock and `max_ahead_s` after it), a client `request_id`
and, when sent, the phone's clock (`sent_at`: flagged when either is off by more than
`clock_tolerance_s`, never refused for it). The same request sent again is the same
record; the same id with another body is refused and kept as a dead letter (what was
sent, and why it was refused)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules.punch_flags import phone_clock_flags
from hub.services.problems import Invalid
from hub.settings import PunchingSettings
from hub.store.models import DeadLetter


class ReplayConflict(Invalid):
    """A request id sent again with another body: refused (and kept as a dead letter)."""

    def __init__(self, request_id: str, what: str):
        super().__init__("request_id", f"{request_id!r} was already used for another {what}; "
                                       f"a new {what} needs a new request id")


@dataclass(frozen=True)
class Made:
    """When and under which id a request was made, and the phone's clock when it was sent."""

    at: datetime | None = None  # None: now
    request_id: str | None = None
    sent_at: datetime | None = None  # not part of what the request says (a retry sends its own)


def made_at(made: Made, now: datetime, settings: PunchingSettings, what: str) -> datetime:
    """The instant the request is for: its own `at` within the bounds, or now."""
    at = made.at or now
    if at > now + timedelta(seconds=settings.max_ahead_s):
        raise Invalid("at", f"{at.isoformat()} is ahead of the hub's clock ({now.isoformat()}); "
                            "check the phone's date and time")
    if at < now - timedelta(hours=settings.max_queued_h):
        raise Invalid("at", f"a {what} more than {settings.max_queued_h} hours old is not taken from a phone; "
                            "add a manual entry instead")
    return at


def clock_flags(made: Made, at: datetime, now: datetime, settings: PunchingSettings) -> list[str]:
    """`sent_late` and `phone_clock`, as on a phone's punch (hub.rules.punch_flags)."""
    return phone_clock_flags(at, made.sent_at, now, timedelta(seconds=settings.clock_tolerance_s))


def digest(said: list) -> str:
    """What a request says (without its `sent_at`), for telling a retry from another request."""
    return hashlib.sha256(json.dumps(said).encode()).hexdigest()


@dataclass(frozen=True)
class Taken:
    """An earlier request under the same id: whose, and its digest (None: taken before
    digests were kept, when the technician alone told a retry)."""

    technician_id: str
    digest: str | None


def is_replay(session: Session, earlier: Taken | None, technician_id: str, request_id: str, said: list,
              what: str, topic: str, received_at: datetime) -> bool:
    """Whether the request is one already taken (True: answer with the earlier record). A
    request id taken for another body is refused, and what was sent kept as a dead letter."""
    if earlier is None:
        return False
    if earlier.technician_id == technician_id and earlier.digest in (None, digest(said)):
        return True
    refused = ReplayConflict(request_id, what.replace("_", "-"))
    payload = json.dumps({"request_id": request_id, "said": said}).encode()
    letter = hashlib.sha256(topic.encode() + b"\0" + payload).digest()
    if session.scalar(select(DeadLetter.id).where(DeadLetter.digest == letter)) is None:
        session.add(DeadLetter(digest=letter, received_at=received_at, topic=topic, payload=payload,
                               kind=what, reason=refused.message))
    session.commit()  # the record stays though the request is refused
    raise refused
