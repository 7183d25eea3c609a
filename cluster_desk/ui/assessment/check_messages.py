"""Check figures, and the core's English sentences rebuilt in the interface language.

The core (core.assessment) writes English messages with the figures in them. For another
interface language each known check is re-rendered here from its ``details`` and the settings
(Russian avoids number agreement with the "label: number" style common in Russian software).
In English the core's own sentences are shown unchanged; unknown checks fall back to English.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from cluster_desk.core.model import ClusterSettings
from cluster_desk.ui.i18n import current_language

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def _f(template: str, *args: Any) -> str:
    out = template
    for i, a in enumerate(args, 1):
        out = out.replace(f"%{i}", str(a))
    return out


def pct(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x * 100:.{digits}f} %"


def num(x: float) -> str:
    return f"{x:g}"


def figure(result: Any) -> str:
    """The headline figure with its unit: "98", "97 %", "2 of 3", "HHI 0.31"."""
    v, d = result.value, result.details or {}
    if v is None:
        return "—"
    cid = result.id
    if cid in ("concentration", "focal", "registry"):
        return pct(float(v))
    if cid == "helix":
        return _f(translate("Check", "%1 of 3"), v)
    if cid == "specialisation":
        return f"HHI {float(v):.2f}"
    if cid == "links":
        return _f(translate("Check", "%1 links"), d.get("link_count", 0))
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}"
    return str(int(v))


def _helix_name(strand: str) -> str:
    return {
        "business": translate("Check", "business"),
        "government": translate("Check", "government"),
        "science": translate("Check", "science"),
    }.get(strand, strand)


def _helix_wanted(strand: str) -> str:
    return {
        "business": translate("Check", "a firm or financial institution"),
        "government": translate("Check", "a local or regional authority"),
        "science": translate("Check", "a research centre or university"),
    }.get(strand, strand)


def gap_labels() -> dict[str, str]:
    return {
        "business_science": translate("Check", "business–science (firm with a research centre)"),
        "business_education": translate("Check", "business–education (firm with a university or college)"),
        "business_finance": translate("Check", "business–finance (firm with a financial institution)"),
        "business_authorities": translate("Check", "business–authorities (firm with an authority)"),
        "business_business": translate("Check", "business–business (two firms)"),
        "cluster_cluster": translate("Check", "cluster–cluster (any member with a partner cluster)"),
        "business_global_markets": translate(
            "Check", "business–global markets (firm with a foreign partner)"
        ),
    }


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _critical_mass(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    inside = d.get("inside_radius")
    where = "" if inside is None else _f(translate("Check", "; within %1 km: %2"), num(s.radius_km), inside)
    band = _f(translate("Check", "%1–%2 firms"), d.get("mass_min", s.mass_min), d.get("mass_max", s.mass_max))
    firms = d.get("firms", 0)
    if firms < d.get("mass_min", s.mass_min):
        place = _f(translate("Check", "below the %1 band"), band)
    elif firms > d.get("mass_max", s.mass_max):
        place = _f(translate("Check", "above the %1 band (not a problem in itself)"), band)
    else:
        place = _f(translate("Check", "within %1"), band)
    msg = _f(
        translate("Check", "Member firms: %1 (core %2, related %3, unspecified %4%5), %6."),
        firms,
        d.get("core", 0),
        d.get("related", 0),
        d.get("unspecified", 0),
        where,
        place,
    )
    remedy = ""
    short, cand = d.get("short", 0), d.get("candidate_firms", 0)
    if short > 0:
        if not cand:
            remedy = _f(translate("Check", "More firms needed: %1; there are no candidate firms yet."), short)
        elif cand >= short:
            remedy = _f(
                translate("Check", "More firms needed: %1; the candidate firms (%2) would close the gap."),
                short,
                cand,
            )
        else:
            remedy = _f(
                translate("Check", "More firms needed: %1; the candidate firms (%2) would leave %3 short."),
                short,
                cand,
                short - cand,
            )
    return {"message": msg, "remedy": remedy, "threshold": band}


def _concentration(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    r = num(d.get("radius_km", s.radius_km))
    threshold = _f(translate("Check", "all members within %1 km"), r)
    unlocated = d.get("unlocated_count", 0)
    if status == "not_applicable":
        remedy = (
            _f(translate("Check", "Place the members on the map (%1 not placed)."), unlocated)
            if unlocated
            else translate("Check", "Add members.")
        )
        return {
            "message": translate("Check", "No member is placed on the map yet."),
            "remedy": remedy,
            "threshold": threshold,
        }
    msg = _f(
        translate("Check", "Within %1 km of the centre: %2 of %3 located members (%4)."),
        r,
        d.get("inside_count", 0),
        d.get("located_count", 0),
        pct(d.get("inside_share")),
    )
    if unlocated:
        msg += " " + _f(translate("Check", "Not on the map yet: %1."), unlocated)
    remedy = ""
    if d.get("outside_count"):
        names, kms = d.get("outside") or [""], d.get("outside_km") or [0.0]
        remedy = _f(
            translate(
                "Check",
                "Beyond %1 km: %2 (farthest: %3, %4 km). Move the centre, widen the radius, "
                "or make them partner clusters or foreign partners.",
            ),
            r,
            d["outside_count"],
            names[0],
            f"{float(kms[0]):,.0f}".replace(",", " "),
        )
    return {"message": msg, "remedy": remedy, "threshold": threshold}


def _helix(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    figures = ", ".join(f"{_helix_name(h)} {d.get(h, 0)}" for h in ("business", "government", "science"))
    missing = d.get("missing", [])
    out = {"threshold": translate("Check", "business, government and science each ≥ 1 member")}
    if not missing:
        out.update(message=_f(translate("Check", "All three strands present (%1)."), figures), remedy="")
        return out
    parts = []
    for h in missing:
        cands = (d.get("candidates") or {}).get(h) or []
        hint = _f(translate("Check", " (candidate: %1)"), ", ".join(cands[:3])) if cands else ""
        parts.append(_f(translate("Check", "recruit %1%2"), _helix_wanted(h), hint))
    out.update(
        message=_f(
            translate("Check", "Missing: %1 (%2)."), ", ".join(_helix_name(h) for h in missing), figures
        ),
        remedy=_cap("; ".join(parts)) + ".",
    )
    return out


def _cluster_org(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    out = {"threshold": translate("Check", "a cluster organisation among the members")}
    if d.get("count"):
        out.update(
            message=_f(translate("Check", "Run by %1."), ", ".join((d.get("names") or [])[:3])), remedy=""
        )
    else:
        out.update(
            message=translate("Check", "No cluster organisation among the members."),
            remedy=translate(
                "Check",
                "Add the organisation that coordinates the cluster as a member of kind "
                "“cluster organisation”.",
            ),
        )
    return out


def _focal(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    out = {
        "threshold": _f(
            translate("Check", "largest firm ≤ %1 of firm employment; best-linked member in ≤ %2 of links"),
            pct(s.anchor_employment_share),
            pct(s.anchor_link_share),
        )
    }
    if status == "not_applicable":
        out.update(
            message=_f(
                translate(
                    "Check",
                    "Too little data: firms with a head count %1 (need 3), linked members %2 (need 5).",
                ),
                d.get("firms_with_employees", 0),
                d.get("linked_members", 0),
            ),
            remedy=translate("Check", "Record firms’ employees and the links between members."),
        )
        return out
    shown, flags = [], []
    if d.get("employment_judged") and d.get("employment_share") is not None:
        shown.append(
            _f(
                translate("Check", "the largest firm, %1, holds %2 of member-firm employment"),
                d.get("anchor"),
                pct(d["employment_share"]),
            )
        )
        if d["employment_share"] > s.anchor_employment_share:
            flags.append(d.get("anchor"))
    if d.get("links_judged") and d.get("link_share") is not None:
        shown.append(
            _f(translate("Check", "%1 takes part in %2 of links"), d.get("hub"), pct(d["link_share"]))
        )
        if d["link_share"] > s.anchor_link_share:
            flags.append(d.get("hub"))
    msg = _cap("; ".join(shown))
    if flags:
        anchors = translate("Check", " and ").join(dict.fromkeys(str(f) for f in flags))
        out.update(
            message=_f(translate("Check", "%1: focal model around %2."), msg, anchors),
            remedy=_f(
                translate(
                    "Check",
                    "Grow the periphery of small and medium firms and links among them that bypass %1.",
                ),
                anchors,
            ),
        )
    else:
        out.update(message=msg + ".", remedy="")
    return out


def _specialisation(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    out = {
        "threshold": _f(
            translate("Check", "sector HHI ≤ %1 and ≥ 1 related-industry sector"), num(s.hhi_concentrated)
        )
    }
    if status == "not_applicable":
        out.update(
            message=translate("Check", "No member firm has a sector code."),
            remedy=translate("Check", "Record the NACE / OKVED code of member firms."),
        )
        return out
    hhi = d.get("hhi") or 0.0
    out["message"] = _f(
        translate("Check", "Sector HHI %1; NACE divisions: %2; related-industry divisions: %3."),
        f"{hhi:.2f}",
        d.get("sector_count", 0),
        d.get("related_sector_count", 0),
    )
    problems = []
    sectors = d.get("sectors") or []
    if hhi > s.hhi_concentrated and sectors:
        problems.append(
            _f(
                translate(
                    "Check",
                    "division %1 holds %2 of firms: recruit firms from related industries to broaden the mix",
                ),
                sectors[0]["division"],
                pct(sectors[0]["share"]),
            )
        )
    if not d.get("related_sector_count"):
        problems.append(
            translate(
                "Check", "mark member firms from related industries, or recruit suppliers and service firms"
            )
        )
    out["remedy"] = _cap("; ".join(problems)) + "." if problems else ""
    return out


def _links(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    out = {"threshold": translate("Check", "links among members; all 7 gaps bridged; no isolated member")}
    if status == "not_applicable":
        out.update(
            message=translate("Check", "Fewer than two members."), remedy=translate("Check", "Add members.")
        )
        return out
    open_gaps = d.get("open_gaps") or []
    out["message"] = _f(
        translate("Check", "Links: %1 (density %2); open gaps: %3 of 7; members without links: %4."),
        d.get("link_count", 0),
        pct(d.get("density"), 2),
        len(open_gaps),
        d.get("isolated_count", 0),
    )
    if not d.get("link_count"):
        out["remedy"] = translate(
            "Check", "Record the cooperation between members (supply, R&D, training, finance, support)."
        )
        return out
    labels = gap_labels()
    parts = []
    if open_gaps:
        parts.append(
            _f(translate("Check", "bridge the gaps %1"), "; ".join(labels.get(g, g) for g in open_gaps))
        )
    if d.get("isolated_count"):
        parts.append(_f(translate("Check", "connect the isolated members (%1)"), d["isolated_count"]))
    out["remedy"] = _cap("; ".join(parts)) + "." if parts else ""
    return out


def _registry(d: dict[str, Any], status: str, s: ClusterSettings) -> dict[str, str]:
    out = {
        "threshold": _f(
            translate(
                "Check", "≥ %1 of intermediate output to members; ≤ %2 firms without a supply contract"
            ),
            pct(s.registry_share),
            s.registry_max_unlinked,
        )
    }
    if status == "not_applicable":
        out.update(
            message=translate("Check", "No member firms."), remedy=translate("Check", "Add member firms.")
        )
        return out
    share = d.get("cluster_share") or 0.0
    unlinked = d.get("unlinked_count", 0)
    out["message"] = _f(
        translate(
            "Check",
            "Member firms pass %1 of their intermediate output to other members; "
            "reaching %2: %3 of %4 firms; without a supply link: %5.",
        ),
        pct(share),
        pct(s.registry_share),
        d.get("meeting_count", 0),
        d.get("firms", 0),
        unlinked,
    )
    parts = []
    if unlinked > s.registry_max_unlinked:
        parts.append(
            _f(
                translate("Check", "sign supply contracts for %1 more of the %2 unlinked firms"),
                unlinked - s.registry_max_unlinked,
                unlinked,
            )
        )
    if share < s.registry_share - 1e-9:
        parts.append(
            _f(translate("Check", "raise in-cluster supply from %1 to %2"), pct(share), pct(s.registry_share))
        )
    out["remedy"] = _cap("; ".join(parts)) + "." if parts else ""
    return out


_RENDERERS: dict[str, Callable[[dict[str, Any], str, ClusterSettings], dict[str, str]]] = {
    "critical_mass": _critical_mass,
    "concentration": _concentration,
    "helix": _helix,
    "cluster_org": _cluster_org,
    "focal": _focal,
    "specialisation": _specialisation,
    "links": _links,
    "registry": _registry,
}


def localise(result: Any, settings: ClusterSettings | None = None) -> dict[str, str]:
    """figure (always) plus message/remedy/threshold in the interface language when not English."""
    out = {"figure": figure(result)}
    render = _RENDERERS.get(result.id)
    if current_language() == "en" or render is None:
        return out
    # If the core's details changed shape, the English text is still right: keep it.
    with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
        out.update(render(result.details or {}, str(result.status), settings or ClusterSettings()))
    return out
