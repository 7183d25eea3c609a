"""Offline place search and nearest place over the GeoNames cities500 set, read from
``maps/places/places.sqlite`` (built by ``cluster_desk.places.build_db``).

Nothing is loaded at start: the file is opened read-only (``immutable=1``, memory-mapped) on first
use, and every query reads only the pages it needs:
- exact and prefix matches: a range on the B-tree of folded keys;
- substring matches (3+ letters): the FTS5 trigram index (an AND of the query's trigrams; the
  hits are checked with ``instr``); the ranking (tier, population, data order) is one SQL query;
- nearest place: an R*Tree box around the point, widened until the best candidate is provably
  the nearest, chord distance on unit vectors to rank, then the exact WGS84 distance
  (``pyproj.Geod``) for every candidate within 1 % of the best (the ellipsoid's margin).
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import Geod

from cluster_desk.places.text import fold, has_cyrillic, translit

_GEOD = Geod(ellps="WGS84")
#: Tiers of the ranking: lower is better.
EXACT, PREFIX, WORD_PREFIX, SUBSTRING = 0, 1, 2, 3
_KEY_IDS = 10_000_000  # > number of keys: tier * _KEY_IDS + key id orders by tier, then key


@dataclass(frozen=True)
class Place:
    index: int
    name: str  # GeoNames name (Latin script)
    name_ru: str  # Russian name, "" when GeoNames has none we trust
    lat: float
    lon: float
    population: int
    country: str  # ISO 3166-1 alpha-2
    feature: str  # GeoNames feature code (PPL, PPLA, PPLC...)

    def display_name(self, lang: str = "en") -> str:
        return self.name_ru if lang == "ru" and self.name_ru else self.name


@dataclass(frozen=True)
class SearchHit:
    place: Place
    matched: str  # the name (key) that matched, as folded text
    tier: int  # EXACT, PREFIX, WORD_PREFIX or SUBSTRING


_PLACE_COLUMNS = "id, name, name_ru, lat, lon, population, country, feature"


def _place(row: Sequence) -> Place:
    return Place(int(row[0]), row[1], row[2], float(row[3]), float(row[4]), int(row[5]), row[6], row[7])


def _hits_sql(q: str, params: list, substrings: bool) -> str:
    """SQL of (key id, tier) for one folded query; appends its parameters to ``params``."""
    params += [q, q, q + "\uffff"]
    sql = ("SELECT id AS kid, CASE WHEN key = ? THEN 0 ELSE 1 END AS tier FROM name_key "
           "WHERE key >= ? AND key < ?")
    if substrings:
        grams = {q[i : i + 3] for i in range(len(q) - 2)}
        match = " AND ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams))
        params += [" " + q, match, q]
        sql += (" UNION ALL SELECT k.id, CASE WHEN instr(' ' || k.key, ?) > 0 THEN 2 ELSE 3 END "
                "FROM name_key_fts f JOIN name_key k ON k.id = f.rowid "
                "WHERE name_key_fts MATCH ? AND instr(k.key, ?) > 0")
    return sql


_CHUNK = 5_000  # points per vectorised step (bounds the candidate pairs in memory)
_N_CELLS = 180 * 360  # 1° cells


def _cell(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    row = np.clip(np.floor(lat) + 90, 0, 179).astype(np.int64)
    col = np.floor(lon + 180).astype(np.int64) % 360
    return row * 360 + col


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@dataclass(frozen=True)
class _Grid:
    ids: np.ndarray  # place ids, sorted by cell
    lat: np.ndarray
    lon: np.ndarray
    xyz: np.ndarray
    starts: np.ndarray  # starts[c]:starts[c + 1] are the places of cell c


def _nearest_in_grid(g: _Grid, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ids, km) of the nearest place per point, id -1 where the 3×3 cells around the point do
    not prove it (the nearest might lie outside them)."""
    n = lat.size
    v = _unit(lat, lon)
    row = np.clip(np.floor(lat) + 90, 0, 179).astype(np.int64)
    col = np.floor(lon + 180).astype(np.int64) % 360
    pairs_pt: list[np.ndarray] = []
    pairs_pos: list[np.ndarray] = []
    for dr in (-1, 0, 1):
        r = row + dr
        ok = (r >= 0) & (r < 180)
        for dc in (-1, 0, 1):
            c = np.where(ok, r * 360 + (col + dc) % 360, 0)
            first = np.where(ok, g.starts[c], 0)
            count = np.where(ok, g.starts[c + 1] - first, 0)
            total = int(count.sum())
            if not total:
                continue
            pt = np.repeat(np.arange(n), count)
            offset = np.repeat(first - (np.cumsum(count) - count), count)
            pairs_pt.append(pt)
            pairs_pos.append(offset + np.arange(total))
    ids = np.full(n, -1, dtype=np.int64)
    km = np.full(n, np.nan)
    if not pairs_pt:
        return ids, km
    pt = np.concatenate(pairs_pt)
    pos = np.concatenate(pairs_pos)
    chord = np.sqrt(((g.xyz[pos] - v[pt]) ** 2).sum(axis=1))
    angle = 2 * np.degrees(np.arcsin(np.minimum(1.0, chord / 2)))
    best = np.full(n, np.inf)
    np.minimum.at(best, pt, angle)
    # everything closer than this is inside the 3×3 block: 1° of latitude, and the arc to a
    # meridian 1° of longitude away, asin(cos(lat) sin(1°)) (see PlaceIndex._candidates)
    reach = np.degrees(np.arcsin(np.cos(np.radians(lat)) * math.sin(math.radians(1.0))))
    proven = best * 1.01 < np.minimum(1.0, reach)
    keep = proven[pt] & (angle <= best[pt] * 1.01 + 1e-9)
    pt, pos = pt[keep], pos[keep]
    _, _, dist = _GEOD.inv(lon[pt], lat[pt], g.lon[pos], g.lat[pos])
    order = np.lexsort((g.ids[pos], dist, pt))  # per point: nearest, then data order
    pt, pos, dist = pt[order], pos[order], dist[order]
    first_of = np.flatnonzero(np.r_[True, pt[1:] != pt[:-1]]) if pt.size else np.array([], dtype=np.int64)
    ids[pt[first_of]] = g.ids[pos[first_of]]
    km[pt[first_of]] = dist[first_of] / 1000.0
    return ids, km


