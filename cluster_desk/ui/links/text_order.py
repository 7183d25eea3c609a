"""The order of the links table's sort keys (ui/links/proxy.py), made on a worker thread.

numpy sorts numbers and fixed-width text without the GIL, but a fixed-width array of every
key in full would be as wide as the longest (300,000 notes of a thousand characters: 1.2 GB):
text keys go to numpy cut to KEY_CHARS characters, and only the runs of rows whose cut keys tie
with a cut one are then ordered further, by their whole text. ``text_ranks`` gives each of some
distinct texts its rank in that order (opened_order.py: a link sorts by its member name's rank).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

KEY_CHARS = 64  # characters of a text key numpy sorts by (the rest: ``_settle_cut``)
SMALL_RUN = 2000  # runs of keys alike this short are sorted by their whole text in Python
#: Texts made into a numpy array at a time (a million names in one call held the GIL ~0.2 s:
#: the GUI thread waited that long for its turn).
ARRAY_CHUNK = 20_000


def text_array(texts: list[str], dtype: Any = str) -> np.ndarray:
    """``np.array(texts, dtype)``, made ARRAY_CHUNK texts at a time (fixed-width parts of
    different widths join at the widest)."""
    parts = [np.array(texts[lo:lo + ARRAY_CHUNK], dtype=dtype) for lo in range(0, len(texts), ARRAY_CHUNK)]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.array([], dtype=dtype)


def order_of(keys: np.ndarray, descending: bool, cut: dict[int, str] | None = None) -> np.ndarray:
    """Positions of ``keys`` in sort order, stable (equal keys keep their order, descending
    too). Runs on a worker: numpy sorts numbers and fixed-width text without the GIL. ``cut``:
    the whole text of the keys cut to KEY_CHARS characters, by position."""
    if not descending:
        order = np.argsort(keys, kind="stable")
    else:
        n = len(keys)
        order = (n - 1) - np.argsort(keys[::-1], kind="stable")[::-1]
    if cut:
        _settle_cut(order, keys, cut, descending)
    return order


def _runs(ranked: np.ndarray, flagged: np.ndarray) -> list[tuple[int, int]]:
    """[lo, hi) of each run of equal values in ``ranked`` longer than one that holds a flagged
    position."""
    starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    ends = np.append(starts[1:], len(ranked))
    keep = (np.add.reduceat(flagged, starts) > 0) & (ends - starts > 1)
    return list(zip(starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _settle_cut(order: np.ndarray, keys: np.ndarray, cut: dict[int, str], descending: bool) -> None:
    """Within each run of equal cut keys in ``order`` that holds a cut one, the order of the whole
    keys (in place; equal whole keys keep their order). Keys under KEY_CHARS characters are whole
    already, and they are the many."""
    flagged = np.zeros(len(keys), dtype=bool)
    flagged[np.fromiter(cut, dtype=np.int64, count=len(cut))] = True
    for lo, hi in _runs(keys[order], flagged[order]):
        run = order[lo:hi]
        texts = [cut.get(i) or str(keys[i]) for i in run.tolist()]
        order[lo:hi] = _by_whole_text(run, texts, descending)


def _by_whole_text(run: np.ndarray, texts: list[str], descending: bool) -> np.ndarray:
    """``run`` (positions, in order, ``texts`` their keys) in the order of the texts: numpy sorts
    the KEY_CHARS characters after the run's common start, then the same again within each part
    that still agrees and goes on. A Python sort of 300,000 notes alike for their first 200
    characters held the GIL for seconds; this is a few numpy sorts."""
    if len(texts) <= SMALL_RUN:  # (a Python sort of a few: less work than numpy's steps)
        ranked = sorted(range(len(texts)), key=texts.__getitem__, reverse=descending)  # (stable)
        return run[np.asarray(ranked, dtype=np.int64)]
    start = len(os.path.commonprefix([min(texts), max(texts)]))  # noqa: RUF071 - texts, not paths
    end = start + KEY_CHARS
    part = np.array([t[start:end] for t in texts], dtype=str)
    sub = order_of(part, descending)
    longer = (np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) > end)[sub]
    run, part = run[sub], part[sub]
    if longer.any():
        for a, b in _runs(part, longer):
            run[a:b] = _by_whole_text(run[a:b], [texts[j] for j in sub[a:b].tolist()], descending)
    return run


def text_ranks(texts: list[str]) -> np.ndarray:
    """Each text's rank (int64) among ``texts`` in the order ``order_of`` sorts them by (their
    KEY_CHARS characters, then the whole text): texts the sort ties share a rank, so a stable
    sort of the ranks of many rows is the sort of their texts (the links table sorts each
    distinct member name, date or note once, not every link's)."""
    n = len(texts)
    if not n:
        return np.zeros(0, dtype=np.int64)
    cut = {i: t for i, t in enumerate(texts) if len(t) > KEY_CHARS}
    keys = text_array([t[:KEY_CHARS] for t in texts] if cut else texts)
    order = order_of(keys, False, cut)
    ranked = keys[order]
    differs = ranked[1:] != ranked[:-1]
    if cut:  # equal cut keys: the whole texts, as _settle_cut compares them
        for j in np.flatnonzero(~differs).tolist():
            a, b = int(order[j]), int(order[j + 1])
            if a in cut or b in cut:
                differs[j] = (cut.get(a) or str(keys[a])) != (cut.get(b) or str(keys[b]))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.concatenate(([0], np.cumsum(differs)))
    return ranks
