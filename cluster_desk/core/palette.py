"""The kind palette: one colour per member kind, shared by the map page, the Qt legend and
roster, and the standalone HTML export (so a recipient sees the colours the manager sees)."""

from __future__ import annotations

from typing import Final

from cluster_desk.core.model import MemberKind

#: One colour per member kind (``MemberKind.value`` -> "#rrggbb").
KIND_COLOURS: Final[dict[str, str]] = {
    MemberKind.FIRM.value: "#1f5fbf",
    MemberKind.RESEARCH.value: "#7b3fb5",
    MemberKind.EDUCATION.value: "#1b9e77",
    MemberKind.FINANCE.value: "#e69f00",
    MemberKind.AUTHORITY.value: "#8c510a",
    MemberKind.CLUSTER_ORG.value: "#d81b60",
    MemberKind.PARTNER_CLUSTER.value: "#00a0b0",
    MemberKind.INFRASTRUCTURE.value: "#6b8e23",
    MemberKind.FOREIGN_PARTNER.value: "#f05a28",
}
#: Former members are drawn grey; members outside the radius get a red outline.
FORMER_GREY: Final = "#9e9e9e"
OUTSIDE_RED: Final = "#d32f2f"
#: Fallback for a kind the palette does not know (never expected; keeps drawing total).
UNKNOWN_GREY: Final = "#888888"


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_GREY)
