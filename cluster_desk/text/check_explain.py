""" "How this is computed": a few lines per check with the figures that went in (the panel shows
them when a check is clicked; ``check --json`` carries them as "how")."""

from __future__ import annotations

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
    count,
)
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.speech import Speaker, Text


class CheckExplanation(Speaker):
    def critical_mass(self, f: CriticalMassFacts) -> list[str]:
        return [
            self.tr(
                "Counted firms = participant firms of core or related industry within %1 km of the "
                "centre: %2 (core %3, related %4)."
            ).arg(self.text.plain(f.radius_km), f.counted, f.core, f.related),
            self.tr("Variety: %1 OKVED division(s) among them.", None, f.divisions).arg(f.divisions),
            self.tr("Listed apart: %1 without industry, %2 beyond the radius, %3 not on the map.").arg(
                count(f.unclassified), count(f.outside), count(f.unlocated)
            ),
            self.tr("Candidates that would count: %1; still missing after them: %2.").arg(
                count(f.offered), f.short_after
            ),
        ]

    def concentration(self, f: ConcentrationFacts) -> list[str]:
        t = self.text
        lines = [
            self.tr(
                "Share inside = located participants within the norm radius ÷ located participants "
                "(partner clusters and foreign partners left out: %1)."
            ).arg(f.external_count)
        ]
        if f.centre is not None:
            src = (
                self.tr("set in the project")
                if f.centre_source == "settings"
                else self.tr("the centre of the smallest circle of the participants")
            )
            lines.append(
                self.tr("Centre %1; %2 (%3).").arg(t.number(f.centre[0], 4), t.number(f.centre[1], 4), src)
            )
            lines.append(
                self.tr("%1 of %2 inside %3 km; farthest %4 km.").arg(
                    f.inside_count, f.located_count, t.plain(f.radius_km), t.number(f.max_km or 0.0)
                )
            )
        if f.smallest is not None and f.smallest90 is not None:
            lines.append(
                self.tr("Smallest circle: %1 km (all), %2 km (90 %); the norm radius stays %3 km.").arg(
                    t.number(f.smallest[2]), t.number(f.smallest90[2]), t.plain(f.radius_km)
                )
            )
        return lines

    def helix(self, f: HelixFacts) -> list[str]:
        words = CheckWords(self.text)
        lines = [
            self.tr("Participants: business %1, government %2, science %3.").arg(
                f.business, f.government, f.science
            )
        ]
        for pair, n in f.tie_links:
            lines.append(self.tr("Links between %1: %2.").arg(words.tie(pair), n))
        if f.unlinked:
            lines.append(
                self.tr("Government or science participants with no link: %1.").arg(", ".join(f.unlinked[:5]))
            )
        return lines

    def cluster_org(self, f: ClusterOrgFacts) -> list[str]:
        t = self.text
        unrecorded = self.tr("not recorded")
        return [
            self.tr("Cluster organisations among the participants: %1.").arg(len(f.names)),
            self.tr("Staff: %1 FTE (threshold %2); fees: %3; private share: %4.").arg(
                unrecorded if f.fte is None else t.plain(f.fte),
                t.plain(f.min_fte),
                unrecorded if f.fees is None else t.number(f.fees),
                unrecorded if f.private_share is None else t.percent(f.private_share),
            ),
        ]

    def focal(self, f: FocalFacts) -> list[str]:
        t = self.text
        by = {
            "volume": self.tr("by contract volume"),
            "links": self.tr("by number of links"),
            "mixed": self.tr("by volume where recorded, else by links"),
            "": "—",
        }[f.dependence_by]
        return [
            self.tr("(a) largest firm ÷ firm employment: %1 (%2 firms with a head count).").arg(
                t.percent(f.employment_share), f.firms_with_employees
            ),
            self.tr("(b) best-linked participant's distinct partners ÷ linked pairs: %1 (%2).").arg(
                t.percent(f.link_share), f.hub or "—"
            ),
            self.tr(
                "(c) SMEs selling inside that sell > 50 % to one participant: %1 of %2 (%3), %4; "
                "most depend on %5 (%6)."
            ).arg(
                f.dependent_smes,
                f.selling_smes,
                t.percent(f.dependence),
                by,
                f.main_buyer or "—",
                f.main_buyer_smes,
            ),
            self.tr("(d) links between two SMEs ÷ links touching SMEs: %1.").arg(t.percent(f.bypass)),
        ]

    def specialisation(self, f: SpecialisationFacts) -> list[str]:
        t = self.text
        lines = [
            self.tr("HHI = sum of squared division shares: by firm count %1, by employment %2.").arg(
                "—" if f.hhi_count is None else t.number(f.hhi_count, 3),
                "—" if f.hhi_employment is None else t.number(f.hhi_employment, 3),
            )
        ]
        for s in f.sectors[:5]:
            lines.append(
                self.tr("Division %1: %2 firm(s), %3 of firms, %4 of employment.", None, s.firms).arg(
                    s.division, s.firms, t.percent(s.share), t.percent(s.employment_share)
                )
            )
        lines.append(
            self.tr("Core firms: %1 of firms; firms without a code: %2.").arg(
                t.percent(f.core_share), f.unknown_sector_count
            )
        )
        return lines

    def links(self, f: LinksFacts) -> list[str]:
        t = self.text
        words = CheckWords(t)
        lines = [
            self.tr("Density = linked pairs ÷ n(n−1)/2 = %1 ÷ %2 = %3; horizontal links %4.").arg(
                f.pair_count,
                f.members * (f.members - 1) // 2,
                t.percent(f.density, 2),
                t.percent(f.horizontal_share),
            )
        ]
        for g in f.gaps:
            state = self.tr("open") if g.open else self.tr("closed")
            cov = (
                t.percent(g.coverage)
                if g.coverage is not None
                else self.tr("%1 link(s)", None, g.links).arg(g.links)
            )
            line = self.tr("%1: %2, %3 firm(s) with such a tie — %4", None, g.covered).arg(
                _cap(words.gap(g.id)), cov, g.covered, state
            )
            if f.year_ago is not None and g.coverage_year_ago is not None:
                line += " " + self.tr("(a year earlier %1)").arg(t.percent(g.coverage_year_ago))
            lines.append(line)
        return lines

    def registry(self, f: RegistryFacts) -> list[str]:
        t = self.text
        return [
            self.tr(
                "Functional dependence = qualifying contracts between participants %1 ₽ ÷ output of "
                "participant firms %2 ₽ = %3."
            ).arg(t.number(f.qualifying_volume), t.number(f.firm_output), t.percent(f.dependence, 1)),
            self.tr("Special territories: %1 of counted participants; threshold %2.").arg(
                t.percent(f.territory_share), t.percent(f.threshold_share)
            ),
            self.tr("Missing output: %1; contracts without volume: %2 (members: %3).").arg(
                ", ".join(f.missing_output[:5]) or "—",
                f.missing_volume,
                ", ".join(f.missing_volume_members[:5]) or "—",
            ),
            self.tr("Without a qualifying contract: %1; organising production (exempt up to %2): %3.").arg(
                count(f.without_contract), f.max_exempt, ", ".join(f.exempt) or "—"
            ),
        ]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain_check(result: CheckResult, text: Text) -> list[str]:
    """The "how this is computed" lines of one check."""
    say = CheckExplanation(text)
    f = result.facts
    if isinstance(f, CriticalMassFacts):
        return say.critical_mass(f)
    if isinstance(f, ConcentrationFacts):
        return say.concentration(f)
    if isinstance(f, HelixFacts):
        return say.helix(f)
    if isinstance(f, ClusterOrgFacts):
        return say.cluster_org(f)
    if isinstance(f, FocalFacts):
        return say.focal(f)
    if isinstance(f, SpecialisationFacts):
        return say.specialisation(f)
    if isinstance(f, LinksFacts):
        return say.links(f)
    if isinstance(f, RegistryFacts):
        return say.registry(f)
    raise TypeError(f"no explanation for {type(f).__name__}")  # pragma: no cover
