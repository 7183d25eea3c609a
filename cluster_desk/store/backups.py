"""Automatic copies of a project kept before bulk changes (an import, a merge, a sync).

Where: a hidden folder beside the project, ``.NAME.backups/`` (for ``Kazan.cdesk``:
``.Kazan.cdesk.backups/``), so the copies stay on the same disk and travel with the project's
folder, and a user who looks for them finds them next to the file. Each copy is a complete
project (open it like any other) named ``STEM-YYYYMMDD-HHMMSS-REASON.cdesk`` (UTC time; a second
copy within the same second is ``STEM-YYYYMMDD-HHMMSS-2-REASON.cdesk``); the last ``KEEP`` copies
are kept, older ones removed. Written like every copy: a snapshot of the last commit to a temp
file, fsynced, renamed into place.

A copy goes back into use as a project of its own (``save_as``: File › Automatic Copies…), never
written over the project: another window or program may have the project open, and its next edit
would land in the replaced file unnoticed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_desk.atomic import atomic_path
from cluster_desk.store.errors import ProjectError, cause_params, copy_error

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


def make_backup(project: Project, reason: str, *, step: Callable[[], None] | None = None) -> Path:
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
    project.save_copy(dest, step=step)
    for old in list_backups(project.path)[:-KEEP]:
        old.unlink(missing_ok=True)
    return dest


#: ``STEM-YYYYMMDD-HHMMSS[-N]-REASON``: when a copy was made (UTC) and the change it came before.
_NAME_RE = re.compile(r"-(\d{8})-(\d{6})(?:-\d+)?-([a-z0-9-]+)$")


@dataclass(frozen=True)
class Copy:
    """An automatic copy as a list shows it: when it was made, before what, and its size in rows
    (None when the file cannot be read)."""

    path: Path
    made: datetime | None  # (UTC; None: a name not of our making)
    reason: str
    members: int | None
    links: int | None


def describe(copy: Path) -> Copy:
    """What ``copy`` is (its name, and its rows counted on a connection that only reads)."""
    found = _NAME_RE.search(copy.stem)
    made = None
    if found is not None:
        try:
            made = datetime.strptime(found[1] + found[2], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            made = None
    members = links = None
    try:
        conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        try:
            members, links = conn.execute(
                "SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM links)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass
    return Copy(copy, made, found[3] if found is not None else "", members, links)


def save_as(copy: Path, dest: Path, *, meta: dict[str, str] | None = None) -> None:
    """Write automatic copy ``copy`` to ``dest``, a project of its own (``dest`` is replaced only
    when complete); the copy is only read. ``meta`` keys are written into it before it takes
    ``dest``'s name (as ``Project.save_copy``'s: a team working copy's link taken off)."""
    from cluster_desk.store.project import write_meta

    try:
        with atomic_path(dest) as tmp:
            source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
            try:
                target = sqlite3.connect(str(tmp))
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
            if meta:
                write_meta(tmp, meta)
    except (OSError, sqlite3.Error) as e:
        raise copy_error(dest, e) from e
