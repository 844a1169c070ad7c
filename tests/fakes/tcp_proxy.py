"""A TCP proxy the test can cut: a device's network link to the broker, unplugged and
plugged back while the device and the broker keep running."""

from __future__ import annotations

import contextlib
import socket
import threading

from depotclock.mosquitto import free_port


class CuttableLink:
    """Listens on 127.0.0.1:`port` and relays each connection to 127.0.0.1:`upstream`.

    `cut()` drops every relayed connection and refuses new ones (nothing listens on the
    port), as a pulled cable or a dead access point looks to the device; `restore()`
    listens again on the same port."""

    def __init__(self, upstream: int):
        self.upstream, self.port = upstream, free_port()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.restore()

    @property
    def linked(self) -> bool:
        return self._listener is not None

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="link-accept", daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                device, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                broker = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                device.close()  # the broker is down: the device sees its connection refused
                continue
            with self._lock:
                self._sockets += [device, broker]
            for source, target in ((device, broker), (broker, device)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, []
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            listener.close()
        for end in sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    close = cut
