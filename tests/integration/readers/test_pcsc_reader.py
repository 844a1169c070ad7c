"""The PC/SC reader against a real pcscd, its vpcd virtual reader and a virtual card."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable
from kiosk.readers.pcsc import PcscReader
from tests.fakes.pcscd import READER_NAME
from tests.fakes.virtual_card import SW_FUNCTION_NOT_SUPPORTED

DEADBEEF = bytes.fromhex("DEADBEEF")
SEVEN_BYTE_UID = bytes.fromhex("04A1B2C3D4E5F6")  # double-size UID, as NXP cards have
PRESENCE_POLL = 0.6  # pcscd asks vpcd every 400 ms whether a card is there


@pytest.fixture
def reader(pcscd):
    with PcscReader() as reader:
        yield reader


def test_four_byte_uid_gives_eight_hex_digits(pcscd, reader):
    pcscd.card(DEADBEEF).insert()
    assert reader.read(3) == BadgeRead("DEADBEEF", "pcsc", raw="DEADBEEF9000")
    assert reader.reader_name == READER_NAME


def test_seven_byte_uid_gives_fourteen_hex_digits(pcscd, reader):
    pcscd.card(SEVEN_BYTE_UID).insert()
    assert reader.read(3).badge_id == "04A1B2C3D4E5F6"


def test_card_left_in_place_is_read_once(pcscd, reader):
    card = pcscd.card(DEADBEEF).insert()
    assert reader.read(3) is not None
    assert reader.read(1.0) is None
    assert card.apdus == [bytes.fromhex("FFCA000000")]


def test_card_taken_away_and_presented_again_is_read_again(pcscd, reader):
    card = pcscd.card(DEADBEEF).insert()
    assert reader.read(3).badge_id == "DEADBEEF"
    card.remove()
    card.insert()
    assert reader.read(3).badge_id == "DEADBEEF"


def test_presentation_between_two_reads_is_not_lost(pcscd, reader):
    card = pcscd.card(DEADBEEF).insert()
    assert reader.read(3) is not None
    card.remove()
    time.sleep(PRESENCE_POLL)
    card.insert()
    time.sleep(PRESENCE_POLL)  # taken away and back while nobody was in `read`
    assert reader.read(0.2).badge_id == "DEADBEEF"


def test_no_card_gives_none_after_the_timeout(reader):
    started = time.monotonic()
    assert reader.read(0.5) is None
    assert 0.45 <= time.monotonic() - started < 1.0


def test_card_already_on_the_reader_at_open_waits_for_a_new_presentation(pcscd):
    card = pcscd.card(DEADBEEF).insert()
    time.sleep(PRESENCE_POLL)
    with PcscReader() as reader:
        assert reader.read(0.5) is None
        card.remove()
        card.insert()
        assert reader.read(3).badge_id == "DEADBEEF"


def test_reader_unplugged_during_read_raises_reader_unavailable(pcscd, reader):
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(reader.read, 10)
        time.sleep(0.2)
        pcscd.stop()
        with pytest.raises(ReaderUnavailable, match=READER_NAME):
            waiting.result(timeout=3)
    with pytest.raises(ReaderUnavailable):
        reader.read(1)


def test_reader_plugged_back_opens_again_and_reads(pcscd, reader):
    pcscd.stop()
    with pytest.raises(ReaderUnavailable):
        reader.read(1)
    reader.close()
    with pytest.raises(ReaderUnavailable, match="pcscd"):
        reader.open()
    pcscd.start()
    reader.open()
    pcscd.card(DEADBEEF).insert()
    assert reader.read(3).badge_id == "DEADBEEF"


def test_card_refusing_get_uid_is_reported_with_its_status(pcscd, reader):
    pcscd.card(DEADBEEF, get_uid_status=SW_FUNCTION_NOT_SUPPORTED).insert()
    with pytest.raises(CardUnreadable, match=r"FF CA 00 00 00\): status 6A 81"):
        reader.read(3)
    assert reader.read(0.5) is None  # reported once, like a read


def test_name_filter_picks_the_matching_reader(pcscd):
    with PcscReader("PCD 00 01") as reader:
        assert reader.reader_name == "Virtual PCD 00 01"
        pcscd.card(SEVEN_BYTE_UID, slot=1).insert()
        assert reader.read(3).badge_id == "04A1B2C3D4E5F6"


def test_name_filter_matching_no_reader_says_which_readers_there_are(pcscd):
    with pytest.raises(ReaderUnavailable, match=r"named \*ACR122\*.*Virtual PCD 00 00"):
        PcscReader("ACR122").open()


def test_module_imports_and_reports_without_pyscard():
    script = (
        "import sys; sys.modules['smartcard'] = None\n"
        "from kiosk.readers.pcsc import PcscReader\n"
        "from kiosk.readers.base import ReaderUnavailable\n"
        "try:\n    PcscReader().open()\n"
        "except ReaderUnavailable as exc:\n    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "pyscard is not installed" in result.stdout
