"""The hub's fast `Subscriber`: a paho client that reads its socket in large chunks and
takes the common PUBLISH itself, for receiving and acknowledging thousands of messages a
second.

Stock paho reads each packet with three or four `recv` calls (the command byte, the
length bytes one at a time, the rest), handles one packet per trip round its network loop
(`select`, keep-alive bookkeeping), and builds a `Properties` and an `MQTTMessage` (with
its own lock) for every message. Here the socket is read up to `CHUNK` bytes at a time,
and each trip handles every whole packet already received (up to `BURST`, so
acknowledgements still go out in between). An MQTT 5 QoS 1 PUBLISH without properties,
the hub's every telemetry message, is decoded here into a `Received`; every other
packet (QoS 0 or 2, properties or a topic alias, MQTT 3, a packet still incomplete after
one more read, a client with per-topic callbacks) goes to paho's own handling.
Acknowledgements go out as one write of many PUBACKs instead of one packet and one wake
of the network thread per message: `ack_many` for manual acks, and with automatic acks
those of each burst's messages once their `on_message` calls are done. That makes
receiving a small part of ingest's CPU instead of the largest (docs/scaling.md has the
figures). The fast path does not log each PUBLISH at debug level as paho does.

It relies on paho internals (`_create_socket`, `_packet_read`, `_in_packet`,
`_packet_queue`, `_on_message_filtered`, its mutexes and keep-alive clock), so the hub
uses it only on the paho versions its contract tests passed on (`VERIFIED_ON`); on any
other, the consumer falls back to stock paho (`hub.ingest.subscriber.PahoSubscriber`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from hub.ingest.subscriber import PahoSubscriber, Received

VERIFIED_ON = ("2.2",)  # paho-mqtt minor versions the contract tests passed on
PUBLISH_QOS1 = 0x32  # the command byte of a PUBLISH at QoS 1 (dup and retain bits aside)
PUBACK = struct.Struct("!BBH")  # command, remaining length 2, message id


class _BufferedSocket:
    """A socket whose reads come from a buffer refilled `CHUNK` bytes at a time. paho's
    loop asks `pending()` (as it does of a TLS socket) and does not wait in `select`
    while buffered bytes remain."""

    CHUNK = 256 * 1024

    def __init__(self, sock):
        self._sock = sock
        self._buffer = b""
        self._pos = 0

    def recv(self, size: int) -> bytes:
        if self._pos >= len(self._buffer):
            data = self._sock.recv(self.CHUNK)  # BlockingIOError when nothing came
            if not data:
                return data  # the broker closed the connection
            self._buffer, self._pos = data, 0
        chunk = self._buffer[self._pos:self._pos + size]
        self._pos += len(chunk)
        return chunk

    def next_packet(self) -> tuple[int, bytes, int, int] | None:
        """The next packet's command byte, the buffer, and where in it the packet's
        variable header starts and the packet ends, if all of it has arrived (reading the
        socket once when it is not yet buffered). None leaves the packet to paho's
        `_packet_read`, which also reports a lost connection. Call `consume` once it is
        handled."""
        framed = self._frame()
        if framed is None and self._refill():
            framed = self._frame()
        return framed

    def consume(self, end: int) -> None:
        self._pos = end

    def _frame(self) -> tuple[int, bytes, int, int] | None:
        buffer, pos = self._buffer, self._pos + 1  # past the command byte
        length, shift = 0, 0
        while pos < len(buffer) and shift < 28:  # the remaining length: at most 4 bytes
            byte = buffer[pos]
            pos += 1
            length |= (byte & 0x7F) << shift
            if byte < 0x80:
                end = pos + length
                return (buffer[self._pos], buffer, pos, end) if end <= len(buffer) else None
            shift += 7
        return None  # a partial or malformed length: paho's read says which

    def _refill(self) -> bool:
        """Append what the socket has to the unread bytes, so a packet split across reads
        can still be framed; False when nothing came, for paho's read to say why."""
        try:
            data = self._sock.recv(self.CHUNK)
        except OSError:  # nothing waiting, or a failure that paho's next recv reports
            return False
        if not data:
            return False
        self._buffer, self._pos = self._buffer[self._pos:] + data, 0
        return True

    def pending(self) -> int:
        inner = getattr(self._sock, "pending", None)  # a TLS socket's decrypted bytes
        return len(self._buffer) - self._pos + (inner() if inner else 0)

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


