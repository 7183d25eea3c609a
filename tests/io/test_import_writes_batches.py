"""A big import writes each batch as it comes once its bulk write has begun (the values still in
the processor's caches), and its change log keeps one run a chunk of CHUNK rows, as when a chunk
of batches was written at once (io.roster._apply; store: add_member_columns(log=False))."""

from __future__ import annotations

import json

from cluster_desk.core.model import Member
from cluster_desk.io import import_into, roster
from cluster_desk.io.formats.csv_roster import export_csv
from cluster_desk.io.rowbatch import BATCH_ROWS
from cluster_desk.store.project import Project


def _roster(n: int) -> list[Member]:
    return [Member(f"ООО «Завод {i}»", lat=55.0 + i / 1e5, lon=49.0 + i / 1e5, output=1e6 + i / 4)
            for i in range(n)]


def test_batches_are_written_as_they_come_and_logged_a_chunk_a_run(tmp_path):
    assert roster.CHUNK == 3 * BATCH_ROWS and roster.PROGRESS_ROWS == 5000  # the counts below
    rows = 2 * roster.CHUNK + BATCH_ROWS + 100  # chunks of 6144, 6144 and 2148 rows
    members = _roster(rows)
    path = tmp_path / "roster.csv"
    export_csv(members, path)
    written: dict[int, int] = {}
    with Project.create(tmp_path / "p.cdesk") as p:
        def progress(at: int) -> None:
            written[at] = p.last_rowids()[0]

        report = import_into(p, path, progress=progress)
        assert report.added == rows
        # Before the fifth batch (rows 8,193-10,240; the call for row 10,000): the first chunk and
        # the fourth batch are written (a chunk at a time: 6,144).
        assert written == {5000: 0, 10000: roster.CHUNK + BATCH_ROWS, rows: rows}
        conn = p._c()
        runs = [(seq, json.loads(new)["first"]) for seq, new in conn.execute(
            "SELECT seq, new FROM changes WHERE entity_id = '' ORDER BY seq")]
        assert runs == [(6144, 1), (12288, 6145), (rows, 12289)]
        assert [c.entity_id for c in p.history() if c.entity == "member"] == [m.id for m in members]
        stored = p.members()
        assert [(m.id, m.name, m.lat, m.lon, m.output) for m in stored] == [
            (m.id, m.name, m.lat, m.lon, m.output) for m in members]
        assert p.check() == []
