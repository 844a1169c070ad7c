"""The van's unit: ignition and GPS into the journal, the journal to the broker.

Every event is journaled before anything else happens to it; the forwarder sends the
journal in batches whenever the broker is reachable, so a day out of coverage arrives
whole, in order, when the van comes back.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from depotclock.forwarder import Forwarder
from depotclock.journal import Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from firmware.gps import Fix, FixFilter, GpsdUnavailable, clock_offset
from firmware.ignition import IgnitionChange, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.telemetry import batch_packer, fix_item, ignition_item
from wire.codec import encode
from wire.messages import DeviceState, VehicleStatus
from wire.topics import vehicle_topic

log = logging.getLogger(__name__)


class VehicleUnit:
    def __init__(
        self,
        settings: VehicleSettings,
        ignition: IgnitionSensor,
        fixes: Callable[[], Iterator[Fix]],
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        clock_synced: Callable[[], bool] = lambda: True,
    ):
        self.id = settings.vehicle_id
        self.ignition, self.fixes, self.now, self.clock_synced = ignition, fixes, now, clock_synced
        self.journal = Journal(settings.journal_path)
        self.topic = vehicle_topic(self.id, "telemetry")
        self.gps_ok = False
        self.link = BrokerLink(BrokerAddress.from_url(settings.mqtt_url), self.id, self._status)
        self.forwarder = Forwarder(
            self.journal, self.link, pack=batch_packer(self.id, self.now, settings.batch_items)
        )
        self.gate = FixFilter()
        self._offset = timedelta(0)  # system clock minus GPS time, while unsynchronised
        self._stop = threading.Event()

    def _status(self, online: bool) -> tuple[str, bytes]:
        status = VehicleStatus(
            id=uuid.uuid4(), device=self.id, seq=self.journal.last_seq(), at=self.now(),
            state=DeviceState.ONLINE if online else DeviceState.OFFLINE,
            ignition_on=self.ignition.debouncer.state, gps_ok=self.gps_ok,
            backlog=self.journal.backlog(), clock_synced=self.clock_synced(),
        )
        return vehicle_topic(self.id, "status"), encode(status)

    def record_ignition(self, change: IgnitionChange) -> None:
        corrected = IgnitionChange(change.on, change.at - self._offset)
        self.journal.append(self.topic, "ignition", lambda seq, i: ignition_item(corrected, seq, i))

    def record_fix(self, fix: Fix) -> None:
        if not self.clock_synced():
            self._offset = clock_offset(fix, self.now())
        if self.gate.accept(fix):
            self.journal.append(self.topic, "fix", lambda seq, i: fix_item(fix, seq, i))

    def _read_gps(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                for fix in self.fixes():
                    self.gps_ok, backoff = True, 1.0
                    self.record_fix(fix)
                    if self._stop.is_set():
                        return
            except GpsdUnavailable as exc:
                log.warning("%s; retrying in %.0f s", exc, backoff)
            self.gps_ok = False
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)

    def run(self, poll_s: float = 0.05) -> None:
        """Until `stop()`: poll the ignition, read GPS in a thread, forward the journal."""
        self.link.start()
        self.forwarder.start()
        gps = threading.Thread(target=self._read_gps, name="gps", daemon=True)
        gps.start()
        while not self._stop.wait(poll_s):
            if change := self.ignition.poll():
                self.record_ignition(change)
        gps.join(5)
        self.forwarder.stop()
        self.link.close()
        self.ignition.close()
        self.journal.close()

    def stop(self) -> None:
        self._stop.set()
