"""Team sync of bulk inserts logged as runs (format 6, store/bulklog.py), against a real PostgreSQL:
a published roster big enough to be one run, a clone's bulk import pushed and pulled, nothing sent
twice, Member History naming who imported."""

from __future__ import annotations

from team_helpers import cloned, members, published, server_members

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store import bulklog
from cluster_desk.store.project import Project
from cluster_desk.team.sync import sync

N = bulklog.BULK_LOG_ROWS + 20


def _runs(p: Project) -> int:
    return int(p._c().execute("SELECT count(*) FROM changes WHERE entity_id = ''").fetchone()[0])


def test_a_bulk_import_is_pushed_and_pulled_record_by_record(team_db, tmp_path):
    mary = published(team_db, tmp_path, n=N)  # her roster was added as one run
    with Project.open(mary) as p:
        assert _runs(p) >= 1
    alice = cloned(team_db, tmp_path, "alice")
    assert members(alice) == members(mary)
    imported = [Member(f"Imported {i}", id=f"imp{i}", employees=i, lat=55.0 + i / 1e4, lon=0.1 + 0.2)
                for i in range(N)]
    links = [Link(f"imp{i}", f"m{i}", LinkKind.SUPPLY, id=f"il{i}", volume=0.1 + 0.2 + i) for i in range(N)]
    with Project.open(alice) as p:
        seen = p.last_seq()
        p.add_members(imported)  # one run each
        p.add_links(links)
        assert _runs(p) >= 2 and len(p.history_since(seen)) == 2 * N
        report = sync(p)
        assert report.sent == 2 * N and not report.new_conflicts
        assert sync(p).sent == 0  # pushed once
    server = server_members(team_db)
    assert all(server[f"imp{i}"] == (f"Imported {i}", i, "", False) for i in range(N))
    with Project.open(mary) as p:
        sync(p)
        assert {m.id: m for m in p.members() if m.id.startswith("imp")} == {m.id: m for m in imported}
        assert {lk.id: lk for lk in p.links() if lk.id.startswith("il")} == {lk.id: lk for lk in links}
        assert p.history("imp7")[-1].actor == "alice"
        assert sync(p).sent == 0  # what was pulled is not pushed back
    with Project.open(alice) as p:
        assert sync(p).sent == 0 and p.member("imp3") == imported[3]
    assert len(server_members(team_db)) == 2 * N
