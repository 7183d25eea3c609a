"""The cycle collector paused around bulk work whose objects hold no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block (as it was after it).

    Members, links, rows and features hold only strings, numbers and enums, so they can never be
    part of a cycle; yet every 700 allocations count towards a collection, and its full passes
    scan every object of the process (a window's 100,000 members too) holding the GIL: ~0.4 s
    of reading 100k members and 300k links, 5-10 % of a big import, 2-4 s pauses of the window
    during an export. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
