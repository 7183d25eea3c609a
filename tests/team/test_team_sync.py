"""Push then pull against a real PostgreSQL: publish, clone, conflicts, retries, cursors."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
from team_helpers import CLUSTER, cloned, edit, members, published, server_members

from cluster_desk.core.model import Link, LinkKind
from cluster_desk.store.project import Project
from cluster_desk.team import exchange as ex
from cluster_desk.team.sync import exchange_with_server, prepare, sync
from cluster_desk.team.workcopy import conflicts, team_link

NOTES = f"UPDATE cdesk.members SET notes = %s WHERE cluster_id = '{CLUSTER}' AND id = %s"
NOTE_EDITS = "FROM cdesk.changes WHERE op = 'update' AND new ? 'notes'"


def test_publish_clone_push_pull(team_db, tmp_path):
    mary = published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    assert members(alice) == members(mary)
    with Project.open(alice) as p:
        assert [lk.id for lk in p.links()] == ["l01"]
        assert team_link(p).cluster == CLUSTER
        assert "password" not in team_link(p).dsn

    edit(alice, "m1", employees=99, notes="visited")
    with Project.open(alice) as p:
        report = sync(p)
    assert report.outcome.applied == 1 and not report.new_conflicts
    assert server_members(team_db)["m1"] == ("Firm 1", 99, "visited", False)

    with Project.open(mary) as p:
        report = sync(p)
        assert report.applied.upserted == {"m1"}
        assert p.member("m1").employees == 99
        # Member History names who made the edit on the server.
        assert p.history("m1")[-1].actor == "alice"
        # The pulled edit is not pushed back.
        assert sync(p).sent == 0


def test_add_delete_and_links_sync(team_db, tmp_path):
    mary = published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    from cluster_desk.core.model import Link, Member

    with Project.open(alice) as p:
        p.add_member(Member("New firm", id="new1"))
        p.add_link(Link("new1", "m2", id="l-new"))
        p.delete_member("m0")  # takes link l01 with it
        sync(p)
    with Project.open(mary) as p:
        sync(p)
        ids = {m.id for m in p.members()}
        assert "new1" in ids and "m0" not in ids
        assert {lk.id for lk in p.links()} == {"l-new"}
    assert server_members(team_db)["m0"][-1] is True  # a tombstone: nobody deletes rows


def test_identical_edits_are_no_conflict(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    edit(alice, "m2", name="Same")
    edit(bob, "m2", name="Same")
    for path in (alice, bob):
        with Project.open(path) as p:
            assert not sync(p).new_conflicts


def test_per_field_merge_and_conflict(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    edit(alice, "m1", name="Alice's name", employees=5)
    edit(bob, "m1", name="Bob's name", notes="bob was here")
    with Project.open(alice) as p:
        assert not sync(p).new_conflicts
    with Project.open(bob) as p:
        report = sync(p)
        assert [(c["field"], c["server_value"], c["client_value"], c["server_actor"], c["client_actor"])
                for c in report.new_conflicts] == [("name", "Alice's name", "Bob's name", "alice", "bob")]
        # The server value stays; Bob's other field went through and Alice's came in.
        m = p.member("m1")
        assert (m.name, m.employees, m.notes) == ("Alice's name", 5, "bob was here")
        assert conflicts(p)[0]["client_value"] == "Bob's name"
        # Resolving = an ordinary edit: take Bob's value again; it syncs like any other.
        p.update_member(replace(m, name="Bob's name"))
        assert not sync(p).new_conflicts
    assert server_members(team_db)["m1"] == ("Bob's name", 5, "bob was here", False)
    with team_db.admin() as conn:
        assert conn.execute("SELECT count(*) FROM cdesk.conflicts").fetchone()[0] == 1


def test_delete_against_edit_both_ways(team_db, tmp_path):
    published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    # Alice deletes m1 while Bob edits it; Bob edits m2 while Alice deletes it.
    with Project.open(alice) as p:
        p.delete_member("m1")
    edit(bob, "m1", notes="still here")
    edit(alice, "m2", notes="edited first")
    with Project.open(alice) as p:
        assert not sync(p).new_conflicts
    with Project.open(bob) as p:
        p.delete_member("m2")
        report = sync(p)
        kinds = {(c["entity_id"], c["field"]) for c in report.new_conflicts}
        assert kinds == {("m1", ""), ("m2", "")}
        # Server state wins for now: m1 is gone (Alice deleted it), m2 is back (Alice edited it).
        ids = {m.id for m in p.members()}
        assert "m1" not in ids and "m2" in ids
        assert p.member("m2").notes == "edited first"
    assert server_members(team_db)["m1"][-1] is True
    assert server_members(team_db)["m2"][-1] is False


def test_retried_push_is_already_applied(team_db, tmp_path):
    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    edit(alice, "m3", employees=7)
    with Project.open(alice) as p:
        batch = prepare(p)
    # The client dies after the server committed the push, before it recorded anything.
    first = exchange_with_server(batch)
    assert first.outcome.applied == 1 and not first.outcome.already
    edit(alice, "m3", notes="after the crash")
    with Project.open(alice) as p:
        report = sync(p)
        assert report.outcome is not None
    with team_db.admin() as conn:
        versions = conn.execute("SELECT version FROM cdesk.members WHERE id = 'm3'").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM cdesk.changes WHERE entity_id = 'm3'").fetchone()[0]
    # Insert by publish + the first push + the edit after the crash: nothing applied twice.
    assert versions == 3 and logged == 3
    assert server_members(team_db)["m3"] == ("Firm 3", 7, "after the crash", False)


def test_late_commit_is_not_skipped_by_the_cursor(team_db, tmp_path):
    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    slow = psycopg.connect(team_db.dsn("bob"))  # a transaction that takes its seq first, commits last
    slow.execute(NOTES, ("late", "m0"))
    with psycopg.connect(team_db.dsn("mary"), autocommit=True) as fast:
        fast.execute(NOTES, ("early", "m1"))
    with psycopg.connect(team_db.dsn("postgres")) as conn:
        seqs = dict(conn.execute(f"SELECT entity_id, seq {NOTE_EDITS}").fetchall())
    assert seqs == {"m1": seqs["m1"]}  # the slow one is not visible yet...
    with Project.open(alice) as p:
        sync(p)
        assert p.member("m1").notes == "early" and p.member("m0").notes == ""
    slow.commit()
    slow.close()
    with psycopg.connect(team_db.dsn("postgres")) as conn:
        late_seq = conn.execute(f"SELECT seq {NOTE_EDITS} AND entity_id = 'm0'").fetchone()[0]
    assert late_seq < seqs["m1"]  # ...though its seq is lower: a seq cursor would skip it
    with Project.open(alice) as p:
        sync(p)
        assert p.member("m0").notes == "late"


def test_rls_refusal_is_not_allowed_not_conflict(team_db, tmp_path, capsys):
    from cluster_desk.cli import main

    published(team_db, tmp_path)
    ann = cloned(team_db, tmp_path, "ann")  # analyst: reads only
    edit(ann, "m0", notes="analyst edit")
    assert main(["sync", str(ann)]) == 5
    err = capsys.readouterr().err
    assert "not allowed" in err and "conflict" not in err and "1 edited records wait to sync" in err
    assert members(ann)["m0"].notes == "analyst edit"  # kept locally
    assert server_members(team_db)["m0"][2] == ""

    # An officer not assigned to the cluster reads it but may not write it.
    eve = cloned(team_db, tmp_path, "eve")
    edit(eve, "m1", notes="eve")
    assert main(["sync", str(eve)]) == 5
    assert "not allowed" in capsys.readouterr().err


def test_rls_zero_rows_is_told_apart(team_db, tmp_path):
    """A direct UPDATE refused by row-level security changes 0 rows; the push says "not allowed"."""
    published(team_db, tmp_path)
    with psycopg.connect(team_db.dsn("eve"), autocommit=True) as conn:
        cur = conn.execute("UPDATE cdesk.members SET notes = 'x' WHERE cluster_id = %s", (CLUSTER,))
        assert cur.rowcount == 0
        assert conn.execute("SELECT count(*) FROM cdesk.members").fetchone()[0] == 4  # she can read
        with pytest.raises(ex.NotAllowed, match="not allowed"), conn.transaction():
            # The write step itself (as if the up-front check had raced): 0 rows -> not allowed.
            ex._write_rows(conn, CLUSTER, "member", [("m0", {"name": "x", "kind": "firm", "status": "member",
                            "sector": "", "industry": "", "address": "", "inn": "", "website": "",
                            "contact": "", "notes": ""}, False, False)])


def test_cluster_not_visible(team_db, tmp_path, capsys):
    from cluster_desk.cli import main

    published(team_db, tmp_path)
    with team_db.admin() as conn:
        conn.execute("CREATE ROLE zed LOGIN IN ROLE cdesk_analyst") if not conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = 'zed'").fetchone() else None
    out = tmp_path / "zed.cdesk"
    assert main(["clone", team_db.dsn("zed"), CLUSTER, str(out)]) == 5
    assert "not allowed" in capsys.readouterr().err
    assert not out.exists()


def test_server_stopped_mid_sync(team_db, tmp_path, capsys):
    from cluster_desk.cli import main

    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    edit(alice, "m0", notes="one")
    edit(alice, "m1", notes="two")
    before = alice.read_bytes()
    team_db.server.stop()
    try:
        assert main(["sync", str(alice)]) == 5
        err = capsys.readouterr().err
        assert "server unreachable" in err and "2 edited records wait to sync" in err
        assert alice.read_bytes() == before  # the project is untouched
    finally:
        team_db.server.start()
    # Stopped between push and pull: the push is recorded, the pull comes next time.
    edit(alice, "m2", notes="three")
    with Project.open(alice) as p:
        with pytest.raises(Exception, match="server unreachable"):
            sync(p, step=lambda _: team_db.server.stop())
        team_db.server.start()
        report = sync(p)
        assert report.sent == 0 and not report.new_conflicts
    assert {k: v[2] for k, v in server_members(team_db).items()} == {
        "m0": "one", "m1": "two", "m2": "three", "m3": ""}
    with team_db.admin() as conn:
        assert conn.execute(f"SELECT count(*) {NOTE_EDITS}").fetchone()[0] == 3


def test_cli_round_trip_and_conflict_exit_code(team_db, tmp_path, capsys):
    from cluster_desk.cli import main
    from cluster_desk.core.demo import demo_cluster

    project = tmp_path / "demo.cdesk"
    assert main(["demo", str(project)]) == 0
    assert main(["server", "publish", str(project), team_db.dsn("mary"), "--cluster", "Demo"]) == 0
    team_db.assign("Demo", "alice", "officer")
    copy = tmp_path / "copy.cdesk"
    assert main(["clone", team_db.dsn("alice"), "Demo", str(copy)]) == 0
    assert len(members(copy)) == len(demo_cluster(seed=7)[0])
    first = next(iter(members(copy)))
    edit(copy, first, notes="copy")
    edit(project, first, notes="master")
    assert main(["sync", str(project)]) == 0
    assert main(["sync", str(copy)]) == 4
    err = capsys.readouterr().err
    assert "1 conflicts" in err and "notes" in err and "'copy'" in err
    assert main(["sync", str(copy)]) == 0
    assert main(["sync", str(tmp_path / "missing.cdesk")]) == 1
    assert main(["sync", str(tmp_path / "demo.cdesk")]) == 0


def test_import_edits_sync(team_db, tmp_path):
    from cluster_desk.cli import main

    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    csv = tmp_path / "more.csv"
    csv.write_text("name,lat,lon\nImported firm,55.8,49.2\n", encoding="utf-8")
    assert main(["import", str(csv), "--into", str(alice)]) == 0
    assert main(["sync", str(alice)]) == 0
    assert "Imported firm" in {v[0] for v in server_members(team_db).values()}


def test_a_copied_working_copy_does_not_lose_edits(team_db, tmp_path):
    """Save As / a copied file shares the client id: its first push must not be taken for a retry."""
    import shutil

    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    copy = tmp_path / "alice-copy.cdesk"
    shutil.copy(alice, copy)
    edit(alice, "m0", notes="from the original")
    edit(copy, "m1", notes="from the copy")
    for path in (alice, copy):
        with Project.open(path) as p:
            sync(p)
    assert {k: v[2] for k, v in server_members(team_db).items()} == {
        "m0": "from the original", "m1": "from the copy", "m2": "", "m3": ""}
    with Project.open(alice) as a, Project.open(copy) as c:
        assert team_link(a).client_id != team_link(c).client_id
        sync(a)
        assert a.member("m1").notes == "from the copy"


def test_a_refused_copy_still_receives_colleagues_edits(team_db, tmp_path):
    published(team_db, tmp_path)
    ann = cloned(team_db, tmp_path, "ann")
    alice = cloned(team_db, tmp_path, "alice")
    edit(ann, "m0", notes="analyst edit")
    edit(alice, "m1", notes="officer edit")
    with Project.open(alice) as p:
        sync(p)
    with Project.open(ann) as p:
        with pytest.raises(ex.NotAllowed, match="not allowed"):
            sync(p)
        assert p.member("m1").notes == "officer edit"  # received
        assert p.member("m0").notes == "analyst edit"  # kept, still waiting
        from cluster_desk.team.sync import pending_count

        assert pending_count(p) == 1


def test_history_names_each_colleague_per_field(team_db, tmp_path):
    mary = published(team_db, tmp_path)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    edit(alice, "m1", name="Renamed by Alice")
    with Project.open(alice) as p:
        sync(p)
    edit(bob, "m1", notes="note by Bob")
    with Project.open(bob) as p:
        sync(p)
    with Project.open(mary) as p:
        sync(p)
        m = p.member("m1")
        assert (m.name, m.notes) == ("Renamed by Alice", "note by Bob")
        who = {(c.actor, tuple(c.new)) for c in p.history("m1") if c.op == "update"}
        assert who == {("alice", ("name",)), ("bob", ("notes",))}


def test_an_existing_project_joins_a_cluster(team_db, tmp_path):
    """A field copy of the published project (same ids, some edits) becomes a working copy:
    identical records need nothing, its edits go up, differing values become conflicts."""
    from cluster_desk.core.model import Member
    from cluster_desk.store.merge import make_field_copy
    from cluster_desk.team.onboard import join

    mary = published(team_db, tmp_path)
    field_copy = tmp_path / "field.cdesk"
    with Project.open(mary) as p:
        p.set_meta({"team": ""})  # a plain copy of the project as it was before publishing
        make_field_copy(p, field_copy)
    with Project.open(field_copy) as p:
        p.add_member(Member("Found in the field", id="f1"))
        p.update_member(replace(p.member("m2"), notes="field note"))
    alice = cloned(team_db, tmp_path, "alice")
    edit(alice, "m2", notes="alice's note")
    with Project.open(alice) as p:
        sync(p)
    with Project.open(field_copy) as p:
        report = join(p, team_db.dsn("bob"), CLUSTER)
        assert team_link(p).cluster == CLUSTER
        assert [(c["entity_id"], c["field"]) for c in report.new_conflicts] == [("m2", "notes")]
        assert p.member("m2").notes == "alice's note"
    server = server_members(team_db)
    assert server["f1"][0] == "Found in the field" and len(server) == 5


def test_join_refused_leaves_the_project_as_it_was(team_db, tmp_path):
    from cluster_desk.team.onboard import join

    published(team_db, tmp_path)
    path = tmp_path / "plain.cdesk"
    with Project.create(path, name="x") as p:
        with pytest.raises(ex.NotAllowed):
            join(p, team_db.dsn("bob"), "no such cluster")
        assert team_link(p) is None


def test_cli_join(team_db, tmp_path, capsys):
    from cluster_desk.cli import main
    from cluster_desk.core.model import Member

    published(team_db, tmp_path)
    path = tmp_path / "local.cdesk"
    with Project.create(path, name="x") as p:
        p.add_member(Member("Local firm", id="local1"))
    assert main(["server", "join", str(path), team_db.dsn("alice"), CLUSTER]) == 0
    assert "is now a working copy" in capsys.readouterr().out
    assert set(members(path)) == {"local1", "m0", "m1", "m2", "m3"}
    assert main(["server", "join", str(path), team_db.dsn("alice"), CLUSTER]) == 1  # already one


def test_a_push_of_hundreds_of_edits_carries_each_records_whole_values(team_db, tmp_path):
    """Over 200 edits, the records are read a batch at a time (not one by one, nor every record
    of the copy): each net still carries its record's current values, and they reach the server."""
    published(team_db, tmp_path, n=300)
    alice = cloned(team_db, tmp_path, "alice")
    with Project.open(alice) as p:
        visited = p.members_with_ids([f"m{i}" for i in range(250)])
        p.update_members([replace(m, notes=f"visited {m.id}") for m in visited])
        p.update_link(replace(p.link("l01"), notes="a supplier since spring"))
        p.delete_member("m299")
        batch = prepare(p)
        nets = {n.entity_id: n for n in batch.nets}
        assert len(nets) == 252
        assert nets["m7"].record["notes"] == "visited m7" and nets["m7"].record["employees"] == 80
        link = nets["l01"].record
        assert (link["notes"], link["source"]) == ("a supplier since spring", "m0")
        assert nets["m299"].op == "delete"
        assert sync(p).outcome is not None
    assert server_members(team_db)["m249"][2] == "visited m249"
    assert server_members(team_db)["m299"][-1] is True


def test_a_pull_of_hundreds_of_rows_brings_each_one_and_their_links(team_db, tmp_path):
    """Over 300 rows the records are read 500 to a query (a link's end not among them looked up
    alone): every pulled member and link lands beside the copy's own edit."""
    published(team_db, tmp_path, n=400)
    alice, bob = cloned(team_db, tmp_path, "alice"), cloned(team_db, tmp_path, "bob")
    with Project.open(bob) as p:
        seen = p.members_with_ids([f"m{i}" for i in range(350)])
        p.update_members([replace(m, notes="seen by Bob") for m in seen])
        p.add_links([Link("m398", "m399", LinkKind.SUPPLY, id="l-bob")])  # ends Bob did not edit
        p.delete_member("m397")
        assert sync(p).outcome is not None
    edit(alice, "m380", notes="Alice's own")
    with Project.open(alice) as p:
        sync(p)
        got = {m.id: m for m in p.members()}
        assert got["m349"].notes == got["m5"].notes == "seen by Bob" and got["m380"].notes == "Alice's own"
        assert "m397" not in got and p.link("l-bob").source == "m398"
