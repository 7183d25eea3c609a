"""Format-3 fields and cluster settings through the server (schema 2), and the upgrade from 1."""

from __future__ import annotations

import json
from dataclasses import replace

import psycopg
from team_helpers import CLUSTER, cloned, edit, published

from cluster_desk.core.model import Link, LinkKind, Member, SpecialTerritory
from cluster_desk.store.project import Project
from cluster_desk.team.server import init_schema, schema_version_known, server_version
from cluster_desk.team.sync import sync
from cluster_desk.team.workcopy import TEAM_KEY, conflicts, team_link


def _sync(path):
    with Project.open(path) as p:
        return sync(p)


def test_format3_fields_and_settings_reach_a_colleague(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    edit(alice, "m1", output=1.5e9, special_territory=SpecialTerritory.GEOSTRATEGIC,
         organising_production=True)
    with Project.open(alice) as p:
        p.update_link(replace(p.link("l01"), end="2026-01-01", volume=2.5e6, contract="No 7 of 2025-03-01"))
        p.set_settings(replace(p.settings(), radius_km=150.0, centre_lat=55.8, centre_lon=49.1))
    with Project.open(bob) as p:
        p.set_settings(replace(p.settings(), mass_min=80))  # a different setting: no conflict
    assert not _sync(alice).new_conflicts
    report = _sync(bob)
    assert not report.new_conflicts and report.applied.settings
    _sync(alice)
    for path in (alice, bob):
        with Project.open(path) as p:
            m = p.member("m1")
            assert (m.output, m.special_territory, m.organising_production) == (
                1.5e9, SpecialTerritory.GEOSTRATEGIC, True)
            lk = p.link("l01")
            assert (lk.end, lk.volume, lk.contract) == ("2026-01-01", 2.5e6, "No 7 of 2025-03-01")
            s = p.settings()
            assert (s.radius_km, s.centre_lat, s.centre_lon, s.mass_min) == (150.0, 55.8, 49.1, 80)
    with Project.open(bob) as p:  # History names who changed the settings
        assert p.history("settings")[-1].actor == "alice"
    with team_db.admin() as conn:
        row = conn.execute("SELECT organising_production, output FROM cdesk.members "
                           "WHERE cluster_id = %s AND id = 'm1'", (CLUSTER,)).fetchone()
        assert row == (True, 1.5e9)
        logged = conn.execute("SELECT actor, new FROM cdesk.changes WHERE entity = 'setting' "
                              "AND entity_id = 'radius_km' ORDER BY seq").fetchall()
        assert logged[-1] == ("alice", {"value": 150.0})


def test_settings_and_format3_fields_conflict_per_field(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    for path, radius, output in ((alice, 120.0, 1.0e6), (bob, 180.0, 2.0e6)):
        with Project.open(path) as p:
            p.set_settings(replace(p.settings(), radius_km=radius))
        edit(path, "m2", output=output)
    _sync(alice)
    report = _sync(bob)
    found = {(c["entity"], c["entity_id"], c["field"]): (c["server_value"], c["client_value"])
             for c in report.new_conflicts}
    assert found == {("setting", "radius_km", "value"): (120.0, 180.0),
                     ("member", "m2", "output"): (1.0e6, 2.0e6)}
    with Project.open(bob) as p:  # the server's value shows until resolved
        assert p.settings().radius_km == 120.0 and p.member("m2").output == 1.0e6
        assert len(conflicts(p)) == 2


def test_server_upgrade_from_version_1_keeps_rows_and_copies_send_their_local_values(
        pg_server, tmp_path, capsys):
    """A version-1 server with a cluster on it is upgraded by `server init`; a working copy that
    synced with it (format-3 values and settings kept local then) sends them with its next sync."""
    from cluster_desk.cli import main

    name = "upgrade_from_1"
    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        with psycopg.connect(pg_server.dsn(name), autocommit=True) as conn:
            assert init_schema(conn, upto=1) == (0, 1)
            conn.execute("INSERT INTO cdesk.clusters (id, name, created_by) VALUES (%s, %s, 'mary')",
                         (CLUSTER, CLUSTER))
            conn.execute("INSERT INTO cdesk.assignments VALUES (%s, 'alice', 'officer')", (CLUSTER,))
            conn.execute(
                "INSERT INTO cdesk.members (cluster_id, id, name, kind, status, sector, industry, address, "
                "inn, website, contact, notes) VALUES (%s, 'm0', 'Firm 0', 'firm', 'member', '', '', '', '', "
                "'', '', '')", (CLUSTER,))
            cursor = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]
        # Alice's copy as a version-1 client left it: its link has no "fields"; its format-3
        # value and its settings were never sent.
        alice = tmp_path / "alice.cdesk"
        with Project.create(alice, name=CLUSTER) as p:
            p.add_members([Member("Firm 0", id="m0", output=3.0e6)])
            p.set_settings(replace(p.settings(), radius_km=90.0))
            link = {"dsn": pg_server.dsn(name, "alice"), "cluster": CLUSTER, "client_id": "a1",
                    "cursor": cursor, "pushed_seq": p.last_seq(), "pulled": [], "last_sync": ""}
            p.set_meta({TEAM_KEY: json.dumps(link)})
            assert team_link(p).fields == 1

        assert main(["server", "init", pg_server.dsn(name)]) == 0
        assert "version 2 (was 1)" in capsys.readouterr().out
        with psycopg.connect(pg_server.dsn(name), autocommit=True) as conn:
            assert server_version(conn) == schema_version_known() == 2
            assert conn.execute("SELECT output, special_territory, organising_production "
                                "FROM cdesk.members").fetchall() == [(None, "", False)]

        report = _sync(alice)
        assert report.sent == 3 and not report.new_conflicts  # m0's output, the radius, the name
        with psycopg.connect(pg_server.dsn(name), autocommit=True) as conn:
            assert conn.execute("SELECT output FROM cdesk.members").fetchone() == (3.0e6,)
            radius = conn.execute("SELECT value FROM cdesk.settings WHERE id = 'radius_km'").fetchone()
            assert radius == (90.0,)
        with Project.open(alice) as p:
            assert team_link(p).fields == 2
            assert sync(p).sent == 0  # sent once
        # A new link added after the upgrade carries every field.
        with Project.open(alice) as p:
            p.add_members([Member("Firm 1", id="m1")])
            p.add_links([Link("m0", "m1", LinkKind.SUPPLY, id="l1", volume=5.0, contract="C-1")])
            sync(p)
        with psycopg.connect(pg_server.dsn(name), autocommit=True) as conn:
            assert conn.execute("SELECT volume, contract FROM cdesk.links").fetchone() == (5.0, "C-1")
    finally:
        with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_settings_that_break_a_rule_together_become_conflicts(team_db, tmp_path):
    """mass_min 120 alone and mass_max 110 alone are fine; together mass_min is above mass_max:
    the second push keeps the server's value and records a conflict, and every copy stays valid."""
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    with Project.open(alice) as p:
        p.set_settings(replace(p.settings(), mass_min=120))
    with Project.open(bob) as p:
        p.set_settings(replace(p.settings(), mass_max=110))
    assert not _sync(alice).new_conflicts
    report = _sync(bob)
    assert [(c["entity_id"], c["server_value"], c["client_value"]) for c in report.new_conflicts] == [
        ("mass_max", 150, 110)]
    assert not report.applied.skipped
    for path in (alice, bob):
        _sync(path)
        with Project.open(path) as p:
            assert (p.settings().mass_min, p.settings().mass_max) == (120, 150)
