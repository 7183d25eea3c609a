"""Threads answer the GUI thread through ui.thread_answers: an owner deleted (or dropped) while
its thread works gets no answer, nothing is emitted on it, and it is destroyed on the GUI thread.

The old code emitted on the owner itself (the span reader's own signal, a relay parented to the
team dialog): under load the GUI thread deleted the owner while the thread was inside the emit, a
segmentation fault (reproduced with a create-read-delete loop: about 1 round in 2,000). These
tests order the thread and the deletion with events: the thread is held just before it answers,
the owner goes, then the thread goes on.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from cluster_desk.store import Project
from cluster_desk.store import edits as edits_module
from cluster_desk.ui import thread_answers
from cluster_desk.ui.team.worker import run_in_thread
from cluster_desk.ui.thread_answers import gui_caller, run_off_gui
from cluster_desk.ui.timeline.span import YearSpanReader


class Gate:
    """Wraps a function run on a thread: says when the thread reached it, and holds it there
    until opened."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.reached, self.open = fn, threading.Event(), threading.Event()

    def __call__(self, *args: Any) -> Any:
        self.reached.set()
        self.open.wait()
        return self.fn(*args)


@pytest.fixture
def thread_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Exceptions no thread caught (the old code's emit on a deleted object raised there)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.exc_value))
    yield seen


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.cdesk"
    Project.create(path).close()
    return path


@pytest.fixture
def gated_span(monkeypatch: pytest.MonkeyPatch) -> Gate:
    gate = Gate(edits_module.read_dated_years)  # the real read, held at its start
    monkeypatch.setattr(edits_module, "read_dated_years", gate)
    return gate


def test_a_span_reader_deleted_while_its_thread_reads_gets_no_answer(
        qtbot, project_file, gated_span, thread_errors) -> None:
    parent = QObject()
    reader = YearSpanReader(parent)
    arrived: list[tuple] = []
    reader.arrived.connect(lambda *a: arrived.append(a))
    dropped = thread_answers.dropped()
    reader.read(project_file, "token")
    gated_span.reached.wait()
    shiboken6.delete(parent)  # the window goes, with its reader, while the thread reads
    gated_span.open.set()
    qtbot.waitUntil(lambda: thread_answers.dropped() == dropped + 1)
    assert arrived == [] and thread_errors == [] and thread_answers.pending() == 0


def test_a_reader_the_gui_let_go_of_is_destroyed_on_the_gui_thread(
        qtbot, project_file, gated_span, thread_errors) -> None:
    """The thread holds no QObject: the last reference goes on the GUI thread (the old thread's
    bound method held the reader, and its end destroyed the reader on the worker thread)."""
    reader = YearSpanReader()  # no parent: Python owns it
    arrived: list[tuple] = []
    reader.arrived.connect(lambda *a: arrived.append(a))
    destroyed_on: list[threading.Thread] = []
    weakref.finalize(reader, lambda: destroyed_on.append(threading.current_thread()))
    reader.read(project_file, "token")
    gated_span.reached.wait()
    del reader
    gc.collect()
    gated_span.open.set()
    qtbot.waitUntil(lambda: destroyed_on != [])
    assert destroyed_on == [threading.main_thread()]
    assert arrived == [("token", None, True)] and thread_errors == []  # (no date set: no span)


def test_a_team_call_whose_dialog_was_deleted_is_dropped(qtbot, thread_errors) -> None:
    parent = QObject()
    gate = Gate(lambda: "answer")
    done: list[tuple] = []
    orphans: list[str] = []  # (a listener started for a controller gone meanwhile is stopped)
    dropped = thread_answers.dropped()
    run_in_thread(parent, gate, lambda result, error: done.append((result, error)), orphans.append)
    gate.reached.wait()
    shiboken6.delete(parent)
    gate.open.set()
    qtbot.waitUntil(lambda: thread_answers.dropped() == dropped + 1)
    assert done == [] and orphans == ["answer"] and thread_errors == []


def test_answers_and_errors_come_on_the_gui_thread(qtbot) -> None:
    owner = QObject()
    got: list[tuple] = []
    run_off_gui(owner, lambda: 42, lambda v: got.append(("value", v, threading.current_thread())),
                name="t-ok")
    run_off_gui(owner, lambda: 1 / 0, lambda v: None,
                lambda e: got.append(("error", type(e), threading.current_thread())), name="t-error")
    qtbot.waitUntil(lambda: len(got) == 2)
    main = threading.main_thread()
    assert sorted(got, key=str) == sorted([("value", 42, main), ("error", ZeroDivisionError, main)], key=str)


class Listening(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[int] = []

    def hear(self, n: int) -> None:
        self.heard.append(n)


def test_a_gui_caller_holds_its_owner_weakly_and_drops_calls_once_it_is_gone(qtbot) -> None:
    owner = Listening()
    call, heard = gui_caller(owner, owner.hear), owner.heard
    threading.Thread(target=call, args=(1,)).start()
    qtbot.waitUntil(lambda: heard == [1])
    dropped = thread_answers.dropped()
    ref = weakref.ref(owner)
    del owner
    gc.collect()
    assert ref() is None  # the caller did not keep it
    worker = threading.Thread(target=call, args=(2,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: thread_answers.dropped() == dropped + 1)
