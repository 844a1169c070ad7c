"""The hub's side of the kiosk tests: the retained roster it publishes, and a watcher of
the kiosk's retained status."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.wire.codec import encode
from depotclock.wire.messages import Roster, RosterEntry
from depotclock.wire.topics import kiosk_topic, roster_topic


def _hub_client(port: int, client_id: str) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.username_pw_set("hub", "hub-secret")
    return client


def publish_roster(port: int, at: datetime, entries: tuple[RosterEntry, ...], depot: str = "north",
                   depot_name: str | None = None) -> None:
    roster = Roster(id=uuid.uuid4(), device="hub", seq=1, at=at, depot=depot, depot_name=depot_name, technicians=entries)
    client = _hub_client(port, "roster-publisher")
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(roster_topic(depot), encode(roster), qos=1, retain=True).wait_for_publish(5)
    client.disconnect()
    client.loop_stop()


class StatusWatcher:
    """The last retained status of a kiosk, as the hub sees it."""

    def __init__(self, port: int, kiosk: str = "kiosk-1"):
        self.last: dict = {}
        self.client = _hub_client(port, "status-watch")
        self.client.reconnect_delay_set(0.2, 1)
        self.client.on_connect = lambda c, *a: c.subscribe(kiosk_topic(kiosk, "status"), qos=1)
        self.client.on_message = lambda c, u, m: setattr(self, "last", json.loads(m.payload))
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
