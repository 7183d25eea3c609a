"""The links part of File > Import (issue 12): a links table, lines, or a workbook's links sheet.

What a file holds is ``io.with_links.file_parts``: a CSV/TSV whose header names both ends is a
links table; an XLSX with a «Связи»/"Links" sheet has links (and members on a sheet before it);
a GeoJSON, KML or GeoPackage has links when the links reader finds lines (members too if it finds
points). Members and links import in one transaction, one undo step (io.with_links); a file of
links only imports its links alone, matched to the project's members by id, INN or name.

This tab of the import dialog shows the links part of the preview: a sample of the links as they
will be stored, with their matched ends, and every bad row named by file (sheet), row and field.

The preview reads the first rows. A link whose end names a member further down the members part
cannot be matched then: such rows are counted, not listed as problems, until the whole file is
checked before writing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cluster_desk.io.errors import ImportProblem, clean_echo
from cluster_desk.io.link_words import LINK_FIELD_WORDS, accepted_kinds, kind_word
from cluster_desk.io.link_words import header as link_header
from cluster_desk.io.links import LinkImportReport, import_links
from cluster_desk.io.with_links import FileParts
from cluster_desk.text.import_problems import import_problem_line
from cluster_desk.ui.i18n import current_language, ui_text
from cluster_desk.ui.widgets.plain_text import plain_tip

__all__ = ["LinksPart", "format_name", "sheet_names"]

_SHOWN_PROBLEMS = 1000
_WIDEST_COLUMN = 200  # px: the dates and the volume stay in sight at the dialog's width
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


def format_name(fmt: str) -> str:
    """A reader's format as people write it: "GeoJSON", "GeoPackage", "CSV"."""
    return {"geojson": "GeoJSON", "gpkg": "GeoPackage"}.get(fmt, fmt.upper())


def _cents(volume: float) -> int:
    return 0 if volume.is_integer() else 2


