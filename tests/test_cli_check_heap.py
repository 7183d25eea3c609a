"""``cluster-desk check`` keeps what it frees in its heap (``memory.keep_freed_blocks``, issue 17:
a million members' arrays of 1-24 MB each were fresh mappings, faulted in and zeroed page by page,
~0.2-0.3 s of system CPU). Each run is a fresh interpreter: glibc's settings are the process's."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest
from glibc_heap import MALLINFO2

from cluster_desk import cli, memory

ROOT = Path(__file__).resolve().parents[1]


def _glibc_mallinfo2() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        ctypes.CDLL("libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        return False
    return True


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("heap") / "demo.cdesk"
    assert cli.main(["demo", str(path), "--seed", "1"]) == 0
    return path


def _run(code: str, path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``code`` (with ``PATH`` the project) in a fresh interpreter."""
    env = {**os.environ, "CLUSTER_DESK_CACHE": str(tmp_path / "cache"), "LANG": "en_GB.UTF-8",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", f"PATH = {str(path)!r}\n{code}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# After the command: three blocks of 30 MB (above any threshold the demo's frees could have raised
# glibc's own to) come from the heap, not mappings of their own, and freeing them hands nothing
# back (90 MB free at the heap's top: more than its pad, which glibc keeps anyway).
_HEAP_AFTER = MALLINFO2 + """
import sys
from cluster_desk import cli

libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
assert cli.main([{command!r}, PATH]) == 0
mapped = libc.mallinfo2().hblkhd
blocks = [libc.malloc(30 * 2**20) for _ in range(3)]
for block in blocks:
    ctypes.memset(block, 1, 30 * 2**20)  # (touched: in the process's pages now)
own_mappings = libc.mallinfo2().hblkhd - mapped >= 30 * 2**20
heap = libc.mallinfo2().arena
for block in reversed(blocks):
    libc.free(block)
print("mapped:", own_mappings, "handed back:", libc.mallinfo2().arena < heap, file=sys.stderr)
"""


@pytest.mark.skipif(not _glibc_mallinfo2(), reason="glibc's mallopt and mallinfo2")
@pytest.mark.parametrize("command", ["check", "plan"])
def test_check_and_plan_keep_freed_blocks_in_the_heap(demo: Path, tmp_path: Path, command: str) -> None:
    lines = [line for line in _run(_HEAP_AFTER.format(command=command), demo, tmp_path).stderr.splitlines()
             if line.startswith("mapped:")]
    assert lines == ["mapped: False handed back: False"]


@pytest.mark.skipif(not _glibc_mallinfo2(), reason="glibc's mallopt and mallinfo2")
def test_other_commands_leave_glibc_as_it_is(demo: Path, tmp_path: Path) -> None:
    """The setting is the short commands' alone (``demo`` here; the window keeps its RSS down)."""
    code = _HEAP_AFTER.replace("cli.main([{command!r}, PATH])",
                               f"cli.main(['demo', {str(tmp_path / 'new.cdesk')!r}])")
    lines = [line for line in _run(code, demo, tmp_path).stderr.splitlines() if line.startswith("mapped:")]
    assert lines == ["mapped: True handed back: False"]


_NO_GLIBC = """
import sys
from cluster_desk import cli, memory
memory._glibc = lambda name: None  # (a C library with no mallopt: Windows, macOS, musl)
assert cli.main(["check", PATH]) == 0
print("kept:", memory.keep_freed_blocks(), file=sys.stderr)
"""


def test_check_without_mallopt_says_the_same(demo: Path, tmp_path: Path) -> None:
    """Where the C library has no mallopt the command runs as before, and says the same."""
    plain = _run("from cluster_desk import cli\nassert cli.main(['check', PATH]) == 0", demo, tmp_path)
    without = _run(_NO_GLIBC, demo, tmp_path)
    assert "kept: False" in without.stderr.splitlines()
    assert without.stdout == plain.stdout and "Critical mass" in plain.stdout


def test_a_lower_largest_threshold_leaves_the_trim_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """A C library that refuses a 32 MB mmap threshold (glibc on 32 bits: 1 MB at most) is left
    as it is: the trim threshold set alone would fix the mmap threshold at 128 KiB instead."""
    calls: list[tuple[int, int]] = []

    def mallopt(param: int, value: int) -> int:
        calls.append((param, value))
        return 0  # (refused)

    monkeypatch.setattr(memory, "_glibc", lambda name: mallopt if name == "mallopt" else None)
    memory.keep_freed_blocks.cache_clear()
    try:
        assert memory.keep_freed_blocks() is False
    finally:
        memory.keep_freed_blocks.cache_clear()
    assert calls == [(-3, memory.KEEP_BLOCKS_UP_TO)]
