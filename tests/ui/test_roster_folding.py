"""Issue 17: the roster's warm-up threads casefold and join a part at a time (folding.py), so no
call holds the GIL over a million rows and no casefold buffer of the whole haystack is made; the
results are those of the obvious one-text-at-a-time code."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.ui.roster import columns, folding

_LETTERS = "aAzZßẞİıΣσςёЁеЕﬁǄǅ1\x00\x01"


@given(texts=st.lists(st.text(_LETTERS, max_size=5), max_size=30), part_rows=st.sampled_from([1, 2, 7, 8192]))
@settings(max_examples=200, deadline=None)
def test_casefolded_in_parts_is_each_text_casefolded(texts: list[str], part_rows: int) -> None:
    old = folding.PART_ROWS
    folding.PART_ROWS = part_rows  # (restored below: no fixture with @given)
    try:
        assert folding.casefolded(texts) == [t.casefold() for t in texts]
    finally:
        folding.PART_ROWS = old


@pytest.mark.parametrize("part_rows", [1, 3, 8192])
def test_the_haystack_is_joined_in_parts_and_takes_the_texts(monkeypatch: Any, part_rows: int) -> None:
    """The rows' folded texts joined by the row separator, each row's start, across the parts'
    edges (ß grows a row: that part is folded row by row); the texts read are dropped as their
    part is folded (a million rows' str are not held beside the haystack)."""
    monkeypatch.setattr(columns, "PART_ROWS", part_rows)
    texts = ["Straße", "", "ЁЛКА\x01Sector", "x", "ǅ", "Zz"]
    wanted = [t.casefold() for t in texts]
    taken = list(texts)
    joined, starts = columns._joined_rows(taken, casefold=True)
    assert joined == columns._ROW_END.join(wanted)
    assert [joined[a:a + len(w)] for a, w in zip(starts.tolist(), wanted, strict=True)] == wanted
    assert taken == [""] * len(texts)
    assert columns._joined_rows([], casefold=True)[0] == ""


def test_ascii_texts_that_fold_to_themselves_are_kept_as_they_are(monkeypatch: Any) -> None:
    """A part of ASCII texts with no capital (INNs, OGRNs) is not folded and split again (issue
    17: ~12 ms of a 100,000-row INN sort): the very texts come back; a part with one is folded."""
    monkeypatch.setattr(folding, "PART_ROWS", 3)
    texts = [str(7701000000 + i) for i in range(5)] + ["", "ooo 1", "OOO 2", "x"]
    got = folding.casefolded(texts)
    assert got == [t.casefold() for t in texts]
    assert all(g is t for g, t in zip(got[:3], texts[:3], strict=True))  # the first part: kept
    assert got[7] == "ooo 2"  # (the third part holds a capital: folded)
