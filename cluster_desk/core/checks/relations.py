"""Rules 5, 7 and 8 of DOMAIN.md, on the links counting on the day: the focal model (a)-(d), links
and the seven gaps (coverage, trend), and the registry pre-check (Decree 779)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from cluster_desk.core.check_facts import (
    GAP_IDS,
    CheckResult,
    CheckStatus,
    FocalFacts,
    GapFacts,
    LinksFacts,
    RegistryFacts,
    first_names,
    first_names_where,
    names_at,
)
from cluster_desk.core.checks.context import (
    FIRM,
    MEMBER_CODE,
    Arrays,
    BoolArray,
    FloatArray,
    IntArray,
    taken,
)
from cluster_desk.core.checks.settings_use import uses
from cluster_desk.core.checks.tallies import GapTally, PairTally, RuleTally
from cluster_desk.core.model import ClusterSettings, MemberKind, sme_limit
from cluster_desk.core.network import GAPS, Network, density

#: Too few figures to judge: with 2 firms one always holds >= 50 %; in a complete network of 4
#: everyone touches 50 %; two selling SMEs make the share 0, 50 or 100 %.
FOCAL_MIN_FIRMS = 3
FOCAL_MIN_LINKED = 5
FOCAL_MIN_SELLERS = 3
_CLUSTER_ORG = MEMBER_CODE[MemberKind.CLUSTER_ORG]


def rule_tally(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings) -> RuleTally:
    """The network's RuleTally for the settings' SME size limit (built once, then patched)."""
    limit = sme_limit(s.size_scheme)
    got = net.memo.get(("rule_tally", limit))
    if isinstance(got, RuleTally):
        return got
    emp = a.employees[rows]
    return RuleTally.of(net, (net.kind == FIRM) & (emp >= 0) & (emp <= limit), limit)


def _employment(a: Arrays, rows: IntArray, net: Network) -> tuple[int, int | None, float | None]:
    """Rule 5 (a), the members alone: firms with a head count, the largest, its share."""
    firm_emp = np.where(net.kind == FIRM, a.employees[rows], np.nan)
    known = np.isfinite(firm_emp)
    n_known = int(known.sum())
    total = float(np.nansum(firm_emp))
    if n_known and total > 0:
        anchor = int(np.nanargmax(firm_emp))
        return n_known, anchor, float(firm_emp[anchor]) / total
    return n_known, None, None


def focal(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings) -> CheckResult:
    t = rule_tally(a, rows, net, s)
    if "employment" not in t.fixed:
        t.fixed["employment"] = _employment(a, rows, net)
    n_known, anchor, emp_share = t.fixed["employment"]
    pairs = PairTally.of(net)
    d = pairs.degree
    linked = int(np.count_nonzero(d))
    hub = link_share = None
    if pairs.pair_count:
        hub = int(np.argmax(d))
        link_share = float(d[hub]) / pairs.pair_count
    # (c) dependence: SME firms that sell inside (directed links, seller = source); their sales
    # weighed by contract volume where every sale of that seller has one, else by link count
    # (core.checks.tallies.dependence_of, per seller).
    sellers = np.flatnonzero(t.sales)
    dependent = np.flatnonzero(t.main >= 0)
    main_of = t.main[dependent]
    by: Literal["volume", "links", "mixed", ""] = ""
    if sellers.size:
        by_links = t.by_count[sellers]
        by = "links" if by_links.all() else "volume" if not by_links.any() else "mixed"
    n_sell = int(sellers.size)
    dependence = dependent.size / n_sell if n_sell else None
    main_buyer = None
    main_count = 0
    top = int(np.argmax(t.depend_on)) if main_of.size else -1
    if main_of.size:
        main_buyer, main_count = a.names[int(rows[top])], int(t.depend_on[top])
    bypass = t.both_sme / t.touching_sme if t.touching_sme else None
    emp_judged = emp_share is not None and n_known >= FOCAL_MIN_FIRMS
    link_judged = link_share is not None and linked >= FOCAL_MIN_LINKED
    dep_judged = dependence is not None and n_sell >= FOCAL_MIN_SELLERS
    flagged: list[str] = []
    anchors: list[int] = []
    value = 0.0
    if emp_judged and emp_share is not None and anchor is not None:
        value = max(value, emp_share)
        if emp_share > s.anchor_employment_share:
            flagged.append("a")
            anchors.append(anchor)
    if link_judged and link_share is not None and hub is not None:
        value = max(value, link_share)
        if link_share > s.anchor_link_share:
            flagged.append("b")
            anchors.append(hub)
    if dep_judged and dependence is not None:
        value = max(value, dependence)
        if dependence > s.dependence_share and main_of.size:
            flagged.append("c")
            anchors.append(top)
    judged = emp_judged or link_judged or dep_judged
    anchor_rows = list(dict.fromkeys(anchors))
    facts = FocalFacts(
        branch="too_little_data" if not judged else "focal" if flagged else "balanced",
        firms_with_employees=n_known,
        linked_members=linked,
        employment_share=emp_share,
        anchor=None if anchor is None else a.names[int(rows[anchor])],
        link_share=link_share,
        hub=None if hub is None else a.names[int(rows[hub])],
        dependence=dependence,
        selling_smes=n_sell,
        dependent_smes=int(dependent.size),
        main_buyer=main_buyer,
        main_buyer_smes=main_count,
        dependence_by=by,
        bypass=bypass,
        employment_judged=emp_judged,
        links_judged=link_judged,
        dependence_judged=dep_judged,
        anchors=tuple(a.names[i] for i in rows[anchor_rows].tolist()),
        flagged=tuple(flagged),
        anchor_employment_share=s.anchor_employment_share,
        anchor_link_share=s.anchor_link_share,
        dependence_share=s.dependence_share,
        min_firms=FOCAL_MIN_FIRMS,
        min_linked=FOCAL_MIN_LINKED,
    )
    used = uses(s, "anchor_employment_share", "anchor_link_share", "dependence_share", "size_scheme")
    if not judged:
        return CheckResult("focal", CheckStatus.NA, None, facts, (), used)
    if flagged:
        ids = tuple(net.ids(anchor_rows)) + tuple(net.ids(dependent))
        return CheckResult("focal", CheckStatus.WARNING, round(value, 6), facts, ids, used)
    return CheckResult("focal", CheckStatus.OK, round(value, 6), facts, (), used)


def gap_masks(net: Network) -> dict[str, tuple[np.ndarray, int]]:
    """Per gap: which participants have such a tie (firms; any participant for cluster_cluster)
    and how many links of that pair there are. business_business: horizontal links only."""
    tally = GapTally.of(net)
    counts, links = tally.counts, tally.links
    return {gid: (counts[i] > 0, int(links[i])) for i, (gid, _k1, _k2) in enumerate(GAPS)}


def gap_states(
    net: Network, min_coverage: float
) -> dict[str, tuple[int, float | None, int, bool, np.ndarray]]:
    """gap id -> (covered, coverage, links, open, covered mask)."""
    n_firms = int(np.count_nonzero(net.kind == FIRM))
    out = {}
    for gid, (covered, links) in gap_masks(net).items():
        count = int(np.count_nonzero(covered))
        if gid in ("cluster_cluster", "business_global_markets"):
            cov = None if gid == "cluster_cluster" or not n_firms else count / n_firms
            is_open = links == 0
        else:
            cov = count / n_firms if n_firms else None
            is_open = cov is None or cov < min_coverage
        out[gid] = (count, cov, links, is_open, covered)
    return out


def links(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings,
          year_ago: Network | None) -> CheckResult:
    """``rows``: the member row of each of the network's rows."""
    n = net.n
    states = gap_states(net, s.gap_min_coverage)
    before = {}
    if year_ago is not None:  # a year earlier: often the same network as at the last run
        PairTally.of(year_ago)  # its density from the tally (a patched network's is kept up to date)
        key = ("gap_states", s.gap_min_coverage)
        if key not in year_ago.memo:
            year_ago.memo[key] = gap_states(year_ago, s.gap_min_coverage)
        before = year_ago.memo[key]
    gaps = tuple(
        GapFacts(
            gid,
            st[0],
            st[1],
            st[2],
            st[3],
            first_names_where(a.names, rows, st[4], st[0]),
            before[gid][1] if gid in before else None,
            before[gid][3] if gid in before else None,
        )
        for gid in GAP_IDS
        for st in (states[gid],)
    )
    pairs = PairTally.of(net)
    iso = np.flatnonzero(pairs.degree == 0)
    open_any = any(g.open for g in gaps)
    branch: Literal["too_few_members", "no_links", "gaps", "complete"]
    if n < 2:
        branch, status = "too_few_members", CheckStatus.NA
    elif net.link_count == 0:
        branch, status = "no_links", CheckStatus.FAILING
    elif open_any or iso.size:
        branch, status = "gaps", CheckStatus.WARNING
    else:
        branch, status = "complete", CheckStatus.OK
    facts = LinksFacts(
        branch,
        n,
        int(np.count_nonzero(net.kind == FIRM)),
        net.link_count,
        net.pair_count,
        density(net),
        pairs.horizontal / net.link_count if net.link_count else None,  # links not supply-like (rule 7)
        first_names(a.names, rows[iso]),
        int(iso.size),
        gaps,
        s.gap_min_coverage,
        None if year_ago is None else year_ago.day,
        None if year_ago is None else density(year_ago),
    )
    used = uses(s, "gap_min_coverage")
    if status is CheckStatus.NA:
        return CheckResult("links", status, None, facts, (), used)
    return CheckResult("links", status, round(density(net), 9), facts, tuple(net.ids(iso)), used)


