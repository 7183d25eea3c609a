"""The About box text: version, what the checks rest on, and data/software credits."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, qVersion

from cluster_desk import APP_NAME, __version__

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def about_text() -> str:
    import PySide6

    credits = [
        translate(
            "About", "Map data: Natural Earth (public domain), via the world-atlas package (ISC licence)."
        ),
        translate("About", "Map: Leaflet (BSD 2-clause) and topojson-client (ISC)."),
        translate("About", "Geodesy: PROJ / pyproj (MIT), WGS84 ellipsoid."),
        translate("About", "Interface: Qt %1 and Qt for Python %2 (LGPLv3).")
        .replace("%1", qVersion())
        .replace("%2", PySide6.__version__),
        translate(
            "About",
            "Thresholds: Smorodinskaya & Katukov (2016), Sölvell (2015), OECD, "
            "Government Decree No. 779 (2015); each is shown next to its check and editable.",
        ),
    ]
    items = "".join(f"<li>{html.escape(c)}</li>" for c in credits)
    purpose = html.escape(
        translate(
            "About",
            "Keep an economic cluster’s roster on an offline map and check it "
            "against what cluster research asks for.",
        )
    )
    return f"<h3>{APP_NAME} {html.escape(__version__)}</h3><p>{purpose}</p><ul>{items}</ul>"
