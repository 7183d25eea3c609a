"""Offline maps timings: place search per query, nearest place, opening a 100,000-tile pack,
serving a tile through the scheme handler. Run: ``python bench/bench_places_tiles.py``."""

from __future__ import annotations

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

QUERIES = ["Казань", "kazan", "Набережные Челны", "naberezhnye", "Москва", "saint pete", "челны",
           "Альметьевск", "elabuga", "Зеленодольск", "novo", "берлин", "ab", "ville", "Нижн"]


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.2f} ms, max {max(samples) * 1000:.2f} ms"


def main() -> None:
    from cluster_desk.places import default_index

    t0 = time.perf_counter()
    idx = default_index()
    print(f"places: load {time.perf_counter() - t0:.2f} s, {len(idx):,} places")
    times = []
    for _ in range(3):
        for q in QUERIES:
            t = time.perf_counter()
            idx.search(q)
            times.append(time.perf_counter() - t)
    print(f"search ({len(QUERIES)} queries x3): {ms(times)}")
    rnd = random.Random(1)
    pts = [(rnd.uniform(-60, 75), rnd.uniform(-180, 180)) for _ in range(2000)]
    t = time.perf_counter()
    for lat, lon in pts:
        idx.nearest(lat, lon)
    print(f"nearest place: {(time.perf_counter() - t) / len(pts) * 1000:.3f} ms per point (2,000 random)")

    from tilepack_helpers import make_pack, png

    from cluster_desk.tiles.mbtiles import MBTiles

    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "big.mbtiles"
        blob = png((10, 120, 200), 256)
        make_pack(pack, ((12, 2000 + i % 400, 1200 + i // 400, blob) for i in range(100_000)))
        print(f"pack: 100,000 tiles, {pack.stat().st_size / 1e6:.0f} MB")
        t = time.perf_counter()
        mb = MBTiles(pack)
        print(f"open 100,000-tile pack: {(time.perf_counter() - t) * 1000:.2f} ms")
        reads = []
        for i in range(0, 100_000, 50):
            t = time.perf_counter()
            mb.tile(12, 2000 + i % 400, 1200 + i // 400)
            reads.append(time.perf_counter() - t)
        print(f"read a tile (MBTiles.tile): {ms(reads)}")

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
        print(f"serve a tile (scheme handler: parse URL + lookup): {ms(serve)}")
        mb.close()


if __name__ == "__main__":
    main()
