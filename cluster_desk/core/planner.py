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

import numpy as np

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.check_facts import HELIX_TIES, CheckResult, HelixFacts, LinksFacts, names_at
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import FIRM, INDUSTRY_NONE, MEMBER_CODE, Arrays
from cluster_desk.core.checks.relations import gap_masks
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.model import DIRECTED_KINDS, HELIX_OF_KIND, ClusterSettings, Link, Member, Status
from cluster_desk.core.network import LINK_KINDS, MEMBER_KINDS

#: Weights of what a candidate closes (a missing strand or a counted firm weighs most).
_W_COUNTS, _W_DIVISION, _W_GAP, _W_TIE, _W_STRAND = 3.0, 1.0, 2.0, 2.0, 3.0
_HELIX_OF_CODE = {MEMBER_CODE[k]: (h.value if h is not None else None) for k, h in HELIX_OF_KIND.items()}


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
    # Each candidate's links to participants that count on the day, found in numpy and grouped
    # by candidate (a million members: ~480,000 such links, 2-3 s as a loop over numpy scalars).
    their = _links_of_candidates(a, cand, member_row, day)
    out: list[CandidateGain] = []
    # (each candidate's values taken as lists at once: numpy scalars cost ~1 us apiece)
    ids, names = a.ids[cand].tolist(), names_at(a.names, cand)
    kinds, divisions = a.kind[cand].tolist(), a.division[cand].tolist()
    counts_of = ((a.kind[cand] == FIRM) & (a.industry[cand] != INDUSTRY_NONE) & geo.inside[cand]).tolist()
    drafts_of = (a.status[cand] == 3).tolist()
    for k in range(cand.size):
        kind, div, counts = int(kinds[k]), int(divisions[k]), bool(counts_of[k])
        new_div = f"{div:02d}" if counts and div >= 0 and div not in known_divs else None
        gaps = _gaps_closed(kind, their[k], open_gaps, masks, net.kind, n_firms, settings.gap_min_coverage)
        strand = _HELIX_OF_CODE[kind]
        ties = tuple(
            sorted(
                t for t in {_tie(strand, _HELIX_OF_CODE[pk]) for _, pk, _ in their[k]} if t in missing_ties
            )
        )
        brings = strand if strand in missing_strands else None
        d = float(dist[k])
        score = (
            _W_COUNTS * counts
            + _W_DIVISION * (new_div is not None)
            + _W_GAP * len(gaps)
            + _W_TIE * len(ties)
            + _W_STRAND * (brings is not None)
        )
        out.append(
            CandidateGain(
                str(ids[k]),
                names[k],
                MEMBER_KINDS[kind].value,
                counts,
                new_div,
                gaps,
                ties,
                brings,
                None if math.isnan(d) else d,
                score,
                bool(drafts_of[k]),
            )
        )
    out.sort(key=lambda g: (-g.score, math.inf if g.distance_km is None else g.distance_km, g.name))
    return out


def _links_of_candidates(a: Arrays, cand: np.ndarray, member_row: np.ndarray,
                         day: str) -> list[list[tuple[int, int, bool]]]:
    """For each candidate row in ``cand``: (partner's row in the day's network, partner's kind
    code, directed) of every link active on ``day`` between it and a participant, in link order."""
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
    k = position[cand_end]
    order = np.argsort(k, kind="stable")  # grouped by candidate, each group in link order
    directed_kind = np.array([kd in DIRECTED_KINDS for kd in LINK_KINDS], dtype=np.bool_)
    rows = member_row[partner][order].tolist()
    kinds = a.kind[partner][order].astype(np.int64).tolist()
    directed = directed_kind[a.link_kind[touching]][order].tolist()
    bounds = np.searchsorted(k[order], np.arange(cand.size + 1)).tolist()
    entries = list(zip(rows, kinds, directed, strict=True))
    return [entries[bounds[i]:bounds[i + 1]] for i in range(cand.size)]


def _tie(x: str | None, y: str | None) -> str:
    if x is None or y is None or x == y:
        return ""
    pair = f"{x}-{y}"
    return pair if pair in HELIX_TIES else f"{y}-{x}"


def _gaps_closed(
    kind: int,
    partners: list[tuple[int, int, bool]],
    open_gaps: set[str],
    masks: dict[str, tuple[np.ndarray, int]],
    net_kind: np.ndarray,
    n_firms: int,
    min_cov: float,
) -> tuple[str, ...]:
    from cluster_desk.core.network import GAPS

    closed = []
    firm = MEMBER_CODE["firm"]
    firms_after = n_firms + (kind == firm)
    for gid, k1, k2 in GAPS:
        if gid not in open_gaps:
            continue
        c1 = MEMBER_CODE[k1]
        covered, _ = masks[gid]
        if k2 is None:  # cluster_cluster: one link with a partner cluster
            if any((kind == c1) != (pk == c1) for _, pk, _ in partners):
                closed.append(gid)
            continue
        c2 = MEMBER_CODE[k2]
        ok = [
            (p, pk)
            for p, pk, directed in partners
            if {kind, pk} == {c1, c2} and not (gid == "business_business" and directed)
        ]
        if not ok:
            continue
        if gid == "business_global_markets":
            closed.append(gid)
            continue
        new_firms = {p for p, pk in ok if pk == c1 and not covered[p]}
        count = int(np.count_nonzero(covered)) + len(new_firms) + (1 if kind == c1 else 0)
        if firms_after and count / firms_after >= min_cov:
            closed.append(gid)
    return tuple(closed)


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
