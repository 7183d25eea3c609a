"""A standalone HTML map of the roster: one file, every asset inlined, opens offline by e-mail.

What folium does here: the Leaflet map, one ``FeatureGroup`` layer per member kind, the
``LayerControl`` (expanded, with colour swatches and counts: the legend, and a switch per kind)
and the ``fitBounds`` to the located members. Only our own constants and numbers go through it.

What folium must never see: member text and the project name. branca renders every element's
macros and then wraps the *output* in ``Element(output)``, which Jinja compiles again as template
source; so any text folium places in the page is run as a template a second time (a member
named ``{{ 7*7 }}`` became "49", and ``{{ cycler.__init__.__globals__.os... }}`` ran a shell
command). folium's ``Tooltip`` does not escape at all, and ``Popup`` puts its HTML in a JS
template literal where ``${...}`` runs. So untrusted text reaches the page only *after*
folium's render, by plain string replacement of two placeholders: as a JSON data island
(``script_json``: ``<``, ``>``, ``&``, ``$``, backtick, U+2028/2029 as ``\\u`` escapes, so no
``</script>`` or ``<!--`` can occur) read by our script, which builds tooltips and popups as DOM
nodes filled with ``textContent``, and as ``html.escape``'d title and caption.

Offline: folium's CDN links are dropped; Leaflet, its images (as data: URIs), topojson-client and
the Natural Earth outline (maps/countries-110m.json) are inlined. A Content-Security-Policy
meta tag forbids any request except data: images, so even a mistake could not phone out.
"""

from __future__ import annotations

import base64
import html
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.core.palette import FORMER_GREY, OUTSIDE_RED, kind_colour
from cluster_desk.io.formats.export_words import header, kind_word, normalise_lang, value_word

__all__ = ["export_html_map", "render_html_map", "script_json"]

_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "$": "\\u0024",
    "`": "\\u0060",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_WRITE_PIECE = 1 << 20  # characters per write
_HEAD_MARK = "<!--cluster-desk:head-->"
_BODY_MARK = "<!--cluster-desk:body-->"
#: No request of any kind leaves the page: scripts and styles are inline, images data: URIs.
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:")
#: Fields shown in a popup (contact persons stay out: a map file travels further than the roster).
_POPUP_FIELDS = ("kind", "status", "sector", "employees", "address", "inn", "website", "notes")
_FAR_KINDS = frozenset({MemberKind.FOREIGN_PARTNER, MemberKind.PARTNER_CLUSTER})
_CAPTION = {
    "en": ("{n} members on the map", "{k} without coordinates are not shown", "Cluster Desk map"),
    "ru": ("Участников на карте: {n}", "Без координат (не показаны): {k}", "Карта кластера"),
}


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def script_json(value: Any) -> str:
    """JSON safe inside <script>: no '</script>' or '<!--', no template-literal characters.

    The escapes replace single characters, which JSON has only inside its strings, so pieces
    escaped one by one and joined equal the whole escaped at once (``_data_json``)."""
    text = _ENCODE(value)
    for ch, escape in _JS_ESCAPES.items():  # C-speed scans: a loop over the characters in Python
        text = text.replace(ch, escape)     # took ~2 s on 100,000 members
    return text


def _data_json(records: Iterable[dict[str, Any]], rest: dict[str, Any]) -> Iterator[str]:
    """``script_json({"members": records, **rest})`` in pieces, a record at a time: one encode
    of 100,000 records was a single call holding the GIL for ~0.3 s, which an export worker
    must not do to the window."""
    yield '{"members":['
    for i, record in enumerate(records):
        yield ("," if i else "") + script_json(record)
    yield "]," + script_json(rest)[1:]


def _asset(*parts: str) -> str:
    from cluster_desk.paths import resource

    return Path(resource(*parts)).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    # A vendored library never contains "</script", but make sure: it would end the element.
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def _leaflet_css() -> str:
    """Leaflet's stylesheet with its images as data: URIs (no file or network request)."""
    from cluster_desk.paths import resource

    css = _asset("web", "vendor", "leaflet", "leaflet.css")
    images = Path(resource("web", "vendor", "leaflet", "images"))
    for png in sorted(images.glob("*.png")):
        uri = "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{png.name})", f"url({uri})")
    return css


def _world_outline() -> str:
    """The Natural Earth 110m countries as script-safe JSON text ("null" if not shipped)."""
    try:
        from cluster_desk.paths import map_data

        text = Path(map_data("countries-110m.json")).read_text(encoding="utf-8")
    except (OSError, ImportError, TypeError):
        return "null"
    return script_json(json.loads(text))


def _member_record(m: Member, lang: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": m.id, "name": m.name, "kind": m.kind.value,
                              "status": m.status.value, "lat": m.lat, "lon": m.lon}
    shown = {fld: value_word(fld, getattr(m, fld), lang) for fld in _POPUP_FIELDS}
    record["show"] = {fld: value for fld, value in shown.items() if value not in (None, "")}
    return record


def _legend_entry(kind: MemberKind, count: int, lang: str) -> str:
    # Leaflet's layer control sets a layer's name as innerHTML: every part is ours and escaped.
    swatch = (f'<span class="cd-swatch" style="background:{html.escape(kind_colour(kind.value))}">'
              "</span>")
    return f"{swatch}{html.escape(kind_word(kind, lang))} ({count})"


