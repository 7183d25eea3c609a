"""Checks of a cluster against the signs of a sound cluster (DOMAIN.md).

``assess(members, links, settings)`` returns one :class:`CheckResult` per check, in a fixed order.
Each result carries the headline figure, the threshold (with its source), a one-sentence message
and what would close the gap. Only members with status MEMBER count; candidates are mentioned as
"would count if they joined"; former members are ignored.

The roster is turned into numpy arrays once (ids mapped to indices with a dict, links as index
arrays) so that 100k members and 300k links assess in about 0.3 s (2 cores). Distances are
exact geodesic for every member that could be outside the radius (see geodesy.distances_km_beyond).
Shares are fractions (0..1) in ``value`` and ``details``; messages show them as percentages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from cluster_desk.core.geodesy import distances_km_beyond, smallest_circle
from cluster_desk.core.model import (
    HELIX_OF_KIND,
    THRESHOLD_SOURCES,
    ClusterSettings,
    Helix,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Concentration: at least this share of located members inside the radius is a warning, not a
#: failure (a few outlying members are common; most of them outside means no concentration).
CONCENTRATION_WARNING_SHARE = 0.8
#: Focal check: fewer firms with a head count than this, or fewer linked members, cannot be judged
#: (with 2 firms one always holds >= 50 %; in a complete network of 4 everyone touches 50 %).
FOCAL_MIN_FIRMS = 3
FOCAL_MIN_LINKED = 5
#: Kinds that are outside the cluster's territory by definition (other clusters, global markets):
#: they are left out of the concentration check and of the proposed centre.
EXTERNAL_KINDS: frozenset[MemberKind] = frozenset({MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER})

_KINDS: tuple[MemberKind, ...] = tuple(MemberKind)
_KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(_KINDS)}
_K = len(_KINDS)
_FIRM = _KIND_CODE[MemberKind.FIRM]
_INDUSTRY_CODE: dict[str, int] = {Industry.CORE: 0, Industry.RELATED: 1, Industry.UNSPECIFIED: 2}
_EXTERNAL_CODES = np.array([_KIND_CODE[k] for k in EXTERNAL_KINDS], dtype=np.int64)
_HELIX_CODES: dict[Helix, IntArray] = {
    h: np.array([_KIND_CODE[k] for k, hh in HELIX_OF_KIND.items() if hh is h], dtype=np.int64) for h in Helix
}
_HELIX_WANTED: dict[Helix, str] = {
    Helix.BUSINESS: "a firm or financial institution",
    Helix.GOVERNMENT: "a local or regional authority",
    Helix.SCIENCE: "a research centre or university",
}

#: The seven gaps (Sölvell 2015): id, label, the two kinds (None: any kind on that end).
_GAPS: tuple[tuple[str, str, MemberKind, MemberKind | None], ...] = (
    (
        "business_science",
        "business–science (firm with a research centre)",
        MemberKind.FIRM,
        MemberKind.RESEARCH,
    ),
    (
        "business_education",
        "business–education (firm with a university or college)",
        MemberKind.FIRM,
        MemberKind.EDUCATION,
    ),
    (
        "business_finance",
        "business–finance (firm with a financial institution)",
        MemberKind.FIRM,
        MemberKind.FINANCE,
    ),
    (
        "business_authorities",
        "business–authorities (firm with an authority)",
        MemberKind.FIRM,
        MemberKind.AUTHORITY,
    ),
    ("business_business", "business–business (two firms)", MemberKind.FIRM, MemberKind.FIRM),
    (
        "cluster_cluster",
        "cluster–cluster (any member with a partner cluster)",
        MemberKind.PARTNER_CLUSTER,
        None,
    ),
    (
        "business_global_markets",
        "business–global markets (firm with a foreign partner)",
        MemberKind.FIRM,
        MemberKind.FOREIGN_PARTNER,
    ),
)

_NACE_RE = re.compile(r"^\s*(?:[A-Za-z]\s*)?(\d+)")


class CheckStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILING = "failing"
    NA = "not_applicable"


@dataclass(frozen=True)
class CheckResult:
    id: str  # "critical_mass", "concentration", "helix", "cluster_org", "focal", ...
    title: str  # short English title; the UI translates by id
    status: CheckStatus
    value: float | int | None  # the headline figure (shares as fractions 0..1)
    threshold: str  # human-readable threshold
    message: str  # one sentence with the figures
    remedy: str  # what would close the gap ("" when ok)
    source: str  # where the threshold comes from (THRESHOLD_SOURCES)
    member_ids: tuple[str, ...] = ()  # members the check is about (the UI highlights them)
    details: dict[str, Any] = field(default_factory=dict)  # check-specific, JSON-safe

    def to_json(self) -> dict[str, Any]:
        """JSON-safe dict (member ids are left out; details may carry names)."""
        return {
            "id": self.id,
            "title": self.title,
            "status": str(self.status),
            "value": self.value,
            "threshold": self.threshold,
            "message": self.message,
            "remedy": self.remedy,
            "source": self.source,
            "details": self.details,
        }


# --- formatting ----------------------------------------------------------------------------------


def _pct(x: float, digits: int = 0) -> str:
    return f"{x * 100:.{digits}f} %"


def _num(x: float) -> str:
    """A threshold figure as the user typed it: 200 not 200.0, 150.5 stays."""
    return f"{x:g}"


def _sentence(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case member names)."""
    return text[:1].upper() + text[1:]


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# --- the roster as arrays ------------------------------------------------------------------------


