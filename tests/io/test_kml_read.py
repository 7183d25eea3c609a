"""The KML reader finds placemarks, their data and coordinates through ElementTree when each has
one tag in the file, and by looking at every element's local name otherwise: both give the same
cells, for our own export, GDAL's SimpleData, mixed namespaces and odd nesting. It reads the file
as it streams in: cut into chunks of any size, a file gives the same cells, placemarks are dropped
once read, a bad placemark mid-way is reported and the rest kept, and broken XML mid-way refuses
the whole file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from test_kml_fast import tree_only

from cluster_desk.core.model import Member
from cluster_desk.io import ImportFileError, export_roster, import_into
from cluster_desk.io.formats import kml_read, kml_stream
from cluster_desk.store.project import Project

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
    "folders and nesting": KML.format(
        "<name>doc</name><Folder><name>f1</name><Placemark><name>К</name><Point><coordinates>1,2"
        "</coordinates></Point></Placemark><Folder><Placemark><name>Л</name><description>&lt;b&gt;x"
        "</description></Placemark><Style><IconStyle/></Style></Folder></Folder>"
        "<Placemark><name>М</name><ExtendedData><Data name='notes'><value>a</value></Data>"
        "<Data name='Примечания'><value><![CDATA[<script>b</script>]]></value></Data></ExtendedData>"
        "<Placemark><name>inner</name></Placemark></Placemark><Folder/>"),
    "a placemark as the root": "<Placemark><name>Н</name><LineString><coordinates>1,2 3,4</coordinates>"
        "</LineString></Placemark>",
}


def _read(path, monkeypatch, slow: bool):
    """The tree's cells (kml_quick's byte reader stood down; tests/io/test_kml_quick.py compares
    it with them): by tag, or (``slow``) by every element's local name."""
    with monkeypatch.context() as m:
        tree_only(m)
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


def _cells(path):
    return [(n, dict(c) if isinstance(c, dict) else c) for n, c in kml_read.kml_cells(path)]


@pytest.mark.parametrize("name", sorted(PLACEMARKS))
@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_file_read_in_small_chunks_gives_the_same_cells(tmp_path, monkeypatch, name, chunk):
    path = tmp_path / "r.kml"
    path.write_text(PLACEMARKS[name], encoding="utf-8")
    whole = _cells(path)
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    assert _cells(path) == whole and whole


def _roster(path, count, broken=None):
    members = [Member(f"Фирма {i}", lat=55.0 + i / 1000, lon=49.0, notes=f"№ {i}") for i in range(count)]
    export_roster(members, None, path)
    if broken is not None:  # the coordinates of one placemark mid-way replaced
        text = path.read_text(encoding="utf-8")
        at = text.index(f"<name>Фирма {broken}</name>")
        at = text.index("<coordinates>", at) + len("<coordinates>")
        end = text.index("</coordinates>", at)
        path.write_text(text[:at] + broken_coordinates + text[end:], encoding="utf-8")
    return members


broken_coordinates = "49.1 55.8"  # a space for the comma


def test_placemarks_are_dropped_once_read(tmp_path, monkeypatch):
    path = tmp_path / "m.kml"
    _roster(path, 200)
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    parts = list(kml_stream.closed_parts(path))
    sizes = [sum(1 for e in part for _ in e.iter()) for part in parts]
    placemarks = [sum(1 for e in part for _ in e.iter("Placemark"))  # KML 2.2 dropped: kml_stream
                  for part in parts]
    assert sum(placemarks) == 200 and len(parts) > 20
    assert max(sizes) < 500  # a chunk's worth each: nothing read is held on to


def test_a_bad_placemark_mid_stream_is_reported_and_the_rest_kept(tmp_path, monkeypatch):
    path = tmp_path / "m.kml"
    _roster(path, 300, broken=150)
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, path)
        assert report.added == 299 and len(p.members()) == 299
    assert [(x.row, x.field, x.code) for x in report.problems] == [(151, "coordinates", "bad_coordinates")]
    assert str(report.problems[0]).startswith("m.kml, placemark 151")


def test_broken_xml_mid_stream_refuses_the_file_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "m.kml"
    _roster(path, 300)
    text = path.read_text(encoding="utf-8")
    at = text.index("<name>Фирма 250</name>")
    path.write_text(text[:at] + "<name>Фирма 250</nam>" + text[at + len("<name>Фирма 250</name>"):],
                    encoding="utf-8")
    line = text[:at].count("\n") + 1
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)  # placemarks before it were already read
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members([Member("existing")])
        before = p.path.read_bytes()
        with pytest.raises(ImportFileError, match=rf"^m\.kml, line {line}: not valid XML \(mismatched tag"):
            import_into(p, path)
        assert len(p.members()) == 1 and p.path.read_bytes() == before


@pytest.mark.parametrize("chunk", [1, 5, 4096])
def test_a_dtd_is_refused_wherever_the_chunks_cut(tmp_path, monkeypatch, chunk):
    path = tmp_path / "d.kml"
    path.write_text('<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE kml [<!ENTITY a "b">]>'
                    "<kml><Placemark><name>&a;</name></Placemark></kml>", encoding="utf-8")
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    with pytest.raises(ImportFileError, match="refused") as e:
        list(kml_read.kml_cells(path))
    assert e.value.code == "xml_refused"


