"""Rules 5, 7 and 8 of DOMAIN.md, on the links counting on the day: the focal model (a)-(d), links
and the seven gaps (coverage, trend), and the registry pre-check (Decree 779)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from cluster_desk.core.check_facts import (
    GAP_IDS,
    CheckResult,
    CheckStatus,
    FocalFacts,
    GapFacts,
    LinksFacts,
    RegistryFacts,
)
from cluster_desk.core.checks.context import (
    FIRM,
    MEMBER_CODE,
    Arrays,
    FloatArray,
    IntArray,
    capped,
)
from cluster_desk.core.checks.settings_use import uses
from cluster_desk.core.model import DIRECTED_KINDS, QUALIFYING_KINDS, ClusterSettings, MemberKind, sme_limit
from cluster_desk.core.network import GAPS, LINK_KINDS, Network, degree, density, horizontal_share

#: Too few figures to judge: with 2 firms one always holds >= 50 %; in a complete network of 4
#: everyone touches 50 %; two selling SMEs make the share 0, 50 or 100 %.
FOCAL_MIN_FIRMS = 3
FOCAL_MIN_LINKED = 5
FOCAL_MIN_SELLERS = 3
_DIRECTED = np.array([k in DIRECTED_KINDS for k in LINK_KINDS], dtype=np.bool_)
_QUALIFYING = np.array([k in QUALIFYING_KINDS for k in LINK_KINDS], dtype=np.bool_)
_NOT_COUNTED = np.array([MEMBER_CODE[MemberKind.FOREIGN_PARTNER], MEMBER_CODE[MemberKind.PARTNER_CLUSTER]])
_CLUSTER_ORG = MEMBER_CODE[MemberKind.CLUSTER_ORG]


def focal(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings) -> CheckResult:
    n = net.n
    firm = net.kind == FIRM
    emp = a.employees[rows]
    firm_emp = np.where(firm, emp, np.nan)
    known = np.isfinite(firm_emp)
    n_known = int(known.sum())
    total = float(np.nansum(firm_emp))
    emp_share = anchor = None
    if n_known and total > 0:
        anchor = int(np.nanargmax(firm_emp))
        emp_share = float(firm_emp[anchor]) / total
    d = degree(net)
    linked = int(np.count_nonzero(d))
    hub = link_share = None
    if net.pair_count:
        hub = int(np.argmax(d))
        link_share = float(d[hub]) / net.pair_count
    # (c) dependence: SME firms that sell inside (directed links, seller = source); their sales
    # weighed by contract volume where every sale of that seller has one, else by link count.
    sme = firm & (emp >= 0) & (emp <= sme_limit(s.size_scheme))
    directed = _DIRECTED[net.link_kind]
    seller, buyer, vol = net.src[directed], net.dst[directed], net.volume[directed]
    selling = sme[seller]
    seller, buyer, vol = seller[selling], buyer[selling], vol[selling]
    sellers = np.flatnonzero(np.bincount(seller, minlength=n))  # sorted, as np.unique (no sort)
    dependent = np.zeros(0, dtype=np.int64)
    main_of = np.zeros(0, dtype=np.int64)
    by: Literal["volume", "links", "mixed", ""] = ""
    if seller.size:
        missing = np.bincount(seller, weights=np.isnan(vol).astype(np.float64), minlength=n) > 0
        weight = np.where(missing[seller], 1.0, np.nan_to_num(vol))
        by_links = missing[sellers]
        by = "links" if by_links.all() else "volume" if not by_links.any() else "mixed"
        code = seller * n + buyer
        uniq, inv = np.unique(code, return_inverse=True)
        per_pair = np.bincount(inv, weights=weight)
        pair_seller, pair_buyer = uniq // n, uniq % n
        total_sold = np.bincount(pair_seller, weights=per_pair, minlength=n)
        # Per seller, its largest buyer (the lowest row among equals). ``uniq`` is sorted, so the
        # pairs come grouped by seller: group maxima without a second sort.
        starts = np.concatenate(([True], pair_seller[1:] != pair_seller[:-1]))
        group = np.cumsum(starts) - 1
        at_max = np.flatnonzero(per_pair == np.maximum.reduceat(per_pair, np.flatnonzero(starts))[group])
        first = at_max[np.concatenate(([True], group[at_max][1:] != group[at_max][:-1]))]
        frac = per_pair[first] / np.maximum(total_sold[pair_seller[first]], 1e-300)
        dep = frac > 0.5
        dependent = pair_seller[first][dep]
        main_of = pair_buyer[first][dep]
    n_sell = int(sellers.size)
    dependence = dependent.size / n_sell if n_sell else None
    main_buyer = None
    main_count = 0
    if main_of.size:
        counts = np.bincount(main_of, minlength=n)
        top = int(np.argmax(counts))
        main_buyer, main_count = net.members[top].name, int(counts[top])
    touching = sme[net.src] | sme[net.dst]
    both = sme[net.src] & sme[net.dst]
    n_touch = int(np.count_nonzero(touching))
    bypass = int(np.count_nonzero(both)) / n_touch if n_touch else None
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
            anchors.append(int(np.argmax(np.bincount(main_of, minlength=n))))
    judged = emp_judged or link_judged or dep_judged
    anchor_rows = list(dict.fromkeys(anchors))
    facts = FocalFacts(
        branch="too_little_data" if not judged else "focal" if flagged else "balanced",
        firms_with_employees=n_known,
        linked_members=linked,
        employment_share=emp_share,
        anchor=None if anchor is None else net.members[anchor].name,
        link_share=link_share,
        hub=None if hub is None else net.members[hub].name,
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
        anchors=tuple(net.names(anchor_rows)),
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


def _gap_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (source kind, target kind, horizontal): the gap the link counts for, the gap its source
    end covers and the gap its target end covers (index into GAPS, -1: none). Every gap but
    cluster_cluster joins a firm to another kind; business_business counts horizontal links only;
    cluster_cluster covers the participant at the other end of a partner cluster's link. A link
    belongs to one gap at most (asserted)."""
    k = len(MEMBER_CODE)
    link = np.full(k * k * 2, -1, dtype=np.int64)
    at_src, at_dst = link.copy(), link.copy()
    firm, pc = MEMBER_CODE[MemberKind.FIRM], MEMBER_CODE[MemberKind.PARTNER_CLUSTER]
    for ka in range(k):
        for kb in range(k):
            for horizontal in (0, 1):
                i = (ka * k + kb) * 2 + horizontal
                for g, (_gid, k1, k2) in enumerate(GAPS):
                    if k2 is None:
                        assert k1 is MemberKind.PARTNER_CLUSTER
                        counts, src, dst = pc in (ka, kb), kb == pc != ka, ka == pc != kb
                    elif k2 is MemberKind.FIRM:
                        counts = src = dst = ka == kb == firm and bool(horizontal)
                    else:
                        assert k1 is MemberKind.FIRM
                        src, dst = ka == firm and kb == MEMBER_CODE[k2], kb == firm and ka == MEMBER_CODE[k2]
                        counts = src or dst
                    for table, hit in ((link, counts), (at_src, src), (at_dst, dst)):
                        if hit:
                            assert table[i] == -1, "a link in two gaps"
                            table[i] = g
    return link, at_src, at_dst


