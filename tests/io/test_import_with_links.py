"""A workbook with members and links imports in one transaction after one backup (issue 12):
the window's one undo step, and a failure in the links part leaves the members out too."""

from __future__ import annotations

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.io import export_roster
from cluster_desk.io.with_links import import_members_and_links
from cluster_desk.store import Project
from cluster_desk.store.link_import import LinkImportWriter


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    members, links, _ = demo_cluster()
    path = tmp_path_factory.mktemp("wb") / "cluster.xlsx"
    export_roster(members, links, path, lang="ru")
    return path, members, links


def test_members_and_links_in_one_transaction_and_one_backup(tmp_path, workbook):
    path, members, links = workbook
    with Project.create(tmp_path / "p.cdesk") as p:
        report, link_report = import_members_and_links(p, path)
        assert report.added == len(members) and link_report is not None
        assert link_report.added == len(links) and not link_report.problems
        assert len(p.backups()) == 1 and report.backup
        assert len(p.links()) == len(links)
        # One transaction: the commit is one range of the change log this connection wrote.
        assert len(p._own_seqs) == 1


def test_a_failure_in_the_links_part_leaves_the_members_out(tmp_path, workbook, monkeypatch):
    path, _members, _ = workbook
    with Project.create(tmp_path / "p.cdesk") as p:
        def broken(self, columns, count):
            raise OSError("disk full")

        # the links are written a batch at a time (every insert ends there)
        monkeypatch.setattr(LinkImportWriter, "_insert_checked", broken)
        with pytest.raises(OSError):
            import_members_and_links(p, path)
        assert p.members() == [] and p.links() == []


def test_a_dry_run_writes_nothing(tmp_path, workbook):
    path, members, _ = workbook
    with Project.create(tmp_path / "p.cdesk") as p:
        report, _ = import_members_and_links(p, path, dry_run=True)
        assert report.added == len(members) and p.members() == [] and p.backups() == []
