"""A standalone HTML map of the roster (folium page, every asset inlined: works offline by e-mail).

Safety (PITFALLS): folium is not safe with untrusted text. Its ``Popup`` renders the content into
a JavaScript template literal (`` $(`...`) ``), so ``${...}`` in a member name would run even
with ``parse_html=False``, and ``Tooltip`` text is not escaped at all. So no member text goes
through folium: folium builds the page and the map object, and our own script draws the members
from a JSON island whose text is escaped for a <script> element (``<``, ``>``, ``&``, ``$``,
backtick, U+2028/2029 as \\u escapes). Popups are DOM nodes filled with ``textContent``; nothing is
ever parsed as HTML. The page title and the static legend are html.escape'd.

Offline: folium's default CDN links (Leaflet, jQuery, Bootstrap, fonts) are dropped and the
vendored Leaflet (resources/web/vendor/leaflet) is inlined, with the world outline from
maps/countries-110m.json (+ topojson-client) as the base layer; online, OpenStreetMap tiles
appear on top of it.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Member

__all__ = ["export_html_map", "script_json"]

_KIND_COLOUR = {
    "firm": "#1f77b4", "research": "#9467bd", "education": "#2ca02c", "finance": "#bcbd22",
    "authority": "#d62728", "cluster_org": "#ff7f0e", "partner_cluster": "#8c564b",
    "infrastructure": "#17becf", "foreign_partner": "#7f7f7f",
}  # fmt: skip
_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "$": "\\u0024",
    "`": "\\u0060",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON safe inside <script>: no '</script>', no template-literal or HTML-significant chars."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return "".join(_JS_ESCAPES.get(ch, ch) for ch in text)


def _asset(*parts: str) -> str:
    from cluster_desk.paths import resource

    return Path(resource(*parts)).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    # A vendored library never contains "</script", but make sure: it would end the element.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


_DRAW = """
(function () {
  var map = %(map)s;
  var data = JSON.parse(document.getElementById("cd-members").textContent);
  try {
    var world = JSON.parse(document.getElementById("cd-world").textContent);
    var land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, {style: {color: "#999", weight: 0.6, fillColor: "#f2efe9", fillOpacity: 1},
                     interactive: false}).addTo(map);
  } catch (e) { /* no outline: the members are still drawn */ }
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap contributors"}).addTo(map);
  var renderer = L.canvas();
  var bounds = [];
  data.members.forEach(function (m) {
    var marker = L.circleMarker([m.lat, m.lon], {renderer: renderer, radius: 6, weight: 1,
      color: "#333", fillColor: m.colour, fillOpacity: 0.85});
    marker.bindPopup(function () {
      var box = document.createElement("div");
      [["b", m.name], ["div", m.kind], ["div", m.address], ["div", m.notes]].forEach(function (p) {
        if (!p[1]) { return; }
        var el = document.createElement(p[0]);
        el.textContent = p[1];  // text, never HTML
        box.appendChild(el);
      });
      return box;
    });
    marker.addTo(map);
    bounds.push([m.lat, m.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, {padding: [20, 20], maxZoom: 12}); }
})();
"""


def export_html_map(members: Iterable[Member], path: str | os.PathLike[str], *, title: str = "") -> int:
    """Write the map page; returns the number of members drawn (located ones). Atomic."""
    import folium
    from branca.element import Element

    class OfflineMap(folium.Map):
        default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's class attribute
        default_css: list[tuple[str, str]] = []  # noqa: RUF012

    path = Path(path)
    located = [m for m in members if m.lat is not None and m.lon is not None]
    data = {"members": [
        {"name": m.name, "kind": m.kind.value, "address": m.address, "notes": m.notes,
         "lat": m.lat, "lon": m.lon, "colour": _KIND_COLOUR.get(m.kind.value, "#333")}
        for m in located
    ]}  # fmt: skip
    fmap = OfflineMap(location=[55.0, 49.0], zoom_start=5, tiles=None, prefer_canvas=True)
    root: Any = fmap.get_root()  # a branca Figure: header, html and script children
    header = root.header
    header.add_child(Element(f"<title>{html.escape(title or 'Cluster Desk map')}</title>"), name="cd_title")
    header.add_child(
        Element("<style>" + _asset("web", "vendor", "leaflet", "leaflet.css") + "</style>"),
        name="cd_leaflet_css",
    )
    header.add_child(
        Element(_inline_script(_asset("web", "vendor", "leaflet", "leaflet.js"))), name="cd_leaflet_js"
    )
    header.add_child(
        Element(_inline_script(_asset("web", "vendor", "topojson-client", "topojson-client.min.js"))),
        name="cd_topojson",
    )
    world = _world_outline()
    body = root.html
    body.add_child(
        Element(f'<script type="application/json" id="cd-members">{script_json(data)}</script>'),
        name="cd_data",
    )
    body.add_child(
        Element(f'<script type="application/json" id="cd-world">{world}</script>'), name="cd_world"
    )
    if title:
        body.add_child(
            Element(
                '<div style="position:absolute;top:8px;left:50px;z-index:1000;background:#fff;'
                f'padding:4px 8px;font:14px sans-serif;border-radius:4px">{html.escape(title)}</div>'
            ),
            name="cd_caption",
        )
    root.script.add_child(Element(_DRAW % {"map": fmap.get_name()}), name="cd_draw")
    page = root.render()
    with atomic_open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return len(located)


def _world_outline() -> str:
    """The Natural Earth 110m countries as script-safe JSON text ("null" if not shipped)."""
    try:
        from cluster_desk.paths import map_data

        text = Path(map_data("countries-110m.json")).read_text(encoding="utf-8")
    except (OSError, ImportError, TypeError):
        return "null"
    return script_json(json.loads(text))
