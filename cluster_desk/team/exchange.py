"""The server side of a sync: push a folded batch, pull what changed (psycopg; no project file).

Push applies each net change per field, in one server transaction under a per-cluster lock:
the server value unchanged since the copy's base -> applied; already the same value -> nothing
to do; changed differently -> a conflict row, the server value stays; delete against edit ->
a conflict on the whole record. Rows are written with one UPDATE and one INSERT per table from
a temporary table, so the audit trigger logs the whole push in one statement.

Pull returns the current server rows (tombstones included) of every record changed since the
cursor, plus rows asked for by id. The cursor is the xmin of the pull's snapshot: every
transaction not yet committed then has an xid at or above it, so none can be skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from cluster_desk.core.model import ClusterSettings
from cluster_desk.store.rows import validate_settings
from cluster_desk.team.records import DELETED, ENTITIES, FIELDS, SETTING_KEYS, TABLES, normal, same
from cluster_desk.team.server import NotAllowed
from cluster_desk.team.workcopy import NetChange, fingerprint

#: A row to write: id, field values, deleted, is new on the server.
Write = tuple[str, dict[str, Any], bool, bool]


def _cols(entity: str) -> str:
    return ", ".join(f'"{c}"' for c in FIELDS[entity])


@dataclass
class PushOutcome:
    already: bool = False  # this push had been applied before (a retry): nothing applied twice
    upto_seq: int = 0
    applied: int = 0  # records written
    unchanged: int = 0  # records the server already had that way
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: str = ""  # of the batch the server applied (tells a retry from a copied file)

    def to_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "fingerprint": self.fingerprint}


@dataclass
class PullData:
    cursor: str
    cluster_name: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # entity -> server rows

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def cluster_access(conn: psycopg.Connection[Any], cluster: str) -> tuple[bool, bool]:
    """(may see, may edit) the cluster, for the logged-in user."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM cdesk.clusters WHERE id = %s), cdesk.can_write(%s, current_user)",
        (cluster, cluster),
    ).fetchone()
    assert row is not None
    return bool(row[0]), bool(row[1])


def _not_visible(cluster: str) -> NotAllowed:
    return NotAllowed.of("cluster_not_visible", cluster=cluster)


def push(
    conn: psycopg.Connection[Any], cluster: str, client_id: str, base_seq: int, upto_seq: int,
    nets: list[NetChange],
) -> PushOutcome:
    """Apply a batch of net changes; a retry of an applied batch answers ``already``."""
    with conn.transaction():
        row = conn.execute(
            "SELECT upto_seq, result FROM cdesk.pushes WHERE client_id = %s AND base_seq = %s",
            (client_id, base_seq),
        ).fetchone()
        if row is not None:
            result = row[1] if isinstance(row[1], dict) else json.loads(row[1])
            return PushOutcome(True, int(row[0]), int(result.get("applied", 0)),
                               int(result.get("unchanged", 0)), list(result.get("conflicts", [])),
                               str(result.get("fingerprint", "")))
        if not nets:
            return PushOutcome(upto_seq=upto_seq)
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ("cdesk cluster " + cluster,))
        visible, writable = cluster_access(conn, cluster)
        if not visible:
            raise _not_visible(cluster)
        if not writable:
            raise NotAllowed.of("cluster_read_only", cluster=cluster)
        outcome = PushOutcome(upto_seq=upto_seq, fingerprint=fingerprint(nets))
        for entity in ENTITIES:
            batch = [n for n in nets if n.entity == entity]
            if batch:
                _push_entity(conn, cluster, entity, batch, outcome)
        if outcome.conflicts:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO cdesk.conflicts (cluster_id, entity, entity_id, label, field, server_value, "
                    "client_value, server_actor, server_at, client_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(cluster, c["entity"], c["entity_id"], c["label"], c["field"],
                      Jsonb(c["server_value"]), Jsonb(c["client_value"]),
                      c["server_actor"], c["server_at"], c["client_at"] or None) for c in outcome.conflicts],
                )
            user = conn.execute("SELECT session_user").fetchone()
            for c in outcome.conflicts:
                c["client_actor"] = user[0] if user else ""
        conn.execute(
            "INSERT INTO cdesk.pushes (client_id, base_seq, cluster_id, upto_seq, result) "
            "VALUES (%s, %s, %s, %s, %s)",
            (client_id, base_seq, cluster, upto_seq, Jsonb(outcome.to_json())),
        )
        return outcome


