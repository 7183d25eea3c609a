"""Import and export of links (issue 12): rows of cells -> matched, checked links -> one transaction.

Every reader (CSV/TSV, the «Связи» sheet of an XLSX, GeoJSON LineStrings, a GeoPackage links
table, KML LineStrings) yields ``(row number, {link field: cell text})``; ``import_link_rows``
does the rest the same way for all of them:

- ends are matched by member id, then INN, then normalised name (``io.names.name_key``, as member
  duplicates are found); an end that matches nothing or two members is reported, naming them;
- a bad row (self-link, unknown kind, end before start, negative or non-numeric volume) is
  reported with file, row and field and skipped; the rest are written in one transaction;
- a row with the same ends, kind and start as a stored link (or as an earlier row) updates it
  instead of adding a second one, so importing the same file twice changes nothing.
Why ~570 lines: link rows -> matched, validated links, with every bad-row rule of issue 12 (ends
by id/INN/name, kinds, dates, volumes) in one place; the batch reader of plain rows is
io/linkbatch.py, the streamed write io/linkstream.py, a preview's plan io/linkplan.py. The export
part (~60 lines) is the next to move out.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.days import iso_day
from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io.errors import ImportFileError, ImportProblem
from cluster_desk.io.link_words import (
    EXPORT_LINK_FIELDS,
    accepted_kinds,
    header,
    is_links_table,
    kind_word,
    link_field_of_header,
    link_kind_of,
)
from cluster_desk.io.linkahead import read_ahead_rows
from cluster_desk.io.linkbatch import BATCH_ROWS, LinkBatchReader
from cluster_desk.io.linkplan import plan_link_rows
from cluster_desk.io.linkstream import Parsed, PlainBatch, stream_link_batches
from cluster_desk.io.names import name_key
from cluster_desk.io.values import is_unknown, parse_roubles

__all__ = [
    "LinkImportReport",
    "LinkRows",
    "export_links_csv",
    "import_link_rows",
    "import_links",
    "link_cells_table",
    "links_table_rows",
]

Cells = dict[str, str]
#: Why an end names no single member: (message completing "'<cell>' ...", code, params).
Miss = tuple[str, str, dict[str, Any]]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class LinkImportReport:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # file header -> link field
    encoding: str = ""
    #: links added or updated (a written import lists at most io.linkstream.CHANGED_IDS_LIMIT)
    changed_ids: list[str] = field(default_factory=list)
    sheet: str = ""  # an XLSX: the links sheet's name
    sample: list[Link] = field(default_factory=list)  # the first links as they will be stored
    names: dict[str, str] = field(default_factory=dict)  # member id -> name, for the sample's ends
    rows_read: int = 0
    partial: bool = False  # a preview of the first rows only (``max_rows``)
    #: members the ends were matched against (0: the project has none yet, so no row can match)
    members_known: int = 0

    @property
    def rows_skipped(self) -> int:
        return len({p.row for p in self.problems})

    def summary(self) -> str:
        text = (
            f"Imported {self.added + self.updated + self.unchanged} links from {self.file} "
            f"({self.added} added, {self.updated} updated, {self.unchanged} unchanged)"
        )
        if self.problems:
            text += f"; {self.rows_skipped} rows skipped"
        return text + "."


class _Bad(ValueError):
    pass


def _date(text: str) -> str:
    if not text.strip():
        raise _Bad("is empty")
    day = iso_day(text)
    if day is None:
        raise _Bad("is not a date (use YYYY-MM-DD or DD.MM.YYYY)")
    return day


def _text(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]  # undo our own export's formula neutralising
    return value


# --- matching ends --------------------------------------------------------------------------------


class MemberIndex:
    """Member lookup by id, INN and name key; ambiguous keys remember every member they match.

    Built from ``members``, or from the members' ``ids`` alone with ``details`` to read the
    records (id, name, INN) at their first need: a file of our own export names every end by id,
    and then only the ids are read (at 100,000 members ~0.25 s less than building every record).
    """

    def __init__(self, members: Iterable[Member] = (), *, ids: Iterable[str] = (),
                 details: Callable[[], Iterable[Member]] | None = None,
                 known: Callable[[str], bool] | None = None) -> None:
        #: id -> the member, or None until ``details`` is read
        self.by_id: dict[str, Member | None] = dict.fromkeys(ids)
        self.by_id.update((m.id, m) for m in members)
        #: Whether a text is a member's id exactly (``by_id``'s, or a store's set of the same ids:
        #: see ``LinkImportWriter.member_set``). A no only sends the cell to ``resolve``.
        self.known: Callable[[str], bool] = self.by_id.__contains__ if known is None else known
        self._details = details
        self._by_inn: dict[str, list[Member]] | None = None
        self._by_name: dict[str, list[Member]] | None = None

    def member(self, member_id: str) -> Member:
        """The member with this id (KeyError if none)."""
        found = self.by_id[member_id]
        if found is None:
            self._read_details()
            found = self.by_id[member_id]
            assert found is not None
        return found

    def _read_details(self) -> None:
        if self._details is not None:
            details, self._details = self._details, None
            by_id = self.by_id
            for m in details():
                if m.id in by_id and by_id[m.id] is None:
                    by_id[m.id] = m

    def _members(self) -> Iterable[Member]:
        self._read_details()
        return (m for m in self.by_id.values() if m is not None)

    @property
    def by_inn(self) -> dict[str, list[Member]]:
        """Members by INN, built at the first end not given by a member id (a file of our own
        export names every end by id and never needs it)."""
        if self._by_inn is None:
            self._by_inn = {}
            for m in self._members():
                if m.inn:
                    self._by_inn.setdefault(m.inn, []).append(m)
        return self._by_inn

    @property
    def by_name(self) -> dict[str, list[Member]]:
        """Members by name key, built at the first end given by name (a file with ids or INNs
        never needs it: ~0.5 s of name keys at 100,000 members)."""
        if self._by_name is None:
            self._by_name = {}
            for m in self._members():
                self._by_name.setdefault(name_key(m.name), []).append(m)
        return self._by_name

    def resolve(self, cell: str, inn: str = "", member_id: str = "") -> Member | Miss:
        """The member an end names, or why not: (a message completing "'<cell>' ...", its code
        and params for the text renderer)."""
        if member_id:
            member_id = member_id.strip()
            if member_id in self.by_id:
                return self.member(member_id)
        inn = inn.strip().replace(" ", "")
        if inn:
            hits = self.by_inn.get(inn, [])
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                return self._two(hits, inn)
        text = _text(cell)
        if not text:
            return "is empty; give the member's name, INN or id", "end_empty", {}
        if text in self.by_id:
            return self.member(text)
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) in (10, 12):
            hits = self.by_inn.get(digits, [])
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                return self._two(hits, digits)
        hits = self.by_name.get(name_key(text), [])
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return self._two(hits, "")
        return "matches no member (by id, INN or name)", "end_unmatched", {}

    @staticmethod
    def _two(hits: list[Member], inn: str) -> Miss:
        """Several members answer to the name (``inn`` ""), or to the INN ``inn``."""
        names = "; ".join(f"«{m.name}»" + (f" (INN {m.inn})" if m.inn else "") for m in hits[:3])
        more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
        by = f"INN {inn}" if inn else "name"
        return (f"matches {len(hits)} members by {by}: {names}{more}; give the INN or id", "end_ambiguous",
                {"count": len(hits), "inn": inn, "names": names, "more": max(0, len(hits) - 3)})


# --- one row ------------------------------------------------------------------------------------


def parse_link_row(
    cells: Cells, members: MemberIndex, *, default_kind: LinkKind
) -> tuple[Link | None, list[tuple[str, str, str, str, dict[str, Any]]]]:
    """A link from its cells, or the problems (field, value, message, code, params)."""
    problems: list[tuple[str, str, str, str, dict[str, Any]]] = []
    ends: list[Member] = []
    for end in ("source", "target"):
        got = members.resolve(cells.get(end, ""), cells.get(f"{end}_inn", ""), cells.get(f"{end}_id", ""))
        if isinstance(got, tuple):
            shown = cells.get(end) or cells.get(f"{end}_inn") or cells.get(f"{end}_id") or ""
            problems.append((end, shown, *got))
        else:
            ends.append(got)
    raw_kind = cells.get("kind", "")
    kind = default_kind
    if raw_kind:
        found = link_kind_of(raw_kind)
        if found is not None:
            kind = found
        elif raw_kind.strip() and not is_unknown(raw_kind):
            accepted = accepted_kinds()
            problems.append(("kind", raw_kind.strip(), f"is not a known kind of link ({accepted})",
                             "unknown_kind", {"accepted": accepted}))
    values: dict[str, Any] = {}
    for fld in ("start", "end"):
        raw = cells.get(fld, "")
        if raw:
            try:
                values[fld] = _date(raw)
            except _Bad as e:
                if raw.strip() and not is_unknown(raw):
                    problems.append((fld, raw.strip(), str(e), "not_date", {}))
    if values.get("start") and values.get("end") and values["end"] < values["start"]:
        start = cells["start"].strip()
        problems.append(("end", cells["end"], f"is before the start ({start})", "before_start",
                         {"start": start}))
    raw = cells.get("volume", "")
    try:
        values["volume"] = parse_roubles(raw)
    except ValueError as e:  # values.MoneyError names why
        problems.append(("volume", raw.strip(), str(e), getattr(e, "code", "not_roubles"), {}))
    raw = cells.get("share", "").strip()
    if raw and not is_unknown(raw):
        try:
            share = float(raw.replace(",", ".").rstrip("%")) / (100.0 if raw.endswith("%") else 1.0)
            if not 0.0 <= share <= 1.0:
                raise ValueError
            values["share"] = share
        except ValueError:
            problems.append(("share", raw, "is not a share between 0 and 1", "not_share", {}))
    if len(ends) == 2 and ends[0].id == ends[1].id:
        name = ends[0].name
        problems.append(("target", cells.get("target", ""), f"is the same member as the other end («{name}»)",
                         "same_member", {"name": name}))
    if problems:
        return None, problems
    link_id = _text(cells.get("id", ""))
    return Link(
        ends[0].id, ends[1].id, kind, **({"id": link_id} if link_id else {}),
        start=values.get("start"), end=values.get("end"), volume=values.get("volume"),
        share=values.get("share"), contract=_text(cells.get("contract", "")),
        notes=_text(cells.get("notes", "")),
    ), []  # fmt: skip


# --- the import ---------------------------------------------------------------------------------


def import_link_rows(
    project: Any,
    rows: Iterable[tuple[int, Cells]],
    file_name: str,
    *,
    unit: str = "row",
    default_kind: LinkKind = LinkKind.OTHER,
    dry_run: bool = False,
    report: LinkImportReport | None = None,
    extra_members: Iterable[Member] = (),
    max_rows: int | None = None,
    sample_size: int = 0,
    progress: Callable[[int], None] | None = None,
) -> LinkImportReport:
    """Match, check and write link rows into ``project`` (a store Project) in one transaction.

    A preview (``dry_run``) may match ends also against ``extra_members`` (the members the same
    file is about to add) and read only the first ``max_rows`` rows. ``progress`` is called with
    the rows read after each batch; an exception from it (``ImportCancelled``) rolls back.
    """
    if max_rows is not None and not dry_run:
        raise ValueError("max_rows is for previews (dry_run=True)")
    report = report or LinkImportReport(file_name)
    extra = list(extra_members)
    # (a preview reads one row more than it shows, to tell it is partial: not a whole batch)
    size = BATCH_ROWS if max_rows is None else min(BATCH_ROWS, max_rows + 1)

    def batches_of(ids: Iterable[str], known: Callable[[str], bool] | None = None,
                   ) -> tuple[MemberIndex, Iterator[list[Parsed] | PlainBatch]]:
        # The members' ids; their names and INNs (no Member records built) only if an end needs them.
        index = MemberIndex(extra, ids=ids, details=project.link_end_keys, known=known)
        report.members_known = len(index.by_id)
        batches = _parsed(rows, index, default_kind, size)
        return index, batches if progress is None else _ticking(batches, report, progress)

    if not dry_run:  # streamed into the store a batch at a time, in one transaction: the file is never held
        with project.link_import() as writer:
            # The ids as the transaction sees them, read once: the writer checks the ends against them too.
            # An id cell is looked up in the writer's set, which then checks the same end again.
            index, batches = batches_of(writer.member_ids(), writer.member_set().__contains__)
            stream_link_batches(writer, batches, report, file_name, unit=unit, sample_size=sample_size,
                                names=lambda mid: index.member(mid).name,
                                tick=None if progress is None else lambda: progress(report.rows_read))
        return report
    index, batches = batches_of(project.link_end_ids())
    parsed: list[Parsed] = []
    for got in batches:
        batch = got.parsed() if isinstance(got, PlainBatch) else got
        if max_rows is not None and report.rows_read + len(batch) > max_rows:
            batch = batch[: max_rows - report.rows_read]
            report.partial = True
        report.rows_read += len(batch)
        parsed += batch
        if report.partial:
            break
    plan_link_rows(project, parsed, report, file_name, unit, sample_size,
                   lambda mid: index.member(mid).name)
    return report


def _ticking(batches: Iterator[list[Parsed] | PlainBatch], report: LinkImportReport,
             progress: Callable[[int], None]) -> Iterator[list[Parsed] | PlainBatch]:
    """The batches, with ``progress(rows read)`` after each is taken in."""
    for batch in batches:
        yield batch
        progress(report.rows_read)


# --- text tables (CSV/TSV, XLSX sheets) -----------------------------------------------------------


class LinkRows:
    """The link rows of a text table (CSV/TSV, an XLSX sheet): iterable as ``(row, cells)`` like
    every reader, and read a batch at a time by ``import_link_rows`` (io.linkbatch)."""

    def __init__(self, columns: dict[int, str], rows: Iterable[tuple[int, list[str]]],
                 groups: Callable[[int], Iterator[tuple[list[int], list[list[str]]]]] | None = None) -> None:
        self.columns = columns  # column index -> link field
        self.fields = {f: i for i, f in columns.items()}
        self._rows = rows
        self._groups = groups  # the table's own reader of (numbers, rows) groups, if it has one

    def cells(self, row: list[str]) -> Cells | None:
        """The row's cells by field; None for a row with nothing in it (skipped)."""
        if not any(c.strip() for c in row):
            return None
        return {f: row[i] for i, f in self.columns.items() if i < len(row)}

    def __iter__(self) -> Iterator[tuple[int, Cells]]:
        for number, row in self._rows:
            cells = self.cells(row)
            if cells is not None:
                yield number, cells

    def batches(self, size: int) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        """(row numbers, rows) ``size`` at a time: a CSV's groups read by its reader in one go
        (no Python step per row: ``CsvTable.row_groups``), other tables' rows taken in slices."""
        if self._groups is not None:
            yield from self._groups(size)
            return
        rows = iter(self._rows)
        while batch := list(islice(rows, size)):
            numbers, cells = zip(*batch, strict=True)
            yield numbers, list(cells)


