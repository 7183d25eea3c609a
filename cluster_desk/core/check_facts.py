"""What each check found, as typed facts: figures, names, the thresholds applied and which rule
branch decided the status. No sentences: cluster_desk.text renders these in the user's language.

``details()`` gives the JSON-safe dict of ``cluster-desk check --json`` under "details" (scripts
read it; shares are fractions 0..1) and that the UI reads (centre, circles, gaps). Every facts
class also carries the figures that went into it, so a card can say "how this is computed".
Why ~520 lines: one small frozen dataclass per check (eight), the JSON view scripts rely on, and
the names the facts list (taken from the arrays' names without a record).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np

from cluster_desk.core.text_column import TextColumn

#: Names listed in the JSON per group at most (the counts are always exact).
MAX_NAMES = 200
#: Names kept in the facts per group at most (at 100,000 members, naming every one costs time).
KEEP_NAMES = 500


class Names(tuple[str, ...]):
    """Names of a group, the first KEEP_NAMES of them; ``total`` is the whole group's size."""

    total: int

    def __new__(cls, names: Iterable[str] = (), total: int | None = None) -> Names:
        self = super().__new__(cls, names)
        self.total = len(self) if total is None else total
        return self


def first_names(names: Sequence[str], rows: Any) -> Names:
    """``Names`` of the members at ``rows`` (a numpy array of rows into ``names``, the arrays'
    names list: no record is asked for its name), the first KEEP_NAMES of them."""
    return Names(names_at(names, rows[:KEEP_NAMES]), len(rows))


def first_names_where(names: Sequence[str], rows: Any, mask: Any, total: int) -> Names:
    """``first_names(names, rows[np.flatnonzero(mask)])`` given ``total``, that count of True:
    the mask is searched a block at a time until KEEP_NAMES are found (the rules list groups of
    up to a million members: the whole flatnonzero and take cost ~6 ms each there)."""
    found: list[Any] = []
    need, step = min(KEEP_NAMES, total), 1 << 16
    at = 0
    while need > 0 and at < len(mask):
        hits = np.flatnonzero(mask[at:at + step])[:need]
        found.append(hits + at)
        need -= hits.size
        at += step
    taken = np.concatenate(found) if found else np.zeros(0, dtype=np.intp)
    return Names(names_at(names, rows[taken]), total)


def names_at(names: Sequence[str], rows: Any) -> list[str]:
    """``[names[i] for i in rows]`` (rows: a numpy array of non-negative rows). From a TextColumn
    as read (nothing set since), each name is cut from its block at offsets looked up at once:
    ~0.4 us a name where ``names[i]`` takes ~1.8 (issue 17: ~9,000 names listed per assessment at
    100,000 members, ~110,000 cluster organisations among a million of random kinds)."""
    if isinstance(names, TextColumn):
        return names.take(rows)
    return [names[i] for i in rows.tolist()]


def count(names: tuple[str, ...]) -> int:
    """How many a group holds (not only the names kept)."""
    return names.total if isinstance(names, Names) else len(names)


def _names(names: tuple[str, ...]) -> list[str]:
    return list(names[:MAX_NAMES])


@dataclass(frozen=True)
class CriticalMassFacts:
    branch: Literal["below", "within", "above"]  # counted firms against the mass band
    counted: int  # participant firms, core or related, inside the norm circle
    core: int  # of them
    related: int
    divisions: int  # variety: distinct OKVED divisions among counted firms
    unclassified: tuple[str, ...]  # participant firms with no industry set (would count once classified)
    outside: tuple[str, ...]  # core/related firms beyond the norm radius
    unlocated: tuple[str, ...]  # core/related firms not on the map
    offered: tuple[str, ...]  # candidates that would count (core/related, inside the circle)
    radius_km: float
    mass_min: int
    mass_max: int
    short: int  # firms missing to reach mass_min (0 if none)
    short_after: int  # still missing after every offered candidate joined

    def details(self) -> dict[str, Any]:
        return {
            "counted": self.counted,
            "core": self.core,
            "related": self.related,
            "divisions": self.divisions,
            "unclassified": _names(self.unclassified),
            "unclassified_count": count(self.unclassified),
            "outside": _names(self.outside),
            "outside_count": count(self.outside),
            "unlocated": _names(self.unlocated),
            "unlocated_count": count(self.unlocated),
            "candidates_counting": _names(self.offered),
            "candidates_counting_count": count(self.offered),
            "radius_km": self.radius_km,
            "mass_min": self.mass_min,
            "mass_max": self.mass_max,
            "short": self.short,
            "short_after_candidates": self.short_after,
        }


