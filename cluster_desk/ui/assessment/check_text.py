"""Check results as display text in the interface language.

The core writes English sentences. Titles are translated by check id; messages, thresholds and
remedies are rebuilt from the check's figures where we know the check (so Russian reads as
Russian), and fall back to the core's English text otherwise.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from cluster_desk.core.model import THRESHOLD_SOURCES
from cluster_desk.ui import labels

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 10:
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def source_texts() -> dict[str, str]:
    """Translated THRESHOLD_SOURCES, keyed by the English text the core puts in results."""
    tr = {
        "radius_km": translate("Checks", "OECD: members within ≤ 200 km (Smorodinskaya & Katukov 2016)"),
        "mass_min": translate(
            "Checks", "European practice: 100–150 member firms (Smorodinskaya & Katukov 2016)"
        ),
        "registry_share": translate(
            "Checks", "Russian industrial-cluster registry, Government Decree No. 779 (2015): ≥ 20 %"
        ),
        "registry_max_unlinked": translate(
            "Checks", "Government Decree No. 779 (2015): up to 3 participants without a contract"
        ),
        "anchor_employment_share": translate(
            "Checks",
            "Focal-model warning sign (Smorodinskaya & Katukov 2016); 50 % is a Cluster Desk default",
        ),
        "hhi_concentrated": translate(
            "Checks",
            "Specialisation vs diversity balance (Smorodinskaya & Katukov 2016); "
            "HHI 0.25 is the usual 'highly concentrated' cut-off",
        ),
        "helix": translate(
            "Checks",
            "Triple helix: business, government and science each present (Smorodinskaya & Katukov 2016)",
        ),
        "cluster_org": translate("Checks", "Cluster initiative run by a cluster organisation (Sölvell 2015)"),
        "gaps": translate("Checks", "Seven gaps the cluster organisation works to close (Sölvell 2015)"),
    }
    tr["mass_max"] = tr["mass_min"]
    tr["anchor_link_share"] = tr["anchor_employment_share"]
    return {THRESHOLD_SOURCES[k]: v for k, v in tr.items() if k in THRESHOLD_SOURCES}


def translate_source(source: str) -> str:
    known = source_texts()
    parts = [p.strip() for p in source.split(";")] if source not in known else [source]
    out = [known.get(p, p) for p in parts]
    return "; ".join(out) if all(out) else source


def render_check(result: Any, settings: Any = None) -> dict[str, str]:
    """title, status, figure, threshold, message, remedy, source for one CheckResult."""
    from cluster_desk.ui.assessment.check_messages import localise

    title = labels.check_titles().get(result.id, result.title)
    status = labels.check_status_labels().get(str(result.status), str(result.status))
    text = {
        "title": title,
        "status": status,
        "figure": _fmt(result.value),
        "threshold": result.threshold,
        "message": result.message,
        "remedy": result.remedy,
        "source": translate_source(result.source),
    }
    text.update(localise(result, settings))
    if text["threshold"]:
        text["threshold"] = translate("Checks", "Threshold: %1").replace("%1", text["threshold"])
    return text
