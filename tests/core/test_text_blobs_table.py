"""Finding texts in a ``core.text_blobs.Table`` (the open's link ends among the member ids, issue
17): ids all of one width are held without a length word (up to 8 bytes as one word, whose hash
is the text itself, so nothing is confirmed), and a lookup reads its bucket's head first. Every
answer must be the one a dict of the texts gives, whatever the widths, the buckets' crowding or
the texts that are not there."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import text_blobs


def _oracle(texts: list[str], queries: list[str]) -> list[int]:
    where = {t: i for i, t in enumerate(texts)}
    return [where.get(q, -1) for q in queries]


def _find(texts: list[str], queries: list[str]) -> list[int]:
    table = text_blobs.Table.of_texts(texts)
    found = table.find_joined("\x1f".join(queries).encode(), len(queries))
    assert found is not None
    out: list[int] = found.tolist()
    return out


def test_ids_of_one_short_width_are_exact_words() -> None:
    texts = [f"m{i:07d}" for i in range(5000)]  # 8 bytes: one word a text, no length word
    table = text_blobs.Table.of_texts(texts)
    assert table.exact and table.length == 8
    queries = ["m0000000", "m0004999", "m0005000", "m000000", "m00000000", "m000001\x00",
               "M0000001", "", "ж0000001"[:4], "m0000017"]
    assert _find(texts, queries) == _oracle(texts, queries)


def test_uuid_ids_are_confirmed_word_by_word() -> None:
    rng = random.Random(5)
    texts = [rng.getrandbits(128).to_bytes(16, "big").hex() for _ in range(20_000)]
    table = text_blobs.Table.of_texts(texts)
    assert not table.exact and table.length == 32
    queries = []
    for t in rng.sample(texts, 2000):
        queries.append(t)
        at = rng.randrange(32)  # one digit changed, in any of the four words
        queries.append(t[:at] + ("0" if t[at] != "0" else "1") + t[at + 1:])
    queries += [texts[0][:31], texts[0] + "0", texts[0].upper()]
    assert _find(texts, queries) == _oracle(texts, queries)


def test_crowded_buckets_and_missing_texts_in_random_order() -> None:
    # ~1 text a bucket: many buckets hold two or more, so lookups walk past the head
    rng = np.random.default_rng(11)
    texts = [f"{v:06x}" for v in rng.choice(1 << 24, 60_000, replace=False).tolist()]
    table = text_blobs.Table.of_texts(texts)
    crowded = np.diff(table.first)
    assert int(crowded.max()) >= 3 and int((crowded == 0).sum()) > 0
    queries = [texts[i] for i in rng.integers(0, len(texts), 100_000).tolist()]
    queries += [f"{v:06x}" for v in rng.integers(0, 1 << 24, 50_000).tolist()]
    rng.shuffle(queries)
    assert _find(texts, queries) == _oracle(texts, queries)


def test_ends_in_member_order_and_many_chunks() -> None:
    texts = [f"m{i:07d}" for i in range(70_000)]  # more queries than one chunk of rows
    queries = [t for t in texts for _ in range(3)]
    assert _find(texts, queries) == list(np.repeat(np.arange(70_000), 3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab\x00жz", min_size=0, max_size=12), min_size=1, max_size=40, unique=True),
       st.lists(st.text(alphabet="ab\x00жz", min_size=0, max_size=12), max_size=40),
       st.integers(min_value=0, max_value=12))
def test_any_texts_as_a_dict_finds_them(texts: list[str], others: list[str], width: int) -> None:
    for group in (texts, list({t.ljust(width, "a")[:width] for t in texts})):  # also all one width
        if not group:
            continue
        queries = group + others + [t.ljust(width, "a")[:width] for t in others]
        assert _find(group, queries) == _oracle(group, queries)