class _IndexOf(dict[str, int]):
    """Member id -> row; unknown ids (links to candidates, former or deleted members) give -1."""

    def __missing__(self, key: str) -> int:
        return -1


def _employees(ms: list[Member]) -> FloatArray:
    """Head counts, NaN where unknown (None or negative)."""
    e = np.array([m.employees if m.employees is not None else math.nan for m in ms], dtype=np.float64)
    e[e < 0] = math.nan
    return e


class _Roster:
    """Current members (status MEMBER) as parallel arrays, plus the links among them.

    Built once per assessment; the per-member Python work is a handful of list comprehensions
    (attribute reads are cheap, per-element numpy scalar indexing is not).
    """

    def __init__(self, members: Sequence[Member], links: Sequence[Link] | None) -> None:
        member = Status.MEMBER
        ms = [m for m in members if m.status == member]
        self.members = ms
        self.candidates = [m for m in members if m.status == Status.CANDIDATE]
        n = len(ms)
        self.n = n
        self.ids: list[str] = [m.id for m in ms]
        self.index = _IndexOf(zip(self.ids, range(n), strict=True))
        self.kind: IntArray = np.fromiter(map(_KIND_CODE.__getitem__, [m.kind for m in ms]), np.int64, n)
        nan = math.nan
        self.lat: FloatArray = np.array([nan if m.lat is None else m.lat for m in ms], dtype=np.float64)
        self.lon: FloatArray = np.array([nan if m.lon is None else m.lon for m in ms], dtype=np.float64)
        self.located: BoolArray = np.isfinite(self.lat) & np.isfinite(self.lon) & (np.abs(self.lat) <= 90.0)
        self.local: BoolArray = ~np.isin(self.kind, _EXTERNAL_CODES)
        self.firm_idx: IntArray = np.flatnonzero(self.kind == _FIRM)
        #: The member firms themselves, in firm_idx order.
        self.firms: list[Member] = [ms[i] for i in self.firm_idx.tolist()]
        self.firm_employees: FloatArray = _employees(self.firms)
        if links is not None:
            self._build_links(links)

    def names(self, idx: Sequence[int] | IntArray) -> list[str]:
        ms = self.members
        return [ms[i].name for i in np.asarray(idx, dtype=np.int64).tolist()]

    def id_tuple(self, idx: Sequence[int] | IntArray) -> tuple[str, ...]:
        ids = self.ids
        return tuple(ids[i] for i in np.asarray(idx, dtype=np.int64).tolist())

    def _build_links(self, links: Sequence[Link]) -> None:
        m = len(links)
        look = self.index.__getitem__
        src = np.array(list(map(look, [lk.source for lk in links])), dtype=np.int64).reshape(-1)
        dst = np.array(list(map(look, [lk.target for lk in links])), dtype=np.int64).reshape(-1)
        # Links among current members only, no self-loops (a data error, not a tie).
        kept = np.flatnonzero((src >= 0) & (dst >= 0) & (src != dst))
        self.src: IntArray = src[kept]
        self.dst: IntArray = dst[kept]
        is_supply = np.fromiter(map(LinkKind.SUPPLY.__eq__, [lk.kind for lk in links]), np.bool_, m)
        self.is_supply: BoolArray = is_supply[kept]
        # Shares only matter on supply links; unknown, negative or non-finite shares count as 0.
        shares = np.array([links[i].share for i in kept[self.is_supply].tolist()], dtype=np.float64).reshape(
            -1
        )
        shares[~np.isfinite(shares)] = 0.0
        self.supply_share: FloatArray = np.clip(shares, 0.0, 1.0)
        # One tie per unordered pair (a supply and an R&D link between the same two are one tie).
        # Sort + neighbour compare: several times faster than np.unique on 300k codes.
        base = max(self.n, 1)
        code = np.sort(np.minimum(self.src, self.dst) * base + np.maximum(self.src, self.dst))
        if code.size:
            code = code[np.concatenate(([True], code[1:] != code[:-1]))]
        self.pair_a: IntArray = code // base
        self.pair_b: IntArray = code % base
        self.degree: IntArray = np.bincount(self.pair_a, minlength=self.n) + np.bincount(
            self.pair_b, minlength=self.n
        )


