"""``Arrays.detached()``: a copy the as-of view's thread reads while the window's engine goes on
patching its own arrays (issue 17: the day cache took a new read of the file after every edit).
Whatever the engine's patches do to the original afterwards, the copy stays as it was; removed
links' rows are left out of it; it assesses as the original does."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_COLUMNS, MEMBER_COLUMNS
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store.assess_columns import read_arrays
from cluster_desk.store.project import Project

DAYS = ("2026-06-01", "2021-12-31")


def _state(a: Arrays) -> dict[str, Any]:
    """Everything a reader of the arrays sees, as plain values."""
    ids = a.ids.tolist()
    link_ids = list(a.links.ids) if hasattr(a.links, "ids") else [lk.id for lk in a.links]
    return {**{name: _bits(getattr(a, name)) for name in (*MEMBER_COLUMNS, *LINK_COLUMNS)},
            "names": list(a.names), "ids": ids, "members": [m.id for m in a.members],
            "rows": [a.index.get(i) for i in ids], "held": len(a.index), "links": link_ids, "dated": a.dated}


def _bits(column: Any) -> tuple[str, bytes]:
    """A column's values exactly (NaN equal to NaN, -0.0 not to 0.0)."""
    values = np.ascontiguousarray(column)
    return str(values.dtype), values.tobytes()


def _from_file(tmp_path: Path) -> tuple[Arrays, list[Member], list[Link]]:
    members, links, _settings = demo_cluster(seed=3)
    path = tmp_path / "demo.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return read_arrays(path), members, links


def _edits(a: Arrays, members: list[Member], links: list[Link]) -> None:
    """Every kind of patch the engine makes, several times over (appends write into spare room)."""
    a.link_rows()  # (the map path: a removed link keeps its id in its dead row)
    firm = next(m for m in members if m.kind is MemberKind.FIRM)
    a.patch_members([dataclasses.replace(firm, name="Renamed", lat=firm.lat + 0.5, employees=77)], ())
    a.patch_links([dataclasses.replace(links[0], volume=123.0, start="2019-01-01")], [links[1].id])
    for k in range(3):
        new = Member(f"New {k}", MemberKind.FIRM, Status.MEMBER, id=f"new{k}", lat=55.8, lon=49.1,
                     joined="2020-01-01")
        a.patch_members([new], ())
        a.patch_links([Link(new.id, firm.id, LinkKind.SUPPLY, id=f"nl{k}", volume=5.0)], ())
    a.patch_links([links[1]], ())  # the removed link back (an undo): a row of its own again
    a.patch_members((), [members[5].id])
    a.patch_links((), [links[2].id, "nl0"])


@pytest.mark.parametrize("source", ["file", "records"])
def test_the_copy_stays_as_it_was_whatever_the_original_goes_through(tmp_path: Path, source: str) -> None:
    if source == "file":
        a, members, links = _from_file(tmp_path)
    else:
        members, links, _settings = demo_cluster(seed=3)
        a = Arrays(members, links)
    _settings = demo_cluster(seed=3)[2]
    assess_arrays(a, _settings, on=DAYS[0])  # (networks kept on the original)
    copy = a.detached()
    before = _state(copy)
    assert before == _state(a)
    _edits(a, members, links)
    for day in DAYS:
        assess_arrays(a, _settings, on=day)
    assert _state(copy) == before
    assert _state(a) != before  # (the edits did change the original)


def test_removed_links_are_left_out_and_the_checks_are_the_same(tmp_path: Path) -> None:
    a, members, links = _from_file(tmp_path)
    settings = demo_cluster(seed=3)[2]
    _edits(a, members, links)
    assert a._dead  # the original holds removed links' rows ...
    copy = a.detached()
    assert not copy._dead  # ... the copy does not
    ids = list(copy.links.ids)
    assert len(ids) == len(set(ids)) == len(a.links) - len(a._dead)
    assert links[1].id in ids and links[2].id not in ids and "nl0" not in ids
    # each link as the original holds it (its live row)
    live = np.ones(len(a.links), dtype=bool)
    live[a._dead] = False
    for name in LINK_COLUMNS:
        assert _bits(getattr(copy, name)) == _bits(np.asarray(getattr(a, name))[live]), name
    for day in DAYS:
        assert assess_arrays(copy, settings, on=day) == assess_arrays(a, settings, on=day)


def test_the_copy_of_a_patched_copy_is_patched_alike(tmp_path: Path) -> None:
    """The copy is arrays like any: patched in turn, it gives what the original gives."""
    a, members, links = _from_file(tmp_path)
    settings = demo_cluster(seed=3)[2]
    copy = a.detached()
    _edits(a, members, links)
    _edits(copy, members, links)
    assert _state(copy.detached()) == _state(a.detached())
    assert assess_arrays(copy, settings, on=DAYS[0]) == assess_arrays(a, settings, on=DAYS[0])
