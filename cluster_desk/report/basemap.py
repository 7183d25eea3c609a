"""The passport's map, drawn offline with matplotlib: Natural Earth country outlines from maps/
(world-atlas TopoJSON, the same data the app's map uses), the norm circle, the links and the
participants by kind (colour and marker shape, so a greyscale print still tells kinds apart).
No tile, no network."""

from __future__ import annotations

import json
import math
import os
import textwrap
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cluster_desk.core.palette import KIND_COLOURS, OUTSIDE_RED
from cluster_desk.paths import map_data
from cluster_desk.report.charts import new_figure
from cluster_desk.report.data import PassportData
from cluster_desk.report.regional import Regional, regional
from cluster_desk.text.check_words import SourceLine
from cluster_desk.text.passport_words import PassportWords

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Marker per kind: shape carries the kind when colour is lost.
KIND_MARKERS = {
    "firm": "o", "research": "^", "education": "s", "finance": "D", "authority": "P",
    "cluster_org": "*", "partner_cluster": "h", "infrastructure": "X", "foreign_partner": "v",
}  # fmt: skip
EXTERNAL = {"partner_cluster", "foreign_partner"}
#: Above this many participants outside the circle they are not ringed: thousands of rings cover the
#: map (the circle itself shows who is outside; the table lists the farthest).
MAX_OUTSIDE_RINGS = 300
#: Above this many links only a sample is drawn (a print shows texture, not 300k lines).
MAX_LINK_LINES = 4000


@lru_cache(maxsize=1)
def country_rings() -> list[np.ndarray]:
    """Country outlines as (lon, lat) arrays, from the 50m world-atlas TopoJSON. Decoding it takes
    ~0.1 s of each passport, so the rings are kept decoded in the user's cache (only a cache: any
    trouble with it and the TopoJSON is decoded again)."""
    source = map_data("countries-50m.json")
    cache = _rings_cache(source)
    try:
        with np.load(cache) as kept:
            points, starts = kept["points"], kept["starts"]
        return np.split(points, starts[1:])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        pass
    rings = _decode_rings(source)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            np.savez(f, points=np.concatenate(rings), starts=np.cumsum([0] + [len(r) for r in rings[:-1]]))
        os.replace(tmp, cache)  # whole or not at all: another passport may be reading it
    except OSError:
        pass  # a read-only or full cache folder: decode again next time
    return rings


def _rings_cache(source: Path) -> Path:
    """``$CLUSTER_DESK_CACHE/report`` or the user's cache; named by the source's size and time."""
    st = source.stat()
    env = os.environ.get("CLUSTER_DESK_CACHE")
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cluster-desk"
    base = Path(env) if env else user
    return base / "report" / f"countries-50m-{st.st_size}-{st.st_mtime_ns}.npz"


