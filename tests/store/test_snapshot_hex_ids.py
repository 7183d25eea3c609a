"""Link ids through the open's columns and their snapshot (store.snapshot format 4, store.column_read):
ids of 32 lowercase hex digits are kept as 16 bytes each (core.hex_ids) and read back exactly; any
other id (uppercase digits, other lengths, Cyrillic) keeps the column as text; the project file
still stores them as TEXT; a snapshot of the format before reads as stale, not as an error."""

from __future__ import annotations

import json
import sqlite3
import uuid
import zlib
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.hex_ids import HexIds
from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.core.tables import TextColumn
from cluster_desk.store import snapshot
from cluster_desk.store.project import Project


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)


def _project(path: Path, link_ids: list[str]) -> Path:
    members = [Member(f"Фирма {i}", id=f"m{i}", lat=55.0 + i / 100, lon=49.0) for i in range(20)]
    links = [Link(members[i % 20].id, members[(i * 7 + 1) % 20].id, list(LinkKind)[i % len(LinkKind)], id=lid)
             for i, lid in enumerate(link_ids)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return path


def _open(path: Path) -> snapshot.OpenColumns:
    with Project.open(path) as p:
        read = p.open_columns()
    read.save_snapshot(path)
    return read


def _stored(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM links ORDER BY rowid")]
    finally:
        conn.close()


HEX = [uuid.uuid4().hex for _ in range(40)]
CASES = {
    "hex": HEX,
    "mixed case": [*HEX[:20], HEX[20].upper(), *HEX[21:]],
    "cyrillic": [*HEX[:10], "связь-1", *HEX[10:]],
    "other lengths": [*HEX[:5], HEX[5][:31], HEX[6] + "0", "x", *HEX[7:]],
    "made by hand": [f"l{i:05d}" for i in range(40)],
}


@pytest.mark.parametrize("case", list(CASES))
def test_link_ids_read_back_as_stored_from_the_tables_and_the_snapshot(tmp_path: Path, case: str) -> None:
    ids = CASES[case]
    path = _project(tmp_path / "p.cdesk", ids)
    tables = _open(path)
    again = _open(path)
    assert not tables.from_snapshot and again.from_snapshot
    packed = case == "hex"
    for read in (tables, again):
        column = read.links.ids
        assert isinstance(column, TextColumn) and isinstance(column, HexIds) == packed
        assert column.tolist() == ids and [column[i] for i in range(len(ids))] == ids
        assert all(column.find(i) == k for k, i in enumerate(ids))
        assert read.links.id_index.find(ids[7]) == 7
    assert tables.links.sources == again.links.sources and tables.links.kinds == again.links.kinds
    head = snapshot.cached_head(snapshot.cache_file(path), snapshot.MAGIC)
    assert head is not None and head["link_ids"] == ("hex" if packed else "text")
    assert _stored(path) == ids  # the project file: TEXT ids, as ever


def test_the_snapshot_packs_hex_ids_read_row_by_row_too(tmp_path: Path) -> None:
    """Columns that came as a list (the row-by-row read) are kept as 16 bytes an id as well."""
    from cluster_desk.core.tables import LinkColumns

    path = _project(tmp_path / "p.cdesk", HEX)
    read = _open(path)
    listed = LinkColumns(read.links.ids.tolist(), read.members.ids, read.links.source_index,
                         read.links.target_index, read.links.kind_codes)
    snapshot.cache_file(path).unlink()
    assert snapshot.save(path, read.key, read.members, listed)
    again = _open(path)
    assert again.from_snapshot and isinstance(again.links.ids, HexIds) and again.links.ids.tolist() == HEX


def test_a_snapshot_of_the_format_before_reads_as_stale(tmp_path: Path) -> None:
    """A format-3 file (text ids and their ends) with the file's current key: not used, no error,
    the tables are read and a new snapshot written."""
    path = _project(tmp_path / "p.cdesk", HEX)
    read = _open(path)
    cached, head, body_parts = _snapshot_parts(path)
    text = "\x1f".join(HEX).encode()
    body_parts[6] = text  # link ids as text, with their ends, as format 3 kept them
    body_parts[11] = snapshot._ends(text, len(HEX)).tobytes()
    body = b"".join(body_parts)
    old_head = {"key": head["key"], "sizes": [len(b) for b in body_parts], "crc": zlib.crc32(body)}
    cached.write_bytes(b"CDESK-COLUMNS-3\n" + json.dumps(old_head).encode() + b"\n" + body)
    assert snapshot.load(path, read.key) is None
    again = _open(path)
    assert not again.from_snapshot and again.links.ids.tolist() == HEX
    assert _open(path).from_snapshot  # rewritten in the format of now


@pytest.mark.parametrize("damage", ["hex part short", "ends with hex"])
def test_a_hex_part_that_does_not_fit_falls_back_to_the_tables(tmp_path: Path, damage: str) -> None:
    path = _project(tmp_path / "p.cdesk", HEX)
    read = _open(path)
    cached, head, parts = _snapshot_parts(path)
    if damage == "hex part short":
        parts[6] = parts[6][:-16]
    else:
        parts[11] = snapshot._ends(b"\x1f".join(HEX[i].encode() for i in range(40)), 40).tobytes()
    body = b"".join(parts)
    head.update(sizes=[len(p) for p in parts], crc=zlib.crc32(body))
    cached.write_bytes(snapshot.MAGIC + json.dumps(head).encode() + b"\n" + body)
    assert snapshot.load(path, read.key) is None
    assert _open(path).links.ids.tolist() == HEX


def _snapshot_parts(path: Path) -> tuple[Path, dict[str, Any], list[bytes]]:
    """The project's snapshot file, its head and its body cut into its parts."""
    cached = snapshot.cache_file(path)
    data = cached.read_bytes()
    end = data.index(b"\n", len(snapshot.MAGIC))
    head = json.loads(data[len(snapshot.MAGIC):end])
    return cached, head, _parts(data[end + 1:], head["sizes"])


def _parts(body: bytes, sizes: list[int]) -> list[bytes]:
    out, at = [], 0
    for size in sizes:
        out.append(body[at:at + size])
        at += size
    return out
