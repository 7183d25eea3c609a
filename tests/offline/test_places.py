"""Offline place search and nearest place on the full shipped data set (GeoNames cities500)."""

from __future__ import annotations

from typing import Any

import pytest

from cluster_desk.places import (
    CoordinateError,
    about_credits,
    default_index,
    nearest_place,
    parse_coordinates,
    search_places,
)
from cluster_desk.places.index import EXACT, PREFIX
from cluster_desk.places.text import fold, translit
from cluster_desk.text import text_for
from cluster_desk.text.coords_text import coordinate_error
from cluster_desk.ui.widgets.plain_text import plain_tip


@pytest.fixture(scope="module")
def index() -> Any:
    return default_index()


def test_data_set_is_complete(index: Any) -> None:
    assert len(index) > 190_000


@pytest.mark.parametrize(
    ("query", "name", "tier"),
    [
        ("Казань", "Kazan", EXACT),
        ("kazan", "Kazan", EXACT),
        ("KAZAN", "Kazan", EXACT),
        ("Набережные Челны", "Naberezhnyye Chelny", EXACT),
        ("набережные челны", "Naberezhnyye Chelny", EXACT),
        ("naberezhnye", "Naberezhnyye Chelny", PREFIX),  # matched through the Cyrillic name
        ("Naberezhnyye", "Naberezhnyye Chelny", PREFIX),
        ("Москва", "Moscow", EXACT),
        ("moskva", "Moscow", EXACT),
        ("Елабуга", "Yelabuga", EXACT),
        ("Ёлабуга", "Yelabuga", EXACT),  # ё = е
        ("Санкт-Петербург", "Saint Petersburg", EXACT),
        ("санкт петербург", "Saint Petersburg", EXACT),
    ],
)
def test_search_finds_the_big_place_first(index: Any, query: str, name: str, tier: int) -> None:
    hits = index.search(query)
    assert hits, query
    assert (hits[0].place.name, hits[0].tier) == (name, tier)
    if name != "Moscow" and name != "Saint Petersburg":
        assert hits[0].place.country == "RU"


def test_ranking_exact_before_prefix_before_substring_then_population(index: Any) -> None:
    hits = index.search("Казан", limit=30)
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)
    exact = [h for h in hits if h.tier == EXACT]
    assert exact and all(h.place.population >= 0 for h in exact)
    pops = [h.place.population for h in exact]
    assert pops == sorted(pops, reverse=True)
    assert any(h.place.name == "Kazan" and h.place.country == "RU" for h in hits[:3])
    # "челны" is inside a name only: still found
    assert index.search("челны")[0].place.name == "Naberezhnyye Chelny"


def test_search_edge_cases(index: Any) -> None:
    assert index.search("") == [] and index.search("   ") == []
    assert index.search("zzzzqqqq") == []
    assert len(index.search("a", limit=5)) == 5  # one letter: prefix matches only, still answers
    assert search_places("kazan", limit=1)[0].place.name == "Kazan"


def test_folding_and_transliteration() -> None:
    assert fold("  Ёлкино-Зелёное ") == "елкино зеленое"
    assert fold("Al’met’yevsk") == "almetyevsk"
    assert translit(fold("Набережные Челны")) == "naberezhnye chelny"


def test_russian_display_names(index: Any) -> None:
    kazan = index.search("kazan")[0].place
    assert kazan.display_name("ru") == "Казань" and kazan.display_name("en") == "Kazan"


@pytest.mark.parametrize(("query", "russian"), [
    ("moscow", "Москва"), ("omsk", "Омск"), ("tomsk", "Томск"), ("smolensk", "Смоленск"),
    ("cherepovets", "Череповец"), ("khabarovsk", "Хабаровск"), ("tobolsk", "Тобольск"),
    ("beijing", "Пекин"), ("istanbul", "Стамбул"),
])
def test_russian_names_are_russian_not_ukrainian_or_other_slavic(index: Any, query: str,
                                                                  russian: str) -> None:
    # GeoNames does not tag which Cyrillic alternate is Russian: the build picks it, with a few
    # curated exonyms (scripts/build_places.py).
    assert index.search(query)[0].place.display_name("ru") == russian


# ---- nearest place ---------------------------------------------------------------------------


def test_nearest_place_near_kazan() -> None:
    name, km = nearest_place(55.7963, 49.1088)  # Kazan Kremlin area
    assert name == "Kazan" and km < 2.0
    name, km = nearest_place(55.7963, 49.1088, lang="ru")
    assert name == "Казань"
    name, km = nearest_place(55.74, 52.40)  # Naberezhnye Chelny
    assert name == "Naberezhnyye Chelny" and km < 5


def test_nearest_place_across_the_180th_meridian(index: Any) -> None:
    # Anadyr is at 177.5°E; a point at 179.99°W must find it (and the distance must be the
    # short way round, same as from 179.99°E nearby).
    name_w, km_w = nearest_place(64.73, -179.99)
    name_e, km_e = nearest_place(64.73, 179.99)
    assert name_w == name_e
    assert abs(km_w - km_e) < 2 and km_w < 200
    # Fiji straddles 180°: from just east of it the nearest is a Fijian town west of 180°
    place, km = index.nearest(-16.8, -179.99)
    assert place.country == "FJ" and km < 150


