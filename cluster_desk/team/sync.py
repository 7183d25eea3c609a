"""Sync a working copy: push its folded edits, then pull what changed; clone and publish.

Split in three steps so the UI can run the network part off the GUI thread:
``prepare`` (reads the project), ``exchange_with_server`` (network only) and ``record_push`` /
``apply_pull`` (write the project, each one local transaction). ``sync`` runs them in a row.
A failure at any point leaves the project consistent: a push not yet recorded locally is
retried next time and the server answers "already applied".
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cluster_desk.core.model import Link, Member
from cluster_desk.store.project import Project, ProjectError
from cluster_desk.team import exchange as ex
from cluster_desk.team.records import FIELDS, label_of, link_from, member_from, same, values_of
from cluster_desk.team.server import (
    NotAllowed,
    PasswordSource,
    TeamError,
    check_schema,
    connect,
    public_dsn,
    translate,
)
from cluster_desk.team.workcopy import (
    TEAM_KEY,
    NetChange,
    TeamLink,
    conflicts,
    fingerprint,
    fold,
    pending_changes,
    pending_fields,
    save_conflicts,
    save_link,
    team_link,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class PushBatch:
    link: TeamLink
    base_seq: int
    upto_seq: int
    nets: list[NetChange]
    retry: bool = False  # record_push found this file is a copy and took a new client id


@dataclass
class Applied:
    """What a pull changed in the project (the UI refreshes exactly these)."""

    upserted: set[str] = field(default_factory=set)  # member ids
    removed: set[str] = field(default_factory=set)  # member ids
    links: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.upserted) + len(self.removed) + self.links


@dataclass
class SyncReport:
    cluster: str
    sent: int = 0
    outcome: ex.PushOutcome | None = None
    applied: Applied = field(default_factory=Applied)
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        o = self.outcome
        parts = [f"Synced cluster «{self.cluster}»"]
        if o is not None and o.already:
            parts.append(f"the last push had already been applied ({o.applied} records)")
        if self.sent:
            parts.append(f"sent {self.sent} edited records ({o.applied if o else 0} applied, "
                         f"{o.unchanged if o else 0} already so on the server)")
        else:
            parts.append("nothing to send")
        parts.append(f"received {self.applied.changed} changed records")
        if self.new_conflicts:
            parts.append(f"{len(self.new_conflicts)} conflicts recorded (the server's value stays)")
        return "; ".join(parts) + "."


def require_link(project: Project) -> TeamLink:
    link = team_link(project)
    if link is None:
        raise ProjectError(
            f"{project.path} is not a working copy of a team cluster "
            "(use `cluster-desk clone` or `cluster-desk server publish` first)."
        )
    return link


def prepare(project: Project) -> PushBatch:
    """Fold the edits not yet on the server, with the values they started from."""
    link = require_link(project)
    upto = project.last_seq()
    nets = list(fold(pending_changes(project, link)).values())
    records: dict[str, Member | Link] = {}  # this copy's whole records, by id
    if len(nets) > 200:  # one read beats thousands of lookups
        records = {m.id: m for m in project.members()} | {lk.id: lk for lk in project.links()}
    for n in nets:
        if n.op != "delete":
            record = records.get(n.entity_id)
            if record is None:
                getter = project.member if n.entity == "member" else project.link
                try:
                    record = getter(n.entity_id)
                except KeyError:
                    record = None
            n.record = values_of(record) if record is not None else dict(n.new)
        # The name users know the record by, also when the edit did not touch the name.
        n.label = label_of(n.entity, n.entity_id, {**n.base, **n.record, **n.new})
    return PushBatch(link, link.pushed_seq, upto, nets)


def pending_count(project: Project) -> int:
    """Edited records waiting to sync."""
    link = team_link(project)
    if link is None:
        return 0
    return len(fold(pending_changes(project, link)))


@dataclass
class Exchange:
    outcome: ex.PushOutcome
    data: ex.PullData | None = None
    error: TeamError | None = None  # the pull failed after the push went through
    refused: NotAllowed | None = None  # the push was refused (nothing applied); the pull went through


Step = Callable[[str], None]


def exchange_with_server(
    batch: PushBatch, password: PasswordSource | None = None, step: Step | None = None
) -> Exchange:
    """Network only: push the batch, then pull. Raises TeamError if the push did not happen."""
    link = batch.link
    try:
        conn = connect(link.dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        try:
            check_schema(conn)
            outcome = ex.push(conn, link.cluster, link.client_id, batch.base_seq, batch.upto_seq, batch.nets)
        except NotAllowed as refused:
            # Edits this user may not make stay local (and are reported); colleagues' edits still
            # come in, so a read-only copy does not stop receiving because of one stray edit.
            try:
                data = ex.pull(conn, link.cluster, link.cursor)
            except Exception:
                raise refused from None
            return Exchange(ex.PushOutcome(upto_seq=batch.base_seq), data, refused=refused)
        except Exception as e:
            raise translate(e) from e
        if step is not None:
            step("pushed")
        try:
            refetch: dict[str, list[str]] = defaultdict(list)
            for c in outcome.conflicts:
                refetch[c["entity"]].append(c["entity_id"])
            data = ex.pull(conn, link.cluster, link.cursor, dict(refetch))
        except Exception as e:
            return Exchange(outcome, None, translate(e))
        return Exchange(outcome, data)
    finally:
        with contextlib.suppress(Exception):  # the connection may be gone already
            conn.close()


def record_push(project: Project, batch: PushBatch, outcome: ex.PushOutcome) -> list[dict[str, Any]]:
    """Mark the pushed edits as on the server and keep the conflicts it recorded (one transaction).

    An "already applied" answer whose batch differs from this copy's edits over the same range
    means this file is a copy of another working copy (Save As, a file copied by hand) that
    pushed first under the same client id: this copy takes a new id, marks nothing, and its
    edits go with the next push. ``batch.retry`` tells the caller to push again at once.
    """
    with project.transaction():
        link = require_link(project)
        if link.pushed_seq != batch.base_seq:
            return []  # recorded already (a second window on the same file)
        if outcome.already and outcome.fingerprint:
            covered = [c for c in pending_changes(project, link) if c.seq <= outcome.upto_seq]
            mine = list(fold(covered).values())
            if fingerprint(mine) != outcome.fingerprint:
                link.client_id = uuid.uuid4().hex
                save_link(project, link)
                batch.retry = True
                return []
        link.pushed_seq = outcome.upto_seq if outcome.already else batch.upto_seq
        link.pulled = [r for r in link.pulled if r[1] > link.pushed_seq]
        new = list(outcome.conflicts)  # a retried push brings the first attempt's conflicts
        if new:
            save_conflicts(project, conflicts(project) + new)
        save_link(project, link)
    return new


def apply_pull(project: Project, data: ex.PullData) -> Applied:
    """Bring the server's rows into the project, keeping fields with unpushed local edits."""
    applied = Applied()
    with project.transaction():
        link = require_link(project)
        pending = pending_fields(fold(pending_changes(project, link)))
        before = project.last_seq()
        _apply_rows(project, data, pending, applied)
        after = project.last_seq()
        if after > before:
            link.pulled.append([before + 1, after])
        link.cursor = data.cursor
        link.last_sync = _now()
        save_link(project, link)
    return applied


