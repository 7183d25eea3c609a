"""Placemarks the byte reader leaves out of expat's reading (kml_vouch): a file is accepted from
the bytes exactly when the tree reader accepts it. Snippets XML refuses (or allows) put in a
usual file's texts, attributes and between its tags give the tree's cells or the tree's error;
and most of our export's bytes are not read by expat twice."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kml_quick import KML, _read, _roster

from cluster_desk.io import export_roster
from cluster_desk.io.formats import kml_quick, kml_stream
from cluster_desk.io.formats.kml_vouch import vouchable

SNIPPETS = {  # what expat says of each (True: well-formed in a text)
    "&amp;": True, "&lt;&gt;&quot;&apos;": True, "&#13;&#9;&#x424;&#1060;": True, "&#x10FFFF;": True,
    "]]": True, "\ufffd": True, "\u00a0\u2028\x85\x7f": True, "🙂": True, ">": True, "\r\n": True,
    "&": False, "&amp": False, "&foo;": False, "&#0;": False, "&#x1;": False, "&#xD800;": False,
    "&#xFFFE;": False, "&#X41;": False, "&#;": False, "&#x;": False, "]]>": False, "\x01": False,
    "\x1f": False, "\x0b": False, "\ufffe": False, "\uffff": False, "&#99999999999;": False,
    "&#x110000;": False,
}
WHERE = ["value", "name", "description", "display", "id", "between", "coordinates"]


def _usual(count: int, puts: dict[int, tuple[str, str]]) -> str:
    """A file of the usual layout (our export's) with, in placemark k, ``snippet`` put ``where``
    (``puts[k] = (where, snippet)``)."""
    out = []
    for j in range(count):
        where, snippet = puts.get(j, ("", ""))
        at = {w: snippet if w == where else "" for w in WHERE}
        out.append(f'<Placemark id="m{j}{at["id"]}">\n<name>Ф {j}{at["name"]}</name>\n'
                   f"<description>d{at['description']}</description>{at['between']}\n<ExtendedData>\n"
                   f'<Data name="inn"><displayName>ИНН{at["display"]}</displayName><value>{j}{at["value"]}'
                   f'</value></Data>\n<Data name="address"><value>ул. {j}</value></Data>\n</ExtendedData>\n'
                   f"<Point><coordinates>49.{j},55{at['coordinates']}</coordinates></Point>\n</Placemark>\n")
    return KML.format("".join(out))


def _same(text: str, chunk: int) -> list | tuple:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.kml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(kml_stream, "CHUNK_BYTES", chunk)
            got = _read(path, mp, "bytes")
            assert got == _read(path, mp, "tree")
    return got


@pytest.mark.parametrize("snippet", sorted(SNIPPETS))
@pytest.mark.parametrize("where", WHERE)
def test_a_snippet_anywhere_in_a_usual_file_reads_as_the_tree_reads_it(snippet, where):
    got = _same(_usual(40, {25: (where, snippet)}), 1 << 20)
    if not SNIPPETS[snippet] and (where, snippet) != ("id", "]]>"):  # (an attribute may hold "]]>")
        assert got[0] == "error"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.integers(0, 59),
                       st.tuples(st.sampled_from(WHERE), st.sampled_from(sorted(SNIPPETS))), max_size=3),
       st.sampled_from([211, 4096, 1 << 20]))
def test_snippets_in_usual_files_cut_in_chunks_read_as_the_tree_reads_them(puts, chunk):
    _same(_usual(60, puts), chunk)


def test_vouchable_says_no_to_what_xml_refuses():
    for snippet, fine in SNIPPETS.items():
        assert vouchable(f"<a>x{snippet}y</a>".encode("utf-8", "surrogatepass")) == (
            fine and snippet != "\ufffd"), snippet  # U+FFC0-U+FFFF are left to expat


def test_our_export_is_mostly_not_read_by_expat_twice(tmp_path, monkeypatch):
    path = tmp_path / "m.kml"
    export_roster(_roster(300), None, path)
    text = path.read_text(encoding="utf-8").replace("&#13;", "").replace("\t", " ").replace("&#9;", "")
    path.write_text(text, encoding="utf-8")  # (character references: a region expat reads in full)
    fed: list[int] = []
    feed = kml_quick._Checker.feed

    def counted(self, chunk, last=False):
        fed.append(len(chunk))
        return feed(self, chunk, last)

    monkeypatch.setattr(kml_quick._Checker, "feed", counted)
    got = _read(path, monkeypatch, "bytes")
    assert len(got) == 300 and sum(fed) < path.stat().st_size / 10
    monkeypatch.undo()
    assert got == _read(path, monkeypatch, "tree")
