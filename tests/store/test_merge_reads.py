"""A merge reads what the field copy's edits touch, not the whole master (issue 17: a 100,000-member
master took ~15 s to merge 100 edits, reading every record and the whole change log three times).

Counted in SQLite's own steps on the master's connection (a progress handler), on real files: the
same edits merged into a master 100 times bigger cost about the same number of steps.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.merge import apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project


def _master(path: Path, n: int) -> Project:
    p = Project.create(path, name="M")
    p.add_members([Member(f"Фирма {i}", id=f"m{i}", lat=55.0 + i / n, lon=49.0) for i in range(n)])
    p.add_links([Link(f"m{i}", f"m{i + 1}", LinkKind.SUPPLY, id=f"l{i}") for i in range(n - 1)])
    return p


def _merge_steps(tmp_path: Path, n: int) -> int:
    """SQLite steps (in 100s) the master's connection takes to plan and apply a merge of the same
    few edits: two members edited, one deleted (and its links), one added with a link."""
    folder = tmp_path / str(n)
    folder.mkdir()
    with _master(folder / "master.cdesk", n) as master:
        make_field_copy(master, folder / "field.cdesk")
        with Project.open(folder / "field.cdesk") as copy:
            copy.update_members([replace(m, notes="visited") for m in copy.members_with_ids(["m1", "m2"])])
            copy.delete_member("m5")
            copy.add_members([Member("Новая", id="new")])
            copy.add_links([Link("new", "m3", LinkKind.SUPPLY, id="new-l")])
        master.update_member(replace(master.member("m2"), notes="called"))  # a conflict
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        master._c().set_progress_handler(count, 100)
        plan = plan_merge(master, folder / "field.cdesk")
        report = apply_merge(master, plan, take="theirs")
        master._c().set_progress_handler(None, 100)
        assert {c.entity_id for c in plan.conflicts} == {"m2"}
        assert master.member("m1").notes == master.member("m2").notes == "visited"
        assert master.link("new-l").target == "m3" and not master.link_ids_of("m5")
        assert len(report.added) == 2 and len(report.deleted) == 1 + 2  # m5 and its two links
        return steps[0]


def test_a_merge_costs_the_same_in_a_master_a_hundred_times_bigger(tmp_path):
    small, big = _merge_steps(tmp_path, 50), _merge_steps(tmp_path, 5_000)
    assert big < 2 * small + 50, (small, big)
