"""A throwaway PostgreSQL for the team tests: initdb + pg_ctl, socket only, fsync off.

initdb and pg_ctl refuse to run as root, so as root (CI) they run as the ``postgres`` user.
The schema is created once in a template database; each test gets a fresh copy (~0.1 s).
Logins: mary (manager), alice and bob (officers), ann (analyst), eve (officer, not assigned).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from team_helpers import TeamDb

psycopg = pytest.importorskip("psycopg", reason="team mode needs psycopg (pip install -e '.[dev]')")

USERS = {"mary": "cdesk_manager", "alice": "cdesk_officer", "bob": "cdesk_officer",
         "ann": "cdesk_analyst", "eve": "cdesk_officer"}


def _bindir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="cdesk-pg-"))
        self.data = self.base / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o755)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "--no-sync", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.base)

    def start(self) -> None:
        options = (f"-k {self.base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def dsn(self, db: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.base} dbname={db} user={user}"

    def close(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/system-deps.sh installs it)")
    server = PgServer(bindir)
    try:
        from cluster_desk.team.server import init_schema

        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE cdesk_template")
        with psycopg.connect(server.dsn("cdesk_template"), autocommit=True) as conn:
            init_schema(conn)
            for user, role in USERS.items():
                conn.execute(f"CREATE ROLE {user} LOGIN IN ROLE {role}")
        yield server
    finally:
        server.close()


_numbers = itertools.count()


@pytest.fixture
def team_db(pg_server: PgServer) -> Iterator[TeamDb]:
    name = f"t{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE cdesk_template")
    yield TeamDb(pg_server, name)
    try:
        with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except psycopg.OperationalError:
        pass  # a test left the server stopped; the session teardown removes everything
