"""The project file: one SQLite database per cluster (``*.cdesk``).

Opening is defensive because project files travel by e-mail and USB stick: the header, the
application id and the format version are read with plain file I/O (a non-SQLite or foreign file
never reaches SQLite), then the schema and ``PRAGMA quick_check`` through a connection that only
reads (``query_only``). Only a file that passes all of that is used for editing, so a file we
refuse is left byte-for-byte as it was.

Journal mode: rollback journal (``journal_mode=DELETE``) with ``synchronous=FULL``. Between edits
the ``.cdesk`` file is complete on its own: users copy it, mail it and put it on shared folders, and
a WAL file left beside it would silently hold their latest edits. Each edit is one transaction
that is on disk when the method returns (journal and database are fsynced), so a killed process or
a power cut loses at most the edit in flight; a hot journal left by a crash is rolled back on the
next open. WAL would save one fsync per commit, but commits here measure a few milliseconds.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import getpass
import json
import math
import os
import re
import sqlite3
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from cluster_desk import APP_NAME, __version__
from cluster_desk.core.model import (
    LINK_FIELDS,
    MEMBER_FIELDS,
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)
from cluster_desk.store import schema
from cluster_desk.store.changes import Change, Entity, Op, diff, dumps, dumps_record, loads

__all__ = ["Change", "Project", "ProjectError"]


class ProjectError(Exception):
    """A project file cannot be opened, created or written; ``str()`` is shown to the user."""


_SQLITE_MAGIC = b"SQLite format 3\x00"
_MAX_ID = 200
_MAX_EMPLOYEES = 100_000_000  # more than the largest employer on earth; catches typos and overflow
_MAX_RADIUS_KM = 20_100.0  # half the Earth's circumference
#: Files up to this size get the full quick_check on open (a real cluster's file is far smaller).
_FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
_BULK_REBUILD = 20_000  # link batches at least this big (and bigger than the table) rebuild indexes

# Column order of the members table: id, then the editable fields.
_MEMBER_COLS: tuple[str, ...] = ("id", *MEMBER_FIELDS)
_LINK_COLS: tuple[str, ...] = ("id", *LINK_FIELDS)


def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


_INSERT_MEMBER = f"INSERT INTO members ({_cols(_MEMBER_COLS)}) VALUES ({', '.join('?' * len(_MEMBER_COLS))})"
_UPDATE_MEMBER = f"UPDATE members SET {_cols(MEMBER_FIELDS).replace(',', ' = ?,')} = ? WHERE id = ?"
_SELECT_MEMBER_ROW = f"SELECT {_cols(_MEMBER_COLS)} FROM members WHERE id = ?"
_INSERT_LINK = f"INSERT INTO links ({_cols(_LINK_COLS)}) VALUES ({', '.join('?' * len(_LINK_COLS))})"
_UPDATE_LINK = f"UPDATE links SET {', '.join(f'{c} = ?' for c in LINK_FIELDS)} WHERE id = ?"
_SELECT_LINK_ROW = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_MEMBER_LINKS = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE source = ? OR target = ? ORDER BY rowid"
_INSERT_CHANGE = (
    "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)"
)

# The read paths below unpack rows positionally in the dataclasses' field order: fail loudly at
# import if the model's field order ever changes, rather than silently swapping columns.
_MEMBER_ORDER = (
    "name", "kind", "status", "id", "sector", "industry", "employees", "lat", "lon",
    "address", "inn", "website", "contact", "joined", "left", "notes",
)  # fmt: skip
_LINK_ORDER = ("source", "target", "kind", "id", "start", "share", "notes")
if (
    tuple(f.name for f in fields(Member)) != _MEMBER_ORDER
    or tuple(f.name for f in fields(Link)) != _LINK_ORDER
):
    raise ImportError("cluster_desk.store.project: Member/Link field order changed; update the store")

_SELECT_MEMBERS = f"SELECT {_cols(_MEMBER_ORDER)} FROM members ORDER BY rowid"
_SELECT_LINKS = f"SELECT {_cols(_LINK_ORDER)} FROM links ORDER BY rowid"

# str value -> enum; used both to validate (keys are the allowed values) and to rebuild records.
# A StrEnum member hashes and compares like its value, so lookups accept either.
_KIND = {k.value: k for k in MemberKind}
_STATUS = {s.value: s for s in Status}
_INDUSTRY = {i.value: i for i in Industry}
_LINK_KIND = {k.value: k for k in LinkKind}
# Enum or its value -> the plain str value (what the table stores).
_KIND_STR = {k.value: k.value for k in MemberKind}
_STATUS_STR = {k.value: k.value for k in Status}
_INDUSTRY_STR = {k.value: k.value for k in Industry}
_LINK_KIND_STR = {k.value: k.value for k in LinkKind}

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SETTINGS_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ClusterSettings))


# --------------------------------------------------------------------------- validation


def _label(kind: str, ident: object, name: object = None) -> str:
    return f"{kind} {name!r}" if isinstance(name, str) and name.strip() else f"{kind} {ident!r}"


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > _MAX_ID:
        raise ValueError(
            f"{what}: id must be a non-empty text of at most {_MAX_ID} characters, got {value!r}"
        )
    return value


def _real(value: object, what: str, field_name: str, lo: float, hi: float) -> float:
    if type(value) is not float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{what}: {field_name} must be a number, got {value!r}")
        value = float(value)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{what}: {field_name} must be between {lo:g} and {hi:g}, got {value!r}")
    return value


def _is_date(value: object) -> bool:
    return type(value) is str and _is_date_text(value)


@functools.lru_cache(maxsize=4096)  # bulk imports repeat few distinct dates
def _is_date_text(value: str) -> bool:
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:  # 2025-02-30
        return False
    return True


def _date(value: object, what: str, field_name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and _is_date(str(value)):
        return str(value)
    raise ValueError(f"{what}: {field_name} must be an ISO date YYYY-MM-DD or empty, got {value!r}")


def _text(value: object, what: str, field_name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: {field_name} must be text, got {value!r}")
    return value


def _member_row_checked(m: Member) -> tuple[Any, ...]:
    """Validated column values of ``m`` in table order (id, *MEMBER_FIELDS); ValueError if bad."""
    if not isinstance(m, Member):
        raise ValueError(f"expected a Member, got {type(m).__name__}")
    what = _label("member", m.id, m.name)
    mid = _check_id(m.id, what)
    name = m.name
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{what}: the name must not be empty")
    kind = _KIND.get(m.kind)
    status = _STATUS.get(m.status)
    industry = _INDUSTRY.get(m.industry)
    if kind is None:
        raise ValueError(f"{what}: unknown kind {m.kind!r}")
    if status is None:
        raise ValueError(f"{what}: unknown status {m.status!r}")
    if industry is None:
        raise ValueError(f"{what}: unknown industry {m.industry!r}")
    employees = m.employees
    if employees is not None and (
        type(employees) is not int or not 0 <= employees <= _MAX_EMPLOYEES  # bool is not a head count
    ):
        raise ValueError(
            f"{what}: employees must be a whole number from 0 to {_MAX_EMPLOYEES}, got {employees!r}"
        )
    lat, lon = m.lat, m.lon
    if lat is None or lon is None:
        if lat is not None or lon is not None:
            raise ValueError(f"{what}: give both latitude and longitude, or neither")
    else:
        lat = _real(lat, what, "latitude", -90.0, 90.0)
        lon = _real(lon, what, "longitude", -180.0, 180.0)
    return (
        mid, name, kind.value, status.value,
        _text(m.sector, what, "sector"), industry.value, employees, lat, lon,
        _text(m.address, what, "address"), _text(m.inn, what, "inn"), _text(m.website, what, "website"),
        _text(m.contact, what, "contact"), _date(m.joined, what, "joined"), _date(m.left, what, "left"),
        _text(m.notes, what, "notes"),
    )  # fmt: skip


def _link_row_checked(link: Link) -> tuple[Any, ...]:
    """Validated column values of ``link`` in table order (id, *LINK_FIELDS)."""
    if not isinstance(link, Link):
        raise ValueError(f"expected a Link, got {type(link).__name__}")
    what = f"link {link.id!r}"
    lid = _check_id(link.id, what)
    source = _check_id(link.source, what + " source")
    target = _check_id(link.target, what + " target")
    if source == target:
        raise ValueError(f"{what}: a member cannot be linked to itself ({source!r})")
    kind = _LINK_KIND.get(link.kind)
    if kind is None:
        raise ValueError(f"{what}: unknown kind {link.kind!r}")
    share = None if link.share is None else _real(link.share, what, "share", 0.0, 1.0)
    return (
        lid,
        source,
        target,
        kind.value,
        _date(link.start, what, "start"),
        share,
        _text(link.notes, what, "notes"),
    )


def _member_row(m: Member) -> tuple[Any, ...]:
    """Like ``_member_row_checked``, with an inline fast path for the common, valid case (bulk imports).

    The chained comparisons also reject NaN and infinities; anything unusual (ints as
    coordinates, str subclasses, dates, errors) takes the slow path, which normalises or explains.
    """
    if type(m) is Member:
        mid, name, employees, lat, lon = m.id, m.name, m.employees, m.lat, m.lon
        kind, status, industry = (
            _KIND_STR.get(m.kind),
            _STATUS_STR.get(m.status),
            _INDUSTRY_STR.get(m.industry),
        )
        row = (
            mid, name, kind, status, m.sector, industry, employees, lat, lon,
            m.address, m.inn, m.website, m.contact, m.joined, m.left, m.notes,
        )  # fmt: skip
        if (
            type(mid) is str
            and 0 < len(mid) <= _MAX_ID
            and type(name) is str
            and name.strip()
            and kind is not None
            and status is not None
            and industry is not None
            and (employees is None or (type(employees) is int and 0 <= employees <= _MAX_EMPLOYEES))
            and (
                (lat is None and lon is None)
                or (
                    type(lat) is float
                    and type(lon) is float
                    and -90.0 <= lat <= 90.0
                    and -180.0 <= lon <= 180.0
                )
            )
            and type(row[4]) is str
            and type(row[9]) is str
            and type(row[10]) is str
            and type(row[11]) is str
            and type(row[12]) is str
            and type(row[15]) is str
            and (row[13] is None or _is_date(row[13]))
            and (row[14] is None or _is_date(row[14]))
        ):
            return row
    return _member_row_checked(m)


def _link_row(link: Link) -> tuple[Any, ...]:
    """Like ``_link_row_checked``, with an inline fast path for the common, valid case."""
    if type(link) is Link:
        lid, source, target, share, notes = link.id, link.source, link.target, link.share, link.notes
        kind = _LINK_KIND_STR.get(link.kind)
        if (
            type(lid) is str
            and type(source) is str
            and type(target) is str
            and 0 < len(lid) <= _MAX_ID
            and 0 < len(source) <= _MAX_ID
            and 0 < len(target) <= _MAX_ID
            and source != target
            and kind is not None
            and (link.start is None or _is_date(link.start))
            and (share is None or (type(share) is float and 0.0 <= share <= 1.0))
            and type(notes) is str
        ):
            return (lid, source, target, kind, link.start, share, notes)
    return _link_row_checked(link)


def _validate_settings(s: ClusterSettings) -> ClusterSettings:
    """``s`` with numbers normalised (ints where counts, floats elsewhere); ValueError if bad."""
    if not isinstance(s, ClusterSettings):
        raise ValueError(f"expected ClusterSettings, got {type(s).__name__}")
    what = "settings"
    name = _text(s.name, what, "name")
    lat, lon = s.centre_lat, s.centre_lon
    if lat is None or lon is None:
        if lat is not None or lon is not None:
            raise ValueError("settings: give both centre latitude and longitude, or neither")
    else:
        lat = _real(lat, what, "centre latitude", -90.0, 90.0)
        lon = _real(lon, what, "centre longitude", -180.0, 180.0)
    radius = _real(s.radius_km, what, "radius_km", 0.0, _MAX_RADIUS_KM)
    if radius <= 0:
        raise ValueError(f"settings: radius_km must be positive, got {radius!r}")
    counts: dict[str, Any] = {}
    for key in ("mass_min", "mass_max", "registry_max_unlinked"):
        value = getattr(s, key)
        if type(value) is not int or not 0 <= value <= _MAX_EMPLOYEES:
            raise ValueError(f"settings: {key} must be a whole number of at least 0, got {value!r}")
        counts[key] = value
    if counts["mass_min"] > counts["mass_max"]:
        raise ValueError(
            f"settings: mass_min ({counts['mass_min']}) is above mass_max ({counts['mass_max']})"
        )
    shares: dict[str, Any] = {
        key: _real(getattr(s, key), what, key, 0.0, 1.0)
        for key in ("registry_share", "anchor_employment_share", "anchor_link_share", "hhi_concentrated")
    }
    return replace(s, name=name, centre_lat=lat, centre_lon=lon, radius_km=radius, **counts, **shares)


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or the password database
        return "unknown"


def _member_from_row(row: Sequence[Any]) -> Member:
    """A Member from table-order values (id, *MEMBER_FIELDS)."""
    (mid, name, kind, status, sector, industry, employees, lat, lon,
     address, inn, website, contact, joined, left, notes) = row  # fmt: skip
    return Member(
        name, _KIND[kind], _STATUS[status], mid, sector, _INDUSTRY[industry], employees, lat, lon,
        address, inn, website, contact, joined, left, notes,
    )  # fmt: skip


def _link_from_row(row: Sequence[Any]) -> Link:
    lid, source, target, kind, start, share, notes = row
    return Link(source, target, _LINK_KIND[kind], lid, start, share, notes)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; directories cannot be opened for fsync on Windows."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _hot_journal(path: Path) -> bool:
    try:
        return _journal(path).stat().st_size > 0
    except OSError:
        return False


def _check_header(path: Path, *, check_size: bool = True) -> int:
    """Refuse anything that is not a Cluster Desk project, reading only; returns user_version."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ProjectError(f"{path} does not exist.") from None
    except OSError as e:
        raise ProjectError(f"{path} cannot be read: {e.strerror or e}.") from e
    if not path.is_file():
        raise ProjectError(f"{path} is not a file.")
    size = st.st_size
    if size == 0:
        # SQLite would happily treat an empty file as an empty database and write into it.
        raise ProjectError(f"{path} is empty (0 bytes): it is not a Cluster Desk project.")
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as e:
        raise ProjectError(f"{path} cannot be read: {e.strerror or e}.") from e
    if not head.startswith(_SQLITE_MAGIC):
        if head.startswith(b"PK\x03\x04"):
            raise ProjectError(f"{path} is a ZIP archive, not a Cluster Desk project.")
        raise ProjectError(f"{path} is not a Cluster Desk project (it is not an SQLite database).")
    if len(head) < 100:
        raise ProjectError(f"{path} is truncated ({size} bytes): the project file is damaged.")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != schema.APPLICATION_ID:
        raise ProjectError(f"{path} is an SQLite database of another program, not a Cluster Desk project.")
    version = int.from_bytes(head[60:64], "big", signed=True)
    current = schema.current_version()
    if version > current:
        raise ProjectError(
            f"{path} was saved by a newer {APP_NAME} (format {version}; this version reads up to {current}). "
            f"Please update {APP_NAME} to open it."
        )
    if version < 0:
        raise ProjectError(f"{path} is damaged (invalid format number {version}).")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ProjectError(f"{path} is damaged (invalid page size {page_size}).")
    pages = int.from_bytes(head[28:32], "big")
    # The in-header page count is only valid when the two change counters agree (SQLite file format).
    if check_size and pages and head[24:28] == head[92:96] and size < pages * page_size:
        raise ProjectError(
            f"{path} is truncated ({size} bytes; its header says {pages * page_size}): "
            "the project file is damaged."
        )
    return version


