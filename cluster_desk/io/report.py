"""What an import did (or, as a dry run, would do): counts, every changed record field by field,
conflicts to decide, and what undo needs (the old records of updated members, the added ids)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster_desk.core.model import MEMBER_FIELDS, Member
from cluster_desk.io.errors import ImportProblem
from cluster_desk.io.idlist import IdList
from cluster_desk.io.notes import Notes, swap_offered

__all__ = ["CONFLICT_CHOICES", "FieldChange", "ImportReport", "RecordChange", "member_changes"]

#: What the user can decide for a conflict: leave the row out, keep the project's value of the
#: conflicting fields (the row's other fields still apply), or take the row's values.
CONFLICT_CHOICES = ("skip", "mine", "theirs")
#: Records listed field by field (a dry run of a million rows keeps counts, not a million diffs).
MAX_LISTED = 10_000


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any  # the project's value (None for an added member)
    new: Any  # the file's value


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One member an import adds, updates, or would update but for a conflict."""

    row: int  # the file row (spreadsheet row, feature or placemark number)
    op: str  # "add", "update" or "conflict"
    member_id: str
    name: str
    fields: tuple[FieldChange, ...]  # add: the fields set; update/conflict: the fields that differ
    matched_by: str = ""  # "id", "inn" or "name" (how the row found the project member)
    conflict_fields: tuple[str, ...] = ()  # fields whose difference needs a decision ("inn")
    choice: str = ""  # for a conflict: the choice applied ("skip", "mine", "theirs")


def member_changes(old: Member | None, new: Member) -> tuple[FieldChange, ...]:
    """The fields that differ (old None: the fields an added member has)."""
    if old is None:
        return tuple(FieldChange(f, None, v) for f in MEMBER_FIELDS
                     if (v := getattr(new, f)) not in (None, "") and v is not False)
    return tuple(FieldChange(f, getattr(old, f), getattr(new, f)) for f in MEMBER_FIELDS
                 if getattr(old, f) != getattr(new, f))


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do); cluster_desk.text.import_summary says it."""

    file: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # matched: file header -> member field
    ignored_columns: list[str] = field(default_factory=list)  # headers matched to no field
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)  # rows not imported
    warnings: Notes = field(default_factory=Notes)  # rows imported with a note (made when read)
    sample: list[Member] = field(default_factory=list)  # first rows as they will be stored
    dry_run: bool = False
    #: Every record that changes (adds, updates, conflicts), field by field, up to MAX_LISTED.
    changes: list[RecordChange] = field(default_factory=list)
    changes_not_listed: int = 0
    conflicts: list[RecordChange] = field(default_factory=list)  # all of them (also in changes)
    #: For undo: the records of updated members as they were before, and the ids added.
    old_records: list[Member] = field(default_factory=list)
    added_ids: IdList = field(default_factory=IdList)  # a list of ids, 16 bytes each
    backup: str = ""  # where the project was copied before the write ("" if no copy was made)
    rows_read: int = 0
    partial: bool = False  # a preview of the first rows only (``max_rows``)
    stopped: str = ""  # why reading stopped before the end of the file

    @property
    def rows_skipped(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def swap_offered(self) -> int:
        # Counted without making the notes: a roster whose INNs mostly fail the check has one a row.
        return swap_offered(self.problems) + swap_offered(self.warnings)

    @property
    def conflicts_open(self) -> int:
        return sum(1 for c in self.conflicts if c.choice == "skip")

    def listed(self, change: RecordChange) -> None:
        if len(self.changes) < MAX_LISTED:
            self.changes.append(change)
        else:
            self.changes_not_listed += 1

    def facts(self) -> dict[str, Any]:
        """The summary's facts, for a renderer in another language."""
        return {"file": self.file, "dry_run": self.dry_run, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.rows_skipped, "warnings": len(self.warnings),
                "conflicts": len(self.conflicts), "conflicts_open": self.conflicts_open,
                "partial": self.partial, "rows_read": self.rows_read, "stopped": self.stopped}
