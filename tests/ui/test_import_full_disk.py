"""File > Import when the disk fills up halfway (rule 2): the window says so in one line naming
the file, the import dialog stays open with its progress closed, and the project is as it was.

The window runs in a child process whose file size limit (RLIMIT_FSIZE) stands for the full
disk, as tests/store/test_reliability.py does for the command line: SQLite gets EFBIG on the
write past it and the transaction rolls back. The child records what the dialog says instead of
showing the message box (its ``exec`` would wait for a click)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project

ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
    import json, os, resource, signal, sys
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG (a full disk) instead of being killed
    from PySide6.QtWidgets import QApplication, QProgressDialog
    app = QApplication([])
    from cluster_desk.ui.exchange import import_dialog
    from cluster_desk.ui.project.session import ProjectSession
    said = []
    import_dialog.warn = lambda parent, title, text: said.append(["warn", text])
    import_dialog.inform = lambda parent, title, text: said.append(["inform", text])
    path, roster = Path(sys.argv[1]), Path(sys.argv[2])
    session = ProjectSession()
    session.open(path)
    dialog = import_dialog.ImportDialog(None, session.project, roster)
    limit = os.path.getsize(path) + 200_000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    dialog.run_import()
    progress = [w for w in app.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    print(json.dumps({"said": said, "accepted": dialog.result() == 1, "progress_open": len(progress)}))
"""


def test_a_full_disk_during_an_import_is_said_and_the_project_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members([Member("ООО «Альфа»", id="m-alpha")])
    roster = tmp_path / "roster.csv"
    rows = "".join(f"Firm {i},{'n' * 300}\n" for i in range(5000))  # (~1.5 MB: past the limit below)
    roster.write_text("name,notes\n" + rows, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "CLUSTER_DESK_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(_CHILD), str(path), str(roster)], cwd=ROOT,
                         capture_output=True, text=True, env=env, check=False, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert [kind for kind, _ in got["said"]] == ["warn"], got
    line = got["said"][0][1]
    assert str(path) in line and "full" in line.lower() and "\n" not in line.strip(), line
    assert not got["accepted"] and got["progress_open"] == 0
    with Project.open(path) as p:
        assert [m.id for m in p.members()] == ["m-alpha"] and p.check() == []
