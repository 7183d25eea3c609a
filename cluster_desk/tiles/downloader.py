"""Take an area offline: which tiles cover it, how big that is, and a polite, resumable download
into an MBTiles pack. Standard library only (``urllib``); no Qt (the dialog runs it in a thread).

Polite: one request at a time, at most ``rate`` requests a second (2 by default), our own
User-Agent, and a 429/503 answer's ``Retry-After`` is honoured. Resumable: tiles already in the
target pack are skipped and every batch is its own transaction, so a lost connection or a cancel
keeps what was fetched. Cancellable between any two requests (``threading.Event``).
Why ~400 lines: tile arithmetic, the polite rate limiter and the resumable pack writer of one
download.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cluster_desk import __version__
from cluster_desk.tiles.mbtiles import MBTilesWriter, sniff_format

USER_AGENT = f"ClusterDesk/{__version__}"
MAX_TILES = 250_000  # a bigger area is almost certainly a mistake (and against tile policies)
MAX_TILE_BYTES = 4 * 1024 * 1024
MAX_RETRY_AFTER_S = 300.0
WEB_MERCATOR_MAX_LAT = 85.0511287798


# ---- which tiles -----------------------------------------------------------------------------


def lonlat_to_tile(lat: float, lon: float, z: int) -> tuple[int, int]:
    """XYZ tile containing a point (Web Mercator; row 0 at the north)."""
    n = 1 << z
    lat = max(-WEB_MERCATOR_MAX_LAT, min(WEB_MERCATOR_MAX_LAT, lat))
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile in degrees."""
    n = 1 << z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def bbox_tiles(west: float, south: float, east: float, north: float, z: int) -> Iterator[tuple[int, int]]:
    """Tiles (x, y) covering a box; ``west > east`` means the box crosses 180°."""
    spans = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
    for w, e in spans:
        x0, y0 = lonlat_to_tile(north, w, z)
        x1, y1 = lonlat_to_tile(south, e - 1e-9, z)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield x, y


