"""PC/SC badge readers (ACR122U and kin) through pyscard: the UID by GET DATA, FF CA.

Presence comes from SCardGetStatusChange. pcsc-lite keeps a per-reader event counter in
the high 16 bits of the reader state and bumps it on every insertion and removal, so a
presentation is "a card present, under a counter not yet handled": a card left in place
is read once, and one taken away and presented again between two `read` calls is seen.
pyscard is imported in `open`, so this module imports on a machine without it.
"""

from __future__ import annotations

import time
from typing import Any, Self

from depotclock.wire.badge import BadgeError, ReaderFamily, badge_id_from_uid
from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable

GET_UID = [0xFF, 0xCA, 0x00, 0x00, 0x00]  # PC/SC part 3, 3.2.2.1.3 GET DATA: UID
_SW_OK = b"\x90\x00"
_SW_MEANINGS = {  # PC/SC part 3, 3.2.2.1.3, and what ACR122U-class readers answer
    b"\x63\x00": "the reader could not talk to the card",
    b"\x62\x82": "end of data reached before Le bytes",
    b"\x6a\x81": "function not supported: no UID to give",
    b"\x6b\x00": "wrong parameters P1-P2",
}


class PcscReader:
    """The PC/SC reader whose name contains `name` (None: the first one pcscd lists).

    A card already on the reader when it is opened counts as handled: it is read only
    once it has been taken away and presented again. `BadgeRead.raw` is the reader's
    whole answer in hex, status word included ("DEADBEEF9000").
    """

    family = ReaderFamily.PCSC

    def __init__(self, name: str | None = None):
        self.name_filter = name
        self.reader_name: str | None = None  # the full PC/SC name, once open
        # pyscard's `smartcard.scard`, imported in `open` (it is untyped: Any); set whenever _context is
        self._scard: Any = None
        self._context: int | None = None
        self._state = 0  # SCARD_STATE_* bits, event counter in the high 16 bits
        self._handled: int | None = None  # event counter of the card last handled

    def open(self) -> None:
        try:
            from smartcard import scard
        except ImportError as exc:
            raise ReaderUnavailable(
                "pyscard is not installed: pip install 'depotclock[kiosk]'"
            ) from exc
        self._scard = scard
        hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(
                f"PC/SC is not available (is pcscd running?): {self._error(hresult)}"
            )
        self._context = context
        try:
            self.reader_name = self._choose_reader()
            self._state = scard.SCARD_STATE_UNAWARE
            self._state = self._wait_for_change(0) or 0  # from UNAWARE: answers at once
        except ReaderUnavailable:
            self.close()
            raise
        present = self._state & scard.SCARD_STATE_PRESENT
        self._handled = self._state >> 16 if present else None

    def read(self, timeout: float) -> BadgeRead | None:
        """The next card presented within `timeout` seconds, or None."""
        if self._context is None:
            raise ReaderUnavailable("the PC/SC reader is not open")
        deadline = time.monotonic() + timeout
        while True:
            wait_ms = max(0, round((deadline - time.monotonic()) * 1000))
            state = self._wait_for_change(wait_ms)
            if state is None:
                return None
            self._state = state
            if not state & self._scard.SCARD_STATE_PRESENT:
                self._handled = None
            elif state >> 16 != self._handled:
                self._handled = state >> 16
                badge = self._read_uid()
                if badge is not None:
                    return badge

    def close(self) -> None:
        if self._context is not None:
            self._scard.SCardReleaseContext(self._context)  # harmless if pcscd is gone
            self._context = None

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _choose_reader(self) -> str:
        scard = self._scard
        hresult, names = scard.SCardListReaders(self._context, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            names = []
        elif hresult != scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(
                f"cannot list PC/SC readers: {self._error(hresult)}"
            )
        for name in names:
            if self.name_filter is None or self.name_filter in name:
                return name
        wanted = "" if self.name_filter is None else f" named *{self.name_filter}*"
        raise ReaderUnavailable(f"no PC/SC reader{wanted}; pcscd lists {names}")

    def _wait_for_change(self, wait_ms: int) -> int | None:
        """The reader's state once it differs from `_state`; None if not in time."""
        scard = self._scard
        hresult, states = scard.SCardGetStatusChange(
            self._context, wait_ms, [(self.reader_name, self._state)]
        )
        if hresult == scard.SCARD_E_TIMEOUT:
            return None
        if hresult != scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(
                f"{self.reader_name} is gone: {self._error(hresult)}"
            )
        _, state, _ = states[0]
        if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            raise ReaderUnavailable(f"{self.reader_name} is unplugged or not answering")
        return state & ~scard.SCARD_STATE_CHANGED

    def _read_uid(self) -> BadgeRead | None:
        """Connect, send GET DATA UID, disconnect; None if the card left before that."""
        scard = self._scard
        hresult, card, protocol = scard.SCardConnect(
            self._context,
            self.reader_name,
            scard.SCARD_SHARE_SHARED,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
        )
        if hresult == scard.SCARD_S_SUCCESS:
            hresult, response = scard.SCardTransmit(card, protocol, GET_UID)
            scard.SCardDisconnect(card, scard.SCARD_LEAVE_CARD)
        if hresult in (scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD):
            return None
        if hresult in (
            scard.SCARD_E_NO_SERVICE,
            scard.SCARD_E_SERVICE_STOPPED,
            scard.SCARD_E_UNKNOWN_READER,
            scard.SCARD_E_READER_UNAVAILABLE,
        ):
            raise ReaderUnavailable(
                f"{self.reader_name} is gone: {self._error(hresult)}"
            )
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardUnreadable(
                f"the card on {self.reader_name} did not answer: {self._error(hresult)}"
            )
        return self._badge(bytes(response))

    def _badge(self, response: bytes) -> BadgeRead:
        uid, status = response[:-2], response[-2:]
        if status != _SW_OK:
            meaning = _SW_MEANINGS.get(status, "not a PC/SC part 3 status")
            raise CardUnreadable(
                f"the card on {self.reader_name} refused get-UID (FF CA 00 00 00): "
                f"status {status.hex(' ').upper() or 'missing'} ({meaning})"
            )
        try:
            badge_id = badge_id_from_uid(uid)
        except BadgeError as exc:
            raise CardUnreadable(
                f"the card on {self.reader_name} gave UID {uid.hex().upper()}: {exc}"
            ) from exc
        return BadgeRead(badge_id, self.family, raw=response.hex().upper())

    def _error(self, hresult: int) -> str:
        message = self._scard.SCardGetErrorMessage(hresult)
        return f"{message} (0x{hresult & 0xFFFFFFFF:08X})"
