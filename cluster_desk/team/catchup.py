"""A working copy that synced with a version-1 server kept its format-3 fields and its settings
local. Once the server holds them (schema 2), the copy's next push sends every such value that is
not the default, with the default as the value it started from: the server takes it where it
still has the default, and records a conflict where a colleague already set another value.
"""

from __future__ import annotations

from typing import Any

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.store.project import Project
from cluster_desk.team.records import (
    FORMAT3_FIELDS,
    SERVER_FIELDS_VERSION,
    label_of,
    settings_values,
    values_of,
)
from cluster_desk.team.workcopy import Key, NetChange, TeamLink

_MEMBER_DEFAULTS = values_of(Member(""))
_LINK_DEFAULTS = values_of(Link("a", "b"))
_SETTING_DEFAULTS = settings_values(ClusterSettings())


def needs_catch_up(link: TeamLink) -> bool:
    return link.fields < SERVER_FIELDS_VERSION


def add_catch_up(project: Project, nets: dict[Key, NetChange]) -> None:
    """Add (or merge into ``nets``) the non-default format-3 values and settings, base = default."""
    records: list[tuple[str, Member | Link, dict[str, Any]]] = [
        *(("member", m, _MEMBER_DEFAULTS) for m in project.members()),
        *(("link", lk, _LINK_DEFAULTS) for lk in project.links()),
    ]
    for entity, record, defaults in records:
        values = values_of(record)
        extra = {k: values[k] for k in FORMAT3_FIELDS[entity] if values[k] != defaults[k]}
        if extra:
            _merge(nets, NetChange(entity, record.id, "update", {k: defaults[k] for k in extra}, extra,
                                   values, label_of(entity, record.id, values)))
    for key, value in settings_values(project.settings()).items():
        if value != _SETTING_DEFAULTS[key]:
            _merge(nets, NetChange("setting", key, "update", {"value": _SETTING_DEFAULTS[key]},
                                   {"value": value}, {"value": value}, key))


def _merge(nets: dict[Key, NetChange], extra: NetChange) -> None:
    key = (extra.entity, extra.entity_id)
    net = nets.get(key)
    if net is None:
        nets[key] = extra
    elif net.op == "update":
        for k, v in extra.new.items():
            if k not in net.new:
                net.new[k] = v
                net.base[k] = extra.base[k]
