"""Casefolding and joining many texts a part at a time (the roster's warm-up threads, issue 17).

``str.casefold`` of one string holds the GIL for the whole call and allocates a buffer of 12
bytes a character first (up to three UCS-4 characters each): at a million rows the haystack's one
call held the GIL ~0.46 s (the GUI thread froze meanwhile) and its buffer was most of the 574 MB
peak. Here each call covers ``PART_ROWS`` rows (~3-5 ms); between parts a worker thread lets the
GIL go, so the GUI thread waits at most about one part. Casefolding maps each character alone
and never makes or drops a NUL, so folding a part joined by NUL and splitting it again is the
same as folding each text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

#: Rows casefolded per call (a million haystack rows of ~36 characters: ~3-5 ms a part).
PART_ROWS = 8192


def let_others_run() -> None:
    """Between two parts of a worker's work: the GIL goes to a thread waiting for it (the GUI
    thread). Nothing on the main thread (its own work must not wait for the workers')."""
    if threading.current_thread() is not threading.main_thread():
        time.sleep(0)


def casefolded(texts: list[str]) -> list[str]:
    """Every text casefolded, ``PART_ROWS`` in one call."""
    return casefolded_parts(texts[lo:lo + PART_ROWS] for lo in range(0, len(texts), PART_ROWS))


def casefolded_parts(parts: Iterable[list[str]]) -> list[str]:
    """The texts of ``parts`` (lists of str, in order) casefolded into one list."""
    out: list[str] = []
    for part in parts:
        joined = "\x00".join(part)
        if joined.isascii() and joined.lower() == joined:
            # ASCII casefolds as it lowers (isascii: O(1) in CPython; ASCII lower: a table, no
            # 3-4x buffer): unchanged (INNs, OGRNs), the texts are kept as they are, not split
            # again (~12 ms of 100,000 INNs).
            out += part
        else:
            folded = joined.casefold().split("\x00")
            out += folded if len(folded) == len(part) else map(str.casefold, part)  # (a NUL in a text)
        let_others_run()
    return out
