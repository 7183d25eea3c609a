"""What the passport's charts draw, from the checks' arrays alone (no Member or Link record built).

The charts dock drew from the passport's data, which walks every record: at 100,000 members the
window first built 400,000 records between frames (~1.4 s of CPU), then the passport's data
(~0.9 s on the worker: the arrays again from the records, a sector text parsed per firm), and
the charts were on screen ~3 s after the dock was shown (issue 17). Here every figure is a count
over the arrays' columns, which the window's worker already holds (the assessment's), and the
passport takes the same figures from the arrays it builds, so the dock and the passport agree.

A firm's sector division is read as the checks read it (``core.checks.roster_rows.division_of``:
"C29.1" is division 29), the same reading as the specialisation check's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cluster_desk.core.checks.context import _STATUS as ARRAY_STATUS
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import MEMBER_CODE
from cluster_desk.core.model import HELIX_OF_KIND, ClusterSettings, MemberKind, Status
from cluster_desk.core.network import MEMBER_KINDS, gap_coverage
from cluster_desk.core.timeline import YearPoint, links_shown_on, yearly_series_of
from cluster_desk.text import Text, text_for

#: Size classes (209-FZ) apply to firms only.
FIRM_SIZES = ("small", "medium", "large")
#: Divisions shown in the sector chart (the most firms first).
TOP_DIVISIONS = 8
_FIRM = MEMBER_CODE[MemberKind.FIRM.value]
#: Each member kind's strand of the helix ("none": the cluster organisation, partners).
_STRAND = [("none" if HELIX_OF_KIND[k] is None else HELIX_OF_KIND[k].value) for k in MEMBER_KINDS]  # type: ignore[union-attr]


@dataclass(frozen=True)
class FirmSizes:
    """Participant firms by 209-FZ size class: shares among the firms with a head count (small
    ≤ 100 employees, micro included as in the HSE mix; medium 101–250; large > 250)."""

    shares: dict[str, float]
    known: int  # firms with a head count (the shares' base)
    unknown: int  # firms without one (not in the shares)


@dataclass(frozen=True)
class SectorMix:
    """The participant firms' top divisions: (division "29", firms, employees), most firms first
    (a tie: the division met first in the roster), and the totals the shares are taken of."""

    rows: list[tuple[str, int, int]]
    firms: int  # firms with a division
    employees: int  # their employees


@dataclass(frozen=True)
class ChartData:
    """Everything the charts draw (report.charts), on one day."""

    lang: str
    settings: ClusterSettings
    series: list[YearPoint]
    gap_years: list[tuple[int, dict[str, float | None]]]  # (year, gap -> coverage share)
    sectors: SectorMix
    sizes: FirmSizes
    helix: dict[str, int]  # strand -> participants
    participants: int
    missing: list[str] = field(default_factory=list)  # PassportWords.missing keys

    @property
    def text(self) -> Text:
        return text_for(self.lang)


def chart_data(a: Arrays, settings: ClusterSettings, *, lang: str, day: str | None = None,
               with_series: bool = True) -> ChartData:
    """The charts' figures on ``day`` (None: today, every member of status MEMBER a participant,
    as the passport of today counts them; a day: the participants then, links active then)."""
    today = date.today().isoformat()
    if day is None:
        part = a.status == ARRAY_STATUS[Status.MEMBER]
        src, dst = a.src, a.dst
        ends = (src >= 0) & (dst >= 0)
        linked = bool(np.any(part[src[ends]] & part[dst[ends]]))
    else:
        part = a.participants(day)
        linked = bool(links_shown_on(a, day, part).any())
    series = yearly_series_of(a, settings, until=day or today) if with_series else []
    firms = part & (a.kind == _FIRM)
    division = np.asarray(a.division)[firms]
    employees = np.asarray(a.employees, dtype=np.float64)[firms]
    n = int(np.count_nonzero(part))
    missing = [key for key, absent in (
        ("no_participants", not n),
        ("no_dates", not series),
        ("no_located", not bool(np.any(part & a.located))),
        ("no_links", not linked),
        ("no_firms", n > 0 and not division.size),
        ("no_sectors", division.size > 0 and not bool(np.any(division > 0))),
        ("no_sizes", division.size > 0 and bool(np.all(np.isnan(employees)))),
    ) if absent]
    return ChartData(
        lang=lang, settings=settings, series=series,
        gap_years=_gap_years(a, series, day or today) if linked else [],
        sectors=sector_mix(division, employees), sizes=firm_sizes(employees),
        helix=helix_mix(np.asarray(a.kind)[part]), participants=n, missing=missing,
    )  # fmt: skip


def sector_mix(division: np.ndarray, employees: np.ndarray, top: int = TOP_DIVISIONS) -> SectorMix:
    """The firms' top divisions (``division``: each firm's, -1 none; ``employees``: NaN unknown)."""
    has = division > 0
    codes = division[has].astype(np.int64)
    heads = np.nan_to_num(employees[has], nan=0.0)
    if not codes.size:
        return SectorMix([], 0, 0)
    firms = np.bincount(codes, minlength=100)
    staff = np.bincount(codes, weights=heads, minlength=100)
    seen, first = np.unique(codes, return_index=True)
    ranked = seen[np.lexsort((first, -firms[seen]))][:top]
    rows = [(f"{d:02d}", int(firms[d]), int(staff[d])) for d in ranked.tolist()]
    return SectorMix(rows, int(codes.size), int(heads.sum()))


def firm_sizes(employees: np.ndarray) -> FirmSizes:
    """The firms by size class (``employees``: each firm's head count, NaN unknown)."""
    known = employees[~np.isnan(employees)]
    counts = {"small": int(np.count_nonzero(known <= 100)),
              "medium": int(np.count_nonzero((known > 100) & (known <= 250))),
              "large": int(np.count_nonzero(known > 250))}
    total = known.size
    return FirmSizes({k: (counts[k] / total if total else 0.0) for k in FIRM_SIZES}, int(total),
                     int(employees.size - total))


def helix_mix(kinds: np.ndarray) -> dict[str, int]:
    """Participants by strand of the helix (``kinds``: their kind codes, core.network.MEMBER_KINDS)."""
    out = {"business": 0, "government": 0, "science": 0, "none": 0}
    for code, count in enumerate(np.bincount(kinds.astype(np.int64), minlength=len(MEMBER_KINDS)).tolist()):
        out[_STRAND[code]] += count
    return out


def _gap_years(a: Arrays, series: list[YearPoint], day: str) -> list[tuple[int, dict[str, float | None]]]:
    days = [(p.year, p.day) for p in series[-5:]] or [(int(day[:4]), day)]
    out: list[tuple[int, dict[str, float | None]]] = []
    for year, d in days:
        cov = gap_coverage(a.network(d, remember=False)[0])  # (the engine's own days stay kept)
        out.append((year, {g: (v["share"] if v["share"] is not None else (1.0 if v["covered"] else 0.0))
                           for g, v in cov.items()}))
    return out

