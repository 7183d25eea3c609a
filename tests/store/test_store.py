"""The project file: round trips, refusing foreign or damaged files, migrations, the change log,
undo support, crash safety and atomic copies. Every test works on real SQLite files in tmp_path."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from file_tamper import BYPASS, tamper

from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)
from cluster_desk.store import Change, Project, ProjectError, fileguard, schema
from cluster_desk.store import link_edits as link_edits_module
from cluster_desk.store import project as project_module
from cluster_desk.store import rows as rows_module

ROOT = Path(__file__).resolve().parents[2]
NASTY = "ООО «Ромашка» \"quoted\" 'single' <img src=x onerror=alert(1)> ; DROP TABLE members; --"


def full_member(**changes: object) -> Member:
    m = Member(
        name=NASTY,
        kind=MemberKind.RESEARCH,
        status=Status.CANDIDATE,
        sector="29.10",
        industry=Industry.CORE,
        employees=250,
        lat=55.796289123456789,
        lon=49.108795,
        address="Казань, ул. Баумана, 1",
        inn="0012345678",
        website="https://пример.рф/?a=1&b=<2>",
        contact="Иванов И. И. <ivanov@example.org>",
        joined="2021-03-01",
        left="2024-12-31",
        notes="line 1\nline 2\ttab \u2028 emoji 🏭 NUL-free",
        output=1_250_000.5,
        special_territory=SpecialTerritory.SINGLE_INDUSTRY_TOWN,
        organising_production=True,
    )
    return dataclasses.replace(m, **changes)  # type: ignore[arg-type]


def bare_member(name: str = "Firm") -> Member:
    return Member(name)  # all optional fields at their defaults (None / "")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cluster.cdesk"


@pytest.fixture
def proj(path: Path) -> Project:
    p = Project.create(path, "Тестовый кластер")
    yield p  # type: ignore[misc]
    p.close()


def make_project(path: Path, n: int = 3) -> list[Member]:
    ms = [Member(f"Firm {i}", lat=55.0 + i / 100, lon=49.0, employees=i) for i in range(n)]
    with Project.create(path) as p:
        p.add_members(ms)
        if n >= 2:
            p.add_link(Link(ms[0].id, ms[1].id, LinkKind.SUPPLY, share=0.25))
    return ms


def no_sidecars(path: Path) -> bool:
    return not any(Path(str(path) + s).exists() for s in ("-journal", "-wal", "-shm"))


# --------------------------------------------------------------------------- round trip


def test_create_open_round_trip_every_field(path: Path) -> None:
    full, bare = full_member(), bare_member()
    settings = ClusterSettings(
        name=NASTY, centre_lat=55.79, centre_lon=49.12, radius_km=150.5, mass_min=80, mass_max=120,
        registry_share=0.3, registry_max_unlinked=2, anchor_employment_share=0.6, anchor_link_share=0.4,
        hhi_concentrated=0.3,
    )  # fmt: skip
    link_full = Link(full.id, bare.id, LinkKind.RND, start="2022-01-15", share=0.125, notes=NASTY,
                     end="2024-01-15", volume=3_000_000.25, contract="№ 17/2022 от 15.01.2022")
    link_bare = Link(bare.id, full.id)
    with Project.create(path, "Кластер «Камский»") as p:
        p.add_member(full)
        p.add_member(bare)
        p.add_links([link_full, link_bare])
        p.set_settings(settings)
    assert path.suffix == ".cdesk" and no_sidecars(path)
    with Project.open(path) as p:
        assert p.members() == [full, bare]
        assert p.member(full.id) == full and p.member(bare.id) == bare
        m = p.member(full.id)
        assert type(m.kind) is MemberKind and type(m.status) is Status and type(m.industry) is Industry
        assert m.lat == 55.796289123456789  # exact float round trip
        assert p.links() == [link_full, link_bare]
        assert p.link(link_full.id) == link_full and type(p.link(link_full.id).kind) is LinkKind
        assert p.settings() == settings
        meta = p.meta()
        assert meta["name"] == "Кластер «Камский»" and len(meta["uuid"]) == 32 and meta["app_version"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x43446B31
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 6
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_fast_read_path_builds_the_same_objects(proj: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = full_member(), bare_member()
    proj.add_members([a, b])
    proj.add_link(Link(a.id, b.id, LinkKind.FINANCE, share=1.0))
    fast_m, fast_l = proj.members(), proj.links()
    monkeypatch.setattr(rows_module, "_FAST_BUILD", False)
    slow_m, slow_l = proj.members(), proj.links()
    assert fast_m == slow_m and fast_l == slow_l
    assert [hash(m) for m in fast_m] == [hash(m) for m in slow_m]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast_m[0].name = "x"  # type: ignore[misc]
    assert fast_m[0].size_class == slow_m[0].size_class and fast_m[0].helix == slow_m[0].helix


def test_create_refuses_existing_file(path: Path) -> None:
    path.write_bytes(b"precious")
    with pytest.raises(ProjectError, match="already exists") as e:
        Project.create(path)
    assert str(path) in str(e.value)
    assert path.read_bytes() == b"precious"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(tmp_path / "nope.cdesk")


def test_closed_project_refuses_work(proj: Project) -> None:
    proj.close()
    proj.close()  # idempotent
    with pytest.raises(ProjectError, match="closed"):
        proj.members()


# --------------------------------------------------------------------------- refusing files


def other_sqlite(p: Path) -> None:
    c = sqlite3.connect(p)
    c.execute("CREATE TABLE notes (x)")
    c.execute("INSERT INTO notes VALUES ('hello')")
    c.commit()
    c.close()


def other_app_sqlite(p: Path) -> None:
    other_sqlite(p)
    c = sqlite3.connect(p)
    c.execute("PRAGMA application_id = 1234")
    c.close()


def zip_file(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("doc.txt", "not a project")


def random_bytes(p: Path) -> None:
    p.write_bytes(os.urandom(8192))


def truncated_project(p: Path) -> None:
    make_project(p, 400)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def header_only(p: Path) -> None:
    make_project(p)
    p.write_bytes(p.read_bytes()[:60])


def damaged_project(p: Path) -> None:
    make_project(p, 400)
    data = bytearray(p.read_bytes())
    page = 4096
    # Scribble over the b-tree page headers of a few data pages (keeps the file header and the
    # schema page intact, so only the integrity check can notice).
    for n in range(4, 8):
        data[n * page : n * page + 12] = b"\xff" * 12
    p.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (other_sqlite, "another program"),
        (other_app_sqlite, "another program"),
        (zip_file, "ZIP"),
        (random_bytes, "not an SQLite database"),
        (lambda p: p.write_text("name;lat;lon\nA;55;49\n"), "not an SQLite database"),
        (truncated_project, "truncated"),
        (header_only, "truncated"),
        (damaged_project, "damaged"),
    ],
    ids=[
        "zero-bytes",
        "other-sqlite",
        "other-app-id",
        "zip",
        "random",
        "csv",
        "truncated",
        "header-only",
        "damaged",
    ],
)
def test_foreign_and_damaged_files_are_refused_untouched(path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    make(path)
    before = path.read_bytes()
    with pytest.raises(ProjectError, match=message) as e:
        Project.open(path)
    assert str(path) in str(e.value)
    assert path.read_bytes() == before
    assert no_sidecars(path)


def test_newer_format_is_refused_untouched(path: Path) -> None:
    make_project(path)
    c = sqlite3.connect(path)
    newer = schema.SCHEMA_VERSION + 1
    c.execute(f"PRAGMA user_version = {newer}")
    c.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError) as e:
        Project.open(path)
    assert str(e.value).startswith(
        f"{path} was saved by a newer Cluster Desk (format {newer}; this version reads up to {newer - 1})"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("statements", "read", "code", "message"),
    [
        # Objects we did not create: refused on open, the file left byte-for-byte as it was.
        (["CREATE TRIGGER evil AFTER INSERT ON members BEGIN DELETE FROM links; END"], "", "foreign_objects",
         "triggers or views"),
        (["CREATE VIEW v AS SELECT * FROM members"], "", "foreign_objects", "triggers or views"),
        (["CREATE TABLE extra (x)"], "", "wrong_tables", "tables"),
        (["DROP INDEX links_source"], "", "wrong_tables", "tables"),
        (["ALTER TABLE members ADD COLUMN colour TEXT"], "", "wrong_tables", "tables"),
        # Values edited around our validation: reported naming what is wrong, where it is read.
        ([BYPASS, "UPDATE members SET lat = 123.0"], "", "damaged_check", r"damaged.*CHECK"),
        (["UPDATE settings SET value = 'NaN' WHERE key = 'radius_km'"], "", "settings_invalid", "settings"),
        (["UPDATE members SET kind = 'dragon'"], "members", "members_unknown_value", "dragon"),
        (["UPDATE changes SET new = '[1, 2]' WHERE seq = 1"], "history", "changelog_damaged",
         "change log is damaged"),
    ],
    ids=["trigger", "view", "extra-table", "dropped-index", "extra-column", "crafted-lat", "settings-nan",
         "unknown-kind", "record-array"],
)
def test_tampered_files_are_refused_naming_the_file(
    path: Path, statements: list[str], read: str, code: str, message: str
) -> None:
    make_project(path)
    before = tamper(path, *statements)
    with pytest.raises(ProjectError, match=message) as e, Project.open(path) as p:
        getattr(p, read or "check")()  # no read: refused on open already
    assert e.value.code == code and str(path) in str(e.value)
    assert path.read_bytes() == before  # nothing was written


def test_big_file_checks_loaded_tables_on_open_and_all_on_demand(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(path)
    tamper(path, BYPASS, "UPDATE changes SET op = 'explode'")
    with pytest.raises(ProjectError, match=r"damaged.*CHECK"):
        Project.open(path)  # small file: the full check covers the change log too
    monkeypatch.setattr(fileguard, "FULL_CHECK_MAX_BYTES", 0)
    with Project.open(path) as p:
        assert any("CHECK" in problem for problem in p.check())
    tamper(path, BYPASS, "UPDATE members SET lat = 123.0")
    with pytest.raises(ProjectError, match=r"damaged.*CHECK"):
        Project.open(path)  # the tables open loads are always checked


# --------------------------------------------------------------------------- migrations


def test_hand_made_version_0_file_is_migrated(path: Path) -> None:
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    c.execute("CREATE TABLE scratch (x)")  # a real page so the file is not empty
    c.execute("DROP TABLE scratch")
    c.commit()
    c.close()
    with Project.open(path) as p:
        assert p.members() == [] and p.settings() == ClusterSettings()
        p.add_member(bare_member())
    c = sqlite3.connect(path)
    assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    c.close()


def _add_colour(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE members ADD COLUMN colour TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "CREATE TABLE tags (member_id TEXT NOT NULL REFERENCES members (id), tag TEXT NOT NULL) STRICT"
    )
    conn.execute("INSERT INTO tags SELECT id, 'migrated' FROM members")


def test_migration_runner_applies_a_new_version(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ms = make_project(path)
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, _add_colour])
    with Project.open(path) as p:
        assert p.members() == ms
        p.add_member(bare_member("after upgrade"))
    c = sqlite3.connect(path)
    released = len(schema.MIGRATIONS) - 1
    assert c.execute("PRAGMA user_version").fetchone()[0] == released + 1
    assert c.execute("SELECT count(*) FROM tags WHERE tag = 'migrated'").fetchone()[0] == len(ms)
    c.close()
    # Reopening at the new version does not migrate again, and the old release now refuses the file.
    with Project.open(path) as p:
        assert len(p.members()) == len(ms) + 1
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:released])
    with pytest.raises(ProjectError, match=rf"format {released + 1}; this version reads up to {released}"):
        Project.open(path)


def test_failing_migration_is_rolled_back(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ms = make_project(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE members ADD COLUMN colour TEXT")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    v = schema.SCHEMA_VERSION
    with pytest.raises(ProjectError, match=f"could not be upgraded from format {v} to {v + 1}: boom") as e:
        Project.open(path)
    assert str(path) in str(e.value)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:v])
    with Project.open(path) as p:  # still a valid file of the released version with all its data
        assert p.members() == ms


_V1_MEMBER_FIELDS = project_module.MEMBER_FIELDS[:15]  # format 1/2 columns (before output...)
_V1_LINK_FIELDS = project_module.LINK_FIELDS[:6]  # (before end, volume, contract)


def _write_version_1_file(path: Path) -> tuple[list[Member], list[Link], list[tuple[str, str]]]:
    """A file as release 1 wrote it: format 1 schema, whole records in the log as JSON objects.

    Written with plain SQL (today's Project writes format 3 rows); returns the records as they
    read back after the upgrade and the (entity, op) of each log row.
    """
    a, b, c = full_member(output=None, special_territory=SpecialTerritory.NONE,
                          organising_production=False), bare_member("Бета"), bare_member("Гамма")
    ab, bc = Link(a.id, b.id, LinkKind.SUPPLY, share=0.5), Link(b.id, c.id, LinkKind.RND, notes="x")
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, schema.MIGRATIONS[:1])
    conn.execute("INSERT INTO meta VALUES ('name', 'v1')")
    conn.executemany("INSERT INTO settings VALUES (?, ?)", rows_module.settings_items(ClusterSettings()))
    log: list[tuple[str, str, str, str | None, str | None]] = []

    def record(obj: Member | Link, fields: tuple[str, ...]) -> dict[str, object]:
        return {f: getattr(obj, f) for f in fields}

    for m in (a, b, c):
        values = rows_module.member_row(m)[:16]
        conn.execute(f"INSERT INTO members VALUES ({', '.join('?' * 16)})", values)
        text = json.dumps(record(m, _V1_MEMBER_FIELDS), ensure_ascii=False)
        log.append(("member", m.id, "insert", None, text))
    for lk in (ab, bc):
        values = rows_module.link_row(lk)[:7]
        conn.execute(f"INSERT INTO links VALUES ({', '.join('?' * 7)})", values)
        text = json.dumps(record(lk, _V1_LINK_FIELDS), ensure_ascii=False)
        log.append(("link", lk.id, "insert", None, text))
    conn.execute("UPDATE members SET employees = 7 WHERE id = ?", (b.id,))
    log.append(("member", b.id, "update", '{"employees":null}', '{"employees":7}'))
    conn.execute("DELETE FROM links WHERE id = ?", (bc.id,))
    log.append(("link", bc.id, "delete", json.dumps(record(bc, _V1_LINK_FIELDS)), None))
    conn.executemany(
        "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) "
        "VALUES ('2024-01-01T00:00:00+00:00', 'tester', ?, ?, ?, ?, ?)",
        log,
    )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert (
        "IN ('member'" in conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'changes'").fetchone()[0]
    )
    conn.close()
    return [a, dataclasses.replace(b, employees=7), c], [ab], [(e, op) for e, _, op, _, _ in log]


def test_version_1_file_is_upgraded_with_its_history(path: Path) -> None:
    members, links, ops = _write_version_1_file(path)
    with Project.open(path) as p:  # upgrades to the current format
        assert p.members() == members and p.links() == links
        before = p.history()
        assert [(c.entity, c.op) for c in before] == ops
        assert before[0].new["name"] == members[0].name and before[3].new["share"] == 0.5
        assert p.check() == []
        new = bare_member("Дельта")
        p.add_member(new)
        p.delete_member(members[2].id)
        after = p.history()
    assert after[: len(before)] == before
    assert after[-2].op == "insert" and after[-2].new == {
        f: getattr(new, f) for f in project_module.MEMBER_FIELDS
    }
    assert after[-1].op == "delete" and after[-1].old["name"] == "Гамма" and after[-1].new == {}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 6
    sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'changes'").fetchone()[0]
    assert " IN (" not in sql and "entity = 'member' OR" in sql
    assert conn.execute("SELECT new FROM changes ORDER BY seq DESC LIMIT 1 OFFSET 1").fetchone()[0][0] == "["
    assert conn.execute("SELECT count(*) FROM sqlite_temp_schema").fetchone()[0] == 0
    conn.close()
    assert no_sidecars(path)


def test_change_log_checks_still_refuse_bad_rows(proj: Project) -> None:
    proj.add_member(bare_member())
    conn = proj._c()
    for column, value in (("entity", "dragon"), ("op", "explode")):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(
                "INSERT INTO changes (at, actor, entity, entity_id, op) VALUES ('t', 'a', ?, 'x', ?)",
                (value, "insert") if column == "entity" else ("member", value),
            )


# --------------------------------------------------------------------------- change log


def test_change_log_records_insert_update_delete(proj: Project) -> None:
    a, b = full_member(), bare_member("Бета")
    proj.add_members([a, b])
    a2 = dataclasses.replace(a, name="Новое имя", employees=None, lat=56.0, lon=50.0)
    old = proj.update_member(a2)
    assert old == a and proj.member(a.id) == a2
    assert proj.update_member(a2) == a2  # no change: nothing logged
    link = Link(a.id, b.id, LinkKind.SUPPLY, share=0.5)
    proj.add_link(link)
    assert proj.update_link(dataclasses.replace(link, share=0.75)) == link
    proj.delete_link(link.id)
    settings = dataclasses.replace(proj.settings(), radius_km=120.0)
    proj.set_settings(settings)

    h = proj.history()
    assert [(c.entity, c.entity_id, c.op) for c in h] == [
        ("member", a.id, "insert"),
        ("member", b.id, "insert"),
        ("member", a.id, "update"),
        ("link", link.id, "insert"),
        ("link", link.id, "update"),
        ("link", link.id, "delete"),
        ("settings", "settings", "update"),
    ]
    assert [c.seq for c in h] == sorted(c.seq for c in h)
    ins = h[0]
    assert isinstance(ins, Change) and ins.old == {}
    assert ins.new["name"] == NASTY and ins.new["kind"] == "research" and ins.new["lat"] == a.lat
    assert ins.new["joined"] == "2021-03-01" and "id" not in ins.new
    assert h[1].new["employees"] is None and h[1].new["lat"] is None
    upd = h[2]
    assert upd.old == {"name": NASTY, "employees": 250, "lat": a.lat, "lon": a.lon}
    assert upd.new == {"name": "Новое имя", "employees": None, "lat": 56.0, "lon": 50.0}
    assert h[4].old == {"share": 0.5} and h[4].new == {"share": 0.75}
    assert h[5].old["source"] == a.id and h[5].new == {}
    assert h[6].old == {"radius_km": 200.0} and h[6].new == {"radius_km": 120.0}
    for c in h:
        assert c.at.endswith("+00:00") and "T" in c.at and c.actor
    assert [c.op for c in proj.history(a.id)] == ["insert", "update"]
    assert proj.history("no-such-id") == []


def test_delete_and_restore_round_trip(proj: Project) -> None:
    ms = [full_member(), bare_member("B"), bare_member("C")]
    proj.add_members(ms)
    a, b, c = ms
    ls = [Link(a.id, b.id, LinkKind.SUPPLY), Link(c.id, a.id), Link(b.id, c.id)]
    proj.add_links(ls)
    member, links = proj.delete_member(a.id)
    assert member == a and links == ls[:2]
    assert [m.id for m in proj.members()] == [b.id, c.id] and proj.links() == [ls[2]]
    with pytest.raises(KeyError):
        proj.member(a.id)
    ops = [(ch.entity, ch.op) for ch in proj.history()[-3:]]
    assert ops == [("link", "delete"), ("link", "delete"), ("member", "delete")]
    assert proj.history()[-1].old["name"] == NASTY

    proj.restore([member], links)
    assert proj.member(a.id) == a and sorted(proj.links(), key=lambda li: li.id) == sorted(
        ls, key=lambda li: li.id
    )
    assert [(ch.entity, ch.op) for ch in proj.history()[-3:]] == [("member", "insert"), ("link", "insert"),
                                                                  ("link", "insert")]  # fmt: skip

    # Several at once: a link between two deleted members is returned once.
    members, links = proj.delete_members([a.id, b.id, a.id])
    assert [m.id for m in members] == [a.id, b.id] and sorted(li.id for li in links) == sorted(
        li.id for li in ls
    )
    assert proj.links() == [] and [m.id for m in proj.members()] == [c.id]
    proj.restore(members, links)
    assert len(proj.members()) == 3 and len(proj.links()) == 3


def test_missing_records_raise_key_error_and_change_nothing(proj: Project) -> None:
    proj.add_member(m := bare_member())
    n = len(proj.history())
    with pytest.raises(KeyError):
        proj.member("nope")
    with pytest.raises(KeyError):
        proj.update_members([dataclasses.replace(m, name="changed"), bare_member("ghost")])
    with pytest.raises(KeyError):
        proj.delete_members([m.id, "nope"])
    with pytest.raises(KeyError):
        proj.delete_link("nope")
    with pytest.raises(KeyError):
        proj.update_link(Link(m.id, m.id + "x"))
    assert proj.member(m.id) == m and len(proj.history()) == n


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lat": 90.5}, "latitude"),
        ({"lat": float("nan")}, "latitude"),
        ({"lon": float("inf")}, "longitude"),
        ({"lon": -180.01}, "longitude"),
        ({"lat": "55.1"}, "latitude"),
        ({"lon": None}, "both latitude and longitude"),
        ({"employees": -1}, "employees"),
        ({"employees": True}, "employees"),
        ({"employees": 12.5}, "employees"),
        ({"name": "   "}, "name"),
        ({"kind": "dragon"}, "kind"),
        ({"status": "maybe"}, "status"),
        ({"joined": "01.02.2020"}, "joined"),
        ({"left": "2023-02-30"}, "left"),
        ({"inn": 1234567890}, "inn"),
        ({"id": ""}, "id"),
    ],
)
def test_member_validation(proj: Project, changes: dict[str, object], message: str) -> None:
    bad = full_member(**changes)
    with pytest.raises(ValueError, match=message):
        proj.add_member(bad)
    with pytest.raises(ValueError, match=message):
        proj.add_members([bare_member(), bad])  # the good one is not written either
    assert proj.members() == [] and proj.history() == []


def test_int_coordinates_are_stored_as_floats(proj: Project) -> None:
    proj.add_member(m := bare_member())
    proj.update_member(dataclasses.replace(m, lat=55, lon=49))
    stored = proj.member(m.id)
    assert stored.lat == 55.0 and type(stored.lat) is float


def test_link_validation(proj: Project) -> None:
    a, b = bare_member("A"), bare_member("B")
    proj.add_members([a, b])
    with pytest.raises(ValueError, match=r"target member 'ghost' does not exist"):
        proj.add_link(Link(a.id, "ghost"))
    with pytest.raises(ValueError, match="source member 'ghost' does not exist"):
        proj.add_links([Link(a.id, b.id), Link("ghost", b.id)])
    with pytest.raises(ValueError, match="itself"):
        proj.add_link(Link(a.id, a.id))
    for share in (1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match="share"):
            proj.add_link(Link(a.id, b.id, share=share))
    with pytest.raises(ValueError, match="kind"):
        proj.add_link(Link(a.id, b.id, kind="hug"))  # type: ignore[arg-type]
    link = Link(a.id, b.id)
    proj.add_link(link)
    with pytest.raises(ValueError, match="already exists"):
        proj.add_link(link)
    with pytest.raises(ValueError, match="does not exist"):
        proj.update_link(dataclasses.replace(link, target="ghost"))
    assert proj.links() == [link] and len(proj.history()) == 3


def test_duplicate_member_ids(proj: Project) -> None:
    m = bare_member()
    proj.add_member(m)
    with pytest.raises(ValueError, match="already exists"):
        proj.add_member(m)
    other = bare_member("other")
    with pytest.raises(ValueError, match="twice"):
        proj.add_members([other, other])
    assert proj.members() == [m]


@pytest.mark.parametrize(
    "changes",
    [
        {"radius_km": 0.0},
        {"radius_km": float("inf")},
        {"mass_min": 200},
        {"mass_max": -1},
        {"registry_share": 1.2},
        {"hhi_concentrated": float("nan")},
        {"centre_lat": 55.0},
        {"registry_max_unlinked": 2.5},
    ],
)
def test_settings_validation(proj: Project, changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="settings"):
        proj.set_settings(dataclasses.replace(ClusterSettings(), **changes))  # type: ignore[arg-type]
    assert proj.settings() == ClusterSettings(name="Тестовый кластер")


def test_big_link_batch_rebuilds_indexes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link_edits_module, "_BULK_REBUILD", 5)
    ms = [bare_member(f"M{i}") for i in range(10)]
    ls = [Link(ms[i].id, ms[(i + 1) % 10].id) for i in range(10)]
    with Project.create(path) as p:
        p.add_members(ms)
        p.add_links(ls)
        with pytest.raises(ValueError, match="does not exist"):  # failure rolls the index drop back too
            p.add_links([Link(ms[0].id, ms[2].id) for _ in range(8)] + [Link(ms[0].id, "ghost")])
    with Project.open(path) as p:  # the schema check would refuse missing or different indexes
        assert p.links() == ls
        assert p.delete_member(ms[3].id)[1] == ls[2:4]


# --------------------------------------------------------------------------- durability


def test_each_edit_is_its_own_logged_write(proj: Project) -> None:
    # Speed of one edit is reported by bench/bench_core.py, not asserted here.
    ms = [Member(f"Firm {i}", employees=i, lat=55.0, lon=49.0) for i in range(200)]
    proj.add_members(ms)
    for i, m in enumerate(ms[:15]):
        proj.update_member(dataclasses.replace(m, employees=i + 10_000))
    assert len(proj.history()) == 200 + 15  # every edit was a real, logged write


CHILD = textwrap.dedent(
    """
    import dataclasses, sys
    from cluster_desk.store import Project
    p = Project.open(sys.argv[1])
    m = p.members()[0]
    for i in range(1, 100_000):
        p.update_member(dataclasses.replace(m, employees=i))
        print(i, flush=True)   # acknowledged only after the commit returned
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_process_keeps_every_acknowledged_edit(path: Path) -> None:
    make_project(path, 2)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert child.stdout is not None
    last = 0
    for line in child.stdout:
        last = int(line)
        if last >= 40:
            break
    os.kill(child.pid, signal.SIGKILL)  # mid-stream: probably inside the next transaction
    child.wait()
    acks = child.stdout.read().split()  # edits acknowledged while we were sending the signal
    last = int(acks[-1]) if acks else last
    assert last >= 40
    with Project.open(path) as p:  # open runs quick_check and rolls back a hot journal
        employees = p.members()[0].employees
        assert employees is not None and last <= employees <= last + 1
        updates = [c for c in p.history() if c.op == "update"]
        assert len(updates) == employees and updates[-1].new == {"employees": employees}
    # A kill while SQLite writes the journal's header can leave a journal that is not "hot"
    # (nothing to roll back); whatever is left, opening again gives the same, sound project.
    with Project.open(path) as p:
        assert p.members()[0].employees == employees and p.check() == []


def test_crash_inside_a_transaction_is_rolled_back(path: Path) -> None:
    """A process dies after writing part of a big transaction to the file (hot journal)."""
    ms = make_project(path, 3)
    code = textwrap.dedent(
        """
        import os, sqlite3, sys, uuid
        c = sqlite3.connect(sys.argv[1], isolation_level=None)
        c.execute("PRAGMA cache_size = 5")   # spill dirty pages into the file mid-transaction
        c.execute("BEGIN")
        c.execute("DELETE FROM links")
        rows = [(uuid.uuid4().hex, "x" * 300, "firm", "member", "", "", None, None, None, "", "", "", "",
                 None, None, "", None, "", 0) for _ in range(3000)]
        c.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        os._exit(9)
        """
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=False)
    assert Path(str(path) + "-journal").stat().st_size > 0  # a hot journal was left behind
    with Project.open(path) as p:
        assert p.members() == ms and len(p.links()) == 1 and p.check() == []
        p.add_member(bare_member("after the crash"))
    assert no_sidecars(path)
    c = sqlite3.connect(path)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    c.close()


# --------------------------------------------------------------------------- save_copy


def test_save_copy_is_a_complete_project(proj: Project, tmp_path: Path) -> None:
    proj.add_members([full_member(), bare_member()])
    dest = tmp_path / "copy.cdesk"
    proj.save_copy(dest)
    proj.add_member(bare_member("after the copy"))
    with Project.open(dest) as c:
        assert c.members() == proj.members()[:2] and c.settings() == proj.settings()
        assert len(c.history()) == 2
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "copy.cdesk"]  # no temp files left
    with pytest.raises(ProjectError, match="open project itself"):
        proj.save_copy(proj.path)


