"""The words checks share: titles, status words, strands, gap labels, headline figures, and the
sources of the thresholds (shown under each check and in the settings dialog)."""

from __future__ import annotations

from collections.abc import Sequence

from cluster_desk.core.check_facts import CheckResult, LinksFacts
from cluster_desk.text.speech import Speaker


class ThresholdSources(Speaker):
    """Where each default threshold comes from (shown under a check and in the settings)."""

    def texts(self) -> dict[str, str]:
        mass = self.tr(
            "European practice: 100–150 firms in core and related industries (Smorodinskaya & Katukov 2016)"
        )
        focal = self.tr(
            "Focal-model warning sign (Smorodinskaya & Katukov 2016); 50 % is a Cluster Desk default"
        )
        registry = self.tr(
            "Government Decree No. 779 of 31.07.2015 (as amended 2020): functional "
            "dependence ≥ 20 %, 10 % where ≥ 30 % of participants are in special territories"
        )
        scattered = self.tr(
            "«Cluster-giant with a motley specialisation» (Smorodinskaya & Katukov 2016); "
            "20 % and 1/3 are Cluster Desk defaults"
        )
        org = self.tr(
            "European Cluster Collaboration Platform: ≥ 0.5 FTE of cluster management; "
            "self-financing (Smorodinskaya & Katukov 2016)"
        )
        return {
            "radius_km": self.tr("OECD: participants within ≤ 200 km (Smorodinskaya & Katukov 2016)"),
            "concentration_warning_share": self.tr("80 % inside for a warning is a Cluster Desk default"),
            "mass_min": mass,
            "mass_max": mass,
            "registry_share": registry,
            "registry_special_share": registry,
            "registry_special_territory_share": registry,
            "registry_max_unlinked": self.tr(
                "Government Decree No. 779 (as amended 2020): up to 3 participants "
                "organising production may lack a contract"
            ),
            "anchor_employment_share": focal,
            "anchor_link_share": focal,
            "dependence_share": focal,
            "size_scheme": self.tr(
                "Size classes of Federal Law 209-FZ (micro ≤ 15, small ≤ 100, medium ≤ 250)"
            ),
            "hhi_concentrated": self.tr(
                "Specialisation vs diversity balance (Smorodinskaya & Katukov 2016); "
                "HHI 0.25 is the usual 'highly concentrated' cut-off"
            ),
            "scattered_top_share": scattered,
            "scattered_core_share": scattered,
            "helix": self.tr(
                "Triple helix: business, government and science each present and cooperating "
                "(Smorodinskaya & Katukov 2016: «only nominally»)"
            ),
            "cluster_org": self.tr("Cluster initiative run by a cluster organisation (Sölvell 2015)"),
            "org_min_fte": org,
            "org_min_private_share": org,
            "gaps": self.tr(
                "Seven gaps the cluster organisation works to close (Sölvell 2015); "
                "10 % coverage is a Cluster Desk default"
            ),
            "gap_min_coverage": self.tr(
                "Seven gaps the cluster organisation works to close (Sölvell 2015); "
                "10 % coverage is a Cluster Desk default"
            ),
        }


#: The source each check cites, and the choices Cluster Desk made where DOMAIN.md leaves one.
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


