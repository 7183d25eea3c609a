"""File › Automatic Copies…: the copies kept before bulk changes listed in the real window, one
opened as a project of its own; the project itself never written over (real files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import make_window  # noqa: E402

from cluster_desk.core.model import Member, MemberKind  # noqa: E402
from cluster_desk.store import Project  # noqa: E402
from cluster_desk.ui.project.copies_dialog import CopiesDialog  # noqa: E402


def _project(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A project with a copy before each of two imports: 2 members, then 3, then 5 now."""
    path = tmp_path / "Kazan.cdesk"
    copies = []
    with Project.create(path) as p:
        p.add_members([Member(f"firm {i}", MemberKind.FIRM, lat=55.8, lon=49.1) for i in range(2)])
        copies.append(p.backup("import"))
        p.add_member(Member("firm 2", MemberKind.FIRM, lat=55.8, lon=49.1))
        copies.append(p.backup("merge"))
        p.add_members([Member(f"firm {i}", MemberKind.FIRM, lat=55.8, lon=49.1) for i in (3, 4)])
    return path, copies


def _names(window: Any) -> list[str]:
    return sorted(m.name for m in window.session.members.values())


def test_a_copy_opens_as_a_project_of_its_own(qtbot: Any, tmp_path: Path) -> None:
    path, (first, second) = _project(tmp_path)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    assert window.actions.automatic_copies.isEnabled()
    shown: list[list[str]] = []

    def choose_the_oldest(dialog: CopiesDialog) -> bool:
        rows = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
        shown.extend([r.text(c) for c in range(4)] for r in rows)
        dialog.list.setCurrentItem(rows[-1])
        assert dialog.open_button.isEnabled()
        return True

    window.copies.run_dialog = choose_the_oldest
    dest = tmp_path / "Kazan-before.cdesk"
    window.copies.ask_path = lambda project, copy: dest
    statuses: list[str] = []
    window.notifier.statusShown.connect(lambda text, *_a: statuses.append(text))
    assert window.copies.show()

    assert [row[1:] for row in shown] == [["merge", "3", "0"], ["import", "2", "0"]]  # newest first
    assert window.session.path == dest and _names(window) == ["firm 0", "firm 1"]
    assert any("Kazan-before.cdesk" in s and "«Kazan» is as it was" in s for s in statuses)
    with Project.open(path) as project:  # the project itself untouched
        assert len(project.members()) == 5
    assert first.exists() and second.exists() and window.errors == []


def test_the_open_project_is_never_written_over(qtbot: Any, tmp_path: Path) -> None:
    path, _copies = _project(tmp_path)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    window.copies.run_dialog = lambda dialog: True  # (the newest is chosen when it opens)
    window.copies.ask_path = lambda project, copy: path
    assert not window.copies.show()
    assert len(window.errors) == 1 and "is the open project" in window.errors[0][1]
    assert window.session.path == path and len(window.session.members) == 5
    with Project.open(path) as project:
        assert len(project.members()) == 5


def test_no_copies_yet_says_so(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "New.cdesk"
    Project.create(path).close()
    dialog = CopiesDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.copies == [] and dialog.chosen() is None
    assert not dialog.open_button.isEnabled() and dialog.list.isHidden() and not dialog.empty.isHidden()


def test_a_team_working_copys_copy_opens_unlinked(qtbot: Any, tmp_path: Path) -> None:
    """Syncing a copy that still held the working copy's link would speak to the server as that
    working copy (its client id): the copy opens as a local project."""
    from cluster_desk.team.workcopy import TeamLink, save_link, team_link

    path, _copies = _project(tmp_path)
    link = TeamLink(dsn="host=/nonexistent dbname=none", cluster="kazan")
    with Project.open(path) as p:
        save_link(p, link)
        p.backup("sync")  # (a copy of the working copy, link and all)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    window.copies.run_dialog = lambda dialog: True  # (the newest: the one before the sync)
    dest = tmp_path / "Kazan-local.cdesk"
    window.copies.ask_path = lambda project, copy: dest
    statuses: list[str] = []
    window.notifier.statusShown.connect(lambda text, *_a: statuses.append(text))
    assert window.copies.show()
    assert window.session.path == dest and team_link(window.session.project) is None
    assert any("not linked to the team server" in s for s in statuses)
    with Project.open(path) as project:  # the working copy keeps its link
        assert team_link(project) == link