@dataclass(frozen=True)
class _Centre:
    lat: float
    lon: float
    source: str  # "settings", "cluster_org" or "members"


def _centre(r: _Roster, settings: ClusterSettings) -> _Centre | None:
    lat, lon = settings.centre_lat, settings.centre_lon
    if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90:
        return _Centre(float(lat), float(lon), "settings")
    org = np.flatnonzero((r.kind == _KIND_CODE[MemberKind.CLUSTER_ORG]) & r.located)
    if org.size:
        i = int(org[0])
        return _Centre(float(r.lat[i]), float(r.lon[i]), "cluster_org")
    pts = np.flatnonzero(r.located & r.local)
    if pts.size == 0:
        return None
    c_lat, c_lon, _ = smallest_circle(r.lat[pts], r.lon[pts])
    return _Centre(c_lat, c_lon, "members")


def effective_centre(members: Sequence[Member], settings: ClusterSettings) -> tuple[float, float] | None:
    """The centre the radius is measured from: the settings' centre if set, else the cluster
    organisation's location, else the centre of the smallest circle holding the located members
    (partner clusters and foreign partners left out). None if nothing is located."""
    c = _centre(_Roster(members, None), settings)
    return None if c is None else (c.lat, c.lon)


# --- the checks ----------------------------------------------------------------------------------


def _critical_mass(r: _Roster, s: ClusterSettings, firm_dist: FloatArray | None) -> CheckResult:
    firms = r.firm_idx
    n = int(firms.size)
    ind_code = _INDUSTRY_CODE
    ind = np.fromiter((ind_code.get(f.industry, 2) for f in r.firms), dtype=np.int64, count=n)
    core, related, unspec = (int(c) for c in np.bincount(ind, minlength=3)[:3])
    cand = [m for m in r.candidates if m.kind == MemberKind.FIRM]
    inside: int | None = None
    if firm_dist is not None:
        inside = int(np.count_nonzero(firm_dist <= s.radius_km))
    band = f"{s.mass_min}–{s.mass_max} firms"
    split = f"core {core}, related {related}, unspecified {unspec}"
    where = "" if inside is None else f"; {inside:,} within {_num(s.radius_km)} km"
    details: dict[str, Any] = {
        "firms": n,
        "core": core,
        "related": related,
        "unspecified": unspec,
        "candidate_firms": len(cand),
        "inside_radius": inside,
        "radius_km": s.radius_km,
        "mass_min": s.mass_min,
        "mass_max": s.mass_max,
        "short": max(0, s.mass_min - n),
    }
    if n < s.mass_min:
        short = s.mass_min - n
        if not cand:
            remedy = f"{_plural(short, 'more firm')} needed; there are no candidate firms yet."
        elif len(cand) >= short:
            remedy = (
                f"{_plural(short, 'more firm')} needed; the {len(cand)} candidate firms would close the gap."
            )
        else:
            remedy = (
                f"{_plural(short, 'more firm')} needed; the {_plural(len(cand), 'candidate firm')} "
                f"would leave {short - len(cand)} short."
            )
        return CheckResult(
            "critical_mass",
            "Critical mass",
            CheckStatus.FAILING,
            n,
            band,
            f"{_plural(n, 'member firm')} ({split}{where}), below the {band} band.",
            remedy,
            THRESHOLD_SOURCES["mass_min"],
            tuple(m.id for m in cand),
            details,
        )
    note = f", above the {band} band (not a problem in itself)" if n > s.mass_max else f", within {band}"
    return CheckResult(
        "critical_mass",
        "Critical mass",
        CheckStatus.OK,
        n,
        band,
        f"{_plural(n, 'member firm')} ({split}{where}){note}.",
        "",
        THRESHOLD_SOURCES["mass_min"],
        (),
        details,
    )


