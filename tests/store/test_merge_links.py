"""Merging field copies: links and the format-3 fields are merged or shown as conflicts, never dropped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, SpecialTerritory
from cluster_desk.store.merge import DELETED, apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project


@pytest.fixture
def master(tmp_path):
    p = Project.create(tmp_path / "master.cdesk", name="M")
    p.add_members([
        Member("ООО «А»", id="a"), Member("ООО «Б»", id="b"),
        Member("ВУЗ", id="c", kind=MemberKind.EDUCATION),
    ])  # fmt: skip
    p.add_links([Link("a", "b", LinkKind.SUPPLY, id="ab", volume=1000.0)])
    yield p
    p.close()


def test_new_fields_and_added_link_come_in(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.update_member(replace(copy.member("a"), output=5e6, organising_production=True,
                                   special_territory=SpecialTerritory.GEOSTRATEGIC))
        copy.add_links([Link("c", "a", LinkKind.EDUCATION, id="ca", end="2027-01-01", contract="№ 5")])
    plan = plan_merge(master, copy_path)
    assert not plan.conflicts
    apply_merge(master, plan)
    a = master.member("a")
    assert (a.output, a.organising_production) == (5e6, True)
    assert a.special_territory is SpecialTerritory.GEOSTRATEGIC
    assert master.link("ca") == Link("c", "a", LinkKind.EDUCATION, id="ca", end="2027-01-01", contract="№ 5")
    assert plan_merge(master, copy_path).empty


def test_link_edited_on_both_sides_is_a_conflict(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.update_link(replace(copy.link("ab"), volume=2000.0, contract="№ 1"))
    master.update_link(replace(master.link("ab"), volume=3000.0))
    plan = plan_merge(master, copy_path)
    [conflict] = plan.conflicts
    assert (conflict.entity, conflict.field) == ("link", "volume")
    assert (conflict.mine, conflict.theirs) == (3000.0, 2000.0)
    assert "ООО «А» – ООО «Б»" in conflict.label
    apply_merge(master, plan, take="theirs")
    assert (master.link("ab").volume, master.link("ab").contract) == (2000.0, "№ 1")


@pytest.mark.parametrize("take", ["mine", "theirs"])
def test_link_to_a_member_deleted_in_master_is_a_conflict(master, tmp_path, take):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.add_links([Link("c", "b", LinkKind.RND, id="cb")])
    master.delete_member("b")
    plan = plan_merge(master, copy_path)
    [conflict] = plan.conflicts  # the master's delete of the member the new link needs
    assert (conflict.entity, conflict.entity_id, conflict.mine) == ("member", "b", DELETED)
    assert "link cb" in conflict.theirs
    report = apply_merge(master, plan, take=take)
    if take == "theirs":  # the link comes back with the member it needs
        assert master.link("cb").target == "b" and master.member("b").name == "ООО «Б»"
    else:
        assert "cb" not in {lk.id for lk in master.links()} and report.conflicts_mine == 1


def test_member_deleted_in_copy_with_a_new_master_link_is_a_conflict(master, tmp_path):
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.delete_member("c")
    master.add_link(Link("c", "a", LinkKind.EDUCATION, id="ca"))
    plan = plan_merge(master, copy_path)
    [conflict] = plan.conflicts
    assert (conflict.entity, conflict.entity_id, conflict.theirs) == ("member", "c", DELETED)
    apply_merge(master, plan, take="mine")
    assert master.link("ca").source == "c"


def test_the_plan_and_the_report_name_links_by_their_ends(master, tmp_path):
    """A link is shown as its members' names (and its kind, which the window says in its
    language), not as its id: the officer deleted one and edited another."""
    from cluster_desk.text import text_for
    from cluster_desk.text.merge_text import merge_lines

    master.add_links([Link("b", "c", LinkKind.RND, id="bc")])
    copy_path = tmp_path / "field.cdesk"
    make_field_copy(master, copy_path)
    with Project.open(copy_path) as copy:
        copy.delete_link("ab")
        copy.update_link(replace(copy.link("bc"), notes="a joint lab"))
    plan = plan_merge(master, copy_path)
    assert plan.labels["ab"] == "ООО «А» – ООО «Б»" and plan.labels["bc"] == "ООО «Б» – ВУЗ"
    assert plan.link_kinds == {"ab": LinkKind.SUPPLY, "bc": LinkKind.RND}
    report = apply_merge(master, plan)
    assert sorted(merge_lines(report, text_for("ru"))) == ["- связь ООО «А» – ООО «Б»",
                                                           "~ связь ООО «Б» – ВУЗ: notes"]
