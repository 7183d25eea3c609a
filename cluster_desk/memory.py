"""Hands the C heap's free pages back to the system (glibc's ``malloc_trim``), Qt-free.

A read of a million members' arrays, or a big open's payloads, frees hundreds of MB in pieces
glibc keeps in its heap below the mmap threshold; they count in the process's RSS until trimmed
(issue 17: a million members under 1 GB). The assessment engine (no Qt) and the map's
``HeapTrimmer`` (a Qt timer) both trim through here. Where the C library has no
``malloc_trim`` (Windows, macOS, musl) nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl, or no libc by that name
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


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
