"""File > Import: a live preview (columns matched and ignored, the first rows, every change field by
field, conflicts to decide, problems), then one transaction.

A file with links (a links CSV/TSV, a workbook's «Связи» sheet, GeoJSON/KML/GeoPackage lines) gets
a Links tab (links_part.py); a file of links only shows that tab alone and imports its links.

The preview reads a sample (the first PREVIEW_ROWS rows) and follows every change of the column
mapping at once; before writing, the whole file is checked, and conflicts found there are shown
for a decision first. The mapping combos ignore the mouse wheel unless they have focus, so
scrolling the table never changes a mapping.

The project's keys the rows are matched by are read before the first preview, a big project's on
a thread while the dialog says so (import_keys.py).

Hook-up: ``import_run.run_import_dialog`` asks for the file and runs this dialog. After a successful
import the session adopts what was written as one undo step (``record_bulk_change``); the report
also carries the old records and added ids.

Why ~470 lines: one dialog holds the member preview's five tabs and the import flow (the whole-file
check, conflicts, members with links, links alone); the Links tab is links_part.py, the shared
small parts import_parts.py, the keys' read import_keys.py, the menu's flow import_run.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from cluster_desk.core.model import MEMBER_FIELDS
from cluster_desk.io import ImportCancelled, ImportFileError, ImportOptions, ImportReport
from cluster_desk.io.errors import ImportProblem, clean_echo
from cluster_desk.io.roster import ProjectKeys, import_into
from cluster_desk.io.vocabulary import FIELDS, IMPORT_FIELDS, header, value_word
from cluster_desk.io.with_links import file_parts, import_links_only, import_members_and_links
from cluster_desk.store.errors import ProjectError
from cluster_desk.text import import_summary
from cluster_desk.text.import_file_text import import_file_error
from cluster_desk.text.import_problems import import_problem_line
from cluster_desk.ui.exchange.import_keys import KeysRead
from cluster_desk.ui.exchange.import_parts import (
    CHOICE_ROLE,
    FILE_ROW_ROLE,
    DecisionDelegate,
    NoWheelComboBox,
    project_of,
    reload_views,
)
from cluster_desk.ui.exchange.links_part import LinksPart, format_name
from cluster_desk.ui.i18n import current_language, ui_text, user_message
from cluster_desk.ui.widgets.plain_text import inform, title_text, warn

__all__ = ["ImportDialog", "NoWheelComboBox", "project_of", "reload_views"]

#: Rows the live preview reads (the whole file is checked before writing).
PREVIEW_ROWS = 2000
_SHOWN_CHANGES = 5000
_SHOWN_PROBLEMS = 1000
_DEBOUNCE_MS = 120
#: Rows whose texts fit a preview table's columns (``resizeColumnsToContents``).
_FIT_ROWS = 200


def _fit_columns(table: QTableWidget) -> None:
    """Columns fitted to their texts, the last stretched to the edge again (fitting a shown
    table's columns leaves its last one at its text's width)."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setStretchLastSection(True)


