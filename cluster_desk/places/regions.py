"""Russia's federal subjects: which one a point lies in, and its name in Russian or English.

Data: ``maps/basemap/russia-subjects.geojson.gz``, made by ``maps/build_basemap.py`` from DCW-GMT
2.1.1 (LGPL-3+; borders simplified to ~100 m) with Russian names from iso-codes (LGPL-2.1+),
read from the arrays made of it (``russia-subjects.npz``, ``places.regions_data``: ~20 ms, not
the GeoJSON's ~0.4 s).
The source lists 83 subjects (those of ISO 3166-2:RU); a point outside all of them gets None.
The build cut every subject along a 1° grid, so each piece lies in one 1° cell: a point's cell
names the few pieces it may lie in. A cell wholly inside one subject (about half of those with
land) answers from a table, with no geometry test; in the others each piece is tested against
the cell's points with shapely's vectorised ``intersects_xy``. (An STRtree query made a shapely
point per member and a Python loop over the hits: ~0.25 s at 100,000 members, growing faster
than the count; issue 17.) No Qt here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from cluster_desk.paths import map_data
from cluster_desk.places.regions_data import read_arrays, read_pieces

SUBJECTS_FILE = "russia-subjects.geojson.gz"
#: The 1° grid the pieces were cut along: columns from -180° east, rows from -90° north.
_COLS, _ROWS = 360, 180


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
        # The arrays made from this GeoJSON by the build (regions_data: ~20 ms), else the GeoJSON.
        got = read_arrays(self.path) if self.path.suffix == ".npz" else read_pieces(self.path)
        if got is None:
            raise ValueError(f"{self.path}: not a subjects file of this version")
        subjects = [Subject(*names) for names in zip(got.codes, got.names_en, got.names_ru, strict=True)]
        self.subjects: tuple[Subject, ...] = tuple(subjects)
        #: Subject by code, -1 (none) last: ``code_table[codes]`` turns codes into subjects.
        self.code_table: tuple[Subject | None, ...] = (*subjects, None)
        self._by_code = {s.code: s for s in subjects}
        # The build cut each subject along a 1° grid: the lookup tests small pieces.
        self._owner = got.owner
        self._pieces = got.pieces
        self._tree = shapely.STRtree(self._pieces)  # (points on a cell's edge: see ``codes``)
        self._grid()

    def _grid(self) -> None:
        """Each 1° cell's pieces: ``_cell_state`` per cell is the owner when one piece fills it,
        -1 when no piece is in it, -2 when its pieces must be tested; the pieces of cell c are
        ``_cell_pieces[_cell_start[c]:_cell_start[c + 1]]`` (in index order: first wins)."""
        bounds = shapely.bounds(self._pieces)
        col = np.floor(bounds[:, 0]).astype(np.int64) + 180
        row = np.floor(bounds[:, 1]).astype(np.int64) + 90
        inside = ((np.ceil(bounds[:, 2]) - np.floor(bounds[:, 0]) <= 1)
                  & (np.ceil(bounds[:, 3]) - np.floor(bounds[:, 1]) <= 1)
                  & (col >= 0) & (col < _COLS) & (row >= 0) & (row < _ROWS))
        if not inside.all():  # a piece across a grid line: not a file the build made
            raise ValueError(f"{self.path}: {int((~inside).sum())} pieces span more than a 1° cell")
        cell = row * _COLS + col
        order = np.argsort(cell, kind="stable")
        self._cell_pieces = order
        self._cell_start = np.searchsorted(cell[order], np.arange(_ROWS * _COLS + 1))
        count = np.diff(self._cell_start)
        full = shapely.area(self._pieces) >= 1 - 1e-9  # (its bounds are the cell's: a square)
        self._full = full
        state = np.where(count == 0, -1, -2).astype(np.int16)
        single = np.flatnonzero(count == 1)
        lone = order[self._cell_start[single]]
        state[single[full[lone]]] = self._owner[lone[full[lone]]]
        self._cell_state = state

    def subject(self, code: str) -> Subject | None:
        return self._by_code.get(code)

    def lookup(
        self, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray
    ) -> list[Subject | None]:
        """The subject of each point (None outside all of them, or for a non-finite coordinate)."""
        return list(map(self.code_table.__getitem__, self.codes(lats, lons).tolist()))

    def codes(self, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray) -> np.ndarray:
        """Each point's subject as its index in ``subjects`` (int16; -1: none, as ``lookup``)."""
        lat = np.asarray(lats, dtype=float)
        lon = np.asarray(lons, dtype=float)
        out = np.full(len(lat), -1, dtype=np.int16)
        with np.errstate(invalid="ignore"):  # NaN: no cell, no subject
            ok = (lon >= -180) & (lon <= 180) & (lat >= -90) & (lat <= 90)
        at = np.flatnonzero(ok)
        if not len(at):
            return out
        lon_at, lat_at = lon[at], lat[at]
        col, row = np.floor(lon_at), np.floor(lat_at)
        # A point on a grid line touches the pieces of the cells beside too: the tree decides.
        edge = (lon_at == col) | (lat_at == row)
        if edge.any():
            self._by_tree(at[edge], lat, lon, out)
            inner = ~edge
            at, col, row = at[inner], col[inner], row[inner]
        cell = (row.astype(np.int64) + 90) * _COLS + col.astype(np.int64) + 180
        state = self._cell_state[cell]
        out[at] = np.maximum(state, -1)  # a filled cell's owner; -1 for none and for "test"
        test = state == -2
        if test.any():
            self._by_pieces(at[test], cell[test], lat, lon, out)
        return out

    def _by_pieces(self, points: np.ndarray, cells: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                   out: np.ndarray) -> None:
        """Points inside cells that need a test: each of a cell's pieces in turn, first wins;
        a piece that fills its cell takes every point left without a test (the points here lie
        inside the cell, off its edges)."""
        order = np.argsort(cells, kind="stable")
        points, cells = points[order], cells[order]
        starts = np.flatnonzero(np.concatenate(([True], cells[1:] != cells[:-1])))
        ends = np.append(starts[1:], len(cells))
        full, owner = self._full, self._owner
        for lo, hi, c in zip(starts.tolist(), ends.tolist(), cells[starts].tolist(), strict=True):
            left = points[lo:hi]
            for piece in self._cell_pieces[self._cell_start[c]:self._cell_start[c + 1]].tolist():
                if full[piece]:
                    out[left] = owner[piece]
                    break
                hit = shapely.intersects_xy(self._pieces[piece], lon[left], lat[left])
                if hit.any():
                    out[left[hit]] = owner[piece]
                    left = left[~hit]
                    if not len(left):
                        break

    def _by_tree(self, points: np.ndarray, lat: np.ndarray, lon: np.ndarray, out: np.ndarray) -> None:
        """The STRtree for a few points (on a grid line): a point on a shared border may hit
        two pieces; the first in index order wins, as inside a cell."""
        point, piece = self._tree.query(shapely.points(lon[points], lat[points]), predicate="intersects")
        order = np.lexsort((piece, point))
        point, piece = point[order], piece[order]
        first = np.concatenate(([True], point[1:] != point[:-1])) if len(point) else point.astype(bool)
        out[points[point[first]]] = self._owner[piece[first]]


_default: SubjectIndex | None = None
_lock = threading.Lock()


def default_subjects() -> SubjectIndex:
    """The shipped index, loaded once (~20 ms from its arrays; thread-safe)."""
    global _default
    with _lock:
        if _default is None:
            _default = SubjectIndex()
        return _default


def subject_of(lat: float, lon: float) -> Subject | None:
    return default_subjects().lookup([lat], [lon])[0]
