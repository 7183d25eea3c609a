"""Checks of a cluster against the signs of a sound cluster (DOMAIN.md).

``assess(members, links, settings)`` returns one :class:`CheckResult` per check, in a fixed order
(CHECK_IDS). Each result carries its status, the headline figure and typed facts
(core.check_facts: figures, names, the thresholds applied, the rule branch); the rules are in
core.check_rules and every sentence about them in cluster_desk.text.checks. Only members with
status MEMBER count; candidates are reported as "would count if they joined"; former members are
ignored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cluster_desk.core import check_rules as rules
from cluster_desk.core.check_facts import CHECK_IDS, CheckResult, CheckStatus
from cluster_desk.core.check_rules import CONCENTRATION_WARNING_SHARE, FOCAL_MIN_FIRMS, FOCAL_MIN_LINKED
from cluster_desk.core.geodesy import distances_km_beyond
from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.roster_arrays import EXTERNAL_KINDS, FloatArray, Roster, effective_centre, find_centre

__all__ = [
    "CHECK_IDS",
    "CONCENTRATION_WARNING_SHARE",
    "EXTERNAL_KINDS",
    "FOCAL_MIN_FIRMS",
    "FOCAL_MIN_LINKED",
    "GEOGRAPHIC_CHECKS",
    "CheckResult",
    "CheckStatus",
    "assess",
    "effective_centre",
]

#: Checks whose figures depend on where members are; the others only on who they are and their links.
GEOGRAPHIC_CHECKS = ("critical_mass", "concentration")


def assess(
    members: Sequence[Member],
    links: Sequence[Link],
    settings: ClusterSettings,
    *,
    previous: Sequence[CheckResult] | None = None,
) -> list[CheckResult]:
    """All checks, in a fixed order: critical_mass, concentration, helix, cluster_org, focal,
    specialisation, links, registry.

    ``previous``: the results from before a change that only MOVED members (nothing else about
    them, their links or the settings changed). Only the geographic checks are recomputed and the
    links are not read again: at 100,000 members that is a few times faster than a full run.
    """
    r = Roster(members, None if previous is not None else links)
    centre = find_centre(r, settings)
    pts = np.flatnonzero(r.located & r.local)
    dist: FloatArray | None = None
    if centre is not None and pts.size:
        # Exact geodesic distance for every member that may be outside the radius, and for the
        # farthest; the others are certainly inside (spherical estimate, never shown as a figure).
        dist, _ = distances_km_beyond(centre.lat, centre.lon, r.lat[pts], r.lon[pts], settings.radius_km)
    firm_dist: FloatArray | None = None
    if dist is not None:
        # Distances of the located firms: position of each member in ``pts``, -1 if not there.
        pos = np.full(r.n, -1, dtype=np.int64)
        pos[pts] = np.arange(pts.size)
        firm_pos = pos[r.firm_idx]
        firm_dist = dist[firm_pos[firm_pos >= 0]]
    geographic = [
        rules.critical_mass(r, settings, firm_dist),
        rules.concentration(r, settings, centre, pts, dist),
    ]
    if previous is not None:
        return geographic + [c for c in previous if c.id not in GEOGRAPHIC_CHECKS]
    return [
        *geographic,
        rules.helix(r),
        rules.cluster_org(r),
        rules.focal(r, settings),
        rules.specialisation(r, settings),
        rules.links(r),
        rules.registry(r, settings),
    ]
