"""The column-at-a-time reader (io/rowbatch.py) takes only rows it reads exactly as the careful
per-row reader does: the same members and the same reports, in the same order, on messy rows."""

from __future__ import annotations

import dataclasses
import random
import sys

import pytest

from cluster_desk.io import rows as rows_module
from cluster_desk.io.cells import inn_check_ok
from cluster_desk.io.errors import ImportResult
from cluster_desk.io.rowbatch import BATCH_ROWS, _transposed, inn_check_flags
from cluster_desk.io.rows import iter_members

HEADER = ["name", "kind", "inn", "lat", "lon", "employees", "joined", "output", "notes", "id"]
CELLS = {
    "name": ["ООО «Кама»", "", "  ", "'=cmd", "x" * 10_001, "Кама-2", "'+7 900"],
    "kind": ["firm", "Вуз", "", "н/д", "spaceship", "research"],
    "inn": ["7707083893", "1655000001", "", "123", "1.23E+11", "500100732259", "н/д", "77070838930"],
    "lat": ["55.79", "", "55,79", "95", "0", "49.12", "nan", "55°47′N", "  "],
    "lon": ["49.11", "", "49,11", "200", "0", "55.78", "inf", "49 06 36"],
    "employees": ["10", "", "-3", "1.5", "н/д", "1 200", "many", "200000000"],
    "joined": ["2020-01-01", "", "01.09.2016", "2020-02-30", "soon"],
    "output": ["1000", "", "1 250 000,50", "1,25 млн", "-5", "н/д", "lots"],
    "notes": ["", "примечание", "\t=SUM(A1)", "'-x"],
    "id": ["", "", "", "dup-1", "dup-1", "x" * 201],
}


def _rows(n: int, seed: int) -> list[tuple[int, list[str]]]:
    rng = random.Random(seed)
    # Mostly plain cells (the first two of each list), so both readers get many rows.
    return [(i + 2, [rng.choice(CELLS[h][:2] if rng.random() < 0.9 else CELLS[h]) for h in HEADER])
            for i in range(n)]


def _read(rows, *, batched: bool, header=HEADER):
    fields = {h: i for i, h in enumerate(header) if h in HEADER}
    result = ImportResult()
    # width=0 leaves the column reader out: every row goes through the careful reader.
    got = list(iter_members(iter(rows), fields, "f.csv", result, width=len(header) if batched else 0))
    strip = [(no, dataclasses.replace(m, id=m.id if m.id.startswith(("dup", "x")) else ""), given)
             for no, m, given in got]
    return strip, result.problems, result.warnings


def test_batched_reading_equals_careful_reading():
    for seed in range(3):
        rows = _rows(1500, seed)
        batched = _read(rows, batched=True)
        assert batched == _read(rows, batched=False)
        assert len(batched[0]) > 300 and len(batched[1]) > 100 and len(batched[2]) > 100


def test_batched_reading_equals_careful_reading_without_id_or_coordinates():
    # Fields the file lacks take the member's defaults; a column mapped to nothing is skipped.
    keep = [i for i, h in enumerate(HEADER) if h not in ("id", "lat", "lon")]
    header = [HEADER[i] for i in keep] + ["ignored"]
    rows = [(no, [row[i] for i in keep] + ["x"]) for no, row in _rows(1500, 7)]
    batched = _read(rows, batched=True, header=header)
    assert batched == _read(rows, batched=False, header=header)
    assert len(batched[0]) > 300 and len(batched[1]) > 100 and len(batched[2]) > 100


def test_name_keys_of_a_batch_equal_one_at_a_time():
    from cluster_desk.io.names import NameKeys, name_key, name_keys

    pool = "aAoOkKhpxyΣσςßẞﬁ①İıÉé\u0301\u0308 \t\u00a0«»\"'`-–—_ёЁКама\u1100\u1161\u212b\0"
    rng = random.Random(11)
    memo = NameKeys()
    for _ in range(2000):
        count = rng.randrange(1, 6)
        names = ["".join(rng.choice(pool) for _ in range(rng.randrange(8))) for _ in range(count)]
        assert name_keys(names) == [name_key(n) for n in names], names
        memo.fill(names[:2])
        assert [memo(n) for n in names] == [name_key(n) for n in names]
    words = ["ООО", "Кама", "ab", "x-y", " ", "«Т»", ""]  # most batches: single spaces only
    for _ in range(2000):
        names = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 4))) for _ in range(3)]
        assert name_keys(names) == [name_key(n) for n in names], names
    from cluster_desk.io import names as names_module  # its list of whitespace is Python's
    assert set(names_module._OTHER_SPACES) == {chr(c) for c in range(sys.maxunicode + 1)
                                               if chr(c).isspace()} - {" "}


def test_inn_check_flags_match_the_one_at_a_time_check():
    rng = random.Random(1)
    inns = [str(rng.randrange(10**9, 10**10)) for _ in range(500)]
    inns += [str(rng.randrange(10**11, 10**12)) for _ in range(500)]
    inns += ["7707083893", "500100732259"]
    assert inn_check_flags(inns) == [inn_check_ok(s) for s in inns]
    assert inn_check_flags(["7707083893", "500100732259"]) == [True, True]


