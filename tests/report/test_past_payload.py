"""The as-of view's members coming back on a step are built from the arrays' columns
(ui.timeline.past_map.day_payload): the same rows the map gets from the records one by one."""

from __future__ import annotations

import dataclasses
import itertools

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