def _push_entity(
    conn: psycopg.Connection[Any], cluster: str, entity: str, nets: list[NetChange], outcome: PushOutcome
) -> None:
    names = FIELDS[entity]
    table = TABLES[entity]
    ids = [n.entity_id for n in nets]
    server: dict[str, dict[str, Any]] = {}
    cur = conn.execute(
        f"SELECT id, {_cols(entity)}, deleted, updated_by, updated_at FROM {table} "
        "WHERE cluster_id = %s AND id = ANY(%s)",
        (cluster, ids),
    )
    for r in cur:
        rec = normal(dict(zip(names, r[1 : 1 + len(names)], strict=True)))
        server[r[0]] = {"values": rec, "deleted": r[-3], "by": r[-2], "at": r[-1]}

    writes: list[Write] = []

    def conflict(n: NetChange, s: dict[str, Any], name: str, theirs: Any, mine: Any) -> None:
        outcome.conflicts.append({
            "entity": entity, "entity_id": n.entity_id, "label": n.label or n.entity_id, "field": name,
            "server_value": theirs, "client_value": mine, "server_actor": s["by"],
            "server_at": s["at"].isoformat(), "client_at": n.at, "client_actor": "",
        })

    for n in nets:
        s = server.get(n.entity_id)
        conflicts_before = len(outcome.conflicts)
        if n.op == "delete":
            if s is None or s["deleted"]:
                outcome.unchanged += 1
                continue
            edited = {k: v for k, v in s["values"].items() if k in n.base and not same(n.base[k], v)}
            if edited:
                conflict(n, s, "", edited, DELETED)  # they edited what this copy deleted
            else:
                writes.append((n.entity_id, s["values"], True, False))
            continue
        if s is None:
            # Members and links: new here. Settings: no row yet means nobody changed it since
            # publishing (or since the server gained settings): the copy's value goes in.
            writes.append((n.entity_id, {**n.record, **n.new}, False, True))
            continue
        if s["deleted"]:
            if n.op == "insert":  # re-added (a resolved conflict or an undone delete): revive it
                writes.append((n.entity_id, {**n.record, **n.new}, False, False))
            else:
                conflict(n, s, "", DELETED, dict(n.new))  # they deleted what this copy edited
            continue
        merged = dict(s["values"])
        changed = False
        for name, mine in n.new.items():
            if name not in names:
                continue
            theirs = s["values"][name]
            if same(theirs, mine):
                continue  # identical edits are no conflict
            if n.op == "update" and name in n.base and same(n.base[name], theirs):
                merged[name] = mine
                changed = True
            else:
                conflict(n, s, name, theirs, mine)
        if changed:
            writes.append((n.entity_id, merged, False, False))
        elif len(outcome.conflicts) == conflicts_before:
            outcome.unchanged += 1
    if writes and entity == "setting":
        problem = _settings_problem(conn, cluster, writes)
        if problem:
            # Each change was fine alone, together they break a rule (mass_min above mass_max, a
            # centre with one coordinate): the server's values stay, the copy's become conflicts.
            by_id = {n.entity_id: n for n in nets}
            for eid, values, _deleted, _new in writes:
                s = server.get(eid) or {"values": {"value": None}, "by": "", "at": datetime.now(UTC)}
                conflict(by_id[eid], s, "value", s["values"]["value"], values["value"])
            writes = []
    if writes:
        _write_rows(conn, cluster, entity, writes)
    outcome.applied += len(writes)


def _settings_problem(conn: psycopg.Connection[Any], cluster: str, writes: list[Write]) -> str:
    """Why the cluster's settings with these writes would be invalid ('' if they are fine)."""
    values = {str(k): v for k, v in conn.execute(
        "SELECT id, value FROM cdesk.settings WHERE cluster_id = %s AND NOT deleted", (cluster,))}
    values.update({eid: row["value"] for eid, row, _deleted, _new in writes})
    try:
        validate_settings(replace(ClusterSettings(), **{k: v for k, v in values.items()
                                                        if k in SETTING_KEYS}))
    except (ValueError, TypeError) as e:
        return str(e)
    return ""


