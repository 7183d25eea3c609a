"""``cluster-desk --self-test``: prove that this build of the app works, offline, without a screen.

Starts Qt offscreen, writes the demo project to a temporary folder, opens it, runs the
assessment, renders the map through the bundled Qt WebEngine (page ready, members drawn, pixels
painted), and exits 0 only if all of that worked and nothing asked for a resource off this
machine. Every request the map page makes is recorded by a ``QWebEngineUrlRequestInterceptor``;
for the self-test only, the page may *try* remote URLs (``LocalContentCanAccessRemoteUrls``), so a
remote request is seen (and then blocked) rather than silently refused before the interceptor.
Content-Security-Policy refusals reported by the page and any socket opened by Python count as
off-machine requests too.

One line per step with its time, then ``self-test passed in X s`` (or ``self-test FAILED: ...``).
The whole run is limited to :data:`TIMEOUT_S` seconds.

Used by the frozen app (``packaging/entry.py``), by ``tests/test_packaging.py`` and by support
("run ``cluster-desk --self-test`` and send us the output"). Environment:
``CLUSTER_DESK_SELFTEST_SCREENSHOT=FILE.png`` saves the rendered map;
``CLUSTER_DESK_SELFTEST_LOG=FILE`` also writes the report to FILE (Windows GUI builds);
``CLUSTER_DESK_SELFTEST_PROBE_REMOTE=1`` makes the page ask for a remote URL, so the self-test
must fail (proves that the request recording works).
Why ~490 lines: one self-contained smoke run of a frozen build (Qt, page, map, translations,
passport and charts) with its own diagnostics; it must not depend on the test suite.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cluster_desk import APP_NAME, PROJECT_SUFFIX, __version__

TIMEOUT_S = 60.0
#: URL schemes that never leave the machine.
LOCAL_SCHEMES = frozenset({"cdesk", "qrc", "data", "blob"})
_LOOPBACK = ("127.", "::1", "localhost")
#: Fewer distinct colours than this in the rendered map means nothing was painted.
MIN_COLOURS = 4


class SelfTestError(Exception):
    """A step failed; the message says what and why."""


def _process_age() -> float | None:
    """Seconds since this process started (Linux: from /proc), or None where unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5); fields[0] is field 3
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def prepare_environment(env: MutableMapping[str, str] | None = None) -> None:
    """Offscreen Qt and a Chromium that runs here, set before Qt is imported.

    Chromium refuses to start its sandbox as root, so ``--no-sandbox`` is added then (containers,
    CI). ``--disable-gpu``: the self-test must not depend on a GPU or its driver.
    """
    if env is None:
        env = os.environ
    env["QT_QPA_PLATFORM"] = "offscreen"
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    wanted = ["--disable-gpu"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        wanted.append("--no-sandbox")
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    flags += [f for f in wanted if f not in flags]
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)
    env.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")


@dataclass
class _Requests:
    """Everything the run asked for, from the page and from Python."""

    seen: list[str] = field(default_factory=list)
    offending: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, local: bool) -> None:
        with self.lock:
            self.seen.append(what)
            if not local:
                self.offending.append(what)


def _guard_python_sockets(requests: _Requests) -> Callable[[], None]:
    """Record any non-loopback connection or name lookup made from Python; returns an undo."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def local_address(address: Any) -> bool:
        if isinstance(address, (str, bytes)):  # AF_UNIX path
            return True
        host = str(address[0]) if isinstance(address, tuple) and address else str(address)
        return host.startswith(_LOOPBACK)

    def connect(self: socket.socket, address: Any) -> Any:
        requests.add(f"python socket connect {address!r}", local_address(address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        requests.add(f"python socket connect {address!r}", local_address(address))
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        requests.add(f"python name lookup {host!r}", host is None or str(host).startswith(_LOOPBACK))
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo

    def undo() -> None:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = real_getaddrinfo

    return undo


class _Report:
    def __init__(self, out: Any) -> None:
        self.out = out
        self.t0 = time.perf_counter()
        self.age0 = _process_age()  # how long the process had run when the self-test started

    def since_start(self) -> float:
        """Seconds since the process started (or since the self-test started, where unknown)."""
        return (self.age0 or 0.0) + time.perf_counter() - self.t0

    def line(self, text: str) -> None:
        if self.out is not None:  # a Windows GUI build started without a console has none
            print(text, file=self.out, flush=True)
        log = os.environ.get("CLUSTER_DESK_SELFTEST_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(text + "\n")

    def step(self, name: str, seconds: float, detail: str) -> None:
        self.line(f"[{self.since_start():6.2f} s] ok   {name:<12} {seconds:5.2f} s  {detail}")


def _wait_for(app: Any, done: Callable[[], bool], seconds: float, what: str) -> None:
    """Run the event loop until ``done()`` or ``seconds`` pass (then SelfTestError)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + seconds
    while not done():
        left = deadline - time.monotonic()
        if left <= 0:
            raise SelfTestError(f"timed out waiting for {what} (the self-test's limit is {TIMEOUT_S:.0f} s)")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, int(min(left, 0.05) * 1000))
        if not done():
            time.sleep(0.002)


