"""Undoing and redoing a link's addition or deletion on an opened project (issue 17): each is
one transaction of the store's own, logged once per link, and builds no record of every member
and link (the undo of one link added used to enter the bulk-write transaction, whose hook built
all 400,000 records of a 100,000-member project first: 1.6-2.5 s of the GUI thread). The table,
the session and the file agree after each step."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import linked_project

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink
from cluster_desk.ui.links.model import LinksModel
from cluster_desk.ui.project import live_assessment
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def opened(qapp: Any, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ProjectSession, LinksModel]]:
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    s = ProjectSession()
    s.open(linked_project(tmp_path / "p.cdesk", seed=8))
    assert s.opened is not None and s.opened.links.id_index  # (made as the worker does once assessed)
    model = LinksModel(s)
    yield s, model
    s.close()


def _file_links(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:  # a reader of its own: what the file holds now
        return [r[0] for r in conn.execute("SELECT id FROM links ORDER BY rowid")]


def _agree(session: ProjectSession, model: LinksModel) -> None:
    in_file = _file_links(session.path)  # type: ignore[arg-type]
    assert sorted(session.links) == sorted(in_file)  # (a restored link is stored last)
    assert model.rowCount() == len(in_file) and sorted(model.ids()) == sorted(in_file)
    assert model.ids() == list(session.links)


def _transactions(session: ProjectSession, step: Any) -> list[str]:
    """The transactions ``step`` began (SQLite's own statements, as the store sent them)."""
    began: list[str] = []
    conn = session.project._c()
    conn.set_trace_callback(lambda sql: began.append(sql) if sql.startswith(("BEGIN", "SAVEPOINT")) else None)
    try:
        step()
    finally:
        conn.set_trace_callback(None)
    return began


def test_undo_and_redo_of_link_adds_and_deletes_build_no_records(
        opened: tuple[ProjectSession, LinksModel]) -> None:
    session, model = opened
    stack = session.undo_stack
    new = Link("m001", "m002", LinkKind.RND, id="new-link")
    existing = ["l0003", "l0100", "l0599"]
    steps = [
        lambda: stack.push(AddLink(session, new)),
        stack.undo,  # the add undone: the link deleted again
        stack.redo,
        lambda: stack.push(DeleteLinks(session, existing)),  # as the dock's Delete does
        stack.undo,  # restored (last in the file and the table)
        stack.redo,
        stack.undo,
        lambda: stack.push(EditLink(session, dataclasses.replace(session.links["l0200"], kind=LinkKind.RND))),
        stack.undo,
    ]
    seq = session.project.last_seq()
    for step in steps:
        assert _transactions(session, step) == ["BEGIN IMMEDIATE"]  # one edit, one transaction
        assert not session.links.loaded and not session.members.loaded  # nothing built wholesale
        assert session.links._dict is None  # not even the {id: record} map of every link
        _agree(session, model)
    assert "new-link" in session.links and all(lid in session.links for lid in existing)
    logged = [(c.entity_id, c.op) for c in session.project.history_since(seq)]
    assert logged == [
        ("new-link", "insert"), ("new-link", "delete"), ("new-link", "insert"),
        *[(lid, "delete") for lid in existing], *[(lid, "insert") for lid in existing],
        *[(lid, "delete") for lid in existing], *[(lid, "insert") for lid in existing],
        ("l0200", "update"), ("l0200", "update"),
    ]
    assert session.links["l0200"].kind is LinkKind.SUPPLY


def test_deleting_links_is_all_or_nothing(tmp_path: Path) -> None:
    """``Project.delete_links``: one transaction; an id not in the file deletes none of them."""
    members = [Member("A", id="a"), Member("B", id="b")]
    links = [Link("a", "b", LinkKind.SUPPLY, id=f"k{i}") for i in range(3)]
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(members)
        p.add_links(links)
        seq = p.last_seq()
        with pytest.raises(KeyError):
            p.delete_links(["k0", "nope"])
        assert [lk.id for lk in p.links()] == ["k0", "k1", "k2"] and p.last_seq() == seq
        assert p.delete_links(["k2", "k0", "k2"]) == [links[2], links[0]]  # (asked twice: once)
        assert [lk.id for lk in p.links()] == ["k1"]
        assert [(c.entity_id, c.op, c.old["kind"]) for c in p.history_since(seq)] == [
            ("k2", "delete", "supply"), ("k0", "delete", "supply")]
        assert p.delete_links([]) == [] and p.last_seq() == seq + 2


def test_records_added_without_the_map_of_every_id() -> None:
    """``LazyRecords.add_new``: the new records follow the ids (iterating, counting, reversed,
    looking up, replacing, removing) with no ``{id: record}`` map made; once one is made (a
    lookup of an opened id), they are in it, in the same order."""
    from cluster_desk.core.tables import LazyRecords, TextColumn

    built: list[str] = []

    def one(key: str) -> Link:
        built.append(key)
        return Link("a", "b", LinkKind.SUPPLY, id=key)

    ids = TextColumn.of(["k0", "k1", "k2"])
    assert ids is not None
    records = LazyRecords(ids, one, list)
    new = [Link("a", "b", LinkKind.RND, id=f"n{i}") for i in range(3)]
    records.add_new(new)
    records.add_new([Link("a", "b", LinkKind.RND, id="n3")])
    assert list(records) == ["k0", "k1", "k2", "n0", "n1", "n2", "n3"] and len(records) == 7
    assert list(reversed(records))[:2] == ["n3", "n2"]
    assert records["n1"] is new[1] and records.get("n2") is new[2] and "n0" in records
    records["n1"] = replaced = Link("a", "b", LinkKind.SUPPLY, id="n1")
    assert records.pop("n0") is new[0] and "n0" not in records
    del records["n3"]
    assert records.get("n0") is None and records.pop("n3", 5) == 5  # (removed: known gone)
    with pytest.raises(KeyError):
        records["n0"]
    records.add_new([new[0]])  # (a redo)
    assert list(records)[-1] == "n0" and records.pop("n0") is new[0]
    assert records._dict is None and built == [] and not records.loaded
    assert records["k1"].id == "k1" and built == ["k1"]  # an opened id: the map is made now
    assert list(records) == ["k0", "k1", "k2", "n1", "n2"] and records["n1"] is replaced
    records.add_new([Link("a", "b", LinkKind.RND, id="n9")])  # (with the map: into it)
    assert list(records)[-1] == "n9" and len(records) == 6
