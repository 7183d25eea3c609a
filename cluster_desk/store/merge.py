"""Field copies and merging them back (issue 5), built on the change log.

A field copy is ``save_copy`` plus a marker in the copy's ``meta`` (key ``field_copy``): the
master's uuid, the master's last change ``seq`` at copy time (the *base*) and a copy id. The copy
inherits the master's log up to the base (the copy keeps ``seq``), so its own edits are the
entries after the base.

Merge = a three-way merge by stable ids, field by field:
- the copy's net change per record since the base (or since the last merge of this copy),
- the master's net change per record since the base, where fields last written by an earlier
  merge of *this* copy do not count as the master's own (they came from the copy),
- a field changed on both sides to different values is a Conflict; delete on one side and edit
  on the other is a Conflict on the whole record; everything else is applied.
All of it in one transaction, together with the master's ``merged_copies`` record (copy seq and
the master seq range the merge wrote), so merging the same copy again changes nothing.
Settings changes in a copy are not merged (listed in the report).
Why ~470 lines: the three-way merge, its plan and its report share one data model; splitting
them would scatter the conflict rules.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from cluster_desk.core.model import Industry, Link, LinkKind, Member, MemberKind, SpecialTerritory, Status
from cluster_desk.store.changes import Change
from cluster_desk.store.merge_notes import MergeNote, show_value
from cluster_desk.store.project import Project, ProjectError

__all__ = [
    "DELETED",
    "Conflict",
    "MergeNote",
    "MergePlan",
    "MergeReport",
    "apply_merge",
    "field_copy_info",
    "make_field_copy",
    "plan_merge",
]

FIELD_COPY_KEY = "field_copy"
MERGED_KEY = "merged_copies"
Choice = Literal["mine", "theirs"]


class _Deleted:
    def __repr__(self) -> str:
        return "<deleted>"


#: The value shown for a record deleted on one side of a conflict.
DELETED: Any = _Deleted()


def make_field_copy(master: Project, dest: str | Path) -> dict[str, Any]:
    """Write a field copy of ``master`` to ``dest``; returns the marker stored in the copy."""
    dest = Path(dest)
    marker = {
        "master_uuid": master.meta().get("uuid", ""),
        "master_path": str(master.path),
        "base_seq": master.last_seq(),
        "copy_id": uuid.uuid4().hex,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    # The marker goes into the snapshot before it takes dest's name: a kill at any moment leaves
    # either the old file or a complete field copy, never a copy merge would refuse.
    master.save_copy(dest, meta={FIELD_COPY_KEY: json.dumps(marker)})
    return marker


def field_copy_info(project: Project) -> dict[str, Any] | None:
    text = project.meta().get(FIELD_COPY_KEY)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- net changes ---------------------------------------------------------------------------------


@dataclass
class _Net:
    entity: str
    op: str  # "insert" | "update" | "delete"
    fields: dict[str, Any] = field(default_factory=dict)  # field -> final value
    own: set[str] = field(default_factory=set)  # fields whose final value is this side's own edit
    label: str = ""
    foreign_insert: bool = False  # inserted by an earlier merge of this copy (the copy knows it)


def _fold(changes: Iterable[Change], foreign: Sequence[tuple[int, int]] = ()) -> dict[str, _Net]:
    """Net effect per record id of a run of changes; ``foreign`` seq ranges are not "own" edits."""
    nets: dict[str, _Net] = {}
    for ch in changes:
        if ch.entity == "settings":
            continue
        is_own = not any(a <= ch.seq <= b for a, b in foreign)
        net = nets.get(ch.entity_id)
        if ch.op == "insert":
            if net is not None and net.op == "delete":
                net.op = "update"  # deleted and restored (undo): whatever differs is an update
            else:
                net = nets[ch.entity_id] = _Net(ch.entity, "insert", foreign_insert=not is_own)
            for k, v in ch.new.items():
                net.fields[k] = v
                if is_own:
                    net.own.add(k)
                else:
                    net.own.discard(k)
        elif ch.op == "update":
            if net is None:
                net = nets[ch.entity_id] = _Net(ch.entity, "update")
            for k, v in ch.new.items():
                net.fields[k] = v
                if is_own:
                    net.own.add(k)
                else:
                    net.own.discard(k)
        else:
            if net is not None and net.op == "insert" and not (net.foreign_insert and is_own):
                del nets[ch.entity_id]  # added and removed again within the window: no net change
                continue
            # A record that came in from this copy and was then deleted here is a delete the copy
            # must hear about (else its edits would bring the record back as "added").
            if net is None:
                net = nets[ch.entity_id] = _Net(ch.entity, "delete")
            net.op, net.fields = "delete", {}
            if is_own:
                net.own = {"*"}
            else:
                net.own = set()
        name = (ch.old or {}).get("name") or (ch.new or {}).get("name")
        if name and net is not None:
            net.label = str(name)
    return nets


# --- plan ------------------------------------------------------------------------------------------


@dataclass
class Conflict:
    entity: str  # "member" | "link"
    entity_id: str
    label: str  # member name (or link id) as the user knows it
    field: str  # a field name, or "" when one side deleted the record and the other edited it
    mine: Any  # the master's value (DELETED if the master deleted the record)
    theirs: Any  # the copy's value (DELETED if the copy deleted it)
    choice: Choice | None = None

    def sides(self) -> tuple[tuple[str, Any], tuple[str, Any]]:
        """The master's and the copy's side as facts for the renderer (merge_notes.show_value)."""
        return show_value(self.mine, DELETED), show_value(self.theirs, DELETED)

    def __str__(self) -> str:
        what = f"{self.entity} «{self.label}»"
        mine, theirs = (_show(*side) for side in self.sides())
        if not self.field:
            return f"{what}: master {mine}, field copy {theirs}"
        return f"{what}, {self.field}: master {mine} / field copy {theirs}"


def _show(kind: str, value: Any) -> str:
    if kind == "deleted":
        return "deleted it"
    if kind == "edited":
        return "changed " + ", ".join(value)
    return "(empty)" if kind == "empty" else repr(value)


@dataclass
class MergePlan:
    copy_path: Path
    copy_id: str
    copy_last_seq: int
    # Non-conflicting operations: (op, entity, id, values). op: add | update | delete
    ops: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[MergeNote] = field(default_factory=list)  # what cannot come in, and why
    # Records needed to resolve conflicts as "theirs": the copy's current record per id.
    _theirs_records: dict[str, Member | Link] = field(default_factory=dict)
    # Links of the copy whose member(s) the master deleted: link -> (record, member ids). Each such
    # member is a conflict (the master's delete against the copy's link); the link comes in
    # when every one of its members is taken back from the copy.
    _waiting_links: dict[str, tuple[Link, list[str]]] = field(default_factory=dict)
    #: The master's names of the members the plan reads (its ops and conflicts list them by name).
    names: dict[str, str] = field(default_factory=dict)
    #: What each record the copy changed is called: a member's name, a link's ends' names.
    labels: dict[str, str] = field(default_factory=dict)
    #: The kind of each of those links (two links of one pair differ by it).
    link_kinds: dict[str, LinkKind] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.ops and not self.conflicts


@dataclass
class MergeReport:
    """What a merge did; cluster_desk.text.merge_summary says it."""

    added: list[MergeNote] = field(default_factory=list)
    changed: list[MergeNote] = field(default_factory=list)
    deleted: list[MergeNote] = field(default_factory=list)
    conflicts_mine: int = 0
    conflicts_theirs: int = 0
    skipped: list[MergeNote] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = (
            [f"+ {x}" for x in self.added]
            + [f"~ {x}" for x in self.changed]
            + [f"- {x}" for x in self.deleted]
        )
        out += [f"! not merged: {x}" for x in self.skipped]
        return out


def _merged_record(master: Project) -> dict[str, Any]:
    try:
        value = json.loads(master.meta().get(MERGED_KEY, "{}"))
    except ValueError:
        value = {}
    return value if isinstance(value, dict) else {}


def plan_merge(master: Project, copy_path: str | Path) -> MergePlan:
    """Compare the master with a field copy; nothing is written."""
    copy_path = Path(copy_path)
    if copy_path.resolve() == master.path.resolve():
        raise ProjectError.of("copy_is_master", path=copy_path)
    with Project.open(copy_path) as copy:
        info = field_copy_info(copy)
        if info is None:
            raise ProjectError.of("not_field_copy", path=copy_path)
        if info.get("master_uuid") != master.meta().get("uuid"):
            raise ProjectError.of("other_projects_copy", path=copy_path, master=master.path.name)
        base = int(info.get("base_seq", 0))
        copy_id = str(info.get("copy_id", ""))
        record = _merged_record(master).get(copy_id, {})
        copy_since = max(base, int(record.get("copy_seq", 0)))
        foreign = [tuple(r) for r in record.get("ranges", [])]
        copy_changes = copy.history_since(copy_since)
        theirs = _fold(copy_changes)
        plan = MergePlan(copy_path, copy_id, max([copy_since, *(c.seq for c in copy_changes)]))
        if any(c.entity == "settings" for c in copy_changes):
            plan.skipped.append(MergeNote("settings_not_merged"))
        # Only the records the copy's edits touch, and their links' ends, are read from either
        # side: reading every record (and the whole change log) took a 100,000-member master's
        # merge of 100 edits ~15 s (issue 17).
        member_ids = {i for i, c in theirs.items() if c.entity == "member"}
        link_ids = [i for i, c in theirs.items() if c.entity == "link"]
        copy_links = {lk.id: lk for lk in copy.links_matching(link_ids, [])}
        master_links = {lk.id: lk for lk in master.links_matching(link_ids, [])}
        ends = {e for lk in (*copy_links.values(), *master_links.values()) for e in (lk.source, lk.target)}
        copy_members = {m.id: m for m in copy.members_among(member_ids | ends)}
    mine = _fold(master.history_since(base), foreign)
    master_members = {m.id: m for m in master.members_among(member_ids | ends)}
    plan.names = {i: m.name for i, m in master_members.items()}
    deleted_in_master = {i for i, n in mine.items() if n.op == "delete"}
    names = {**{i: m.name for i, m in copy_members.items()}, **plan.names}

    def link_label(lk: Link | None, eid: str) -> str:
        """Its ends' names (the kind in ``plan.link_kinds``: a window says it in its language)."""
        if lk is None:
            return eid
        plan.link_kinds[eid] = lk.kind
        return f"{names.get(lk.source, lk.source)} – {names.get(lk.target, lk.target)}"

    for eid, c in theirs.items():
        m = mine.get(eid)
        current: Member | Link | None = (master_members if c.entity == "member" else master_links).get(eid)
        copy_rec: Member | Link | None = (copy_members if c.entity == "member" else copy_links).get(eid)
        label = c.label or (m.label if m else "") or getattr(current, "name", "") or eid
        if c.entity == "link":
            label = link_label(copy_rec if isinstance(copy_rec, Link) else current, eid)  # type: ignore[arg-type]
        plan.labels[eid] = label
        if c.op == "delete":
            if current is None:
                continue  # deleted on both sides (or never reached the master)
            mine_edits: dict[str, Any] = {}
            if m is not None and m.op != "delete" and (m.own & set(m.fields)):
                mine_edits = {f: 1 for f in m.own}
            if c.entity == "member":
                # Links the master added or changed that end at this member would go with it.
                mine_edits.update({f"link {lid}": 1 for lid in _own_links_of(eid, mine, master)})
            if mine_edits:
                plan.conflicts.append(Conflict(c.entity, eid, label, "", mine_edits, DELETED))
            else:
                plan.ops.append(("delete", c.entity, eid, {}))
            continue
        if copy_rec is None:
            continue  # changed and then deleted in the copy: the delete entry handles it
        gone_ends: list[Member] = []
        if isinstance(copy_rec, Link):
            for end in (copy_rec.source, copy_rec.target):
                added_in_copy = end in theirs and theirs[end].op == "insert"
                if end not in master_members and not added_in_copy and end in copy_members:
                    gone_ends.append(copy_members[end])
        if gone_ends and isinstance(copy_rec, Link) and c.op == "insert":
            # A member it joins was deleted in the master: that delete is the conflict (below).
            plan._waiting_links[eid] = (copy_rec, [g.id for g in gone_ends])
            continue
        if current is None:
            if (m is not None and m.op == "delete") or eid in deleted_in_master:
                plan.conflicts.append(Conflict(c.entity, eid, label, "", DELETED, dict(c.fields)))
                plan._theirs_records[eid] = copy_rec
                continue
            plan.ops.append(("add", c.entity, eid, {"record": copy_rec}))
            continue
        assert current is not None
        updates: dict[str, Any] = {}
        for f, value in c.fields.items():
            mine_value = getattr(current, f)
            mine_value = getattr(mine_value, "value", mine_value)
            if isinstance(mine_value, bool):
                mine_value = int(mine_value)  # stored (and logged) as 0/1
            if mine_value == value and type(mine_value) is type(value):
                continue
            if m is not None and f in m.own and f in m.fields:
                plan.conflicts.append(Conflict(c.entity, eid, label, f, mine_value, value))
                plan._theirs_records[eid] = copy_rec
            else:
                updates[f] = value
        if updates:
            plan.ops.append(("update", c.entity, eid, updates))
    _member_conflicts_for_links(plan, copy_members)
    return plan


