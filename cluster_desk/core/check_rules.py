"""The eight checks' rules: one function per check over the roster's arrays (core.roster_arrays),
returning a CheckResult with typed facts (core.check_facts). No sentences here: the wording is
in cluster_desk.text.checks. Shares are fractions (0..1) in ``value`` and in the facts.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np

from cluster_desk.core.check_facts import (
    GAP_IDS,
    CheckResult,
    CheckStatus,
    ClusterOrgFacts,
    ConcentrationFacts,
    CriticalMassFacts,
    FocalFacts,
    HelixFacts,
    HelixStrand,
    LinksFacts,
    RegistryFacts,
    SectorShare,
    SpecialisationFacts,
)
from cluster_desk.core.model import HELIX_OF_KIND, ClusterSettings, Helix, Industry, MemberKind
from cluster_desk.core.roster_arrays import KIND_CODE as _KIND_CODE
from cluster_desk.core.roster_arrays import Centre, FloatArray, IntArray, Roster
from cluster_desk.core.roster_arrays import K as _K

#: Concentration: at least this share of located members inside the radius is a warning, not a
#: failure (a few outlying members are common; most of them outside means no concentration).
CONCENTRATION_WARNING_SHARE = 0.8
#: Focal check: fewer firms with a head count than this, or fewer linked members, cannot be judged
#: (with 2 firms one always holds >= 50 %; in a complete network of 4 everyone touches 50 %).
FOCAL_MIN_FIRMS = 3
FOCAL_MIN_LINKED = 5
_INDUSTRY_CODE: dict[str, int] = {Industry.CORE: 0, Industry.RELATED: 1, Industry.UNSPECIFIED: 2}
_HELIX_CODES: dict[Helix, IntArray] = {
    h: np.array([_KIND_CODE[k] for k, hh in HELIX_OF_KIND.items() if hh is h], dtype=np.int64) for h in Helix
}

#: The seven gaps (Sölvell 2015, ids in check_facts.GAP_IDS): the two kinds (None: any kind).
_GAP_KINDS: dict[str, tuple[MemberKind, MemberKind | None]] = {
    "business_science": (MemberKind.FIRM, MemberKind.RESEARCH),
    "business_education": (MemberKind.FIRM, MemberKind.EDUCATION),
    "business_finance": (MemberKind.FIRM, MemberKind.FINANCE),
    "business_authorities": (MemberKind.FIRM, MemberKind.AUTHORITY),
    "business_business": (MemberKind.FIRM, MemberKind.FIRM),
    "cluster_cluster": (MemberKind.PARTNER_CLUSTER, None),
    "business_global_markets": (MemberKind.FIRM, MemberKind.FOREIGN_PARTNER),
}
assert tuple(_GAP_KINDS) == GAP_IDS

_NACE_RE = re.compile(r"^\s*(?:[A-Za-z]\s*)?(\d+)")


# --- the checks ----------------------------------------------------------------------------------


def critical_mass(r: Roster, s: ClusterSettings, firm_dist: FloatArray | None) -> CheckResult:
    firms = r.firm_idx
    n = int(firms.size)
    ind_code = _INDUSTRY_CODE
    ind = np.fromiter((ind_code.get(f.industry, 2) for f in r.firms), dtype=np.int64, count=n)
    core, related, unspec = (int(c) for c in np.bincount(ind, minlength=3)[:3])
    cand = [m for m in r.candidates if m.kind == MemberKind.FIRM]
    inside: int | None = None
    if firm_dist is not None:
        inside = int(np.count_nonzero(firm_dist <= s.radius_km))
    below = n < s.mass_min
    facts = CriticalMassFacts(
        branch="below" if below else "above" if n > s.mass_max else "within",
        firms=n,
        core=core,
        related=related,
        unspecified=unspec,
        candidate_firms=len(cand),
        inside_radius=inside,
        radius_km=s.radius_km,
        mass_min=s.mass_min,
        mass_max=s.mass_max,
        short=max(0, s.mass_min - n),
    )
    if below:
        return CheckResult("critical_mass", CheckStatus.FAILING, n, facts, tuple(m.id for m in cand))
    return CheckResult("critical_mass", CheckStatus.OK, n, facts)


def concentration(
    r: Roster, s: ClusterSettings, centre: Centre | None, pts: IntArray, dist: FloatArray | None
) -> CheckResult:
    unlocated = int(np.count_nonzero(~r.located & r.local))
    external = int(np.count_nonzero(~r.local))
    if centre is None or dist is None or pts.size == 0:
        facts = ConcentrationFacts("unplaced", s.radius_km, CONCENTRATION_WARNING_SHARE, unlocated, external)
        return CheckResult("concentration", CheckStatus.NA, None, facts)
    out_mask = dist > s.radius_km
    out_pos = np.flatnonzero(out_mask)
    out_pos = out_pos[np.argsort(-dist[out_pos], kind="stable")]  # farthest first
    out_idx = pts[out_pos]
    n_loc = int(pts.size)
    n_out = int(out_idx.size)
    share_in = (n_loc - n_out) / n_loc
    branch: Literal["all_inside", "few_outside", "many_outside"]
    if n_out == 0:
        status, branch = CheckStatus.OK, "all_inside"
    elif share_in >= CONCENTRATION_WARNING_SHARE:
        status, branch = CheckStatus.WARNING, "few_outside"
    else:
        status, branch = CheckStatus.FAILING, "many_outside"
    facts = ConcentrationFacts(
        branch,
        s.radius_km,
        CONCENTRATION_WARNING_SHARE,
        unlocated,
        external,
        outside=tuple(r.names(out_idx)),
        outside_km=tuple(round(float(d), 3) for d in dist[out_pos]),
        inside_count=n_loc - n_out,
        located_count=n_loc,
        inside_share=share_in,
        max_km=float(dist.max()),
        centre=(centre.lat, centre.lon),
        centre_source=centre.source,
    )
    return CheckResult("concentration", status, round(share_in, 6), facts, r.id_tuple(out_idx))


def helix(r: Roster) -> CheckResult:
    counts = {h: int(np.count_nonzero(np.isin(r.kind, _HELIX_CODES[h]))) for h in Helix}
    missing = [h for h in Helix if counts[h] == 0]
    strand: dict[Helix, HelixStrand] = {
        Helix.BUSINESS: "business",
        Helix.GOVERNMENT: "government",
        Helix.SCIENCE: "science",
    }
    facts = HelixFacts(
        branch="missing" if missing else "complete",
        business=counts[Helix.BUSINESS],
        government=counts[Helix.GOVERNMENT],
        science=counts[Helix.SCIENCE],
        missing=tuple(strand[h] for h in missing),
        candidates=tuple(
            (strand[h], tuple(m.name for m in r.candidates if HELIX_OF_KIND.get(m.kind) is h))
            for h in missing
        ),
    )
    present = 3 - len(missing)
    if not missing:
        return CheckResult("helix", CheckStatus.OK, present, facts)
    cand_ids = tuple(m.id for m in r.candidates if HELIX_OF_KIND.get(m.kind) in missing)
    return CheckResult("helix", CheckStatus.FAILING, present, facts, cand_ids)


def cluster_org(r: Roster) -> CheckResult:
    org = np.flatnonzero(r.kind == _KIND_CODE[MemberKind.CLUSTER_ORG])
    if org.size:
        facts = ClusterOrgFacts("present", tuple(r.names(org)), None)
        return CheckResult("cluster_org", CheckStatus.OK, int(org.size), facts, r.id_tuple(org))
    cand = [m for m in r.candidates if m.kind == MemberKind.CLUSTER_ORG]
    facts = ClusterOrgFacts("absent", (), cand[0].name if cand else None)
    return CheckResult("cluster_org", CheckStatus.FAILING, 0, facts, tuple(m.id for m in cand))


def focal(r: Roster, s: ClusterSettings) -> CheckResult:
    ms = r.members
    firms = r.firm_idx
    emp = r.firm_employees
    known = np.isfinite(emp)
    total = float(emp[known].sum())
    n_known = int(known.sum())
    emp_share: float | None = None
    anchor: int | None = None
    if n_known and total > 0:
        j = int(np.nanargmax(emp))
        anchor = int(firms[j])
        emp_share = float(emp[j]) / total
    n_pairs = int(r.pair_a.size)
    linked = int(np.count_nonzero(r.degree))
    link_share: float | None = None
    hub: int | None = None
    if n_pairs:
        hub = int(np.argmax(r.degree))
        link_share = float(r.degree[hub]) / n_pairs
    emp_judged = emp_share is not None and n_known >= FOCAL_MIN_FIRMS
    link_judged = link_share is not None and linked >= FOCAL_MIN_LINKED
    flags: list[str] = []
    ids: list[str] = []
    value = 0.0
    if emp_judged and emp_share is not None and anchor is not None:
        value = max(value, emp_share)
        if emp_share > s.anchor_employment_share:
            flags.append(ms[anchor].name)
            ids.append(ms[anchor].id)
    if link_judged and link_share is not None and hub is not None:
        value = max(value, link_share)
        if link_share > s.anchor_link_share:
            flags.append(ms[hub].name)
            if ms[hub].id not in ids:
                ids.append(ms[hub].id)
    judged = emp_judged or link_judged
    facts = FocalFacts(
        branch="too_little_data" if not judged else "focal" if flags else "balanced",
        firms_with_employees=n_known,
        linked_members=linked,
        employment_share=emp_share,
        anchor=None if anchor is None else ms[anchor].name,
        link_share=link_share,
        hub=None if hub is None else ms[hub].name,
        employment_judged=emp_judged,
        links_judged=link_judged,
        anchors=tuple(dict.fromkeys(flags)),
        anchor_employment_share=s.anchor_employment_share,
        anchor_link_share=s.anchor_link_share,
        min_firms=FOCAL_MIN_FIRMS,
        min_linked=FOCAL_MIN_LINKED,
    )
    if not judged:
        return CheckResult("focal", CheckStatus.NA, None, facts)
    if flags:
        return CheckResult("focal", CheckStatus.WARNING, round(value, 6), facts, tuple(ids))
    return CheckResult("focal", CheckStatus.OK, round(value, 6), facts)


def _division(code: str) -> int:
    """NACE Rev.2 / OKVED 2 division (1..99) of a sector code ("29.10", "C29.1", "2910"); -1 if none."""
    m = _NACE_RE.match(code or "")
    if not m:
        return -1
    digits = m.group(1)
    v = int(digits[:2]) if len(digits) >= 2 else int(digits)
    return v if 1 <= v <= 99 else -1


def specialisation(r: Roster, s: ClusterSettings) -> CheckResult:
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
        facts = SpecialisationFacts(
            "no_codes", None, (), 0, 0, int(unknown.size), s.hhi_concentrated, False, False
        )
        return CheckResult("specialisation", CheckStatus.NA, None, facts, r.id_tuple(unknown))
    counts = np.bincount(div[valid], minlength=100)
    n_valid = int(valid.sum())
    shares = counts / n_valid
    hhi = float(np.sum(shares * shares))
    order = np.argsort(-counts, kind="stable")
    top = tuple(
        SectorShare(f"{int(d):02d}", int(counts[d]), round(float(shares[d]), 6))
        for d in order[:10]
        if counts[d] > 0
    )
    n_related = int(np.unique(div[valid & related]).size)
    concentrated = hhi > s.hhi_concentrated
    no_related = n_related == 0
    facts = SpecialisationFacts(
        "unbalanced" if concentrated or no_related else "balanced",
        round(hhi, 6),
        top,
        int(np.count_nonzero(counts)),
        n_related,
        int(unknown.size),
        s.hhi_concentrated,
        concentrated,
        no_related,
    )
    status = CheckStatus.WARNING if concentrated or no_related else CheckStatus.OK
    return CheckResult("specialisation", status, round(hhi, 6), facts, r.id_tuple(unknown))


def links(r: Roster) -> CheckResult:
    n = r.n
    n_pairs = int(r.pair_a.size)
    ka = r.kind[r.pair_a]
    kb = r.kind[r.pair_b]
    present = np.bincount(np.minimum(ka, kb) * _K + np.maximum(ka, kb), minlength=_K * _K) > 0
    touching = np.zeros(_K, dtype=np.bool_)
    touching[ka] = True
    touching[kb] = True
    open_gaps: list[str] = []
    for gid, (k1, k2) in _GAP_KINDS.items():
        c1 = _KIND_CODE[k1]
        if k2 is None:
            closed = bool(touching[c1])
        else:
            c2 = _KIND_CODE[k2]
            closed = bool(present[min(c1, c2) * _K + max(c1, c2)])
        if not closed:
            open_gaps.append(gid)
    isolated = np.flatnonzero(r.degree == 0) if n else np.zeros(0, dtype=np.int64)
    possible = n * (n - 1) // 2
    density = n_pairs / possible if possible else 0.0
    branch: Literal["too_few_members", "no_links", "gaps", "complete"]
    if n < 2:
        branch, status = "too_few_members", CheckStatus.NA
    elif n_pairs == 0:
        branch, status = "no_links", CheckStatus.FAILING
    elif open_gaps or isolated.size:
        branch, status = "gaps", CheckStatus.WARNING
    else:
        branch, status = "complete", CheckStatus.OK
    facts = LinksFacts(
        branch,
        n,
        n_pairs,
        int(r.src.size),
        density,
        tuple(r.names(isolated)),
        tuple(open_gaps),
    )
    if status is CheckStatus.NA:
        return CheckResult("links", status, None, facts)
    value = 0.0 if n_pairs == 0 else round(density, 9)
    return CheckResult("links", status, value, facts, r.id_tuple(isolated))


def registry(r: Roster, s: ClusterSettings) -> CheckResult:
    firms = r.firm_idx
    n_f = int(firms.size)
    if n_f == 0:
        facts = RegistryFacts("no_firms", 0, s.registry_share, s.registry_max_unlinked)
        return CheckResult("registry", CheckStatus.NA, None, facts)
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
    weighting: Literal["employment", "employment_median", "equal"]
    if known.any() and float(emp[known].sum()) > 0:
        w = np.where(known, emp, float(np.median(emp[known])))
        weighting = "employment" if known.all() else "employment_median"
    else:
        w = np.ones(n_f)
        weighting = "equal"
    cluster_share = float(np.dot(w, f_share) / w.sum()) if float(w.sum()) > 0 else float(f_share.mean())
    n_un = int(unlinked.size)
    too_many_unlinked = n_un > s.registry_max_unlinked
    share_short = cluster_share < s.registry_share - 1e-9
    facts = RegistryFacts(
        "short" if too_many_unlinked or share_short else "met",
        n_f,
        s.registry_share,
        s.registry_max_unlinked,
        cluster_share=cluster_share,
        weighting=weighting,
        median_firms=int((~known).sum()) if weighting == "employment_median" else 0,
        meeting_count=int(meeting.sum()),
        unlinked=tuple(r.names(unlinked)),
        too_many_unlinked=too_many_unlinked,
        share_short=share_short,
    )
    status = CheckStatus.WARNING if too_many_unlinked or share_short else CheckStatus.OK
    return CheckResult("registry", status, round(cluster_share, 6), facts, r.id_tuple(unlinked))
