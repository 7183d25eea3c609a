"""The words checks share: titles, status words, strands, gap labels, headline figures, and the
sources of the thresholds (shown under each check and in the settings dialog)."""

from __future__ import annotations

from collections.abc import Sequence

from cluster_desk.core.check_facts import CheckResult, LinksFacts
from cluster_desk.text.speech import Speaker


class ThresholdSources(Speaker):
    """Where each default threshold comes from (shown under a check and in the settings)."""

    def texts(self) -> dict[str, str]:
        mass = self.tr("European practice: 100–150 member firms (Smorodinskaya & Katukov 2016)")
        focal = self.tr(
            "Focal-model warning sign (Smorodinskaya & Katukov 2016); 50 % is a Cluster Desk default"
        )
        return {
            "radius_km": self.tr("OECD: members within ≤ 200 km (Smorodinskaya & Katukov 2016)"),
            "mass_min": mass,
            "mass_max": mass,
            "registry_share": self.tr(
                "Russian industrial-cluster registry, Government Decree No. 779 (2015): ≥ 20 %"
            ),
            "registry_max_unlinked": self.tr(
                "Government Decree No. 779 (2015): up to 3 participants without a contract"
            ),
            "anchor_employment_share": focal,
            "anchor_link_share": focal,
            "hhi_concentrated": self.tr(
                "Specialisation vs diversity balance (Smorodinskaya & Katukov 2016); "
                "HHI 0.25 is the usual 'highly concentrated' cut-off"
            ),
            "helix": self.tr(
                "Triple helix: business, government and science each present (Smorodinskaya & Katukov 2016)"
            ),
            "cluster_org": self.tr("Cluster initiative run by a cluster organisation (Sölvell 2015)"),
            "gaps": self.tr("Seven gaps the cluster organisation works to close (Sölvell 2015)"),
        }


class CheckWords(Speaker):
    """Titles, status words and the labels checks share."""

    def title(self, check_id: str) -> str:
        return {
            "critical_mass": self.tr("Critical mass"),
            "concentration": self.tr("Geographic concentration"),
            "helix": self.tr("Triple helix"),
            "cluster_org": self.tr("Cluster organisation"),
            "focal": self.tr("Focal model"),
            "specialisation": self.tr("Specialisation and diversity"),
            "links": self.tr("Links and gaps"),
            "registry": self.tr("Industrial-cluster registry"),
        }[check_id]

    def status(self, status: str) -> str:
        return {
            "ok": self.tr("OK"),
            "warning": self.tr("Warning"),
            "failing": self.tr("Failing"),
            "not_applicable": self.tr("Not applicable"),
        }[status]

    def threshold_line(self, threshold: str) -> str:
        return self.tr("Threshold: %1").arg(threshold) if threshold else ""

    def strand(self, strand: str) -> str:
        return {
            "business": self.tr("business"),
            "government": self.tr("government"),
            "science": self.tr("science"),
        }[strand]

    def wanted(self, strand: str) -> str:
        return {
            "business": self.tr("a firm or financial institution"),
            "government": self.tr("a local or regional authority"),
            "science": self.tr("a research centre or university"),
        }[strand]

    def gap(self, gap_id: str) -> str:
        return {
            "business_science": self.tr("business–science (firm with a research centre)"),
            "business_education": self.tr("business–education (firm with a university or college)"),
            "business_finance": self.tr("business–finance (firm with a financial institution)"),
            "business_authorities": self.tr("business–authorities (firm with an authority)"),
            "business_business": self.tr("business–business (two firms)"),
            "cluster_cluster": self.tr("cluster–cluster (any member with a partner cluster)"),
            "business_global_markets": self.tr("business–global markets (firm with a foreign partner)"),
        }[gap_id]

    def both(self, names: Sequence[str]) -> str:
        return self.tr(" and ").join(names)

    def figure(self, r: CheckResult) -> str:
        """The headline figure with its unit: "98", "97 %", "2 of 3", "HHI 0.31", "12 links"."""
        v, t = r.value, self.text
        if v is None:
            return "—"
        if r.id in ("concentration", "focal", "registry"):
            return t.percent(float(v))
        if r.id == "helix":
            return self.tr("%1 of 3").arg(int(v))
        if r.id == "specialisation":
            return self.tr("HHI %1").arg(t.number(float(v), 2))
        if isinstance(r.facts, LinksFacts):
            n = r.facts.link_count
            return self.tr("%1 link(s)", None, n).arg(n)
        return t.number(float(v), 0 if float(v).is_integer() else 2)
