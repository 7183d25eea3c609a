"""A roster file with its links (an XLSX with a «Связи» sheet, GeoJSON/KML lines, a GeoPackage
links layer): members and links in one transaction, after one backup, so the window records one
undo step and a failure in either part leaves the project as it was."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.links import LinkImportReport, import_links
from cluster_desk.io.roster import ImportOptions, ImportReport, _backup, import_into

__all__ = ["import_members_and_links"]


def import_members_and_links(
    project: Any,
    path: str | os.PathLike[str],
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    max_rows: int | None = None,
    sample_size: int = 0,
) -> tuple[ImportReport, LinkImportReport | None]:
    """Import the members of ``path`` and then its links, if it has any (None: it has none).

    A CSV is a members table or a links table, never both: its links report is None. In a dry
    run the links' ends are matched against the project and the members the file would add or
    change; ``max_rows`` and ``sample_size`` (previews) apply to both tables.
    """
    from cluster_desk.io.formats.links_formats import detect

    path = Path(path)
    has_links = path.is_file() and detect(path) != "csv"
    if dry_run or not has_links:
        planned: list[Member] | None = [] if dry_run and has_links else None
        report = import_into(project, path, options, dry_run=dry_run, progress=progress, max_rows=max_rows,
                             sample_size=sample_size, collect=planned)
        if planned is None:
            return report, None
        return report, _links(project, path, dry_run=True, extra_members=planned, max_rows=max_rows,
                              sample_size=sample_size)
    # The backup is taken before the transaction opens (the copy must not see it half done).
    backup_report = ImportReport(file=path.name)
    _backup(project, backup_report)
    with project.transaction():
        report = import_into(project, path, options, progress=progress)
        links = _links(project, path, dry_run=False)
    report.backup = backup_report.backup
    return report, links


def _links(project: Any, path: Path, *, dry_run: bool, **preview: Any) -> LinkImportReport | None:
    try:
        report = import_links(project, path, dry_run=dry_run, **preview)
    except ImportFileError:
        return None  # no links sheet / layer / lines: a members-only file
    return report if report.added or report.updated or report.unchanged or report.problems else None
