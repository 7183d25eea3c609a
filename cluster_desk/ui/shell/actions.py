"""Every user action declared in one place (Picard's ui/mainwindow/actions.py idea).

The window connects ``triggered`` to its handlers and builds menus/toolbars from these; nothing
else creates QActions, so texts, shortcuts and tips are defined (and translated) once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import QStyle, QWidget


def shortcut_list(specs: list[QKeySequence.StandardKey | str]) -> list[QKeySequence]:
    """Key sequences for the specs, each once: a standard key expands to the platform's
    bindings (Save As is Ctrl+Shift+S on Linux), and a key listed twice on one action makes
    Qt's shortcut map ambiguous, so it would never fire."""
    out: list[QKeySequence] = []
    for spec in specs:
        keys = QKeySequence.keyBindings(spec) if isinstance(spec, QKeySequence.StandardKey) \
            else [QKeySequence(spec)]
        out += [k for k in keys if not k.isEmpty() and k not in out]
    return out


class Actions(QObject):
    def __init__(self, window: QWidget, undo_stack: QUndoStack) -> None:
        super().__init__(window)
        self._window = window
        style = window.style()
        icon = style.standardIcon
        sp = QStyle.StandardPixmap
        KS = QKeySequence.StandardKey

        # File
        self.new = self._make(self.tr("&New Project…"), [KS.New],
                              self.tr("Create a new cluster project file"), icon(sp.SP_FileIcon))
        self.open = self._make(self.tr("&Open…"), [KS.Open], self.tr("Open a cluster project file"),
                               icon(sp.SP_DialogOpenButton))
        self.open_demo = self._make(self.tr("Open &Demo Project"), [],
                                    self.tr("Open a demo automotive cluster around Kazan"))
        self.save_as = self._make(self.tr("Save &As…"), [KS.SaveAs, "Ctrl+Shift+S"],
                                  self.tr("Save a copy of the project and continue in the copy"),
                                  icon(sp.SP_DialogSaveButton))
        self.automatic_copies = self._make(self.tr("Automatic &Copies…"), [],
                                           self.tr("Open a copy kept before an import, a merge or a "
                                                   "synchronisation, as a project of its own"))
        self.import_roster = self._make(self.tr("&Import Roster…"), ["Ctrl+I"],
                                        self.tr("Add or update members and their links from CSV, Excel, "
                                                "GeoJSON, KML or GeoPackage, with a preview"))
        self.export_roster = self._make(self.tr("&Export Roster…"), ["Ctrl+E"],
                                        self.tr("Write the roster as CSV or an HTML map, or with its links "
                                                "as Excel, GeoJSON, KML or GeoPackage; or the links table "
                                                "as CSV"))
        self.field_copy = self._make(self.tr("Export &Field Copy…"), [],
                                     self.tr("Write a copy of the project for a field officer"))
        self.merge_copy = self._make(self.tr("&Merge Field Copy…"), [],
                                     self.tr("Bring a field officer's edits back into this project"))
        self.team_connect = self._make(self.tr("Connect to &Team Server…"), [],
                                       self.tr("Clone a cluster from the team server into a new project, "
                                               "or publish this project as a new cluster"))
        self.team_sync = self._make(self.tr("S&ync with Team Server"), ["F9"],
                                    self.tr("Send your edits to the team server, then receive your "
                                            "colleagues' edits (members and links)"))
        self.close = self._make(self.tr("&Close Project"), ["Ctrl+W"], self.tr("Close the project"))
        self.quit = self._make(self.tr("&Quit"), ["Ctrl+Q"], self.tr("Quit Cluster Desk"))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit (undo/redo come from the stack: their texts follow the command, e.g. "Undo Move")
        self.undo = undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo.setShortcuts(shortcut_list([KS.Undo]))
        self.undo.setIcon(icon(sp.SP_ArrowBack))
        self.redo = undo_stack.createRedoAction(self, self.tr("&Redo"))
        # Ctrl+Shift+Z everywhere (the platform's Redo may add Ctrl+Y); listed once, or Qt
        # finds the key twice and fires nothing ("Ambiguous shortcut overload").
        self.redo.setShortcuts(shortcut_list(["Ctrl+Shift+Z", KS.Redo]))
        self.redo.setIcon(icon(sp.SP_ArrowForward))
        self.add_member = self._make(self.tr("&Add Member…"), ["Ins", "Ctrl+M"],
                                     self.tr("Click on the map where the new member is"))
        self.add_member.setCheckable(True)
        self.add_member_form = self._make(self.tr("Add Member by &Coordinates…"), ["Ctrl+Shift+M"],
                                          self.tr("Open the member form and type the coordinates "
                                                  "(or leave the member unplaced)"))
        self.edit_member = self._make(self.tr("&Edit Member…"), ["F2"],
                                      self.tr("Edit the selected member in a form"))
        self.delete_members = self._make(self.tr("&Delete Members"), [KS.Delete],
                                         self.tr("Delete the selected members and their links"))
        self.place_member = self._make(self.tr("&Place on Map"), ["Ctrl+P"],
                                       self.tr("Click on the map where the selected unlocated member is"))
        self.place_member.setCheckable(True)
        self.member_history = self._make(self.tr("Member &History…"), ["Ctrl+H"],
                                         self.tr("Every recorded change of the selected member"))
        self.find = self._make(self.tr("&Filter Roster"), [KS.Find], self.tr("Filter the roster by text"))
        self.cancel_mode = self._make(self.tr("Cancel"), ["Esc"], self.tr("Leave place mode"))

        # View
        self.fit_all = self._make(self.tr("&Fit Cluster"), ["Ctrl+0"],
                                  self.tr("Zoom the map to the members within the cluster circle"))
        self.fit_everything = self._make(self.tr("Fit &Everything"), ["Ctrl+Shift+0"],
                                         self.tr("Zoom the map to show every member, partners "
                                                 "far away included"))
        self.language = self._make(self.tr("&Language…"), [], self.tr("Choose the interface language"))
        self.find_place = self._make(self.tr("Find a &Place…"), ["Ctrl+L"],
                                     self.tr("Find a town or village by name, or go to coordinates"))
        self.show_towns = self._make(self.tr("&Towns"), [],
                                     self.tr("Show cities and towns with their names on the map "
                                             "(offline, larger ones first as you zoom out)"))
        self.show_towns.setCheckable(True)
        self.show_towns.setChecked(True)
        self.make_offline = self._make(self.tr("Make This Area Available &Offline…"), [],
                                       self.tr("Save the map tiles of the cluster circle or the current "
                                               "view into a tile pack (needs an online tile source)"))

        # Cluster
        self.settings = self._make(self.tr("Cluster &Settings…"), ["Ctrl+,"],
                                   self.tr("Centre, radius, critical mass band and other thresholds"))
        self.fit_circle = self._make(self.tr("Fit Smallest Circle"), [],
                                     self.tr("Set the centre and radius to the smallest circle holding "
                                             "every located member"))
        self.draw_radius = self._make(self.tr("&Draw Radius…"), [],
                                      self.tr("Click the cluster centre on the map, then drag the "
                                              "circle's edge"))
        self.draw_radius.setCheckable(True)

        # Help
        self.about = self._make(self.tr("&About Cluster Desk"), [], "")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        # Short texts for the toolbar buttons (menus keep the full text).
        for action, short in ((self.open, self.tr("Open")), (self.undo, self.tr("Undo")),
                              (self.redo, self.tr("Redo")), (self.add_member, self.tr("Add")),
                              (self.place_member, self.tr("Place")), (self.edit_member, self.tr("Edit")),
                              (self.delete_members, self.tr("Delete")),
                              (self.fit_all, self.tr("Fit Cluster")),
                              (self.fit_circle, self.tr("Smallest Circle")),
                              (self.draw_radius, self.tr("Draw Radius")),
                              (self.settings, self.tr("Settings"))):
            action.setIconText(short)

        #: Actions that need an open project.
        self.project_actions = [self.save_as, self.automatic_copies, self.close, self.import_roster,
                                self.export_roster, self.field_copy, self.merge_copy, self.member_history,
                                self.add_member, self.add_member_form, self.edit_member,
                                self.delete_members, self.place_member, self.find, self.fit_all,
                                self.fit_everything,
                                self.settings, self.fit_circle, self.draw_radius]

    def _make(self, text: str, shortcuts: list[QKeySequence.StandardKey | str], tip: str,
              icon: QIcon | None = None) -> QAction:
        action = QAction(text, self._window)
        if shortcuts:
            action.setShortcuts(shortcut_list(shortcuts))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon is not None:
            action.setIcon(icon)
        self._window.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action
