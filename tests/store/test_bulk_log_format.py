"""Format 6: a bulk insert is logged as one run (store/bulklog.py: the rows copied into
``logged_members`` / ``logged_links``, one marker row in ``changes``). The same edits give the same
history as when every record had its own entry (format 5's log): ``history()``, one record's
history, ``history_since`` from every seq, ``member_history``, ``records_changed_since``; a merge
of a copy that imported in bulk and the undo of a deletion work as before."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from cluster_desk.core.model import MEMBER_FIELDS, Link, LinkKind, Member, MemberKind
from cluster_desk.store import Project, bulklog
from cluster_desk.store import link_import as link_import_module
from cluster_desk.store import project as project_module
from cluster_desk.store.errors import ProjectError
from cluster_desk.store.merge import apply_merge, make_field_copy, plan_merge

N = bulklog.BULK_LOG_ROWS + 40
NASTY = "«Кама» \"q\" \\ \n\t 😀 </script>"


def _members(prefix: str = "m") -> list[Member]:
    return [Member(f"{NASTY} {i}", kind=MemberKind.RESEARCH if i % 7 == 0 else MemberKind.FIRM,
                   id=f"{prefix}{i}", employees=i if i % 3 else None,
                   lat=(0.1 + 0.2 + i / 1e6) if i % 2 else None, lon=(1 / 3 + i % 170) if i % 2 else None,
                   output=(123456789012345.6 + i) if i % 5 == 0 else None, notes=NASTY if i % 4 else "",
                   organising_production=i % 6 == 0)
            for i in range(N)]


def _links(members: list[Member], prefix: str, offset: int) -> list[Link]:
    return [Link(members[i].id, members[(i * 7 + offset) % N].id, LinkKind.SUPPLY, id=f"{prefix}{i}",
                 volume=0.1 + 0.2 + i, share=1 / 3 if i % 2 else None, contract=NASTY)
            for i in range(N) if i != (i * 7 + offset) % N]


def _edits(path: Path) -> None:
    """A bulk add of members, links by ``add_links`` and by the streamed import (two runs: its log
    step made small), edits, a deletion and its undo, a small add: one entry or a run each."""
    members = _members()
    with Project.create(path, "p") as p:
        p.add_members(members)
        p.add_links(_links(members, "a", 1))
        with p.link_import() as writer:
            writer.insert([(lk.id, lk.source, lk.target, lk.kind.value, lk.start, lk.share, lk.notes, lk.end,
                            lk.volume, lk.contract) for lk in _links(members, "b", 3)])
        p.update_member(dataclasses.replace(p.member("m3"), notes="edited", lat=55.5, lon=49.1))
        p.update_link(dataclasses.replace(p.link("a2"), share=0.25))
        gone, links = p.delete_member("m1")
        p.restore([gone], links)  # the undo of the deletion: logged as inserts (one run with its links)
        p.delete_link("b4")
        p.add_members([Member("Small", id="small")])


@pytest.fixture
def logs(tmp_path, monkeypatch) -> tuple[Project, Project]:
    """The same edits in a project logged in runs and in one logged an entry a record, at one time."""
    monkeypatch.setattr(project_module, "_now", lambda: "2026-11-30T03:00:00.000+00:00")
    monkeypatch.setattr(link_import_module, "_LOG_STEP", 100)
    _edits(tmp_path / "runs.cdesk")
    with monkeypatch.context() as m:  # every insert logged an entry a record, as format 5 logged it
        m.setattr(bulklog, "BULK_LOG_ROWS", 10**9)
        m.setattr(link_import_module, "BULK_LOG_ROWS", 10**9)
        _edits(tmp_path / "rows.cdesk")
    with Project.open(tmp_path / "runs.cdesk") as runs, Project.open(tmp_path / "rows.cdesk") as rows:
        yield runs, rows


def _count(p: Project, sql: str) -> int:
    return int(p._c().execute(sql).fetchone()[0])


def test_runs_read_back_as_the_entries_of_one_record_each(logs):
    runs, rows = logs
    # The runs are runs: a few marker rows, the records in the logged tables.
    assert _count(runs, "SELECT count(*) FROM changes WHERE entity_id = ''") >= 5
    assert _count(runs, "SELECT count(*) FROM changes") < 20
    assert _count(rows, "SELECT count(*) FROM logged_members") == 0
    assert _count(rows, "SELECT count(*) FROM logged_links") == 0
    history = runs.history()
    assert history == rows.history()
    assert len(history) > 3 * N and [c.seq for c in history] == list(range(1, len(history) + 1))
    assert runs.last_seq() == rows.last_seq() == history[-1].seq
    for c in history:
        if c.op == "insert" and c.entity == "member" and c.new["output"] is not None:
            assert type(c.new["output"]) is float
    # Every seq a sync or another window may hold: the rest of the log, as it was.
    markers = [r[0] for r in runs._c().execute("SELECT seq FROM changes WHERE entity_id = ''")]
    for seq in {0, 1, 2, *range(0, len(history) + 2, 37), *markers, *(s - 1 for s in markers),
                *(s + 1 for s in markers)}:
        assert runs.history_since(seq) == rows.history_since(seq) == history[seq:], seq
    for record in ("m0", "m1", "m3", "m7", "a2", "b4", "b5", "small", "nobody", ""):
        assert runs.history(record) == rows.history(record), record
    assert [c.op for c in runs.history("m1")] == ["insert", "delete", "insert"]
    for member in ("m1", "m3", "m8"):
        assert runs.member_history(member) == rows.member_history(member), member
    for seq in (0, N - 1, N, 2 * N, len(history) - 3):
        assert runs.records_changed_since(seq) == rows.records_changed_since(seq), seq


def test_the_changes_of_another_process_are_its_runs_expanded(logs, tmp_path):
    runs, _ = logs
    seen = runs.last_seq()
    with Project.open(runs.path) as other:
        other.add_members(_members("x"))
        other.add_links(_links(_members("x"), "xl", 1))
    changes = runs.external_changes()
    assert [c.entity_id for c in changes] == [f"x{i}" for i in range(N)] + [
        lk.id for lk in _links(_members("x"), "xl", 1)]
    assert [c.seq for c in changes] == list(range(seen + 1, seen + len(changes) + 1))
    last, members, links = runs.records_changed_since(seen)
    assert last == seen + len(changes) and set(members) == {f"x{i}" for i in range(N)}
    assert all(m is not None for m in members.values()) and len(links) == len(changes) - N


def test_a_run_keeps_its_seqs_through_a_copy_and_refuses_a_damaged_log(logs, tmp_path):
    runs, rows = logs
    copy = tmp_path / "copy.cdesk"
    runs.save_copy(copy)  # (the logged tables' seq is their INTEGER PRIMARY KEY)
    with Project.open(copy) as p:
        assert p.history() == rows.history() and p.check() == []
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM logged_members WHERE seq = 5")
    conn.commit()
    conn.close()
    with Project.open(copy) as p, pytest.raises(ProjectError, match="change log"):
        p.history()


def test_a_bulk_insert_into_rows_that_are_not_consecutive_is_refused(tmp_path):
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(_members())
        conn = p._c()
        conn.execute("BEGIN")
        try:
            conn.execute("UPDATE members SET rowid = rowid + 1000 WHERE id = 'm5'")
            with pytest.raises(ValueError, match="consecutive"):
                bulklog.log_by_sql(conn, "members", "member", ("id", *MEMBER_FIELDS), 0, "t", "a")
        finally:
            conn.execute("ROLLBACK")


def test_merge_of_a_copy_that_imported_in_bulk(tmp_path):
    master = tmp_path / "master.cdesk"
    with Project.create(master, "m") as p:
        p.add_member(Member("Anchor", id="anchor"))
    copy = tmp_path / "copy.cdesk"
    with Project.open(master) as p:
        make_field_copy(p, copy)
    members = _members()
    with Project.open(copy) as c:
        c.add_members(members)  # a run
        c.add_links(_links(members, "a", 1))  # a run
        c.update_member(dataclasses.replace(c.member("m2"), notes="field visit"))
    with Project.open(master) as p:
        plan = plan_merge(p, copy)
        assert not plan.conflicts
        apply_merge(p, plan)
        assert {m.id for m in p.members()} == {"anchor", *(m.id for m in members)}
        assert p.member("m2").notes == "field visit" and p.member("m9") == members[9]
        assert {lk.id for lk in p.links()} == {lk.id for lk in _links(members, "a", 1)}
        assert plan_merge(p, copy).empty  # merged once: nothing left to merge


FORMAT5 = Path(__file__).parent / "fixtures" / "format5.cdesk"


def _anonymous(changes: list) -> list:
    return [dataclasses.replace(c, at="", actor="") for c in changes]


def test_a_format_5_file_upgrades_keeping_its_log_and_logs_runs_after(logs, tmp_path):
    """The fixture holds ``_edits`` as format 5 logged them (make_format5.py, at 4d951fa: a JSON
    array a record, bulk inserts included): after the upgrade its history is what format 6 gives
    for the same edits, and a bulk insert after it is a run whose seqs follow the old entries."""
    runs, _ = logs
    path = tmp_path / "old.cdesk"
    shutil.copyfile(FORMAT5, path)
    conn = sqlite3.connect(path)
    old_rows = conn.execute("SELECT * FROM changes ORDER BY seq").fetchall()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5 and len(old_rows) > 3 * N
    conn.close()
    with Project.open(path) as p:
        assert p.check() == []
        history = p.history()
        assert _anonymous(history) == _anonymous(runs.history())
        assert p._c().execute("SELECT * FROM changes ORDER BY seq").fetchall() == old_rows  # untouched
        for record in ("m1", "m3", "a2", "b4"):
            assert _anonymous(p.history(record)) == _anonymous(runs.history(record))
        assert _anonymous(p.member_history("m3")) == _anonymous(runs.member_history("m3"))
        seen = p.last_seq()
        p.add_members(_members("x"))
        after = p.history_since(seen)
        assert [c.entity_id for c in after] == [f"x{i}" for i in range(N)]
        assert [c.seq for c in after] == list(range(seen + 1, seen + N + 1))
        assert p.history()[: len(history)] == history
    kept = tmp_path / "old.format5.cdesk"
    assert kept.exists()
    conn = sqlite3.connect(kept)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.close()


def test_a_file_of_a_newer_format_is_refused_by_name(tmp_path, monkeypatch):
    """What a format-5 release does with a format-6 file (its check of the header): the same
    refusal, shown here with this release one format behind."""
    from cluster_desk.store import schema

    path = tmp_path / "new.cdesk"
    Project.create(path).close()
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
    with pytest.raises(ProjectError, match="newer") as caught:
        Project.open(path)
    assert caught.value.code == "newer_format"


def test_last_deleted_gives_the_last_delete_of_a_record_whole(tmp_path: Path) -> None:
    """A team conflict kept as "mine" restores a record from its last logged delete (by the log's
    index: the bulk runs hold inserts only, never read here)."""
    members = _members()
    with Project.create(tmp_path / "p.cdesk", "p") as p:
        p.add_members(members)  # a bulk run
        assert p.last_deleted("m2") is None  # inserted, never deleted
        p.delete_member("m2")
        p.add_members([dataclasses.replace(members[2], notes="second life")])
        p.delete_member("m2")
        last = p.last_deleted("m2")
        assert last is not None and last["notes"] == "second life" and last["name"] == members[2].name
        assert p.last_deleted("missing") is None