def _write_rows(
    conn: psycopg.Connection[Any], cluster: str, entity: str, writes: list[Write]
) -> None:
    """Write rows with one UPDATE and one INSERT (the audit trigger runs once per statement)."""
    names = FIELDS[entity]
    cols = _cols(entity)
    table = TABLES[entity]
    temp = f"push_{entity}"
    conn.execute(f"DROP TABLE IF EXISTS pg_temp.{temp}")
    conn.execute(
        f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS "
        f"SELECT id, {cols}, deleted, true AS is_new FROM {table} WITH NO DATA"
    )
    wrap = Jsonb if entity == "setting" else _plain  # settings are JSON values
    with conn.cursor().copy(f"COPY {temp} (id, {cols}, deleted, is_new) FROM STDIN") as copy:
        for eid, values, deleted, is_new in writes:
            copy.write_row((eid, *(wrap(values.get(c)) for c in names), deleted, is_new))
    updates = sum(1 for w in writes if not w[3])
    if updates:
        setters = ", ".join(f'"{c}"' for c in names)
        sources = ", ".join(f't."{c}"' for c in names)
        cur = conn.execute(
            f"UPDATE {table} m SET ({setters}, deleted) = ({sources}, t.deleted) FROM {temp} t "
            "WHERE m.cluster_id = %s AND m.id = t.id AND NOT t.is_new",
            (cluster,),
        )
        if cur.rowcount != updates:
            # Row-level security makes a refused UPDATE look like "0 rows": we read these rows
            # under the cluster lock a moment ago, so a shortfall is a refusal, not a conflict.
            refused = updates - max(cur.rowcount, 0)
            raise NotAllowed.of("changes_refused", refused=refused, total=updates, cluster=cluster)
    if len(writes) > updates:
        conn.execute(
            f"INSERT INTO {table} (cluster_id, id, {cols}, deleted) "
            f"SELECT %s, id, {cols}, deleted FROM {temp} WHERE is_new",
            (cluster,),
        )


def _plain(value: Any) -> Any:
    return value


def pull(
    conn: psycopg.Connection[Any],
    cluster: str,
    cursor: str | None,
    refetch: dict[str, list[str]] | None = None,
) -> PullData:
    """Rows changed since ``cursor`` (all rows if None) plus ``refetch`` ids, in one snapshot."""
    refetch = refetch or {}
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
        assert row is not None
        name_row = conn.execute("SELECT name FROM cdesk.clusters WHERE id = %s", (cluster,)).fetchone()
        if name_row is None:
            raise _not_visible(cluster)
        data = PullData(str(row[0]), str(name_row[0]))
        for entity in ENTITIES:
            names = FIELDS[entity]
            select = (f"SELECT id, {_cols(entity)}, deleted, updated_by, updated_at, version "
                      f"FROM {TABLES[entity]} WHERE cluster_id = %s")
            if cursor is None:
                cur = conn.execute(select + " AND NOT deleted ORDER BY updated_at, id", (cluster,))
            else:
                cur = conn.execute(
                    select + " AND (id IN (SELECT entity_id FROM cdesk.changes WHERE cluster_id = %s "
                    "AND entity = %s AND xid >= %s::xid8) OR id = ANY(%s)) ORDER BY updated_at, id",
                    (cluster, cluster, entity, cursor, refetch.get(entity, [])),
                )
            data.rows[entity] = [
                {"id": r[0], "values": normal(dict(zip(names, r[1 : 1 + len(names)], strict=True))),
                 "deleted": bool(r[-4]), "by": r[-3], "at": r[-2].isoformat(), "version": int(r[-1])}
                for r in cur
            ]
            if cursor is not None and data.rows[entity]:
                # Who last changed each field since the cursor: the copy's history names them.
                authors: dict[str, dict[str, str]] = {}
                for eid, key, actor in conn.execute(
                    "SELECT c.entity_id, k, c.actor FROM cdesk.changes c, "
                    "jsonb_object_keys(coalesce(c.new, '{}'::jsonb)) k "
                    "WHERE c.cluster_id = %s AND c.entity = %s AND c.xid >= %s::xid8 ORDER BY c.seq",
                    (cluster, entity, cursor),
                ):
                    authors.setdefault(eid, {})[key] = actor
                for row in data.rows[entity]:
                    row["authors"] = authors.get(row["id"], {})
        return data


def snapshot_cursor(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
    assert row is not None
    return str(row[0])


def publish_rows(
    conn: psycopg.Connection[Any], cluster: str, members: list[dict[str, Any]], links: list[dict[str, Any]],
    settings: dict[str, Any] | None = None,
) -> None:
    """A new cluster with these records, the publisher as its manager (one transaction)."""
    with conn.transaction():
        row = conn.execute(
            "SELECT pg_has_role(current_user, 'cdesk_manager', 'MEMBER'), "
            "EXISTS (SELECT 1 FROM cdesk.clusters WHERE id = %s)", (cluster,)
        ).fetchone()
        assert row is not None
        if not row[0]:
            raise NotAllowed.of("only_manager_publishes")
        if row[1]:
            raise NotAllowed.of("cluster_exists", cluster=cluster)
        conn.execute("INSERT INTO cdesk.clusters (id, name) VALUES (%s, %s)", (cluster, cluster))
        conn.execute(
            "INSERT INTO cdesk.assignments (cluster_id, login, role) VALUES (%s, session_user, 'manager')",
            (cluster,),
        )
        setting_rows = [{"id": k, "value": v} for k, v in (settings or {}).items()]
        for entity, records in (("member", members), ("link", links), ("setting", setting_rows)):
            if records:
                _write_rows(conn, cluster, entity, [(r["id"], r, False, True) for r in records])
