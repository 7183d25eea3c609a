"""The roster's whole-column reads (store.member_fields) join and split a rowid window at a time
(issue 17: a million members' filter text and its split list lived at once, ~227 MB): the
values are those of one text of every member, in rowid order, with rows deleted and a value
holding the separator; and what Python holds at once is the values plus one window's text."""

from __future__ import annotations

import random
import sqlite3
import sys
import tracemalloc
from pathlib import Path

import pytest

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.store import assess_columns, member_fields
from cluster_desk.store.project import Project


def _project(tmp_path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    path = tmp_path / "p.cdesk"
    members = [Member(f"Организация «{i}» " + "ж" * rng.randrange(200, 400), rng.choice(list(MemberKind)),
                      rng.choice(list(Status)), id=f"m{i}", sector=rng.choice(["", "29.10", "62.01"]),
                      inn=str(rng.randrange(10**9, 10**10))) for i in range(n)]
    with Project.create(path) as p:
        p.add_members(members)
    return path


def _one_text(path: Path, fields: tuple[str, ...]) -> list[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(f"SELECT {', '.join(fields)} FROM members ORDER BY rowid").fetchall()
    conn.close()
    return ["\x01".join(r) for r in rows]


@pytest.mark.parametrize("window", [1, 7, 64, 10_000])
def test_windows_give_the_values_of_one_text_in_rowid_order(tmp_path: Path, window: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assess_columns, "WINDOW", window)
    path = _project(tmp_path, 150, window)
    with sqlite3.connect(path) as conn:  # rowids missing, and a name holding the separator
        conn.execute("DELETE FROM members WHERE rowid IN (3, 4, 5, 70, 150)")
    conn.close()
    got = member_fields.read_file(path, ("name", "inn"), joined=("id", "name", "sector"))
    assert got["name"] == _one_text(path, ("name",)) and got["inn"] == _one_text(path, ("inn",))
    assert got["joined"] == _one_text(path, ("id", "name", "sector"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE members SET name = 'a\x1fb' WHERE rowid = 90")
    conn.close()
    got = member_fields.read_file(path, ("name",), joined=("id", "name"))
    assert got["name"] == _one_text(path, ("name",)) and got["joined"] == _one_text(path, ("id", "name"))


def test_the_filter_text_is_held_a_window_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's peak during the read is the values and one window's text, not a text of all."""
    monkeypatch.setattr(assess_columns, "WINDOW", 50)
    path = _project(tmp_path, 600, 2)
    member_fields.read_file(path, (), joined=("id", "name", "inn"))  # (statements prepared)
    tracemalloc.start()
    try:
        got = member_fields.read_file(path, (), joined=("id", "name", "inn"))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    values = got["joined"]
    held = sys.getsizeof(values) + sum(sys.getsizeof(v) for v in values)
    assert held < peak < 1.3 * held, (held, peak)  # one text of all: ~2x