class BufferedClient(mqtt.Client):
    """`paho.mqtt.client.Client`, reading in chunks and in bursts of packets, with its
    own handling of the plain QoS 1 PUBLISH and `ack_many`."""

    BURST = 200

    def _create_socket(self):
        return _BufferedSocket(super()._create_socket())

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        delivered: list[int] = []  # the ids of the messages the fast path handed on
        try:
            for _ in range(self.BURST):
                sock: _BufferedSocket | None = self._sock  # type: ignore[assignment]  # made by _create_socket
                if sock is None:
                    return MQTTErrorCode.MQTT_ERR_NO_CONN
                framed = sock.next_packet() if self._in_packet["command"] == 0 else None
                message = self._plain_publish(*framed) if framed is not None else None
                if message is not None:
                    sock.consume(framed[3])  # type: ignore[index]  # framed: a message came of it
                    self._deliver(message)
                    delivered.append(message.mid)
                    continue
                rc = self._packet_read()
                if rc == MQTTErrorCode.MQTT_ERR_AGAIN:
                    break
                if rc > 0:
                    return self._loop_rc_handle(rc)
        finally:
            if delivered:
                with self._msgtime_mutex:  # keep-alive: the broker was heard from
                    self._last_bytes_received = mqtt.time_func()
                if not self._manual_ack:  # paho acks each after on_message; here, the burst's
                    self._queue_pubacks(delivered)
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    def _plain_publish(self, command: int, buffer: bytes, start: int,
                       end: int) -> Received | None:
        """The message, if the packet is an MQTT 5 QoS 1 PUBLISH with a topic name and no
        properties and no per-topic callbacks are set; None: paho's handling is needed."""
        if (command & 0xF6) != PUBLISH_QOS1 or self._protocol != mqtt.MQTTv5:
            return None
        topic_end = start + 2 + (buffer[start] << 8 | buffer[start + 1])
        if topic_end == start + 2 or topic_end + 3 > end or buffer[topic_end + 2] != 0:
            return None  # no topic name (an alias), or properties
        if self._on_message_filtered._root._children:
            return None
        try:
            topic = buffer[start + 2:topic_end].decode()
        except UnicodeDecodeError:
            return None
        mid = buffer[topic_end] << 8 | buffer[topic_end + 1]
        return Received(topic, buffer[topic_end + 3:end], mid, 1,
                        retain=bool(command & 0x01), dup=bool(command & 0x08))

    def _deliver(self, message: Received) -> None:
        """Call `on_message` as paho's `_handle_on_message` does."""
        with self._callback_mutex:
            on_message = self.on_message
        if on_message is None:
            return
        with self._in_callback_mutex:
            try:
                on_message(self, self._userdata, message)  # type: ignore[arg-type]  # what a subscriber reads of one
            except Exception as err:
                self._easy_log(mqtt.MQTT_LOG_ERR, "Caught exception in on_message: %s", err)
                if not self.suppress_exceptions:
                    raise

    def ack_many(self, mids: Iterable[int]) -> MQTTErrorCode:
        """Acknowledge QoS 1 messages received with `manual_ack`: their PUBACKs queued as
        one write, waking the network thread once rather than once per message. A QoS 0
        message's id (0) is skipped: there is nothing to acknowledge, and a PUBACK for
        packet id 0 is a protocol error the broker disconnects for."""
        if not self._manual_ack:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return self._queue_pubacks([mid for mid in mids if mid])

    def _queue_pubacks(self, mids: Iterable[int]) -> MQTTErrorCode:
        packets = b"".join([PUBACK.pack(mqtt.PUBACK, 2, mid) for mid in mids])
        if not packets:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return self._packet_queue(mqtt.PUBACK, packets, 0, 1)


def verified_on(paho_version: str) -> bool:
    """Whether the fast path's contract tests passed on this paho-mqtt version."""
    return ".".join(paho_version.split(".")[:2]) in VERIFIED_ON


class BufferedSubscriber(PahoSubscriber):
    """The `Subscriber` on `BufferedClient`: plain QoS 1 messages decoded without paho,
    acknowledged many to a write."""

    kind = BufferedClient
    client: BufferedClient

    def ack_many(self, mids: Iterable[int]) -> None:
        self._check(self.client.ack_many(mids), "acknowledge")

    def _message(self, client, userdata, message: Received | mqtt.MQTTMessage) -> None:
        self.events.message(message if isinstance(message, Received) else Received.from_paho(message))
