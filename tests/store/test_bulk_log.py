"""The change log of bulk inserts (store/bulklog.py): a run of copied rows, read back exactly as the
per-record Python path writes it, floats that need 17 digits included."""

from __future__ import annotations

from cluster_desk.core.model import MEMBER_FIELDS, Link, LinkKind, Member, MemberKind, SpecialTerritory
from cluster_desk.store import Project
from cluster_desk.store.bulklog import BULK_LOG_ROWS

NASTY = "«Кама» \"q\" \\ \n\t\x01 😀 </script>"


def _members(n: int) -> list[Member]:
    out = []
    for i in range(n):
        odd = i % 7 == 0
        out.append(Member(
            f"{NASTY} {i}", kind=MemberKind.RESEARCH if odd else MemberKind.FIRM,
            employees=i if i % 3 else None,
            lat=(0.1 + 0.2 + i / 1e6) if odd else (55.0 + i / 1000 if i % 5 else None),
            lon=(1 / 3 + i % 170) if odd else (49.125 if i % 5 else None),
            output=(123456789012345.6 + i) if odd else (1e6 if i % 2 else None),
            joined="2024-02-29" if i % 4 == 0 else None, notes=NASTY if i % 2 else "",
            special_territory=SpecialTerritory.SINGLE_INDUSTRY_TOWN if odd else SpecialTerritory.NONE,
            organising_production=odd,
        ))  # fmt: skip
    return out


def _logged_records(p: Project, entity: str) -> dict[str, dict[str, object]]:
    return {c.entity_id: c.new for c in p.history() if c.entity == entity and c.op == "insert"}


def test_bulk_and_small_inserts_log_the_same_exact_records(tmp_path):
    members = _members(BULK_LOG_ROWS + 50)
    with Project.create(tmp_path / "bulk.cdesk") as bulk, Project.create(tmp_path / "small.cdesk") as small:
        bulk.add_members(members)  # one batch: logged as a run
        with small.transaction():
            for m in members:  # one at a time: an entry each
                small.add_members([m])
        big, each = _logged_records(bulk, "member"), _logged_records(small, "member")
        assert big == each and len(big) == len(members)
        for m in members:
            record = big[m.id]
            assert list(record) == list(MEMBER_FIELDS)
            for f in ("lat", "lon", "output"):
                value = getattr(m, f)
                assert record[f] == value and type(record[f]) is type(value), (f, value, record[f])
        # The log's order is the batch's order (seq follows the rows).
        seqs = [c.entity_id for c in bulk.history() if c.entity == "member"]
        assert seqs == [m.id for m in members]


def test_bulk_links_log_exact_volumes(tmp_path):
    members = _members(BULK_LOG_ROWS + 10)
    links = [Link(members[i].id, members[i + 1].id, LinkKind.SUPPLY, volume=0.1 + 0.2 + i, share=1 / 3,
                  start="2020-01-01", contract=NASTY) for i in range(len(members) - 1)]  # fmt: skip
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(members)
        p.add_links(links)
        logged = _logged_records(p, "link")
        for lk in links:
            assert logged[lk.id]["volume"] == lk.volume and logged[lk.id]["share"] == lk.share
            assert logged[lk.id]["contract"] == NASTY


def _columns(members: list[Member]) -> list[list[object]]:
    from cluster_desk.store.rows import MEMBER_COLUMNS

    return [[getattr(m, c) for m in members] for c in MEMBER_COLUMNS]


def test_members_added_as_columns_are_stored_and_logged_as_records_are(tmp_path):
    members = _members(BULK_LOG_ROWS * 3 + 7)
    with Project.create(tmp_path / "rows.cdesk") as rows, Project.create(tmp_path / "cols.cdesk") as cols:
        rows.add_members(members)
        assert cols.add_member_columns(_columns(members)) == len(members)
        assert cols.members() == rows.members() == members
        assert _logged_records(cols, "member") == _logged_records(rows, "member")
        assert cols.add_member_columns(_columns([])) == 0


def test_members_added_as_columns_are_checked_as_records_are(tmp_path):
    import dataclasses
    import math

    import pytest

    members = _members(BULK_LOG_ROWS + 3)
    bad = [("lat", math.nan), ("lon", 200.0), ("kind", "spaceship"), ("name", "  "), ("employees", -1),
           ("employees", True), ("joined", "2025-02-30"), ("output", math.inf), ("organising_production", 1),
           ("id", ""), ("inn", None), ("lat", None)]
    with Project.create(tmp_path / "p.cdesk") as p:
        for field, value in bad:
            broken = [*members[:8], dataclasses.replace(members[8], **{field: value}), *members[9:]]
            with pytest.raises(ValueError) as by_record:
                p.add_members(broken)
            with pytest.raises(ValueError) as by_column:
                p.add_member_columns(_columns(broken))
            assert str(by_column.value) == str(by_record.value), field
        assert p.members() == []
        # What the record path normalises (a whole-number coordinate) the column path takes too.
        odd = [dataclasses.replace(members[0], lat=55, lon=49), *members[1:]]
        p.add_member_columns(_columns(odd))
        stored = p.members()
        assert stored[0].lat == 55.0 and type(stored[0].lat) is float and stored[1:] == members[1:]


