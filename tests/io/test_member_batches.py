"""The import's bulk path (members as column batches from the reader to ``add_member_columns``) gives
what the careful path gives: the same members stored, the same change log, the same report (every
problem and warning, counts, conflicts, the preview's listing), on messy rows into a project that
already has members (matches by id, INN and name; an ambiguous name; a conflict; duplicates)."""

from __future__ import annotations

import csv
import dataclasses
import random
import shutil
from collections import Counter

import pytest

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.io import ImportOptions, import_into, roster, rowbatch
from cluster_desk.store.project import Project

HEADER = ["Наименование", "Тип", "ИНН", "Широта", "Долгота", "Численность", "Дата вступления", "Id",
          "Примечания"]
PROJECT = [
    Member("ООО «Кама»", inn="7707083893", lat=55.79, lon=49.12, id="m-kama"),
    Member("АО «Волга»", inn="1655000003", lat=55.8, lon=49.2, id="m-volga"),
    Member("Двойник", lat=55.7, lon=49.0, id="m-twin-1"),
    Member("ДВОЙНИК", lat=55.6, lon=49.1, id="m-twin-2"),  # the same name key: ambiguous
    Member("ПАО «Ока»", kind=MemberKind.RESEARCH, inn="500100732259", id="m-oka"),
]
POOLS = {
    "Наименование": ["ООО «Кама»", "ооо кама", "АО «Волга»", "Двойник", "", "'=cmd", "x" * 10_001],
    "Тип": ["firm", "Вуз", "", "н/д", "spaceship"],
    "ИНН": ["7707083893", "1655000003", "", "123", "500100732259", "1655000001", "н/д"],
    "Широта": ["55.79", "", "55,79", "95", "0", "49.12", "nan"],
    "Долгота": ["49.11", "", "49,11", "200", "0", "55.78", "inf"],
    "Численность": ["10", "", "-3", "1.5", "н/д", "1 200"],
    "Дата вступления": ["2020-01-01", "", "01.09.2016", "2020-02-30"],
    "Id": ["", "m-kama", "m-oka", "dup-1", "x" * 201],
    "Примечания": ["", "примечание", "\t=SUM(A1)", "'-x"],
}


