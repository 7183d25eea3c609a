"""The first assessment after a cold open takes the columns the open read (issue 17): only the
rest is read from the tables, and the arrays equal a full read, column by column, on random
rosters and on files whose values the fast path cannot hold."""

from __future__ import annotations

import random
import sqlite3
import uuid
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.model import ClusterSettings
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store import column_read
from cluster_desk.store.assess_columns import arrays_after_open, read_arrays, read_for_assessment, reading
from cluster_desk.store.project import Project
from tests.store.test_assess_columns import random_roster, same_arrays, stored


def opened_texts(path: Path) -> SharedTexts:
    """What the window's cold open hands the assessment (ui.project.loading.OpenedColumns)."""
    with Project.open(path) as p:
        read = column_read.open_columns(p)
    assert not read.from_snapshot
    ends = (read.links.source_index, read.links.target_index)
    return SharedTexts(read.key, read.members, read.links.ids, ends, read.links.kind_codes)


def after_open(path: Path, texts: SharedTexts) -> tuple[object, list[str]]:
    queries: list[str] = []
    with reading(path) as conn:
        conn.set_trace_callback(queries.append)
        got = arrays_after_open(conn, texts)
    return got, queries


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), n=st.integers(1, 60), k=st.integers(0, 150))
def test_the_rest_read_after_an_open_equals_a_full_read(tmp_path: Path, seed: int, n: int, k: int) -> None:
    rng = random.Random(seed)
    members, links = random_roster(rng, n, k)
    path = stored(tmp_path, members, links, f"r{uuid.uuid4().hex}.cdesk")
    texts = opened_texts(path)
    got, queries = after_open(path, texts)
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]
    # what the open read is not read again: no id, name, kind, status, place or end
    selects = [q for q in queries if "SELECT" in q.upper()]
    for column in ("name", "status", "lat", "source", "target", "kind"):
        assert not [q for q in selects if f"{column}," in q or f"({column}" in q], (column, selects)
    via_read, _keep = read_for_assessment(path, texts)  # (what the window's worker calls)
    same_arrays(via_read, read_arrays(path))
    cluster = ClusterSettings(radius_km=150.0)
    assert assess_arrays(via_read, cluster) == assess_arrays(read_arrays(path), cluster)


def _raw(path: Path, *sql: str) -> None:
    c = sqlite3.connect(path)
    c.execute("PRAGMA foreign_keys = OFF")
    for s in sql:
        c.execute(s)
    c.commit()
    c.close()


def test_values_the_blobs_cannot_hold_are_read_row_by_row(tmp_path: Path) -> None:
    members, links = random_roster(random.Random(8), 40, 120)
    path = stored(tmp_path, members, links)
    _raw(path, "UPDATE members SET sector = 'a' || char(31) || 'b', joined = '2020-1-1' WHERE rowid = 3",
         "UPDATE links SET start = '20-01-01', volume = 7.25 WHERE rowid = 4",
         "UPDATE links SET \"end\" = '2021-13-99' WHERE rowid = 5")
    got, _queries = after_open(path, opened_texts(path))
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]


def test_columns_of_another_state_are_not_taken(tmp_path: Path) -> None:
    members, links = random_roster(random.Random(9), 30, 60)
    path = stored(tmp_path, members, links)
    texts = opened_texts(path)
    with Project.open(path) as p:  # one member more since the open
        p.add_members(random_roster(random.Random(10), 1, 0)[0])
    got, _ = after_open(path, texts)
    assert got is None  # (read_for_assessment compares the keys first: its own full read)
    fresh, _keep = read_for_assessment(path, texts)
    same_arrays(fresh, read_arrays(path))
    no_kinds = SharedTexts(texts.key, texts.members, texts.link_ids, texts.link_ends)
    assert after_open(path, no_kinds)[0] is None


def test_a_kind_code_the_model_does_not_know_reads_everything(tmp_path: Path) -> None:
    members, links = random_roster(random.Random(11), 20, 40)
    path = stored(tmp_path, members, links)
    texts = opened_texts(path)
    odd = texts.link_kinds.copy()  # type: ignore[union-attr]
    odd[0] = 255
    got, _ = after_open(path, SharedTexts(texts.key, texts.members, texts.link_ids, texts.link_ends, odd))
    assert got is None
    assert np.array_equal(read_arrays(path).link_kind, read_for_assessment(path, texts)[0].link_kind)


@pytest.mark.parametrize("n", [0, 3])
def test_an_empty_project_and_one_without_links(tmp_path: Path, n: int) -> None:
    members, _ = random_roster(random.Random(12), n, 0)
    path = stored(tmp_path, members, [])
    got, _ = after_open(path, opened_texts(path))
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc/self/maps")
def test_the_assessments_read_never_maps_the_project_file(tmp_path: Path) -> None:
    """A mapped page the read touched counts in the process's RSS until the connection closes
    (issue 17: at a million members the first assessment's read peaked ~600 MB above what it
    kept, the file's pages): the read pages through SQLite's cache instead. Looked at while the
    connection is open, after a full read and the read after an open have touched every page."""
    members, links = random_roster(random.Random(5), 300, 900)
    path = stored(tmp_path, members, links, "mapped.cdesk")
    texts = opened_texts(path)
    with reading(path) as conn:
        assert arrays_after_open(conn, texts) is not None
        read_for_assessment(path, texts)  # (its own connection, the file's key read there too)
        maps = Path("/proc/self/maps").read_text()
        assert str(path.resolve()) not in maps
        assert conn.execute("SELECT count(*) FROM links").fetchone()[0] == len(links)


def test_the_one_digit_columns_equal_a_full_read(tmp_path: Path) -> None:
    """Industry codes, special territories and organising production come as one text of
    digits each: an industry the model does not know (a quote in it too) is "unspecified" as
    in a full read; any special territory is true. (A file whose values break the CHECKs is
    refused at the open: organising production is 0 or 1, one digit.)"""
    members, links = random_roster(random.Random(11), 50, 100)
    path = stored(tmp_path, members, links)
    _raw(path, "UPDATE members SET industry = 'wholesale', special_territory = 'SEZ' WHERE rowid IN (2, 9)",
         "UPDATE members SET industry = 'it''s', organising_production = 1 WHERE rowid = 4")
    got, _queries = after_open(path, opened_texts(path))
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]
    assert bool(got.special[1]) and bool(got.organising[3])  # type: ignore[attr-defined]
