"""The checks' arrays read straight from a project file (store.assess_columns, issue 17) equal
``Arrays(records)`` of the same members and links, column by column, on the demo and on random
rosters with odd values (not placed, no dates, far away, unknown volumes, odd sector codes);
the checks on them give what a fresh assessment gives; and member/link patches applied to them
(what the window's worker does after an edit) leave what a fresh read of the file gives."""

from __future__ import annotations

import dataclasses
import random
import uuid
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster_desk.core import id_index
from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_COLUMNS, MEMBER_COLUMNS, LinkRows, MemberRows
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store import arrays_cache, snapshot
from cluster_desk.store.assess_columns import read_arrays, read_for_assessment
from cluster_desk.store.project import Project


def same_arrays(got: Arrays, want: Arrays) -> None:
    for name in (*MEMBER_COLUMNS, *LINK_COLUMNS):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert got.ids.tolist() == want.ids.tolist()
    assert got.names == want.names == [m.name for m in want.members]
    assert got.index == want.index
    assert got.dated == want.dated
    assert [lk.id for lk in got.links] == [lk.id for lk in want.links]
    assert got.link_rows() == want.link_rows()
    assert [(m.id, m.name, m.kind) for m in got.members] == [(m.id, m.name, m.kind) for m in want.members]


def stored(tmp_path: Path, members: list[Member], links: list[Link], name: str = "p.cdesk") -> Path:
    path = tmp_path / name
    with Project.create(path) as p:
        if members:
            p.add_members(members)
        if links:
            p.add_links(links)
    return path


DAYS = ["2019-01-31", "2021-06-30", "2024-02-29", "2030-12-01"]


def span(rng: random.Random) -> tuple[str | None, str | None]:
    """A start (or none) and an end after it (or none)."""
    first = rng.choice([None, None, *DAYS])
    later = [d for d in DAYS if first is None or d > first]
    return first, rng.choice([None, None, *later])


def random_roster(rng: random.Random, n: int, k: int) -> tuple[list[Member], list[Link]]:
    sectors = ["", "29.10", "C29.1", "2910", "7", "x", "00.1", " 62.01 "]
    members = []
    for i in range(n):
        joined, left = span(rng)
        placed = rng.random() < 0.8
        far = rng.random() < 0.1
        lat = rng.uniform(-89.9, 89.9) if far else 55.0 + rng.uniform(-2, 2)
        lon = rng.uniform(-179.9, 179.9) if far else 49.0 + rng.uniform(-3, 3)
        members.append(Member(
            f"Орг {i} «{rng.randrange(10**6)}»", rng.choice(list(MemberKind)), rng.choice(list(Status)),
            sector=rng.choice(sectors), industry=rng.choice(list(Industry)),
            employees=rng.choice([None, 0, 5, 120, 4000]), lat=lat if placed else None,
            lon=lon if placed else None, joined=joined, left=left,
            output=rng.choice([None, 0.0, 1.5e6, 3e9]), special_territory=rng.choice(list(SpecialTerritory)),
            organising_production=rng.random() < 0.2))
    links = []
    for _ in range(k if n > 1 else 0):
        a, b = rng.sample(range(n), 2)
        start, end = span(rng)
        links.append(Link(members[a].id, members[b].id, rng.choice(list(LinkKind)), start=start, end=end,
                          volume=rng.choice([None, 0.0, 2.5e6])))
    return members, links


def test_the_demo_read_from_the_file_equals_its_records(tmp_path: Path) -> None:
    members, links, cluster = demo_cluster()
    path = stored(tmp_path, members, links)
    with Project.open(path) as p:
        on_file_m, on_file_l = p.members(), p.links()
    got = read_arrays(path)
    assert isinstance(got.members, MemberRows) and isinstance(got.links, LinkRows)
    same_arrays(got, Arrays(on_file_m, on_file_l))
    for day in ("2021-06-30", None):
        assert assess_arrays(got, cluster, on=day) == assess(on_file_m, on_file_l, cluster, on=day)


def test_an_empty_project_and_one_without_links(tmp_path: Path) -> None:
    same_arrays(read_arrays(stored(tmp_path, [], [])), Arrays([], []))
    members, _ = random_roster(random.Random(1), 5, 0)
    path = stored(tmp_path, members, [], "b.cdesk")
    with Project.open(path) as p:
        same_arrays(read_arrays(path), Arrays(p.members(), []))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), n=st.integers(1, 60), k=st.integers(0, 150))
