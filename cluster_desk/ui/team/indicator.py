"""The status-bar indicator: online/offline, edits waiting to sync, time of the last sync.

A tool button: clicking it syncs; its menu opens the conflict list and says what syncs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.widgets.plain_text import plain_tip


class SyncIndicator(QToolButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("team_indicator")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.menu_ = QMenu(self)
        self.conflicts_action = self.menu_.addAction(self.tr("Conflicts…"))
        self.people_action = self.menu_.addAction(self.tr("People on this cluster…"))
        self.what_syncs_action = self.menu_.addAction(self.tr("Members, links and cluster settings "
                                                              "sync; year-end snapshots stay here"))
        self.what_syncs_action.setEnabled(False)
        self.setMenu(self.menu_)
        self.online: bool | None = None
        self.pending = 0
        self.conflicts = 0
        self.last_sync = ""
        self.busy = False
        self.cluster = ""
        self.problem = ""
        self.setVisible(False)

    def show_state(self, *, online: bool | None = None, pending: int | None = None,
                   conflicts: int | None = None, last_sync: str | None = None, busy: bool | None = None,
                   problem: str | None = None) -> None:
        if online is not None:
            self.online = online
        if pending is not None:
            self.pending = pending
        if conflicts is not None:
            self.conflicts = conflicts
        if last_sync is not None:
            self.last_sync = last_sync
        if busy is not None:
            self.busy = busy
        if problem is not None:
            self.problem = problem
        self.setText(self.text_for_state())
        tip = [self.tr("Team cluster «%1»").replace("%1", self.cluster),
               self.tr("Members, links and cluster settings sync; year-end snapshots stay on "
                       "this computer."),
               self.tr("Click to sync now (F9).")]
        if self.problem:
            tip.insert(1, self.problem)
        self.setToolTip(plain_tip("\n".join(tip)))

    def text_for_state(self) -> str:
        if self.busy:
            parts = [self.tr("⟳ Syncing…")]
        elif self.online:
            parts = [self.tr("● Online")]
        elif self.online is None:
            parts = [self.tr("○ Not connected")]
        else:
            parts = [self.tr("○ Offline")]
        if self.pending:
            parts.append(plural(self.tr("%n edit(s) waiting", "", self.pending), self.pending))
        if self.conflicts:
            parts.append(plural(self.tr("%n conflict(s)", "", self.conflicts), self.conflicts))
        if self.last_sync:
            parts.append(self.tr("synced %1").replace("%1", _local_time(self.last_sync)))
        return " · ".join(parts)


def plural(text: str, n: int) -> str:
    """English source texts say "edit(s)": without a translation, say "edit" or "edits"."""
    return text.replace("(s)", "" if n == 1 else "s")


def _local_time(iso: str) -> str:
    return ui_text().moment(iso, today_as_time=True)
