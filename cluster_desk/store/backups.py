"""Automatic copies of a project kept before bulk changes (an import, a merge, a sync).

Where: a hidden folder beside the project, ``.NAME.backups/`` (for ``Kazan.cdesk``:
``.Kazan.cdesk.backups/``), so the copies stay on the same disk and travel with the project's
folder, and a user who looks for them finds them next to the file. Each copy is a complete
project (open it like any other) named ``STEM-YYYYMMDD-HHMMSS-REASON.cdesk`` (UTC time; a second
copy within the same second is ``STEM-YYYYMMDD-HHMMSS-2-REASON.cdesk``); the last ``KEEP`` copies
are kept, older ones removed. Written like every copy: a snapshot of the last commit to a temp
file, fsynced, renamed into place.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_desk.store.errors import ProjectError, cause_params

if TYPE_CHECKING:
    from cluster_desk.store.project import Project

#: How many automatic copies are kept per project.
KEEP = 5

_REASON_RE = re.compile(r"[^a-z0-9]+")


def backup_folder(project_path: Path) -> Path:
    """The hidden folder beside ``project_path`` that holds its automatic copies."""
    return project_path.with_name(f".{project_path.name}.backups")


def list_backups(project_path: Path) -> list[Path]:
    """The automatic copies of ``project_path``, oldest first."""
    folder = backup_folder(project_path)
    try:
        found = [p for p in folder.iterdir() if p.suffix == project_path.suffix and p.is_file()]
    except OSError:
        return []
    stem = project_path.stem + "-"
    return sorted((p for p in found if p.name.startswith(stem)), key=_age)


def _age(p: Path) -> tuple[int, str]:
    try:
        return p.stat().st_mtime_ns, p.name
    except OSError:
        return 0, p.name


def make_backup(project: Project, reason: str) -> Path:
    """Copy ``project`` (its last commit) into its backup folder; keep the last KEEP copies.

    ``reason`` names the bulk change that follows ("import", "merge", "sync"). Raises
    ProjectError naming the folder when the copy cannot be written (then the caller should not
    start the bulk change).
    """
    folder = backup_folder(project.path)
    label = _REASON_RE.sub("-", reason.lower()).strip("-")[:40] or "backup"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise ProjectError.of("backup_failed", path=folder, reason=label, **cause_params(e)) from e
    dest = folder / f"{project.path.stem}-{stamp}-{label}{project.path.suffix}"
    n = 1
    while dest.exists():  # two bulk changes within one second: number the time, keep the reason last
        n += 1
        dest = folder / f"{project.path.stem}-{stamp}-{n}-{label}{project.path.suffix}"
    project.save_copy(dest)
    for old in list_backups(project.path)[:-KEEP]:
        old.unlink(missing_ok=True)
    return dest