def _apply_rows(
    project: Project, data: ex.PullData, pending: dict[str, set[str] | None], applied: Applied
) -> None:
    by_actor: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    stepwise: list[list[tuple[str, Member]]] = []  # records changed by several colleagues
    member_rows = data.rows.get("member", [])
    link_rows = data.rows.get("link", [])
    # A live update brings a few rows: look them up; a big pull reads the roster once.
    local_members: _Records = _Records(project.member, project.members, member_rows)
    for row in member_rows:
        mid = row["id"]
        if mid in pending and pending[mid] is None:
            continue  # added or deleted here and not pushed yet: the next push decides
        keep = pending.get(mid) or set()
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

    local_links: _Records = _Records(project.link, project.links, link_rows)
    link_ops: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in link_rows:
        lid = row["id"]
        if lid in pending and pending[lid] is None:
            continue
        keep = pending.get(lid) or set()
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
    for actor, ops in by_actor.items():
        if ops["delete_members"]:
            with project.acting_as(actor):
                project.delete_members(ops["delete_members"])


class _Records:
    """Local records by id: one lookup each for a few ids, one full read for many."""

    FEW = 300

    def __init__(self, one: Callable[[str], Any], every: Callable[[], list[Any]], rows: list[Any]) -> None:
        self._one = one
        self._all: dict[str, Any] | None = None
        if len(rows) > self.FEW:
            self._all = {r.id: r for r in every()}
        self._cache: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        if self._all is not None:
            return self._all.get(key)
        if key not in self._cache:
            try:
                self._cache[key] = self._one(key)
            except KeyError:
                self._cache[key] = None
        return self._cache[key]