def _concentration(
    r: _Roster, s: ClusterSettings, centre: _Centre | None, pts: IntArray, dist: FloatArray | None
) -> CheckResult:
    title = "Geographic concentration"
    threshold = f"all members within {_num(s.radius_km)} km"
    src = THRESHOLD_SOURCES["radius_km"]
    unlocated = int(np.count_nonzero(~r.located & r.local))
    external = int(np.count_nonzero(~r.local))
    if centre is None or dist is None or pts.size == 0:
        return CheckResult(
            "concentration",
            title,
            CheckStatus.NA,
            None,
            threshold,
            "No member is placed on the map yet.",
            f"Place the {_plural(unlocated, 'member')} on the map." if unlocated else "Add members.",
            src,
            (),
            {
                "outside": [],
                "outside_count": 0,
                "unlocated_count": unlocated,
                "external_count": external,
                "centre": None,
                "radius_km": s.radius_km,
            },
        )
    out_mask = dist > s.radius_km
    out_pos = np.flatnonzero(out_mask)
    out_pos = out_pos[np.argsort(-dist[out_pos], kind="stable")]  # farthest first
    out_idx = pts[out_pos]
    n_loc = int(pts.size)
    n_out = int(out_idx.size)
    share_in = (n_loc - n_out) / n_loc
    names = r.names(out_idx)
    details: dict[str, Any] = {
        "outside": names,
        "outside_km": [round(float(d), 3) for d in dist[out_pos]],
        "outside_count": n_out,
        "inside_count": n_loc - n_out,
        "located_count": n_loc,
        "unlocated_count": unlocated,
        "external_count": external,
        "inside_share": share_in,
        "max_km": float(dist.max()),
        "centre": [centre.lat, centre.lon],
        "centre_source": centre.source,
        "radius_km": s.radius_km,
    }
    unplaced = f" {_plural(unlocated, 'member')} not on the map yet." if unlocated else ""
    msg = (
        f"{n_loc - n_out:,} of {_plural(n_loc, 'located member')} ({_pct(share_in)}) lie within "
        f"{_num(s.radius_km)} km of the centre.{unplaced}"
    )
    if n_out == 0:
        status, remedy = CheckStatus.OK, ""
    else:
        status = CheckStatus.WARNING if share_in >= CONCENTRATION_WARNING_SHARE else CheckStatus.FAILING
        remedy = (
            f"{_plural(n_out, 'member')} beyond {_num(s.radius_km)} km (farthest: {names[0]}, "
            f"{float(dist[out_pos[0]]):,.0f} km): move the centre, widen the radius, or make them "
            f"partner clusters or foreign partners."
        )
    return CheckResult(
        "concentration",
        title,
        status,
        round(share_in, 6),
        threshold,
        msg,
        remedy,
        src,
        r.id_tuple(out_idx),
        details,
    )


def _helix(r: _Roster) -> CheckResult:
    counts = {h: int(np.count_nonzero(np.isin(r.kind, _HELIX_CODES[h]))) for h in Helix}
    missing = [h for h in Helix if counts[h] == 0]
    cands = {h.value: [m.name for m in r.candidates if HELIX_OF_KIND.get(m.kind) is h] for h in missing}
    details: dict[str, Any] = {
        **{h.value: counts[h] for h in Helix},
        "missing": [h.value for h in missing],
        "candidates": cands,
    }
    present = 3 - len(missing)
    figures = ", ".join(f"{h.value} {counts[h]}" for h in Helix)
    threshold = "business, government and science each ≥ 1 member"
    if not missing:
        return CheckResult(
            "helix",
            "Triple helix",
            CheckStatus.OK,
            present,
            threshold,
            f"All three strands present ({figures}).",
            "",
            THRESHOLD_SOURCES["helix"],
            (),
            details,
        )
    parts = []
    for h in missing:
        c = cands[h.value]
        hint = f" (candidate: {', '.join(c[:3])})" if c else ""
        parts.append(f"recruit {_HELIX_WANTED[h]}{hint}")
    cand_ids = tuple(m.id for m in r.candidates if HELIX_OF_KIND.get(m.kind) in missing)
    return CheckResult(
        "helix",
        "Triple helix",
        CheckStatus.FAILING,
        present,
        threshold,
        f"Missing {' and '.join(h.value for h in missing)} ({figures}).",
        _sentence("; ".join(parts)) + ".",
        THRESHOLD_SOURCES["helix"],
        cand_ids,
        details,
    )


