"""The command line, run as users run it: a subprocess of ``python -m cluster_desk``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK_IDS = {"critical_mass", "concentration", "helix", "cluster_org", "focal", "specialisation", "links",
             "registry"}


def run(*args: str | Path, cwd: Path | None = None, lang: str = "en_GB.UTF-8"
        ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang  # `check` speaks the locale's language
    return subprocess.run([sys.executable, "-m", "cluster_desk", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=120, cwd=cwd, env=env)


def assert_one_line_error(p: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "kazan.cdesk"
    p = run("demo", path)
    assert p.returncode == 0, p.stderr
    return path


def test_version_and_help():
    p = run("--version")
    assert p.returncode == 0 and p.stdout.startswith("cluster-desk ")
    p = run("--help")
    assert p.returncode == 0 and "import" in p.stdout and "Exit codes" in p.stdout


def test_demo_refuses_to_overwrite(demo):
    before = demo.read_bytes()
    assert_one_line_error(run("demo", demo), str(demo), "--force")
    assert demo.read_bytes() == before
    p = run("demo", demo, "--force")
    assert p.returncode == 0, p.stderr


def test_check_json(demo):
    p = run("check", demo, "--json")
    assert p.returncode == 0, p.stderr  # a report: 0 even though some checks fail
    checks = json.loads(p.stdout)
    assert isinstance(checks, list) and {c["id"] for c in checks} == CHECK_IDS
    for c in checks:
        assert {"id", "status", "value", "threshold", "message"} <= c.keys()
        assert c["status"] in {"ok", "warning", "failing", "not_applicable"}
    concentration = next(c for c in checks if c["id"] == "concentration")
    outside = concentration["details"]["outside"]
    assert 3 <= len(outside) <= 6 and all(isinstance(n, str) and n for n in outside)
    assert any("Нижегородский" in n for n in outside)


def test_check_table(demo):
    p = run("check", demo)
    assert p.returncode == 0, p.stderr
    assert "Critical mass" in p.stdout and "✗" in p.stdout and "✓" in p.stdout
    assert "Автомобильный кластер Республики Татарстан" in p.stdout


def test_check_speaks_russian_from_the_locale_or_when_asked(demo):
    english = run("check", demo).stdout
    for p in (run("check", demo, lang="ru_RU.UTF-8"), run("check", demo, "--lang", "ru")):
        assert p.returncode == 0, p.stderr
        assert "Критическая масса" in p.stdout and "Critical mass" not in p.stdout
        assert "Порог: 100–150 предприятий" in p.stdout
        assert "ИХХ 0,56" in p.stdout and "HHI 0.56" in english  # decimals follow the language
        assert "Нужно ещё 5 предприятий" in p.stdout  # number agreement: 2 предприятия, 5 предприятий
        assert "с 4 кандидатами, которые были бы учтены" in p.stdout
    assert "Critical mass" in run("check", demo, "--lang", "en", lang="ru_RU.UTF-8").stdout
    assert run("check", demo, "--lang", "de").returncode == 2


def test_check_json_stays_english_for_scripts_unless_asked(demo):
    default = json.loads(run("check", demo, "--json", lang="ru_RU.UTF-8").stdout)
    mass = next(c for c in default if c["id"] == "critical_mass")
    assert list(mass) == ["id", "title", "status", "value", "threshold", "message", "remedy", "source",
                          "settings", "how", "details", "members"]
    assert (mass["title"], mass["threshold"], mass["value"], mass["status"]) == (
        "Critical mass", "100–150 core or related firms within 200 km", 95, "failing")
    assert mass["details"]["short"] == 5 and mass["details"]["mass_min"] == 100
    assert mass["source"].startswith("European practice: 100–150 firms in core and related industries")
    russian = json.loads(run("check", demo, "--json", "--lang", "ru").stdout)
    mass_ru = next(c for c in russian if c["id"] == "critical_mass")
    assert mass_ru["threshold"].startswith("100–150 предприятий")
    assert [c["details"] for c in russian] == [c["details"] for c in default]


def test_centre_and_radius_change_the_outcome(demo):
    def concentration(*extra: str) -> dict:
        p = run("check", demo, "--json", *extra)
        assert p.returncode == 0, p.stderr
        return next(c for c in json.loads(p.stdout) if c["id"] == "concentration")

    base = concentration()
    narrow = concentration("--centre", "55.7963,49.1088", "--radius-km", "60")  # Kazan only
    assert narrow["details"]["outside_count"] > base["details"]["outside_count"] + 50
    assert narrow["status"] == "failing" and base["status"] != "failing"
    wide = concentration("--radius-km", "500")
    assert wide["details"]["outside_count"] == 0 and wide["status"] == "ok"
    # The override is not saved.
    assert concentration()["details"]["outside_count"] == base["details"]["outside_count"]


def test_export_import_round_trip(demo, tmp_path):
    csv_out = tmp_path / "roster.csv"
    p = run("export", demo, csv_out)
    assert p.returncode == 0, p.stderr
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    new = tmp_path / "new.cdesk"
    p = run("import", csv_out, "--into", new)
    assert p.returncode == 0, p.stderr
    assert "Imported 145 members" in p.stdout
    exported_again = tmp_path / "again.csv"
    assert run("export", new, exported_again).returncode == 0
    assert exported_again.read_text(encoding="utf-8-sig") == csv_out.read_text(encoding="utf-8-sig")
    geo = tmp_path / "map.geojson"
    assert run("export", demo, geo).returncode == 0
    assert len(json.loads(geo.read_text(encoding="utf-8"))["features"]) > 145  # members and links


def test_import_decides_every_conflict_when_told(tmp_path):
    """A member's name with another INN is a conflict: left out (exit 3) unless --conflicts says."""
    project = tmp_path / "p.cdesk"
    roster = tmp_path / "roster.csv"
    roster.write_text("Наименование,ИНН\nООО «А»,7707083893\n", encoding="utf-8")
    assert run("import", roster, "--into", project).returncode == 0
    roster.write_text("Наименование,ИНН\nООО «А»,1655000003\n", encoding="utf-8")
    p = run("import", roster, "--into", project)
    assert p.returncode == 3 and "1 conflict (1 left out until decided)" in p.stdout + p.stderr
    p = run("import", roster, "--into", project, "--conflicts", "theirs")
    said = p.stdout + p.stderr
    assert p.returncode == 0 and "0 added, 1 updated" in said and "took the file's values" in said, said
    from cluster_desk.store.project import Project

    with Project.open(project) as opened:
        assert [m.inn for m in opened.members()] == ["1655000003"]


