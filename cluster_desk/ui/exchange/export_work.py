"""An export's work, run on a worker thread (no Qt here: it touches no object of the window).

Issue 17: the window built every record on the GUI thread (100,000 members and 300,000 links:
1-2 s) and then wrote the file there too (seconds more), under a wait cursor. Here both happen on
a thread of their own: the records are read from the project file on a read-only connection of
this thread's, in one read transaction (every acknowledged edit is in the file, so that is what
the window shows as of the click), then written by the same exporters as ``cluster-desk export``.
They write a hidden temp file and rename it when complete (``cluster_desk.atomic``), so a
cancelled or failed export leaves no file and an existing destination as it was.

Progress is reported as (stage, fraction): "read" while the records are read, then "write" as
the exporter pulls the records (a share of all it will pull). Cancelling sets an event the same
pulls look at: the exporter's block ends with ``ExportCancelled`` and its temp file is removed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cluster_desk.core.model import ClusterSettings, Link, Member

#: (stage, fraction 0..1), called from the worker thread.
Progress = Callable[[str, float], None]
#: Records pulled between two looks at the cancel event and the progress.
STEP = 2048


class ExportCancelled(Exception):
    """The user cancelled the export (not an OSError: no exporter reports it as a write failure)."""


@dataclass(frozen=True)
class Committed:
    """The project file's records as of one read transaction."""

    members: list[Member]
    links: list[Link]
    settings: ClusterSettings
    meta: dict[str, str]  # the project's meta table (year-end snapshots among it)


def read_committed(path: Path, *, with_links: bool = True) -> Committed:
    """Every member (and link) record of the project file at ``path``, on a read-only connection
    of the calling thread, in one read transaction. Raises sqlite3.Error or store.ProjectError."""
    from cluster_desk.store.assess_columns import reading
    from cluster_desk.store.project import Project

    with reading(path) as conn:
        project = Project(path, conn)  # the record reads of the store, over this connection
        settings = project.settings()
        meta = project.meta()
        members = project.members()
        links = project.links() if with_links else []
    return Committed(members, links, settings, meta)


class Pulls:
    """Counts the records an exporter pulls (the progress of its write) and stops it when the
    export is cancelled."""

    def __init__(self, total: int, progress: Progress, cancel: threading.Event) -> None:
        self.total = max(1, total)
        self.done = 0
        self.progress = progress
        self.cancel = cancel

    def watch(self, records: Sequence[Any]) -> Iterable[Any]:
        return _Watched(records, self)

    def step(self, n: int) -> None:
        if self.cancel.is_set():
            raise ExportCancelled
        self.done += n
        self.progress("write", min(1.0, self.done / self.total))


class _Watched:
    """A sequence's records, pulled in steps of STEP (iterable again: some exporters walk the
    members twice)."""

    def __init__(self, records: Sequence[Any], pulls: Pulls) -> None:
        self.records, self.pulls = records, pulls

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Any]:
        records, pulls = self.records, self.pulls
        for lo in range(0, len(records), STEP):
            pulls.step(0)
            yield from records[lo:lo + STEP]
            pulls.step(min(STEP, len(records) - lo))


def export_file(path: Path, dest: Path, kind: str, *, title: str, lang: str, progress: Progress,
                cancel: threading.Event) -> tuple[int, int]:
    """Read the project at ``path`` and write ``dest``: ``kind`` "roster" (format by suffix,
    links too where the format holds them) or "links" (the links table). (members written or
    links written, links written alongside). Raises ExportCancelled, io.ExportError, OSError,
    ValueError, sqlite3.Error, store.ProjectError."""
    with quiet_collector():
        return _export_file(path, dest, kind, title=title, lang=lang, progress=progress, cancel=cancel)


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """The cycle collector paused while a worker builds records and writes them (core.collector's
    ``gc_paused``, for the whole job): hundreds of thousands of new records and rows set off its
    full collections, which scan every object of the process (the window's too) holding the
    GIL, so the GUI thread waited 2-4 s at a time at 100,000 members. Records, rows and
    features hold no cycles; reference counting frees them as usual."""
    from cluster_desk.core.collector import gc_paused

    with gc_paused():
        yield


def let_go(*records: list[Any]) -> None:
    """Empty these lists STEP records at a time, the last one's references first (a job's own
    lists: nothing else holds their records). Let go at once, as the job's frame returned, the
    100,000 members and 300,000 links of a 100k project were freed in one cascade of
    deallocations holding the GIL: ~0.14 s the GUI thread could not run (issue 17). Between two
    steps the interpreter may hand the GIL over."""
    for held in records:
        while held:
            del held[-STEP:]


def _export_file(path: Path, dest: Path, kind: str, *, title: str, lang: str, progress: Progress,
                 cancel: threading.Event) -> tuple[int, int]:
    from cluster_desk.io import export_roster
    from cluster_desk.io.export_errors import reporting_export_errors
    from cluster_desk.io.links import export_links_csv

    progress("read", 0.0)
    with_links = kind == "links" or dest.suffix.lower() in WITH_LINKS
    got = read_committed(path, with_links=with_links)
    if cancel.is_set():
        raise ExportCancelled
    progress("read", 1.0)
    if kind == "links":
        pulls = Pulls(len(got.members) + len(got.links), progress, cancel)
        with reporting_export_errors(dest):
            count = export_links_csv(pulls.watch(got.members), pulls.watch(got.links), dest, lang=lang)
        let_go(got.members, got.links)
        return count, count
    pulls = Pulls(len(got.members) + len(got.links), progress, cancel)
    count = export_roster(pulls.watch(got.members), pulls.watch(got.links) if with_links else None, dest,
                          title=title, lang=lang)
    written_links = len(got.links) if with_links else 0
    let_go(got.members, got.links)
    return count, written_links


#: Export formats that carry the links too (an XLSX sheet, GeoJSON/KML lines, a GeoPackage layer).
WITH_LINKS = (".xlsx", ".geojson", ".json", ".kml", ".gpkg")
