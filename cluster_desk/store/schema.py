"""The project file's schema: application id, format version and the ordered migrations.

``PRAGMA user_version`` is the format version: the number of migrations applied. Migration ``i``
(0-based) upgrades a file from version ``i`` to ``i + 1`` and runs inside the caller's transaction,
so each step is all-or-nothing. Never edit a released migration: append a new one.

The tables are STRICT (SQLite >= 3.37) and carry CHECK constraints: ``PRAGMA quick_check`` then
verifies types and ranges of every stored row, so a hand-edited or crafted file is caught on open,
not halfway through drawing the map.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence

#: ``PRAGMA application_id``: "CDk1" in ASCII, marks a file as a Cluster Desk project.
APPLICATION_ID = 0x43446B31

#: SQLite features the schema needs (STRICT tables).
MIN_SQLITE = (3, 37, 0)

Migration = Callable[[sqlite3.Connection], None]

#: Dropped and rebuilt around big bulk inserts (sorting once beats 300k random index inserts).
LINK_INDEXES: tuple[str, ...] = (
    "CREATE INDEX links_source ON links (source)",
    "CREATE INDEX links_target ON links (target)",
)

_V1: tuple[str, ...] = (
    """CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT""",
    # One row per ClusterSettings field, value as JSON: adding a field needs no migration.
    """CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT""",
    # Column order = "id" + model.MEMBER_FIELDS; enums are stored as their string values.
    """CREATE TABLE members (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sector TEXT NOT NULL,
    industry TEXT NOT NULL,
    employees INTEGER CHECK (employees >= 0),
    lat REAL CHECK (lat BETWEEN -90.0 AND 90.0),
    lon REAL CHECK (lon BETWEEN -180.0 AND 180.0),
    address TEXT NOT NULL,
    inn TEXT NOT NULL,
    website TEXT NOT NULL,
    contact TEXT NOT NULL,
    joined TEXT,
    "left" TEXT,
    notes TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lon IS NULL))
) STRICT""",
    # Links are deleted explicitly (no ON DELETE CASCADE) so every removal reaches the change log.
    """CREATE TABLE links (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    source TEXT NOT NULL REFERENCES members (id),
    target TEXT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    start TEXT,
    share REAL CHECK (share BETWEEN 0.0 AND 1.0),
    notes TEXT NOT NULL,
    CHECK (source <> target)
) STRICT""",
    *LINK_INDEXES,
    """CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('member', 'link', 'settings')),
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old TEXT,
    new TEXT
) STRICT""",
    "CREATE INDEX changes_entity ON changes (entity_id)",
)


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """The initial schema."""
    # Statement by statement: executescript() would commit the caller's transaction.
    for statement in _V1:
        conn.execute(statement)


#: The change log of format 2: the same columns and rules as version 1, with the two CHECKs written
#: as OR chains. ``x IN ('a', 'b', 'c')`` in a CHECK makes SQLite build a temporary index for every
#: row it checks (each insert, and each row ``quick_check`` reads): about 9 µs a row, which was a
#: third of the time of a 100,000-row import and most of the cost of checking the change log.
_CHANGES_V2 = """CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity = 'member' OR entity = 'link' OR entity = 'settings'),
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
    old TEXT,
    new TEXT
) STRICT"""


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Cheaper change-log CHECKs (see _CHANGES_V2); whole records in the log may be JSON arrays.

    From format 2 on, the log stores an inserted or deleted record as a JSON array of its field
    values in MEMBER_FIELDS / LINK_FIELDS order instead of an object (half the encoding time, a
    smaller file); the rows of format 1 keep their objects and read back the same. The table is
    rebuilt (SQLite cannot change a CHECK in place): a few seconds once for a 400,000-row log.
    """
    # Copy out through a temporary table (not kept in the file) rather than ALTER TABLE RENAME,
    # which would rewrite the stored CREATE statement in a way that depends on the SQLite release.
    conn.execute("CREATE TEMP TABLE changes_v1 AS SELECT * FROM main.changes")
    conn.execute("DROP TABLE main.changes")  # and its index
    conn.execute(_CHANGES_V2)
    conn.execute(
        "INSERT INTO main.changes (seq, at, actor, entity, entity_id, op, old, new) "
        "SELECT seq, at, actor, entity, entity_id, op, old, new FROM temp.changes_v1 ORDER BY seq"
    )
    conn.execute("DROP TABLE temp.changes_v1")
    conn.execute("CREATE INDEX changes_entity ON changes (entity_id)")