def _write(path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        # The name of the project's «Кама» with another INN: a conflict.
        out.writerow(["ооо кама", "", "1655000001", "", "", "", "", "", ""])
        for i in range(n):
            if rng.random() < 0.85:  # a plain row of its own (a new member, most of the file)
                lat, lon = 55.0 + rng.random(), 49.0 + rng.random()
                if i % 151 == 0:
                    lat, lon = 49.5 + rng.random(), 55.5 + rng.random()  # swapped: far from the others
                row = [f"ООО «Завод {i % 1300}»", "firm", "", f"{lat:.5f}", f"{lon:.5f}", str(i % 500), "",
                       f"id-{i}" if i % 3 == 0 else "", ""]
            else:
                row = [rng.choice(POOLS[h]) for h in HEADER]
            out.writerow(row)


def _careful_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row to the careful per-row reader: the column reader takes none."""
    table = rowbatch.ColumnBatch.table

    def nothing_plain(self, rows):  # type: ignore[no-untyped-def]
        cols, bad, givens, inn_ok = table(self, rows)
        return cols, [True] * len(bad), givens, inn_ok

    monkeypatch.setattr(rowbatch.ColumnBatch, "table", nothing_plain)


def _normal(member_id: str, generated: str) -> str:
    """Ids the import made differ by a random prefix per import: compare the counter only."""
    return "new" + member_id[16:] if member_id.startswith(generated) else member_id


def _run(tmp_path, name: str, source, *, careful: bool, monkeypatch: pytest.MonkeyPatch, **kwargs):
    path = tmp_path / f"{name}.cdesk"
    with Project.create(path) as p:
        p.add_members(PROJECT)
    with monkeypatch.context() as m:
        if careful:
            _careful_only(m)
        with Project.open(path) as p:
            report = import_into(p, source, ImportOptions(resolutions={}), **kwargs)
            members = p.members()
            log = [(c.entity, c.entity_id, c.op, c.old, c.new) for c in p.history() if c.entity == "member"]
    added = set(report.added_ids) | {c.member_id for c in report.changes}
    # The ids this import made share one random prefix; the file's own ids (uuids) do not.
    prefixes = Counter(i[:16] for i in added if len(i) == 32)
    shared = [p for p, count in prefixes.items() if count > 1]
    assert len(shared) <= 1, shared
    generated = shared[0] if shared else "\0"
    members = [dataclasses.replace(x, id=_normal(x.id, generated)) for x in members]
    log = [(e, _normal(i, generated), *rest) for e, i, *rest in log]
    counts = (report.added, report.updated, report.unchanged, report.rows_read, report.partial)
    changes = [dataclasses.replace(c, member_id=_normal(c.member_id, generated)) for c in report.changes]
    sample = [dataclasses.replace(x, id=_normal(x.id, generated)) for x in report.sample]
    return (members, log, report.problems, report.warnings, counts, report.conflicts, changes,
            report.changes_not_listed, sample)


def test_bulk_import_equals_careful_import(tmp_path, monkeypatch):
    for seed in range(2):
        source = tmp_path / f"roster-{seed}.csv"
        _write(source, 2600, seed)
        fast = _run(tmp_path, f"fast-{seed}", source, careful=False, monkeypatch=monkeypatch, sample_size=30)
        slow = _run(tmp_path, f"slow-{seed}", source, careful=True, monkeypatch=monkeypatch, sample_size=30)
        parts = ("members", "log", "problems", "warnings", "counts", "conflicts", "changes", "not listed",
                 "sample")
        for got, want, what in zip(fast, slow, parts, strict=True):
            assert got == want, what
        members, log, problems, warnings, counts, conflicts, *_ = fast
        assert counts[0] > 1500 and counts[1] >= 1 and conflicts
        assert len(log) == len(members) + counts[1]  # each added member logged, each update too
        codes = {p.code for p in problems} | {w.code for w in warnings}
        assert {"duplicate_inn", "duplicate_match", "ambiguous_name", "same_name", "swap_suspected",
                "inn_check_digit", "empty_name", "duplicate_id"} <= codes, codes


def test_keys_past_the_spill_give_what_keys_in_memory_give(tmp_path, monkeypatch):
    """The ids, INNs and names seen so far in hashed arrays and a file (a big import's) answer as
    the dicts of a small import: the same duplicate ids, INNs and names reported, in both paths."""
    from cluster_desk.io.keyindex import KeyIndex

    source = tmp_path / "roster.csv"
    _write(source, 1500, 3)
    in_memory = _run(tmp_path, "memory", source, careful=False, monkeypatch=monkeypatch)
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 40)
    for careful in (False, True):
        spilled = _run(tmp_path, f"spilled-{careful}", source, careful=careful, monkeypatch=monkeypatch)
        assert spilled == in_memory
    problems = in_memory[2]
    assert sum(p.code == "duplicate_id" for p in problems) > 10
    assert len({p.row // 1024 for p in problems if p.code == "duplicate_id"}) == 2  # in both batches


def test_bulk_preview_equals_careful_preview(tmp_path, monkeypatch):
    source = tmp_path / "roster.csv"
    _write(source, 2600, 7)
    fast = _run(tmp_path, "fast", source, careful=False, monkeypatch=monkeypatch, dry_run=True, max_rows=2000)
    slow = _run(tmp_path, "slow", source, careful=True, monkeypatch=monkeypatch, dry_run=True, max_rows=2000)
    assert fast == slow
    _members, log, _problems, _warnings, counts, _conflicts, changes, *_ = fast
    assert counts[3:] == (2000, True) and len(changes) > 1500 and len(log) == len(PROJECT)


def test_swapping_on_request_and_the_whole_file(tmp_path, monkeypatch):
    source = tmp_path / "roster.csv"
    _write(source, 1500, 3)
    for options in (ImportOptions(swap_flagged=True), ImportOptions(swap_all=True)):
        got = []
        for careful in (False, True):
            path = tmp_path / f"swap-{careful}-{options.swap_all}.cdesk"
            with Project.create(path) as p, monkeypatch.context() as m:
                if careful:
                    _careful_only(m)
                report = import_into(p, source, options)
                got.append(([(x.name, x.lat, x.lon) for x in p.members()], report.warnings))
        assert got[0] == got[1]
        if options.swap_flagged:
            assert any(w.code == "swapped_on_request" for w in got[0][1])


@pytest.mark.parametrize("suffix", [".geojson", ".kml"])
def test_geographic_files_in_batches_equal_the_careful_reader(tmp_path, monkeypatch, suffix):
    from cluster_desk.io import export_roster

    rng = random.Random(4)
    members = [Member(f"ООО «Завод {i}»", inn="7707083893" if i % 50 == 0 else "", employees=i,
                      lat=55 + rng.random(), lon=49 + rng.random()) for i in range(1200)]
    source = tmp_path / f"m{suffix}"
    export_roster(members, None, source)
    copy = tmp_path / f"copy{suffix}"
    shutil.copy(source, copy)
    fast = _run(tmp_path, "fast", source, careful=False, monkeypatch=monkeypatch)
    slow = _run(tmp_path, "slow", copy, careful=True, monkeypatch=monkeypatch)
    for got, want in zip(fast, slow, strict=True):
        if isinstance(got, list) and got and hasattr(got[0], "file"):
            got = [dataclasses.replace(x, file="") for x in got]
            want = [dataclasses.replace(x, file="") for x in want]
        assert got == want
    # 24 rows share the project's «Кама»'s INN: the first updates it, the others are reported.
    assert fast[4][:2] == (len(members) - 24, 1)


def test_a_big_import_logs_every_member_exactly_and_keeps_the_schema(tmp_path, monkeypatch):
    """Past one chunk the change log's entity index is built once at the end (store.bulklog):
    the log still reads back every stored value exactly, the file's schema is as before, and a
    cancelled import leaves the file (index included) as it was."""
    from cluster_desk.io import ImportCancelled

    CHUNK = 5000  # (the writes' chunk, as small as it was: the test stays quick)
    monkeypatch.setattr(roster, "CHUNK", CHUNK)
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Latitude", "Longitude", "Output, roubles"])
        for i in range(CHUNK + 300):
            # Every 7th position needs 17 digits: its log entry is rewritten by Python.
            lat = 55 + i / 7001 if i % 7 == 0 else 55 + (i % 1000) / 1000
            out.writerow([f"ООО «Завод {i}»", repr(lat), "49.5", str(0.1 + 0.2) if i % 5 == 0 else ""])
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(PROJECT)

    def stop_late(rows: int) -> None:
        if rows > CHUNK:
            raise ImportCancelled

    with Project.open(path) as p:
        with pytest.raises(ImportCancelled):
            import_into(p, source, progress=stop_late)
        assert p.members() == PROJECT
    with Project.open(path) as p:
        report = import_into(p, source)
        assert report.added == CHUNK + 300
        members = {m.id: m for m in p.members()}
        logged = {c.entity_id: c.new for c in p.history() if c.entity == "member" and c.op == "insert"}
        assert len(logged) == len(members)
        for mid, m in members.items():
            assert [logged[mid][f] for f in ("lat", "lon", "output")] == [m.lat, m.lon, m.output], mid
        assert sum(m.lat is not None and len(repr(m.lat)) > 16 for m in members.values()) > 500, "17 digits"
    with Project.open(path) as p:  # the file check compares the schema exactly
        assert p.check() == []
        index = p._c().execute("SELECT sql FROM sqlite_schema WHERE name = 'changes_entity'").fetchone()
        assert index == ("CREATE INDEX changes_entity ON changes (entity_id)",)


def test_key_repeats_of_a_batch_equal_one_at_a_time(monkeypatch):
    from cluster_desk.io.keyindex import KeyIndex

    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 700)  # the batches cross into the on-disk table
    rng = random.Random(2)
    batched, single = KeyIndex(), KeyIndex()
    try:
        row = 0
        for _ in range(60):
            keys = [str(rng.randrange(1500)) for _ in range(rng.randrange(1, 60))]
            rows = list(range(row, row + len(keys)))
            row += len(keys)
            one = [single.first(1, k, r) for k, r in zip(keys, rows, strict=True)]
            assert batched.repeats(1, keys, rows) == [(k, f) for k, f in enumerate(one) if f is not None]
        assert batched._seen is None  # spilled
    finally:
        batched.close()
        single.close()


def test_an_import_that_drops_the_id_index_equals_one_that_keeps_it(tmp_path, monkeypatch):
    """Written in chunks past the members' count, the import drops the id index and builds it at
    the end (store.edits, format 5); the updates in the same import build it back first. The
    result is what one plain write gives: members, log, every problem (repeated ids and INNs
    with their rows), the counts; the file's schema as it should be."""
    from cluster_desk.io import roster
    from cluster_desk.store import edits, schema

    source = tmp_path / "roster.csv"
    _write(source, 2600, 5)
    plain = _run(tmp_path, "plain", source, careful=False, monkeypatch=monkeypatch)
    statements: list[str] = []
    monkeypatch.setattr(roster, "CHUNK", 300)
    monkeypatch.setattr(edits, "MEMBERS_REBUILD", 400)
    open_ = Project.open
    monkeypatch.setattr(Project, "open", lambda *a, **k: _traced(open_(*a, **k), statements))
    chunked = _run(tmp_path, "chunked", source, careful=False, monkeypatch=monkeypatch)
    assert statements == ["DROP INDEX members_id", "CREATE UNIQUE INDEX members_id ON members (id)"]
    assert chunked == plain
    problems = plain[2]
    assert {"duplicate_id", "duplicate_inn"} <= {p.code for p in problems}
    assert all(p.row > 0 and p.field for p in problems if p.code in ("duplicate_id", "duplicate_inn"))
    with Project.open(tmp_path / "chunked.cdesk") as p:
        assert schema.schema_objects(p._c()) == schema.expected_objects(schema.current_version())
        assert p.check() == []
        ids = [m.id for m in p.members()]
        assert len(ids) == len(set(ids)) == plain[4][0] + len(PROJECT)


def _traced(p: Project, statements: list[str]) -> Project:
    p._c().set_trace_callback(lambda s: statements.append(s) if "members_id" in s else None)
    return p


def test_progress_and_the_bulk_path_do_not_follow_the_write_chunk(tmp_path):
    """Writes are CHUNK rows, but the progress callback still comes every PROGRESS_ROWS rows read;
    an import of BULK_ROWS rows or more into a small project defers the change log's entity
    index to one build at the end, and drops the members' id index from its first write on
    (MEMBERS_REBUILD: before, the first 15,000 rows of every big import went into the live index
    at random places, ~4 % of a 20,000-row import's instructions)."""
    from cluster_desk.store import edits

    assert roster.CHUNK > roster.BULK_ROWS == roster.PROGRESS_ROWS >= edits.MEMBERS_REBUILD
    rows = roster.BULK_ROWS + 700
    source = tmp_path / "roster.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Name", "Latitude", "Longitude"])
        for i in range(rows):
            out.writerow([f"ООО «Завод {i}»", f"{55 + i / 10_000:.5f}", "49.5"])
    seen: list[int] = []
    statements: list[str] = []
    with Project.create(tmp_path / "p.cdesk") as p:
        p._c().set_trace_callback(lambda s: statements.append(s) if " INDEX " in s else None)
        report = import_into(p, source, progress=seen.append)
        assert report.added == rows
        assert len(p.history()) == rows
        assert p.check() == []
    assert seen == [roster.PROGRESS_ROWS, rows]
    assert [s.split(" ON ")[0] for s in statements] == [
        "DROP INDEX changes_entity", "DROP INDEX members_id", "CREATE UNIQUE INDEX members_id",
        "CREATE INDEX changes_entity"]


