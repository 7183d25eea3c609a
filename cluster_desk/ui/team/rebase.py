"""The undo stack survives a pull: its commands are rebased on the values colleagues sent.

A command keeps whole records (the record before and after the user's edit). After a pull, every
record a command holds gets the pulled values of the fields the pull changed, on both sides: undo
and redo then only switch the fields the user changed, and a colleague's edit is never reverted
by undoing an own one. Where a colleague changed the very field an own edit changed (after it was
synced), their later value stands: undo no longer touches that field. Pulled edits are not on the
stack: they are the colleague's, not undoable as the user's own.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from cluster_desk.core.model import ClusterSettings, Link, Member

#: Attributes of our undo commands that hold records (ui/project/commands.py, ui/links/commands.py).
_RECORD_ATTRIBUTES = ("old", "new", "members", "deleted", "link", "links", "change")


@dataclasses.dataclass
class Pulled:
    """The fields a pull changed: id -> field -> new value; settings key -> new value."""

    members: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    links: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: Records the pull brought back that were not here (a delete of this copy lost to a
    #: colleague's edit): undoing the own delete must not restore them a second time.
    back: set[str] = dataclasses.field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.members or self.links or self.settings or self.back)


def pull_keeping_undo(session: Any, project: Any, data: Any) -> Any:
    """Apply pulled rows (team.pull), refresh the session's views, rebase its undo stack on them.
    Returns the pull's ``Applied``."""
    from cluster_desk.team.pull import apply_pull, pulled_ids

    # Only the records the pull may write are built and compared, before and after (every
    # record of the session was: ~2.5 s of the GUI thread at 100,000 members and 300,000
    # links for a pull of ~100 rows; issue 17).
    touching = pulled_ids(project, data)
    session.load_records_of(*touching)
    members_before = {mid: session.members.get(mid) for mid in touching[0]}
    links_before = {lid: session.links.get(lid) for lid in touching[1]}
    settings_before = session.settings
    applied = apply_pull(project, data, touching)
    if not applied.changed:
        return applied
    session.reload_records(applied.upserted, applied.removed, applied.links > 0, applied.settings,
                           link_upserted=applied.link_upserted, link_removed=applied.link_removed)
    pulled = Pulled(settings=changed_fields(settings_before, session.settings) if applied.settings else {})
    for mid in applied.upserted:
        if members_before.get(mid) is None:
            pulled.back.add(mid)
        elif fields := changed_fields(members_before[mid], session.members.get(mid)):
            pulled.members[mid] = fields
    for lid in applied.link_upserted:  # (the others are gone, or as they were)
        if links_before.get(lid) is None:
            pulled.back.add(lid)
        elif fields := changed_fields(links_before[lid], session.links.get(lid)):
            pulled.links[lid] = fields
    rebase_undo_stack(session.undo_stack, pulled)
    return applied


def changed_fields(before: Any, after: Any) -> dict[str, Any]:
    """Field -> value of ``after`` where it differs from ``before`` (two records of one kind)."""
    if before is None or after is None:
        return {}
    return {f.name: getattr(after, f.name) for f in dataclasses.fields(after)
            if f.name != "id" and getattr(before, f.name) != getattr(after, f.name)}


def rebase_undo_stack(stack: QUndoStack, pulled: Pulled) -> int:
    """Patch every command on ``stack``; returns how many were changed."""
    if pulled.empty:
        return 0
    count = 0
    for index in range(stack.count()):
        command = stack.command(index)
        if command is not None:
            count += _rebase_command(command, pulled)
    return count


def _rebase_command(command: QUndoCommand, pulled: Pulled) -> int:
    changed = 0
    deleted = getattr(command, "deleted", None)
    if pulled.back and deleted is not None:  # DeleteMembers: (members, links); DeleteLinks: [links]
        if isinstance(deleted, tuple):
            kept = ([m for m in deleted[0] if m.id not in pulled.back],
                    [lk for lk in deleted[1] if lk.id not in pulled.back])
            if sum(map(len, kept)) < sum(map(len, deleted)):
                command.deleted, changed = kept, 1  # type: ignore[attr-defined]
        elif isinstance(deleted, list) and any(lk.id in pulled.back for lk in deleted):
            command.deleted = [lk for lk in deleted if lk.id not in pulled.back]  # type: ignore[attr-defined]
            changed = 1
    for name in _RECORD_ATTRIBUTES:
        if hasattr(command, name):
            value = getattr(command, name)
            patched = _patch(value, pulled)
            if patched is not value:
                setattr(command, name, patched)
                changed = 1
    for child in range(command.childCount()):  # macros (e.g. "Resolve team conflicts")
        inner = command.child(child)
        if inner is not None:
            changed |= _rebase_command(inner, pulled)
    return changed


def _patch(value: Any, pulled: Pulled) -> Any:
    """``value`` with pulled fields applied; the same object when nothing applies."""
    if isinstance(value, Member):
        fields = pulled.members.get(value.id)
        return dataclasses.replace(value, **fields) if fields else value
    if isinstance(value, Link):
        fields = pulled.links.get(value.id)
        return dataclasses.replace(value, **fields) if fields else value
    if isinstance(value, ClusterSettings):
        return dataclasses.replace(value, **pulled.settings) if pulled.settings else value
    if isinstance(value, list | tuple):
        items = [_patch(v, pulled) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        patched = {k: _patch(v, pulled) for k, v in value.items()}
        return value if all(patched[k] is value[k] for k in value) else patched
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # BulkChange
        updates = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _patch(old, pulled)
            if new is not old:
                updates[f.name] = new
        return dataclasses.replace(value, **updates) if updates else value
    return value
