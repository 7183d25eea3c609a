"""Member > History reads that member's and its links' entries, not the whole change log (issue
17: ~2.2 s at 100,000 members and 300,000 links, every bulk run expanded to find four links).

Counted in SQLite's own steps (a progress handler) on a real file whose members and links came in
as bulk runs: asking one member's history costs well under half of reading the whole log.
"""

from __future__ import annotations

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project


def test_one_members_history_does_not_read_the_whole_log(tmp_path):
    n = 5_000
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members([Member(f"Фирма {i}", id=f"m{i}") for i in range(n)])
        p.add_links([Link(f"m{i}", f"m{i + 1}", LinkKind.SUPPLY, id=f"l{i}") for i in range(n - 1)])
        p.delete_link("l7")
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        p._c().set_progress_handler(count, 100)
        history = p.member_history("m7")
        one, steps[0] = steps[0], 0
        p.history()
        whole = steps[0]
        assert [(c.entity_id, c.op) for c in history] == [
            ("m7", "insert"), ("l6", "insert"), ("l7", "insert"), ("l7", "delete")]
        assert one < whole / 2, (one, whole)