def _cells_reference(items, result):
    """iter_cells as it read every feature on its own (before the column reader)."""
    from cluster_desk.io.rows import Issue, _report, member_from_cells

    seen: dict[str, int] = {}
    for number, cells in items:
        member, issues, given = member_from_cells(cells)
        issues = [*getattr(cells, "notes", ()), *issues]
        if member is not None and member.id in seen:
            issues.append(Issue("id", member.id, f"appears twice in the file (first in feature "
                                f"{seen[member.id]}); ids must be unique", "duplicate_id",
                                {"first": seen[member.id]}))
            member = None
        name = member.name if member is not None else cells.get("name", "")
        if not _report(result, "f.geojson", number, "feature", issues, name) or member is None:
            continue
        seen[member.id] = number
        yield number, member, given


def test_batched_features_equal_features_read_one_by_one():
    from cluster_desk.io.rows import Cells, iter_cells

    cells = dict(CELLS, lat=[*CELLS["lat"], "٥٥", "1_0"], lon=[*CELLS["lon"], "49", "49"])
    rng = random.Random(5)
    items = []
    for i in range(1500):
        layout = HEADER if i % 3 else [h for h in HEADER if h not in ("lat", "id")]
        c = Cells({h: rng.choice(cells[h][:2] if rng.random() < 0.9 else cells[h]) for h in layout})
        if i % 97 == 0:
            c.notes.append(rows_module.Issue("geometry", "Polygon", "note", fatal=False))
        items.append((i + 1, c))

    def read(fn):
        result = ImportResult()
        got = [(no, dataclasses.replace(m, id=m.id if m.id.startswith(("dup", "x")) else ""), given)
               for no, m, given in fn(iter(items), result)]
        return got, result.problems, result.warnings

    batched = read(lambda it, r: iter_cells(it, "f.geojson", r))
    assert batched == read(_cells_reference)
    assert len(batched[0]) > 300 and len(batched[1]) > 100 and len(batched[2]) > 100


def test_batched_reading_equals_careful_reading_with_columns_no_row_fills():
    # The first batch (1,024 rows) leaves notes, output, joined and kind empty in every row: the
    # column reader fills those columns at once; later rows give them again.
    empty = [HEADER.index(h) for h in ("notes", "output", "joined", "kind")]
    rows = [(no, ["" if i in empty and k < 1100 else c for i, c in enumerate(row)])
            for k, (no, row) in enumerate(_rows(1500, 5))]
    batched = _read(rows, batched=True)
    assert batched == _read(rows, batched=False)
    early = [given for no, _, given in batched[0] if no < 1100 + 2]
    assert len(early) > 500 and not any({"notes", "kind", "output", "joined"} & given for given in early)
    assert any("notes" in given for no, _, given in batched[0] if no >= 1100 + 2)


def test_batched_reading_equals_careful_reading_on_plain_batches():
    # Batches where every row is plain reach the column reader's whole-column paths: some rows
    # unlocated (both coordinates empty), a column every row leaves alike (a kind, a value that
    # does not parse, a blank), and INNs of one length, some with a wrong check digit.
    rng = random.Random(3)
    alike = {"kind": ["firm", "spaceship", "", "н/д"], "joined": ["2020-01-01", "", "soon"]}
    rows: list[tuple[int, list[str]]] = []
    for b in range(8):
        kind, joined = alike["kind"][b % 4], alike["joined"][b % 3]
        for _ in range(BATCH_ROWS):
            located = rng.random() > 0.1
            cells = {"name": f"ООО «Кама {len(rows)}»", "kind": kind, "joined": joined,
                     "inn": str(rng.randrange(10**9, 10**10) if b % 2 else rng.randrange(10**11, 10**12)),
                     "lat": f"{rng.uniform(-89, 89):.5f}" if located else "",
                     "lon": f"{rng.uniform(-179, 179):.5f}" if located else "",
                     "employees": str(rng.randrange(1000)), "output": "", "notes": "", "id": ""}
            rows.append((len(rows) + 2, [cells[h] for h in HEADER]))
    batched = _read(rows, batched=True)
    assert batched == _read(rows, batched=False)
    members = batched[0]
    assert any(m.lat is None for _, m, _ in members) and any(m.lat is not None for _, m, _ in members)
    assert len(batched[2]) > 100  # wrong check digits: a warning a row


def test_a_batch_read_by_columns_equals_zip_of_its_rows():
    """The column reader's cells of each column (one flat list, a slice a column) are
    ``zip(*rows)``'s for rows of one width, any width; rows of unequal width are refused as
    zip(strict=True) refuses them, not lined up wrongly (a short row and a long one would
    otherwise fill the flat list to the right length)."""
    rng = random.Random(11)
    for width in (0, 1, 2, 19):
        for n in (1, 2, 7, BATCH_ROWS):
            rows = [[f"{r}.{c}.{rng.randrange(9)}" for c in range(width)] for r in range(n)]
            assert list(map(list, _transposed(rows))) == list(map(list, zip(*rows, strict=True)))
    assert _transposed([]) == []
    ragged = [["a", "b", "c"], ["d", "e"], ["f", "g", "h", "i"]]  # 9 cells: 3 rows of 3 by count
    with pytest.raises(ValueError):
        _transposed(ragged)