def _registry_members(a: Arrays, rows: IntArray, net: Network, counted_mask: BoolArray) -> dict[str, Any]:
    """Rule 8's figures of the members alone (kept while only links change)."""
    # (network rows in 32 bits: kept in the tally's memo while the rules run, issue 17)
    counted = np.flatnonzero(counted_mask).astype(np.int32)
    firms = np.flatnonzero(counted_mask & (net.kind == FIRM)).astype(np.int32)
    territory = a.special[rows]
    output = taken(a.output, rows)  # (no output recorded: one value, not a copy a member)
    firm_out = output[firms]
    missing_out: Any = np.compress(np.isnan(firm_out), firms)  # (not a boolean index: ~5x faster)
    return {
        "counted": counted,
        "firms": firms,
        "territory_share": (float(np.count_nonzero(territory[counted])) / counted.size
                            if counted.size else 0.0),
        "has_org": bool(np.any(net.kind == _CLUSTER_ORG)),
        "organising": a.organising[rows],
        "output": output,
        "missing_out": missing_out,
        "missing_out_ids": tuple(net.ids(missing_out)),
        "total_out": float(np.nansum(firm_out)),
        "with_out": np.compress(output[firms] > 0, firms),
    }


def _ids_of(fixed: dict[str, Any], key: str, net: Network, rows: IntArray) -> tuple[str, ...]:
    """``net.ids(rows)`` as a tuple, the one made last time when ``rows`` are the same (a list of
    thousands of members without a contract rarely changes with one link)."""
    last = fixed.get(key)
    if last is not None and np.array_equal(last[0], rows):
        out: tuple[str, ...] = last[1]
        return out
    ids = tuple(net.ids(rows))
    fixed[key] = (rows, ids)
    return ids


