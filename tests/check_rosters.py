"""Small rosters that, with the demo, drive every check into every rule branch (the renderer
tests speak each of them in both languages), and the builders every check test makes its
rosters with: ``at`` (a place by bearing and distance from Kazan), ``m`` (a member) and ``link``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pyproj import Geod

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import ClusterSettings, Industry, Link, LinkKind, Member, MemberKind, Status

Roster = tuple[list[Member], list[Link], ClusterSettings]
GEOD = Geod(ellps="WGS84")
KAZAN = (55.79, 49.12)


def at(az: float, km: float) -> dict[str, float]:
    lon, lat, _ = GEOD.fwd(KAZAN[1], KAZAN[0], az, km * 1000.0)
    return {"lat": float(lat), "lon": float(lon)}


def m(name: str, kind: MemberKind = MemberKind.FIRM, /, az: float = 45.0, km: float = 10.0,
      **kw: Any) -> Member:
    """A member with id = name, placed ``km`` from Kazan at bearing ``az`` unless it has a
    ``lat``/``lon`` of its own or ``placed=False``."""
    kw.setdefault("id", name)
    if kw.pop("placed", True) and "lat" not in kw:
        kw.update(at(az, km))
    return Member(name=name, kind=kind, **kw)


def link(a: str, b: str, kind: LinkKind = LinkKind.OTHER, share: float | None = None,
         volume: float | None = None, **kw: Any) -> Link:
    """A link from ``a`` to ``b``; its id names the ends, the kind and the dates (unique in a roster)."""
    dates = f"@{kw.get('start')}/{kw.get('end')}" if kw.get("start") or kw.get("end") else ""
    return Link(source=a, target=b, kind=kind, share=share, id=f"{a}->{b}:{kind}{dates}", volume=volume, **kw)


def sound() -> Roster:
    """Passes every check (mass 5–10): within, all_inside, complete, present, balanced, met."""
    firms = [
        m(f"F{i}", sector=code, industry=ind, employees=emp, **at(30.0 * i, 20.0 + 10 * i))
        for i, (code, ind, emp) in enumerate(
            [
                ("29.10", Industry.CORE, 300),
                ("28.32", Industry.CORE, 250),
                ("22.11", Industry.RELATED, 200),
                ("27.90", Industry.RELATED, 150),
                ("25.62", Industry.RELATED, 100),
                ("62.01", Industry.RELATED, 120),
            ]
        )
    ]
    others = [
        m("ORG", MemberKind.CLUSTER_ORG, **at(0.0, 0.0)),
        m("GOV", MemberKind.AUTHORITY),
        m("UNI", MemberKind.EDUCATION),
        m("LAB", MemberKind.RESEARCH),
        m("BANK", MemberKind.FINANCE),
        m("PARTNER", MemberKind.PARTNER_CLUSTER, lat=48.0, lon=11.0),
        m("BUYER", MemberKind.FOREIGN_PARTNER, lat=31.2, lon=121.5),
    ]
    firms = [replace(f, output=1000.0) for f in firms]
    links = [
        *(link(f"F{i}", f"F{(i + 1) % 6}", LinkKind.SUPPLY, volume=150.0) for i in range(6)),
        *(link(f"F{i}", f"F{(i + 2) % 6}", LinkKind.SUPPLY, volume=150.0) for i in range(6)),
        *(link(x, f"F{i}", LinkKind.IMPORT_SUBSTITUTION, volume=10.0)
          for i, x in enumerate(("ORG", "GOV", "UNI", "LAB", "BANK"))),
        link("F0", "F1", LinkKind.JOINT_PROJECT),
        link("GOV", "UNI"),
        link("F0", "LAB", LinkKind.RND),
        link("F1", "UNI", LinkKind.EDUCATION),
        link("F2", "BANK", LinkKind.FINANCE),
        link("F3", "GOV", LinkKind.GOVERNMENT),
        link("ORG", "PARTNER"),
        link("F4", "BUYER", LinkKind.SUPPLY, 0.0),
        link("ORG", "F5"),
    ]
    return firms + others, links, ClusterSettings(mass_min=5, mass_max=10)


def empty() -> Roster:
    """Nothing at all: below (no candidates), unplaced, missing, absent, too little data, no codes,
    too few members, no firms."""
    return [], [], ClusterSettings()


def troubled() -> Roster:
    """A few firms around one giant, most far away, one unplaced; candidates short of the gap."""
    firms = [
        m("GIANT", sector="29.10", industry=Industry.CORE, employees=5000, **at(0.0, 5.0)),
        *(m(f"S{i}", sector="29.20", employees=50, **at(90.0, 400.0 + i)) for i in range(4)),
        m("NOWHERE", placed=False, sector="xx"),
    ]
    cands = [
        m("CAND_FIRM", status=Status.CANDIDATE),
        m("CITY", MemberKind.AUTHORITY, status=Status.CANDIDATE),
        m("ORG?", MemberKind.CLUSTER_ORG, status=Status.CANDIDATE),
    ]
    links = [link("GIANT", f"S{i}", LinkKind.SUPPLY, 0.05) for i in range(4)] + [link("S0", "S1")]
    return firms + cands, links, ClusterSettings(mass_min=10, mass_max=15)


def crowded() -> Roster:
    """Above the band, a few outside (warning), a hub holding most links, concentrated sectors
    with a related one; candidates enough to close any gap."""
    firms = [
        m(
            f"F{i}",
            sector="29.10",
            industry=Industry.RELATED if i == 0 else Industry.CORE,
            employees=100,
            **at(10.0 * i, 20.0 if i else 300.0),
        )
        for i in range(8)
    ]
    links = [link("F1", f"F{i}", LinkKind.SUPPLY, 0.5) for i in range(2, 8)]
    return firms, links, ClusterSettings(mass_min=2, mass_max=4)


def short_with_candidates() -> Roster:
    """Below the band but the candidate firms would close it; no links at all; the only placed
    members are unplaced; no related-industry firm though the sectors are varied."""
    firms = [m(f"F{i}", placed=False, sector=f"{10 + i}.1", employees=10 * (i + 1), industry=Industry.RELATED)
             for i in range(5)]
    cands = [m(f"C{i}", status=Status.CANDIDATE, industry=Industry.CORE) for i in range(3)]
    settings = ClusterSettings(mass_min=3, mass_max=10, centre_lat=KAZAN[0], centre_lon=KAZAN[1])
    return firms + cands, [], settings


def motley() -> Roster:
    """A motley cluster: twelve related firms in twelve divisions (scattered); a cluster
    organisation with too little staff recorded."""
    firms = [m(f"F{i}", sector=f"{10 + i}.1", industry=Industry.RELATED, employees=100) for i in range(12)]
    return [*firms, m("ORG", MemberKind.CLUSTER_ORG)], [], ClusterSettings(org_fte=0.2, org_fees=1.0e6)


def demo() -> Roster:
    return demo_cluster(seed=7)


ROSTERS: dict[str, Callable[[], Roster]] = {
    "demo": demo,
    "sound": sound,
    "empty": empty,
    "troubled": troubled,
    "crowded": crowded,
    "short_with_candidates": short_with_candidates,
    "motley": motley,
}
