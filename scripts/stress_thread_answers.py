"""Stress: create and destroy owners of worker threads while the threads answer (not a test).

    PYTHONPATH=. python scripts/stress_thread_answers.py [ROUNDS] [delete|later]

Each round makes a parent QObject with four timeline span readers (ui/timeline/span.py), starts
their reads (made trivial here, so the answer races the deletion), then deletes the parent at
once (``delete``: shiboken6.delete; ``later``: deleteLater) and runs the event loop. Before
ui/thread_answers.py the threads emitted on the reader itself and this crashed with a
segmentation fault within 2,000 rounds (5 runs of 5, load 6-15); with it, 0 crashes in 8 runs
of 20,000 rounds.
"""

from __future__ import annotations

import os
import random
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    import shiboken6
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    import cluster_desk.store.edits as edits
    from cluster_desk.ui.timeline import span

    app = QApplication([])
    edits.read_dated_years = lambda path: (2020, 2021)  # trivial work: the answer races the delete
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    mode = sys.argv[2] if len(sys.argv) > 2 else "delete"
    arrived = [0]
    t0 = time.time()
    for i in range(rounds):
        parent = QObject()
        readers = [span.YearSpanReader(parent) for _ in range(4)]
        for r in readers:
            r.arrived.connect(lambda *_a: arrived.__setitem__(0, arrived[0] + 1))
            r.read("/nonexistent", i)
        for _ in range(random.randint(0, 400)):  # a varying moment for the deletion
            pass
        if mode == "delete":
            shiboken6.delete(parent)
        else:
            parent.deleteLater()
        del readers, parent
        app.processEvents()
        if i % 2000 == 0:
            print(i, arrived[0], round(time.time() - t0, 1), flush=True)
    print("done: rounds", rounds, "answers delivered", arrived[0])


if __name__ == "__main__":
    main()