@dataclass(frozen=True)
class ConcentrationFacts:
    #: unplaced: nothing located (n/a); all_inside: ok; few_outside: share inside >= warning_share
    #: (warning); many_outside: below it (failing)
    branch: Literal["unplaced", "all_inside", "few_outside", "many_outside"]
    radius_km: float  # the norm radius
    warning_share: float
    unlocated_count: int
    external_count: int  # partner clusters and foreign partners, left out by definition
    outside: tuple[str, ...] = ()  # names, farthest first
    outside_km: tuple[float, ...] = ()
    inside_count: int = 0
    located_count: int = 0
    inside_share: float | None = None
    max_km: float | None = None
    centre: tuple[float, float] | None = None
    centre_source: Literal["settings", "members"] | None = None
    #: The smallest circle holding all located participants, and 90 % of them: (lat, lon, km).
    smallest: tuple[float, float, float] | None = None
    smallest90: tuple[float, float, float] | None = None

    @property
    def outside_count(self) -> int:
        return count(self.outside)

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outside": _names(self.outside),
            "outside_km": list(self.outside_km[:MAX_NAMES]),
            "outside_count": self.outside_count,
            "inside_count": self.inside_count,
            "located_count": self.located_count,
            "unlocated_count": self.unlocated_count,
            "external_count": self.external_count,
            "inside_share": self.inside_share,
            "warning_share": self.warning_share,
            "max_km": self.max_km,
            "centre": None if self.centre is None else list(self.centre),
            "centre_source": self.centre_source,
            "radius_km": self.radius_km,
            "smallest_circle_km": None if self.smallest is None else self.smallest[2],
            "smallest_circle": None if self.smallest is None else list(self.smallest),
            "smallest_circle_90_km": None if self.smallest90 is None else self.smallest90[2],
            "smallest_circle_90": None if self.smallest90 is None else list(self.smallest90),
        }
        return out


HelixStrand = Literal["business", "government", "science"]
#: The three strand pairs, as the JSON names them.
HELIX_TIES = ("business-government", "business-science", "government-science")


@dataclass(frozen=True)
class HelixFacts:
    #: missing: a strand has no participant (failing); nominal: a pair of strands has no link
    #: between their participants (warning); complete: ok
    branch: Literal["complete", "nominal", "missing"]
    business: int
    government: int
    science: int
    missing: tuple[HelixStrand, ...]
    tie_links: tuple[tuple[str, int], ...]  # per pair in HELIX_TIES: links between the strands
    candidates: tuple[tuple[HelixStrand, tuple[str, ...]], ...]  # per missing strand: candidate names
    unlinked: tuple[str, ...] = ()  # government / science participants with no link at all

    @property
    def missing_ties(self) -> tuple[str, ...]:
        return tuple(pair for pair, n in self.tie_links if n == 0)

    def details(self) -> dict[str, Any]:
        return {
            "business": self.business,
            "government": self.government,
            "science": self.science,
            "missing": list(self.missing),
            "missing_ties": list(self.missing_ties),
            "tie_links": dict(self.tie_links),
            "candidates": {h: list(names) for h, names in self.candidates},
            "unlinked": _names(self.unlinked),
        }


@dataclass(frozen=True)
class ClusterOrgFacts:
    #: absent: failing; short: a recorded figure below its threshold (warning); present: ok
    branch: Literal["present", "short", "absent"]
    names: tuple[str, ...]  # participant cluster organisations
    candidate: str | None  # first candidate cluster organisation (when absent)
    fte: float | None = None  # staff, full-time equivalents (None: not recorded)
    fees: float | None = None  # membership fees, roubles a year
    private_share: float | None = None  # private share of its funding
    min_fte: float = 0.5
    min_private_share: float = 0.0
    below: tuple[str, ...] = ()  # "fte", "private_share": figures below their threshold

    @property
    def unrecorded(self) -> tuple[str, ...]:
        return tuple(k for k, v in (("fte", self.fte), ("fees", self.fees),
                                    ("private_share", self.private_share)) if v is None)

    def details(self) -> dict[str, Any]:
        return {
            "count": len(self.names),
            "names": list(self.names),
            "fte": self.fte,
            "fees": self.fees,
            "private_share": self.private_share,
            "min_fte": self.min_fte,
            "unrecorded": list(self.unrecorded),
            "below": list(self.below),
        }


