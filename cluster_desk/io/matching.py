"""Matching a batch of imported rows against the project and the rows before them (roster.py).

What each row does: added, updated field by field, a conflict to decide, or left out and reported
(an ambiguous name, a repeated INN, a second row for the same project member). A step at a time
over the batch: the rows a step leaves out never reach the next one, as when each row went through
all the steps on its own; every report is filed in row order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableSequence
from dataclasses import replace
from itertools import filterfalse
from operator import attrgetter
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.io.errors import ImportProblem, ImportResult
from cluster_desk.io.keyindex import KeyIndex, inn_codes
from cluster_desk.io.memberbatch import COLUMNS, FEW, ID, INN, NAME, MemberBatch, cut, kept_spans
from cluster_desk.io.names import name_key, name_keys
from cluster_desk.io.notes import Notes
from cluster_desk.io.report import MAX_LISTED, ImportReport, RecordChange, member_changes

__all__ = ["AMBIGUOUS", "CONFLICT_FIELDS", "Plan", "StoredMembers", "in_row_order"]

#: Fields whose difference makes a name match a conflict (another organisation of that name?).
CONFLICT_FIELDS = ("inn",)
_INN, _NAME, _TARGET, _INN_CODE = 1, 2, 3, 4  # kinds of keys in the KeyIndex (_INN_CODE: inn_codes)
AMBIGUOUS = ""  # marks a key two project members share: it matches neither


def in_row_order(problems: MutableSequence[ImportProblem], start: int) -> None:
    """The entries from ``start`` by row (stable): a batch's steps file them step by step, the
    report reads as if each row went through every step on its own."""
    if isinstance(problems, Notes):
        problems.sort_rows_from(start)
    elif len(problems) - start > 1:
        problems[start:] = sorted(problems[start:], key=attrgetter("row"))


class StoredMembers:
    """The project's members by id as an import matches its rows: every id known from the start
    (``in``), a record read only for the members a batch's rows match (``fetch``, one query a
    batch; held until the next batch). A re-import of a million members held every record at
    once before (~1.2 GB, issue 17); ``read(ids)`` is the store's ``members_with_ids`` (which
    raises for a member deleted since its id was read)."""

    def __init__(self, ids: set[str], read: Callable[[list[str]], list[Member]], *, writes: bool) -> None:
        self._ids, self._read = ids, read
        self._records: dict[str, Member] = {}
        #: The records of the members this import updates, as read: the base of its field-level
        #: writes (fields another process changed meanwhile are kept: ``update_members(bases=)``).
        #: A preview (``writes`` False) keeps none.
        self.bases: dict[str, Member] = {}
        self.writes = writes

    def __contains__(self, member_id: object) -> bool:
        return member_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def fetch(self, ids: Iterable[str | None]) -> None:
        """Read the records of ``ids`` (the batch's targets; None: no target) in one go."""
        wanted = sorted({i for i in ids if i})
        self._records = {m.id: m for m in self._read(wanted)} if wanted else {}

    def __getitem__(self, member_id: str) -> Member:
        m = self._records.get(member_id)
        if m is None:  # (not fetched with its batch)
            m = self._records[member_id] = self._read([member_id])[0]
        return m


class Plan:
    """What each row of a batch does: added, updated (field by field), or left out and reported.

    Members are built only for the rows that need one (updates, the preview's listing and sample,
    ``collect``); the adds of a plain import stay columns.
    """

    def __init__(self, report: ImportReport, res: ImportResult, resolutions: dict[int, str], keys: KeyIndex,
                 by_id: StoredMembers, by_inn: dict[str, str], by_name: dict[str, str], id_column: bool,
                 file_name: str, unit: str, *, listing: bool, sample_size: int,
                 collect: list[Member] | None, undecided: str = "skip") -> None:
        if undecided not in ("skip", "mine", "theirs"):
            raise ValueError(f"a conflict's decision is skip, mine or theirs, not {undecided!r}")
        self.report, self.res, self.resolutions, self.keys = report, res, resolutions, keys
        self.undecided = undecided  # (the decision of a conflict ``resolutions`` does not name)
        self.by_id, self.by_inn, self.by_name, self.id_column = by_id, by_inn, by_name, id_column
        self.file_name, self.unit = file_name, unit
        self.listing, self.sample_size, self.collect = listing, sample_size, collect
        # the fields a row gives -> (those fields, their batch columns): _gives_what_it_has
        self._fields_of: dict[frozenset[str], tuple[tuple[str, ...], list[int]]] = {}

    def _problem(self, number: int, fld: str, value: str, message: str, code: str, member: str,
                 **params: Any) -> None:
        self.res.problems.append(ImportProblem(self.file_name, number, fld, value, message, self.unit, False,
                                               code, params, member))

    def _targets(self, batch: MemberBatch, live: list[int], nks: list[str],
                 ) -> tuple[list[str | None], list[str], list[int]]:
        """Per row the project member it matches and how; the rows still in (not ambiguous)."""
        ids, inns, names = batch.columns[ID], batch.columns[INN], batch.columns[NAME]
        by_id, by_inn, by_name, id_column = self.by_id, self.by_inn, self.by_name, self.id_column
        targets: list[str | None] = []
        how: list[str] = []
        kept: list[int] = []
        for k in live:
            target = ids[k] if id_column and ids[k] in by_id else None
            matched_by = "id" if target is not None else ""
            if target is None and inns[k]:
                target = by_inn.get(inns[k])
                matched_by = "inn" if target else ""
            if target is None:
                target = by_name.get(nks[k])
                matched_by = "name" if target else ""
                if target == AMBIGUOUS:
                    self._problem(batch.numbers[k], "name", names[k], "matches several project members "
                                  "of the same name; not imported (add an INN or an id column to tell them "
                                  "apart)", "ambiguous_name", names[k])
                    targets.append(None)
                    how.append("")
                    continue
            kept.append(k)
            targets.append(target)
            how.append(matched_by)
        return targets, how, kept

    def _firsts(self, kind: int, batch: MemberBatch, live: list[int], keys: list[Any],
                ) -> list[tuple[int, int]]:
        """(row position, first row) of the rows whose key an earlier row had (``keys`` by position)."""
        numbers = batch.numbers
        if len(live) == len(numbers):
            return self.keys.repeats(kind, keys, numbers)
        repeats = self.keys.repeats(kind, [keys[k] for k in live], [numbers[k] for k in live])
        return [(live[j], first) for j, first in repeats]

    def _inn_firsts(self, batch: MemberBatch, live: list[int]) -> list[tuple[int, int]]:
        """``_firsts`` of the INNs of ``live`` (rows that give one). An INN of 10 or 12 ASCII digits
        (what the readers give) is remembered as its number (``KeyIndex.repeat_codes``: nothing
        hashed, stored as text or read back); any other text (no reader gives one) as text, in a
        kind of its own: a digit string never equals another text."""
        inns, numbers = batch.columns[INN], batch.numbers
        every = len(live) == len(numbers)
        keys = inns if every else [inns[k] for k in live]
        codes = inn_codes(keys)
        if codes is not None:
            rows = numbers if every else [numbers[k] for k in live]
            repeats = self.keys.repeat_codes(_INN_CODE, codes, rows)
            return repeats if every else [(live[j], first) for j, first in repeats]
        digits = [k for k in live if inn_codes([inns[k]]) is not None]
        other = sorted(set(live).difference(digits))
        found = self._inn_firsts(batch, digits) if digits else []
        return sorted(found + self._firsts(_INN, batch, other, inns))

    def batch(self, batch: MemberBatch) -> tuple[MemberBatch, list[Member]]:
        """The batch's adds (as columns) and updates (as members to write)."""
        report, unit = self.report, self.unit
        numbers, names, inns = batch.numbers, batch.columns[NAME], batch.columns[INN]
        nks = name_keys(names)
        live = list(range(len(batch)))
        targets: list[str | None] | None = None
        how: list[str] = []
        if self.by_id or self.by_inn or self.by_name:
            targets, how, live = self._targets(batch, live, nks)
            self.by_id.fetch(targets)
        left_out: set[int] = set()
        for k, first in self._inn_firsts(batch, live if all(inns) else [k for k in live if inns[k]]):
            self._problem(numbers[k], "inn", inns[k], f"is the same INN as {unit} {first}; not imported "
                          "twice", "duplicate_inn", names[k], first=first)
            left_out.add(k)
        dropped = sorted(left_out)
        if targets is None and len(dropped) <= FEW:
            # every row but a few repeated INNs (a million random INNs repeat ~5,000 times): the
            # name step on the batch's keys less those, cut as slices, not a walk of each row
            for k, first in self._name_firsts(batch, nks, dropped):
                self._same_name(numbers[k], names[k], first)
            if not self.listing and self.collect is None and len(report.sample) >= self.sample_size:
                report.added += len(numbers) - len(dropped)
                return batch.without(dropped), []
            live = list(filterfalse(left_out.__contains__, live))
            return self._each(batch, live, None, how, nks)
        if left_out:
            live = list(filterfalse(left_out.__contains__, live))
        if targets is not None:
            for k, first in self._firsts(_TARGET, batch, [k for k in live if targets[k]], targets):
                self._problem(numbers[k], "name", names[k], f"matches the same project member as {unit} "
                              f"{first}; not imported twice", "duplicate_match", names[k], first=first)
                left_out.add(k)
            live = [k for k in live if k not in left_out]
        for k, first in self._firsts(_NAME, batch, live, nks):
            self._same_name(numbers[k], names[k], first)
        if targets is None and not self.listing and self.collect is None \
                and len(report.sample) >= self.sample_size:
            report.added += len(live)
            return batch.take(live), []
        return self._each(batch, live, targets, how, nks)

    def _same_name(self, number: int, name: str, first: int) -> None:
        self.res.warnings.append(ImportProblem(
            self.file_name, number, "name", name, f"has the same name as {self.unit} {first} "
            "(imported; check it is not a duplicate)", self.unit, False, "same_name", {"first": first}, name))

    def _name_firsts(self, batch: MemberBatch, nks: list[str], dropped: list[int]) -> list[tuple[int, int]]:
        """``_firsts`` of the names of every row but ``dropped`` (ascending, at most FEW)."""
        if not dropped:
            return self.keys.repeats(_NAME, nks, batch.numbers)
        spans = kept_spans(len(nks), dropped)
        repeats = self.keys.repeats(_NAME, cut(nks, spans), cut(batch.numbers, spans))
        out = []
        for j, first in repeats:  # the j-th row kept: j plus the dropped rows up to it
            k = j
            for d in dropped:
                if d > k:
                    break
                k += 1
            out.append((k, first))
        return out

    def _each(self, batch: MemberBatch, live: list[int], targets: list[str | None] | None, how: list[str],
              nks: list[str]) -> tuple[MemberBatch, list[Member]]:
        """The rows of ``live`` one at a time: added or updated (the preview's listing, a sample,
        ``collect``, rows that match project members)."""
        adds: list[int] = []
        updates: list[Member] = []
        for k in live:
            target = targets[k] if targets is not None else None
            if not target:
                adds.append(k)
                self._add(batch, k)
                continue
            new = self._update(batch, k, target, how[k], nks[k])
            if new is not None:
                updates.append(new)
        return batch.take(adds), updates

    def _add(self, batch: MemberBatch, k: int) -> None:
        report = self.report
        report.added += 1
        listed = self.listing and len(report.changes) < MAX_LISTED
        if not (listed or self.collect is not None or len(report.sample) < self.sample_size):
            if self.listing:
                report.changes_not_listed += 1
            return
        m = batch.member(k)
        if len(report.sample) < self.sample_size:
            report.sample.append(m)
        if self.listing:
            report.listed(RecordChange(batch.numbers[k], "add", m.id, m.name, member_changes(None, m)))
        if self.collect is not None:
            self.collect.append(m)

    def _gives_what_it_has(self, batch: MemberBatch, k: int, given: frozenset[str], old: Member) -> bool:
        """Whether row ``k`` gives ``old`` exactly the values it has, field by field (a member's
        field is its batch column's value: ``MemberBatch.member`` builds no other). No member is
        built for such a row: building it, then ``replace`` and a whole comparison were ~60 % of
        importing the same 100,000-member file again."""
        fields = self._fields_of.get(given)
        if fields is None:  # (one entry per set of fields a row gives: a file gives a few)
            names = tuple(given)
            fields = self._fields_of[given] = (names, [COLUMNS.index(f) for f in names])
        names, at = fields
        columns = batch.columns
        return [getattr(old, f) for f in names] == [columns[i][k] for i in at]

    def _unchanged(self, old: Member) -> None:
        """A row that leaves its project member as it is (every value it gives the same, the
        name maybe typed differently): counted, and listed in the sample."""
        if len(self.report.sample) < self.sample_size:
            self.report.sample.append(old)
        self.report.unchanged += 1

    def _update(self, batch: MemberBatch, k: int, target: str, matched_by: str, nk: str) -> Member | None:
        """The project member ``target`` as row ``k`` updates it (None: left as it is)."""
        report, number, given = self.report, batch.numbers[k], batch.givens[k]
        old = self.by_id[target]
        if self._gives_what_it_has(batch, k, given, old):  # (the same file again, mostly)
            return self._unchanged(old)
        m = batch.member(k)
        # The same name typed differently (case, quotes, look-alike letters) is no change.
        same_name = name_key(old.name) == nk
        new = replace(old, **{f: getattr(m, f) for f in given if f != "name" or not same_name})
        conflict = tuple(f for f in CONFLICT_FIELDS
                         if matched_by == "name" and getattr(old, f) and f in given
                         and getattr(old, f) != getattr(m, f))
        if conflict:
            choice = self.resolutions.get(number, self.undecided)
            change = RecordChange(number, "conflict", old.id, old.name, member_changes(old, new),
                                  matched_by, conflict, choice)
            report.conflicts.append(change)
            report.listed(change)
            if choice == "skip":
                return None
            if choice == "mine":
                new = replace(new, **{f: getattr(old, f) for f in conflict})
        if new == old:
            return self._unchanged(old)
        if len(report.sample) < self.sample_size:
            report.sample.append(new)
        if self.by_id.writes:
            self.by_id.bases[old.id] = old
        report.updated += 1
        if self.listing and not conflict:
            report.listed(RecordChange(number, "update", old.id, old.name, member_changes(old, new),
                                       matched_by))
        if self.collect is not None:
            self.collect.append(new)
        return new
