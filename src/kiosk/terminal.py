"""The depot terminal: reader, flow, journal, feedback and screen, wired together.

Every decision runs on one thread (`run`), fed by a queue: badge reads from the reader
thread, answers from the buttons and the screen, rosters from the broker. A punch is in
the journal (WAL, synchronous=FULL) before the kiosk beeps; the forwarder sends it when
the broker is reachable. The reader is reopened with backoff whenever it fails, and its
trouble shows on the screen, the LEDs and the retained status topic.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from depotclock.backoff import Backoff
from depotclock.forwarder import Forwarder
from depotclock.journal import Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import encode, parse_roster
from depotclock.wire.errors import WireError
from depotclock.wire.messages import (
    READER_ERROR_LENGTH,
    Badge,
    DeviceClock,
    DeviceState,
    KioskStatus,
    Punch,
    UnknownBadge,
    one_line,
)
from depotclock.wire.topics import kiosk_topic, receipt_topic, roster_topic
from kiosk.feedback import Signals
from kiosk.flow import Ask, DoubleRead, Option, PunchFlow, Record, Tap, Unknown
from kiosk.pins import PinGuard, pin_matches
from kiosk.readers.base import BadgeRead, CardUnreadable, Reader, ReaderUnavailable
from kiosk.roster import RosterBook
from kiosk.screen import ScreenServer, ScreenState, create_screen_app
from kiosk.settings import KioskSettings
from kiosk.wording import option_label, pin_locked, say, spoken_to, tap_your_badge, unreadable, wrong_pin

log = logging.getLogger(__name__)
ROSTER_STATE = "roster"
SHOW_S = 3.0  # how long a message stays before the screen returns to "Tap your badge"


@dataclass(frozen=True)
class DeviceClocks:
    """The kiosk's clocks, passed in: wall time, monotonic time, and whether NTP is synced."""

    now: Callable[[], datetime]
    monotonic: Callable[[], float]
    synced: Callable[[], bool]
    boot_id: str


def _badge(read: BadgeRead) -> Badge:
    """The badge as read."""
    return Badge(id=read.badge_id, family=read.family, raw=read.raw[:64])


