"""Team mode in the window: connect (clone or publish), sync (menu, F9, every few minutes, and
when the server announces a colleague's commit), the status indicator and the conflict list.

The network part of every step runs on a worker thread; the project file is only touched here,
on the GUI thread. Only this module (and what it calls when the user uses team mode) imports
psycopg.
Why ~400 lines: every team step (connect, sync, live pull, conflicts) with its worker-thread
hand-off and its user message.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit

from cluster_desk.store.project import ProjectError
from cluster_desk.team.workcopy import TeamLink, conflicts, save_conflicts, team_link
from cluster_desk.ui.context import AppContext
from cluster_desk.ui.i18n import ui_text, user_message
from cluster_desk.ui.team.connect_dialog import ConnectDialog, ConnectRequest
from cluster_desk.ui.team.indicator import SyncIndicator, plural
from cluster_desk.ui.team.worker import run_in_thread
from cluster_desk.ui.thread_answers import gui_caller


class TeamController(QObject):
    # A sync finished: a team.sync.SyncReport, or the TeamError/exception it stopped at.
    synced = Signal(object)

    AUTO_SYNC_MS = 5 * 60 * 1000
    LIVE_DELAY_MS = 150  # a burst of notices (one per table) pulls once

    #: A working copy was cloned to this path: the window opens it.
    openRequested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.session, self.actions = ctx.session, ctx.actions
        actions, session = ctx.actions, ctx.session
        self.indicator = SyncIndicator()
        self.indicator.clicked.connect(lambda: self.sync_now(manual=True))
        self.indicator.conflicts_action.triggered.connect(self.show_conflicts)
        self.indicator.people_action.triggered.connect(self.show_people)
        actions.team_connect.triggered.connect(self.connect_to_server)
        actions.team_sync.triggered.connect(lambda: self.sync_now(manual=True))
        actions.team_sync.setEnabled(False)
        session.changed.connect(self._session_changed)
        self._auto = QTimer(self)
        self._auto.setInterval(self.AUTO_SYNC_MS)
        self._auto.timeout.connect(lambda: self.sync_now(manual=False))
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(self.LIVE_DELAY_MS)
        self._live.timeout.connect(lambda: self.sync_now(manual=False))
        self.link: TeamLink | None = None
        self._listener: Any = None
        self._listener_starting = False
        self._passwords: dict[str, str] = {}  # this session only, never on disk
        self._asked_password = False
        self._busy = False
        self._again = False
        # Replaceable in tests (no modal dialogs there).
        self.run_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.ask_password: Callable[[str], str | None] = self._ask_password
        self.choose_clone_path: Callable[[str], str] = self._choose_clone_path

    # ----- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def live(self) -> bool:
        return self._listener is not None and self._listener.alive

    def _session_changed(self, change: Any) -> None:
        if change.reset:
            self._adopt()
        elif self.link is not None:
            self._show_counts()

    def _adopt(self) -> None:
        """The open project changed: is it a working copy? Start or stop team mode."""
        self._stop_listener()
        self._auto.stop()
        self._asked_password = False
        project = self.session.project
        link = None
        if project is not None:
            try:
                link = team_link(project)
            except ProjectError as e:
                self.ctx.notifier.error(self.tr("Team server"), user_message(e))
        self.link = link
        self.actions.team_sync.setEnabled(link is not None)
        self.indicator.setVisible(link is not None)
        if link is None:
            return
        self.indicator.cluster = link.cluster
        self.indicator.show_state(online=None, last_sync=link.last_sync, busy=False, problem="")
        self._show_counts()
        self._auto.start()
        QTimer.singleShot(0, lambda: self.sync_now(manual=False))

    def _show_counts(self) -> None:
        from cluster_desk.team.sync import pending_count

        project = self.session.project
        if project is None or self.link is None:
            return
        self.indicator.show_state(pending=pending_count(project), conflicts=len(conflicts(project)))

    # ----- sync -------------------------------------------------------------------------------

    def _password_for(self, dsn: str) -> str | None:
        if dsn in self._passwords:
            return self._passwords[dsn]
        from cluster_desk.team.credentials import from_keyring

        return from_keyring(dsn)

    def sync_now(self, manual: bool = True) -> None:
        from cluster_desk.team.sync import exchange_with_server, prepare

        project = self.session.project
        if project is None or self.link is None:
            return
        if self._busy:
            self._again = True
            return
        try:
            batch = prepare(project)
        except ProjectError as e:
            self.ctx.notifier.error(self.tr("Sync failed"), user_message(e))
            return
        secret = self._password_for(self.link.dsn)
        self._busy = True
        self.indicator.show_state(busy=True)
        run_in_thread(
            self, lambda: exchange_with_server(batch, password=lambda _dsn: secret),
            lambda result, error: self._exchanged(project, batch, manual, result, error),
        )

    def _exchanged(
        self, project: Any, batch: Any, manual: bool, result: Any, error: BaseException | None
    ) -> None:
        from cluster_desk.team.server import Refused
        from cluster_desk.team.sync import SyncReport, record_push

        self._busy = False
        self.indicator.show_state(busy=False)
        if self.session.project is not project or self.link is None:
            return  # the project was closed or another one opened meanwhile
        if error is None and result.refused is not None:
            self._pull_into_session(project, result.data)  # colleagues' edits still come in
            error = result.refused
        elif error is None and result.error is not None:
            # The push went through, the pull did not: record the push, report the pull's failure.
            record_push(project, batch, result.outcome)
            error = result.error
        if error is not None:
            if (isinstance(error, Refused) and "password" in str(error)
                    and not self._asked_password and self.link.dsn not in self._passwords):
                self._asked_password = True
                secret = self.ask_password(self.link.dsn)
                if secret:
                    self._passwords[self.link.dsn] = secret
                    self.sync_now(manual)
                    return
            reachable = result is not None and result.refused is not None
            self._offline(user_message(error), manual, reachable=reachable)
            self.synced.emit(error)
            return
        report = SyncReport(batch.link.cluster, sent=len(batch.nets), outcome=result.outcome)
        report.new_conflicts = record_push(project, batch, result.outcome)
        report.applied = self._pull_into_session(project, result.data)
        outcome = result.outcome
        if batch.retry or (outcome.already and outcome.upto_seq < batch.upto_seq):
            self._again = True  # a copied file took a new id, or a retry covered part: push the rest
        self.link = team_link(project)
        self.indicator.show_state(online=True, problem="", last_sync=self.link.last_sync if self.link else "")
        self._show_counts()
        self.ctx.notifier.status(self._summary(report), 8000)
        self._start_listener()
        self.synced.emit(report)
        if report.new_conflicts and manual:
            self.show_conflicts()
        if self._again:
            self._again = False
            QTimer.singleShot(0, lambda: self.sync_now(manual=False))

    def _pull_into_session(self, project: Any, data: Any) -> Any:
        from cluster_desk.ui.team.rebase import pull_keeping_undo

        return pull_keeping_undo(self.session, project, data)

    def _summary(self, report: Any) -> str:
        text = self.tr("Synced: %1 sent, %2 received").replace("%1", ui_text().number(report.sent))
        text = text.replace("%2", ui_text().number(report.applied.changed))
        if report.new_conflicts:
            text += plural(self.tr("; %n conflict(s) recorded", "", len(report.new_conflicts)),
                           len(report.new_conflicts))
        return text

    def _offline(self, message: str, manual: bool, reachable: bool = False) -> None:
        """The sync stopped: unreachable, or (``reachable``) the server refused the edits."""
        from cluster_desk.team.sync import pending_count

        waiting = pending_count(self.session.project)
        text = plural(self.tr("%1; %n edit(s) waiting to sync", "", waiting), waiting).replace("%1", message)
        self.indicator.show_state(online=reachable, pending=waiting, problem=text)
        self.ctx.notifier.status(text, 10000)
        if manual:
            self.ctx.notifier.error(self.tr("Sync failed"), text)

    # ----- live updates -----------------------------------------------------------------------

    def _start_listener(self) -> None:
        from cluster_desk.team.live import Listener

        if self.live or self._listener_starting or self.link is None:
            return
        link, secret = self.link, self._password_for(self.link.dsn)
        self._listener_starting = True

        def started(listener: Any, error: BaseException | None) -> None:
            self._listener_starting = False
            if error is not None:
                return  # offline: the next sync tries again
            if self.link is None or self.link.cluster != link.cluster:
                listener.stop()
                return
            self._listener = listener

        # The listener's thread calls these (a colleague committed; the connection broke): they
        # queue the call on the GUI thread and hold this controller weakly (ui.thread_answers).
        heard, lost = gui_caller(self, self._heard), gui_caller(self, self._live_lost)
        run_in_thread(self, lambda: Listener(link.dsn, link.cluster, heard, lost,
                                             password=lambda _dsn: secret), started,
                      orphaned=_stop_listener)  # this controller went meanwhile: no thread left

    def _heard(self, _seq: int) -> None:
        self._live.start()

    def _live_lost(self, message: str) -> None:
        self._listener = None
        if self.link is not None:
            self.indicator.show_state(online=False, problem=message)

    def _stop_listener(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def stop(self) -> None:
        """The window closes: no thread or timer outlives it."""
        self._auto.stop()
        self._live.stop()
        self._stop_listener()

    # ----- connect: clone or publish ----------------------------------------------------------

    def connect_to_server(self) -> None:
        if importlib.util.find_spec("psycopg") is None:
            self.ctx.notifier.error(self.tr("Team server"), self.tr(
                "Team mode needs the PostgreSQL driver: pip install 'cluster-desk[team]'"))
            return
        from cluster_desk.team.credentials import from_keyring, keyring_available

        can_publish = self.session.is_open and self.link is None
        dialog = ConnectDialog(self.ctx.dialog_parent, can_publish=can_publish,
                               project_name=self.session.display_name() if can_publish else "",
                               keyring_available=keyring_available())
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.connect_with(dialog.request(), from_keyring)

    def connect_with(
        self, req: ConnectRequest, keyring_lookup: Callable[[str], str | None] | None = None
    ) -> None:
        from psycopg import conninfo

        from cluster_desk.team.server import public_dsn

        try:
            extra = {"user": req.user} if req.user else {}
            dsn = conninfo.make_conninfo(req.dsn, **extra)
        except Exception as e:
            self.ctx.notifier.error(self.tr("Team server"), str(e))
            return
        secret = req.password or (keyring_lookup(dsn) if keyring_lookup else None) or None
        if secret:
            self._passwords[public_dsn(dsn)] = secret
            if req.remember:
                from cluster_desk.team.credentials import to_keyring

                to_keyring(dsn, secret)
        if req.publish:
            self._publish(dsn, req.cluster, secret)
        elif req.join:
            self._join(dsn, req.cluster, secret)
        else:
            self._clone(dsn, req.cluster, secret)

    def _publish(self, dsn: str, cluster: str, secret: str | None) -> None:
        from cluster_desk.team.onboard import adopt_published, publish_records

        project = self.session.project
        members = list(self.session.members.values())
        links = list(self.session.links.values())
        settings = self.session.settings
        upto = project.last_seq()

        def done(cursor: Any, error: BaseException | None) -> None:
            if error is not None:
                self.ctx.notifier.error(self.tr("Publish failed"), user_message(error))
                self.synced.emit(error)
                return
            if self.session.project is not project:
                return
            adopt_published(project, dsn, cluster, cursor, upto)
            self.ctx.notifier.status(
                self.tr("Published as cluster «%1»; this project is now its working copy.").replace(
                    "%1", cluster), 8000)
            self._adopt()

        run_in_thread(
            self, lambda: publish_records(dsn, cluster, members, links, lambda _d: secret, settings), done)

    def _join(self, dsn: str, cluster: str, secret: str | None) -> None:
        from cluster_desk.team.onboard import adopt_existing, check_cluster

        project = self.session.project

        def done(_writable: Any, error: BaseException | None) -> None:
            if error is not None:
                self.ctx.notifier.error(self.tr("Connect failed"), user_message(error))
                self.synced.emit(error)
                return
            if self.session.project is not project:
                return
            try:
                adopt_existing(project, dsn, cluster)
            except ProjectError as e:
                self.ctx.notifier.error(self.tr("Connect failed"), user_message(e))
                return
            self._adopt()  # the first sync sends this project's records and receives the cluster's

        run_in_thread(self, lambda: check_cluster(dsn, cluster, lambda _d: secret), done)

    def _clone(self, dsn: str, cluster: str, secret: str | None) -> None:
        from cluster_desk.team.onboard import clone

        out = self.choose_clone_path(cluster)
        if not out:
            return
        path = Path(out)

        def done(_count: Any, error: BaseException | None) -> None:
            if error is not None:
                self.ctx.notifier.error(self.tr("Clone failed"), user_message(error))
                self.synced.emit(error)
                return
            self.openRequested.emit(str(path))

        run_in_thread(self, lambda: clone(dsn, cluster, path, lambda _d: secret), done)

    def _choose_clone_path(self, cluster: str) -> str:
        from cluster_desk import PROJECT_SUFFIX

        path, _ = QFileDialog.getSaveFileName(self.ctx.dialog_parent, self.tr("Save the working copy as"),
                                              f"{cluster}{PROJECT_SUFFIX}",
                                              self.tr("Cluster projects (*%1)").replace("%1", PROJECT_SUFFIX))
        if path and not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        return path

    def _ask_password(self, dsn: str) -> str | None:
        from cluster_desk.team.credentials import account

        text, ok = QInputDialog.getText(self.ctx.dialog_parent, self.tr("Team server password"),
                                        self.tr("Password for %1:").replace("%1", account(dsn)),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def show_people(self) -> None:
        """Who works on this cluster; a manager assigns people (team/people.py)."""
        from cluster_desk.ui.team.people_dialog import PeopleDialog

        if self.link is None:
            return
        secret = self._password_for(self.link.dsn)
        self.people_dialog = PeopleDialog(self.ctx.dialog_parent, self.link.dsn, self.link.cluster,
                                          lambda _dsn: secret)
        self.run_dialog(self.people_dialog)

    # ----- conflicts --------------------------------------------------------------------------

    def show_conflicts(self) -> None:
        # Here, not at the window's start: it loads the merge (store.merge, its dialog).
        from cluster_desk.ui.team.conflicts import choices, conflicts_view, resolve

        project = self.session.project
        if project is None:
            return
        items = conflicts(project)
        if not items:
            self.ctx.notifier.status(self.tr("No conflicts to resolve."), 5000)
            return
        names = {mid: m.name for mid, m in self.session.members.items()}
        dialog = conflicts_view(self.ctx.dialog_parent, items, names, self.link.cluster if self.link else "")
        self.conflicts_dialog = dialog
        if self.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        resolved = resolve(self.session, project, items, choices(dialog))
        save_conflicts(project, [c for i, c in enumerate(items) if i not in resolved])
        self._show_counts()


def _stop_listener(listener: Any) -> None:
    listener.stop()
