"""Property: two officers and a manager edit the same members offline, in any combination of
field edits (format-3 fields included), record deletes and adds, and cluster settings. After
they sync, every edit is on the server or recorded as a conflict for whoever made it; after
resolving and syncing again, all copies equal the server."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from team_helpers import CLUSTER, TeamDb, cloned, published

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project
from cluster_desk.team.records import normal, settings_values, values_of
from cluster_desk.team.sync import sync
from cluster_desk.team.workcopy import conflicts

IDS = ["m0", "m1", "m2"]
FIELDS = {"name": st.sampled_from(["A", "B", "Firm 1"]), "notes": st.sampled_from(["", "x", "y"]),
          "employees": st.sampled_from([None, 10, 20, 77]), "output": st.sampled_from([None, 1.0e6, 2.5e6]),
          "organising_production": st.booleans()}
SETTINGS = {"radius_km": st.sampled_from([150.0, 200.0, 250.0]), "mass_min": st.sampled_from([50, 100, 120])}
edit_op = st.tuples(st.just("edit"), st.sampled_from(IDS), st.sampled_from(sorted(FIELDS))).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.just(t[2]), FIELDS[t[2]]))
delete_op = st.tuples(st.just("delete"), st.sampled_from(IDS))
add_op = st.tuples(st.just("add"), st.sampled_from(["n1", "n2"]))
setting_op = st.tuples(st.just("setting"), st.sampled_from(sorted(SETTINGS))).flatmap(
    lambda t: st.tuples(st.just(t[0]), st.just(t[1]), SETTINGS[t[1]]))
ops = st.lists(st.one_of(edit_op, edit_op, delete_op, add_op, setting_op), max_size=5)
_dbs = itertools.count()


def _apply(path: Path, who: str, steps) -> None:
    with Project.open(path) as p:
        for step in steps:
            present = {m.id for m in p.members()}
            if step[0] == "edit" and step[1] in present:
                p.update_member(replace(p.member(step[1]), **{step[2]: step[3]}))
            elif step[0] == "delete" and step[1] in present:
                p.delete_member(step[1])
            elif step[0] == "setting":
                p.set_settings(replace(p.settings(), **{step[1]: step[2]}))
            elif step[0] == "add" and f"{who}-{step[1]}" not in present:
                p.add_member(Member(f"{who} new", id=f"{who}-{step[1]}"))


def _net_edits(path: Path) -> list[tuple[str, str, object]]:
    """(id, field, value) of every field this copy changed, and (id, '*deleted*', None) deletes."""
    from cluster_desk.team.sync import prepare

    with Project.open(path) as p:
        out = []
        for n in prepare(p).nets:
            if n.op == "delete":
                out.append((n.entity_id, "*deleted*", None))
            elif n.entity in ("member", "setting"):
                out += [(n.entity_id, f, v) for f, v in n.new.items()]
        return out


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mary_ops=ops, alice_ops=ops, bob_ops=ops, order=st.permutations(["mary", "alice", "bob"]))
def test_offline_edits_are_applied_or_conflicts_and_copies_converge(pg_server, mary_ops, alice_ops, bob_ops,
                                                                       order):
    name = f"prop_{next(_dbs)}"
    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE cdesk_template")
    db = TeamDb(pg_server, name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            paths = {"mary": published(db, tmp_path, n=3, name="mary.cdesk")}
            paths["alice"] = cloned(db, tmp_path, "alice")
            paths["bob"] = cloned(db, tmp_path, "bob")
            for who, steps in (("mary", mary_ops), ("alice", alice_ops), ("bob", bob_ops)):
                _apply(paths[who], who, steps)
            edits = {who: _net_edits(paths[who]) for who in paths}

            for who in order:
                with Project.open(paths[who]) as p:
                    sync(p)
            server, settings_on_server = _server(db), _server_settings(db)
            for who, made in edits.items():
                with Project.open(paths[who]) as p:
                    recorded = {(c["entity_id"], c["field"]) for c in conflicts(p)}
                for mid, field, value in made:
                    if (mid, "") in recorded or (mid, field) in recorded:
                        continue
                    if field == "*deleted*":
                        assert mid not in server, (who, mid)
                    elif field == "value":  # a setting
                        assert settings_on_server[mid] == value, (who, mid)
                    else:
                        assert server[mid][field] == value, (who, mid, field)

            # Resolve: each copy takes its own value back for field conflicts (an ordinary edit).
            for who in order:
                with Project.open(paths[who]) as p:
                    present = {m.id for m in p.members()}
                    for c in conflicts(p):
                        if c["entity"] == "setting":
                            p.set_settings(replace(p.settings(), **{c["entity_id"]: c["client_value"]}))
                        elif c["field"] and c["entity_id"] in present:
                            mine = {c["field"]: c["client_value"]}
                            p.update_member(replace(p.member(c["entity_id"]), **mine))
            for _ in range(2):
                for who in order:
                    with Project.open(paths[who]) as p:
                        sync(p)
            server, settings_on_server = _server(db), _server_settings(db)
            for who in order:
                with Project.open(paths[who]) as p:
                    assert {m.id: values_of(m) for m in p.members()} == server, who
                    assert {k: v for k, v in settings_values(p.settings()).items()
                            if k in settings_on_server} == settings_on_server, who
    finally:
        with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _server(db: TeamDb) -> dict[str, dict]:
    from cluster_desk.team.records import FIELDS

    MEMBER_FIELDS = FIELDS["member"]
    cols = ", ".join(f'"{c}"' for c in MEMBER_FIELDS)
    with db.admin() as conn:
        rows = conn.execute(f"SELECT id, {cols} FROM cdesk.members WHERE cluster_id = %s AND NOT deleted",
                            (CLUSTER,)).fetchall()
    return {r[0]: normal(dict(zip(MEMBER_FIELDS, r[1:], strict=True))) for r in rows}


def _server_settings(db: TeamDb) -> dict[str, object]:
    with db.admin() as conn:
        return dict(conn.execute("SELECT id, value FROM cdesk.settings WHERE cluster_id = %s", (CLUSTER,)))
