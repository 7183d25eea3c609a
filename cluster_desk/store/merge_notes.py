"""The lines of a merge plan and report as facts: a code and params, with the English line as
the string itself (so a report reads as before), rendered in the user's language by
``cluster_desk.text.merge_text``."""

from __future__ import annotations

from typing import Any

#: code -> English line; ``fields`` (a list of field names) is written joined by ", ".
NOTES: dict[str, str] = {
    "member": "{name}",
    "member_fields": "{name}: {fields}",
    "link": "link {id}",
    "link_fields": "link {id}: {fields}",
    "settings_not_merged": "settings changed in the field copy (settings are not merged)",
    "link_member_kept": "link {id}: its member was deleted in the master, which was kept",
    "link_gone": "link {id}: already gone in the master",
    "link_refused": "link {id}: {detail}",
}


class MergeNote(str):
    """A record that came in (a member's name, "link ID", with the changed fields) or one that
    could not, and why. Equal to its English line."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, **params: Any) -> MergeNote:
        words = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
        note = super().__new__(cls, NOTES[code].format(**words))
        note.code = code
        note.params = params
        return note


def show_value(value: Any, deleted: Any) -> tuple[str, Any]:
    """A conflict side as (kind, value): ("deleted", None), ("edited", [fields]), ("empty", None)
    or ("value", value)."""
    if value is deleted:
        return "deleted", None
    if isinstance(value, dict):
        return "edited", sorted(value)
    if value in (None, ""):
        return "empty", None
    return "value", value
