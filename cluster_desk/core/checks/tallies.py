"""Sums over a day's links that the network checks read, kept up to date link by link.

A check after one link edit (issue 12: within 50 ms at 300,000 links) should not pass over every
link again. Each tally here is built from a day's Network by one vectorised pass (``build``: the
reference) and lives in that network's memo. When Arrays.patch_links patches the network, every
tally in its memo gets a :class:`~cluster_desk.core.checks.context.Delta` (the links taken out and
put in, and the patched network) and returns its copy for the patched network (``patched``):
cluster-wide counts move by those links alone; the per-member values of the links' ends are
recomputed from the ends' own links, in row order, so every float adds up in the same order as
in a fresh build, bit for bit (tests compare patched tallies and results with fresh ones).

- :class:`PairTally`: distinct neighbours per member, distinct pairs, horizontal links, the helix
  ties (the links check's density and isolated members, the focal model's hub, rule 3).
- :class:`GapTally`: per gap and member the links that cover it, per gap its links (rule 7).
- :class:`RuleTally`: the registry rule's qualifying contracts, volumes and sales; the focal
  model's SME sellers and their main buyers (rules 5 and 8).
Why ~550 lines: each tally's full build and its patch sit side by side (a patch must give what
the build gives, bit for bit), with the exact sum and the gap tables they share.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from cluster_desk.core.checks.context import Patchable
from cluster_desk.core.model import DIRECTED_KINDS, HELIX_OF_KIND, QUALIFYING_KINDS, Helix, MemberKind
from cluster_desk.core.network import GAPS, LINK_KINDS, MEMBER_KINDS, Network, degree

if TYPE_CHECKING:
    from cluster_desk.core.checks.context import BoolArray, Delta, FloatArray, IntArray

_MEMBER_CODE = {k.value: i for i, k in enumerate(MEMBER_KINDS)}
_DIRECTED = np.array([k in DIRECTED_KINDS for k in LINK_KINDS], dtype=np.bool_)
_QUALIFYING = np.array([k in QUALIFYING_KINDS for k in LINK_KINDS], dtype=np.bool_)
#: Not counted by the registry rule (Decree 779 counts participants in Russia only).
NOT_COUNTED = np.array([_MEMBER_CODE[MemberKind.FOREIGN_PARTNER], _MEMBER_CODE[MemberKind.PARTNER_CLUSTER]])
_STRANDS = list(Helix)
#: Helix strand + 1 per member kind (0: no strand).
STRAND_OF_KIND = np.array([0 if HELIX_OF_KIND[k] is None else _STRANDS.index(HELIX_OF_KIND[k]) + 1  # type: ignore[arg-type]
                           for k in MEMBER_KINDS], dtype=np.int64)
HELIX_SIDE = len(Helix) + 1
#: Above this many members touched by one patch, a fresh build is cheaper than the patch.
PATCH_MAX_TOUCHED = 5_000


def _ends(net: Network, rows: IntArray) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    return net.src[rows], net.dst[rows], net.link_kind[rows], net.volume[rows]


def _places(members: IntArray, rows: IntArray) -> tuple[IntArray, BoolArray]:
    """Where each of ``rows`` is in the sorted ``members`` (0 where it is not), and whether it is."""
    at = np.minimum(np.searchsorted(members, rows), max(members.size - 1, 0))
    found = members[at] == rows if members.size else np.zeros(rows.size, dtype=np.bool_)
    return np.where(found, at, 0), found


def _readonly(*arrays: np.ndarray) -> None:
    for x in arrays:
        x.flags.writeable = False


class PairTally(Patchable):
    """Distinct neighbours of each member (``degree``), distinct pairs, horizontal links, links
    per pair of helix strands (``helix``, HELIX_SIDE x HELIX_SIDE: strand + 1 at each end).
    ``fixed``: figures of the members alone, shared by the patched copies (same members)."""

    __slots__ = ("degree", "fixed", "helix", "horizontal", "pair_count")

    def __init__(self, degree: IntArray, pair_count: int, horizontal: int, helix: IntArray,
                 fixed: dict[str, Any]) -> None:
        _readonly(degree, helix)
        self.degree, self.pair_count, self.horizontal = degree, pair_count, horizontal
        self.helix, self.fixed = helix, fixed

    @staticmethod
    def of(net: Network) -> PairTally:
        got = net.memo.get("pair_tally")
        if got is None:
            got = net.memo["pair_tally"] = PairTally.build(net)
        assert isinstance(got, PairTally)
        return got

    @staticmethod
    def build(net: Network) -> PairTally:
        per_code = code_counts(net)
        helix = np.zeros(HELIX_SIDE ** 2, dtype=np.int64)
        np.add.at(helix, _HELIX_OF_CODE, per_code)  # per code, then per pair of strands: exact ints
        horizontal = int(per_code[_HORIZONTAL_OF_CODE].sum())
        d = degree(net)  # (the pairs' count with it: the pairs are not kept)
        return PairTally(d, net.pair_count, horizontal, helix, {})

    def patched(self, delta: Delta) -> PairTally:
        net, touched, rows = delta.net, delta.touched, delta.incident
        n = max(net.n, 1)
        src, dst = net.src[rows], net.dst[rows]
        low = np.minimum(src, dst).astype(np.int64)  # (int32 network rows: n * n passes 2**31)
        codes = np.unique(low * n + np.maximum(src, dst))  # every pair touching them
        (a_at, a_in), (b_at, b_in) = _places(touched, codes // n), _places(touched, codes % n)
        k = touched.size
        near = np.bincount(a_at[a_in], minlength=k) + np.bincount(b_at[b_in], minlength=k)
        new_degree = self.degree.copy()
        new_degree[touched] = near
        pair_count = self.pair_count + (int(new_degree[touched].sum()) - int(self.degree[touched].sum())) // 2
        horizontal = self.horizontal
        helix = self.helix.copy()
        strand = STRAND_OF_KIND[net.kind]
        for sign, (a, b, kind, _vol) in ((-1, delta.gone), (1, delta.came)):
            horizontal += sign * int(np.count_nonzero(~_DIRECTED[kind]))
            np.add.at(helix, strand[a] * HELIX_SIDE + strand[b], sign)
        out = PairTally(new_degree, pair_count, horizontal, helix, self.fixed)
        net.memo["degree"] = new_degree  # what core.network.degree() and pair_count would compute
        net.memo["pair_count"] = pair_count
        return out

    def equal(self, other: PairTally) -> bool:
        """The same figures (the tests' check that a patched tally is a fresh one)."""
        return (np.array_equal(self.degree, other.degree) and np.array_equal(self.helix, other.helix)
                and (self.pair_count, self.horizontal) == (other.pair_count, other.horizontal))


# --- rule 7: the gaps ----------------------------------------------------------------------------


def _gap_tables() -> tuple[IntArray, IntArray, IntArray]:
    """Per (source kind, target kind, horizontal): the gap the link counts for, the gap its source
    end covers and the gap its target end covers (index into GAPS, -1: none). Every gap but
    cluster_cluster joins a firm to another kind; business_business counts horizontal links only;
    cluster_cluster covers the participant at the other end of a partner cluster's link. A link
    belongs to one gap at most (asserted)."""
    k = len(_MEMBER_CODE)
    link = np.full(k * k * 2, -1, dtype=np.int64)
    at_src, at_dst = link.copy(), link.copy()
    firm, pc = _MEMBER_CODE[MemberKind.FIRM], _MEMBER_CODE[MemberKind.PARTNER_CLUSTER]
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
                        other = _MEMBER_CODE[k2]
                        src, dst = ka == firm and kb == other, kb == firm and ka == other
                        counts = src or dst
                    for table, hit in ((link, counts), (at_src, src), (at_dst, dst)):
                        if hit:
                            assert table[i] == -1, "a link in two gaps"
                            table[i] = g
    return link, at_src, at_dst


_GAP_LINK, _GAP_SRC, _GAP_DST = _gap_tables()
#: Up to this many cells (gaps x members), the gap tally is one bincount over both ends (int64
#: bins: 8 MB at ~150,000 members; ~2x faster than grouping); above, each gap's row is counted
#: from the ends grouped by gap, one row at a time (memory: see _gaps_built).
ONE_GAP_BINCOUNT = 1 << 20
_GAP_SRC_8, _GAP_DST_8 = _GAP_SRC.astype(np.int8), _GAP_DST.astype(np.int8)
#: How many link codes there are (``link_codes``: the kinds at both ends and horizontal or not).
LINK_CODES = len(_MEMBER_CODE) ** 2 * 2
#: Per link code: the helix pair it counts for (strand + 1 at the source * HELIX_SIDE + at the
#: target), whether both ends are counted by the registry rule, whether it is horizontal.
_HELIX_OF_CODE = np.array([STRAND_OF_KIND[c // 2 // len(_MEMBER_CODE)] * HELIX_SIDE
                           + STRAND_OF_KIND[c // 2 % len(_MEMBER_CODE)] for c in range(LINK_CODES)])
_COUNTED_OF_CODE = np.array([not ({c // 2 // len(_MEMBER_CODE), c // 2 % len(_MEMBER_CODE)}
                                  & set(NOT_COUNTED.tolist())) for c in range(LINK_CODES)], dtype=np.bool_)
_HORIZONTAL_OF_CODE = np.arange(LINK_CODES) % 2 == 1
#: Per member kind: counted by the registry rule (one lookup per row, not an isin).
_COUNTED_KIND = ~np.isin(np.arange(len(_MEMBER_CODE)), NOT_COUNTED)


def link_codes(net: Network) -> npt.NDArray[np.int16]:
    """Per link of ``net``: (kind at the source * kinds + kind at the target) * 2 + 1 if horizontal
    (the index of the gap tables), computed once per network (three tallies read it; a patched
    network's tallies follow by their deltas and never ask)."""
    got: npt.NDArray[np.int16] | None = net.memo.get("link_code")
    if got is None:
        kind = net.kind.astype(np.int16)  # small codes: the per-link gathers move a quarter of the bytes
        got = kind[net.src] * np.int16(2 * len(_MEMBER_CODE)) + kind[net.dst] * np.int16(2)
        got += ~_DIRECTED[net.link_kind]
        net.memo["link_code"] = got
    return got


def code_counts(net: Network) -> IntArray:
    """Links of ``net`` per link code (one pass, shared by the gap and helix tallies)."""
    got: IntArray | None = net.memo.get("code_counts")
    if got is None:
        got = net.memo["code_counts"] = np.bincount(link_codes(net), minlength=LINK_CODES)
    return got


def _gaps_built(net: Network) -> tuple[np.ndarray, IntArray]:
    """``_count_gaps`` of every link of ``net`` into zeros, each end's links grouped by gap once:
    the same counts (int32 per gap and member; per gap, its links)."""
    g_count, n = len(GAPS), net.n
    links = np.zeros(g_count, dtype=np.int64)
    hit = _GAP_LINK >= 0
    np.add.at(links, _GAP_LINK[hit], code_counts(net)[hit])  # per code, then per gap: exact ints
    code = link_codes(net)
    # Per end, its links grouped by gap (a radix sort of one byte each), each gap's members
    # counted into that gap's int32 row: the transients are the grouped ends and one row (issue
    # 17: one bincount of gap * n + member over both ends held ~0.18 GB at a million members and
    # three million links; the same counts).
    # Only the links whose end covers a gap are grouped (often a small share of them: a million
    # members of random kinds, ~1 link in 6; the rest were sorted and taken for nothing).
    if g_count * n <= ONE_GAP_BINCOUNT:  # (a few MB of bins: one bincount of gap * n + member)
        cells = []
        for table, ends in ((_GAP_SRC_8, net.src), (_GAP_DST_8, net.dst)):
            g = table[code]
            covering = np.flatnonzero(g >= 0)
            cell = g[covering].astype(np.int64)
            cell *= n
            cell += ends[covering]
            cells.append(cell)
        counted = np.bincount(np.concatenate(cells), minlength=g_count * n).astype(np.int32)
        return counted.reshape(g_count, n), links
    counts = np.zeros((g_count, n), dtype=np.int32)
    for table, ends in ((_GAP_SRC_8, net.src), (_GAP_DST_8, net.dst)):
        g = table[code]  # one byte per link, -1: no gap
        covering = np.flatnonzero(g >= 0)
        g = g[covering]
        grouped = ends[covering[np.argsort(g, kind="stable")]]
        del covering
        stops = np.concatenate(([0], np.cumsum(np.bincount(g, minlength=g_count))))
        for gap in range(g_count):
            lo, hi = int(stops[gap]), int(stops[gap + 1])
            if hi > lo:
                counts[gap] += np.bincount(grouped[lo:hi], minlength=n)
    return counts, links




def _count_gaps(counts: np.ndarray, links: IntArray, kind: IntArray, src: IntArray, dst: IntArray,
                link_kind: IntArray, sign: int) -> None:
    """Add (sign 1) or take away (-1) these links' ties: per gap and participant, the links that
    cover it (``counts``), and per gap the links (``links``)."""
    g_count, n = counts.shape
    code = (kind[src] * len(_MEMBER_CODE) + kind[dst]) * 2 + ~_DIRECTED[link_kind]
    g = _GAP_LINK[code]
    links += sign * np.bincount(g[g >= 0], minlength=g_count)
    for table, ends in ((_GAP_SRC, src), (_GAP_DST, dst)):
        g = table[code]
        hit = g >= 0
        if src.size > 1_000:
            counts += sign * np.bincount(g[hit] * n + ends[hit], minlength=g_count * n).reshape(g_count, n)
        else:
            np.add.at(counts, (g[hit], ends[hit]), sign)


class GapTally(Patchable):
    """Per gap and participant, the links that cover it (``counts``); per gap, its links."""

    __slots__ = ("counts", "links")

    def __init__(self, counts: np.ndarray, links: IntArray) -> None:
        _readonly(counts, links)
        self.counts, self.links = counts, links

    @staticmethod
    def of(net: Network) -> GapTally:
        got = net.memo.get("gap_tally")
        if got is None:
            got = net.memo["gap_tally"] = GapTally(*_gaps_built(net))
        assert isinstance(got, GapTally)
        return got

    def patched(self, delta: Delta) -> GapTally:
        counts, links = self.counts.copy(), self.links.copy()
        kind = delta.net.kind
        for sign, (src, dst, link_kind, _vol) in ((-1, delta.gone), (1, delta.came)):
            _count_gaps(counts, links, kind, src, dst, link_kind, sign)
        return GapTally(counts, links)


# --- rules 3, 5 and 8 ----------------------------------------------------------------------------


class ExactSum:
    """A sum of floats kept exactly (a Fraction: every finite float is one): values are added and
    taken away in any order and ``value`` is always the correctly rounded sum of those present,
    whatever order they came in. Infinite values are counted apart (a Fraction cannot hold them)."""

    __slots__ = ("infinite", "total")

    def __init__(self, total: Fraction | None = None, infinite: tuple[int, int] = (0, 0)) -> None:
        self.total = Fraction(0) if total is None else total
        self.infinite = infinite  # (+inf, -inf) values present

    @staticmethod
    def of(values: FloatArray) -> ExactSum:
        """The exact sum of ``values`` (no NaN), vectorised: each float is m * 2**e with m an
        integer of 53 bits; the halves of m are summed per exponent by bincount, exactly (the
        sums stay below 2**53), and the few per-exponent sums are put together as Python ints."""
        finite = np.isfinite(values)
        infinite = (int(np.count_nonzero(values == math.inf)), int(np.count_nonzero(values == -math.inf)))
        x = values[finite]
        if not x.size:
            return ExactSum(None, infinite)
        whole = np.rint(x)
        if float(np.abs(x).max()) < 2.0**53 / max(x.size, 1) and np.array_equal(whole, x):
            return ExactSum(Fraction(int(whole.astype(np.int64).sum())), infinite)  # whole roubles
        frac, exp = np.frexp(x)
        mant = (frac * 2.0**53).astype(np.int64)  # exact: |frac| < 1 has 53 significant bits
        low = int(exp.min())
        at = exp.astype(np.int64) - low
        hi = np.bincount(at, weights=(mant >> 26).astype(np.float64))
        lo = np.bincount(at, weights=(mant & (2**26 - 1)).astype(np.float64))
        halves = zip(hi.tolist(), lo.tolist(), strict=True)
        total = sum(((int(h) << 26) + int(lw)) << i for i, (h, lw) in enumerate(halves))
        return ExactSum(Fraction(total) * Fraction(2) ** (low - 53), infinite)

    def add(self, x: float, sign: int = 1) -> None:
        if math.isfinite(x):
            self.total += sign * Fraction(x)
        else:
            pos, neg = self.infinite
            self.infinite = (pos + sign, neg) if x > 0 else (pos, neg + sign)

    @property
    def value(self) -> float:
        pos, neg = self.infinite
        if pos or neg:
            return math.nan if pos and neg else math.inf if pos else -math.inf
        try:
            return float(self.total)
        except OverflowError:
            return math.inf if self.total > 0 else -math.inf

    def copy(self) -> ExactSum:
        return ExactSum(self.total, self.infinite)


def dependence_of(seller: IntArray, buyer: IntArray, vol: FloatArray, n: int, sellers: int | None = None
                  ) -> tuple[IntArray, IntArray, BoolArray]:
    """Rule 5 (c) per SME seller from its sales (directed links, in row order): sales weighed by
    contract volume where every sale of that seller has one, else each sale counts 1. Returns the
    sellers that sell more than half to one participant (sorted), that main buyer of each (the
    lowest row among equals), and per seller whether its sales are weighed by count. ``n``: the
    network's members (buyers are rows); ``sellers``: how many seller numbers (default ``n``)."""
    size = n if sellers is None else sellers
    missing = np.bincount(seller, weights=np.isnan(vol).astype(np.float64), minlength=size) > 0
    if not seller.size:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, missing
    weight = np.where(missing[seller], 1.0, np.nan_to_num(vol))
    code = seller.astype(np.int64) * n + buyer  # (int32 network rows: n * n passes 2**31)
    uniq, inv = np.unique(code, return_inverse=True)
    per_pair = np.bincount(inv, weights=weight)
    pair_seller, pair_buyer = uniq // n, uniq % n
    total_sold = np.bincount(pair_seller, weights=per_pair, minlength=size)
    # Per seller, its largest buyer (the lowest row among equals). ``uniq`` is sorted, so the
    # pairs come grouped by seller: group maxima without a second sort.
    starts = np.concatenate(([True], pair_seller[1:] != pair_seller[:-1]))
    group = np.cumsum(starts) - 1
    at_max = np.flatnonzero(per_pair == np.maximum.reduceat(per_pair, np.flatnonzero(starts))[group])
    first = at_max[np.concatenate(([True], group[at_max][1:] != group[at_max][:-1]))]
    frac = per_pair[first] / np.maximum(total_sold[pair_seller[first]], 1e-300)
    dep = frac > 0.5
    return pair_seller[first][dep], pair_buyer[first][dep], missing


#: The per-member counts and rows a RuleTally keeps (issue 17: int32, not int64: a million
#: members' five of them held 17 MB less while the rules ran). Counts of links and member rows
#: fit; sums of volumes stay float64.
COUNT = np.int32
Counts = npt.NDArray[np.int32] | npt.NDArray[np.int64]  # (_sum_members of every member: int64)


def _ends_count(src: IntArray, dst: IntArray, n: int) -> npt.NDArray[np.int32]:
    """Per member, how many of these links end at it (either end), as COUNT."""
    out: npt.NDArray[np.int32] = np.bincount(src, minlength=n).astype(COUNT)
    out += np.bincount(dst, minlength=n)  # (an int64 added into int32 in place: the same counts)
    return out


class RuleTally(Patchable):
    """What the registry rule and the focal model sum over links.

    Registry (rule 8; qualifying: a qualifying kind between two counted participants): per member
    its qualifying links (``qualified``) and those without a volume (``unpriced``), per member
    what it sells under them with a volume (``sold``); cluster-wide the known qualifying volume
    and the qualifying links without one. Focal model (rule 5): per SME seller its sales
    (``sales``), whether they are weighed by count (``by_count``), its main buyer when it sells
    more than half to one (``main``, -1 otherwise) and per member how many SMEs depend on it;
    links touching an SME and links between two.
    ``fixed``: figures of the members alone, shared by the patched copies (same members)."""

    __slots__ = ("both_sme", "by_count", "depend_on", "fixed", "main", "qualified",
                 "sales", "sme", "sold", "touching_sme", "unpriced", "unpriced_links", "volume")

    qualified: Counts
    unpriced: Counts
    sold: FloatArray
    sales: Counts
    by_count: BoolArray
    main: Counts
    depend_on: Counts
    volume: ExactSum
    unpriced_links: int
    touching_sme: int
    both_sme: int

    def __init__(self, sme: BoolArray, fixed: dict[str, Any]) -> None:
        self.sme, self.fixed = sme, fixed

    @staticmethod
    def of(net: Network, sme: BoolArray, key: Any) -> RuleTally:
        """The tally of ``net`` for the SME rows ``sme`` (``key``: what decides them)."""
        got = net.memo.get(("rule_tally", key))
        if got is None:
            got = net.memo["rule_tally", key] = RuleTally.build(net, sme)
        assert isinstance(got, RuleTally)
        return got

    @staticmethod
    def build(net: Network, sme: BoolArray) -> RuleTally:
        """The tally of every link of ``net``: the figures ``_sum_members`` and the patches keep,
        in one pass with each link's classes found once (the same sums in the same row order)."""
        t = RuleTally(sme, {"counted": _COUNTED_KIND[net.kind]})
        n, src, dst, vol = net.n, net.src, net.dst, net.volume
        # One mask a link per class, each let go once read (issue 17: three million links' ten
        # masks at once were ~25 MB of the rules' peak): the same sums in the same row order.
        # Each class's links are taken by their rows (``picked``), not by a boolean index.
        directed = _DIRECTED[net.link_kind]
        sme_src = sme[src]
        sale = np.flatnonzero(directed & sme_src)
        sellers = src[sale]
        dependent, main_of, t.by_count = dependence_of(sellers, dst[sale], vol[sale], n, n)
        t.main = np.full(n, -1, dtype=COUNT)
        t.main[dependent] = main_of
        t.sales = np.bincount(sellers, minlength=n).astype(COUNT)
        t.depend_on = np.bincount(main_of, minlength=n).astype(COUNT)
        del sale, sellers
        sme_dst = sme[dst]
        t.touching_sme = int(np.count_nonzero(sme_src | sme_dst))
        sme_src &= sme_dst
        t.both_sme = int(np.count_nonzero(sme_src))
        del sme_src, sme_dst
        qual = _QUALIFYING[net.link_kind]
        qual &= _COUNTED_OF_CODE[link_codes(net)]
        at = np.flatnonzero(qual)
        t.qualified = _ends_count(src[at], dst[at], n)
        priced = ~np.isnan(vol)
        unpriced = qual & ~priced
        t.unpriced_links = int(np.count_nonzero(unpriced))
        # No volume among them (none recorded: common, and bench_open's files): the same counts.
        if t.unpriced_links == at.size:
            t.unpriced = t.qualified
        else:
            unpriced_at = np.flatnonzero(unpriced)
            t.unpriced = _ends_count(src[unpriced_at], dst[unpriced_at], n)
        del unpriced
        qual &= priced  # (qualifying with a volume)
        at = np.flatnonzero(qual)
        t.volume = ExactSum.of(vol[at])
        at = np.flatnonzero(qual & directed)  # (and a sale: what each seller sold)
        t.sold = np.bincount(src[at], weights=vol[at], minlength=n).astype(np.float64, copy=False)
        _readonly(t.qualified, t.unpriced, t.sold, t.sales, t.by_count, t.main, t.depend_on)
        return t

    def _classes(self, kind: IntArray, src: IntArray, dst: IntArray, link_kind: IntArray, vol: FloatArray
                 ) -> tuple[BoolArray, BoolArray, BoolArray]:
        """Per link: qualifying, with a volume, an SME's sale."""
        counted = self.fixed["counted"]
        qual = _QUALIFYING[link_kind] & counted[src] & counted[dst]
        directed = _DIRECTED[link_kind]
        return qual, ~np.isnan(vol), directed & self.sme[src]

    def _sum_members(self, net: Network, rows: IntArray, members: IntArray | None) -> None:
        """The per-member sums over the links ``rows``, for every member (``members`` None) or
        rewritten at ``members`` only (sorted; every link of theirs is among ``rows``: the sums
        then run over those rows in the same order as a full pass, so floats agree bit for bit)."""
        n = net.n
        src, dst, kind, vol = _ends(net, rows)
        qual, priced, sale = self._classes(net.kind, src, dst, kind, vol)
        unpriced = qual & ~priced
        sells = qual & _DIRECTED[kind] & priced
        size = n if members is None else members.size
        if members is None:
            src_at, dst_at = src, dst
            src_in = dst_in = np.ones(src.size, dtype=np.bool_)
        else:  # each end as its place among ``members``, if it is one of them
            src_at, src_in = _places(members, src)
            dst_at, dst_in = _places(members, dst)
        sale &= src_in
        dependent, main_of, by_count = dependence_of(src_at[sale], dst[sale], vol[sale], n, size)
        main = np.full(size, -1, dtype=np.int64)
        main[dependent] = main_of
        def ends_count(links: BoolArray) -> IntArray:
            return (np.bincount(src_at[links & src_in], minlength=size)
                    + np.bincount(dst_at[links & dst_in], minlength=size))

        s_src = sells & src_in
        new = {
            "qualified": ends_count(qual),
            "unpriced": ends_count(unpriced),
            "sold": np.bincount(src_at[s_src], weights=vol[s_src], minlength=size),
            "sales": np.bincount(src_at[sale], minlength=size),
            "by_count": by_count,
            "main": main,
        }
        if members is None:
            for name, value in new.items():
                setattr(self, name, value)
            self.depend_on = np.bincount(main_of, minlength=n)
        else:
            old_main = self.main[members]
            for name, value in new.items():
                column = getattr(self, name).copy()
                column[members] = value
                setattr(self, name, column)
            depend_on = self.depend_on.copy()
            np.subtract.at(depend_on, old_main[old_main >= 0], 1)
            np.add.at(depend_on, main_of, 1)
            self.depend_on = depend_on
        _readonly(*(getattr(self, name) for name in (*new, "depend_on")))

    def patched(self, delta: Delta) -> RuleTally:
        net = delta.net
        if delta.touched.size > PATCH_MAX_TOUCHED:
            return RuleTally.build(net, self.sme)
        t = RuleTally(self.sme, self.fixed)
        for name in ("qualified", "unpriced", "sold", "sales", "by_count", "main", "depend_on"):
            setattr(t, name, getattr(self, name))
        t._sum_members(net, delta.incident, delta.touched)
        t.volume = self.volume.copy()
        t.unpriced_links = self.unpriced_links
        t.touching_sme, t.both_sme = self.touching_sme, self.both_sme
        for sign, (src, dst, kind, vol) in ((-1, delta.gone), (1, delta.came)):
            qual, priced, _ = self._classes(net.kind, src, dst, kind, vol)
            for v in vol[qual & priced].tolist():
                t.volume.add(v, sign)
            t.unpriced_links += sign * int(np.count_nonzero(qual & ~priced))
            t.touching_sme += sign * int(np.count_nonzero(self.sme[src] | self.sme[dst]))
            t.both_sme += sign * int(np.count_nonzero(self.sme[src] & self.sme[dst]))
        return t

    def equal(self, other: RuleTally) -> bool:
        """The same figures (the tests' check that a patched tally is a fresh one)."""
        names = ("qualified", "unpriced", "sold", "sales", "by_count", "main", "depend_on")
        same = all(np.array_equal(getattr(self, k), getattr(other, k), equal_nan=k == "sold") for k in names)
        return same and (self.volume.value, self.unpriced_links, self.touching_sme, self.both_sme) == (
            other.volume.value, other.unpriced_links, other.touching_sme, other.both_sme)
