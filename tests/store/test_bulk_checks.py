"""A bulk members write leaves the table's CHECK constraints to the Python column check it ran
(``RecordEdits._insert_members(verified=True)``): every CHECK is one that check refuses first,
and the constraints hold again for every statement after the write, whether it ended well or not.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io.memberbatch import member_values
from cluster_desk.store import edits
from cluster_desk.store.project import Project

#: Each CHECK of the members table (as the schema writes it) and a member that breaks it.
BREAKERS: dict[str, Callable[[Member], Member]] = {
    "length(id) BETWEEN 1 AND 200 (empty)": lambda m: dataclasses.replace(m, id=""),
    "length(id) BETWEEN 1 AND 200 (long)": lambda m: dataclasses.replace(m, id="x" * 201),
    "employees >= 0": lambda m: dataclasses.replace(m, employees=-1),
    "lat BETWEEN -90.0 AND 90.0": lambda m: dataclasses.replace(m, lat=90.5),
    "lon BETWEEN -180.0 AND 180.0": lambda m: dataclasses.replace(m, lon=-180.5),
    "output >= 0.0": lambda m: dataclasses.replace(m, output=-1.0),
    "organising_production = 0 OR organising_production = 1": lambda m: dataclasses.replace(
        m, organising_production=2),  # type: ignore[arg-type]
    "(lat IS NULL) = (lon IS NULL)": lambda m: dataclasses.replace(m, lon=None),
}


def _members(start: int, count: int) -> list[Member]:
    return [Member(f"ООО «Завод {i}»", lat=55.0 + i / 1000, lon=49.5, employees=i, output=1e6)
            for i in range(start, start + count)]


def _columns(members: list[Member]) -> list[list[Any]]:
    return [list(c) for c in zip(*(member_values(m) for m in members), strict=True)]


def test_every_check_of_the_members_table_is_a_case_here(tmp_path):
    """A CHECK added to the schema fails this test until a breaker above covers it."""
    with Project.create(tmp_path / "p.cdesk") as p:
        sql = p._c().execute("SELECT sql FROM sqlite_schema WHERE name = 'members'").fetchone()[0]
    checks = set(re.findall(r"CHECK \((.*)\)", sql))  # one CHECK a line in the schema's text
    covered = {re.sub(r" \((empty|long)\)$", "", k) for k in BREAKERS}
    assert checks == covered


@pytest.mark.parametrize("check", list(BREAKERS))
def test_a_value_a_check_refuses_is_refused_before_sqlite(tmp_path, check):
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        kept = _members(0, 3)
        p.add_members(kept)
        batch = _members(10, 400)
        batch[200] = BREAKERS[check](batch[200])
        with p.transaction(), pytest.raises(ValueError), p.bulk_logging(400):
            p.add_member_columns(_columns(batch))
        assert p.members() == kept
        assert p._c().execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
        assert p.check() == []


def test_the_checks_hold_again_after_a_bulk_write(tmp_path, monkeypatch):
    """Also for the very statement the bulk write ran (the sqlite3 module keeps it prepared)."""
    seen: list[str] = []
    made = edits._nulls_bound_as_empty

    def record(*args: Any) -> Any:
        sql, bound = made(*args)
        seen.append(sql)
        return sql, bound

    monkeypatch.setattr(edits, "_nulls_bound_as_empty", record)
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        with p.transaction(), p.bulk_logging(600):
            p.add_member_columns(_columns(_members(0, 300)))
            p.add_member_columns(_columns(_members(300, 300)))
        conn = p._c()
        assert conn.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
        sql = seen[-1]
        good = list(conn.execute("SELECT * FROM members ORDER BY rowid LIMIT 1").fetchone())
        # The statement binds the columns that vary: one row of them from the first member
        # stored, with its head count broken.
        row = [good[edits._MEMBER_COLS.index(c)] for c in _bound_columns(sql)]
        assert len(row) == sql.count("?")
        row[_bound_columns(sql).index("employees")] = -5
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(sql, [("" if v is None else v) for v in row])
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE members SET lat = 95.0 WHERE rowid = 1")
        assert len(p.members()) == 600
        assert p.check() == []


def _bound_columns(sql: str) -> list[str]:
    """The columns an INSERT of ``insert_columns`` binds, in order."""
    names = re.search(r"\((.*?)\) VALUES", sql)
    values = sql.split(" VALUES (", 1)[1].rsplit(")", 1)[0]
    assert names is not None
    columns = [c.strip().strip('"') for c in names.group(1).split(",")]
    parts = re.findall(r"NULLIF\(\?, ''\)|\?|'[^']*'|NULL|-?\d+(?:\.\d+)?", values)
    assert len(parts) == len(columns), (parts, columns)
    return [c for c, v in zip(columns, parts, strict=True) if "?" in v]
