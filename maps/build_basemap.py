"""Build the regional basemap of Russia (``maps/basemap/``) from Debian's GMT data packages.

Run at development time only (the app reads the output; CI checks its checksums):

    apt-get install gmt gmt-gshhg-full gmt-dcw iso-codes     # build-time tools and data
    python maps/build_basemap.py                             # writes maps/basemap/*

Sources (all read through GMT's own ``gmt coast -M`` dump, so no binned-format reader here):
- lakes and reservoirs: GSHHG 2.3.7 full resolution, levels 2 (lakes, river-lakes) minus level 3
  (islands in them), 0.5 km² and larger — Debian ``gmt-gshhg-full``, LGPL-3+;
- rivers: WDBII classes 0-4 from the same package (double-lined rivers, major, additional, minor);
- federal subjects: DCW-GMT 2.1.1 (``gmt-dcw``, LGPL-3+), 83 subjects with ISO 3166-2 codes;
  English names from DCW, Russian names from ``iso-codes`` (LGPL-2.1+) joined by code.

Outputs (deterministic: the same packages give the same bytes):
- ``russia-regional.mbtiles``: vector tiles z4-z9 over Russia (MBTiles, ``format=json``, each
  tile gzip'd JSON in tile units of 1/16 px: ``{"w": [[ring, ...], ...], "r": [[class, ...line],
  ...], "b": [line, ...]}``; rings and lines are flat ``[x0, y0, dx1, dy1, ...]`` deltas). The map
  page overzooms z9 tiles past z9 (simplified to 0.6 px up to z8, ~200 m at z8 near Kazan, and
  0.15 px at z9, ~26 m: the sources' own detail, see TOLERANCE_PX).
- ``russia-subjects.geojson.gz``: the 83 subjects (simplified to ~100 m, cut along a 1° grid for
  fast lookups) with code, names and a label point; ``cluster_desk.places.regions`` finds a
  member's subject in it.
- ``russia-subject-labels.json``: code, names, label point and area for the page's labels.
- ``russia-subjects.npz``: the same subjects' pieces as numpy arrays, made from the GeoJSON
  (``cluster_desk.places.regions_data``): the app reads them in ~20 ms instead of ~0.4 s.
- ``SHA256SUMS``: checksums of the above (tests/test_basemap_data.py checks them).
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import hashlib
import json
import math
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.ops import linemerge, polylabel

OUT = Path(__file__).resolve().parent / "basemap"
REGION = "15/195/38/83"  # continuous longitudes: Chukotka runs past 180°
ZOOMS = range(4, 10)
EXTENT = 4096  # tile units per tile side (16 per pixel of a 256 px tile)
UNITS_PER_PX = EXTENT / 256
LAKE_MIN_KM2 = 0.5
#: WDBII classes (GMT ``-I``): 0 double-lined rivers (banks of wide rivers and river-lakes),
#: 1 permanent major, 2 additional major, 3 additional, 4 minor rivers.
RIVERS = (0, 1, 2, 3, 4)
RIVER_CLASSES_BY_ZOOM = {4: (1, 2), 5: (1, 2), 6: (0, 1, 2, 3), **{z: RIVERS for z in (7, 8, 9)}}
SUBJECT_TOLERANCE_DEG = 0.001  # ~100 m: the lookup file
#: Simplification per zoom, in pixels of that zoom. The last zoom is drawn magnified for every
#: closer view (z10-z13: 50-5 km across), so it keeps the sources' own detail: 0.15 px at z9 is
#: ~26 m at 56°N, while WDBII's vertices are ~0.6 km apart and DCW's 1-3 km (finer tiles or
#: per-subject files would only repeat the same vertices).
TOLERANCE_PX = {z: (0.15 if z == max(ZOOMS) else 0.6) for z in ZOOMS}
#: Water and rivers only (no subject borders or names: DCW-GMT 2.1.1 has no Crimea or Sevastopol,
#: and no other freely licensed source of them is packaged): the Crimean peninsula.
CRIMEA_WATER_BOX = (32.4, 44.35, 36.7, 46.25)
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-2.json")
DCW_STATES = Path("/usr/share/gmt-dcw/dcw-states.txt")
OUTPUT_NAMES = ("russia-regional.mbtiles", "russia-subjects.geojson.gz", "russia-subject-labels.json",
                "russia-subjects.npz")


# ---- reading GMT dumps -----------------------------------------------------------------------
def gmt_segments(*args: str) -> list[tuple[str, np.ndarray]]:
    """(header, Nx2 lon/lat array) for each segment of ``gmt coast -M <args>``."""
    with tempfile.TemporaryDirectory() as work:  # GMT leaves gmt.history in its working folder
        out = subprocess.run(
            ["gmt", "coast", "-M", *args], check=True, capture_output=True, text=True, cwd=work
        ).stdout
    segments: list[tuple[str, np.ndarray]] = []
    header, rows = "", []
    for line in out.splitlines():
        if line.startswith(">"):
            if len(rows) > 1:
                segments.append((header, np.array(rows, dtype=float)))
            header, rows = line, []
        elif line.strip():
            a, b = line.split()[:2]
            rows.append((float(a), float(b)))
    if len(rows) > 1:
        segments.append((header, np.array(rows, dtype=float)))
    return segments


def shoreline_polygons(segments: list[tuple[str, np.ndarray]]) -> list[shapely.Geometry]:
    """GSHHG shorelines of one level as polygons. GMT dumps them cut into its storage bins;
    joining the pieces end to end gives the closed rings back (pieces cut by REGION are dropped)."""
    merged = linemerge([shapely.LineString(xy) for _, xy in segments])
    lines = list(merged.geoms) if hasattr(merged, "geoms") else [merged]
    polys = [
        shapely.make_valid(shapely.Polygon(ln.coords)) for ln in lines if ln.is_closed and len(ln.coords) >= 4
    ]
    return [polygonal(p) for p in polys]


def subject_codes() -> dict[str, str]:
    """DCW code (e.g. ``TA``) -> English name (e.g. ``Tatarstan``) from ``dcw-states.txt``."""
    names = {}
    for line in DCW_STATES.read_text(encoding="utf-8").splitlines():
        if line.startswith("RU "):
            _, code, rest = line.split(" ", 2)
            names[code] = re.sub(r"\s*\(.*\)\s*$", "", rest).strip()
    return names


def subject_polygon(segments: list[tuple[str, np.ndarray]]) -> shapely.Geometry:
    """One subject's territory; ``-Ph`` segments are holes (Moscow inside Moscow Oblast)."""
    shells: list[np.ndarray] = []
    holes: list[np.ndarray] = []
    for header, xy in segments:
        (holes if " -Ph" in header else shells).append(xy)
    geom = shapely.union_all([shapely.make_valid(shapely.Polygon(s)) for s in shells])
    if holes:
        geom = geom.difference(shapely.union_all([shapely.make_valid(shapely.Polygon(h)) for h in holes]))
    return polygonal(shapely.make_valid(geom))