def test_save_copy_failure_keeps_the_old_copy(
    proj: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "copy.cdesk"
    proj.add_member(bare_member("v1"))
    proj.save_copy(dest)
    good = dest.read_bytes()
    proj.add_member(bare_member("v2"))

    def no_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module.os, "fsync", no_disk)
    with pytest.raises(ProjectError, match=r"copy\.cdesk: the disk is full") as e:
        proj.save_copy(dest)
    assert str(dest) in str(e.value)
    monkeypatch.undo()
    assert dest.read_bytes() == good
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "copy.cdesk"]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
def test_save_copy_on_a_full_disk_keeps_the_old_copy(path: Path, tmp_path: Path) -> None:
    """No monkeypatching: the child may not write files bigger than 64 KiB, so the copy fails."""
    make_project(path, 2000)  # ~ 0.5 MB
    dest = tmp_path / "copy.cdesk"
    dest.write_bytes(good := b"the previous good copy")
    code = textwrap.dedent(
        """
        import resource, signal, sys
        from cluster_desk.store import Project, ProjectError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # get EFBIG instead of being killed
        p = Project.open(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        try:
            p.save_copy(sys.argv[2])
        except ProjectError as e:
            print("refused:", e)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(dest)], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
    ).stdout  # fmt: skip
    assert out.startswith(f"refused: Could not save a copy to {dest}")
    assert dest.read_bytes() == good
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "copy.cdesk"]


def test_save_copy_into_missing_folder_or_over_a_folder(proj: Project, tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="Could not save a copy"):
        proj.save_copy(tmp_path / "no" / "such" / "copy.cdesk")
    folder = tmp_path / "taken.cdesk"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep")
    with pytest.raises(ProjectError, match="Could not save a copy"):
        proj.save_copy(folder)
    assert (folder / "keep.txt").read_text() == "keep"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "taken.cdesk"]


# --------------------------------------------------------------------------- scale


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CLUSTER_DESK_BENCH"), reason="benchmark: set CLUSTER_DESK_BENCH=1")
def test_scale_100k_members_300k_links(path: Path) -> None:
    """The performance targets; wall-clock, so run it on an otherwise idle machine."""
    import random

    rnd = random.Random(7)
    kinds = list(MemberKind)
    ms = [Member(f"ООО «Фирма {i}»", kinds[i % len(kinds)], sector="29.10", employees=rnd.randint(1, 5000),
                 lat=55 + rnd.random(), lon=49 + rnd.random(), address=f"Казань, ул. Ленина, {i}")
          for i in range(100_000)]  # fmt: skip
    ids = [m.id for m in ms]
    ls = [Link(*rnd.sample(ids, 2), LinkKind.SUPPLY, share=rnd.random()) for _ in range(300_000)]
    p = Project.create(path)
    t = time.perf_counter()
    p.add_members(ms)
    t_members = time.perf_counter() - t
    p.add_links(ls)
    p.close()
    t = time.perf_counter()
    p = Project.open(path)
    got_m, got_l = p.members(), p.links()
    t_read = time.perf_counter() - t
    assert got_m == ms and got_l == ls
    p.close()
    print(f"add_members {t_members:.2f}s, open+members+links {t_read:.2f}s")
    assert t_members < 3.0 and t_read < 1.5
