"""A passport job leaves no member or link record to the cycle collector (issue 17).

A formatter's lambda over the passport's data, inside a figure (a web of reference cycles), and
pyparsing's tracebacks from matplotlib's first set-up (pinning every calling frame, with the
job's locals) kept all the records alive until the collector ran: at 100,000 members one ~0.9 s
pass holding the GIL, the window frozen as the passport was written. A fresh process, so the
first set-up is part of it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cluster_desk.core.demo import demo_cluster
from cluster_desk.store.project import Project

SCRIPT = """
import gc, sys, threading
from pathlib import Path
from cluster_desk.ui.timeline.passport_work import passport_page

gc.collect()
gc.disable()
passport_page(Path(sys.argv[1]), Path(sys.argv[2]), day=None, lang="ru", name="Demo",
              progress=lambda *a: None, cancel=threading.Event())
gc.set_debug(gc.DEBUG_SAVEALL)
gc.collect()
kinds = [type(o).__name__ for o in gc.garbage]
print(kinds.count("Member"), kinds.count("Link"), len(kinds))
"""


def test_no_record_waits_for_the_collector(tmp_path: Path) -> None:
    members, links, settings = demo_cluster()
    path = tmp_path / "demo.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
        p.set_settings(settings)
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(path), str(tmp_path / "passport.html")],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    members_left, links_left, garbage = (int(x) for x in out.stdout.split())
    assert (tmp_path / "passport.html").stat().st_size > 10_000
    assert garbage > 0  # the collector did find matplotlib's own cycles: the probe works
    assert (members_left, links_left) == (0, 0)
