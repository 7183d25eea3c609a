"""bench_io's rows of alternating pairs (``median_pair_rows``): each row is the pair whose ratio is
the median, its two figures taken from that one pair (wall and CPU may come from different pairs)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_io import median_pair_rows


def test_each_row_is_the_pair_with_the_median_ratio() -> None:
    measured = [
        ((6.0, 5.0), (2.0, 2.5)),  # wall 3.0x, CPU 2.0x
        ((5.0, 6.0), (2.5, 2.0)),  # wall 2.0x, CPU 3.0x
        ((8.0, 5.0), (2.0, 2.0)),  # wall 4.0x, CPU 2.5x: the CPU median
    ]
    wall, cpu = median_pair_rows("io: links csv import", 300_000, measured, "floor")
    assert (wall["work"], wall["ours"], wall["peer_value"]) == ("io: links csv import", 6.0, 2.0)
    assert (cpu["work"], cpu["ours"], cpu["peer_value"]) == ("io: links csv import (CPU)", 5.0, 2.0)
    assert wall["size"] == cpu["size"] == 300_000 and wall["peer"] == cpu["peer"] == "floor"

