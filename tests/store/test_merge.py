"""Field copies and merging them back: real project files in tmp_path."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cluster_desk.core.model import Link, LinkKind, Member, MemberKind
from cluster_desk.store.merge import DELETED, apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project, ProjectError


@pytest.fixture
def master(tmp_path):
    p = Project.create(tmp_path / "master.cdesk", name="M")
    a = Member("ООО «А»", id="a", lat=55.0, lon=49.0)
    b = Member("ООО «Б»", id="b", employees=10)
    c = Member("ВУЗ", id="c", kind=MemberKind.EDUCATION)
    p.add_members([a, b, c])
    p.add_links([Link("a", "b", LinkKind.SUPPLY, id="ab")])
    yield p
    p.close()


def test_non_conflicting_edits_both_ways_and_twice_is_nothing(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.update_member(replace(copy.member("a"), notes="visited", employees=40))
        copy.add_members([Member("Новый", id="n")])
        copy.add_links([Link("n", "c", id="nc")])
        copy.delete_member("b")  # and its link ab
    master.update_member(replace(master.member("a"), website="a.ru"))  # another field: no conflict
    master.update_member(replace(master.member("c"), address="Казань"))
    plan = plan_merge(master, copy_path)
    assert not plan.conflicts
    report = apply_merge(master, plan)
    a = master.member("a")
    assert (a.notes, a.employees, a.website) == ("visited", 40, "a.ru")
    assert master.member("n").name == "Новый" and master.member("c").address == "Казань"
    assert {lk.id for lk in master.links()} == {"nc"}
    with pytest.raises(KeyError):
        master.member("b")
    assert "Новый" in report.added and "ООО «Б»" in report.deleted
    # Merging the same copy again changes nothing: no new change records at all.
    before = len(master.history())
    again = plan_merge(master, copy_path)
    assert again.empty
    apply_merge(master, again)
    assert [c for c in master.history()[before:] if c.entity != "settings"] == []
    # A later edit in the copy comes in on the next merge, without a false conflict.
    with Project.open(copy_path) as copy:
        copy.update_member(replace(copy.member("a"), notes="visited twice"))
    plan = plan_merge(master, copy_path)
    assert not plan.conflicts and len(plan.ops) == 1
    apply_merge(master, plan)
    assert master.member("a").notes == "visited twice"


def test_conflicts_reported_and_resolved(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.update_member(replace(copy.member("a"), employees=50, notes="same"))
        copy.delete_member("c")
        copy.update_member(replace(copy.member("b"), notes="edited in the field"))
    master.update_member(replace(master.member("a"), employees=60, notes="same"))  # notes equal: fine
    master.update_member(replace(master.member("c"), notes="edited at the office"))
    master.delete_member("b")
    plan = plan_merge(master, copy_path)
    got = {(c.entity_id, c.field): (c.mine, c.theirs) for c in plan.conflicts}
    assert got[("a", "employees")] == (60, 50)
    assert got[("c", "")][1] is DELETED and got[("b", "")][0] is DELETED
    with pytest.raises(ValueError, match="no choice"):
        apply_merge(master, plan)
    assert master.member("a").employees == 60  # nothing applied
    for c in plan.conflicts:
        c.choice = "theirs"
    apply_merge(master, plan)
    assert master.member("a").employees == 50
    assert master.member("b").notes == "edited in the field"  # restored from the copy
    with pytest.raises(KeyError):
        master.member("c")


def test_take_mine_and_foreign_copies(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.update_member(replace(copy.member("a"), name="Renamed"))
    master.update_member(replace(master.member("a"), name="Office name"))
    apply_merge(master, plan_merge(master, copy_path), take="mine")
    assert master.member("a").name == "Office name"
    other = Project.create(tmp_path / "other.cdesk")
    with pytest.raises(ProjectError, match="another project"):
        plan_merge(other, copy_path)
    with pytest.raises(ProjectError, match="not a field copy"):
        plan_merge(master, other.path)
    other.close()


def test_failed_merge_leaves_master_unchanged(master, tmp_path, monkeypatch):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.add_members([Member("X", id="x")])
        copy.update_member(replace(copy.member("a"), notes="n"))
    plan = plan_merge(master, copy_path)
    before = master.path.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(master, "delete_members", boom)
    monkeypatch.setattr(master, "set_meta", boom)
    with pytest.raises(RuntimeError):
        apply_merge(master, plan)
    assert master.path.read_bytes() == before
    assert len(master.members()) == 3


def test_cli_field_copy_and_merge(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "cluster_desk", *map(str, args)], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)

    master, copy = tmp_path / "m.cdesk", tmp_path / "c.cdesk"
    with Project.create(master) as p:
        p.add_members([Member("A", id="a")])
    assert run("field-copy", master, copy).returncode == 0
    assert run("field-copy", master, copy).returncode == 1  # no overwrite without --force
    with Project.open(copy) as c:
        c.update_member(replace(c.member("a"), notes="field"))
    with Project.open(master) as p:
        p.update_member(replace(p.member("a"), notes="office"))
        before = p.path.read_bytes()
    r = run("merge", master, copy)
    assert r.returncode == 4 and "Notes: master «office» / field copy «field»" in r.stderr
    assert master.read_bytes() == before  # nothing applied
    r = run("merge", master, copy, "--take", "theirs")
    assert r.returncode == 0 and "1 took the field copy's" in r.stdout, r.stderr
    with Project.open(master) as p:
        assert p.member("a").notes == "field"
    r = run("merge", master, copy)
    assert r.returncode == 0 and "Nothing to merge" in r.stdout