def sync(project: Project, password: PasswordSource | None = None, step: Step | None = None) -> SyncReport:
    """Push, then pull. Raises TeamError (edits stay local) when the server is unreachable or refuses."""
    batch = prepare(project)
    report = SyncReport(batch.link.cluster, sent=len(batch.nets))
    for _ in range(3):
        result = exchange_with_server(batch, password, step)
        if result.refused is not None:
            if result.data is not None:
                report.applied = apply_pull(project, result.data)
            raise result.refused
        report.outcome = result.outcome
        report.new_conflicts += record_push(project, batch, result.outcome)
        if result.error is not None:
            raise result.error
        assert result.data is not None
        report.applied = apply_pull(project, result.data)
        if not batch.retry and not (result.outcome.already and result.outcome.upto_seq < batch.upto_seq):
            break
        # A retried push covered only part of this batch (edits made since): send the rest now.
        batch = prepare(project)
        report.sent = len(batch.nets)
    return report


def clone(dsn: str, cluster: str, out: str | os.PathLike[str], password: PasswordSource | None = None) -> int:
    """A new project at ``out`` holding the cluster's records, as a working copy; returns members."""
    from cluster_desk.io.csv_roster import temp_sibling

    dest = Path(out)
    if dest.exists():
        raise ProjectError(f"{dest} already exists; choose another name.")
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        data = ex.pull(conn, cluster, None)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()
    tmp = temp_sibling(dest)
    try:
        with Project.create(tmp, name=data.cluster_name) as project:
            project.set_settings(replace(project.settings(), name=data.cluster_name))
            link = TeamLink(public_dsn(dsn), cluster)
            save_link(project, link)
            apply_pull(project, data)
            link = require_link(project)
            link.pushed_seq, link.pulled = project.last_seq(), []
            save_link(project, link)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return len(data.rows.get("member", []))


def publish(project: Project, dsn: str, cluster: str, password: PasswordSource | None = None) -> int:
    """Make the project a new cluster on the server and this file its working copy; returns members."""
    existing = team_link(project)
    if existing is not None:
        raise ProjectError(f"{project.path} is already a working copy of cluster «{existing.cluster}».")
    members: list[Member] = project.members()
    upto = project.last_seq()
    cursor = publish_records(dsn, cluster, members, project.links(), password)
    adopt_published(project, dsn, cluster, cursor, upto)
    return len(members)


def publish_records(
    dsn: str, cluster: str, members: list[Member], links: list[Link], password: PasswordSource | None = None
) -> str:
    """Network only: create the cluster with these records; returns the pull cursor to start from."""
    if not cluster.strip() or len(cluster) > 200:
        raise TeamError("the cluster name must be 1 to 200 characters")
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        ex.publish_rows(conn, cluster, [{"id": m.id, **values_of(m)} for m in members],
                        [{"id": lk.id, **values_of(lk)} for lk in links])
        return ex.snapshot_cursor(conn)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()


def adopt_published(project: Project, dsn: str, cluster: str, cursor: str, upto_seq: int) -> None:
    """The project becomes the working copy of the cluster it was published as.

    Edits logged after ``upto_seq`` (made while publishing) are not in the published records:
    they stay pending and go with the next sync.
    """
    link = TeamLink(public_dsn(dsn), cluster, cursor=cursor, pushed_seq=upto_seq, last_sync=_now())
    save_link(project, link)


def check_cluster(dsn: str, cluster: str, password: PasswordSource | None = None) -> bool:
    """Network only: the cluster exists and this user may see it (NotAllowed if not); True if
    the user may also edit it."""
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        visible, writable = ex.cluster_access(conn, cluster)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()
    if not visible:
        raise NotAllowed(f"not allowed: cluster {cluster!r} does not exist or you may not see it")
    return writable


def adopt_existing(project: Project, dsn: str, cluster: str) -> None:
    """The project becomes a working copy of an existing cluster; its next sync sends its whole
    change log (records the server holds with other values become conflicts, the server's value
    stays) and receives every record of the cluster."""
    existing = team_link(project)
    if existing is not None:
        raise ProjectError(f"{project.path} is already a working copy of cluster «{existing.cluster}».")
    save_link(project, TeamLink(public_dsn(dsn), cluster))


def join(project: Project, dsn: str, cluster: str, password: PasswordSource | None = None) -> SyncReport:
    """``adopt_existing`` and the first sync; if that sync fails the project is left as it was."""
    check_cluster(dsn, cluster, password)
    adopt_existing(project, dsn, cluster)
    try:
        return sync(project, password)
    except TeamError:
        project.set_meta({TEAM_KEY: ""})  # not a working copy after all
        raise