def test_nearest_place_is_exact_geodesic(index: Any) -> None:
    from pyproj import Geod

    place, km = index.nearest(55.5, 50.0)
    _, _, d = Geod(ellps="WGS84").inv(50.0, 55.5, place.lon, place.lat)
    assert km == pytest.approx(d / 1000, rel=1e-9)
    # brute force over every place agrees
    import numpy as np

    _, _, all_d = Geod(ellps="WGS84").inv(
        np.full(len(index), 50.0), np.full(len(index), 55.5), index.lon, index.lat
    )
    assert km == pytest.approx(float(all_d.min()) / 1000, rel=1e-9)


def test_nearest_place_at_the_poles_and_min_population(index: Any) -> None:
    place, km = index.nearest(89.9, 10.0)
    assert km > 500 and place.lat > 60
    big, _ = index.nearest(55.5, 50.0, min_population=1_000_000)
    assert big.name == "Kazan"
    with pytest.raises(ValueError):
        index.nearest(91.0, 0.0)


# ---- coordinates in the same box -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("55.79, 49.12", 55.79, 49.12),
        ("55.79,49.12", 55.79, 49.12),
        ("55,79 49,12", 55.79, 49.12),
        ("55,79; 49,12", 55.79, 49.12),
        ("55.79 49.12", 55.79, 49.12),
        ("55°47′N 49°07′E", 55 + 47 / 60, 49 + 7 / 60),
        ("55°47'N 49°07'E", 55 + 47 / 60, 49 + 7 / 60),
        ('55°47\'24"N, 49°07\'12"E', 55 + 47 / 60 + 24 / 3600, 49 + 7 / 60 + 12 / 3600),
        ("55°47′24″N 49°07′12″E", 55 + 47 / 60 + 24 / 3600, 49 + 7 / 60 + 12 / 3600),
        ("49°07′E 55°47′N", 55 + 47 / 60, 49 + 7 / 60),  # longitude first, but tagged
        ("N55.79 E49.12", 55.79, 49.12),
        ("33°51′S 151°12′E", -(33 + 51 / 60), 151.2),
        ("-33.86, 151.21", -33.86, 151.21),
        ("64.73, -179.99", 64.73, -179.99),
        # As Russian Wikipedia and documents write them (no-break spaces too)
        ("55°47′24″ с. ш. 49°07′12″ в. д.", 55 + 47 / 60 + 24 / 3600, 49 + 7 / 60 + 12 / 3600),
        ("55°47′\u00a0с.\u00a0ш. 49°07′\u00a0в.\u00a0д.", 55 + 47 / 60, 49 + 7 / 60),
        ("55,79 с.ш., 49,12 в.д.", 55.79, 49.12),
        ("49°07′ в. д. 55°47′ с. ш.", 55 + 47 / 60, 49 + 7 / 60),
        ("33°51′ ю. ш. 151°12′ в. д.", -(33 + 51 / 60), 151.2),
        ("40°43′ с. ш. 74°00′ з. д.", 40 + 43 / 60, -74.0),
    ],
)
def test_coordinates_in_common_forms(text: str, lat: float, lon: float) -> None:
    got = parse_coordinates(text)
    assert got == pytest.approx((lat, lon), abs=1e-9)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("95, 10", "Latitude 95 is out of range"),
        ("55.7, 200", "Longitude 200 is out of range"),
        ("55°67′N 49°07′E", "60 or more"),
        ("55.79", "pair"),
        ("kazan", "not a pair of coordinates"),
        ("Казань сш", "not a pair of coordinates"),
        ("1, 2, 3", "1, 2, 3"),
    ],
)
def test_bad_coordinates_are_rejected_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(CoordinateError, match=message) as e:
        parse_coordinates(text)
    ru = coordinate_error(e.value, text_for("ru"))  # the search box in Russian
    assert ru != str(e.value) and any("а" <= ch <= "я" for ch in ru.lower().replace("kazan", "")), ru
    assert coordinate_error(e.value, text_for("en")) == str(e.value)


def test_credits_name_geonames_and_licence() -> None:
    credits = about_credits()
    assert any("GeoNames" in c and "CC BY 4.0" in c for c in credits)
    assert any("Natural Earth" in c for c in credits)


# ---- the search box --------------------------------------------------------------------------


def test_search_box_emits_place_and_coordinates(qtbot: Any) -> None:
    pytest.importorskip("PySide6.QtWidgets")
    from cluster_desk.ui.offline.place_search import PlaceSearchBox, zoom_for

    box = PlaceSearchBox(lang="ru")
    qtbot.addWidget(box)
    box.setText("Казань")
    box.refresh()
    assert box.completer().model().stringList()[0].startswith("Казань")
    with qtbot.waitSignal(box.placeChosen) as sig:
        assert box.choose_current()
    lat, lon, name = sig.args
    assert name == "Казань" and abs(lat - 55.79) < 0.05 and abs(lon - 49.12) < 0.05
    box.setText("55°47′N 49°07′E")
    with qtbot.waitSignal(box.placeChosen) as sig:
        assert box.choose_current()
    assert sig.args[0] == pytest.approx(55 + 47 / 60)
    box.setText("95, 10")
    with qtbot.waitSignal(box.message) as msg:
        assert not box.choose_current()
    assert "Latitude 95 is out of range" in msg.args[0] and box.toolTip() == plain_tip(msg.args[0])
    box.setText("qqqzzzxx")
    with qtbot.waitSignal(box.message):
        assert not box.choose_current()
    assert zoom_for(1_243_500) == 10 and zoom_for(600) == 13
