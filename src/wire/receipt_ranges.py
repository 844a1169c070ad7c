"""How a receipt names journal entries: consecutive seqs as one range, with a digest of
their ids. The hub makes the ranges; a device checks a range's digest against its own
journal before it counts those entries as confirmed."""

from __future__ import annotations

import hashlib

Range = tuple[int, int, str]  # first seq, last seq, digest of the ids


def range_digest(ids: list[bytes]) -> str:
    """BLAKE2b (8 bytes, hex) of the 16-byte ids in seq order."""
    return hashlib.blake2b(b"".join(ids), digest_size=8).hexdigest()


def seq_ranges(entries: set[tuple[int, bytes]]) -> list[Range]:
    """(seq, id) pairs as ranges of consecutive seqs. Two ids under one seq (two journals of
    one device) stay in one range, whose digest then matches no journal: the device sends
    them again rather than confirm anything by mistake."""
    ranges: list[Range] = []
    ordered = sorted(entries)
    start = 0
    for n in range(1, len(ordered) + 1):
        if n == len(ordered) or ordered[n][0] > ordered[n - 1][0] + 1:
            chunk = ordered[start:n]
            ranges.append((chunk[0][0], chunk[-1][0], range_digest([i for _, i in chunk])))
            start = n
    return ranges
