"""A KML import puts a batch of plain placemarks together a column at a time (rows.iter_cell_tables);
it gives exactly the members, fields given, numbers and report lines (file, placemark, field, words)
of the per-placemark path (rows.iter_cell_batches) on varied documents: missing fields, Data and
SchemaData, several layouts in one batch, a bad placemark, a repeated id and a wrong INN check digit
mid-way, a polygon's note, and more placemarks than one batch."""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from cluster_desk.io import rows as rows_module
from cluster_desk.io.errors import ImportResult
from cluster_desk.io.formats.kml_read import kml_cells
from cluster_desk.io.rows import iter_cell_batches, iter_cell_tables

BATCH_ROWS = 64  # batches as small as this (the reader's own are 1,024): several per document

KML = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'
GOOD_INNS = ["1650000001", "7707083893", "500100732259"]


def _placemark(k: int, rng: random.Random, *, schema: bool) -> str:
    fields = [("kind", rng.choice(["Firm", "Вуз", "research"])), ("inn", rng.choice(GOOD_INNS)),
              ("employees", str(rng.randint(1, 500))), ("sector", "29.10"), ("joined", "2016-08-10")]
    fields = [f for f in fields if rng.random() < 0.7]  # missing fields: several layouts per batch
    if rng.random() < 0.5:
        fields.append(("id", f"id-{k}"))
    if schema:
        data = "<SchemaData>" + "".join(f'<SimpleData name="{n}">{v}</SimpleData>' for n, v in fields) + (
            "</SchemaData>")
    else:
        data = "".join(f'<Data name="{n}"><displayName>x</displayName><value>{v}</value></Data>'
                       for n, v in fields)
    where = (f"<Point><coordinates>{49 + rng.random():.5f},{55 + rng.random():.5f}</coordinates></Point>"
             if rng.random() < 0.9 else "")
    desc = "<description>d &lt;b&gt;</description>" if rng.random() < 0.3 else ""
    return f"<Placemark><name>Фирма {k}</name>{desc}<ExtendedData>{data}</ExtendedData>{where}</Placemark>"


ODD = {  # placed mid-way in a batch
    "bad point": "<Placemark><name>bad</name><Point><coordinates>x</coordinates></Point></Placemark>",
    "no name": "<Placemark><Point><coordinates>49,55</coordinates></Point></Placemark>",
    "bad kind": '<Placemark><name>k</name><ExtendedData><Data name="kind"><value>звездолёт</value></Data>'
                "</ExtendedData></Placemark>",
    "wrong inn digit": '<Placemark><name>i</name><ExtendedData><Data name="inn"><value>1650000002</value>'
                       "</Data></ExtendedData></Placemark>",
    "repeated id": '<Placemark><name>r</name><ExtendedData><Data name="id"><value>id-3</value></Data>'
                   "</ExtendedData></Placemark>",
    "polygon": "<Placemark><name>p</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1,1 1,2 2,2 1,1"
               "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
    "bad employees": '<Placemark><name>e</name><ExtendedData><Data name="employees"><value>many</value>'
                     "</Data></ExtendedData></Placemark>",
    "link": '<Placemark><name>l</name><ExtendedData><Data name="source_id"><value>a</value></Data>'
            "</ExtendedData></Placemark>",
}


def _document(n: int, odd: str | None, schema: bool, seed: int) -> str:
    rng = random.Random(seed)
    parts = [_placemark(k, rng, schema=schema) for k in range(n)]
    if odd is not None:
        parts.insert(n // 2, ODD[odd])
    return KML.format("".join(parts))


def _imported(read, path) -> tuple[list, list, list]:
    result = ImportResult(format="kml")
    rows = []
    for batch in read(kml_cells(path), path.name, result, unit="placemark"):
        for number, member, given in batch.rows():
            mid = member.id if member.id.startswith("id-") else "new"  # a new id is random
            rows.append((number, {**asdict(member), "id": mid}, sorted(given)))
    return rows, [asdict(p) for p in result.problems], [asdict(p) for p in result.warnings]


@pytest.mark.parametrize(("odd", "schema"), [(None, False), (None, True), ("bad point", True),
                                             *((odd, False) for odd in ODD)])
def test_column_path_gives_the_rows_of_the_placemark_path(tmp_path, monkeypatch, odd, schema):
    monkeypatch.setattr(rows_module, "BATCH_ROWS", BATCH_ROWS)
    path = tmp_path / "m.kml"
    document = _document(BATCH_ROWS * 3 + 40, odd, schema, seed=len(odd or "") + schema)
    path.write_text(document, encoding="utf-8")
    old = _imported(iter_cell_batches, path)
    new = _imported(iter_cell_tables, path)
    assert new == old
    rows, problems, warnings = new
    assert len(rows) >= BATCH_ROWS // 2
    if odd in ("bad point", "no name", "bad kind", "repeated id"):
        assert (BATCH_ROWS * 3 + 40) // 2 + 1 in [p["row"] for p in problems]  # the inserted one, by number
    if odd in ("wrong inn digit", "polygon", "bad employees"):
        assert warnings


def test_only_the_first_of_an_id_given_twice_in_one_batch_is_imported(tmp_path):
    path = tmp_path / "m.kml"
    twice = ('<Placemark><name>{}</name><ExtendedData><Data name="id"><value>same</value></Data>'
             "</ExtendedData></Placemark>")
    path.write_text(KML.format(twice.format("a") + twice.format("b")), encoding="utf-8")
    rows, problems, _ = _imported(iter_cell_tables, path)
    assert [r[1]["name"] for r in rows] == ["a"]
    assert [(p["row"], p["field"], p["code"]) for p in problems] == [(2, "id", "duplicate_id")]
    assert (rows, problems) == _imported(iter_cell_batches, path)[:2]
