"""The in-memory place index the app used before ``places.sqlite`` (kept for the tests only: the
SQLite index must answer as this one did on a sample of queries).

Loaded once, lazily (about a second), then every query is in memory:
- exact and prefix matches: binary search in the sorted key list (``bisect``);
- substring matches: one ``str.find`` scan of all keys joined in one string (C speed), the hit
  offsets mapped back to keys with ``numpy.searchsorted``;
- nearest place: places sorted by latitude, a latitude band around the point (widened until the
  best candidate is provably the nearest), chord distance on unit vectors (numpy, no 180°
  special case), then the exact WGS84 distance with ``pyproj.Geod`` for the closest few.
"""

from __future__ import annotations

import bisect
import gzip
import math
from pathlib import Path

import numpy as np
from pyproj import Geod

from cluster_desk.places.index import EXACT, PREFIX, SUBSTRING, WORD_PREFIX, Place, SearchHit
from cluster_desk.places.text import fold, has_cyrillic, translit

_GEOD = Geod(ellps="WGS84")
MAX_SUBSTRING_HITS = 20_000
__all__ = ['EXACT', 'PREFIX', 'SUBSTRING', 'WORD_PREFIX', 'LegacyPlaceIndex']


class LegacyPlaceIndex:
    def __init__(self, path: str | Path) -> None:
        text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
        names: list[str] = []
        names_ru: list[str] = []
        lat: list[float] = []
        lon: list[float] = []
        pop: list[int] = []
        country: list[str] = []
        feature: list[str] = []
        keys: list[str] = []
        key_place: list[int] = []
        for line in text.split("\n"):
            if line.startswith("K\t"):
                _, k, i = line.split("\t")
                keys.append(k)
                key_place.append(int(i))
            elif line.startswith("P\t"):
                _, n, ru, la, lo, po, cc, fc = line.split("\t")
                names.append(n)
                names_ru.append(ru)
                lat.append(float(la))
                lon.append(float(lo))
                pop.append(int(po))
                country.append(cc)
                feature.append(fc)
        self._names, self._names_ru, self._country, self._feature = names, names_ru, country, feature
        self.lat = np.array(lat)
        self.lon = np.array(lon)
        self.population = np.array(pop, dtype=np.int64)
        self._keys = keys  # sorted (the build script sorts them)
        self._key_place = np.array(key_place, dtype=np.int32)
        # All keys in one string, each preceded by "\n": substring search is one C-level scan.
        self._blob = "\n" + "\n".join(keys)
        lengths = np.fromiter((len(k) + 1 for k in keys), dtype=np.int64, count=len(keys))
        self._starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))  # offset of each "\n"
        # Nearest place: sorted by latitude, unit vectors for chord distances.
        self._by_lat = np.argsort(self.lat, kind="stable")
        self._lat_sorted = self.lat[self._by_lat]
        la, lo = np.radians(self.lat[self._by_lat]), np.radians(self.lon[self._by_lat])
        self._xyz = np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))

    def __len__(self) -> int:
        return len(self._names)

    def place(self, i: int) -> Place:
        return Place(
            index=i,
            name=self._names[i],
            name_ru=self._names_ru[i],
            lat=float(self.lat[i]),
            lon=float(self.lon[i]),
            population=int(self.population[i]),
            country=self._country[i],
            feature=self._feature[i],
        )

    # ---- search by name ------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """Places whose name (any script) matches ``query``: exact, then prefix, then a word of
        the name starting with it, then substring; within a tier, larger places first."""
        q = fold(query)
        if not q:
            return []
        queries = {q}
        if has_cyrillic(q):
            queries.add(translit(q))  # "Казань" also finds places known only by a Latin name
        keys_found: list[np.ndarray] = []
        tiers_found: list[np.ndarray] = []
        for qq in queries:
            lo = bisect.bisect_left(self._keys, qq)
            hi = bisect.bisect_left(self._keys, qq + "\uffff")
            if hi > lo:
                ks = np.arange(lo, hi)
                keys_found.append(ks)
                tiers_found.append(np.array([EXACT if self._keys[k] == qq else PREFIX for k in ks.tolist()]))
            if len(qq) >= 3:  # one or two letters: exact and prefix only (else thousands of hits)
                ks, ts = self._scan(qq)
                keys_found.append(ks)
                tiers_found.append(ts)
        if not keys_found:
            return []
        keys = np.concatenate(keys_found)
        tiers = np.concatenate(tiers_found)
        places = self._key_place[keys]
        # Best first: tier, then population (larger first), then data order; vectorised because
        # a short query can match tens of thousands of names.
        order = np.lexsort((places, -self.population[places], tiers))
        hits: list[SearchHit] = []
        seen: set[int] = set()
        for i in order.tolist():
            p = int(places[i])
            if p in seen:
                continue
            seen.add(p)
            hits.append(SearchHit(self.place(p), self._keys[int(keys[i])], int(tiers[i])))
            if len(hits) >= limit:
                break
        return hits

    def _scan(self, q: str) -> tuple[np.ndarray, np.ndarray]:
        """Substring hits: (key indices, tiers: WORD_PREFIX where the hit starts a word)."""
        blob, pos = self._blob, 0
        hits: list[int] = []
        find = blob.find
        while len(hits) < MAX_SUBSTRING_HITS:
            pos = find(q, pos)
            if pos < 0:
                break
            hits.append(pos)
            pos += 1
        arr = np.array(hits, dtype=np.int64)
        key_idx = np.searchsorted(self._starts, arr, side="right") - 1
        tiers = np.array([WORD_PREFIX if blob[h - 1] in "\n " else SUBSTRING for h in hits], dtype=np.int64)
        return key_idx, tiers

    # ---- reference layer -------------------------------------------------------------------

    def towns(self, min_population: int = 5_000, lang: str = "en", decimals: int = 3) -> dict[str, list]:
        """Places of at least ``min_population`` as columns for the map's towns layer:
        ``{"lat": [...], "lon": [...], "name": [...], "pop": [...]}``, largest first (the page
        places labels greedily in this order). ``name`` is in ``lang`` ("ru": the Russian name),
        falling back to the other script when that one is missing; places with no name at all
        are left out. Coordinates are rounded to ``decimals`` (3: about 100 m)."""
        pop = self.population
        sel = np.nonzero(pop >= max(0, int(min_population)))[0]
        sel = sel[np.lexsort((sel, -pop[sel]))]  # population descending, then data order
        names, names_ru = self._names, self._names_ru
        ru = lang == "ru"
        keep: list[int] = []
        shown: list[str] = []
        for i in sel.tolist():
            first, other = (names_ru[i], names[i]) if ru else (names[i], names_ru[i])
            name = first or other
            if name:
                keep.append(i)
                shown.append(name)
        idx = np.array(keep, dtype=np.int64)
        return {
            "lat": np.round(self.lat[idx], decimals).tolist(),
            "lon": np.round(self.lon[idx], decimals).tolist(),
            "name": shown,
            "pop": pop[idx].tolist(),
        }

    # ---- nearest place -------------------------------------------------------------------

    def nearest(self, lat: float, lon: float, min_population: int = 0) -> tuple[Place, float]:
        """The nearest place (of at least ``min_population``) and the WGS84 distance in km."""
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
            raise ValueError(f"invalid position: {lat!r}, {lon!r}")
        la, lo = math.radians(lat), math.radians(lon)
        v = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
        band = 0.5  # degrees of latitude either side
        while True:
            a = int(np.searchsorted(self._lat_sorted, lat - band, side="left"))
            b = int(np.searchsorted(self._lat_sorted, lat + band, side="right"))
            sel = np.arange(a, b)
            if min_population > 0 and sel.size:
                sel = sel[self.population[self._by_lat[sel]] >= min_population]
            if sel.size:
                chord2 = ((self._xyz[sel] - v) ** 2).sum(axis=1)
                order = np.argsort(chord2)[:8]
                best_angle = 2 * math.degrees(math.asin(min(1.0, math.sqrt(float(chord2[order[0]])) / 2)))
                # Anything outside the band is at least `band` degrees of arc away: done when the
                # best candidate is closer than that (with a margin for the ellipsoid).
                if best_angle * 1.01 < band or band >= 180:
                    cand = self._by_lat[sel[order]]
                    _, _, dist = _GEOD.inv(
                        np.full(cand.size, lon), np.full(cand.size, lat), self.lon[cand], self.lat[cand]
                    )
                    j = int(np.argmin(dist))
                    return self.place(int(cand[j])), float(dist[j]) / 1000.0
            band *= 2
            if band > 360:
                raise ValueError("no place in the data set")  # only with an empty data set