@dataclass(frozen=True)
class FocalFacts:
    #: too_little_data: no figure can be judged (n/a); focal: (a), (b) or (c) above its threshold
    #: (warning); balanced: ok
    branch: Literal["too_little_data", "focal", "balanced"]
    firms_with_employees: int
    linked_members: int
    employment_share: float | None  # (a) the largest firm's share of firm employment
    anchor: str | None  # that firm
    link_share: float | None  # (b) the best-linked participant's share of linked pairs
    hub: str | None  # that participant (any kind: a university can be the anchor)
    dependence: float | None  # (c) share of selling SMEs whose in-cluster sales go > half to one buyer
    selling_smes: int
    dependent_smes: int
    main_buyer: str | None  # the buyer most dependent SMEs depend on
    main_buyer_smes: int  # how many depend on it
    dependence_by: Literal["volume", "links", "mixed", ""]  # how sales were weighed
    bypass: float | None  # (d) links touching SMEs that join two SMEs
    employment_judged: bool
    links_judged: bool
    dependence_judged: bool
    anchors: tuple[str, ...]  # names above a threshold, without repeats
    flagged: tuple[str, ...]  # which figures are above: "a", "b", "c"
    anchor_employment_share: float
    anchor_link_share: float
    dependence_share: float
    min_firms: int
    min_linked: int

    def details(self) -> dict[str, Any]:
        return {
            "firms_with_employees": self.firms_with_employees,
            "linked_members": self.linked_members,
            "employment_share": self.employment_share,
            "anchor": self.anchor,
            "link_share": self.link_share,
            "hub": self.hub,
            "dependence": self.dependence,
            "selling_smes": self.selling_smes,
            "dependent_smes": self.dependent_smes,
            "main_buyer": self.main_buyer,
            "main_buyer_smes": self.main_buyer_smes,
            "dependence_by": self.dependence_by,
            "bypass": self.bypass,
            "employment_judged": self.employment_judged,
            "links_judged": self.links_judged,
            "dependence_judged": self.dependence_judged,
            "anchors": list(self.anchors),
            "flagged": list(self.flagged),
        }


@dataclass(frozen=True)
class SectorShare:
    division: str  # OKVED 2 / NACE division, two digits
    firms: int
    share: float  # of firms with a valid code
    employment_share: float | None  # of their known employment


@dataclass(frozen=True)
class SpecialisationFacts:
    #: no_codes: no participant firm has a sector code (n/a); narrow / scattered / both: warning;
    #: balanced: ok
    branch: Literal["no_codes", "narrow", "scattered", "balanced"]
    hhi_count: float | None  # Herfindahl index by firm count
    hhi_employment: float | None  # by employment (None: no head counts)
    sectors: tuple[SectorShare, ...]  # largest by employment (else count) first, at most 10
    sector_count: int  # number of divisions
    core_share: float | None  # share of firms in the core industry
    top_employment_share: float | None  # the largest division's share of firm employment
    unknown_sector_count: int
    hhi_concentrated: float
    scattered_top_share: float
    scattered_core_share: float
    narrow: bool = False
    scattered: bool = False

    def details(self) -> dict[str, Any]:
        return {
            "hhi": self.hhi_count,
            "hhi_count": self.hhi_count,
            "hhi_employment": self.hhi_employment,
            "sectors": [
                {"division": s.division, "firms": s.firms, "share": s.share,
                 "employment_share": s.employment_share}
                for s in self.sectors
            ],
            "sector_count": self.sector_count,
            "core_share": self.core_share,
            "top_employment_share": self.top_employment_share,
            "unknown_sector_count": self.unknown_sector_count,
            "narrow": self.narrow,
            "scattered": self.scattered,
        }


#: The seven gaps (Sölvell 2015) in their fixed order.
GAP_IDS = (
    "business_science",
    "business_education",
    "business_finance",
    "business_authorities",
    "business_business",
    "business_global_markets",
    "cluster_cluster",
)


@dataclass(frozen=True)
class GapFacts:
    id: str  # one of GAP_IDS
    covered: int  # firms with such a tie (cluster_cluster: participants linked to a partner cluster)
    coverage: float | None  # covered ÷ participant firms (None for cluster_cluster, no firms)
    links: int  # links of that pair
    open: bool
    covered_names: tuple[str, ...] = ()
    coverage_year_ago: float | None = None  # the trend, when links are dated
    open_year_ago: bool | None = None

    def details(self) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "covered": self.covered,
            "links": self.links,
            "open": self.open,
            "coverage_year_ago": self.coverage_year_ago,
            "firms": _names(self.covered_names),
        }


