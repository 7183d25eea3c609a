"""Every operation at each size of the run, timed in CPU seconds, for the growth table of
bench/RESULTS.md (``make bench``; ``BENCH_ARGS=--huge`` adds 1,000,000). The works and the
runner are bench/growth.py; ``python bench/growth.py --huge`` writes bench/GROWTH.md alone."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import growth


def results(sizes: list[int]) -> list[dict]:
    """One child process per size (growth.run_child), every work of growth.operations."""
    return growth.results(sizes)


if __name__ == "__main__":
    raise SystemExit(growth.main())