@pytest.mark.parametrize("text,code", [
    ("<html><Placemark><name>x</name></Placemark></html>", "not_kml"),
    ("<?xml version='1.0' encoding='nope'?><kml/>", "not_xml"),
    ("<!-- only a comment -->", "not_xml"),
])
def test_files_that_are_not_kml_say_so_before_any_placemark(tmp_path, text, code):
    path = tmp_path / "x.kml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as e:
        list(kml_read.kml_cells(path))
    assert e.value.code == code and str(e.value).startswith("x.kml")


def test_a_kmz_streams_from_the_archive_and_damage_met_late_is_named(tmp_path, monkeypatch):
    import zipfile

    kml = tmp_path / "m.kml"
    _roster(kml, 300)
    kmz = tmp_path / "m.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(kml, "doc.kml")
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    assert _cells(kmz) == _cells(kml) and len(_cells(kmz)) == 300
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_STORED) as z:
        z.write(kml, "doc.kml")
    data = kmz.read_bytes()
    at = data.index("№ 290<".encode())
    kmz.write_bytes(data[:at] + "№ 291<".encode() + data[at + len("№ 290<".encode()):])  # valid XML, bad CRC
    with pytest.raises(ImportFileError, match=r"^m\.kmz: a KMZ \(zipped KML\) that cannot be unpacked") as e:
        _cells(kmz)
    assert e.value.code == "zip_damaged"


BODY = ("<Document><Placemark><name>А</name><ExtendedData><Data name='inn'><value>1650000001</value></Data>"
        "</ExtendedData><Point><coordinates>49,55</coordinates></Point><gx:Track><gx:coord>1 2 3</gx:coord>"
        "</gx:Track></Placemark><Placemark><name>Б</name><ExtendedData><SchemaData>"
        "<SimpleData name='employees'>7</SimpleData></SchemaData></ExtendedData><atom:link href='x'/>"
        "</Placemark></Document></kml>")
GX = 'xmlns:gx="http://www.google.com/kml/ext/2.2" xmlns:atom="http://www.w3.org/2005/Atom"'
ROOTS = {  # the same placemarks under every kind of root start tag
    "kml 2.2": f'<kml xmlns="http://www.opengis.net/kml/2.2" {GX}>',
    "single quotes, spaces, a newline": f"<kml {GX}\n  xmlns = 'http://www.opengis.net/kml/2.2' a='>'>",
    "no default namespace": f"<kml {GX}>",
    "another default namespace": f'<kml xmlns="http://earth.google.com/kml/2.1" {GX}>',
    "kml 2.2 as a prefix only": f'<kml xmlns:k="http://www.opengis.net/kml/2.2" {GX}>',
}


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize("chunk", [7, 29, 1 << 20])
def test_the_default_kml_namespace_dropped_or_not_gives_the_same_cells(tmp_path, monkeypatch, root, chunk):
    """kml_stream blanks out the root's own KML 2.2 default namespace before the parse (when the
    root's start tag is whole in one chunk): whatever the root declares, and wherever the chunks
    cut it, the placemarks (gx:Track beside the Point, SchemaData, atom:link) read the same."""
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- ' + "c" * 40 + " -->\n"
    path.write_text(prolog + ROOTS[root] + BODY, encoding="utf-8")
    fast, slow = _read(path, monkeypatch, slow=False), _read(path, monkeypatch, slow=True)
    assert fast == slow == [(1, {"name": "А", "inn": "1650000001", "lon": "49", "lat": "55"}),
                            (2, {"name": "Б", "employees": "7"})]


def test_only_the_roots_own_kml_default_namespace_is_blanked_out_byte_for_byte():
    kml = b'<kml a="xmlns=&quot;http://www.opengis.net/kml/2.2&quot;" xmlns="http://www.opengis.net/kml/2.2">'
    dropped = kml_stream.drop_kml_default(b"<?xml version='1.0'?>" + kml + b"<x/>", 21)
    assert dropped == b"<?xml version='1.0'?>" + kml.replace(b'xmlns="http://www.opengis.net/kml/2.2"',
                                                            b" " * 38) + b"<x/>"
    for kept in (b'<kml xmlns="http://www.opengis.net/kml/2.2/">', b'<kml xmlns:kml="http://www.opengis.net/kml/2.2">',
                 b"<kml xmlns='http://www.opengis.net/kml/2.2'", b'<kml><Document xmlns="http://www.opengis.net/kml/2.2">'):
        assert kml_stream.drop_kml_default(kept, 0) is kept


@pytest.mark.parametrize("broken", ["<name>a</nam>", "<name a='1' a='2'>a</name>", "<x:name>a</x:name>"])
def test_broken_xml_after_the_dropped_namespace_is_reported_at_the_same_line_and_column(tmp_path, broken):
    document = ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>' + broken
                + "</Placemark></Document></kml>")
    with pytest.raises(ET.ParseError) as plain:
        ET.fromstring(document)
    path = tmp_path / "m.kml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        list(kml_read.kml_cells(path))
    assert f"m.kml, line 1: not valid XML ({plain.value})" == str(caught.value)
