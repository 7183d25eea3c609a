"""Import and merge reports as sentences (io.roster.ImportReport, io.links.LinkImportReport,
store.merge.MergeReport)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from cluster_desk.text.speech import Speaker, Text


class _ImportCounts(Protocol):
    file: str
    added: int
    updated: int
    unchanged: int
    dry_run: bool

    @property
    def rows_skipped(self) -> int: ...

    @property
    def problems(self) -> list[object]: ...

    @property
    def warnings(self) -> Sequence[object]: ...  # io.notes.Notes for a roster


class _LinkCounts(Protocol):
    file: str
    added: int
    updated: int
    unchanged: int

    @property
    def rows_skipped(self) -> int: ...

    @property
    def problems(self) -> list[object]: ...


class _MergeCounts(Protocol):
    conflicts_mine: int
    conflicts_theirs: int

    @property
    def added(self) -> list[str]: ...

    @property
    def changed(self) -> list[str]: ...

    @property
    def deleted(self) -> list[str]: ...


class ImportReportText(Speaker):
    def summary(self, r: _ImportCounts) -> str:
        total = r.added + r.updated + r.unchanged
        if r.dry_run:
            head = self.tr("Would import %1 member(s) from %2", None, total).arg(total, r.file)
        else:
            head = self.tr("Imported %1 member(s) from %2", None, total).arg(total, r.file)
        parts = [
            head + " " + self.tr("(%1 added, %2 updated, %3 unchanged)").arg(r.added, r.updated, r.unchanged)
        ]
        if r.problems:
            parts.append(self.tr("%1 row(s) skipped", None, r.rows_skipped).arg(r.rows_skipped))
        if r.warnings:
            parts.append(self.tr("%1 warning(s)", None, len(r.warnings)).arg(len(r.warnings)))
        conflicts = len(getattr(r, "conflicts", ()))  # same name, another INN: the user decides
        if conflicts:
            text = self.tr("%1 conflict(s)", None, conflicts).arg(conflicts)
            left_out = getattr(r, "conflicts_open", 0)
            if left_out:
                text += " " + self.tr("(%1 left out until decided)").arg(left_out)
            parts.append(text)
        return "; ".join(parts) + "."


class MergeReportText(Speaker):
    def summary(self, r: _MergeCounts) -> str:
        text = self.tr("Merged: %1 added, %2 changed, %3 deleted").arg(
            len(r.added), len(r.changed), len(r.deleted)
        )
        if r.conflicts_mine or r.conflicts_theirs:
            text += "; " + self.tr("conflicts: %1 kept the master's value, %2 took the field copy's").arg(
                r.conflicts_mine, r.conflicts_theirs
            )
        return text + "."


def import_summary(report: _ImportCounts, text: Text) -> str:
    """One sentence: "Imported 98 members from roster.csv (90 added, ...); 2 rows skipped."."""
    return ImportReportText(text).summary(report)


def merge_summary(report: _MergeCounts, text: Text) -> str:
    """One sentence: "Merged: 3 added, 1 changed, 0 deleted; conflicts: ..."."""
    return MergeReportText(text).summary(report)


class LinkImportReportText(Speaker):
    def summary(self, r: _LinkCounts) -> str:
        total = r.added + r.updated + r.unchanged
        text = self.tr("Imported %1 link(s) from %2", None, total).arg(total, r.file)
        text += " " + self.tr("(%1 added, %2 updated, %3 unchanged)").arg(r.added, r.updated, r.unchanged)
        if r.problems:
            text += "; " + self.tr("%1 row(s) skipped", None, r.rows_skipped).arg(r.rows_skipped)
        return text + "."


def link_import_summary(report: _LinkCounts, text: Text) -> str:
    """One sentence: "Imported 40 links from links.csv (40 added, 0 updated, 0 unchanged)."."""
    return LinkImportReportText(text).summary(report)