def _cluster_org(r: _Roster) -> CheckResult:
    org = np.flatnonzero(r.kind == _KIND_CODE[MemberKind.CLUSTER_ORG])
    names = r.names(org)
    threshold = "a cluster organisation among the members"
    details: dict[str, Any] = {"count": int(org.size), "names": names}
    if org.size:
        return CheckResult(
            "cluster_org",
            "Cluster organisation",
            CheckStatus.OK,
            int(org.size),
            threshold,
            f"Run by {', '.join(names[:3])}.",
            "",
            THRESHOLD_SOURCES["cluster_org"],
            r.id_tuple(org),
            details,
        )
    cand = [m for m in r.candidates if m.kind == MemberKind.CLUSTER_ORG]
    hint = f" (candidate: {cand[0].name})" if cand else ""
    return CheckResult(
        "cluster_org",
        "Cluster organisation",
        CheckStatus.FAILING,
        0,
        threshold,
        "No cluster organisation among the members.",
        f"Add the organisation that coordinates the cluster as a member of kind cluster organisation{hint}.",
        THRESHOLD_SOURCES["cluster_org"],
        tuple(m.id for m in cand),
        details,
    )


def _focal(r: _Roster, s: ClusterSettings) -> CheckResult:
    title = "Focal model"
    threshold = (
        f"largest firm ≤ {_pct(s.anchor_employment_share)} of firm employment; "
        f"best-linked member in ≤ {_pct(s.anchor_link_share)} of links"
    )
    source = THRESHOLD_SOURCES["anchor_employment_share"]
    ms = r.members
    firms = r.firm_idx
    emp = r.firm_employees
    known = np.isfinite(emp)
    total = float(emp[known].sum())
    n_known = int(known.sum())
    details: dict[str, Any] = {"firms_with_employees": n_known, "linked_members": 0}
    emp_share: float | None = None
    anchor: int | None = None
    if n_known and total > 0:
        j = int(np.nanargmax(emp))
        anchor = int(firms[j])
        emp_share = float(emp[j]) / total
        details.update(employment_share=emp_share, anchor=ms[anchor].name)
    n_pairs = int(r.pair_a.size)
    linked = int(np.count_nonzero(r.degree))
    details["linked_members"] = linked
    link_share: float | None = None
    hub: int | None = None
    if n_pairs:
        hub = int(np.argmax(r.degree))
        link_share = float(r.degree[hub]) / n_pairs
        details.update(link_share=link_share, hub=ms[hub].name)
    emp_judged = emp_share is not None and n_known >= FOCAL_MIN_FIRMS
    link_judged = link_share is not None and linked >= FOCAL_MIN_LINKED
    details.update(employment_judged=emp_judged, links_judged=link_judged)
    if not (emp_judged or link_judged):
        return CheckResult(
            "focal",
            title,
            CheckStatus.NA,
            None,
            threshold,
            f"Too little data: {_plural(n_known, 'firm')} with a head count (need {FOCAL_MIN_FIRMS}), "
            f"{_plural(linked, 'linked member')} (need {FOCAL_MIN_LINKED}).",
            "Record firms' employees and the links between members.",
            source,
            (),
            details,
        )
    shown: list[str] = []
    flags: list[str] = []
    ids: list[str] = []
    value = 0.0
    if emp_judged and emp_share is not None and anchor is not None:
        value = max(value, emp_share)
        shown.append(
            f"the largest firm, {ms[anchor].name}, holds {_pct(emp_share)} of member-firm employment"
        )
        if emp_share > s.anchor_employment_share:
            flags.append(ms[anchor].name)
            ids.append(ms[anchor].id)
    if link_judged and link_share is not None and hub is not None:
        value = max(value, link_share)
        shown.append(f"{ms[hub].name} takes part in {_pct(link_share)} of links")
        if link_share > s.anchor_link_share:
            flags.append(ms[hub].name)
            if ms[hub].id not in ids:
                ids.append(ms[hub].id)
    msg = "; ".join(shown)
    msg = _sentence(msg)
    if flags:
        anchors = " and ".join(dict.fromkeys(flags))
        return CheckResult(
            "focal",
            title,
            CheckStatus.WARNING,
            round(value, 6),
            threshold,
            f"{msg}: focal model around {anchors}.",
            f"Grow the periphery of small and medium firms and links among them that bypass {anchors}.",
            source,
            tuple(ids),
            details,
        )
    return CheckResult(
        "focal", title, CheckStatus.OK, round(value, 6), threshold, msg + ".", "", source, (), details
    )


