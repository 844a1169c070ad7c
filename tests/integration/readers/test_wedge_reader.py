"""The keyboard-wedge reader's device loop, with a stand-in for evdev.InputDevice.

This kernel has no /dev/uinput, so no virtual input device can be made. The stand-in sits
at the lowest seam, the object evdev.InputDevice(path) returns: its fd is a real pipe, so
the reader's select waits for real, and `read()` hands out real evdev.InputEvent streams,
raising as evdev does: BlockingIOError with nothing to read, ENODEV once unplugged.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections import deque

import evdev
import pytest
from evdev import InputEvent, ecodes

from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable
from kiosk.readers.wedge import WedgeReader

PATH = "/dev/input/by-id/usb-Sycreader_RFID_Technology_Co.__Ltd_SYC_ID_IC_USB_Reader-event-kbd"
KEYBOARD_KEYS = [ecodes.KEY_ESC, *range(ecodes.KEY_1, ecodes.KEY_0 + 1), ecodes.KEY_ENTER]


class FakeInputDevice:
    """One input device as evdev.InputDevice shows it, fed by the test through `type`."""

    def __init__(self, path: str = PATH, name: str = "SYC ID&IC USB Reader", keys=None):
        self.path = path
        self.name = name
        self.keys = KEYBOARD_KEYS if keys is None else keys
        self.calls: list[str] = []  # grab, ungrab, close, in order
        self.grabbed_elsewhere = False
        self._grabbed = False
        self._unplugged = False
        self._pending: deque[InputEvent] = deque()
        self._wake, self._waker = os.pipe()
        os.set_blocking(self._wake, False)

    @property
    def grabbed(self) -> bool:
        return self._grabbed

    def type(self, text: str, start: float = 1000.0) -> None:
        """The reader types `text` ("\\n" is Enter): key down and up, 8 ms a key."""
        for i, char in enumerate(text):
            code = ecodes.KEY_ENTER if char == "\n" else getattr(ecodes, f"KEY_{char}")
            t = start + i * 0.008
            sec, usec = int(t), round((t - int(t)) * 1_000_000)
            self._pending += [
                InputEvent(sec, usec, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + code),
                InputEvent(sec, usec, ecodes.EV_KEY, code, 1),
                InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
                InputEvent(sec, usec + 2000, ecodes.EV_KEY, code, 0),
                InputEvent(sec, usec + 2000, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
            ]
        os.write(self._waker, b"\0")

    def unplug(self) -> None:
        """The reader is pulled out: the kernel wakes readers, whose read gets ENODEV."""
        self._unplugged = True
        os.write(self._waker, b"\0")

    # what the reader uses of evdev.InputDevice

    def fileno(self) -> int:
        return self._wake

    def read(self):
        if self._unplugged:
            raise OSError(errno.ENODEV, "No such device")
        with contextlib.suppress(BlockingIOError):
            os.read(self._wake, 4096)
        if not self._pending:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        events, self._pending = list(self._pending), deque()
        yield from events

    def capabilities(self) -> dict[int, list[int]]:
        return {ecodes.EV_SYN: [0, 1, 4], ecodes.EV_KEY: self.keys, ecodes.EV_MSC: [4]}

    def grab(self) -> None:
        self.calls.append("grab")
        if self.grabbed_elsewhere or self._grabbed:
            raise OSError(errno.EBUSY, "Device or resource busy")
        self._grabbed = True

    def ungrab(self) -> None:
        self.calls.append("ungrab")
        if self._unplugged:
            raise OSError(errno.ENODEV, "No such device")
        if not self._grabbed:
            raise OSError(errno.EINVAL, "Invalid argument")
        self._grabbed = False

    def close(self) -> None:
        self.calls.append("close")
        if self._wake > -1:
            os.close(self._wake)
            os.close(self._waker)
            self._wake = self._waker = -1


@pytest.fixture
def device():
    device = FakeInputDevice()
    yield device
    device.close()


@pytest.fixture
def reader(device):
    with WedgeReader(PATH, open_device=lambda path: device) as reader:
        yield reader


def test_card_typed_by_the_reader_is_read(device, reader):
    device.type("0012345678\n")
    assert reader.read(2) == BadgeRead("W12345678", "wedge", raw="0012345678")


def test_device_is_grabbed_while_open_and_released_at_close(device):
    with WedgeReader(PATH, open_device=lambda path: device) as reader:
        assert device.grabbed
        assert reader.path == PATH
    assert not device.grabbed
    assert device.calls == ["grab", "ungrab", "close"]


def test_uid_decimal_reader_gives_the_uid_badge_id(device):
    with WedgeReader(PATH, "uid_decimal", "little", open_device=lambda path: device) as reader:
        device.type("4022250974\n")
        assert reader.read(2).badge_id == "DEADBEEF"


def test_no_card_gives_none_after_the_timeout(reader):
    assert reader.read(0.05) is None


def test_half_typed_code_gives_none_and_waits_for_the_rest(device, reader):
    device.type("00123")
    assert reader.read(0.05) is None
    device.type("45678\n", start=1000.04)
    assert reader.read(2).badge_id == "W12345678"


def test_reads_that_arrive_together_are_handed_out_one_a_call(device, reader):
    device.type("0012345678\n0087654321\n")
    assert reader.read(2).badge_id == "W12345678"
    assert reader.read(0).badge_id == "W87654321"
    assert reader.read(0) is None


def test_unreadable_card_is_reported_in_its_turn(device, reader):
    device.type("0012345678\n\n0087654321\n")
    assert reader.read(2).badge_id == "W12345678"
    with pytest.raises(CardUnreadable, match="Enter with no number"):
        reader.read(0)
    assert reader.read(0).badge_id == "W87654321"


def test_unplugged_reader_is_unavailable_and_closes_cleanly(device, reader):
    device.unplug()
    with pytest.raises(ReaderUnavailable, match="unplugged"):
        reader.read(2)
    reader.close()
    assert device.calls == ["grab", "ungrab", "close"]
    with pytest.raises(ReaderUnavailable, match="not open"):
        reader.read(0)


def test_device_grabbed_by_another_process_is_unavailable(device):
    device.grabbed_elsewhere = True
    reader = WedgeReader(PATH, open_device=lambda path: device)
    with pytest.raises(ReaderUnavailable, match="another process has grabbed"):
        reader.open()
    assert device.calls == ["grab", "close"]


def test_permission_denied_names_the_input_group():
    def open_device(path):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    with pytest.raises(ReaderUnavailable, match="input group"):
        WedgeReader(PATH, open_device=open_device).open()


def test_nonexistent_path_with_real_evdev_is_unavailable(tmp_path):
    missing = str(tmp_path / "event99")
    with pytest.raises(ReaderUnavailable, match=r"no input device at .*event99.*plugged in"):
        WedgeReader(missing).open()


def test_reader_found_by_part_of_its_name(monkeypatch):
    # A wedge reader shows up as a keyboard and a consumer-control device of one name;
    # only the keyboard has digits and Enter.
    devices = {
        "/dev/input/event3": FakeInputDevice("/dev/input/event3", "AT Translated Keyboard"),
        "/dev/input/event5": FakeInputDevice(
            "/dev/input/event5", "SYC ID&IC USB Reader Consumer Control", keys=[113, 114]
        ),
        "/dev/input/event6": FakeInputDevice("/dev/input/event6", "SYC ID&IC USB Reader"),
    }
    monkeypatch.setattr(evdev, "list_devices", lambda *args, **kwargs: list(devices))
    with WedgeReader("id&ic", open_device=devices.__getitem__) as reader:
        assert reader.path == "/dev/input/event6"
        devices["/dev/input/event6"].type("0012345678\n")
        assert reader.read(2).badge_id == "W12345678"
    assert devices["/dev/input/event3"].calls == ["close"]
    assert devices["/dev/input/event5"].calls == ["close"]


def test_no_device_of_that_name_is_unavailable(monkeypatch):
    monkeypatch.setattr(evdev, "list_devices", lambda *args, **kwargs: [])
    with pytest.raises(ReaderUnavailable, match="no keyboard input device named"):
        WedgeReader("SYC", open_device=FakeInputDevice).open()


def test_unknown_format_is_refused_before_opening():
    with pytest.raises(ValueError, match="wedge format"):
        WedgeReader(PATH, format="W34")
