"""The KML read from its bytes (kml_quick) gives what the tree gives (kml_stream + kml_read, by
plans and by the child-by-child walk): the same placemark numbers, cells in the same key order,
notes, and the same ImportFileError; for our own export, GDAL's layout, odd placemarks (read
alone by the walk), and every layout the bytes cannot vouch for (comments, CDATA, a DOCTYPE,
namespace prefixes, UTF-16 and Windows-1251, broken XML), however the chunks cut the file. A
fallback mid-file hands out each placemark once."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import pytest
from test_kml_fast import NESTED, ODD_CHILDREN, _placemark
from test_kml_read import BODY, PLACEMARKS, ROOTS

from cluster_desk.core.model import Member
from cluster_desk.io import ImportFileError, export_roster, import_into
from cluster_desk.io.formats import kml_quick, kml_read, kml_stream
from cluster_desk.store.project import Project

KML = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}</Document></kml>'


def _refuse(self):
    raise kml_quick.NotQuick("the tree, for the test")
    yield


def _imported_both_ways(path, tmp_path, monkeypatch, row) -> list[tuple]:
    """(``row`` of each member, [problems, warnings] as (row, field, code, message), added) of a
    whole import of ``path`` read from the bytes, then from the tree."""
    found = []
    for way in ("bytes", "tree"):
        with monkeypatch.context() as m:
            if way == "tree":
                m.setattr(kml_quick.QuickReader, "batches", _refuse)
            with Project.create(tmp_path / f"{way}.cdesk") as p:
                report = import_into(p, path)
                rows = [row(x) for x in p.members()]
        found.append((rows, [[(x.row, x.field, x.code, str(x)) for x in said]
                             for said in (report.problems, report.warnings)], report.added))
    return found


def _read(path, monkeypatch, way: str) -> list | tuple:
    """(number, cells' items, notes) per placemark, or the error, read one ``way``: "bytes"
    (kml_quick, the tree where it cannot vouch), "tree" (kml_stream + kml_fast's plans) or
    "walk" (every element by its local name)."""
    with monkeypatch.context() as m:
        if way != "bytes":
            m.setattr(kml_quick.QuickReader, "batches", _refuse)
        if way == "walk":
            m.setattr(kml_read._Tags, "only", lambda self, local: None)
        try:
            return [(n, list(c.items()), c.notes) if isinstance(c, dict) else (n, c)
                    for n, c in kml_read.kml_cells(path)]
        except ImportFileError as e:
            return ("error", str(e), e.code)


def _same_three_ways(path, monkeypatch) -> list | tuple:
    got = _read(path, monkeypatch, "bytes")
    assert got == _read(path, monkeypatch, "tree")
    assert got == _read(path, monkeypatch, "walk")
    return got


def _spy(monkeypatch) -> dict[str, int]:
    """Counts of the byte reader's fallbacks and of the placemarks it left to the walk."""
    seen = {"fallback": 0, "alone": 0}
    batches, alone = kml_quick.QuickReader.batches, kml_read._read_fragment

    def spied_batches(self):
        try:
            yield from batches(self)
        except kml_quick.NotQuick:
            seen["fallback"] += 1
            raise

    def spied_alone(*args):
        seen["alone"] += 1
        return alone(*args)

    monkeypatch.setattr(kml_quick.QuickReader, "batches", spied_batches)
    monkeypatch.setattr(kml_read, "_read_fragment", spied_alone)
    return seen


def _plain(k: int) -> str:
    return _placemark(k)


LAYOUTS = {  # each between plain placemarks; "alone": read by the walk, "tree": the whole file is
    "entities": ("<Placemark><name>A &amp; B &lt;C&gt; &#1060;&#x424; &quot;q&apos;</name><description>"
                 "a&#13;b&#9;c</description><ExtendedData><Data name='inn'><value>1&#54;50000001</value>"
                 '</Data><Data name="notes"><value>x &amp;amp; y</value></Data></ExtendedData><Point>'
                 "<coordinates>&#52;9.1, 55.2 </coordinates></Point></Placemark>", "alone"),
    "entities in the usual layout": ('<Placemark><name>A &amp; B</name><description>&lt;b&gt;&#13;&#10;'
                                     '</description><ExtendedData><Data name="inn"><value>&#49;</value>'
                                     "</Data></ExtendedData><Point><coordinates>&#52;9,55</coordinates></Point>"
                                     "</Placemark>", ""),
    "line ends": ("<Placemark><name>a\r\nb\rc</name><description>\r\n\r\nd\r</description><ExtendedData>\r\n"
                  '<Data name="notes">\r\n<value>e\r\nf</value>\r\n</Data>\r\n</ExtendedData>\r\n<Point>'
                  "<coordinates>\r\n49,55\r\n</coordinates></Point>\r\n</Placemark>", ""),
    "an entity in a data name": ('<Placemark><name>n</name><ExtendedData><Data name="i&#110;n"><value>1'
                                 "</value></Data></ExtendedData></Placemark>", "alone"),
    "a tab in a data name": ('<Placemark><name>n</name><ExtendedData><Data name="in\tn"><value>1</value>'
                             '</Data><Data name="\nnotes"><value>2</value></Data></ExtendedData></Placemark>',
                             "alone"),
    "a space before >": ('<Placemark ><name >n</name><ExtendedData><Data name="inn" ><value>1</value></Data>'
                         "</ExtendedData></Placemark >", "alone"),
    "an empty placemark": ('<Placemark/><Placemark id="a"/><Placemark></Placemark>', "alone"),
    "empty elements": ("<Placemark><name/><description/><ExtendedData/><Point/></Placemark><Placemark>"
                       "<Point><coordinates/></Point></Placemark>", "alone"),
    "> in attributes and texts": ('<Placemark id="a>b"><name>a > b</name></Placemark><Placemark id="c/d">'
                                  "<name>x</name></Placemark>", "alone"),
    "a style and more": ("<Placemark><name>n</name><styleUrl>#s</styleUrl><Style><IconStyle/></Style>"
                         "<ExtendedData>" + '<Data name="inn"><value>1</value></Data></ExtendedData>'
                         "<Point><altitudeMode>clampToGround</altitudeMode><coordinates>1,2</coordinates>"
                         "</Point></Placemark>", ""),
    "a deeper style": ("<Placemark><name>n</name><Style><IconStyle><Icon><href>h</href></Icon></IconStyle>"
                       "</Style></Placemark>", "alone"),
    "other children with attributes": ('<Placemark><name>n</name><Snippet maxLines="2">s</Snippet><link '
                                       'href="http://x/y?a=1&amp;b=/"/><hotSpot x="a>b" y=\'/\'/>'
                                       "<visibility>1</visibility></Placemark>", ""),
    "a text beside leaves": ("<Placemark><name>n</name><LookAt>t<range>1</range></LookAt></Placemark>",
                             "alone"),
    "a placemark in a LookAt": ("<Placemark><name>n</name><LookAt><Placemark>i</Placemark></LookAt>"
                                "</Placemark>", "tree"),
    "leaves around the coordinates": ("<Placemark><name>n</name><Point><extrude>1</extrude><drawOrder/>"
                                      "<coordinates>49,55</coordinates><tessellate>0</tessellate></Point>"
                                      "</Placemark>", ""),
    "coordinates twice": ("<Placemark><name>n</name><Point><coordinates>49,55</coordinates><coordinates>1,2"
                          "</coordinates></Point></Placemark>", "alone"),
    "Google Earth's placemark": (
        '<Folder xmlns:gx="http://www.google.com/kml/ext/2.2"><name>f</name><open>1</open><Placemark>\n\t'
        "<name>Кама</name>\n\t<description><![CDATA[<b>ИНН</b> 1650000001 & more]]></description>\n\t"
        "<LookAt>\n\t\t<longitude>49.1</longitude><latitude>55.7</latitude><range>1000</range>"
        "<gx:altitudeMode>relativeToSeaFloor</gx:altitudeMode>\n\t</LookAt>\n\t<styleUrl>#m_ylw-pushpin"
        '</styleUrl>\n\t<ExtendedData><Data name="inn"><value>1650000001</value></Data></ExtendedData>'
        "<Point>\n\t\t<gx:drawOrder>1</gx:drawOrder>\n\t\t<coordinates>49.1,55.7,0</coordinates>\n\t"
        "</Point>\n</Placemark></Folder>", ""),
    "a prefixed child, the prefix declared above": ('<Folder xmlns:k="http://www.opengis.net/kml/2.2"><Placemark>'
                                                    "<k:name>n</k:name><name>m</name></Placemark></Folder>",
                                                    "alone"),
    "a prefixed placemark": ('<Folder xmlns:k="http://www.opengis.net/kml/2.2"><k:Placemark><k:name>n'
                             "</k:name></k:Placemark></Folder>", "tree"),
    "a prefix bound twice": ('<Folder xmlns:x="urn:a"><x:a/></Folder><Folder xmlns:x="urn:b"><Placemark>'
                             "<name>n</name><x:b/></Placemark></Folder>", "tree"),
    "GDAL's simple data": ('<Placemark>\n\t<name>Г</name>\n\t<ExtendedData><SchemaData schemaUrl="#m">\n'
                           '\t\t<SimpleData name="inn">1650000001</SimpleData>\n\t\t<SimpleData name="notes">'
                           '</SimpleData>\n\t\t<SimpleData name="employees">7</SimpleData>\n\t</SchemaData>'
                           "</ExtendedData>\n\t<Point><coordinates>49.1,55.2</coordinates></Point>\n"
                           "</Placemark>", ""),
    "data and simple data": ('<Placemark><name>Ж</name><ExtendedData><SchemaData><SimpleData name="inn">1'
                             '</SimpleData></SchemaData><Data name="notes"><value>3</value></Data>'
                             "</ExtendedData></Placemark>", "alone"),
    "a display name only": ('<Placemark><name>n</name><ExtendedData><Data name="inn"><displayName>ИНН'
                            '</displayName></Data><Data name="notes"><value/></Data></ExtendedData>'
                            "</Placemark>", "alone"),
    "a link between plain ones": ('<Placemark><name>n</name><ExtendedData><Data name="source_id"><value>a'
                                  '</value></Data><Data name="target_id"><value>b</value></Data>'
                                  "</ExtendedData></Placemark>", ""),
    "a bad point": ("<Placemark><name>n</name><Point><coordinates> 49 55 </coordinates></Point></Placemark>",
                    ""),
    "astral characters": ("<Placemark><name>𝔉𝔦𝔯𝔪 🏭</name><ExtendedData><Data name=\"notes\"><value>🙂"
                          "</value></Data></ExtendedData></Placemark>", ""),
    "longer names": ("<Placemarks/><PlacemarkX><name>не читать</name></PlacemarkX>", ""),
    "an inner default namespace": ('<Folder xmlns="urn:other"><Placemark><name>n</name></Placemark></Folder>'
                                   '<Placemark xmlns="urn:x"><name>m</name></Placemark>', ""),
    "an xml:lang attribute": ('<Placemark xml:lang="ru"><name xml:lang="ru">n</name></Placemark>', "alone"),
    "a comment": ("<!-- <Placemark><name>не читать</name></Placemark> -->", ""),
    "CDATA": ("<Placemark><name>n</name><description><![CDATA[<Placemark>&amp;</Placemark>]]></description>"
              "</Placemark>", ""),
    "comments in a placemark": ("<Placemark><!-- c --><name>A<!-- x -->B</name>\r\n<!----><description>d<!-- "
                                "</Placemark> --></description><ExtendedData><!-- <Data name='inn'> --><Data "
                                'name="notes"><value>v<!-- - -->w</value></Data></ExtendedData><Point>'
                                "<coordinates>49,55<!-- 1,2 --></coordinates></Point></Placemark>", ""),
    "CDATA in texts": ('<Placemark><name><![CDATA[A & B]]></name><description>a<![CDATA[<b>&amp;\r\n]]>b'
                       '<![CDATA[]]></description><ExtendedData><Data name="notes"><value><![CDATA[x<y]]>'
                       "</value></Data></ExtendedData><Point><coordinates><![CDATA[49,55]]></coordinates>"
                       "</Point></Placemark>", ""),
    "a comment and CDATA inside each other": ("<!-- <![CDATA[ --><Placemark><name><![CDATA[<!-- n -->]]>"
                                              "</name></Placemark><!-- ]]> -->", ""),
    "a processing instruction": ("<?app x?>", "tree"),
    "an xml: element": ("<xml:Placemark><xml:name>n</xml:name></xml:Placemark>", "tree"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("chunk", [29, 1 << 20])
def test_every_layout_reads_the_same_from_the_bytes_as_from_the_tree(tmp_path, monkeypatch, layout, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    odd, how = LAYOUTS[layout]
    path = tmp_path / "m.kml"
    path.write_bytes(KML.format(_plain(1) + odd + _plain(3) + _plain(4)).encode())
    seen = _spy(monkeypatch)
    got = _same_three_ways(path, monkeypatch)
    assert got[0][:2] == (1, [("name", "Фирма 1"), ("inn", "1650000001"), ("employees", "1"), ("lon", "49.1"),
                              ("lat", "55.1")])
    assert [n for n, *_ in got] == sorted({n for n, *_ in got})  # each placemark once, in order
    assert seen["fallback"] == (how == "tree")
    assert (seen["alone"] > 0) == (how == "alone")


@pytest.mark.parametrize("odd", sorted(ODD_CHILDREN))
def test_the_tree_readers_odd_children_read_the_same_from_the_bytes(tmp_path, monkeypatch, odd):
    path = tmp_path / "m.kml"
    path.write_text(KML.format(_plain(1) + ODD_CHILDREN[odd] + _plain(3)), encoding="utf-8")
    assert len(_same_three_ways(path, monkeypatch)) >= 2


@pytest.mark.parametrize("nested", sorted(NESTED))
@pytest.mark.parametrize("chunk", [31, 1 << 20])
def test_placemarks_inside_placemarks_read_the_same_from_the_bytes(tmp_path, monkeypatch, nested, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    body = "".join(_plain(k) for k in range(5)) + NESTED[nested] + "".join(_plain(k) for k in range(30, 35))
    path.write_text(KML.format(body), encoding="utf-8")
    got = _same_three_ways(path, monkeypatch)
    assert [n for n, *_ in got] == list(range(1, len(got) + 1))


@pytest.mark.parametrize("name", sorted(PLACEMARKS))
def test_the_tree_readers_files_read_the_same_from_the_bytes(tmp_path, monkeypatch, name):
    path = tmp_path / "m.kml"
    path.write_text(PLACEMARKS[name], encoding="utf-8")
    assert _same_three_ways(path, monkeypatch)


@pytest.mark.parametrize("root", sorted(ROOTS))
def test_the_tree_readers_roots_read_the_same_from_the_bytes(tmp_path, monkeypatch, root):
    path = tmp_path / "m.kml"
    path.write_text(ROOTS[root] + BODY, encoding="utf-8")
    assert len(_same_three_ways(path, monkeypatch)) == 2


ENCODED = {  # declared or byte-order-marked encodings: the tree reads them, from the start
    "utf-16": ('<?xml version="1.0" encoding="UTF-16"?>', "utf-16"),
    "utf-16 without a declaration": ("", "utf-16"),
    "windows-1251": ('<?xml version="1.0" encoding="windows-1251"?>', "cp1251"),
    "latin-1": ("<?xml version='1.0' encoding='ISO-8859-1'?>", "latin-1"),
    "utf-8 with a byte order mark": ('<?xml version="1.0" encoding="utf-8"?>', "utf-8-sig"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODED))
@pytest.mark.parametrize("chunk", [29, 1 << 20])
def test_other_encodings_read_the_same(tmp_path, monkeypatch, encoding, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    declaration, codec = ENCODED[encoding]
    body = ("".join(_plain(k) for k in range(4)) if codec != "latin-1"
            else "<Placemark><name>Café</name></Placemark>")
    path = tmp_path / "m.kml"
    path.write_bytes((declaration + '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>' + body
                      + "</Document></kml>").encode(codec))
    seen = _spy(monkeypatch)
    got = _same_three_ways(path, monkeypatch)
    assert got[0][1][0] == ("name", "Фирма 0" if codec != "latin-1" else "Café")
    assert seen["fallback"] == (codec != "utf-8-sig")


BROKEN = {
    "a mismatched tag late": lambda text: text.replace("<name>Фирма 250</name>", "<name>Фирма 250</nam>"),
    "a doctype": lambda text: text.replace("<kml", '<!DOCTYPE kml [<!ENTITY a "b">]><kml', 1),
    "an undefined entity late": lambda text: text.replace("<name>Фирма 250</name>", "<name>&a;</name>"),
    "an unbound prefix late": lambda text: text.replace("<name>Фирма 250</name>", "<x:name>a</x:name>"),
    "cut short": lambda text: text[: text.index("<name>Фирма 250</name>")],
    "another root": lambda text: text.replace("<kml", "<html", 1).replace("</kml>", "</html>"),
    "a stray byte": lambda text: text.replace("Фирма 250", "Фирма \x01"),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
@pytest.mark.parametrize("chunk", [4096, 1 << 20])
def test_broken_files_give_the_same_error_from_the_bytes(tmp_path, monkeypatch, broken, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    export_roster([Member(f"Фирма {i}", lat=55.0 + i / 1000, lon=49.0) for i in range(300)], None, path)
    path.write_text(BROKEN[broken](path.read_text(encoding="utf-8")), encoding="utf-8")
    got = _same_three_ways(path, monkeypatch)
    assert got[0] == "error"


def _roster(count: int) -> list[Member]:
    """Members whose texts need escaping in XML (what our export writes as entities)."""
    return [Member(f"ООО «Фирма {i}» & <Ко> \"кавычки\" 'и'", inn="7707083893", lat=55.0 + i / 100, lon=49.0,
                   notes=f"строка\r\nвторая\tтаб {i}" if i % 3 else "", employees=i, sector="29.10",
                   address=f"ул. «Заводская» & д. {i}") for i in range(count)]


@pytest.mark.parametrize("chunk", [4096, 1 << 20])
def test_our_export_is_read_from_the_bytes_alone(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    members = _roster(300)
    export_roster(members, None, path)
    seen = _spy(monkeypatch)
    got = _read(path, monkeypatch, "bytes")
    assert seen == {"fallback": 0, "alone": 0}
    assert got == _read(path, monkeypatch, "tree")
    assert len(got) == 300
    cells = dict(got[7][1])
    assert cells["name"] == members[7].name and cells["notes"] == members[7].notes
    assert cells["address"] == members[7].address and (cells["lon"], cells["lat"]) == ("49.0", "55.07")


@pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL (ogr2ogr) is not installed: "
                    "run scripts/system-deps.sh")
def test_a_kml_written_by_gdal_is_read_from_the_bytes_alone(tmp_path, monkeypatch):
    source, path = tmp_path / "m.gpkg", tmp_path / "gdal.kml"
    export_roster(_roster(50), None, source)
    subprocess.run(["ogr2ogr", "-f", "KML", str(path), str(source)], check=True, capture_output=True)
    assert b"<SimpleData" in path.read_bytes()
    seen = _spy(monkeypatch)
    got = _read(path, monkeypatch, "bytes")
    assert seen == {"fallback": 0, "alone": 0}
    assert got == _read(path, monkeypatch, "tree") and len(got) == 50


@pytest.mark.parametrize("late", ["<?app x?>", "<x:y xmlns:x='urn:y'/>", f"<!-- {'long ' * 5000}-->"])
def test_a_fallback_mid_file_hands_out_every_placemark_once(tmp_path, monkeypatch, late):
    """The bytes have been read for a while (chunks of placemarks handed out) when something
    only the tree reads turns up: the tree reads on from the first placemark not handed out."""
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    path = tmp_path / "m.kml"
    export_roster(_roster(300), None, path)
    text = path.read_text(encoding="utf-8").replace("<Document>", "<Document><x:a xmlns:x='urn:x'/>", 1)
    at = text.index("<Placemark", text.index("Фирма 250»"))
    path.write_text(text[:at] + f"<Folder>{late}</Folder>" + text[at:], encoding="utf-8")
    handed: list[int] = []
    batches = kml_quick.QuickReader.batches

    def counted(self):
        for batch in batches(self):
            handed.extend(n for n, _ in batch)
            yield batch

    with monkeypatch.context() as m:
        m.setattr(kml_quick.QuickReader, "batches", counted)
        got = _read(path, monkeypatch, "bytes")
    assert 100 < len(handed) <= 251  # the bytes read the placemarks before it, the tree the rest
    assert got == _read(path, monkeypatch, "tree")
    assert [n for n, *_ in got] == list(range(1, 301))


def test_an_import_from_the_bytes_equals_one_from_the_tree(tmp_path, monkeypatch):
    """Members, problems (row, field, code, message) and warnings of a whole import."""
    path = tmp_path / "m.kml"
    members = [replace(m, inn="") for m in _roster(120)]
    members[5] = replace(members[5], inn="1234567890")  # a wrong check digit: a warning
    export_roster(members, None, path)
    text = path.read_text(encoding="utf-8")
    at = text.index("<coordinates>", text.index("Фирма 40»")) + len("<coordinates>")
    path.write_text(text[:at] + "49 55" + text[text.index("</coordinates>", at):], encoding="utf-8")
    found = _imported_both_ways(path, tmp_path, monkeypatch,
                                lambda x: (x.name, x.inn, x.lat, x.lon, x.notes, x.address, x.employees))
    assert found[0] == found[1]
    _rows, (problems, warnings), added = found[0]
    assert added == 119 and [code for _, _, code, _ in problems] == ["bad_coordinates"]
    assert (6, "inn", "inn_check_digit") in [said[:3] for said in warnings]


def test_a_long_stretch_without_placemarks_is_not_held(tmp_path, monkeypatch):
    """The bytes after the last placemark are read (and dropped) a chunk at a time, not kept
    until a placemark or the end turns up."""
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", 4096)
    path = tmp_path / "m.kml"
    styles = "".join(f"<Style id='s{k}'><IconStyle><scale>1</scale></IconStyle></Style>" for k in range(4000))
    path.write_text(KML.format(_plain(1) + styles + _plain(2) + styles), encoding="utf-8")
    regions: list[int] = []
    read = kml_quick.QuickReader._read

    def spied(self, region, *rest):
        regions.append(len(region))
        return read(self, region, *rest)

    monkeypatch.setattr(kml_quick.QuickReader, "_read", spied)
    seen = _spy(monkeypatch)
    got = _read(path, monkeypatch, "bytes")
    assert [n for n, *_ in got] == [1, 2] and seen["fallback"] == 0
    assert len(regions) > 50 and max(regions) < 3 * 4096


GOOGLE_EARTH = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2" \
xmlns:kml="http://www.opengis.net/kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom">
<Document>
\t<name>Кластер.kml</name>
\t<!-- saved by hand after Google Earth -->
\t<StyleMap id="m_ylw-pushpin">
\t\t<Pair><key>normal</key><styleUrl>#s_ylw-pushpin</styleUrl></Pair>
\t\t<Pair><key>highlight</key><styleUrl>#s_ylw-pushpin_hl</styleUrl></Pair>
\t</StyleMap>
\t<Style id="s_ylw-pushpin">
\t\t<IconStyle><scale>1.1</scale><Icon><href>http://maps.google.com/mapfiles/kml/pushpin/ylw-pushpin.png</href>\
</Icon><hotSpot x="20" y="2" xunits="pixels" yunits="pixels"/></IconStyle>
\t</Style>
\t<Folder>
\t\t<name>Участники</name>
\t\t<open>1</open>
{}
\t</Folder>
</Document>
</kml>
"""


def _earth_placemark(k: int) -> str:
    """A placemark as Google Earth saves it (a LookAt, a style, gx: elements), with a CDATA
    description and, now and then, a comment or a data field."""
    data = (f'\t\t\t<ExtendedData>\n\t\t\t\t<Data name="ИНН">\n\t\t\t\t\t<value>{1650000000 + k}'
            f'</value>\n\t\t\t\t</Data>\n\t\t\t\t<Data name="employees">\n\t\t\t\t\t<value>{k}</value>\n'
            "\t\t\t\t</Data>\n\t\t\t</ExtendedData>\n") if k % 3 else ""
    comment = "\t\t\t<!-- moved by hand -->\n" if k % 7 == 0 else ""
    return (f"\t\t<Placemark>\n\t\t\t<name>ООО «Кама-{k}» &amp; Ко</name>\n{comment}"
            f"\t\t\t<description><![CDATA[<b>Цех</b> № {k} & склад\r\n<br/>]]></description>\n"
            f"\t\t\t<LookAt>\n\t\t\t\t<longitude>49.{k}</longitude>\n\t\t\t\t<latitude>55.{k}</latitude>\n"
            "\t\t\t\t<altitude>0</altitude>\n\t\t\t\t<heading>0</heading>\n\t\t\t\t<tilt>0</tilt>\n"
            "\t\t\t\t<range>1000</range>\n\t\t\t\t<gx:altitudeMode>relativeToSeaFloor</gx:altitudeMode>\n"
            f"\t\t\t</LookAt>\n\t\t\t<styleUrl>#m_ylw-pushpin</styleUrl>\n{data}"
            f"\t\t\t<Point>\n\t\t\t\t<gx:drawOrder>1</gx:drawOrder>\n\t\t\t\t<coordinates>49.{k},55.{k},0"
            "</coordinates>\n\t\t\t</Point>\n\t\t</Placemark>\n")


@pytest.mark.parametrize("chunk", [4096, 1 << 20])
def test_a_google_earth_file_is_read_from_the_bytes_alone(tmp_path, monkeypatch, chunk):
    """xmlns:gx, comments and CDATA descriptions: read from the bytes, every placemark in the
    usual way (none parsed alone), and the same as the tree reads it."""
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "earth.kml"
    path.write_bytes(GOOGLE_EARTH.format("".join(_earth_placemark(k) for k in range(200))).encode())
    seen = _spy(monkeypatch)
    got = _read(path, monkeypatch, "bytes")
    assert seen == {"fallback": 0, "alone": 0}
    assert got == _read(path, monkeypatch, "tree") == _read(path, monkeypatch, "walk")
    assert len(got) == 200
    assert dict(got[5][1]) == {"name": "ООО «Кама-5» & Ко", "notes": "<b>Цех</b> № 5 & склад\n<br/>",
                               "inn": "1650000005", "employees": "5", "lon": "49.5", "lat": "55.5"}


def test_a_google_earth_import_from_the_bytes_equals_one_from_the_tree(tmp_path, monkeypatch):
    path = tmp_path / "earth.kml"
    path.write_bytes(GOOGLE_EARTH.format("".join(_earth_placemark(k) for k in range(60))).encode())
    found = _imported_both_ways(path, tmp_path, monkeypatch,
                                lambda x: (x.name, x.inn, x.lat, x.lon, x.notes, x.employees))
    assert found[0] == found[1]
    assert found[0][2] == 60
