"""Rules 3, 4 and 6 of DOMAIN.md: triple helix (strands present and tied), the cluster
organisation (present; staff, fees and private funding where recorded), specialisation and
diversity (HHI by firm count and by employment, "narrow" and "scattered")."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from cluster_desk.core.check_facts import (
    HELIX_TIES,
    CheckResult,
    CheckStatus,
    ClusterOrgFacts,
    HelixFacts,
    HelixStrand,
    SectorShare,
    SpecialisationFacts,
    first_names,
)
from cluster_desk.core.checks.context import FIRM, MEMBER_CODE, Arrays, BoolArray, IntArray
from cluster_desk.core.checks.settings_use import uses
from cluster_desk.core.checks.tallies import PairTally
from cluster_desk.core.model import HELIX_OF_KIND, ClusterSettings, Helix, MemberKind
from cluster_desk.core.network import Network, helix_pairs_from

_STRANDS: tuple[tuple[Helix, HelixStrand], ...] = (
    (Helix.BUSINESS, "business"),
    (Helix.GOVERNMENT, "government"),
    (Helix.SCIENCE, "science"),
)


def _strand_codes(h: Helix) -> list[int]:
    return [MEMBER_CODE[k] for k, hh in HELIX_OF_KIND.items() if hh is h]


def _of_kinds(kind: IntArray, codes: list[int]) -> BoolArray:
    """``np.isin(kind, codes)`` as one lookup per row (a million rows: ~3 ms instead of ~15)."""
    table = np.zeros(len(MEMBER_CODE), dtype=np.bool_)
    table[codes] = True
    out: BoolArray = table[kind]
    return out


def _helix_members(a: Arrays, part: BoolArray, net: Network) -> dict[str, Any]:
    """Rule 3's figures of the members alone (kept while only links change)."""
    per_kind = np.bincount(net.kind, minlength=len(MEMBER_CODE))
    counts = {name: int(per_kind[_strand_codes(h)].sum()) for h, name in _STRANDS}
    missing = tuple(name for _, name in _STRANDS if counts[name] == 0)
    cand_rows = np.flatnonzero((a.status == 1) & ~part)
    cand_kind = a.kind[cand_rows]
    names = a.names
    candidates = tuple(
        (name, tuple(map(names.__getitem__, cand_rows[_of_kinds(cand_kind, _strand_codes(h))].tolist())))
        for h, name in _STRANDS
        if name in missing
    )
    wanted = [c for h, name in _STRANDS if name in missing for c in _strand_codes(h)]
    gs = _of_kinds(net.kind, _strand_codes(Helix.GOVERNMENT) + _strand_codes(Helix.SCIENCE))
    return {
        "counts": counts,
        "missing": missing,
        "candidates": candidates,
        "candidate_ids": tuple(a.ids_of(cand_rows[_of_kinds(cand_kind, wanted)])),
        "gs": gs,
    }


def helix(a: Arrays, part: BoolArray, rows: IntArray, net: Network) -> CheckResult:
    """``rows``: the member row of each of the network's rows."""
    tally = PairTally.of(net)
    if "helix" not in tally.fixed:
        tally.fixed["helix"] = _helix_members(a, part, net)
    m = tally.fixed["helix"]
    counts, missing = m["counts"], m["missing"]
    ties = helix_pairs_from(tally.helix)
    tie_links = tuple((pair, int(ties.get(pair, 0))) for pair in HELIX_TIES)
    lonely = np.flatnonzero(m["gs"] & (tally.degree == 0))
    facts = HelixFacts(
        branch="missing" if missing else "nominal" if any(n == 0 for _, n in tie_links) else "complete",
        business=counts["business"],
        government=counts["government"],
        science=counts["science"],
        missing=missing,
        tie_links=tie_links,
        candidates=m["candidates"],
        unlinked=first_names(a.names, rows[lonely]),
    )
    present = 3 - len(missing)
    if facts.branch == "missing":
        return CheckResult("helix", CheckStatus.FAILING, present, facts, m["candidate_ids"])
    if facts.branch == "nominal":
        if "gs_ids" not in m:  # only a nominal helix names them (~160,000 ids at a million members)
            m["gs_ids"] = tuple(net.ids(np.flatnonzero(m["gs"])))
        return CheckResult("helix", CheckStatus.WARNING, present, facts, m["gs_ids"])
    return CheckResult("helix", CheckStatus.OK, present, facts)


