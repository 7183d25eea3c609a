"""Offline maps timings: the place index (SQLite: maps/places/places.sqlite) against the in-memory
index it replaced (tests/offline/legacy_places.py) in the same run: opening and the first search,
memory, search per query, nearest place for many members; then opening a 100,000-tile pack and
serving a tile through the scheme handler. ``results(sizes)`` gives rows for bench/run_bench.py.

    python bench/bench_places_tiles.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "offline"))  # legacy_places

QUERIES = ["Казань", "kazan", "Набережные Челны", "naberezhnye", "Москва", "saint pete", "челны",
           "Альметьевск", "elabuga", "Зеленодольск", "novo", "берлин", "ab", "ville", "Нижн"]


LEGACY_NEAREST_MAX = 10_000


def rss_mb() -> float:
    """Resident memory now (not the peak), MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def row(work: str, size: int, ours: float, peer: str | None = None, peer_value: float | None = None,
        unit: str = "s") -> dict:
    return {"work": work, "size": size, "ours": ours, "unit": unit, "peer": peer, "peer_value": peer_value}


def members_around_kazan(n: int, seed: int = 1) -> tuple[list[float], list[float]]:
    rnd = random.Random(seed)  # the bench_core spread: ~300 km around Kazan
    return ([round(55.79 + rnd.gauss(0, 1.0), 5) for _ in range(n)],
            [round(50.5 + rnd.gauss(0, 1.6), 5) for _ in range(n)])


def place_rows(sizes: list[int]) -> list[dict]:
    from legacy_places import LegacyPlaceIndex

    from cluster_desk.paths import map_data
    from cluster_desk.places.index import PlaceIndex

    before = "in-memory index (before)"
    m0 = rss_mb()
    t = time.perf_counter()
    idx = PlaceIndex(map_data("places", "places.sqlite"))
    idx.search("Казань")
    first = time.perf_counter() - t
    m1 = rss_mb()
    t = time.perf_counter()
    old = LegacyPlaceIndex(map_data("places", "places.tsv.gz"))
    old.search("Казань")
    old_first = time.perf_counter() - t
    m2 = rss_mb()
    n_places = len(idx)
    rows = [row("places: open + first search", n_places, first, before, old_first),
            row("places: memory after first search", n_places, m1 - m0, before, m2 - m1, unit="MB")]
    for name, index in (("new", idx), ("old", old)):
        times = []
        for _ in range(3):
            for q in QUERIES:
                t = time.perf_counter()
                index.search(q)
                times.append(time.perf_counter() - t)
        if name == "new":
            new_search = statistics.median(times)
        else:
            old_search = statistics.median(times)
            rows.append(row("places: search, median query", n_places, new_search, before, old_search))
    t = time.perf_counter()
    idx.nearest_many([55.79], [49.12])  # the first call reads the columns and buckets the places
    rows.append(row("places: nearest, first call (reads the index)", 1, time.perf_counter() - t))
    for n in sizes:
        lats, lons = members_around_kazan(n)
        t = time.perf_counter()
        idx.nearest_many(lats, lons)
        ours = time.perf_counter() - t
        if n > LEGACY_NEAREST_MAX:  # ~1.5 ms a point: minutes at 100,000 on a loaded machine
            rows.append(row("places: nearest place of n members", n, ours))
            continue
        t = time.perf_counter()
        for la, lo in zip(lats, lons, strict=True):
            old.nearest(la, lo)
        rows.append(row("places: nearest place of n members", n, ours, before, time.perf_counter() - t))
    idx.close()
    return rows


def tile_rows() -> list[dict]:
    out: list[dict] = []

    from tilepack_helpers import make_pack, png

    from cluster_desk.tiles.mbtiles import MBTiles

    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "big.mbtiles"
        blob = png((10, 120, 200), 256)
        make_pack(pack, ((12, 2000 + i % 400, 1200 + i // 400, blob) for i in range(100_000)))
        t = time.perf_counter()
        mb = MBTiles(pack)
        out.append(row("tiles: open a pack", 100_000, time.perf_counter() - t))
        reads = []
        for i in range(0, 100_000, 50):
            t = time.perf_counter()
            mb.tile(12, 2000 + i % 400, 1200 + i // 400)
            reads.append(time.perf_counter() - t)
        out.append(row("tiles: read a tile (median)", 100_000, statistics.median(reads)))

        from cluster_desk.ui.map.scheme import SchemeHandler, register_scheme

        register_scheme()
        from PySide6.QtWidgets import QApplication

        _app = QApplication.instance() or QApplication([])
        handler = SchemeHandler()
        pid = handler.add_pack(mb)
        serve = []
        for i in range(0, 100_000, 50):
            t = time.perf_counter()
            handler.tile_response(f"/tiles/{pid}/12/{2000 + i % 400}/{1200 + i // 400}")
            serve.append(time.perf_counter() - t)
        out.append(row("tiles: serve a tile, scheme handler (median)", 100_000, statistics.median(serve)))
        mb.close()
    return out


def results(sizes: list[int]) -> list[dict]:
    return place_rows(sizes) + tile_rows()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(x) for x in ap.parse_args().sizes.split(",")]
    for r in results(sizes):
        peer = f"  vs {r['peer_value']:.4g} {r['unit']} ({r['peer']})" if r["peer"] else ""
        print(f"{r['work']:<48} {r['size']:>8,}  {r['ours']:.4g} {r['unit']}{peer}")


if __name__ == "__main__":
    main()
