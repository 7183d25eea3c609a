"""Checks of a cluster against DOMAIN.md "Checks, rule by rule".

``assess(members, links, settings, on=day)`` returns one :class:`CheckResult` per check in the
order of CHECK_IDS, computed on the *participants* on ``day`` (default today) and the links
counting on it. Each result carries its status, the headline figure, typed facts with the
figures that went in (core.check_facts) and the threshold settings it applied; the rules live in
core.checks.*, every sentence in cluster_desk.text.checks.

``as_if`` (a plan's candidates counted as participants) is how the planner shows "as if they
joined": the same rules on the same arrays, with those rows included.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from cluster_desk.core.check_facts import CHECK_IDS, CheckResult, CheckStatus
from cluster_desk.core.checks import geography, relations, structure
from cluster_desk.core.checks.context import EXTERNAL_KINDS, Arrays, BoolArray, year_before
from cluster_desk.core.checks.relations import FOCAL_MIN_FIRMS, FOCAL_MIN_LINKED
from cluster_desk.core.model import ClusterSettings, Link, Member

__all__ = [
    "CHECK_IDS",
    "EXTERNAL_KINDS",
    "FOCAL_MIN_FIRMS",
    "FOCAL_MIN_LINKED",
    "GEOGRAPHIC_CHECKS",
    "LINK_FREE_CHECKS",
    "Arrays",
    "CheckResult",
    "CheckStatus",
    "assess",
    "assess_arrays",
    "effective_centre",
    "status_counts",
]

#: Checks whose figures depend on where members are; the others only on who they are and their links.
GEOGRAPHIC_CHECKS = ("critical_mass", "concentration")
#: Checks that read no link (a change of links only keeps their results).
LINK_FREE_CHECKS = (*GEOGRAPHIC_CHECKS, "cluster_org", "specialisation")


def assess(
    members: Sequence[Member],
    links: Sequence[Link],
    settings: ClusterSettings,
    *,
    on: str | None = None,
    as_if: Iterable[str] = (),
    previous: Sequence[CheckResult] | None = None,
) -> list[CheckResult]:
    """All checks on day ``on`` (ISO, default today), in CHECK_IDS order.

    ``as_if``: ids of candidates (or draft members) counted as if they had joined.
    ``previous``: results from before a change that only MOVED members or the circle: only the
    geographic checks are recomputed (the links are not read).
    """
    with _REUSED_LOCK:
        arrays = _reused_arrays(members, None if previous is not None else links)
        return assess_arrays(arrays, settings, on=on, as_if=as_if, previous=previous)


# The arrays of the last assess() call, brought up to date on the next one (Arrays.refreshed:
# a drag or an edit rewrites a few rows instead of turning 400k records into columns again).
# The lock keeps one caller (the GUI thread, a worker thread) from patching what another reads.
_REUSED_LOCK = threading.Lock()
_reused: list[Arrays] = []


def _reused_arrays(members: Sequence[Member], links: Sequence[Link] | None) -> Arrays:
    """``links`` None: unchanged since the last call (only members moved)."""
    if _reused:
        arrays = _reused[0].refreshed(members, links)
    else:
        arrays = Arrays(members, () if links is None else links)
    _reused[:] = [arrays]
    return arrays


def assess_arrays(
    a: Arrays,
    settings: ClusterSettings,
    *,
    on: str | None = None,
    as_if: Iterable[str] = (),
    previous: Sequence[CheckResult] | None = None,
    geographic: Sequence[CheckResult] | None = None,
    keep_tallies: bool = True,
    geography_beside: bool = False,
) -> list[CheckResult]:
    """``assess`` on prepared arrays (the planner and the session reuse them). ``geographic``:
    results from before a change of links only (same members, settings, day and ``as_if``):
    the checks that read no link (LINK_FREE_CHECKS) are taken as they are, the others
    recomputed. ``keep_tallies`` False: the day's network is not kept for a link edit (the
    caller forgets it), so each tally goes once its last rule has read it (issue 17: a million
    members' gap tally, 25 MB, no longer held while the registry's and focal tally is built).
    ``geography_beside``: the geographic checks on a thread of their own while the network's
    run (``cluster-desk check``: a million members' ~0.3 s of distances and circles, mostly
    pyproj's and numpy's, which let go of the interpreter, beside the network's rules; ~20-40 MB
    more at the peak, the two sets of temporaries held at once). The same results either way."""
    day = on or date.today().isoformat()
    include = None
    extra_ids = [a.index[i] for i in as_if if i in a.index]
    if extra_ids:
        include = np.zeros(len(a.members), dtype=np.bool_)
        include[extra_ids] = True
    part = a.participants(day)
    if include is not None:
        part = part | include
    if geographic is not None:
        first = [c for c in geographic if c.id in GEOGRAPHIC_CHECKS]
    elif geography_beside and previous is None:
        with concurrent.futures.ThreadPoolExecutor(1, "geography") as beside:
            later = beside.submit(_geographic, a, part, settings)
            rest = _network_checks(a, settings, day, include, part, None, keep_tallies)
            return [*later.result(), *rest]
    else:
        first = _geographic(a, part, settings)
    if previous is not None:
        return first + [c for c in previous if c.id not in GEOGRAPHIC_CHECKS]
    return [*first, *_network_checks(a, settings, day, include, part, geographic, keep_tallies)]


def _network_checks(a: Arrays, settings: ClusterSettings, day: str, include: BoolArray | None,
                    part: BoolArray, geographic: Sequence[CheckResult] | None,
                    keep_tallies: bool) -> list[CheckResult]:
    """The checks of the day's network (``assess_arrays``'s after the geographic two)."""
    net, rows = a.network(day, include)
    # A plan's candidates join on the day: a year earlier they did not count.
    year_ago = a.network(year_before(day))[0] if a.dated else None
    kept = {c.id: c for c in geographic if c.id in LINK_FREE_CHECKS} if geographic is not None else {}
    # (each rule is a function of its inputs alone: the links check runs before the two that
    # share the registry's tally, so that a network not kept lets its gap tally go first)
    helix = structure.helix(a, part, rows, net)
    links = relations.links(a, rows, net, settings, year_ago)
    if not keep_tallies:
        net.memo.pop("gap_tally", None)
    return [
        helix,
        kept.get("cluster_org") or structure.cluster_org(a, part, rows, net, settings),
        relations.focal(a, rows, net, settings),
        kept.get("specialisation") or structure.specialisation(a, rows, net, settings),
        links,
        relations.registry(a, rows, net, settings),
    ]


def _geographic(a: Arrays, part: BoolArray, settings: ClusterSettings) -> list[CheckResult]:
    """Critical mass and concentration (the distances, rows and masks they share are not held
    after: a million members' ~16 MB of the assessment's peak; issue 17)."""
    candidates = np.flatnonzero((a.status == 1) & ~part)
    geo = geography.locate(a, part, settings, extra=candidates)
    return [geography.critical_mass(a, part, settings, geo), geography.concentration(a, part, settings, geo)]


def status_counts(a: Arrays) -> dict[str, int]:
    """Rows of each status in the arrays (one bincount; the same figures as counting records):
    members, candidates, former, drafts, unlocated and the total. The window's
    assessment engine and the command line both count with it."""
    by = np.bincount(np.asarray(a.status, dtype=np.int64), minlength=4).tolist()
    n = len(a.names)
    return {"members": by[0], "candidates": by[1], "former": by[2], "drafts": by[3],
            "unlocated": int(np.count_nonzero(np.isnan(a.lat) | np.isnan(a.lon))), "total": n}


def effective_centre(
    members: Sequence[Member], settings: ClusterSettings, on: str | None = None
) -> tuple[float, float] | None:
    """The centre the norm radius is measured from: the settings' centre if set, else the centre
    of the smallest circle holding the located participants (partner clusters and foreign
    partners left out). None if nothing is located."""
    if settings.centre_lat is not None and settings.centre_lon is not None:
        return (float(settings.centre_lat), float(settings.centre_lon))
    a = Arrays(members, ())
    geo = geography.locate(a, a.participants(on or date.today().isoformat()), settings)
    return geo.centre