class SourceLine(Speaker):
    """The line under a check: its source, the choices made, and any changed setting as
    "project setting (default X)"."""

    def sources(self) -> dict[str, str]:
        return ThresholdSources(self.text).texts()

    def choice(self, check_id: str) -> str:
        return {
            "critical_mass": self.tr(
                "Counted: participant firms of core or related industry inside the "
                "norm circle; variety: OKVED divisions."
            ),
            "concentration": self.tr(
                "Centre: the project's, else the smallest circle's; partner clusters "
                "and foreign partners left out."
            ),
            "helix": self.tr(
                "Business: firms and finance; government: authorities; science: research and education."
            ),
            "cluster_org": "",
            "focal": self.tr(
                "SMEs by the project's size classes; sales by contract volume where every "
                "sale has one, else by number of links; (a)–(c) need 3 firms, 5 linked "
                "participants, 3 selling SMEs."
            ),
            "specialisation": self.tr(
                "Sectors: OKVED 2 divisions of participant firms; HHI by employment "
                "counts firms with a head count."
            ),
            "links": self.tr(
                "Density on distinct linked pairs; business–business counts horizontal links only."
            ),
            "registry": self.tr(
                "A pre-check, not a legal ruling. Counted: participants in Russia (not "
                "foreign partners or partner clusters); volumes and output as recorded, "
                "no proxy."
            ),
        }[check_id]

    def setting(self, key: str, value: object) -> str:
        t = self.text
        if isinstance(value, bool) or value is None:
            return str(value)
        if key == "radius_km" and isinstance(value, int | float):
            return self.tr("%1 km").arg(t.plain(float(value)))
        if key == "size_scheme":
            return self.tr("EU") if value == "eu" else self.tr("209-FZ")
        if key in ("mass_min", "mass_max", "registry_max_unlinked") and isinstance(value, int):
            return t.number(value)
        if key in ("hhi_concentrated", "org_min_fte") and isinstance(value, int | float):
            return t.plain(float(value))
        if isinstance(value, int | float):
            return t.percent(float(value), 0 if round(float(value) * 100, 6).is_integer() else 1)
        return str(value)

    def line(self, result: CheckResult) -> str:
        base = self.sources().get(SOURCE_OF_CHECK[result.id], "")
        changed = [u for u in result.settings if u.changed]
        if changed:
            said = "; ".join(
                self.tr("%1 %2 (default %3)").arg(
                    CheckWords(self.text).setting(u.key),
                    self.setting(u.key, u.value),
                    self.setting(u.key, u.default),
                )
                for u in changed
            )
            base = self.tr("Project setting: %1. Default from: %2").arg(said, base)
        choice = self.choice(result.id)
        return f"{base}. {choice}" if choice else base


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
            "business_business": self.tr("business–business (two firms, horizontal links)"),
            "cluster_cluster": self.tr("cluster–cluster (any participant with a partner cluster)"),
            "business_global_markets": self.tr("business–global markets (firm with a foreign partner)"),
        }[gap_id]

    def tie(self, pair: str) -> str:
        return {
            "business-government": self.tr("business and government"),
            "business-science": self.tr("business and science"),
            "government-science": self.tr("government and science"),
        }[pair]

    def org_fact(self, key: str) -> str:
        return {
            "fte": self.tr("staff (FTE)"),
            "fees": self.tr("membership fees"),
            "private_share": self.tr("private share of funding"),
        }[key]

    def setting(self, key: str) -> str:
        return {
            "radius_km": self.tr("norm radius"),
            "concentration_warning_share": self.tr("warning share inside"),
            "mass_min": self.tr("critical mass from"),
            "mass_max": self.tr("critical mass up to"),
            "registry_share": self.tr("functional dependence"),
            "registry_special_share": self.tr("functional dependence in special territories"),
            "registry_special_territory_share": self.tr(
                "share in special territories for the lower threshold"
            ),
            "registry_max_unlinked": self.tr("participants organising production without a contract"),
            "anchor_employment_share": self.tr("largest firm's share of employment"),
            "anchor_link_share": self.tr("best-linked participant's share of links"),
            "dependence_share": self.tr("share of dependent SMEs"),
            "size_scheme": self.tr("size classes"),
            "hhi_concentrated": self.tr("HHI for narrow"),
            "scattered_top_share": self.tr("largest division's share for scattered"),
            "scattered_core_share": self.tr("core firms' share for scattered"),
            "gap_min_coverage": self.tr("gap coverage"),
            "org_min_fte": self.tr("management staff (FTE)"),
            "org_min_private_share": self.tr("private share of funding"),
        }[key]

    def both(self, names: Sequence[str]) -> str:
        return self.tr(" and ").join(names)

    def figure(self, r: CheckResult) -> str:
        """The headline figure with its unit: "98", "97 %", "2 of 3", "HHI 0.31", "12 links"."""
        v, t = r.value, self.text
        if v is None:
            return "—"
        if r.id in ("concentration", "focal"):
            return t.percent(float(v))
        if r.id == "registry":
            return t.percent(float(v), 1)
        if r.id == "helix":
            return self.tr("%1 of 3").arg(int(v))
        if r.id == "specialisation":
            return self.tr("HHI %1").arg(t.number(float(v), 2))
        if r.id == "critical_mass":
            return self.tr("%1 firm(s)", None, int(v)).arg(int(v))
        if isinstance(r.facts, LinksFacts):
            n = r.facts.link_count
            return self.tr("%1 link(s)", None, n).arg(n)
        return t.number(float(v), 0 if float(v).is_integer() else 2)
