"""The first assessment's read after a cold open reads what a window holds, no more (issue 17):
a REAL column with no value in a window is not read, a few values are read alone, a date column
with no date is counted and not joined (and read again when a later window has dates), and
sectors' divisions, industries, flags and employees parsed in numpy equal the row-by-row read."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cluster_desk.core import text_blobs
from cluster_desk.core.checks.roster_rows import division_of, divisions_in
from cluster_desk.core.model import Industry, Link, LinkKind, Member, MemberKind, SpecialTerritory, Status
from cluster_desk.store import assess_columns
from cluster_desk.store.assess_columns import read_arrays
from tests.store.test_assess_after_open import after_open, opened_texts
from tests.store.test_assess_columns import same_arrays, stored

#: Rows a window holds in these tests (monkeypatched): 4 windows of members, 8 of links.
WINDOW = 25


def roster(values: dict[int, float], ends: dict[int, str]) -> tuple[list[Member], list[Link]]:
    """100 members and 200 links: member i has output ``values.get(i)``, link j volume
    ``values.get(j)`` and end ``ends.get(j)``."""
    rng = random.Random(7)
    members = [Member(f"m{i}", rng.choice(list(MemberKind)), rng.choice(list(Status)), id=f"m{i}",
                      sector=rng.choice(["29.10", "", "C29", "x"]), industry=rng.choice(list(Industry)),
                      employees=rng.choice([None, 0, 3, 12345]),
                      lat=55.0 + i / 100, lon=49.0, output=values.get(i),
                      special_territory=rng.choice(list(SpecialTerritory)),
                      organising_production=rng.random() < 0.3) for i in range(100)]
    links = [Link(f"m{j % 100}", f"m{(j * 7 + 1) % 100}", rng.choice(list(LinkKind)), id=f"l{j}",
                  start="2020-01-01", end=ends.get(j), volume=values.get(j)) for j in range(200)]
    return members, links


def read_after_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: list[Member],
                    links: list[Link], written: str = "") -> list[str]:
    """The queries of the read after a cold open, its arrays checked against a full read
    (``written``: SQL another program ran on the file before the open)."""
    monkeypatch.setattr(assess_columns, "WINDOW", WINDOW)
    path = stored(tmp_path, members, links)
    if written:
        with sqlite3.connect(path) as conn:
            conn.execute(written)
        conn.close()
    got, queries = after_open(path, opened_texts(path))
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]
    return queries


def test_a_real_column_is_read_where_a_window_has_values_and_a_few_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # links' windows: rows 1-25 none, 26-50 all, 51-75 two (few), the rest none
    values = {j: 1e6 / 3 + j for j in range(25, 50)} | {55: 0.1, 60: 2.0**49 + 0.5}
    queries = read_after_open(tmp_path, monkeypatch, *roster(values, {}))
    spread = [q for q in queries if "LEFT JOIN" in q]
    alone = [q for q in queries if "IS NOT NULL" in q]
    # members (outputs 25-49, 55, 60): window 2 spread, window 3 alone; links the same
    assert len(spread) == 2 and len(alone) == 2, queries
    assert sorted(q.split(" FROM ")[1].split()[0] for q in spread) == ['"links"', '"members"']


def test_a_date_column_with_no_date_is_counted_then_read_again_where_dates_come(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ends = {160: "2024-05-01", 199: "2025-01-31"}  # in the 7th and the 8th window of links
    queries = read_after_open(tmp_path, monkeypatch, *roster({}, ends))
    link_windows = [q for q in queries if "count(volume)" in q]
    joined = ['group_concat(coalesce("end"' in q for q in link_windows]
    assert joined == [True, False, False, False, False, False, False, True], link_windows
    alone = [q for q in queries if q.startswith('SELECT CAST(group_concat(coalesce("end"')]
    assert len(alone) == 1, queries  # the 7th window's dates, read after its count said so


def test_employees_too_long_for_numpy_read_as_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (more than the store lets in: a file another program wrote; the window is read as rows)
    queries = read_after_open(tmp_path, monkeypatch, *roster({}, {}),
                              written="UPDATE members SET employees = 100000000000000001 WHERE id = 'm3'")
    assert [q for q in queries if q.startswith("SELECT sector, industry, employees")], queries


_TEXTS = st.text(alphabet=st.sampled_from("0123456789 .\tCxé\u0663\u0661Z-"), max_size=6)


@given(st.lists(_TEXTS, min_size=1, max_size=20))
def test_divisions_in_a_blob_are_division_of_each_text(texts: list[str]) -> None:
    blob = "\x1f".join(texts).encode("utf-8")
    got = text_blobs.bounds(blob, len(texts))
    assert got is not None
    assert divisions_in(blob, *got).tolist() == [division_of(t) for t in texts]