def _shown(field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return ui_text().plain(value)  # "55,79" in Russian
    return clean_echo(value_word(field, value, current_language()), 120)


def _problem_line(p: ImportProblem, *, imported: bool) -> str:
    """The problem in the interface language (the English line if its code has no renderer yet)."""
    label = header(p.field, current_language()) if p.field in FIELDS else p.field
    try:
        return import_problem_line(p, ui_text(), field_label=label, imported=imported)
    except KeyError:
        return str(p)


class ImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, project: Any, path: Path) -> None:
        super().__init__(parent)
        self.project, self.path = project, path
        self.report: ImportReport | None = None
        # The project's keys, read before the first preview (a big project's on a thread) and
        # shared by the next; the import reads them again if the project was written since.
        self._known: ProjectKeys | None = None
        self.keys = KeysRead(self, project, self._keys_arrived)
        self.resolutions: dict[int, str] = {}
        self.conflict_default = "skip"  # (the decision of the conflicts not decided one by one)
        self._headers: list[str] = []
        parts = file_parts(path)  # members, links or both (members only if it cannot be told)
        # A file with links: its links are previewed (a tab of their own) and imported with the members.
        self.links = LinksPart(path, parts) if parts.links else None
        self.links_only = parts.links_only
        title = self.tr("Import links — %1") if self.links_only else self.tr("Import roster — %1")
        self.setWindowTitle(title_text(title.replace("%1", clean_echo(path.name))))
        self.resize(980, 700)
        layout = QVBoxLayout(self)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)  # a file's name and errors are its text
        layout.addWidget(self.info)
        self.reading = self._reading_part()
        layout.addWidget(self.reading, 1)
        self.columns_label = QLabel()
        self.columns_label.setWordWrap(True)
        self.columns_label.setTextFormat(Qt.TextFormat.PlainText)  # (the file's column names)
        layout.addWidget(self.columns_label)
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("Member field"), self.tr("Status")])
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setMaximumHeight(170)
        layout.addWidget(self.mapping)
        self.swap = QCheckBox(self.tr("Swap latitude and longitude in flagged rows"))
        self.swap.toggled.connect(self.schedule_refresh)
        layout.addWidget(self.swap)
        self.tabs = QTabWidget()
        self.preview = self._table(len(MEMBER_FIELDS), [header(f, current_language()) for f in MEMBER_FIELDS])
        self.changes = self._table(6, [self.tr("Row"), self.tr("Change"), self.tr("Member"), self.tr("Field"),
                                       self.tr("In the project"), self.tr("In the file")])
        self.conflicts = self._table(6, [self.tr("Row"), self.tr("Member"), self.tr("Field"),
                                         self.tr("In the project"), self.tr("In the file"),
                                         self.tr("Decision")])
        # The Decision column is drawn as a combo and edited with one (a click opens it): no
        # widget a row (2,000 conflicts of a preview took ~2.5 s to show as combos, each refresh).
        decisions = DecisionDelegate(self._choices, self.decide, self.conflicts)
        self.conflicts.setItemDelegateForColumn(5, decisions)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.CurrentChanged
                                       | QTableWidget.EditTrigger.SelectedClicked)
        self.decide_all_buttons: dict[str, QPushButton] = {}
        self.conflicts_page = self._conflicts_page()
        self.problems = QListWidget()
        if not self.links_only:
            for widget in (self.preview, self.changes, self.conflicts_page, self.problems):
                self.tabs.addTab(widget, "")
        else:  # nothing to map: the link columns are found by their headers
            self.mapping.hide()
            self.swap.hide()
        if self.links is not None:
            self.tabs.addTab(self.links, "")
        layout.addWidget(self.tabs, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        if self.links_only:  # (a file of links matches members by id: no keys)
            self.refresh()
        elif self.keys.start():  # then _keys_arrived
            self._show_reading(True)

    def _reading_part(self) -> QWidget:
        """What shows while a big project's keys are read: a message and a busy bar."""
        part = QWidget()
        column = QVBoxLayout(part)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("Reading the project's members to match the file's rows…")))
        bar = QProgressBar()  # (no end known: the keys come in one piece)
        bar.setRange(0, 0)
        column.addWidget(bar)
        column.addStretch(1)
        part.hide()
        return part

    def _show_reading(self, reading: bool) -> None:
        """While the keys are read: the message and a busy bar, not the preview's empty parts."""
        self.reading.setVisible(reading)
        for part in (self.info, self.mapping, self.swap, self.tabs):
            part.setVisible(not reading)
        self.import_button.setEnabled(not reading)

    def _keys_arrived(self, keys: ProjectKeys) -> None:
        self._known = keys
        self._show_reading(False)
        self.refresh()

    def done(self, result: int) -> None:
        self.keys.stop()
        super().done(result)

    def _table(self, columns: int, labels: list[str]) -> QTableWidget:
        table = QTableWidget(0, columns)
        table.setHorizontalHeaderLabels(labels)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        # (fitting the columns to their texts measures this many rows, not a preview's 2,000 each)
        table.horizontalHeader().setResizeContentsPrecision(_FIT_ROWS)
        return table

    # --- options ---------------------------------------------------------------------------------

    def _file_error(self, e: ImportFileError) -> str:
        """The file cannot be read as a whole: the reader's facts in the interface language."""
        try:
            return import_file_error(e, ui_text(), clean_echo(self.path.name))
        except KeyError:  # a code the renderer does not know yet: the reader's English line
            return str(e)

    def options(self) -> ImportOptions:
        """The column matches set in the table (file column -> field, "" = ignored)."""
        mapping: dict[str, str] = {}
        for r, column in enumerate(self._headers):
            combo = self.mapping.cellWidget(r, 1)
            if isinstance(combo, QComboBox):
                mapping[column] = str(combo.currentData() or "")
        # (any_code: a roster with a note a row is not read note by note for it)
        swap_all = self.swap.isChecked() and self.report is not None and self.report.warnings.any_code(
            "latlon_order")
        return ImportOptions(mapping=mapping or None, swap_flagged=self.swap.isChecked(), swap_all=swap_all,
                             resolutions=dict(self.resolutions), conflicts=self.conflict_default)

    def schedule_refresh(self) -> None:
        """The preview follows the mapping: one refresh shortly after the last change."""
        self._timer.start()

    # --- preview ---------------------------------------------------------------------------------

    def refresh(self, *, whole_file: bool = False, progress: Any = None) -> bool:
        self._timer.stop()
        if self.links_only:
            return self._refresh_links()
        if self._known is None:  # (still being read: the preview follows them)
            return False
        try:
            report, link_report = import_members_and_links(
                self.project, self.path, self.options(), dry_run=True, sample_size=50,
                max_rows=None if whole_file else PREVIEW_ROWS, progress=progress, known=self._known)
        except ImportFileError as e:
            self.info.setText(self._file_error(e))
            self.import_button.setEnabled(False)
            return False
        except OSError as e:
            self.info.setText(f"{clean_echo(self.path.name)}: {clean_echo(e.strerror or str(e), 200)}")
            self.import_button.setEnabled(False)
            return False
        self.import_button.setEnabled(True)
        self.report = report
        self._show_info(report)
        self._show_columns(report)
        self._show_sample(report)
        self._show_changes(report)
        self._show_conflicts(report)
        self._show_problems(report)
        if self.links is not None:
            self.links.show_report(link_report, members_partial=report.partial)
            self.tabs.setTabText(self.tabs.indexOf(self.links), self.links.tab_text())
        return True

    def _refresh_links(self) -> bool:
        """A file of links only: its first rows matched to the project's members."""
        assert self.links is not None
        try:
            info, columns = self.links.preview_alone(self.project, PREVIEW_ROWS)
        except ImportFileError as e:
            info, columns = self._file_error(e), ""
        except OSError as e:
            info, columns = f"{clean_echo(self.path.name)}: {clean_echo(e.strerror or str(e), 200)}", ""
        self.tabs.setTabText(self.tabs.indexOf(self.links), self.links.tab_text())
        self.info.setText(info)
        self.columns_label.setText(columns)
        self.columns_label.setVisible(bool(columns))
        self.import_button.setEnabled(self.links.can_import)
        return self.links.report is not None

    def _show_info(self, r: ImportReport) -> None:
        parts = [format_name(r.format)]
        if r.encoding:
            parts.append(r.encoding)
        sep = {",": self.tr("comma-separated"), ";": self.tr("semicolon-separated"),
               "\t": self.tr("tab-separated")}.get(r.delimiter)
        if sep:
            parts.append(sep)
        text = self.tr("Format: %1.").replace("%1", ", ".join(parts)) + " " + import_summary(r, ui_text())
        if r.partial:
            text += " " + self.tr("Preview of the first %1 rows; the whole file is checked before importing."
                                  ).replace("%1", ui_text().number(r.rows_read))
        self.info.setText(text)

    def _show_columns(self, r: ImportReport) -> None:
        lang = current_language()
        if not self._headers and (r.columns or r.ignored_columns):
            self._headers = list(r.columns) + list(r.ignored_columns)
            self.mapping.setRowCount(len(self._headers))
            for row, column in enumerate(self._headers):
                self.mapping.setItem(row, 0, QTableWidgetItem(clean_echo(column)))
                combo = NoWheelComboBox()
                combo.addItem(self.tr("(ignore)"), "")
                for f in IMPORT_FIELDS:
                    combo.addItem(header(f, lang), f)
                combo.setCurrentIndex(max(0, combo.findData(r.columns.get(column, ""))))
                combo.currentIndexChanged.connect(self.schedule_refresh)
                self.mapping.setCellWidget(row, 1, combo)
        for row, column in enumerate(self._headers):
            matched = column in r.columns
            status = self.tr("matched") if matched else self.tr("ignored")
            self.mapping.setItem(row, 2, QTableWidgetItem(status))
        matched = ", ".join(f"{clean_echo(c, 40)} → {header(f, lang)}" for c, f in r.columns.items())
        ignored = ", ".join(clean_echo(c, 40) for c in r.ignored_columns) or self.tr("none")
        self.columns_label.setText(self.tr("Matched columns: %1. Ignored columns: %2.")
                                   .replace("%1", matched or self.tr("none")).replace("%2", ignored))
        # GeoJSON, KML, GeoPackage: fields found by name, nothing to map (no empty table).
        self.mapping.setVisible(bool(self._headers))
        self.columns_label.setVisible(bool(self._headers))

    def _show_sample(self, r: ImportReport) -> None:
        self.preview.setRowCount(len(r.sample))
        for row, m in enumerate(r.sample):
            for col, f in enumerate(MEMBER_FIELDS):
                self.preview.setItem(row, col, QTableWidgetItem(_shown(f, getattr(m, f))))
        _fit_columns(self.preview)
        self.tabs.setTabText(0, self.tr("Preview (%1)").replace("%1", str(len(r.sample))))

    def _show_changes(self, r: ImportReport) -> None:
        ops = {"add": self.tr("add"), "update": self.tr("update"), "conflict": self.tr("conflict")}
        lang = current_language()
        lines = [(c, fc) for c in r.changes for fc in c.fields][:_SHOWN_CHANGES]
        self.changes.setRowCount(len(lines))
        for row, (c, fc) in enumerate(lines):
            values = [str(c.row), ops[c.op], clean_echo(c.name, 60), header(fc.field, lang),
                      _shown(fc.field, fc.old), _shown(fc.field, fc.new)]
            for col, value in enumerate(values):
                self.changes.setItem(row, col, QTableWidgetItem(value))
        _fit_columns(self.changes)
        count = len(r.changes) + r.changes_not_listed
        self.tabs.setTabText(1, self.tr("Changes (%1)").replace("%1", str(count)))

    def _conflicts_page(self) -> QWidget:
        """The Conflicts tab: one decision for every conflict (a file with thousands), then the
        table of each with its own."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        every = QHBoxLayout()
        every.addWidget(QLabel(self.tr("Every conflict:")))
        for code, words in self._choices():
            button = self.decide_all_buttons[code] = QPushButton(words)
            button.clicked.connect(lambda _checked=False, c=code: self.decide_all(c))
            every.addWidget(button)
        every.addStretch(1)
        layout.addLayout(every)
        layout.addWidget(self.conflicts)
        return page

    def decide_all(self, choice: str) -> None:
        """One decision for every conflict, the ones decided one by one included."""
        self.conflict_default = choice
        self.resolutions.clear()
        self.schedule_refresh()

    def _choices(self) -> list[tuple[str, str]]:
        """A conflict's decisions: (code, words)."""
        return [("skip", self.tr("Leave the row out")), ("mine", self.tr("Keep mine")),
                ("theirs", self.tr("Take theirs"))]

    def _show_conflicts(self, r: ImportReport) -> None:
        lang = current_language()
        words = dict(self._choices())
        rows = [(c, fc) for c in r.conflicts for fc in c.fields if fc.field in c.conflict_fields]
        self.conflicts.setRowCount(len(rows))
        for row, (c, fc) in enumerate(rows):
            values = [str(c.row), clean_echo(c.name, 60), header(fc.field, lang), _shown(fc.field, fc.old),
                      _shown(fc.field, fc.new)]
            for col, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)  # (the decision alone is)
                self.conflicts.setItem(row, col, cell)
            choice = self.resolutions.get(c.row, self.conflict_default)
            item = QTableWidgetItem(words[choice])
            item.setData(CHOICE_ROLE, choice)
            item.setData(FILE_ROW_ROLE, c.row)
            self.conflicts.setItem(row, 5, item)
        _fit_columns(self.conflicts)
        self.tabs.setTabText(2, self.tr("Conflicts (%1)").replace("%1", str(len(r.conflicts))))

    def decide(self, file_row: int, choice: str) -> None:
        """The user's decision for the conflict of ``file_row`` (the Decision column's editor)."""
        self.resolutions[file_row] = choice
        self.schedule_refresh()

    def _show_problems(self, r: ImportReport) -> None:
        self.problems.clear()
        # A members-and-links workbook: the member rows name their sheet, as the link rows do.
        links = self.links

        def where(p: ImportProblem) -> ImportProblem:
            return p if links is None else links.where(p, links.members_sheet)

        for p in r.problems[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Not imported: ") + _problem_line(where(p), imported=False))
        for w in r.warnings[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Check: ") + _problem_line(where(w), imported=True))
        count = len(r.problems) + len(r.warnings)
        self.tabs.setTabText(3, self.tr("Problems (%1)").replace("%1", str(count)))

    # --- import ----------------------------------------------------------------------------------

    def _progress(self, label: str) -> tuple[QProgressDialog, Any]:
        progress = QProgressDialog(label, self.tr("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def tick(rows: int) -> None:
            progress.setLabelText(label + " " + self.tr("%1 rows read").replace("%1", ui_text().number(rows)))
            QApplication.processEvents()
            if progress.wasCanceled():
                raise ImportCancelled

        return progress, tick

    def run_import(self) -> None:
        partial_links = self.links is not None and self.links.report is not None and self.links.report.partial
        if self.report is not None and (self.report.partial or partial_links):
            # The preview saw a sample: check the whole file, so no conflict goes undecided unseen.
            before = len(self.report.conflicts)
            progress, tick = self._progress(self.tr("Checking the whole file…"))
            try:
                ok = self.refresh(whole_file=True, progress=tick)
            except ImportCancelled:
                progress.close()
                return
            progress.close()
            if not ok or self.report is None:
                return
            if len(self.report.conflicts) > before and self.report.conflicts_open:
                self.tabs.setCurrentWidget(self.conflicts_page)
                inform(self, self.windowTitle(), self.tr(
                    "The whole file has more conflicts than the preview showed; decide them, then import."))
                return
        label = self.tr("Importing links…") if self.links_only else self.tr("Importing…")
        progress, tick = self._progress(label)
        try:
            if self.links is None:  # (the previews' keys, if the project has not changed since)
                self.report = import_into(self.project, self.path, self.options(), progress=tick,
                                          known=self._known)
            elif self.links_only:  # one transaction, one undo step; bad rows reported, the rest written
                self.links.report = import_links_only(self.project, self.path, progress=tick)
            else:  # members and links: one transaction, one undo step
                self.report, self.links.report = import_members_and_links(
                    self.project, self.path, self.options(), progress=tick, known=self._known)
        except ImportCancelled:
            progress.close()
            inform(self, self.windowTitle(), self.tr("Import cancelled; nothing was changed."))
            return
        except (ImportFileError, ProjectError, ValueError, OSError) as e:  # (the project as it was)
            progress.close()
            said = (self._file_error(e) if isinstance(e, ImportFileError)
                    else user_message(e) if isinstance(e, ProjectError) else str(e))
            warn(self, self.windowTitle(), self.tr("Nothing was imported: %1").replace(
                "%1", clean_echo(said, 400)))
            return
        progress.close()
        self.accept()