def _division(code: str) -> int:
    """NACE Rev.2 / OKVED 2 division (1..99) of a sector code ("29.10", "C29.1", "2910"); -1 if none."""
    m = _NACE_RE.match(code or "")
    if not m:
        return -1
    digits = m.group(1)
    v = int(digits[:2]) if len(digits) >= 2 else int(digits)
    return v if 1 <= v <= 99 else -1


def _specialisation(r: _Roster, s: ClusterSettings) -> CheckResult:
    title = "Specialisation and diversity"
    threshold = f"sector HHI ≤ {s.hhi_concentrated:g} and ≥ 1 related-industry sector"
    source = THRESHOLD_SOURCES["hhi_concentrated"]
    firms = r.firm_idx
    # Few distinct codes among many firms: parse each distinct code once.
    sectors = [f.sector for f in r.firms]
    cache = {code: _division(code) for code in set(sectors)}
    div = np.array([cache[c] for c in sectors], dtype=np.int64).reshape(-1)
    related = np.fromiter(
        map(Industry.RELATED.__eq__, [f.industry for f in r.firms]), dtype=np.bool_, count=int(firms.size)
    )
    valid = div >= 0
    unknown = firms[~valid]
    if not valid.any():
        return CheckResult(
            "specialisation",
            title,
            CheckStatus.NA,
            None,
            threshold,
            "No member firm has a sector code.",
            "Record the NACE / OKVED code of member firms.",
            source,
            r.id_tuple(unknown),
            {
                "hhi": None,
                "sectors": [],
                "sector_count": 0,
                "related_sector_count": 0,
                "unknown_sector_count": int(unknown.size),
            },
        )
    counts = np.bincount(div[valid], minlength=100)
    n_valid = int(valid.sum())
    shares = counts / n_valid
    hhi = float(np.sum(shares * shares))
    order = np.argsort(-counts, kind="stable")
    top = [
        {"division": f"{int(d):02d}", "firms": int(counts[d]), "share": round(float(shares[d]), 6)}
        for d in order[:10]
        if counts[d] > 0
    ]
    n_sectors = int(np.count_nonzero(counts))
    n_related = int(np.unique(div[valid & related]).size)
    details: dict[str, Any] = {
        "hhi": round(hhi, 6),
        "sectors": top,
        "sector_count": n_sectors,
        "related_sector_count": n_related,
        "unknown_sector_count": int(unknown.size),
    }
    msg = (
        f"Sector HHI {hhi:.2f} over {_plural(n_sectors, 'NACE division')}; "
        f"{_plural(n_related, 'related-industry division')}."
    )
    problems: list[str] = []
    if hhi > s.hhi_concentrated:
        d0 = int(order[0])
        problems.append(
            f"division {d0:02d} holds {_pct(float(shares[d0]))} of firms: "
            "recruit firms from related industries to broaden the mix"
        )
    if n_related == 0:
        problems.append("mark member firms from related industries, or recruit suppliers and service firms")
    if problems:
        remedy = "; ".join(problems)
        return CheckResult(
            "specialisation",
            title,
            CheckStatus.WARNING,
            round(hhi, 6),
            threshold,
            msg,
            _sentence(remedy) + ".",
            source,
            r.id_tuple(unknown),
            details,
        )
    return CheckResult(
        "specialisation",
        title,
        CheckStatus.OK,
        round(hhi, 6),
        threshold,
        msg,
        "",
        source,
        r.id_tuple(unknown),
        details,
    )