def _member_conflicts_for_links(plan: MergePlan, copy_members: dict[str, Member]) -> None:
    """The master deleted members the copy's links need: one conflict per member, naming the links
    (the member's own delete-vs-edit conflict when there is one), never a silent drop."""
    by_member: dict[str, list[str]] = {}
    for lid, (_link, ends) in plan._waiting_links.items():
        for mid in ends:
            by_member.setdefault(mid, []).append(lid)
    for mid, lids in by_member.items():
        links = {f"link {lid}": 1 for lid in lids}
        existing = next((c for c in plan.conflicts if c.entity == "member" and c.entity_id == mid
                         and c.field == "" and c.mine is DELETED), None)  # fmt: skip
        if existing is not None and isinstance(existing.theirs, dict):
            existing.theirs = {**existing.theirs, **links}
            continue
        member = copy_members[mid]
        plan.conflicts.append(Conflict("member", mid, member.name, "", DELETED, links))
        plan._theirs_records[mid] = member


def _own_links_of(member_id: str, mine: dict[str, _Net], master: Project) -> list[str]:
    """Links in the master touching ``member_id`` that the master itself added or changed."""
    return [lid for lid in master.link_ids_of(member_id)
            if (net := mine.get(lid)) is not None and net.op != "delete" and net.own]


