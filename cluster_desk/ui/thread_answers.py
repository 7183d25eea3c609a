"""Answers from Python threads to the GUI thread, safe when the GUI deletes their owner meanwhile.

Why: a worker thread that emitted a signal on a QObject of the window (a reader, the roster's
model) raced the GUI thread deleting that object. PySide releases the GIL inside ``emit``, so the
GUI thread could destroy the sender while the thread was still in Qt's ``activate`` on it: a
segmentation fault under load (reproduced: ~1 in 2,000 create-read-delete rounds of the timeline's
span reader). Qt's rule is that a sender must outlive every emit on it, and a QObject must be
destroyed on its own thread.

So here every thread answers through one relay QObject made on the GUI thread and kept for the
whole process (never deleted while a thread may emit on it). What crosses is plain Python: a
weak reference to the owner, a ticket, the value. The relay's slot runs on the GUI thread (a
queued connection) and calls back only if the owner's C++ object still exists. A thread holds
no QObject itself: the callbacks stay on the GUI side, released there after the thread ended
(the last reference to a QObject dropped on a worker thread would destroy it on that thread).

- ``run_off_gui(owner, work, deliver, failed)``: ``work()`` on a new thread, then ``deliver(value)``
  (or ``failed(error)``) on the GUI thread, unless ``owner`` is gone by then.
- ``gui_caller(owner, method)``: a callable for long-lived threads (a listener, the assessor's
  worker): each call from any thread queues ``method(*args)`` on the GUI thread, owner permitting.
"""

from __future__ import annotations

import atexit
import itertools
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from cluster_desk.core.soon_thread import SoonThread


def _alive(owner: weakref.ref[QObject] | None) -> bool:
    """No owner: always; else its wrapper and C++ object both still exist."""
    if owner is None:
        return True
    obj = owner()
    return obj is not None and shiboken6.isValid(obj)


@dataclass
class _Ticket:
    """A run_off_gui call's GUI-side half: everything that may hold a QObject stays here."""

    owner: weakref.ref[QObject] | None
    work: Callable[[], Any]
    deliver: Callable[[Any], None]
    failed: Callable[[BaseException], None] | None
    orphaned: Callable[[Any], None] | None = None
    thread: threading.Thread | None = None


class _Relay(QObject):
    answered = Signal(object)  # (ticket number, ok, value): a thread's end
    called = Signal(object)  # (GuiCaller, args): a long-lived thread's call

    def __init__(self) -> None:
        super().__init__()
        self.tickets: dict[int, _Ticket] = {}  # GUI thread only
        self.numbers = itertools.count(1)
        self.dropped = 0  # answers whose owner was gone (tests read it)
        queued = Qt.ConnectionType.QueuedConnection  # never run inside the caller, even on the GUI thread
        self.answered.connect(self._answered, queued)
        self.called.connect(self._called, queued)

    @Slot(object)
    def _answered(self, answer: tuple[int, bool, Any]) -> None:
        number, ok, value = answer
        ticket = self.tickets.pop(number)
        if ticket.thread is not None:
            # Emitting was the thread's last step: this returns at once, and after it the
            # thread holds nothing, so what the ticket holds is released here, on this thread.
            ticket.thread.join()
        if not _alive(ticket.owner):
            self.dropped += 1
            if ok and ticket.orphaned is not None:
                ticket.orphaned(value)
            return
        if ok:
            ticket.deliver(value)
        elif ticket.failed is not None:
            ticket.failed(value)
        else:
            traceback.print_exception(value, file=sys.stderr)

    @Slot(object)
    def _called(self, call: tuple[GuiCaller, tuple[Any, ...]]) -> None:
        caller, args = call
        method = caller.target()
        if method is None or not _alive(caller.owner):
            self.dropped += 1
            return
        method(*args)


_relay: _Relay | None = None
#: How long the interpreter's exit waits for threads still running (then it goes on without them).
EXIT_WAIT_S = 5.0


def _the_relay() -> _Relay:
    """Made on first use, from the GUI thread (every entry point below is called there); kept by
    this module for the whole process."""
    global _relay
    if _relay is None:
        relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None and relay.thread() is not app.thread():
            relay.moveToThread(app.thread())
        _relay = relay
        atexit.register(_join_at_exit, relay)
    return _relay


def _join_at_exit(relay: _Relay) -> None:
    """Before the interpreter tears its modules (and this relay) down: let the threads still
    running end, so none is inside an emit on the relay while it is being destroyed."""
    end = time.monotonic() + EXIT_WAIT_S
    for ticket in list(relay.tickets.values()):
        if ticket.thread is not None:
            ticket.thread.join(max(0.0, end - time.monotonic()))


def pending() -> int:
    """Threads started by run_off_gui whose answer has not been handled yet (tests)."""
    return 0 if _relay is None else len(_relay.tickets)


def dropped() -> int:
    """Answers and calls not delivered because their owner was gone (tests)."""
    return 0 if _relay is None else _relay.dropped


def _thread_body(relay: _Relay, number: int, work: Callable[[], Any]) -> None:
    try:
        value, ok = work(), True
    except BaseException as e:  # handed to the GUI thread, never lost in the thread
        value, ok = e, False
    relay.answered.emit((number, ok, value))


def run_off_gui(owner: QObject | None, work: Callable[[], Any], deliver: Callable[[Any], None],
                failed: Callable[[BaseException], None] | None = None, *, name: str,
                orphaned: Callable[[Any], None] | None = None) -> threading.Thread:
    """Run ``work()`` on a new daemon thread; ``deliver(value)`` (or ``failed(error)``; without
    it the traceback is printed) runs on the GUI thread if ``owner`` (None: no owner) still exists
    then, else ``orphaned(value)`` if given (to stop what the value runs). Call from the GUI
    thread. ``work`` must touch no Qt object."""
    relay = _the_relay()
    number = next(relay.numbers)
    ticket = _Ticket(None if owner is None else weakref.ref(owner), work, deliver, failed, orphaned)
    relay.tickets[number] = ticket
    # (started without waiting for it to run: core.soon_thread; the window starts several at a paint)
    thread = SoonThread(target=_thread_body, args=(relay, number, work), name=name, daemon=True)
    ticket.thread = thread
    thread.start()
    return thread


class GuiCaller:
    """A thread-safe callable: each call queues ``method(*args)`` on the GUI thread, where it
    runs if the owner still exists. Holds the owner and a bound method's object weakly."""

    __slots__ = ("owner", "target")

    def __init__(self, owner: QObject | None, method: Callable[..., Any]) -> None:
        self.owner = None if owner is None else weakref.ref(owner)
        if hasattr(method, "__self__") and hasattr(method, "__func__"):  # a bound method
            self.target: Callable[[], Callable[..., Any] | None] = weakref.WeakMethod(method)
        else:  # a plain function: it must not hold a QObject (it is held strongly)
            self.target = lambda: method
        _the_relay()  # made now, on the GUI thread

    def __call__(self, *args: Any) -> None:
        relay = _relay
        if relay is not None:
            relay.called.emit((self, args))


def gui_caller(owner: QObject | None, method: Callable[..., Any]) -> GuiCaller:
    """See GuiCaller. Make it on the GUI thread; call it from any thread."""
    return GuiCaller(owner, method)