#: Format 3 (issue 12): members gain output, special territory and the "organising production"
#: mark; links gain an end date, a yearly volume and a contract reference. New columns go last, so
#: records in the change log (JSON arrays in field order) only need values appended.
_MEMBERS_V3 = """CREATE TABLE members (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sector TEXT NOT NULL,
    industry TEXT NOT NULL,
    employees INTEGER CHECK (employees >= 0),
    lat REAL CHECK (lat BETWEEN -90.0 AND 90.0),
    lon REAL CHECK (lon BETWEEN -180.0 AND 180.0),
    address TEXT NOT NULL,
    inn TEXT NOT NULL,
    website TEXT NOT NULL,
    contact TEXT NOT NULL,
    joined TEXT,
    "left" TEXT,
    notes TEXT NOT NULL,
    output REAL CHECK (output >= 0.0),
    special_territory TEXT NOT NULL,
    organising_production INTEGER NOT NULL CHECK (organising_production = 0 OR organising_production = 1),
    CHECK ((lat IS NULL) = (lon IS NULL))
) STRICT"""

_LINKS_V3 = """CREATE TABLE links (
    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    source TEXT NOT NULL REFERENCES members (id),
    target TEXT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    start TEXT,
    share REAL CHECK (share BETWEEN 0.0 AND 1.0),
    notes TEXT NOT NULL,
    "end" TEXT,
    volume REAL CHECK (volume >= 0.0),
    contract TEXT NOT NULL,
    CHECK (source <> target),
    CHECK ("end" IS NULL OR start IS NULL OR "end" >= start)
) STRICT"""

