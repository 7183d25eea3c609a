"""File > Import: preview (detected format/encoding, column matches, problems), then one transaction.

Hook-up (main window): ``action_import.triggered.connect(lambda: run_import_dialog(self, self.session))``.
After a successful import the session re-opens the project file so every view reloads; this
clears the undo stack (an import is one transaction, not an undoable command; the change log
records every row it added or changed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from cluster_desk.core.model import MEMBER_FIELDS
from cluster_desk.io import IMPORT_SUFFIXES, ImportCancelled, ImportFileError, ImportOptions, ImportReport
from cluster_desk.io.roster import import_into
from cluster_desk.text import import_summary
from cluster_desk.ui.i18n import ui_text

__all__ = ["ImportDialog", "run_import_dialog"]

_PREVIEW_ROWS = 50
_SKIP = "(ignore)"


def project_of(session_or_project: Any) -> Any:
    return getattr(session_or_project, "project", session_or_project)


def reload_views(session_or_project: Any, text: str = "") -> None:
    # A ProjectSession adopts what the import wrote as one undo step (the views follow what
    # changed); a bare Project needs nothing.
    if hasattr(session_or_project, "project") and hasattr(session_or_project, "take_bulk_change"):
        from cluster_desk.ui.project.commands import record_bulk_change

        record_bulk_change(session_or_project, text or QApplication.translate("import", "Import roster"))


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, project: Any, path: Path) -> None:
        super().__init__(parent)
        self.project, self.path = project, path
        self.report: ImportReport | None = None
        self.setWindowTitle(self.tr("Import roster — %s") % path.name)
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels([self.tr("Column in the file"), self.tr("Member field")])
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.setMaximumHeight(180)
        layout.addWidget(self.mapping)
        row = QHBoxLayout()
        self.swap = QCheckBox(self.tr("Swap latitude and longitude in flagged rows"))
        self.swap.toggled.connect(self.refresh)
        row.addWidget(self.swap)
        refresh = QPushButton(self.tr("Update preview"))
        refresh.clicked.connect(self.refresh)
        row.addStretch(1)
        row.addWidget(refresh)
        layout.addLayout(row)
        self.preview = QTableWidget(0, len(MEMBER_FIELDS))
        self.preview.setHorizontalHeaderLabels(list(MEMBER_FIELDS))
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.preview, 2)
        self.problems = QListWidget()
        layout.addWidget(self.problems, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._headers: list[str] = []
        self.refresh()

    # The column matches the user set in the table (file column -> field).
    def options(self) -> ImportOptions:
        mapping: dict[str, str] = {}
        for r in range(self.mapping.rowCount()):
            header = self.mapping.item(r, 0).text()
            combo = self.mapping.cellWidget(r, 1)
            if isinstance(combo, QComboBox) and combo.currentText() != _SKIP:
                mapping[header] = combo.currentText()
        return ImportOptions(mapping=mapping or None, swap_flagged=self.swap.isChecked())

    def refresh(self) -> None:
        options = self.options() if self._headers else ImportOptions(swap_flagged=self.swap.isChecked())
        try:
            report = import_into(self.project, self.path, options, dry_run=True, sample_size=_PREVIEW_ROWS)
        except (ImportFileError, ValueError, OSError) as e:
            self.info.setText(str(e))
            self.import_button.setEnabled(False)
            return
        self.import_button.setEnabled(True)
        self.report = report
        enc = f", {report.encoding}" if report.encoding else ""
        sep = {",": "comma", ";": "semicolon", "\t": "tab"}.get(report.delimiter, "")
        summary = import_summary(report, ui_text())
        self.info.setText(
            self.tr("Format: %s%s%s. %s")
            % (report.format.upper(), enc, f", {sep}-separated" if sep else "", summary)
        )
        if not self._headers and report.columns:
            self._headers = list(report.columns) + list(report.ignored_columns)
            self.mapping.setRowCount(len(self._headers))
            for r, header in enumerate(self._headers):
                self.mapping.setItem(r, 0, QTableWidgetItem(header))
                combo = QComboBox()
                combo.addItems([_SKIP, "latlon", "id", *MEMBER_FIELDS])
                combo.setCurrentText(report.columns.get(header, _SKIP))
                combo.currentTextChanged.connect(self.refresh)
                self.mapping.setCellWidget(r, 1, combo)
        self.preview.setRowCount(len(report.sample))
        for r, m in enumerate(report.sample):
            for c, fld in enumerate(MEMBER_FIELDS):
                value = getattr(m, fld)
                self.preview.setItem(
                    r, c, QTableWidgetItem("" if value is None else str(getattr(value, "value", value)))
                )
        self.problems.clear()
        for p in report.problems[:1000]:
            self.problems.addItem(self.tr("Not imported: ") + str(p))
        for w in report.warnings[:1000]:
            self.problems.addItem(self.tr("Check: ") + (str(w) if w.row else w.message))

    def run_import(self) -> None:
        progress = QProgressDialog(self.tr("Importing…"), self.tr("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def tick(rows: int) -> None:
            progress.setLabelText(self.tr("Importing… %n rows read", "", rows))
            QApplication.processEvents()
            if progress.wasCanceled():
                raise ImportCancelled

        try:
            self.report = import_into(self.project, self.path, self.options(), progress=tick)
        except ImportCancelled:
            progress.close()
            QMessageBox.information(
                self, self.windowTitle(), self.tr("Import cancelled; nothing was changed.")
            )
            return
        except (ImportFileError, ValueError, OSError) as e:
            progress.close()
            QMessageBox.warning(self, self.windowTitle(), self.tr("Nothing was imported: %s") % e)
            return
        progress.close()
        self.accept()


def run_import_dialog(
    parent: QWidget | None, session_or_project: Any, path: str | Path | None = None
) -> ImportReport | None:
    """Ask for a file (unless given), preview, import. Returns the report, or None if cancelled."""
    project = project_of(session_or_project)
    if project is None:
        return None
    if path is None:
        patterns = " ".join(f"*{s}" for s in IMPORT_SUFFIXES)
        chosen, _ = QFileDialog.getOpenFileName(
            parent,
            QApplication.translate("import", "Import roster"),
            "",
            f"Rosters ({patterns});;All files (*)",
        )
        if not chosen:
            return None
        path = chosen
    dialog = ImportDialog(parent, project, Path(path))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.report is None:
        return None
    report = dialog.report
    reload_views(session_or_project)
    QMessageBox.information(parent, dialog.windowTitle(), import_summary(report, ui_text()))
    return report
