"""A bulk members write (an import) refuses every value a CHECK constraint of the members table
would, in the Python column check it runs first (a ValueError with its message, not SQLite's
IntegrityError), and writes nothing of the batch."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io.memberbatch import member_values
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
        assert p.check() == []


#: Values the column check reads a column at a time (numpy's NaN stands for None there) that it
#: must still refuse, beside rows that leave the field empty.
ODD: dict[str, Callable[[Member], Member]] = {
    "lat NaN": lambda m: dataclasses.replace(m, lat=float("nan")),
    "lon infinite": lambda m: dataclasses.replace(m, lon=float("inf")),
    "output NaN": lambda m: dataclasses.replace(m, output=float("nan")),
    "output below 0": lambda m: dataclasses.replace(m, output=-0.5),
    "employees a float": lambda m: dataclasses.replace(m, employees=5.0),  # type: ignore[arg-type]
    "employees a bool": lambda m: dataclasses.replace(m, employees=True),
    "lat without lon": lambda m: dataclasses.replace(m, lon=None),
}


@pytest.mark.parametrize("odd", list(ODD))
def test_odd_numbers_beside_empty_ones_are_refused(tmp_path, odd):
    """A NaN is not an empty cell: stored, SQLite would make it NULL (an output NaN passes its
    CHECK that way), so the Python check must refuse it even where other rows are unlocated or
    give no output."""
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        batch = _members(10, 400)
        for k in range(0, 400, 7):  # unlocated, no head count, no output
            batch[k] = dataclasses.replace(batch[k], lat=None, lon=None, employees=None, output=None)
        batch[201] = ODD[odd](batch[201])
        with p.transaction(), pytest.raises(ValueError), p.bulk_logging(400):
            p.add_member_columns(_columns(batch))
        assert p.members() == []
        assert p.check() == []