def _parsed(rows: Iterable[tuple[int, Cells]], index: MemberIndex, default_kind: LinkKind, size: int,
            ) -> Iterator[list[Parsed] | PlainBatch]:
    """Batches of (row, link as the store takes it or None, whether the row gives the link's id,
    problems) of every non-empty row: a table's plain rows through the batch reader, every other
    row through ``parse_link_row``."""
    if not isinstance(rows, LinkRows):
        batch: list[Parsed] = []
        for number, cells in rows:
            batch.append(_careful(number, cells, index, default_kind))
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    reader = LinkBatchReader(rows.fields, index, default_kind, _date, _Bad)
    for numbers, cells_of in rows.batches(size):
        if not cells_of:
            continue
        links, given = reader.read(cells_of)
        if isinstance(links, tuple):  # the common batch: every row plain, as columns
            yield PlainBatch(numbers, links, given)
            continue
        out: list[Parsed] = []
        for number, row, link, has_id in zip(numbers, cells_of, links, given, strict=True):
            if link is not None:
                out.append((number, link, has_id, []))
                continue
            cells = rows.cells(row)
            if cells is not None:
                out.append(_careful(number, cells, index, default_kind))
        yield out


def _careful(number: int, cells: Cells, index: MemberIndex, default_kind: LinkKind) -> Parsed:
    link, problems = parse_link_row(cells, index, default_kind=default_kind)
    row = None if link is None else (link.id, link.source, link.target, link.kind.value, link.start,
                                     link.share, link.notes, link.end, link.volume, link.contract)
    return number, row, "id" in cells and bool(cells["id"].strip()), problems


