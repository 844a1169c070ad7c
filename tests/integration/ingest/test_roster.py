"""The hub publishes each depot's roster, retained, to that depot's kiosks through a real
mosquitto: at start, and again when a punch changes someone's state. A kiosk reads only
its own depot's roster (broker ACL)."""

from __future__ import annotations

import queue
import threading
import time
from datetime import datetime, timedelta, timezone

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import parse_roster
from depotclock.wire.messages import PunchAction, Roster, TechState
from depotclock.wire.topics import roster_topic
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.messages import punch

pytestmark = pytest.mark.broker


class Kiosk:
    """A kiosk's broker account, subscribed to rosters."""

    def __init__(self, broker, username: str, password: str, topics: list[str]):
        self.rosters: queue.Queue[Roster] = queue.Queue()
        self.granted: queue.Queue[list] = queue.Queue()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=username, protocol=mqtt.MQTTv5)
        self.client.username_pw_set(username, password)
        self.client.on_connect = lambda c, *a: c.subscribe([(t, 1) for t in topics])
        self.client.on_subscribe = lambda c, u, mid, codes, p: self.granted.put(codes)
        self.client.on_message = lambda c, u, m: self.rosters.put(parse_roster(m.payload))
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()

    def roster_where(self, condition, timeout: float = 30.0) -> Roster:
        deadline = time.monotonic() + timeout
        while True:
            roster = self.rosters.get(timeout=max(0.0, deadline - time.monotonic()))
            if condition(roster):
                return roster

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _state(roster: Roster, tech: str) -> tuple[TechState, datetime | None]:
    entry = next(e for e in roster.technicians if e.tech == tech)
    return entry.state, entry.since


def test_kiosks_get_their_depots_roster_retained_and_updated_after_a_punch(broker, migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    kiosk = Kiosk(broker, "kiosk-1", "k1-secret", [roster_topic("north")])
    try:
        first = kiosk.roster_where(lambda r: True)
        assert (first.device, first.depot, first.depot_name) == ("hub", "north", "North")
        # every technician of the company: any depot's kiosk takes their punches
        assert [(e.tech, e.badges, e.state, e.ask_break_kind) for e in first.technicians] == [
            ("T-100", ("DEADBEEF",), TechState.OFF, False), ("T-101", ("04A1B2C3D4E5F6",), TechState.OFF, False),
            ("T-102", ("0A0B0C0D",), TechState.OFF, True)]

        clocked_in = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
        kiosk.client.publish(*punch(1, at=clocked_in, action=PunchAction.CLOCK_IN), qos=1)
        working = kiosk.roster_where(lambda r: _state(r, "T-100")[0] is TechState.WORKING)
        assert _state(working, "T-100") == (TechState.WORKING, clocked_in)
        assert next(e for e in working.technicians if e.tech == "T-100").shift_start == clocked_in
        assert working.auto_clock_out_after_h == 18
        assert _state(working, "T-101") == (TechState.OFF, None)
        assert working.seq > first.seq
    finally:
        kiosk.close()
    again = Kiosk(broker, "kiosk-1", "k1-secret", [roster_topic("north")])  # a kiosk restarting
    try:
        assert _state(again.roster_where(lambda r: True), "T-100")[0] is TechState.WORKING
    finally:
        again.close()
        consumer.stop()
        runner.join(10)
        engine.dispose()


def test_a_kiosk_reads_its_own_depots_roster_only(broker, migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    # Both retained rosters exist once the hub published south's (it publishes in depot
    # order); a kiosk asking for north's and then its own gets its own only.
    first = Kiosk(broker, "kiosk-2", "k2-secret", [roster_topic("south")])
    first.roster_where(lambda r: True)
    first.close()
    south = Kiosk(broker, "kiosk-2", "k2-secret", [roster_topic("north"), roster_topic("south")])
    try:
        roster = south.roster_where(lambda r: True)
        assert (roster.depot, roster.ask_break_kind) == ("south", True)  # Aisha is under California rules
        assert south.rosters.empty()
    finally:
        south.close()
        consumer.stop()
        runner.join(10)
        engine.dispose()


@pytest.mark.parametrize("limit_h", [18, 12])
def test_issue_16_a_clock_in_older_than_the_limit_is_off_on_the_roster(migrated_url, limit_h):
    """Stored punches through the store's own queries: Maria clocked in 14 hours ago and
    took a break since; under a 12-hour limit her shift is over (the next tap clocks in),
    under 18 she is still working. The roster carries the limit and the clock-in."""
    from hub.ingest.rosters import depot_rosters
    from hub.ingest.store_batch import Received, store_batch

    engine = make_engine(migrated_url)
    enroll_company(engine)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    clocked_in = now - timedelta(hours=14)
    store_batch(engine, [Received(*message, now) for message in (
        punch(1, at=clocked_in, action=PunchAction.CLOCK_IN),
        punch(2, at=now - timedelta(hours=3), action=PunchAction.BREAK_START),
        punch(3, at=now - timedelta(hours=2), action=PunchAction.BREAK_END),
    )])
    try:
        (north, _) = depot_rosters(engine, {"north", "south"}, now, 1, limit_h)
        maria = next(e for e in north.technicians if e.tech == "T-100")
        assert north.auto_clock_out_after_h == limit_h
        assert maria.shift_start == clocked_in and maria.since == now - timedelta(hours=2)
        assert maria.state is (TechState.OFF if limit_h == 12 else TechState.WORKING)
    finally:
        engine.dispose()


def test_a_phone_punch_reaches_every_depots_kiosk_within_seconds(broker, migrated_url):
    """Issue 19: Maria (north) clocks in from her phone; south's kiosk shows her working
    (within the roster poll, not the minute's refresh)."""
    from hub.rules.punch_location import LocationPolicy
    from hub.services.punching import PunchInput, punch
    from hub.services.scope import Viewer
    from hub.settings import PayrollSettings, PunchingSettings
    from hub.store.engine import session_factory
    from hub.store.models import Technician

    engine = make_engine(migrated_url)
    enroll_company(engine)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    south = Kiosk(broker, "kiosk-2", "k2-secret", [roster_topic("south")])
    try:
        assert _state(south.roster_where(lambda r: True), "T-100")[0] is TechState.OFF
        now = datetime.now(timezone.utc).replace(microsecond=0)
        with session_factory(engine).begin() as session:
            maria = Viewer(1, "maria", "technician", "T-100", frozenset())
            punch(session, maria, PayrollSettings(), PunchingSettings(location_policy=LocationPolicy.ANYWHERE),
                  session.get_one(Technician, "T-100"), PunchInput(PunchAction.CLOCK_IN), now)
        # about a second (the roster poll); the minute's refresh would be too late for this
        working = south.roster_where(lambda r: _state(r, "T-100")[0] is TechState.WORKING, timeout=15)
        assert _state(working, "T-100") == (TechState.WORKING, now)
    finally:
        south.close()
        consumer.stop()
        runner.join(10)
        engine.dispose()
