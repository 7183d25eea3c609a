"""Links in the window: the dock, Link mode (two picks on the map or in the roster), Add Link for
two selected members, View › Links (one toggle per kind), the legend's link colours, and the map
layer's focus (the selected member's links), selection (a clicked line) and fading (links of
members filtered out of the roster)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from cluster_desk.core.model import DIRECTED_KINDS, LinkKind, Member
from cluster_desk.ui.links.commands import AddLink, DeleteLinks
from cluster_desk.ui.links.form import LinkForm
from cluster_desk.ui.links.labels import LINK_COLOURS, link_kind_labels
from cluster_desk.ui.links.map_layer import LinkMapLayer
from cluster_desk.ui.links.model import LinksModel
from cluster_desk.ui.links.panel import LinksPanel
from cluster_desk.ui.project.session import ProjectSession

if TYPE_CHECKING:
    from cluster_desk.ui.context import AppContext


def line_swatch(colour: str, directed: bool, size: int = 16) -> QPixmap:
    pix = QPixmap(size + 8, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(colour), 2.5))
    y = size / 2
    p.drawLine(2, int(y), size + 5, int(y))
    if directed:
        p.setBrush(QColor(colour))
        x = size + 6
        p.drawPolygon([QPointF(x, y), QPointF(x - 6, y - 4), QPointF(x - 6, y + 4)])
    p.end()
    return pix


class LinksController(QObject):
    """Owns the links dock, actions and map layer; the window calls ``add_to_menus`` once."""

    formOpened = Signal(object)  # the LinkForm (tests fill it in)

    def __init__(
        self,
        ctx: AppContext,
        roster: Any,
        legend: Any = None,
        form_runner: Callable[[LinkForm], bool] | None = None,
    ) -> None:
        """The main window adds ``dock`` to itself; messages go through the context's notifier."""
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        session, map_view = ctx.session, ctx.map
        self.session = session
        self.roster = roster
        self.layer = LinkMapLayer(session, map_view, self)
        self.model = LinksModel(session, self)
        self.panel = LinksPanel(self.model)
        self.dock = QDockWidget(self.tr("Links"))
        self.dock.setObjectName("links_dock")
        self.dock.setWidget(self.panel)
        self.dock.visibilityChanged.connect(self.panel.set_active)
        #: How a form is shown; tests replace it (a modal exec() would block them).
        self.run_form: Callable[[LinkForm], bool] = form_runner or (
            lambda f: f.exec() == LinkForm.DialogCode.Accepted
        )

        self.link_mode = QAction(self.tr("&Link mode"), self)
        self.link_mode.setCheckable(True)
        self.link_mode.setStatusTip(self.tr("Click two members, on the map or in the roster, to link them"))
        self.add_link = QAction(self.tr("Add &link"), self)
        self.add_link.setStatusTip(self.tr("Link the two selected members"))
        self.kind_actions: dict[LinkKind, QAction] = {}
        self.links_menu = QMenu(self.tr("Links"))
        for kind, text in link_kind_labels().items():
            action = self.links_menu.addAction(line_swatch(LINK_COLOURS[kind], kind in DIRECTED_KINDS), text)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._kinds_toggled)
            self.kind_actions[kind] = action
        self.links_menu.addSeparator()
        show_all = self.links_menu.addAction(self.tr("Show all kinds"))
        show_all.triggered.connect(lambda: [a.setChecked(True) for a in self.kind_actions.values()])
        hide_all = self.links_menu.addAction(self.tr("Hide all links"))
        hide_all.triggered.connect(lambda: [a.setChecked(False) for a in self.kind_actions.values()])
        self._first: str | None = None  # Link mode: the first member picked

        self.link_mode.toggled.connect(self._link_mode_toggled)
        self.add_link.triggered.connect(self.add_for_selection)
        self.panel.addRequested.connect(self.add_for_selection)
        self.panel.deleteRequested.connect(self.delete)
        self.panel.selectionChanged.connect(self._table_selection)
        self.layer.linkClicked.connect(self._line_clicked)
        roster.selectionChanged.connect(self._roster_selection)
        # The links reloaded (a project opened, an import): the roster's selection may have gone
        # with its rows, with no signal of it (a reset model's): read it again once both are done.
        self.model.modelReset.connect(lambda: QTimer.singleShot(0, self, self._follow_roster))
        self._fade_timer = QTimer(self)
        self._fade_timer.setSingleShot(True)
        self._fade_timer.setInterval(150)
        self._fade_timer.timeout.connect(self._update_fade)
        model = roster.proxy.source()
        for rows_moved in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            rows_moved.connect(self.layer.forget_rows)
        for signal in (
            roster.proxy.layoutChanged,
            roster.proxy.modelReset,
            roster.proxy.rowsInserted,
            roster.proxy.rowsRemoved,
        ):
            signal.connect(lambda *_a: self._fade_timer.start())
        session.changed.connect(lambda _c: self.update_enabled())
        self.legend_toggle = None
        if legend is not None and hasattr(legend, "add_section"):
            kinds = link_kind_labels().items()
            items = [(line_swatch(LINK_COLOURS[k], k in DIRECTED_KINDS), t) for k, t in kinds]
            self.legend_toggle = legend.add_section(self.tr("Links"), items)
        if legend is not None and hasattr(legend, "show_links_note"):  # lines thinned at a low zoom
            map_view.linksThinned.connect(legend.show_links_note)
        self.update_enabled()

    def add_to_menus(self, edit_menu: QMenu, view_menu: QMenu, toolbar: QToolBar | None = None) -> None:
        edit_menu.addSeparator()
        edit_menu.addActions([self.link_mode, self.add_link])
        view_menu.addMenu(self.links_menu)
        view_menu.addAction(self.dock.toggleViewAction())
        if toolbar is not None:
            toolbar.addAction(self.link_mode)

    def update_enabled(self) -> None:
        is_open = self.session.is_open
        self.link_mode.setEnabled(is_open)
        self.add_link.setEnabled(is_open and len(self._selected_members()) == 2)
        self.dock.setEnabled(is_open)
        if not is_open and self.link_mode.isChecked():
            self.link_mode.setChecked(False)

    def _selected_members(self) -> list[str]:
        return [i for i in self.roster.selected_ids() if i in self.session.members]

    # ---- adding --------------------------------------------------------------------------------

    def _status(self, text: str) -> None:
        self.ctx.notifier.status(text)

    def _link_mode_toggled(self, on: bool) -> None:
        self._first = None
        if on:
            self._status(self.tr("Link mode: click the first member"))
        else:
            self._status("")

    def _roster_selection(self, ids: list[str]) -> None:
        ids = [i for i in ids if i in self.session.members]
        self.add_link.setEnabled(self.session.is_open and len(ids) == 2)
        self.layer.set_focus(ids[0] if len(ids) == 1 else None)
        self.panel.follow_selection(ids[0] if len(ids) == 1 else None)
        if not self.link_mode.isChecked() or len(ids) != 1:
            return
        if self._first is None or self._first not in self.session.members:
            self._first = ids[0]
            name = self.session.members[ids[0]].name
            self._status(self.tr("Link mode: «%1» picked; click the second member").replace("%1", name))
            return
        if ids[0] == self._first:
            return
        first, self._first = self._first, None
        self.open_form(first, ids[0])

    def _follow_roster(self) -> None:
        ids = self._selected_members()
        self.panel.follow_selection(ids[0] if len(ids) == 1 else None)

    def add_for_selection(self) -> None:
        ids = self._selected_members()
        if len(ids) == 2:
            self.open_form(ids[0], ids[1])
        else:
            self._status(self.tr("Select two members in the roster to link them, or use Link mode"))

    def open_form(self, first: str, second: str) -> bool:
        a: Member = self.session.members[first]
        b: Member = self.session.members[second]
        form = LinkForm(a, b, parent=self.ctx.dialog_parent)
        self.formOpened.emit(form)
        if not self.run_form(form):
            return False
        link = form.link()
        self.session.undo_stack.push(AddLink(self.session, link))
        self.layer.select(link.id)
        self.panel.select_link(link.id)
        if self.link_mode.isChecked():
            self._status(self.tr("Link added; click the first member of the next link"))
        return True

    def delete(self, ids: list[str]) -> None:
        ids = [i for i in ids if i in self.session.links]
        if ids:
            self.session.undo_stack.push(DeleteLinks(self.session, ids))

    # ---- selection, kinds, fading --------------------------------------------------------------

    def _line_clicked(self, link_id: str) -> None:
        self.layer.select(link_id)
        self.dock.show()
        self.dock.raise_()
        self.panel.select_link(link_id)

    def _table_selection(self, ids: list[str]) -> None:
        self.layer.select(ids[0] if ids else None)

    def _kinds_toggled(self, _on: bool) -> None:
        self.layer.set_hidden(k for k, a in self.kind_actions.items() if not a.isChecked())

    def _update_fade(self) -> None:
        proxy = self.roster.proxy  # None: no filter, nothing faint
        rows = proxy.fade_rows()  # (the set only when a link is drawn anew: see fade_to)
        self.layer.fade_to(None if rows is None else proxy.fade_set, rows=rows)

    def fade_now(self) -> None:
        """The fade of the roster's filter now, not a timer later (an as-of step sends it with
        the step's other changes, painted once)."""
        self._fade_timer.stop()
        self._update_fade()


def member_link_lines(session: ProjectSession, member_id: str) -> list[str]:
    """One line per link of a member, for the member form ("→ ООО «Б»: Supply …")."""
    labels = link_kind_labels()
    out = []
    for link in session.links_of(member_id):  # (no other link record built: issue 17)
        other = link.target if link.source == member_id else link.source
        m = session.members.get(other)
        arrow = ("→ " if link.source == member_id else "← ") if link.kind in DIRECTED_KINDS else "– "
        out.append(f"{arrow}{m.name if m else other}: {labels[link.kind]}")
    return out