def internal_borders(subjects: dict[str, shapely.Geometry]) -> shapely.Geometry:
    """The borders between subjects, each once; not the coasts or the national border (the
    world outlines draw those). DCW's neighbours do not share vertices (they meet within
    metres), so a border is the part of one subject's outline that runs within ~500 m of a
    neighbour that sorts after it."""
    codes = sorted(subjects)
    simple = [shapely.simplify(subjects[c], SUBJECT_TOLERANCE_DEG, preserve_topology=True) for c in codes]
    tree = shapely.STRtree(simple)
    lines: list[shapely.Geometry] = []
    for i, geom in enumerate(simple):
        later = [j for j in tree.query(geom.buffer(0.01)) if j > i]
        if not later:
            continue
        near = shapely.union_all([simple[j].boundary.buffer(0.005, quad_segs=2) for j in later])
        lines.extend(parts(geom.boundary.intersection(near)))
    merged = linemerge([ln for ln in lines if ln.geom_type == "LineString"])
    return merged


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Only the areas of ``geom`` (make_valid may leave stray lines and points)."""
    return shapely.union_all(
        [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    )


def russian_names() -> dict[str, str]:
    subdivisions = json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-2"]
    ru = gettext.translation("iso_3166-2", localedir="/usr/share/locale", languages=["ru"])
    return {s["code"][3:]: ru.gettext(s["name"]) for s in subdivisions if s["code"].startswith("RU-")}


# ---- projection and tiling ----------------------------------------------------------------
def split_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Continuous longitudes (15..195) -> [-180, 180]: the part east of 180° moves by -360°."""
    west = shapely.clip_by_rect(geom, -180, -90, 180, 90)
    east = shapely.clip_by_rect(geom, 180, -90, 360, 90)
    if east.is_empty:
        return west
    east = shapely.transform(east, lambda xy: xy - np.array([360.0, 0.0]))
    return shapely.GeometryCollection([*parts(west), *parts(east)])


