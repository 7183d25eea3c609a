"""Table exports speak the interface language: human headers, kinds and statuses in words, the
id column last; the importer reads either language back to the same members."""

from __future__ import annotations

import csv

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Industry, Member, MemberKind, Status
from cluster_desk.io import ImportOptions, export_roster, import_into, read_roster
from cluster_desk.store.project import Project

HEADERS = {
    "en": ["Name", "Kind", "Status", "Sector"],
    "ru": ["Наименование", "Вид участника", "Статус", "ОКВЭД"],
}
FIRST_ROW = {  # a university, a candidate, core industry
    "en": ["Kazan Federal University", "Education", "Candidate", "85.22", "Core"],
    "ru": ["Kazan Federal University", "Образование", "Кандидат", "85.22", "Основная"],
}


def _sample() -> list[Member]:
    uni = Member("Kazan Federal University", kind=MemberKind.EDUCATION, status=Status.CANDIDATE,
                 sector="85.22", industry=Industry.CORE, employees=8000, lat=55.79, lon=49.12)
    return [uni, *demo_cluster()[0]]


def _rows(path, delimiter=","):
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=delimiter))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_csv_headers_and_values_in_words_id_last(tmp_path, lang):
    members = _sample()
    out = tmp_path / "roster.csv"
    export_roster(members, None, out, lang=lang)
    header, first = _rows(out)[:2]
    assert header[:4] == HEADERS[lang]
    assert header[-1] == ("Id" if lang == "en" else "Идентификатор") and first[-1] == members[0].id
    assert [first[0], first[1], first[2], first[3], first[4]] == FIRST_ROW[lang]
    assert not any(cell in ("firm", "member", "education", "core") for row in _rows(out)[1:] for cell in row)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_xlsx_headers_in_words_numbers_stay_numbers(tmp_path, lang):
    from openpyxl import load_workbook

    members = _sample()
    out = tmp_path / "roster.xlsx"
    export_roster(members, None, out, lang=lang)
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0][:4]) == HEADERS[lang]
    assert list(rows[1][:5]) == FIRST_ROW[lang] and rows[1][5] == 8000 and rows[1][6] == 55.79
    assert rows[1][-1] == members[0].id


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".kml"])
def test_round_trip_in_each_language(tmp_path, lang, suffix):
    members = _sample()
    out = tmp_path / f"roster{suffix}"
    assert export_roster(members, None, out, lang=lang) == len(members)
    result = read_roster(out)
    assert not result.problems, result.problems[:3]
    assert result.members == members


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_reimport_into_a_project_changes_nothing(tmp_path, lang):
    members = _sample()
    with Project.create(tmp_path / "p.cdesk") as project:
        project.add_members(members)
        out = tmp_path / "roster.xlsx"
        export_roster(project.members(), None, out, lang=lang)
        report = import_into(project, out, ImportOptions())
        assert not report.problems and report.added == 0
        assert sorted(project.members(), key=lambda m: m.id) == sorted(members, key=lambda m: m.id)


def test_kml_names_fields_in_the_language(tmp_path):
    out = tmp_path / "roster.kml"
    export_roster(_sample()[:1], None, out, lang="ru")
    text = out.read_text(encoding="utf-8")
    assert '<Data name="kind"><displayName>Вид участника</displayName><value>Образование</value>' in text