_GAP_LINK, _GAP_SRC, _GAP_DST = _gap_tables()


def _count_gaps(counts: np.ndarray, links: np.ndarray, kind: np.ndarray, src: np.ndarray, dst: np.ndarray,
                link_kind: np.ndarray, sign: int) -> None:
    """Add (sign 1) or take away (-1) these links' ties: per gap and participant, the links that
    cover it (``counts``), and per gap the links (``links``)."""
    g_count, n = counts.shape
    code = (kind[src] * len(MEMBER_CODE) + kind[dst]) * 2 + ~_DIRECTED[link_kind]
    g = _GAP_LINK[code]
    links += sign * np.bincount(g[g >= 0], minlength=g_count)
    for table, ends in ((_GAP_SRC, src), (_GAP_DST, dst)):
        g = table[code]
        hit = g >= 0
        if src.size > 1_000:
            counts += sign * np.bincount(g[hit] * n + ends[hit], minlength=g_count * n).reshape(g_count, n)
        else:
            np.add.at(counts, (g[hit], ends[hit]), sign)


def _gap_counts(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """(per gap and participant: the links that cover it, per gap: its links), kept in the
    network's memo. A network patched after a link edit (Arrays.network) derives them from the
    network it came from: only the links taken out and put in are counted."""
    memo = net.memo
    if "gap_counts" not in memo:
        origin = memo.pop("patched_from", None)
        if origin is not None and "gap_counts" in origin[0].memo:
            parent, (g_src, g_dst, g_kind), (a_src, a_dst, a_kind) = origin
            counts, links = (x.copy() for x in parent.memo["gap_counts"])
            _count_gaps(counts, links, net.kind, g_src, g_dst, g_kind, -1)
            _count_gaps(counts, links, net.kind, a_src, a_dst, a_kind, 1)
        else:
            counts = np.zeros((len(GAPS), net.n), dtype=np.int32)
            links = np.zeros(len(GAPS), dtype=np.int64)
            _count_gaps(counts, links, net.kind, net.src, net.dst, net.link_kind, 1)
        memo["gap_counts"] = (counts, links)
    out: tuple[np.ndarray, np.ndarray] = memo["gap_counts"]
    return out


def gap_masks(net: Network) -> dict[str, tuple[np.ndarray, int]]:
    """Per gap: which participants have such a tie (firms; any participant for cluster_cluster)
    and how many links of that pair there are. business_business: horizontal links only."""
    counts, links = _gap_counts(net)
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


def links(net: Network, s: ClusterSettings, year_ago: Network | None) -> CheckResult:
    n = net.n
    states = gap_states(net, s.gap_min_coverage)
    before = {}
    if year_ago is not None:  # a year earlier: often the same network as at the last run
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
            capped(net.members, np.flatnonzero(st[4])),
            before[gid][1] if gid in before else None,
            before[gid][3] if gid in before else None,
        )
        for gid in GAP_IDS
        for st in (states[gid],)
    )
    d = degree(net)
    iso = np.flatnonzero(d == 0)
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
        horizontal_share(net),
        capped(net.members, iso),
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


