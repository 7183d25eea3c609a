"""``cluster-desk check`` reads the rest of the members' columns on the open's links thread,
beside the matching of the link ends, and makes no members' id map unless it looks ids up
(issue 17: a million members' check, its main thread ~3.5 -> ~2.7 s of CPU). The answers stay
the records path's, byte for byte (tests/test_cli_check_columns.py's reference)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cluster_desk.core.checks.context import MEMBER_COLUMNS
from cluster_desk.store import assess_columns, column_read, snapshot
from cluster_desk.store.project import Project
from tests.test_cli_check_columns import _mixed, column_check, same_as_records


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("beside") / "mixed.cdesk"
    return path, _mixed(path, n=600)


def _same(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f":
        return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))
    return np.array_equal(a, b)


def test_the_rest_of_the_members_is_read_on_the_links_thread(
        mixed: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """From LINKS_ON_A_THREAD links the open reads the links' ends on a thread: the members'
    values the open does not read (sectors, flags, employees, output, dates) are read there
    next, in its read transaction, not on the main thread; the arrays are a full read's."""
    from cluster_desk.check_command import run_check

    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    threads: list[str] = []
    real = assess_columns._rest_of_members

    def spied(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(assess_columns, "_rest_of_members", spied)
    path = mixed[0]
    with Project.open(path, check_later=True) as project:
        run = run_check(project, on="2019-06-30")
    assert threads and set(threads) == {"open-links"}
    full = assess_columns.read_arrays(path)
    for name in MEMBER_COLUMNS:
        assert _same(getattr(run.arrays, name), getattr(full, name)), name
    same_as_records(path, on="2019-06-30")
    same_as_records(path, json_out=True, on="2019-06-30", as_if=mixed[1]["candidate"])


def test_the_rest_read_beside_is_taken_only_for_its_state(mixed: tuple[Path, dict[str, str]]) -> None:
    """What MembersAhead read is used for the state of the file it was read of, never another
    (the caller then reads the rest itself); told it will not be read, it gives nothing."""
    path = mixed[0]
    ahead = assess_columns.MembersAhead()
    with assess_columns.reading(path) as conn:
        key = snapshot.file_key(conn, path)
        ahead(conn, key=key)
    got = ahead.windows(key)
    assert got is not None and sum(count for count, _ in got) == 600
    assert ahead.windows({**key, "counter": key["counter"] + 1}) is None
    nothing = assess_columns.MembersAhead()
    nothing(None)
    assert nothing.windows(key) is None


def test_the_text_report_makes_no_members_map(mixed: tuple[Path, dict[str, str]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The readable report looks no member up by id: the members' id -> row map (~0.15 s of
    CPU at a million members) is not made; nor for --json, whose few thousand names are found
    in one pass over the ids (~0.05 s there); --as-if looks its candidates up, and makes it."""
    from cluster_desk.core import tables
    from cluster_desk.core.checks import context

    made: list[int] = []
    real = tables.row_map

    def spied(ids: Any) -> Any:
        made.append(len(ids))
        return real(ids)

    monkeypatch.setattr(tables, "row_map", spied)
    monkeypatch.setattr(context, "row_map", spied)
    path = mixed[0]
    code, out, err = column_check(path, "--lang", "en", "--on", "2019-06-30")
    assert (code, err) == (0, "") and out and made == []
    code, out, err = column_check(path, "--lang", "en", "--json", "--on", "2019-06-30")
    assert (code, err) == (0, "") and out.startswith("[") and made == []
    assert sum(len(check["members"]) for check in json.loads(out)) > 100  # (names were listed)
    code, out, err = column_check(path, "--lang", "en", "--json", "--on", "2019-06-30",
                                  "--as-if", mixed[1]["candidate"])
    assert (code, err) == (0, "") and out.startswith("[") and made == [600]
