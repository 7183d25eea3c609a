"""Run by test_opening_dialog.py under Xvfb (QT_QPA_PLATFORM=xcb): open a project whose read is
held, click the opening dialog's Cancel with real X events (xdotool), print what came of it as
JSON. QTest's clicks go straight to the widget and so pass through a loop that holds user input
back; only the window system's own events show whether a user's click reaches the button.

    python x11_cancel_child.py FOLDER
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: ui_helpers

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

from PySide6.QtCore import QPoint, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_helpers import chain_project, demo_file, wait_for  # noqa: E402

from cluster_desk.ui.project import loading  # noqa: E402

# The read waits for the test's word; if a click never cancels it (the bug this looks for), it
# goes on after this long and the open then succeeds, which the test reports.
HELD_AT_MOST_S = 30


def main(folder: Path) -> None:
    app = QApplication([])
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    window = MainWindow(Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat)))
    window.resize(1000, 700)
    window.show()
    wait_for(lambda: window.map.is_ready)
    first = demo_file(folder)
    assert window.files.open_path(first)
    go_on = threading.Event()
    held: list[Any] = []
    real = loading.read_of

    def held_read(project: Any) -> Any:
        held.append(project)
        go_on.wait(HELD_AT_MOST_S)
        return real(project)

    loading.read_of = held_read
    clicks: list[subprocess.Popen[bytes]] = []

    def click_cancel() -> None:  # on the GUI thread, inside the open's wait
        dialog = window.files.opening_dialog
        if dialog is not None and dialog.isVisible() and held and not clicks:
            button = dialog.cancel_button
            at = button.mapToGlobal(QPoint(button.width() // 2, button.height() // 2))
            clicks.append(subprocess.Popen(["xdotool", "mousemove", "--sync", str(at.x()), str(at.y()),
                                            "click", "1"]))

    poll = QTimer(interval=20)
    poll.timeout.connect(click_cancel)
    poll.start()
    opened = window.files.open_path(chain_project(folder / "chain.cdesk"))
    poll.stop()
    go_on.set()
    wait_for(lambda: held[0].closed if not opened else True)
    for click in clicks:
        click.wait()
    print(json.dumps({"opened": opened, "clicked": bool(clicks), "shown": window.session.path.name,
                      "read_closed": bool(held) and held[0].closed}))
    window.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
