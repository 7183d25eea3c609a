"""Words of the cluster passport and its charts (cluster_desk.report): headings, table heads,
chart titles and axes, kind and size-class names, and what is missing when data is missing."""

from __future__ import annotations

from cluster_desk.text.speech import Speaker


class PassportWords(Speaker):
    def heading(self, key: str) -> str:
        return {
            "passport": self.tr("Cluster passport"),
            "as_of": self.tr("As of"),
            "organisation": self.tr("Cluster organisation"),
            "made": self.tr("Made"),
            "summary": self.tr("Summary"),
            "map": self.tr("Map of participants"),
            "checks": self.tr("The eight checks"),
            "charts": self.tr("Growth and structure"),
            "largest": self.tr("Largest participants"),
            "open_gaps": self.tr("Open gaps"),
            "candidates": self.tr("Candidates that would close them"),
            "outside": self.tr("Participants outside the circle"),
            "snapshot": self.tr("Change since the year-end snapshot"),
            "missing": self.tr("What is missing for this passport"),
        }[key]

    def column(self, key: str) -> str:
        return {
            "check": self.tr("Check"),
            "figure": self.tr("Figure"),
            "threshold": self.tr("Threshold"),
            "status": self.tr("Status"),
            "finding": self.tr("Finding and remedy"),
            "source": self.tr("Source"),
            "name": self.tr("Name"),
            "kind": self.tr("Kind"),
            "employees": self.tr("Employees"),
            "sector": self.tr("OKVED"),
            "distance": self.tr("Distance, km"),
            "gap": self.tr("Gap"),
            "coverage": self.tr("Coverage"),
            "closes": self.tr("Would close"),
            "then": self.tr("Snapshot"),
            "now": self.tr("Now"),
        }[key]

    def kind(self, kind: str) -> str:
        return {
            "firm": self.tr("Firm"),
            "research": self.tr("Research centre"),
            "education": self.tr("Education"),
            "finance": self.tr("Finance"),
            "authority": self.tr("Authority"),
            "cluster_org": self.tr("Cluster organisation"),
            "partner_cluster": self.tr("Partner cluster"),
            "infrastructure": self.tr("Infrastructure"),
            "foreign_partner": self.tr("Foreign partner"),
        }[kind]

    def size(self, size: str) -> str:
        return {
            "micro": self.tr("micro (≤ 15)"),
            "small": self.tr("small (16–100)"),
            "medium": self.tr("medium (101–250)"),
            "large": self.tr("large (> 250)"),
            "unknown": self.tr("unknown"),
            # The firm size chart's classes: small includes micro, as the HSE mix does.
            "small_class": self.tr("small (≤ 100)"),
            "medium_class": self.tr("medium (101–250)"),
            "large_class": self.tr("large (> 250)"),
        }[size]

    def strand(self, strand: str) -> str:
        return {
            "business": self.tr("Business"),
            "government": self.tr("Government"),
            "science": self.tr("Science"),
            "none": self.tr("Support (no strand)"),
        }[strand]

    def chart(self, key: str) -> str:
        return {
            "growth": self.tr("Participants and counted firms by year"),
            "participants": self.tr("participants"),
            "counted": self.tr("counted firms"),
            "pipeline": self.tr("candidates (pipeline)"),
            "band": self.tr("critical mass band"),
            "links": self.tr("Links, density and horizontal share by year"),
            "link_count": self.tr("links"),
            "density": self.tr("density"),
            "horizontal": self.tr("horizontal share"),
            "year": self.tr("year"),
            "share": self.tr("share"),
            "sectors": self.tr("Sector mix: top OKVED divisions"),
            "by_firms": self.tr("by firms"),
            "by_employment": self.tr("by employment"),
            "sizes": self.tr("Firms by size class (209-FZ) against Russian clusters"),
            "cluster_firms": self.tr("this cluster's firms"),
            "russia_firms": self.tr("firms of Russian clusters (HSE)"),
            "helix": self.tr("Helix composition"),
            "gaps": self.tr("Coverage of the seven gaps"),
            "threshold": self.tr("open below"),
            "legend": self.tr("Legend"),
            "circle": self.tr("norm radius"),
            "outside_mark": self.tr("outside the circle"),
            "link_lines": self.tr("links"),
        }[key]

    def missing(self, key: str) -> str:
        return {
            "no_dates": self.tr("No member has a join date and no link a start date: growth over the years "
                                "cannot be drawn. Record when members joined."),
            "no_located": self.tr("No participant is placed on the map: the map and the circle cannot be "
                                  "drawn. Place members on the map or import coordinates."),
            "no_links": self.tr("No links between participants are recorded: density, horizontal share and "
                                "the seven gaps cannot be measured. Record links."),
            "no_sectors": self.tr("No participant firm has an OKVED code: the sector mix cannot be drawn."),
            "no_sizes": self.tr("No participant firm has a head count: the size mix cannot be drawn."),
            "no_firms": self.tr("No participant is a firm: the sector and firm size mixes cannot be drawn."),
            "no_participants": self.tr("The cluster has no participants on this date."),
            "none_outside": self.tr("Every located participant is inside the circle."),
            "no_open_gaps": self.tr("No gap is open."),
            "no_candidates": self.tr("No candidate would close an open gap."),
        }[key]

    def footer(self) -> str:
        return self.tr("Made by Cluster Desk from the project file; a pre-check, not a legal ruling.")

    def page(self) -> str:
        return self.tr("page")

    def counts(self, participants: int, candidates: int, links: int) -> str:
        return (self.tr("%1 participant(s)", None, participants).arg(participants) + " · "
                + self.tr("%1 candidate(s)", None, candidates).arg(candidates) + " · "
                + self.tr("%1 link(s)", None, links).arg(links))

    def more(self, n: int) -> str:
        return self.tr("… and %1 more", None, n).arg(n)

    def snapshot_line(self, day: str, made: str) -> str:
        return self.tr("Snapshot of %1 (frozen %2)").arg(day, made)

    def no_snapshot(self) -> str:
        return self.tr("No year-end snapshot is stored yet: freeze one to see next year's change.")

    def firm_sizes_note(self, known: int, unknown: int) -> str:
        """Under the size chart: what it counts (firms only) and what the Russian figure is."""
        counted = self.tr("Participant firms with a known head count only: %1.").arg(known)
        if unknown:
            counted += " " + self.tr("Without one: %1.").arg(unknown)
        return counted + " " + self.tr("Russia: firms of 100 clusters on the HSE Cluster Map.")