def registry(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings) -> CheckResult:
    t = rule_tally(a, rows, net, s)
    if "registry" not in t.fixed:
        t.fixed["registry"] = _registry_members(a, rows, net, t.fixed["counted"])
    m = t.fixed["registry"]
    counted, firms, t_share = m["counted"], m["firms"], m["territory_share"]
    lowered = t_share >= s.registry_special_territory_share - 1e-12
    threshold = s.registry_special_share if lowered else s.registry_share
    used = uses(
        s,
        "registry_share",
        "registry_special_share",
        "registry_special_territory_share",
        "registry_max_unlinked",
    )
    has_org = m["has_org"]
    if firms.size == 0:
        facts = RegistryFacts(
            "no_firms",
            int(counted.size),
            0,
            threshold,
            s.registry_share,
            s.registry_special_share,
            t_share,
            s.registry_special_territory_share,
            has_cluster_org=has_org,
            max_exempt=s.registry_max_unlinked,
        )
        return CheckResult("registry", CheckStatus.NA, None, facts, (), used)
    # Qualifying contracts: a qualifying kind between two counted participants (the tally's).
    without = np.compress(t.qualified[counted] == 0, counted)  # (np.compress: see _registry_members)
    organising = m["organising"][without]
    exempt = np.compress(organising, without)
    not_exempt = np.compress(~organising, without)
    miss_vol_rows = np.flatnonzero(t.unpriced)
    missing_out, total_out, with_out, output = m["missing_out"], m["total_out"], m["with_out"], m["output"]
    total_vol = t.volume.value  # exact: the same float whatever order the links came in
    dependence = total_vol / total_out if total_out > 0 else None
    ratio = np.minimum(t.sold[with_out] / output[with_out], 1.0)
    contract_short = bool(not_exempt.size) or int(exempt.size) > s.registry_max_unlinked
    share_short = dependence is None or dependence < threshold - 1e-12
    short = contract_short or share_short or not has_org
    facts = RegistryFacts(
        "short" if short else "met",
        int(counted.size),
        int(firms.size),
        threshold,
        s.registry_share,
        s.registry_special_share,
        t_share,
        s.registry_special_territory_share,
        dependence=dependence,
        qualifying_volume=total_vol,
        firm_output=total_out,
        partial=bool(missing_out.size or t.unpriced_links),
        missing_output=first_names(a.names, rows[missing_out]),
        missing_volume=t.unpriced_links,
        missing_volume_members=first_names(a.names, rows[miss_vol_rows]),
        without_contract=first_names(a.names, rows[without]),
        exempt=first_names(a.names, rows[exempt]),
        max_exempt=s.registry_max_unlinked,
        has_cluster_org=has_org,
        firm_shares=_lowest_shares(a.names, rows[with_out], ratio),
        contract_short=contract_short,
        share_short=share_short,
    )
    ids = _ids_of(t.fixed, "not_exempt_ids", net, not_exempt) + m["missing_out_ids"]
    value = None if dependence is None else round(dependence, 6)
    return CheckResult("registry", CheckStatus.WARNING if short else CheckStatus.OK, value, facts, ids, used)