def _status_key(members: list[Member], lang: str) -> str:
    """How candidates and former members are drawn, for the statuses present (escaped words)."""
    present = {m.status for m in members if m.located}
    keys = [(Status.CANDIDATE, "cd-swatch cd-candidate"), (Status.FORMER, "cd-swatch cd-former")]
    words = {status: html.escape(str(value_word("status", status, lang))) for status, _ in keys}
    return "".join(f'<div><span class="{cls}"></span>{words[status]}</div>'
                   for status, cls in keys if status in present)


def render_html_map(members: Iterable[Member], *, title: str = "", lang: str = "en") -> tuple[str, int]:
    """The page's text and the number of members drawn (those with coordinates)."""
    import folium
    from branca.element import Element, MacroElement
    from folium.template import Template

    class OfflineMap(folium.Map):
        default_js: list[tuple[str, str]] = []  # noqa: RUF012 - folium's class attribute
        default_css: list[tuple[str, str]] = []  # noqa: RUF012

    class DrawMembers(MacroElement):  # type: ignore[misc]
        """Calls our script with the map and the kind layers (only generated names go in)."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            cdDrawMembers({{ this._parent.get_name() }}, {{ this.groups }});
            {% endmacro %}""")

        def __init__(self, groups: dict[str, Any]) -> None:
            super().__init__()
            self._name = "DrawMembers"
            self.groups = "{" + ",".join(f'"{k}":{g.get_name()}' for k, g in groups.items()) + "}"

    lang = normalise_lang(lang)
    everyone = list(members)
    located = [m for m in everyone if m.lat is not None and m.lon is not None]
    fmap = OfflineMap(location=[55.8, 49.1], zoom_start=4, tiles=None, prefer_canvas=True,
                      control_scale=True)
    root: Any = fmap.get_root()
    root.header.add_child(Element(_HEAD_MARK), name="cd_head", index=0)
    root.html.add_child(Element(_BODY_MARK), name="cd_body")
    groups: dict[str, Any] = {}
    for kind in MemberKind:
        count = sum(1 for m in located if m.kind is kind)
        if count:
            groups[kind.value] = folium.FeatureGroup(name=_legend_entry(kind, count, lang)).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    if located:
        # Fit the cluster itself: partners abroad or in other regions would zoom out to a continent
        # (they are still drawn, and the legend counts them).
        home = [m for m in located if m.kind not in _FAR_KINDS] or located
        lats = [m.lat for m in home if m.lat is not None]
        lons = [m.lon for m in home if m.lon is not None]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(24, 24), max_zoom=12)
    DrawMembers(groups).add_to(fmap)
    page = root.render()

    rest = {
        "labels": {fld: header(fld, lang) for fld in _POPUP_FIELDS},
        "formerGrey": FORMER_GREY, "outsideRed": OUTSIDE_RED,
        "colours": {k.value: kind_colour(k.value) for k in MemberKind},
    }
    data = "".join(_data_json((_member_record(m, lang) for m in located), rest))
    shown, missing, default_title = _CAPTION[lang]
    caption = shown.format(n=len(located))
    if len(everyone) > len(located):
        caption += " · " + missing.format(k=len(everyone) - len(located))
    head = "\n".join([
        "<meta charset=\"utf-8\">",  # first: the page has Cyrillic long before folium's meta
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{html.escape(title or default_title)}</title>",
        f"<style>{_leaflet_css()}</style>",
        "<style>" + _asset("web", "export", "htmlmap.css") + "</style>",
        _inline_script(_asset("web", "vendor", "leaflet", "leaflet.js")),
        _inline_script(_asset("web", "vendor", "topojson-client", "topojson-client.min.js")),
        _inline_script(_asset("web", "export", "htmlmap.js")),
    ])
    body = "\n".join([
        f'<script type="application/json" id="cd-data">{data}</script>',
        f'<script type="application/json" id="cd-world">{_world_outline()}</script>',
        '<div class="cd-caption">'
        + (f'<div class="cd-title">{html.escape(title)}</div>' if title else "")
        + f"<div>{html.escape(caption)}</div>" + _status_key(everyone, lang) + "</div>",
    ])
    # Exactly one of each mark came out of folium; the untrusted parts go in after its render.
    if page.count(_HEAD_MARK) != 1 or page.count(_BODY_MARK) != 1:
        raise RuntimeError("folium's page lost the placeholders of the HTML map")
    before_body, after_body = page.split(_BODY_MARK)
    page = before_body.replace(_HEAD_MARK, head) + body + after_body
    return page, len(located)


def export_html_map(members: Iterable[Member], path: str | os.PathLike[str], *, title: str = "",
                    lang: str = "en") -> int:
    """Write the map page; returns the number of members drawn (located ones). Atomic."""
    path = Path(path)
    page, count = render_html_map(members, title=title, lang=lang)
    with atomic_open(path, "w", encoding="utf-8") as f:
        for at in range(0, len(page), _WRITE_PIECE):  # pieces: one 20 MB encode holds the GIL
            f.write(page[at:at + _WRITE_PIECE])
    return count