class Kiosk:
    def __init__(self, settings: KioskSettings, reader: Reader, clocks: DeviceClocks, pin_factory=None):
        self.settings, self.reader, self.clocks = settings, reader, clocks
        self.id, self.zone = settings.kiosk_id, ZoneInfo(settings.timezone)
        self.journal = Journal(settings.journal_path)
        self.roster = RosterBook()
        stored = self.journal.get_state(ROSTER_STATE)
        if stored is not None:
            self.roster.load(parse_roster(stored))
        self.flow = PunchFlow(
            self.roster, settings.double_read_s, settings.answer_s, settings.default_option
        )
        self.reader_error: str | None = None
        self.reader_tried = threading.Event()  # the reader's first opening succeeded or failed
        self.link = BrokerLink(
            BrokerAddress.from_url(settings.mqtt_url), self.id, self._status,
            subscriptions={roster_topic(settings.depot_id): self._roster_arrived,
                           receipt_topic("kiosk", self.id): lambda t, p: self.forwarder.receipt_arrived(t, p)},
        )
        self.forwarder = Forwarder(self.journal, self.link, receipt_timeout_s=settings.receipt_timeout_s,
                                   keep_days=settings.journal_keep_days)
        self.pins = PinGuard()
        self.screen = ScreenState(message=tap_your_badge(settings.language), roster_size=len(self.roster),
                                  depot_name=self._depot_name())
        self.screen_server = (
            ScreenServer(create_screen_app(self.screen, self.choose, settings.timezone, self.pin_entered, settings.language),
                         settings.screen_host, settings.screen_port)
            if settings.screen else None
        )
        self.signals = (
            Signals(settings.feedback, self.choose, pin_factory) if settings.feedback is not None else None
        )
        self._inbox: queue.Queue[tuple[str, object]] = queue.Queue()
        self._stop = threading.Event()
        self._shown_until = 0.0

    # --- inputs, from any thread -------------------------------------------------------

    def choose(self, option: Option) -> None:
        self._inbox.put(("choose", option))

    def pin_entered(self, tech: str, pin: str) -> None:
        """From the screen: a technician id and PIN, for a forgotten badge."""
        self._inbox.put(("pin", (tech, pin, self.clocks.monotonic(), self.clocks.now())))

    def _roster_arrived(self, topic: str, payload: bytes) -> None:
        self._inbox.put(("roster", payload))

    def _read_badges(self) -> None:
        backoff = Backoff(self.settings.reader_retry_s)
        while not self._stop.is_set():
            try:
                self.reader.open()
                self._reader_state(None)
                backoff.worked()
                while not self._stop.is_set():
                    try:
                        read = self.reader.read(0.2)
                    except CardUnreadable as exc:
                        self._inbox.put(("unreadable", str(exc)))
                        continue
                    if read is not None:
                        self._inbox.put(("tap", Tap(read, self.clocks.monotonic(), self.clocks.now())))
            except ReaderUnavailable as exc:
                self._reader_state(str(exc))
                log.warning("badge reader: %s; reopening in %.1f s", exc, backoff.pause_s)
            self.reader.close()
            backoff.wait(self._stop)
        self.reader.close()

    def _reader_state(self, error: str | None) -> None:
        self.reader_tried.set()
        if error != self.reader_error:
            self.reader_error = error
            self._inbox.put(("reader", error))

    # --- the decisions, on the kiosk's own thread -------------------------------------------

    def handle(self, kind: str, value: object) -> None:
        if kind == "tap":
            assert isinstance(value, Tap)  # the reader thread puts ("tap", Tap) only
            self._decide(self.flow.tap(value))
        elif kind == "choose":
            assert isinstance(value, Option)  # choose() puts ("choose", Option) only
            self._decide(self.flow.choose(value))
        elif kind == "pin":
            assert isinstance(value, tuple)  # pin_entered() puts ("pin", (tech, pin, mono, at)) only
            self._check_pin(*value)
        elif kind == "unreadable":
            log.info("card not read: %s", value)
            self._show(unreadable(self.settings.language), "error")
            if self.signals:
                self.signals.unreadable()
        elif kind == "roster":
            assert isinstance(value, bytes)  # the roster subscription puts ("roster", bytes) only
            self._load_roster(value)
        elif kind == "reader":
            self.screen.update(reader_ok=value is None, reader_error=value)
            if self.link.connected.is_set():
                self.link.publish_status()

    def _check_pin(self, typed: str, pin: str, mono: float, at: datetime) -> None:
        """A PIN for technician id `typed`: their punch if right; counted if wrong (ten lock
        the id for a while); refused unheard while locked."""
        until = self.pins.locked_until(typed, mono)
        if until is not None:
            self._show(pin_locked(until - mono, self.settings.language), "error")
            return
        tech = self.roster.technician(typed, at)
        entry = self.roster.entries.get(typed)
        if tech is None or entry is None or not pin_matches(entry.pin_hash, pin):
            if self.pins.wrong(typed, mono):
                log.warning("PIN locked for %r on this kiosk after %d wrong PINs", typed, self.pins.max_wrong)
                self._show(pin_locked(self.pins.lock_s, self.settings.language), "error")
                if self.link.connected.is_set():
                    self.link.publish_status()
            else:
                self._show(wrong_pin(self.settings.language), "error")
            if self.signals:
                self.signals.refused()
            return
        self.pins.right(typed)
        self._decide(self.flow.pin(Tap(None, mono, at), tech))

    def _decide(self, decisions: list) -> None:
        for decision in decisions:
            local = decision.tap.at.astimezone(self.zone)
            if isinstance(decision, Record):
                self._journal_punch(decision)
                tone, signal = "ok", "accepted"
            elif isinstance(decision, Unknown):
                self._journal_unknown(decision)
                tone, signal = "error", "refused"
            elif isinstance(decision, DoubleRead):
                tone, signal = "info", "double_read"
            else:
                tone, signal = "ask", "asking"
            language = spoken_to(decision, self.settings.language)
            options = (
                [{"option": o.value, "label": option_label(o, language), "default": o is decision.default}
                 for o in decision.options]
                if isinstance(decision, Ask) else []
            )
            # the page counts down from this to the default answer (it knows when it heard it)
            countdown = max(0.0, decision.deadline - self.clocks.monotonic()) if isinstance(decision, Ask) else None
            self._show(say(decision, local, language), tone, options, countdown)
            if self.signals:
                getattr(self.signals, signal)()

    def _journal_punch(self, record: Record) -> None:
        read = record.tap.read  # None: the technician's PIN
        self._journal("punch", Punch, record.tap, action=record.action, break_kind=record.break_kind,
                      tech=record.tech.tech, badge=read and _badge(read), pin=read is None)

    def _journal_unknown(self, unknown: Unknown) -> None:
        assert unknown.tap.read is not None  # only a badge can be unknown
        self._journal("unknown_badge", UnknownBadge, unknown.tap, badge=_badge(unknown.tap.read))

    def _journal(self, kind: str, message: type[Punch | UnknownBadge], tap: Tap, **fields) -> None:
        """Journal a message about a tap, with the evidence of the clock."""
        clock = DeviceClock(synced=self.clocks.synced(), boot=self.clocks.boot_id, monotonic_s=tap.mono)
        self.journal.append(
            kiosk_topic(self.id, kind), kind,
            lambda seq, message_id: encode(message(
                id=message_id, device=self.id, seq=seq, at=tap.at, clock=clock, **fields,
            )),
        )

    def _load_roster(self, payload: bytes) -> None:
        try:
            roster = parse_roster(payload)
        except WireError as exc:
            log.error("ignored a roster the hub sent: %s", exc)
            return
        if roster.depot != self.settings.depot_id:
            log.error("ignored the roster of depot %s (this kiosk is at %s)", roster.depot, self.settings.depot_id)
            return
        if self.roster.load(roster):
            self.journal.set_state(ROSTER_STATE, payload)  # what the kiosk works from offline
            self.screen.update(roster_size=len(self.roster), depot_name=self._depot_name())

    def _depot_name(self) -> str:
        roster = self.roster.roster
        return (roster.depot_name if roster is not None else None) or self.settings.depot_id

    def _show(self, message: str, tone: str, options: list | None = None, countdown: float | None = None) -> None:
        self.screen.update(message=message, tone=tone, options=options or [], countdown=countdown)
        self._shown_until = self.clocks.monotonic() + SHOW_S

    def _status(self, online: bool) -> KioskStatus:
        return KioskStatus(
            id=uuid.uuid4(), device=self.id, seq=self.journal.last_seq(), at=self.clocks.now(),
            state=DeviceState.ONLINE if online else DeviceState.OFFLINE,
            reader_ok=self.reader_error is None,
            reader_error=None if self.reader_error is None else one_line(self.reader_error, READER_ERROR_LENGTH),
            backlog=self.journal.backlog(), clock_synced=self.clocks.synced(),
            pin_lockouts=self.pins.lockouts, pin_locked=self.pins.locked(self.clocks.monotonic()),
        )

    def _idle(self, mono: float) -> None:
        """Between taps: the standing condition on the screen and the LEDs."""
        online = self.link.connected.is_set()
        self.screen.update(online=online, backlog=self.journal.backlog())
        if self.flow.pending is None and mono >= self._shown_until:
            self.screen.update(message=tap_your_badge(self.settings.language), tone="idle", options=[], countdown=None)
            if self.signals:
                self.signals.idle(self.reader_error is None, online)

    # --- lifecycle ---------------------------------------------------------------------------

    def run(self, heartbeat: Callable[[], None] | None = None) -> None:
        """Until `stop()`: read badges, decide, journal, forward, show. `heartbeat` is
        called once per loop iteration (at least every 0.1 s): a service watchdog's sign
        of life that stops when the loop hangs."""
        self.link.start()
        self.forwarder.start()
        if self.screen_server:
            self.screen_server.start()
        reading = threading.Thread(target=self._read_badges, name="reader", daemon=True)
        reading.start()
        last_status = self.clocks.monotonic()
        try:
            while not self._stop.is_set():
                if heartbeat:
                    heartbeat()
                with contextlib.suppress(queue.Empty):
                    self.handle(*self._inbox.get(timeout=0.1))
                mono = self.clocks.monotonic()
                self._decide(self.flow.tick(mono))
                self._idle(mono)
                if mono - last_status >= self.settings.status_every_s and self.link.connected.is_set():
                    self.link.publish_status()
                    last_status = mono
        finally:
            self._stop.set()
            reading.join(5)
            self.forwarder.stop()
            self.link.close()
            if self.screen_server:
                self.screen_server.close()
            if self.signals:
                self.signals.close()
            self.journal.close()

    def stop(self) -> None:
        self._stop.set()
