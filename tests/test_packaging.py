"""Packaging: a fresh frozen build from build.spec (the self-test from the source tree is in
tests/test_self_test.py, so that under pytest-xdist this file is one unit of work, run last).

The frozen tests (marked ``slow``) build the bundle with PyInstaller into a temporary folder (not
dist/: this proves the spec works as checked in), run ``cluster-desk --version`` and
``--self-test``, check what was pruned and which system libraries it needs, then build the .deb,
extract it with ``dpkg-deb -x`` (never installed system-wide) and run the extracted app's
self-test. CI runs them all (``make test``); ``pytest -m "not slow"`` skips them locally.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import frozen_build
import pytest
from self_test_helpers import assert_self_test, clean_env, run

import cluster_desk

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"
LINUX = sys.platform.startswith("linux")


# --- slow: a fresh frozen build ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/cluster-desk built fresh from build.spec into a temporary folder (tests/frozen_build.py:
    started in the background when collection selected a frozen test)."""
    pytest.importorskip("PyInstaller")
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    build = frozen_build.start()
    folder = build.folder()
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nfrozen build: done {build.seconds():.0f} s after it started, folder {size / 2**20:.0f} MiB")
    return folder


def _exe(folder: Path) -> Path:
    return folder / (f"{APP}.exe" if sys.platform == "win32" else APP)


@pytest.mark.slow
def test_frozen_version_matches_package(bundle: Path) -> None:
    proc = run([str(_exe(bundle)), "--version"], timeout=60, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [APP, cluster_desk.__version__]


@pytest.mark.slow
def test_frozen_self_test_passes(bundle: Path) -> None:
    proc = run([str(_exe(bundle)), "--self-test"], timeout=120, env=clean_env())
    map_at = assert_self_test(proc, "the frozen bundle")
    assert "(frozen," in proc.stdout
    print(f"\nfrozen self-test:\n{proc.stdout}start to map drawn: {map_at} s")


@pytest.mark.slow
def test_frozen_bundle_ships_data_and_prunes_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    # paths.py finds these under sys._MEIPASS (= _internal in a onedir build)
    assert (internal / "resources" / "web" / "index.html").is_file()
    assert (internal / "maps" / "countries-110m.json").is_file()
    # The catalogues ship as .qm (Qt) and .ts (the command line reads them without Qt).
    shipped = {p.name for p in (internal / "resources" / "translations").iterdir()}
    assert {"cluster_desk_ru.ts", "cluster_desk_ru.qm", "cluster_desk_en.ts", "cluster_desk_en.qm"} <= shipped
    # The regional basemap ships as separate, replaceable LGPL data with its licences and build script.
    for name in ("russia-regional.mbtiles", "russia-subjects.geojson.gz", "russia-subjects.npz", "LICENSE",
                 "COPYING.GPL-3", "LICENSE.iso-codes-LGPL-2.1"):
        assert (internal / "maps" / "basemap" / name).is_file(), name
    assert (internal / "maps" / "build_basemap.py").is_file()
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "qml").exists(), "the QML tree must be pruned"
    locales = {p.name for p in (qt / "translations" / "qtwebengine_locales").iterdir()}
    assert locales == {"en-US.pak", "ru.pak"}
    langs = {re.sub(r"^.*_", "", p.stem) for p in (qt / "translations").glob("*.qm")}
    assert langs <= {"en", "ru"}, langs
    libs = {p.name for p in (qt / "lib").iterdir()} if (qt / "lib").is_dir() else set()
    for unused in ("Qt63DCore", "Qt6Charts", "Qt6Multimedia", "Qt6DataVisualization", "Qt6Designer",
                   "Qt6Quick3D", "Qt6Pdf"):
        assert not any(unused in n for n in libs), unused
    for needed in ("Qt6WebEngineCore", "Qt6WebEngineWidgets", "Qt6WebChannel", "Qt6Network", "Qt6Svg"):
        assert any(needed in n for n in libs), needed
    assert not any(p.name.startswith("tkinter") or p.name == "_tkinter" for p in internal.rglob("*tkinter*"))
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling


@pytest.mark.slow
@pytest.mark.skipif(not LINUX or not shutil.which("ldd"), reason="ldd: Linux only")
def test_frozen_bundle_system_libraries_are_declared(bundle: Path) -> None:
    """Every library the bundle loads from the system is in system-libs.txt (-> .deb Depends)."""
    declared = {}
    for line in (ROOT / "packaging" / "linux" / "system-libs.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            soname, package = line.split()
            declared[soname] = package
    shipped = {p.name for p in bundle.rglob("*.so*")}
    env = {**clean_env(), "LD_LIBRARY_PATH": f"{bundle / '_internal'}:{bundle / '_internal/PySide6/Qt/lib'}"}
    needed: dict[str, str] = {}
    binaries = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()
                and (".so" in p.name or p.name in (APP, "QtWebEngineProcess"))]
    for binary in binaries:
        out = run(["ldd", str(binary)], timeout=60, env=env).stdout
        for m in re.finditer(r"^\s*(\S+) => (\S+)", out, re.M):
            soname, where = m.groups()
            if soname not in shipped and not where.startswith(str(bundle)):
                needed.setdefault(soname, binary.name)
    missing = {s: who for s, who in needed.items() if s not in declared}
    assert not missing, f"system libraries not in packaging/linux/system-libs.txt: {missing}"


@pytest.mark.slow
@pytest.mark.skipif(not LINUX or not shutil.which("dpkg-deb"), reason="dpkg-deb: Debian-family Linux only")
def test_deb_builds_extracts_and_self_tests(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DEB_COMPRESS": "none", "PYTHON": sys.executable}  # fast; `make deb` uses xz
    proc = run(["bash", str(ROOT / "packaging" / "linux" / "build-deb.sh"), str(bundle), str(tmp_path)],
                timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    deb = Path(proc.stdout.strip().splitlines()[-1])
    assert deb.is_file() and deb.suffix == ".deb"

    info = run(["dpkg-deb", "--info", str(deb)], timeout=60).stdout
    assert f"Version: {cluster_desk.__version__}" in info
    for dep in ("libxcb-cursor0", "libxkbcommon-x11-0", "libnss3", "libegl1", "libfontconfig1", "libasound2"):
        assert re.search(rf"Depends:.*\b{re.escape(dep)}\b", info), dep
    contents = run(["dpkg-deb", "--contents", str(deb)], timeout=120).stdout
    for path in ("./opt/cluster-desk/cluster-desk",
                 "./usr/bin/cluster-desk -> /opt/cluster-desk/cluster-desk",
                 "./usr/share/applications/cluster-desk.desktop",
                 "./usr/share/mime/packages/cluster-desk.xml",
                 "./usr/share/icons/hicolor/48x48/apps/cluster-desk.png",
                 "./usr/share/icons/hicolor/scalable/apps/cluster-desk.svg"):
        assert path in contents, path
    assert " root/root " in contents.splitlines()[0]

    root = tmp_path / "extracted"
    assert run(["dpkg-deb", "-x", str(deb), str(root)], timeout=300).returncode == 0
    desktop = (root / "usr/share/applications/cluster-desk.desktop").read_text(encoding="utf-8")
    for key in ("Name=Cluster Desk", "Name[ru]=", "Comment=", "MimeType=application/x-cluster-desk;",
                "Icon=cluster-desk", "Exec=cluster-desk %f"):
        assert key in desktop, key
    mime = (root / "usr/share/mime/packages/cluster-desk.xml").read_text(encoding="utf-8")
    assert 'type="application/x-cluster-desk"' in mime and 'pattern="*.cdesk"' in mime
    copyright_text = (root / "usr/share/doc/cluster-desk/copyright").read_text(encoding="utf-8")
    for credit in ("GSHHG", "DCW-GMT", "iso-codes", "License: LGPL-3+", "License: LGPL-2.1+"):
        assert credit in copyright_text, credit
    if shutil.which("desktop-file-validate"):
        check = run(["desktop-file-validate", str(root / "usr/share/applications/cluster-desk.desktop")], 60)
        assert check.returncode == 0, check.stdout + check.stderr

    proc = run([str(root / "opt" / APP / APP), "--self-test"], timeout=120, env=clean_env())
    assert_self_test(proc, "the extracted .deb")
