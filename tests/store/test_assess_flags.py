"""A member's industry, special territory and organising production come to the read after a
cold open as one letter each (store.assess_columns._FLAGS, issue 17): any text another program
wrote is read as the row-by-row read reads it, and a value no letter holds sends the window to
that read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cluster_desk.store import assess_columns
from cluster_desk.store.assess_columns import read_arrays
from tests.store.test_assess_after_open import after_open, opened_texts
from tests.store.test_assess_cold_read import WINDOW, roster
from tests.store.test_assess_columns import same_arrays, stored


def rows_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> list[str]:
    """The windows of members read as rows after another program ran ``script`` on the file
    (the arrays checked against a full read)."""
    monkeypatch.setattr(assess_columns, "WINDOW", WINDOW)
    path = stored(tmp_path, *roster({}, {}))
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()
    got, queries = after_open(path, opened_texts(path))
    assert got is not None
    same_arrays(got, read_arrays(path))  # type: ignore[arg-type]
    return [q for q in queries if q.startswith("SELECT sector, industry")]


def test_texts_another_program_wrote_are_read_as_the_rows_read_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rows_read(tmp_path, monkeypatch, "UPDATE members SET industry = 'Core', "
                     "special_territory = 'moon' WHERE id IN ('m1', 'm30');") == []


def test_the_letters_read_back_and_any_other_byte_sends_the_window_to_the_rows() -> None:
    # (a file whose CHECKs fail is refused at its open; "?" is what a value no letter holds gives)
    industry, special, organising = assess_columns._flags(b"ABCDLH", 6)
    assert [industry.tolist(), special.tolist(), organising.tolist()] == [  # type: ignore[union-attr]
        [0, 0, 0, 0, 2, 1], [0, 0, 1, 1, 1, 1], [0, 1, 0, 1, 1, 1]]
    for blob, count in ((b"A?C", 3), (b"AM", 2), (b"@", 1), (b"AB", 3)):
        assert assess_columns._flags(blob, count) == (None, None, None), blob
