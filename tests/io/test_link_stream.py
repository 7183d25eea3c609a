"""The streamed links import (io/linkstream.py, store/link_import.py) does what the preview's
planner (the rules as they were, every link in dictionaries) says it will: the same counts,
warnings, problems and links, across batch boundaries, with repeats, id matches, stored links
updated and changed back; its change log reads back the stored values; a bad end rolls it all
back; and a preview reads only the stored links its rows can match."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io import links as links_module
from cluster_desk.io import linkstream
from cluster_desk.io.links import LinkRows, import_link_rows
from cluster_desk.io.linkstream import HashRuns
from cluster_desk.store import Project
from cluster_desk.store import link_import as link_import_module

MEMBERS = [Member(f"ООО «Звено {i}»", inn="", id=f"m{i}") for i in range(12)]
KINDS = ["поставка промышленной продукции", "СПИК", "совместные НИОКР", "spaceship"]
COLUMNS = {0: "source", 1: "target", 2: "kind", 3: "start", 4: "volume", 5: "id", 6: "contract"}


def _rows(n: int, seed: int) -> list[tuple[int, list[str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b = rng.randrange(12), rng.randrange(12)
        lid = rng.choice(["", "", "", f"L{rng.randrange(40)}"])
        volume = rng.choice(["", "1000", str(0.1 + 0.2), f"{rng.uniform(0, 1e6):.3f}", "-5"])
        row = [f"ООО «Звено {a}»", f"m{b}", rng.choice(KINDS), rng.choice(["", "2020-01-01", "2021-05-05"]),
               volume, lid, f"№ {rng.randrange(3)}"]
        out.append((i + 2, row))
    return out


def _stored() -> list[Link]:
    return [Link("m0", "m1", LinkKind.SUPPLY, id="L1", start="2020-01-01", volume=1000.0, contract="№ 0"),
            Link("m2", "m3", LinkKind.SPECIAL_INVESTMENT, id="S2"), Link("m4", "m5", LinkKind.RND, id="L7")]


def _project(path, links: list[Link]) -> None:
    with Project.create(path) as p:
        p.add_members(MEMBERS)
        p.add_links(links)


def _report(p, rows, *, dry_run: bool):
    return import_link_rows(p, LinkRows(COLUMNS, iter(rows)), "f.csv", dry_run=dry_run, sample_size=10**6,
                            default_kind=LinkKind.OTHER)


@pytest.mark.parametrize("seed", range(4))
def test_the_streamed_import_does_what_the_preview_plans(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(links_module, "BATCH_ROWS", 37)  # many batches: repeats across their edges
    monkeypatch.setattr(link_import_module, "BULK_REBUILD", 50)  # the index drop and rebuild too
    rows = _rows(600, seed)
    path = tmp_path / "p.cdesk"
    _project(path, _stored())
    with Project.open(path) as p:
        plan = _report(p, rows, dry_run=True)
        done = _report(p, rows, dry_run=False)
        stored = {lk.id: lk for lk in p.links()}
        log = p._c().execute("SELECT entity_id, op, new FROM changes WHERE entity = 'link'").fetchall()
    assert (done.added, done.updated, done.unchanged) == (plan.added, plan.updated, plan.unchanged)
    assert done.added > 50 and done.updated and plan.warnings and plan.problems
    assert done.warnings == plan.warnings and done.problems == plan.problems
    # The planner's links as they will be stored (new links' generated ids aside) are the file's now.
    planned = {lk.id: lk for lk in plan.sample}
    final = {(lk.source, lk.target, lk.kind, lk.start, lk.volume, lk.contract) for lk in stored.values()}
    planned_final = {(lk.source, lk.target, lk.kind, lk.start, lk.volume, lk.contract)
                     for lk in {**{lk.id: lk for lk in _stored()}, **planned}.values()}
    assert final == planned_final
    # One insert entry per new link, holding the stored values exactly (0.1 + 0.2 included).
    old = {"L1", "S2", "L7"}
    inserts = {lid: json.loads(new) for lid, op, new in log if op == "insert" and lid not in old}
    assert len(inserts) == done.added
    for lid, values in inserts.items():
        assert values[7] == stored[lid].volume
    with Project.open(path) as p:  # indexes as the schema wants them; the same file again, as planned
        plan = _report(p, rows, dry_run=True)
        again = _report(p, rows, dry_run=False)
        assert (again.added, again.updated, again.unchanged) == (plan.added, plan.updated, plan.unchanged)
        assert again.unchanged > 200  # (a few rows give one id other ends: those links flip back)
    plain = [(n, [*row[:5], f"U{n}", row[6]]) for n, row in rows]  # every id once: nothing changes
    with Project.open(path) as p:
        first = _report(p, plain, dry_run=False)
        again = _report(p, plain, dry_run=False)
        assert first.added + first.updated > 30 and (again.added, again.updated) == (0, 0)


def test_a_link_to_a_member_that_is_not_there_rolls_the_whole_import_back(tmp_path, monkeypatch):
    monkeypatch.setattr(link_import_module, "BULK_REBUILD", 5)
    path = tmp_path / "p.cdesk"
    _project(path, [])
    rows = [Link(f"m{i % 12}", f"m{(i + 1) % 12}", start=f"20{10 + i % 10}-01-01") for i in range(40)]
    with Project.open(path) as p, p.link_import() as writer:
        writer.insert([(lk.id, lk.source, lk.target, "other", lk.start, None, "", None, None, "")
                       for lk in rows])
    with Project.open(path) as p:
        assert len(p.links()) == 40
        with pytest.raises(ValueError, match="'ghost' does not exist"), p.link_import() as writer:
            writer.insert([("x1", "m1", "m2", "other", None, None, "", None, None, ""),
                           ("x2", "m1", "ghost", "other", None, None, "", None, None, "")] * 1)
        assert len(p.links()) == 40
        assert p._c().execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(ValueError, match="link 'x3'"), p.link_import() as writer:
            writer.insert([("x3", "m1", "m1", "other", None, None, "", None, None, "")])  # to itself
    with Project.open(path) as p:  # the schema check refuses missing or different indexes
        assert len(p.links()) == 40 and p.delete_member("m1")[1]


def test_a_preview_reads_only_the_links_its_rows_can_match(tmp_path):
    path = tmp_path / "p.cdesk"
    many = [Link(f"m{i % 12}", f"m{(i + 5) % 12}", LinkKind.OTHER, start=f"{1900 + i}-01-01")
            for i in range(300)]
    _project(path, [*many, *_stored()])
    rows = [(2, ["ООО «Звено 0»", "m1", "поставка промышленной продукции", "2020-01-01", "2000", "", "№ 0"]),
            (3, ["ООО «Звено 2»", "m3", "СПИК", "", "", "S2", ""])]
    with Project.open(path) as p:
        read: list[int] = []
        real = p.links_matching
        p.links_matching = lambda ids, ends: read.append(1) or real(ids, ends)  # type: ignore[method-assign]
        p.links = None  # type: ignore[method-assign,assignment]  # reading every link would fail
        report = import_link_rows(p, LinkRows(COLUMNS, iter(rows)), "f.csv", dry_run=True, max_rows=2000,
                                  sample_size=5)
        assert read and len(real({"S2"}, {"m0", "m1", "m2", "m3"})) < 120
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert [lk.id for lk in report.sample] == ["L1", "S2"]


def test_hash_runs_answer_as_a_dictionary_does():
    rng = np.random.default_rng(5)
    runs, reference = HashRuns(), {}
    for _ in range(60):
        keys = rng.integers(-(2**62), 2**62, size=int(rng.integers(1, 300)))
        keys[: len(keys) // 3] = rng.integers(0, 400, size=len(keys) // 3)  # repeats, within and across
        values = rng.integers(0, 10**9, size=len(keys))
        runs.add(keys, values)
        reference.update(zip(keys.tolist(), values.tolist(), strict=True))
        probe = np.concatenate([keys[:50], rng.integers(0, 800, size=50)])
        assert runs.get(probe).tolist() == [reference.get(k, -1) for k in probe.tolist()]
    assert len(runs._runs) < 12


def test_hash_runs_of_value_rows_answer_as_a_dictionary_does():
    rng = np.random.default_rng(6)
    runs, reference = HashRuns(2), {}
    assert runs.get(np.array([1, 2])).tolist() == [[-1, -1], [-1, -1]]
    for _ in range(40):
        keys = rng.integers(0, 500, size=int(rng.integers(1, 200)))
        values = rng.integers(0, 10**6, size=(len(keys), 2))
        runs.add(keys, values)
        reference.update(zip(keys.tolist(), map(tuple, values.tolist()), strict=True))
        probe = rng.integers(0, 1000, size=80)
        got = list(map(tuple, runs.get(probe).tolist()))
        assert got == [reference.get(k, (-1, -1)) for k in probe.tolist()]


def test_key_hashes_of_columns_are_the_hashes_of_the_keys_of_the_rows():
    rng = random.Random(5)
    ends = ["m1", "m2", "Ёж", "ёж", "a", "b\u00e9", "z"]
    kinds = [k.value for k in LinkKind]
    rows = [(f"L{i}", *rng.sample(ends, 2), rng.choice(kinds), rng.choice([None, "", "2020-01-01"]),
             None, "", None, None, "") for i in range(500)]
    columns = tuple(zip(*rows, strict=True))
    want = np.fromiter(map(hash, linkstream.keys_of(rows)), dtype=np.int64, count=len(rows))
    assert np.array_equal(linkstream.key_hashes_of_columns(columns), want)
    assert {k.value for k in linkstream.DIRECTED_KINDS} & set(columns[3])  # both sorts of kinds met
    assert set(columns[3]) - {k.value for k in linkstream.DIRECTED_KINDS}


def test_the_same_file_again_with_one_value_changed_updates_that_link_alone(tmp_path, monkeypatch):
    """A batch naming one run of stored links is compared in one read (``same_run``): a batch
    holding a changed value must still find it, and the batches around it change nothing."""
    monkeypatch.setattr(links_module, "BATCH_ROWS", 10)
    path = tmp_path / "p.cdesk"
    _project(path, [])
    rows = [(n + 2, ["ООО «Звено 0»", f"m{1 + n % 11}", "СПИК", f"{1990 + n}-01-01", "", f"U{n}", "№ 1"])
            for n in range(45)]
    with Project.open(path) as p:
        assert _report(p, rows, dry_run=False).added == 45
        changed = [(n, [*row[:6], "№ 2" if n == 25 else row[6]]) for n, row in rows]
        again = _report(p, changed, dry_run=False)
        assert (again.added, again.updated, again.unchanged) == (0, 1, 44)
        assert {lk.id: lk.contract for lk in p.links()}["U23"] == "№ 2"
        p.delete_link("U30")  # a run with a link gone: that batch is not the stored run
        later = _report(p, changed, dry_run=False)
        assert (later.added, later.updated, later.unchanged) == (1, 0, 44)
