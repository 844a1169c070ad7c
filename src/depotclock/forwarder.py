"""Sends a journal to the broker: QoS 1, oldest first, an entry marked sent only when the
broker acknowledged it. Anything unacknowledged (lost with a connection, or refused by the
broker's ACL) is sent again after the next connect; the hub stores each message once by
its id, so a repeat costs nothing.

The hub's receipts mark entries confirmed. A sent entry that no receipt confirms within
`receipt_timeout_s` (a broker killed outright loses what it acknowledged but had not yet
delivered or saved) is sent again while connected. While receipts keep coming, only such
entries below the highest seq a receipt named are sent again: those above it are most
likely still queued for a hub catching up. When no receipt came for a whole wait, every
overdue entry is sent again and the next wait doubles (up to an hour), so a hub that is
down is not flooded with copies. Entries confirmed longer ago than `keep_days` are pruned
every hour."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from depotclock.journal import Entry, Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.wire.codec import parse_receipt
from depotclock.wire.errors import WireError
from depotclock.wire.receipt_ranges import Range

log = logging.getLogger(__name__)
EARLY_ACK_S = 1.0  # publish() returns its id within microseconds of sending
LONGEST_RESEND_WAIT_S = 3600.0  # the doubling wait for receipts stops here
PRUNE_EVERY_S = 3600.0


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
        receipt_timeout_s: float = 120.0,
        keep_days: int = 30,
    ):
        """Pass `receipt_arrived` to the link as the handler of the device's receipt topic."""
        self.journal, self.link, self.pack = journal, link, pack
        self.window, self.flush_every = window, flush_every
        self.receipt_timeout_s, self.keep = receipt_timeout_s, timedelta(days=keep_days)
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._in_flight: dict[int, tuple[int, ...]] = {}  # mid -> seqs
        # Acks that beat their bookkeeping, with when they came. One unclaimed for long is
        # not ours (the link's status, a resend from before a reconnect): it is dropped
        # long before paho's message ids wrap and could match one of ours.
        self._early: dict[int, tuple[bool, str, float]] = {}
        self._acked: list[int] = []
        self._receipts: list[tuple[list[Range], list[Range]]] = []  # (stored, dead letters)
        self._resend_wait = receipt_timeout_s
        self._last_receipt = float("-inf")  # monotonic time of the latest receipt
        self._receipt_frontier = 0  # the highest seq a receipt named
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

    def receipt_arrived(self, topic: str, payload: bytes) -> None:
        """A hub receipt (on the link's network thread): applied with the next flush."""
        try:
            receipt = parse_receipt(payload)
        except WireError as exc:
            log.error("ignored a receipt the hub sent: %s", exc)
            return
        stored, dead_letters = ([(r.first, r.last, r.digest) for r in kind]
                                for kind in (receipt.stored, receipt.dead_letters))
        with self._lock:
            self._receipts.append((stored, dead_letters))
            self._last_receipt = time.monotonic()
            self._receipt_frontier = max([self._receipt_frontier, *(r[1] for r in stored + dead_letters)])

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
            receipts, self._receipts = self._receipts, []
            stale = time.monotonic() - EARLY_ACK_S
            for mid in [m for m, (_, _, at) in self._early.items() if at < stale]:
                del self._early[mid]
        self.journal.mark_sent(acked)
        for stored, dead_letters in receipts:
            self.journal.confirm(stored)
            if self.journal.confirm(dead_letters):
                log.warning("the hub kept entries %s as dead letters (see its dead letters)",
                            ", ".join(f"{first}..{last}" for first, last, _ in dead_letters))

    def _resend_unconfirmed(self) -> None:
        """Entries the broker acknowledged but no receipt confirmed in time: unsent again,
        and the cursor back to the first of them (in-flight entries after it may go twice)."""
        with self._lock:
            flowing = time.monotonic() - self._last_receipt < self._resend_wait
            below = self._receipt_frontier if flowing else None
        count, lowest = self.journal.requeue_unconfirmed(
            datetime.now(timezone.utc) - timedelta(seconds=self._resend_wait), below=below)
        if not count or lowest is None:  # a count > 0 has a lowest seq
            return
        log.warning("%d entries from seq %d have no hub receipt after %.0f s: sending them again",
                    count, lowest, self._resend_wait)
        with self._lock:
            self._sent_up_to = min(self._sent_up_to, lowest - 1)
            self._resend_wait = (
                self.receipt_timeout_s if flowing
                else min(self._resend_wait * 2, max(self.receipt_timeout_s, LONGEST_RESEND_WAIT_S))
            )

    def _prune(self) -> None:
        pruned = self.journal.prune(self.keep)
        if pruned:
            log.info("pruned %d confirmed entries older than %s", pruned, self.keep)

    def _run(self) -> None:
        last_flush = last_resend_check = time.monotonic()
        last_prune = last_flush - PRUNE_EVERY_S
        while not self._stop.is_set():
            now = time.monotonic()
            if now - last_flush >= self.flush_every:
                self._flush()
                last_flush = now
            if now - last_prune >= PRUNE_EVERY_S:
                self._prune()
                last_prune = now
            if not self.link.connected.wait(0.2):
                continue
            if now - last_resend_check >= min(self.receipt_timeout_s / 4, 5.0):
                self._resend_unconfirmed()
                last_resend_check = now
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
