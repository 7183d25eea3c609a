"""File > Import from the menu: ask for a file, preview and import it (``ImportDialog``), then
show what was imported and refresh the window's views (one undo step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from cluster_desk.io import IMPORT_SUFFIXES, ImportReport
from cluster_desk.io.links import LinkImportReport
from cluster_desk.text import import_summary
from cluster_desk.ui.exchange.import_dialog import ImportDialog
from cluster_desk.ui.exchange.import_parts import project_of, reload_views
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.widgets.plain_text import plain_box

__all__ = ["run_import_dialog"]


def run_import_dialog(
    parent: QWidget | None, session_or_project: Any, path: str | Path | None = None
) -> ImportReport | LinkImportReport | None:
    """Ask for a file (unless given), preview, import. Returns the report (a file of links only:
    the links report), or None if cancelled."""
    project = project_of(session_or_project)
    if project is None:
        return None
    if path is None:
        patterns = " ".join(f"*{s}" for s in IMPORT_SUFFIXES)
        chosen, _ = QFileDialog.getOpenFileName(
            parent,
            QApplication.translate("import", "Import roster"),
            "",
            QApplication.translate("import", "Members and links (%1);;All files (*)").replace("%1", patterns),
        )
        if not chosen:
            return None
        path = chosen
    dialog = ImportDialog(parent, project, Path(path))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    links = dialog.links.report if dialog.links is not None else None
    report: ImportReport | LinkImportReport | None = links if dialog.links_only else dialog.report
    if report is None:
        return None
    undo_text = QApplication.translate("import", "Import links") if dialog.links_only else ""
    reload_views(session_or_project, undo_text)
    said = "\n".join(line for line in (
        "" if dialog.links_only or dialog.report is None else import_summary(dialog.report, ui_text()),
        "" if dialog.links is None else dialog.links.summary()) if line)
    box = plain_box(QMessageBox.Icon.Information, parent, dialog.windowTitle(), said)
    left_out = "" if dialog.links is None else dialog.links.problems_text()
    if left_out:  # the link rows left out, also those beyond the preview's first rows
        box.setDetailedText(left_out)
    box.exec()
    return report