def to_world_units(geom: shapely.Geometry, z: int) -> shapely.Geometry:
    """lon/lat -> Web Mercator in tile units at zoom z (x right, y down)."""
    scale = EXTENT * 2**z

    def f(xy: np.ndarray) -> np.ndarray:
        lat = np.clip(xy[:, 1], -85.0511, 85.0511)
        x = (xy[:, 0] + 180.0) / 360.0 * scale
        s = np.sin(np.radians(lat))
        y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
        return np.column_stack([x, y])

    return shapely.transform(geom, f)


def flat_deltas(coords: np.ndarray, ox: int, oy: int) -> list[int]:
    pts = np.rint(coords).astype(np.int64) - np.array([ox, oy])
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)  # drop repeats after rounding
    pts = pts[keep]
    if len(pts) < 2:
        return []
    d = np.vstack([pts[:1], np.diff(pts, axis=0)])
    return [int(v) for v in d.ravel()]


def parts(geom: shapely.Geometry) -> list[shapely.Geometry]:
    return [g for g in shapely.get_parts(geom) if not g.is_empty]


def build_tiles(
    lakes: shapely.Geometry, river_lines: dict[int, shapely.Geometry], borders: shapely.Geometry
) -> dict[tuple[int, int, int], bytes]:
    tiles: dict[tuple[int, int, int], bytes] = {}
    for z in ZOOMS:
        tol = TOLERANCE_PX[z] * UNITS_PER_PX
        min_lake_area = (2.5 * UNITS_PER_PX) ** 2
        layers: dict[str, list[tuple[int, shapely.Geometry]]] = {"w": [], "r": [], "b": []}
        for lake in parts(to_world_units(lakes, z)):
            if lake.area >= min_lake_area:
                s = shapely.simplify(lake, tol, preserve_topology=True)
                if not s.is_empty:
                    layers["w"].append((0, s))
        for cls in RIVER_CLASSES_BY_ZOOM[z]:
            for line in parts(shapely.simplify(to_world_units(river_lines[cls], z), tol)):
                if line.length >= 4 * UNITS_PER_PX:
                    layers["r"].append((cls, line))
        for line in parts(shapely.simplify(to_world_units(borders, z), tol)):
            layers["b"].append((0, line))

        buckets: dict[tuple[int, int], dict[str, list[tuple[int, shapely.Geometry]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for key, items in layers.items():
            for tag, g in items:
                x0, y0, x1, y1 = g.bounds
                for tx in range(int(x0 // EXTENT), int(x1 // EXTENT) + 1):
                    for ty in range(int(y0 // EXTENT), int(y1 // EXTENT) + 1):
                        buckets[(tx, ty)][key].append((tag, g))
        margin = 8 * UNITS_PER_PX  # lines reach past the edge: no gaps at tile seams
        for (tx, ty), content in sorted(buckets.items()):
            ox, oy = tx * EXTENT, ty * EXTENT
            out: dict[str, list] = {}
            for key in ("w", "r", "b"):
                for tag, g in content.get(key, []):
                    clipped = shapely.clip_by_rect(
                        g, ox - margin, oy - margin, ox + EXTENT + margin, oy + EXTENT + margin
                    )
                    for piece in parts(clipped):
                        if key == "w":
                            if piece.geom_type != "Polygon":
                                continue
                            rings = [
                                flat_deltas(np.asarray(r.coords), ox, oy)
                                for r in [piece.exterior, *piece.interiors]
                            ]
                            rings = [r for r in rings if len(r) >= 6]
                            if rings:
                                out.setdefault("w", []).append(rings)
                        elif piece.geom_type == "LineString":
                            flat = flat_deltas(np.asarray(piece.coords), ox, oy)
                            if flat:
                                out.setdefault(key, []).append([tag, *flat] if key == "r" else flat)
            if out:
                text = json.dumps(out, separators=(",", ":"), sort_keys=True).encode()
                tiles[(z, tx, ty)] = gzip.compress(text, compresslevel=9, mtime=0)
        print(f"z{z}: {sum(1 for k in tiles if k[0] == z)} tiles", file=sys.stderr)
    return tiles


def write_mbtiles(
    path: Path, tiles: dict[tuple[int, int, int], bytes], bounds: tuple[float, float, float, float]
) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        "PRAGMA journal_mode=DELETE; PRAGMA page_size=4096;"
        "CREATE TABLE metadata (name TEXT PRIMARY KEY, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,"
        " PRIMARY KEY (zoom_level, tile_column, tile_row)) WITHOUT ROWID;"
    )
    meta = {
        "name": "Russia regional basemap",
        "format": "json",
        "minzoom": str(min(ZOOMS)),
        "maxzoom": str(max(ZOOMS)),
        "bounds": ",".join(f"{v:.4f}" for v in bounds),
        "attribution": "GSHHG/WDBII 2.3.7 (LGPL-3+), DCW-GMT 2.1.1 (LGPL-3+)",
        "description": "Lakes, reservoirs, rivers, federal-subject borders (maps/build_basemap.py)",
    }
    db.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(meta.items()))
    rows = [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in sorted(tiles.items())]
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    db.commit()
    db.execute("VACUUM")
    db.close()


def extract(cache: Path | None) -> tuple[dict[str, str], dict[str, list], list, list, dict[int, list]]:
    """Everything read from GMT (about a minute: the DCW file is read once per subject).
    ``--cache FILE`` keeps it in a pickle between runs while working on the tiling."""
    if cache is not None and cache.exists():
        import pickle

        with cache.open("rb") as f:
            return pickle.load(f)
    names_en = subject_codes()
    subject_segments = {code: gmt_segments(f"-ERU.{code}") for code in sorted(names_en)}
    lake_segments = gmt_segments(f"-R{REGION}", "-Df", "-W2/", f"-A{LAKE_MIN_KM2}/2/2")
    island_segments = gmt_segments(f"-R{REGION}", "-Df", "-W3/", f"-A{LAKE_MIN_KM2}/3/3")
    river_segments = {c: gmt_segments(f"-R{REGION}", "-Df", f"-I{c}/") for c in RIVERS}
    data = (names_en, subject_segments, lake_segments, island_segments, river_segments)
    if cache is not None:
        import pickle

        with cache.open("wb") as f:
            pickle.dump(data, f)
    return data


def grid_pieces(geom: shapely.Geometry) -> shapely.MultiPolygon:
    """The same area cut along a 1° grid: a point-in-polygon test against a few small pieces
    is fast, against a whole Krasnoyarsk Krai is not (``cluster_desk.places.regions``)."""
    out: list[shapely.Polygon] = []
    for part in parts(geom):
        x0, y0, x1, y1 = part.bounds
        for x in range(math.floor(x0), math.ceil(x1)):
            for y in range(math.floor(y0), math.ceil(y1)):
                cell = shapely.clip_by_rect(part, x, y, x + 1, y + 1)
                out.extend(p for p in parts(cell) if p.geom_type == "Polygon" and p.area > 0)
    return shapely.MultiPolygon(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: maps/basemap)")
    parser.add_argument("--cache", type=Path, default=None, help="keep GMT's dumps in this pickle")
    args = parser.parse_args(argv)
    out_dir: Path = args.out
    cache: Path | None = args.cache
    out_dir.mkdir(parents=True, exist_ok=True)
    names_en, subject_segments, lake_segments, island_segments, river_segments = extract(cache)
    names_ru = russian_names()
    subjects = {code: subject_polygon(segs) for code, segs in subject_segments.items()}
    # A little over the border, so lakes and rivers do not stop dead at it.
    mask = shapely.union_all(
        [*(shapely.simplify(g, 0.02).buffer(0.3) for g in subjects.values()), shapely.box(*CRIMEA_WATER_BOX)]
    )
    shapely.prepare(mask)
    internal = internal_borders(subjects)

    lake_list = [g for g in shoreline_polygons(lake_segments) if mask.intersects(g)]
    islands = shapely.STRtree(shoreline_polygons(island_segments))
    for i, lake in enumerate(lake_list):
        inside = islands.query(lake, predicate="intersects")
        if len(inside):
            lake_list[i] = polygonal(lake.difference(shapely.union_all(islands.geometries.take(inside))))
    lakes = shapely.MultiPolygon([p for g in lake_list for p in shapely.get_parts(g)])
    river_lines = {}
    for c, segs in river_segments.items():
        lines = [shapely.LineString(xy) for _, xy in segs]
        river_lines[c] = shapely.MultiLineString([ln for ln in lines if mask.intersects(ln)])
    n_rivers = sum(shapely.get_num_coordinates(g) for g in river_lines.values())
    n_lakes, n_borders = shapely.get_num_coordinates(lakes), shapely.get_num_coordinates(internal)
    print(f"lakes {n_lakes} pts, rivers {n_rivers} pts, borders {n_borders} pts", file=sys.stderr)

    tiles = build_tiles(
        split_antimeridian(lakes),
        {c: split_antimeridian(g) for c, g in river_lines.items()},
        split_antimeridian(internal),
    )
    west, south, east, north = shapely.total_bounds([split_antimeridian(g) for g in subjects.values()])
    write_mbtiles(out_dir / OUTPUT_NAMES[0], tiles, (west, south, east, north))

    features, labels = [], []
    for code, geom in subjects.items():
        main_part = max(parts(geom), key=lambda g: g.area)
        # Label point: the pole of inaccessibility of the largest part, found in a frame where
        # a degree of longitude is as long as one of latitude.
        k = math.cos(math.radians(main_part.centroid.y))
        squashed = shapely.transform(main_part, lambda xy, k=k: xy * np.array([k, 1.0]))
        p = polylabel(squashed, tolerance=0.01)
        lon, lat = p.x / k, p.y
        lon = lon - 360 if lon > 180 else lon
        area_km2 = shapely.area(
            shapely.transform(
                geom,
                lambda xy: np.column_stack(
                    [xy[:, 0] * 111.32 * np.cos(np.radians(xy[:, 1])), xy[:, 1] * 110.57]
                ),
            )
        )
        simple = split_antimeridian(shapely.simplify(geom, SUBJECT_TOLERANCE_DEG, preserve_topology=True))
        simple = grid_pieces(shapely.set_precision(simple, 1e-5))
        props = {
            "code": f"RU-{code}",
            "name_en": names_en[code],
            "name_ru": names_ru[code],
            "label": [round(lat, 4), round(lon, 4)],
            "area_km2": round(float(area_km2)),
        }
        features.append(
            {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(simple))}
        )
        labels.append(
            {
                "code": props["code"],
                "en": props["name_en"],
                "ru": props["name_ru"],
                "lat": props["label"][0],
                "lon": props["label"][1],
                "area": props["area_km2"],
            }
        )
    fc = {
        "type": "FeatureCollection",
        "source": "DCW-GMT 2.1.1 (LGPL-3+); Russian names: iso-codes (LGPL-2.1+)",
        "features": features,
    }
    (out_dir / OUTPUT_NAMES[1]).write_bytes(
        gzip.compress(json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode(), 9, mtime=0)
    )
    labels.sort(key=lambda d: -d["area"])
    (out_dir / OUTPUT_NAMES[2]).write_text(
        json.dumps(labels, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # (run as a script from a checkout)
    from cluster_desk.places.regions_data import write_arrays

    write_arrays(out_dir / OUTPUT_NAMES[1], out_dir / OUTPUT_NAMES[3])

    sums = "".join(f"{hashlib.sha256((out_dir / n).read_bytes()).hexdigest()}  {n}\n" for n in OUTPUT_NAMES)
    (out_dir / "SHA256SUMS").write_text(sums, encoding="utf-8")
    for n in OUTPUT_NAMES:
        print(f"{n}: {(out_dir / n).stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