def registry(a: Arrays, rows: IntArray, net: Network, s: ClusterSettings) -> CheckResult:
    counted_mask = ~np.isin(net.kind, _NOT_COUNTED)
    counted = np.flatnonzero(counted_mask)
    firms = np.flatnonzero(counted_mask & (net.kind == FIRM))
    territory = a.special[rows]
    t_share = float(np.count_nonzero(territory[counted])) / counted.size if counted.size else 0.0
    lowered = t_share >= s.registry_special_territory_share - 1e-12
    threshold = s.registry_special_share if lowered else s.registry_share
    used = uses(
        s,
        "registry_share",
        "registry_special_share",
        "registry_special_territory_share",
        "registry_max_unlinked",
    )
    has_org = bool(np.any(net.kind == _CLUSTER_ORG))
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
    qual = _QUALIFYING[net.link_kind] & counted_mask[net.src] & counted_mask[net.dst]
    has = np.zeros(net.n, dtype=np.bool_)
    has[net.src[qual]] = True
    has[net.dst[qual]] = True
    without = counted[~has[counted]]
    organising = a.organising[rows]
    exempt = without[organising[without]]
    not_exempt = without[~organising[without]]
    vol = net.volume[qual]
    no_vol = np.isnan(vol)
    gone = qual.copy()
    gone[qual] = no_vol
    miss_vol_rows = np.flatnonzero(
        np.bincount(net.src[gone], minlength=net.n) + np.bincount(net.dst[gone], minlength=net.n))
    output = a.output[rows]
    firm_out = output[firms]
    missing_out = firms[np.isnan(firm_out)]
    total_out = float(np.nansum(firm_out))
    total_vol = float(vol[~no_vol].sum())
    dependence = total_vol / total_out if total_out > 0 else None
    sells = qual & _DIRECTED[net.link_kind] & ~np.isnan(net.volume)
    sold = np.bincount(net.src[sells], weights=net.volume[sells], minlength=net.n)
    with_out = firms[output[firms] > 0]
    ratio = np.minimum(sold[with_out] / output[with_out], 1.0)
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
        partial=bool(missing_out.size or no_vol.any()),
        missing_output=capped(net.members, missing_out),
        missing_volume=int(no_vol.sum()),
        missing_volume_members=capped(net.members, miss_vol_rows),
        without_contract=capped(net.members, without),
        exempt=capped(net.members, exempt),
        max_exempt=s.registry_max_unlinked,
        has_cluster_org=has_org,
        firm_shares=_lowest_shares(net, with_out, ratio),
        contract_short=contract_short,
        share_short=share_short,
    )
    ids = tuple(net.ids(not_exempt)) + tuple(net.ids(missing_out))
    value = None if dependence is None else round(dependence, 6)
    return CheckResult("registry", CheckStatus.WARNING if short else CheckStatus.OK, value, facts, ids, used)


def _lowest_shares(net: Network, rows: IntArray, ratio: FloatArray) -> tuple[tuple[str, float], ...]:
    """Per firm with output, the share it sells to other participants: the lowest first (those
    furthest from the seed's 20 %), the first KEEP_NAMES of them."""
    from cluster_desk.core.check_facts import KEEP_NAMES

    order = _lowest(ratio, KEEP_NAMES)
    ms = net.members
    return tuple((ms[int(rows[i])].name, round(float(ratio[i]), 6)) for i in order.tolist())


def _lowest(values: FloatArray, k: int) -> IntArray:
    """``np.argsort(values, kind="stable")[:k]`` without sorting every value (no NaN in
    ``values``): those below the k-th smallest, sorted, then the first rows equal to it."""
    if values.size <= k:
        return np.argsort(values, kind="stable")
    kth = np.partition(values, k - 1)[k - 1]
    below = np.flatnonzero(values < kth)
    below = below[np.argsort(values[below], kind="stable")]
    return np.concatenate((below, np.flatnonzero(values == kth)[: k - below.size]))
