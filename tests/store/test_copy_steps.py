"""Copies made in parts (``save_copy(step=)``): between parts the caller runs (a window's progress
handles its events: at a million members the automatic copy before an import takes seconds), and
what it raises stops the copy with nothing half-written. Real files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io import ImportCancelled, export_roster, import_into
from cluster_desk.store import project as project_module
from cluster_desk.store.backups import backup_folder
from cluster_desk.store.project import Project


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(project_module, "COPY_STEP_PAGES", 8)  # (a small file in many parts)
    p = Project.create(tmp_path / "cluster.cdesk")
    p.add_members([Member(f"Фирма {i}", id=f"m{i}", notes="x" * 200) for i in range(2000)])
    yield p
    p.close()


def test_a_copy_in_parts_calls_between_them_and_is_the_same_project(proj, tmp_path):
    calls: list[int] = []
    dest = tmp_path / "copy.cdesk"
    proj.save_copy(dest, step=lambda: calls.append(1))
    assert len(calls) >= 10
    with Project.open(dest) as copy:
        assert copy.members() == proj.members() and copy.history() == proj.history()


def test_what_the_step_raises_stops_the_copy_and_keeps_the_old_one(proj, tmp_path):
    dest = tmp_path / "copy.cdesk"
    dest.write_bytes(b"the previous copy")

    def stop() -> None:
        raise ImportCancelled

    with pytest.raises(ImportCancelled):
        proj.save_copy(dest, step=stop)
    assert dest.read_bytes() == b"the previous copy"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "copy.cdesk"]  # no temp file


def test_cancelling_an_import_during_its_automatic_copy_changes_nothing(proj, tmp_path):
    roster = tmp_path / "roster.csv"
    export_roster([Member("Новая фирма", id="new")], None, roster)
    seen: list[int] = []

    def cancel(rows: int) -> None:  # (the file's rows are read before the copy: it is the first call)
        seen.append(rows)
        raise ImportCancelled

    with pytest.raises(ImportCancelled):
        import_into(proj, roster, progress=cancel)
    assert seen == [1]  # (the row read so far, as the progress says while the copy is made)
    assert len(proj.members()) == 2000 and not proj.backups()
    folder = backup_folder(proj.path)
    assert not folder.exists() or list(folder.iterdir()) == []  # (no half-made copy left)