def cluster_org(a: Arrays, part: BoolArray, rows: IntArray, net: Network, s: ClusterSettings) -> CheckResult:
    """``rows``: the member row of each of the network's rows."""
    org = np.flatnonzero(net.kind == MEMBER_CODE[MemberKind.CLUSTER_ORG])
    used = uses(s, "org_min_fte", "org_min_private_share")
    if org.size == 0:
        cand = np.flatnonzero((a.status == 1) & ~part & (a.kind == MEMBER_CODE[MemberKind.CLUSTER_ORG]))
        facts = ClusterOrgFacts(
            "absent",
            (),
            a.names[int(cand[0])] if cand.size else None,
            s.org_fte,
            s.org_fees,
            s.org_private_share,
            s.org_min_fte,
            s.org_min_private_share,
        )
        return CheckResult("cluster_org", CheckStatus.FAILING, 0, facts, tuple(a.ids_of(cand)), used)
    below: list[str] = []
    if s.org_fte is not None and s.org_fte < s.org_min_fte:
        below.append("fte")
    if s.org_private_share is not None and s.org_private_share < s.org_min_private_share:
        below.append("private_share")
    facts = ClusterOrgFacts(
        "short" if below else "present",
        tuple(a.names_of(rows[org])),
        None,
        s.org_fte,
        s.org_fees,
        s.org_private_share,
        s.org_min_fte,
        s.org_min_private_share,
        tuple(below),
    )
    status = CheckStatus.WARNING if below else CheckStatus.OK
    return CheckResult("cluster_org", status, int(org.size), facts, tuple(net.ids(org)), used)


def _hhi(weights: np.ndarray) -> float:
    total = float(weights.sum())
    shares = weights / total
    return float(np.sum(shares * shares))


def specialisation(a: Arrays, rows: np.ndarray, net: Network, s: ClusterSettings) -> CheckResult:
    used = uses(s, "hhi_concentrated", "scattered_top_share", "scattered_core_share")
    # (np.compress, not a boolean index: ~5x faster on masks that are not mostly one value)
    firm_rows = np.compress(net.kind == FIRM, rows)
    div = a.division[firm_rows]
    valid = div >= 0
    unknown = np.compress(~valid, firm_rows)
    if not valid.any():
        facts = SpecialisationFacts(
            "no_codes",
            None,
            None,
            (),
            0,
            None,
            None,
            int(unknown.size),
            s.hhi_concentrated,
            s.scattered_top_share,
            s.scattered_core_share,
        )
        return CheckResult(
            "specialisation", CheckStatus.NA, None, facts, tuple(a.ids_of(unknown)), used
        )
    counts = np.bincount(div[valid], minlength=100).astype(np.float64)
    hhi_count = _hhi(counts)
    emp = a.employees[firm_rows][valid]
    known = np.isfinite(emp)
    by_emp = np.bincount(div[valid][known], weights=emp[known], minlength=100)
    emp_total = float(by_emp.sum())
    hhi_emp = _hhi(by_emp) if emp_total > 0 else None
    top_emp = float(by_emp.max()) / emp_total if emp_total > 0 else None
    core_share = float(np.count_nonzero(a.industry[firm_rows] == 0)) / firm_rows.size
    order = np.argsort(-(by_emp if emp_total > 0 else counts), kind="stable")
    n_valid = float(counts.sum())
    top = tuple(
        SectorShare(
            f"{int(d):02d}",
            int(counts[d]),
            round(float(counts[d]) / n_valid, 6),
            None if emp_total <= 0 else round(float(by_emp[d]) / emp_total, 6),
        )
        for d in order[:10]
        if counts[d] > 0
    )
    narrow = hhi_emp is not None and hhi_emp > s.hhi_concentrated
    scattered = (
        top_emp is not None and top_emp < s.scattered_top_share and core_share < s.scattered_core_share
    )
    branch: Literal["narrow", "scattered", "balanced"] = (
        "narrow" if narrow else "scattered" if scattered else "balanced"
    )
    facts = SpecialisationFacts(
        branch,
        round(hhi_count, 6),
        None if hhi_emp is None else round(hhi_emp, 6),
        top,
        int(np.count_nonzero(counts)),
        round(core_share, 6),
        None if top_emp is None else round(top_emp, 6),
        int(unknown.size),
        s.hhi_concentrated,
        s.scattered_top_share,
        s.scattered_core_share,
        narrow,
        scattered,
    )
    value = facts.hhi_employment if facts.hhi_employment is not None else facts.hhi_count
    status = CheckStatus.WARNING if narrow or scattered else CheckStatus.OK
    return CheckResult(
        "specialisation", status, value, facts, tuple(a.ids_of(unknown)), used
    )