def _damaged(path: Path, e: sqlite3.Error) -> ProjectError:
    return ProjectError(f"{path} is damaged or not a Cluster Desk project ({e}).")


def _quick_check(conn: sqlite3.Connection, *, full: bool) -> list[str]:
    """Problems found by quick_check (b-tree structure, NOT NULL, CHECK and STRICT types); [] if none.

    ``full=False`` checks the tables that open loads (meta, settings, members, links and their
    indexes) but not the append-only change log: at 100k members + 300k links the log is most of a
    230 MB file and checking it costs ~1 s; ``history()`` reports damage there when it reads it and
    ``Project.check()`` runs the full check on demand.
    """
    tables = [None] if full else ["meta", "settings", "members", "links"]
    problems: list[str] = []
    for table in tables:
        sql = "PRAGMA quick_check(5)" if table is None else f"PRAGMA quick_check({table})"
        problems += [str(r[0]) for r in conn.execute(sql)]
    return [p for p in problems if p != "ok"]


def _inspect_readonly(path: Path, version: int) -> None:
    """Schema and integrity checks on a connection that only reads: nothing is written.

    Not ``mode=ro``: SQLite skips CHECK constraints in quick_check on read-only connections, and
    those constraints are how we verify every stored coordinate, head count and share. The header
    (application id) was already checked, and ``query_only`` refuses any write statement.
    """
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise ProjectError(f"{path} cannot be opened: {e}.") from e
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        objects = schema.schema_objects(conn)
        foreign = sorted(name for kind, name, _, _ in objects if kind in ("trigger", "view"))
        if foreign:
            raise ProjectError(
                f"{path} contains triggers or views that {APP_NAME} did not create ({', '.join(foreign)}); "
                "it was not opened because they could run code when the project is edited."
            )
        if objects != schema.expected_objects(version):
            raise ProjectError(
                f"{path} does not have the tables of a {APP_NAME} project (format {version}); "
                "it may have been changed by another program."
            )
        problems = _quick_check(conn, full=path.stat().st_size <= _FULL_CHECK_MAX_BYTES)
        if problems:
            raise ProjectError(f"{path} is damaged: {'; '.join(problems)}.")
    except sqlite3.Error as e:
        raise _damaged(path, e) from e
    finally:
        conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per edit method.
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError(f"cannot switch to rollback journal (journal mode is {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: 100k members + 300k links stay cached
    except BaseException:
        conn.close()
        raise
    return conn


def _require_sqlite() -> None:
    if sqlite3.sqlite_version_info < schema.MIN_SQLITE:
        need = ".".join(map(str, schema.MIN_SQLITE))
        raise ProjectError(
            f"{APP_NAME} needs SQLite {need} or newer; this Python has {sqlite3.sqlite_version}."
        )


# Bulk read path. 100k members + 300k links are built in one pass each; the frozen dataclasses'
# generated __init__ goes through object.__setattr__ per field, so we create the instance and fill
# its slots through the slot descriptors directly (about a third faster; same objects, compared
# equal to normally built ones in the tests). Falls back to __init__ should the model ever get a
# __post_init__ (validation we must not skip).
_FAST_BUILD = not hasattr(Member, "__post_init__") and not hasattr(Link, "__post_init__")


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while a bulk read builds its records.

    Members and links hold only strings, numbers and enums, so they can never be part of a cycle;
    yet every 700 allocations count towards a collection, and the older generations get scanned
    again and again as the list grows (with everything else the program holds): about 0.4 s of
    reading 100k members and 300k links. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_members(rows: Iterable[Sequence[Any]]) -> list[Member]:
    kinds, statuses, industries, cls = _KIND, _STATUS, _INDUSTRY, Member
    if not _FAST_BUILD:
        return [
            cls(name, kinds[kind], statuses[status], mid, sector, industries[industry], employees, lat, lon,
                address, inn, website, contact, joined, left, notes)
            for (name, kind, status, mid, sector, industry, employees, lat, lon,
                 address, inn, website, contact, joined, left, notes) in rows
        ]  # fmt: skip
    new = object.__new__
    (s_name, s_kind, s_status, s_id, s_sector, s_industry, s_employees, s_lat, s_lon,
     s_address, s_inn, s_website, s_contact, s_joined, s_left, s_notes) = _slot_setters(
        cls, _MEMBER_ORDER)  # fmt: skip
    out: list[Member] = []
    append = out.append
    for (name, kind, status, mid, sector, industry, employees, lat, lon,
         address, inn, website, contact, joined, left, notes) in rows:  # fmt: skip
        m = new(cls)
        s_name(m, name)
        s_kind(m, kinds[kind])
        s_status(m, statuses[status])
        s_id(m, mid)
        s_sector(m, sector)
        s_industry(m, industries[industry])
        s_employees(m, employees)
        s_lat(m, lat)
        s_lon(m, lon)
        s_address(m, address)
        s_inn(m, inn)
        s_website(m, website)
        s_contact(m, contact)
        s_joined(m, joined)
        s_left(m, left)
        s_notes(m, notes)
        append(m)
    return out


def _build_links(rows: Iterable[Sequence[Any]]) -> list[Link]:
    kinds, cls = _LINK_KIND, Link
    if not _FAST_BUILD:
        return [
            cls(source, target, kinds[kind], lid, start, share, notes)
            for (source, target, kind, lid, start, share, notes) in rows
        ]
    new = object.__new__
    s_source, s_target, s_kind, s_id, s_start, s_share, s_notes = _slot_setters(cls, _LINK_ORDER)
    out: list[Link] = []
    append = out.append
    for source, target, kind, lid, start, share, notes in rows:
        li = new(cls)
        s_source(li, source)
        s_target(li, target)
        s_kind(li, kinds[kind])
        s_id(li, lid)
        s_start(li, start)
        s_share(li, share)
        s_notes(li, notes)
        append(li)
    return out


def _slot_setters(cls: type, names: Sequence[str]) -> list[Any]:
    return [cls.__dict__[name].__set__ for name in names]


# --------------------------------------------------------------------------- the project


class Project:
    """An open project file. Every edit method is one transaction, committed when it returns."""

    path: Path

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        # Use Project.open / Project.create.
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._actor = _actor()

    # ---- lifecycle

    @classmethod
    def create(cls, path: str | os.PathLike[str], name: str = "") -> Project:
        """A new, empty project at ``path``; refuses to overwrite an existing file."""
        _require_sqlite()
        path = Path(path)
        settings = _validate_settings(ClusterSettings(name=_text(name, "project", "name")))
        try:
            # O_EXCL: never overwrite, even if the file appears between a check and the write.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise ProjectError(f"{path} already exists; choose another name.") from None
        except OSError as e:
            raise ProjectError(f"{path} cannot be created: {e.strerror or e}.") from e
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path)
            schema.migrate(conn)
            project = cls(path, conn)
            with project._write() as c:
                c.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("uuid", uuid.uuid4().hex), ("name", name), ("created", _now()),
                     ("app", APP_NAME), ("app_version", __version__)],
                )  # fmt: skip
                c.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", _settings_items(settings))
            return project
        except BaseException as e:
            if conn is not None:
                conn.close()
            with contextlib.suppress(OSError):
                path.unlink()
                _journal(path).unlink(missing_ok=True)
            if isinstance(e, sqlite3.Error):
                raise ProjectError(f"{path} cannot be created: {e}.") from e
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Project:
        """Open an existing project: validates, rolls back a crash's hot journal, migrates old formats."""
        _require_sqlite()
        path = Path(path)
        if _hot_journal(path):
            # A crash left an unfinished transaction. Check it is our file (read-only), then let
            # SQLite roll the journal back: that write restores the last committed state.
            _check_header(path, check_size=False)
            try:
                conn = sqlite3.connect(str(path), isolation_level=None)
                try:
                    conn.execute("PRAGMA trusted_schema = OFF")
                    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                finally:
                    conn.close()
            except sqlite3.Error as e:
                raise ProjectError(f"{path} could not be recovered after a crash: {e}.") from e
        version = _check_header(path)
        _inspect_readonly(path, version)
        try:
            conn = _connect(path)
        except sqlite3.Error as e:
            raise ProjectError(f"{path} cannot be opened for editing: {e}.") from e
        try:
            if version < schema.current_version():
                try:
                    schema.migrate(conn)
                except Exception as e:
                    raise ProjectError(
                        f"{path} could not be upgraded from format {version} "
                        f"to {schema.current_version()}: {e}. "
                        "The file was left at its last complete format."
                    ) from e
                if schema.schema_objects(conn) != schema.expected_objects(schema.current_version()):
                    raise ProjectError(f"{path} does not have the expected tables after the upgrade.")
            project = cls(path, conn)
            project.settings()  # stored settings are JSON: validate them now, not in the middle of a check
            return project
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                raise _damaged(path, e) from e
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r}{'' if self._conn else ', closed'})"

    @property
    def closed(self) -> bool:
        return self._conn is None

    def _c(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError(f"{self.path} is closed.")
        return self._conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed (and fsynced) on success, rolled back on any error."""
        conn = self._c()
        if getattr(self, "_in_transaction", False):
            # Inside transaction(): a savepoint, so a failed edit undoes only itself.
            conn.execute("SAVEPOINT edit")
            try:
                yield conn
                conn.execute("RELEASE edit")
            except BaseException as e:
                conn.execute("ROLLBACK TO edit")
                conn.execute("RELEASE edit")
                if isinstance(e, sqlite3.IntegrityError):
                    raise ValueError(f"the change was refused: {e}") from e
                raise
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise ProjectError(f"{self.path} cannot be written: {e}.") from e
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.IntegrityError):
                raise ValueError(f"the change was refused: {e}") from e
            if isinstance(e, sqlite3.Error):
                raise ProjectError(f"{self.path} could not be saved: {e}.") from e
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group edit calls into one transaction (imports, merges): all of them or none.

        Added for io/merge (issue 5): every edit method called inside joins this transaction;
        an exception leaving the block rolls everything back.
        """
        if getattr(self, "_in_transaction", False):
            raise ProjectError("transaction() cannot be nested.")
        with self._write():
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

    def set_meta(self, values: dict[str, str]) -> None:
        """Store application keys in ``meta`` (field-copy markers); the built-in keys are refused."""
        reserved = {"uuid", "name", "created", "app", "app_version"} & values.keys()
        if reserved:
            raise ValueError(f"meta keys {sorted(reserved)} are maintained by the store")
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(_text(k, "meta", "key"), _text(v, "meta", k)) for k, v in values.items()],
            )

    def _log(self, conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        conn.executemany(_INSERT_CHANGE, rows)

    # ---- team sync hooks (issue 16): pulled edits are logged under their server author

    @contextlib.contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Log the edits made inside the block under ``actor`` (a colleague's edit pulled from a
        team server), so Member History names who made it."""
        saved = self._actor
        self._actor = _text(actor, "actor", "name") or saved
        try:
            yield
        finally:
            self._actor = saved

    def last_seq(self) -> int:
        """The newest change-log ``seq`` (0 for an empty log)."""
        return int(self._c().execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])

    def history_since(self, seq: int) -> list[Change]:
        """The change-log entries after ``seq``, oldest first (a sync reads only its own edits)."""
        sql = "SELECT seq, at, actor, entity, entity_id, op, old, new FROM changes WHERE seq > ? ORDER BY seq"
        names = {"member": MEMBER_FIELDS, "link": LINK_FIELDS}
        try:
            return [
                Change(s, at, actor, cast(Entity, entity), eid, cast(Op, op),
                       loads(old, names.get(entity, ())), loads(new, names.get(entity, ())))
                for s, at, actor, entity, eid, op, old, new in self._c().execute(sql, (seq,))
            ]
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError(f"{self.path}: the change log is damaged ({e}).") from e

    # ---- meta and settings

    def meta(self) -> dict[str, str]:
        """uuid, name, created (UTC ISO), app, app_version of the creating release."""
        return {str(k): str(v) for k, v in self._c().execute("SELECT key, value FROM meta")}

    def settings(self) -> ClusterSettings:
        values: dict[str, Any] = {}
        for key, text in self._c().execute("SELECT key, value FROM settings"):
            if key in _SETTINGS_FIELDS:  # keys of a later minor release are ignored
                try:
                    values[key] = json.loads(text)
                except ValueError as e:
                    raise ProjectError(f"{self.path}: setting {key!r} is damaged ({e}).") from e
        try:
            return _validate_settings(replace(ClusterSettings(), **values))
        except ValueError as e:
            raise ProjectError(f"{self.path}: the stored settings are invalid ({e}).") from e

    def set_settings(self, s: ClusterSettings) -> None:
        new = _validate_settings(s)
        old = self.settings()
        before, after = diff(
            _SETTINGS_FIELDS,
            tuple(getattr(old, f) for f in _SETTINGS_FIELDS),
            tuple(getattr(new, f) for f in _SETTINGS_FIELDS),
        )
        if not after:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [(k, dumps_value(v)) for k, v in after.items()],
            )
            self._log(
                conn, [(_now(), self._actor, "settings", "settings", "update", dumps(before), dumps(after))]
            )

    # ---- members

    def members(self) -> list[Member]:
        """All members (including candidates and former ones), in the order they were added."""
        cursor = self._c().execute(_SELECT_MEMBERS)
        try:
            with _gc_paused():
                return _build_members(cursor)
        except KeyError as e:
            raise ProjectError(f"{self.path}: a member has an unknown kind, status or industry {e}.") from e

    def member(self, member_id: str) -> Member:
        row = self._c().execute(_SELECT_MEMBER_ROW, (member_id,)).fetchone()
        if row is None:
            raise KeyError(member_id)
        return self._to_member(row)

    def _to_member(self, row: Sequence[Any]) -> Member:
        try:
            return _member_from_row(row)
        except KeyError as e:
            raise ProjectError(
                f"{self.path}: member {row[0]!r} has an unknown kind, status or industry {e}."
            ) from e

    def _to_link(self, row: Sequence[Any]) -> Link:
        try:
            return _link_from_row(row)
        except KeyError as e:
            raise ProjectError(f"{self.path}: link {row[0]!r} has an unknown kind {e}.") from e

    def add_member(self, m: Member) -> None:
        self.add_members([m])

    def add_members(self, ms: Iterable[Member]) -> int:
        """Insert new members in one transaction (imports, demo); returns how many."""
        rows = [_member_row(m) for m in ms]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_members(conn, rows, _now())
        return len(rows)

    def _insert_members(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], at: str) -> None:
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM members").fetchone()[0]
        try:
            conn.executemany(_INSERT_MEMBER, rows)
        except sqlite3.IntegrityError:
            raise ValueError(self._explain_duplicates("member", "members", rows, before)) from None
        actor = self._actor
        self._log(conn, ((at, actor, "member", r[0], "insert", None, dumps_record(r[1:])) for r in rows))

    def _explain_duplicates(self, what: str, table: str, rows: list[tuple[Any, ...]], before: int) -> str:
        """Why a batch hit a UNIQUE constraint; ``before`` is max(rowid) before the batch started."""
        seen: set[str] = set()
        for r in rows:
            if r[0] in seen:
                return f"{what} id {r[0]!r} appears twice in the same batch"
            seen.add(r[0])
        conn = self._c()
        for r in rows:
            if conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND rowid <= ?", (r[0], before)).fetchone():
                return f"a {what} with id {r[0]!r} already exists"
        return f"the {what}s could not be added (constraint failed)"

    def update_member(self, m: Member) -> Member:
        """Replace the stored member with ``m`` (same id); returns the old record."""
        return self.update_members([m])[0]

    def update_members(self, ms: Iterable[Member]) -> list[Member]:
        """Update several members in one transaction; returns the old records (KeyError if one is missing)."""
        rows = [_member_row(m) for m in ms]
        olds: list[Member] = []
        if not rows:
            return olds
        with self._write() as conn:
            at, log = _now(), []
            for row in rows:
                old_row = conn.execute(_SELECT_MEMBER_ROW, (row[0],)).fetchone()
                if old_row is None:
                    raise KeyError(row[0])
                olds.append(self._to_member(old_row))
                before, after = diff(MEMBER_FIELDS, tuple(old_row[1:]), row[1:])
                if after:
                    conn.execute(_UPDATE_MEMBER, (*row[1:], row[0]))
                    log.append((at, self._actor, "member", row[0], "update", dumps(before), dumps(after)))
            self._log(conn, log)
        return olds

    def delete_member(self, member_id: str) -> tuple[Member, list[Link]]:
        """Delete a member and its links; both are returned so undo can ``restore`` them."""
        members, links = self.delete_members([member_id])
        return members[0], links

    def delete_members(self, ids: Iterable[str]) -> tuple[list[Member], list[Link]]:
        """Delete members and every link touching them, in one transaction (KeyError if one is missing)."""
        wanted = list(dict.fromkeys(ids))
        members: list[Member] = []
        member_log: list[tuple[Any, ...]] = []
        links: dict[str, tuple[Link, tuple[Any, ...]]] = {}
        if not wanted:
            return members, []
        with self._write() as conn:
            at, actor = _now(), self._actor
            for mid in wanted:
                row = conn.execute(_SELECT_MEMBER_ROW, (mid,)).fetchone()
                if row is None:
                    raise KeyError(mid)
                members.append(self._to_member(row))
                # Log the values as stored, not re-validated: deleting must work for any stored row.
                member_log.append((at, actor, "member", mid, "delete", dumps_record(tuple(row[1:])), None))
                for lrow in conn.execute(_SELECT_MEMBER_LINKS, (mid, mid)):
                    if lrow[0] not in links:
                        links[lrow[0]] = (self._to_link(lrow), lrow)
            conn.executemany("DELETE FROM links WHERE id = ?", [(lid,) for lid in links])
            conn.executemany("DELETE FROM members WHERE id = ?", [(mid,) for mid in wanted])
            self._log(
                conn,
                [
                    (at, actor, "link", lid, "delete", dumps_record(tuple(r[1:])), None)
                    for lid, (_, r) in links.items()
                ],
            )
            self._log(conn, member_log)
        return members, [li for li, _ in links.values()]

    def restore(self, members: Iterable[Member], links: Iterable[Link]) -> None:
        """Put deleted members and links back (undo of delete), logged as inserts; one transaction."""
        mrows = [_member_row(m) for m in members]
        lrows = [_link_row(li) for li in links]
        with self._write() as conn:
            at = _now()
            if mrows:
                self._insert_members(conn, mrows, at)
            if lrows:
                self._insert_links(conn, lrows, at)

    # ---- links

    def links(self) -> list[Link]:
        """All links, in the order they were added."""
        cursor = self._c().execute(_SELECT_LINKS)
        try:
            with _gc_paused():
                return _build_links(cursor)
        except KeyError as e:
            raise ProjectError(f"{self.path}: a link has an unknown kind {e}.") from e

    def link(self, link_id: str) -> Link:
        row = self._c().execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
        if row is None:
            raise KeyError(link_id)
        return self._to_link(row)

    def add_link(self, link: Link) -> None:
        self.add_links([link])

    def add_links(self, ls: Iterable[Link]) -> int:
        """Insert new links in one transaction; both ends must exist. Returns how many."""
        rows = [_link_row(li) for li in ls]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_links(conn, rows, _now())
        return len(rows)

    def _insert_links(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], at: str) -> None:
        # Big batches into a small table: drop the endpoint indexes and rebuild them once (a sort)
        # instead of 2 x N random index inserts; the transaction makes this invisible to readers.
        rebuild = (
            len(rows) >= _BULK_REBUILD
            and len(rows) > conn.execute("SELECT count(*) FROM links").fetchone()[0]
        )
        if rebuild:
            conn.execute("DROP INDEX links_source")
            conn.execute("DROP INDEX links_target")
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM links").fetchone()[0]
        try:
            conn.executemany(_INSERT_LINK, rows)
        except sqlite3.IntegrityError:
            raise ValueError(self._explain_link_failure(rows, before)) from None
        if rebuild:
            for statement in schema.LINK_INDEXES:
                conn.execute(statement)
        actor = self._actor
        self._log(conn, ((at, actor, "link", r[0], "insert", None, dumps_record(r[1:])) for r in rows))

    def _explain_link_failure(self, rows: list[tuple[Any, ...]], before: int) -> str:
        conn = self._c()
        known: set[str] = set()
        for r in rows:
            for end, label in ((r[1], "source"), (r[2], "target")):
                if end not in known:
                    if conn.execute("SELECT 1 FROM members WHERE id = ?", (end,)).fetchone() is None:
                        return f"link {r[0]!r}: the {label} member {end!r} does not exist"
                    known.add(end)
        return self._explain_duplicates("link", "links", rows, before)

    def update_link(self, link: Link) -> Link:
        """Replace the stored link with ``link`` (same id); returns the old record."""
        row = _link_row(link)
        with self._write() as conn:
            old_row = conn.execute(_SELECT_LINK_ROW, (row[0],)).fetchone()
            if old_row is None:
                raise KeyError(row[0])
            old = self._to_link(old_row)
            before, after = diff(LINK_FIELDS, tuple(old_row[1:]), row[1:])
            if after:
                try:
                    conn.execute(_UPDATE_LINK, (*row[1:], row[0]))
                except sqlite3.IntegrityError:
                    raise ValueError(self._explain_link_failure([row], 0)) from None
                self._log(
                    conn, [(_now(), self._actor, "link", row[0], "update", dumps(before), dumps(after))]
                )
        return old

    def delete_link(self, link_id: str) -> Link:
        """Delete one link; returns it (for undo via ``restore([], [link])``)."""
        with self._write() as conn:
            row = conn.execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
            if row is None:
                raise KeyError(link_id)
            old = self._to_link(row)
            conn.execute("DELETE FROM links WHERE id = ?", (link_id,))
            self._log(
                conn,
                [(_now(), self._actor, "link", link_id, "delete", dumps_record(tuple(row[1:])), None)],
            )
        return old

    # ---- change log and copies

    def history(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first; only one record's entries if ``entity_id`` is given."""
        sql = "SELECT seq, at, actor, entity, entity_id, op, old, new FROM changes"
        params: tuple[str, ...] = ()
        if entity_id is not None:
            sql, params = sql + " WHERE entity_id = ?", (entity_id,)
        names = {"member": MEMBER_FIELDS, "link": LINK_FIELDS}  # for records stored as arrays
        out: list[Change] = []
        try:
            for seq, at, actor, entity, eid, op, old, new in self._c().execute(sql + " ORDER BY seq", params):
                f = names.get(entity, ())
                out.append(
                    Change(
                        seq, at, actor, cast(Entity, entity), eid, cast(Op, op), loads(old, f), loads(new, f)
                    )
                )
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError(f"{self.path}: the change log is damaged ({e}).") from e
        return out

    def check(self) -> list[str]:
        """Full ``PRAGMA quick_check`` of the whole file (open skips the change log of huge files)."""
        try:
            return _quick_check(self._c(), full=True)
        except sqlite3.DatabaseError as e:
            return [str(e)]

    def save_copy(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent snapshot to ``dest``; an existing ``dest`` is replaced only when complete."""
        conn = self._c()
        dest = Path(dest)
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise ProjectError(f"{dest} is the open project itself; choose another file for the copy.")
        tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.tmp")
        try:
            # VACUUM INTO writes a compact snapshot of the last commit to a new file (SQLite >= 3.27)
            # but does not fsync it: we do, then rename over dest in one atomic step.
            conn.execute("VACUUM INTO ?", (str(tmp),))
            fd = os.open(tmp, os.O_RDWR)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
        except (OSError, sqlite3.Error) as e:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise ProjectError(f"Could not save a copy to {dest}: {detail}.") from e


# --------------------------------------------------------------------------- record <-> JSON


def dumps_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _settings_items(s: ClusterSettings) -> list[tuple[str, str]]:
    return [(f, dumps_value(getattr(s, f))) for f in _SETTINGS_FIELDS]
