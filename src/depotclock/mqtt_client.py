"""The one way a paho client for our broker is built: MQTT 5, the login and TLS of a
`BrokerAddress`, reconnecting with paho's backoff. Devices (`mqtt_link`), the hub's
subscriber and status check, the tests' and benchmarks' clients all come from here, so a
broker setting is honoured the same everywhere."""

from __future__ import annotations

import ssl

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from depotclock.config import ConfigError
from depotclock.mqtt_url import BrokerAddress

SESSION_EXPIRY_S = 7 * 24 * 3600  # queued QoS 1 messages survive a week away
RECONNECT_S = (1, 30)  # paho's pause before reconnecting: first, longest


def make_client(
    address: BrokerAddress,
    client_id: str = "",
    *,
    manual_ack: bool = False,
    max_inflight: int | None = None,
    kind: type[mqtt.Client] = mqtt.Client,
) -> mqtt.Client:
    """An MQTT 5 client of `kind` (stock paho unless told) for `address`, not connected.
    `manual_ack`: QoS 1 messages are acknowledged by the caller (after it has kept them),
    not by paho on receipt. `max_inflight`: QoS 1/2 messages in flight at once (paho's
    default is 20). ConfigError when the TLS CA certificate cannot be loaded."""
    client = kind(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5,
                  manual_ack=manual_ack)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        _use_tls(client, address)
    client.reconnect_delay_set(*RECONNECT_S)
    if max_inflight is not None:
        client.max_inflight_messages_set(max_inflight)
    return client


def _use_tls(client: mqtt.Client, address: BrokerAddress) -> None:
    """TLS, checking the broker's certificate against the mqtt_url's `cafile`, else the
    system's CA store."""
    try:
        client.tls_set(ca_certs=address.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"mqtt_url: cannot load the CA certificate cafile={address.ca_file}: {exc}") from None


def session_properties(expiry_s: int = SESSION_EXPIRY_S) -> Properties:
    """CONNECT properties of a persistent session: the broker keeps its subscriptions and
    queued QoS 1 messages for `expiry_s` after the client goes away."""
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = expiry_s
    return properties


def session_end() -> Properties:
    """DISCONNECT properties that end the session now (MQTT 5 Session Expiry 0)."""
    properties = Properties(PacketTypes.DISCONNECT)
    properties.SessionExpiryInterval = 0
    return properties


def connect_in_background(client: mqtt.Client, address: BrokerAddress) -> None:
    """Resume (or start) the client's persistent session from paho's network thread,
    which keeps reconnecting until the client is disconnected."""
    client.connect_async(address.host, address.port, clean_start=False, properties=session_properties())
    client.loop_start()
