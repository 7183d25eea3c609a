"""ui/map/heap.py: the C heap's free pages handed back once a big project's worker goes quiet
(issue 17: ~70 MB of a million members' RSS were free pages glibc kept)."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest

from cluster_desk.memory import can_trim, trim_heap
from cluster_desk.ui.map import heap


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_a_trim_gives_freed_pages_back() -> None:
    """Pages freed below glibc's mmap threshold stay in the process until trimmed."""
    import ctypes

    def rss_kb() -> int:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    assert can_trim()
    trim_heap()
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks, kept = [], []
    for _ in range(6400):  # 100 MB of 16 KB heap blocks, each followed by a small one kept:
        blocks.append(libc.malloc(16 * 1024))  # freed, they are holes glibc keeps
        ctypes.memset(blocks[-1], 1, 16 * 1024)
        kept.append(libc.malloc(64))
    for p in blocks:
        libc.free(p)
    before = rss_kb()
    assert trim_heap()
    assert before - rss_kb() > 50_000, (before, rss_kb())
    for p in kept:
        libc.free(p)


def test_asks_in_a_row_make_one_trim_on_a_thread(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(heap, "can_trim", lambda: True)
    monkeypatch.setattr(heap, "trim_heap", lambda: calls.append(threading.current_thread().name))
    trimmer = heap.HeapTrimmer()
    for _ in range(5):
        trimmer.soon()
    qtbot.waitUntil(lambda: trimmer.trims == 1)
    trimmer.wait()
    assert calls == ["heap-trim"]
    trimmer.soon()
    qtbot.waitUntil(lambda: trimmer.trims == 2)
    trimmer.wait()
    assert calls == ["heap-trim", "heap-trim"]


def test_nothing_is_asked_where_there_is_no_malloc_trim(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "can_trim", lambda: False)
    trimmer = heap.HeapTrimmer()
    trimmer.soon()
    assert not trimmer._timer.isActive() and trimmer.trims == 0
