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


def format4_file(path: Path, members: int = 300, links: int = 600) -> Path:
    """A file of format 4 (before the members' id moved to a UNIQUE index), as format-4 releases
    wrote it: members and links (rowids 2, 4, 6, ...), a change log, ANALYZE statistics."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    schema.migrate(conn, schema.MIGRATIONS[:4])
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO members (rowid, id, name, kind, status, sector, industry, lat, lon, "
                     "address, inn, website, contact, notes, special_territory, organising_production) "
                     "VALUES (?, ?, ?, 'firm', 'member', '', '', ?, 49.1, '', ?, '', '', '', '', 0)",
                     [(2 * i, f"{(i * 7919) % 1000:04d}-m{i}", f"Фирма {i}", 55.0 + i / 1000,
                       f"{7700000000 + i}") for i in range(1, members + 1)])
    ids = [r[0] for r in conn.execute("SELECT id FROM members ORDER BY rowid")]
    conn.executemany("INSERT INTO links (id, source, target, kind, start, share, notes, \"end\", volume, "
                     "contract) VALUES (?, ?, ?, 'supply', '2020-01-01', 0.25, 'n', NULL, 0.1, 'c')",
                     [(f"L{r}", ids[r % members], ids[(r * 7 + 1) % members]) for r in range(links)
                      if r % members != (r * 7 + 1) % members])
    conn.executemany("INSERT INTO changes (at, actor, entity, entity_id, op, old, new) "
                     "VALUES ('2025-01-01T00:00:00', 'me', 'member', ?, 'insert', NULL, '[]')",
                     [(i,) for i in ids])
    conn.execute("COMMIT")
    conn.execute("ANALYZE")  # statistics name the primary key's automatic index
    conn.close()
    return path
