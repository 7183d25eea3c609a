"""The batch reader of link tables (io/linkbatch.py) takes only rows it reads exactly as the careful
per-row reader (``parse_link_row``) does: the same links, problems and warnings, in the same order,
on messy rows, and the same project afterwards."""

from __future__ import annotations

import dataclasses
import random

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io.linkbatch import _BAD, LinkBatchReader
from cluster_desk.io.links import LinkRows, import_link_rows
from cluster_desk.io.values import parse_roubles
from cluster_desk.store.project import Project

HEADER = ["Поставщик", "ИНН поставщика", "Покупатель", "ИНН покупателя", "Вид связи", "Дата начала",
          "Дата окончания", "Объём, руб.", "Доля", "Договор", "Примечание", "Идентификатор связи",
          "Идентификатор участника 1", "Идентификатор участника 2"]

MEMBERS = [
    Member("ООО «Кама»", inn="7707083893", id="m-kama"),
    Member("АО «Волга»", inn="1655000001", id="m-volga"),
    Member("Двойник", id="m-twin-1"),
    Member("двойник", id="m-twin-2"),  # the same name key: ambiguous by name
    Member("ПАО «Ока»", inn="500100732259", id="m-oka"),
    Member("ООО «Дон»", inn="1655000002", id="m-don"),
    Member("ООО «Дон-2»", inn="1655000002", id="m-don2"),  # the same INN: ambiguous by INN
]

CELLS = [
    ["ООО «Кама»", "АО «Волга»", "ПАО «Ока»", "", "Двойник", "ООО «Нет такого»", "  ", "'=Кама",
     "ООО «Дон»"],
    ["7707083893", "", "", "1655000001", "123", "1655000002", "н/д"],
    ["АО «Волга»", "ПАО «Ока»", "ООО «Кама»", "", "Двойник", "АО   волга", "m-oka", "ООО «Дон-2»"],
    ["", "1655000001", "", "500100732259", "1655000002"],
    ["поставка промышленной продукции", "", "СПИК", "н/д", "spaceship", "другое"],
    ["2020-01-01", "", "01.09.2016", "2020-02-30", "soon", "2019/3/4", "н/д"],
    ["", "2024-01-01", "2010-01-01", "never", "н/д"],
    ["", "1000", "1 250 000,50", "1,25 млн", "-5", "н/д", "lots", "inf"],
    ["", "", "0,5", "50%", "2", "н/д", "half"],
    ["", "№ 1", "'=SUM(A1)", "  № 2  "],
    ["", "примечание", "'-x"],
    ["", "", "link-1", "link-1", "  "],
    ["", "m-kama", "m-gone", "  m-volga "],
    ["", "m-oka", "m-kama", "m-nope"],
]


