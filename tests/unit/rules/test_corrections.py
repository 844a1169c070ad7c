"""Corrections on top of raw events: raw events never change; the effective ones do, and
each changed figure points at the correction behind it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from depotclock.wire.messages import PunchAction
from hub.rules.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    check_correction,
)
from hub.rules.corrections import (
    CorrectionKind as K,
)
from hub.rules.events import DriveLeg, Place, Punch, WorkOrderCheck

CHICAGO = ZoneInfo("America/Chicago")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=CHICAGO)


IN = Punch("p1", "T-1", PunchAction.CLOCK_IN, at(7))
OUT = Punch("p2", "T-1", PunchAction.CLOCK_OUT, at(16))
LEG = DriveLeg("leg-1", "T-1", at(7, 15), at(7, 45), 12.0, Place.DEPOT, Place.SITE)


def by_id(events):
    return {e.id: e for e in events}


def test_a_forgotten_clock_out_is_added():
    result = apply_corrections([IN], [Correction("c1", "T-1", K.ADD_PUNCH, action=PunchAction.CLOCK_OUT, at=at(16))])
    assert by_id(result.events)["c1"] == Punch("c1", "T-1", PunchAction.CLOCK_OUT, at(16))
    assert result.marks == {"c1": "c1"}


def test_a_moved_punch_replaces_the_original_which_stays_untouched():
    result = apply_corrections([IN, OUT], [Correction("c1", "T-1", K.MOVE_PUNCH, replaces="p2", at=at(17))])
    assert set(by_id(result.events)) == {"p1", "c1"}
    assert by_id(result.events)["c1"].at == at(17) and OUT.at == at(16)


def test_a_move_of_a_moved_punch_names_the_correction():
    result = apply_corrections([IN, OUT], [
        Correction("c1", "T-1", K.MOVE_PUNCH, replaces="p2", at=at(17)),
        Correction("c2", "T-1", K.MOVE_PUNCH, replaces="c1", at=at(17, 30)),
    ])
    assert by_id(result.events)["c2"].at == at(17, 30) and "c1" not in by_id(result.events)


def test_a_voided_punch_is_gone_and_voiding_the_void_brings_it_back():
    void = Correction("c1", "T-1", K.VOID_PUNCH, replaces="p2")
    assert set(by_id(apply_corrections([IN, OUT], [void]).events)) == {"p1"}
    undo = Correction("c2", "T-1", K.VOID_CORRECTION, replaces="c1")
    assert set(by_id(apply_corrections([IN, OUT], [void, undo]).events)) == {"p1", "p2"}


def test_a_drive_leg_is_attached_to_a_work_order():
    result = apply_corrections([LEG], [Correction("c1", "T-1", K.ATTACH_LEG, replaces="leg-1", work_order="WO-7")])
    assert by_id(result.events)["c1"].work_order == "WO-7"


def test_a_gap_accounted_for_is_a_manual_visit():
    result = apply_corrections([], [Correction("c1", "T-1", K.ADD_VISIT, at=at(13), end=at(14), work_order="shop")])
    assert by_id(result.events) == {
        "c1-in": WorkOrderCheck("c1-in", "T-1", "shop", at(13), True),
        "c1-out": WorkOrderCheck("c1-out", "T-1", "shop", at(14), False),
    }


def test_a_correction_of_an_event_not_there_is_skipped():
    result = apply_corrections([IN], [Correction("c1", "T-1", K.VOID_PUNCH, replaces="p9")])
    assert result.events == [IN] and result.marks == {}


def test_attaching_a_work_order_to_a_punch_is_refused_and_changes_nothing():
    result = apply_corrections([IN], [Correction("c1", "T-1", K.ATTACH_LEG, replaces="p1", work_order="WO-7")])
    assert result.events == [IN]


@pytest.mark.parametrize("correction, missing", [
    (Correction("c1", "T-1", K.ADD_PUNCH, at=at(7)), "action"),
    (Correction("c1", "T-1", K.MOVE_PUNCH, at=at(7)), "replaces"),
    (Correction("c1", "T-1", K.ATTACH_LEG, replaces="leg-1"), "work_order"),
    (Correction("c1", "T-1", K.ADD_VISIT, at=at(7), work_order="shop"), "end"),
])
def test_an_incomplete_correction_names_what_it_lacks(correction, missing):
    with pytest.raises(CorrectionError, match=missing):
        check_correction(correction)


def test_a_manual_entry_must_end_after_it_starts():
    with pytest.raises(CorrectionError, match="end after"):
        check_correction(Correction("c1", "T-1", K.ADD_VISIT, at=at(9), end=at(8), work_order="shop"))
