"""The read after a cold open (issue 17) counts what is often empty cheaply: dates come as
fixed-width blobs (no date written as ten dashes) parsed in numpy as ``day_codes`` parses each
text, a joined date column is not counted too, and where no date column is joined one count of
the REAL and the dates together stands for theirs, until a window holds a value."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cluster_desk.core.checks.roster_rows import NO_DAY_HIGH, NO_DAY_LOW, day_codes
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store import assess_columns
from cluster_desk.store.assess_columns import read_arrays
from tests.store.test_assess_after_open import after_open, opened_texts
from tests.store.test_assess_cold_read import read_after_open
from tests.store.test_assess_columns import same_arrays, stored

_DATE_LIKE = st.one_of(
    st.none(),
    st.sampled_from(["2024-02-29", "2019-13-45", "----------", "2024/02/29", "abcd-ef-gh", "2024-2-29"]),
    st.text(alphabet=st.sampled_from("0123456789-\x1féx "), min_size=8, max_size=12),
)


@given(st.lists(_DATE_LIKE, min_size=1, max_size=12), st.sampled_from([NO_DAY_LOW, NO_DAY_HIGH]))
def test_dates_parsed_in_numpy_are_day_codes_of_each_text(texts: list[str | None], missing: int) -> None:
    blob = "\x1f".join(assess_columns._NO_DATE if t is None else t for t in texts).encode("utf-8")
    got = assess_columns._day_codes(blob, len(texts), missing)
    if got is None:  # (a text that is not ten bytes, or holds the separator: the rows say)
        assert any(t is not None and (len(t.encode()) != 10 or "\x1f" in t) for t in texts)
        return
    assert got.dtype == np.int32
    assert got.tolist() == day_codes(texts, missing).tolist()


def roster() -> tuple[list[Member], list[Link]]:
    """100 members and 200 links with no output, volume or date but: member 80's output and
    member 90's leaving (windows 4 of 4), link 130's volume (window 6 of 8) and link 190's end
    (window 8 of 8)."""
    members = [Member(f"m{i}", MemberKind.FIRM, Status.FORMER if i == 90 else Status.MEMBER, id=f"m{i}",
                      lat=55.0 + i / 100, lon=49.0, output=1e6 / 3 if i == 80 else None,
                      left="2025-03-01" if i == 90 else None) for i in range(100)]
    links = [Link(f"m{j % 100}", f"m{(j * 7 + 1) % 100}", LinkKind.SUPPLY, id=f"l{j}",
                  volume=2.0**49 + 0.5 if j == 130 else None, end="2024-05-01" if j == 190 else None)
             for j in range(200)]
    return members, links


def test_one_count_stands_for_the_empty_columns_until_a_window_holds_a_value(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = read_after_open(tmp_path, monkeypatch, *roster())
    links = [q for q in queries if q.startswith("SELECT count(*)") and " FROM links " in q]
    one = ['count(coalesce(volume, start, "end"))' in q for q in links]
    assert one == [False] + [True] * 7, links  # the first window joins the dates, finds none
    counted = [q for q in queries if q.startswith('SELECT count(volume), count(start), count("end") FROM')]
    assert len(counted) == 2, queries  # the 6th and the 8th window: a value, so each is counted
    members = [q for q in queries if q.startswith("SELECT count(*)") and " FROM members " in q]
    assert ['count(coalesce(output, joined, "left"))' in q for q in members] == [False, True, True, True]
    assert [q for q in queries if q.startswith('SELECT count(output), count(joined), count("left") FROM')]


def test_a_joined_date_column_is_not_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members, links = roster()
    links = [Link(lk.source, lk.target, lk.kind, id=lk.id, start="2020-01-01") for lk in links]
    queries = read_after_open(tmp_path, monkeypatch, members, links)
    windows = [q for q in queries if q.startswith("SELECT count(*)") and " FROM links " in q]
    assert len(windows) == 8
    assert all("group_concat(coalesce(start" in q and "count(start)" not in q for q in windows), windows


def test_a_stored_text_of_ten_dashes_is_no_date_as_the_rows_say(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    members, links = roster()
    monkeypatch.setattr(assess_columns, "WINDOW", 25)
    path = stored(tmp_path, members, links)
    with sqlite3.connect(path) as conn:  # (another program: the store writes ISO dates only)
        conn.execute("UPDATE links SET start = '----------' WHERE id IN ('l3', 'l140')")
        conn.execute("UPDATE members SET joined = '2021-02-03' WHERE id = 'm7'")
    conn.close()
    got, _queries = after_open(path, opened_texts(path))
    assert got is not None
    want = read_arrays(path)
    same_arrays(got, want)  # type: ignore[arg-type]
    assert int(want.start[3]) == NO_DAY_LOW and int(want.joined[7]) == 20210203
