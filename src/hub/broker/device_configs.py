"""The config file a provisioned device starts from: its id, its broker login, and the
defaults of every other setting written out, so whoever installs it sees what to change."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote

from depotclock.mqtt_url import BrokerAddress
from hub.broker.accounts import Provisioned


def _string(value: str) -> str:
    # A JSON string is a TOML basic string: both escape \" \\ and control characters alike.
    return json.dumps(value)


def device_mqtt_url(broker: BrokerAddress, username: str, password: str) -> str:
    """`broker` (as devices reach it, with its `cafile` if any) with the account's login in it."""
    host = f"[{broker.host}]" if ":" in broker.host else broker.host
    scheme = "mqtts" if broker.tls else "mqtt"
    login = f"{quote(username, safe='')}:{quote(password, safe='')}"
    return f"{scheme}://{login}@{host}:{broker.port}{broker.query}"


def _header(role: str, account: Provisioned, now: datetime) -> str:
    return (
        f"# DepotClock {role} {account.username}: written by `depotclock hub provision` at "
        f"{now:%Y-%m-%d %H:%M} UTC.\n"
        "# It holds the broker password (shown only this once): readable by the device's user only.\n"
    )


def kiosk_config(account: Provisioned, broker: BrokerAddress, timezone: str, now: datetime) -> str:
    """kiosk.toml for a PC/SC reader and a screen (README: The kiosk)."""
    url = device_mqtt_url(broker, account.username, account.password)
    return _header("kiosk", account, now) + "\n".join(
        [
            f"kiosk_id = {_string(account.username)}  # also its broker username",
            f"depot_id = {_string(account.depot or '')}",
            f"mqtt_url = {_string(url)}",
            f"timezone = {_string(timezone)}  # the depot's, for the times on the screen",
            'journal_path = "/var/lib/depotclock-kiosk/journal.db"',
            "screen = true  # false on a kiosk with LEDs and buzzer only",
            "screen_port = 8080",
            "double_read_s = 3.0",
            "answer_s = 6.0",
            'default_option = "clock_out"  # or "break"',
            "",
            "[reader]  # one of: pcsc, mfrc522, wedge (README: The kiosk)",
            'family = "pcsc"',
            "",
        ]
    )


def vehicle_config(account: Provisioned, broker: BrokerAddress, now: datetime) -> str:
    """vehicle.toml for a van unit with the ignition on BCM 23 and a local gpsd."""
    url = device_mqtt_url(broker, account.username, account.password)
    return _header("vehicle", account, now) + "\n".join(
        [
            f"vehicle_id = {_string(account.username)}  # also its broker username",
            f"mqtt_url = {_string(url)}",
            'journal_path = "/var/lib/depotclock-vehicle/journal.db"',
            "ignition_pin = 23  # BCM number of the optocoupler input",
            "ignition_off_hold_s = 20  # off shorter than this is not a stop",
            'gpsd_host = "127.0.0.1"',
            "gpsd_port = 2947",
            "",
        ]
    )


def hub_config(account: Provisioned, broker: BrokerAddress, now: datetime) -> str:
    """The line of hub.toml that holds the hub's own broker login."""
    url = device_mqtt_url(broker, account.username, account.password)
    return _header("hub", account, now) + "# Put this line in hub.toml (or DEPOTCLOCK_MQTT_URL):\n" + (
        f"mqtt_url = {_string(url)}\n"
    )
