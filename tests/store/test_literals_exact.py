"""The bulk members insert writes a column of one value as a literal (store.record_sql.constant_literals).
After ``member_columns_checked`` every value is None or of its column's exact type, so the literals
are found without looking at every value's type (``exact_types``): the same literals as the full
look, and the same stored cells as binding every value."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core.model import Member, MemberKind, SpecialTerritory, Status
from cluster_desk.store import Project
from cluster_desk.store.record_sql import constant_literals
from cluster_desk.store.rows import MEMBER_COLUMNS, member_columns_checked

# Values a caller may give that the check normalises (a whole-number coordinate, yes/no, enums),
# and values that look alike to ``==`` but are stored apart (0 and 0.0 and False).
_FIELDS = {
    "kind": st.sampled_from([MemberKind.FIRM, MemberKind.RESEARCH]),
    "status": st.sampled_from([Status.MEMBER, Status.CANDIDATE]),
    "employees": st.sampled_from([None, 0, 1]),
    "latlon": st.sampled_from([None, (55, 49), (55.0, 49.0), (0.5, -0.0)]),
    "sector": st.sampled_from(["", "29.10", "x'y"]),
    "notes": st.sampled_from(["", "0"]),
    "joined": st.sampled_from([None, "2024-02-29"]),
    "output": st.sampled_from([None, 0.0, 1e6]),
    "special_territory": st.sampled_from([SpecialTerritory.NONE, SpecialTerritory.SINGLE_INDUSTRY_TOWN]),
    "organising_production": st.booleans(),
}


def _member(i: int, values: dict[str, object]) -> Member:
    latlon = values.pop("latlon")
    lat, lon = latlon if latlon is not None else (None, None)
    return dataclasses.replace(Member(f"m{i}", id=f"id-{i}"), lat=lat, lon=lon, **values)  # type: ignore[arg-type]


@st.composite
def _rosters(draw: st.DrawFn) -> list[Member]:
    n = draw(st.integers(2, 6))
    # Each field either one value for every member (a literal) or drawn per member.
    fixed = {f: draw(s) for f, s in _FIELDS.items() if draw(st.booleans())}
    return [_member(i, {**{f: draw(s) for f, s in _FIELDS.items() if f not in fixed}, **fixed})
            for i in range(n)]


def _columns(members: list[Member]) -> list[list[object]]:
    return [[getattr(m, c) for m in members] for c in MEMBER_COLUMNS]


@settings(max_examples=300, deadline=None)
@given(_rosters())
def test_checked_columns_give_the_same_literals_without_the_type_look(members):
    checked = member_columns_checked(_columns(members))
    assert constant_literals(checked, exact_types=True) == constant_literals(checked)


def test_the_type_look_is_what_tells_equal_values_of_other_types_apart():
    """Why ``exact_types`` is only for checked columns: 0, 0.0 and False are equal to ``==``."""
    columns = [["a", "b", "c"], [0, 0.0, False]]
    assert constant_literals(columns) == (None, None)
    assert constant_literals(columns, exact_types=True) == (None, "0")


def test_constant_columns_are_stored_as_bound_values(tmp_path):
    """The bulk path (literals without the type look) against one member at a time (every value bound)."""
    base = [_member(i, {"latlon": (55, 49), "employees": 0, "notes": "", "output": None,
                        "organising_production": True}) for i in range(300)]
    with Project.create(tmp_path / "cols.cdesk") as cols, Project.create(tmp_path / "rows.cdesk") as rows:
        cols.add_member_columns(_columns(base))
        with rows.transaction():
            for m in base:
                rows.add_members([m])
        cells = ", ".join(f'"{c}", typeof("{c}")' for c in MEMBER_COLUMNS)
        sql = f"SELECT {cells} FROM members ORDER BY rowid"
        stored = [p._c().execute(sql).fetchall() for p in (cols, rows)]
        assert stored[0] == stored[1] and len(stored[0]) == len(base)