def link_cells_table(
    headers: list[str], rows: Iterable[tuple[int, list[str]]],
    groups: Callable[[int], Iterator[tuple[list[int], list[list[str]]]]] | None = None,
) -> tuple[dict[str, str], LinkRows]:
    """(header -> field, the rows) of a table whose headers name link fields."""
    columns: dict[int, str] = {}
    for i, h in enumerate(headers):
        fld = link_field_of_header(h)
        if fld and fld not in columns.values():
            columns[i] = fld
    mapping = {headers[i]: f for i, f in columns.items()}
    return mapping, LinkRows(columns, rows, groups)


def _default_kind(mapping: dict[str, str]) -> LinkKind:
    """Empty kind cells: supply in a supplier/buyer table, else other."""
    supply_words = ("поставщик", "покупатель", "supplier", "buyer", "seller", "customer")
    heads = " ".join(mapping).lower()
    return LinkKind.SUPPLY if any(w in heads for w in supply_words) else LinkKind.OTHER


def links_table_rows(
    path: Path, *, encoding: str | None = None, problems: list[ImportProblem] | None = None
) -> tuple[dict[str, str], LinkRows, str, Callable[[], None]]:
    """A links CSV/TSV: (header -> field, its rows, the encoding, close). Rows the CSV reader itself
    finds broken (a byte that is not UTF-8, an unclosed quote) go to ``problems``."""
    from cluster_desk.io.formats.csv_roster import CsvTable

    table = CsvTable(path, encoding=encoding)
    if problems is not None:
        table.problems = problems
    if not is_links_table(table.headers):
        table.close()
        raise ImportFileError(
            f"{path.name}: not a links table: no two columns name the ends of a link "
            "(Поставщик/Покупатель, Участник 1/Участник 2, from/to, source/target)",
            "not_links_table",
        )
    mapping, rows = link_cells_table(table.headers, table.rows(), table.row_groups)
    return mapping, rows, table.encoding, table.close


