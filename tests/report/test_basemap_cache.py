"""The passport map's country outlines kept decoded in the user's cache: the same rings as the
TopoJSON gives, and a damaged or unwritable cache only costs the decoding again."""

from __future__ import annotations

import numpy as np

from cluster_desk.paths import map_data
from cluster_desk.report import basemap


def _fresh(monkeypatch, folder):
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(folder))
    basemap.country_rings.cache_clear()
    return basemap._rings_cache(map_data("countries-50m.json"))


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_cached_rings_are_the_decoded_rings(monkeypatch, tmp_path):
    cache = _fresh(monkeypatch, tmp_path)
    decoded = basemap._decode_rings(map_data("countries-50m.json"))
    assert _same(basemap.country_rings(), decoded) and cache.is_file()  # decoded, then kept
    basemap.country_rings.cache_clear()
    assert _same(basemap.country_rings(), decoded)  # read back from the cache
    cache.write_bytes(cache.read_bytes()[:1000])  # damaged (cut short)
    basemap.country_rings.cache_clear()
    assert _same(basemap.country_rings(), decoded)
    basemap.country_rings.cache_clear()


def test_unwritable_cache_folder_still_gives_the_rings(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    _fresh(monkeypatch, blocker)  # the cache folder would be under a plain file
    rings = basemap.country_rings()
    assert len(rings) > 1000 and all(r.shape[1] == 2 for r in rings)
    basemap.country_rings.cache_clear()
