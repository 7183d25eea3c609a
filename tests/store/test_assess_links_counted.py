"""The first assessment's read after an open (store.assess_columns.arrays_after_open) takes what
the open's scan of the links counted of their volume, start and end (store.column_read's
links_with_values: one count of the links holding any): a file where no link holds one is not
scanned again (issue 17: ~0.3 s at three million links), and the arrays are still exactly a
full read's. Observed through the bytes the process reads (/proc/self/io: the read's own
connection goes through pread, never a map)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_COLUMNS, MEMBER_COLUMNS
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store import column_read
from cluster_desk.store.assess_columns import read_arrays, read_for_assessment
from cluster_desk.store.project import Project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/io")

#: Each link's notes: the links' table is then most of the file (~4 links a page).
NOTES = "n" * 900


def _bytes_read() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def _stored(path: Path, *, volume: float | None = None, start: str | None = None) -> int:
    """150 members, 1,500 links with long notes and none of volume, start, end but for the
    last link (``volume``, ``start``); returns the bytes of the links' notes."""
    members = [Member(f"Firm {i}", MemberKind.FIRM, Status.MEMBER, id=f"m{i}", lat=55 + i / 1000,
                      lon=49 + i / 1000) for i in range(150)]
    links = [Link(f"m{j % 150}", f"m{(j * 7 + 1) % 150}", LinkKind.SUPPLY, id=f"l{j}", notes=NOTES)
             for j in range(1_500)]  # (6j + 1 is odd: never a multiple of 150, no link to itself)
    links[-1] = dataclasses.replace(links[-1], volume=volume, start=start)
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return len(links) * len(NOTES)


def _opened(path: Path) -> SharedTexts:
    with Project.open(path) as p:
        read = p.open_columns()
    return SharedTexts(read.key, read.members, read.links.ids,
                       (read.links.source_index, read.links.target_index), read.links.kind_codes)


def _equal(got: Arrays, want: Arrays) -> None:
    for name in (*MEMBER_COLUMNS, *LINK_COLUMNS):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert got.dated == want.dated


def test_links_with_no_value_are_not_scanned_again(tmp_path: Path) -> None:
    path = tmp_path / "plain.cdesk"
    notes = _stored(path)
    texts = _opened(path)
    before = _bytes_read()
    got, _keep = read_for_assessment(path, texts)
    read = _bytes_read() - before
    assert read < notes / 4  # (the members' rest and the file's key: not the links' pages)
    assert column_read.links_with_values(texts.key) == 0
    _equal(got, read_arrays(path))
    assert len(got.links) == 1_500 and not got.dated


@pytest.mark.parametrize("value", ["volume", "start"])
def test_a_link_with_a_value_is_read(tmp_path: Path, value: str) -> None:
    path = tmp_path / f"{value}.cdesk"
    notes = _stored(path, **({"volume": 1e5} if value == "volume" else {"start": "2020-01-01"}))
    texts = _opened(path)
    assert column_read.links_with_values(texts.key) == 1
    before = _bytes_read()
    got, _keep = read_for_assessment(path, texts)
    assert _bytes_read() - before > notes  # (the links scanned for that one value)
    _equal(got, read_arrays(path))
    assert got.dated == (value == "start")


def test_a_file_changed_since_the_open_is_read(tmp_path: Path) -> None:
    """An edit after the open (another state: another key) gives a value the open never
    counted: the read scans the links and finds it."""
    path = tmp_path / "edited.cdesk"
    _stored(path)
    texts = _opened(path)
    with Project.open(path) as p:
        link = p.links()[0]
        p.update_link(dataclasses.replace(link, volume=7.0))
    got, _keep = read_for_assessment(path, texts)
    assert float(got.volume[0]) == 7.0
    _equal(got, read_arrays(path))
