"""Bringing pulled server rows into the project (one local transaction).

Fields with unpushed local edits are kept (the next push decides them); records added or
deleted here and not pushed yet are left alone. Pulled edits are logged under the colleague who
made each field's change, so Member History names them; their seq range is remembered so they
are never pushed back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project
from cluster_desk.store.rows import validate_settings
from cluster_desk.team import exchange as ex
from cluster_desk.team.records import (
    FIELDS,
    SETTING_KEYS,
    link_from,
    member_from,
    same,
    settings_values,
    values_of,
)
from cluster_desk.team.workcopy import (
    Key,
    fold,
    now_utc,
    pending_changes,
    pending_fields,
    require_link,
    save_link,
)


@dataclass
class Applied:
    """What a pull changed in the project (the UI refreshes exactly these)."""

    upserted: set[str] = field(default_factory=set)  # member ids
    removed: set[str] = field(default_factory=set)  # member ids
    links: int = 0
    #: The link ids added or edited / deleted, the links of the removed members included: the
    #: window adopts just these (re-reading every link: ~1 s at 300,000; issue 17).
    link_upserted: set[str] = field(default_factory=set)
    link_removed: set[str] = field(default_factory=set)
    settings: bool = False  # cluster settings changed
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.upserted) + len(self.removed) + self.links + int(self.settings)


def pulled_ids(project: Project, data: ex.PullData) -> tuple[set[str], set[str]]:
    """(member ids, link ids) of every record a pull of ``data`` may write, the links of the
    members it may delete included: what ``Project.transaction(touching=...)`` names (records
    named before a bulk write), so a window builds just these, not every record."""
    member_rows = data.rows.get("member", [])
    links = {r["id"] for r in data.rows.get("link", [])}
    for row in member_rows:
        if row["deleted"]:
            links.update(project.link_ids_of(row["id"]))  # (they go with it)
    return {r["id"] for r in member_rows}, links


def apply_pull(project: Project, data: ex.PullData,
               touching: tuple[set[str], set[str]] | None = None) -> Applied:
    """Bring the server's rows into the project, keeping fields with unpushed local edits.
    ``touching``: ``pulled_ids(project, data)`` if the caller has it already."""
    applied = Applied()
    with project.transaction(touching if touching is not None else pulled_ids(project, data)):
        link = require_link(project)
        pending = pending_fields(fold(pending_changes(project, link)))
        before = project.last_seq()
        _apply_rows(project, data, pending, applied)
        after = project.last_seq()
        if after > before:
            link.pulled.append([before + 1, after])
        link.cursor = data.cursor
        link.last_sync = now_utc()
        save_link(project, link)
    return applied


def _apply_rows(
    project: Project, data: ex.PullData, pending: dict[Key, set[str] | None], applied: Applied
) -> None:
    _apply_settings(project, data.rows.get("setting", []), pending, applied)
    by_actor: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    stepwise: list[list[tuple[str, Member]]] = []  # records changed by several colleagues
    member_rows = data.rows.get("member", [])
    link_rows = data.rows.get("link", [])
    local_members = _Records(project.member, project.members_among, member_rows)
    for row in member_rows:
        mid = row["id"]
        if pending.get(("member", mid), set()) is None:
            continue  # added or deleted here and not pushed yet: the next push decides
        keep = pending.get(("member", mid)) or set()
        local = local_members.get(mid)
        if row["deleted"]:
            if local is not None:
                by_actor[row["by"]]["delete_members"].append(mid)
                applied.removed.add(mid)
            continue
        if local is None:
            by_actor[row["by"]]["add_members"].append(member_from(mid, row["values"]))
            applied.upserted.add(mid)
            continue
        mine = values_of(local)
        changed = [k for k, v in row["values"].items() if k not in keep and not same(mine[k], v)]
        if not changed:
            continue
        applied.upserted.add(mid)
        # One logged edit per colleague who changed these fields (Member History names each).
        authors = row.get("authors", {})
        groups: dict[str, list[str]] = defaultdict(list)
        for k in changed:
            groups[authors.get(k, row["by"])].append(k)
        if len(groups) == 1:
            values = {**mine, **{k: row["values"][k] for k in changed}}
            by_actor[next(iter(groups))]["update_members"].append(member_from(mid, values))
            continue
        state, steps = dict(mine), []
        for actor, names in groups.items():
            state.update({k: row["values"][k] for k in names})
            steps.append((actor, member_from(mid, state)))
        stepwise.append(steps)
    def member_after(mid: str) -> bool:
        return (mid in applied.upserted or local_members.get(mid) is not None) and mid not in applied.removed

    local_links = _Records(project.link, lambda ids: project.links_matching(ids, []), link_rows)
    link_ops: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in link_rows:
        lid = row["id"]
        if pending.get(("link", lid), set()) is None:
            continue
        keep = pending.get(("link", lid)) or set()
        local_link = local_links.get(lid)
        if row["deleted"]:
            if local_link is not None:
                link_ops[row["by"]]["delete"].append(lid)
            continue
        values = dict(row["values"])
        if local_link is not None:
            mine = values_of(local_link)
            values = {k: (mine[k] if k in keep else v) for k, v in values.items()}
            if all(same(mine[k], values[k]) for k in FIELDS["link"]):
                continue
        if not member_after(values["source"]) or not member_after(values["target"]):
            applied.skipped.append(f"link {lid}: one of its members is not in this copy")
            continue
        link_ops[row["by"]]["update" if local_link is not None else "add"].append(link_from(lid, values))
    # Members first (links need both ends), then links, then deleted members (their links go too).
    for actor, ops in by_actor.items():
        with project.acting_as(actor):
            if ops["add_members"]:
                project.add_members(ops["add_members"])
            if ops["update_members"]:
                project.update_members(ops["update_members"])
    for steps in stepwise:
        for actor, member in steps:
            with project.acting_as(actor):
                project.update_member(member)
    for actor, ops in link_ops.items():
        with project.acting_as(actor):
            for lid in ops["delete"]:
                project.delete_link(lid)
            if ops["add"]:
                project.add_links(ops["add"])
            for lk in ops["update"]:
                project.update_link(lk)
            applied.links += len(ops["delete"]) + len(ops["add"]) + len(ops["update"])
            applied.link_removed.update(ops["delete"])
            applied.link_upserted.update(lk.id for lk in (*ops["add"], *ops["update"]))
    for actor, ops in by_actor.items():
        if ops["delete_members"]:
            with project.acting_as(actor):
                _gone, dropped = project.delete_members(ops["delete_members"])
            gone = {lk.id for lk in dropped}
            applied.link_removed |= gone
            applied.link_upserted -= gone  # (edited above, then gone with its member)


def _apply_settings(
    project: Project, rows: list[dict[str, Any]], pending: dict[Key, set[str] | None], applied: Applied
) -> None:
    """Pulled settings, except those with unpushed local edits; one logged edit per colleague."""
    current = project.settings()
    mine = settings_values(current)
    by_actor: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        key = row["id"]
        if key not in SETTING_KEYS or ("setting", key) in pending or row["deleted"]:
            continue  # a setting of a later release, or edited here and not pushed yet
        value = row["values"]["value"]
        if not same(mine[key], value):
            by_actor[row.get("authors", {}).get("value", row["by"])][key] = value
    state = current
    for actor, values in by_actor.items():
        try:
            state = validate_settings(replace(state, **values))
        except (ValueError, TypeError) as e:
            applied.skipped.append(f"settings {', '.join(sorted(values))}: {e}")
            continue
        with project.acting_as(actor):
            project.set_settings(state)
        applied.settings = True


class _Records:
    """Local records by id: the pulled rows' read up front, 500 to a query (a big pull read every
    record of the project: ~1.5 s at 100,000 members; issue 17), any other id (a link's end)
    looked up alone when asked for."""

    def __init__(self, one: Callable[[str], Any], batch: Callable[[list[str]], list[Any]],
                 rows: list[Any]) -> None:
        self._one = one
        ids = [r["id"] for r in rows]
        self._cache: dict[str, Any] = dict.fromkeys(ids)  # (None: not in this project)
        self._cache.update((r.id, r) for r in batch(ids))

    def get(self, key: str) -> Any:
        if key not in self._cache:
            try:
                self._cache[key] = self._one(key)
            except KeyError:
                self._cache[key] = None
        return self._cache[key]
