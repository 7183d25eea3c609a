"""A working copy's bookkeeping in the project file, and its local edits folded for a push.

Stored in the project's ``meta`` table (no new table, no migration), as JSON under two keys:
- ``team``: server DSN (never a password), cluster, this copy's client id, the pull cursor,
  ``pushed_seq`` (local log entries up to it are on the server) and ``pulled`` (seq ranges the
  pulls wrote: they came from the server and are never pushed back);
- ``team_conflicts``: conflicts the server recorded for this copy's pushes, until resolved.

The bookkeeping is written in the same local transaction as the data it describes, so a crash
leaves either both or neither.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cluster_desk.store.changes import Change
from cluster_desk.store.project import Project, ProjectError
from cluster_desk.team.records import (
    DELETED,
    FIELDS,
    LOG_ENTITIES,
    SERVER_FIELDS_VERSION,
    label_of,
    same,
)

TEAM_KEY = "team"
CONFLICTS_KEY = "team_conflicts"


@dataclass
class TeamLink:
    """Where a working copy syncs to and how far it got."""

    dsn: str
    cluster: str
    client_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    cursor: str | None = None  # server snapshot xmin (xid8 as text) of the last pull
    pushed_seq: int = 0
    pulled: list[list[int]] = field(default_factory=list)
    last_sync: str = ""  # UTC ISO time of the last complete sync
    #: The server schema whose fields this copy has sent: below SERVER_FIELDS_VERSION, its next
    #: push also sends the format-3 fields and settings that stayed local before (workcopy_catchup).
    fields: int = SERVER_FIELDS_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> TeamLink:
        data = json.loads(text)
        if not isinstance(data, dict) or not data.get("dsn") or not data.get("cluster"):
            raise ValueError("incomplete team settings")
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known.setdefault("fields", 1)  # written before the server kept format 3 and settings
        return cls(**known)


def team_link(project: Project) -> TeamLink | None:
    """The project's team settings, or None for a plain local project."""
    text = project.meta().get(TEAM_KEY)
    if not text:
        return None
    try:
        return TeamLink.from_json(text)
    except (ValueError, TypeError) as e:
        raise ProjectError.of("team_settings_damaged", path=project.path, detail=str(e)) from e


def require_link(project: Project) -> TeamLink:
    link = team_link(project)
    if link is None:
        raise ProjectError.of("not_working_copy", path=project.path)
    return link


def now_utc() -> str:
    """UTC ISO time, seconds (the time of the last sync)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_link(project: Project, link: TeamLink) -> None:
    project.set_meta({TEAM_KEY: link.to_json()})


def conflicts(project: Project) -> list[dict[str, Any]]:
    try:
        value = json.loads(project.meta().get(CONFLICTS_KEY, "[]"))
    except ValueError:
        return []
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


def save_conflicts(project: Project, items: list[dict[str, Any]]) -> None:
    project.set_meta({CONFLICTS_KEY: json.dumps(items, ensure_ascii=False)})


@dataclass
class NetChange:
    """The net effect of this copy's edits on one record since its last push.

    ``base``: the values the copy started from (update: the changed fields; delete: the record);
    ``new``: the final values of the changed fields (insert: the whole record);
    ``record``: the copy's whole current record (insert, update), so the server can add it.
    """

    entity: str
    entity_id: str
    op: str  # insert | update | delete
    base: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    at: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _is_pulled(seq: int, pulled: list[list[int]]) -> bool:
    return any(a <= seq <= b for a, b in pulled)


def pending_changes(project: Project, link: TeamLink) -> list[Change]:
    """Local log entries not yet on the server (members, links, settings; not the pulled ones).

    A settings entry (all changed keys in one) becomes one "setting" entry per key.
    """
    out: list[Change] = []
    for c in project.history_since(link.pushed_seq):
        if c.entity not in LOG_ENTITIES or _is_pulled(c.seq, link.pulled):
            continue
        if c.entity != "settings":
            out.append(c)
            continue
        for key in dict.fromkeys([*c.old, *c.new]):
            out.append(replace(c, entity="setting", entity_id=key, op="update",
                               old={"value": c.old.get(key)}, new={"value": c.new.get(key)}))
    return out


Key = tuple[str, str]  # (entity, record id)


def fold(changes: list[Change]) -> dict[Key, NetChange]:
    """One net change per record, with the values it started from (server fields only)."""
    nets: dict[Key, NetChange] = {}
    for ch in changes:
        names = FIELDS.get(ch.entity, ())
        ch = replace(ch, old={k: v for k, v in ch.old.items() if k in names},
                     new={k: v for k, v in ch.new.items() if k in names})
        if ch.op == "update" and not ch.new:
            continue  # only fields the server does not keep changed
        key = (ch.entity, ch.entity_id)
        net = nets.get(key)
        if ch.op == "insert":
            if net is not None and net.op == "delete":
                # Deleted and restored (undo): whatever differs from the start is an update.
                net.op, net.new = "update", dict(ch.new)
            else:
                net = nets[key] = NetChange(ch.entity, ch.entity_id, "insert", {}, dict(ch.new))
        elif ch.op == "update":
            if net is None:
                net = NetChange(ch.entity, ch.entity_id, "update", dict(ch.old), dict(ch.new))
                nets[key] = net
            else:
                if net.op != "insert":
                    for k, v in ch.old.items():
                        net.base.setdefault(k, v)
                net.new.update(ch.new)
        else:
            if net is not None and net.op == "insert":
                del nets[key]  # added and removed again before a push: nothing to send
                continue
            start = dict(ch.old)
            if net is not None:
                start.update(net.base)  # the values before this copy's first edit
            net = nets[key] = NetChange(ch.entity, ch.entity_id, "delete", start, {})
        net.at = ch.at
        net.label = label_of(ch.entity, ch.entity_id, {**ch.old, **ch.new}) or net.label
    out: dict[Key, NetChange] = {}
    for eid, net in nets.items():
        if net.op == "update":
            # Only fields that end up different from where this copy started (a deleted and
            # restored record starts from its whole deleted record).
            changed = {k: v for k, v in net.new.items() if not (k in net.base and same(net.base[k], v))}
            net.base = {k: net.base[k] for k in changed if k in net.base}
            net.new = changed
            if not net.new:
                continue
        out[eid] = net
    return out


def fingerprint(nets: list[NetChange]) -> str:
    """A digest of a batch: the same edits give the same digest (a retry), others do not."""
    items = sorted((n.entity, n.entity_id, n.op, n.base, n.new) for n in nets)
    text = json.dumps(items, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def pending_fields(nets: dict[Key, NetChange]) -> dict[Key, set[str] | None]:
    """Per (entity, record id): the fields with unpushed local edits (None: the whole record)."""
    return {eid: (set(n.new) if n.op == "update" else None) for eid, n in nets.items()}


def conflict_line(c: dict[str, Any]) -> str:
    """One readable line for a recorded conflict (the command line and the UI's list)."""
    what = f"{c.get('entity', 'member')} «{c.get('label') or c.get('entity_id')}»"
    theirs = f"{c.get('server_actor', '?')} {_show(c.get('server_value'))}"
    mine = f"{c.get('client_actor', '?')} {_show(c.get('client_value'))}"
    if not c.get("field"):
        return f"{what}: server ({theirs}) / yours ({mine})"
    return f"{what}, {c['field']}: server {theirs} / yours {mine}"


def _show(value: Any) -> str:
    if value == DELETED:
        return "deleted it"
    if isinstance(value, dict):
        return "changed " + ", ".join(sorted(value))
    return "(empty)" if value in (None, "") else repr(value)
