"""Receipt ranges: consecutive seqs in one range, a repeat counted once, and two ids under
one seq in a range whose digest no journal can match."""

from __future__ import annotations

import uuid

from depotclock.wire.receipt_ranges import range_digest, seq_ranges

IDS = {seq: uuid.uuid4().bytes for seq in range(1, 10)}


def test_consecutive_seqs_form_one_range_and_a_gap_starts_another():
    entries = [(seq, IDS[seq]) for seq in (5, 1, 2, 3, 7, 8)]  # in any order
    assert seq_ranges(entries) == [
        (1, 3, range_digest([IDS[1], IDS[2], IDS[3]])),
        (5, 5, range_digest([IDS[5]])),
        (7, 8, range_digest([IDS[7], IDS[8]])),
    ]


def test_an_entry_received_twice_in_a_batch_counts_once():
    entries = [(1, IDS[1]), (2, IDS[2]), (1, IDS[1]), (2, IDS[2])]
    assert seq_ranges(entries) == seq_ranges([(1, IDS[1]), (2, IDS[2])])


def test_two_ids_under_one_seq_give_a_range_no_journal_matches():
    other = uuid.uuid4().bytes
    ((first, last, digest),) = seq_ranges([(1, IDS[1]), (2, IDS[2]), (2, other)])
    assert (first, last) == (1, 2)
    assert digest not in {range_digest([IDS[1], IDS[2]]), range_digest([IDS[1], other])}


def test_nothing_kept_is_no_range():
    assert seq_ranges([]) == []
