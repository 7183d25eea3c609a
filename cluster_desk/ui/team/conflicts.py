"""The conflicts a sync recorded, shown in the field-copy merge view (ui/exchange/merge_dialog):
both values, who made each and when; the user keeps one per field, or decides later.

"The server's" changes nothing (the copy already shows the server's value); "Yours" is an
ordinary, undoable edit through the undo stack (members, links, settings), and syncs like any other.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from cluster_desk.store.merge import DELETED, Conflict, MergePlan
from cluster_desk.team.records import is_deleted, link_from, member_from, values_of
from cluster_desk.ui.exchange.merge_dialog import MergeDialog
from cluster_desk.ui.i18n import ui_text

translate = QCoreApplication.translate


def _when(at: str) -> str:
    return ui_text().moment(at or "")


def _value(v: Any) -> Any:
    return DELETED if is_deleted(v) else v


def conflicts_view(parent: QWidget | None, items: list[dict[str, Any]], names: dict[str, str],
                   cluster: str) -> MergeDialog:
    """The merge view over the team's conflicts: left the server's value (shown now), right yours."""
    plan = MergePlan(Path(cluster), "", 0)
    notes: list[tuple[str, str]] = []
    for c in items:
        entity, eid = str(c.get("entity", "member")), str(c.get("entity_id", ""))
        field = str(c.get("field") or "")
        if entity == "setting":  # shown as the record "Cluster settings", the setting as its field
            label, field = translate("TeamConflicts", "Cluster settings"), eid
        else:
            label = names.get(eid) or str(c.get("label") or eid)
        plan.conflicts.append(Conflict(entity, eid, label, field,
                                       _value(c.get("server_value")), _value(c.get("client_value"))))
        notes.append((f" — {c.get('server_actor', '')}, {_when(str(c.get('server_at', '')))}",
                      f" — {c.get('client_actor', '')}, {_when(str(c.get('client_at', '')))}"))
    return MergeDialog(
        parent, plan, notes=notes, allow_later=True,
        sides=(translate("TeamConflicts", "Server"), translate("TeamConflicts", "Yours")),
        title=translate("TeamConflicts", "Team conflicts — %1").replace("%1", cluster),
        ok_text=translate("TeamConflicts", "Resolve"),
    )


def choices(dialog: MergeDialog) -> dict[int, str]:
    """Index -> "mine" (the user's value) | "theirs" (the server's); undecided left out."""
    out: dict[int, str] = {}
    for row in range(dialog.table.rowCount()):
        picked = dialog.combo(row).currentData()
        if picked in ("mine", "theirs"):
            out[row] = "theirs" if picked == "mine" else "mine"  # the view's left side is the server
    return out


def resolve(session: Any, project: Any, items: list[dict[str, Any]], picked: dict[int, str]) -> set[int]:
    """Apply the user's choices; returns the indexes resolved. "Mine" becomes ordinary commands on
    the undo stack (one macro): a field value back, a deleted record back, or the delete again."""
    from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink
    from cluster_desk.ui.project.commands import AddMembers, DeleteMembers, EditMembers, SetSettings

    edits: dict[str, Any] = {}
    link_edits: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    restore: list[Any] = []
    delete: list[str] = []
    links_back: list[Any] = []
    links_gone: list[str] = []
    for index, choice in picked.items():
        c = items[index]
        if choice != "mine":
            continue
        entity, eid = c.get("entity", "member"), c["entity_id"]
        field, mine = c.get("field", ""), c.get("client_value")
        if entity == "setting":
            settings[eid] = mine
        elif entity == "link" and field and eid in session.links:
            current = link_edits.get(eid, session.links[eid])
            link_edits[eid] = link_from(eid, {**values_of(current), field: mine})
        elif entity == "link" and not field and is_deleted(mine) and eid in session.links:
            links_gone.append(eid)
        elif entity == "link" and not field and isinstance(mine, dict) and eid not in session.links:
            last = project.last_deleted(eid)  # (the pulled delete logged it whole)
            if last is not None:
                link = link_from(eid, {**last, **mine})
                if link.source in session.members and link.target in session.members:
                    links_back.append(link)
        elif entity != "member":
            continue
        elif field and eid in session.members:
            current = edits.get(eid, session.members[eid])
            edits[eid] = member_from(eid, {**values_of(current), field: mine})
        elif not field and is_deleted(mine) and eid in session.members:
            delete.append(eid)
        elif not field and isinstance(mine, dict) and eid not in session.members:
            last = project.last_deleted(eid)  # (the pulled delete logged it whole)
            if last is not None:
                restore.append(member_from(eid, {**last, **mine}))
    stack = session.undo_stack
    if edits or link_edits or settings or restore or delete or links_back or links_gone:
        stack.beginMacro(translate("TeamConflicts", "Resolve team conflicts"))
        if edits:
            stack.push(EditMembers(session, list(edits.values())))
        for link in link_edits.values():
            stack.push(EditLink(session, link))
        if settings:
            stack.push(SetSettings(session, dataclasses.replace(session.settings, **settings)))
        if restore:
            stack.push(AddMembers(session, restore))
        for link in links_back:  # after the members they join come back
            stack.push(AddLink(session, link))
        if links_gone:
            stack.push(DeleteLinks(session, links_gone))
        if delete:
            stack.push(DeleteMembers(session, delete))
        stack.endMacro()
    return set(picked)

