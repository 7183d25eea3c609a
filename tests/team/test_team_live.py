"""Live updates: a second client hears a colleague's commit and pulls it."""

from __future__ import annotations

import json
import queue

from team_helpers import CLUSTER, cloned, edit, published

from cluster_desk.store.project import Project
from cluster_desk.team.live import Listener, parse_notice
from cluster_desk.team.sync import sync


def test_notice_reaches_second_client_which_pulls(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    heard: queue.Queue[int] = queue.Queue()
    listener = Listener(team_db.dsn("bob"), CLUSTER, heard.put, poll_s=0.05)
    try:
        edit(alice, "m2", notes="live")
        with Project.open(alice) as p:
            sync(p)
        seq = heard.get(timeout=30)  # waits for the notice (a deadline, not a sleep)
        assert seq > 0
        with Project.open(bob) as p:
            assert sync(p).applied.upserted == {"m2"}
            assert p.member("m2").notes == "live"
    finally:
        listener.stop()
    assert not listener.alive


def test_notice_carries_ids_only(team_db, tmp_path):
    published(team_db, tmp_path)
    import psycopg

    with psycopg.connect(team_db.dsn("ann"), autocommit=True) as conn:
        conn.execute("LISTEN cdesk_changes")
        alice = cloned(team_db, tmp_path, "alice")
        edit(alice, "m0", notes="secret text")
        with Project.open(alice) as p:
            sync(p)
        notice = next(conn.notifies(timeout=30, stop_after=1))
    assert parse_notice(notice.payload)[0] == CLUSTER
    assert "secret" not in notice.payload
    assert set(json.loads(notice.payload)) == {"cluster", "seq"}


def test_parse_notice_rejects_foreign_payloads():
    assert parse_notice('{"cluster": "x", "seq": 3}') == ("x", 3)
    assert parse_notice("not json") is None
    assert parse_notice('{"cluster": "x"}') is None