def _decode_rings(source: Path) -> list[np.ndarray]:
    topo = json.loads(source.read_text(encoding="utf-8"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
        arcs.append(np.column_stack((a[:, 0] * sx + tx, a[:, 1] * sy + ty)))
    rings: list[np.ndarray] = []

    def ring(indices: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate(parts)

    for geom in topo["objects"]["countries"]["geometries"]:
        polys = geom.get("arcs", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            rings.extend(ring(r) for r in poly)
    return rings


def _extent(d: PassportData) -> tuple[float, float, float, float]:
    """(lon0, lon1, lat0, lat1) holding the circle and the located participants, with a margin."""
    # Partner clusters and foreign partners are external by definition (DOMAIN.md rule 2): the map
    # frames the cluster; their links run off its edge.
    local = [m for m in d.located if m.kind.value not in EXTERNAL] or d.located
    lats = [m.lat for m in local if m.lat is not None]
    lons = [m.lon for m in local if m.lon is not None]
    lats += [p[0] for p in d.outline]
    lons += [p[1] for p in d.outline]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    pad_lat = max(0.3, (lat1 - lat0) * 0.08)
    pad_lon = max(0.5, (lon1 - lon0) * 0.08)
    return lon0 - pad_lon, lon1 + pad_lon, lat0 - pad_lat, lat1 + pad_lat


def _draw_regional(ax: Any, r: Regional) -> None:
    """Lakes, rivers, subject borders and names: pale, under the members (grey on a grey print)."""
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection, PolyCollection

    if r.water:
        ax.add_collection(PolyCollection(r.water, facecolors="#dce9f5", edgecolors="#b5cfe6", linewidths=0.3,
                                         zorder=0.5))
    if r.rivers:
        ax.add_collection(LineCollection([line for _cls, line in r.rivers], colors="#a9c8e2",
                                         linewidths=[0.7 if cls <= 1 else 0.45 for cls, _line in r.rivers],
                                         zorder=0.6))
    if r.borders:
        ax.add_collection(LineCollection(r.borders, colors="#9a9a9a", linewidths=0.6, linestyles=(0, (4, 2)),
                                         zorder=0.7))
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    lon0, lon1 = ax.get_xlim()
    lat0, lat1 = ax.get_ylim()
    width_in, height_in = ax.figure.get_size_inches()
    box = ax.get_position()
    lon_per_inch = (lon1 - lon0) / (box.width * width_in)
    lat_per_inch = (lat1 - lat0) / (box.height * height_in)
    placed: list[tuple[float, float, float, float]] = []
    for lon, lat, name in r.labels:  # largest subjects first (the labels file's order)
        text = textwrap.fill(name, 18)
        lines = text.splitlines()
        half_w = max(len(line) for line in lines) * 6 / 72 * 0.58 / 2 * lon_per_inch
        half_h = len(lines) * 6 / 72 * 1.25 / 2 * lat_per_inch
        if lon - half_w < lon0 or lon + half_w > lon1:
            continue  # a name cut by the frame's edge reads as a different word
        if any(abs(lon - x) < half_w + w and abs(lat - y) < half_h + h for x, y, w, h in placed):
            continue  # two names on each other read as neither
        placed.append((lon, lat, half_w, half_h))
        ax.text(lon, lat, text, fontsize=6, color="#6b6b6b", style="italic", ha="center",
                va="center", zorder=1.5, clip_on=True, path_effects=halo)


def map_figure(d: PassportData, w: PassportWords) -> Figure | None:
    located = d.located
    if not located:
        return None
    fig = new_figure((7.2, 3.9))
    ax = fig.add_axes((0.0, 0.0, 0.74, 1.0))
    lon0, lon1, lat0, lat1 = _extent(d)
    mid = math.radians((lat0 + lat1) / 2)
    # Equirectangular, true shape at the mid latitude; the frame grows to fill the axes box.
    stretch = 1 / max(math.cos(mid), 0.05)
    box = (0.74 * 7.2) / 3.9  # the axes' width / height on paper
    span_lon, span_lat = lon1 - lon0, (lat1 - lat0) * stretch
    if span_lon / span_lat < box:
        grow = (span_lat * box - span_lon) / 2
        lon0, lon1 = lon0 - grow, lon1 + grow
    else:
        grow = (span_lon / box - span_lat) / 2 / stretch
        lat0, lat1 = lat0 - grow, lat1 + grow
    ax.set_aspect(stretch, adjustable="box")
    from matplotlib.collections import LineCollection

    rings = [r for r in country_rings()
             if r[:, 0].max() >= lon0 and r[:, 0].min() <= lon1
             and r[:, 1].max() >= lat0 and r[:, 1].min() <= lat1]
    ax.add_collection(LineCollection(rings, colors="#8a8a8a", linewidths=0.6, zorder=1))
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    _draw_regional(ax, regional(lon0, lon1, lat0, lat1, d.lang))
    pos = {m.id: (m.lon, m.lat) for m in located}
    drawn = [lk for lk in d.links if lk.source in pos and lk.target in pos]
    if len(drawn) > MAX_LINK_LINES:  # the sample is chosen before its lines are built (300k at 100k)
        step = len(drawn) / MAX_LINK_LINES
        drawn = [drawn[int(i * step)] for i in range(MAX_LINK_LINES)]
    segs = [(pos[lk.source], pos[lk.target]) for lk in drawn]
    if segs:
        ax.add_collection(LineCollection(segs, colors="#555555", linewidths=0.35, alpha=0.45, zorder=2,
                                         label=w.chart("link_lines")))
    dense = len(located) >= 10_000
    size = 14 if len(located) < 500 else 5 if not dense else 1.2
    by_kind: dict[str, list[tuple[float | None, float | None]]] = {}
    for m in located:  # one pass, not one per kind (100,000 members: ~0.5 s less)
        by_kind.setdefault(m.kind.value, []).append((m.lon, m.lat))
    for kind, marker in KIND_MARKERS.items():
        pts = by_kind.get(kind)
        if not pts:
            continue
        arr = np.array(pts)
        # Thousands of black-edged dots print as one black blob: dense maps drop the edges.
        ax.scatter(arr[:, 0], arr[:, 1], s=size * (2 if kind != "firm" else 1), marker=marker,
                   c=KIND_COLOURS[kind], edgecolors="none" if dense else "black", linewidths=0.3, zorder=4,
                   label=w.kind(kind), rasterized=len(pts) > 2000)
    if d.outline:
        from matplotlib import patheffects

        # Above the members, with a white halo: the circle stays visible over a dense cluster.
        ring = np.array([*d.outline, d.outline[0]])
        ax.plot(ring[:, 1], ring[:, 0], color="black", linestyle="--", linewidth=1.1, zorder=6,
                path_effects=[patheffects.withStroke(linewidth=2.6, foreground="white")],
                label=f"{w.chart('circle')} {SourceLine(d.text).setting('radius_km', d.settings.radius_km)}")
    far = [(m.lon, m.lat) for m in located if m.id in d.outside_ids]
    if far and len(far) <= MAX_OUTSIDE_RINGS:
        arr = np.array(far)
        ax.scatter(arr[:, 0], arr[:, 1], s=max(size * 4, 12), facecolors="none", edgecolors=OUTSIDE_RED,
                   linewidths=0.9, zorder=5, label=w.chart("outside_mark"), rasterized=len(far) > 2000)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#888888")
    from matplotlib.collections import LineCollection as Lines
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    # The links' own faint hairline is invisible in the legend: a darker sample stands for it.
    handles = [Line2D([], [], color="#555555", linewidth=0.8) if isinstance(h, Lines) else h for h in handles]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=6.5,
              title=w.chart("legend"), title_fontsize=7,
              markerscale=max(1.0, (12 / size) ** 0.5))  # legend marks readable at any size
    return fig
