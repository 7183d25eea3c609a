"""The roster and its links as arrays, once per assessment, and the network on any day.

``Arrays(members, links)`` turns every member and link into numpy columns in one pass (the only
per-record Python work); ``arrays.network(day)`` then picks the participants on that day
(DOMAIN.md: status member, joined on or before it, not left; a former member that had not left
yet on a past day; candidates never) and the links counting on it (both ends participants,
started on or before the day or undated, not ended) with vectorised masks, and returns a
core.network.Network so its measures apply. The year-earlier network of the gap trend costs
masks only, not a second pass over the records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from cluster_desk.core.check_facts import KEEP_NAMES, Names
from cluster_desk.core.model import (
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)
from cluster_desk.core.network import LINK_KINDS, MEMBER_KINDS, Network

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MEMBER_CODE: dict[str, int] = {k.value: i for i, k in enumerate(MEMBER_KINDS)}
LINK_CODE: dict[str, int] = {k.value: i for i, k in enumerate(LINK_KINDS)}
FIRM = MEMBER_CODE[MemberKind.FIRM]
#: Kinds outside the cluster's territory by definition: left out of the concentration check.
EXTERNAL_KINDS: frozenset[MemberKind] = frozenset({MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER})
EXTERNAL_CODES = np.array([MEMBER_CODE[k] for k in EXTERNAL_KINDS], dtype=np.int64)
_STATUS = {Status.MEMBER: 0, Status.CANDIDATE: 1, Status.FORMER: 2}
_INDUSTRY = {Industry.CORE: 0, Industry.RELATED: 1, Industry.UNSPECIFIED: 2}
_NO_DATE_LOW = ""  # no join / start date: counts from the start
_NO_DATE_HIGH = "9999-99-99"  # no leave / end date: still running
INDUSTRY_CORE, INDUSTRY_RELATED, INDUSTRY_NONE = 0, 1, 2


def division_of(code: str) -> int:
    """OKVED 2 / NACE division (1..99) of a sector code ("29.10", "C29.1", "2910"); -1 if none."""
    text = (code or "").strip()
    if text[:1].isalpha():
        text = text[1:].lstrip()
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    if not digits or not digits.isascii():
        return -1
    value = int(digits[:2]) if len(digits) >= 2 else int(digits)
    return value if 1 <= value <= 99 else -1


def _dates(values: list[str | None], missing: str) -> npt.NDArray[np.str_]:
    return np.array([missing if v is None else v for v in values], dtype="<U10")


class Arrays:
    """Every member (any status) and link as columns. Rows follow ``members``' order."""

    def __init__(self, members: Sequence[Member], links: Sequence[Link]) -> None:
        ms = list(members)
        self.members = ms
        n = len(ms)
        self.index: dict[str, int] = {m.id: i for i, m in enumerate(ms)}
        self.status = np.fromiter((_STATUS[m.status] for m in ms), np.int8, n)
        self.kind = np.fromiter((MEMBER_CODE[m.kind] for m in ms), np.int64, n)
        self.joined = _dates([m.joined for m in ms], _NO_DATE_LOW)
        self.left = _dates([m.left for m in ms], _NO_DATE_HIGH)
        nan = math.nan
        self.lat = np.fromiter((nan if m.lat is None else m.lat for m in ms), np.float64, n)
        self.lon = np.fromiter((nan if m.lon is None else m.lon for m in ms), np.float64, n)
        self.located: BoolArray = np.isfinite(self.lat) & np.isfinite(self.lon) & (np.abs(self.lat) <= 90.0)
        self.local: BoolArray = ~np.isin(self.kind, EXTERNAL_CODES)
        emp = np.fromiter((nan if m.employees is None else m.employees for m in ms), np.float64, n)
        emp[emp < 0] = nan
        self.employees: FloatArray = emp
        self.output = np.fromiter((nan if m.output is None else m.output for m in ms), np.float64, n)
        self.industry = np.fromiter((_INDUSTRY.get(m.industry, 2) for m in ms), np.int8, n)
        sectors = [m.sector for m in ms]
        cache = {code: division_of(code) for code in set(sectors)}
        self.division = np.fromiter((cache[c] for c in sectors), np.int64, n)
        none = SpecialTerritory.NONE
        self.special = np.fromiter((m.special_territory != none for m in ms), np.bool_, n)
        self.organising = np.fromiter((m.organising_production for m in ms), np.bool_, n)
        self.set_links(links)

    def set_links(self, links: Sequence[Link]) -> None:
        ls = list(links)
        self.links = ls
        m = len(ls)
        get = self.index.get
        self.src = np.fromiter((get(lk.source, -1) for lk in ls), np.int64, m)
        self.dst = np.fromiter((get(lk.target, -1) for lk in ls), np.int64, m)
        self.link_kind = np.fromiter((LINK_CODE[lk.kind] for lk in ls), np.int64, m)
        nan = math.nan
        self.volume = np.fromiter((nan if lk.volume is None else lk.volume for lk in ls), np.float64, m)
        self.start = _dates([lk.start for lk in ls], _NO_DATE_LOW)
        self.end = _dates([lk.end for lk in ls], _NO_DATE_HIGH)
        self.dated = bool(m) and bool(np.any(self.start != _NO_DATE_LOW) or np.any(self.end != _NO_DATE_HIGH))

    def participants(self, day: str) -> BoolArray:
        """Members counting on ``day`` (DOMAIN.md "Checks, rule by rule")."""
        joined = self.joined <= day
        not_left = self.left > day
        member = self.status == _STATUS[Status.MEMBER]
        former = (self.status == _STATUS[Status.FORMER]) & (self.left != _NO_DATE_HIGH)
        mask: BoolArray = joined & not_left & (member | former)
        return mask

    def network(self, day: str, include: BoolArray | None = None) -> tuple[Network, IntArray]:
        """The network on ``day`` and the member row (into ``members``) of each of its rows.
        ``include``: extra rows counted as participants (a plan's candidates)."""
        part = self.participants(day)
        if include is not None:
            part = part | include
        rows = np.flatnonzero(part)
        remap = np.full(len(self.members) + 1, -1, dtype=np.int64)  # index -1 -> -1
        remap[rows] = np.arange(rows.size)
        a = remap[self.src]
        b = remap[self.dst]
        keep = (a >= 0) & (b >= 0) & (a != b) & (self.start <= day) & (self.end > day)
        kept = np.flatnonzero(keep)
        ms = self.members
        links = self.links
        net = Network(
            day,
            [ms[i] for i in rows.tolist()],
            [links[i] for i in kept.tolist()],
            {},
            self.kind[rows],
            a[kept],
            b[kept],
            self.link_kind[kept],
            self.volume[kept],
        )
        return net, rows


def capped(members: list[Member], rows: IntArray) -> Names:
    """Names of ``members[rows]``, the first KEEP_NAMES of them, with the group's size."""
    keep = rows[:KEEP_NAMES].tolist()
    return Names((members[i].name for i in keep), int(rows.size))


def year_before(day: str) -> str:
    """The same date a year earlier (29 February becomes 28 February)."""
    y, m, d = int(day[:4]), day[5:7], day[8:10]
    if m == "02" and d == "29":
        d = "28"
    return f"{y - 1:04d}-{m}-{d}"


SUPPLY_LIKE = {LinkKind.SUPPLY, LinkKind.PRODUCTION_SERVICES}