def _js(app: Any, page: Any, script: str, seconds: float) -> Any:
    """Evaluate ``script`` (which must return a JSON string) in the page and decode it."""
    import json

    box: list[Any] = []
    page.runJavaScript(script, 0, box.append)
    _wait_for(app, lambda: bool(box), seconds, f"the page to answer {script[:40]!r}")
    value = box[0]
    if not isinstance(value, str) or not value:
        raise SelfTestError(f"the page answered {value!r} to {script[:60]!r}")
    return json.loads(value)


def _run(report: _Report, workdir: Path, deadline: float) -> None:
    def left() -> float:
        return max(0.1, deadline - time.monotonic())

    requests = _Requests()
    undo_socket_guard = _guard_python_sockets(requests)
    try:
        _run_steps(report, workdir, left, requests)
    finally:
        undo_socket_guard()


def _run_steps(report: _Report, workdir: Path, left: Callable[[], float], requests: _Requests) -> None:
    # --- Qt and WebEngine ---------------------------------------------------------------------
    t = time.perf_counter()
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QSettings, qVersion
    from PySide6.QtWebEngineCore import (
        QWebEngineProfile,
        QWebEngineSettings,
        QWebEngineUrlRequestInfo,
        QWebEngineUrlRequestInterceptor,
    )

    # Preferences go to the temporary folder: a self-test reads and writes nothing of the user's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "settings"))
    from cluster_desk.ui.app import create_application

    app, _translators, lang = create_application([sys.argv[0] if sys.argv else "cluster-desk"])
    from PySide6.QtWebEngineCore import qWebEngineChromiumVersion

    chromium = str(qWebEngineChromiumVersion())
    report.step("qt", time.perf_counter() - t,
                f"Qt {qVersion()}, PySide6 {pyside_version}, Chromium {chromium}, "
                f"platform {app.platformName()}, language {lang}")

    # --- translations: Qt's own (pruned to en/ru in the bundle) and ours ----------------------
    t = time.perf_counter()
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from cluster_desk.paths import resource

    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = {
        "qtbase_ru": QTranslator().load("qtbase_ru", qt_translations),
        "cluster_desk_ru": QTranslator().load("cluster_desk_ru", str(resource("translations"))),
    }
    missing = [name for name, ok in found.items() if not ok]
    if missing and getattr(sys, "frozen", False):  # a checkout may not have compiled its .qm yet
        raise SelfTestError(f"translations missing from the build: {', '.join(missing)}")
    report.step("translations", time.perf_counter() - t,
                ", ".join(f"{name} {'loaded' if ok else 'not found'}" for name, ok in found.items()))

    # --- demo project -------------------------------------------------------------------------
    t = time.perf_counter()
    from cluster_desk.core.demo import demo_cluster
    from cluster_desk.store.project import Project

    members, links, settings = demo_cluster()
    path = workdir / f"self-test{PROJECT_SUFFIX}"
    with Project.create(path, name=settings.name) as project:
        project.set_settings(settings)
        project.add_members(members)
        project.add_links(links)
    report.step("demo", time.perf_counter() - t,
                f"wrote {len(members)} members, {len(links)} links to {path.name}")

    t = time.perf_counter()
    with Project.open(path) as project:
        members, links, settings = project.members(), project.links(), project.settings()
    if not members:
        raise SelfTestError(f"{path} opened with no members")
    report.step("open", time.perf_counter() - t, f"read back {len(members)} members, {len(links)} links")

    # --- assessment ---------------------------------------------------------------------------
    t = time.perf_counter()
    from cluster_desk.core.assessment import assess, effective_centre

    results = assess(members, links, settings)
    if not results:
        raise SelfTestError("the assessment returned no checks")
    from cluster_desk.text import text_for
    from cluster_desk.text.checks import check_json

    for lang in ("en", "ru"):
        text = text_for(lang)  # raises if the catalogue did not ship
        for r in results:  # every result must render and serialise (the UI and `check --json` rely on it)
            json.dumps(check_json(r, text), allow_nan=False)
    if check_json(results[0], text_for("ru"))["title"] == check_json(results[0], text_for("en"))["title"]:
        raise SelfTestError("the checks are not translated into Russian (text catalogue not read)")
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    centre = effective_centre(members, settings)
    report.step("assessment", time.perf_counter() - t,
                f"{len(results)} checks ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))})")

    # --- the passport: its charts and map drawn with matplotlib (a frozen build must carry it) --
    t = time.perf_counter()
    from cluster_desk.report import build_passport_html, passport_data

    page = build_passport_html(passport_data(members, links, settings, lang="ru", name=path.stem))
    charts = page.count("data:image/svg+xml;base64,")
    if charts < 2 or "data:image/png;base64," not in page:
        raise SelfTestError("the passport was written without its charts or its map")
    report.step("passport", time.perf_counter() - t,
                f"{len(page) // 1024} KB of HTML, {charts} charts and the map")

    # --- the charts dock: the same charts drawn by Agg to pictures (ui.charts.chart_image) -------
    t = time.perf_counter()
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.report.chart_data import chart_data
    from cluster_desk.ui.charts.dock import ChartsPanel

    panel = ChartsPanel()
    panel.resize(640, 420)
    panel.show_data(chart_data(Arrays(members, links), settings, lang="ru"))  # (as the dock: no record)
    panel.show()
    app.processEvents()
    colours = _image_colours(panel.tabs.currentWidget().grab().toImage())
    panel.close()
    if panel.tabs.count() < 2 or colours < 3:
        raise SelfTestError(f"the charts dock drew {panel.tabs.count()} charts, {colours} colours")
    report.step("charts", time.perf_counter() - t, f"{panel.tabs.count()} charts drawn as pictures")

    # --- the map ------------------------------------------------------------------------------
    t = time.perf_counter()
    from cluster_desk.ui.map.view import MapView

    class Interceptor(QWebEngineUrlRequestInterceptor):
        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            local = url.scheme().lower() in LOCAL_SCHEMES
            requests.add(f"page request {url.toString()}", local)
            if not local:
                info.block(True)  # seen, recorded, and still not sent

    view = MapView(autoload=False)
    profile: QWebEngineProfile = view.profile
    interceptor = Interceptor(view)
    profile.setUrlRequestInterceptor(interceptor)
    # Self-test only: let the page *try* remote URLs, so the interceptor sees any such attempt.
    for s in (profile.settings(), view.page().settings()):
        s.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)

    def on_console(_level: int, text: str) -> None:
        if "Content Security Policy" in text or "Refused to" in text:
            requests.add(f"page refused by its policy: {text}", False)
        elif "net::ERR" in text or "Failed to load" in text:
            requests.add(f"page load error: {text}", False)

    view.map_page.consoleMessage.connect(on_console)
    ready: list[bool] = []
    view.ready.connect(lambda: ready.append(True))
    loaded: list[bool] = []
    view.page().loadFinished.connect(loaded.append)
    view.resize(1024, 700)
    view.show()
    view.load_page()
    _wait_for(app, lambda: bool(ready) or loaded == [False], left(), "the map page to say ready")
    if not ready:
        raise SelfTestError("the map page failed to load")
    report.step("map page", time.perf_counter() - t, "page loaded and ready over QWebChannel")

    t = time.perf_counter()
    drawn: list[int] = []
    view.drawn.connect(drawn.append)
    view.set_members(members)
    if centre is not None:
        view.set_circle(centre[0], centre[1], settings.radius_km)
    seq = view.fit_all()
    _wait_for(app, lambda: bool(drawn) and drawn[-1] >= seq, left(), "the page to draw the members")
    members_at = time.perf_counter() - t
    located = sum(1 for m in members if m.lat is not None and m.lon is not None)
    stats_script = "JSON.stringify(window.__clusterDesk ? window.__clusterDesk.stats() : null)"
    stats = _js(app, view.page(), stats_script, left())
    if not isinstance(stats, dict):
        raise SelfTestError("the map page has no test hook (window.__clusterDesk)")
    if stats.get("members") != located or not stats.get("onMap"):
        raise SelfTestError(f"the page holds {stats.get('members')} members ({stats.get('onMap')} on the "
                            f"visible map), expected {located}")
    # The basemap (countries TopoJSON) loads on its own: wait for it, it is part of "the map".
    stats = _wait_basemap(app, view, stats, stats_script, left)
    seq = view.fit_all()  # acknowledged after the next frame: the basemap is then on screen
    _wait_for(app, lambda: bool(drawn) and drawn[-1] >= seq, left(), "the page to draw the basemap")
    basemap_at = time.perf_counter() - t
    colours = _painted_colours(view)
    if colours < MIN_COLOURS:
        raise SelfTestError(f"the rendered map has only {colours} colours: nothing was painted")
    map_at = report.since_start()
    report.step("map drawn", time.perf_counter() - t,
                f"{stats['members']} members ({stats['onMap']} in view), basemap {stats.get('basemap')}, "
                f"{colours} colours painted (members {members_at:.2f} s, basemap {basemap_at:.2f} s); "
                f"map drawn {map_at:.2f} s after the process started")

    if os.environ.get("CLUSTER_DESK_SELFTEST_PROBE_REMOTE"):  # negative control: must be caught
        view.page().runJavaScript(
            "fetch('https://example.invalid/probe.json').catch(() => {});"
            "(new Image()).src = 'https://example.invalid/probe.png';")
        _pause(app, 0.5)

    # --- requests -----------------------------------------------------------------------------
    app.processEvents()
    with requests.lock:
        seen, offending = list(requests.seen), list(requests.offending)
    if offending:
        raise SelfTestError(f"{len(offending)} request(s) off the machine: " + "; ".join(offending[:5]))
    page_requests = [s for s in seen if s.startswith("page request")]
    if not page_requests:
        raise SelfTestError("the request interceptor saw no request: it did not work")
    schemes = sorted({s.split()[2].split(":", 1)[0] for s in page_requests})
    report.step("offline", 0.0, f"{len(page_requests)} page requests, all local ({', '.join(schemes)}); "
                f"{len(seen) - len(page_requests)} from Python")

    from PySide6.QtCore import QCoreApplication, QEvent

    view.close()
    view.deleteLater()  # the page goes before its profile (no "profile released" warning)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _wait_basemap(app: Any, view: Any, stats: dict[str, Any], script: str,
                  left: Callable[[], float]) -> dict[str, Any]:
    """Poll the page until the basemap is no longer loading."""
    deadline = time.monotonic() + left()
    while stats.get("basemap") == "loading" and time.monotonic() < deadline:
        _pause(app, 0.05)
        stats = _js(app, view.page(), script, left())
    if stats.get("basemap") != "ready":
        raise SelfTestError(f"the basemap did not load (state {stats.get('basemap')!r})")
    return stats


