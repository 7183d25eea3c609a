"""The engine's first read after a cold open holds a column of one value (no date, output or
volume recorded) as a read-only view of that value (store.window_columns, issue 17); the edits
that then record one (a member's join, leave and output, a link's end and volume, added links),
their undo, and another program's change of the file are assessed as a fresh assessment of
what the file holds."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

from cluster_desk.core.assessment import assess
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store.assess_columns import arrays_after_open, read_for_assessment, reading
from cluster_desk.store.project import Project
from cluster_desk.ui.project.assess_engine import AssessRequest, EditStep, Engine
from tests.store.test_assess_after_open import opened_texts

DAY = "2025-06-01"


def undated(n: int) -> tuple[list[Member], list[Link]]:
    kinds = [MemberKind.FIRM] * 6 + [MemberKind.RESEARCH, MemberKind.EDUCATION, MemberKind.AUTHORITY,
                                     MemberKind.CLUSTER_ORG]
    members = [Member(f"m{i}", kinds[i % len(kinds)], Status.MEMBER, id=f"m{i}", sector="29.10",
                      employees=5 + i, lat=55.0 + i / 50, lon=49.0 + i / 70) for i in range(n)]
    links = [Link(f"m{j % n}", f"m{(j * 7 + 3) % n}", list(LinkKind)[j % len(LinkKind)], id=f"l{j}")
             for j in range(3 * n) if j % n != (j * 7 + 3) % n]
    return members, links


class ColdRoster:
    """A file read by the engine as the window's first assessment after a cold open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.settings = ClusterSettings()
        with Project.create(path) as p:
            p.add_members(undated(40)[0])
            p.add_links(undated(40)[1])
        self.texts: SharedTexts = opened_texts(path)
        self.engine = Engine()
        self.version = 0
        self.steps: list[EditStep] = []

    def read(self) -> tuple[object, None]:
        """The window's read: the open's columns while the file is as the open read it."""
        with reading(self.path) as conn:
            arrays = arrays_after_open(conn, self.texts) if self.version == 0 else None
        return (arrays, None) if arrays is not None else (read_for_assessment(self.path)[0], None)

    def edit(self, members: list[Member] = (), links: list[Link] = (),  # type: ignore[assignment]
             link_removed: list[str] = ()) -> None:  # type: ignore[assignment]
        with Project.open(self.path) as p:
            for m in members:
                p.update_member(m)
            for lk in links:
                (p.update_link if lk.id in {k.id for k in p.links()} else p.add_link)(lk)
            for lid in link_removed:
                p.delete_links([lid])
        self.version += 1
        self.steps.append(EditStep(self.version - 1, self.version, tuple(members), (), tuple(links),
                                   tuple(link_removed)))

    def check(self) -> str:
        done = self.engine.assess(AssessRequest(None, None, self.settings, on=DAY, read=self.read,  # type: ignore[arg-type]
                                                version=self.version, steps=tuple(self.steps)))
        with Project.open(self.path) as p:
            assert done.results == assess(p.members(), p.links(), self.settings, on=DAY)
        return done.arrays


def test_edits_recording_a_first_date_output_or_volume_patch_the_one_value_columns(tmp_path: Path) -> None:
    r = ColdRoster(tmp_path / "p.cdesk")
    assert r.check() == "read"
    held = r.engine._arrays
    assert held is not None and all(getattr(held, c).strides == (0,)
                                    for c in ("joined", "left", "output", "start", "end", "volume"))
    with Project.open(r.path) as p:
        before = ({m.id: m for m in p.members()}["m3"], {lk.id: lk for lk in p.links()}["l5"])
    joined = dataclasses.replace(before[0], joined="2020-01-01", left="2025-01-01", output=2e6)
    r.edit(members=[joined])
    assert r.check() == "members"
    r.edit(links=[dataclasses.replace(before[1], end="2024-12-31", volume=1e6 / 3),
                  Link("m1", "m2", LinkKind.SUPPLY, id="new", start="2026-01-01", volume=5.0)])
    assert r.check() == "link edit"
    r.edit(members=[before[0]], links=[before[1]], link_removed=["new"])  # the undo
    assert r.check() == "members, link edit"


def test_another_programs_change_is_read_from_the_file(tmp_path: Path) -> None:
    r = ColdRoster(tmp_path / "p.cdesk")
    r.check()
    with sqlite3.connect(r.path) as conn:  # (no step: the engine cannot follow, it reads again)
        conn.execute("UPDATE links SET volume = 12.5, \"end\" = '2025-01-01' WHERE id = 'l7'")
        conn.execute("UPDATE members SET output = 1e7 WHERE id = 'm0'")
    conn.close()
    r.version += 1
    r.steps.clear()
    assert r.check() == "read"
