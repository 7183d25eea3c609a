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
