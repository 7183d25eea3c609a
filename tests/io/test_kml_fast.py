"""The KML reader's quick way (kml_fast: a placemark read by the plan of its children's tags and
of its data names; a placemark part read without a walk for placemarks inside it) gives the cells
of the child-by-child walk, key order included, and is the way our own export is read. Placemarks
inside placemarks, or "<Placemark" in a comment or CDATA, are still all read, however the file is
cut into chunks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io import export_roster
from cluster_desk.io.formats import kml_quick, kml_read, kml_stream

KML = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'


def _data(name: str, value: str) -> str:
    return f'<Data name="{name}"><displayName>{name.title()}</displayName><value>{value}</value></Data>'


def _placemark(k: int, inner: str = "") -> str:
    return (f"<Placemark id='p{k}'><name> Фирма {k} </name><ExtendedData>{_data('inn', '1650000001')}"
            f"{_data('employees', str(k))}</ExtendedData><Point><coordinates>49.{k},55.{k}</coordinates>"
            f"</Point>{inner}</Placemark>")


def tree_only(m) -> None:
    """The tree reader from the first byte (kml_quick's byte reader stood down)."""
    def refuse(self):
        raise kml_quick.NotQuick("the tree, for the test")
        yield

    m.setattr(kml_quick.QuickReader, "batches", refuse)


def _items(path, monkeypatch, slow: bool) -> list:
    with monkeypatch.context() as m:
        tree_only(m)
        if slow:
            m.setattr(kml_read._Tags, "only", lambda self, local: None)  # every element by its name
        return [(n, list(c.items()) if isinstance(c, dict) else c, getattr(c, "notes", None))
                for n, c in kml_read.kml_cells(path)]


ODD_CHILDREN = {  # each one placemark among plain ones; the quick way must read it as the walk does
    "data before the name": "<Placemark><ExtendedData>" + _data("name", "из данных") + _data("inn", "1")
                            + "</ExtendedData><name>своё</name></Placemark>",
    "a name field and a name": "<Placemark><name>своё</name><ExtendedData>" + _data("name", "из данных")
                               + "</ExtendedData></Placemark>",
    "a notes field and a description": "<Placemark><name>n</name><description>d</description><ExtendedData>"
                                       + _data("notes", "из данных") + "</ExtendedData></Placemark>",
    "an empty description": "<Placemark><name>n</name><description/><ExtendedData>" + _data("inn", "1")
                            + "</ExtendedData></Placemark>",
    "two descriptions": "<Placemark><description/><description>второе</description><name>n</name>"
                        "</Placemark>",
    "two ExtendedData": "<Placemark><name>n</name><ExtendedData>" + _data("inn", "1") + "</ExtendedData>"
                        "<ExtendedData>" + _data("notes", "2") + "</ExtendedData></Placemark>",
    "two names": "<Placemark><name>первое</name><name>второе</name></Placemark>",
    "a polygon": "<Placemark><name>n</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1,1 1,2 2,2 1,1"
                 "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
    "a bad point": "<Placemark><name>n</name><Point><coordinates>49 55</coordinates></Point></Placemark>",
    "a link": "<Placemark><name>n</name><ExtendedData>" + _data("source_id", "a") + _data("target_id", "b")
              + "</ExtendedData></Placemark>",
    "a value-less field": '<Placemark><name>n</name><ExtendedData><Data name="inn"/></ExtendedData>'
                          "</Placemark>",
    "a field in a field": "<Placemark><name>n</name><ExtendedData><Data name='inn'><value>1</value>"
                          + _data("notes", "внутри") + "</Data></ExtendedData></Placemark>",
}


@pytest.mark.parametrize("odd", sorted(ODD_CHILDREN))
def test_odd_children_read_the_quick_way_equal_the_walk(tmp_path, monkeypatch, odd):
    path = tmp_path / "m.kml"
    path.write_text(KML.format(_placemark(1) + ODD_CHILDREN[odd] + _placemark(3)), encoding="utf-8")
    quick, walk = _items(path, monkeypatch, slow=False), _items(path, monkeypatch, slow=True)
    assert quick == walk
    assert quick[0] == (1, [("name", "Фирма 1"), ("inn", "1650000001"), ("employees", "1"), ("lon", "49.1"),
                            ("lat", "55.1")], [])


NESTED = {  # placemarks inside placemarks (not valid KML): each still read, in document order
    "a child placemark": _placemark(20, inner=_placemark(21)),
    "deep in a field": "<Placemark><name>n</name><ExtendedData><Data name='inn'><value>1</value>"
                       + _placemark(22) + "</Data></ExtendedData></Placemark>",
    "two levels": _placemark(23, inner=_placemark(24, inner=_placemark(25))),
    "in a comment": "<!-- <Placemark><name>не читать</name></Placemark> -->" + _placemark(26),
    "in CDATA": "<Placemark><name>n</name><description><![CDATA[<Placemark>текст]]></description>"
                "</Placemark>",
    "a longer name": "<Placemarks/>" + _placemark(27),
}


@pytest.mark.parametrize("nested", sorted(NESTED))
@pytest.mark.parametrize("chunk", [7, 31, 1 << 20])
def test_placemarks_inside_placemarks_are_read_however_the_chunks_cut(tmp_path, monkeypatch, nested, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    body = "".join(_placemark(k) for k in range(8)) + NESTED[nested] + "".join(
        _placemark(k) for k in range(30, 38))
    path.write_text(KML.format(body), encoding="utf-8")
    quick, walk = _items(path, monkeypatch, slow=False), _items(path, monkeypatch, slow=True)
    assert quick == walk
    document = ET.fromstring(KML.format(body))
    assert len(quick) == len(list(document.iter("{http://www.opengis.net/kml/2.2}Placemark")))


def test_our_export_is_read_the_quick_way_in_every_chunk(tmp_path, monkeypatch):
    """Every chunk of our own export, read by the tree, is read without walking placemarks for
    placemarks inside them, and every placemark by its plans (not the child-by-child loop)."""
    path = tmp_path / "m.kml"
    export_roster([Member(f"Фирма {i}", inn="7707083893", lat=55.0 + i / 100, lon=49.0, notes=f"n{i}",
                          employees=i) for i in range(300)], None, path)
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    wholes: list[bool] = []
    quick: list[int] = []
    read_parts, read_placemark = kml_read._read_parts, kml_read.read_placemark

    def spied_parts(parts, number, tags, out, whole=False):
        wholes.append(whole)
        return read_parts(parts, number, tags, out, whole)

    def spied_placemark(*args):
        quick.append(1)
        return read_placemark(*args)

    monkeypatch.setattr(kml_read, "_read_parts", spied_parts)
    monkeypatch.setattr(kml_read, "read_placemark", spied_placemark)
    tree_only(monkeypatch)
    cells = list(kml_read.kml_cells(path))
    assert len(cells) == 300 and cells[7][1]["employees"] == "7" and cells[7][1]["notes"] == "n7"
    assert len(wholes) > 50 and all(wholes)
    assert len(quick) == 300
