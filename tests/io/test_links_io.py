"""Links import and export (io.links, io.formats.links_formats): real files, real SQLite projects,
LibreOffice-made workbooks and GDAL reading our GeoPackage."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io import export_roster
from cluster_desk.io.links import export_links_csv, import_links
from cluster_desk.io.values import parse_roubles
from cluster_desk.store import Project
from cluster_desk.text import text_for
from cluster_desk.text.import_problems import import_problem_line

ROOT = Path(__file__).resolve().parents[2]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OGRINFO = shutil.which("ogrinfo")


@pytest.fixture(scope="module")
def demo():
    members, links, _ = demo_cluster()
    return members, links


def _project(path: Path, members: list[Member]) -> Project:
    p = Project.create(path)
    p.add_members(members)
    return p


def _cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "cluster_desk", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_roubles_are_read_as_people_write_them():
    assert parse_roubles("1 250 000,50") == 1_250_000.5
    assert parse_roubles("1,25 млн") == 1_250_000.0
    assert parse_roubles("3,5 млрд руб.") == 3.5e9
    assert parse_roubles("12 тыс. руб.") == 12_000.0
    assert parse_roubles("1,250,000.50") == 1_250_000.5
    assert parse_roubles("н/д") is None and parse_roubles("") is None
    for bad in ("-5", "много", "1.2.3"):
        with pytest.raises(ValueError):
            parse_roubles(bad)


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".geojson", ".kml", ".gpkg"])
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_export_and_reimport_every_format(tmp_path, demo, suffix, lang):
    members, links = demo
    out = tmp_path / f"out{suffix}"
    if suffix in (".csv", ".tsv"):
        assert export_links_csv(members, links, out, lang=lang) == len(links)
    else:
        export_roster(members, links, out, lang=lang)
    with _project(tmp_path / "new.cdesk", members) as p:
        report = import_links(p, out)
        assert not report.problems, report.problems[:3]
        assert report.added == len(links)
        assert sorted(p.links(), key=lambda lk: lk.id) == sorted(links, key=lambda lk: lk.id)
        again = import_links(p, out)  # the same file twice changes nothing
        assert (again.added, again.updated, again.unchanged) == (0, 0, len(links))


def test_bad_rows_are_reported_and_the_rest_imported(tmp_path):
    members = [
        Member("ООО «Альфа»", id="a", inn="1650000001"),
        Member("ООО «Бета»", id="b", inn="1650000002"),
        Member("ООО «Гамма»", id="g1", inn="1650000003"),
        Member("ООО «Гамма»", id="g2", inn="1650000004"),  # same name: ambiguous by name
    ]
    rows = [
        "Поставщик;Покупатель;Вид связи;Дата начала;Дата окончания;Объём, руб.;Договор",
        "ООО «Альфа»;1650000002;;01.02.2023;;1 250 000,50;№ 1",  # 2 ok: supply by default, by INN
        "ооо альфа;ООО Бета;совместные НИОКР;2023-01-01;;1,25 млн;",  # 3 ok, name keys
        "ООО «Омега»;ООО «Бета»;поставка;;;;",  # 4 no such member
        "ООО «Гамма»;ООО «Бета»;поставка;;;;",  # 5 two members
        "ООО «Альфа»;a;поставка;;;;",  # 6 self-link (name and id)
        "ООО «Альфа»;ООО «Бета»;дружба;;;;",  # 7 unknown kind
        "ООО «Альфа»;ООО «Бета»;обучение;2024-05-01;2023-05-01;;",  # 8 end before start
        "ООО «Альфа»;ООО «Бета»;финансирование;;;-10;",  # 9 negative
        "ООО «Альфа»;ООО «Бета»;господдержка;;;сто рублей;",  # 10 not a number
        "1650000003;ООО «Бета»;другое;;;н/д;",  # 11 ok: by INN, volume unknown
        "ООО «Альфа»;1650000002;;01.02.2023;;2 000 000;№ 1-бис",  # 12 repeats row 2: updates it
    ]
    src = tmp_path / "связи.csv"
    src.write_text("\n".join(rows) + "\n", encoding="cp1251")
    with _project(tmp_path / "p.cdesk", members) as p:
        report = import_links(p, src)
        problems = {(pr.row, pr.field): str(pr) for pr in report.problems}
        assert set(problems) == {
            (4, "source"),
            (5, "source"),
            (6, "target"),
            (7, "kind"),
            (8, "end"),
            (9, "volume"),
            (10, "volume"),
        }
        assert "связи.csv, row 4, field 'source': 'ООО «Омега»' matches no member" in problems[(4, "source")]
        assert (
            "matches 2 members by name: «ООО «Гамма»» (INN 1650000003); «ООО «Гамма»» (INN 1650000004)"
            in problems[(5, "source")]
        )
        assert "is the same member as the other end" in problems[(6, "target")]
        assert "is before the start" in problems[(8, "end")] and "negative" in problems[(9, "volume")]
        # Every problem and the repeat warning speak Russian through the text renderer.
        found = [*report.problems, *report.warnings]
        ru = [import_problem_line(pr, text_for("ru"), imported=pr in report.warnings) for pr in found]
        assert not [line for pr, line in zip(found, ru, strict=True) if pr.message[:20] in line], ru
        assert "связи.csv, строка 5, поле «source»: «ООО «Гамма»» совпадает с 2 участниками" in ru[1]
        assert report.encoding == "cp1251" and report.added == 3 and len(report.warnings) == 1
        links = {(lk.source, lk.target, lk.kind): lk for lk in p.links()}
        supply = links[("a", "b", LinkKind.SUPPLY)]
        assert (supply.start, supply.volume, supply.contract) == ("2023-02-01", 2_000_000.0, "№ 1-бис")
        assert links[("a", "b", LinkKind.RND)].volume == 1_250_000.0
        assert links[("g1", "b", LinkKind.OTHER)].volume is None
        again = import_links(p, src)
        assert (again.added, again.updated) == (0, 0) and len(p.links()) == 3


def test_cli_reads_a_cp1251_links_csv_by_its_header_and_exports_it(tmp_path, demo):
    members, links = demo
    with _project(tmp_path / "p.cdesk", members):
        pass
    src = tmp_path / "links.csv"
    export_links_csv(members, links[:40], src, lang="ru")
    src.write_bytes(src.read_text(encoding="utf-8-sig").encode("cp1251"))
    done = _cli("import", src, "--into", "p.cdesk", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Imported 40 links from links.csv (40 added" in done.stdout
    done = _cli("export", "p.cdesk", "out.csv", "--links", cwd=tmp_path)
    assert done.returncode == 0 and "Exported 40 links" in done.stdout
    header = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Member 1 (supplier),INN 1,Member 2 (buyer),INN 2,Kind of link,Start,End")


@pytest.mark.skipif(OGRINFO is None, reason="GDAL (ogrinfo) is not installed: run scripts/system-deps.sh")
def test_gdal_reads_the_line_layer(tmp_path, demo):
    members, links = demo
    out = tmp_path / "cluster.gpkg"
    export_roster(members, links, out)
    info = subprocess.run([OGRINFO, "-so", str(out), "links"], capture_output=True, text=True, timeout=120)
    assert info.returncode == 0, info.stderr
    assert "Geometry: Line String" in info.stdout and f"Feature Count: {len(links)}" in info.stdout
    listing = subprocess.run([OGRINFO, "-q", str(out)], capture_output=True, text=True, timeout=120).stdout
    assert "members (Point)" in listing and "links (Line String)" in listing


_FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body></office:document>"""


