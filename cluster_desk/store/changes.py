"""The change log's record type and its JSON encoding."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Entity = Literal["member", "link", "settings"]
Op = Literal["insert", "update", "delete"]


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the change log.

    ``old``/``new`` hold field values as stored (enums as their strings): the whole record for
    insert (``new``) and delete (``old``), only the changed fields for update.
    """

    seq: int
    at: str  # UTC ISO 8601, e.g. "2026-05-09T07:35:25.123+00:00"
    actor: str  # OS login name of whoever made the edit
    entity: Entity
    entity_id: str
    op: Op
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)


# One encoder for all calls: json.dumps(**options) would build a new encoder per record.
# NaN/inf never get here (validated on write); allow_nan=False makes sure.
_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def dumps(values: dict[str, Any] | None) -> str | None:
    """Compact JSON text for the log (None stays NULL)."""
    if values is None:
        return None
    return _encode(values)


def dumps_record(values: tuple[Any, ...]) -> str:
    """A whole record (insert, delete) as a JSON array of its field values in field order.

    Format 2 of the project file: an array encodes in half the time of an object with the same
    values (and takes less room in the file). Format 6 logs a bulk insert as a run of copied rows
    instead (``store.bulklog``); small batches, deletions and older files' entries are arrays. The order is
    that of MEMBER_FIELDS / LINK_FIELDS when the row was written: a migration that changes those
    fields must rewrite the arrays in the log (``loads`` refuses a length that does not match).
    """
    return _encode(values)


def loads(text: str | None, fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """Field -> value; a JSON array (a whole record, see ``dumps_record``) is named by ``fields``."""
    if not text:
        return {}
    value = json.loads(text)
    if isinstance(value, list) and fields:
        if len(value) != len(fields):
            raise ValueError(f"change log record has {len(value)} values for {len(fields)} fields")
        return dict(zip(fields, value, strict=True))
    if not isinstance(value, dict):
        raise ValueError("change log entry is not a JSON object")
    return value


def diff(
    fields: tuple[str, ...], old: tuple[Any, ...], new: tuple[Any, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(old values, new values) of the fields that differ between two value tuples."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, a, b in zip(fields, old, new, strict=True):
        # type() too: 1 == 1.0 == True, but a change from int to float is still a change.
        if a != b or type(a) is not type(b):
            before[name] = a
            after[name] = b
    return before, after
