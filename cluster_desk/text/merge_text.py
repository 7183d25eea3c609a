"""A merge's lines in a language: what came in or not (store.merge_notes.MergeNote) and the
conflicts (store.merge.Conflict). The caller names the fields (``field_label``: the window's
form labels, or io.vocabulary headers on the command line)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from cluster_desk.text.speech import Speaker, Text

__all__ = ["conflict_line", "merge_lines", "merge_note"]

FieldLabel = Callable[[str], str]


class _Note(Protocol):
    code: str

    @property
    def params(self) -> Mapping[str, Any]: ...


class _Conflict(Protocol):
    entity: str
    label: str
    field: str

    def sides(self) -> tuple[tuple[str, Any], tuple[str, Any]]: ...


class _Report(Protocol):
    @property
    def added(self) -> list[Any]: ...

    @property
    def changed(self) -> list[Any]: ...

    @property
    def deleted(self) -> list[Any]: ...

    @property
    def skipped(self) -> list[Any]: ...


class MergeText(Speaker):
    def note(self, n: _Note, field_label: FieldLabel) -> str:
        p = n.params
        fields = ", ".join(field_label(f) for f in p.get("fields", ()))
        if n.code == "member":
            return str(p["name"])
        if n.code == "member_fields":
            return f"{p['name']}: {fields}"
        link = str(p.get("label") or p.get("id", ""))  # (its ends and kind; the id if unknown)
        if n.code == "link":
            return self.tr("link %1").arg(link)
        if n.code == "link_fields":
            return self.tr("link %1").arg(link) + f": {fields}"
        if n.code == "settings_not_merged":
            return self.tr("settings changed in the field copy (settings are not merged)")
        if n.code == "link_member_kept":
            return self.tr("link %1: its member was deleted in the master, which was kept").arg(link)
        if n.code == "link_gone":
            return self.tr("link %1: already gone in the master").arg(link)
        if n.code == "link_refused":
            return self.tr("link %1: %2").arg(link, p["detail"])
        raise KeyError(n.code)

    def side(self, kind: str, value: Any, field_label: FieldLabel) -> str:
        if kind == "deleted":
            return self.tr("deleted it")
        if kind == "edited":
            return self.tr("changed %1").arg(", ".join(field_label(f) for f in value))
        if kind == "empty":
            return self.tr("(empty)")
        if isinstance(value, float):
            return self.text.plain(value)
        return f"«{value}»" if isinstance(value, str) else str(value)

    def conflict(self, c: _Conflict, field_label: FieldLabel) -> str:
        mine, theirs = (self.side(kind, value, field_label) for kind, value in c.sides())
        if c.entity == "member":
            what = self.tr("member «%1»").arg(c.label)
        else:
            what = self.tr("link «%1»").arg(c.label)
        if not c.field:
            return self.tr("%1: master %2, field copy %3").arg(what, mine, theirs)
        return self.tr("%1, %2: master %3 / field copy %4").arg(what, field_label(c.field), mine, theirs)

    def lines(self, r: _Report, field_label: FieldLabel) -> list[str]:
        out = [f"+ {self.note(n, field_label)}" for n in r.added]
        out += [f"~ {self.note(n, field_label)}" for n in r.changed]
        out += [f"- {self.note(n, field_label)}" for n in r.deleted]
        out += [self.tr("! not merged: %1").arg(self.note(n, field_label)) for n in r.skipped]
        return out


def merge_note(note: _Note, text: Text, field_label: FieldLabel = str) -> str:
    """One record that came in (or could not, and why)."""
    return MergeText(text).note(note, field_label)


def conflict_line(conflict: _Conflict, text: Text, field_label: FieldLabel = str) -> str:
    """One conflict: "member «A», Employees: master 12 / field copy 15"."""
    return MergeText(text).conflict(conflict, field_label)


def merge_lines(report: _Report, text: Text, field_label: FieldLabel = str) -> list[str]:
    """The report's lines: "+ added", "~ changed: fields", "- deleted", "! not merged: why"."""
    return MergeText(text).lines(report, field_label)
