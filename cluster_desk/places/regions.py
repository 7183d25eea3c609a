"""Russia's federal subjects: which one a point lies in, and its name in Russian or English.

Data: ``maps/basemap/russia-subjects.geojson.gz``, made by ``maps/build_basemap.py`` from DCW-GMT
2.1.1 (LGPL-3+; borders simplified to ~100 m) with Russian names from iso-codes (LGPL-2.1+).
The source lists 83 subjects (those of ISO 3166-2:RU); a point outside all of them gets None.
Point-in-polygon is vectorised with a shapely 2 STRtree over the subjects cut along a 1° grid.
No Qt here.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from cluster_desk.paths import map_data

SUBJECTS_FILE = "russia-subjects.geojson.gz"


@dataclass(frozen=True)
class Subject:
    code: str  # ISO 3166-2, e.g. "RU-TA"
    name_en: str
    name_ru: str

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" and self.name_ru else self.name_en


class SubjectIndex:
    """The subjects' polygons in an STRtree."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else map_data("basemap", SUBJECTS_FILE)
        data = json.loads(gzip.decompress(self.path.read_bytes()))
        subjects: list[Subject] = []
        pieces: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for f in data["features"]:
            p = f["properties"]
            subjects.append(Subject(str(p["code"]), str(p["name_en"]), str(p["name_ru"])))
            # The build cut each subject along a 1° grid: the tree then tests small pieces.
            parts = shapely.get_parts(shape(f["geometry"]))
            pieces.append(parts)
            owners.append(np.full(len(parts), len(subjects) - 1))
        self.subjects: tuple[Subject, ...] = tuple(subjects)
        self._by_code = {s.code: s for s in subjects}
        self._owner = np.concatenate(owners)
        self._tree = shapely.STRtree(np.concatenate(pieces))

    def subject(self, code: str) -> Subject | None:
        return self._by_code.get(code)

    def lookup(
        self, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray
    ) -> list[Subject | None]:
        """The subject of each point (None outside all of them, or for a non-finite coordinate)."""
        lat = np.asarray(lats, dtype=float)
        lon = np.asarray(lons, dtype=float)
        out: list[Subject | None] = [None] * len(lat)
        ok = np.isfinite(lat) & np.isfinite(lon)
        if not ok.any():
            return out
        idx = np.flatnonzero(ok)
        points = shapely.points(lon[ok], lat[ok])
        # (point index, subject index) pairs; a point on a shared border may hit two: first wins.
        hits = self._tree.query(points, predicate="intersects")
        owner = self._owner[hits[1]]
        for p, g in zip(hits[0][::-1].tolist(), owner[::-1].tolist(), strict=True):
            out[int(idx[p])] = self.subjects[g]
        return out


_default: SubjectIndex | None = None
_lock = threading.Lock()


def default_subjects() -> SubjectIndex:
    """The shipped index, loaded once (about 0.3 s; thread-safe)."""
    global _default
    with _lock:
        if _default is None:
            _default = SubjectIndex()
        return _default


def subject_of(lat: float, lon: float) -> Subject | None:
    return default_subjects().lookup([lat], [lon])[0]
