"""A throwaway PostgreSQL for the team tests: initdb + pg_ctl, socket only, fsync off.

initdb and pg_ctl refuse to run as root, so as root (CI) they run as the ``postgres`` user.
The schema is created once in a template database; each test gets a fresh copy (~0.1 s).
Logins: mary (manager), alice and bob (officers), ann (analyst), eve (officer, not assigned).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from pg_throwaway import PgServer, find_bindir
from team_helpers import TeamDb

psycopg = pytest.importorskip("psycopg", reason="team mode needs psycopg (pip install -e '.[dev]')")

USERS = {"mary": "cdesk_manager", "alice": "cdesk_officer", "bob": "cdesk_officer",
         "ann": "cdesk_analyst", "eve": "cdesk_officer"}


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_bindir()
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
