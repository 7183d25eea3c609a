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
from enum import IntEnum

import numpy as np

from cluster_desk.core.assessment import assess
from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.checks.context import _STATUS as ARRAY_STATUS
from cluster_desk.core.checks.context import Arrays, day_code
from cluster_desk.core.checks.geography import counted_firms
from cluster_desk.core.checks.roster_rows import NO_DAY_HIGH, NO_DAY_LOW
from cluster_desk.core.model import DIRECTED_KINDS, ClusterSettings, Link, Member, MemberKind, Status
from cluster_desk.core.network import LINK_KINDS, MEMBER_KINDS, is_participant

_DIRECTED = np.array([k in DIRECTED_KINDS for k in LINK_KINDS], dtype=np.bool_)
_FIRM = MEMBER_KINDS.index(MemberKind.FIRM)


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


class DayStatus(IntEnum):
    """What a member was on a day: the as-of view's Status column, status counts and map."""

    MEMBER = 0  # a participant that day (a former member that had not yet left counts)
    CANDIDATE = 1  # candidates have no dates: in the pipeline on any day
    FORMER = 2  # had joined and left by then (or former with no leave date: when is unknown)
    NOT_YET = 3  # had not joined yet
    DRAFT = 4  # a draft member (never counts, no dates): shown as it is


def statuses_on(a: Arrays, day: str) -> np.ndarray:
    """One DayStatus code (int8) per member row of ``a`` on ``day``: participants (as the checks
    count them) are MEMBER, candidates CANDIDATE, members who had joined and left FORMER, and
    members who had not joined yet NOT_YET. Vectorised: a slider step at 100,000 costs a few ms."""
    codes = np.full(len(a.members), DayStatus.FORMER, dtype=np.int8)
    codes[a.joined > day_code(day)] = DayStatus.NOT_YET
    codes[a.status == ARRAY_STATUS[Status.CANDIDATE]] = DayStatus.CANDIDATE
    codes[a.status == ARRAY_STATUS[Status.DRAFT]] = DayStatus.DRAFT
    codes[a.participants(day)] = DayStatus.MEMBER
    return codes


def counts_on(codes: np.ndarray, located: np.ndarray) -> dict[str, int]:
    """The status bar's counts on a day from ``statuses_on``: members, candidates, former, and the
    unlocated among those that existed then (not the members who had not joined yet)."""
    existed = codes != DayStatus.NOT_YET
    return {
        "members": int(np.count_nonzero(codes == DayStatus.MEMBER)),
        "candidates": int(np.count_nonzero(codes == DayStatus.CANDIDATE)),
        "former": int(np.count_nonzero(codes == DayStatus.FORMER)),
        "drafts": int(np.count_nonzero(codes == DayStatus.DRAFT)),
        "unlocated": int(np.count_nonzero(existed & ~located)),
        "total": int(np.count_nonzero(existed)),
    }


def links_shown_on(a: Arrays, day: str, part: np.ndarray | None = None) -> np.ndarray:
    """Per link row of ``a``: does it count on ``day`` (started on or before it or undated, not
    ended, both ends participants that day)? What the as-of map draws."""
    if part is None:
        part = a.participants(day)
    ok = (a.src >= 0) & (a.dst >= 0)
    live = ok & a.link_active(day)
    live[ok] &= part[a.src[ok]] & part[a.dst[ok]]
    return live


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


class _SeriesLinks:
    """What every year's point reads of the links, worked out once for the whole series: each
    link's pair key (lower row * width + higher row) and the links in key order, so a year's
    distinct pairs are counted in one pass over its live links instead of a sort or hash each."""

    def __init__(self, a: Arrays) -> None:
        width = max(len(a.members), 1)
        self.key = np.minimum(a.src, a.dst).astype(np.int64) * width + np.maximum(a.src, a.dst)
        self.order = np.argsort(self.key, kind="stable")
        self.sorted_key = self.key[self.order]

    def distinct_pairs(self, live: np.ndarray) -> int:
        keys = self.sorted_key[live[self.order]]
        return int(keys.size and 1 + np.count_nonzero(keys[1:] != keys[:-1]))


def _point(a: Arrays, settings: ClusterSettings, year: int, day: str, candidates: int, pairs: _SeriesLinks,
           before: tuple[np.ndarray, int] | None) -> tuple[YearPoint, tuple[np.ndarray, int]]:
    """The point of one year-end, and (participants, counted firms) for the next year's: the same
    participants count the same firms (the figure needs the smallest circle: ~30 ms at 100,000)."""
    part = a.participants(day)
    live = links_shown_on(a, day, part) & (a.src != a.dst)
    n = int(np.count_nonzero(part))
    possible = n * (n - 1) // 2
    if before is not None and np.array_equal(before[0], part):
        mass = before[1]
    else:
        mass = counted_firms(a, part, settings)  # = the critical-mass check's figure on that day
    links = int(np.count_nonzero(live))
    horizontal = int(np.count_nonzero(~_DIRECTED[a.link_kind[live]]))
    point = YearPoint(
        year=year, day=day, participants=n,
        firms=int(np.count_nonzero(part & (a.kind == _FIRM))),
        counted_firms=mass,
        candidates=candidates, links=links,
        density=pairs.distinct_pairs(live) / possible if possible else 0.0,
        horizontal_share=horizontal / links if links else None,
    )  # fmt: skip
    return point, (part, mass)


def yearly_series(
    members: Sequence[Member], links: Sequence[Link], settings: ClusterSettings, until: str | None = None,
    max_years: int = 15, arrays: Arrays | None = None,
) -> list[YearPoint]:
    """One point per year-end from the first dated year to ``until`` (default today), the last point
    on ``until`` itself; at most ``max_years`` points (the most recent). Empty without dates.
    ``arrays``: built from ``members`` and ``links`` already (else built here)."""
    a = arrays if arrays is not None else Arrays(members, links)
    return yearly_series_of(a, settings, until, max_years)


def yearly_series_of(a: Arrays, settings: ClusterSettings, until: str | None = None,
                     max_years: int = 15) -> list[YearPoint]:
    """``yearly_series`` of the roster ``a`` holds: no record needed (the charts dock's, issue 17)."""
    span = dated_years_of(a)
    if span is None:
        return []
    end = until or date.today().isoformat()
    last_year = int(end[:4])
    first = max(span[0], last_year - max_years + 1)
    candidates = int(np.count_nonzero((a.status == ARRAY_STATUS[Status.CANDIDATE]) & (a.kind == _FIRM)))
    pairs = _SeriesLinks(a)
    points: list[YearPoint] = []
    before = None
    for year in range(first, last_year + 1):
        day = end if year == last_year else f"{year}-12-31"
        point, before = _point(a, settings, year, day, candidates if year == last_year else 0, pairs, before)
        points.append(point)
    return points


def dated_years_of(a: Arrays) -> tuple[int, int] | None:
    """``dated_years`` of the roster ``a`` holds (a removed link's row holds no date)."""
    dated = [codes[codes != none] for codes, none in (
        (a.joined, NO_DAY_LOW), (a.left, NO_DAY_HIGH), (a.start, NO_DAY_LOW), (a.end, NO_DAY_HIGH))]
    lows = [int(c.min()) for c in dated if c.size]
    if not lows:
        return None
    return min(lows) // 10_000, max(int(c.max()) for c in dated if c.size) // 10_000
