"""Online tile sources offered as presets, with their attribution and usage terms.

Each preset carries what its operator asks of users. Some forbid bulk downloading: the
OpenStreetMap Foundation's tile usage policy does not allow prefetching areas for offline use,
so "Make This Area Available Offline" refuses any tile.openstreetmap.org URL, whether it came
from the preset or was typed as a custom source. No Qt here; the settings dialog shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

CUSTOM = "custom"


@dataclass(frozen=True)
class TilePreset:
    key: str
    name: str
    url_template: str
    attribution: str
    terms_url: str
    #: False: the operator forbids bulk downloading; an area download is refused.
    bulk_download: bool
    #: Hosts the operator's terms cover (a custom URL on one of them falls under them too).
    hosts: tuple[str, ...]


PRESETS: tuple[TilePreset, ...] = (
    TilePreset(
        key="osm",
        name="OpenStreetMap",
        url_template="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution="© OpenStreetMap contributors",
        terms_url="https://operations.osmfoundation.org/policies/tiles/",
        bulk_download=False,
        hosts=("tile.openstreetmap.org", "tile.osm.org"),
    ),
    TilePreset(
        key="opentopomap",
        name="OpenTopoMap (openmaps.fr)",
        url_template="https://tile.openmaps.fr/opentopomap/{z}/{x}/{y}.png",
        attribution="© OpenTopoMap-R, © OpenStreetMap contributors",
        terms_url="https://openmaps.fr/tile-usage-policy.html",
        bulk_download=True,
        hosts=("tile.openmaps.fr",),
    ),
)


def _host_matches(host: str, hosts: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)


def preset_for_url(url: str) -> TilePreset | None:
    """The preset whose operator serves ``url`` (also for a custom URL on its hosts), or None."""
    host = urlsplit(url.strip()).hostname or ""
    return next((p for p in PRESETS if _host_matches(host, p.hosts)), None)


def preset(key: str) -> TilePreset | None:
    return next((p for p in PRESETS if p.key == key), None)


def bulk_download_forbidden(url: str) -> TilePreset | None:
    """The preset whose terms forbid downloading areas from ``url`` (None: not forbidden here)."""
    p = preset_for_url(url)
    return p if p is not None and not p.bulk_download else None
