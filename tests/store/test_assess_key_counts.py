"""The first assessment's read after an open (store.assess_columns.read_for_assessment) knows
the file is still in the state the open read when its header, size, change log and last rowids
are those of the open's key: it takes that key, and does not count the tables' rows again (two
index scans: ~0.03 s of a million members' check, issue 17). An edit since the open is another
state: the read counts, and reads its own columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store import assess_columns, snapshot
from cluster_desk.store.project import Project


def _opened(path: Path) -> SharedTexts:
    with Project.open(path) as p:
        read = p.open_columns()
    return SharedTexts(read.key, read.members, read.links.ids,
                       (read.links.source_index, read.links.target_index), read.links.kind_codes)


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "key.cdesk"
    members = [Member(f"Firm {i}", MemberKind.FIRM, Status.MEMBER, id=f"m{i}", lat=55 + i / 100,
                      lon=49 + i / 100) for i in range(40)]
    links = [Link(f"m{j % 40}", f"m{(j * 7 + 1) % 40}", LinkKind.SUPPLY, id=f"l{j}") for j in range(60)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each file key the read asks for counts the tables' rows."""
    asked: list[bool] = []
    real = snapshot.file_key

    def spied(conn: Any, path: Any, counts: bool = True) -> Any:
        asked.append(counts)
        return real(conn, path, counts)

    monkeypatch.setattr(snapshot, "file_key", spied)
    return asked


def test_the_open_s_state_is_not_counted_again(stored: Path, counted: list[bool]) -> None:
    texts = _opened(stored)
    counted.clear()
    arrays, _keep = assess_columns.read_for_assessment(stored, texts)
    assert counted == [False]
    assert arrays.ids[0] is texts.ids[0]  # (the open's texts taken: same state)
    assert len(arrays.names) == 40 and len(arrays.links) == 60


def test_an_edit_since_the_open_is_counted_and_read(stored: Path, counted: list[bool]) -> None:
    texts = _opened(stored)
    with Project.open(stored) as p:
        p.delete_members(["m39"])
    counted.clear()
    arrays, _keep = assess_columns.read_for_assessment(stored, texts)
    assert counted == [False, True]
    assert len(arrays.names) == 39 and arrays.ids[0] is not texts.ids[0]
