"""Columns of the read after a cold open filled a window at a time (store.window_columns, issue
17): a column of one value throughout is never made whole and comes as a read-only view of that
value; a window holding another value makes it whole with every row before it filled; the
arrays equal a full read of every column either way."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.checks.context import UNIFORM
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store import assess_columns
from cluster_desk.store.assess_columns import read_arrays
from cluster_desk.store.window_columns import WindowColumn
from tests.store.test_assess_after_open import after_open, opened_texts
from tests.store.test_assess_columns import same_arrays, stored


def filled(dtype: object, *windows: list[float]) -> WindowColumn:
    column = WindowColumn(sum(len(w) for w in windows), dtype)
    at = 0
    for w in windows:
        column.put(at, np.array(w))
        at += len(w)
    return column


def test_one_value_throughout_is_a_read_only_view_never_made_whole() -> None:
    column = filled(np.float64, [math.nan] * 3, [], [math.nan] * 4)
    assert not column.whole
    got = column.column()
    assert got.shape == (7,) and got.strides == (0,) and not got.flags.writeable
    assert np.isnan(got).all()


def test_another_value_in_a_later_window_fills_the_rows_before_it() -> None:
    column = filled(np.int32, [0, 0], [0, 0, 0], [7, 7], [1, 2])
    assert column.whole
    assert column.column().tolist() == [0, 0, 0, 0, 0, 7, 7, 1, 2]
    assert column.column().flags.writeable


def test_values_differ_by_their_bits() -> None:
    assert filled(np.float64, [0.0, 0.0], [-0.0]).whole  # (-0.0 is not 0.0 to the arrays)
    assert filled(np.float64, [math.nan], [math.nan, math.nan]).column().strides == (0,)


def test_no_row_or_one_row_is_a_plain_array() -> None:
    assert filled(np.int32).column().tolist() == []
    one = filled(np.int32, [5]).column()
    assert one.tolist() == [5] and one.flags.writeable


def roster(n: int, *, dated_last: bool) -> tuple[list[Member], list[Link]]:
    """``n`` members and 2n links with no date, output or volume recorded; ``dated_last``: the
    last member joined on a day and left on another, the last link ended with a volume."""
    members = [Member(f"m{i}", MemberKind.FIRM, Status.MEMBER, id=f"m{i}", employees=10, lat=55.0 + i / 100,
                      lon=49.0) for i in range(n)]
    links = [Link(f"m{j % n}", f"m{(j * 7 + 1) % n}", LinkKind.SUPPLY, id=f"l{j}") for j in range(2 * n)]
    if dated_last:
        members[-1] = Member(f"m{n - 1}", MemberKind.FIRM, Status.FORMER, id=f"m{n - 1}", employees=10,
                             joined="2020-02-02", left="2024-01-01", output=5e6)
        links[-1] = Link(f"m{n - 2}", f"m{n - 1}", LinkKind.SUPPLY, id=f"l{2 * n - 1}", start="2021-01-01",
                         end="2023-03-03", volume=1e5 / 3)
    return members, links


@pytest.mark.parametrize("dated_last", [False, True])
def test_the_read_after_an_open_makes_a_column_whole_only_where_it_must(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dated_last: bool) -> None:
    monkeypatch.setattr(assess_columns, "WINDOW", 16)  # members: 4 windows; links: 8
    wholes: list[bool] = []
    column_of = WindowColumn.column

    def column(self: WindowColumn) -> np.ndarray:
        wholes.append(self.whole)
        return column_of(self)

    path = stored(tmp_path, *roster(60, dated_last=dated_last))
    texts = opened_texts(path)
    monkeypatch.setattr(WindowColumn, "column", column)
    got, _queries = after_open(path, texts)
    assert got is not None
    # employees (10 each) one value; joined, left, output and the links' start, end and volume
    # made whole only when the last rows hold a value
    assert sorted(wholes) == [False] * (1 if dated_last else 7) + [True] * (6 if dated_last else 0)
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]
    for name in ("joined", "left", "output", "volume", "start", "end"):
        assert name in UNIFORM
        assert (getattr(got, name).strides == (0,)) is not dated_last, name
