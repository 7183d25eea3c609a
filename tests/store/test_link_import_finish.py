"""The end of a bulk links import (issue 17): the links' id is a UNIQUE index since format 4 (a
bulk import drops it and builds it once at the end); the end's steps (the ends checked, the three
indexes built, the log written) tick the progress, and Cancel at any of them rolls everything back;
a format-3 file migrates keeping every link at its rowid."""

from __future__ import annotations

import gc
import shutil
import sqlite3

import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io import ImportCancelled
from cluster_desk.io import links as links_module
from cluster_desk.io.links import LinkRows, import_link_rows
from cluster_desk.store import Project, bulklog, schema
from cluster_desk.store import link_import as link_import_module

MEMBERS = [Member(f"Звено {i}", id=f"m{i}") for i in range(12)]
COLUMNS = {0: "source_id", 1: "target_id", 2: "start"}
ROWS = [(i + 2, [f"m{i % 12}", f"m{(i * 5 + 1) % 12}", f"{2000 + i // 12}-01-01"]) for i in range(300)]


def _state(path) -> tuple[list[tuple], list[tuple], frozenset]:
    conn = sqlite3.connect(path)
    try:
        log = [*conn.execute("SELECT * FROM changes ORDER BY seq"),
               *conn.execute("SELECT * FROM logged_links ORDER BY seq")]  # (a bulk insert's run)
        return (conn.execute("SELECT rowid, * FROM links ORDER BY rowid").fetchall(), log,
                schema.schema_objects(conn))
    finally:
        conn.close()


def _import(path, progress) -> None:
    with Project.open(path) as p:
        import_link_rows(p, LinkRows(COLUMNS, iter(ROWS)), "f.csv", progress=progress)


def test_cancel_at_any_step_after_the_last_batch_rolls_everything_back(tmp_path, monkeypatch):
    monkeypatch.setattr(links_module, "BATCH_ROWS", 64)  # 5 batches
    monkeypatch.setattr(link_import_module, "BULK_REBUILD", 50)  # the indexes dropped and built again
    monkeypatch.setattr(link_import_module, "_LOG_STEP", 100)  # the log in 3 statements
    base = tmp_path / "base.cdesk"
    with Project.create(base) as p:
        p.add_members(MEMBERS)
        p.add_links([Link("m0", "m1", LinkKind.RND, id="old")])
    before = _state(base)
    calls: list[int] = []
    done = tmp_path / "done.cdesk"
    shutil.copyfile(base, done)
    _import(done, calls.append)
    links, log, objects = _state(done)
    assert len(links) == 301 and len(log) == len(before[1]) + 300 + 3 and objects == before[2]  # 3 runs
    assert calls[:5] == [64, 128, 192, 256, 300] and set(calls[5:]) == {300}  # the batches', then the end's
    assert len(calls) - 5 >= 1 + 3 + 3 + 1  # ends checked, 3 indexes, 3 log statements, the end
    for cancel_at in range(5, len(calls)):
        path = tmp_path / f"cancel{cancel_at}.cdesk"
        shutil.copyfile(base, path)
        seen: list[int] = []

        def progress(rows: int, seen=seen, cancel_at=cancel_at) -> None:
            seen.append(rows)
            if len(seen) > cancel_at:
                raise ImportCancelled

        with pytest.raises(ImportCancelled):
            _import(path, progress)
        assert _state(path) == before, cancel_at
        with Project.open(path) as p:  # (the schema check on open: every index as it was)
            assert [lk.id for lk in p.links()] == ["old"]


def test_a_duplicate_id_in_a_bulk_import_fails_at_the_id_index_and_rolls_back(tmp_path, monkeypatch):
    monkeypatch.setattr(link_import_module, "BULK_REBUILD", 2)
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(MEMBERS)
    before = _state(path)
    row = ("same", "m1", "m2", "other", None, None, "", None, None, "")
    with Project.open(path) as p, pytest.raises(ValueError, match=r"UNIQUE constraint failed: links\.id"), \
            p.link_import() as w:
        w.insert([row, (*row[:3], "rnd", *row[4:])])
    assert _state(path) == before


def test_a_format_3_file_migrates_keeping_every_link_at_its_rowid(tmp_path):
    path = tmp_path / "v3.cdesk"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, schema.MIGRATIONS[:3])
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO members (id, name, kind, status, sector, industry, address, inn, website, "
                     "contact, notes, special_territory, organising_production) "
                     "VALUES (?, ?, 'firm', 'member', '', 'unspecified', '', '', '', '', '', '', 0)",
                     [(m.id, m.name) for m in MEMBERS])
    conn.executemany('INSERT INTO links (rowid, id, source, target, kind, start, share, notes, "end", '
                     "volume, contract) VALUES (?, ?, ?, ?, 'supply', ?, 0.25, 'n', NULL, 0.1, 'c')",
                     [(rowid, f"L{rowid}", "m1", f"m{rowid % 11 + 2}", f"20{rowid % 90:02d}-01-01")
                      for rowid in (3, 7, 8, 20)])
    conn.execute("COMMIT")
    rows = conn.execute("SELECT rowid, * FROM links ORDER BY rowid").fetchall()
    conn.close()
    with Project.open(path) as p:
        got = [(lk.id, lk.share, lk.volume) for lk in p.links()]
        assert got == [(f"L{r}", 0.25, 0.1) for r in (3, 7, 8, 20)]
        p.add_link(Link("m1", "m2", LinkKind.RND, id="new"))
        with pytest.raises(ValueError, match="'L7' already exists"):
            p.add_link(Link("m3", "m4", LinkKind.RND, id="L7"))
    links, _log, objects = _state(path)
    assert links[:4] == rows and links[4][:2] == (21, "new")
    assert objects == schema.expected_objects(schema.current_version())
    assert ("index", "links_id", "links", "CREATE UNIQUE INDEX links_id ON links (id)") in objects


