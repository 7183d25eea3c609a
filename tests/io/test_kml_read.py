"""The KML reader finds placemarks, their data and coordinates through ElementTree when each has
one tag in the file, and by looking at every element's local name otherwise: both give the same
cells, for our own export, GDAL's SimpleData, mixed namespaces and odd nesting."""

from __future__ import annotations

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io import export_roster
from cluster_desk.io.formats import kml_read

KML = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'
PLACEMARKS = {
    "simple data": KML.format(
        '<Placemark><name>А</name><ExtendedData><SchemaData><SimpleData name="inn">1650000001</SimpleData>'
        '<SimpleData name="notes">n1</SimpleData><SimpleData name="notes">n2</SimpleData>'
        '<SimpleData name="employees"/></SchemaData></ExtendedData>'
        "<Point><coordinates> 49.1,55.7 </coordinates></Point></Placemark>"
        "<Placemark><name>Б</name><description>d</description><Point><coordinates/></Point></Placemark>"),
    "data without values": KML.format(
        '<Placemark><name>В</name><ExtendedData><Data name="inn"/><Data name="Сотрудники"><displayName>x'
        '</displayName></Data></ExtendedData></Placemark><Placemark><name>link</name><ExtendedData>'
        '<Data name="source_id"><value>a</value></Data></ExtendedData></Placemark>'),
    "two namespaces": '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        '<Placemark><name>Г</name><ExtendedData><Data name="inn"><value>1</value></Data>'
        '<Data xmlns="urn:other" name="inn"><value>2</value></Data></ExtendedData></Placemark>'
        '<x:Placemark xmlns:x="urn:x"><x:name>Д</x:name><x:Point><x:coordinates>1,2</x:coordinates></x:Point>'
        '</x:Placemark><Placemark><name>Е</name><Point><coordinates>3,4</coordinates></Point></Placemark>'
        "</Document></kml>",
    "data and simple data": KML.format(
        '<Placemark><name>Ж</name><ExtendedData><SchemaData><SimpleData name="inn">1</SimpleData>'
        "</SchemaData>"
        '<Data name="inn"><value>2</value></Data><Data name="notes"><value>3</value></Data></ExtendedData>'
        "</Placemark>"),
    "no namespace": "<kml><Placemark><name>З</name><ExtendedData><Data name='kind'><value>Вуз</value></Data>"
        "<Data name='kind'><value>firm</value></Data></ExtendedData><Point><coordinates>1,2,3</coordinates>"
        "</Point></Placemark><Placemark><name>И</name><Point><coordinates>bad</coordinates></Point>"
        "</Placemark></kml>",
}


def _read(path, monkeypatch, slow: bool):
    with monkeypatch.context() as m:
        if slow:
            m.setattr(kml_read._Tags, "only", lambda self, local: None)  # every element by its name
        return [(n, dict(c) if isinstance(c, dict) else c) for n, c in kml_read.kml_cells(path)]


@pytest.mark.parametrize("name", sorted(PLACEMARKS))
def test_kml_cells_found_by_tag_equal_cells_found_by_local_name(tmp_path, monkeypatch, name):
    path = tmp_path / "r.kml"
    path.write_text(PLACEMARKS[name], encoding="utf-8")
    fast, slow = _read(path, monkeypatch, False), _read(path, monkeypatch, True)
    assert fast == slow and fast


def test_our_export_read_by_tag_equals_read_by_local_name(tmp_path, monkeypatch):
    path = tmp_path / "m.kml"
    export_roster([Member(f"Фирма {i}", inn="7707083893", lat=55.0 + i / 100, lon=49.0, notes=f"n{i}")
                   for i in range(30)], None, path)
    fast = _read(path, monkeypatch, False)
    assert fast == _read(path, monkeypatch, True)
    assert len(fast) == 30 and fast[3][1]["inn"] == "7707083893" and fast[3][1]["lat"] == "55.03"
