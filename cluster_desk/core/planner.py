"""What-if planner: which candidates close the cluster's gaps, and the assessment as if a chosen
set of them joined.

``rank_candidates`` says, for each candidate (or draft member placed on the map but not saved),
what it would bring if it joined alone: a counted firm for critical mass (core or related, inside
the norm circle), an OKVED division new among the counted firms, the gaps and helix ties its
recorded links would close, a missing helix strand, and its distance from the centre. Sorted by
what it closes, nearer first. ``plan`` gives today's assessment and the one "as if" the chosen
candidates joined; ``apply_plan`` gives the member records that make it real (status member,
joined on the day): assessing after applying equals the "as if" (tests/core/test_planner.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

import numpy as np

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.check_facts import HELIX_TIES, CheckResult, HelixFacts, LinksFacts, names_at
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import FIRM, INDUSTRY_NONE, MEMBER_CODE, Arrays
from cluster_desk.core.checks.relations import gap_masks
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.model import DIRECTED_KINDS, HELIX_OF_KIND, ClusterSettings, Link, Member, Status
from cluster_desk.core.network import GAPS, LINK_KINDS, MEMBER_KINDS

#: Weights of what a candidate closes (a missing strand or a counted firm weighs most).
_W_COUNTS, _W_DIVISION, _W_GAP, _W_TIE, _W_STRAND = 3.0, 1.0, 2.0, 2.0, 3.0
_HELIX_OF_CODE = {MEMBER_CODE[k]: (h.value if h is not None else None) for k, h in HELIX_OF_KIND.items()}
#: The helix strand of each member kind code (None: none).
_STRAND_OF_CODE: list[str | None] = [_HELIX_OF_CODE.get(code) for code in range(len(MEMBER_KINDS))]


@dataclass(frozen=True)
class CandidateGain:
    id: str
    name: str
    kind: str
    counts: bool  # would count for critical mass
    new_division: str | None  # OKVED division it adds among the counted firms
    gaps: tuple[str, ...]  # gaps open today that it would close
    helix_ties: tuple[str, ...]  # strand pairs with no link today that it would tie
    helix_strand: str | None  # a strand missing today that it brings
    distance_km: float | None  # from the centre (None: not on the map, or no centre)
    score: float
    draft: bool = False  # a draft placed to try out, not a candidate

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "counts": self.counts,
            "new_division": self.new_division,
            "gaps": list(self.gaps),
            "helix_ties": list(self.helix_ties),
            "helix_strand": self.helix_strand,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
            "score": self.score,
            "draft": self.draft,
        }


def _today(on: str | None) -> str:
    return on or date.today().isoformat()


def rank_candidates(
    members: Sequence[Member],
    links: Sequence[Link],
    settings: ClusterSettings,
    *,
    on: str | None = None,
    drafts: Sequence[Member] = (),
    results: Sequence[CheckResult] | None = None,
    arrays: Arrays | None = None,
) -> list[CandidateGain]:
    """Every candidate (and draft) ranked by what it would close if it joined alone.
    ``arrays``: the roster already as arrays (Arrays(members + drafts, links)); ``results``:
    today's assessment on them, if known."""
    day = _today(on)
    if arrays is None:
        ms = [*members, *(replace(d, status=Status.CANDIDATE) for d in drafts)]
        a = Arrays(ms, links)
    else:
        a = arrays
        ms = a.members
    results = results if results is not None else assess_arrays(a, settings, on=day)
    by_id = {r.id: r for r in results}
    part = a.participants(day)
    cand = np.flatnonzero(((a.status == 1) | (a.status == 3)) & ~part)  # candidates and drafts
    if cand.size == 0:
        return []
    net, rows = a.network(day)
    member_row = np.full(len(ms), -1, dtype=np.int64)
    member_row[rows] = np.arange(rows.size)
    geo = geography.locate(a, part, settings, extra=cand)
    dist = np.full(cand.size, math.nan)
    if geo.centre is not None:
        loc = a.located[cand]
        dist[loc] = distances_km(geo.centre[0], geo.centre[1], a.lat[cand[loc]], a.lon[cand[loc]])
    counted = part & (a.kind == FIRM) & (a.industry != INDUSTRY_NONE) & geo.inside
    known_divs = set(np.unique(a.division[counted]).tolist())
    # Today's gaps: which firms are covered; a candidate closes a gap when its links raise the
    # coverage to the threshold (or, for the one-link gaps, when it brings a link).
    links_facts = by_id["links"].facts
    helix_facts = by_id["helix"].facts
    assert isinstance(links_facts, LinksFacts) and isinstance(helix_facts, HelixFacts)
    open_gaps = {g.id for g in links_facts.gaps if g.open}
    masks = gap_masks(net)
    n_firms = int(np.count_nonzero(net.kind == FIRM))
    missing_ties = set(helix_facts.missing_ties)
    missing_strands = set(helix_facts.missing)
    # Each candidate's links to participants that count on the day, found in numpy (a million
    # members: ~480,000 such links, 2-3 s as a loop over numpy scalars), and what they close
    # worked out for every candidate at once (100,000 members, ~8,000 candidates: a loop over
    # the candidates took ~0.2 s of the Plan tab's ~0.4 s, issue 17).
    their = _links_of_candidates(a, cand, member_row, day)
    kind_of = a.kind[cand].astype(np.int64)
    counts_of = (a.kind[cand] == FIRM) & (a.industry[cand] != INDUSTRY_NONE) & geo.inside[cand]
    division_of = a.division[cand].astype(np.int64)
    adds_division = counts_of & (division_of >= 0) & ~np.isin(division_of, list(known_divs))
    gap_bits = _gaps_closed(kind_of, their, open_gaps, masks, n_firms, settings.gap_min_coverage)
    tie_bits = _ties_made(kind_of, their, missing_ties)
    brings_of = np.array([_STRAND_OF_CODE[k] in missing_strands for k in kind_of.tolist()], dtype=np.bool_)
    scores = (_W_COUNTS * counts_of + _W_DIVISION * adds_division + _W_GAP * _bit_count(gap_bits)
              + _W_TIE * _bit_count(tie_bits) + _W_STRAND * brings_of)
    gaps_named = _named_bits(tuple(gid for gid, _k1, _k2 in GAPS))
    ties_named = _named_bits(HELIX_TIES, in_order=True)
    kind_names = [k.value for k in MEMBER_KINDS]
    # (each candidate's values taken as lists at once: numpy scalars cost ~1 us apiece)
    each = zip(a.ids[cand].tolist(), names_at(a.names, cand), kind_of.tolist(), counts_of.tolist(),
               adds_division.tolist(), division_of.tolist(), gap_bits.tolist(), tie_bits.tolist(),
               brings_of.tolist(), dist.tolist(), scores.tolist(), (a.status[cand] == 3).tolist(),
               strict=True)
    out = [
        CandidateGain(str(cid), name, kind_names[kind], counts, f"{div:02d}" if adds else None,
                      gaps_named[gaps], ties_named[ties], _STRAND_OF_CODE[kind] if brings else None,
                      None if math.isnan(d) else d, score, draft)
        for cid, name, kind, counts, adds, div, gaps, ties, brings, d, score, draft in each
    ]
    out.sort(key=lambda g: (-g.score, math.inf if g.distance_km is None else g.distance_km, g.name))
    return out