class LinksPart(QWidget):
    """The links tab: what the file's links will add, a sample of them, their bad rows."""

    def __init__(self, path: Path, parts: FileParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.parts, self.sheet = path, parts, parts.sheet
        # A workbook's member rows name their sheet, as its link rows do.
        self.members_sheet = (sheet_names(path) or [""])[0] if parts.sheet and parts.members else ""
        self.report: LinkImportReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)  # (the file's sheet and column names)
        layout.addWidget(self.info)
        headers = [self.tr("Member 1"), self.tr("Member 2"), self.tr("Kind of link"), self.tr("Start"),
                   self.tr("End"), self.tr("Volume, roubles"), self.tr("Contract")]
        self.sample = QTableWidget(0, len(headers))
        self.sample.setHorizontalHeaderLabels(headers)
        self.sample.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sample.verticalHeader().setVisible(False)
        self.sample.horizontalHeader().setStretchLastSection(True)
        self.sample.setWordWrap(False)  # one line a link: a long name ends in "…" (its tooltip is whole)
        layout.addWidget(self.sample, 3)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)  # a long Russian line wraps instead of scrolling sideways
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        layout.addWidget(self.problems, 2)
        layout.addStretch(0)  # takes the room of the sample and the problems when neither is shown

    @property
    def no_members(self) -> bool:
        """Whether the ends had no member to match (none in the project, none in the file)."""
        return self.report is not None and self.report.members_known == 0

    @property
    def can_import(self) -> bool:
        """Whether importing would write anything (a file into a project with no members would not)."""
        r = self.report
        return r is not None and not (self.no_members and r.added + r.updated + r.unchanged == 0)

    def tab_text(self) -> str:
        r = self.report
        count = 0 if r is None else r.added + r.updated + r.unchanged
        return self.tr("Links (%1)").replace("%1", ui_text().number(count))

    def where(self, p: ImportProblem, sheet: str) -> ImportProblem:
        """The problem located in its sheet: "book.xlsx, sheet «Связи», row 4" (as is without one)."""
        if not sheet:
            return p
        where = self.tr("%1, sheet «%2»").replace("%1", p.file).replace("%2", clean_echo(sheet, 60))
        return dataclasses.replace(p, file=where)

    def problem_line(self, p: ImportProblem, *, imported: bool) -> str:
        lang = current_language()
        label = link_header(p.field, lang) if p.field in LINK_FIELD_WORDS else p.field
        p = self.where(p, self.sheet)
        if p.code == "unknown_kind":  # the kinds the reader accepts, named in the interface language
            p = dataclasses.replace(p, params={**p.params, "accepted": accepted_kinds(lang)})
        try:
            return import_problem_line(p, ui_text(), field_label=label, imported=imported)
        except KeyError:
            return str(p)

    def preview_alone(self, project: Any, max_rows: int) -> tuple[str, str]:
        """Preview a file of links only (its first ``max_rows`` rows against the project's members):
        show it here; return the dialog's lines (the format, the columns matched). ImportFileError
        or OSError if the file cannot be read as a whole (the report is None then)."""
        self.report = None
        report = import_links(project, self.path, dry_run=True, sample_size=50, max_rows=max_rows)
        self.show_report(report, members_partial=False)
        said = [format_name(self.parts.format), *([report.encoding] if report.encoding else [])]
        info = self.tr("Format: %1.").replace("%1", ", ".join(said)) + " " + self.tr(
            "A file of links: each joins two members of the project, found by id, INN or name.")
        lang = current_language()
        pairs = report.columns.items()  # file header -> link field
        matched = ", ".join(f"{clean_echo(c, 40)} → {link_header(f, lang)}" for c, f in pairs)
        columns = self.tr("Matched columns: %1.").replace("%1", matched) if matched else ""
        return info, columns[:-1] if columns.endswith("..") else columns  # "Объём, руб.."

    def show_report(self, r: LinkImportReport | None, *, members_partial: bool) -> None:
        """Show the links part of a preview (None: the sheet has no link rows)."""
        self.report = r
        if r is None:
            self.info.setText(self.tr("Sheet «%1»: no link rows.").replace("%1", clean_echo(self.sheet, 60))
                              if self.sheet else self.tr("No link rows."))
            self.sample.setRowCount(0)
            self.problems.clear()
            self.sample.hide()
            self.problems.hide()
            return
        # Ends beyond the members previewed are matched when the whole file is checked.
        waiting = [p for p in r.problems if p.code == _UNMATCHED] if members_partial else []
        waiting_rows = len({p.row for p in waiting})
        listed = [p for p in r.problems if not (members_partial and p.code == _UNMATCHED)]
        bad_rows = len({p.row for p in listed})
        number = ui_text().number
        if self.no_members:  # one hint, not a "matches no member" line per row
            listed = [p for p in listed if p.code != _UNMATCHED]
        text = (self.tr("%1 link rows read: %2 to add, %3 to update, %4 unchanged, %5 with problems.")
                .replace("%1", number(r.rows_read)).replace("%2", number(r.added))
                .replace("%3", number(r.updated)).replace("%4", number(r.unchanged))
                .replace("%5", number(bad_rows)))
        if self.sheet:
            text = self.tr("Sheet «%1»:").replace("%1", clean_echo(self.sheet, 60)) + " " + text
        if r.partial and not self.no_members:
            text += " " + self.tr("Preview of the first %1 link rows; the whole file is checked before "
                                  "importing.").replace("%1", ui_text().number(r.rows_read))
        if waiting_rows:
            text += " " + self.tr("%1 rows name a member not among the members previewed; they are matched "
                                  "when the whole file is checked.").replace("%1", str(waiting_rows))
        if self.no_members:  # first: it says why nothing can be imported
            text = self.tr("The project has no members yet, so no link can find its ends: import the "
                           "members first, then this file of links.") + " " + text
        self.info.setText(text)
        self._show_sample(r)
        self.sample.setVisible(bool(r.sample))  # no empty table (a project with no members yet)
        self.problems.clear()
        for p in listed[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Not imported: ") + self.problem_line(p, imported=False))
        for w in r.warnings[:_SHOWN_PROBLEMS]:
            self.problems.addItem(self.tr("Check: ") + self.problem_line(w, imported=True))
        self.problems.setVisible(self.problems.count() > 0)  # no empty box under the sample

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
                item = QTableWidgetItem(clean_echo(str(value), 120))
                item.setToolTip(plain_tip(item.text()))  # a long name is cut to its column
                self.sample.setItem(row, col, item)
        self.sample.resizeColumnsToContents()
        for col in range(self.sample.columnCount()):  # every column in sight, long names elided
            self.sample.setColumnWidth(col, min(self.sample.columnWidth(col), _WIDEST_COLUMN))

    def problems_text(self) -> str:
        """The rows the import left out, one line each ("" if none)."""
        r = self.report
        left_out = [] if r is None else r.problems[:_SHOWN_PROBLEMS]
        return "\n".join(self.problem_line(p, imported=False) for p in left_out)

    def summary(self) -> str:
        """The links' line of the summary shown after the import."""
        from cluster_desk.text.reports import link_import_summary

        return "" if self.report is None else link_import_summary(self.report, ui_text())
