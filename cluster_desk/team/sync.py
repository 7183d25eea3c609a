"""Sync a working copy: push its folded edits, then pull what changed.

Split in steps so the UI can run the network part off the GUI thread: ``prepare`` (reads the
project), ``exchange_with_server`` (network only), ``record_push`` and ``pull.apply_pull`` (write
the project, one local transaction each). ``sync`` runs them in a row. A failure at any point
leaves the project consistent: a push not yet recorded locally is retried next time and the
server answers "already applied". How a project becomes a working copy: ``onboard``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster_desk.core.model import Link, Member
from cluster_desk.store.changes import Change
from cluster_desk.store.project import Project
from cluster_desk.team import exchange as ex
from cluster_desk.team.catchup import add_catch_up, needs_catch_up
from cluster_desk.team.pull import Applied, apply_pull
from cluster_desk.team.records import SERVER_FIELDS_VERSION, label_of, values_of
from cluster_desk.team.server import NotAllowed, PasswordSource, TeamError, check_schema, connect, translate
from cluster_desk.team.workcopy import (
    Key,
    NetChange,
    TeamLink,
    conflicts,
    fingerprint,
    fold,
    pending_changes,
    require_link,
    save_conflicts,
    save_link,
    team_link,
)


@dataclass
class PushBatch:
    link: TeamLink
    base_seq: int
    upto_seq: int
    nets: list[NetChange]
    retry: bool = False  # record_push found this file is a copy and took a new client id


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


def prepare(project: Project) -> PushBatch:
    """Fold the edits not yet on the server, with the values they started from."""
    link = require_link(project)
    upto = project.last_seq()
    nets = list(_folded(project, link).values())
    records: dict[str, Member | Link] = {}  # this copy's whole records, by id
    if len(nets) > 200:  # a few reads of 500 beat thousands of lookups (and every record: issue 17)
        member_ids = [n.entity_id for n in nets if n.entity == "member" and n.op != "delete"]
        link_ids = [n.entity_id for n in nets if n.entity == "link" and n.op != "delete"]
        records = ({m.id: m for m in project.members_among(member_ids)}
                   | {lk.id: lk for lk in project.links_matching(link_ids, [])})
    for n in nets:
        if n.entity == "setting":
            continue  # record and label set by the fold (or the catch-up)
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


def _folded(project: Project, link: TeamLink, changes: list[Change] | None = None) -> dict[Key, NetChange]:
    """The pending edits folded, plus the catch-up of a copy that synced with a version-1 server."""
    nets = fold(pending_changes(project, link) if changes is None else changes)
    if needs_catch_up(link):
        add_catch_up(project, nets)
    return nets


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
    # Only the copy's bookkeeping is written, no member or link: naming none spares a window
    # building every record first (~1.8 s at 100,000 members and 300,000 links; issue 17).
    with project.transaction(((), ())):
        link = require_link(project)
        if link.pushed_seq != batch.base_seq:
            return []  # recorded already (a second window on the same file)
        if outcome.already and outcome.fingerprint:
            covered = [c for c in pending_changes(project, link) if c.seq <= outcome.upto_seq]
            mine = list(_folded(project, link, covered).values())
            if fingerprint(mine) != outcome.fingerprint:
                link.client_id = uuid.uuid4().hex
                save_link(project, link)
                batch.retry = True
                return []
        link.pushed_seq = outcome.upto_seq if outcome.already else batch.upto_seq
        link.fields = SERVER_FIELDS_VERSION  # the catch-up, if any, went with this push
        link.pulled = [r for r in link.pulled if r[1] > link.pushed_seq]
        new = list(outcome.conflicts)  # a retried push brings the first attempt's conflicts
        if new:
            save_conflicts(project, conflicts(project) + new)
        save_link(project, link)
    return new


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