def import_links(
    project: Any, path: str | os.PathLike[str], *, encoding: str | None = None, dry_run: bool = False,
    **preview: Any,
) -> LinkImportReport:
    """Import the links of ``path`` by its format (CSV/TSV, XLSX «Связи» sheet, GeoJSON, GPKG, KML).

    ``preview``: ``extra_members``, ``max_rows``, ``sample_size`` and ``progress`` of
    ``import_link_rows``.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file", "no_file", missing=True)
    from cluster_desk.io.formats import links_formats as lf

    fmt = lf.detect(path)
    report = LinkImportReport(path.name)
    if fmt in ("csv", "xlsx"):
        if fmt == "csv":
            mapping, rows, report.encoding, close = links_table_rows(path, encoding=encoding,
                                                                     problems=report.problems)
        else:
            mapping, rows, close = lf.xlsx_link_rows(path, report.problems)
            report.sheet = lf.links_sheet_name(path) or ""
        try:
            report.columns = mapping
            return import_link_rows(
                project, rows, path.name, default_kind=_default_kind(mapping), dry_run=dry_run, report=report,
                **preview,
            )
        finally:
            close()
    unit = {"geojson": "feature", "kml": "placemark", "gpkg": "feature"}[fmt]
    rows_of = {"geojson": lf.geojson_link_rows, "kml": lf.kml_link_rows, "gpkg": lf.gpkg_link_rows}[fmt]
    ahead = read_ahead_rows(path, preview.get("max_rows")) if dry_run else None
    rows = rows_of(path) if ahead is None else iter(ahead)
    return import_link_rows(project, rows, path.name, unit=unit, dry_run=dry_run, report=report, **preview)


# --- export ---------------------------------------------------------------------------------------


def link_cells(lk: Link, members: dict[str, Member], lang: str) -> dict[str, Any]:
    """Export values of one link (numbers stay numbers; words in ``lang``)."""
    a, b = members.get(lk.source), members.get(lk.target)
    return {
        "source": a.name if a else lk.source, "source_inn": a.inn if a else "",
        "target": b.name if b else lk.target, "target_inn": b.inn if b else "",
        "kind": kind_word(lk.kind, lang), "start": lk.start, "end": lk.end, "volume": lk.volume,
        "contract": lk.contract, "notes": lk.notes, "share": lk.share, "id": lk.id,
        "source_id": lk.source, "target_id": lk.target,
    }  # fmt: skip


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_links_csv(
    members: Iterable[Member],
    links: Iterable[Link],
    path: str | os.PathLike[str],
    *,
    lang: str = "en",
    delimiter: str | None = None,
) -> int:
    """The links table with both ends' names and INNs, human headers in ``lang``. Atomic."""
    path = Path(path)
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".txt", ".tab") else ","
    by_id = {m.id: m for m in members}
    count = 0
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow([header(c, lang) for c in EXPORT_LINK_FIELDS])
        for lk in links:
            cells = link_cells(lk, by_id, lang)
            writer.writerow([_csv_text(cells[c]) for c in EXPORT_LINK_FIELDS])
            count += 1
    return count
