"""A format-2 file made by the release before links (tests/store/fixtures/format2.cdesk, written by
fixtures/make_format2.py at main 29278e4) opens, migrates to format 3 with every record and the
whole change log, and the file as it was is kept next to it."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from format3_helpers import file_version

from cluster_desk.core.model import LINK_FIELDS, MEMBER_FIELDS, LinkKind, SpecialTerritory
from cluster_desk.store import Project, schema

FIXTURE = Path(__file__).parent / "fixtures" / "format2.cdesk"


def test_format2_fixture_migrates_keeping_records_log_and_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "cluster.cdesk"
    shutil.copyfile(FIXTURE, path)
    original = FIXTURE.read_bytes()
    assert file_version(path) == 2
    with Project.open(path) as p:
        members = {m.id: m for m in p.members()}
        links = {lk.id: lk for lk in p.links()}
        history = p.history()
        assert p.check() == []
    assert file_version(path) == schema.current_version() == 6
    # Every record, the old fields as they were, the new ones unknown / none / no.
    assert list(members) == ["m-anchor", "m-small", "m-uni", "m-cand"]
    small = members["m-small"]
    assert (small.employees, small.notes) == (40, '<script>alert(1)</script> "кавычки"')
    assert all(m.output is None and m.special_territory is SpecialTerritory.NONE
               and m.organising_production is False for m in members.values())  # fmt: skip
    assert list(links) == ["l-supply", "l-edu"]
    supply = links["l-supply"]
    assert (supply.kind, supply.start, supply.share) == (LinkKind.SUPPLY, "2019-04-01", 0.4)
    assert supply.notes == "договор"
    assert (supply.end, supply.volume, supply.contract) == (None, None, "")
    # The whole log, in order; whole records name every field of format 3.
    assert [(c.seq, c.entity, c.op) for c in history] == [
        (1, "member", "insert"), (2, "member", "insert"), (3, "member", "insert"), (4, "member", "insert"),
        (5, "member", "insert"), (6, "link", "insert"), (7, "link", "insert"), (8, "link", "insert"),
        (9, "link", "insert"), (10, "member", "update"), (11, "link", "update"), (12, "link", "delete"),
        (13, "link", "delete"), (14, "member", "delete"),
    ]  # fmt: skip
    assert set(history[0].new) == set(MEMBER_FIELDS)
    assert history[0].new["name"] == "ООО «Камский литейный завод»"
    assert set(history[5].new) == set(LINK_FIELDS) and history[5].new["share"] == 0.35
    assert history[13].old["name"] == "Бывший" and history[13].old["organising_production"] == 0
    assert (history[10].old, history[10].new) == ({"share": 0.35}, {"share": 0.4})
    # The file as it was, next to it, byte-identical in content (a format-2 release opens it).
    kept = tmp_path / "cluster.format2.cdesk"
    assert file_version(kept) == 2
    conn_a, conn_b = sqlite3.connect(kept), sqlite3.connect(FIXTURE)
    for table in ("members", "links", "changes", "meta", "settings"):
        q = f"SELECT * FROM {table} ORDER BY rowid"
        assert conn_a.execute(q).fetchall() == conn_b.execute(q).fetchall()
    assert conn_a.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    conn_a.close()
    conn_b.close()
    assert FIXTURE.read_bytes() == original
    # Opening again neither migrates nor copies again; editing works on the new fields.
    with Project.open(path) as p:
        p.update_link(replace(p.link("l-supply"), volume=1.5e6))
        assert p.link("l-supply").volume == 1.5e6
    assert sorted(x.name for x in tmp_path.iterdir()) == ["cluster.cdesk", "cluster.format2.cdesk"]


def test_a_second_old_copy_gets_a_new_name(tmp_path: Path) -> None:
    path = tmp_path / "cluster.cdesk"
    (tmp_path / "cluster.format2.cdesk").write_bytes(b"an earlier copy the user keeps")
    shutil.copyfile(FIXTURE, path)
    Project.open(path).close()
    assert (tmp_path / "cluster.format2.cdesk").read_bytes() == b"an earlier copy the user keeps"
    assert file_version(tmp_path / "cluster.format2-2.cdesk") == 2
