"""The links sheet of a members-and-links workbook in File > Import (issue 12).

An XLSX with a members sheet and a links sheet («Связи», «Links», ...) imports both in one
transaction, one undo step (io.with_links). This tab of the import dialog shows the links part of
the preview: a sample of the link rows as they will be stored, and every bad row named by file,
sheet, row and field, as the member rows are.

The preview reads the first rows of both sheets. A link whose end names a member further down the
members sheet cannot be matched then: such rows are counted, not listed as problems, until the
whole file is checked before writing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cluster_desk.io.errors import ImportProblem, clean_echo
from cluster_desk.io.link_words import LINK_FIELD_WORDS, kind_word
from cluster_desk.io.link_words import header as link_header
from cluster_desk.io.links import LinkImportReport
from cluster_desk.text.import_problems import import_problem_line
from cluster_desk.ui.i18n import current_language, ui_text

__all__ = ["WorkbookLinks", "links_sheet_of", "sheet_names"]

_SHOWN_PROBLEMS = 1000
_UNMATCHED = "end_unmatched"


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names in order ([] if it is not a readable XLSX)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook: the members reader says why
        return []
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def links_sheet_of(path: Path) -> str | None:
    """The links sheet of an XLSX workbook that also has a members sheet, or None."""
    from cluster_desk.io.formats.links_formats import detect, links_sheet_name
    from cluster_desk.io.sources import FORMAT_OF_SUFFIX

    if FORMAT_OF_SUFFIX.get(path.suffix.lower()) != "xlsx":
        return None
    try:
        if detect(path) != "xlsx":
            return None
        sheet = links_sheet_name(path)
    except Exception:  # a damaged workbook: the members reader reports it
        return None
    if sheet is None or sheet_names(path)[:1] == [sheet]:
        return None  # no links sheet, or nothing before it to read members from
    return sheet


def _cents(volume: float) -> int:
    return 0 if volume.is_integer() else 2


class WorkbookLinks(QWidget):
    """The links tab: what the links sheet will add, a sample of its rows, its bad rows."""

    def __init__(self, path: Path, sheet: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.sheet = path, sheet
        self.members_sheet = (sheet_names(path) or [""])[0]
        self.report: LinkImportReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        headers = [self.tr("Member 1"), self.tr("Member 2"), self.tr("Kind of link"), self.tr("Start"),
                   self.tr("End"), self.tr("Volume, roubles"), self.tr("Contract")]
        self.sample = QTableWidget(0, len(headers))
        self.sample.setHorizontalHeaderLabels(headers)
        self.sample.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sample.verticalHeader().setVisible(False)
        self.sample.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.sample, 3)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)  # a long Russian line wraps instead of scrolling sideways
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        layout.addWidget(self.problems, 2)

    def tab_text(self) -> str:
        r = self.report
        count = 0 if r is None else r.added + r.updated + r.unchanged
        return self.tr("Links (%1)").replace("%1", str(count))

    def where(self, p: ImportProblem, sheet: str) -> ImportProblem:
        """The problem located in its sheet: "book.xlsx, sheet «Связи», row 4"."""
        where = self.tr("%1, sheet «%2»").replace("%1", p.file).replace("%2", clean_echo(sheet, 60))
        return dataclasses.replace(p, file=where)

    def problem_line(self, p: ImportProblem, *, imported: bool) -> str:
        label = link_header(p.field, current_language()) if p.field in LINK_FIELD_WORDS else p.field
        p = self.where(p, self.sheet)
        try:
            return import_problem_line(p, ui_text(), field_label=label, imported=imported)
        except KeyError:
            return str(p)

    def show_report(self, r: LinkImportReport | None, *, members_partial: bool) -> None:
        """Show the links part of a preview (None: the sheet has no link rows)."""
        self.report = r
        if r is None:
            self.info.setText(self.tr("Sheet «%1»: no link rows.").replace("%1", clean_echo(self.sheet, 60)))
            self.sample.setRowCount(0)
            self.problems.clear()
            return
        # Ends beyond the members previewed are matched when the whole file is checked.
        waiting = [p for p in r.problems if p.code == _UNMATCHED] if members_partial else []
        waiting_rows = len({p.row for p in waiting})
        listed = [p for p in r.problems if not (members_partial and p.code == _UNMATCHED)]
        bad_rows = len({p.row for p in listed})
        text = (self.tr("Sheet «%1»: %2 link rows read: %3 to add, %4 to update, %5 unchanged, "
                        "%6 with problems.")
                .replace("%1", clean_echo(self.sheet, 60)).replace("%2", ui_text().number(r.rows_read))
                .replace("%3", str(r.added)).replace("%4", str(r.updated)).replace("%5", str(r.unchanged))
                .replace("%6", str(bad_rows)))
        if r.partial:
            text += " " + self.tr("Preview of the first %1 link rows; the whole sheet is checked before "
                                  "importing.").replace("%1", ui_text().number(r.rows_read))
        if waiting_rows:
            text += " " + self.tr("%1 rows name a member not among the members previewed; they are matched "
                                  "when the whole file is checked.").replace("%1", str(waiting_rows))
        self.info.setText(text)
        self._show_sample(r)
        self.problems.clear()
        for p in listed[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Not imported: ") + self.problem_line(p, imported=False))
        for w in r.warnings[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Check: ") + self.problem_line(w, imported=True))

    def _show_sample(self, r: LinkImportReport) -> None:
        lang, text = current_language(), ui_text()
        self.sample.setRowCount(len(r.sample))
        for row, lk in enumerate(r.sample):
            volume = "" if lk.volume is None else text.number(lk.volume, _cents(lk.volume))
            values: list[Any] = [
                r.names.get(lk.source, lk.source), r.names.get(lk.target, lk.target),
                kind_word(lk.kind, lang), lk.start or "", lk.end or "", volume, lk.contract,
            ]
            for col, value in enumerate(values):
                self.sample.setItem(row, col, QTableWidgetItem(clean_echo(str(value), 120)))
        self.sample.resizeColumnsToContents()

    def summary(self) -> str:
        """The links' line of the summary shown after the import."""
        from cluster_desk.text.reports import link_import_summary

        return "" if self.report is None else link_import_summary(self.report, ui_text())
