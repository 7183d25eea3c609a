"""Records as plain field dicts, the shape both the local change log and the server speak.

Three entities sync: members and links (every field of the project's format 3) and cluster
settings, one record per setting (id = the ClusterSettings field, one field "value"), so two
people changing different settings never conflict.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal

from cluster_desk.core.model import (
    LINK_FIELDS,
    MEMBER_FIELDS,
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)
from cluster_desk.store.rows import SETTINGS_FIELDS

Entity = Literal["member", "link", "setting"]
ENTITIES: tuple[Entity, ...] = ("member", "link", "setting")
FIELDS: dict[str, tuple[str, ...]] = {
    "member": MEMBER_FIELDS,
    "link": LINK_FIELDS,
    "setting": ("value",),
}
TABLES: dict[str, str] = {"member": "cdesk.members", "link": "cdesk.links", "setting": "cdesk.settings"}
#: The project's change log calls the settings entity "settings" (one entry for all keys).
LOG_ENTITIES: dict[str, str] = {"member": "member", "link": "link", "settings": "setting"}
#: The server schema version that holds every field above (001: format 2; 002: format 3 + settings).
SERVER_FIELDS_VERSION = 2
#: Fields version 1 of the server did not have: a copy that synced with it sends its values once.
FORMAT3_FIELDS: dict[str, tuple[str, ...]] = {
    "member": ("output", "special_territory", "organising_production"),
    "link": ("end", "volume", "contract"),
}
#: Settings a working copy syncs: all of them (the project name included).
SETTING_KEYS: tuple[str, ...] = tuple(SETTINGS_FIELDS)
_BOOL_FIELDS = frozenset({"organising_production"})

#: How a deleted record shows on one side of a conflict (JSON-safe).
DELETED: dict[str, Any] = {"$deleted": True}


def is_deleted(value: Any) -> bool:
    return isinstance(value, dict) and value.get("$deleted") is True


def normal(values: dict[str, Any]) -> dict[str, Any]:
    """Values as the local change log stores them (flags as 0/1): server rows come as booleans."""
    out = dict(values)
    for name in _BOOL_FIELDS & out.keys():
        if isinstance(out[name], bool):
            out[name] = int(out[name])
    return out


def values_of(record: Member | Link) -> dict[str, Any]:
    """Field -> stored value (enums as their strings, flags as 0/1, as in the change log)."""
    names = FIELDS["member"] if isinstance(record, Member) else FIELDS["link"]
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        out[name] = int(value) if isinstance(value, bool) else getattr(value, "value", value)
    return out


def settings_values(settings: ClusterSettings) -> dict[str, Any]:
    """Setting key -> value (the records of entity "setting")."""
    return {key: getattr(settings, key) for key in SETTING_KEYS}


_MEMBER_ENUMS = {"kind": MemberKind, "status": Status, "industry": Industry,
                 "special_territory": SpecialTerritory}


def member_from(member_id: str, values: dict[str, Any]) -> Member:
    kw = {f.name: values[f.name] for f in fields(Member) if f.name in values}
    for name, enum in _MEMBER_ENUMS.items():
        if name in kw:
            kw[name] = enum(kw[name])
    for name in _BOOL_FIELDS & kw.keys():
        kw[name] = bool(kw[name])
    return Member(**{**kw, "id": member_id})


def link_from(link_id: str, values: dict[str, Any]) -> Link:
    kw = {f.name: values[f.name] for f in fields(Link) if f.name in values}
    if "kind" in kw:
        kw["kind"] = LinkKind(kw["kind"])
    return Link(**{**kw, "id": link_id})


def same(a: Any, b: Any) -> bool:
    """Equal stored values (1 == 1.0 == True would hide a type change, as in the local log)."""
    return a == b and (a is None or type(a) is type(b) or {type(a), type(b)} <= {int, float})


def label_of(entity: str, entity_id: str, values: dict[str, Any]) -> str:
    if entity == "member" and values.get("name"):
        return str(values["name"])
    return entity_id
