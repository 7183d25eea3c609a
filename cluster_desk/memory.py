"""Hands the C heap's free pages back to the system (glibc's ``malloc_trim``), Qt-free.

A read of a million members' arrays, or a big open's payloads, frees hundreds of MB in pieces
glibc keeps in its heap below the mmap threshold; they count in the process's RSS until trimmed
(issue 17: a million members under 1 GB). The assessment engine (no Qt) and the map's
``HeapTrimmer`` (a Qt timer) both trim through here. Where the C library has no
``malloc_trim`` (Windows, macOS, musl) nothing happens.

``map_big_blocks()`` has glibc give every block of ``BIG_BLOCK`` bytes or more its own mapping,
for good: glibc otherwise raises its mmap threshold each time such a block is freed (up to 32
MB), so a million members' arrays (1-24 MB each) then come from the heap, and what the rules free
between two of them stays in the RSS until a trim (issue 17: the peak while the rules run). The
session turns it on when it opens a big project (small ones keep reusing their heap: no page
faults).

``keep_freed_blocks()`` does the opposite, for a short command (``check``, ``plan``): big blocks
from the heap, nothing handed back, so each array reuses what the last one freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def _glibc(name: str) -> Any:
    """glibc's function ``name`` (a ctypes function); None elsewhere (Windows, macOS, musl, or
    no libc by that name)."""
    if not sys.platform.startswith("linux"):
        return None
    # glibc's soname first: ctypes.util.find_library runs ldconfig in a child process (~10 ms,
    # paid by whichever caller asks first); it is only the way to musl or an unusual libc.
    for find in (lambda: "libc.so.6", lambda: ctypes.util.find_library("c")):
        lib = find()  # (called in turn: the second only if the first fails)
        try:
            return getattr(ctypes.CDLL(lib), name) if lib else None
        except (OSError, AttributeError):
            continue
    return None


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim  # type: ignore[no-any-return]


#: Blocks of this many bytes or more get a mapping of their own once ``map_big_blocks`` ran: the
#: rules' arrays of three million links (12-24 MB) and a million members' pairs of columns. Each
#: mapped block's pages are faulted in afresh (a VM's page faults are dear): the rules at 1M,
#: offline, 3 runs, RSS peak / page faults / CPU: glibc's own 588 MB / 161k / 1.9-2.2 s; 8 MiB
#: 568 / 218k / 1.7-1.9 s; 4 MiB 553 / 364k / 2.4-2.7 s; 1 MiB 549 / 487k / 2.2-2.5 s.
BIG_BLOCK = 8 * 2**20
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


@cache
def map_big_blocks() -> bool:
    """Blocks of BIG_BLOCK bytes or more mapped on their own from now on, for the whole process
    (glibc's fixed ``M_MMAP_THRESHOLD``: freed, they leave the RSS at once). True if the C
    library took it; once per process."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, BIG_BLOCK))


#: ``keep_freed_blocks``' settings: blocks up to glibc's largest mmap threshold (32 MiB on 64-bit)
#: come from the heap, what is freed there stays for the next block (no trim), and the heap
#: grows 64 MiB at a time (its untouched pages are not in the RSS).
KEEP_BLOCKS_UP_TO = 32 * 2**20
_KEEP_TRIM = 2**31 - 1
_TOP_PAD = 64 * 2**20
_M_TRIM_THRESHOLD, _M_TOP_PAD = -1, -2  # glibc's mallopt parameters


@cache
def keep_freed_blocks() -> bool:
    """Blocks up to KEEP_BLOCKS_UP_TO served from the heap and what is freed kept there, for the
    whole process (glibc's fixed ``M_MMAP_THRESHOLD``, ``M_TRIM_THRESHOLD``, ``M_TOP_PAD``);
    True if the C library took them; once per process. For a short command only (``check``,
    ``plan``): its arrays of one to 24 MB, each a fresh mapping faulted in and zeroed page by
    page (a VM's page faults are dear), then reuse what the last one freed; the RSS stays at
    its peak until the process ends (issue 17: a million members' ``check``, ~0.2-0.3 s less
    system CPU, ~40-60 MB more at the peak). Not the window's: it keeps its RSS down
    (``map_big_blocks``, ``trim_heap``). Not the trim threshold alone: setting it fixes the
    mmap threshold at 128 KiB (more mappings, not fewer)."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    if not mallopt(_M_MMAP_THRESHOLD, KEEP_BLOCKS_UP_TO):
        return False  # (a C library whose largest threshold is lower: left as it is)
    mallopt(_M_TRIM_THRESHOLD, _KEEP_TRIM)
    mallopt(_M_TOP_PAD, _TOP_PAD)
    return True


def can_trim() -> bool:
    return _malloc_trim() is not None


def trim_heap() -> bool:
    """Hand the heap's free pages back (on this thread; ctypes lets go of the GIL meanwhile).
    True if the C library could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
