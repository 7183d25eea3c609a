"""Edit and Cluster menu behaviour: add/place/edit/delete members, bulk status/kind changes,
cluster settings, fitting the circle; keeps the roster and map selections in step.

Dialogs are opened with ``open()`` (never a nested event loop); the open one is kept in
``self.form`` / ``self.settings_dialog`` so tests can fill and accept it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu

from cluster_desk.core.model import MemberKind, Status
from cluster_desk.ui import labels
from cluster_desk.ui.context import AppContext
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.map.sync import MapSync
from cluster_desk.ui.project.commands import AddMember, DeleteMembers, EditMember, EditMembers, SetSettings
from cluster_desk.ui.roster.panel import RosterPanel

if TYPE_CHECKING:  # the dialogs are imported when first opened, not at the app's start
    from cluster_desk.ui.project.member_form import MemberForm
    from cluster_desk.ui.project.settings_dialog import SettingsDialog


class EditController(QObject):
    #: The application preferences were changed in the settings dialog (the window tells the
    #: offline-map part to apply the online tile source).
    preferencesChanged = Signal()
    #: Fit Smallest Circle: (lat, lon, radius_km) of the smallest circle and of the 90 % one.
    circlesFitted = Signal(object, object)

    def __init__(self, ctx: AppContext, sync: MapSync, roster: RosterPanel,
                 tile_cache_owner: Any = None) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.session = session = ctx.session
        self.sync = sync
        self.roster = roster
        self._tile_cache_owner = tile_cache_owner  # shown and cleared in the settings dialog
        self.form: MemberForm | None = None
        self.settings_dialog: SettingsDialog | None = None
        self._syncing_selection = False
        self._fit_waits = False  # Fit Smallest Circle asked while an edit's checks were on their way
        a = ctx.actions
        self.a = a
        parent = ctx.dialog_parent

        self.set_status_menu = QMenu(self.tr("Set &Status"), parent)
        for status, text in labels.status_labels().items():
            self.set_status_menu.addAction(text, lambda s=status: self.bulk_set(status=s))
        self.set_kind_menu = QMenu(self.tr("Set &Kind"), parent)
        for kind, text in labels.kind_labels().items():
            self.set_kind_menu.addAction(text, lambda k=kind: self.bulk_set(kind=k))

        a.add_member.triggered.connect(self._add_toggled)
        a.add_member_form.triggered.connect(lambda: self.open_add_form(None, None))
        a.place_member.triggered.connect(self._place_toggled)
        a.draw_radius.triggered.connect(self._draw_radius_toggled)
        a.cancel_mode.triggered.connect(sync.cancel)
        a.edit_member.triggered.connect(self.edit_selected)
        a.delete_members.triggered.connect(self.delete_selected)
        a.settings.triggered.connect(lambda: self.open_settings(False))
        a.language.triggered.connect(lambda: self.open_settings(True))
        a.fit_circle.triggered.connect(self.fit_circle)
        sync.addRequested.connect(self.open_add_form)
        sync.modeChanged.connect(self._mode_changed)
        roster.selectionChanged.connect(self._roster_selection)
        roster.editRequested.connect(self.edit_selected)
        roster.model.editRequested.connect(lambda m: self.push(EditMember(session, m)))
        ctx.map.memberClicked.connect(self._map_clicked_member)
        session.changed.connect(lambda _c: self.update_enabled())
        session.assessed.connect(self._fit_if_waiting)
        self._mode_changed("")

    def push(self, command: object) -> None:
        self.session.undo_stack.push(command)

    def selected(self) -> list[str]:
        return [i for i in self.roster.selected_ids() if i in self.session.members]

    def update_enabled(self) -> None:
        is_open = self.session.is_open
        ids = self.selected() if is_open else []
        self.a.edit_member.setEnabled(len(ids) == 1)
        self.a.place_member.setEnabled(len(ids) == 1 or self.sync.mode == "place")
        self.a.delete_members.setEnabled(bool(ids))
        self.set_status_menu.setEnabled(bool(ids))
        self.set_kind_menu.setEnabled(bool(ids))
        for action in (self.a.add_member, self.a.add_member_form, self.a.fit_circle, self.a.draw_radius,
                       self.a.settings):
            action.setEnabled(is_open)

    # ----- place mode -----------------------------------------------------------------------------

    def _add_toggled(self, on: bool) -> None:
        self.sync.start("add") if on else self.sync.cancel()

    def _place_toggled(self, on: bool) -> None:
        ids = self.selected()
        if on and len(ids) == 1:
            self.sync.start("place", ids[0])
        else:
            self.sync.cancel()

    def _draw_radius_toggled(self, on: bool) -> None:
        self.sync.start("centre") if on else self.sync.cancel()

    def _mode_changed(self, mode: str) -> None:
        self.a.add_member.setChecked(mode == "add")
        self.a.place_member.setChecked(mode == "place")
        self.a.draw_radius.setChecked(mode == "centre")
        self.a.cancel_mode.setEnabled(bool(mode))
        messages = {
            "add": self.tr("Click on the map where the new member is, or find the place or its "
                           "coordinates in the search box (Ctrl+L). Esc cancels."),
            "place": self.tr("Click on the map where the selected member is, or find the place or "
                             "its coordinates in the search box (Ctrl+L). Esc cancels."),
            "centre": self.tr("Click the cluster centre on the map, then drag the circle’s edge "
                              "to set the radius. Esc cancels."),
        }
        if mode:
            self.ctx.notifier.status(messages[mode], 0)
        else:
            self.ctx.notifier.clear()
        self.update_enabled()

    # ----- forms ----------------------------------------------------------------------------------

    def place_found(self, lat: float, lon: float, name: str) -> None:
        """A place or coordinates chosen in the search box: in add mode the new member goes
        there (the form opens with them), in place mode the selected member does."""
        mode = self.sync.mode
        if mode in ("add", "place"):
            self.sync.click_at(lat, lon)

    def open_add_form(self, lat: float | None, lon: float | None) -> None:
        from cluster_desk.ui.project.member_form import MemberForm

        form = MemberForm(None, lat, lon, self.ctx.dialog_parent)
        form.accepted.connect(lambda: self._added(form))
        self._show_form(form)

    def _added(self, form: MemberForm) -> None:
        member = form.member()
        self.push(AddMember(self.session, member))
        if member.id in self.session.members:
            self.roster.select_ids([member.id])

    def edit_selected(self) -> None:
        ids = self.selected()
        if len(ids) != 1:
            return
        from cluster_desk.ui.links.controller import member_link_lines
        from cluster_desk.ui.project.member_form import MemberForm

        form = MemberForm(self.session.members[ids[0]], parent=self.ctx.dialog_parent,
                          links=member_link_lines(self.session, ids[0]))
        form.accepted.connect(lambda: self._edited(form))
        self._show_form(form)

    def _edited(self, form: MemberForm) -> None:
        member = form.member()
        if member.id in self.session.members and member != self.session.members[member.id]:
            self.push(EditMember(self.session, member))

    def _show_form(self, form: MemberForm) -> None:
        self.cancel_forms()
        self.form = form
        form.finished.connect(lambda _r: setattr(self, "form", None) if self.form is form else None)
        form.open()

    def cancel_forms(self) -> None:
        for dialog in (self.form, self.settings_dialog):
            if dialog is not None:
                dialog.reject()
        self.form = self.settings_dialog = None

    # ----- bulk edits and deletes ---------------------------------------------------------------

    def bulk_set(self, status: Status | None = None, kind: MemberKind | None = None) -> None:
        members = self.session.members
        changed = []
        for mid in self.selected():
            m = members[mid]
            new = dataclasses.replace(m, status=status or m.status, kind=kind or m.kind)
            if new != m:
                changed.append(new)
        if changed:
            self.push(EditMembers(self.session, changed))

    def delete_selected(self) -> None:
        ids = self.selected()
        if ids:
            self.push(DeleteMembers(self.session, ids))
            said = self.tr("Deleted %1 member(s). Ctrl+Z brings them back.", "", len(ids))
            self.ctx.notifier.status(said.replace("%1", ui_text().number(len(ids))))

    # ----- cluster --------------------------------------------------------------------------------

    def open_settings(self, application_tab: bool) -> None:
        proposed = self.session.centre
        prefs = self.ctx.prefs
        from cluster_desk.ui.project.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session.settings, prefs.language, proposed, self.ctx.dialog_parent,
                                online_tiles=(prefs.online_tiles, prefs.online_tile_url,
                                              prefs.online_tile_attribution),
                                tile_cache_owner=self._tile_cache_owner)
        if application_tab or not self.session.is_open:
            dialog.show_application_tab()
        dialog.accepted.connect(lambda: self._settings_accepted(dialog))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_accepted(self, dialog: SettingsDialog) -> None:
        self.settings_dialog = None
        prefs = self.ctx.prefs
        prefs.language = dialog.chosen_language()
        prefs.online_tiles, prefs.online_tile_url, prefs.online_tile_attribution = \
            dialog.chosen_online_tiles()
        self.preferencesChanged.emit()
        if self.session.is_open:
            new = dialog.cluster_settings()
            if new != self.session.settings:
                self.push(SetSettings(self.session, new))

    def fit_circle(self) -> None:
        """Move the centre to the smallest circle around the located participants (the ones the
        concentration check measures) and say its radius, and the 90 % one's. The norm radius
        is never rewritten (issue 13): a circle fitted to the members is not the OECD norm.

        The circles are the last checks' (the concentration check's facts: they do not depend on
        the centre); while an edit's checks are on their way, the fit waits for them. Computed
        here only when no check has run (as it always was: after an edit at 100,000 members that
        read the file again on the GUI thread, ~0.7 s)."""
        if self.session.assessment_pending:
            self._fit_waits = True
            return
        self._fit_waits = False
        conc = next((r for r in self.session.results if getattr(r, "id", "") == "concentration"), None)
        circles = _circles_of(conc) if conc is not None else self._circles_now()
        if circles is None:
            self.ctx.notifier.status(self.tr("No located members to fit a circle to."))
            return
        smallest, ninety = circles
        lat, lon, r = smallest
        s = dataclasses.replace(self.session.settings, centre_lat=float(lat), centre_lon=float(lon))
        self.push(SetSettings(self.session, s, self.tr("Fit smallest circle")))
        self.circlesFitted.emit(smallest, ninety)  # drawn apart from the norm circle
        self.ctx.notifier.status(
            self.tr("Smallest circle: %1 km (all), %2 km (90 %); the norm radius stays %3 km.")
            .replace("%1", f"{r:,.0f}").replace("%2", f"{ninety[2]:,.0f}")
            .replace("%3", f"{self.session.settings.radius_km:g}"), 10000)

    def _fit_if_waiting(self, _results: object) -> None:
        if self._fit_waits and self.session.is_open:
            self.fit_circle()

    def _circles_now(self) -> tuple[Any, Any] | None:
        from cluster_desk.core.checks.geography import locate

        arrays = self.session.current_arrays()  # (no record built for it: issue 17)
        geo = locate(arrays, arrays.participants(date.today().isoformat()),
                     dataclasses.replace(self.session.settings, centre_lat=None, centre_lon=None))
        return None if geo.smallest is None or geo.smallest90 is None else (geo.smallest, geo.smallest90)

    # ----- selection sync -------------------------------------------------------------------------

    def _roster_selection(self, ids: list[str]) -> None:
        self.update_enabled()
        if self._syncing_selection:
            return
        self.ctx.map.select(ids[0] if len(ids) == 1 else None, pan=True)

    def _map_clicked_member(self, member_id: str) -> None:
        self._syncing_selection = True
        try:
            self.roster.select_ids([member_id])
            if member_id not in self.roster.selected_ids():
                # Filtered out of the table: clear the filters so the row can be shown.
                self.roster.clear_check_filter()
                self.roster.select_ids([member_id])
        finally:
            self._syncing_selection = False
        self.ctx.map.select(member_id, pan=False)


def _circles_of(concentration: Any) -> tuple[Any, Any] | None:
    """The smallest circle and the 90 % one of the concentration check's result."""
    facts = getattr(concentration, "facts", None)
    smallest, ninety = getattr(facts, "smallest", None), getattr(facts, "smallest90", None)
    return None if smallest is None or ninety is None else (smallest, ninety)
