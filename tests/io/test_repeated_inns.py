"""Rows whose INN an earlier row had, in an import into an empty project (the bulk path: the rows
left out are dropped from the batch without a search for them, ``MemberBatch.without``): the rows
stored, in order, and the notes, against what the rule says row by row (a row is left out when a
row before it had its INN), for batches with a few such rows, more than ``memberbatch.FEW``,
and none kept at all."""

from __future__ import annotations

import csv
import random

from cluster_desk.io import import_into
from cluster_desk.io.rowbatch import BATCH_ROWS
from cluster_desk.store.project import Project


def _inn(n: int) -> str:
    head = f"{160000000 + n:09d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return head + str(sum(int(d) * w for d, w in zip(head, weights, strict=True)) % 11 % 10)


def _rows(seed: int) -> list[tuple[str, str]]:
    """(name, INN) per row: a first batch with three repeats, a second with 150 (more than FEW),
    a third whose every row repeats an INN of the first, a fourth at random, and rows with none."""
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    first = [_inn(i) for i in range(BATCH_ROWS)]
    for k in (5, 700, 2001):
        first[k + 1] = first[k]  # repeats inside the first batch
    rows += [(f"Завод {len(rows) + i}", inn) for i, inn in enumerate(first)]
    second = [_inn(10_000 + i) for i in range(BATCH_ROWS)]
    for k in rng.sample(range(BATCH_ROWS), 150):
        second[k] = rng.choice(first)
    rows += [(f"Завод {len(rows) + i}", inn) for i, inn in enumerate(second)]
    rows += [(f"Завод {len(rows) + i}", rng.choice(first)) for i in range(BATCH_ROWS)]
    rows += [(f"Завод {len(rows) + i}", "" if rng.random() < 0.1 else _inn(rng.randrange(20_000, 21_000)))
             for i in range(BATCH_ROWS + 77)]
    return rows


def test_repeated_inns_left_out_row_by_row(tmp_path):
    for seed in range(2):
        rows = _rows(seed)
        source = tmp_path / f"roster-{seed}.csv"
        with source.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(["Name", "INN", "Latitude", "Longitude"])
            out.writerows((name, inn, "55.79", "49.12") for name, inn in rows)
        # The rule, row by row: file row numbers start at 2 (the header is row 1).
        seen: dict[str, int] = {}
        kept: list[str] = []
        repeats: list[tuple[int, str, int]] = []
        for number, (name, inn) in enumerate(rows, start=2):
            if inn and inn in seen:
                repeats.append((number, inn, seen[inn]))
                continue
            if inn:
                seen[inn] = number
            kept.append(name)
        assert len(repeats) > BATCH_ROWS + 150  # the third batch keeps none of its rows
        path = tmp_path / f"project-{seed}.cdesk"
        with Project.create(path) as p:
            report = import_into(p, source)
            assert [m.name for m in p.members()] == kept
        assert report.added == len(kept) and len(report.added_ids) == len(kept)
        problems = [(q.row, q.value, q.params["first"]) for q in report.problems if q.code == "duplicate_inn"]
        assert problems == repeats
        assert all(q.field == "inn" and q.member for q in report.problems)


def test_repeated_inns_and_names_of_ten_and_twelve_digits(tmp_path, monkeypatch):
    """INNs of 10 and 12 digits (and the same digits with leading zeros: two INNs), before and
    past the key index's spill (INNs remembered as numbers), with names that repeat in batches
    that also leave rows out: the rows stored and both kinds of note, against the rules row by
    row (a row is left out when a row before it had its INN; a row kept is noted when a row kept
    before it had its name)."""
    from cluster_desk.io import keyindex

    monkeypatch.setattr(keyindex.KeyIndex, "SPILL_KEYS", 3000)
    rng = random.Random(5)
    rows: list[tuple[str, str]] = []
    for i in range(3 * BATCH_ROWS + 500):  # ~1 % repeat an earlier row's INN: a few left out a batch
        inn = _inn(i) if i % 2 else f"{i:012d}"
        if rows and rng.random() < 0.01:
            inn = rng.choice(rows)[1]
        rows.append((f"Завод {rng.randrange(3000)}", "" if rng.random() < 0.05 else inn))
    rows[100:104] = [("Завод 1", "0012345678"), ("Завод 2", "000012345678"), ("Завод 3", "1234567890"),
                     ("Завод 4", "001234567890")]  # the same digits, other INNs
    source = tmp_path / "roster.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Name", "INN", "Latitude", "Longitude"])
        out.writerows((name, inn, "55.79", "49.12") for name, inn in rows)
    inns: dict[str, int] = {}
    names: dict[str, int] = {}
    kept: list[str] = []
    repeats: list[tuple[int, str, int]] = []
    same: list[tuple[int, str, int]] = []
    for number, (name, inn) in enumerate(rows, start=2):
        if inn and inn in inns:
            repeats.append((number, inn, inns[inn]))
            continue
        if inn:
            inns[inn] = number
        if name.casefold() in names:
            same.append((number, name, names[name.casefold()]))
        else:
            names[name.casefold()] = number
        kept.append(name)
    assert len(repeats) > 50 and len(same) > 500
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, source)
        assert [m.name for m in p.members()] == kept
    assert [(q.row, q.value, q.params["first"]) for q in report.problems] == repeats
    assert [(q.row, q.value, q.params["first"]) for q in report.warnings if q.code == "same_name"] == same