def test_the_bulk_insert_stores_none_as_null_and_values_as_they_are(tmp_path):
    # None is bound as "" and made NULL again by NULLIF in the INSERT (see link_import._NULLABLE)
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(MEMBERS)
    rows = [(f"L{i}", "m1", f"m{2 + i % 9}", "other", ["2020-01-01", None][i % 2], [0.25, None, 0.0][i % 3],
             "", [None, "2021-02-03"][i % 2], [None, 1.5, 0.0][i % 3], "") for i in range(12)]
    rows += [("all-none", "m3", "m4", "rnd", None, None, "", None, None, "")]
    with Project.open(path) as p, p.link_import() as w:
        w.insert_columns(tuple(zip(*rows, strict=True)))
    conn = sqlite3.connect(path)
    try:
        got = conn.execute('SELECT id, source, target, kind, start, share, notes, "end", volume, contract '
                           "FROM links ORDER BY rowid").fetchall()
        assert conn.execute("SELECT count(*) FROM links WHERE start = '' OR share = '' OR \"end\" = '' "
                            "OR volume = ''").fetchone()[0] == 0
    finally:
        conn.close()
    assert got == rows


def test_an_import_leaves_the_page_cache_and_the_cycle_collector_as_they_were(tmp_path, monkeypatch):
    # The import pauses the cycle collector and builds each index with a small page cache
    # (bulklog.INDEX_SORT_CACHE_KIB): both are back as they were after it, and after a cancel.
    monkeypatch.setattr(links_module, "BATCH_ROWS", 64)
    monkeypatch.setattr(link_import_module, "BULK_REBUILD", 50)
    base = tmp_path / "base.cdesk"
    with Project.create(base) as p:
        p.add_members(MEMBERS)
    assert gc.isenabled()
    for cancel in (False, True):
        path = tmp_path / f"{cancel}.cdesk"
        shutil.copyfile(base, path)
        calls: list[bool] = []

        def progress(rows: int, calls: list[bool] = calls, cancel: bool = cancel) -> None:
            calls.append(gc.isenabled())
            if cancel and len(calls) == 5 + 2:  # 5 batches, the ends' tick, the id index: the source index's
                raise ImportCancelled

        with Project.open(path) as p:
            conn = p._c()
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            assert cache != bulklog.INDEX_SORT_CACHE_KIB
            if cancel:
                with pytest.raises(ImportCancelled):
                    import_link_rows(p, LinkRows(COLUMNS, iter(ROWS)), "f.csv", progress=progress)
            else:
                import_link_rows(p, LinkRows(COLUMNS, iter(ROWS)), "f.csv", progress=progress)
            assert len(calls) >= 7 and not any(calls)  # paused from the first batch to the log
            assert gc.isenabled() and conn.execute("PRAGMA cache_size").fetchone()[0] == cache
            assert len(p.links()) == (0 if cancel else 300)
        assert _state(path)[2] == schema.expected_objects(len(schema.MIGRATIONS))


def test_the_import_runs_with_its_own_small_page_cache_in_the_callers_transaction_too(tmp_path, monkeypatch):
    # The whole import (batches and end steps) runs with link_import.IMPORT_CACHE_KIB, in its own
    # transaction and joined to the caller's; the project's cache is back after it, the links in.
    monkeypatch.setattr(links_module, "BATCH_ROWS", 64)
    for joined in (False, True):
        path = tmp_path / f"{joined}.cdesk"
        with Project.create(path) as p:
            p.add_members(MEMBERS)
            conn = p._c()
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            assert cache != link_import_module.IMPORT_CACHE_KIB
            seen: list[int] = []

            def progress(rows: int, conn: sqlite3.Connection = conn, seen: list[int] = seen) -> None:
                seen.append(conn.execute("PRAGMA cache_size").fetchone()[0])

            if joined:
                with p.transaction():
                    import_link_rows(p, LinkRows(COLUMNS, iter(ROWS)), "f.csv", progress=progress)
            else:
                import_link_rows(p, LinkRows(COLUMNS, iter(ROWS)), "f.csv", progress=progress)
            assert len(seen) >= 5 and set(seen) == {link_import_module.IMPORT_CACHE_KIB}
            assert conn.execute("PRAGMA cache_size").fetchone()[0] == cache
            assert len(p.links()) == 300
