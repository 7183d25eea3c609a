"""Write a PNG of the main window with a project loaded, map drawn:

    python -m cluster_desk.ui.screenshot PROJECT OUT.png [--lang ru|en] [--size 1400x900]
        [--zoom Z [--centre LAT,LON]] [--as-of YYYY-MM-DD]

Runs offscreen when no display is set. Waits for the map page to acknowledge the members it was
sent (MapView.drawn), the basemap and the towns layer, and a short settle, then grabs the window;
exits 0 on success.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SETTLE_MS = 700
TIMEOUT_MS = 60_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluster_desk.ui.screenshot")
    parser.add_argument("project")
    parser.add_argument("out")
    parser.add_argument("--lang", choices=("en", "ru"), default="en")
    parser.add_argument("--size", default="1400x900")
    parser.add_argument("--zoom", type=int, default=None, help="zoom at the cluster centre (default: fit)")
    parser.add_argument("--centre", default=None, help="LAT,LON to centre on with --zoom")
    parser.add_argument("--as-of", default=None, help="show the cluster as it was on this date")
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

    from PySide6.QtCore import QSettings, QTimer

    from cluster_desk.ui.app import create_application
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    app, _translators, lang = create_application([sys.argv[0]], lang=args.lang)
    with tempfile.TemporaryDirectory() as tmp:
        # Throwaway preferences: a screenshot must not touch the user's recent files or layout.
        prefs = Preferences(QSettings(str(Path(tmp) / "prefs.ini"), QSettings.Format.IniFormat))
        window = MainWindow(prefs, lang=lang)
        window.resize(width, height)
        window.show()
        status = {"code": 1}

        def grab() -> None:
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            ok = window.grab().save(str(out))
            print(f"wrote {out}" if ok else f"could not write {out}", file=sys.stderr)
            status["code"] = 0 if ok else 1
            app.quit()

        if not window.files.open_path(Path(args.project)):
            return 1
        if args.as_of:
            window.timeline.show_day(args.as_of)
        # The project's members, circle and styles were sent while opening; the page acknowledges
        # commands in order, so once this last one is drawn, everything is on screen.
        target = window.fit_cluster()  # the same view as opening shows
        if args.zoom is not None:
            from cluster_desk.core.assessment import effective_centre

            centre = (tuple(float(v) for v in args.centre.split(",")) if args.centre
                      else effective_centre(list(window.session.members.values()), window.session.settings))
            if centre is not None:
                target = window.map.centre_on(centre[0], centre[1], args.zoom)

        def wait_basemap() -> None:
            # The coastlines load asynchronously; the page's read-only debug hook reports them.
            def got(text: object) -> None:
                if text in ("loading", None, ""):
                    QTimer.singleShot(100, wait_basemap)
                else:
                    wait_towns()

            window.map.page().runJavaScript("window.__clusterDesk.stats().basemap", 0, got)

        def wait_towns() -> None:
            # The towns layer is built in the background (about a second) and sent once; wait
            # until the page has drawn it (or it failed or is turned off), then settle.
            towns = window.offline.towns
            checked = window.session.results and (not args.as_of or window.timeline.results is not None)
            if (towns.settled or not window.map.towns_shown) and checked:
                QTimer.singleShot(SETTLE_MS, wait_regional)
            else:
                QTimer.singleShot(100, wait_towns)

        def wait_regional() -> None:
            # The regional basemap's tiles are fetched and drawn asynchronously.
            def got(text: object) -> None:
                if text == "true":
                    QTimer.singleShot(100, wait_regional)
                else:
                    QTimer.singleShot(SETTLE_MS, grab)

            window.map.page().runJavaScript(
                "JSON.stringify(!!(window.__clusterDesk.stats().regional || {}).loading)", 0, got)

        def on_drawn(seq: int) -> None:
            if seq >= target:
                window.map.drawn.disconnect(on_drawn)
                wait_basemap()

        window.map.drawn.connect(on_drawn)

        def timeout() -> None:
            print("timed out waiting for the map to draw", file=sys.stderr)
            app.quit()

        QTimer.singleShot(TIMEOUT_MS, timeout)
        app.exec()
        window.close()
        return status["code"]


if __name__ == "__main__":
    sys.exit(main())
