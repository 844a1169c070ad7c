"""The keyboard-wedge decoder, fed real evdev.InputEvent streams as a USB reader sends them.

A key press arrives as EV_MSC MSC_SCAN, EV_KEY down, EV_SYN; its release as EV_MSC,
EV_KEY up, EV_SYN. Times are the events' own timestamps, in seconds.
"""

from __future__ import annotations

import pytest
from evdev import InputEvent, ecodes

from depotclock.wire.badge import badge_id_from_uid
from kiosk.readers.base import BadgeRead, CardUnreadable
from kiosk.readers.wedge import WedgeDecoder

DEADBEEF = bytes.fromhex("DEADBEEF")
DEADBEEF_BIG = "3735928559"  # 0xDEADBEEF
DEADBEEF_LITTLE = "4022250974"  # 0xEFBEADDE: the same UID, bytes printed the other way
KEY_PITCH = 0.008  # seconds from one key to the next, as a reader types

KEYS = {str(d): getattr(ecodes, f"KEY_{d}") for d in range(10)}
KEYS |= {c: getattr(ecodes, f"KEY_{c}") for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
KEYS |= {"\n": ecodes.KEY_ENTER, "-": ecodes.KEY_MINUS}


def event(t: float, type: int, code: int, value: int) -> InputEvent:
    sec = int(t)
    return InputEvent(sec, round((t - sec) * 1_000_000), type, code, value)


def press(t: float, code: int, hold: float = 0.002) -> list[InputEvent]:
    """One key pressed at `t` and released `hold` later, with its scan codes and syncs."""
    return [
        event(t, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + code),
        event(t, ecodes.EV_KEY, code, 1),
        event(t, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
        event(t + hold, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + code),
        event(t + hold, ecodes.EV_KEY, code, 0),
        event(t + hold, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
    ]


def typed(text: str, start: float = 1000.0, pitch: float = KEY_PITCH) -> list[InputEvent]:
    """The events of a reader typing `text` ("\\n" is Enter), one key every `pitch` s."""
    events = []
    for i, char in enumerate(text):
        events += press(start + i * pitch, KEYS[char])
    return events


def decode(decoder: WedgeDecoder, events: list[InputEvent]) -> list[BadgeRead]:
    """The reads `events` complete; CardUnreadable propagates."""
    return [read for e in events if (read := decoder.feed(e)) is not None]


def test_decimal_reader_keeps_the_printed_number_as_w_and_digits():
    reads = decode(WedgeDecoder("decimal"), typed("0012345678\n"))
    assert reads == [BadgeRead("W12345678", "wedge", raw="0012345678")]


def test_key_up_and_autorepeat_are_not_keys_typed():
    events = typed("0012345678")
    # a held 8 repeats; only its key-down counts
    events += [event(1000.1, ecodes.EV_KEY, ecodes.KEY_8, 2)] * 3
    events += [event(1000.1, ecodes.EV_KEY, ecodes.KEY_8, 0)]
    events += press(1000.11, ecodes.KEY_ENTER)
    assert [r.badge_id for r in decode(WedgeDecoder(), events)] == ["W12345678"]


def test_only_key_events_count_between_keys():
    events = []
    for e in typed("0012345678\n"):
        events += [e, event(e.timestamp(), ecodes.EV_MSC, ecodes.MSC_SCAN, 0x7001E)]
        events += [event(e.timestamp(), ecodes.EV_SYN, ecodes.SYN_REPORT, 0)]
    assert [r.badge_id for r in decode(WedgeDecoder(), events)] == ["W12345678"]


def test_keypad_digits_and_keypad_enter_type_the_same_number():
    codes = [getattr(ecodes, f"KEY_KP{d}") for d in "0012345678"] + [ecodes.KEY_KPENTER]
    events = [e for i, code in enumerate(codes) for e in press(1000 + i * KEY_PITCH, code)]
    assert decode(WedgeDecoder(), events) == [
        BadgeRead("W12345678", "wedge", raw="0012345678")
    ]


@pytest.mark.parametrize(
    ("byte_order", "printed"), [("big", DEADBEEF_BIG), ("little", DEADBEEF_LITTLE)]
)
def test_uid_decimal_gives_the_id_an_mfrc522_or_pcsc_reader_gives(byte_order, printed):
    decoder = WedgeDecoder("uid_decimal", byte_order=byte_order)
    reads = decode(decoder, typed(printed + "\n"))
    assert reads == [BadgeRead(badge_id_from_uid(DEADBEEF), "wedge", raw=printed)]
    assert reads[0].badge_id == "DEADBEEF"


def test_uid_decimal_keeps_leading_zeros_of_a_small_uid():
    reads = decode(WedgeDecoder("uid_decimal"), typed("0000000255\n"))
    assert reads[0].badge_id == "000000FF"


@pytest.mark.parametrize("printed", ["4294967296", "123456789", "00012345678"])
def test_uid_decimal_that_is_no_4_byte_uid_is_unreadable(printed):
    with pytest.raises(CardUnreadable, match=printed):
        decode(WedgeDecoder("uid_decimal"), typed(printed + "\n"))


def test_uid_hex_types_letters_a_to_f():
    reads = decode(WedgeDecoder("uid_hex"), typed("DEADBEEF\n"))
    assert reads == [BadgeRead("DEADBEEF", "wedge", raw="DEADBEEF")]


def test_uid_hex_letters_typed_with_shift_are_the_same_letters():
    events = []
    for i, char in enumerate("04A1B2C3D4E5F6\n"):
        t = 1000 + i * KEY_PITCH
        if char.isalpha():
            events += [event(t, ecodes.EV_KEY, ecodes.KEY_LEFTSHIFT, 1)]
        events += press(t, KEYS[char])
    assert decode(WedgeDecoder("uid_hex"), events)[0].badge_id == "04A1B2C3D4E5F6"


def test_uid_hex_of_no_uid_length_is_unreadable():
    with pytest.raises(CardUnreadable, match="DEADBE"):
        decode(WedgeDecoder("uid_hex"), typed("DEADBE\n"))


def test_hex_letters_are_garbage_to_a_decimal_reader():
    with pytest.raises(CardUnreadable, match="KEY_D"):
        decode(WedgeDecoder("decimal"), typed("DEADBEEF\n"))


def test_slow_typist_loses_the_partial_number_and_gives_no_read():
    decoder = WedgeDecoder(max_gap=0.2)
    assert decode(decoder, typed("0012345678\n", pitch=0.5)) == []


def test_read_broken_off_half_way_is_dropped_and_the_next_read_is_whole():
    decoder = WedgeDecoder(max_gap=0.2)
    events = typed("00123", start=1000) + typed("0087654321\n", start=1001)
    assert [r.badge_id for r in decode(decoder, events)] == ["W87654321"]


def test_pause_inside_a_read_leaves_too_few_digits():
    decoder = WedgeDecoder(max_gap=0.2)
    events = typed("00123", start=1000) + typed("45678\n", start=1000.5)
    with pytest.raises(CardUnreadable, match="'45678': 5 digits"):
        decode(decoder, events)


def test_enter_alone_is_unreadable():
    with pytest.raises(CardUnreadable, match="Enter with no number"):
        decode(WedgeDecoder(), typed("\n"))


def test_garbage_keys_are_unreadable_and_named():
    with pytest.raises(CardUnreadable, match="KEY_MINUS"):
        decode(WedgeDecoder(), typed("0012-345678\n"))


def test_decimal_number_too_short_is_unreadable():
    with pytest.raises(CardUnreadable, match="4 digits"):
        decode(WedgeDecoder(), typed("1234\n"))


def test_after_an_unreadable_card_the_next_read_is_clean():
    decoder = WedgeDecoder()
    with pytest.raises(CardUnreadable):
        decode(decoder, typed("0012-345678\n", start=1000))
    assert [r.badge_id for r in decode(decoder, typed("0012345678\n", start=1001))] == [
        "W12345678"
    ]


def test_two_reads_back_to_back():
    events = typed("0012345678\n0087654321\n")
    assert [r.badge_id for r in decode(WedgeDecoder(), events)] == ["W12345678", "W87654321"]


def test_feed_all_keeps_reads_and_unreadable_cards_in_order():
    events = typed("0012345678\n\n0087654321\n")
    outcomes = WedgeDecoder().feed_all(events)
    assert outcomes[0] == BadgeRead("W12345678", "wedge", raw="0012345678")
    assert isinstance(outcomes[1], CardUnreadable)
    assert outcomes[2] == BadgeRead("W87654321", "wedge", raw="0087654321")


def test_unknown_format_is_a_settings_error():
    with pytest.raises(ValueError, match="decimal, uid_decimal, uid_hex"):
        WedgeDecoder("octal")
