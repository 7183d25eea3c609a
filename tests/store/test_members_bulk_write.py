"""A bulk members write (``Project.bulk_logging``): one savepoint around it, none a chunk, all or nothing."""

from __future__ import annotations

import dataclasses

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io.memberbatch import COLUMNS, member_values
from cluster_desk.store.project import Project


def _columns(members: list[Member]) -> list[list[object]]:
    """Table order: the id, then MEMBER_FIELDS (what an import's batches hold)."""
    if not members:
        return [[] for _ in COLUMNS]
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


def _log(p: Project) -> list[tuple[object, ...]]:
    """The change log's rows (the time left out) and the bulk log's copied rows."""
    conn = p._c()
    return [*conn.execute("SELECT seq, actor, entity, entity_id, op, old, new FROM changes ORDER BY seq"),
            *conn.execute("SELECT * FROM logged_members ORDER BY seq")]


@pytest.mark.parametrize("sizes", [(300, 300, 300), (2, 100, 50), (300, 0, 7)])
def test_rows_written_unlogged_are_logged_as_the_same_calls_given_at_once(tmp_path, sizes):
    """``log=False`` writes now and logs at the next ``log=True`` call: the same change log as one
    call with all of those rows (a run from BULK_LOG_ROWS, else an entry a record, floats exact)."""
    batches = [[dataclasses.replace(m, output=0.1 + 0.2 + i, employees=None if i % 3 else i)
                for i, m in enumerate(_members(sum(sizes[:k]), size))] for k, size in enumerate(sizes)]
    logs = []
    before, after = _members(5000, 3), _members(6000, 1)
    for streamed in (False, True):
        with Project.create(tmp_path / f"{streamed}.cdesk") as p:
            p.add_members(before)  # a logged edit before: seqs go on from it
            with p.transaction(), p.bulk_logging(900):
                if streamed:
                    for batch in batches[:-1]:
                        p.add_member_columns(_columns(batch), log=False)
                    p.add_member_columns(_columns(batches[-1]))
                else:
                    p.add_member_columns(_columns([m for b in batches for m in b]))
                p.add_members(after)
            logs.append(_log(p))
            assert p.check() == []
            assert [c.entity_id for c in p.history() if c.entity == "member"][3:-1] == [
                m.id for b in batches for m in b]
    assert logs[0] == logs[1]


def test_rows_left_unlogged_are_logged_when_the_bulk_write_ends(tmp_path):
    with Project.create(tmp_path / "p.cdesk") as p:
        with p.transaction(), p.bulk_logging(600):
            p.add_member_columns(_columns(_members(0, 300)))
            p.add_member_columns(_columns(_members(300, 300)), log=False)
            p.add_member_columns(_columns([]), log=False)  # nothing: nothing changes
        logged = [c.entity_id for c in p.history() if c.entity == "member" and c.op == "insert"]
        assert logged == [m.id for m in p.members()] and len(logged) == 600
        assert p.check() == []


def test_an_empty_call_logs_the_rows_waiting(tmp_path):
    with Project.create(tmp_path / "p.cdesk") as p, p.transaction(), p.bulk_logging(600):
        p.add_member_columns(_columns(_members(0, 400)), log=False)
        assert p.add_member_columns(_columns([])) == 0
        runs = p._c().execute("SELECT new FROM changes WHERE entity_id = ''").fetchall()
        assert runs == [('{"first": 1}',)]


def test_unlogged_rows_only_inside_a_bulk_write(tmp_path):
    with Project.create(tmp_path / "p.cdesk") as p:
        with pytest.raises(RuntimeError, match="bulk_logging"):
            p.add_member_columns(_columns(_members(0, 3)), log=False)
        with p.transaction(), pytest.raises(RuntimeError, match="bulk_logging"):
            p.add_member_columns(_columns(_members(0, 3)), log=False)
        assert p.members() == []


def test_a_failed_unlogged_chunk_undoes_the_bulk_write(tmp_path):
    with Project.create(tmp_path / "p.cdesk") as p:
        first = _members(0, 300)
        repeated = _members(300, 300)
        repeated[5] = Member("Повтор", id=first[3].id)
        with p.transaction():
            with pytest.raises(ValueError, match="already exists"), p.bulk_logging(600):
                p.add_member_columns(_columns(first), log=False)
                p.add_member_columns(_columns(repeated), log=False)
            assert p.members() == []
            p.add_members(_members(900, 2))  # the next bulk write starts with nothing waiting
        assert [c.entity_id for c in p.history() if c.entity == "member"] == [m.id for m in p.members()]
        assert p.check() == []


def test_an_entry_logged_between_unlogged_writes_comes_before_their_run(tmp_path):
    """Rows written unlogged are copied into the log as they come (a run from BULK_LOG_ROWS rows):
    an entry logged in between (an import's update) still comes first, as when the rows were
    written at once after it."""
    stored = _members(0, 3)
    first, second = _members(10, 300), _members(400, 5)
    logs = []
    for streamed in (False, True):
        with Project.create(tmp_path / f"{streamed}.cdesk") as p:
            p.add_members(stored)
            with p.transaction(), p.bulk_logging(600):
                if streamed:
                    p.add_member_columns(_columns(first), log=False)  # copied at once
                    p.update_members([dataclasses.replace(stored[1], notes="правка")])
                    p.add_member_columns(_columns(second), log=False)
                    p.add_member_columns(_columns([]))
                else:
                    p.update_members([dataclasses.replace(stored[1], notes="правка")])
                    p.add_member_columns(_columns(first + second))
            logs.append(_log(p))
            assert [c.entity_id for c in p.history() if c.entity == "member"] == [
                *(m.id for m in stored), stored[1].id, *(m.id for m in first + second)]
            assert p.check() == []
    assert logs[0] == logs[1]
