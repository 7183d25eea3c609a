"""Issue 17: a big opened project's name key ranked from its names' blob as casefolded UTF-8
bytes (ranks.folded_key: ~0.15 GB instead of ~0.3 GB at a million names) is the key the str
path gives (ranks.key_of of the casefolded texts): the same ranks, the same rows in rank order,
blanks last; texts it cannot rank alike give None (the caller ranks them the old way)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core.tables import TextColumn
from cluster_desk.ui.roster import ranks
from cluster_desk.ui.roster.folding import PART_ROWS, casefolded
from cluster_desk.ui.roster.ranks import folded_key, key_of

_WORDS = ["ООО", "Завод", "завод", "Альфа", "Straße", "STRASSE", "Äpfel", "apfel", "ёлка", "Ёж", "ǅemal",
          "Bolt", "№1", "\U0001f600", "x", "ﬁ", "İstanbul", "12", "120", "Σίσυφος", "ΣΊΣΥΦΟΣ", "a b"]


def _same(texts: list[str], part: int = PART_ROWS) -> None:
    column = TextColumn.of(texts)
    assert column is not None
    got = folded_key(column.chunks(part), len(column))
    assert got is not None
    want = key_of(casefolded(texts), False)
    assert got[0] is None and want[0] is None
    assert got[1].dtype == want[1].dtype and np.array_equal(got[1], want[1], equal_nan=True)
    assert got[2] is not None and want[2] is not None
    assert got[2].dtype == want[2].dtype and np.array_equal(got[2], want[2])


@pytest.mark.parametrize("part", [7, PART_ROWS])
def test_names_of_many_scripts_rank_as_their_casefolded_texts(part: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    rng = random.Random(5)
    texts = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 3)))
             + rng.choice(["", f" {rng.randint(0, 999)}"]) for _ in range(3000)]
    assert "" in texts and len(set(texts)) > 500
    _same(texts, part)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x1f"),
                        max_size=12), min_size=12, max_size=80, unique=True))
def test_any_texts_rank_as_their_casefolded_texts(texts: list[str]) -> None:
    old = ranks._NUMPY_RANKS
    ranks._NUMPY_RANKS = 10
    try:
        _same(texts, 5)
    finally:
        ranks._NUMPY_RANKS = old


def test_the_bench_names() -> None:
    _same([f"ООО «Компания {i}»" for i in range(0, 300_000, 3)] * 2 + ["", "Zeta"])


def test_texts_it_does_not_rank_give_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    assert folded_key([["a"] * 30], 30) is None  # few distinct: key_of keeps their sorted texts
    assert folded_key([[f"n{i}" for i in range(9)]], 9) is None  # fewer than _NUMPY_RANKS
    many = [f"n{i}" for i in range(30)]
    assert folded_key([[*many, "bad\x00nul"]], 31) is None


def test_a_separator_or_a_long_text_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    many = [f"n{i}" for i in range(30)]
    assert folded_key([many[:15], many[15:]], 30) is not None
    assert folded_key([[*many, "a\x1fb"]], 31) is None
    assert folded_key([[*many, "я" * (ranks._NUMPY_WIDTH * 2 + 1)]], 31) is None
    assert folded_key([many], 31) is None  # (not the count given)
