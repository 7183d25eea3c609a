"""Translated names of link kinds and special territories, and the one palette of link colours."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cluster_desk.core.model import LinkKind, SpecialTerritory

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")

#: One colour per kind of link: the map's lines and the legend's swatches.
LINK_COLOURS: dict[LinkKind, str] = {
    LinkKind.SUPPLY: "#455a64",
    LinkKind.PRODUCTION_SERVICES: "#8d6e63",
    LinkKind.IMPORT_SUBSTITUTION: "#ad1457",
    LinkKind.SPECIAL_INVESTMENT: "#4527a0",
    LinkKind.RND: "#00897b",
    LinkKind.EDUCATION: "#43a047",
    LinkKind.FINANCE: "#f9a825",
    LinkKind.GOVERNMENT: "#1e88e5",
    LinkKind.JOINT_PROJECT: "#e64a19",
    LinkKind.OTHER: "#9e9e9e",
}


def link_kind_labels() -> dict[LinkKind, str]:
    return {
        LinkKind.SUPPLY: translate("Links", "Supply of industrial products"),
        LinkKind.PRODUCTION_SERVICES: translate("Links", "Production works or services"),
        LinkKind.IMPORT_SUBSTITUTION: translate("Links", "Import-substitution project"),
        LinkKind.SPECIAL_INVESTMENT: translate("Links", "Special investment contract"),
        LinkKind.RND: translate("Links", "Joint R&D"),
        LinkKind.EDUCATION: translate("Links", "Education and training"),
        LinkKind.FINANCE: translate("Links", "Finance and investment"),
        LinkKind.GOVERNMENT: translate("Links", "Government support"),
        LinkKind.JOINT_PROJECT: translate("Links", "Joint project"),
        LinkKind.OTHER: translate("Links", "Other"),
    }


def territory_labels() -> dict[SpecialTerritory, str]:
    return {
        SpecialTerritory.NONE: translate("Links", "None"),
        SpecialTerritory.SINGLE_INDUSTRY_TOWN: translate("Links", "Single-industry town"),
        SpecialTerritory.INDIVIDUAL_PROGRAMME: translate(
            "Links", "Region with an individual development programme"
        ),
        SpecialTerritory.GEOSTRATEGIC: translate("Links", "Geostrategic territory"),
    }
