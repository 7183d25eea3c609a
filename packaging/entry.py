"""Entry point of the frozen app (PyInstaller runs this file as ``__main__``).

``--self-test`` is handled here, before anything imports Qt, so the frozen app supports it
whatever ``cli.main`` knows; every other argument goes to ``cluster_desk.cli.main``.
"""

from __future__ import annotations

import os
import sys


def _attach_parent_console() -> None:
    """Windows: the exe is a GUI program (no console window of its own), so ``--version``,
    ``--self-test`` and the commands would print nothing; write to the console it was started
    from, if any."""
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        sys.stderr = sys.stdout
    else:  # started from Explorer or with no console: keep print() harmless
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _keep_matplotlib_cache() -> None:
    """PyInstaller's matplotlib hook points MPLCONFIGDIR at a new temporary folder at every start,
    so matplotlib would scan the system's fonts again at each passport or charts dock (seconds on
    a desktop with many fonts): keep its folder in the user's cache instead (matplotlib falls back
    to a temporary one by itself if that is not writable)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    os.environ["MPLCONFIGDIR"] = os.path.join(base, "cluster-desk", "matplotlib")


def _run() -> int:
    if getattr(sys, "frozen", False):
        _keep_matplotlib_cache()
    args = sys.argv[1:]
    if args and not os.path.isfile(args[0]):  # a bare project path opens the window: no console
        _attach_parent_console()
    if "--self-test" in args:
        from cluster_desk import selftest

        return selftest.main()
    from cluster_desk import cli

    return int(cli.main(args) or 0)


if __name__ == "__main__":
    code = _run()
    if "cluster_desk.ui.report_pdf" in sys.modules:  # a PDF passport printed: no slow Qt WebEngine shutdown
        sys.modules["cluster_desk.ui.report_pdf"].leave_now(code)
    if "cluster_desk.cli" in sys.modules:  # check, plan: no teardown of a million members' objects
        sys.modules["cluster_desk.cli"].leave_now(code)
    sys.exit(code)
