"""Check results (core.check_facts) as title, figure, threshold, message, remedy and source.

The only place where a check's wording lives: the window's cards, ``cluster-desk check`` and its
``--json`` text fields, the planner and later the PDF passport all call :func:`render_check`
(and :func:`explain_check` for "how this is computed", in text.check_explain). A fact branch this
module does not know raises (no silent English): tests/text/test_check_text.py renders every
check id and branch in both languages.
Why ~460 lines: every check's wording in one place, by design (issue 9: one text source).
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
    count,
)
from cluster_desk.text.check_words import CheckWords, SourceLine
from cluster_desk.text.speech import Speaker, Text


@dataclass(frozen=True)
class CheckText:
    title: str
    status: str  # the status as a word ("Warning")
    figure: str  # the headline figure with its unit ("97 %", "2 of 3")
    threshold: str  # "100–150 firms"
    threshold_line: str  # "Threshold: 100–150 firms"
    message: str
    remedy: str  # "" when nothing is to be done
    source: str  # where the threshold comes from (or "project setting (default …)")


def _cap(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower-case member names)."""
    return text[:1].upper() + text[1:]


def _few(names: tuple[str, ...], k: int = 3) -> str:
    return ", ".join(names[:k]) + (", …" if len(names) > k else "")


class CheckSentences(Speaker):
    """Threshold, message and remedy of each check, from its facts. Returns (threshold, message,
    remedy); every method raises on a branch it does not know."""

    def critical_mass(self, f: CriticalMassFacts) -> tuple[str, str, str]:
        band = self.tr("%1–%2 core or related firms within %3 km").arg(
            f.mass_min, f.mass_max, self.text.plain(f.radius_km)
        )
        place = {
            "below": self.tr("below the %1–%2 band"),
            "within": self.tr("within the %1–%2 band"),
            "above": self.tr("above the %1–%2 band (not a problem in itself)"),
        }[f.branch].arg(f.mass_min, f.mass_max)
        message = self.tr(
            "%1 firm(s) count (core %2, related %3, in %4 division(s)), %5.", None, f.counted
        ).arg(f.counted, f.core, f.related, f.divisions, place)
        apart = []
        if f.unclassified:
            n = count(f.unclassified)
            apart.append(self.tr("%1 firm(s) with no industry set", None, n).arg(n))
        if f.outside:
            n = count(f.outside)
            apart.append(self.tr("%1 firm(s) beyond %2 km", None, n).arg(n, self.text.plain(f.radius_km)))
        if f.unlocated:
            n = count(f.unlocated)
            apart.append(self.tr("%1 firm(s) not on the map", None, n).arg(n))
        if apart:
            message += " " + self.tr("Not counted: %1.").arg("; ".join(apart))
        remedy = ""
        if f.branch == "below":
            need = self.tr("%1 more firm(s) needed", None, f.short).arg(f.short)
            c = count(f.offered)
            if c == 0:
                tail = self.tr("no candidate would count (core or related, inside the circle).")
            elif f.short_after == 0:
                tail = self.tr("the %1 candidate(s) that would count close the gap (%2).", None, c).arg(
                    c, _few(f.offered)
                )
            else:
                tail = self.tr("the %1 candidate(s) that would count (%2) leave %3 short.", None, c).arg(
                    c, _few(f.offered), f.short_after
                )
            remedy = f"{need}; {tail}"
        return band, message, remedy

    def concentration(self, f: ConcentrationFacts) -> tuple[str, str, str]:
        radius = self.text.plain(f.radius_km)
        threshold = self.tr("all participants within %1 km (warning from %2 inside)").arg(
            radius, self.text.percent(f.warning_share)
        )
        if f.branch == "unplaced":
            n = f.unlocated_count
            remedy = (
                self.tr("Place the %1 participant(s) on the map.", None, n).arg(n)
                if n
                else self.tr("Add members.")
            )
            return threshold, self.tr("No participant is placed on the map yet."), remedy
        if f.branch not in ("all_inside", "few_outside", "many_outside"):
            raise ValueError(f.branch)
        message = self.tr(
            "%1 of %2 located participant(s) (%3) lie within %4 km of the centre.", None, f.located_count
        ).arg(f.inside_count, f.located_count, self.text.percent(f.inside_share), radius)
        if f.smallest is not None and f.smallest90 is not None:
            message += " " + self.tr("Smallest circle holding all: %1 km; 90 % of them: %2 km.").arg(
                self.text.number(f.smallest[2]), self.text.number(f.smallest90[2])
            )
        if f.unlocated_count:
            n = f.unlocated_count
            message += " " + self.tr("%1 participant(s) not on the map yet.", None, n).arg(n)
        remedy = ""
        if f.branch != "all_inside":
            n = f.outside_count
            remedy = self.tr(
                "%1 participant(s) beyond %2 km (farthest: %3, %4 km): move the centre, "
                "or record them as partner clusters or foreign partners if that is what they are.",
                None,
                n,
            ).arg(n, radius, f.outside[0], self.text.number(f.outside_km[0]))
        return threshold, message, remedy

    def helix(self, f: HelixFacts) -> tuple[str, str, str]:
        words = CheckWords(self.text)
        threshold = self.tr("business, government and science each present and tied to each other")
        figures = self.tr("business %1, government %2, science %3").arg(f.business, f.government, f.science)
        if f.branch == "complete":
            return threshold, self.tr("All three strands present and tied (%1).").arg(figures), ""
        if f.branch == "nominal":
            ties = words.both([words.tie(t) for t in f.missing_ties])
            return (
                threshold,
                self.tr("Nominal helix: no link between %1 (%2).").arg(ties, figures),
                self.tr("Record or start cooperation between %1.").arg(ties),
            )
        if f.branch != "missing":
            raise ValueError(f.branch)
        message = self.tr("Missing %1 (%2).").arg(words.both([words.strand(h) for h in f.missing]), figures)
        parts = []
        for strand, names in f.candidates:
            if names:
                parts.append(self.tr("recruit %1 (candidate: %2)").arg(words.wanted(strand), _few(names)))
            else:
                parts.append(self.tr("recruit %1").arg(words.wanted(strand)))
        return threshold, message, _cap("; ".join(parts)) + "."

    def cluster_org(self, f: ClusterOrgFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr("a cluster organisation among the participants; ≥ %1 FTE of management").arg(
            t.plain(f.min_fte)
        )
        if f.branch == "absent":
            message = self.tr("No cluster organisation among the participants.")
            remedy = self.tr(
                "Add the organisation that coordinates the cluster as a member of kind cluster organisation."
            )
            if f.candidate:
                remedy = self.tr(
                    "Add the organisation that coordinates the cluster as a member of kind "
                    "cluster organisation (candidate: %1)."
                ).arg(f.candidate)
            return threshold, message, remedy
        if f.branch not in ("present", "short"):
            raise ValueError(f.branch)
        said = [self.tr("Run by %1.").arg(_few(f.names))]
        recorded = []
        if f.fte is not None:
            recorded.append(self.tr("staff %1 FTE").arg(t.plain(f.fte)))
        if f.fees is not None:
            recorded.append(self.tr("membership fees %1 ₽ a year").arg(t.number(f.fees)))
        if f.private_share is not None:
            recorded.append(self.tr("private share of funding %1").arg(t.percent(f.private_share)))
        if recorded:
            said.append(_cap("; ".join(recorded)) + ".")
        if f.unrecorded:
            words = CheckWords(t)
            said.append(self.tr("Not recorded: %1.").arg(", ".join(words.org_fact(k) for k in f.unrecorded)))
        remedy = ""
        if f.branch == "short":
            parts = []
            if "fte" in f.below:
                parts.append(
                    self.tr("staff the cluster organisation with at least %1 FTE").arg(t.plain(f.min_fte))
                )
            if "private_share" in f.below:
                parts.append(
                    self.tr("raise the private share of its funding to %1").arg(
                        t.percent(f.min_private_share)
                    )
                )
            remedy = _cap("; ".join(parts)) + "."
        return threshold, " ".join(said), remedy

    def focal(self, f: FocalFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr(
            "largest firm ≤ %1 of firm employment; best-linked participant in ≤ %2 of links; "
            "≤ %3 of selling SMEs dependent on one buyer"
        ).arg(
            t.percent(f.anchor_employment_share),
            t.percent(f.anchor_link_share),
            t.percent(f.dependence_share),
        )
        if f.branch == "too_little_data":
            message = self.tr(
                "Too little data: firms with a head count %1 (need %2), linked "
                "participants %3 (need %4), SMEs selling inside %5 (need 3)."
            ).arg(f.firms_with_employees, f.min_firms, f.linked_members, f.min_linked, f.selling_smes)
            return threshold, message, self.tr("Record firms’ employees and the links between members.")
        if f.branch not in ("focal", "balanced"):
            raise ValueError(f.branch)
        shown = []
        if f.employment_judged and f.employment_share is not None:
            shown.append(
                self.tr("(a) the largest firm, %1, holds %2 of firm employment").arg(
                    f.anchor, t.percent(f.employment_share)
                )
            )
        if f.links_judged and f.link_share is not None:
            shown.append(
                self.tr("(b) %1 takes part in %2 of linked pairs").arg(f.hub, t.percent(f.link_share))
            )
        if f.dependence_judged and f.dependence is not None:
            shown.append(
                self.tr(
                    "(c) %1 of %2 selling SME(s) sell more than half to one participant", None, f.selling_smes
                ).arg(f.dependent_smes, f.selling_smes)
            )
        said = _cap("; ".join(shown))
        if f.bypass is not None:
            said += "; " + self.tr("(d) %1 of links touching SMEs join two SMEs").arg(t.percent(f.bypass))
        if f.branch == "balanced":
            return threshold, said + ".", ""
        anchors = CheckWords(t).both(f.anchors)
        return (
            threshold,
            self.tr("%1: focal model around %2.").arg(said, anchors),
            self.tr("Grow links among small and medium firms that bypass %1 (bypass now %2).").arg(
                anchors, t.percent(f.bypass)
            ),
        )

    def specialisation(self, f: SpecialisationFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr(
            "HHI by employment ≤ %1; not scattered (largest division ≥ %2 of employment or core firms ≥ %3)"
        ).arg(
            t.plain(f.hhi_concentrated), t.percent(f.scattered_top_share), t.percent(f.scattered_core_share)
        )
        if f.branch == "no_codes":
            return (
                threshold,
                self.tr("No participant firm has a sector code."),
                self.tr("Record the OKVED code of member firms."),
            )
        if f.branch not in ("narrow", "scattered", "balanced") or f.hhi_count is None:
            raise ValueError(f.branch)
        emp = (
            t.number(f.hhi_employment, 2)
            if f.hhi_employment is not None
            else self.tr("unknown (no head counts)")
        )
        message = self.tr("HHI by firm count %1, by employment %2, over %3; core firms %4.").arg(
            t.number(f.hhi_count, 2),
            emp,
            self.tr("%1 OKVED division(s)", None, f.sector_count).arg(f.sector_count),
            t.percent(f.core_share),
        )
        top = f.sectors[0]
        if f.branch == "narrow":
            return (
                threshold,
                self.tr("Narrow: %1 Division %2 holds %3 of firm employment.").arg(
                    message, top.division, t.percent(top.employment_share)
                ),
                self.tr("Recruit firms from related industries to broaden the mix."),
            )
        if f.branch == "scattered":
            return (
                threshold,
                self.tr("Scattered: %1 The largest division holds %2 of firm employment.").arg(
                    message, t.percent(f.top_employment_share)
                ),
                self.tr("Deepen the core: recruit firms of the core industry, or mark the core ones."),
            )
        return threshold, message, ""

    def links(self, f: LinksFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr(
            "each gap covered by ≥ %1 of firms (global markets and cluster–cluster: "
            "one link); no isolated participant"
        ).arg(t.percent(f.min_coverage))
        if f.branch == "too_few_members":
            return threshold, self.tr("Fewer than two participants."), self.tr("Add members.")
        if f.branch not in ("no_links", "gaps", "complete"):
            raise ValueError(f.branch)
        message = self.tr(
            "%1 among %2 (density %3, horizontal %4); %5 of 7 gaps open; %6 without links."
        ).arg(
            self.tr("%1 link(s)", None, f.link_count).arg(f.link_count),
            self.tr("%1 participant(s)", "among", f.members).arg(f.members),
            t.percent(f.density, 2),
            t.percent(f.horizontal_share),
            len(f.open_gaps),
            self.tr("%1 participant(s)", None, f.isolated_count).arg(f.isolated_count),
        )
        if f.branch == "no_links":
            return (
                threshold,
                message,
                self.tr("Record the cooperation between members (supply, R&D, training, finance, support)."),
            )
        parts = []
        if f.open_gaps:
            words = CheckWords(t)
            parts.append(self.tr("bridge %1").arg("; ".join(words.gap(g) for g in f.open_gaps)))
        if f.isolated_count:
            n = f.isolated_count
            parts.append(self.tr("connect the %1 isolated participant(s)", None, n).arg(n))
        return threshold, message, (_cap("; ".join(parts)) + ".") if parts else ""

    def registry(self, f: RegistryFacts) -> tuple[str, str, str]:
        t = self.text
        threshold = self.tr(
            "functional dependence ≥ %1; a qualifying contract for every participant "
            "(≤ %2 organising production exempt); a cluster organisation"
        ).arg(t.percent(f.threshold_share), f.max_exempt)
        if f.branch == "no_firms":
            return (
                threshold,
                self.tr("Pre-check (Decree 779): no participant firms."),
                self.tr("Add member firms."),
            )
        if f.branch not in ("short", "met"):
            raise ValueError(f.branch)
        dep = (
            t.percent(f.dependence, 1)
            if f.dependence is not None
            else self.tr("unknown (no output recorded)")
        )
        message = self.tr(
            "Pre-check (Decree 779): functional dependence %1 (qualifying contracts between "
            "participants ÷ firms’ output)."
        ).arg(dep)
        if f.partial:
            message += " " + self.tr(
                "Partial: %1 firm(s) without output; contracts without volume: %2.",
                None,
                count(f.missing_output),
            ).arg(count(f.missing_output), f.missing_volume)
        if f.threshold_share != f.base_share:
            message += " " + self.tr(
                "Threshold %1, not %2: %3 of participants are in special territories (≥ %4)."
            ).arg(
                t.percent(f.threshold_share),
                t.percent(f.base_share),
                t.percent(f.territory_share),
                t.percent(f.territory_needed),
            )
        n = count(f.without_contract)
        message += " " + self.tr("%1 participant(s) without a qualifying contract.", None, n).arg(n)
        parts = []
        if f.contract_short:
            k = n - len(f.exempt)
            parts.append(
                self.tr("sign qualifying contracts with %1 participant(s) (%2)", None, k).arg(
                    k, _few(tuple(x for x in f.without_contract if x not in f.exempt))
                )
                if k
                else self.tr("at most %1 participants organising production may lack a contract").arg(
                    f.max_exempt
                )
            )
        if f.share_short and f.dependence is not None:
            parts.append(
                self.tr("raise qualifying contracts between participants from %1 to %2 of output").arg(
                    t.percent(f.dependence, 1), t.percent(f.threshold_share)
                )
            )
        if f.dependence is None:
            parts.append(self.tr("record the yearly output of participant firms"))
        if not f.has_cluster_org:
            parts.append(self.tr("a specialised cluster organisation must exist"))
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
        source=SourceLine(text).line(result),
    )


def check_json(result: CheckResult, text: Text) -> dict[str, Any]:
    """The object ``cluster-desk check --json`` prints: id, title, status, value, threshold,
    message, remedy, source, members (names the check is about), details."""
    from cluster_desk.text.check_explain import explain_check

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
        "settings": {
            u.key: {"value": u.value, "default": u.default, "changed": u.changed} for u in result.settings
        },
        "how": explain_check(result, text),
        "details": result.details,
    }
