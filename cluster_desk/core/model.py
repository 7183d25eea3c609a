"""The cluster's data: members, links and per-project settings, as plain immutable values.

Everything here is Qt-free and SQL-free. Records are frozen dataclasses: an edit makes a new
record with ``dataclasses.replace``, which keeps undo (old value, new value) trivial.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class MemberKind(StrEnum):
    """Kinds of cluster participant (DOMAIN.md, after Sölvell 2015; infrastructure from seed 002)."""

    FIRM = "firm"
    RESEARCH = "research"  # research centre, R&D institute
    EDUCATION = "education"  # university, college
    FINANCE = "finance"  # bank, fund, investor
    AUTHORITY = "authority"  # local or regional government
    CLUSTER_ORG = "cluster_org"  # the cluster organisation (network coordinator)
    PARTNER_CLUSTER = "partner_cluster"
    INFRASTRUCTURE = "infrastructure"  # technopark, incubator, special economic zone
    FOREIGN_PARTNER = "foreign_partner"  # global markets: foreign buyers and partners


class Helix(StrEnum):
    """Strands of the triple helix."""

    BUSINESS = "business"
    GOVERNMENT = "government"
    SCIENCE = "science"


#: Which helix strand each kind belongs to (None: supports the cluster but is no strand).
HELIX_OF_KIND: dict[MemberKind, Helix | None] = {
    MemberKind.FIRM: Helix.BUSINESS,
    MemberKind.RESEARCH: Helix.SCIENCE,
    MemberKind.EDUCATION: Helix.SCIENCE,
    MemberKind.FINANCE: Helix.BUSINESS,
    MemberKind.AUTHORITY: Helix.GOVERNMENT,
    MemberKind.CLUSTER_ORG: None,
    MemberKind.PARTNER_CLUSTER: None,
    MemberKind.INFRASTRUCTURE: None,
    MemberKind.FOREIGN_PARTNER: None,
}


class Status(StrEnum):
    MEMBER = "member"
    CANDIDATE = "candidate"
    FORMER = "former"
    #: Placed on the map to try out, not a member: never counts, the planner's "as if" can add it.
    DRAFT = "draft"


class Industry(StrEnum):
    """Whether a firm's sector is the cluster's core industry or a related one."""

    CORE = "core"
    RELATED = "related"
    UNSPECIFIED = ""


class SizeClass(StrEnum):
    MICRO = "micro"  # 209-FZ: up to 15 employees (EU: fewer than 10)
    SMALL = "small"  # 209-FZ: 16-100 (EU: fewer than 50)
    MEDIUM = "medium"  # 209-FZ: 101-250 (EU: fewer than 250)
    LARGE = "large"  # 209-FZ: more than 250 (EU: 250 and more)
    UNKNOWN = ""


class SizeScheme(StrEnum):
    """Which law sets the size classes: Russian Federal Law 209-FZ (default) or the EU
    recommendation 2003/361 (a project setting)."""

    RU_209FZ = "209fz"
    EU = "eu"


#: Largest head count of each class (inclusive), per scheme.
SIZE_LIMITS: dict[SizeScheme, tuple[int, int, int]] = {
    SizeScheme.RU_209FZ: (15, 100, 250),
    SizeScheme.EU: (9, 49, 249),
}


def size_class(employees: int | None, scheme: SizeScheme | str = SizeScheme.RU_209FZ) -> SizeClass:
    """Size class from head count: 209-FZ by default (micro <= 15, small <= 100, medium <= 250),
    or the EU scheme (< 10, < 50, < 250)."""
    if employees is None or employees < 0:
        return SizeClass.UNKNOWN
    micro, small, medium = SIZE_LIMITS[SizeScheme(scheme)]
    if employees <= micro:
        return SizeClass.MICRO
    if employees <= small:
        return SizeClass.SMALL
    if employees <= medium:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


def sme_limit(scheme: SizeScheme | str = SizeScheme.RU_209FZ) -> int:
    """Largest head count of a small or medium enterprise under ``scheme``."""
    return SIZE_LIMITS[SizeScheme(scheme)][2]


class LinkKind(StrEnum):
    """Kinds of tie between two members (issue 12; the first four qualify under Decree 779)."""

    SUPPLY = "supply"  # supply of industrial products (directed: supplier -> buyer)
    PRODUCTION_SERVICES = "production_services"  # works or services of a production character (directed)
    IMPORT_SUBSTITUTION = "import_substitution"  # project to produce import-substituting products
    SPECIAL_INVESTMENT = "special_investment"  # special investment contract (СПИК)
    RND = "rnd"  # joint research and development
    EDUCATION = "education"  # education and training
    FINANCE = "finance"  # finance and investment
    GOVERNMENT = "government"  # government support
    JOINT_PROJECT = "joint_project"  # joint marketing, export or procurement project
    OTHER = "other"


#: Supply-like kinds: directed, ``source`` supplies ``target``. Every other kind is undirected.
DIRECTED_KINDS: frozenset[LinkKind] = frozenset({LinkKind.SUPPLY, LinkKind.PRODUCTION_SERVICES})

#: Contracts that count for the industrial-cluster registry (Decree 779, rule 8 of DOMAIN.md).
QUALIFYING_KINDS: frozenset[LinkKind] = frozenset(
    {LinkKind.SUPPLY, LinkKind.PRODUCTION_SERVICES, LinkKind.IMPORT_SUBSTITUTION, LinkKind.SPECIAL_INVESTMENT}
)

#: Horizontal links (DOMAIN.md rule 7): cooperation, not a supply chain.
HORIZONTAL_KINDS: frozenset[LinkKind] = frozenset(LinkKind) - DIRECTED_KINDS

#: English and Russian names of each kind (imports read both; exports write the chosen one).
#: The UI shows its own tr() labels with the same words.
LINK_KIND_NAMES: dict[LinkKind, tuple[str, str]] = {
    LinkKind.SUPPLY: ("supply of industrial products", "поставка промышленной продукции"),
    LinkKind.PRODUCTION_SERVICES: (
        "works or services of a production character", "работы/услуги производственного характера"
    ),
    LinkKind.IMPORT_SUBSTITUTION: ("import-substitution project", "проект по импортозамещению"),
    LinkKind.SPECIAL_INVESTMENT: ("special investment contract", "СПИК"),
    LinkKind.RND: ("joint R&D", "совместные НИОКР"),
    LinkKind.EDUCATION: ("education and training", "обучение, стажировки"),
    LinkKind.FINANCE: ("finance and investment", "финансирование"),
    LinkKind.GOVERNMENT: ("government support", "господдержка"),
    LinkKind.JOINT_PROJECT: ("joint project", "совместный проект"),
    LinkKind.OTHER: ("other", "другое"),
}


class SpecialTerritory(StrEnum):
    """Territories that lower the registry threshold to 10 % (Decree 779, as amended)."""

    NONE = ""
    SINGLE_INDUSTRY_TOWN = "single_industry_town"  # моногород
    INDIVIDUAL_PROGRAMME = "individual_programme"  # region with an individual development programme
    GEOSTRATEGIC = "geostrategic"  # geostrategic territory


SPECIAL_TERRITORY_NAMES: dict[SpecialTerritory, tuple[str, str]] = {
    SpecialTerritory.NONE: ("none", "нет"),
    SpecialTerritory.SINGLE_INDUSTRY_TOWN: ("single-industry town", "моногород"),
    SpecialTerritory.INDIVIDUAL_PROGRAMME: (
        "region with an individual development programme", "регион с индивидуальной программой развития"
    ),
    SpecialTerritory.GEOSTRATEGIC: ("geostrategic territory", "геостратегическая территория"),
}


def new_id() -> str:
    """A stable, globally unique id (field copies merge by it)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    kind: MemberKind = MemberKind.FIRM
    status: Status = Status.MEMBER
    id: str = field(default_factory=new_id)
    sector: str = ""  # NACE Rev.2 / OKVED 2 code, kept as text ("29.10")
    industry: Industry = Industry.UNSPECIFIED
    employees: int | None = None
    lat: float | None = None  # WGS84 degrees; None = not placed on the map yet
    lon: float | None = None
    address: str = ""
    inn: str = ""  # Russian tax id, text: leading zeros matter
    website: str = ""
    contact: str = ""
    joined: str | None = None  # ISO date "YYYY-MM-DD"
    left: str | None = None
    notes: str = ""
    #: Yearly industrial output in roubles (Decree 779's functional dependence); None = unknown.
    output: float | None = None
    special_territory: SpecialTerritory = SpecialTerritory.NONE
    #: Does not produce industrial products yet but organises such production (Decree 779, 2020).
    organising_production: bool = False

    @property
    def size_class(self) -> SizeClass:
        return size_class(self.employees)

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def helix(self) -> Helix | None:
        return HELIX_OF_KIND[self.kind]


