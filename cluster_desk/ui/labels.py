"""Translated display names for the core's enums (check titles and statuses: cluster_desk.text.checks)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cluster_desk.core.model import Industry, MemberKind, SizeClass, Status

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def kind_labels() -> dict[MemberKind, str]:
    return {
        MemberKind.FIRM: translate("Labels", "Firm"),
        MemberKind.RESEARCH: translate("Labels", "Research centre"),
        MemberKind.EDUCATION: translate("Labels", "Education"),
        MemberKind.FINANCE: translate("Labels", "Finance"),
        MemberKind.AUTHORITY: translate("Labels", "Authority"),
        MemberKind.CLUSTER_ORG: translate("Labels", "Cluster organisation"),
        MemberKind.PARTNER_CLUSTER: translate("Labels", "Partner cluster"),
        MemberKind.INFRASTRUCTURE: translate("Labels", "Infrastructure"),
        MemberKind.FOREIGN_PARTNER: translate("Labels", "Foreign partner"),
    }


def status_labels() -> dict[Status, str]:
    return {
        Status.MEMBER: translate("Labels", "Member"),
        Status.CANDIDATE: translate("Labels", "Candidate"),
        Status.FORMER: translate("Labels", "Former"),
        Status.DRAFT: translate("Labels", "Draft"),
    }


def industry_labels() -> dict[Industry, str]:
    return {
        Industry.CORE: translate("Labels", "Core"),
        Industry.RELATED: translate("Labels", "Related"),
        Industry.UNSPECIFIED: "",
    }


def size_labels() -> dict[SizeClass, str]:
    return {
        SizeClass.MICRO: translate("Labels", "Micro"),
        SizeClass.SMALL: translate("Labels", "Small"),
        SizeClass.MEDIUM: translate("Labels", "Medium"),
        SizeClass.LARGE: translate("Labels", "Large"),
        SizeClass.UNKNOWN: "",
    }



def basemap_texts() -> dict[str, str]:
    """Texts of the map page's built-in basemap (resources/web/basemap.js)."""
    return {
        "note": translate(
            "Labels",
            "The built-in map ends here: it shows water, rivers and regional borders, not streets.\n"
            "For detail, add a tile pack (View › Basemap) or turn on an online source and use "
            "Make This Area Available Offline.",
        ),
    }
