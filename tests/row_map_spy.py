"""A spy on ``core.tables.row_map`` (the members' id -> row map): which thread made it, of which
ids, and a build that can be held mid-way (the thread's build still running while others ask)."""

from __future__ import annotations

import threading
from typing import Any

from cluster_desk.core import tables


class RowMapBuilds:
    """The real ``row_map``, noting (thread name, id of the ids) per call; while ``hold`` is set a
    build waits for ``go`` (bounded: a GUI thread that waited for it fails its test, not hangs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.hold = False
        self.started = threading.Event()
        self.go = threading.Event()
        self._real = tables.row_map

    @property
    def threads(self) -> list[str]:
        return [thread for thread, _ in self.calls]

    def __call__(self, ids: Any) -> Any:
        self.calls.append((threading.current_thread().name, id(ids)))
        self.started.set()
        if self.hold:
            self.go.wait(30)
        return self._real(ids)