_MEMBER_COLS_V2 = (
    'id, name, kind, status, sector, industry, employees, lat, lon, address, inn, website, contact, '
    'joined, "left", notes'
)
_LINK_COLS_V2 = "id, source, target, kind, start, share, notes"


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Links' end, volume, contract; members' output, special territory, organising production.

    Every member and link is copied with the new fields unknown/none/no; ``share`` stays as it was
    (a fraction of the supplier's output: it cannot become roubles without that output). Rows keep
    their rowid (the order members and links were added). Whole records in the change log (JSON
    arrays, format 2) get the new fields' defaults appended, so they still name every field.

    Rebuilt by hand rather than with sqlite-utils ``table.transform()``: transform keeps STRICT and
    the CHECKs and stays in our transaction (sqlite-utils 4.2), but the CREATE text it stores is
    its own formatting and goes through ALTER TABLE RENAME; a file is valid only when its schema
    text equals the one our migrations replay (``expected_objects``), which must not depend on the
    installed sqlite-utils or SQLite release.
    """
    conn.execute(f"CREATE TEMP TABLE members_v2 AS SELECT rowid AS rid, {_MEMBER_COLS_V2} FROM main.members")
    conn.execute(f"CREATE TEMP TABLE links_v2 AS SELECT rowid AS rid, {_LINK_COLS_V2} FROM main.links")
    conn.execute("DROP TABLE main.links")  # and its indexes; first: it references members
    conn.execute("DROP TABLE main.members")
    conn.execute(_MEMBERS_V3)
    conn.execute(_LINKS_V3)
    conn.execute(
        f"INSERT INTO main.members (rowid, {_MEMBER_COLS_V2}, output, special_territory, "
        f"organising_production) SELECT rid, {_MEMBER_COLS_V2}, NULL, '', 0 FROM temp.members_v2 ORDER BY rid"
    )
    conn.execute(
        f'INSERT INTO main.links (rowid, {_LINK_COLS_V2}, "end", volume, contract) '
        f"SELECT rid, {_LINK_COLS_V2}, NULL, NULL, '' FROM temp.links_v2 ORDER BY rid"
    )
    conn.execute("DROP TABLE temp.members_v2")
    conn.execute("DROP TABLE temp.links_v2")
    for statement in LINK_INDEXES:
        conn.execute(statement)
    for column in ("old", "new"):
        conn.execute(
            f"UPDATE changes SET {column} = json_insert({column}, '$[#]', NULL, '$[#]', '', '$[#]', 0) "
            f"WHERE entity = 'member' AND {column} LIKE '[%'"
        )
        conn.execute(
            f"UPDATE changes SET {column} = json_insert({column}, '$[#]', NULL, '$[#]', NULL, '$[#]', '') "
            f"WHERE entity = 'link' AND {column} LIKE '[%'"
        )


#: Format 4 (issue 17): the links' id is a UNIQUE index instead of the table's PRIMARY KEY, so a
#: bulk import can drop it and build it once at the end (a sort) instead of one insert at a random
#: place of a 32-character-random-id B-tree per link: at 300,000 links about a third of SQLite's
#: insert time. The table keeps its implicit rowid (the order links were added), as before.
_LINKS_V4 = _LINKS_V3.replace("id TEXT PRIMARY KEY NOT NULL", "id TEXT NOT NULL", 1)
LINK_ID_INDEX = "CREATE UNIQUE INDEX links_id ON links (id)"
_LINK_COLS_V3 = f'{_LINK_COLS_V2}, "end", volume, contract'


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """The links table rebuilt with its id in the UNIQUE index ``links_id`` (see _LINKS_V4); every
    link keeps its rowid and values. Nothing else changes."""
    conn.execute(f"CREATE TEMP TABLE links_v3 AS SELECT rowid AS rid, {_LINK_COLS_V3} FROM main.links")
    conn.execute("DROP TABLE main.links")  # and its indexes
    conn.execute(_LINKS_V4)
    conn.execute(f"INSERT INTO main.links (rowid, {_LINK_COLS_V3}) "
                 f"SELECT rid, {_LINK_COLS_V3} FROM temp.links_v3 ORDER BY rid")
    conn.execute("DROP TABLE temp.links_v3")
    for statement in (LINK_ID_INDEX, *LINK_INDEXES):
        conn.execute(statement)


#: Format 5 (issue 17): the members' id is the UNIQUE index ``members_id`` instead of the table's
#: PRIMARY KEY, as the links' id became in format 4: a big members import drops it and builds it once
#: at the end (a sort) instead of inserting each random 32-character id at a random place of an
#: on-disk B-tree (at 1,000,000 members about a third of the import's SQLite time).
_MEMBERS_V5 = _MEMBERS_V3.replace("id TEXT PRIMARY KEY NOT NULL", "id TEXT NOT NULL", 1)
MEMBER_ID_INDEX = "CREATE UNIQUE INDEX members_id ON members (id)"
_MEMBERS_AUTOINDEX = "sqlite_autoindex_members_1"


def _migrate_4_to_5(conn: sqlite3.Connection) -> None:
    """The members' id moves from the PRIMARY KEY to the UNIQUE index ``members_id`` (_MEMBERS_V5),
    without copying a row: the stored text of the table and of its primary-key index is rewritten.

    For a table with a rowid, SQLite keeps a TEXT primary key in an automatic index holding exactly
    what ``CREATE UNIQUE INDEX members_id ON members (id)`` holds (each id, ascending, BINARY, with
    its rowid), and the table's rows are stored the same way with or without the PRIMARY KEY
    clause. So the autoindex is renamed and given that CREATE text, and the table's CREATE text
    loses the clause: the file is then exactly a format-5 file (tests compare it with one built by
    an import, and ``PRAGMA integrity_check`` checks the index against the rows). This is SQLite's
    documented procedure for schema changes that leave the stored content as it is
    (https://www.sqlite.org/lang_altertable.html#otheralter): ``writable_schema`` inside the step's
    transaction, the schema version bumped. A rebuild would copy every member (seconds at
    1,000,000, with the links' foreign keys turned off around it) for the same bytes.
    """
    rows = conn.execute(
        "SELECT type, name, sql FROM main.sqlite_schema WHERE tbl_name = 'members' ORDER BY type DESC"
    ).fetchall()
    if rows != [("table", "members", _MEMBERS_V3), ("index", _MEMBERS_AUTOINDEX, None)]:
        raise sqlite3.DatabaseError("members table not as format 4 stores it")
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE main.sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'members'",
                     (_MEMBERS_V5,))
        conn.execute("UPDATE main.sqlite_schema SET name = 'members_id', sql = ? WHERE type = 'index' "
                     "AND name = ?", (MEMBER_ID_INDEX, _MEMBERS_AUTOINDEX))
        for stat in ("sqlite_stat1", "sqlite_stat4"):  # ANALYZE statistics name the index (rare)
            if conn.execute("SELECT 1 FROM main.sqlite_schema WHERE name = ?", (stat,)).fetchone():
                conn.execute(f"UPDATE main.{stat} SET idx = 'members_id' WHERE tbl = 'members' AND idx = ?",
                             (_MEMBERS_AUTOINDEX,))
        conn.execute(f"PRAGMA schema_version = {version + 1}")  # every connection re-reads the schema
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    got = conn.execute("SELECT name, \"unique\", origin FROM pragma_index_list('members')").fetchall()
    if got != [("members_id", 1, "c")]:
        raise sqlite3.DatabaseError(f"members' id index not as expected after the upgrade: {got!r}")


#: Format 6 (issue 17): a bulk insert's log. The records a big insert adds (an import's 100,000 members,
#: 300,000 links) are copied into ``logged_members`` / ``logged_links`` as they were stored, one row
#: per record keyed by the change log ``seq`` it was given, and ``changes`` holds one marker row for
#: the whole run (entity_id '', op 'insert', ``new`` = {"first": its first seq}) at the run's LAST
#: seq, so ``max(seq)`` and the next entry's seq stay as before. ``Project.history()`` expands a
#: marker into the same per-record entries (``store.bulklog.expand``): a copy of the rows beside a
#: JSON text and an index entry per record costs about a third (links import, 300,000: ~0.3 s
#: against ~0.9 s). The tables have no index by id (building it costs what the copy saves): one
#: record's history scans them. Their columns are the tables' columns of format 5 with their types
#: (STRICT) and no CHECK: rows are copied from checked tables. A migration that changes
#: MEMBER_FIELDS / LINK_FIELDS must change these tables too (as format 3 appended to the arrays).
LOGGED_MEMBERS = """CREATE TABLE logged_members (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sector TEXT NOT NULL,
    industry TEXT NOT NULL,
    employees INTEGER,
    lat REAL,
    lon REAL,
    address TEXT NOT NULL,
    inn TEXT NOT NULL,
    website TEXT NOT NULL,
    contact TEXT NOT NULL,
    joined TEXT,
    "left" TEXT,
    notes TEXT NOT NULL,
    output REAL,
    special_territory TEXT NOT NULL,
    organising_production INTEGER NOT NULL
) STRICT"""

LOGGED_LINKS = """CREATE TABLE logged_links (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    start TEXT,
    share REAL,
    notes TEXT NOT NULL,
    "end" TEXT,
    volume REAL,
    contract TEXT NOT NULL
) STRICT"""


def _migrate_5_to_6(conn: sqlite3.Connection) -> None:
    """The bulk log's two tables (see LOGGED_MEMBERS); the entries already in ``changes`` stay as
    they are and read back the same."""
    conn.execute(LOGGED_MEMBERS)
    conn.execute(LOGGED_LINKS)


#: Ordered migrations; ``len(MIGRATIONS)`` is the format version this code writes.
MIGRATIONS: list[Migration] = [_migrate_0_to_1, _migrate_1_to_2, _migrate_2_to_3, _migrate_3_to_4,
                               _migrate_4_to_5, _migrate_5_to_6]

#: The format this release writes (tests may extend MIGRATIONS; code uses ``current_version()``).
SCHEMA_VERSION = len(MIGRATIONS)


def current_version() -> int:
    return len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] | None = None) -> int:
    """Bring ``conn``'s database up to ``len(migrations)``, one transaction per step.

    Returns the number of steps applied. ``conn`` must be in autocommit mode
    (``isolation_level=None``). A failing step is rolled back and re-raised; earlier steps stay.
    """
    steps = MIGRATIONS if migrations is None else migrations
    start = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for version in range(start, len(steps)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if version == 0:
                # application_id is part of page 1, so it commits together with the first schema.
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            steps[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return max(0, len(steps) - start)


SchemaObjects = frozenset[tuple[str, str, str, str | None]]


def schema_objects(conn: sqlite3.Connection) -> SchemaObjects:
    """(type, name, table, sql) of every schema object except SQLite's statistics tables."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
    return frozenset(
        (str(t), str(n), str(tb), None if s is None else str(s))
        for t, n, tb, s in rows
        if not str(n).startswith("sqlite_stat")
    )


@functools.lru_cache(maxsize=16)
def _expected(steps: tuple[Migration, ...], version: int) -> SchemaObjects:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, steps[:version])
        return schema_objects(conn)
    finally:
        conn.close()


def expected_objects(version: int) -> SchemaObjects:
    """The exact schema a file of ``version`` must have: built by replaying the migrations."""
    return _expected(tuple(MIGRATIONS), version)
