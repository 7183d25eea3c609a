"""The roster at scale (figures, not a test): 100,000 members in the table model, the session's
distances to the centre (core.geodesy, all members), sorting by distance, a text filter, and
the map's fade list for that filter (RosterProxy.shown_ids).

Run: ``python bench/bench_roster.py [--n 100000]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster.model import COL, RosterModel, RosterProxy


def roster(n: int) -> list[Member]:
    rnd = random.Random(3)
    kinds = list(MemberKind)
    return [Member(name=f"Firm {i:06d}", kind=kinds[i % len(kinds)],
                   status=(Status.MEMBER, Status.CANDIDATE, Status.FORMER)[i % 3],
                   employees=rnd.randint(1, 5000), lat=55 + rnd.uniform(-2, 2), lon=50 + rnd.uniform(-3, 3))
            for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    n = parser.parse_args().n
    _app = QApplication([])
    session = ProjectSession()
    session.members = {m.id: m for m in roster(n)}
    session.project = object()  # the views' side only
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    timings: list[tuple[str, float]] = []

    def timed(label: str, fn: object) -> None:
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        timings.append((label, time.perf_counter() - t0))

    timed("model reset", lambda: model.apply_change(ChangeSet(reset=True)))
    session.centre = (55.0, 50.0)
    timed("distances (session, all)", lambda: session._measure(list(session.members)))
    timed("distance column refresh", lambda: session.geometryChanged.emit(None))
    timed("sort by distance", lambda: proxy.sort(COL["distance"]))
    timed("text filter", lambda: proxy.set_text("firm 09"))
    timed("fade list (shown ids)", lambda: proxy.shown_ids())
    session.project = None
    print(f"{n:,} members, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    for label, s in timings:
        print(f"  {label:28s} {s * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
