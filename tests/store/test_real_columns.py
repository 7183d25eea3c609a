"""A REAL column read several values to a row (store.real_columns, issue 17) is each stored double
bit for bit, as a read of one value a row is: awkward values (subnormals, -0.0, the largest
doubles, infinities, 17 significant digits, random bit patterns), NULLs, windows of every size
around SPREAD, windows with rowids missing, and a project file's output and volume read after
a cold open."""

from __future__ import annotations

import math
import random
import sqlite3
import struct
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.store import real_columns
from cluster_desk.store.assess_columns import arrays_after_open, read_arrays, reading
from cluster_desk.store.real_columns import SPREAD, real_column
from tests.store.test_assess_after_open import opened_texts
from tests.store.test_assess_columns import random_roster, stored

#: Values whose text SQLite 3.40 rounds (15 digits) or that sit at the ends of the doubles.
AWKWARD = [
    5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1e-300, 2.0 ** -1022 * 3, -0.0, 0.0,
    1e308, 1.7976931348623157e308, math.inf, 0.1 + 0.2, 1 / 3, 2 / 3, 123456789.12345679,
    9007199254740993.0, 2.0 ** 63, 2.0 ** 63 - 1024, 4503599627370495.5, 0.0009765625, 0.0009765624999999999,
    1e-5, 1e22, 1e23, 7.000000000000001, 99999999999999.98, 1.0000000000000002, 0.30000000000000004,
]


def _random_double(rng: random.Random) -> float:
    while True:  # any bit pattern but NaN (SQLite stores NaN as NULL)
        x = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        if not math.isnan(x):
            return abs(x) if rng.random() < 0.5 else x


def _table(values: list[float | None], gaps: set[int] = frozenset()) -> sqlite3.Connection:  # type: ignore[assignment]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x REAL)")  # REAL affinity, as the project's output and volume
    conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)",
                     [(i + 1, v) for i, v in enumerate(values) if i + 1 not in gaps])
    return conn


def _one_a_row(conn: sqlite3.Connection, lo: int, hi: int) -> np.ndarray:
    """The reference: a value a row, NULL as NaN."""
    rows = conn.execute("SELECT x FROM t WHERE rowid BETWEEN ? AND ? ORDER BY rowid", (lo, hi)).fetchall()
    return np.array([math.nan if v is None else v for (v,) in rows], dtype=np.float64)


def _same_bits(got: np.ndarray | None, want: np.ndarray) -> None:
    assert got is not None and got.dtype == np.float64 and got.shape == want.shape
    nan = np.isnan(want)
    np.testing.assert_array_equal(np.isnan(got), nan)
    np.testing.assert_array_equal(got[~nan].view(np.uint64), want[~nan].view(np.uint64))


@pytest.mark.parametrize("count", [0, 1, 2, SPREAD - 1, SPREAD, SPREAD + 1, 3 * SPREAD + 5, 1_000, 4_099])
def test_each_value_is_the_stored_double_bit_for_bit(count: int) -> None:
    rng = random.Random(count)
    pool = [*AWKWARD, None]
    values = [rng.choice(pool) if rng.random() < 0.6 else _random_double(rng) for _ in range(count)]
    conn = _table(values)
    _same_bits(real_column(conn, "t", "x", 1, count, count), _one_a_row(conn, 1, count))
    if count > 10:  # a window inside the table: rows past its end are not taken
        lo, hi = 4, count - 3
        _same_bits(real_column(conn, "t", "x", lo, hi, hi - lo + 1), _one_a_row(conn, lo, hi))


def test_awkward_values_come_back_as_stored() -> None:
    conn = _table([*AWKWARD, None])
    got = real_column(conn, "t", "x", 1, len(AWKWARD) + 1, len(AWKWARD) + 1)
    assert got is not None
    stored_bits = [struct.pack("<d", v) for v in AWKWARD if v != 0]  # (SQLite keeps -0.0 as 0)
    assert [struct.pack("<d", v) for v in got[:-1] if v != 0] == stored_bits
    assert math.isnan(got[-1])


def test_a_window_with_rowids_missing_is_read_a_value_a_row() -> None:
    rng = random.Random(5)
    values = [_random_double(rng) if rng.random() < 0.9 else None for _ in range(500)]
    gaps = set(rng.sample(range(1, 501), 40))
    conn = _table(values, gaps)
    queries: list[str] = []
    conn.set_trace_callback(queries.append)
    got = real_column(conn, "t", "x", 1, 500, 500 - len(gaps))
    _same_bits(got, _one_a_row(conn, 1, 500))
    assert "JOIN" not in queries[-1]
    assert real_column(conn, "t", "x", 1, 500, 500) is None  # more rows than the window holds


def test_a_whole_window_is_read_spread_values_a_row() -> None:
    conn = _table([float(i) for i in range(1, 1001)])
    rows = conn.execute(real_columns._spread_sql("t", "x"), (1, 1000, -(-1000 // SPREAD))).fetchall()
    assert len(rows) == -(-1000 // SPREAD) and all(len(r) == SPREAD for r in rows)
    got = real_column(conn, "t", "x", 1, 1000, 1000)
    assert got is not None and got.tolist() == [float(i) for i in range(1, 1001)]


def test_a_projects_output_and_volume_are_exact(tmp_path: Path) -> None:
    rng = random.Random(11)
    members, links = random_roster(rng, 300, 700)
    path = stored(tmp_path, members, links)
    allowed = [v for v in AWKWARD if v >= 0]  # (CHECK (x >= 0.0))
    with sqlite3.connect(path) as conn:
        for table, column, n in (("members", "output", 300), ("links", "volume", 700)):
            picked = [rng.choice([*allowed, None, abs(_random_double(rng))]) for _ in range(n)]
            conn.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                             [(v, i) for i, v in enumerate(picked, start=1)])
    conn.close()
    texts = opened_texts(path)
    with reading(path) as read:
        got = arrays_after_open(read, texts)
        want = {c: np.array([math.nan if v is None else v for (v,) in read.execute(
            f"SELECT {c} FROM {t} ORDER BY rowid")], dtype=np.float64) for t, c in (("members", "output"),
                                                                                  ("links", "volume"))}
    assert got is not None
    _same_bits(np.asarray(got.output), want["output"])
    _same_bits(np.asarray(got.volume), want["volume"])
    full = read_arrays(path)  # (the read with no open: the links' volume 16 a row too)
    _same_bits(np.asarray(full.output), want["output"])
    _same_bits(np.asarray(full.volume), want["volume"])