def _sheet(name: str, rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in r)}</table:table-row>" for r in rows)
    return f'<table:table table:name="{name}">{body}</table:table>'


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: run scripts/system-deps.sh"
)
def test_russian_two_sheet_workbook_made_by_libreoffice(tmp_path):
    members = [
        [
            "Наименование",
            "ИНН",
            "Вид участника",
            "Объём производства, руб.",
            "Особая территория",
            "Организует производство",
        ],
        ["ООО «Камапласт»", "1650000011", "Фирма", "120 000 000", "да", "нет"],
        ["ООО «Челны-Пресс»", "1650000012", "Фирма", "1,5 млрд", "нет", "нет"],
        ["КФУ", "1655018018", "Образование", "", "", ""],
        ["ООО «Новое производство»", "1650000013", "Фирма", "н/д", "нет", "да"],
    ]
    links = [
        ["Поставщик", "Покупатель", "Вид связи", "Дата начала", "Дата окончания", "Сумма договора"],
        [
            "ООО «Камапласт»",
            "ООО «Челны-Пресс»",
            "Поставка промышленной продукции",
            "01.03.2022",
            "",
            "25 000 000",
        ],
        ["КФУ", "ООО «Челны-Пресс»", "Обучение, стажировки", "01.09.2021", "30.06.2024", "н/д"],
        ["ООО «Камапласт»", "ООО «Нет такого»", "Поставка", "", "", ""],
    ]
    fods = tmp_path / "кластер.fods"
    fods.write_text(
        _FODS.format(sheets=_sheet("Участники", members) + _sheet("Связи", links)), encoding="utf-8"
    )
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(fods),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    book = tmp_path / "lo" / "кластер.xlsx"
    done = _cli("import", book, "--into", "new.cdesk", cwd=tmp_path)
    assert "Imported 4 members" in done.stdout, done.stdout + done.stderr
    assert "Imported 2 links from кластер.xlsx (2 added" in done.stderr  # with one problem: to stderr
    assert "row 4, field “Member 2 (buyer)”: “ООО «Нет такого»” matches no member" in done.stderr
    with Project.open(tmp_path / "new.cdesk") as p:
        by_name = {m.name: m for m in p.members()}
        assert by_name["ООО «Камапласт»"].output == 120_000_000.0
        assert by_name["ООО «Челны-Пресс»"].output == 1.5e9
        assert by_name["ООО «Камапласт»"].special_territory.value == "single_industry_town"
        assert by_name["ООО «Новое производство»"].organising_production is True
        kinds = {lk.kind: lk for lk in p.links()}
        assert kinds[LinkKind.SUPPLY].volume == 25_000_000.0 and kinds[LinkKind.SUPPLY].start == "2022-03-01"
        assert kinds[LinkKind.EDUCATION].end == "2024-06-30" and kinds[LinkKind.EDUCATION].volume is None


def test_link_ids_from_the_file_are_kept_and_an_unknown_header_file_is_refused(tmp_path, demo):
    members, _ = demo
    src = tmp_path / "x.csv"
    src.write_text("name,inn\nA,1\n", encoding="utf-8")
    with _project(tmp_path / "p.cdesk", members) as p:
        with pytest.raises(ValueError, match="not a links table"):
            import_links(p, src)
        link = Link(members[0].id, members[1].id, LinkKind.RND, id="keep-me")
        export_links_csv(members, [link], src)
        import_links(p, src)
        assert p.link("keep-me").kind is LinkKind.RND
