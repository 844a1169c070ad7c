"""A badge on the vpcd virtual reader, answering get-UID as ACR122U-class readers do.

vpcd (vsmartcard-vpcd) listens on TCP for the card side. Every message is framed by a
2-byte big-endian length; a 1-byte payload is a control code, anything longer is an APDU
to answer. Inserting the card is connecting to vpcd, removing it is closing the socket.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Self

# PC/SC part 3 ATR of a MIFARE Classic 1K seen through a contactless reader
CONTACTLESS_ATR = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")
GET_UID = bytes.fromhex("FFCA000000")  # PC/SC part 3, GET DATA: UID
SW_OK = bytes.fromhex("9000")
SW_FUNCTION_NOT_SUPPORTED = bytes.fromhex("6A81")
SW_INS_NOT_SUPPORTED = bytes.fromhex("6D00")

_SEND_ATR = 4  # control codes 0, 1 and 2 (power off, power on, reset) get no answer


class VirtualCardError(Exception):
    """The virtual card could not reach vpcd."""


class VirtualCard:
    """A card with `uid`; a `get_uid_status` other than 90 00 is its answer to FF CA."""

    def __init__(
        self,
        uid: bytes,
        port: int,
        *,
        host: str = "127.0.0.1",
        get_uid_status: bytes = SW_OK,
        atr: bytes = CONTACTLESS_ATR,
    ):
        self.uid = uid
        self.port = port
        self.host = host
        self.get_uid_status = get_uid_status
        self.atr = atr
        self.apdus: list[bytes] = []  # every APDU the reader sent, in order
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def insert(self) -> Self:
        """Put the card on the reader: connect to vpcd and answer it from a thread."""
        if self.inserted:
            raise VirtualCardError("the card is already on the reader")
        self.remove()  # a connection vpcd closed when pcscd stopped
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=2)
        except OSError as exc:
            raise VirtualCardError(
                f"vpcd is not listening on {self.host}:{self.port}: {exc}"
            ) from exc
        self._sock.settimeout(None)
        self._thread = threading.Thread(
            target=self._serve,
            args=(self._sock,),
            name=f"virtual-card-{self.uid.hex()}",
            daemon=True,
        )
        self._thread.start()
        return self

    def remove(self) -> None:
        """Take the card away: close the socket, which vpcd sees as the card gone."""
        if self._sock is not None:
            with contextlib.suppress(OSError):  # vpcd closed it when pcscd stopped
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    def answer(self, apdu: bytes) -> bytes:
        """The response APDU to `apdu`."""
        self.apdus.append(apdu)
        if apdu == GET_UID:
            if self.get_uid_status != SW_OK:
                return self.get_uid_status
            return self.uid + SW_OK
        if apdu[:1] == b"\xff":
            return SW_FUNCTION_NOT_SUPPORTED  # other reader pseudo-APDUs
        return SW_INS_NOT_SUPPORTED

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                message = _receive(sock)
                if message is None:
                    return
                if len(message) == 1:
                    if message[0] == _SEND_ATR:
                        _send(sock, self.atr)
                else:
                    _send(sock, self.answer(message))
        except OSError:
            return  # removed, or vpcd went away with pcscd


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def _receive(sock: socket.socket) -> bytes | None:
    header = _receive_exactly(sock, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _receive_exactly(sock, length)


def _receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data
