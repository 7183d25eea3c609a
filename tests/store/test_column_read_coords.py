"""A cold open's coordinates (store.column_read): read in the members' one scan as fixed-width
integers (x * 2**52), exact to the bit, with no row-by-row query, and row by row (still exact)
when a value under 1 in magnitude could have lost bits to the integer."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.model import Member
from cluster_desk.store import column_read
from cluster_desk.store.project import Project


def _project(path: Path, places: list[tuple[float | None, float | None]]) -> None:
    with Project.create(path) as p:
        p.add_members([Member(f"M{i}", id=f"m{i:05d}", lat=lat, lon=lon)
                       for i, (lat, lon) in enumerate(places)])


def _read(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The members' coordinates as a first open reads them, and the statements it ran."""
    statements: list[str] = []
    conn = sqlite3.connect(path, isolation_level=None)  # (no Project: a crafted file is refused)
    conn.set_trace_callback(statements.append)
    try:
        conn.execute("BEGIN")
        got = column_read.read_members(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert got is not None
    return got[0].lat, got[0].lon, statements


def _bits(values: list[float | None]) -> list[int | None]:
    """Each value's exact bits (None for NaN / not placed)."""
    out: list[int | None] = []
    for v in values:
        out.append(None if v is None or v != v else int(np.float64(v).view(np.int64)))
    return out


def _random_places(rng: random.Random, n: int) -> list[tuple[float | None, float | None]]:
    """Full 53-bit mantissas over the whole range of each coordinate (magnitudes 1 and up),
    both signs, the ends of the ranges, and unplaced members."""
    places: list[tuple[float | None, float | None]] = [(90.0, -180.0), (-90.0, 180.0), (1.0, -1.0),
                                                       (None, None), (89.99999999999999, 179.99999999999997)]
    for i in range(n):
        if i % 11 == 0:
            places.append((None, None))
            continue
        lat = rng.choice([1, -1]) * rng.uniform(1.0, 90.0)
        lon = rng.choice([1, -1]) * rng.uniform(1.0, 180.0)
        places.append((lat, lon))
    return places


def test_coordinates_come_exact_in_the_members_scan(tmp_path: Path) -> None:
    places = _random_places(random.Random(17), 3000)
    path = tmp_path / "places.cdesk"
    _project(path, places)
    lat, lon, statements = _read(path)
    assert _bits(lat.tolist()) == _bits([a for a, _ in places])
    assert _bits(lon.tolist()) == _bits([b for _, b in places])
    assert np.isnan(lat[3]) and np.isnan(lon[3])
    # one scan of the members: no query a row at a time for the coordinates
    members_reads = [s for s in statements if "FROM members" in s]
    assert len(members_reads) == 1, members_reads
    assert column_read._MEMBER_PLACES not in statements


def test_values_under_one_are_read_row_by_row_exactly(tmp_path: Path) -> None:
    """Bits below 2**-52 do not survive x * 2**52 as an integer: such a file reads its
    coordinates row by row (the equator and the prime meridian: never in a Russian cluster)."""
    places = _random_places(random.Random(5), 200)
    places += [(0.1234567890123456, 0.0), (-0.5, 5e-324), (1e-300, -0.999999999999999)]
    path = tmp_path / "small.cdesk"
    _project(path, places)
    lat, lon, statements = _read(path)
    assert _bits(lat.tolist()) == _bits([a for a, _ in places])
    assert _bits(lon.tolist()) == _bits([b for _, b in places])
    assert column_read._MEMBER_PLACES in statements


def test_a_coordinate_out_of_range_reads_row_by_row(tmp_path: Path) -> None:
    """A crafted file past the CHECKs (a coordinate the fixed width cannot hold; the open's
    integrity check refuses it, but the read must not misread it) reads what it stores."""
    path = tmp_path / "crafted.cdesk"
    _project(path, [(55.5, 49.25), (56.0, 50.0)])
    c = sqlite3.connect(path)
    c.execute("PRAGMA ignore_check_constraints = ON")
    c.execute("UPDATE members SET lon = 5000.125 WHERE rowid = 2")
    c.commit()
    c.close()
    lat, lon, statements = _read(path)
    assert lat.tolist() == [55.5, 56.0] and lon.tolist() == [49.25, 5000.125]
    assert column_read._MEMBER_PLACES in statements


def _fixed_blob(values: list[float | None]) -> bytes:
    """``values`` as the members' scan writes them (``column_read._fixed``), built in Python."""
    scale, offset, unplaced = column_read._SCALE, column_read._OFFSET, column_read._UNPLACED
    return b"".join(str(int((unplaced if v is None else v) * scale) + offset).encode() for v in values)


def test_coordinates_are_made_a_block_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few rows (the last one short): the same numbers as one block of them all, and
    a bad value in any block, the last included, still sends the read row by row."""
    rng = random.Random(3)
    values: list[float | None] = [None if i % 9 == 0 else rng.choice([1, -1]) * rng.uniform(1.0, 179.0)
                                  for i in range(53)]
    blob = _fixed_blob(values)
    whole = column_read._coordinates(blob, len(values))
    monkeypatch.setattr(column_read, "COORD_BLOCK", 7)
    blocks = column_read._coordinates(blob, len(values))
    assert whole is not None and blocks is not None
    assert _bits(blocks.tolist()) == _bits(values) == _bits(whole.tolist())
    last = bytearray(blob)
    last[-1] = ord("-")  # (a sign: not a digit)
    assert column_read._coordinates(bytes(last), len(values)) is None
    assert column_read._coordinates(_fixed_blob([*values[:-1], 0.5]), len(values)) is None  # under 1
    assert column_read._coordinates(blob[:-19], len(values)) is None  # not as many as the rows
    assert column_read._coordinates(b"", 0) is not None
