"""``cluster-desk check``'s open (``column_read.open_columns(link_ids=False)``) with no snapshot of
the file in the cache: the file's key takes its two row counts from the open's own scans of the
members and links, in the same read transaction, not from two ``count(*)`` scans first (issue
17: ~0.07 s of a million members' check before its links thread started). The key is the one
``snapshot.file_key`` gives, and a snapshot, when there is one, is still checked against that
whole key before it is taken. Observed through the statements SQLite runs (a trace callback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_desk.check_command import checks_arrays
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store import assess_columns, column_read, snapshot
from cluster_desk.store.project import Project


def _project(path: Path, n: int = 80) -> Path:
    ids = [f"m{i:04d}" for i in range(n)]
    with Project.create(path) as p:
        p.add_members([Member(f"Firm {i}", MemberKind.FIRM, Status.MEMBER, id=ids[i], lat=55.0 + i / 1000,
                              lon=49.0 + i / 1000) for i in range(n)])
        p.add_links([Link(ids[i % n], ids[(i * 7 + 1) % n], LinkKind.SUPPLY) for i in range(2 * n)
                     if i % n != (i * 7 + 1) % n])
        p.delete_members(ids[-3:])  # (and their links: fewer rows than the largest rowids)
    return path


def _traced(p: Project) -> list[str]:
    said: list[str] = []
    p._c().set_trace_callback(said.append)
    return said


def _key_now(path: Path) -> dict[str, object]:
    with assess_columns.reading(path) as conn:
        return snapshot.file_key(conn, path)


@pytest.mark.parametrize("threaded", [False, True])
def test_the_checks_open_counts_no_rows_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   threaded: bool) -> None:
    path = _project(tmp_path / "counted.cdesk")
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1 if threaded else 10**9)
    assert not snapshot.cache_file(path).exists()
    with Project.open(path) as p:
        said = _traced(p)
        read = column_read.open_columns(p, link_ids=False)
        assert not any("count(*) FROM members)" in s or "count(*) FROM links)" in s for s in said)
        by_rows = p.link_columns()
    assert read.key == _key_now(path) and list(read.key) == list(_key_now(path))
    assert len(read.members) == read.key["members"] == 77
    assert len(read.links) == read.key["links"] == len(by_rows)


def test_a_snapshot_is_still_checked_against_the_whole_key(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With a snapshot in the cache the counts are read first, as before, and the snapshot is
    taken only when its whole key is the file's; after an edit it is not."""
    path = _project(tmp_path / "snap.cdesk")
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)
    with Project.open(path) as p:
        assert column_read.open_columns(p).save_snapshot(path)
    with Project.open(path) as p:
        said = _traced(p)
        got = column_read.open_columns(p, link_ids=False)
        assert any("count(*) FROM links)" in s for s in said)
        assert got.from_snapshot and got.key == _key_now(path)
        p.add_members([Member("Late", MemberKind.FIRM, Status.MEMBER, id="late")])
    with Project.open(path) as p:
        got = column_read.open_columns(p, link_ids=False)
    assert not got.from_snapshot and got.key == _key_now(path) and got.key["members"] == 78


def test_the_check_reads_the_members_rest_ahead_with_that_key(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The members' rest read on the open's links thread (``MembersAhead``, given the key without
    counts there) is taken by the read after the open (whose key has them): not read again."""
    path = _project(tmp_path / "ahead.cdesk")
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    reads: list[int] = []
    real = assess_columns._rest_of_members
    monkeypatch.setattr(assess_columns, "_rest_of_members", lambda *a: reads.append(1) or real(*a))
    with Project.open(path, check_later=True) as p:
        arrays = checks_arrays(p)
    assert len(reads) == 1  # (one window, read ahead; the old key's mismatch read it twice)
    assert len(arrays.members) == 77
