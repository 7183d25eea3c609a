"""core.soon_thread.SoonThread: started without the caller waiting for it to run; is_alive and
join as a Thread's; a failed start reported to its ``failed`` hook (the members' id map lets
its lock go then). Real threads, no sleeps."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from cluster_desk.core import soon_thread, tables
from cluster_desk.core.soon_thread import SoonThread


def test_it_runs_and_joins_like_a_thread() -> None:
    go, ran = threading.Event(), []
    thread = SoonThread(target=lambda: (go.wait(60), ran.append(threading.current_thread().name)),
                        name="soon-probe", daemon=True)
    thread.start()
    assert thread.is_alive()  # (handed over or running: alive either way until it has run)
    go.set()
    thread.join()
    assert ran == ["soon-probe"] and not thread.is_alive()
    with pytest.raises(RuntimeError):
        thread.start()


def test_a_thread_the_interpreter_waits_for_is_started_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # (a window closing right before the process ends starts its snapshot's refresh so: a start
    # handed to a helper thread was not waited for at exit)
    monkeypatch.setattr(soon_thread._thread, "start_new_thread", lambda *_a: pytest.fail("handed"))
    go = threading.Event()
    thread = SoonThread(target=go.wait, args=(60,), daemon=False)
    thread.start()
    assert thread.ident is not None and thread.is_alive()
    go.set()
    thread.join()
    assert not thread.is_alive()


def test_join_waits_for_a_start_not_made_yet(monkeypatch: pytest.MonkeyPatch) -> None:
    # The helper that starts it is held until the caller joins: join waits for the start first.
    held, helpers = threading.Event(), []
    real = soon_thread._thread.start_new_thread

    def held_helper(fn: Any, args: Any) -> int:
        helpers.append(fn)
        return int(real(lambda: (held.wait(60), fn(*args)), ()))

    monkeypatch.setattr(soon_thread._thread, "start_new_thread", held_helper)
    ran: list[int] = []
    thread = SoonThread(target=lambda: ran.append(1), daemon=True)
    thread.start()
    assert helpers and thread.is_alive() and thread.ident is None  # (not started yet)
    thread.join(timeout=0.01)  # (a timeout: not started, so not run)
    assert ran == [] and thread.is_alive()
    held.set()
    thread.join()
    assert ran == [1] and not thread.is_alive()


def test_a_failed_start_calls_failed_and_join_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_threads(*_args: Any) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading, "_start_new_thread", no_threads)  # (what Thread.start calls)
    failures: list[BaseException] = []
    thread = SoonThread(target=lambda: None, daemon=True, failed=failures.append)
    thread.start()
    thread.join()
    assert [str(f) for f in failures] == ["can't start new thread"]
    assert not thread.is_alive()


def test_the_members_index_lock_is_let_go_when_its_thread_cannot_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"m{i}" for i in range(10)]
    cols = tables.MemberColumns(ids, [f"n{i}" for i in range(10)], ["firm"] * 10, ["member"] * 10,
                                np.zeros(10), np.zeros(10))
    real = threading._start_new_thread  # type: ignore[attr-defined]

    def no_threads(*_args: Any) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading, "_start_new_thread", no_threads)
    thread = cols.index_in_background()
    assert thread is not None
    thread.join()
    monkeypatch.setattr(threading, "_start_new_thread", real)
    assert cols.index_made() is None
    assert cols.index["m9"] == 9  # made here: the lock was let go, not waited on forever