def circle_bbox(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A box that contains the geodesic circle (pyproj: exact on the ellipsoid)."""
    from cluster_desk.core.geodesy import circle_outline

    pts = circle_outline(lat, lon, radius_km, n=256)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]  # unwrapped: continuous across 180°
    south, north = max(-90.0, min(lats)), min(90.0, max(lats))
    west, east = min(lons), max(lons)
    if east - west >= 360:
        return -180.0, south, 180.0, north
    return (west + 180.0) % 360.0 - 180.0, south, (east + 180.0) % 360.0 - 180.0, north


def circle_tiles(lat: float, lon: float, radius_km: float, z: int) -> list[tuple[int, int]]:
    """Tiles that touch the circle: the box's tiles, less those wholly outside the radius
    (a tile is kept when the point of it nearest the centre is within the radius)."""
    import numpy as np

    from cluster_desk.core.geodesy import distances_km

    cand = list(dict.fromkeys(bbox_tiles(*circle_bbox(lat, lon, radius_km), z)))
    if not cand:
        return []
    near_lat, near_lon = [], []
    for x, y in cand:
        w, s, e, n = tile_bounds(z, x, y)
        dlon = (lon - w) % 360.0
        inside_lon = dlon <= (e - w)
        near_lat.append(min(max(lat, s), n))
        if inside_lon:
            near_lon.append(lon)
        else:  # the nearer of the two edges, measured the short way round (across 180° too)
            near_lon.append(w if (w - lon) % 360 < (lon - e) % 360 else e)
    d = distances_km(lat, lon, np.array(near_lat), np.array(near_lon))
    return [t for t, km in zip(cand, d.tolist(), strict=True) if km <= radius_km]


@dataclass(frozen=True)
class Area:
    """What to take offline: a circle (cluster radius) or a box (current view), and zooms."""

    zooms: tuple[int, ...]
    circle: tuple[float, float, float] | None = None  # lat, lon, radius_km
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    def tiles(self) -> Iterator[tuple[int, int, int]]:
        for z in sorted(set(self.zooms)):
            if not 0 <= z <= 19:
                raise ValueError(f"zoom {z} is out of range 0–19")
            if self.circle is not None:
                for x, y in circle_tiles(*self.circle, z):
                    yield z, x, y
            elif self.bbox is not None:
                for x, y in dict.fromkeys(bbox_tiles(*self.bbox, z)):
                    yield z, x, y
            else:
                raise ValueError("an area needs a circle or a box")

    def count(self) -> int:
        return sum(1 for _ in self.tiles())


# ---- estimate --------------------------------------------------------------------------------

#: Typical PNG raster tile size by zoom when nothing has been sampled (OSM-like styles).
DEFAULT_TILE_BYTES = 20_000


@dataclass
class Estimate:
    tiles: int  # all tiles of the area
    missing: int  # not yet in the target pack
    bytes_per_tile: float  # sampled average (or the default guess)
    sampled: int  # how many tiles the average comes from

    @property
    def total_bytes(self) -> float:
        return self.missing * self.bytes_per_tile


def estimate(
    area: Area,
    target: Path | None = None,
    sample: Callable[[int, int, int], bytes | None] | None = None,
    sample_size: int = 5,
) -> Estimate:
    """Count the tiles (and those missing from ``target``) and estimate the download size from
    the average of a few tiles (``sample`` fetches one; the pack's own tiles count too)."""
    tiles = list(area.tiles())
    if len(tiles) > MAX_TILES:
        return Estimate(len(tiles), len(tiles), DEFAULT_TILE_BYTES, 0)
    have: set[tuple[int, int, int]] = set()
    sizes: list[int] = []
    if target is not None and Path(target).exists():
        with MBTilesWriter(target) as w:
            for z in {t[0] for t in tiles}:
                have |= {(z, x, y) for x, y in w.existing(z)}
            sizes = [
                int(r[0])
                for r in w._db.execute("SELECT length(tile_data) FROM tiles LIMIT ?", (sample_size * 4,))
            ]
    missing = [t for t in tiles if t not in have]
    if sample is not None and missing:
        step = max(1, len(missing) // sample_size)
        for t in missing[::step][:sample_size]:
            data = sample(*t)
            if data:
                sizes.append(len(data))
    avg = sum(sizes) / len(sizes) if sizes else DEFAULT_TILE_BYTES
    return Estimate(len(tiles), len(missing), avg, len(sizes))


# ---- download --------------------------------------------------------------------------------


class DownloadError(Exception):
    """The download stopped; ``str(e)`` says why in English words a user understands, ``code``
    and ``params`` are the facts for the text renderer (cluster_desk.text.tiles_text)."""

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass
class Progress:
    done: int = 0  # tiles finished (fetched, skipped or absent on the server)
    total: int = 0
    fetched: int = 0
    skipped: int = 0  # already in the pack
    absent: int = 0  # 404 on the server (sea, outside its coverage)
    bytes: int = 0
    retries: int = 0
    message: str = ""  # English (logs); the dialog says ``code``/``params`` in its language
    code: str = ""  # "retrying" (params: reason, wait in whole seconds) or ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class TileSource:
    url_template: str  # https://host/{z}/{x}/{y}.png ({s} -> first subdomain)
    attribution: str = ""
    name: str = ""
    subdomains: tuple[str, ...] = ("a", "b", "c")

    def url(self, z: int, x: int, y: int) -> str:
        return (
            self.url_template.replace("{z}", str(z))
            .replace("{x}", str(x))
            .replace("{y}", str(y))
            .replace("{s}", self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else "a")
        )


@dataclass
class Downloader:
    """One download job. ``run`` blocks (call it from a worker thread); ``cancel`` from any."""

    source: TileSource
    area: Area
    target: Path
    rate: float = 2.0  # requests per second at most
    batch_size: int = 50
    max_retries: int = 5
    timeout: float = 20.0
    progress_cb: Callable[[Progress], None] | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)
    use_system_proxy: bool = True  # tests turn it off: their server is on 127.0.0.1
    _last_request: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        import urllib.request  # here, not at import: the app's start loads this module (issue 17)

        handlers = [] if self.use_system_proxy else [urllib.request.ProxyHandler({})]
        self._opener = urllib.request.build_opener(*handlers)
        self._progress = Progress()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def _wait(self, seconds: float) -> None:
        """Sleep, but wake up at once on cancel."""
        if seconds > 0:
            self.cancel_event.wait(seconds)

    def _pace(self) -> None:
        gap = 1.0 / self.rate if self.rate > 0 else 0.0
        self._wait(self._last_request + gap - time.monotonic())
        self._last_request = time.monotonic()

    def fetch(self, z: int, x: int, y: int) -> bytes | None:
        """One tile: bytes, or None if the server has none (404/204). Retries lost connections,
        5xx and 429 (Retry-After honoured) up to ``max_retries`` times, then DownloadError."""
        import http.client
        import urllib.error
        import urllib.request

        url = self.source.url(z, x, y)
        if not url.startswith(("https://", "http://")):
            raise DownloadError(f"not a web address: {url}", "not_web_address", url=url)
        attempt = 0
        while True:
            if self.cancelled:
                return None
            self._pace()
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
            wait = min(2.0**attempt, 30.0)
            try:
                with self._opener.open(req, timeout=self.timeout) as resp:
                    if resp.status == 204:
                        return None
                    data: bytes = resp.read(MAX_TILE_BYTES + 1)
                    length = resp.headers.get("Content-Length")
                    if length is not None and length.isdigit() and int(length) != len(data):
                        raise http.client.IncompleteRead(data, int(length) - len(data))
                if len(data) > MAX_TILE_BYTES:
                    raise DownloadError(f"tile {z}/{x}/{y} is larger than {MAX_TILE_BYTES} bytes",
                                        "tile_too_large", tile=f"{z}/{x}/{y}", limit=MAX_TILE_BYTES)
                if sniff_format(data[:16]) is None:
                    raise DownloadError(f"tile {z}/{x}/{y} is not an image (is the URL template right?)",
                                        "not_image", tile=f"{z}/{x}/{y}")
                return data
            except urllib.error.HTTPError as e:
                if e.code == 404:
                    return None
                if e.code in (429, 503):
                    wait = _retry_after(e.headers.get("Retry-After"), default=wait)
                elif e.code < 500:
                    raise DownloadError(f"the tile server refused {url}: HTTP {e.code}", "refused", url=url,
                                        status=str(e.code)) from None
                reason = f"HTTP {e.code}"
            except (OSError, http.client.HTTPException) as e:  # lost connection, timeout, reset
                reason = type(e).__name__
            attempt += 1
            if attempt > self.max_retries:
                raise DownloadError(
                    f"the tile server did not answer after {self.max_retries} tries ({reason}); "
                    "start again to resume", "no_answer", tries=self.max_retries, reason=reason
                )
            self._report_retry(reason, wait)
            self._wait(wait)

    def _report_retry(self, reason: str, wait: float) -> None:
        self._progress.retries += 1
        self._progress.message = f"{reason}: retrying in {wait:.0f} s"
        self._progress.code, self._progress.params = "retrying", {"reason": reason, "wait": round(wait)}
        self._emit()

    def _emit(self) -> None:
        if self.progress_cb is not None:
            self.progress_cb(self._progress)

    def run(self) -> Progress:
        """Download every missing tile of the area into ``target``. Returns the final progress;
        stops early (keeping what was stored) on cancel; raises DownloadError on failure."""
        from cluster_desk.tiles.presets import bulk_download_forbidden

        forbidding = bulk_download_forbidden(self.source.url_template)
        if forbidding is not None:  # the UI refuses first and says why; this is the backstop
            raise DownloadError(
                f"{forbidding.name}'s tile usage policy forbids bulk downloading ({forbidding.terms_url})",
                "forbidden", name=forbidding.name, terms=forbidding.terms_url)
        tiles = list(self.area.tiles())
        if len(tiles) > MAX_TILES:
            raise DownloadError(f"{len(tiles)} tiles is too many (at most {MAX_TILES}): choose fewer zooms",
                                "too_many", count=len(tiles), limit=MAX_TILES)
        self._progress = Progress(total=len(tiles))
        with MBTilesWriter(self.target) as w:
            meta = w.metadata()
            zooms = sorted({t[0] for t in tiles})
            have: set[tuple[int, int, int]] = set()
            for z in zooms:
                have |= {(z, x, y) for x, y in w.existing(z)}
            old_min = int(meta.get("minzoom", min(zooms, default=0)))
            old_max = int(meta.get("maxzoom", max(zooms, default=0)))
            w.set_metadata(
                {
                    "name": meta.get("name") or self.source.name or self.target.stem,
                    "type": "baselayer",
                    "version": "1.1",
                    "description": f"Downloaded by {USER_AGENT}",
                    "format": meta.get("format", "png"),
                    "attribution": self.source.attribution or meta.get("attribution", ""),
                    "minzoom": str(min([old_min, *zooms]) if meta else min(zooms, default=0)),
                    "maxzoom": str(max([old_max, *zooms]) if meta else max(zooms, default=0)),
                    "bounds": self._bounds_text(meta.get("bounds")),
                }
            )
            batch: list[tuple[int, int, int, bytes]] = []
            fmt_seen = meta.get("format")
            try:
                for z, x, y in tiles:
                    if self.cancelled:
                        break
                    if (z, x, y) in have:
                        self._progress.skipped += 1
                    else:
                        data = self.fetch(z, x, y)
                        if self.cancelled:
                            break
                        if data is None:
                            self._progress.absent += 1
                        else:
                            batch.append((z, x, y, data))
                            self._progress.fetched += 1
                            self._progress.bytes += len(data)
                            if fmt_seen is None:
                                fmt_seen = sniff_format(data[:16]) or "png"
                                w.set_metadata({"format": fmt_seen})
                    self._progress.done += 1
                    self._progress.message, self._progress.code = "", ""
                    if len(batch) >= self.batch_size:
                        w.put_tiles(batch)
                        batch = []
                    self._emit()
            finally:
                if batch:  # whatever happened, keep what was fetched
                    w.put_tiles(batch)
        self._progress.message = "cancelled" if self.cancelled else "done"
        self._progress.code = ""
        self._emit()
        return self._progress

    def _bounds_text(self, old: str | None) -> str:
        if self.area.circle is not None:
            w, s, e, n = circle_bbox(*self.area.circle)
        elif self.area.bbox is not None:
            w, s, e, n = self.area.bbox
        else:
            return old or ""
        if old:
            try:
                ow, os_, oe, on = (float(v) for v in old.split(","))
                if w <= e and ow <= oe:
                    w, s, e, n = min(w, ow), min(s, os_), max(e, oe), max(n, on)
            except ValueError:
                pass
        if w > e:  # crosses 180°: MBTiles bounds cannot say so; cover all longitudes
            w, e = -180.0, 180.0
        return f"{w:.6f},{s:.6f},{e:.6f},{n:.6f}"


def _retry_after(value: str | None, default: float) -> float:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER_S))
