"""The cluster's network as arrays, and the measures of it the checks share (DOMAIN.md rules 3 and 7).

``Network`` holds the *participants* on a day (DOMAIN.md: status member, joined by then and not
left; a former member that had not left yet on a past day) and the links that count on it (both
ends participants, started on or before the day, not ended, no self-loop). The checks build it
from their arrays (``core.checks.context.Arrays.network``) and take from here the distinct
neighbours (``degree``), ``density``, the helix pairs and the seven gaps' coverage (the passport
too); the focal model and the registry rule are tallied in ``core.checks``. ``build_network``
makes the same network from records: the tests' and benches' way in. No Qt, no SQL.

Two counts of "links" appear: *links* are the recorded ties (two contracts between the same two
members are two links), *pairs* are distinct unordered member pairs (the graph's edges). Density
and degree are on pairs; the gaps count links.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from cluster_desk.core.model import (
    DIRECTED_KINDS,
    Helix,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

LINK_KINDS: tuple[LinkKind, ...] = tuple(LinkKind)
MEMBER_KINDS: tuple[MemberKind, ...] = tuple(MemberKind)
_LINK_CODE: dict[str, int] = {k.value: i for i, k in enumerate(LINK_KINDS)}
_MEMBER_CODE: dict[str, int] = {k.value: i for i, k in enumerate(MEMBER_KINDS)}
_DIRECTED = np.array([k in DIRECTED_KINDS for k in LINK_KINDS], dtype=np.bool_)
_FIRM = _MEMBER_CODE[MemberKind.FIRM]

#: The seven gaps (Sölvell 2015): id, firm-side kind, other kind (None: cluster-cluster, any).
GAPS: tuple[tuple[str, MemberKind, MemberKind | None], ...] = (
    ("business_science", MemberKind.FIRM, MemberKind.RESEARCH),
    ("business_education", MemberKind.FIRM, MemberKind.EDUCATION),
    ("business_finance", MemberKind.FIRM, MemberKind.FINANCE),
    ("business_authorities", MemberKind.FIRM, MemberKind.AUTHORITY),
    ("business_business", MemberKind.FIRM, MemberKind.FIRM),
    ("business_global_markets", MemberKind.FIRM, MemberKind.FOREIGN_PARTNER),
    ("cluster_cluster", MemberKind.PARTNER_CLUSTER, None),
)

HELIX_PAIRS: tuple[tuple[Helix, Helix], ...] = (
    (Helix.BUSINESS, Helix.GOVERNMENT),
    (Helix.BUSINESS, Helix.SCIENCE),
    (Helix.GOVERNMENT, Helix.SCIENCE),
)


def is_participant(m: Member, day: str) -> bool:
    """DOMAIN.md: counts on ``day`` (ISO date). Candidates and drafts never count."""
    if m.status in (Status.CANDIDATE, Status.DRAFT) or (m.joined is not None and m.joined > day):
        return False
    if m.status == Status.MEMBER:
        return m.left is None or m.left > day
    return m.left is not None and m.left > day  # former: had joined and not yet left on that day


@dataclass(frozen=True, eq=False)
class Network:
    """Participants and the links among them that count on ``day``, as parallel arrays."""

    day: str
    members: Sequence[Member]  # participants, row order
    links: Sequence[Link]  # the links that count, in the order given
    index: dict[str, int]  # member id -> row
    kind: IntArray  # member kind code per row (MEMBER_KINDS)
    #: Per counted link: row of its source / target. int32 or int64: every measure here widens
    #: them before arithmetic that could pass 2**31 (a pair's code, row * n + row), so a caller
    #: may keep them in 32 bits (issue 17: a million members' day network, ~20 MB less).
    src: IntArray
    dst: IntArray
    link_kind: IntArray  # LINK_KINDS code per counted link
    volume: FloatArray  # roubles a year, NaN where unknown
    #: Member id per row, when the caller has them as an array (ids() is then one numpy take).
    id_array: npt.NDArray[np.object_] | None = None
    #: Per row, where its id is in ``id_array`` (None: ``id_array`` is one id a row already): the
    #: caller's own column of every member's id, not a copy (issue 17: a million members, 7 MB).
    id_rows: npt.NDArray[np.integer[Any]] | None = None
    #: Figures computed from this network once (it never changes): measure name -> value. A
    #: network patched after a link edit gets some from its tallies (core.checks.tallies).
    memo: dict[Any, Any] = field(init=False, repr=False, default_factory=dict)

    def _pairs(self) -> tuple[IntArray, IntArray]:
        """The distinct unordered pairs (a < b), sorted: computed when first asked (a sort of
        every link; the checks of a patched network read the tallies' degrees instead)."""
        got: tuple[IntArray, IntArray] | None = self.memo.get("pairs")
        if got is None:
            n = max(len(self.members), 1)
            code = _pair_codes(self.src, self.dst, n)
            if code.size:
                code = code[np.concatenate(([True], code[1:] != code[:-1]))]
            # Kept as int32 member rows when they fit (read by bincount and as sparse indexes:
            # a million members' network kept ~24 MB less while the checks run, issue 17).
            narrow = np.int32 if n < 2**31 else np.int64
            pairs: Any = ((code // n).astype(narrow), (code % n).astype(narrow))
            got = self.memo["pairs"] = pairs
        return got

    @property
    def pair_a(self) -> IntArray:
        return self._pairs()[0]

    @property
    def pair_b(self) -> IntArray:
        return self._pairs()[1]

    @property
    def n(self) -> int:
        return len(self.members)

    @property
    def link_count(self) -> int:
        return int(self.src.size)

    @property
    def pair_count(self) -> int:
        known = self.memo.get("pair_count")
        return int(self.pair_a.size) if known is None else int(known)

    def ids(self, rows: IntArray | Sequence[int]) -> list[str]:
        if self.id_array is not None:
            at = np.asarray(rows, dtype=np.int64)
            out: list[str] = self.id_array[at if self.id_rows is None else self.id_rows[at]].tolist()
            return out
        ms = self.members
        return [ms[i].id for i in np.asarray(rows, dtype=np.int64).tolist()]

    def names(self, rows: IntArray | Sequence[int]) -> list[str]:
        ms = self.members
        return [ms[i].name for i in np.asarray(rows, dtype=np.int64).tolist()]


def build_network(members: Sequence[Member], links: Sequence[Link], on: str | None = None) -> Network:
    """The network on ``on`` (ISO date, default today)."""
    day = on or date.today().isoformat()
    ms = [m for m in members if is_participant(m, day)]
    index = {m.id: i for i, m in enumerate(ms)}
    kind = np.fromiter((_MEMBER_CODE[m.kind] for m in ms), np.int64, len(ms))
    get = index.get
    kept: list[Link] = []
    src: list[int] = []
    dst: list[int] = []
    for lk in links:
        a = get(lk.source)
        b = get(lk.target)
        if a is None or b is None or a == b:
            continue
        if (lk.start is not None and lk.start > day) or (lk.end is not None and lk.end <= day):
            continue
        kept.append(lk)
        src.append(a)
        dst.append(b)
    m = len(kept)
    link_kind = np.fromiter((_LINK_CODE[lk.kind] for lk in kept), np.int64, m)
    volume = np.fromiter((math.nan if lk.volume is None else lk.volume for lk in kept), np.float64, m)
    return Network(
        day, ms, kept, index, kind,
        np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), link_kind, volume,
    )  # fmt: skip


# --- structure ------------------------------------------------------------------------------------


def degree(net: Network) -> IntArray:
    """Distinct neighbours of each participant (kept in the network's memo: three checks ask;
    callers only read it)."""
    d: IntArray | None = net.memo.get("degree")
    if d is None:
        if "pairs" in net.memo:
            d = np.bincount(net.pair_a, minlength=net.n) + np.bincount(net.pair_b, minlength=net.n)
        else:
            d, net.memo["pair_count"] = _degree_of_links(net)
        d.flags.writeable = False
        net.memo["degree"] = d
    return d


#: Links from which the pair codes are grouped by their smaller end before they are sorted.
_GROUP_MIN_LINKS = 2_000


def _pair_codes(src: IntArray, dst: IntArray, n: int) -> npt.NDArray[np.int64]:
    """Each link's unordered pair as the code a * n + b (a <= b), sorted: repeats side by side.

    Many links are first put in order of the top 16 bits of their smaller end (``_group_key``;
    a stable argsort of 16-bit keys is numpy's radix sort: linear), then sorted by timsort,
    which merges what is then nearly in order: a million members' 2.5 million codes ~150 ->
    ~75 ms of CPU (issue 17), in the file's order of links or shuffled; 300,000 links ~14 -> ~6
    ms. The same sorted codes either way."""
    low = np.minimum(src, dst)
    code = low.astype(np.int64)  # (int32 rows: n * n passes 2**31)
    code *= n
    code += np.maximum(src, dst)
    key = _group_key(low, n)
    del low
    if key is None:
        code.sort()
        return code
    code = np.take(code, np.argsort(key, kind="stable"))
    del key
    code.sort(kind="stable")
    return code


def _group_key(low: IntArray, n: int) -> npt.NDArray[np.uint16] | None:
    """The top 16 bits of each link's smaller end (of rows below ``n``; ``low``, shifted in
    place: a copy the caller no longer needs; ~10 MB of fresh pages fewer), or None where grouping
    by them does not pay: below _GROUP_MIN_LINKS links (the argsort's set-up costs more than it
    saves), or when one key holds over half the links (a hub on the lowest rows: timsort would
    sort that block from scratch, slower than numpy's sort of them all)."""
    if low.size < max(_GROUP_MIN_LINKS, 1):
        return None
    np.right_shift(low, max(0, (n - 1).bit_length() - 16), out=low)  # (the caller's own copy)
    key = low.astype(np.uint16)
    return key if int(np.bincount(key).max()) <= low.size // 2 else None


def _degree_of_links(net: Network) -> tuple[IntArray, int]:
    """``degree`` and the distinct pairs' count straight from the links, the pairs never kept
    (issue 17: a million members' pairs, ~20 MB held while every rule ran, and their int64
    transients): each pair's code a * n + b, sorted. A member's distinct neighbours are its links'
    ends less a repeat's: the links' ends are counted from ``src`` and ``dst`` as they are, and
    only the repeats' codes (few, often none) are divided back into their ends (two int64
    divisions and masked writes over every link fewer: ~0.6 ms a network at 300,000 links). A
    network taken from a wider one (``within`` in its memo: checks.context.Arrays.network's year
    before) looks for its repeats among the wider one's only, with no sort of every code (~6 ms
    less for the year before's network and degree at 100,000 members, session 23)."""
    n = max(net.n, 1)
    wider = net.memo.pop("within", None)
    known = None if wider is None else wider.memo.get("repeats")
    if known is not None:
        again = _repeats_among(net.src, net.dst, n, known)
    else:
        code = _pair_codes(net.src, net.dst, n)
        again = code[np.flatnonzero(code[1:] == code[:-1])]  # (a repeat's code: its pair's)
        del code
    # Each extra link of a pair, by its code (sorted; few, often none): what a network made of
    # some of these links (checks.context.Arrays.network's year before) looks among. Not kept
    # when many (a roster of pairs linked over and over: that network sorts its own codes).
    if again.size <= net.src.size // 4:
        net.memo["repeats"] = again
    pair_count = int(net.src.size - again.size)
    d = np.bincount(net.src, minlength=net.n)
    d += np.bincount(net.dst, minlength=net.n)
    if again.size:
        d -= np.bincount(again // n, minlength=net.n)
        d -= np.bincount(again % n, minlength=net.n)
    return d, pair_count


def _repeats_among(src: IntArray, dst: IntArray, n: int, known: IntArray) -> IntArray:
    """``_degree_of_links``' repeats of these links, given ``known``, those of a network of the
    same rows holding every one of them (a pair repeated here is repeated there): only the links
    whose smaller end is one of those pairs' are coded, and only theirs sorted."""
    if not known.size:
        return known
    mark = np.zeros(n, dtype=np.bool_)
    mark[known // n] = True
    low = np.minimum(src, dst)
    at = np.flatnonzero(mark[low])
    code = low[at].astype(np.int64)
    code *= n
    code += np.maximum(src[at], dst[at])
    code = code[np.isin(code, known)]
    code.sort()
    again: IntArray = code[1:][code[1:] == code[:-1]]
    return again


def density(net: Network) -> float:
    """Distinct linked pairs ÷ n(n−1)/2 (DOMAIN.md rule 7); 0 below two participants."""
    possible = net.n * (net.n - 1) // 2
    return net.pair_count / possible if possible else 0.0


# --- rule 3: helix pairs ----------------------------------------------------------------------------


def helix_pairs_from(ends: IntArray) -> dict[str, int]:
    """Links between participants of each pair of helix strands ("business-government", ...), from
    the links counted per (strand + 1 at the source, strand + 1 at the target) (rule 3)."""
    k = len(Helix) + 1
    square = ends.reshape(k, k)
    strands = list(Helix)
    out: dict[str, int] = {}
    for x, y in HELIX_PAIRS:
        i, j = strands.index(x) + 1, strands.index(y) + 1
        out[f"{x.value}-{y.value}"] = int(square[i, j] + square[j, i])
    return out


# --- rule 7: gaps -----------------------------------------------------------------------------------


def gap_coverage(net: Network) -> dict[str, dict[str, Any]]:
    """Per gap: firms (or participants, for cluster-cluster) covered, and the share of firms.

    business_business counts horizontal links only: a supply chain is not cooperation between peers.

    The other five gaps pair a firm with another kind: each link's firm end is marked once in a
    (kind at the other end, firm) table, so a gap's firms are one row's count. (Four
    comparisons and two scatters over every link for each gap read ~40 arrays the links' size,
    past the CPU caches at 100,000 members: the time grew as n^1.2; issue 17.)
    """
    n, n_kinds = net.n, len(MEMBER_KINDS)
    kind = net.kind.astype(np.int8)  # (one byte a member: the two lookups below stay in cache)
    n_firms = int(np.count_nonzero(kind == _FIRM))
    ka, kb = kind[net.src], kind[net.dst]
    fa, fb = ka == _FIRM, kb == _FIRM
    other_a, other_b = kb[fa], ka[fb]  # the kind at the other end of each firm end
    marked = np.zeros(n_kinds * n, dtype=np.bool_)
    marked[other_a.astype(np.int64) * n + net.src[fa]] = True
    marked[other_b.astype(np.int64) * n + net.dst[fb]] = True
    ends = np.bincount(other_a, minlength=n_kinds) + np.bincount(other_b, minlength=n_kinds)
    out: dict[str, dict[str, Any]] = {}
    for gid, k1, k2 in GAPS:
        c1 = _MEMBER_CODE[k1]
        covered = np.zeros(n, dtype=np.bool_)
        if k2 is None:  # any participant linked to a partner cluster (the non-cluster end counts)
            pa, pb = ka == c1, kb == c1
            covered[net.src[pb & ~pa]] = True
            covered[net.dst[pa & ~pb]] = True
            out[gid] = {"covered": int(np.count_nonzero(covered)),
                        "links": int(np.count_nonzero(pa | pb)), "share": None}
            continue
        c2 = _MEMBER_CODE[k2]
        if c1 != _FIRM:  # (every pair gap has a firm side: GAPS)
            raise ValueError(f"gap {gid}: the first kind must be a firm")
        if c2 == _FIRM:  # horizontal firm-firm links only: both ends count
            pick = fa & fb & ~_DIRECTED[net.link_kind]
            covered[net.src[pick]] = True
            covered[net.dst[pick]] = True
            count, links = int(np.count_nonzero(covered)), int(np.count_nonzero(pick))
        else:  # each such link has one firm end
            count, links = int(np.count_nonzero(marked[c2 * n:(c2 + 1) * n])), int(ends[c2])
        out[gid] = {"covered": count, "links": links, "share": (count / n_firms) if n_firms else None}
    return out
