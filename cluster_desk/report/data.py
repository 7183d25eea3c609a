"""Everything the passport shows, gathered once (Qt-free, no matplotlib): the assessment on the day
(core.timeline.assess_on, the same call as ``cluster-desk check [--as-of]``), its words
(text.checks.check_json, the same as ``check --json``), the tables, the yearly series and the
facts the charts draw. The HTML builder and the charts only read this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.checks.context import _STATUS as ARRAY_STATUS
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.geodesy import circle_outline
from cluster_desk.core.model import ClusterSettings, Link, Member, MemberKind, Status
from cluster_desk.core.timeline import YearPoint, as_of
from cluster_desk.report.chart_data import FIRM_SIZES, ChartData, chart_data
from cluster_desk.text import Text, text_for
from cluster_desk.text.checks import CheckText, check_json, render_check

#: Short tables: rows shown before "… and N more".
TABLE_ROWS = 10
#: Member mix of 100 Russian clusters (HSE Cluster Map, DOMAIN.md), shares of members.
RUSSIAN_MIX: dict[str, float] = {
    "small": 0.40, "medium": 0.13, "large": 0.19, "education": 0.07, "research": 0.08,
    "infrastructure": 0.03, "authority": 0.02, "other": 0.08,
}  # fmt: skip
#: The HSE mix's firms (72 % of members) as shares of firms (size classes apply to firms only).
RUSSIAN_FIRM_SIZES: dict[str, float] = {
    k: RUSSIAN_MIX[k] / sum(RUSSIAN_MIX[c] for c in FIRM_SIZES) for k in FIRM_SIZES
}
#: Which candidate kind would close each gap once linked to a firm.
GAP_CLOSERS: dict[str, MemberKind] = {
    "business_science": MemberKind.RESEARCH,
    "business_education": MemberKind.EDUCATION,
    "business_finance": MemberKind.FINANCE,
    "business_authorities": MemberKind.AUTHORITY,
    "business_business": MemberKind.FIRM,
    "cluster_cluster": MemberKind.PARTNER_CLUSTER,
    "business_global_markets": MemberKind.FOREIGN_PARTNER,
}


@dataclass(frozen=True)
class Snapshot:
    """A frozen assessment: the day it describes, when it was made, and ``check --json`` of it."""

    day: str
    made: str
    checks: list[dict[str, Any]]


@dataclass
class PassportData:
    name: str
    lang: str
    day: str  # the date described (ISO)
    as_of: bool  # a past date was asked for (else: today)
    made: str
    settings: ClusterSettings
    organisations: list[str]
    participants: list[Member]
    candidates: list[Member]
    links: list[Link]
    results: list[CheckResult]
    checks: list[dict[str, Any]]  # check_json of each result: the numbers of `check --json`
    said: list[CheckText]
    charts: ChartData  # what the charts draw (and what they miss)
    centre: tuple[float, float] | None
    outline: list[tuple[float, float]]
    outside: list[tuple[str, float]]  # (name, km), farthest first (the check keeps the farthest only)
    open_gaps: list[str]
    gap_candidates: list[tuple[str, str, str]]  # (gap id, candidate name, kind)
    outside_count: int = 0  # participants outside the circle, all of them
    outside_ids: frozenset[str] = frozenset()  # their ids (the map rings them)
    snapshot: Snapshot | None = None

    @property
    def text(self) -> Text:
        return text_for(self.lang)

    @property
    def series(self) -> list[YearPoint]:
        return self.charts.series

    @property
    def gap_years(self) -> list[tuple[int, dict[str, float | None]]]:
        return self.charts.gap_years

    @property
    def missing(self) -> list[str]:
        """PassportWords.missing keys: what the charts (and the map) cannot show."""
        return self.charts.missing

    @property
    def located(self) -> list[Member]:
        return [m for m in self.participants if m.located]

    def largest(self) -> list[Member]:
        ranked = sorted(self.participants, key=lambda m: -(m.employees or 0))
        return [m for m in ranked if m.employees][:TABLE_ROWS]


def _links_between(participants: list[Member], links: Sequence[Link], arrays: Arrays | None) -> list[Link]:
    """The links with both ends among ``participants``, in order. ``arrays``: built from the
    same members (all of them, distinct ids) and ``links``, whose participants are the members
    of status MEMBER: then their rows are picked by the arrays' link ends (300,000 links: ~0.1 s
    less than two set look-ups a link)."""
    if arrays is None or len(arrays.index) != len(arrays.members) or len(arrays.src) != len(links):
        ids = {m.id for m in participants}
        return [lk for lk in links if lk.source in ids and lk.target in ids]
    member = arrays.status == ARRAY_STATUS[Status.MEMBER]
    src, dst = arrays.src, arrays.dst
    both = (src >= 0) & (dst >= 0)
    both[both] = member[src[both]] & member[dst[both]]
    return [links[j] for j in np.flatnonzero(both).tolist()]


def passport_data(
    members: Sequence[Member], links: Sequence[Link], settings: ClusterSettings, *, lang: str,
    day: str | None = None, name: str = "", snapshot: Snapshot | None = None, with_series: bool = True,
) -> PassportData:
    """The passport of the cluster on ``day`` (None: today, assessed as ``check`` without --as-of)."""
    text = text_for(lang)
    today = date.today().isoformat()
    arrays = Arrays(members, links)  # once: the assessment, the yearly series and the gaps share it
    results = assess_arrays(arrays, settings, on=day)  # = assess(..., on=day), as `check --on` does
    view_members, view_links = (list(members), list(links)) if day is None else as_of(members, links, day)
    participants = [m for m in view_members if m.status == Status.MEMBER]
    part_links = _links_between(participants, view_links, arrays if day is None else None)
    candidates = [m for m in view_members if m.status == Status.CANDIDATE]
    by_id = {r.id: r for r in results}
    conc = by_id["concentration"].details
    centre = tuple(conc["centre"]) if conc.get("centre") else None
    outline = circle_outline(centre[0], centre[1], settings.radius_km) if centre else []
    outside = list(zip(conc.get("outside", []), conc.get("outside_km", []) or [], strict=False))
    open_gaps = list(by_id["links"].details.get("open_gaps", []))
    charts = chart_data(arrays, settings, lang=lang, day=day, with_series=with_series)
    gap_candidates = [(g, m.name, m.kind.value) for g in open_gaps for m in candidates
                      if m.kind == GAP_CLOSERS.get(g)][:TABLE_ROWS]
    return PassportData(
        name=settings.name or name, lang=lang, day=day or today, as_of=day is not None, made=today,
        settings=settings,
        organisations=[m.name for m in participants if m.kind == MemberKind.CLUSTER_ORG],
        participants=participants, candidates=candidates, links=part_links, results=results,
        checks=[check_json(r, text) for r in results], said=[render_check(r, text) for r in results],
        charts=charts, centre=(float(centre[0]), float(centre[1])) if centre else None,
        outline=outline, outside=[(str(n), float(k)) for n, k in outside],
        open_gaps=open_gaps, gap_candidates=gap_candidates, snapshot=snapshot,
        outside_count=int(conc.get("outside_count") or len(outside)),
        outside_ids=frozenset(by_id["concentration"].member_ids),
    )  # fmt: skip
