"""The federal subjects' grid lookup (cluster_desk.places.regions: 1° cells, a table for the cells
one subject fills, shapely's intersects_xy in the others) answers as the STRtree over the same
pieces does: for points inside, outside, on grid lines, on the antimeridian and not finite."""

from __future__ import annotations

import numpy as np
import shapely

from cluster_desk.places.regions import default_subjects


def _tree_answers(lat: np.ndarray, lon: np.ndarray) -> list[set[int]]:
    """Every subject whose pieces a point touches, by the STRtree (the reference)."""
    index = default_subjects()
    ok = np.isfinite(lat) & np.isfinite(lon)
    out: list[set[int]] = [set() for _ in lat]
    at = np.flatnonzero(ok)
    point, piece = index._tree.query(shapely.points(lon[ok], lat[ok]), predicate="intersects")
    for p, g in zip(point.tolist(), index._owner[piece].tolist(), strict=True):
        out[int(at[p])].add(g)
    return out


def test_the_grid_answers_as_the_tree() -> None:
    rng = np.random.default_rng(17)
    lat = np.concatenate([
        rng.uniform(41, 82, 20_000), rng.uniform(-90, 90, 2_000),  # Russia's box, anywhere
        55.79 + rng.normal(0, 2, 20_000),  # around Kazan: cells filled and cells cut by borders
        np.round(rng.uniform(41, 82, 3_000)), rng.uniform(41, 82, 3_000),  # on grid lines
        [np.nan, 60.0, 65.0, 90.0, -90.0, 64.73, 55.0]])
    lon = np.concatenate([
        rng.uniform(-180, 180, 20_000), rng.uniform(-200, 200, 2_000),
        49.1 + rng.normal(0, 3, 20_000),
        rng.uniform(19, 180, 3_000), np.round(rng.uniform(19, 180, 3_000)),
        [49.0, np.inf, -180.0, 0.0, 0.0, 180.0, 49.0]])
    index = default_subjects()
    codes = index.codes(lat, lon)
    want = _tree_answers(lat, lon)
    placed = sum(1 for w in want if w)
    assert placed > 20_000  # the sample does reach into Russia
    for i, (got, w) in enumerate(zip(codes.tolist(), want, strict=True)):
        if len(w) <= 1:  # one subject (or none): the same answer
            assert got == (next(iter(w)) if w else -1), (i, lat[i], lon[i])
        else:  # on a shared border (or where simplified borders overlap): one of them
            assert got in w, (i, lat[i], lon[i])
    assert index.lookup(lat[:50], lon[:50]) == [index.code_table[c] for c in codes[:50].tolist()]


def test_cells_one_subject_fills_answer_without_a_test() -> None:
    index = default_subjects()
    filled = np.flatnonzero(index._cell_state >= 0)
    assert len(filled) > 1000  # about half the cells with land
    cell = int(filled[len(filled) // 2])
    row, col = divmod(cell, 360)
    lat, lon = row - 90 + 0.5, col - 180 + 0.5
    assert index.codes([lat], [lon]).tolist() == [int(index._cell_state[cell])]
    assert _tree_answers(np.array([lat]), np.array([lon])) == [{int(index._cell_state[cell])}]
