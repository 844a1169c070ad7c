"""Sends a journal to the broker: QoS 1, oldest first, an entry marked sent only when the
broker acknowledged it. Anything unacknowledged (lost with a connection, or refused by the
broker's ACL) is sent again after the next connect; the hub stores each message once by
its id, so a repeat costs nothing."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from depotclock.journal import Entry, Journal
from depotclock.mqtt_link import BrokerLink

log = logging.getLogger(__name__)
EARLY_ACK_S = 1.0  # publish() returns its id within microseconds of sending


@dataclass(frozen=True)
class Publication:
    topic: str
    payload: bytes
    seqs: tuple[int, ...]


def pack_each(entries: list[Entry]) -> list[Publication]:
    """One message per journal entry (kiosk punches)."""
    return [Publication(e.topic, e.payload, (e.seq,)) for e in entries]


class Forwarder:
    """Runs in its own thread; `backlog` and `last_error` are for the status screen."""

    def __init__(
        self,
        journal: Journal,
        link: BrokerLink,
        pack: Callable[[list[Entry]], list[Publication]] = pack_each,
        window: int = 200,
        flush_every: float = 0.05,
    ):
        self.journal, self.link, self.pack = journal, link, pack
        self.window, self.flush_every = window, flush_every
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._in_flight: dict[int, tuple[int, ...]] = {}  # mid -> seqs
        # Acks that beat their bookkeeping, with when they came. One unclaimed for long is
        # not ours (the link's status, a resend from before a reconnect): it is dropped
        # long before paho's message ids wrap and could match one of ours.
        self._early: dict[int, tuple[bool, str, float]] = {}
        self._acked: list[int] = []
        self._sent_up_to = 0  # highest seq handed to the client since the last (re)connect
        self._generation = 0  # counts (re)connects, so a stale publish cannot move _sent_up_to
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="forwarder", daemon=True)
        link.on_publish = self._acknowledged
        link.on_connected = self._reconnected

    @property
    def backlog(self) -> int:
        return self.journal.backlog()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self.journal.appended:
            self.journal.appended.notify_all()
        self._thread.join(10)
        self._flush()

    def _reconnected(self) -> None:
        # The session may be gone: start again from the oldest unacknowledged entry.
        with self._lock:
            self._in_flight.clear()
            self._early.clear()
            self._sent_up_to = 0
            self._generation += 1

    def _acknowledged(self, mid: int, ok: bool, reason: str) -> None:
        with self._lock:
            seqs = self._in_flight.pop(mid, None)
            if seqs is None:
                self._early[mid] = (ok, reason, time.monotonic())
                return
            self._settle(seqs, ok, reason)

    def _settle(self, seqs: tuple[int, ...], ok: bool, reason: str) -> None:
        if ok:
            self._acked.extend(seqs)
        else:
            self.last_error = f"broker refused entries {seqs[0]}..{seqs[-1]}: {reason}"
            log.error(self.last_error)

    def _record(self, mid: int, seqs: tuple[int, ...], generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # published just before a reconnect: it is sent again from the journal
            early = self._early.pop(mid, None)
            if early is None:
                self._in_flight[mid] = seqs
            else:
                self._settle(seqs, *early[:2])
            self._sent_up_to = max(self._sent_up_to, seqs[-1])

    def _flush(self) -> None:
        with self._lock:
            acked, self._acked = self._acked, []
            stale = time.monotonic() - EARLY_ACK_S
            for mid in [m for m, (_, _, at) in self._early.items() if at < stale]:
                del self._early[mid]
        self.journal.mark_sent(acked)

    def _run(self) -> None:
        last_flush = time.monotonic()
        while not self._stop.is_set():
            if time.monotonic() - last_flush >= self.flush_every:
                self._flush()
                last_flush = time.monotonic()
            if not self.link.connected.wait(0.2):
                continue
            with self._lock:
                room, after = self.window - len(self._in_flight), self._sent_up_to
                generation = self._generation
            entries = self.journal.pending(room, after=after) if room > 0 else []
            if not entries:
                with self.journal.appended:
                    self.journal.appended.wait(self.flush_every)
                continue
            for publication in self.pack(entries):
                # Never hold our lock here: paho reports PUBACKs while holding the lock
                # that publish() takes.
                mid = self.link.publish(publication.topic, publication.payload)
                self._record(mid, publication.seqs, generation)
