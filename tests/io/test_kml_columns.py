"""A KML import puts a batch of plain placemarks together a column at a time (rows.iter_cell_tables);
it gives exactly the members, fields given, numbers and report lines (file, placemark, field, words)
of the per-placemark path (rows.iter_cell_batches) on varied documents: missing fields, Data and
SchemaData, several layouts in one batch, a bad placemark, a repeated id and a wrong INN check digit
mid-way, a polygon's note, and more placemarks than one batch. And where the bytes show one
namespace, the reader takes every tag as that namespace's without walking the elements: the same
cells as the walk."""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest

from cluster_desk.io import rows as rows_module
from cluster_desk.io.errors import ImportResult
from cluster_desk.io.formats import kml_read, kml_stream
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


ONE_NAMESPACE = KML.format("".join(
    f'<Placemark><name>n{k}</name><ExtendedData><Data name="inn"><value>165000000{k % 10}</value></Data>'
    f"</ExtendedData><Point><coordinates>49,55</coordinates></Point></Placemark>" for k in range(60)))
LATER_SIMPLE_DATA = ONE_NAMESPACE.replace(  # SimpleData first met in a later chunk: the slow walk from there
    "</Document>", '<Placemark><name>s</name><ExtendedData><SchemaData><SimpleData name="inn">1</SimpleData>'
    '</SchemaData><Data name="notes"><value>x</value></Data></ExtendedData></Placemark></Document>')


@pytest.mark.parametrize(("document", "prefix"), [
    (ONE_NAMESPACE, ""),  # KML 2.2's default namespace is dropped before the parse (kml_stream)
    (LATER_SIMPLE_DATA, ""),
    (ONE_NAMESPACE.replace(' xmlns="http://www.opengis.net/kml/2.2"', ""), ""),
    (ONE_NAMESPACE.replace("www.opengis.net/kml/2.2", "earth.google.com/kml/2.1"), "{http://earth.google.com/kml/2.1}"),
    (ONE_NAMESPACE.replace("<kml ", '<kml xmlns:gx="urn:gx" '), None),  # a prefix declared
    (ONE_NAMESPACE.replace("<Placemark><name>n40", '<Placemark xmlns="urn:x"><name>n40'), None),
    (ONE_NAMESPACE.replace("<name>n30", '<name xml:lang="ru">n30'), None),
    (ONE_NAMESPACE.replace("<name>n50</name>", "<name>xmlns</name>"), None),  # only the slower way
], ids=["kml 2.2", "simple data later", "no namespace", "kml 2.1", "gx", "nested xmlns", "xml:",
        "xmlns in text"])
@pytest.mark.parametrize("chunk", [97, 1 << 20])
def test_one_namespace_found_from_the_bytes_gives_the_cells_of_the_tag_walk(tmp_path, monkeypatch, document,
                                                                              prefix, chunk):
    """The tags are taken as ``prefix + name`` only when the bytes show one namespace, however the
    file is cut into chunks; the cells equal those of the walk that
    looks at every element's name."""
    path = tmp_path / "m.kml"
    path.write_text(document, encoding="utf-8")
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    scan = kml_stream.NameScan()
    for _ in kml_stream.closed_parts(path, scan):
        pass
    assert scan.prefix() == prefix
    fast = [(n, dict(c), getattr(c, "notes", None)) for n, c in kml_cells(path)]
    with monkeypatch.context() as m:
        m.setattr(kml_read._Tags, "only", lambda self, local: None)  # every element by its name
        slow = [(n, dict(c), getattr(c, "notes", None)) for n, c in kml_cells(path)]
    assert fast == slow
    assert len(fast) == 60 + (document is LATER_SIMPLE_DATA)


def test_xmlns_or_simple_data_cut_by_a_chunk_end_is_still_seen():
    cases = ((b"<kml><a>xmlns</a>", set(), None), (b"<kml><SimpleData>", {"SimpleData"}, ""),
             (b"<kml><a>" + b"x" * 40 + b"xmlns</a>", set(), None),
             (b"<kml><a>" + b"x" * 40 + b"</a><SimpleData>", {"SimpleData"}, ""),
             (b"<kml><a>" + b"x" * 40 + b"</a><a>xml:</a>", set(), None))
    for text, seen, prefix in cases:
        for cut in range(6, len(text)):
            for pieces in ([text[:cut], text[cut:]], [text[: cut - 3], text[cut - 3 : cut], text[cut:]]):
                scan = kml_stream.NameScan()
                for piece in pieces:
                    scan.feed(piece)
                scan.root = "kml"
                assert (scan.seen, scan.prefix()) == (seen, prefix), (text, pieces)