def test_the_same_roster_again_changes_nothing_and_one_value_changed_updates_that_member(tmp_path):
    """A row giving its member exactly the values it has is no change (compared on the batch's
    columns, no member built: ``Plan._gives_what_it_has``); one changed value is an update of that
    member alone, and a name typed in other letter case is still no change."""
    source = tmp_path / "roster.csv"
    rows = [[f"ООО «Завод {i}»", "firm", "", f"{55 + i / 1000:.5f}", "49.10000", str(i), "", f"id-{i}", ""]
            for i in range(300)]

    def write(changed: dict[int, list[str]]) -> None:
        with source.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(HEADER)
            out.writerows(changed.get(i, row) for i, row in enumerate(rows))

    path = tmp_path / "p.cdesk"
    write({})
    with Project.create(path) as p:
        assert import_into(p, source).added == 300
        logged = p.last_seq()
        again = import_into(p, source)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 300) and p.last_seq() == logged
        write({7: [*rows[7][:5], "999", *rows[7][6:]], 8: ["ооо «завод 8»", *rows[8][1:]]})
        changed = import_into(p, source)
        assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 299)
        stored = {m.id: m for m in p.members()}
        assert stored["id-7"].employees == 999 and stored["id-8"].name == "ООО «Завод 8»"


def test_an_import_keeps_what_another_program_wrote_after_it_read_the_member(tmp_path, monkeypatch):
    """The import reads the members its rows match a batch at a time (``members_with_ids``) and
    writes only the fields a row changed, against the record as it read it: a field another
    program changed in between is kept, not overwritten with the value the import read."""
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members([Member("ООО «Кама»", inn="7707083893", employees=10, id="m-kama")])
    source = tmp_path / "roster.csv"
    source.write_text("Наименование,ИНН,Численность,Id\nООО «Кама»,7707083893,20,m-kama\n", encoding="utf-8")
    read = Project.members_with_ids

    def read_then_another_program_writes(self: Project, ids: list[str]) -> list[Member]:
        got = read(self, ids)
        with Project.open(path) as other:
            other.update_member(dataclasses.replace(other.member("m-kama"), notes="звонили 3 декабря"))
        return got

    monkeypatch.setattr(Project, "members_with_ids", read_then_another_program_writes)
    with Project.open(path) as p:
        report = import_into(p, source)
    assert (report.added, report.updated) == (0, 1)
    with Project.open(path) as p:
        stored = p.member("m-kama")
    assert stored.employees == 20 and stored.notes == "звонили 3 декабря"


def test_a_matched_member_another_program_deleted_meanwhile_stops_the_import_with_its_reason(tmp_path,
                                                                                           monkeypatch):
    """The import reads the project's ids first and a batch's matched records later: a member
    deleted in between is the store's RecordGone (one line the window shows), nothing written."""
    from cluster_desk.store.errors import RecordGone

    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members([Member("ООО «Кама»", inn="7707083893", employees=10, id="m-kama"),
                       Member("АО «Волга»", id="m-volga")])
    source = tmp_path / "roster.csv"
    source.write_text("Наименование,Численность,Id\nООО «Кама»,20,m-kama\nНовая,5,\n", encoding="utf-8")
    keys = Project.member_keys

    def keys_then_another_program_deletes(self: Project, *args: object) -> object:
        chunks = list(keys(self, *args))
        with Project.open(path) as other:
            other.delete_member("m-kama")
        yield from chunks

    monkeypatch.setattr(Project, "member_keys", keys_then_another_program_deletes)
    with Project.open(path) as p, pytest.raises(RecordGone, match="deleted in another window or program"):
        import_into(p, source)
    with Project.open(path) as p:
        assert [m.id for m in p.members()] == ["m-volga"]  # (the other program's delete; nothing added)
