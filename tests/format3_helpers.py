"""A project file of format 3 (before the links' id moved to a UNIQUE index), written directly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cluster_desk.store import schema

LINKS = 6000


def format3_file(path: Path, links: int = LINKS) -> Path:
    """100 members and ``links`` links (rowids 3, 6, 9, ...: not 1..n) in a format-3 file."""
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, schema.MIGRATIONS[:3])
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO members (id, name, kind, status, sector, industry, address, inn, website, "
                     "contact, notes, special_territory, organising_production) "
                     "VALUES (?, ?, 'firm', 'member', '', '', '', '', '', '', '', '', 0)",
                     [(f"m{i}", f"Фирма {i}") for i in range(100)])
    rows = [(3 * r, f"L{r:06d}", f"m{r % 100}", f"m{(r * 7 + 1) % 100}") for r in range(1, links + 1)]
    conn.executemany('INSERT INTO links (rowid, id, source, target, kind, start, share, notes, "end", '
                     "volume, contract) "
                     "VALUES (?, ?, ?, ?, 'supply', '2020-01-01', 0.25, 'n', NULL, 0.1, 'c')", rows)
    conn.execute("COMMIT")
    conn.close()
    return path


def file_version(path: Path) -> int:
    """The file's format (``PRAGMA user_version``), read on a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
