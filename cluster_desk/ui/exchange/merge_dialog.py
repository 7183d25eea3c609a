"""File > Export field copy / Merge field copy: the user sees both values of every conflict and chooses.

Hook-up (main window):
    action_field_copy.triggered.connect(lambda: run_field_copy_dialog(self, self.session))
    action_merge.triggered.connect(lambda: run_merge_dialog(self, self.session))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from cluster_desk.store.merge import DELETED, MergePlan, MergeReport, apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import ProjectError
from cluster_desk.text import merge_summary
from cluster_desk.text.merge_text import merge_lines, merge_note
from cluster_desk.ui.exchange.import_parts import project_of
from cluster_desk.ui.i18n import ui_text, user_message
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.project.history_dialog import field_labels
from cluster_desk.ui.widgets.plain_text import inform, title_text, warn

__all__ = ["MergeDialog", "run_field_copy_dialog", "run_merge_dialog"]


def _value(v: Any) -> str:
    if v is DELETED:
        return QApplication.translate("merge", "(deleted)")
    if isinstance(v, dict):
        return QApplication.translate("merge", "edited: ") + ", ".join(sorted(v))
    return "" if v is None else str(v)


class MergeDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, plan: MergePlan, names: dict[str, str] | None = None, *,
        sides: tuple[str, str] | None = None, notes: list[tuple[str, str]] | None = None,
        allow_later: bool = False, title: str = "", ok_text: str = "",
    ) -> None:
        """``names``: member id -> name in the master, so an edit lists the member by name.

        The team's conflicts use the same view (ui/team/conflicts.py): ``sides`` names the two
        value columns (default Master / Field copy), ``notes`` adds who made each value and when,
        ``allow_later`` lets a conflict stay undecided (the OK button is then always enabled).
        """
        super().__init__(parent)
        self.plan = plan
        self.allow_later = allow_later
        names = names or {}
        left, right = sides or (self.tr("Master"), self.tr("Field copy"))
        ops = {"insert": self.tr("add"), "update": self.tr("change"), "delete": self.tr("delete")}
        entities = {"member": self.tr("member"), "link": self.tr("link"), "settings": self.tr("settings")}
        self.setWindowTitle(title_text(title or self.tr("Merge field copy — %s") % plan.copy_path.name))
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("%n change(s) come in without conflict:", "", len(plan.ops)))
        incoming = QListWidget()
        if not plan.ops and not plan.skipped:  # the team's conflicts: nothing comes in here
            intro.hide()
            incoming.hide()
        layout.addWidget(intro)
        fields = field_labels()
        kinds = link_kind_labels()
        for op, entity, eid, values in plan.ops:
            rec = values.get("record")
            label = getattr(rec, "name", "") or plan.labels.get(eid) or names.get(eid) or eid
            kind = f" ({kinds[plan.link_kinds[eid]]})" if eid in plan.link_kinds else ""
            detail = ", ".join(sorted(fields.get(k, k) for k in values if k != "record"))
            incoming.addItem(f"{ops.get(op, op)} {entities.get(entity, entity)} «{label}»{kind}"
                             + (f": {detail}" if detail else ""))
        for s in plan.skipped:
            incoming.addItem(self.tr("not merged: ") + merge_note(s, ui_text(), lambda f: fields.get(f, f)))
        layout.addWidget(incoming, 1)
        layout.addWidget(QLabel(self.tr("Both sides changed these; choose which value to keep:")))
        self.table = QTableWidget(len(plan.conflicts), 5)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Record"), self.tr("Field"), left, right, self.tr("Keep")])
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, c in enumerate(plan.conflicts):
            left_note, right_note = notes[r] if notes else ("", "")
            for col, text in enumerate(
                (c.label + (f" ({kinds[plan.link_kinds[c.entity_id]]})" if c.entity == "link"
                             and c.entity_id in plan.link_kinds else ""),
                 fields.get(c.field, c.field) or self.tr("(whole record)"),
                 _value(c.mine) + left_note, _value(c.theirs) + right_note)
            ):
                self.table.setItem(r, col, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem(left, "mine")
            combo.addItem(right, "theirs")
            if allow_later:
                combo.addItem(self.tr("Decide later"), None)
            combo.setCurrentIndex(combo.findData(c.choice) if c.choice else -1)
            combo.currentIndexChanged.connect(self._update)
            self.table.setCellWidget(r, 4, combo)
        self.table.resizeColumnsToContents()
        for col in (2, 3):  # long values (and who/when) must not push the Keep column out of sight
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 250))
        layout.addWidget(self.table, 2)
        row = QHBoxLayout()
        for text, choice in ((self.tr("All: %1").replace("%1", left), 0),
                             (self.tr("All: %1").replace("%1", right), 1)):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, i=choice: self._all(i))
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(ok_text or self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def combo(self, row: int) -> QComboBox:
        w = self.table.cellWidget(row, 4)
        assert isinstance(w, QComboBox)
        return w

    def _all(self, index: int) -> None:
        for r in range(self.table.rowCount()):
            self.combo(r).setCurrentIndex(index)

    def _update(self) -> None:
        for r, c in enumerate(self.plan.conflicts):
            c.choice = self.combo(r).currentData()
        # Nothing is merged until every conflict has a choice (team conflicts may wait).
        decided = all(c.choice in ("mine", "theirs") for c in self.plan.conflicts)
        self.ok.setEnabled(self.allow_later or decided)


def run_merge_dialog(
    parent: QWidget | None, session_or_project: Any, copy_path: str | Path | None = None
) -> MergeReport | None:
    """Choose a field copy (unless given), show what comes in and the conflicts, merge."""
    project = project_of(session_or_project)
    if project is None:
        return None
    title = QApplication.translate("merge", "Merge field copy")
    if copy_path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, title, "", "Cluster Desk (*.cdesk);;All files (*)")
        if not chosen:
            return None
        copy_path = chosen
    try:
        plan = plan_merge(project, copy_path)
    except (ProjectError, ValueError, OSError) as e:
        warn(parent, title, user_message(e))
        return None
    if plan.empty:
        inform(
            parent,
            title,
            QApplication.translate(
                "merge", "Nothing to merge: the copy's edits are already in this project."
            ),
        )
        return None
    dialog = MergeDialog(parent, plan, plan.names)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        project.backup("merge")
        report = apply_merge(project, plan)
    except (ProjectError, ValueError) as e:
        warn(parent, title, QApplication.translate("merge", "Nothing was merged: %s") % user_message(e))
        return None
    if project is not session_or_project:  # a session: one undo step, the views follow
        from cluster_desk.ui.project.commands import record_bulk_change

        record_bulk_change(session_or_project,
                           QApplication.translate("merge", "Merge “%1”").replace("%1", Path(copy_path).name))
    summary = merge_summary(report, ui_text())
    labels = field_labels()
    lines = merge_lines(report, ui_text(), lambda f: labels.get(f, f))
    inform(parent, title, summary + "\n\n" + "\n".join(lines[:40]))
    return report


def run_field_copy_dialog(
    parent: QWidget | None, session_or_project: Any, dest: str | Path | None = None
) -> Path | None:
    """Ask where to write a field copy of the open project, and write it."""
    project = project_of(session_or_project)
    if project is None:
        return None
    title = QApplication.translate("merge", "Export field copy")
    if dest is None:
        suggested = str(Path(project.path).with_name(Path(project.path).stem + "-field.cdesk"))
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, "Cluster Desk (*.cdesk)")
        if not chosen:
            return None
        dest = chosen
    try:
        make_field_copy(project, dest)
    except (ProjectError, OSError) as e:
        warn(parent, title, user_message(e))
        return None
    return Path(dest)
