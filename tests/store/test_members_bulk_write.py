"""A bulk members write (``Project.bulk_logging``): one savepoint around it, none a chunk, all or nothing."""

from __future__ import annotations

import dataclasses

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


def _schema_ok(p: Project) -> None:
    from cluster_desk.store import schema

    assert schema.schema_objects(p._c()) == schema.expected_objects(schema.current_version())


def test_a_bulk_write_past_the_table_builds_the_id_index_once_at_the_end(tmp_path, monkeypatch):
    from cluster_desk.store import edits

    monkeypatch.setattr(edits, "MEMBERS_REBUILD", 200)
    path = tmp_path / "p.cdesk"
    statements: list[str] = []
    with Project.create(path) as p:
        kept = _members(0, 400)
        p.add_members(kept)
        p._c().set_trace_callback(statements.append)
        with p.transaction(), p.bulk_logging(900):
            for start in range(1000, 1900, 300):  # the index goes at the second chunk: 600 > 400
                assert p.add_member_columns(_columns(_members(start, 300))) == 300
        p._c().set_trace_callback(None)
        index = [s for s in statements if "members_id" in s]
        assert index == ["DROP INDEX members_id", "CREATE UNIQUE INDEX members_id ON members (id)"]
        before = statements[: statements.index(index[0])]
        assert sum(s.startswith("INSERT INTO members") for s in before) == 300  # a row each
        stored = p.members()
        logged = [c.entity_id for c in p.history() if c.entity == "member" and c.op == "insert"]
        _schema_ok(p)
        assert p.check() == []
        with pytest.raises(ValueError, match="already exists"):
            p.add_member(Member("Повтор", id=stored[600].id))
    assert [m.name for m in stored] == [m.name for m in kept + _members(1000, 900)]
    assert sorted(logged) == sorted(m.id for m in stored) and len(set(logged)) == 1300


def test_a_repeated_id_fails_the_index_build_and_undoes_the_bulk_write(tmp_path, monkeypatch):
    from cluster_desk.store import edits

    monkeypatch.setattr(edits, "MEMBERS_REBUILD", 100)
    path = tmp_path / "p.cdesk"
    kept = _members(0, 5)
    with Project.create(path) as p:
        p.add_members(kept)
        for repeated_id in ("stored later", kept[2].id):  # one of the bulk's own, one of the project's
            chunks = [_members(10, 300), _members(400, 300)]
            again = chunks[0][7].id if repeated_id == "stored later" else repeated_id
            chunks[1][150] = Member("Повтор", id=again)
            with p.transaction():
                with pytest.raises(ValueError, match="already exists"), p.bulk_logging(600):
                    for chunk in chunks:  # no error here: the index is not there to refuse it
                        p.add_member_columns(_columns(chunk))
                assert p.members() == kept
                _schema_ok(p)  # the index is back with the rollback
        assert p.members() == kept and p.check() == []
        assert len(p.history()) == 5


def test_an_edit_inside_the_bulk_write_first_builds_the_id_index_again(tmp_path, monkeypatch):
    """An import's updates (and a workbook's links) look members up by id and need the index for
    the links' foreign keys: the first such edit builds it; the bulk write then keeps it."""
    from cluster_desk.core.model import Link, LinkKind
    from cluster_desk.store import edits

    monkeypatch.setattr(edits, "MEMBERS_REBUILD", 100)
    path = tmp_path / "p.cdesk"
    statements: list[str] = []
    with Project.create(path) as p:
        kept = _members(0, 3)
        p.add_members(kept)
        p.members()  # what the caller holds: the base of its update
        p._c().set_trace_callback(statements.append)
        with p.transaction():
            with p.bulk_logging(600):
                added = _members(10, 300)
                p.add_member_columns(_columns(added))
                p.update_members([dataclasses.replace(kept[1], notes="обновлено")])
                p.add_member_columns(_columns(_members(400, 300)))
                p.add_links([Link(kept[0].id, added[5].id, LinkKind.SUPPLY)])
            p.add_links([Link(added[6].id, added[7].id, LinkKind.SUPPLY)])
        p._c().set_trace_callback(None)
        index = [i for i, s in enumerate(statements) if "members_id" in s]
        assert [statements[i] for i in index] == ["DROP INDEX members_id",
                                                  "CREATE UNIQUE INDEX members_id ON members (id)"]
        update = next(i for i, s in enumerate(statements) if s.startswith("UPDATE members"))
        assert index[1] < update
        assert p.member(kept[1].id).notes == "обновлено" and len(p.members()) == 603
        assert len(p.links()) == 2
        _schema_ok(p)
        assert p.check() == []