@dataclass(frozen=True)
class LinksFacts:
    #: too_few_members: n/a; no_links: failing; gaps: open gaps or isolated participants
    #: (warning); complete: ok
    branch: Literal["too_few_members", "no_links", "gaps", "complete"]
    members: int  # participants
    firms: int
    link_count: int  # links counted on the day
    pair_count: int  # distinct linked pairs
    density: float  # pairs ÷ n(n−1)/2
    horizontal_share: float | None  # links that are not supply or production services
    isolated: tuple[str, ...]
    isolated_count: int
    gaps: tuple[GapFacts, ...]  # in GAP_IDS order
    min_coverage: float
    year_ago: str | None = None  # the day of the trend (None: no dated links)
    density_year_ago: float | None = None

    @property
    def open_gaps(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.gaps if g.open)

    def details(self) -> dict[str, Any]:
        return {
            "link_count": self.link_count,
            "pair_count": self.pair_count,
            "density": self.density,
            "density_year_ago": self.density_year_ago,
            "horizontal_share": self.horizontal_share,
            "isolated": _names(self.isolated),
            "isolated_count": self.isolated_count,
            "gaps": {g.id: g.details() for g in self.gaps},
            "open_gaps": list(self.open_gaps),
            "min_coverage": self.min_coverage,
            "year_ago": self.year_ago,
        }


@dataclass(frozen=True)
class RegistryFacts:
    #: no_firms: n/a; short: a condition not met (warning); met: ok
    branch: Literal["no_firms", "short", "met"]
    counted: int  # participants counted (in Russia: foreign partners and partner clusters never)
    firms: int
    threshold_share: float  # 0.20, or 0.10 with special territories
    base_share: float
    special_share: float  # the lower threshold's value
    territory_share: float  # share of counted participants marked as in special territories
    territory_needed: float  # 0.30
    dependence: float | None = None  # qualifying volume ÷ firm output (None: no output recorded)
    qualifying_volume: float = 0.0
    firm_output: float = 0.0
    partial: bool = False  # output or volumes missing: the figure leaves them out
    missing_output: tuple[str, ...] = ()  # participant firms without output
    missing_volume: int = 0  # qualifying links without a volume
    missing_volume_members: tuple[str, ...] = ()  # participants on such links
    without_contract: tuple[str, ...] = ()  # counted participants without a qualifying contract
    exempt: tuple[str, ...] = ()  # of them, marked organising production (allowed: max_exempt)
    max_exempt: int = 3
    has_cluster_org: bool = True
    firm_shares: tuple[tuple[str, float], ...] = ()  # per firm with output: share sold inside
    contract_short: bool = False
    share_short: bool = False

    def details(self) -> dict[str, Any]:
        return {
            "definition": "Decree 779 (31.07.2015, as amended 2020): functional dependence = "
            "yearly volume of qualifying contracts between participants / yearly industrial output "
            "of participant firms (pre-check, not a legal ruling)",
            "dependence": self.dependence,
            "threshold_share": self.threshold_share,
            "special_territory_share": self.territory_share,
            "special_territory_switch": self.threshold_share != self.base_share,
            "qualifying_volume": self.qualifying_volume,
            "firm_output": self.firm_output,
            "partial": self.partial,
            "missing_output": _names(self.missing_output),
            "missing_output_count": count(self.missing_output),
            "missing_volume_links": self.missing_volume,
            "missing_volume_members": _names(self.missing_volume_members),
            "counted": self.counted,
            "firms": self.firms,
            "without_contract": _names(self.without_contract),
            "without_contract_count": count(self.without_contract),
            "exempt": list(self.exempt),
            "has_cluster_org": self.has_cluster_org,
            "firm_shares": {n: s for n, s in self.firm_shares[:MAX_NAMES]},
        }


CheckFacts = (
    CriticalMassFacts
    | ConcentrationFacts
    | HelixFacts
    | ClusterOrgFacts
    | FocalFacts
    | SpecialisationFacts
    | LinksFacts
    | RegistryFacts
)


class CheckStatus(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILING = "failing"
    NA = "not_applicable"


@dataclass(frozen=True)
class SettingUse:
    """A threshold setting a check used: its key, the value applied and its default."""

    key: str  # a ClusterSettings field
    value: Any
    default: Any

    @property
    def changed(self) -> bool:
        return bool(self.value != self.default)


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict. ``id`` is one of CHECK_IDS; ``facts`` is that check's facts class."""

    id: str
    status: CheckStatus
    value: float | int | None  # the headline figure (shares as fractions 0..1)
    facts: CheckFacts
    member_ids: tuple[str, ...] = ()  # members the check is about (the UI highlights them)
    settings: tuple[SettingUse, ...] = field(default=())  # thresholds applied (source line)
    #: ``member_ids``' rows in the checks' arrays, in the same order, where the check has them
    #: (concentration: those outside the radius; the map rings them by row, issue 17); None
    #: elsewhere. Not a fact: no part of the JSON, of equality or of the text.
    member_rows: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def details(self) -> dict[str, Any]:
        """The facts as the JSON-safe dict of ``check --json`` (names included, ids not)."""
        return self.facts.details()


#: Every check, in the order assess() returns them.
CHECK_IDS = (
    "critical_mass",
    "concentration",
    "helix",
    "cluster_org",
    "focal",
    "specialisation",
    "links",
    "registry",
)
