"""Republishing the van's retained status while connected, when what it says changes.

The broker link publishes the status on every connect; between connects the unit
publishes it again itself. The PUBACKs of those publications must not reach the
forwarder: it would keep an acknowledgement it cannot place, and take it later for one of
its own batches with the same message id (ids wrap at 65,535), marking that batch sent
unacknowledged. So this sits between the link and the forwarder and keeps its own.
"""

from __future__ import annotations

import threading
from typing import Callable

from depotclock.mqtt_link import BrokerLink

Acknowledged = Callable[[int, bool, str], None]


class StatusPublisher:
    """Wraps `link.on_publish` (the forwarder's): call after the forwarder is made."""

    def __init__(self, link: BrokerLink, status: Callable[[bool], tuple[str, bytes]]):
        self.link, self.status = link, status
        self._forward: Acknowledged = link.on_publish or (lambda mid, ok, reason: None)
        link.on_publish = self._acknowledged
        self._lock = threading.Lock()
        self._ours: set[int] = set()
        self._publishing = 0
        self._held: dict[int, tuple[bool, str]] = {}  # acks that arrived while we published

    def publish(self) -> None:
        """The current status, retained; nothing when offline (the next connect sends it)."""
        if not self.link.connected.is_set():
            return
        with self._lock:
            self._publishing += 1
        mid = None
        try:
            # Never hold our lock here: paho calls on_publish holding the lock publish() takes.
            mid = self.link.publish(*self.status(True), retain=True)
        finally:
            with self._lock:
                self._publishing -= 1
                if mid is not None and self._held.pop(mid, None) is None:
                    self._ours.add(mid)
                release = {}
                if not self._publishing:
                    release, self._held = self._held, {}
            for held_mid, (ok, reason) in release.items():
                self._forward(held_mid, ok, reason)

    def _acknowledged(self, mid: int, ok: bool, reason: str) -> None:
        with self._lock:
            if mid in self._ours:
                self._ours.discard(mid)
                return
            if self._publishing:
                # Ours or the forwarder's: we know which once publish() returns its id.
                self._held[mid] = (ok, reason)
                return
        self._forward(mid, ok, reason)