def _stored(p: Project) -> list[tuple[object, ...]]:
    """Every member cell as stored, with its SQLite type (a literal must store what a bound value does)."""
    from cluster_desk.store.rows import MEMBER_COLUMNS

    cells = ", ".join(f'"{c}", typeof("{c}")' for c in MEMBER_COLUMNS)
    return p._c().execute(f"SELECT {cells} FROM members ORDER BY rowid").fetchall()


def test_columns_of_one_value_are_stored_as_bound_values_are(tmp_path):
    import dataclasses

    import pytest

    from cluster_desk.store.record_sql import insert_columns
    from cluster_desk.store.rows import MEMBER_COLUMNS, member_columns_checked

    plain = [Member(f"m{i}", id=f"id-{i}") for i in range(BULK_LOG_ROWS + 5)]  # every field its default
    same = [dataclasses.replace(m, lat=55.5, lon=49.25, employees=0, sector="29.10", notes=NASTY,
                                inn="1650000001", joined="2024-02-29", output=0.1 + 0.2,
                                organising_production=True,
                                special_territory=SpecialTerritory.SINGLE_INDUSTRY_TOWN) for m in plain]
    # The statement holds the plain constants; ids, names, floats and other text are bound.
    sql, bound = insert_columns("members", MEMBER_COLUMNS, member_columns_checked(_columns(plain)))
    assert len(bound) == 2 and "VALUES (?, ?, 'firm', 'member', '', " in sql, sql
    sql, bound = insert_columns("members", MEMBER_COLUMNS, member_columns_checked(_columns(same)))
    assert len(bound) == 6 and "'29.10'" in sql and "'1650000001'" in sql, sql
    for n, batch in enumerate((plain, same, _members(BULK_LOG_ROWS + 3))):
        batch = [dataclasses.replace(m, id=f"{n}-{m.id}") for m in batch]
        with Project.create(tmp_path / f"c{n}.cdesk") as cols, \
                Project.create(tmp_path / f"r{n}.cdesk") as rows:
            cols.add_member_columns(_columns(batch))
            with rows.transaction():
                for m in batch:  # one row at a time: every value bound
                    rows.add_members([m])
            assert _stored(cols) == _stored(rows) and len(_stored(cols)) == len(batch)
            assert cols.members() == batch
            assert _logged_records(cols, "member") == _logged_records(rows, "member")
    with Project.create(tmp_path / "twice.cdesk") as p, pytest.raises(ValueError, match="appears twice"):
        p.add_member_columns(_columns([plain[0]] * 3))  # one id in every row: still a row per id


def test_none_in_number_and_date_columns_is_bound_as_empty_text_and_stored_as_null(tmp_path):
    """A column of numbers or dates with some None binds "" through NULLIF (a None costs Python's
    sqlite3 an adapter look-up); the cells are stored as a bound None stores them: NULL."""
    import dataclasses

    from cluster_desk.store.edits import _nulls_bound_as_empty
    from cluster_desk.store.record_sql import insert_columns
    from cluster_desk.store.rows import MEMBER_COLUMNS, member_columns_checked

    members = [dataclasses.replace(m, left="2025-01-31" if i % 3 else None, notes="" if i % 2 else "x")
               for i, m in enumerate(_members(BULK_LOG_ROWS + 9))]
    columns = member_columns_checked(_columns(members))
    sql, bound = _nulls_bound_as_empty(*insert_columns("members", MEMBER_COLUMNS, columns), columns)
    wrapped = {"employees", "lat", "lon", "joined", "left", "output"}
    assert sql.count("NULLIF(?, '')") == len(wrapped) and sql.count("?") == len(bound), sql
    assert all(None not in c for c in bound)
    with Project.create(tmp_path / "c.cdesk") as cols, Project.create(tmp_path / "r.cdesk") as rows:
        cols.add_member_columns(_columns(members))
        with rows.transaction():
            for m in members:
                rows.add_members([m])
        stored = _stored(cols)
        assert stored == _stored(rows) and cols.members() == members
        at = 2 * MEMBER_COLUMNS.index("employees") + 1  # typeof(employees)
        assert {s[at] for s in stored} == {"null", "integer"}
        assert _logged_records(cols, "member") == _logged_records(rows, "member")


def test_the_column_check_takes_exact_types_only():
    """store.rows._only: every value of exactly the type (a subclass, bool for int, int for float
    or a None sends the chunk through the record path, which normalises or refuses it)."""
    from cluster_desk.store.rows import _only

    class Text(str):
        pass

    assert _only([], str) and _only(["a", "b"], str) and _only([1.5, 2.0], float) and _only([True], bool)
    assert not _only(["a", Text("b")], str)
    assert not _only([1, True], int)
    assert not _only([1.5, 2], float)
    assert not _only(["a", None], str)
