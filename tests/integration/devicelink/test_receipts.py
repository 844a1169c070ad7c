"""Receipts close the broker's durability limit: a mosquitto SIGKILLed after acknowledging
a device's entries, before the hub had them, loses them; the device sends them again when
no receipt confirms them in time, and the real ingest stores each once. Journal, forwarder,
mosquitto and ingest consumer are the real ones, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from depotclock.forwarder import Forwarder
from depotclock.journal import Journal
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.badge import ReaderFamily
from depotclock.wire.messages import Badge, DeviceClock, DeviceState, PunchAction, VehicleStatus
from depotclock.wire.messages import Punch as PunchMessage
from depotclock.wire.topics import kiosk_topic, receipt_topic, vehicle_topic
from firmware.ignition import IgnitionChange
from firmware.telemetry import batch_packer, ignition_item
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, Punch, TelemetryEvent
from tests.integration.devicelink.device import status_of
from tests.waiting import eventually

pytestmark = pytest.mark.broker

_eventually = partial(eventually, timeout=60.0)
RECEIPT_TIMEOUT_S = 1.0


class Device:
    """A kiosk's journal, link and forwarder, listening for its receipts."""

    def __init__(self, journal_path: Path, url: str, name: str = "kiosk-1"):
        self.name = name
        self.journal = Journal(journal_path)
        self.link = BrokerLink(
            BrokerAddress.from_url(url), name, status_of(name),
            subscriptions={receipt_topic("kiosk", name): lambda t, p: self.forwarder.receipt_arrived(t, p)},
        )
        self.forwarder = Forwarder(self.journal, self.link, receipt_timeout_s=RECEIPT_TIMEOUT_S)
        self.link.start()
        self.forwarder.start()

    def punch(self) -> uuid.UUID:
        def build(seq: int, message_id: uuid.UUID) -> bytes:
            return PunchMessage(
                id=message_id, device=self.name, seq=seq, at=datetime.now(timezone.utc),
                action=PunchAction.CLOCK_IN, badge=Badge(id="DEADBEEF", family=ReaderFamily.SIMULATED, raw="DEADBEEF"),
                clock=DeviceClock(synced=True, boot="boot-1", monotonic_s=float(seq)),
            ).model_dump_json().encode()

        return self.journal.append(kiosk_topic(self.name, "punch"), "punch", build).id

    def close(self) -> None:
        self.forwarder.stop()
        self.link.close()
        self.journal.close()


class Hub:
    """The real ingest consumer, in a thread."""

    def __init__(self, url: str, engine):
        self.consumer = IngestConsumer(BrokerAddress.from_url(url), engine, store_processes=0)
        self.thread = threading.Thread(target=self.consumer.run, daemon=True)
        self.thread.start()
        assert self.consumer.subscribed.wait(30), "ingest did not subscribe"

    def stop(self) -> None:
        self.consumer.stop()
        self.thread.join(10)


def _stored_ids(engine) -> list[uuid.UUID]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Punch.id)))


def _dead_letters(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(DeadLetter))


def _autosave_only_hourly(broker) -> None:
    """Restart the broker so it saves to disk only once an hour: what it acknowledged is
    in its memory alone (the generated config saves every 5 s)."""
    broker.process.stop()
    conf = broker.process.conf
    conf.write_text(conf.read_text().replace("autosave_interval 5", "autosave_interval 3600"))
    broker.process.start()


@pytest.mark.parametrize("punches_after", [0, 10], ids=["then-quiet", "then-more-punches"])
def test_punches_a_killed_broker_lost_are_sent_again_and_stored_once(
    make_broker, migrated_url, tmp_path, caplog, punches_after
):
    """Quiet afterwards, no receipt comes and every overdue entry is resent; with more
    punches, their receipts show the lost ones as holes below what the hub stored."""
    broker = make_broker()
    _autosave_only_hourly(broker)
    engine = make_engine(migrated_url)
    Hub(broker.url("hub"), engine).stop()  # the hub's session: the broker queues for it
    device = Device(tmp_path / "kiosk.db", broker.url("kiosk-1"))
    ids = {device.punch() for _ in range(40)}
    assert _eventually(lambda: device.journal.backlog() == 0), "the broker did not acknowledge every punch"
    assert device.journal.unconfirmed() == 40  # the hub has none of them yet
    broker.process.kill()  # a power cut: the queued punches were in memory only
    broker.process.start()
    with caplog.at_level(logging.WARNING, logger="depotclock.forwarder"):
        hub = Hub(broker.url("hub"), engine)
        ids |= {device.punch() for _ in range(punches_after)}
        assert _eventually(lambda: device.journal.unconfirmed() == 0), f"{device.journal.unconfirmed()} unconfirmed"
    stored = _stored_ids(engine)
    assert sorted(stored) == sorted(ids)  # every punch, each once
    assert any("no hub receipt" in record.message for record in caplog.records)  # resent, not queued
    hub.stop()
    device.close()
    engine.dispose()


def test_a_dead_letter_is_confirmed_and_not_sent_again(broker, migrated_url, tmp_path):
    engine = make_engine(migrated_url)
    hub = Hub(broker.url("hub"), engine)
    device = Device(tmp_path / "kiosk.db", broker.url("kiosk-1"))
    good = device.punch()
    device.journal.append(kiosk_topic("kiosk-1", "punch"), "punch",
                          lambda seq, i: b'{"id": "%s", "seq": %d, "action": "dance"}' % (str(i).encode(), seq))
    assert _eventually(lambda: device.journal.unconfirmed() == 0)
    assert _stored_ids(engine) == [good] and _dead_letters(engine) == 1
    time.sleep(3 * RECEIPT_TIMEOUT_S)  # several receipt timeouts: nothing is due again
    assert _dead_letters(engine) == 1 and device.journal.unconfirmed() == 0
    hub.stop()
    device.close()
    engine.dispose()


def test_a_vans_telemetry_items_are_confirmed_item_by_item(broker, migrated_url, tmp_path):
    """Batches carry ids of their own; a receipt names the journal's items inside them."""
    engine = make_engine(migrated_url)
    hub = Hub(broker.url("hub"), engine)
    journal = Journal(tmp_path / "van.db")
    link = BrokerLink(
        BrokerAddress.from_url(broker.url("van-1")), "van-1",
        lambda online: VehicleStatus(id=uuid.uuid4(), device="van-1", seq=0, at=datetime.now(timezone.utc),
                                     state=DeviceState.ONLINE if online else DeviceState.OFFLINE),
        subscriptions={receipt_topic("vehicle", "van-1"): lambda t, p: forwarder.receipt_arrived(t, p)},
    )
    pack = batch_packer("van-1", lambda: datetime.now(timezone.utc), max_items=100)
    forwarder = Forwarder(journal, link, pack=pack, receipt_timeout_s=RECEIPT_TIMEOUT_S)
    for n in range(250):
        change = IgnitionChange(n % 2 == 0, datetime.now(timezone.utc))
        journal.append(vehicle_topic("van-1", "telemetry"), "ignition",
                       lambda seq, i, c=change: ignition_item(c, seq, i))
    link.start()
    forwarder.start()
    assert _eventually(lambda: journal.unconfirmed() == 0), f"{journal.unconfirmed()} unconfirmed"
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(TelemetryEvent)) == 250
    forwarder.stop()
    link.close()
    journal.close()
    hub.stop()
    engine.dispose()
