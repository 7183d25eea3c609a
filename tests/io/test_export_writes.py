"""Exports write their file a megabyte at a time (``atomic.WRITE_BUFFER``).

Each write() lets go of the GIL; with 8 KB writes a worker thread's export kept the GUI thread
waiting for it for up to 600 ms at a time (issue 17). Counted with the kernel's own tally of the
process's write calls (Linux ``/proc/self/io``), on real files.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cluster_desk.atomic import WRITE_BUFFER
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Member
from cluster_desk.io import export_roster
from cluster_desk.io.links import export_links_csv

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/io is Linux's")


def _write_calls() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("syscw:"):
            return int(line.split()[1])
    raise AssertionError("no syscw in /proc/self/io")


def _many_members(n: int) -> list[Member]:
    base = demo_cluster()[0]
    return [replace(base[i % len(base)], id=f"m{i:06d}", name=f"{base[i % len(base)].name} {i}")
            for i in range(n)]


def _writes_for(write) -> tuple[int, int]:
    before = _write_calls()
    path = write()
    return _write_calls() - before, path.stat().st_size


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".kml"])
def test_a_big_roster_export_writes_a_megabyte_at_a_time(tmp_path, suffix):
    members = _many_members(12_000)

    def write() -> Path:
        out = tmp_path / f"roster{suffix}"
        export_roster(members, None, out)
        return out

    calls, size = _writes_for(write)
    assert size > 4 * WRITE_BUFFER if suffix != ".xlsx" else size > WRITE_BUFFER
    # 8 KB writes would be hundreds; a megabyte each, a handful (a workbook's zip writes each part's
    # header again when the part is complete: two more writes a part)
    assert calls <= size // WRITE_BUFFER + 20, (calls, size)


def test_the_links_table_export_writes_a_megabyte_at_a_time(tmp_path):
    members, demo_links, _ = demo_cluster()
    links = [replace(demo_links[i % len(demo_links)], id=f"l{i:06d}") for i in range(30_000)]

    def write() -> Path:
        out = tmp_path / "links.csv"
        export_links_csv(members, links, out)
        return out

    calls, size = _writes_for(write)
    assert size > 2 * WRITE_BUFFER
    assert calls <= size // WRITE_BUFFER + 4, (calls, size)
