"""The van's unit: ignition, GPS and the cab's badge reader into the journal, the journal
to the broker.

Every event is journaled before anything else happens to it; the forwarder sends the
journal in batches whenever the broker is reachable, so a day out of coverage arrives
whole, in order, when the van comes back.

When the system clock is not synchronised, instants come from GPS: the unit keeps the
offset between its clock and the last fix's time. A Raspberry Pi without a clock source
boots in 1970, an instant no message may carry; until the first fix gives the time, such a
unit holds its events in memory and does not connect.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from functools import partial

from depotclock.backoff import Backoff
from depotclock.forwarder import Forwarder
from depotclock.journal import Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.messages import EARLIEST, LATEST, READER_ERROR_LENGTH, DeviceState, VehicleStatus, one_line
from depotclock.wire.topics import receipt_topic, vehicle_topic
from firmware.cab_reader import CabReader
from firmware.gps import Fix, FixFilter, GpsdUnavailable, Skipped, clock_offset, dated
from firmware.ignition import IgnitionChange, IgnitionSource
from firmware.obd_ignition import ObdIgnition
from firmware.settings import VehicleSettings
from firmware.supervised import SupervisedThread
from firmware.telemetry import batch_packer, driver_item, fix_item, ignition_item
from kiosk.readers.base import BadgeRead, Reader

log = logging.getLogger(__name__)

# An event whose payload is built once its instant is known: build(at, seq, id).
Build = Callable[[datetime, int, uuid.UUID], bytes]


def _possible(at: datetime) -> bool:
    return EARLIEST <= at < LATEST


class VehicleUnit:
    def __init__(
        self,
        settings: VehicleSettings,
        ignition: IgnitionSource,
        fixes: Callable[[threading.Event], Iterator[Fix]],  # until the event is set
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        clock_synced: Callable[[], bool] = lambda: True,
        reader: Reader | None = None,
    ):
        self.id, self.settings = settings.vehicle_id, settings
        self.ignition, self.fixes, self.now, self.clock_synced = ignition, fixes, now, clock_synced
        self.journal = Journal(settings.journal_path)
        self.topic = vehicle_topic(self.id, "telemetry")
        self.gps_ok = False
        self.gate = FixFilter()
        self.cab = (CabReader(reader, self.record_driver, self._cab_changed, retry_s=settings.reader_retry_s)
                    if reader else None)
        self.link: BrokerLink | None = None  # made once the clock can stamp messages
        self.forwarder: Forwarder | None = None
        self._offset: timedelta | None = None  # system clock minus GPS time
        self._held: list[tuple[str, datetime, Build]] = []  # events from before the time was known
        self._lock = threading.Lock()  # journal order of held and new events
        self._status_dirty = threading.Event()
        self._stop = threading.Event()
        self._refused = Skipped()  # fixes without a time the unit may send, logged sparingly
        self._rollover_said = False
        self.gps_thread = SupervisedThread("gps", self._read_gps, self._stop, settings.gps_retry_s,
                                           self._status_changed)
        self.cab_thread = (SupervisedThread("cab", self.cab.run, self._stop, settings.reader_retry_s,
                                            self._status_changed) if self.cab else None)
        self.obd = ignition if isinstance(ignition, ObdIgnition) else None
        if self.obd is not None:
            self.obd.changed = self._obd_changed
        self.obd_thread = (SupervisedThread("obd", self.obd.run, self._stop, settings.obd.retry_s,
                                            self._status_changed) if self.obd else None)

    @property
    def readers(self) -> list[SupervisedThread]:
        return [t for t in (self.gps_thread, self.cab_thread, self.obd_thread) if t is not None]

    @property
    def faults(self) -> list[str]:
        """Readers that failed and have not worked since (restarted, or about to be)."""
        return [fault for fault in (t.fault for t in self.readers) if fault is not None]

    def clock(self) -> datetime:
        """The time: the system clock, corrected by GPS while it is not synchronised."""
        return self._stamp(self.now()) or self.now()

    def _stamp(self, system_at: datetime) -> datetime | None:
        """The instant a system-clock reading stands for, or None while it cannot be known."""
        at = system_at
        if self._offset is not None and not self.clock_synced():
            at = system_at - self._offset
        return at if _possible(at) else None

    def _status(self, online: bool) -> VehicleStatus:
        return VehicleStatus(
            id=uuid.uuid4(), device=self.id, seq=self.journal.last_seq(), at=self.clock(),
            state=DeviceState.ONLINE if online else DeviceState.OFFLINE,
            ignition_on=self.ignition.debouncer.state, gps_ok=self.gps_ok and self.gps_thread.fault is None,
            gps_error=one_line(self.gps_thread.fault, READER_ERROR_LENGTH) if self.gps_thread.fault else None,
            backlog=self.journal.backlog(), clock_synced=self.clock_synced(),
            obd_ok=self.obd.ok if self.obd else None,
            obd_error=one_line(self.obd.error, READER_ERROR_LENGTH) if self.obd and self.obd.error else None,
            odometer_km=self.obd.odometer_km if self.obd else None,
            reader_ok=self.cab.ok if self.cab else None,
            reader_error=one_line(self.cab.error, READER_ERROR_LENGTH) if self.cab and self.cab.error else None,
        )

    def _status_changed(self) -> None:
        self._status_dirty.set()

    def _obd_changed(self) -> None:
        if self.obd is not None and self.obd.ok and self.obd_thread is not None:
            self.obd_thread.worked()
        self._status_changed()

    def _cab_changed(self) -> None:
        if self.cab is not None and self.cab.ok and self.cab_thread is not None:
            self.cab_thread.worked()
        self._status_changed()

    def _record(self, kind: str, system_at: datetime, build: Build) -> None:
        with self._lock:
            at = self._stamp(system_at)
            if at is None:
                log.info("%s at %s held until GPS gives the time", kind, system_at.isoformat())
                self._held.append((kind, system_at, build))
                return
            self.journal.append(self.topic, kind, lambda seq, i: build(at, seq, i))

    def _release_held(self) -> None:
        """Journal the held events with GPS time, oldest first; call with `_lock` held."""
        offset = self._offset
        if offset is None:
            return  # no GPS time yet: they stay held
        held, self._held = self._held, []
        for kind, system_at, build in held:
            at = system_at - offset
            if not _possible(at):
                log.error("%s at %s: GPS time does not make it possible; dropped", kind, at)
                continue
            self.journal.append(self.topic, kind, partial(build, at))

    def record_ignition(self, change: IgnitionChange) -> None:
        self._record("ignition", change.at, lambda at, seq, i: ignition_item(IgnitionChange(change.on, at), seq, i))
        self._status_changed()

    def record_driver(self, read: BadgeRead) -> None:
        log.info("driver badge %s", read.badge_id)
        self._record("driver", self.now(), lambda at, seq, i: driver_item(read, at, seq, i))

    def record_fix(self, fix: Fix) -> None:
        with self._lock:
            checked = dated(fix, self.now() if self.clock_synced() else None, self.settings.future_tolerance_s)
            if isinstance(checked, str):
                self._refused("fix without a time the unit may send", checked)
                return
            if checked is not fix and not self._rollover_said:
                log.warning("the GPS receiver dates fixes before 2000 (a GPS week rollover): %s taken as %s",
                            fix.at.isoformat(), checked.at.isoformat())
                self._rollover_said = True
            fix = checked
            if not self.clock_synced():
                self._offset = clock_offset(fix, self.now())
                self._release_held()
            if self.gate.accept(fix):
                self.journal.append(self.topic, "fix", lambda seq, i: fix_item(fix, seq, i))

    def _gps(self, ok: bool) -> None:
        if ok != self.gps_ok:
            self.gps_ok = ok
            self._status_changed()

    def _read_gps(self, stop: threading.Event) -> None:
        """Fixes from gpsd, reconnecting after a pause while it is away. Anything else that
        goes wrong ends this loop, and the supervising thread starts it again."""
        backoff = Backoff(self.settings.gps_retry_s)
        try:
            while not stop.is_set():
                try:
                    for fix in self.fixes(stop):
                        self._gps(True)
                        backoff.worked()
                        self.record_fix(fix)
                        self.gps_thread.worked()
                        if stop.is_set():
                            return
                except GpsdUnavailable as exc:
                    log.warning("%s; retrying in %.0f s", exc, backoff.pause_s)
                self._gps(False)
                backoff.wait(stop)
        except Exception:
            self._gps(False)
            raise

    def _connect(self) -> None:
        self.link = BrokerLink(
            BrokerAddress.from_url(self.settings.mqtt_url), self.id, self._status,
            subscriptions={receipt_topic("vehicle", self.id): self._receipt_arrived},
        )
        pack = batch_packer(self.id, self.clock, self.settings.batch_items)
        self.forwarder = Forwarder(
            self.journal, self.link, pack=pack, receipt_timeout_s=self.settings.receipt_timeout_s,
            keep_days=self.settings.journal_keep_days,
        )
        self.link.start()
        self.forwarder.start()

    def _receipt_arrived(self, topic: str, payload: bytes) -> None:
        if self.forwarder is not None:  # made before the link starts, so always by now
            self.forwarder.receipt_arrived(topic, payload)

    def run(self, poll_s: float = 0.05, heartbeat: Callable[[bool], None] | None = None) -> None:
        """Until `stop()`: poll the ignition, read GPS and the cab reader in supervised
        threads, forward the journal. `heartbeat(healthy)` is called once per poll: a
        service watchdog's sign of life, withheld (healthy False) while a reader is at
        fault, and missing when the loop hangs."""
        for thread in self.readers:
            thread.start()
        waiting_said = False
        while not self._stop.wait(poll_s):
            if heartbeat:
                heartbeat(not self.faults)
            if change := self.ignition.poll():
                self.record_ignition(change)
            if self.link is None:
                if _possible(self.clock()):
                    self._connect()
                elif not waiting_said:
                    log.warning("the clock says %s: waiting for a GPS fix to connect", self.now())
                    waiting_said = True
            elif self._status_dirty.is_set() and self.link.connected.is_set():
                self._status_dirty.clear()
                self.link.publish_status()
        for thread in self.readers:
            thread.join(5)
        if self._held:
            log.error("stopped before GPS gave the time: %d events lost", len(self._held))
        if self.forwarder is not None:
            self.forwarder.stop()
        if self.link is not None:
            self.link.close()
        self.ignition.close()
        self.journal.close()

    def stop(self) -> None:
        self._stop.set()
