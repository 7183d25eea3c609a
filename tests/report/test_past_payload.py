"""The as-of view's members coming back on a step are built from the arrays' columns
(ui.timeline.past_map.day_payload): the same rows the map gets from the records one by one."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6")

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.messages import payload_row
from cluster_desk.ui.timeline.past_map import day_payload


def test_day_payload_is_the_payload_row_of_each_record_restyled_as_members() -> None:
    members = [Member(name=f"«{k}» {s}", kind=k, status=s, lat=55.0 + i / 100, lon=49.0 - i / 50)
               for i, (k, s) in enumerate(itertools.product(MemberKind, Status))]
    members += [Member(name="unplaced", lat=None, lon=None), Member(name="no lon", lat=55.0, lon=None),
                Member(name="past the antimeridian", lat=55.0, lon=200.0)]
    a = Arrays(members, [])
    restyled = np.zeros(len(members), dtype=bool)
    restyled[::3] = True
    rows = np.arange(len(members))[::-1]  # any order, kept
    then = [dataclasses.replace(m, status=Status.MEMBER) if restyled[i] else m for i, m in enumerate(members)]
    expected = [payload_row(then[i]) for i in rows.tolist()]
    assert day_payload(a, rows, restyled) == [row for row in expected if row is not None]
    assert len(day_payload(a, rows, restyled)) == len(members) - 3


def test_day_payload_of_arrays_read_from_a_file_takes_the_names_column(tmp_path: Any) -> None:
    """Arrays read from the file (rows over columns; a big file's names a TextColumn): the names
    taken from the column at once are the records' names, row for row."""
    from cluster_desk.core.checks.roster_rows import MemberRows
    from cluster_desk.core.demo import demo_cluster
    from cluster_desk.core.text_column import TextColumn
    from cluster_desk.store.assess_columns import read_for_assessment
    from cluster_desk.store.project import Project

    members, links, settings = demo_cluster(seed=3)
    path = tmp_path / "demo.cdesk"
    with Project.create(path, name="Demo") as p:
        p.set_settings(settings)
        p.add_members(members)
        p.add_links(links)
    with Project.open(path) as p:
        records = {m.id: m for m in p.members()}
    a = read_for_assessment(path, None)[0]
    assert isinstance(a.members, MemberRows)
    restyled = np.zeros(len(a.ids), dtype=bool)
    restyled[::4] = True
    rows = np.arange(len(a.ids))[::-1]
    then = [dataclasses.replace(records[i], status=Status.MEMBER) if restyled[r] else records[i]
            for r, i in enumerate(a.ids.tolist())]
    expected = [row for row in (payload_row(then[r]) for r in rows.tolist()) if row is not None]
    assert day_payload(a, rows, restyled) == expected  # (a small file's names: a list)
    a.names = TextColumn.of(list(a.names))  # as a big file's are read
    assert isinstance(a.names, TextColumn) and day_payload(a, rows, restyled) == expected
