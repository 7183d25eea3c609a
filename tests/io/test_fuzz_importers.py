"""A bounded fuzz of every importer (seconds, in `make test`): whatever the bytes, the only
exception is ImportFileError, and every problem is one printable line naming the file and row."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cluster_desk.core.model import Member
from cluster_desk.io import ImportFileError, export_roster, read_roster
from cluster_desk.text import text_for
from cluster_desk.text.import_problems import import_problem_line

TEXTS = [text_for("en"), text_for("ru")]

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_cell = st.one_of(
    st.sampled_from(
        [
            "",
            "н/д",
            "-",
            "нет",
            "55,79",
            "55 38 10 N",
            "49.1",
            "1e10",
            "7707083893",
            "Вуз",
            "firm",
            "=1+1",
            '"',
            "'",
            "\x00",
            "\x1b[31m",
            "\r",
            "\n",
            "NaN",
            "inf",
            "2020-02-30",
        ]
    ),
    st.text(max_size=12),
)
_headers = st.lists(
    st.sampled_from(
        [
            "name",
            "Наименование",
            "Вид",
            "lat",
            "lon",
            "Координаты",
            "ИНН",
            "employees",
            "joined",
            "id",
            "notes",
            "x",
        ]
    ),
    min_size=1,
    max_size=6,
)


def one_line(text: str) -> bool:
    """No control characters, line or paragraph separators, or undecodable bytes."""
    return not any(unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") for c in text)


def check(path: Path) -> None:
    try:
        result = read_roster(path)
    except ImportFileError as e:
        assert path.name in str(e) and one_line(str(e))
        return
    for p in result.problems:
        assert p.file == path.name and p.row >= 1 and p.code, p
    for w in result.warnings:
        assert w.file == path.name and w.row >= 0 and w.code, w
    for line in map(str, (*result.problems, *result.warnings)):
        assert one_line(line) and line.startswith(path.name)
    for p in (*result.problems, *result.warnings):  # every code has its sentence in each language
        for text in TEXTS:
            assert one_line(import_problem_line(p, text, imported=p in result.warnings))
    for m in result.members:
        assert m.name.strip()
        assert m.lat is None or (-90 <= m.lat <= 90 and -180 <= m.lon <= 180)


@FUZZ
@given(
    headers=_headers,
    rows=st.lists(st.lists(_cell, max_size=7), max_size=8),
    sep=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1251", "utf-16"]),
)
def test_fuzz_csv(tmp_path, headers, rows, sep, encoding):
    text = "\n".join(sep.join(r) for r in [headers, *rows])
    f = tmp_path / "fuzz.csv"
    f.write_bytes(text.encode(encoding, errors="replace"))
    check(f)


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_csv_bytes(tmp_path, data):
    f = tmp_path / "bytes.csv"
    f.write_bytes(b"name,lat,lon\n" + data)
    check(f)


@FUZZ
@given(
    headers=_headers,
    rows=st.lists(st.lists(st.one_of(_cell, st.integers(), st.floats()), max_size=7), max_size=6),
)
def test_fuzz_xlsx(tmp_path, headers, rows):
    wb = Workbook()
    ws = wb.active
    for row in [headers, *rows]:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    f = tmp_path / "fuzz.xlsx"
    wb.save(f)
    check(f)


_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "coordinates",
                    "geometry",
                    "properties",
                    "name",
                    "features",
                    "geometries",
                    "crs",
                    "id",
                ]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=20,
)
_geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["Point", "MultiPoint", "Polygon", "LineString", "GeometryCollection", "Circle"]
        ),
        "coordinates": _json,
    }
)


@FUZZ
@given(
    features=st.lists(
        st.one_of(
            _json,
            st.fixed_dictionaries(
                {
                    "type": st.just("Feature"),
                    "geometry": st.one_of(st.none(), _geometry, _json),
                    "properties": st.one_of(
                        st.dictionaries(st.sampled_from(["name", "kind", "inn", "employees"]), _cell), _json
                    ),
                }
            ),
        ),
        max_size=6,
    ),
    crs=st.sampled_from([None, "EPSG:3857", "urn:ogc:def:crs:EPSG::3857", "EPSG:4326", "junk"]),
)
def test_fuzz_geojson(tmp_path, features, crs):
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    f = tmp_path / "fuzz.geojson"
    f.write_text(json.dumps(doc))
    check(f)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("samples")
    members = [Member("ООО «Кама»", lat=55.8, lon=49.1, inn="7707083893"), Member("КФУ")]
    out = {}
    for suffix in (".kml", ".gpkg", ".xlsx", ".geojson"):
        export_roster(members, None, folder / f"s{suffix}")
        out[suffix] = (folder / f"s{suffix}").read_bytes()
    return out


@FUZZ
@given(
    suffix=st.sampled_from([".kml", ".gpkg", ".xlsx", ".geojson"]),
    edits=st.lists(
        st.tuples(st.integers(0, 10**6), st.binary(min_size=0, max_size=4)), min_size=1, max_size=4
    ),
    cut=st.one_of(st.none(), st.integers(1, 10**6)),
)
def test_fuzz_mutated_files(tmp_path, samples, suffix, edits, cut):
    data = bytearray(samples[suffix])
    for at, new in edits:
        at %= len(data)
        data[at : at + len(new)] = new
    if cut is not None:
        data = data[: cut % len(data) or 1]
    f = tmp_path / f"mutated{suffix}"
    f.write_bytes(bytes(data))
    check(f)


def test_a_workbook_whose_sheet_does_not_inflate_is_refused_in_words(tmp_path, samples):
    """Bytes zeroed inside the sheet's deflate stream (what the fuzz above once found: a raw
    zlib.error from the look for formulas, not a message)."""
    import zipfile

    data = bytearray(samples[".xlsx"])
    src = tmp_path / "s.xlsx"
    src.write_bytes(bytes(data))
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    # The data starts after the local header's own name and extra field (a zip64 extra there
    # need not be in the central directory's copy).
    at = info.header_offset
    name_len, extra_len = (int.from_bytes(data[at + k:at + k + 2], "little") for k in (26, 28))
    start = at + 30 + name_len + extra_len
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > 16
    data[start : start + 3] = b"\x00\x00\x00"  # the stream's first block header: invalid
    f = tmp_path / "damaged.xlsx"
    f.write_bytes(bytes(data))
    with zipfile.ZipFile(f) as z, pytest.raises(Exception) as raw:  # the damage is real
        z.read("xl/worksheets/sheet1.xml")
    assert not isinstance(raw.value, ImportFileError)
    check(f)
