"""The planner's words: the ranked candidates of ``cluster-desk plan`` and the panel, and the
"as if they joined" header of ``check --as-if``."""

from __future__ import annotations

from collections.abc import Sequence

from cluster_desk.core.planner import CandidateGain
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.speech import Speaker, Text


class PlanText(Speaker):
    def gains(self, g: CandidateGain) -> str:
        """What one candidate would close, e.g. "counts for critical mass; new division 28; closes
        business–science"."""
        words = CheckWords(self.text)
        parts = []
        if g.counts:
            parts.append(self.tr("counts for critical mass"))
        if g.new_division:
            parts.append(self.tr("new division %1").arg(g.new_division))
        if g.helix_strand:
            parts.append(self.tr("brings %1").arg(words.strand(g.helix_strand)))
        if g.gaps:
            parts.append(self.tr("closes %1").arg("; ".join(words.gap(x) for x in g.gaps)))
        if g.helix_ties:
            parts.append(self.tr("ties %1").arg(words.both([words.tie(t) for t in g.helix_ties])))
        return "; ".join(parts) if parts else self.tr("closes nothing open today")

    def name(self, g: CandidateGain) -> str:
        """The candidate's name; a draft says so ("New plant (draft)")."""
        return self.tr("%1 (draft)").arg(g.name) if g.draft else g.name

    def distance(self, g: CandidateGain) -> str:
        if g.distance_km is None:
            return self.tr("not on the map")
        return self.tr("%1 km").arg(self.text.number(g.distance_km))

    def empty(self) -> str:
        return self.tr("No candidates: add organisations with status candidate (or draft) to plan who to "
                       "invite.")

    def as_if(self, names: Sequence[str]) -> str:
        return self.tr("As if %1 joined:").arg(", ".join(names))


def plan_report(ranked: Sequence[CandidateGain], text: Text) -> str:
    say = PlanText(text)
    if not ranked:
        return say.empty()
    lines = []
    for i, g in enumerate(ranked, 1):
        lines.append(f"{i:>3}. {say.name(g)}  ({say.distance(g)})")
        lines.append(f"     {say.gains(g)}")
    return "\n".join(lines)


def as_if_header(names: Sequence[str], text: Text) -> str:
    return PlanText(text).as_if(names)
