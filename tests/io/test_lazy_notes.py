"""A roster with a note a row (most INNs fail the check digit): the report's warnings, kept as runs
and made when read (io/notes.py), are the notes the careful per-row reader files, note for note,
in order, however they are read (an index, a slice, iteration, their lines in both languages).
And they are made only when read: an import of such a roster holds no note object per row."""

from __future__ import annotations

import csv
import gc
import json
import random

import pytest

from cluster_desk.io import ImportOptions, import_into, rowbatch
from cluster_desk.io.errors import ImportProblem
from cluster_desk.store.project import Project
from cluster_desk.text import text_for
from cluster_desk.text.import_problems import import_problem_line

HEADER = ["Наименование", "Тип", "ИНН", "Широта", "Долгота", "Численность", "Id"]
ROWS = 5_000  # three reader batches (rowbatch.BATCH_ROWS) and a part


def _valid_inn(n: int) -> str:
    head = f"{160000000 + n:09d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return head + str(sum(int(d) * w for d, w in zip(head, weights, strict=True)) % 11 % 10)


def _write(path, n: int = ROWS, *, others: bool = True) -> None:
    """``n`` rows, ~90 % with a wrong INN; with ``others``, every few rows something else to say
    (read row by row, filed between the INNs' notes)."""
    rng = random.Random(17)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(n):
            inn = _valid_inn(i) if rng.random() < 0.1 else f"16{rng.randrange(10**8):08d}"
            row = [f"ООО «Завод {i}»", "firm", inn, f"{55 + rng.random():.5f}", f"{49 + rng.random():.5f}",
                   str(i % 700), f"id-{i}"]
            if others and i % 41 == 3:
                row[3] = "95.5"  # not a latitude: imported unlocated, with a note
            elif others and i % 67 == 5:
                row[5] = "много"  # an unreadable head count: left empty, with a note
            elif others and i % 89 == 7:
                row[6] = f"id-{i - 2}"  # an id twice: not imported
            elif others and i % 97 == 9:
                row[0] = f"ООО «Завод {i - 4}»"  # the same name: a note after the matching
            elif others and i % 113 == 11:
                row[0] = "ООО\x1b[31m «Злой»\u202e " + "Я" * 90  # echoed cleaned and cut
            elif others and i % 127 == 13:
                row = row[:4]  # a short row
            out.writerow(row)


def _write_geojson(path, n: int = ROWS) -> None:
    """The CSV's rows as point features (the readers of features: rows.iter_cell_tables)."""
    rows = path.with_suffix(".csv")
    _write(rows, n)
    with rows.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))[1:]
    features = []
    for row in table:
        props = dict(zip(["name", "kind", "inn", "lat", "lon", "employees", "id"], row, strict=False))
        lat, lon = props.pop("lat", ""), props.pop("lon", "")
        geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]} if lat and lon else None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")


def _careful_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row to the careful per-row reader (each note made by ImportProblem itself, in row
    order): the reference the lazy notes are compared with."""
    table = rowbatch.ColumnBatch.table

    def nothing_plain(self, rows):  # type: ignore[no-untyped-def]
        cols, bad, givens, inn_ok = table(self, rows)
        return cols, [True] * len(bad), givens, inn_ok

    monkeypatch.setattr(rowbatch.ColumnBatch, "table", nothing_plain)


def _import(tmp_path, name: str, source, **kwargs):
    with Project.create(tmp_path / f"{name}.cdesk") as p:
        return import_into(p, source, ImportOptions(), **kwargs)


@pytest.mark.parametrize(("kind", "dry_run"), [("csv", False), ("csv", True), ("geojson", False)])
def test_every_note_in_its_place(tmp_path, monkeypatch, kind, dry_run):
    source = tmp_path / f"noted.{kind}"
    (_write if kind == "csv" else _write_geojson)(source)
    with monkeypatch.context() as m:
        _careful_only(m)
        reference = list(_import(tmp_path, "careful", source, dry_run=dry_run).warnings)
    report = _import(tmp_path, "lazy", source, dry_run=dry_run)
    notes = report.warnings
    n = len(reference)
    assert sum(w.code == "inn_check_digit" for w in reference) > 0.8 * ROWS
    assert {"coord_range", "not_number", "same_name"} <= {w.code for w in reference}
    assert len(notes) == n and notes == reference and reference == notes
    assert list(notes) == reference and [*notes] == reference
    assert [notes[k] for k in range(n)] == reference
    assert [notes[k] for k in range(-1, -n - 1, -1)] == reference[::-1]
    for lo, hi in [(0, 1), (0, 10), (5, 2100), (1790, 1850), (n - 3, n), (n - 1, n + 10), (-7, None),
                   (None, -3000), (2000, 2000), (n + 5, None), (None, None)]:
        assert notes[lo:hi] == reference[lo:hi], (lo, hi)
    for step in (7, -1, -13, 1000):
        assert notes[::step] == reference[::step]
    with pytest.raises(IndexError):
        notes[n]
    with pytest.raises(IndexError):
        notes[-n - 1]
    for fields in zip(*[[getattr(w, s) for s in ImportProblem.__slots__] for w in (notes[17], reference[17])],
                      strict=True):
        assert fields[0] == fields[1] and type(fields[0]) is type(fields[1])
    ru, en = text_for("ru"), text_for("en")
    for got, want in zip(notes, reference, strict=True):
        assert str(got) == str(want)
        assert import_problem_line(got, ru, imported=True) == import_problem_line(want, ru, imported=True)
        assert import_problem_line(got, en, imported=True) == import_problem_line(want, en, imported=True)
    assert report.facts()["warnings"] == n and report.swap_offered == sum(w.swap_offered for w in reference)


def _live_notes() -> int:
    gc.collect()
    return sum(isinstance(o, ImportProblem) for o in gc.get_objects())


def test_notes_are_made_when_read(tmp_path):
    source = tmp_path / "noted.csv"
    _write(source, others=False)
    before = _live_notes()
    report = _import(tmp_path, "lazy", source)
    wrong = len(report.warnings)
    assert wrong > 0.8 * ROWS and report.added == ROWS
    assert _live_notes() - before < 50  # (the old reader: one for each of the ~4,500 rows)
    # Counted, checked for a code, summed up: still none is made.
    assert report.facts()["warnings"] == wrong and report.swap_offered == 0
    assert not report.warnings.any_code("latlon_order") and report.warnings.any_code("inn_check_digit")
    assert _live_notes() - before < 50
    shown = report.warnings[:1000]  # what the window and the command line show
    assert len(shown) == 1000 and _live_notes() - before < 1050
    assert all(w.code == "inn_check_digit" and w.field == "inn" for w in shown)
