"""Online tile sources as presets with their terms; bulk downloads refused where the terms say so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import ClusterSettings
from cluster_desk.tiles.downloader import Area, Downloader, DownloadError, TileSource
from cluster_desk.tiles.presets import PRESETS, bulk_download_forbidden, preset, preset_for_url

KAZAN = (55.79, 49.12)


def test_every_preset_has_attribution_terms_and_a_usable_url() -> None:
    from cluster_desk.ui.preferences import tile_url_problem

    assert {p.key for p in PRESETS} >= {"osm"}
    for p in PRESETS:
        assert p.attribution and p.terms_url.startswith("https://")
        assert tile_url_problem(p.url_template) == ""
        assert preset_for_url(p.url_template) is p


@pytest.mark.parametrize(
    ("url", "forbidden"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", True),
        ("https://a.tile.openstreetmap.org/{z}/{x}/{y}.png", True),  # typed as "custom": same server
        ("https://TILE.OSM.ORG/{z}/{x}/{y}.png", True),
        ("https://tile.openmaps.fr/opentopomap/{z}/{x}/{y}.png", False),
        ("https://tiles.example.org/{z}/{x}/{y}.png", False),
        ("https://notopenstreetmap.org.example.com/{z}/{x}/{y}.png", False),
    ],
)
def test_bulk_download_is_forbidden_by_the_servers_terms(url: str, forbidden: bool) -> None:
    assert (bulk_download_forbidden(url) is not None) == forbidden


def test_downloader_refuses_before_any_request(tmp_path: Path) -> None:
    osm = preset("osm")
    assert osm is not None
    d = Downloader(TileSource(osm.url_template, osm.attribution), Area(zooms=(8,), circle=(*KAZAN, 10.0)),
                   tmp_path / "osm.mbtiles", use_system_proxy=False)
    with pytest.raises(DownloadError, match="forbids bulk downloading"):
        d.run()
    assert not (tmp_path / "osm.mbtiles").exists()


def test_settings_offer_presets_and_custom(qtbot: Any) -> None:
    from cluster_desk.ui.project.settings_dialog import SettingsDialog

    custom = ("https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    dlg = SettingsDialog(ClusterSettings(), "en", online_tiles=(True, *custom))
    qtbot.addWidget(dlg)
    picker = dlg.tile_source
    assert picker.currentData() == "custom" and not dlg.tile_url.isReadOnly()
    picker.setCurrentIndex(picker.findData("osm"))
    assert dlg.chosen_online_tiles() == (True, "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                         "© OpenStreetMap contributors")
    assert dlg.tile_url.isReadOnly() and "forbidden" in dlg.tile_terms.text()
    picker.setCurrentIndex(picker.findData("custom"))  # the user's own source comes back
    assert dlg.chosen_online_tiles() == (True, *custom)
    # A preset URL in the settings selects that preset.
    again = SettingsDialog(ClusterSettings(), "en", online_tiles=(True, PRESETS[0].url_template, ""))
    qtbot.addWidget(again)
    assert again.tile_source.currentData() == PRESETS[0].key


def test_area_dialog_refuses_a_source_that_forbids_bulk_downloads(qtbot: Any) -> None:
    from cluster_desk.ui.offline.area_dialog import OfflineAreaDialog
    from cluster_desk.ui.offline.tile_presets import bulk_refusal_text

    osm = preset("osm")
    assert osm is not None
    reason = bulk_refusal_text(osm)
    dlg = OfflineAreaDialog(TileSource(osm.url_template, osm.attribution), (*KAZAN, 40.0), None, "x.mbtiles",
                            refused=reason)
    qtbot.addWidget(dlg)
    assert dlg.info.text() == reason and "OpenStreetMap" in reason and osm.terms_url in reason
    assert not dlg.start_btn.isEnabled() and not dlg.estimate_btn.isEnabled()