def _links(r: _Roster) -> CheckResult:
    title = "Links and gaps"
    threshold = "links among members; all 7 gaps bridged; no isolated member"
    source = THRESHOLD_SOURCES["gaps"]
    n = r.n
    n_pairs = int(r.pair_a.size)
    ka = r.kind[r.pair_a]
    kb = r.kind[r.pair_b]
    present = np.bincount(np.minimum(ka, kb) * _K + np.maximum(ka, kb), minlength=_K * _K) > 0
    touching = np.zeros(_K, dtype=np.bool_)
    touching[ka] = True
    touching[kb] = True
    gaps: dict[str, str] = {}
    open_labels: list[str] = []
    for gid, label, k1, k2 in _GAPS:
        c1 = _KIND_CODE[k1]
        if k2 is None:
            closed = bool(touching[c1])
        else:
            c2 = _KIND_CODE[k2]
            closed = bool(present[min(c1, c2) * _K + max(c1, c2)])
        gaps[gid] = "closed" if closed else "open"
        if not closed:
            open_labels.append(label)
    isolated = np.flatnonzero(r.degree == 0) if n else np.zeros(0, dtype=np.int64)
    possible = n * (n - 1) // 2
    density = n_pairs / possible if possible else 0.0
    details: dict[str, Any] = {
        "link_count": n_pairs,
        "links_total": int(r.src.size),
        "density": density,
        "isolated": r.names(isolated),
        "isolated_count": int(isolated.size),
        "gaps": gaps,
        "open_gaps": [g for g, v in gaps.items() if v == "open"],
    }
    if n < 2:
        return CheckResult(
            "links",
            title,
            CheckStatus.NA,
            None,
            threshold,
            "Fewer than two members.",
            "Add members.",
            source,
            (),
            details,
        )
    n_open = len(open_labels)
    msg = (
        f"{_plural(n_pairs, 'link')} among {_plural(n, 'member')} (density {_pct(density, 2)}); "
        f"{n_open} of 7 gaps open; {_plural(int(isolated.size), 'member')} without links."
    )
    if n_pairs == 0:
        return CheckResult(
            "links",
            title,
            CheckStatus.FAILING,
            0.0,
            threshold,
            msg,
            "Record the cooperation between members (supply, R&D, training, finance, support).",
            source,
            r.id_tuple(isolated),
            details,
        )
    parts: list[str] = []
    if open_labels:
        parts.append("Bridge " + "; ".join(open_labels))
    if isolated.size:
        parts.append(f"connect the {_plural(int(isolated.size), 'isolated member')}")
    status = CheckStatus.WARNING if parts else CheckStatus.OK
    remedy = ("; ".join(parts) + ".") if parts else ""
    return CheckResult(
        "links",
        title,
        status,
        round(density, 9),
        threshold,
        msg,
        _sentence(remedy),
        source,
        r.id_tuple(isolated),
        details,
    )


