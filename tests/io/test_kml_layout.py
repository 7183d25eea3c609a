"""The byte reader's layout pattern (kml_layout) gives what the tree gives, on generated files:
placemarks with any subset of a file's data names (in its order or not, some twice, some giving
the same field, a link's ends), empty and escaped values, display names or none, ``Data`` or
``SimpleData``, odd coordinates, however the chunks cut the file. And our export is read by it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_kml_quick import KML, _read, _roster

from cluster_desk.io import export_roster
from cluster_desk.io.formats import kml_layout, kml_quick, kml_stream

# data names in a file's usual order; "ИНН" and "inn" give one field, "lat" and "foo" none
NAMES = ["name", "kind", "inn", "ИНН", "employees", "notes", "Примечание", "address", "lat", "foo", "id",
         "source_id"]
PIECES = ["a", "Я", "ё", "«", "»", " ", "  ", "\t", "\n", "\r\n", ".", ",", "-", "0", "7", "🙂", "&amp;",
          "&lt;", "&gt;", "&quot;", "&apos;", "&#13;", "&#x424;", "&#9;", ">"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
COORDINATES = ["49.1,55.2", " 49.1 , 55.2 ", "49.1,55.2,0", "\n\t49,55,0 ", "49,55 1,2", "49 55", "&#52;9,55",
               "1e5,-2", "", "+1.,-.5", "49,", ",55", "49\r\n,55", "4,9,,5"]
SPACE = st.sampled_from(["", "\n", "\n\t", " "])
STARTS = ["<Placemark>", '<Placemark id="m1">', "<Placemark id='m2'>", '<Placemark id="a/b">', "<Placemark >",
          '<Placemark id="x" targetId="y">']


@st.composite
def placemarks(draw: st.DrawFn) -> str:
    sp = draw(SPACE)
    parts = [draw(st.sampled_from(STARTS)), sp]
    if draw(st.booleans()):
        parts.append(f"<name>{draw(TEXTS)}</name>{sp}")
    if draw(st.booleans()):
        parts.append(f"<description>{draw(TEXTS)}</description>{sp}")
    if draw(st.integers(0, 4)):
        names = draw(st.lists(st.sampled_from(NAMES), max_size=8))
        if draw(st.integers(0, 3)):  # mostly the file's order, each name once
            names = sorted(set(names), key=NAMES.index)
        simple = draw(st.integers(0, 3)) == 0
        fields = []
        for key in names:
            value = draw(TEXTS)
            if simple:
                fields.append(f'<SimpleData name="{key}">{value}</SimpleData>{sp}')
            else:
                shown = f"<displayName>{draw(TEXTS)}</displayName>{sp}" if draw(st.booleans()) else ""
                fields.append(f'<Data name="{key}">{sp}{shown}<value>{value}</value>{sp}</Data>{sp}')
        body = "".join(fields)
        if simple:
            body = f'<SchemaData schemaUrl="#m">{sp}{body}</SchemaData>{sp}'
        parts.append(f"<ExtendedData>{sp}{body}</ExtendedData>{sp}")
    if draw(st.integers(0, 3)):
        parts.append(f"<Point>{sp}<coordinates>{draw(st.sampled_from(COORDINATES))}</coordinates>{sp}</Point>{sp}")
    parts.append("</Placemark>" if draw(st.integers(0, 5)) else "</Placemark >")
    return "".join(parts)


def _same_from_the_bytes_and_the_tree(text: str, chunk: int) -> list | tuple:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.kml"
        path.write_bytes(text.encode())
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(kml_stream, "CHUNK_BYTES", chunk)
            got = _read(path, mp, "bytes")
            assert got == _read(path, mp, "tree")
    return got


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(placemarks(), min_size=1, max_size=12), SPACE, st.sampled_from([97, 1 << 20]))
def test_generated_placemarks_read_the_same_from_the_bytes_and_the_tree(found, space, chunk):
    _same_from_the_bytes_and_the_tree(KML.format(space.join(found)), chunk)


@settings(max_examples=40, deadline=None)
@given(placemarks(), st.lists(st.integers(0, 11), min_size=3, max_size=40))
def test_a_usual_file_with_odd_placemarks_reads_the_same(odd, kinds):
    """Placemarks of one usual layout (each field there or not), now and then a generated one:
    the layout is built, widened and missed."""
    usual = []
    keys = ("name", "inn", "employees", "address")
    for k, kind in enumerate(kinds):
        fields = "".join(f'<Data name="{key}"><value>{key} {k}</value></Data>\n'
                         for j, key in enumerate(keys) if (kind >> j) & 1 == 0)
        usual.append(odd if kind == 11 else f"<Placemark><name>Ф {k}</name>\n<ExtendedData>{fields}"
                     f"</ExtendedData><Point><coordinates>49.{k},55</coordinates></Point></Placemark>")
    got = _same_from_the_bytes_and_the_tree(KML.format("\n".join(usual)), 1 << 20)
    assert len(got) >= len(kinds) - kinds.count(11)


def test_merged_keeps_both_orders_or_says_none():
    assert kml_layout.merged(("a", "b", "c"), ("a", "x", "c", "y")) == ("a", "x", "b", "c", "y")
    assert kml_layout.merged(("a", "b"), ("b", "a")) is None
    assert kml_layout.merged(("a",), ("b", "b")) is None
    assert kml_layout.merged((), ("b", "a")) == ("b", "a")


@pytest.mark.parametrize("chunk", [4096, 1 << 20])
def test_our_export_is_read_by_its_layout(tmp_path, monkeypatch, chunk):
    """Nearly every placemark of our export is read by the layout pattern (the general way reads
    those that widen it), and the cells are the tree's."""
    monkeypatch.setattr(kml_stream, "CHUNK_BYTES", chunk)
    path = tmp_path / "m.kml"
    export_roster(_roster(300), None, path)
    general = []
    learn = kml_quick.QuickReader._learn

    def spied(self, kind, names):
        general.append(names)
        return learn(self, kind, names)

    monkeypatch.setattr(kml_quick.QuickReader, "_learn", spied)
    got = _read(path, monkeypatch, "bytes")
    assert len(got) == 300 and 0 < len(general) <= 3
    monkeypatch.undo()
    assert got == _read(path, monkeypatch, "tree")


def test_layouts_that_would_not_give_the_plans_cells_are_not_built():
    from cluster_desk.io.formats.kml_read import _plan

    assert kml_layout.layout_of("Data", ("inn", "ИНН"), _plan) is None  # one field twice
    assert kml_layout.layout_of("Data", ("source_id", "target_id"), _plan) is None  # a link
    assert kml_layout.layout_of("Data", ("a&b",), _plan) is None
    layout = kml_layout.layout_of("Data", ("name", "lat", "inn"), _plan)
    assert layout is not None and layout.keys == ("name", "inn", "lon", "lat") and layout.named
