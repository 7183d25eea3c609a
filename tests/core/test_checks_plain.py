"""The vectorised checks (issue 17) against plain per-member, per-link loops written from DOMAIN.md,
on random rosters with what trips vectorised code up: ties (equal head counts, volumes, degrees),
isolated members, self-links (never counted), the same tie recorded twice or reversed, links to
unknown ids, members with no coordinates, every status and kind, dated joins, leaves and links.

The loops here are the reference: the network on a day, each member's distinct neighbours, the
helix ties, the seven gaps, the registry rule's and the focal model's sums (core.checks.tallies).
The whole assessment is then compared between arrays built from records and from the file's rows
(names taken from the names list, not from records), and the counts of unlocated members with
a plain count.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict

import numpy as np
import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks import relations
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.tallies import GapTally, PairTally
from cluster_desk.core.model import (
    DIRECTED_KINDS,
    HELIX_OF_KIND,
    QUALIFYING_KINDS,
    ClusterSettings,
    Helix,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
    sme_limit,
)
from cluster_desk.core.network import GAPS, is_participant

DAYS = ("2026-06-01", "2024-06-01")
SETTINGS = (ClusterSettings(centre_lat=55.79, centre_lon=49.12, mass_min=5),
            ClusterSettings(size_scheme="eu", gap_min_coverage=0.02, org_fte=0.1))
PC, FIRM = MemberKind.PARTNER_CLUSTER, MemberKind.FIRM
NOT_COUNTED = (MemberKind.FOREIGN_PARTNER, MemberKind.PARTNER_CLUSTER)


def roster(seed: int, n: int = 160, m: int = 520) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    kinds = [FIRM] * 8 + list(MemberKind)
    members = [
        Member(f"name {i % 9}", rng.choice(kinds), rng.choice([Status.MEMBER] * 6 + list(Status)), id=f"m{i}",
               sector=rng.choice(["", "29.10", "C10.1", "62", "x"]), industry=rng.choice(list(Industry)),
               employees=rng.choice([None, 0, 10, 10, 250, 251, 400]),  # ties and both sides of the SME limit
               lat=None if rng.random() < 0.15 else 55 + rng.gauss(0, 2),
               lon=None if rng.random() < 0.05 else 49 + rng.gauss(0, 3),
               joined=rng.choice([None, "2019-01-01", "2025-01-01"]),
               left=rng.choice([None] * 5 + ["2025-03-01", "2030-01-01"]),
               output=rng.choice([None, 0.0, 1e6, 1e6, 3.3e7]),
               special_territory=rng.choice([SpecialTerritory.NONE] * 3 + list(SpecialTerritory)),
               organising_production=rng.random() < 0.1)
        for i in range(n)
    ]  # fmt: skip
    isolated = set(rng.sample(range(n), n // 10))  # never at an end of a link
    ends = [i for i in range(n) if i not in isolated]
    links: list[Link] = []
    for j in range(m):
        a, b = rng.choice(ends), rng.choice(ends)
        roll = rng.random()
        if roll < 0.05:
            b = a  # a self-link: refused by every rule
        elif roll < 0.15 and links:  # the same tie again, maybe reversed
            old = links[rng.randrange(len(links))]
            a, b = int(old.source[1:]), int(old.target[1:])
            a, b = (b, a) if rng.random() < 0.5 else (a, b)
        links.append(Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind)), id=f"l{j}",
                          start=rng.choice([None, None, "2020-01-01", "2025-09-01"]),
                          end=rng.choice([None] * 4 + ["2025-01-01"]),
                          volume=rng.choice([None, 1e5, 1e5, 0.1, 7e7])))
    links.append(Link("m0", "gone", LinkKind.SUPPLY, id="dangling"))
    return members, links


def counts_on(link: Link, day: str) -> bool:
    return (link.start is None or link.start <= day) and (link.end is None or link.end > day)


def plain_network(members: list[Member], links: list[Link], day: str) -> tuple[list[Member], list[Link]]:
    """DOMAIN.md: the participants on the day, and the links between two of them (not a self-link)
    that started by then and had not ended."""
    part = [m for m in members if is_participant(m, day)]
    ids = {m.id for m in part}
    kept = [lk for lk in links if lk.source in ids and lk.target in ids and lk.source != lk.target
            and counts_on(lk, day)]
    return part, kept


def strand(kind: MemberKind) -> int:
    h = HELIX_OF_KIND[kind]
    return 0 if h is None else list(Helix).index(h) + 1


def plain_gaps(link: Link, kind: dict[str, MemberKind]) -> list[tuple[int, list[str]]]:
    """(gap, members it covers) for each gap this link counts for (DOMAIN.md rule 7)."""
    ka, kb = kind[link.source], kind[link.target]
    out = []
    for g, (gid, k1, k2) in enumerate(GAPS):
        if k2 is None:  # any participant linked to a partner cluster
            if PC in (ka, kb):
                out.append((g, [e for e, k in ((link.source, ka), (link.target, kb)) if k != PC]))
        elif gid == "business_business":
            if ka == kb == FIRM and link.kind not in DIRECTED_KINDS:
                out.append((g, [link.source, link.target]))
        elif {ka, kb} == {k1, k2}:
            out.append((g, [link.source if ka == FIRM else link.target]))
    return out


def plain_main_buyer(sales: list[Link], row: dict[str, int]) -> int:
    """Rule 5 (c) of one SME seller: its main buyer's row when it sells more than half to one,
    else -1; by volume when every sale has one, else by count (sums in the tallies' order)."""
    by_count = any(lk.volume is None for lk in sales)
    per_buyer: dict[int, float] = defaultdict(float)
    for lk in sales:
        per_buyer[row[lk.target]] += 1.0 if by_count else float(lk.volume or 0.0)
    total = 0.0
    for b in sorted(per_buyer):
        total += per_buyer[b]
    best = max(per_buyer.values())
    top = min(b for b, v in per_buyer.items() if v == best)
    return top if best / max(total, 1e-300) > 0.5 else -1


@pytest.mark.parametrize("seed", range(4))
def test_network_tallies_equal_plain_loops(seed: int) -> None:
    members, links = roster(seed)
    a = Arrays(members, links)
    for day in DAYS:
        part, kept = plain_network(members, links, day)
        net, rows = a.network(day)
        assert net.ids(np.arange(net.n)) == [m.id for m in part]
        ends = list(zip(net.ids(net.src), net.ids(net.dst), strict=True))
        assert ends == [(lk.source, lk.target) for lk in kept]
        row = {m.id: i for i, m in enumerate(part)}
        kind = {m.id: m.kind for m in part}
        # distinct neighbours, pairs, horizontal links, helix ties
        near: dict[str, set[str]] = {m.id: set() for m in part}
        for lk in kept:
            near[lk.source].add(lk.target)
            near[lk.target].add(lk.source)
        pairs = PairTally.of(net)
        assert pairs.degree.tolist() == [len(near[m.id]) for m in part]
        assert pairs.pair_count == len({frozenset((lk.source, lk.target)) for lk in kept}) == net.pair_count
        assert pairs.horizontal == sum(lk.kind not in DIRECTED_KINDS for lk in kept)
        helix = Counter((strand(kind[lk.source]), strand(kind[lk.target])) for lk in kept)
        assert pairs.helix.reshape(4, 4).tolist() == [[helix[i, j] for j in range(4)] for i in range(4)]
        # the seven gaps
        covered = np.zeros((len(GAPS), len(part)), dtype=np.int64)
        gap_links = [0] * len(GAPS)
        for lk in kept:
            for g, who in plain_gaps(lk, kind):
                gap_links[g] += 1
                for mid in who:
                    covered[g, row[mid]] += 1
        gaps = GapTally.of(net)
        assert gaps.counts.tolist() == covered.tolist() and gaps.links.tolist() == gap_links
        for s in SETTINGS:
            rule_tally_equals_plain(a, rows, net, s, part, kept, row)


def rule_tally_equals_plain(a: Arrays, rows: np.ndarray, net: object, s: ClusterSettings, part: list[Member],
                            kept: list[Link], row: dict[str, int]) -> None:
    t = relations.rule_tally(a, rows, net, s)  # type: ignore[arg-type]
    by_id = {m.id: m for m in part}
    limit = sme_limit(s.size_scheme)
    sme = {m.id for m in part if m.kind == FIRM and m.employees is not None and 0 <= m.employees <= limit}
    n = len(part)
    qualified, unpriced, sales = [0] * n, [0] * n, [0] * n
    sold = [0.0] * n
    volumes: list[float] = []
    unpriced_links = 0
    for lk in kept:
        counted = not {by_id[lk.source].kind, by_id[lk.target].kind} & set(NOT_COUNTED)
        qual = lk.kind in QUALIFYING_KINDS and counted
        if qual:
            for end in (lk.source, lk.target):
                qualified[row[end]] += 1
                unpriced[row[end]] += lk.volume is None
            if lk.volume is None:
                unpriced_links += 1
            else:
                volumes.append(lk.volume)
                if lk.kind in DIRECTED_KINDS:
                    sold[row[lk.source]] += lk.volume
        if lk.kind in DIRECTED_KINDS and lk.source in sme:
            sales[row[lk.source]] += 1
    main = [-1] * n
    by_count = [False] * n
    for seller in sme:
        theirs = [lk for lk in kept if lk.source == seller and lk.kind in DIRECTED_KINDS]
        if theirs:
            main[row[seller]] = plain_main_buyer(theirs, row)
            by_count[row[seller]] = any(lk.volume is None for lk in theirs)
    assert t.qualified.tolist() == qualified and t.unpriced.tolist() == unpriced
    assert t.sold.tolist() == sold  # the same sums in the same order: equal to the last bit
    assert t.sales.tolist() == sales and t.main.tolist() == main and t.by_count.tolist() == by_count
    assert t.depend_on.tolist() == [sum(b == i for b in main) for i in range(n)]
    assert t.volume.value == math.fsum(volumes) and t.unpriced_links == unpriced_links
    assert t.touching_sme == sum(lk.source in sme or lk.target in sme for lk in kept)
    assert t.both_sme == sum(lk.source in sme and lk.target in sme for lk in kept)


def _rows_of(members: list[Member], links: list[Link]) -> Arrays:
    """The arrays as the window's first assessment reads them: from the file's values, no record."""
    return Arrays.from_rows(
        [[(m.id, m.name, m.kind.value, m.status.value, m.sector, m.industry.value, m.employees, m.lat, m.lon,
           m.joined, m.left, m.output, m.special_territory.value, m.organising_production) for m in members]],
        [[(lk.id, lk.source, lk.target, lk.kind.value, lk.start, lk.end, lk.volume) for lk in links]])


@pytest.mark.parametrize("seed", range(3))
def test_assessment_from_rows_equals_the_one_from_records(seed: int) -> None:
    members, links = roster(100 + seed)
    candidates = [m.id for m in members if m.status in (Status.CANDIDATE, Status.DRAFT)][:4]
    for s in SETTINGS:
        for day in DAYS:
            for as_if in ((), candidates):
                from_records = assess_arrays(Arrays(members, links), s, on=day, as_if=as_if)
                from_rows = assess_arrays(_rows_of(members, links), s, on=day, as_if=as_if)
                assert repr(from_rows) == repr(from_records)
                mass = from_records[0].facts
                counted = [m for m in members if is_participant(m, day) or m.id in as_if]
                unlocated = [m.name for m in counted if m.kind == FIRM
                             and m.industry != Industry.UNSPECIFIED and (m.lat is None or m.lon is None)]
                assert list(mass.unlocated) == unlocated  # type: ignore[attr-defined]