def test_random_rosters_read_from_the_file_equal_their_records(
        tmp_path: Path, seed: int, n: int, k: int) -> None:
    rng = random.Random(seed)
    members, links = random_roster(rng, n, k)
    path = stored(tmp_path, members, links, f"r{uuid.uuid4().hex}.cdesk")
    with Project.open(path) as p:
        on_file_m, on_file_l = p.members(), p.links()
    got = read_arrays(path)
    same_arrays(got, Arrays(on_file_m, on_file_l))
    day = rng.choice(["2020-01-01", "2025-05-05"])
    cluster = ClusterSettings(radius_km=rng.choice([50.0, 300.0]))
    assert assess_arrays(got, cluster, on=day) == assess(on_file_m, on_file_l, cluster, on=day)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_patched_arrays_equal_a_fresh_read(tmp_path: Path, seed: int) -> None:
    """Members edited, moved, added and deleted (with their links), links added, edited and
    deleted, each written to the file and patched into the arrays read before."""
    patched_equal_fresh(tmp_path, seed)


@pytest.mark.parametrize("seed", [11, 12])
def test_patched_arrays_with_packed_id_maps_equal_a_fresh_read(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same with the member id -> row maps a million members' arrays hold (IdRows): copied
    before an added member's id goes in, made again after a member's removal."""
    monkeypatch.setattr(id_index, "DICT_UP_TO", 0)
    patched_equal_fresh(tmp_path, seed)


def patched_equal_fresh(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    members, links = random_roster(rng, 30, 60)
    path = stored(tmp_path, members, links, f"e{uuid.uuid4().hex}.cdesk")
    arrays = read_arrays(path)
    with Project.open(path) as p:
        for _ in range(8):
            ms, ls = p.members(), p.links()
            what = rng.choice(["edit", "add", "delete", "link", "unlink"])
            if what == "edit" and ms:
                m = rng.choice(ms)
                new = Member(m.name + "!", rng.choice(list(MemberKind)), rng.choice(list(Status)), m.id,
                             employees=rng.choice([None, 7]), lat=None if rng.random() < 0.3 else 50.0,
                             lon=None if rng.random() < 0.3 else 40.0)
                new = new if (new.lat is None) == (new.lon is None) else Member(new.name, id=m.id)
                p.update_member(new)
                arrays.patch_members([p.member(m.id)], ())
            elif what == "add":
                extra, _ = random_roster(rng, 2, 0)
                p.add_members(extra)
                arrays.patch_members(extra, ())
            elif what == "delete" and len(ms) > 2:
                gone = rng.sample([m.id for m in ms], 2)
                _m, dropped = p.delete_members(gone)
                arrays.patch_links((), [lk.id for lk in dropped])
                arrays.patch_members((), gone)
            elif what == "link" and len(ms) > 1:
                a, b = rng.sample(ms, 2)
                lk = Link(a.id, b.id, rng.choice(list(LinkKind)), start=rng.choice([None, "2020-02-02"]))
                p.add_links([lk])
                arrays.patch_links([lk], ())
            elif what == "unlink" and ls:
                lk = rng.choice(ls)
                p.delete_link(lk.id)
                arrays.patch_links((), [lk.id])
            cluster = ClusterSettings()
            assert assess_arrays(arrays, cluster, on="2025-01-01") == assess(p.members(), p.links(), cluster,
                                                                            on="2025-01-01")
            assert arrays.index == {mid: i for i, mid in enumerate(arrays.ids.tolist())}
            assert isinstance(arrays.index, id_index.IdRows) == (id_index.DICT_UP_TO == 0)


def test_a_warm_open_reads_the_arrays_kept_by_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """store.arrays_cache: what the first read keeps is read back while the file is unchanged,
    equal to a read of the tables; an edit, or a damaged cache file, means the tables again."""
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    members, links, cluster = demo_cluster()
    path = stored(tmp_path, members, links)
    first, keep = read_for_assessment(path)
    assert keep is not None and keep() and arrays_cache.cache_file(path).exists()
    again, keep = read_for_assessment(path)
    assert keep is None  # from the cache
    same_arrays(again, read_arrays(path))
    assert assess_arrays(again, cluster) == assess_arrays(first, cluster)
    with Project.open(path) as p:
        m = p.members()[0]
        p.update_member(Member(m.name + "!", m.kind, m.status, m.id))
    stale, keep = read_for_assessment(path)
    assert keep is not None and stale.names[0].endswith("!")
    assert keep()
    cache = arrays_cache.cache_file(path)
    data = bytearray(cache.read_bytes())
    data[-5] ^= 0xFF  # a damaged cache file: the tables are read
    cache.write_bytes(bytes(data))
    damaged, keep = read_for_assessment(path)
    assert keep is not None
    same_arrays(damaged, read_arrays(path))


@pytest.mark.parametrize("packed", [False, True])
def test_a_read_holds_the_open_s_texts_while_the_file_is_as_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packed: bool) -> None:
    """read_for_assessment with the texts an open read (issue 17): from the tables and from the
    arrays cache (its own texts then not read), the arrays hold the open's member ids, names, id
    -> row map and link ids, and equal a plain read; once the file changed, their own. ``packed``:
    the id -> row maps are IdRows, as a million members' (core.id_index)."""
    if packed:
        monkeypatch.setattr(id_index, "DICT_UP_TO", 0)
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    members, links, cluster = demo_cluster()
    path = stored(tmp_path, members, links)
    with Project.open(path) as p:
        p.open_columns().save_snapshot(path)
        opened = p.open_columns()
    assert opened.from_snapshot
    ends = (opened.links.source_index, opened.links.target_index)
    texts = SharedTexts(opened.key, opened.members, opened.links.ids, ends)
    for source in ("tables", "cache"):
        got, keep = read_for_assessment(path, texts)
        assert (keep is None) == (source == "cache")
        assert got.index is opened.members.index and got.ids.tolist() == opened.members.ids
        for mine, theirs in ((got.lat, opened.members.lat), (got.lon, opened.members.lon),
                             (got.src, ends[0]), (got.dst, ends[1])):  # held, read-only
            assert np.shares_memory(mine, theirs) and not mine.flags.writeable
        assert got.ids[0] is opened.members.ids[0] and got.links.ids.block is opened.links.ids.block
        same_arrays(got, read_arrays(path))
        assert assess_arrays(got, cluster) == assess_arrays(read_arrays(path), cluster)
        if keep is not None:
            assert keep()  # the cache is written from the shared texts: read back equal below
    plain, _ = read_for_assessment(path)
    same_arrays(plain, read_arrays(path))
    with Project.open(path) as p:
        m = p.members()[0]
        p.update_member(Member(m.name + "!", m.kind, m.status, m.id))
    edited, keep = read_for_assessment(path, texts)
    assert keep is not None and edited.index is not opened.members.index and edited.names[0].endswith("!")
    same_arrays(edited, read_arrays(path))
    assert isinstance(edited.index, id_index.IdRows) == packed
    assert isinstance(opened.members.index, id_index.IdRows) == packed


@pytest.mark.parametrize("hex_ids", [True, False])
def test_the_arrays_cache_keeps_hex_link_ids_as_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hex_ids: bool) -> None:
    """Link ids of 32 hex digits (core.hex_ids) are kept as their 16 bytes and read back as
    HexIds (a million links: 48 MB, no 99 MB text made while the first assessment is shown);
    other ids as text. Either way the ids read back as they were stored."""
    from cluster_desk.core.hex_ids import HexIds

    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    members, links, _cluster = demo_cluster()
    if not hex_ids:
        links = [dataclasses.replace(lk, id=f"Связь-{i}") for i, lk in enumerate(links)]
    path = stored(tmp_path, members, links)
    with Project.open(path) as p:
        opened = p.open_columns()  # (the window's first assessment holds the open's texts)
    assert isinstance(opened.links.ids, HexIds) == hex_ids
    ends = (opened.links.source_index, opened.links.target_index)
    _first, keep = read_for_assessment(path, SharedTexts(opened.key, opened.members, opened.links.ids, ends))
    assert keep is not None and keep()
    again, keep = read_for_assessment(path)
    assert keep is None  # from the cache
    assert isinstance(again.links.ids, HexIds) == hex_ids
    assert again.links.ids.tolist() == read_arrays(path).links.ids.tolist()
    same_arrays(again, read_arrays(path))