class _Touching(NamedTuple):
    """The links active on a day between a candidate and a participant, one entry each:
    the candidate's position in ``cand``, the partner's row in the day's network and its kind
    code, and whether the link's kind is directed (a supply chain's)."""

    cand: np.ndarray
    partner: np.ndarray
    partner_kind: np.ndarray
    directed: np.ndarray


def _links_of_candidates(a: Arrays, cand: np.ndarray, member_row: np.ndarray, day: str) -> _Touching:
    n = len(a.kind)
    is_cand = np.zeros(n + 1, dtype=np.bool_)  # index -1 (unknown end) -> False
    is_cand[cand] = True
    is_part = np.append(member_row >= 0, False)
    src, dst = a.src.astype(np.int64), a.dst.astype(np.int64)
    from_src = is_cand[src] & is_part[dst]  # the candidate at the source (else at the target)
    touching = np.flatnonzero(a.link_active(day) & (from_src | (is_cand[dst] & is_part[src])))
    first = from_src[touching]
    cand_end = np.where(first, src[touching], dst[touching])
    partner = np.where(first, dst[touching], src[touching])
    position = np.full(n, -1, dtype=np.int64)
    position[cand] = np.arange(cand.size)
    directed_kind = np.array([kd in DIRECTED_KINDS for kd in LINK_KINDS], dtype=np.bool_)
    return _Touching(position[cand_end], member_row[partner], a.kind[partner].astype(np.int64),
                     directed_kind[a.link_kind[touching]])


def _any_of(count: int, positions: np.ndarray) -> np.ndarray:
    """For each of ``count`` candidates: whether any entry of ``positions`` is its."""
    return np.bincount(positions, minlength=count) > 0


