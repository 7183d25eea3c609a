"""Issue 10's import rules, on real files: conflicts, re-imports, forgiving fields, headers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.io import ImportOptions, import_into, read_roster
from cluster_desk.io.cells import inn_check_ok
from cluster_desk.io.coords import parse_coordinate
from cluster_desk.io.vocabulary import export_fields, header, value_word
from cluster_desk.store.project import Project
from cluster_desk.text import import_summary, text_for

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
GOOD_INN = "7707083893"  # Sberbank: right check digit
OTHER_INN = "1655000003"


def csv_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_inn_check_digits():
    assert inn_check_ok("7707083893") and inn_check_ok("500100732259")
    assert not inn_check_ok("7707083894") and not inn_check_ok("500100732250")


def test_same_name_other_inn_is_a_conflict_shown_and_decided(tmp_path):
    assert inn_check_ok(OTHER_INN)
    f = csv_file(tmp_path / "r.csv", f"Наименование,ИНН,Широта,Долгота\nООО «Кама»,{OTHER_INN},56.1,50.2\n")
    with Project.create(tmp_path / "p.cdesk") as p:
        mine = Member("ООО Кама", inn=GOOD_INN, lat=55.0, lon=49.0)
        p.add_members([mine])
        preview = import_into(p, f, dry_run=True)
        assert (preview.added, preview.updated) == (0, 0) and len(preview.conflicts) == 1
        conflict = preview.conflicts[0]
        assert (conflict.row, conflict.member_id, conflict.conflict_fields) == (2, mine.id, ("inn",))
        diff = {c.field: (c.old, c.new) for c in conflict.fields}
        assert diff["inn"] == (GOOD_INN, OTHER_INN) and diff["lat"] == (55.0, 56.1)
        assert preview.changes == [conflict]
        assert "1 conflict (1 left out until decided)" in import_summary(preview, text_for("en"))
        # Undecided: nothing changes.
        import_into(p, f)
        assert p.member(mine.id) == mine
        # Keep mine: the INN stays, the rest of the row applies.
        kept = import_into(p, f, ImportOptions(resolutions={2: "mine"}))
        assert p.member(mine.id).inn == GOOD_INN and p.member(mine.id).lat == 56.1
        assert kept.old_records == [mine] and kept.added_ids == []
        # Take theirs.
        import_into(p, f, ImportOptions(resolutions={2: "theirs"}))
        assert p.member(mine.id).inn == OTHER_INN
        # One decision for every conflict a row does not decide itself.
        import_into(p, f, ImportOptions(resolutions={2: "theirs"}, conflicts="mine"))  # (the row's stands)
        assert p.member(mine.id).inn == OTHER_INN
        p.update_member(mine)
        every = import_into(p, f, ImportOptions(conflicts="theirs"))
        assert p.member(mine.id).inn == OTHER_INN and every.conflicts_open == 0
        with pytest.raises(ValueError, match="skip, mine or theirs"):
            import_into(p, f, ImportOptions(conflicts="both"))


def test_preview_lists_every_change_field_by_field_and_undo_data(tmp_path):
    f = csv_file(tmp_path / "r.csv", "name,employees,notes\nАльфа,12,\nБета,,new note\nГамма,5,\n")
    with Project.create(tmp_path / "p.cdesk") as p:
        alfa, beta = Member("Альфа", employees=10), Member("Бета", notes="old")
        p.add_members([alfa, beta])
        preview = import_into(p, f, dry_run=True)
        changes = {(c.op, c.name): {x.field: (x.old, x.new) for x in c.fields} for c in preview.changes}
        assert changes == {("update", "Альфа"): {"employees": (10, 12)},
                           ("update", "Бета"): {"notes": ("old", "new note")},
                           ("add", "Гамма"): {"name": (None, "Гамма"), "kind": (None, MemberKind.FIRM),
                                              "status": (None, Status.MEMBER), "employees": (None, 5)}}
        report = import_into(p, f)
        assert sorted(m.name for m in report.old_records) == ["Альфа", "Бета"]
        assert [p.member(i).name for i in report.added_ids] == ["Гамма"]
        assert report.old_records[0] == alfa


def test_reimport_changes_nothing_despite_case_spaces_quotes_and_latin_lookalikes(tmp_path):
    first = csv_file(tmp_path / "a.csv", "name,employees\nООО «КАМА-Трейд»,10\nАО Тимер Банк,\n")
    # The same names typed differently: Latin K/A/M/T/e/p/a/O/B/H, other quotes, spaces.
    again = csv_file(tmp_path / "b.csv", 'name,employees\n  OOO "KAMA-Tpeйд" ,10\nAO  TИMEP  БAHK,\n')
    with Project.create(tmp_path / "p.cdesk") as p:
        import_into(p, first)
        report = import_into(p, again)
        assert (report.added, report.updated, report.unchanged) == (0, 0, 2)
        again_report = import_into(p, first)
        assert (again_report.added, again_report.unchanged) == (0, 2) and len(p.members()) == 2


def test_name_shared_by_two_members_is_not_added_again(tmp_path):
    f = csv_file(tmp_path / "r.csv", "name\nФилиал\n")
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members([Member("Филиал"), Member("филиал")])
        report = import_into(p, f)
        assert report.added == 0 and report.problems[0].code == "ambiguous_name"
        assert len(p.members()) == 2


def test_unknown_words_in_number_fields_and_bad_coordinates_keep_the_row(tmp_path):
    f = csv_file(tmp_path / "r.csv",
                 "name,employees,lat,lon,joined\nА,н/д,нет,нет,-\nБ,-,55.5,abc,н/д\nВ,нет,,,\n")
    result = read_roster(f)
    assert [m.name for m in result.members] == ["А", "Б", "В"] and not result.problems
    assert all(m.employees is None and not m.located for m in result.members)
    assert [(w.row, w.field, w.code) for w in result.warnings] == [(3, "lon", "coord_unreadable")]


def test_dms_with_spaces():
    assert parse_coordinate("55 38 10 N", "lat") == pytest.approx(55 + 38 / 60 + 10 / 3600)
    assert parse_coordinate("55 38 10.5", "lat") == pytest.approx(55 + 38 / 60 + 10.5 / 3600)
    assert parse_coordinate("N55 38 10", "lat") == pytest.approx(55 + 38 / 60 + 10 / 3600)
    assert parse_coordinate("49 07 20 E", "lon") == pytest.approx(49 + 7 / 60 + 20 / 3600)


def test_swap_warning_names_row_and_member(tmp_path):
    rows = "".join(f"Фирма {i},55.{70 + i},49.{10 + i}\n" for i in range(8))
    f = csv_file(tmp_path / "r.csv", "name,lat,lon\n" + rows + "Перепутанная,49.12,55.78\n")
    result = read_roster(f)
    w = next(w for w in result.warnings if w.swap_offered)
    assert (w.row, w.member) == (10, "Перепутанная")
    assert str(w).startswith("r.csv, row 10 (Перепутанная), field 'lat'")


def test_short_line_reported_with_its_row(tmp_path):
    f = csv_file(tmp_path / "r.csv", "name,kind,employees,notes\nА,firm,5,x\nБ,firm\nВ,firm,7,y\n")
    result = read_roster(f)
    assert [m.name for m in result.members] == ["А", "Б", "В"]
    assert [(w.row, w.code) for w in result.warnings] == [(3, "short_row")]
    assert "has 2 fields but the header has 4" in str(result.warnings[0])


def test_wrong_inn_check_digit_is_flagged_not_dropped(tmp_path):
    f = csv_file(tmp_path / "r.csv", "name,inn\nА,7707083894\nБ,7707083893\n")
    result = read_roster(f)
    assert [m.inn for m in result.members] == ["7707083894", "7707083893"]
    assert [(w.row, w.field, w.code) for w in result.warnings] == [(2, "inn", "inn_check_digit")]


RUSSIAN_ROSTER = [
    ["Название организации", "Вид", "Статус участия", "Численность работников", "ИНН", "Телефон"],
    ["КФУ", "Вуз", "Участник", 5000, GOOD_INN, "+7"],
    ["Минпромторг РТ", "Министерство", "Кандидат", "н/д", "", ""],
    ["Татнефть-банк", "Банк", "Бывший участник", 300, "", ""],
    ["НИИ Химии", "НИИ", "", "", "", ""],
    ["Технопарк Идея", "Технопарк", "", "", "", ""],
    ["УК кластера", "Кластерная организация", "", "", "", ""],
]


def _check_russian(result) -> None:
    assert result.columns == {"Название организации": "name", "Вид": "kind", "Статус участия": "status",
                              "Численность работников": "employees", "ИНН": "inn"}
    assert result.ignored_columns == ["Телефон"]
    kinds = [m.kind for m in result.members]
    assert kinds == [MemberKind.EDUCATION, MemberKind.AUTHORITY, MemberKind.FINANCE, MemberKind.RESEARCH,
                     MemberKind.INFRASTRUCTURE, MemberKind.CLUSTER_ORG]
    assert [m.status for m in result.members[:3]] == [Status.MEMBER, Status.CANDIDATE, Status.FORMER]
    assert not result.problems


def test_russian_headers_and_kinds_from_openpyxl_xlsx_and_cp1251_csv(tmp_path):
    _check_russian(read_roster(xlsx_file(tmp_path / "r.xlsx", RUSSIAN_ROSTER)))
    text = "\n".join(";".join(str(c) for c in row) for row in RUSSIAN_ROSTER) + "\n"
    f = csv_file(tmp_path / "r.csv", text, "cp1251")
    assert f.read_bytes().count(b"\xc2\xf3\xe7") == 1  # "Вуз" in real cp1251 bytes
    result = read_roster(f)
    assert result.encoding == "cp1251"
    _check_russian(result)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed: run scripts/system-deps.sh")
def test_russian_headers_from_a_libreoffice_xlsx(tmp_path):
    src = csv_file(tmp_path / "ru.csv", "\n".join(",".join(str(c) for c in row) for row in RUSSIAN_ROSTER))
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--infilter=CSV:44,34,76,1,5/2", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                    str(src)], check=True, capture_output=True, timeout=180, cwd=tmp_path,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    _check_russian(read_roster(tmp_path / "lo" / "ru.xlsx"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_human_headers_and_value_words_read_back(tmp_path, lang):
    m = Member("ООО Кама", kind=MemberKind.RESEARCH, status=Status.CANDIDATE, employees=12, lat=55.5,
               lon=49.1, inn=GOOD_INN, joined="2020-01-31")
    fields = export_fields(size_class=True)
    rows = [[header(f, lang) for f in fields],
            [value_word(f, getattr(m, f) if f != "size_class" else m.size_class, lang) for f in fields]]
    back = read_roster(xlsx_file(tmp_path / "h.xlsx", rows))
    assert back.members == [m] and not back.problems and not back.warnings
    assert back.ignored_columns == [header("size_class", lang)]


@pytest.mark.skipif(not hasattr(Project, "backup"), reason="Project.backup comes with the store branch")
def test_a_copy_is_kept_before_an_import_writes(tmp_path):
    f = csv_file(tmp_path / "r.csv", "name\nАльфа\n")
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, f)
        assert report.backup and Path(report.backup).is_file()
        assert len(p.backups()) == 1
        assert import_into(p, f).backup == ""  # nothing changed: no copy
        assert len(p.backups()) == 1
