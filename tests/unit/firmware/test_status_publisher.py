"""A republished status's PUBACK never reaches the forwarder, whenever it arrives."""

from __future__ import annotations

import threading

from firmware.status import StatusPublisher


class FakeLink:
    """Hands out message ids like paho; `acks_during_publish` are PUBACKs the network
    thread delivers while publish() is still running."""

    def __init__(self):
        self.connected = threading.Event()
        self.connected.set()
        self.on_publish = None
        self.next_mid = 1
        self.published: list[tuple[str, bytes, bool]] = []
        self.acks_during_publish: list[int] = []

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> int:
        mid, self.next_mid = self.next_mid, self.next_mid + 1
        self.published.append((topic, payload, retain))
        for ack in self.acks_during_publish:
            self.on_publish(mid if ack == 0 else ack, True, "Success")
        self.acks_during_publish = []
        return mid


def publisher() -> tuple[FakeLink, StatusPublisher, list[int]]:
    link, forwarded = FakeLink(), []
    link.on_publish = lambda mid, ok, reason: forwarded.append(mid)  # the forwarder's
    return link, StatusPublisher(link, lambda online: ("depotclock/v1/vehicle/van-1/status", b"{}")), forwarded


def test_the_status_goes_out_retained_and_its_ack_stays_with_us():
    link, statuses, forwarded = publisher()
    statuses.publish()
    assert link.published == [("depotclock/v1/vehicle/van-1/status", b"{}", True)]
    link.on_publish(1, True, "Success")  # the status's PUBACK, after publish() returned
    link.on_publish(7, True, "Success")  # a batch's
    assert forwarded == [7]


def test_an_ack_that_beats_publish_is_still_placed():
    link, statuses, forwarded = publisher()
    link.next_mid = 20
    link.acks_during_publish = [0, 5]  # the status's own PUBACK (mid 20) and a batch's, early
    statuses.publish()
    assert forwarded == [5]
    link.on_publish(6, True, "Success")
    assert forwarded == [5, 6]


def test_nothing_is_published_while_offline():
    link, statuses, forwarded = publisher()
    link.connected.clear()
    statuses.publish()
    assert link.published == []
