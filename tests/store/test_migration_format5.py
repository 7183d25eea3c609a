"""Format 5: the members' id moves from the PRIMARY KEY to the UNIQUE index ``members_id`` without a
row copied (schema._migrate_4_to_5 rewrites the stored schema text). A format-4 file opens as a
format-5 file exactly like one made new: the same schema, every member, link and log entry at its
rowid, the index checked against the rows, ids still unique and the links' foreign keys still
enforced; the file as it was is kept next to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from format3_helpers import file_version, format4_file

from cluster_desk.core.model import Member
from cluster_desk.store import Project, schema


def _tables(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
                for t in ("members", "links", "changes", "meta", "settings")}
    finally:
        conn.close()


def test_a_format_4_file_upgrades_in_place_keeping_every_row(tmp_path: Path) -> None:
    path = format4_file(tmp_path / "old.cdesk")
    before = _tables(path)
    assert file_version(path) == 4
    with Project.open(path) as p:
        assert [m.id for m in p.members()] == [r[1] for r in before["members"]]
        conn = p._c()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # the index holds every row
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert schema.schema_objects(conn) == schema.expected_objects(6)
        indexes = conn.execute("SELECT name, \"unique\", origin FROM pragma_index_list('members')")
        assert indexes.fetchall() == [("members_id", 1, "c")]
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT name FROM members WHERE id = ?", ("x",)).fetchall()
        assert "USING INDEX members_id" in plan[0][3]
        stats = conn.execute("SELECT DISTINCT idx FROM sqlite_stat1 WHERE tbl = 'members'").fetchall()
        assert stats == [("members_id",)]
        first = before["members"][0][1]
        with pytest.raises(ValueError, match="already exists"):
            p.add_member(Member("Повтор", id=first))
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # the links still need it
            conn.execute("DELETE FROM members WHERE id = ?", (first,))
        p.add_member(Member("Новая", id="new-one"))
        assert p.member("new-one").name == "Новая"
        assert p.check() == []
    after = _tables(path)
    assert after["links"] == before["links"]
    assert after["changes"][: len(before["changes"])] == before["changes"]
    assert after["members"][:-1] == before["members"]
    assert file_version(path) == schema.current_version() == 6
    kept = tmp_path / "old.format4.cdesk"
    assert file_version(kept) == 4 and _tables(kept) == before
    with Project.open(path) as p:  # opens as it is now: no second upgrade, no second copy
        assert len(p.members()) == len(before["members"]) + 1
    assert sorted(x.name for x in tmp_path.iterdir()) == ["old.cdesk", "old.format4.cdesk"]


def test_the_upgraded_index_is_the_index_a_new_file_builds(tmp_path: Path) -> None:
    """Byte for byte: the renamed automatic index of an upgraded file and ``members_id`` built by
    CREATE INDEX on the same rows hold the same entries in the same order."""
    path = format4_file(tmp_path / "old.cdesk", members=2000, links=0)
    Project.open(path).close()
    conn = sqlite3.connect(path)
    try:
        upgraded = conn.execute("SELECT id, rowid FROM members INDEXED BY members_id ORDER BY id").fetchall()
        conn.execute("BEGIN")
        conn.execute("DROP INDEX members_id")
        conn.execute(schema.MEMBER_ID_INDEX)
        built = conn.execute("SELECT id, rowid FROM members INDEXED BY members_id ORDER BY id").fetchall()
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert upgraded == built and len(built) == 2000
    assert [r[0] for r in upgraded] == sorted(r[0] for r in upgraded)


def test_a_format_4_file_that_is_not_as_format_4_writes_it_is_refused_untouched(tmp_path: Path) -> None:
    """The step checks the members' schema text before rewriting it; the open refuses anything else
    (here the schema check on open already does) and leaves the file as it was."""
    path = format4_file(tmp_path / "odd.cdesk", members=20, links=10)
    conn = sqlite3.connect(path)
    conn.execute("CREATE INDEX members_name ON members (name)")  # not part of format 4
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(Exception, match=r"odd\.cdesk"):
        Project.open(path)
    assert path.read_bytes() == before and file_version(path) == 4


def test_the_step_refuses_members_it_does_not_recognise(tmp_path: Path) -> None:
    """Run directly on a file whose members table is not format 4's: nothing is rewritten."""
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    schema.migrate(conn, schema.MIGRATIONS[:4])
    conn.execute("BEGIN")
    conn.execute("DROP TABLE links")
    conn.execute("DROP TABLE members")
    conn.execute("CREATE TABLE members (id TEXT PRIMARY KEY, name TEXT)")
    with pytest.raises(sqlite3.DatabaseError, match="not as format 4 stores it"):
        schema.MIGRATIONS[4](conn)
    conn.execute("ROLLBACK")
    conn.close()