def _rows(n: int, seed: int, messy: float = 0.15) -> list[tuple[int, list[str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        # Mostly plain cells (the first two of each list), so both readers get many rows.
        row = [rng.choice(c[:2] if rng.random() >= messy else c) for c in CELLS]
        if not messy:  # every volume a plain number: the batch's all-numbers path
            row[7] = f"{rng.uniform(0, 1e9):.{rng.randrange(4)}f}"
        if rng.random() < messy / 5:
            row = row[: rng.randrange(len(row))]  # a short line
        if rng.random() < messy / 7:
            row = [""] * len(row)  # an empty line: skipped
        out.append((i + 2, row))
    return out


def _columns() -> dict[int, str]:
    from cluster_desk.io.link_words import link_field_of_header

    return {i: f for i, h in enumerate(HEADER) if (f := link_field_of_header(h))}


def _import(path, rows, *, batched: bool):
    columns = _columns()
    assert len(set(columns.values())) == len(HEADER), columns
    table = LinkRows(columns, iter(rows))
    source = table if batched else iter(table)  # a plain iterator of cells: the careful reader only
    with Project.open(path) as p:
        report = import_link_rows(p, source, "f.csv", default_kind=LinkKind.SUPPLY)
        links = [dataclasses.replace(lk, id=lk.id if lk.id.startswith("link") else "") for lk in p.links()]
    return links, report.problems, report.warnings, (report.added, report.updated, report.unchanged)


def test_batched_link_reading_equals_careful_reading(tmp_path):
    for seed in range(4):
        rows = _rows(1200, seed, messy=0.15 if seed else 0.0)
        got = {}
        for batched in (True, False):
            path = tmp_path / f"{seed}-{batched}.cdesk"
            with Project.create(path) as p:
                p.add_members(MEMBERS)
                p.add_link(Link("m-kama", "m-volga", LinkKind.SUPPLY, id="link-1", start="2020-01-01"))
            got[batched] = _import(path, rows, batched=batched)
        assert got[True] == got[False]
        links, problems, warnings, _counts = got[True]
        if not seed:
            assert len(links) > 5 and {v.volume for v in links} - {None}
            continue
        assert len(links) > 5 and len(problems) > 300 and len(warnings) > 100
        codes = {p.code for p in problems}
        assert {"end_unmatched", "end_ambiguous", "unknown_kind", "not_date", "before_start",
                "same_member", "not_share"} <= codes, codes


def test_rows_the_csv_reader_finds_broken_are_reported_in_a_links_csv(tmp_path):
    from cluster_desk.io.links import import_links

    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(MEMBERS)
    links = tmp_path / "links.csv"
    links.write_bytes(
        "Поставщик,Покупатель,Вид связи\n".encode()
        + "ООО «Кама»,АО «Волга»,СПИК\n".encode() * 40  # enough UTF-8 for the file to read as UTF-8
        + "Поставщик,АО,СПИК\n".encode("cp1251")  # one cp1251 row in a UTF-8 file
        + "ПАО «Ока»,ООО «Кама»,СПИК\n".encode()
    )
    with Project.open(path) as p:
        report = import_links(p, links)
        assert report.added == 2 and len(p.links()) == 2
    assert [(x.row, x.code) for x in report.problems] == [(42, "bad_byte")], report.problems


def test_a_links_sheet_formula_with_no_saved_value_is_reported(tmp_path):
    from openpyxl import Workbook

    from cluster_desk.io.links import import_links

    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(MEMBERS)
    wb = Workbook()
    wb.active.title = "Участники"
    wb.active.append(["Наименование"])
    links = wb.create_sheet("Связи")
    links.append(["Поставщик", "Покупатель", "Объём, руб."])
    links.append(["ООО «Кама»", "АО «Волга»", "1000"])
    links.append(["ПАО «Ока»", "ООО «Кама»", "=B2*2"])  # openpyxl saves no value for a formula
    book = tmp_path / "book.xlsx"
    wb.save(book)
    with Project.open(path) as p:
        report = import_links(p, book)
    assert report.added == 1
    assert [(x.row, x.code) for x in report.problems] == [(3, "formula_no_value")], report.problems


def _parsed(cell: str) -> str:
    try:
        return repr(parse_roubles(cell))
    except ValueError:  # (over 10^15: the careful reader reports the row)
        return "bad"


def _said(value: object) -> str:
    return "bad" if value is _BAD else repr(value)


def test_a_batch_of_volumes_is_what_parse_roubles_gives_each_cell():
    # The batch's shortcut (a value already in whole cents is kept as is) against round() itself:
    # cents, more decimals, halves of a cent, sums past 2**53 cents, integers, an empty cell.
    rng = random.Random(3)
    makers = [lambda: repr(round(rng.uniform(0, 1e8), 2)), lambda: repr(rng.uniform(0, 1e6)),
              lambda: str(rng.randrange(10**17)), lambda: f"{rng.uniform(0, 1e3):.3f}",
              lambda: f"{rng.randrange(10**6)}.{rng.randrange(100):02d}5",
              lambda: f"{rng.uniform(0, 1e14):.2f}"]
    for size in (1, 7, 2048):
        for maker in [*([m] for m in makers), makers]:
            cells = [rng.choice(maker)() for _ in range(size)]
            got = LinkBatchReader._volumes(cells)
            assert [_said(v) for v in got] == [_parsed(c) for c in cells]
    assert LinkBatchReader._volumes(["12.5", ""])[1] is None


def test_a_batch_of_text_cells_is_what_the_careful_reader_takes_of_each():
    # Ids of letters and digits only are taken as they are (one check of the joined column); any
    # other column is stripped and our export's formula quote taken off, cell by cell.
    from cluster_desk.io.links import _text

    reader = LinkBatchReader({"id": 0}, None, LinkKind.OTHER, str, ValueError)
    rng = random.Random(5)
    plain = ["a1b2c3", "Ф4", "0", "", "ID7"]
    odd = [" a1", "a1 ", "'=x", "'a", "a-1", "\u00a0b", "a'b", "'", "№ 3"]
    for size in (1, 5, 300):
        for pool in (plain, plain + odd):
            cells = [rng.choice(pool) for _ in range(size)]
            assert reader._texts([[c] for c in cells], "id") == [_text(c) for c in cells], cells
    assert reader._texts([["  "], [""]], "id") == ["", ""]


def test_the_alnum_check_of_a_joined_column_is_str_isalnum():
    # ASCII texts are checked as bytes (io.linkbatch._alnum): the same answer as str.isalnum for
    # every ASCII character alone and beside a letter, and for non-ASCII texts.
    from cluster_desk.io.linkbatch import _alnum

    texts = [chr(c) for c in range(128)] + [f"a{chr(c)}1" for c in range(128)]
    texts += ["", "Ф4", "a\u00a0b", "ab²", "x٣", "№1", "0123456789abcdefABCDEF" * 100]
    for text in texts:
        assert _alnum(text) is text.isalnum(), repr(text)


def test_the_importer_asks_the_stores_member_set_whether_an_id_cell_names_a_member(tmp_path, monkeypatch):
    # A written import looks each end's id cell up in the writer's own set of member ids (the one
    # it checks the new links' ends against), not in a second table of the same ids; the links
    # are the same as with the index's own lookup (a preview).
    import cluster_desk.io.links as links_module
    from cluster_desk.store.link_import import LinkImportWriter

    made: list = []
    sets: list = []
    real_member_set = LinkImportWriter.member_set

    class Recorded(links_module.MemberIndex):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    def member_set(self):
        got = real_member_set(self)
        sets.append(got)
        return got

    monkeypatch.setattr(links_module, "MemberIndex", Recorded)
    monkeypatch.setattr(LinkImportWriter, "member_set", member_set)
    ends = [("m-kama", "m-volga"), ("m-oka", "m-kama"), ("m-volga", "m-oka")] * 40
    rows = [(i + 2, ["", "", "", "", "", f"20{10 + i % 10}-01-{1 + i // 10:02d}", *[""] * 6, a, b])
            for i, (a, b) in enumerate(ends)]
    columns = {5: "start", 12: "source_id", 13: "target_id"}
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(MEMBERS)
        preview = import_link_rows(p, LinkRows(columns, iter(rows)), "f.csv", dry_run=True, sample_size=200)
        assert made[-1].known == made[-1].by_id.__contains__  # a preview: the index's own table
        report = import_link_rows(p, LinkRows(columns, iter(rows)), "f.csv", sample_size=200)
        assert sets and all(s is sets[0] for s in sets) and sets[0] == {m.id for m in MEMBERS}
        assert made[-1].known == sets[0].__contains__
        assert report.added == preview.added == 120 and not report.problems
        assert [(lk.source, lk.target) for lk in p.links()] == [(a, b) for _, (*_, a, b) in rows]
