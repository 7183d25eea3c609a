"""Issue 17: a ranks-only column (names, INNs) keeps its rows in rank order; the proxy sorts by
them, in either order, with no argsort of its own while they are exactly the key's stable sort
(not after an edit placed a row). The order must stay the slow obvious one's: ties in row order,
blanks last, descending too."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from test_roster_fast_keys import _shown, _slow_order, _views_side
from test_roster_ranks import _edit, _members

from cluster_desk.ui.roster import proxy as proxy_module
from cluster_desk.ui.roster import ranks
from cluster_desk.ui.roster.model import COL
from cluster_desk.ui.roster.proxy import RosterProxy, descending_of, stable_order

keys = st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 7.0, np.nan]), max_size=60)


@given(keys, st.sampled_from([np.float32, np.float64]))
@settings(max_examples=400, deadline=None)
def test_descending_of_is_the_stable_sort_of_the_negated_key(values: list[float], dtype: Any) -> None:
    key = np.array(values, dtype=dtype)
    assert descending_of(stable_order(key), key).tolist() == stable_order(-key).tolist()


def _counted_sorts(monkeypatch: Any) -> list[int]:
    """The proxy's own sorts of a key from now on (their lengths)."""
    sorts: list[int] = []
    monkeypatch.setattr(proxy_module, "stable_order",
                        lambda key: sorts.append(len(key)) or np.argsort(key, kind="stable"))
    return sorts


@pytest.fixture
def ranks_only(monkeypatch: Any) -> None:
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    monkeypatch.setattr(ranks, "_SAMPLE", 10_000)


@given(seed=st.integers(0, 10_000), n=st.integers(1, 80), column=st.sampled_from(["name", "inn"]),
       descending=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_fresh_ranks_only_column_sorts_by_its_own_order(
        qapp: Any, ranks_only: None, monkeypatch: Any, seed: int, n: int, column: str,
        descending: bool) -> None:
    """Ties (repeated names, INNs), blanks (no INN), one row; the proxy's own argsort is not
    called where the column is ranks-only (from 10 rows here), and the order is the slow one."""
    members = _members(random.Random(seed), n)
    _session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    sorts = _counted_sorts(monkeypatch)
    proxy.sort(COL[column], Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    assert _shown(proxy) == _slow_order(model, column, descending)
    ranked = model.columns.sorted_rows(column) is not None
    assert sorts == ([] if ranked else [n])  # (few distinct INNs or rows: a key of few texts)


def test_after_an_edit_the_proxy_sorts_the_key_again(qapp: Any, ranks_only: None, monkeypatch: Any) -> None:
    """An edit places its row first among its ties: the rank order is no longer the stable one,
    so the proxy sorts by the key (and the order is still the slow one's)."""
    members = _members(random.Random(3), 60)
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["name"])
    assert model.columns.sorted_rows("name") is not None
    _edit(session, dataclasses.replace(members[-1], name=members[0].name))
    assert model.columns.sorted_rows("name") is None
    sorts = _counted_sorts(monkeypatch)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        proxy.sort(COL["name"], order)
        assert _shown(proxy) == _slow_order(model, "name", order == Qt.SortOrder.DescendingOrder)
    assert sorts == [60, 60]