#: Member fields a user edits, in display order (the id is not among them).
MEMBER_FIELDS: tuple[str, ...] = (
    "name", "kind", "status", "sector", "industry", "employees", "lat", "lon",
    "address", "inn", "website", "contact", "joined", "left", "notes",
    "output", "special_territory", "organising_production",
)


@dataclass(frozen=True, slots=True)
class Link:
    """A tie between two members. For directed kinds (DIRECTED_KINDS) ``source`` is the supplier."""

    source: str  # member id
    target: str  # member id
    kind: LinkKind = LinkKind.OTHER
    id: str = field(default_factory=new_id)
    start: str | None = None  # ISO date; None: always
    #: Supply links, format 2 and earlier: share (0..1) of the supplier's intermediate output going
    #: to the target. Kept as recorded (it cannot become roubles without the supplier's output);
    #: ``volume`` is the figure new data records.
    share: float | None = None
    notes: str = ""
    end: str | None = None  # ISO date the tie ended; None: still running
    volume: float | None = None  # yearly value flowing through the tie, roubles; None = unknown
    contract: str = ""  # contract reference (number and date as text)

    @property
    def directed(self) -> bool:
        return self.kind in DIRECTED_KINDS

    def active_on(self, day: str) -> bool:
        """Counts on ``day`` (ISO): started on or before it (or no start) and not ended by it."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end > day)


#: Link fields in column / change-log order (format 3 appended end, volume, contract).
LINK_FIELDS: tuple[str, ...] = (
    "source", "target", "kind", "start", "share", "notes", "end", "volume", "contract",
)


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Per-project settings. Every threshold default comes from DOMAIN.md ("Checks, rule by
    rule"); its source is in text.check_words.ThresholdSources. A changed one is shown as
    "project setting (default X, source)"."""

    name: str = ""
    centre_lat: float | None = None  # None: the centre of the smallest circle of the participants
    centre_lon: float | None = None
    #: The NORM radius of geographic concentration (OECD 200 km); not the circle a tool draws.
    radius_km: float = 200.0
    mass_min: int = 100
    mass_max: int = 150
    registry_share: float = 0.20  # Decree 779: functional dependence >= 20 %
    registry_max_unlinked: int = 3  # Decree 779 (2020): up to 3 organising production may lack a contract
    anchor_employment_share: float = 0.5  # (a) largest firm's share of firm employment: focal above
    anchor_link_share: float = 0.5  # (b) best-linked participant's share of links: focal above
    hhi_concentrated: float = 0.25  # HHI by employment above this: "narrow"
    #: Size classes: 209-FZ (default) or EU.
    size_scheme: str = SizeScheme.RU_209FZ.value
    concentration_warning_share: float = 0.8  # share inside the norm radius: warning at or above
    dependence_share: float = 0.5  # (c) share of selling SMEs dependent on one buyer: focal above
    scattered_top_share: float = 0.20  # "scattered": largest division below this of firm employment ...
    scattered_core_share: float = 1 / 3  # ... and core firms below this share of firms
    gap_min_coverage: float = 0.10  # a gap is open below this share of firms
    registry_special_share: float = 0.10  # Decree 779: the lower threshold ...
    registry_special_territory_share: float = 0.30  # ... when this share of participants is in them
    org_min_fte: float = 0.5  # ECCP: >= 0.5 FTE of cluster management
    org_min_private_share: float = 0.0  # private share of funding: warn below (0: not judged)
    #: Facts about the cluster organisation (None: not recorded).
    org_fte: float | None = None
    org_fees: float | None = None  # membership fees collected, roubles a year
    org_private_share: float | None = None  # private share of its funding, 0..1
