"""The server schema: init/upgrade, append-only log, version checks, connection defaults."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from team_helpers import CLUSTER, cloned, edit, published

from cluster_desk.team.server import (
    SchemaMismatch,
    check_schema,
    conninfo_for,
    init_schema,
    public_dsn,
    schema_version_known,
)


def test_init_is_idempotent_and_reports_version(team_db, capsys):
    from cluster_desk.cli import main

    assert main(["server", "init", team_db.dsn("postgres")]) == 0
    assert f"up to date (version {schema_version_known()})" in capsys.readouterr().out
    with team_db.admin() as conn:
        assert init_schema(conn) == (schema_version_known(), schema_version_known())


def test_init_on_an_empty_database(pg_server, capsys):
    from cluster_desk.cli import main

    with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS fresh_init WITH (FORCE)")
        conn.execute("CREATE DATABASE fresh_init")
    try:
        assert main(["server", "init", pg_server.dsn("fresh_init")]) == 0
        assert "(was none)" in capsys.readouterr().out
    finally:
        with psycopg.connect(pg_server.dsn(), autocommit=True) as conn:
            conn.execute("DROP DATABASE fresh_init WITH (FORCE)")


@pytest.mark.parametrize("statement", [
    "UPDATE cdesk.changes SET actor = 'someone else'",
    "DELETE FROM cdesk.changes",
    "TRUNCATE cdesk.changes",
    "DELETE FROM cdesk.members",
    "TRUNCATE cdesk.members",
])
def test_log_and_records_refuse_rewrites_even_for_the_owner(team_db, tmp_path, statement):
    published(team_db, tmp_path)
    with team_db.admin() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_every_write_path_is_logged_with_the_login(team_db, tmp_path):
    published(team_db, tmp_path)
    with psycopg.connect(team_db.dsn("alice"), autocommit=True) as conn:
        conn.execute("UPDATE cdesk.members SET name = 'Direct' WHERE cluster_id = %s AND id = 'm0'",
                     (CLUSTER,))
        row = conn.execute("SELECT actor, op, old, new FROM cdesk.changes "
                           "ORDER BY seq DESC LIMIT 1").fetchone()
        version = conn.execute("SELECT version, updated_by FROM cdesk.members WHERE id = 'm0'").fetchone()
    assert row == ("alice", "update", {"name": "Firm 0"}, {"name": "Direct"})
    assert version == (2, "alice")
    with psycopg.connect(team_db.dsn("alice"), autocommit=True) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO cdesk.changes (cluster_id, entity, entity_id, op) "
                     "VALUES (%s, 'member', 'x', 'insert')", (CLUSTER,))


def test_newer_server_schema_is_refused_clearly(team_db, tmp_path, capsys):
    from cluster_desk.cli import main

    published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    edit(alice, "m0", notes="waiting")
    before = alice.read_bytes()
    with team_db.admin() as conn:
        conn.execute("INSERT INTO cdesk.schema_version (version, file) VALUES (99, 'future.sql')")
        with pytest.raises(SchemaMismatch, match="newer"):
            check_schema(conn)
    assert main(["sync", str(alice)]) == 1
    assert "please update Cluster Desk" in capsys.readouterr().err
    assert alice.read_bytes() == before


def test_wrong_login_is_refused(team_db, tmp_path, capsys):
    from cluster_desk.cli import main

    out = tmp_path / "x.cdesk"
    assert main(["clone", team_db.dsn("nobody_here"), CLUSTER, str(out)]) == 5
    assert "refused the login: no such user" in capsys.readouterr().err
    assert not out.exists()


def test_tcp_defaults_to_verified_tls_and_sockets_are_left_alone(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    monkeypatch.delenv("PGHOST", raising=False)
    tcp = psycopg.conninfo.conninfo_to_dict(conninfo_for("postgresql://alice@db.example.org/agency"))
    assert tcp["sslmode"] == "verify-full" and tcp["connect_timeout"] == "5"
    assert psycopg.conninfo.conninfo_to_dict(
        conninfo_for("host=db sslmode=require"))["sslmode"] == "require"
    assert "sslmode" not in psycopg.conninfo.conninfo_to_dict(conninfo_for("host=/run/postgresql dbname=x"))
    assert "password" not in public_dsn("host=db user=a password=secret")


def test_psycopg_is_imported_only_in_team_mode():
    """The single-user app and command line never load the PostgreSQL driver."""
    code = ("import sys; import cluster_desk.cli, cluster_desk.team.workcopy, cluster_desk.team.cli; "
            "import cluster_desk.ui.shell.main_window; "
            "from cluster_desk.cli import _build_parser; _build_parser(); "
            "print('psycopg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def tls_server():
    from pg_throwaway import PgServer, find_bindir

    server = PgServer(find_bindir(), tls=True)
    try:
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            init_schema(conn)
            conn.execute("CREATE ROLE carol LOGIN PASSWORD 'right horse' IN ROLE cdesk_manager")
            conn.execute("CREATE ROLE dora LOGIN IN ROLE cdesk_analyst")  # no password: a certificate
            conn.execute("CREATE ROLE erin LOGIN IN ROLE cdesk_analyst")
        yield server
    finally:
        server.close()


def test_tcp_verifies_the_server_certificate(tls_server, monkeypatch, tmp_path, capsys):
    """verify-full by default: an unknown certificate authority is refused clearly; the right CA
    (and host name) connects over TLS."""
    from cluster_desk.cli import main
    from cluster_desk.team.server import Refused, connect

    monkeypatch.delenv("PGSSLMODE", raising=False)
    monkeypatch.setenv("PGSSLROOTCERT", str(tmp_path / "no-such-ca.crt"))  # not the user's own CAs
    tcp = f"host=localhost port={tls_server.port} dbname=postgres user=carol"
    with pytest.raises(Refused, match="identity could not be verified over TLS"):
        connect(tcp)
    out = tmp_path / "x.cdesk"
    assert main(["clone", tcp, CLUSTER, str(out)]) == 5
    assert "TLS" in capsys.readouterr().err and not out.exists()
    with connect(f"{tcp} sslrootcert={tls_server.ca}", password=lambda dsn: "right horse") as conn:
        assert conn.info.pgconn.ssl_in_use
        assert check_schema(conn) == schema_version_known()
    # The certificate names "localhost", not 127.0.0.1: verify-full checks the host name too.
    with pytest.raises(Refused):
        connect(f"host=127.0.0.1 port={tls_server.port} dbname=postgres user=carol "
                f"sslrootcert={tls_server.ca}", password=lambda dsn: "right horse")


def test_password_is_asked_and_a_wrong_one_is_refused(tls_server, monkeypatch, tmp_path, capsys):
    from cluster_desk.cli import main
    from cluster_desk.team.server import Refused, connect

    monkeypatch.setenv("PGSSLROOTCERT", str(tls_server.ca))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    tcp = f"host=localhost port={tls_server.port} dbname=postgres user=carol"
    asked: list[str] = []
    with pytest.raises(Refused, match="wrong user name or password"):
        connect(tcp, password=lambda dsn: asked.append(dsn) or "wrong horse")
    assert asked and "password" not in asked[0]  # asked once, with a DSN that holds no secret
    with pytest.raises(Refused, match="password"):
        connect(tcp)  # nobody to ask
    # The command line asks on a terminal only; without one it fails clearly (exit 5).
    assert main(["clone", tcp, CLUSTER, str(tmp_path / "x.cdesk")]) == 5
    assert "refused the login" in capsys.readouterr().err


def _set_ssl(server, on: bool) -> None:
    """Turn TLS on or off on the running server and wait until new connections see it."""
    import threading

    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET ssl = {'on' if on else 'off'}")
        conn.execute("SELECT pg_reload_conf()")
    wanted, pause = ("on" if on else "off"), threading.Event()
    while True:  # the postmaster re-reads its files asynchronously
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            if conn.execute("SHOW ssl").fetchone()[0] == wanted:
                return
        pause.wait(0.02)


def test_plain_text_server_is_refused_unless_the_address_asks_for_it(tls_server, monkeypatch, tmp_path,
                                                                      capsys):
    """A server without TLS: refused by default with a line that says so and how to opt in;
    ``sslmode=disable`` in the address (the explicit opt-in) connects in plain text."""
    from cluster_desk.cli import main
    from cluster_desk.team.server import Refused, connect

    monkeypatch.delenv("PGSSLMODE", raising=False)
    tcp = f"host=localhost port={tls_server.port} dbname=postgres user=carol sslrootcert={tls_server.ca}"
    _set_ssl(tls_server, False)
    try:
        with pytest.raises(Refused, match="offers no TLS: a plain-text connection is refused"):
            connect(tcp, password=lambda dsn: "right horse")
        out = tmp_path / "x.cdesk"
        assert main(["clone", tcp, CLUSTER, str(out)]) == 5
        assert "sslmode=disable" in capsys.readouterr().err and not out.exists()
        with connect(f"{tcp} sslmode=disable", password=lambda dsn: "right horse") as conn:
            assert not conn.info.pgconn.ssl_in_use
            assert check_schema(conn) == schema_version_known()
    finally:
        _set_ssl(tls_server, True)


def test_client_certificate_logs_in_without_a_password(tls_server, monkeypatch, tmp_path, capsys):
    """dora has no password: her certificate (signed by the agency's CA) is her login. Another
    certificate login with her certificate, or dora without one, is refused clearly."""
    from cluster_desk.cli import main
    from cluster_desk.team.server import Refused, connect

    monkeypatch.delenv("PGSSLMODE", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    cert = f"sslrootcert={tls_server.ca} sslcert={tls_server.client_cert} sslkey={tls_server.client_key}"
    tcp = f"host=localhost port={tls_server.port} dbname=postgres"
    asked: list[str] = []
    with connect(f"{tcp} user=dora {cert}", password=lambda dsn: asked.append(dsn) or None) as conn:
        assert conn.info.pgconn.ssl_in_use and not asked
        assert conn.execute("SELECT session_user").fetchone() == ("dora",)
        assert check_schema(conn) == schema_version_known()
    with pytest.raises(Refused, match="refused the client certificate"):
        connect(f"{tcp} user=erin {cert}")  # dora's certificate does not name erin
    with pytest.raises(Refused, match="wrong user name or password"):
        connect(f"{tcp} user=carol {cert}")  # carol logs in by password, certificate or not
    with pytest.raises(Refused, match="refused the client certificate"):
        connect(f"{tcp} user=dora sslrootcert={tls_server.ca} sslcert=none-here.crt sslkey=none.key")
    # The command line uses it the same way: dora may read, the cluster does not exist here.
    assert main(["clone", f"{tcp} user=dora {cert}", CLUSTER, str(tmp_path / "x.cdesk")]) == 5
    assert "not allowed" in capsys.readouterr().err
