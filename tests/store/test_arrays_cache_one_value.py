"""Issue 17: a column held as one value throughout (no date, volume or output recorded) is kept in
the arrays cache as that one value, not made whole for the save (a million members and three
million links: ~70 MB made at each save, just as the first assessment is shown); read back, it
is the same column, and the assessment the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.demo import demo_cluster
from cluster_desk.store import arrays_cache, snapshot
from cluster_desk.store.assess_columns import read_arrays, read_for_assessment
from tests.store.test_assess_columns import same_arrays, stored


def test_one_value_columns_are_kept_as_that_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    members, links, cluster = demo_cluster()
    members = [dataclasses.replace(m, output=None, joined=None, left=None) for m in members]
    links = [dataclasses.replace(lk, volume=None, start=None, end=None) for lk in links]
    path = stored(tmp_path, members, links)
    first, keep = read_for_assessment(path)
    assert first.volume.strides[0] == 0 and first.start.strides[0] == 0  # (held as one value)
    assert keep is not None and keep()
    head = snapshot.cached_head(arrays_cache.cache_file(path), arrays_cache.MAGIC)
    assert head is not None
    ones = {name for name, kind, _size, _crc in head["parts"] if kind.startswith(arrays_cache.ONE)}
    assert {"volume", "start", "end", "output", "joined", "left"} <= ones
    again, keep = read_for_assessment(path)
    assert keep is None  # from the cache
    same_arrays(again, read_arrays(path))
    assert again.volume.shape == (len(links),) and bool(np.isnan(again.volume).all())
    assert assess_arrays(again, cluster) == assess_arrays(first, cluster)
    cache = arrays_cache.cache_file(path)
    data = bytearray(cache.read_bytes())
    offset = data.index(b"\n", len(arrays_cache.MAGIC)) + 1  # (past the magic and the head)
    assert len(data) - offset == sum(part[2] for part in head["parts"])
    for name, _kind, size, _crc in head["parts"]:
        if name == "volume":
            data[offset] ^= 0xFF  # its one value damaged: the tables are read
            break
        offset += size
    cache.write_bytes(bytes(data))
    damaged, keep = read_for_assessment(path)
    assert keep is not None
    same_arrays(damaged, read_arrays(path))
