"""Automatic copies before bulk changes (issue 10, item 1, store side): real files in tmp dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cluster_desk.core.model import Member
from cluster_desk.store import Project, ProjectError
from cluster_desk.store.backups import KEEP, backup_folder


def test_a_copy_is_kept_before_each_bulk_change_and_the_last_five_stay(tmp_path: Path) -> None:
    path = tmp_path / "Kazan.cdesk"
    with Project.create(path) as p:
        made = []
        for i in range(KEEP + 2):
            p.add_member(Member(f"firm {i}"))
            made.append(p.backup("import" if i % 2 else "Merge of field copy!"))
        assert backup_folder(path) == tmp_path / ".Kazan.cdesk.backups"
        kept = p.backups()
        assert kept == made[-KEEP:] and len(kept) == KEEP == 5
        assert all(b.parent == backup_folder(path) for b in kept)
        assert kept[-1].name.startswith("Kazan-") and kept[-1].name.endswith("-merge-of-field-copy.cdesk")
        assert kept[-2].name.endswith("-import.cdesk")  # several within one second get -HHMMSS-2-, -3-
        # Each copy is the project as it was when it was made.
        for n, copy in enumerate(kept, start=3):
            with Project.open(copy) as c:
                assert [m.name for m in c.members()] == [f"firm {i}" for i in range(n)]
        assert sorted(x.name for x in tmp_path.iterdir()) == [".Kazan.cdesk.backups", "Kazan.cdesk"]


def test_a_copy_that_cannot_be_written_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    backup_folder(path).write_text("a file where the folder should be")
    with Project.create(path) as p, pytest.raises(ProjectError, match=r"\.p\.cdesk\.backups") as e:
        p.backup("import")
    assert "\n" not in str(e.value) and "import" in str(e.value)
    assert sorted(os.listdir(tmp_path)) == [".p.cdesk.backups", "p.cdesk"]


def test_a_copy_is_described_and_saved_as_a_project_of_its_own(tmp_path: Path) -> None:
    from cluster_desk.store.backups import describe, save_as

    path = tmp_path / "Kazan.cdesk"
    with Project.create(path) as p:
        for i in range(3):
            p.add_member(Member(f"firm {i}"))
        copy = p.backup("import")
        p.add_member(Member("firm 3"))  # (the bulk change the copy was kept before)
    seen = describe(copy)
    assert (seen.path, seen.reason, seen.members, seen.links) == (copy, "import", 3, 0)
    assert seen.made is not None and seen.made.tzinfo is not None
    assert seen.made.strftime("%Y%m%d-%H%M%S") in copy.name  # (the name's time, UTC)
    before = copy.read_bytes()

    dest = tmp_path / "Kazan-before-import.cdesk"
    save_as(copy, dest)
    with Project.open(dest) as again:
        assert [m.name for m in again.members()] == ["firm 0", "firm 1", "firm 2"]
    with Project.open(path) as project:  # the project itself as it was
        assert len(project.members()) == 4
    assert copy.read_bytes() == before  # the copy only read
    assert sorted(x.name for x in tmp_path.iterdir()) == [".Kazan.cdesk.backups", "Kazan-before-import.cdesk",
                                                          "Kazan.cdesk"]


def test_a_damaged_copy_is_listed_without_counts_and_not_saved(tmp_path: Path) -> None:
    from cluster_desk.store.backups import describe, save_as

    folder = backup_folder(tmp_path / "p.cdesk")
    folder.mkdir()
    bad = folder / "p-20261130-101500-merge.cdesk"
    bad.write_bytes(b"not a database at all" * 100)
    seen = describe(bad)
    assert (seen.reason, seen.members, seen.links) == ("merge", None, None)
    assert seen.made is not None and seen.made.strftime("%Y-%m-%d %H:%M") == "2026-11-30 10:15"
    with pytest.raises(ProjectError, match=r"out\.cdesk") as e:
        save_as(bad, tmp_path / "out.cdesk")
    assert "\n" not in str(e.value)
    assert [x.name for x in tmp_path.iterdir()] == [".p.cdesk.backups"]  # (no out.cdesk, no temp)
