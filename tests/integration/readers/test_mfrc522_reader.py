"""The MFRC522 reader: the real `mfrc522` library against an emulated chip and card."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable
from kiosk.readers.mfrc522 import Mfrc522Reader
from tests.fakes.mfrc522_chip import HLTA, REQA, WUPA, CardState, FakePi, crc_a

DEADBEEF = bytes.fromhex("DEADBEEF")  # BCC DE^AD^BE^EF = 22
SEVEN_BYTE_UID = bytes.fromhex("04A1B2C3D4E5F6")  # double-size UID, as NXP cards have
TEN_BYTE_UID = bytes.fromhex("0102030405060708090A")


@pytest.fixture
def pi(monkeypatch):
    """A fake Pi in place of spidev, RPi and RPi.GPIO; `mfrc522` imports against it."""
    pi = FakePi()
    pi.install(monkeypatch)
    return pi


@pytest.fixture
def chip(pi):
    return pi.wire_mfrc522(bus=0, device=0)


@pytest.fixture
def reader(chip):
    with Mfrc522Reader() as reader:
        yield reader


def test_four_byte_uid_gives_eight_hex_digits_without_the_bcc(chip, reader):
    chip.present(DEADBEEF)
    assert reader.read(1) == BadgeRead("DEADBEEF", "mfrc522", raw="DEADBEEF22")


def test_seven_byte_uid_gives_the_same_id_as_on_pcsc(chip, reader):
    chip.present(SEVEN_BYTE_UID)
    badge = reader.read(1)
    assert badge.badge_id == "04A1B2C3D4E5F6"  # as in test_pcsc_reader
    assert badge.raw == "8804A1B29F C3D4E5F604"  # cascade tag 88 and each level's BCC


def test_ten_byte_uid_goes_through_three_cascade_levels(chip, reader):
    chip.present(TEN_BYTE_UID)
    assert reader.read(1).badge_id == "0102030405060708090A"


def test_card_left_in_place_is_read_once(chip, reader):
    card = chip.present(DEADBEEF)
    assert reader.read(1) is not None
    assert reader.read(0.2) is None
    assert card.state is CardState.HALT  # HLTA after the read; WUPA + HLTA while it stays
    assert (bytes([WUPA]), 7) in chip.frames


def test_card_taken_away_and_presented_again_is_read_again(chip, reader):
    chip.present(DEADBEEF)
    assert reader.read(1).badge_id == "DEADBEEF"
    chip.remove()
    assert reader.read(0.1) is None
    chip.present(DEADBEEF)
    assert reader.read(1).badge_id == "DEADBEEF"


def test_presentation_between_two_reads_is_not_lost(chip, reader):
    chip.present(DEADBEEF)
    assert reader.read(1) is not None
    chip.remove()
    chip.present(DEADBEEF)  # taken away and back while nobody was in `read`
    assert reader.read(0.1).badge_id == "DEADBEEF"


def test_no_card_gives_none_after_the_timeout(chip, reader):
    chip.frames.clear()
    assert reader.read(0.2) is None
    assert set(chip.frames) == {(bytes([REQA]), 7)}  # only REQA short frames went out


def test_card_already_on_the_reader_at_open_waits_for_a_new_presentation(chip):
    chip.present(DEADBEEF)
    with Mfrc522Reader() as reader:
        assert reader.read(0.2) is None
        chip.remove()
        chip.present(DEADBEEF)
        assert reader.read(1).badge_id == "DEADBEEF"


def test_bad_bcc_is_unreadable_and_reported_once(chip, reader):
    chip.present(DEADBEEF, bad_bcc=True)
    garbled = "DE AD BE EF DD is not 4 UID bytes and their BCC"  # BCC 22 sent as DD
    with pytest.raises(CardUnreadable, match=garbled):
        reader.read(1)
    assert reader.read(0.2) is None  # reported once, like a read
    chip.remove()
    assert reader.read(0.1) is None
    chip.present(DEADBEEF)
    assert reader.read(1).badge_id == "DEADBEEF"


def test_no_spi_device_names_it(pi, chip):
    with pytest.raises(ReaderUnavailable, match=r"no SPI device /dev/spidev1\.0"):
        Mfrc522Reader(bus=1).open()


def test_spi_device_without_permission_names_the_spi_group(pi, chip):
    pi.lock(0, 0)
    with pytest.raises(ReaderUnavailable, match=r"spidev0\.0: add .* to the spi group"):
        Mfrc522Reader().open()


def test_chip_not_answering_at_open_says_check_wiring(chip):
    chip.unplug()
    with pytest.raises(ReaderUnavailable, match="not answering on SPI 0.0: check wiring"):
        Mfrc522Reader().open()


def test_chip_gone_mid_use_raises_reader_unavailable_and_reopens_when_back(chip, reader):
    assert reader.read(0.1) is None
    chip.unplug()
    with pytest.raises(ReaderUnavailable, match="not answering on SPI 0.0"):
        reader.read(1)
    reader.close()
    with pytest.raises(ReaderUnavailable, match="check wiring"):
        reader.open()
    chip.plug_in()
    reader.open()
    chip.present(DEADBEEF)
    assert reader.read(1).badge_id == "DEADBEEF"


def test_chip_reset_by_a_power_dip_raises_reader_unavailable_and_reopens(chip, reader):
    chip.plug_in()  # back from power-on reset: answers, but its antenna is off
    with pytest.raises(ReaderUnavailable, match="reset itself"):
        reader.read(1)
    reader.close()
    reader.open()
    chip.present(DEADBEEF)
    assert reader.read(1).badge_id == "DEADBEEF"


def test_reader_drives_only_its_reset_pin_and_leaves_other_pins_alone(pi, chip):
    gpio = pi.gpio
    gpio.setmode(gpio.BCM)
    gpio.setup(17, gpio.OUT)  # the kiosk's LED, set up by gpiozero
    with Mfrc522Reader(reset_pin=25):
        assert gpio.levels[25] == 1  # RST high: the chip out of hard power-down
    assert gpio.directions == {17: gpio.OUT}  # not the library's GPIO.cleanup() of all
    assert gpio.mode == gpio.BCM


def test_gpio_in_board_numbering_is_refused(pi, chip):
    pi.gpio.setmode(pi.gpio.BOARD)
    with pytest.raises(ReaderUnavailable, match="BOARD pin numbering"):
        Mfrc522Reader().open()


def test_missing_spidev_is_reported(pi, chip, monkeypatch):
    monkeypatch.setitem(sys.modules, "spidev", None)
    with pytest.raises(ReaderUnavailable, match=r"spidev is not installed: pip install"):
        Mfrc522Reader().open()


def test_module_imports_and_reports_off_a_raspberry_pi():
    script = (
        "from kiosk.readers.mfrc522 import Mfrc522Reader\n"
        "from kiosk.readers.base import ReaderUnavailable\n"
        "try:\n    Mfrc522Reader().open()\n"
        "except ReaderUnavailable as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "RPi.GPIO cannot run here: This module can only be run on a Raspberry Pi" in (
        result.stdout
    )


# The emulator, checked against the library's own high-level code and ISO 14443-3


def test_emulator_gives_the_library_its_number_with_the_bcc_folded_in(chip):
    from mfrc522 import SimpleMFRC522

    simple = SimpleMFRC522()
    assert simple.read_id_no_block() is None
    chip.present(DEADBEEF)
    assert simple.read_id_no_block() == 0xDEADBEEF22  # uid_to_num keeps the BCC


def test_emulator_gives_the_library_only_cascade_level_1_of_a_seven_byte_uid(chip):
    from mfrc522 import SimpleMFRC522

    chip.present(SEVEN_BYTE_UID)
    assert SimpleMFRC522().read_id_no_block() == 0x8804A1B29F  # cascade tag, 3 bytes, BCC


def test_emulator_crc_a_gives_the_hlta_frame_of_iso_14443_3():
    assert crc_a([HLTA, 0x00]) == bytes.fromhex("57CD")
