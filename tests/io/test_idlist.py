"""An import's added ids, kept 16 bytes an id, read back as the list of strings they were."""

from __future__ import annotations

from cluster_desk.core.model import new_id
from cluster_desk.io.idlist import IdList


def test_ids_read_back_as_given_in_order():
    odd = ["m-1", "ABCDEF0123456789ABCDEF0123456789", " " + "a" * 31, "a" * 31 + "\n", "é" * 32, "g" * 32]
    plain = [new_id() for _ in range(5)]
    ids = IdList(plain)
    ids.extend(odd)  # a batch with odd ids: one at a time
    ids.extend([*plain[:2], "x"])
    want = [*plain, *odd, *plain[:2], "x"]
    assert list(ids) == want and ids == want and len(ids) == len(want)
    assert [ids[i] for i in range(len(want))] == want and ids[-1] == "x" and ids[3:6] == want[3:6]
    assert IdList() == [] and ids != want[:-1]
    assert len(ids._packed) == 16 * len(want)  # 16 bytes an id (odd ones: a placeholder)
