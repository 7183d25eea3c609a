"""Live updates: LISTEN for the server's change notices of one cluster.

The server NOTIFYs ``cdesk_changes`` after each commit with ``{"cluster", "seq"}`` only (NOTIFY
ignores permissions, so it never carries data); a listener tells its owner, who pulls.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from typing import Any

from cluster_desk.team.server import PasswordSource, connect

CHANNEL = "cdesk_changes"


def parse_notice(payload: str) -> tuple[str, int] | None:
    """(cluster, change number) from a notice; None if it is not one of ours."""
    try:
        data = json.loads(payload)
        return str(data["cluster"]), int(data["seq"])
    except (ValueError, KeyError, TypeError):
        return None


class Listener:
    """A background thread holding one LISTEN connection; ``on_change(seq)`` runs in that thread.

    ``on_lost(message)`` is called if the connection breaks (the owner shows "offline" and may
    start a new listener later). ``stop()`` returns within about ``poll_s``.
    """

    def __init__(
        self,
        dsn: str,
        cluster: str,
        on_change: Callable[[int], Any],
        on_lost: Callable[[str], Any] | None = None,
        password: PasswordSource | None = None,
        poll_s: float = 0.5,
    ) -> None:
        self.cluster = cluster
        self._on_change = on_change
        self._on_lost = on_lost
        self._poll_s = poll_s
        self._stopping = threading.Event()
        self._conn = connect(dsn, password=password)  # raises TeamError now, not in the thread
        self._conn.execute(f"LISTEN {CHANNEL}")
        self._thread = threading.Thread(target=self._run, name="cdesk-listen", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                for notice in self._conn.notifies(timeout=self._poll_s):
                    parsed = parse_notice(notice.payload)
                    if parsed is not None and parsed[0] == self.cluster:
                        self._on_change(parsed[1])
                    if self._stopping.is_set():
                        break
        except Exception as e:
            if not self._stopping.is_set() and self._on_lost is not None:
                detail = str(e).strip() or type(e).__name__
                self._on_lost(f"server unreachable (live updates stopped: {detail})")
        finally:
            with contextlib.suppress(Exception):  # already broken
                self._conn.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