class PlaceIndex:
    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no place index (python -m cluster_desk.places.build_db)")
        # immutable: no locks, no journal (the file never changes); the app only reads it
        self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA mmap_size = 268435456")
        self._lock = threading.Lock()
        self._count = int(self._query("SELECT value FROM meta WHERE key = 'places'")[0][0])
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __len__(self) -> int:
        return self._count

    def place(self, i: int) -> Place:
        rows = self._query(f"SELECT {_PLACE_COLUMNS} FROM place WHERE id = ?", (int(i),))
        if not rows:
            raise IndexError(i)
        return _place(rows[0])

    # ---- whole columns (brute-force checks, bulk work): read on first use -------------------

    def _columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._arrays is None:
            rows = self._query("SELECT lat, lon, population FROM place ORDER BY id")
            a = np.array(rows, dtype=np.float64).reshape(-1, 3)
            self._arrays = (a[:, 0].copy(), a[:, 1].copy(), a[:, 2].astype(np.int64))
        return self._arrays

    @property
    def lat(self) -> np.ndarray:
        return self._columns()[0]

    @property
    def lon(self) -> np.ndarray:
        return self._columns()[1]

    @property
    def population(self) -> np.ndarray:
        return self._columns()[2]

    # ---- search by name ------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Places whose name (any script) matches ``query``: exact, then prefix, then a word of
        the name starting with it, then substring; within a tier, larger places first."""
        q = fold(query)
        if not q or limit <= 0:
            return []
        queries = [q]
        if has_cyrillic(q) and translit(q) != q:
            queries.append(translit(q))  # "Казань" also finds places known only by a Latin name
        params: list = []
        # one letter or two: exact and prefix only (else thousands of hits)
        hits = " UNION ALL ".join(_hits_sql(qq, params, len(qq) >= 3) for qq in queries)
        sql = (f"WITH hits AS ({hits}), best AS ("
               f"SELECT k.place AS pid, MIN(h.tier * {_KEY_IDS} + h.kid) AS code "
               "FROM hits h JOIN name_key k ON k.id = h.kid GROUP BY k.place) "
               f"SELECT p.id, p.name, p.name_ru, p.lat, p.lon, p.population, p.country, p.feature, "
               f"b.code / {_KEY_IDS}, (SELECT key FROM name_key WHERE id = b.code % {_KEY_IDS}) "
               "FROM best b JOIN place p ON p.id = b.pid "
               f"ORDER BY b.code / {_KEY_IDS}, p.population DESC, p.id LIMIT ?")
        rows = self._query(sql, [*params, int(limit)])
        return [SearchHit(_place(r), r[9], int(r[8])) for r in rows]

    # ---- reference layer -------------------------------------------------------------------

    def towns(self, min_population: int = 5_000, lang: str = "en", decimals: int = 3) -> dict[str, list]:
        """Places of at least ``min_population`` as columns for the map's towns layer:
        ``{"lat": [...], "lon": [...], "name": [...], "pop": [...]}``, largest first (the page
        places labels greedily in this order). ``name`` is in ``lang`` ("ru": the Russian name),
        falling back to the other script when that one is missing; places with no name at all
        are left out. Coordinates are rounded to ``decimals`` (3: about 100 m)."""
        first, other = ("name_ru", "name") if lang == "ru" else ("name", "name_ru")
        rows = self._query(
            f"SELECT lat, lon, CASE WHEN {first} != '' THEN {first} ELSE {other} END AS shown, population "
            "FROM place WHERE population >= ? AND shown != '' ORDER BY population DESC, id",
            (max(0, int(min_population)),),
        )
        if not rows:
            return {"lat": [], "lon": [], "name": [], "pop": []}
        lat, lon, shown, pop = zip(*rows, strict=True)
        return {
            "lat": np.round(np.array(lat, dtype=np.float64), decimals).tolist(),
            "lon": np.round(np.array(lon, dtype=np.float64), decimals).tolist(),
            "name": list(shown),
            "pop": [int(p) for p in pop],
        }

    # ---- nearest place -------------------------------------------------------------------

    def nearest(self, lat: float, lon: float, min_population: int = 0) -> tuple[Place, float]:
        """The nearest place (of at least ``min_population``) and the WGS84 distance in km."""
        i, km = self._nearest_id(lat, lon, min_population)
        return self.place(i), km

    def nearest_many(self, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray,
                     min_population: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Nearest place ids and distances (km) for many points, the same answers as ``nearest``
        (the places themselves: ``place(i)``). Vectorised: the places' columns are read once,
        bucketed in 1° cells; each point looks at the 3×3 cells around it, and the few points
        whose nearest place may lie farther out (deserts, oceans, poles) go through ``nearest``."""
        la = np.asarray(lats, dtype=np.float64).reshape(-1)
        lo = np.asarray(lons, dtype=np.float64).reshape(-1)
        if not (np.isfinite(la).all() and np.isfinite(lo).all() and (np.abs(la) <= 90).all()):
            raise ValueError("invalid position among the points")
        lo = np.where((lo < -180) | (lo > 180), (lo + 180.0) % 360.0 - 180.0, lo)
        pts, inverse = np.unique(np.column_stack((la, lo)), axis=0, return_inverse=True)
        ids = np.full(len(pts), -1, dtype=np.int64)
        km = np.full(len(pts), np.nan)
        grid = self._grid(min_population)
        for start in range(0, len(pts), _CHUNK):
            part = slice(start, start + _CHUNK)
            ids[part], km[part] = _nearest_in_grid(grid, pts[part, 0], pts[part, 1])
        for j in np.flatnonzero(ids < 0).tolist():  # not provable from the 3×3 cells
            ids[j], km[j] = self._nearest_id(float(pts[j, 0]), float(pts[j, 1]), min_population)
        inverse = inverse.reshape(-1)
        return ids[inverse], km[inverse]

    def _grid(self, min_population: int) -> _Grid:
        lat, lon, pop = self._columns()
        sel = np.flatnonzero(pop >= min_population) if min_population > 0 else np.arange(lat.size)
        cell = _cell(lat[sel], lon[sel])
        order = np.argsort(cell, kind="stable")
        sel, cell = sel[order], cell[order]
        starts = np.searchsorted(cell, np.arange(_N_CELLS + 1))
        return _Grid(sel, lat[sel], lon[sel], _unit(lat[sel], lon[sel]), starts)

    def _candidates(self, lat: float, lon: float, band: float, min_population: int) -> list[tuple]:
        """Places in the box of ``band`` degrees of arc around the point (ids, lat, lon): any
        place outside it is at least ``band`` degrees away."""
        lat0, lat1 = lat - band, lat + band
        s = math.sin(math.radians(band))
        c = math.cos(math.radians(lat))
        # the arc from the point to the meridian dlon away: asin(cos(lat) * sin(dlon))
        boxes: list[tuple[float, float]]
        if band >= 90 or s >= c:
            boxes = [(-180.0, 180.0)]
        else:
            dlon = math.degrees(math.asin(s / c))
            lo0, lo1 = lon - dlon, lon + dlon
            boxes = [(max(lo0, -180.0), min(lo1, 180.0))]
            if lo0 < -180:
                boxes.append((lo0 + 360, 180.0))
            if lo1 > 180:
                boxes.append((-180.0, lo1 - 360))
        sql = ("SELECT p.id, p.lat, p.lon FROM place_rtree r JOIN place p ON p.id = r.id "
               "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?"
               + (" AND p.population >= ?" if min_population > 0 else ""))
        rows: list[tuple] = []
        for b0, b1 in boxes:
            params: list = [lat0, lat1, b0, b1]
            if min_population > 0:
                params.append(int(min_population))
            rows += self._conn.execute(sql, params).fetchall()
        return rows

    def _nearest_id(self, lat: float, lon: float, min_population: int) -> tuple[int, float]:
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
            raise ValueError(f"invalid position: {lat!r}, {lon!r}")
        lon = (lon + 180.0) % 360.0 - 180.0 if not -180 <= lon <= 180 else lon
        la, lo = math.radians(lat), math.radians(lon)
        v = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
        band = 0.5  # degrees of arc around the point
        with self._lock:
            while True:
                rows = self._candidates(lat, lon, band, min_population)
                if rows:
                    a = np.array(rows, dtype=np.float64)
                    plat, plon = np.radians(a[:, 1]), np.radians(a[:, 2])
                    cos_lat = np.cos(plat)
                    xyz = np.column_stack((cos_lat * np.cos(plon), cos_lat * np.sin(plon), np.sin(plat)))
                    chord = np.sqrt(((xyz - v) ** 2).sum(axis=1))
                    angle = 2 * np.degrees(np.arcsin(np.minimum(1.0, chord / 2)))
                    best = float(angle.min())
                    # done when the best is closer than the box's edge (margin for the ellipsoid)
                    if best * 1.01 < band or band >= 180:
                        near = a[angle <= best * 1.01 + 1e-9]
                        near = near[np.argsort(near[:, 0], kind="stable")]  # ties: data order
                        _, _, dist = _GEOD.inv(np.full(len(near), lon), np.full(len(near), lat),
                                               near[:, 2], near[:, 1])
                        j = int(np.argmin(dist))
                        return int(near[j, 0]), float(dist[j]) / 1000.0
                band *= 2
                if band > 360:
                    raise ValueError("no place in the data set")  # only with an empty data set


_default: PlaceIndex | None = None
_lock = threading.Lock()


def default_index() -> PlaceIndex:
    """The shipped index, opened on first use (cheap: nothing is read until queried; built from
    ``places.tsv.gz`` first if a source checkout has not built it yet)."""
    global _default
    with _lock:
        if _default is None:
            from cluster_desk.paths import map_data

            path = map_data("places", "places.sqlite")
            if not path.is_file() and map_data("places", "places.tsv.gz").is_file():
                from cluster_desk.places.build_db import build

                build(map_data("places", "places.tsv.gz"), path)
            _default = PlaceIndex(path)
        return _default
