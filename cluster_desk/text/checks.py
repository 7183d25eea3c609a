"""Check results (core.check_facts) as title, figure, threshold, message, remedy and source.

The only place where a check's wording lives: the window's cards, ``cluster-desk check`` and its
``--json`` text fields, and later the PDF passport all call :func:`render_check`. A fact branch
this module does not know raises (no silent English): tests/text/test_check_text.py renders every
check id and branch in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster_desk.core.check_facts import (
    CheckResult,
    ClusterOrgFacts,
    ConcentrationFacts,
    CriticalMassFacts,
    FocalFacts,
    HelixFacts,
    LinksFacts,
    RegistryFacts,
    SpecialisationFacts,
)
from cluster_desk.text.check_words import CheckWords, ThresholdSources
from cluster_desk.text.speech import Speaker, Text

#: Which setting's source backs each check's threshold (keys of ThresholdSources.texts).
SOURCE_OF_CHECK = {
    "critical_mass": "mass_min",
    "concentration": "radius_km",
    "helix": "helix",
    "cluster_org": "cluster_org",
    "focal": "anchor_employment_share",
    "specialisation": "hhi_concentrated",
    "links": "gaps",
    "registry": "registry_share",
}


@dataclass(frozen=True)
class CheckText:
    title: str
    status: str  # the status as a word ("Warning")
    figure: str  # the headline figure with its unit ("97 %", "2 of 3")
    threshold: str  # "100–150 firms"
    threshold_line: str  # "Threshold: 100–150 firms"
    message: str
    remedy: str  # "" when nothing is to be done
    source: str  # where the threshold comes from


def _cap(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case member names)."""
    return text[:1].upper() + text[1:]


