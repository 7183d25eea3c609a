"""Growth exponents for bench/RESULTS.md: how a work's time grows with its size.

For a work timed at several sizes, the exponent is the least-squares slope of log(time) on
log(size): 1.0 means linear (10x the members, 10x the time), 2.0 quadratic, ~0 constant.
Issue 17 asks every operation to be linear in members and links, shown from 1k to 1M.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


class Growth(NamedTuple):
    """One work's growth: over all its sizes, and over its two largest (the top decade, where
    fixed costs such as a process start or a page frame no longer hide the per-member cost)."""

    overall: float
    top: float
    sizes: list[int]


def exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """Slope of log(time) on log(size) over (size, time) points; None with fewer than two
    distinct sizes or any size or time that is not positive (no logarithm)."""
    pts = [(math.log(s), math.log(t)) for s, t in points if s > 0 and t > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def exponents(rows: Iterable[Mapping[str, Any]]) -> dict[str, Growth]:
    """Per work timed (unit "s") at 2+ sizes, in the order the works first appear. Rows without
    a positive time are left out of the fit."""
    by_work: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        ours, size = r.get("ours"), r.get("size") or 0
        if r.get("unit", "s") == "s" and isinstance(ours, (int, float)) and ours > 0 and size > 0:
            by_work.setdefault(r["work"], []).append((float(size), float(ours)))
    out: dict[str, Growth] = {}
    for work, pts in by_work.items():
        slope = exponent(pts)
        if slope is None:
            continue
        sizes = sorted({int(s) for s, _ in pts})
        top = exponent([(s, t) for s, t in pts if s >= sizes[-2]])
        out[work] = Growth(slope, slope if top is None else top, sizes)
    return out


def verdict(slope: float) -> str:
    """Words for the table: what an exponent (the top decade's) says about growth."""
    if slope < 0.2:
        return "about constant"
    if slope < 0.8:
        return "sublinear (fixed costs still weigh)"
    if slope <= 1.2:
        return "linear"
    if slope <= 1.5:
        return "superlinear"
    return "worse than n^1.5: look here"
