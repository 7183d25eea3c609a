"""Exports to a full disk: one line naming the destination, no traceback, the old file kept.

Two real ways to run out of room, both through `cluster-desk export` in a subprocess (so a
``ZipFile.__del__`` "Exception ignored" traceback at interpreter exit is seen on stderr):
- a small tmpfs, mounted when the tests run as root with the right to mount (CI does);
- RLIMIT_FSIZE, which any user can set: writes past the limit fail with EFBIG the same way.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.store.project import Project

REPO = Path(__file__).resolve().parents[2]
FORMATS = (".xlsx", ".csv", ".tsv", ".geojson", ".kml", ".gpkg", ".html")
OLD = b"the previous export, which must survive\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("proj") / "demo.cdesk"
    members, _, settings = demo_cluster()
    with Project.create(path, name=settings.name) as p:
        p.add_members(members)
    return path


def _export(project: Path, out: Path, *, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:  # a write past the limit fails with EFBIG instead of killing us
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CLUSTER_DESK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cluster_desk", "export", str(project), str(out)],
                          capture_output=True, text=True, env=env, preexec_fn=limit, cwd=out.parent)


def _assert_one_clean_line(run: subprocess.CompletedProcess[str], out: Path) -> None:
    assert run.returncode == 1, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr  # no "Exception ignored in: ZipFile.__del__" traceback
    assert str(out) in lines[0] and ".tmp" not in lines[0], lines[0]
    assert "cannot write the export" in lines[0]
    assert out.read_bytes() == OLD  # the good old file is untouched
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temp file left behind


@pytest.mark.parametrize("suffix", FORMATS)
def test_file_size_limit(project, tmp_path, suffix):
    out = tmp_path / "dest" / f"roster{suffix}"
    out.parent.mkdir()
    out.write_bytes(OLD)
    run = _export(project, out, fsize=6000)  # the demo's exports are 20-350 KB
    _assert_one_clean_line(run, out)
    # SQLite reports the failed write as an I/O error without its cause (EFBIG).
    cause = "disk I/O error" if suffix == ".gpkg" else "larger than this system allows"
    assert cause in run.stderr


@contextlib.contextmanager
def _tiny_tmpfs(folder: Path, size_kb: int):
    folder.mkdir()
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None:
        pytest.skip("mounting a tmpfs needs root (the RLIMIT_FSIZE test covers the same code)")
    made = subprocess.run([mount, "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip()}); RLIMIT_FSIZE covers it")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("suffix", FORMATS)
def test_full_disk(project, tmp_path, suffix):
    with _tiny_tmpfs(tmp_path / "small", 64) as disk:
        out = disk / f"roster{suffix}"
        out.write_bytes(OLD)
        filler = disk / "filler"
        with filler.open("wb") as f:  # leave about 8 KB free
            f.write(b"\0" * (64 - 8 - 4) * 1024)
        run = _export(project, out)
        filler.unlink()
        _assert_one_clean_line(run, out)
        assert "the disk is full" in run.stderr


def test_export_error_is_one_line_in_the_window_too(project, tmp_path):
    from cluster_desk.io import ExportError, export_roster

    members, _, _ = demo_cluster()
    target = tmp_path / "no-such-folder" / "roster.xlsx"
    with pytest.raises(ExportError) as caught:
        export_roster(members, None, target)
    assert str(caught.value) == f"{target}: cannot write the export (the folder does not exist)"


def test_window_says_the_failure_in_russian(qtbot, qapp, tmp_path):
    sys.path.insert(0, str(REPO / "tests" / "ui"))
    from ui_helpers import demo_file, exported, make_window

    from cluster_desk.ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "ru")
    try:
        window = make_window(qtbot, tmp_path, lang="ru")
        assert window.files.open_path(demo_file(tmp_path))
        target = tmp_path / "нет такой папки" / "roster.xlsx"
        assert exported(window.exchange.export_to(target)) is None
        assert window.errors[-1][1] == f"{target}: не удалось записать экспорт (папка не существует)"
    finally:
        remove_translators(qapp, translators)
        remove_translators(qapp, install_translators(qapp, "en"))  # back to English, no translator
