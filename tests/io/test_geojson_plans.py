"""A GeoJSON feature's properties read by plans of their keys (geojson_read._plan, worked out once
per list of keys) give the cells of the key-by-key loop they replaced (kept here as the
reference): the same fields, values, key order and notes, and links passed over alike."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.io.formats import geojson_read
from cluster_desk.io.link_words import is_links_table
from cluster_desk.io.rows import Cells
from cluster_desk.io.vocabulary import field_of_header

KEYS = ["name", "Name", "Название", "inn", "ИНН", "lat", "lon", "size_class", "feature", "source_id",
        "target_id", "поставщик", "покупатель", "from", "to", "foo", "id", "notes", "employees", "Сотрудники",
        ""]
VALUES = st.one_of(st.text(max_size=5), st.integers(-5, 10**12), st.floats(allow_nan=False), st.none(),
                   st.booleans(), st.lists(st.integers(), max_size=2),
                   st.dictionaries(st.sampled_from(["a", "б"]), st.integers(), max_size=2), st.just("link"))
GEOMETRIES = st.one_of(st.none(), st.just({"type": "Point", "coordinates": [49.1, 55.2]}),
                       st.just({"type": "LineString", "coordinates": [[49, 55], [50, 56]]}),
                       st.just({"type": "MultiLineString", "coordinates": [[[49, 55], [50, 56]]]}),
                       st.just({"coordinates": [1, 2]}), st.just([1, 2]), st.just("x"))


def _reference(feature: dict) -> Cells | None:
    """The key-by-key loop (the properties only; the geometry is read alike after it)."""
    geometry = feature.get("geometry")
    props = feature.get("properties") or {}
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if props.get("feature") == "link" or (kind in (None, "LineString", "MultiLineString")
                                          and is_links_table([str(k) for k in props])):
        return None
    cells = Cells()
    for key, value in props.items():
        fld = field_of_header(str(key))
        if fld and fld not in cells and fld not in ("lat", "lon", "latlon", "size_class"):
            cells[fld] = geojson_read._cell(value)
    return cells


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=10), GEOMETRIES,
       st.one_of(st.none(), st.text(max_size=3), st.integers()))
def test_properties_read_by_plans_give_the_key_by_key_cells(pairs, geometry, feature_id):
    feature = {"type": "Feature", "geometry": geometry, "properties": dict(pairs)}
    if feature_id is not None:
        feature["id"] = feature_id
    feature = json.loads(json.dumps(feature))  # as the reader gets it
    expected = _reference(feature)
    got = geojson_read._feature_cells(feature, None)
    if expected is None:
        assert got is None
        return
    assert isinstance(got, Cells)
    assert list(got.items())[: len(expected)] == list(expected.items())
    assert not set(got).difference(expected, {"id", "lat", "lon"})
