"""Records as plain field dicts, the shape both the local change log and the server speak."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal

from cluster_desk.core.model import (
    LINK_FIELDS,
    MEMBER_FIELDS,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)

Entity = Literal["member", "link"]
ENTITIES: tuple[Entity, ...] = ("member", "link")
FIELDS: dict[str, tuple[str, ...]] = {"member": MEMBER_FIELDS, "link": LINK_FIELDS}
TABLES: dict[str, str] = {"member": "cdesk.members", "link": "cdesk.links"}

#: How a deleted record shows on one side of a conflict (JSON-safe).
DELETED: dict[str, Any] = {"$deleted": True}


def is_deleted(value: Any) -> bool:
    return isinstance(value, dict) and value.get("$deleted") is True


def values_of(record: Member | Link) -> dict[str, Any]:
    """Field -> stored value (enums as their strings)."""
    names = MEMBER_FIELDS if isinstance(record, Member) else LINK_FIELDS
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        out[name] = getattr(value, "value", value)
    return out


_MEMBER_ENUMS = {"kind": MemberKind, "status": Status, "industry": Industry}


def member_from(member_id: str, values: dict[str, Any]) -> Member:
    kw = {f.name: values[f.name] for f in fields(Member) if f.name in values}
    for name, enum in _MEMBER_ENUMS.items():
        if name in kw:
            kw[name] = enum(kw[name])
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
