"""How a receipt names journal entries: consecutive seqs as one range, with a digest of
their ids. The hub makes the ranges; a device checks a range's digest against its own
journal before it counts those entries as confirmed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

Range = tuple[int, int, str]  # first seq, last seq, digest of the ids


def range_digest(ids: list[bytes]) -> str:
    """BLAKE2b (8 bytes, hex) of the 16-byte ids in seq order."""
    return hashlib.blake2b(b"".join(ids), digest_size=8).hexdigest()


def seq_ranges(entries: Iterable[tuple[int, bytes]]) -> list[Range]:
    """(seq, id) pairs, in any order and possibly repeated, as ranges of consecutive seqs.
    Two ids under one seq (two journals of one device) stay in one range, whose digest then
    matches no journal: the device sends them again rather than confirm anything by mistake."""
    ranges: list[Range] = []
    first = last = -2
    ids: list[bytes] = []
    for seq, entry_id in sorted(entries):  # mostly in order already: cheap to sort
        if seq == last and entry_id == ids[-1]:
            continue  # the same entry twice in the batch
        if seq > last + 1:
            if ids:
                ranges.append((first, last, range_digest(ids)))
            first, ids = seq, []
        ids.append(entry_id)
        last = seq
    if ids:
        ranges.append((first, last, range_digest(ids)))
    return ranges