class CheckSentences(Speaker):
    """Threshold, message and remedy of each check, from its facts. Returns (threshold, message,
    remedy); every method raises on a branch it does not know."""

    def critical_mass(self, f: CriticalMassFacts) -> tuple[str, str, str]:
        band = self.tr("%1–%2 firms").arg(f.mass_min, f.mass_max)
        split = self.tr("core %1, related %2, unspecified %3").arg(f.core, f.related, f.unspecified)
        if f.inside_radius is not None:
            split += "; " + self.tr("%1 within %2 km").arg(f.inside_radius, self.text.plain(f.radius_km))
        place = {
            "below": self.tr("below the %1 band"),
            "within": self.tr("within %1"),
            "above": self.tr("above the %1 band (not a problem in itself)"),
        }[f.branch].arg(band)
        message = self.tr("%1 member firm(s) (%2), %3.", None, f.firms).arg(f.firms, split, place)
        remedy = ""
        if f.branch == "below":
            need = self.tr("%1 more firm(s) needed", None, f.short).arg(f.short)
            c = f.candidate_firms
            tail: str
            if c == 0:
                tail = self.tr("there are no candidate firms yet.")
            elif c >= f.short:
                tail = self.tr("the %1 candidate firm(s) would close the gap.", None, c).arg(c)
            else:
                tail = self.tr("the %1 candidate firm(s) would leave %2 short.", None, c).arg(c, f.short - c)
            remedy = f"{need}; {tail}"
        return band, message, remedy

    def concentration(self, f: ConcentrationFacts) -> tuple[str, str, str]:
        radius = self.text.plain(f.radius_km)
        threshold = self.tr("all members within %1 km").arg(radius)
        if f.branch == "unplaced":
            n = f.unlocated_count
            remedy = (
                self.tr("Place the %1 member(s) on the map.", None, n).arg(n)
                if n
                else self.tr("Add members.")
            )
            return threshold, self.tr("No member is placed on the map yet."), remedy
        if f.branch not in ("all_inside", "few_outside", "many_outside"):
            raise ValueError(f.branch)
        message = self.tr(
            "%1 of %2 located member(s) (%3) lie within %4 km of the centre.", None, f.located_count
        ).arg(f.inside_count, f.located_count, self.text.percent(f.inside_share), radius)
        if f.unlocated_count:
            n = f.unlocated_count
            message += " " + self.tr("%1 member(s) not on the map yet.", None, n).arg(n)
        remedy = ""
        if f.branch != "all_inside":
            n = f.outside_count
            remedy = self.tr(
                "%1 member(s) beyond %2 km (farthest: %3, %4 km): move the centre, widen the radius, "
                "or make them partner clusters or foreign partners.",
                None,
                n,
            ).arg(n, radius, f.outside[0], self.text.number(f.outside_km[0]))
        return threshold, message, remedy

    def helix(self, f: HelixFacts) -> tuple[str, str, str]:
        words = CheckWords(self.text)
        threshold = self.tr("business, government and science each ≥ 1 member")
        figures = self.tr("business %1, government %2, science %3").arg(f.business, f.government, f.science)
        if f.branch == "complete":
            return threshold, self.tr("All three strands present (%1).").arg(figures), ""
        if f.branch != "missing":
            raise ValueError(f.branch)
        message = self.tr("Missing %1 (%2).").arg(words.both([words.strand(h) for h in f.missing]), figures)
        parts = []
        for strand, names in f.candidates:
            if names:
                parts.append(
                    self.tr("recruit %1 (candidate: %2)").arg(words.wanted(strand), ", ".join(names[:3]))
                )
            else:
                parts.append(self.tr("recruit %1").arg(words.wanted(strand)))
        return threshold, message, _cap("; ".join(parts)) + "."

    def cluster_org(self, f: ClusterOrgFacts) -> tuple[str, str, str]:
        threshold = self.tr("a cluster organisation among the members")
        if f.branch == "present":
            return threshold, self.tr("Run by %1.").arg(", ".join(f.names[:3])), ""
        if f.branch != "absent":
            raise ValueError(f.branch)
        message = self.tr("No cluster organisation among the members.")
        if f.candidate:
            remedy = self.tr(
                "Add the organisation that coordinates the cluster as a member of kind cluster organisation "
                "(candidate: %1)."
            ).arg(f.candidate)
        else:
            remedy = self.tr(
                "Add the organisation that coordinates the cluster as a member of kind cluster organisation."
            )
        return threshold, message, remedy

    def focal(self, f: FocalFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr("largest firm ≤ %1 of firm employment; best-linked member in ≤ %2 of links").arg(
            t.percent(f.anchor_employment_share), t.percent(f.anchor_link_share)
        )
        if f.branch == "too_little_data":
            firms = self.tr("%1 firm(s) with a head count", None, f.firms_with_employees).arg(
                f.firms_with_employees
            )
            linked = self.tr("%1 linked member(s)", None, f.linked_members).arg(f.linked_members)
            message = self.tr("Too little data: %1 (need %2), %3 (need %4).").arg(
                firms, f.min_firms, linked, f.min_linked
            )
            return threshold, message, self.tr("Record firms’ employees and the links between members.")
        if f.branch not in ("focal", "balanced"):
            raise ValueError(f.branch)
        shown = []
        if f.employment_judged and f.employment_share is not None:
            shown.append(
                self.tr("the largest firm, %1, holds %2 of member-firm employment").arg(
                    f.anchor, t.percent(f.employment_share)
                )
            )
        if f.links_judged and f.link_share is not None:
            shown.append(self.tr("%1 takes part in %2 of links").arg(f.hub, t.percent(f.link_share)))
        said = _cap("; ".join(shown))
        if f.branch == "balanced":
            return threshold, said + ".", ""
        anchors = CheckWords(t).both(f.anchors)
        return (
            threshold,
            self.tr("%1: focal model around %2.").arg(said, anchors),
            self.tr("Grow the periphery of small and medium firms and links among them that bypass %1.").arg(
                anchors
            ),
        )

    def specialisation(self, f: SpecialisationFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr("sector HHI ≤ %1 and ≥ 1 related-industry sector").arg(
            t.plain(f.hhi_concentrated)
        )
        if f.branch == "no_codes":
            return (
                threshold,
                self.tr("No member firm has a sector code."),
                self.tr("Record the NACE / OKVED code of member firms."),
            )
        if f.branch not in ("unbalanced", "balanced") or f.hhi is None:
            raise ValueError(f.branch)
        message = self.tr("Sector HHI %1 over %2; %3.").arg(
            t.number(f.hhi, 2),
            self.tr("%1 NACE division(s)", None, f.sector_count).arg(f.sector_count),
            self.tr("%1 related-industry division(s)", None, f.related_sector_count).arg(
                f.related_sector_count
            ),
        )
        problems = []
        if f.concentrated:
            top = f.sectors[0]
            problems.append(
                self.tr(
                    "division %1 holds %2 of firms: recruit firms from related industries to broaden the mix"
                ).arg(top.division, t.percent(top.share))
            )
        if f.no_related:
            problems.append(
                self.tr("mark member firms from related industries, or recruit suppliers and service firms")
            )
        return threshold, message, (_cap("; ".join(problems)) + ".") if problems else ""

    def links(self, f: LinksFacts) -> tuple[str, str, str]:
        threshold = self.tr("links among members; all 7 gaps bridged; no isolated member")
        if f.branch == "too_few_members":
            return threshold, self.tr("Fewer than two members."), self.tr("Add members.")
        if f.branch not in ("no_links", "gaps", "complete"):
            raise ValueError(f.branch)
        message = self.tr("%1 among %2 (density %3); %4 of 7 gaps open; %5 without links.").arg(
            self.tr("%1 link(s)", None, f.link_count).arg(f.link_count),
            self.tr("%1 member(s)", "among", f.members).arg(f.members),
            self.text.percent(f.density, 2),
            len(f.open_gaps),
            self.tr("%1 member(s)", None, f.isolated_count).arg(f.isolated_count),
        )
        if f.branch == "no_links":
            return (
                threshold,
                message,
                self.tr("Record the cooperation between members (supply, R&D, training, finance, support)."),
            )
        parts = []
        if f.open_gaps:
            words = CheckWords(self.text)
            parts.append(self.tr("bridge %1").arg("; ".join(words.gap(g) for g in f.open_gaps)))
        if f.isolated_count:
            n = f.isolated_count
            parts.append(self.tr("connect the %1 isolated member(s)", None, n).arg(n))
        return threshold, message, (_cap("; ".join(parts)) + ".") if parts else ""

    def registry(self, f: RegistryFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr(
            "≥ %1 of intermediate output to members; ≤ %2 firms without a supply contract"
        ).arg(t.percent(f.registry_share), f.registry_max_unlinked)
        if f.branch == "no_firms":
            return threshold, self.tr("No member firms."), self.tr("Add member firms.")
        if f.branch not in ("short", "met"):
            raise ValueError(f.branch)
        message = self.tr(
            "Member firms pass %1 of their intermediate output to other members; %2 of %3 reach %4; "
            "%5 without a supply link."
        ).arg(
            t.percent(f.cluster_share),
            f.meeting_count,
            self.tr("%1 firm(s)", None, f.firms).arg(f.firms),
            t.percent(f.registry_share),
            f.unlinked_count,
        )
        parts = []
        if f.too_many_unlinked:
            n = f.unlinked_count
            parts.append(
                self.tr("sign supply contracts for %1 more of the %2 unlinked firm(s)", None, n).arg(
                    n - f.registry_max_unlinked, n
                )
            )
        if f.share_short:
            parts.append(
                self.tr("raise in-cluster supply from %1 to %2").arg(
                    t.percent(f.cluster_share), t.percent(f.registry_share)
                )
            )
        return threshold, message, (_cap("; ".join(parts)) + ".") if parts else ""


def render_check(result: CheckResult, text: Text) -> CheckText:
    """Everything a card, a report line or a passport row shows about one check."""
    words = CheckWords(text)
    say = CheckSentences(text)
    f = result.facts
    if isinstance(f, CriticalMassFacts):
        threshold, message, remedy = say.critical_mass(f)
    elif isinstance(f, ConcentrationFacts):
        threshold, message, remedy = say.concentration(f)
    elif isinstance(f, HelixFacts):
        threshold, message, remedy = say.helix(f)
    elif isinstance(f, ClusterOrgFacts):
        threshold, message, remedy = say.cluster_org(f)
    elif isinstance(f, FocalFacts):
        threshold, message, remedy = say.focal(f)
    elif isinstance(f, SpecialisationFacts):
        threshold, message, remedy = say.specialisation(f)
    elif isinstance(f, LinksFacts):
        threshold, message, remedy = say.links(f)
    elif isinstance(f, RegistryFacts):
        threshold, message, remedy = say.registry(f)
    else:  # pragma: no cover - a new facts class without wording
        raise TypeError(f"no wording for {type(f).__name__}")
    return CheckText(
        title=words.title(result.id),
        status=words.status(str(result.status)),
        figure=words.figure(result),
        threshold=threshold,
        threshold_line=words.threshold_line(threshold),
        message=message,
        remedy=remedy,
        source=threshold_source(SOURCE_OF_CHECK[result.id], text),
    )


def threshold_source(key: str, text: Text) -> str:
    """Where the default of setting ``key`` (a ClusterSettings field, "helix", "cluster_org",
    "gaps") comes from; "" for a key without a source."""
    return ThresholdSources(text).texts().get(key, "")


def check_json(result: CheckResult, text: Text) -> dict[str, Any]:
    """The object ``cluster-desk check --json`` prints: id, title, status, value, threshold,
    message, remedy, source, details (member ids left out; details carry names)."""
    said = render_check(result, text)
    return {
        "id": result.id,
        "title": said.title,
        "status": str(result.status),
        "value": result.value,
        "threshold": said.threshold,
        "message": said.message,
        "remedy": said.remedy,
        "source": said.source,
        "details": result.details,
    }
