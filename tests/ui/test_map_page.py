"""The real map page in Qt WebEngine (offscreen): bridge, drawing, safety, offline, 180°."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import (
    KAZAN,
    TIMEOUT,
    ConsoleLog,
    Recorder,
    click,
    count_page_clicks,
    drag,
    hover_until,
    inline_handlers,
    js,
    members_around,
    mouse,
    open_view,
    stats,
    wait_drawn,
    wait_settled,
)
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineSettings,
)

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.scheme import PAGE_URL, resolve_request_path
from cluster_desk.ui.map.view import KIND_COLOURS, MapView, is_page_url


@pytest.fixture
def console_and_view(qtbot: Any) -> Iterator[tuple[ConsoleLog, MapView]]:
    view = MapView()
    console = open_view(qtbot, view)
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemap"] == "ready", timeout=TIMEOUT)
    yield console, view
    assert console.errors == [], "JavaScript errors on the map page"


@pytest.fixture
def view(console_and_view: tuple[ConsoleLog, MapView]) -> MapView:
    return console_and_view[1]


# ---- loading, drawing, incremental updates ---------------------------------------------------


def test_page_loads_says_ready_and_draws_basemap(qtbot: Any, view: MapView) -> None:
    s = stats(qtbot, view)
    assert view.is_ready
    # The countries are one layer of canvas tiles (basemap.js), drawn from every polygon.
    countries = s["regional"]["countries"]
    assert s["basemap"] == "ready" and s["basemapLayers"] == 1 and countries["polygons"] > 200
    qtbot.waitUntil(lambda: stats(qtbot, view)["regional"]["countries"]["tilesDrawn"] > 0, timeout=TIMEOUT)
    assert s["members"] == 0 and s["mode"] == "browse"


def test_calls_before_ready_are_queued_and_flushed_in_order(qtbot: Any) -> None:
    view = MapView()
    console = open_view(qtbot, view)
    ms = members_around(10)
    view.set_members(ms)  # page not ready yet: queued, nothing blocks
    view.remove_members([ms[0].id])
    view.set_mode("place")
    last = view.select(ms[1].id, pan=False)
    assert not view.is_ready
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        pass
    wait_drawn(qtbot, view, last)
    s = stats(qtbot, view)
    assert (s["members"], s["mode"], s["selectedId"]) == (9, "place", ms[1].id)
    assert console.errors == []


def test_set_members_draws_all_then_updates_incrementally(qtbot: Any, view: MapView) -> None:
    ms = members_around(1000)
    wait_drawn(qtbot, view, view.set_members(ms))
    s = stats(qtbot, view)
    assert (s["members"], s["onMap"], s["fullDraws"]) == (1000, 1000, 1)

    moved = Member(name="Moved", kind=MemberKind.RESEARCH, id=ms[5].id, lat=56.0, lon=50.0)
    view.upsert_member(moved)
    view.upsert_member(Member(name="New", lat=55.0, lon=49.0))
    view.remove_members([ms[0].id, ms[1].id, "not-there"])
    wait_drawn(qtbot, view, view.upsert_member(Member(name="Unplaced", id=ms[2].id)))  # no coords: leaves
    s = stats(qtbot, view)
    assert (s["members"], s["onMap"], s["fullDraws"]) == (998, 998, 1)
    assert s["upserts"] == 2 and s["removes"] == 3
    m = js(qtbot, view, f"window.__clusterDesk.member({json.dumps(ms[5].id)})")
    assert (m["lat"], m["lon"]) == (56.0, 50.0)
    assert m["style"]["fillColor"] == KIND_COLOURS["research"]


def test_styles_by_status_outside_highlight_and_selection(qtbot: Any, view: MapView) -> None:
    member = Member(name="A", kind=MemberKind.FIRM, lat=55.8, lon=49.1)
    cand = Member(name="B", kind=MemberKind.FIRM, status=Status.CANDIDATE, lat=55.7, lon=49.2)
    former = Member(name="C", kind=MemberKind.FIRM, status=Status.FORMER, lat=55.6, lon=49.3)
    view.set_members([member, cand, former])
    view.set_outside([former.id])
    view.highlight([member.id])
    wait_drawn(qtbot, view, view.select(cand.id, pan=True))

    def style(m: Member) -> dict[str, Any]:
        return js(qtbot, view, f"window.__clusterDesk.member({json.dumps(m.id)}).style")

    a, b, c = style(member), style(cand), style(former)
    assert a["fillColor"] == KIND_COLOURS["firm"] and a["radius"] > b["radius"]  # highlighted
    assert b["dashArray"] and b["fillOpacity"] < 0.5  # candidate: hollow, dashed
    assert c["fillColor"] != KIND_COLOURS["firm"] and c["color"] == "#d32f2f"  # former + outside
    s = stats(qtbot, view)
    assert (s["outside"], s["highlighted"], s["selectedId"]) == (1, 1, cand.id)


def test_incremental_changes_repaint_only_where_they_are(qtbot: Any, view: MapView) -> None:
    """One moved member repaints two small spots on the member canvas, not the whole canvas (and
    not the box spanning both spots); the selected member is drawn on its own layer, so moving
    it (a drag and its upsert) does not touch the member canvas at all."""
    ms = members_around(20_000, spread=0.5)
    view.set_members(ms)
    js(qtbot, view, f"window.__clusterDesk.view({KAZAN[0]}, {KAZAN[1]}, 8)")  # no zoom animation
    wait_drawn(qtbot, view, view.set_mode("browse"))
    s0 = stats(qtbot, view)
    assert s0["lastDrawCount"] == 20_000  # the full draw at the new zoom

    moved = Member(name="Moved", id=ms[7].id, kind=ms[7].kind, status=ms[7].status,
                   lat=KAZAN[0] + 0.45, lon=KAZAN[1] + 0.8)
    wait_drawn(qtbot, view, view.upsert_member(moved))
    s1 = stats(qtbot, view)
    assert s1["canvasFullDraws"] == s0["canvasFullDraws"]
    assert s1["canvasDraws"] == s0["canvasDraws"] + 1
    assert 0 < s1["lastDrawCount"] < 2_000
    m = js(qtbot, view, f"window.__clusterDesk.member({json.dumps(moved.id)})")
    assert (m["lat"], m["lon"]) == (moved.lat, moved.lon)

    wait_drawn(qtbot, view, view.select(moved.id, pan=False))  # leaves the canvas: one repaint
    s2 = stats(qtbot, view)
    again = Member(name="Moved", id=moved.id, kind=moved.kind, status=moved.status,
                   lat=KAZAN[0], lon=KAZAN[1])
    wait_drawn(qtbot, view, view.upsert_member(again))
    s3 = stats(qtbot, view)
    assert s3["canvasDraws"] == s2["canvasDraws"] and s3["upserts"] == s2["upserts"] + 1
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(moved.id)})")
    q = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0]}, {KAZAN[1]})")
    assert (p["x"], p["y"]) == (q["x"], q["y"])


def test_outside_changes_are_sent_as_a_difference(qtbot: Any, view: MapView) -> None:
    ms = members_around(300)
    view.set_members(ms)
    sent: list[dict[str, Any]] = []
    view.bridge.command.connect(lambda text: sent.append(json.loads(text)))
    view.set_outside([m.id for m in ms[:100]])
    assert sent[-1]["op"] == "setOutside" and len(sent[-1]["ids"]) == 100
    wait_drawn(qtbot, view, view.set_outside([m.id for m in ms[1:101]]))
    assert sent[-1]["op"] == "changeOutside"
    assert (sent[-1]["add"], sent[-1]["remove"]) == ([ms[100].id], [ms[0].id])
    s = stats(qtbot, view)
    assert s["outside"] == 100

    def colour(m: Member) -> str:
        return js(qtbot, view, f"window.__clusterDesk.member({json.dumps(m.id)}).style.color")

    assert colour(ms[0]) != "#d32f2f" and colour(ms[1]) == "#d32f2f" and colour(ms[100]) == "#d32f2f"
    wait_drawn(qtbot, view, view.set_outside([]))
    assert sent[-1] == {"op": "setOutside", "seq": sent[-1]["seq"], "ids": []}
    assert stats(qtbot, view)["outside"] == 0


def test_circle_uses_python_outline_and_handles_report_back(qtbot: Any, view: MapView) -> None:
    outline = [
        (KAZAN[0] + math.cos(a / 20 * 2 * math.pi), KAZAN[1] + 1.7 * math.sin(a / 20 * 2 * math.pi))
        for a in range(20)
    ]
    wait_drawn(qtbot, view, view.set_circle(*KAZAN, 111.0, outline))
    wait_drawn(qtbot, view, view.fit_all())
    wait_settled(qtbot, view)  # the fit animates
    h = js(qtbot, view, "window.__clusterDesk.circleHandles()")
    with qtbot.waitSignal(view.radiusChanged, timeout=TIMEOUT) as radius:
        drag(qtbot, view, (h["handle"]["x"], h["handle"]["y"]), (h["handle"]["x"] + 60, h["handle"]["y"]))
    assert 111.0 < radius.args[0] < 20_000
    with qtbot.waitSignal(view.centreMoved, timeout=TIMEOUT) as centre:
        drag(
            qtbot, view, (h["centre"]["x"], h["centre"]["y"]), (h["centre"]["x"] - 50, h["centre"]["y"] + 30)
        )
    lat, lon = centre.args
    assert lat < KAZAN[0] and lon < KAZAN[1]


# ---- user input through real mouse events ----------------------------------------------------


def test_click_in_place_mode_sends_map_clicked(qtbot: Any, view: MapView) -> None:
    wait_drawn(qtbot, view, view.set_mode("place"))
    p = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0]}, {KAZAN[1]})")
    with qtbot.waitSignal(view.mapClicked, timeout=TIMEOUT) as sig:
        click(qtbot, view, p["x"], p["y"])
    lat, lon = sig.args
    assert abs(lat - KAZAN[0]) < 0.1 and abs(lon - KAZAN[1]) < 0.1


def test_click_in_browse_mode_sends_nothing_but_marker_click_selects(qtbot: Any, view: MapView) -> None:
    m = Member(name="Clickable", lat=KAZAN[0], lon=KAZAN[1])
    wait_drawn(qtbot, view, view.set_members([m]))
    clicked: list[tuple[float, float]] = []
    view.mapClicked.connect(lambda a, b: clicked.append((a, b)))
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
    with qtbot.waitSignal(view.memberClicked, timeout=TIMEOUT) as sig:
        click(qtbot, view, p["x"], p["y"])
    assert sig.args == [m.id]
    count_page_clicks(qtbot, view)
    click(qtbot, view, p["x"] + 200, p["y"] + 100)
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__clicks") == 1, timeout=TIMEOUT)
    # Any message the click sent is on the channel before this command's acknowledgement.
    wait_drawn(qtbot, view, view.set_mode("browse"))
    assert clicked == []


def test_dragging_the_selected_member_sends_member_moved(qtbot: Any, view: MapView) -> None:
    ms = members_around(50, spread=0.3)
    target = Member(name="Dragged", lat=KAZAN[0], lon=KAZAN[1])
    view.set_members([*ms, target])
    wait_drawn(qtbot, view, view.select(target.id, pan=True))
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(target.id)})")
    with qtbot.waitSignal(view.memberMoved, timeout=TIMEOUT) as sig:
        drag(qtbot, view, (p["x"], p["y"]), (p["x"] + 80, p["y"] - 40))
    mid, lat, lon = sig.args
    assert mid == target.id
    assert lat > KAZAN[0] and lon > KAZAN[1]
    assert -90 <= lat <= 90 and -180 <= lon <= 180
    # the map itself did not pan during the marker drag
    q = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0]}, {KAZAN[1]})")
    assert abs(q["x"] - p["x"]) < 1 and abs(q["y"] - p["y"]) < 1


def test_dragging_an_unselected_member_pans_instead(qtbot: Any, view: MapView) -> None:
    m = Member(name="Not selected", lat=KAZAN[0], lon=KAZAN[1])
    wait_drawn(qtbot, view, view.set_members([m]))
    moved: list[Any] = []
    view.memberMoved.connect(lambda *a: moved.append(a))
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
    drag(qtbot, view, (p["x"], p["y"]), (p["x"] + 80, p["y"]))
    # The drag arrived: the map panned by it (the member is drawn ~80 px to the right), and the
    # member itself was not moved.
    qtbot.waitUntil(lambda: js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")["x"]
                    > p["x"] + 60, timeout=TIMEOUT)
    q = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
    assert abs(q["y"] - p["y"]) < 5
    wait_drawn(qtbot, view, view.fit_all())  # any memberMoved the page sent has arrived by now
    assert moved == []


def test_hover_shows_name_as_text(qtbot: Any, view: MapView) -> None:
    m = Member(name="ООО «Камаз» & <b>Sons</b>", lat=KAZAN[0], lon=KAZAN[1])
    wait_drawn(qtbot, view, view.set_members([m]))
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
    mouse(view, QEvent.Type.MouseMove, p["x"] + 1, p["y"] + 1, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__clusterDesk.tooltip()") is not None, timeout=TIMEOUT)
    tip = js(qtbot, view, "window.__clusterDesk.tooltip()")
    assert tip["name"] == m.name


def test_tooltip_goes_when_the_pointer_leaves_quickly(qtbot: Any, view: MapView) -> None:
    """Issue 10.20: a move off the marker inside the 32 ms hover throttle was dropped and the
    tooltip stayed until the pointer moved again."""
    m = Member(name="Leaving", lat=KAZAN[0], lon=KAZAN[1])
    wait_drawn(qtbot, view, view.set_members([m]))
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
    for _ in range(5):
        mouse(view, QEvent.Type.MouseMove, p["x"] + 1, p["y"] + 1, Qt.MouseButton.NoButton)
        qtbot.waitUntil(lambda: js(qtbot, view, "window.__clusterDesk.tooltip()") is not None,
                        timeout=TIMEOUT)
        # On the marker again, then straight off it: the second move lands in the throttle.
        mouse(view, QEvent.Type.MouseMove, p["x"] + 2, p["y"], Qt.MouseButton.NoButton)
        js(qtbot, view, "1")  # the page has taken the first move
        mouse(view, QEvent.Type.MouseMove, p["x"] + 150, p["y"] + 90, Qt.MouseButton.NoButton)
        qtbot.waitUntil(lambda: js(qtbot, view, "window.__clusterDesk.tooltip()") is None, timeout=TIMEOUT)


# ---- safety ----------------------------------------------------------------------------------

XSS_NAMES = (
    '<img src=x onerror="window.__pwned=1">',
    "${window.__pwned=2}",
    "</script><script>window.__pwned=3</script>",
    "`${window.__pwned=4}`",
    '"><svg onload="window.__pwned=5">',
)


def test_untrusted_names_are_only_text(qtbot: Any, view: MapView) -> None:
    ms = [
        Member(name=n, notes=n, address=n, lat=KAZAN[0] + i * 0.3, lon=KAZAN[1] + i * 0.3)
        for i, n in enumerate(XSS_NAMES)
    ]
    view.set_members(ms)
    wait_drawn(qtbot, view, view.fit_all())
    wait_settled(qtbot, view)
    for m in ms:
        p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
        hover_until(
            qtbot, view, p["x"], p["y"],
            lambda m=m: (js(qtbot, view, "window.__clusterDesk.tooltip()") or {}).get("name") == m.name,
        )
        tip = js(qtbot, view, "window.__clusterDesk.tooltip()")
        assert tip["elements"] == 3  # our wrapper, name and meta divs: no parsed markup
        hover_until(qtbot, view, 5, 300, lambda: not js(qtbot, view, "window.__clusterDesk.tooltip()"))
    assert inline_handlers(qtbot, view) == []  # so no injected handler can ever run
    assert js(qtbot, view, "typeof window.__pwned") == "undefined"
    assert (
        js(
            qtbot,
            view,
            "document.querySelectorAll('img:not(.leaflet-tile), svg image, script:not([src])').length",
        )
        == 0
    )


@pytest.mark.parametrize(
    ("slot", "payload"),
    [
        ("markerMoved", '{"id": "unknown", "lat": 1, "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": NaN, "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": 91, "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": 1, "lon": -180.5}'),
        ("markerMoved", '{"id": "KNOWN", "lat": "55", "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": true, "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": 1e400, "lon": 2}'),
        ("markerMoved", '{"id": "KNOWN", "lat": 1, "lat": 2, "lon": 2}'),
        ("markerMoved", '{"id": ["KNOWN"], "lat": 1, "lon": 2}'),
        ("markerClicked", '{"id": 42}'),
        ("markerClicked", "not json"),
        ("markerClicked", '["KNOWN"]'),
        ("mapClicked", '{"lat": Infinity, "lon": 0}'),
        ("mapClicked", '{"lat": 0}'),
        ("mapClicked", ""),
        ("centreMoved", '{"lat": -90.01, "lon": 0}'),
        ("radiusDragged", '{"radiusKm": 0}'),
        ("radiusDragged", '{"radiusKm": -5}'),
        ("radiusDragged", '{"radiusKm": 20001}'),
        ("radiusDragged", '{"radiusKm": null}'),
        ("cursorMoved", '{"lat": 0, "lon": 0, "pad": "' + "x" * 5000 + '"}'),
    ],
)
def test_invalid_bridge_messages_are_dropped(qtbot: Any, slot: str, payload: str) -> None:
    view = MapView(autoload=False)
    qtbot.addWidget(view)
    known = Member(name="Known", lat=1.0, lon=2.0)
    view.set_members([known])
    emitted: list[Any] = []
    for sig in (
        view.memberMoved,
        view.memberClicked,
        view.mapClicked,
        view.centreMoved,
        view.radiusChanged,
        view.cursorMoved,
    ):
        sig.connect(lambda *a: emitted.append(a))
    before = view.bridge.rejected
    getattr(view.bridge, slot)(payload.replace("KNOWN", known.id))  # never raises
    assert emitted == []
    assert view.bridge.rejected == before + 1


def test_valid_bridge_messages_are_passed_on(qtbot: Any) -> None:
    view = MapView(autoload=False)
    qtbot.addWidget(view)
    known = Member(name="Known", lat=1.0, lon=2.0)
    view.set_members([known])
    with qtbot.waitSignal(view.memberMoved) as moved:
        view.bridge.markerMoved(json.dumps({"id": known.id, "lat": -12.5, "lon": 180}))
    assert moved.args == [known.id, -12.5, 180.0]
    with qtbot.waitSignal(view.radiusChanged) as radius:
        view.bridge.radiusDragged('{"radiusKm": 200}')
    assert radius.args == [200.0]
    with qtbot.waitSignal(view.memberClicked):
        view.bridge.markerClicked(json.dumps({"id": known.id}))
    assert view.bridge.rejected == 0


def test_page_cannot_navigate_away_or_open_windows(qtbot: Any, view: MapView) -> None:
    refused: list[str] = []
    view.map_page.refused.connect(refused.append)
    view.page().runJavaScript("window.location.href = 'https://example.com/'; true", 0)
    qtbot.waitUntil(lambda: len(refused) == 1, timeout=TIMEOUT)
    assert refused[0].startswith("https://example.com")
    # Scripts may not open windows at all: window.open answers null at once.
    assert js(qtbot, view, "window.open('cdesk://app/index.html') === null") is True
    assert view.url() == PAGE_URL
    assert view.is_ready
    assert js(qtbot, view, "typeof window.__clusterDesk") == "object"  # same page, not reloaded elsewhere
    assert not view.map_page.acceptNavigationRequest(
        QUrl("https://example.com/"), QWebEnginePage.NavigationType.NavigationTypeLinkClicked, True
    )
    assert not is_page_url(QUrl("cdesk://app/map.js"))
    assert not is_page_url(QUrl("file:///etc/passwd"))
    assert is_page_url(PAGE_URL)


def test_settings_are_locked_down(view: MapView) -> None:
    s = view.page().settings()
    A = QWebEngineSettings.WebAttribute
    assert not s.testAttribute(A.LocalContentCanAccessFileUrls)
    assert not s.testAttribute(A.LocalContentCanAccessRemoteUrls)
    assert not s.testAttribute(A.JavascriptCanOpenWindows)
    assert view.profile.isOffTheRecord()
    assert view.map_page.createWindow(QWebEnginePage.WebWindowType.WebBrowserTab) is None


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/maps/../../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/vendor/../../pyproject.toml",
        "//etc/passwd",
        "/maps/",
        "/",
        "/C:/Windows/win.ini",
        "/map.js\x00.png",
        "/maps/..\\..\\x.json",
        "/../cluster_desk/paths.py",
        "/vendor/leaflet/LICENSE",
    ],
)
def test_scheme_refuses_paths_outside_and_unknown_types(path: str) -> None:
    assert resolve_request_path(path) is None


def test_scheme_serves_page_and_maps() -> None:
    assert resolve_request_path("/index.html") is not None
    assert resolve_request_path("/vendor/leaflet/leaflet.js") is not None
    assert resolve_request_path("/maps/countries-50m.json") is not None


def test_scheme_refuses_symlinks_out(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_desk.ui.map import scheme

    web = tmp_path / "web"
    web.mkdir()
    secret = tmp_path / "secret.json"
    secret.write_text("{}")
    (web / "link.json").symlink_to(secret)
    (web / "ok.json").write_text("{}")
    monkeypatch.setattr(scheme, "resource", lambda *parts: tmp_path.joinpath(*parts))
    assert scheme.resolve_request_path("/ok.json") == (web / "ok.json").resolve()
    assert scheme.resolve_request_path("/link.json") is None


def test_page_fetch_of_traversal_urls_fails(qtbot: Any, view: MapView) -> None:
    code = """
      (async () => {
        const out = {};
        for (const u of ['cdesk://app/../../etc/passwd', 'cdesk://app/%2e%2e/%2e%2e/etc/passwd',
                         'cdesk://app/maps/%2e%2e/pyproject.toml', 'cdesk://other/index.html',
                         'cdesk://app/maps/countries-110m.json']) {
          try {
            const r = await fetch(u);
            out[u] = r.ok ? (await r.text()).slice(0, 20) : 'status ' + r.status;
          }
          catch (e) { out[u] = 'refused'; }
        }
        window.__fetchResult = out;
      })()
    """
    view.page().runJavaScript(code, 0)
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__fetchResult") is not None, timeout=TIMEOUT)
    res = js(qtbot, view, "window.__fetchResult")
    ok = res.pop("cdesk://app/maps/countries-110m.json")
    assert ok.startswith('{"type":"Topology"')
    for url, outcome in res.items():
        assert "root:" not in outcome and "[project]" not in outcome, url
        assert outcome in ("refused",) or outcome.startswith("status 4"), (url, outcome)


def test_csp_blocks_inline_script_and_remote_images(
    qtbot: Any, console_and_view: tuple[ConsoleLog, MapView]
) -> None:
    console, view = console_and_view
    code = """
      (() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation',
                                  (e) => window.__violations.push(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.appendChild(s);
        const img = document.createElement('img');
        img.src = 'https://example.com/x.png';
        document.body.appendChild(img);
        return true;
      })()
    """
    view.page().runJavaScript(code, 0)
    qtbot.waitUntil(lambda: len(js(qtbot, view, "window.__violations") or []) >= 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: len(console.errors) >= 2, timeout=TIMEOUT)
    assert console.errors and all("Content Security Policy" in e for e in console.errors)
    console.errors.clear()  # these violations were the point of the test
    assert js(qtbot, view, "typeof window.__inline") == "undefined"
    directives = js(qtbot, view, "window.__violations")
    assert any(d.startswith("script-src") for d in directives)
    assert any(d.startswith("img-src") for d in directives)


# ---- offline ---------------------------------------------------------------------------------


def test_no_request_leaves_the_machine(qtbot: Any) -> None:
    view = MapView(autoload=False)
    recorder = Recorder()
    view.profile.setUrlRequestInterceptor(recorder)
    # With remote access off, Chromium blocks remote requests before the interceptor sees them;
    # turn it on so that any remote request the page tried would be recorded here.
    view.page().settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    console = open_view(qtbot, view)
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        view.load_page()
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemap"] == "ready", timeout=TIMEOUT)
    ms = members_around(200)
    # An opened project's members come as a binary blob the page fetches (ui/map/blobs.py).
    import numpy as np

    from cluster_desk.core.tables import MemberColumns

    cols = MemberColumns([m.id for m in ms], [m.name for m in ms], [str(m.kind) for m in ms],
                         [str(m.status) for m in ms], np.array([m.lat for m in ms], dtype=float),
                         np.array([m.lon for m in ms], dtype=float))
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    assert stats(qtbot, view)["members"] == len(ms)
    view.set_members(ms)
    view.set_circle(
        *KAZAN, 200.0, [(KAZAN[0] + math.sin(a / 10), KAZAN[1] + math.cos(a / 10)) for a in range(63)]
    )
    view.select(ms[0].id)
    wait_drawn(qtbot, view, view.fit_all())
    wait_settled(qtbot, view)  # the fit animates
    p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(ms[0].id)})")
    with qtbot.waitSignal(view.memberMoved, timeout=TIMEOUT):
        drag(qtbot, view, (p["x"], p["y"]), (p["x"] + 30, p["y"] + 30))
    wait_drawn(qtbot, view, view.set_mode("place"))
    with qtbot.waitSignal(view.mapClicked, timeout=TIMEOUT):
        click(qtbot, view, 300, 300)
    zoom = stats(qtbot, view)["zoom"]
    view.page().runJavaScript("document.querySelector('.leaflet-control-zoom-in').click(); true", 0)
    qtbot.waitUntil(lambda: stats(qtbot, view)["zoom"] == zoom + 1, timeout=TIMEOUT)
    wait_settled(qtbot, view)
    # The regional basemap (water, borders, subject names) at regional and street scale.
    for zoom in (8, 12):
        wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom))
        qtbot.waitUntil(lambda: not stats(qtbot, view)["regional"]["loading"], timeout=TIMEOUT)

    assert any(u.endswith("/maps/countries-50m.json") for u in recorder.urls)
    assert any(u.endswith("/maps/basemap/russia-subject-labels.json") for u in recorder.urls)
    assert any("/basemap/8/" in u for u in recorder.urls), "no regional tile was requested"
    assert any(u.endswith("/basemap/meta.json") for u in recorder.urls)
    assert any("cdesk://app/data/" in u for u in recorder.urls), "no blob was fetched"
    schemes = {QUrl(u).scheme() for u in recorder.urls}
    assert schemes <= {"cdesk", "qrc", "data", "blob"}, recorder.urls
    assert console.errors == []
    view.profile.setUrlRequestInterceptor(None)


# ---- the 180° meridian -----------------------------------------------------------------------


def test_basemap_has_no_segment_jumping_across_the_map(qtbot: Any, view: MapView) -> None:
    assert js(qtbot, view, "window.__clusterDesk.basemapMaxJump()") <= 180


def test_reload_replays_state(qtbot: Any, view: MapView) -> None:
    ms = members_around(30)
    view.set_members(ms)
    view.set_mode("place")
    wait_drawn(qtbot, view, view.select(ms[3].id, pan=False))
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        view.load_page()
    qtbot.waitUntil(lambda: (stats(qtbot, view) or {}).get("members") == 30, timeout=TIMEOUT)
    s = stats(qtbot, view)
    assert (s["mode"], s["selectedId"]) == ("place", ms[3].id)


# ---- the towns reference layer ---------------------------------------------------------------

EVIL_TOWN = '<img src=x onerror="window.__pwned=1">'


def town_columns() -> dict[str, list[Any]]:
    rows = [  # largest first, as places.towns sends them
        (55.7887, 49.1221, "Kazan", 1_104_738),
        (55.7436, 52.3958, "Naberezhnye Chelny", 513_193),
        (55.6366, 51.8245, "Nizhnekamsk", 234_297),
        (56.1322, 47.2519, "Cheboksary", 492_331),
        (55.8486, 48.5191, "Zelenodolsk", 99_600),
        (55.7563, 52.0543, "Yelabuga", 72_643),
        (55.3000, 50.6300, EVIL_TOWN, 30_000),
        (55.9000, 49.6000, "Tiny village", 6_000),
    ]
    return {k: [r[j] for r in rows] for j, k in enumerate(("lat", "lon", "name", "pop"))}


def town_names(qtbot: Any, view: MapView) -> list[str]:
    return [t["name"] for t in js(qtbot, view, "window.__clusterDesk.towns()")]


def test_towns_are_drawn_as_text_under_members_once_and_toggle(qtbot: Any, view: MapView) -> None:
    view.set_members(members_around(50))
    wait_drawn(qtbot, view, view.centre_on(55.7, 50.7, 7))
    before = stats(qtbot, view)
    wait_drawn(qtbot, view, view.set_towns(town_columns()))
    s = stats(qtbot, view)
    assert s["towns"] == 8 and s["townsReceived"] == 1 and s["townsShown"]
    assert s["canvasFullDraws"] == before["canvasFullDraws"]  # members were not redrawn
    names = town_names(qtbot, view)
    # Zoom 7 shows towns of 20,000 or more: the cluster's towns, the untrusted name as text.
    assert {"Kazan", "Naberezhnye Chelny", "Nizhnekamsk", "Yelabuga", "Cheboksary", EVIL_TOWN} <= set(names)
    assert "Tiny village" not in names and s["townLabels"] == len(names)
    assert names[0] == "Kazan"  # greedy by population
    # No two labels overlap.
    towns = js(qtbot, view, "window.__clusterDesk.towns()")
    boxes = [(t["labelX"], t["labelY"] - 7, t["labelX"] + t["width"], t["labelY"] + 7) for t in towns]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert inline_handlers(qtbot, view) == []  # so no injected handler can ever run
    assert js(qtbot, view, "typeof window.__pwned") == "undefined"
    assert js(qtbot, view, "document.querySelectorAll('img:not(.leaflet-tile)').length") == 0
    # Zoom 9: every town sent; zoom 4: only millionaires.
    js(qtbot, view, "window.__clusterDesk.view(55.8, 49.4, 9)")
    qtbot.waitUntil(lambda: "Tiny village" in town_names(qtbot, view), timeout=TIMEOUT)
    js(qtbot, view, "window.__clusterDesk.view(55.8, 49.4, 4)")
    qtbot.waitUntil(lambda: town_names(qtbot, view) == ["Kazan"], timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.centre_on(55.7, 50.7, 7))
    # The toggle hides and shows what the page has; nothing is sent again, members stay put.
    before = stats(qtbot, view)
    wait_drawn(qtbot, view, view.show_towns(False))
    s = stats(qtbot, view)
    assert s["townLabels"] == 0 and not s["townsShown"] and town_names(qtbot, view) == []
    wait_drawn(qtbot, view, view.show_towns(True))
    s = stats(qtbot, view)
    assert s["townLabels"] == len(names) and s["townsReceived"] == 1
    assert s["canvasFullDraws"] == before["canvasFullDraws"]


def test_town_labels_take_the_side_without_members_and_hidden_towns_are_not_measured(
        qtbot: Any, view: MapView) -> None:
    """A label goes where fewer members are (members off the canvas count nowhere); a town whose
    dot an earlier town covers is left out without measuring its name (a paint measures only
    the names it may show: the first paint of a dense area measured every town in view)."""
    lat, lon = 55.0, 50.0
    east = [Member(name=f"East {i}", kind=MemberKind.FIRM, status=Status.MEMBER, lat=lat + (i % 3 - 1) * 0.01,
                   lon=lon + 0.03 + (i // 3) * 0.01) for i in range(15)]  # 11-29 px right of the dot at z9
    far = [Member(name=f"Far {i}", kind=MemberKind.FIRM, status=Status.MEMBER, lat=40.0 + i * 0.01, lon=lon)
           for i in range(50)]  # off the canvas: must not weigh on any side
    view.set_members(east + far)
    js(qtbot, view, f"window.__clusterDesk.view({lat}, {lon}, 9)")
    wait_settled(qtbot, view)
    towns = {"lat": [lat, lat], "lon": [lon, lon], "name": ["Alpha", "Beta"], "pop": [100_000, 50_000]}
    wait_drawn(qtbot, view, view.set_towns(towns))
    placed = js(qtbot, view, "window.__clusterDesk.towns()")
    assert [t["name"] for t in placed] == ["Alpha"]  # Beta's dot is under Alpha's
    assert placed[0]["labelX"] + placed[0]["width"] < placed[0]["x"]  # left: the members are east
    assert stats(qtbot, view)["lastTownMeasured"] == 1


def test_set_towns_validates_columns(qtbot: Any, view: MapView) -> None:
    with pytest.raises(ValueError):
        view.set_towns({"lat": [1.0], "lon": [2.0], "name": ["x"]})
    with pytest.raises(ValueError):
        view.set_towns({"lat": [1.0], "lon": [2.0, 3.0], "name": ["x"], "pop": [1]})
    cols = {"lat": [55.0, float("nan"), 95.0, 55.0], "lon": [49.0, 49.0, 49.0, 49.0],
            "name": ["Ok", "NaN", "North of the pole", ""], "pop": [10, 10, 10, 10]}
    wait_drawn(qtbot, view, view.set_towns(cols))  # bad rows are dropped, not sent
    assert stats(qtbot, view)["towns"] == 1


def test_towns_come_back_after_a_reload(qtbot: Any, view: MapView) -> None:
    view.set_towns(town_columns())
    wait_drawn(qtbot, view, view.show_towns(False))
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        view.page().triggerAction(QWebEnginePage.WebAction.Reload)
    wait_drawn(qtbot, view, view.set_mode("browse"))
    s = stats(qtbot, view)
    assert s["towns"] == 8 and s["townsReceived"] == 1 and not s["townsShown"]


def test_a_view_set_during_the_fit_animation_is_not_undone_when_it_ends(qtbot: Any, view: MapView) -> None:
    """fitAll animates its zoom; a centre_on sent meanwhile (a place found, a member shown) used to
    be overridden when the animation ended. It now waits for that end and wins."""
    wait_drawn(qtbot, view, view.set_members(members_around(200)))
    js(qtbot, view, f"window.__clusterDesk.view({KAZAN[0]}, {KAZAN[1]}, 9)")
    wait_settled(qtbot, view)
    view.fit_all()  # animated: from zoom 9 out to the members' box (a step of up to 4 animates)
    wait_drawn(qtbot, view, view.centre_on(60.0, 40.0, 9))
    wait_settled(qtbot, view)
    s = stats(qtbot, view)
    assert s["zoom"] == 9
    assert abs(s["centre"][0] - 60.0) < 0.01 and abs(s["centre"][1] - 40.0) < 0.01
