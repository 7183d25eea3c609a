"""core.row_values.RowValues behaves as the dict of the same values (issue 17: the session's
distances at a million members), after random sets, pops and updates; the shared map and ids
are never changed."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pytest

from cluster_desk.core.id_index import IdRows
from cluster_desk.core.row_values import RowValues


@pytest.mark.parametrize("packed", [False, True])
def test_row_values_behave_as_the_dict_of_their_values(packed: bool) -> None:
    """Over a dict or an IdRows (a million members' map, core.id_index)."""
    rng = random.Random(3)
    for _ in range(60):
        n = rng.randrange(0, 9)
        ids = [f"m{i}" for i in range(n)]
        index: Any = IdRows(ids) if packed else {mid: i for i, mid in enumerate(ids)}
        values = np.array([rng.choice([math.nan, 1.5, 250.0, 0.0]) for _ in ids], dtype=float)
        want = {mid: float(v) for mid, v in zip(ids, values.tolist(), strict=True) if not math.isnan(v)}
        got = RowValues(index, np.array(ids, dtype=object), values.copy())
        for _ in range(rng.randrange(6)):
            key = rng.choice([*ids, "new1", "new2"])
            what = rng.random()
            if what < 0.4:
                got[key] = want[key] = rng.choice([3.0, 900.0])
            elif what < 0.7:
                assert got.pop(key, None) == want.pop(key, None)
            else:
                more = {key: 7.0, rng.choice([*ids, "new3"]): 8.0}
                got.update(more)
                want.update(more)
        assert dict(got) == want and len(got) == len(want) and set(got) == set(want)
        assert [k for k in got if k in index] == [k for k in ids if k in want]  # row order
        probe = [*ids, "new1", "new2", "nope"]
        assert got.column(probe) == [want.get(k) for k in probe]
        assert all((k in got) == (k in want) and got.get(k) == want.get(k) for k in probe)
        assert sorted(got.within(300.0)) == sorted(k for k, v in want.items() if v <= 300.0)
        assert index == {mid: i for i, mid in enumerate(ids)}  # the shared map as it was
    with pytest.raises(KeyError):
        RowValues({"a": 0}, ["a"], np.array([math.nan]))["a"]
    with pytest.raises(ValueError, match="lengths"):
        RowValues({"a": 0}, ["a"], np.zeros(2))
