"""store/link_values.py: the links' volume, dates, contracts and notes as columns of one file state,
read by rowid (none, a few, most of them holding a value; a value holding the separator; a rowid
missing) or by id, each as the records say."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store import snapshot
from cluster_desk.store.assess_columns import reading
from cluster_desk.store.link_values import COLUMNS, Coded, read_link_values, read_present
from cluster_desk.store.project import Project


def _file(path: Path, share: float, odd: bool = False) -> Path:
    """60 links, about ``share`` of them holding each value (``odd``: a note holding the
    separator, and a link deleted: a rowid missing)."""
    members = [Member(f"Фирма {i}", id=f"m{i}", lat=55.0, lon=49.0) for i in range(10)]
    links = []
    for i in range(60):
        held = (i * 7) % 60 < share * 60
        links.append(Link(f"m{i % 10}", f"m{(i + 3) % 10}", LinkKind.SUPPLY, id=f"l{i:02d}",
                          start=f"2015-0{1 + i % 9}-01" if held else None,
                          end="2030-01-01" if held and i % 2 else None,
                          volume=float(i % 4) * 1e6 if held else None,
                          contract=f"Договор {i % 3}" if held else "",
                          notes=("a\x1fb" if odd and i == 5 else f"заметка {i % 5}") if held else ""))
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
        if odd:
            p.delete_links(["l30"])
    return path


def _key(path: Path) -> dict[str, Any]:
    with reading(path) as conn:
        return snapshot.file_key(conn, path)


def _as_records_say(path: Path, got: dict[str, Any]) -> None:
    with Project.open(path) as p:
        links = p.links()
    for column in COLUMNS:
        values = got[column]
        if column == "volume":
            assert [None if math.isnan(v) else v for v in values.tolist()] == [lk.volume for lk in links]
        else:
            assert isinstance(values, Coded)
            assert [values.values[c] for c in values.codes.tolist()] == [getattr(lk, column) for lk in links]


@pytest.mark.parametrize(("share", "odd"),
                         [(0.0, False), (0.1, False), (0.9, False), (0.1, True), (0.9, True)])
def test_read_by_row_as_the_records_say(tmp_path: Path, share: float, odd: bool) -> None:
    path = _file(tmp_path / "v.cdesk", share, odd)
    key = _key(path)
    count = 59 if odd else 60
    read = read_link_values(path, key, count, COLUMNS)
    assert read is not None
    got, held = read
    _as_records_say(path, got)
    # The counts made once are passed on: a second read of another column uses them.
    again = read_link_values(path, key, count, ("notes",), held)
    assert again is not None and again[0]["notes"].codes.tolist() == got["notes"].codes.tolist()


def test_another_state_or_count_reads_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path / "v.cdesk", 0.5)
    key = _key(path)
    assert read_link_values(path, key, 59, COLUMNS) is None  # (not the caller's rows)
    with Project.open(path) as p:
        p.delete_links(["l01"])
    assert read_link_values(path, key, 60, COLUMNS) is None  # (the file changed since)


def test_read_by_id(tmp_path: Path) -> None:
    path = _file(tmp_path / "v.cdesk", 0.3)
    present = read_present(path, COLUMNS)
    assert present is not None
    with Project.open(path) as p:
        links = p.links()
    for column in COLUMNS:
        blank = "" if column in ("contract", "notes") else None
        assert present[column] == ([lk.id for lk in links if getattr(lk, column) != blank],
                                   [getattr(lk, column) for lk in links if getattr(lk, column) != blank])
