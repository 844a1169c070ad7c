"""Accounts provisioned in the hub's store, files from `hub broker-config`, a real mosquitto:
each device logs in only with its own password and is confined to its own topics."""

from __future__ import annotations

import threading

import pytest

from depotclock.wire.topics import kiosk_topic, receipt_topic, roster_topic, vehicle_topic
from tests.integration.broker.clients import (
    WAIT_S,
    accepted,
    connect,
    publish_all,
    retained_on_subscribing,
    topics_the_hub_receives,
)
from tests.integration.broker.provisioned import hub_cli

pytestmark = pytest.mark.broker


def _publish_rosters(broker) -> None:
    hub = accepted(broker.port, *broker.logins["hub"])
    for depot in ("north", "south"):
        hub.publish(roster_topic(depot), depot.encode(), qos=1, retain=True).wait_for_publish(WAIT_S)
    hub.disconnect()
    hub.loop_stop()


def test_anonymous_and_wrong_passwords_are_refused(provisioned_broker):
    port = provisioned_broker.port
    assert connect(port, None, None).refused == "Not authorized"
    assert connect(port, "kiosk-a", "wrong").refused == "Not authorized"
    _, kiosk_b_password = provisioned_broker.logins["kiosk-b"]
    assert connect(port, "kiosk-a", kiosk_b_password).refused == "Not authorized"
    assert connect(port, "nobody", "x").refused == "Not authorized"
    for username, password in provisioned_broker.logins.values():
        login = connect(port, username, password)
        assert login.accepted, username
        login.close()


def test_a_kiosk_publishes_only_as_itself(provisioned_broker):
    kiosk = accepted(provisioned_broker.port, *provisioned_broker.logins["kiosk-a"])
    forbidden = [
        kiosk_topic("kiosk-b", "punch"),  # another kiosk, another depot
        vehicle_topic("van-1", "telemetry"),  # a van
        vehicle_topic("kiosk-a", "telemetry"),  # a van of its own name
        roster_topic("north"),  # its own depot's roster: the hub's to write
    ]
    pubacks: dict[str, str] = {}
    seen = topics_the_hub_receives(
        provisioned_broker.port, provisioned_broker.logins["hub"],
        lambda: pubacks.update(publish_all(kiosk, [*forbidden, kiosk_topic("kiosk-a", "punch")])),
    )
    assert seen == [kiosk_topic("kiosk-a", "punch")]  # its own arrives: the others were dropped
    assert {topic: pubacks[topic] for topic in forbidden} == dict.fromkeys(forbidden, "Not authorized")
    assert pubacks[kiosk_topic("kiosk-a", "punch")] == "Success"
    kiosk.disconnect()


def test_a_van_publishes_only_as_itself(provisioned_broker):
    van = accepted(provisioned_broker.port, *provisioned_broker.logins["van-1"])
    forbidden = [kiosk_topic("kiosk-a", "punch"), vehicle_topic("van-2", "telemetry"), roster_topic("north")]
    seen = topics_the_hub_receives(
        provisioned_broker.port, provisioned_broker.logins["hub"],
        lambda: publish_all(van, [*forbidden, vehicle_topic("van-1", "telemetry")]),
    )
    assert seen == [vehicle_topic("van-1", "telemetry")]
    van.disconnect()


def test_a_kiosk_reads_its_own_depot_roster_and_no_other(provisioned_broker):
    _publish_rosters(provisioned_broker)
    kiosk = accepted(provisioned_broker.port, *provisioned_broker.logins["kiosk-a"])
    filters = [roster_topic("south"), "depotclock/v1/depot/+/roster", "depotclock/v1/#"]
    got = retained_on_subscribing(kiosk, filters)
    assert got == [(roster_topic("north"), b"north")] * 2  # through the + and the # filter only
    kiosk.disconnect()


def test_a_van_reads_no_roster(provisioned_broker):
    _publish_rosters(provisioned_broker)
    van = accepted(provisioned_broker.port, *provisioned_broker.logins["van-1"])
    assert retained_on_subscribing(van, [roster_topic("north"), "depotclock/v1/#"]) == []
    van.disconnect()


def test_a_revoked_device_is_refused_after_the_reload(provisioned_broker):
    port, logins = provisioned_broker.port, provisioned_broker.logins
    connected = accepted(port, *logins["kiosk-b"])
    cut_off = threading.Event()
    connected.on_disconnect = lambda *a: cut_off.set()
    revoked = hub_cli(provisioned_broker.config, "provision", "revoke", "kiosk-b")
    assert revoked == "revoked kiosk account kiosk-b\n"
    provisioned_broker.rewrite_and_reload()
    assert cut_off.wait(WAIT_S), "the revoked kiosk stayed connected after the reload"
    connected.loop_stop()
    assert connect(port, *logins["kiosk-b"]).refused == "Not authorized"
    still = connect(port, *logins["kiosk-a"])
    assert still.accepted
    still.close()


def test_a_rotated_password_replaces_the_old_one(provisioned_broker):
    port = provisioned_broker.port
    old = provisioned_broker.logins["van-1"]
    connected = accepted(port, *old)
    cut_off = threading.Event()
    connected.on_disconnect = lambda *a: cut_off.set()
    provisioned_broker.provision("vehicle", "van-1")
    new = provisioned_broker.logins["van-1"]
    assert new[1] != old[1]
    provisioned_broker.rewrite_and_reload()
    assert cut_off.wait(WAIT_S), "the old password's connection survived the reload"
    connected.loop_stop()
    assert connect(port, *old).refused == "Not authorized"
    login = connect(port, *new)
    assert login.accepted
    login.close()


def test_each_device_reads_its_own_receipts_and_no_others(provisioned_broker):
    """Receipts are not retained on the wire; here they are, so that what each device may
    read arrives on subscribing, before the barrier."""
    own = {"kiosk-a": receipt_topic("kiosk", "kiosk-a"), "kiosk-b": receipt_topic("kiosk", "kiosk-b"),
           "van-1": receipt_topic("vehicle", "van-1")}
    hub = accepted(provisioned_broker.port, *provisioned_broker.logins["hub"])
    for topic in own.values():
        hub.publish(topic, b"r", qos=1, retain=True).wait_for_publish(WAIT_S)
    hub.disconnect()
    hub.loop_stop()
    for device in ("kiosk-a", "van-1"):
        client = accepted(provisioned_broker.port, *provisioned_broker.logins[device])
        assert retained_on_subscribing(client, ["depotclock/v1/+/+/receipt"]) == [(own[device], b"r")]
        client.disconnect()
