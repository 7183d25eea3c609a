"""The plain-text check report of ``cluster-desk check``: an overview line, one block per check,
and the count of each status. Qt-free; every word comes from the catalogue of ``text.lang``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cluster_desk.core.check_facts import CheckResult
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.checks import render_check
from cluster_desk.text.speech import Speaker, Text

STATUS_SYMBOL = {"ok": "✓", "warning": "!", "failing": "✗", "not_applicable": "–"}


@dataclass(frozen=True)
class ProjectOverview:
    name: str
    members: int
    candidates: int
    former: int
    links: int
    centre: tuple[float, float] | None  # None: proposed from the members
    radius_km: float


class CheckReportText(Speaker):
    def overview(self, p: ProjectOverview) -> str:
        t = self.text
        people = self.tr("%1 member(s), %2 candidates, %3 former", None, p.members).arg(
            p.members, p.candidates, p.former
        )
        links = self.tr("%1 link(s)", None, p.links).arg(p.links)
        centre: str
        if p.centre is None:
            centre = self.tr("centre proposed from the members")
        else:
            centre = self.tr("centre %1, %2").arg(t.number(p.centre[0], 4), t.number(p.centre[1], 4))
        radius = self.tr("radius %1 km").arg(t.plain(p.radius_km))
        return f"{p.name}: {people}; {links}; {centre}, {radius}"

    def counts(self, results: Sequence[CheckResult]) -> str:
        words = CheckWords(self.text)
        parts = []
        for status in STATUS_SYMBOL:
            n = sum(1 for r in results if str(r.status) == status)
            if n:
                parts.append(self.tr("%1: %2").arg(words.status(status), n))
        return "; ".join(parts)


def check_report(results: Sequence[CheckResult], text: Text, overview: ProjectOverview | None = None) -> str:
    """The readable report: one line per check (symbol, title, figure, status, threshold), then
    its message and remedy indented; then the count of each status."""
    said = [render_check(r, text) for r in results]
    title_w = max((len(s.title) for s in said), default=5)
    figure_w = max((len(s.figure) for s in said), default=5)
    status_w = max((len(s.status) for s in said), default=5)
    lines = []
    speaker = CheckReportText(text)
    if overview is not None:
        lines += [speaker.overview(overview), ""]
    for r, s in zip(results, said, strict=True):
        lines.append(
            f"{STATUS_SYMBOL.get(str(r.status), '?')} {s.title:<{title_w}}  {s.figure:>{figure_w}}  "
            f"{s.status:<{status_w}}  {s.threshold_line}".rstrip()
        )
        if s.message:
            lines.append(f"    {s.message}")
        if s.remedy:
            lines.append(f"    → {s.remedy}")
    lines += ["", speaker.counts(results)]
    return "\n".join(lines)