def _gaps_closed(kind: np.ndarray, their: _Touching, open_gaps: set[str],
                 masks: dict[str, tuple[np.ndarray, int]], n_firms: int, min_cov: float) -> np.ndarray:
    """Each candidate's gaps (open today) that its links would close, as bits in GAPS' order.
    A pair gap closes when the candidate has such a link (business_business: a horizontal
    one) and the firms covered then reach ``min_cov`` of the firms (the candidate counted
    among both when a firm); global markets with one such link; cluster_cluster with one link
    between a partner cluster and another kind."""
    count = kind.size
    bits = np.zeros(count, dtype=np.int64)
    mine = kind[their.cand]  # (the candidate's kind at each of its links)
    firms_after = n_firms + (kind == FIRM)
    for bit, (gid, k1, k2) in enumerate(GAPS):
        if gid not in open_gaps:
            continue
        c1 = MEMBER_CODE[k1]
        if k2 is None:  # cluster_cluster: one link with a partner cluster
            closed = _any_of(count, their.cand[(mine == c1) != (their.partner_kind == c1)])
        else:
            c2 = MEMBER_CODE[k2]
            ok = ((mine == c1) & (their.partner_kind == c2)) | ((mine == c2) & (their.partner_kind == c1))
            if gid == "business_business":
                ok &= ~their.directed
            closed = _any_of(count, their.cand[ok])
            if gid != "business_global_markets":
                covered, _links = masks[gid]
                # The firms it would newly cover: its partners of the firm side not covered yet,
                # each once (two links to one firm cover it once).
                new = ok & (their.partner_kind == c1) & ~covered[their.partner]
                pairs = np.unique(their.cand[new] * max(1, covered.size) + their.partner[new])
                newly = np.bincount(pairs // max(1, covered.size), minlength=count)
                firms = int(np.count_nonzero(covered)) + newly + (kind == c1)
                closed &= (firms_after > 0) & (firms / np.maximum(firms_after, 1) >= min_cov)
        bits |= closed.astype(np.int64) << bit
    return bits


def _ties_made(kind: np.ndarray, their: _Touching, missing_ties: set[str]) -> np.ndarray:
    """Each candidate's helix ties missing today that its links would make (a link between two
    strands), as bits in HELIX_TIES' order."""
    strands = sorted({h for h in _STRAND_OF_CODE if h is not None})
    strand_code = np.array([strands.index(h) if h is not None else -1 for h in _STRAND_OF_CODE])
    tie_of = np.full((len(strands), len(strands)), -1, dtype=np.int64)  # (strand, strand) -> bit
    for bit, name in enumerate(HELIX_TIES):
        x, y = (strands.index(h) for h in name.split("-"))
        if name in missing_ties:
            tie_of[x, y] = tie_of[y, x] = bit
    mine, theirs = strand_code[kind[their.cand]], strand_code[their.partner_kind]
    both = (mine >= 0) & (theirs >= 0)
    tie = np.full(mine.size, -1, dtype=np.int64)
    tie[both] = tie_of[mine[both], theirs[both]]
    made = tie >= 0
    bits = np.zeros(kind.size, dtype=np.int64)
    np.bitwise_or.at(bits, their.cand[made], np.left_shift(1, tie[made]))
    return bits


def _bit_count(bits: np.ndarray) -> np.ndarray:
    """How many bits are set in each (small, non-negative) value."""
    count = np.zeros(bits.shape, dtype=np.int64)
    rest = bits.copy()
    while rest.any():
        count += rest & 1
        rest >>= 1
    return count


def _named_bits(names: tuple[str, ...], in_order: bool = False) -> list[tuple[str, ...]]:
    """For every value of ``len(names)`` bits, the names of its set bits, bit i being
    ``names[i]``, in that order (sorted by name with ``in_order``)."""
    out = []
    for value in range(1 << len(names)):
        named = [n for i, n in enumerate(names) if value >> i & 1]
        out.append(tuple(sorted(named) if in_order else named))
    return out


def plan(
    members: Sequence[Member],
    links: Sequence[Link],
    settings: ClusterSettings,
    ids: Iterable[str],
    *,
    on: str | None = None,
    drafts: Sequence[Member] = (),
) -> tuple[list[CheckResult], list[CheckResult]]:
    """(today's assessment, the assessment as if the candidates ``ids`` joined on the day)."""
    day = _today(on)
    ms = [*members, *(replace(d, status=Status.CANDIDATE) for d in drafts)]
    a = Arrays(ms, links)
    return assess_arrays(a, settings, on=day), assess_arrays(a, settings, on=day, as_if=list(ids))


def apply_plan(members: Sequence[Member], ids: Iterable[str], *, on: str | None = None) -> list[Member]:
    """The new records of the chosen candidates (and drafts): status member, joined on the day,
    not left."""
    day = _today(on)
    wanted = set(ids)
    return [
        replace(m, status=Status.MEMBER, joined=day, left=None)
        for m in members
        if m.id in wanted and m.status in (Status.CANDIDATE, Status.DRAFT)
    ]


def resolve(members: Sequence[Member], keys: Iterable[str]) -> tuple[list[str], list[str]]:
    """Member ids for keys given as ids or INNs (the command line); (ids, keys not found)."""
    by_id = {m.id: m for m in members}
    by_inn = {m.inn: m for m in members if m.inn}
    ids: list[str] = []
    missing: list[str] = []
    for key in keys:
        key = key.strip()
        m = by_id.get(key) or by_inn.get(key)
        if m is None:
            missing.append(key)
        else:
            ids.append(m.id)
    return ids, missing
