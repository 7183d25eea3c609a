"""A bulk members write (``Project.bulk_logging``): one savepoint around it, none a chunk, all or nothing."""

from __future__ import annotations

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io.memberbatch import member_values
from cluster_desk.store.project import Project


def _columns(members: list[Member]) -> list[list[object]]:
    """Table order: the id, then MEMBER_FIELDS (what an import's batches hold)."""
    return [list(c) for c in zip(*(member_values(m) for m in members), strict=True)]


def _members(start: int, count: int) -> list[Member]:
    return [Member(f"ООО «Завод {i}»", lat=55.0 + i / 1000, lon=49.5) for i in range(start, start + count)]


def test_chunks_inside_a_bulk_write_open_no_savepoint_and_are_logged(tmp_path):
    path = tmp_path / "p.cdesk"
    statements: list[str] = []
    with Project.create(path) as p:
        p._c().set_trace_callback(statements.append)
        with p.transaction(), p.bulk_logging(900):
            for start in range(0, 900, 300):
                assert p.add_member_columns(_columns(_members(start, 300))) == 300
        p._c().set_trace_callback(None)
        assert [s for s in statements if s.startswith(("SAVEPOINT", "RELEASE"))] == [
            "SAVEPOINT bulk", "RELEASE bulk"]
        stored = p.members()
        logged = [c.entity_id for c in p.history() if c.entity == "member" and c.op == "insert"]
    assert [m.name for m in stored] == [m.name for m in _members(0, 900)]
    assert sorted(logged) == sorted(m.id for m in stored)
    with Project.open(path) as p:
        assert p.check() == []


def test_a_failed_chunk_undoes_the_whole_bulk_write_and_the_transaction_goes_on(tmp_path):
    path = tmp_path / "p.cdesk"
    kept = _members(0, 5)
    with Project.create(path) as p:
        p.add_members(kept)
        first = _members(10, 300)
        repeated = _members(400, 300)
        repeated[150] = Member("Повтор", id=first[7].id)  # an id the bulk write already stored
        with p.transaction():
            with pytest.raises(ValueError, match="already exists"), p.bulk_logging(600):
                p.add_member_columns(_columns(first))
                p.add_member_columns(_columns(repeated))
            assert p.members() == kept  # the first chunk is undone too
            p.add_members(_members(900, 2))  # the transaction itself is still usable
        assert [m.name for m in p.members()] == [m.name for m in kept + _members(900, 2)]
        assert p.check() == []
        index = p._c().execute("SELECT sql FROM sqlite_schema WHERE name = 'changes_entity'").fetchone()
        assert index == ("CREATE INDEX changes_entity ON changes (entity_id)",)