def _lowest_shares(names: Sequence[str], rows: IntArray, ratio: FloatArray) -> tuple[tuple[str, float], ...]:
    """Per firm with output, the share it sells to other participants: the lowest first (those
    furthest from the seed's 20 %), the first KEEP_NAMES of them."""
    from cluster_desk.core.check_facts import KEEP_NAMES

    order = _lowest(ratio, KEEP_NAMES)
    # (the names cut from their block at once: check_facts.names_at)
    return tuple(zip(names_at(names, rows[order]), [round(r, 6) for r in ratio[order].tolist()], strict=True))


def _lowest(values: FloatArray, k: int) -> IntArray:
    """``np.argsort(values, kind="stable")[:k]`` without sorting every value (no NaN in
    ``values``): those below the k-th smallest, sorted, then the first rows equal to it. When k
    or more share the smallest value (firms that sell nothing to other participants: a ratio of
    0), they are the first k rows holding it: np.partition slows down ~10 times on such ties
    (80,000 values, most of them 0: ~8 ms, where this takes ~0.1)."""
    if values.size <= k:
        return np.argsort(values, kind="stable")
    at_least = np.flatnonzero(values == values.min())
    if at_least.size >= k:
        return at_least[:k]
    kth = np.partition(values, k - 1)[k - 1]
    below = np.flatnonzero(values < kth)
    below = below[np.argsort(values[below], kind="stable")]
    return np.concatenate((below, np.flatnonzero(values == kth)[: k - below.size]))
