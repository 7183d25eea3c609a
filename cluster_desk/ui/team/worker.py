"""Run a blocking call (network) on a Python thread and get its result back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from cluster_desk.ui.thread_answers import run_off_gui


def run_in_thread(
    parent: QObject, call: Callable[[], Any], done: Callable[[Any, BaseException | None], None],
    orphaned: Callable[[Any], None] | None = None,
) -> threading.Thread:
    """``done(result, error)`` runs on the GUI thread when ``call()`` returns or raises, unless
    ``parent`` was deleted meanwhile (then ``orphaned(result)``, if given). Through
    ``ui.thread_answers``: the thread never emits on an object the window may delete (a relay per
    call, parented to ``parent``, did, and crashed under load)."""
    return run_off_gui(parent, call, lambda result: done(result, None),
                       lambda error: done(None, error), name="cdesk-team", orphaned=orphaned)