def _pause(app: Any, seconds: float) -> None:
    until = time.monotonic() + seconds
    _wait_for(app, lambda: time.monotonic() >= until, seconds + 1.0, "a pause")


def _painted_colours(view: Any) -> int:
    """Distinct colours in a coarse sample of the rendered view (blank: 1)."""
    image = view.grab().toImage()
    shot = os.environ.get("CLUSTER_DESK_SELFTEST_SCREENSHOT")
    if shot:
        image.save(shot)
    return _image_colours(image)


def _image_colours(image: Any) -> int:
    """Distinct colours in a coarse sample of an image (blank: 1)."""
    if image.isNull() or image.width() == 0 or image.height() == 0:
        return 0
    from PySide6.QtCore import Qt

    small = image.scaled(160, 110, Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


def _watchdog(seconds: float, out: Any) -> threading.Timer:
    """Ends the process if the event loop itself is stuck (the steps' own waits time out first)."""

    def fire() -> None:
        try:
            _Report(out).line(f"self-test FAILED: timed out after {seconds:.0f} s "
                              "(the app stopped responding)")
        finally:
            os._exit(1)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


def main(argv: list[str] | None = None) -> int:
    """Run the self-test; 0 if everything worked, 1 otherwise. Prints its own report."""
    out = sys.stdout
    prepare_environment()
    report = _Report(out)
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    report.line(f"{APP_NAME} {__version__} self-test ({frozen}, Python {sys.version.split()[0]}, "
                f"{sys.platform}); limit {TIMEOUT_S:.0f} s")
    watchdog = _watchdog(TIMEOUT_S + 5, out)
    deadline = time.monotonic() + TIMEOUT_S
    try:
        with tempfile.TemporaryDirectory(prefix="cluster-desk-selftest-") as tmp:
            _run(report, Path(tmp), deadline)
    except SelfTestError as e:
        report.line(f"self-test FAILED: {e}")
        return 1
    except Exception as e:  # anything else is a failure too, with what happened
        import traceback

        report.line(traceback.format_exc().rstrip())
        report.line(f"self-test FAILED: {type(e).__name__}: {e}")
        return 1
    finally:
        watchdog.cancel()
    report.line(f"self-test passed in {time.perf_counter() - report.t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
