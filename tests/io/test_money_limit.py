"""A sum over the store's limit (10^15 roubles: a unit slip) is reported on its row; it used to
pass the importers' parsers and stop the whole import in the store with a ValueError."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cluster_desk.io.links import import_links
from cluster_desk.io.roster import import_into
from cluster_desk.io.values import MAX_ROUBLES, parse_roubles
from cluster_desk.store import rows
from cluster_desk.store.project import Project


def test_the_importers_limit_is_the_stores() -> None:
    assert MAX_ROUBLES == rows.MAX_ROUBLES


@pytest.mark.parametrize("text", ["1e15", "1000000000000000", "1 000 000 млрд"])
def test_the_limit_itself_is_taken(text: str) -> None:
    assert parse_roubles(text) == 1e15


@pytest.mark.parametrize("text", ["1e300", "1.0000001e15", "1000000000000001", "2 000 000 млрд",
                                  "1 000 000 000 000 001,5"])
def test_more_is_a_unit_slip(text: str) -> None:
    with pytest.raises(ValueError, match="more than 10\\^15") as e:
        parse_roubles(text)
    assert getattr(e.value, "code", None) == "too_much_money"


@pytest.mark.parametrize("text", ["inf", "nan", "-1e300"])
def test_not_finite_or_negative_is_still_said_so(text: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_roubles(text)
    assert getattr(e.value, "code", None) != "too_much_money"


def test_a_members_import_goes_on_past_a_slipped_output(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("name,kind,output\nA,firm,1e300\nB,firm,1000\nC,firm,1e15\n", encoding="utf-8")
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, f)
        assert report.added == 3 and not report.problems
        assert [(w.row, w.field) for w in report.warnings] == [(2, "output")]
        assert "m.csv, row 2 (A), field 'output'" in str(report.warnings[0])
        assert {m.name: m.output for m in p.members()} == {"A": None, "B": 1000.0, "C": 1e15}


def test_a_links_import_reports_the_row_and_stores_the_rest(tmp_path: Path) -> None:
    m = tmp_path / "m.csv"
    m.write_text("name,kind\nA,firm\nB,firm\nC,firm\n", encoding="utf-8")
    f = tmp_path / "l.csv"
    f.write_text("source,target,kind,volume\nA,B,supply,1e16\nB,C,supply,5\nA,C,supply,1e15\n",
                 encoding="utf-8")
    with Project.create(tmp_path / "p.cdesk") as p:
        import_into(p, m)
        report = import_links(p, f)
        assert report.added == 2
        assert [(x.row, x.field) for x in report.problems] == [(2, "volume")]
        assert sorted(lk.volume or math.nan for lk in p.links()) == [5.0, 1e15]