_ENUMS: dict[str, Any] = {
    "kind": MemberKind, "status": Status, "industry": Industry, "special_territory": SpecialTerritory,
}  # fmt: skip


def _coerce(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if entity == "member":
        for f, enum in _ENUMS.items():
            if f in out:
                out[f] = enum(out[f])
        if "organising_production" in out:
            out["organising_production"] = bool(out["organising_production"])
    elif "kind" in out:
        out["kind"] = LinkKind(out["kind"])
    return out


def apply_merge(master: Project, plan: MergePlan, *, take: Choice | None = None) -> MergeReport:
    """Apply a plan in one transaction. Every conflict needs a choice (``take`` sets them all)."""
    if take is not None:
        for c in plan.conflicts:
            c.choice = take
    open_conflicts = [c for c in plan.conflicts if c.choice not in ("mine", "theirs")]
    if open_conflicts:
        raise ValueError(f"{len(open_conflicts)} conflicts have no choice; nothing was merged")
    ops = list(plan.ops)
    report = MergeReport(skipped=list(plan.skipped))
    for c in plan.conflicts:
        if c.choice == "mine":
            report.conflicts_mine += 1
            continue
        report.conflicts_theirs += 1
        if c.theirs is DELETED:
            ops.append(("delete", c.entity, c.entity_id, {}))
        elif c.mine is DELETED:
            ops.append(("add", c.entity, c.entity_id, {"record": plan._theirs_records[c.entity_id]}))
        else:
            ops.append(("update", c.entity, c.entity_id, {c.field: c.theirs}))
    taken = {c.entity_id for c in plan.conflicts if c.entity == "member" and c.choice == "theirs"}
    for lid, (link, ends) in plan._waiting_links.items():
        if all(mid in taken for mid in ends):
            ops.append(("add", "link", lid, {"record": link}))
        else:
            report.skipped.append(MergeNote("link_member_kept", label=plan.labels.get(lid, lid), id=lid))
    record = _merged_record(master)
    deleted = [eid for op, entity, eid, _ in ops if op == "delete" and entity == "member"]
    touching = ({eid for _, entity, eid, _ in ops if entity == "member"},
                {eid for _, entity, eid, _ in ops if entity == "link"}
                | {lid for mid in deleted for lid in master.link_ids_of(mid)})  # (they go with them)
    with master.transaction(touching):
        start = master.last_seq() + 1
        # Members first (links need their ends), then links; deletes of members take their links.
        member_adds = list({o[2]: o[3]["record"] for o in ops if o[:2] == ("add", "member")}.values())
        if member_adds:
            master.add_members(member_adds)
            report.added += [MergeNote("member", name=m.name) for m in member_adds]
        updates: dict[str, dict[str, Any]] = {}
        for op, entity, eid, values in ops:
            if op == "update" and entity == "member":
                updates.setdefault(eid, {}).update(values)
        if updates:
            new = [replace(master.member(eid), **_coerce("member", v)) for eid, v in updates.items()]
            master.update_members(new)
            report.changed += [
                MergeNote("member_fields", name=m.name, fields=sorted(updates[m.id])) for m in new
            ]
        for op, entity, eid, values in ops:
            if entity != "link":
                continue
            named = {"label": plan.labels.get(eid, eid), "id": eid}  # (the report says its ends)
            try:
                if op == "add":
                    master.add_link(values["record"])
                    report.added.append(MergeNote("link", **named))
                elif op == "update":
                    master.update_link(replace(master.link(eid), **_coerce("link", values)))
                    report.changed.append(MergeNote("link_fields", **named, fields=sorted(values)))
                else:
                    master.delete_link(eid)
                    report.deleted.append(MergeNote("link", **named))
            except KeyError:
                report.skipped.append(MergeNote("link_gone", **named))
            except ValueError as e:
                report.skipped.append(MergeNote("link_refused", **named, detail=str(e)))
        member_deletes = [eid for op, entity, eid, _ in ops if op == "delete" and entity == "member"]
        existing = [eid for eid in member_deletes if _exists(master, eid)]
        if existing:
            gone, _ = master.delete_members(existing)
            report.deleted += [MergeNote("member", name=m.name) for m in gone]
        end = master.last_seq()
        entry = record.setdefault(plan.copy_id, {})
        entry["copy_seq"] = plan.copy_last_seq
        if end >= start:
            entry.setdefault("ranges", []).append([start, end])
        master.set_meta({MERGED_KEY: json.dumps(record)})
    return report


def _exists(project: Project, member_id: str) -> bool:
    try:
        project.member(member_id)
    except KeyError:
        return False
    return True
