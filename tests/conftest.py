"""Shared test set-up: Qt offscreen before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Open-column snapshots (store.snapshot) of test projects go to a temp folder, not ~/.cache.
if "CLUSTER_DESK_CACHE" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["CLUSTER_DESK_CACHE"] = tempfile.mkdtemp(prefix="cdesk-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CLUSTER_DESK_CACHE"], ignore_errors=True)

# The "cdesk" URL scheme must be registered before pytest-qt creates the QApplication (its
# qapp fixture runs later than this import). Guarded so Qt-free test runs still collect.
try:
    from cluster_desk.ui.map.scheme import register_scheme
except ImportError:  # PySide6 not installed: only the Qt-free tests can run
    pass
else:
    register_scheme()


import pytest


@pytest.fixture(autouse=True, scope="session")
def _delete_closed_widgets_before_exit():
    """pytest-qt closes test widgets with deleteLater(); the last test's are never deleted
    unless events run again, and a web view outliving its profile makes Qt warn at exit."""
    yield
    try:
        from PySide6.QtCore import QCoreApplication, QEvent
    except ImportError:
        return
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def tile_server_factory():
    """Start tile servers on 127.0.0.1 (tests/tile_server.py); all stopped at the end, and none
    was asked for anything by another host name."""
    from tile_server import TileServer

    servers: list[TileServer] = []

    def make(**kw):
        s = TileServer(**kw)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()
        for _path, _ua, host in s.requests:
            assert host == f"127.0.0.1:{s.port}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """The package's bytecode compiled ahead, as an installed wheel has it (``make compile``):
    where PYTHONDONTWRITEBYTECODE is set (this CI machine) the dozens of ``python -m
    cluster_desk`` processes the tests start would each compile the sources again (~0.3 s of
    CPU a start; the whole package compiles in ~0.8 s, and a current tree is only looked at)."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(Path(__file__).resolve().parents[1] / "cluster_desk", quiet=2)


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (``make test`` runs two workers) the controller makes the one folder that
    the workers share for the frozen build (tests/frozen_build.py), before they start."""
    if hasattr(config, "workerinput"):
        return
    if getattr(config.option, "numprocesses", None) and getattr(config.option, "dist", "no") != "no":
        import frozen_build

        frozen_build.share_with_workers()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of the frozen bundle run last: its build (started at collection, niced) then
    has the whole run to finish on the CPU the other tests leave. Under xdist (``--dist loadfile
    --no-loadscope-reorder``) their file, tests/test_packaging.py, is then the last unit handed out."""
    items.sort(key=lambda item: "bundle" in getattr(item, "fixturenames", ()))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the frozen build now if a test will use it, so it runs beside the other tests."""
    if any("bundle" in getattr(item, "fixturenames", ()) for item in session.items):
        import importlib.util

        if importlib.util.find_spec("PyInstaller") is not None:
            import frozen_build

            frozen_build.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    import frozen_build

    frozen_build.discard()