def test_import_with_skipped_rows(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Наименование;Широта;Долгота\nООО «А»;55,8;49,1\nООО «Б»;95,2;49,1\nООО «В»;;\n;1;2\n",
                      encoding="utf-8")
    project = tmp_path / "p.cdesk"
    p = run("import", roster, "--into", project)
    assert p.returncode == 3
    assert "Traceback" not in p.stderr
    assert "Imported 3 members from" in p.stderr and "1 row skipped" in p.stderr
    assert ("warning: roster.csv, row 3 (ООО «Б»), field “Latitude”: “95,2” is outside the range of a "
            "latitude or longitude; imported without a location") in p.stderr
    assert "roster.csv, row 5, field “Name”: “” is empty" in p.stderr
    p = run("check", project, "--json")
    assert p.returncode == 0 and json.loads(p.stdout)
    # The same import in Russian, from the locale or from --lang: every line is Russian.
    again = tmp_path / "ru.cdesk"
    for p in (run("import", roster, "--into", again, "--dry-run", lang="ru_RU.UTF-8"),
              run("import", roster, "--into", again, "--lang", "ru")):
        assert p.returncode == 3 and "Traceback" not in p.stderr
        assert "3 участника из roster.csv" in p.stderr and "пропущена 1 строка" in p.stderr
        assert ("предупреждение: roster.csv, строка 3 (ООО «Б»), поле «Широта»: «95,2» — вне диапазона "
                "широты или долготы; импортирован без местоположения") in p.stderr
        assert "roster.csv, строка 5, поле «Наименование»: «» — пусто" in p.stderr
        assert not [line for line in p.stderr.splitlines() if not _russian(line)], p.stderr
    assert again.exists()  # the dry run wrote nothing; the second run did
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    p = run("import", empty, "--into", tmp_path / "e.cdesk", "--lang", "ru")
    assert_one_line_error(p, "empty.csv: файл пуст")


