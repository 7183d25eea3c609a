"""Run a blocking call (network) on a Python thread and get its result back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Relay(QObject):
    # Emitted from the worker thread; the receiver lives in the GUI thread, so Qt queues it.
    finished = Signal(object, object)  # result, exception


def run_in_thread(
    parent: QObject, call: Callable[[], Any], done: Callable[[Any, BaseException | None], None]
) -> threading.Thread:
    """``done(result, error)`` runs on the GUI thread when ``call()`` returns or raises."""
    relay = _Relay(parent)

    def finish(result: Any, error: BaseException | None) -> None:
        # The queued signal can arrive while the thread is still inside emit(): deleting the
        # relay then was a use-after-free (a segfault under load). The emit is the thread's last
        # step, so this join is over at once.
        thread.join()
        relay.deleteLater()
        done(result, error)

    relay.finished.connect(finish)

    def body() -> None:
        try:
            result = call()
        except BaseException as e:  # reported to the GUI thread, never lost in the thread
            relay.finished.emit(None, e)
        else:
            relay.finished.emit(result, None)

    thread = threading.Thread(target=body, name="cdesk-team", daemon=True)
    thread.start()
    return thread
