"""The passport's and the year-end snapshot's work on a worker thread (no Qt here).

Issue 17: both built every record and assessed on the GUI thread (100,000 members: seconds of a
frozen window under a wait cursor). Here they read the project file as committed, on a
read-only connection of the worker's own (``export_work.read_committed``; the snapshot reads
arrays only, no record), and report (stage, fraction) as they go. The passport as HTML is
written here too (temp file + rename); as PDF the page is built here and printed by Qt WebEngine
from the GUI thread (passport_print.py), whose work runs in Chromium's own processes.
"""

from __future__ import annotations

import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cluster_desk.ui.exchange.export_work import (
    ExportCancelled,
    Progress,
    let_go,
    quiet_collector,
    read_committed,
)

if TYPE_CHECKING:
    from cluster_desk.report.data import PassportData
    from cluster_desk.ui.exchange.export_work import Committed


def _stop_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise ExportCancelled


def passport_page(path: Path, dest: Path, *, day: str | None, lang: str, name: str, progress: Progress,
                  cancel: threading.Event) -> Path | None:
    """Gather and draw the passport of the project at ``path`` on ``day`` (None: today). An
    HTML ``dest`` is written (None returned); for a PDF the page is written to a new temporary
    folder and its path returned (the caller prints it, then removes the folder)."""
    from cluster_desk.report.charts import set_up_matplotlib

    # First (matplotlib's first import is frozen as it ends: nothing of the job's with it).
    set_up_matplotlib()
    with quiet_collector():
        return _passport_page(path, dest, day=day, lang=lang, name=name, progress=progress, cancel=cancel)


def _passport_page(path: Path, dest: Path, *, day: str | None, lang: str, name: str, progress: Progress,
                   cancel: threading.Event) -> Path | None:
    from cluster_desk.atomic import atomic_open
    from cluster_desk.report import build_passport_html, passport_data
    from cluster_desk.report.snapshots import latest_in

    progress("read", 0.0)
    got = read_committed(path)
    snapshot = latest_in(got.meta, day or date.today().isoformat())
    _stop_if(cancel)
    progress("assess", 0.0)
    data = passport_data(got.members, got.links, got.settings, lang=lang, day=day, name=name,
                         snapshot=snapshot)
    _stop_if(cancel)
    progress("draw", 0.0)
    pdf = dest.suffix.lower() == ".pdf"
    html = build_passport_html(data, "jpeg" if pdf else "svg")
    _stop_if(cancel)
    progress("write", 0.0)
    if pdf:
        folder = Path(tempfile.mkdtemp(prefix="cd-passport-"))
        page = folder / "passport.html"
        page.write_text(html, encoding="utf-8")
        _let_go(data, got)
        return page
    with atomic_open(dest, "w", encoding="utf-8") as f:
        f.write(html)
    _let_go(data, got)
    return None


def _let_go(data: PassportData, got: Committed) -> None:
    """The job's records freed in steps (export_work.let_go), the passport's lists of them first
    (they only share the records the read's lists hold)."""
    let_go(data.participants, data.candidates, data.links, got.members, got.links)


def year_end_checks(path: Path, day: str, *, progress: Progress,
                    cancel: threading.Event) -> list[dict[str, Any]]:
    """The checks on ``day`` of the project at ``path`` as a snapshot keeps them (the file's
    arrays: no record built; the same assessment as ``check --as-of``)."""
    from cluster_desk.core.assessment import assess_arrays
    from cluster_desk.report.snapshots import checks_of
    from cluster_desk.store.assess_columns import arrays_of, reading
    from cluster_desk.store.project import Project

    with quiet_collector():
        progress("read", 0.0)
        with reading(path) as conn:
            arrays = arrays_of(conn, path)
            settings = Project(path, conn).settings()
        _stop_if(cancel)
        progress("assess", 0.0)
        return checks_of(assess_arrays(arrays, settings, on=day))
