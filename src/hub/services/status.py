"""What `depotclock hub status` reports: the store's contents and the broker's answer."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from depotclock.config import ConfigError
from depotclock.mqtt_client import make_client
from depotclock.mqtt_url import BrokerAddress
from hub.store.engine import make_engine
from hub.store.migrate import current_revision
from hub.store.models import DeadLetter, Punch, Technician, TelemetryEvent, UnknownBadgeRead

COUNTED = {
    "technicians": Technician,
    "punches": Punch,
    "telemetry events": TelemetryEvent,
    "unknown badge reads": UnknownBadgeRead,
    "dead letters": DeadLetter,
}


def store_summary(database_url: str) -> tuple[str | None, dict[str, int]]:
    revision = current_revision(database_url)
    if revision is None:
        return None, {}
    engine = make_engine(database_url)
    with engine.connect() as connection:
        counts = {
            name: connection.scalar(select(func.count()).select_from(model)) or 0  # count() has a row
            for name, model in COUNTED.items()
        }
    engine.dispose()
    return revision, counts


def broker_reachable(mqtt_url: str, timeout: float = 5.0) -> str | None:
    """None when the broker accepts the login in `mqtt_url`, else what went wrong."""
    address = BrokerAddress.from_url(mqtt_url)
    try:
        client = make_client(address)
    except ConfigError as exc:
        return str(exc)
    answered = threading.Event()
    outcome: list[str | None] = ["no answer from the broker"]

    def on_connect(client, userdata, flags, reason_code, properties):
        outcome[0] = None if not reason_code.is_failure else f"broker refused the hub: {reason_code}"
        answered.set()

    client.on_connect = on_connect
    try:
        client.connect(address.host, address.port)
    except OSError as exc:
        return f"cannot reach the broker at {address.host}:{address.port}: {exc}"
    client.loop_start()
    answered.wait(timeout)
    client.loop_stop()
    client.disconnect()
    return outcome[0]
