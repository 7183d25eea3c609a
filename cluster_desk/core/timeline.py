"""The cluster as it was on a date, and yearly series for charts (DOMAIN.md, "Checks, rule by rule").

``as_of(members, links, day)`` keeps the participants on ``day`` (status member, joined on or before
it and not left; a former member that had joined and not yet left; no join date: from the start)
as status MEMBER, keeps the candidates as they are (the pipeline: "would count if they joined"),
and keeps the links that count on ``day`` between the members kept: what the window shows of a
past day. ``assess_on`` is core.assessment's ``assess(..., on=day)``: the checks are never
recomputed here. No Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import DIRECTED_KINDS, ClusterSettings, Link, Member, MemberKind, Status
from cluster_desk.core.network import LINK_KINDS, MEMBER_KINDS, is_participant

_DIRECTED = np.array([k in DIRECTED_KINDS for k in LINK_KINDS], dtype=np.bool_)
_FIRM = MEMBER_KINDS.index(MemberKind.FIRM)


def valid_day(text: str) -> str:
    """``text`` as an ISO date "YYYY-MM-DD"; ValueError naming it otherwise."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD, e.g. 2021-12-31)") from None


def participants_on(members: Sequence[Member], day: str) -> list[Member]:
    """Participants on ``day``, each with status MEMBER (a former member counts until it left)."""
    return [m if m.status == Status.MEMBER else replace(m, status=Status.MEMBER)
            for m in members if is_participant(m, day)]


def links_on(links: Sequence[Link], day: str, member_ids: set[str] | None = None) -> list[Link]:
    """Links that count on ``day`` (started on or before it, not ended), with both ends in
    ``member_ids`` when given."""
    out = [lk for lk in links if lk.active_on(day)]
    if member_ids is not None:
        out = [lk for lk in out if lk.source in member_ids and lk.target in member_ids]
    return out


def as_of(members: Sequence[Member], links: Sequence[Link], day: str) -> tuple[list[Member], list[Link]]:
    """The roster and links as they were on ``day``: participants (status MEMBER) and candidates."""
    kept = participants_on(members, day)
    kept += [m for m in members if m.status == Status.CANDIDATE]
    return kept, links_on(links, day, {m.id for m in kept})


def assess_on(
    members: Sequence[Member], links: Sequence[Link], settings: ClusterSettings, day: str | None
) -> list[CheckResult]:
    """The assessment on ``day`` (None: today), as ``cluster-desk check --on/--as-of`` computes it."""
    return assess(members, links, settings, on=day)


def dated_years(members: Sequence[Member], links: Sequence[Link]) -> tuple[int, int] | None:
    """First and last year any date in the roster or links names (None: no dates at all)."""
    years = [int(d[:4]) for m in members for d in (m.joined, m.left) if d and d[:4].isdigit()]
    years += [int(d[:4]) for lk in links for d in (lk.start, lk.end) if d and d[:4].isdigit()]
    if not years:
        return None
    return min(years), max(years)


@dataclass(frozen=True)
class YearPoint:
    """The cluster at the end of one year (31 December, or ``day`` for the running year)."""

    year: int
    day: str
    participants: int
    firms: int  # participant firms
    counted_firms: int  # the critical-mass check's figure on that day
    candidates: int  # candidate firms now (only on the last point: the pipeline has no dates)
    links: int  # links that count, between participants
    density: float  # distinct linked pairs ÷ n(n−1)/2
    horizontal_share: float | None  # links that are not supply-like; None without links


def _point(a: Arrays, settings: ClusterSettings, year: int, day: str, candidates: int) -> YearPoint:
    part = a.participants(day)
    ok = (a.src >= 0) & (a.dst >= 0) & (a.src != a.dst)
    live = ok & a.link_active(day)
    live[ok] &= part[a.src[ok]] & part[a.dst[ok]]
    src, dst = a.src[live], a.dst[live]
    n = int(np.count_nonzero(part))
    width = max(len(a.members), 1)
    pairs = np.unique(np.minimum(src, dst) * width + np.maximum(src, dst)).size
    possible = n * (n - 1) // 2
    mass = assess_arrays(a, settings, on=day)[0]  # critical_mass comes first (CHECK_IDS)
    links = int(src.size)
    horizontal = int(np.count_nonzero(~_DIRECTED[a.link_kind[live]]))
    return YearPoint(
        year=year, day=day, participants=n,
        firms=int(np.count_nonzero(part & (a.kind == _FIRM))),
        counted_firms=int(mass.value) if isinstance(mass.value, int | float) else 0,
        candidates=candidates, links=links,
        density=pairs / possible if possible else 0.0,
        horizontal_share=horizontal / links if links else None,
    )  # fmt: skip


def yearly_series(
    members: Sequence[Member], links: Sequence[Link], settings: ClusterSettings, until: str | None = None,
    max_years: int = 15, arrays: Arrays | None = None,
) -> list[YearPoint]:
    """One point per year-end from the first dated year to ``until`` (default today), the last point
    on ``until`` itself; at most ``max_years`` points (the most recent). Empty without dates."""
    span = dated_years(members, links)
    if span is None:
        return []
    end = until or date.today().isoformat()
    last_year = int(end[:4])
    first = max(span[0], last_year - max_years + 1)
    candidates = sum(1 for m in members if m.status == Status.CANDIDATE and m.kind == MemberKind.FIRM)
    a = arrays if arrays is not None else Arrays(members, links)  # built once: most of the cost at 100k
    points: list[YearPoint] = []
    for year in range(first, last_year + 1):
        day = end if year == last_year else f"{year}-12-31"
        points.append(_point(a, settings, year, day, candidates if year == last_year else 0))
    return points