def _russian(line: str) -> bool:
    return any("а" <= ch <= "я" for ch in line.lower())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_export_merge_and_errors_speak_the_language(demo, tmp_path, lang):
    """import, export and merge print their lines, and a project's errors, in --lang."""
    en = lang == "en"
    out = tmp_path / "roster.csv"
    p = run("export", demo, out, "--lang", lang)
    assert p.returncode == 0, p.stderr
    said = f"Exported 145 members to {out}." if en else f"Выгружено 145 участников в {out}."
    assert p.stdout.strip() == said
    p = run("export", demo, tmp_path / "x.pdf", "--lang", lang)
    assert_one_line_error(p, "x.pdf", "unknown export format" if en else "неизвестный формат выгрузки")
    p = run("export", demo, tmp_path / "absent" / "x.csv", "--lang", lang)
    failed = ("cannot write the export (the folder does not exist)" if en
              else "не удалось записать экспорт (папка не существует)")
    assert_one_line_error(p, str(tmp_path / "absent" / "x.csv"), failed)
    master, copy = tmp_path / "m.cdesk", tmp_path / "c.cdesk"
    assert run("import", out, "--into", master, "--lang", lang).returncode == 0
    assert run("field-copy", master, copy).returncode == 0
    from dataclasses import replace

    from cluster_desk.store.project import Project

    for path, notes in ((copy, "поле"), (master, "офис")):
        with Project.open(path) as project:
            first = project.members()[0]
            project.update_member(replace(first, notes=notes, employees=None))
    name = first.name
    p = run("merge", master, copy, "--lang", lang)
    assert p.returncode == 4
    conflict = (f"member «{name}», Notes: master «офис» / field copy «поле»" if en
                else f"участник «{name}», Примечание: основной проект — «офис» / полевая копия — «поле»")
    assert conflict in p.stderr and ("1 conflict;" if en else "1 конфликт;") in p.stderr
    if not en:
        assert not [line for line in p.stderr.splitlines() if not _russian(line)], p.stderr
    p = run("merge", master, copy, "--take", "theirs", "--lang", lang)
    assert p.returncode == 0, p.stderr
    assert (f"~ {name}: Notes" if en else f"~ {name}: Примечание") in p.stdout
    assert ("1 took the field copy's" if en else "в 1 взято значение полевой копии") in p.stdout
    p = run("merge", master, copy, "--lang", lang)
    assert p.stdout.startswith("Nothing to merge" if en else f"Из {copy} нечего объединять")
    # A store error (ProjectError) in the language of the command.
    junk = tmp_path / "junk.cdesk"
    junk.write_bytes(b"PK\x03\x04" + bytes(200))
    p = run("merge", junk, copy, "--lang", lang)
    assert_one_line_error(p, str(junk), "ZIP archive" if en else "ZIP-архив")


def test_errors_are_one_line(tmp_path):
    assert_one_line_error(run("check", tmp_path / "missing.cdesk"), "missing.cdesk")
    damaged = tmp_path / "damaged.cdesk"
    damaged.write_bytes(bytes(range(256)) * 64)
    before = damaged.read_bytes()
    assert_one_line_error(run("check", damaged), "damaged.cdesk")
    assert damaged.read_bytes() == before  # refused and left untouched
    assert_one_line_error(run("export", damaged, tmp_path / "x.csv"), "damaged.cdesk")
    assert_one_line_error(run("import", tmp_path / "nope.csv", "--into", tmp_path / "p.cdesk"), "nope.csv")
    assert not (tmp_path / "p.cdesk").exists()
    bad_csv = tmp_path / "cols.csv"
    bad_csv.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert_one_line_error(run("import", bad_csv, "--into", tmp_path / "p.cdesk"), "cols.csv", "name")
    assert not (tmp_path / "p.cdesk").exists()  # nothing to import: no project created
    assert_one_line_error(run("check", damaged, "--centre", "nonsense"), "--centre")
    assert_one_line_error(run("frobnicate", "x"), "frobnicate")
    assert_one_line_error(run("import", bad_csv), "--into")
    assert_one_line_error(run(tmp_path / "absent.cdesk"), "absent.cdesk")


def test_plan_ranks_candidates_and_check_as_if_counts_them(demo):
    ranked = json.loads(run("plan", demo, "--json").stdout)
    keys = {"id", "name", "counts", "gaps", "helix_ties", "distance_km"}
    assert ranked and all(keys <= set(g) for g in ranked)
    counting = [g for g in ranked if g["counts"]]
    assert counting and ranked[: len(counting)] == counting  # what counts comes first
    today = json.loads(run("check", demo, "--json").stdout)[0]["value"]
    ids = ",".join(g["id"] for g in counting)
    as_if = json.loads(run("check", demo, "--json", "--as-if", ids).stdout)[0]["value"]
    assert as_if == today + len(counting)
    text = run("plan", demo, "--lang", "ru").stdout
    assert "учитывается в критической массе" in text
    bad = run("check", demo, "--as-if", "no-such-id")
    assert bad.returncode == 1 and "no-such-id" in bad.stderr


