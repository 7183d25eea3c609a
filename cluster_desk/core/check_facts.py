"""What each check found, as typed facts: figures, names, the thresholds applied and which rule
branch decided the status. No sentences: cluster_desk.text renders these in the user's language.

``details()`` gives the JSON-safe dict that ``cluster-desk check --json`` has always printed under
"details" (same keys and values; scripts read them), and that the UI reads (e.g. the centre).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

#: Registry: Decree 779's reduced share for special territories is not modelled; kept in the
#: JSON details for scripts that read it (it is not shown in the window).
REGISTRY_NOTE = (
    "Decree 779 allows 10 % where ≥ 30 % of participants sit in special territories "
    "(single-industry towns); not modelled."
)


@dataclass(frozen=True)
class CriticalMassFacts:
    branch: Literal["below", "within", "above"]  # member firms against the mass band
    firms: int
    core: int
    related: int
    unspecified: int
    candidate_firms: int
    inside_radius: int | None  # member firms within the radius (None: nothing located)
    radius_km: float
    mass_min: int
    mass_max: int
    short: int  # firms missing to reach mass_min (0 if none)

    def details(self) -> dict[str, Any]:
        return {
            "firms": self.firms,
            "core": self.core,
            "related": self.related,
            "unspecified": self.unspecified,
            "candidate_firms": self.candidate_firms,
            "inside_radius": self.inside_radius,
            "radius_km": self.radius_km,
            "mass_min": self.mass_min,
            "mass_max": self.mass_max,
            "short": self.short,
        }


@dataclass(frozen=True)
class ConcentrationFacts:
    #: unplaced: nothing located (n/a); all_inside: ok; few_outside: share inside >= warning_share
    #: (warning); many_outside: below it (failing)
    branch: Literal["unplaced", "all_inside", "few_outside", "many_outside"]
    radius_km: float
    warning_share: float
    unlocated_count: int
    external_count: int
    outside: tuple[str, ...] = ()  # names, farthest first
    outside_km: tuple[float, ...] = ()
    inside_count: int = 0
    located_count: int = 0
    inside_share: float | None = None
    max_km: float | None = None
    centre: tuple[float, float] | None = None
    centre_source: Literal["settings", "cluster_org", "members"] | None = None

    @property
    def outside_count(self) -> int:
        return len(self.outside)

    def details(self) -> dict[str, Any]:
        if self.branch == "unplaced":
            return {
                "outside": [],
                "outside_count": 0,
                "unlocated_count": self.unlocated_count,
                "external_count": self.external_count,
                "centre": None,
                "radius_km": self.radius_km,
            }
        return {
            "outside": list(self.outside),
            "outside_km": list(self.outside_km),
            "outside_count": self.outside_count,
            "inside_count": self.inside_count,
            "located_count": self.located_count,
            "unlocated_count": self.unlocated_count,
            "external_count": self.external_count,
            "inside_share": self.inside_share,
            "max_km": self.max_km,
            "centre": None if self.centre is None else list(self.centre),
            "centre_source": self.centre_source,
            "radius_km": self.radius_km,
        }


HelixStrand = Literal["business", "government", "science"]


@dataclass(frozen=True)
class HelixFacts:
    branch: Literal["complete", "missing"]
    business: int
    government: int
    science: int
    missing: tuple[HelixStrand, ...]
    candidates: tuple[tuple[HelixStrand, tuple[str, ...]], ...]  # per missing strand: candidate names

    def details(self) -> dict[str, Any]:
        return {
            "business": self.business,
            "government": self.government,
            "science": self.science,
            "missing": list(self.missing),
            "candidates": {h: list(names) for h, names in self.candidates},
        }


@dataclass(frozen=True)
class ClusterOrgFacts:
    branch: Literal["present", "absent"]
    names: tuple[str, ...]  # member cluster organisations
    candidate: str | None  # first candidate cluster organisation (when absent)

    def details(self) -> dict[str, Any]:
        return {"count": len(self.names), "names": list(self.names)}


@dataclass(frozen=True)
class FocalFacts:
    #: too_little_data: neither share can be judged (n/a); focal: a share is above its threshold
    #: (warning); balanced: ok
    branch: Literal["too_little_data", "focal", "balanced"]
    firms_with_employees: int
    linked_members: int
    employment_share: float | None  # the largest firm's share of member-firm employment
    anchor: str | None  # that firm
    link_share: float | None  # share of ties touching the best-linked member
    hub: str | None  # that member
    employment_judged: bool  # enough firms with a head count (min_firms)
    links_judged: bool  # enough linked members (min_linked)
    anchors: tuple[str, ...]  # names above a threshold (focal branch), without repeats
    anchor_employment_share: float
    anchor_link_share: float
    min_firms: int
    min_linked: int

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "firms_with_employees": self.firms_with_employees,
            "linked_members": self.linked_members,
        }
        if self.employment_share is not None:
            out.update(employment_share=self.employment_share, anchor=self.anchor)
        if self.link_share is not None:
            out.update(link_share=self.link_share, hub=self.hub)
        out.update(employment_judged=self.employment_judged, links_judged=self.links_judged)
        return out


@dataclass(frozen=True)
class SectorShare:
    division: str  # NACE / OKVED division, two digits
    firms: int
    share: float  # of firms with a valid code


@dataclass(frozen=True)
class SpecialisationFacts:
    #: no_codes: no firm has a sector code (n/a); unbalanced: too concentrated and/or no related
    #: industry (warning); balanced: ok
    branch: Literal["no_codes", "unbalanced", "balanced"]
    hhi: float | None
    sectors: tuple[SectorShare, ...]  # largest first, at most 10
    sector_count: int
    related_sector_count: int
    unknown_sector_count: int
    hhi_concentrated: float
    concentrated: bool  # hhi above hhi_concentrated
    no_related: bool  # no related-industry division

    def details(self) -> dict[str, Any]:
        return {
            "hhi": self.hhi,
            "sectors": [{"division": s.division, "firms": s.firms, "share": s.share} for s in self.sectors],
            "sector_count": self.sector_count,
            "related_sector_count": self.related_sector_count,
            "unknown_sector_count": self.unknown_sector_count,
        }


#: The seven gaps (Sölvell 2015) in their fixed order.
GAP_IDS = (
    "business_science",
    "business_education",
    "business_finance",
    "business_authorities",
    "business_business",
    "cluster_cluster",
    "business_global_markets",
)


@dataclass(frozen=True)
class LinksFacts:
    #: too_few_members: n/a; no_links: failing; gaps: open gaps or isolated members (warning);
    #: complete: ok
    branch: Literal["too_few_members", "no_links", "gaps", "complete"]
    members: int
    link_count: int  # ties: one per linked pair
    links_total: int  # links among current members
    density: float
    isolated: tuple[str, ...]
    open_gaps: tuple[str, ...]  # ids from GAP_IDS, in that order

    @property
    def isolated_count(self) -> int:
        return len(self.isolated)

    def details(self) -> dict[str, Any]:
        return {
            "link_count": self.link_count,
            "links_total": self.links_total,
            "density": self.density,
            "isolated": list(self.isolated),
            "isolated_count": self.isolated_count,
            "gaps": {g: "open" if g in self.open_gaps else "closed" for g in GAP_IDS},
            "open_gaps": list(self.open_gaps),
        }


@dataclass(frozen=True)
class RegistryFacts:
    #: no_firms: n/a; short: too many firms without a supply contract and/or in-cluster supply
    #: below the share (warning); met: ok
    branch: Literal["no_firms", "short", "met"]
    firms: int
    registry_share: float
    registry_max_unlinked: int
    cluster_share: float | None = None  # share of intermediate output passed to members
    #: how firms are weighted: by employment (firms without a head count at the median), or equally
    weighting: Literal["employment", "employment_median", "equal"] = "equal"
    median_firms: int = 0  # firms weighted at the median head count
    meeting_count: int = 0
    unlinked: tuple[str, ...] = ()  # firms without a supply link
    too_many_unlinked: bool = False
    share_short: bool = False

    @property
    def unlinked_count(self) -> int:
        return len(self.unlinked)

    def details(self) -> dict[str, Any]:
        if self.branch == "no_firms":
            return {"firms": 0, "note": REGISTRY_NOTE}
        weighting = {
            "employment": "employment",
            "employment_median": f"employment ({self.median_firms} firms at the median)",
            "equal": "equal",
        }[self.weighting]
        return {
            "cluster_share": self.cluster_share,
            "weighting": weighting,
            "firms": self.firms,
            "meeting_count": self.meeting_count,
            "below_share_count": self.firms - self.meeting_count,
            "unlinked": list(self.unlinked),
            "unlinked_count": self.unlinked_count,
            "note": REGISTRY_NOTE,
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
class CheckResult:
    """One check's verdict. ``id`` is one of CHECK_IDS; ``facts`` is that check's facts class."""

    id: str
    status: CheckStatus
    value: float | int | None  # the headline figure (shares as fractions 0..1)
    facts: CheckFacts
    member_ids: tuple[str, ...] = ()  # members the check is about (the UI highlights them)

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
