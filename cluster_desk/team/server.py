"""Connecting to the team server and creating or upgrading its schema (psycopg: team mode only).

The schema is versioned SQL in ``sql/NNN_*.sql``, applied in order, each file in one
transaction together with the version it brings the server to (``cdesk.schema_version``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib import resources
from typing import Any, Self

import psycopg
from psycopg import conninfo

from cluster_desk.team.messages import english

#: Connections give up after this long (an unreachable server must not hang a sync).
CONNECT_TIMEOUT_S = 5


class TeamError(Exception):
    """A team-mode failure; ``str()`` is one English line (logs), ``code`` and ``params`` the facts
    the user sees in their language (text/team_text.py)."""

    domain = "team"  # how ui/i18n.user_message tells it from a store error without importing psycopg

    def __init__(self, message: str, code: str = "", params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})

    @classmethod
    def of(cls, code: str, **params: Any) -> Self:
        return cls(english(code, params), code, params)


class Unreachable(TeamError):
    """The server cannot be reached or the connection broke (edits stay local)."""


class Refused(TeamError):
    """The server refused: login, certificate, or a write row-level security does not allow."""


class NotAllowed(Refused):
    """The user may not see or edit this cluster (RLS): shown as "not allowed", never a conflict."""


class SchemaMismatch(TeamError):
    """The server schema is missing or newer than this release understands."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every schema step, in order."""
    folder = resources.files("cluster_desk.team") / "sql"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            out.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    return out


def schema_version_known() -> int:
    return max(v for v, _, _ in migrations())


def conninfo_for(dsn: str) -> str:
    """The DSN with our defaults: TLS with a verified certificate for TCP, a connect timeout.

    A local socket (host starting with "/" or no host) is left as libpq allows; PGSSLMODE or an
    explicit sslmode wins.
    """
    try:
        params = conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as e:
        raise TeamError.of("bad_dsn", detail=str(e)) from e
    host = str(params.get("host") or os.environ.get("PGHOST") or "")
    tcp = bool(host) and not all(h.startswith("/") or h.startswith("@") for h in host.split(","))
    extra: dict[str, Any] = {}
    if tcp and "sslmode" not in params and not os.environ.get("PGSSLMODE"):
        extra["sslmode"] = "verify-full"
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        extra["connect_timeout"] = CONNECT_TIMEOUT_S
    return conninfo.make_conninfo(dsn, **extra)


def public_dsn(dsn: str) -> str:
    """The DSN without a password (what a working copy stores)."""
    params = conninfo.conninfo_to_dict(dsn)
    params.pop("password", None)
    return conninfo.make_conninfo("", **params)


PasswordSource = Callable[[str], str | None]


def connect(
    dsn: str, *, password: PasswordSource | None = None, autocommit: bool = True
) -> psycopg.Connection[Any]:
    """Open a connection, translating failures into one-line TeamErrors.

    ``password(dsn)`` is asked when the server wants a password the DSN does not carry.
    """
    info = conninfo_for(dsn)
    try:
        return psycopg.connect(info, autocommit=autocommit)
    except psycopg.OperationalError as e:
        text = _first_line(e)
        if password is not None and ("no password supplied" in text or "password authentication" in text):
            secret = password(dsn)
            if secret:
                try:
                    with_password = conninfo.make_conninfo(info, password=secret)
                    return psycopg.connect(with_password, autocommit=autocommit)
                except psycopg.OperationalError as e2:
                    raise _classify(e2) from e2
        raise _classify(e) from e


def _first_line(e: BaseException) -> str:
    return " ".join(str(e).strip().split("\n")[0].split()) or type(e).__name__


def _classify(e: psycopg.OperationalError) -> TeamError:
    text = _first_line(e)
    low = str(e).lower()
    if "does not support ssl" in low:
        return Refused.of("no_tls", detail=text)
    if "certificate authentication failed" in low or "requires a valid client certificate" in low:
        return Refused.of("client_cert", detail=text)
    if "password authentication failed" in low or "no password supplied" in low:
        return Refused.of("bad_login", detail=text)
    if "certificate" in low or "ssl" in low:
        return Refused.of("tls_identity", detail=text)
    if "role" in low and "does not exist" in low:
        return Refused.of("no_user", detail=text)
    if "does not exist" in low and "database" in low:
        return Refused.of("no_database", detail=text)
    if "no pg_hba.conf entry" in low or "permission denied" in low:
        return Refused.of("not_let_in", detail=text)
    return Unreachable.of("unreachable", detail=text)


def translate(e: BaseException) -> TeamError:
    """Any psycopg error during a sync, as a TeamError."""
    if isinstance(e, TeamError):
        return e
    if isinstance(e, psycopg.errors.InsufficientPrivilege):
        return NotAllowed.of("not_allowed", detail=_first_line(e))
    if isinstance(e, psycopg.OperationalError | psycopg.InterfaceError):
        if isinstance(e, psycopg.OperationalError) and not isinstance(
            e, psycopg.errors.ConnectionException | psycopg.errors.AdminShutdown
        ) and "connection" not in str(e).lower() and "server closed" not in str(e).lower():
            return _classify(e)
        return Unreachable.of("connection_broke", detail=_first_line(e))
    return TeamError.of("server_error", detail=_first_line(e))


def server_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version on the server; 0 if it has none."""
    row = conn.execute(
        "SELECT to_regclass('cdesk.schema_version') IS NOT NULL"
    ).fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM cdesk.schema_version").fetchone()
    return int(row[0]) if row else 0


def check_schema(conn: psycopg.Connection[Any]) -> int:
    """Refuse a server this release cannot work with; returns its schema version."""
    version = server_version(conn)
    known = schema_version_known()
    if version == 0:
        raise SchemaMismatch.of("no_schema")
    if version > known:
        raise SchemaMismatch.of("schema_newer", version=version, known=known)
    if version < known:
        raise SchemaMismatch.of("schema_older", version=version, known=known)
    return version


def init_schema(conn: psycopg.Connection[Any], upto: int | None = None) -> tuple[int, int]:
    """Create or upgrade the server schema; returns (version before, version after).

    ``upto``: stop at that version (tests build an older server to upgrade).
    """
    before = server_version(conn)
    known = schema_version_known()
    if before > known:
        raise SchemaMismatch.of("schema_newer", version=before, known=known)
    for version, name, sql in migrations():
        if version <= before or (upto is not None and version > upto):
            continue
        with conn.transaction():
            # Serialise two concurrent `server init` runs.
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('cdesk schema', 0))")
            if server_version(conn) >= version:
                continue
            conn.execute("CREATE SCHEMA IF NOT EXISTS cdesk")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS cdesk.schema_version ("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), "
                "file text NOT NULL)"
            )
            conn.execute(sql.encode())
            conn.execute("INSERT INTO cdesk.schema_version (version, file) VALUES (%s, %s)", (version, name))
            conn.execute(
                "GRANT SELECT ON cdesk.schema_version TO cdesk_manager, cdesk_officer, cdesk_analyst"
            )
    return before, server_version(conn)