def test_drafts_count_only_as_if_and_are_ranked_as_drafts(demo, tmp_path):
    """Issue 13: a member marked draft leaves the assessment; `plan` ranks it (draft: true) and
    `check --as-if` counts it again; a member cannot be an "as if"."""
    import shutil
    from dataclasses import replace

    from cluster_desk.core.model import Status
    from cluster_desk.store.project import Project

    path = tmp_path / "drafts.cdesk"
    shutil.copy(demo, path)
    today = json.loads(run("check", path, "--json").stdout)[0]
    not_counted = set(today["members"])  # unclassified, outside the circle, unlocated
    with Project.open(path) as project:
        firm = next(m for m in project.members() if m.status is Status.MEMBER and m.kind == "firm"
                    and m.industry and m.name not in not_counted and m.inn)
        project.update_member(replace(firm, status=Status.DRAFT))
        member = next(m for m in project.members() if m.status is Status.MEMBER)
    mass = json.loads(run("check", path, "--json").stdout)[0]
    ranked = {g["id"]: g for g in json.loads(run("plan", path, "--json").stdout)}
    as_if = json.loads(run("check", path, "--json", "--as-if", firm.inn).stdout)[0]
    assert mass["value"] == today["value"] - 1 and as_if["value"] == today["value"]
    assert ranked[firm.id]["counts"]
    assert ranked[firm.id]["draft"] is True and not any(g["draft"] for i, g in ranked.items() if i != firm.id)
    bad = run("check", path, "--as-if", member.id)
    assert_one_line_error(bad, "not a candidate or draft", member.name)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_demo_snapshot_and_field_copy_speak_the_language(tmp_path, lang):
    """demo, snapshot and field-copy say what they wrote in --lang (and their refusals too)."""
    en = lang == "en"
    project = tmp_path / "demo.cdesk"
    p = run("demo", project, "--lang", lang)
    assert p.returncode == 0, p.stderr
    line = p.stdout.strip()
    assert str(project) in line  # (the demo cluster's name is Russian in both)
    assert line.startswith("Wrote the demo cluster" if en else "Демонстрационный кластер")
    assert_one_line_error(run("demo", project, "--lang", lang), str(project),
                          "already exists" if en else "уже существует")
    # (a day as either language writes it; said back as the language writes it)
    p = run("snapshot", project, "--as-of", "2025-12-31" if en else "31.12.2025", "--lang", lang)
    assert p.returncode == 0, p.stderr
    said = (f"Froze the assessment as of 2025-12-31 into {project}" if en
            else f"Оценка на 31.12.2025 зафиксирована в {project}")
    assert p.stdout.strip().startswith(said), p.stdout
    copy = tmp_path / "field.cdesk"
    p = run("field-copy", project, copy, "--lang", lang)
    assert p.returncode == 0 and copy.exists(), p.stderr
    said = f"Wrote the field copy {copy}" if en else f"Полевая копия записана в {copy}"
    assert p.stdout.strip().startswith(said)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("no member with id or INN", "unknown passport format", "no such project file")),
    ("ru", ("нет участника с идентификатором или ИНН", "неизвестный формат паспорта",
            "нет такого файла проекта")),
])
def test_refusals_speak_the_language(demo: Path, tmp_path: Path, lang: str, words: tuple[str, ...]) -> None:
    locale = "ru_RU.UTF-8" if lang == "ru" else "en_GB.UTF-8"
    unknown = run("check", demo, "--lang", lang, "--as-if", "no-such-id")
    fmt = run("report", demo, tmp_path / "passport.docx", "--lang", lang)
    missing = run(tmp_path / "nowhere.cdesk", lang=locale)
    for p, said in zip((unknown, fmt, missing), words, strict=True):
        assert p.returncode == 1 and said in p.stderr, p.stderr
    assert "no-such-id" in unknown.stderr and "«.docx»" in fmt.stderr and "nowhere.cdesk" in missing.stderr