def _registry(r: _Roster, s: ClusterSettings) -> CheckResult:
    title = "Industrial-cluster registry"
    threshold = (
        f"≥ {_pct(s.registry_share)} of intermediate output to members; "
        f"≤ {s.registry_max_unlinked} firms without a supply contract"
    )
    source = THRESHOLD_SOURCES["registry_share"]
    firms = r.firm_idx
    n_f = int(firms.size)
    note = (
        "Decree 779 allows 10 % where ≥ 30 % of participants sit in special territories "
        "(single-industry towns); not modelled."
    )
    if n_f == 0:
        return CheckResult(
            "registry",
            title,
            CheckStatus.NA,
            None,
            threshold,
            "No member firms.",
            "Add member firms.",
            source,
            (),
            {"firms": 0, "note": note},
        )
    sup_src = r.src[r.is_supply]
    sup_dst = r.dst[r.is_supply]
    out_share = np.minimum(np.bincount(sup_src, weights=r.supply_share, minlength=r.n), 1.0)
    has_contract = (np.bincount(sup_src, minlength=r.n) + np.bincount(sup_dst, minlength=r.n)) > 0
    f_share = out_share[firms]
    meeting = f_share >= s.registry_share - 1e-9
    unlinked = firms[~has_contract[firms]]
    # Cluster-wide dependence, weighted by employment as a proxy for output (the decree's figure
    # is volume-weighted); firms without a head count get the median of the known ones.
    emp = r.firm_employees
    known = np.isfinite(emp)
    if known.any() and float(emp[known].sum()) > 0:
        w = np.where(known, emp, float(np.median(emp[known])))
        weighting = "employment" if known.all() else f"employment ({int((~known).sum())} firms at the median)"
    else:
        w = np.ones(n_f)
        weighting = "equal"
    cluster_share = float(np.dot(w, f_share) / w.sum()) if float(w.sum()) > 0 else float(f_share.mean())
    n_un = int(unlinked.size)
    details: dict[str, Any] = {
        "cluster_share": cluster_share,
        "weighting": weighting,
        "firms": n_f,
        "meeting_count": int(meeting.sum()),
        "below_share_count": int(n_f - meeting.sum()),
        "unlinked": r.names(unlinked),
        "unlinked_count": n_un,
        "note": note,
    }
    msg = (
        f"Member firms pass {_pct(cluster_share)} of their intermediate output to other members; "
        f"{int(meeting.sum()):,} of {_plural(n_f, 'firm')} reach {_pct(s.registry_share)}; "
        f"{n_un:,} without a supply link."
    )
    parts: list[str] = []
    if n_un > s.registry_max_unlinked:
        parts.append(
            f"sign supply contracts for {n_un - s.registry_max_unlinked:,} more of the "
            f"{_plural(n_un, 'unlinked firm')}"
        )
    if cluster_share < s.registry_share - 1e-9:
        parts.append(f"raise in-cluster supply from {_pct(cluster_share)} to {_pct(s.registry_share)}")
    if parts:
        remedy = "; ".join(parts)
        return CheckResult(
            "registry",
            title,
            CheckStatus.WARNING,
            round(cluster_share, 6),
            threshold,
            msg,
            _sentence(remedy) + ".",
            source,
            r.id_tuple(unlinked),
            details,
        )
    return CheckResult(
        "registry",
        title,
        CheckStatus.OK,
        round(cluster_share, 6),
        threshold,
        msg,
        "",
        source,
        r.id_tuple(unlinked),
        details,
    )


#: Checks whose figures depend on where members are; the others only on who they are and their links.
GEOGRAPHIC_CHECKS = ("critical_mass", "concentration")


def assess(
    members: Sequence[Member],
    links: Sequence[Link],
    settings: ClusterSettings,
    *,
    previous: Sequence[CheckResult] | None = None,
) -> list[CheckResult]:
    """All checks, in a fixed order: critical_mass, concentration, helix, cluster_org, focal,
    specialisation, links, registry.

    ``previous``: the results from before a change that only MOVED members (nothing else about
    them, their links or the settings changed). Only the geographic checks are recomputed and the
    links are not read again: at 100,000 members that is a few times faster than a full run.
    """
    r = _Roster(members, None if previous is not None else links)
    centre = _centre(r, settings)
    pts = np.flatnonzero(r.located & r.local)
    dist: FloatArray | None = None
    if centre is not None and pts.size:
        # Exact geodesic distance for every member that may be outside the radius, and for the
        # farthest; the others are certainly inside (spherical estimate, never shown as a figure).
        dist, _ = distances_km_beyond(centre.lat, centre.lon, r.lat[pts], r.lon[pts], settings.radius_km)
    firm_dist: FloatArray | None = None
    if dist is not None:
        # Distances of the located firms: position of each member in ``pts``, -1 if not there.
        pos = np.full(r.n, -1, dtype=np.int64)
        pos[pts] = np.arange(pts.size)
        firm_pos = pos[r.firm_idx]
        firm_dist = dist[firm_pos[firm_pos >= 0]]
    geographic = [_critical_mass(r, settings, firm_dist), _concentration(r, settings, centre, pts, dist)]
    if previous is not None:
        return geographic + [c for c in previous if c.id not in GEOGRAPHIC_CHECKS]
    return [
        *geographic,
        _helix(r),
        _cluster_org(r),
        _focal(r, settings),
        _specialisation(r, settings),
        _links(r),
        _registry(r, settings),
    ]
